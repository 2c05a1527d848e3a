/* fs-signals.h
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* "SIGTERM" for 15; NULL for a number with no name (real-time signals:
 * callers print the number). */
const char  *fs_signal_to_name    (int          signum);
/* Accepts "SIGTERM", "TERM", "sigterm" and "15". */
gboolean     fs_signal_from_name  (const char  *text,
                                   int         *signum);
/* Python's exitcode for a wait status: the exit code, or minus the
 * signal number. */
int          fs_wait_status_to_exitcode (int wait_status);

G_END_DECLS
