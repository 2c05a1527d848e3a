/* fs-output-view.h
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "fs-engine.h"

G_BEGIN_DECLS

#define FS_TYPE_OUTPUT_VIEW (fs_output_view_get_type ())

G_DECLARE_FINAL_TYPE (FsOutputView, fs_output_view, FS, OUTPUT_VIEW, GtkWidget)

/* The workers' stdout and stderr, one line per FS_EVENT_OUTPUT event, each
 * prefixed with the process's name and PID, stderr in its own colour and
 * with a marker. At most max-lines lines are kept; older ones are dropped
 * and counted in a marker line. Lines are appended in batches with a time
 * budget per batch, so a fast producer never freezes the window. */
GtkWidget  *fs_output_view_new            (void);
void        fs_output_view_set_engine     (FsOutputView *self,
                                           FsEngine     *engine);
/* Show only @process's lines (and its descendants'); NULL for all. */
void        fs_output_view_set_filter     (FsOutputView *self,
                                           FsProcess    *process);
FsProcess  *fs_output_view_get_filter     (FsOutputView *self);
void        fs_output_view_set_max_lines  (FsOutputView *self,
                                           guint         max_lines);
guint       fs_output_view_get_max_lines  (FsOutputView *self);
void        fs_output_view_clear          (FsOutputView *self);
/* TRUE while the view keeps its end in sight (until the user scrolls up). */
gboolean    fs_output_view_get_following  (FsOutputView *self);
/* For tests and the benchmark. */
void        fs_output_view_append         (FsOutputView *self,
                                           FsProcess    *process,
                                           int           pid,
                                           const char   *name,
                                           gboolean      is_stderr,
                                           const char   *text);
guint       fs_output_view_get_n_pending  (FsOutputView *self);
guint64     fs_output_view_get_n_dropped  (FsOutputView *self);
char       *fs_output_view_dup_text       (FsOutputView *self);

G_END_DECLS
