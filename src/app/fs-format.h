/* fs-format.h
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "fs-process.h"

G_BEGIN_DECLS

/* Text the app shows for processes, shared by the tree, the toasts and the
 * tests, so that every place words a state the same way. */

typedef struct
{
  int         signum;
  const char *name;         /* "SIGTERM" */
  const char *description;  /* translated: "Terminate" */
} FsSignalInfo;

/* The first FS_N_COMMON_SIGNALS are the common ones (SIGTERM, SIGKILL,
 * SIGSTOP, SIGCONT, SIGINT, SIGHUP, SIGUSR1, SIGUSR2), then the rest. */
#define FS_N_COMMON_SIGNALS 8
const FsSignalInfo *fs_format_signals            (guint        *n_signals);
char               *fs_format_signal_name        (int           signum);
char               *fs_format_duration           (gint64        usec);
char               *fs_format_wall_time          (gint64        monotonic_usec);
char               *fs_format_exit               (FsProcess    *process);
char               *fs_format_adopter            (FsProcess    *process);
/* "Zombie" (short), "Zombie: waiting for PID 42 to reap" (the tree's
 * cell), "Zombie: exited with 0 — waiting for PID 42 to reap" (long). */
typedef enum
{
  FS_FORMAT_SHORT,
  FS_FORMAT_CELL,
  FS_FORMAT_LONG,
} FsFormatLength;

char               *fs_format_state              (FsProcess      *process,
                                                  FsFormatLength  length);
const char         *fs_format_state_icon         (FsProcess    *process);
const char         *fs_format_state_css_class    (FsProcess    *process);
char               *fs_format_policy             (FsProcess    *process);

/* How a lesson names a forked child: "z/1" (the worker z's first fork),
 * "t/2/1"; the worker's own name for a worker, NULL for the supervisor. */
char               *fs_format_subject_path      (FsProcess       *process);

G_END_DECLS
