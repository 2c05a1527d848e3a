/* fs-process-cell.h
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "fs-process.h"

G_BEGIN_DECLS

typedef enum
{
  FS_PROCESS_COLUMN_NAME,
  FS_PROCESS_COLUMN_PID,
  FS_PROCESS_COLUMN_PPID,
  FS_PROCESS_COLUMN_STATE,
  FS_PROCESS_COLUMN_ALIVE,
  FS_PROCESS_COLUMN_DAEMON,
  FS_PROCESS_COLUMN_EXIT,
  FS_PROCESS_COLUMN_CPU,
  FS_PROCESS_COLUMN_MEMORY,
  FS_PROCESS_COLUMN_STARTED,
  FS_PROCESS_COLUMN_LIFETIME,
  FS_N_PROCESS_COLUMNS
} FsProcessColumn;

#define FS_TYPE_PROCESS_CELL (fs_process_cell_get_type ())

G_DECLARE_FINAL_TYPE (FsProcessCell, fs_process_cell, FS, PROCESS_CELL, GtkWidget)

/* One cell of the process tree. It follows its process's property
 * notifications itself, so the tree is updated in place: the list model
 * never changes for a mere state, CPU or memory change. Time-dependent
 * text (lifetime, a join countdown) is refreshed by one shared clock that
 * only ticks while such cells are bound. */
GtkWidget      *fs_process_cell_new                (FsProcessColumn  column);
FsProcessColumn fs_process_cell_get_column         (FsProcessCell   *self);
FsProcess      *fs_process_cell_get_process        (FsProcessCell   *self);
void            fs_process_cell_set_process        (FsProcessCell   *self,
                                                    FsProcess       *process);
const char     *fs_process_cell_get_text           (FsProcessCell   *self);

/* The bound cell showing @column of @process, if its row is visible. */
FsProcessCell  *fs_process_cell_find               (FsProcess       *process,
                                                    FsProcessColumn  column);

/* Set (or clear, with 0) the monotonic time a pending join(timeout) on
 * @process gives up; state cells show the countdown. */
void            fs_process_cell_set_join_deadline  (FsProcess       *process,
                                                    gint64           deadline);
gint64          fs_process_cell_get_join_deadline  (FsProcess       *process);

/* No row tooltips while @suspend (a popover points at a row); @view is
 * asked again so a tooltip already shown goes. */
void            fs_process_cell_suspend_tooltips  (GtkWidget       *view,
                                                   gboolean         suspend);

/* Every cell keeps what it shows while frozen, and catches up when
 * thawed (see fs_process_view_set_frozen()). */
void            fs_process_cell_set_frozen        (gboolean         frozen);

G_END_DECLS
