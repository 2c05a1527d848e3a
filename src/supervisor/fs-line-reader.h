/* fs-line-reader.h
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "fs-line-budget.h"

G_BEGIN_DECLS

/* Reads a worker's stdout or stderr pipe without blocking and hands out
 * whole lines. Memory is bounded: a line longer than FS_LINE_READER_MAX is
 * cut there (the rest of it, up to the next newline, is dropped) and handed
 * out with @truncated set. At end of file the last partial line is handed
 * out too, then @func is called once more with @line NULL. */
#define FS_LINE_READER_MAX 4096

typedef void (*FsLineFunc) (const char *line,
                            gboolean    truncated,
                            gpointer    user_data);

typedef struct _FsLineReader FsLineReader;

/* Takes @fd (made non-blocking, closed by fs_line_reader_free()). Reads
 * within @budget (shared by readers; NULL: no limit), which must outlive
 * the reader. */
FsLineReader  *fs_line_reader_new     (int            fd,
                                       FsLineBudget  *budget,
                                       FsLineFunc     func,
                                       gpointer       user_data);
/* Read what is in the pipe now (e.g. before reporting an exit, so output
 * comes before the exit in the event stream), budget or not. */
void           fs_line_reader_drain   (FsLineReader  *self);
gboolean       fs_line_reader_is_eof  (FsLineReader  *self);
/* The pipe's fd (still the reader's), or -1 at end of file. */
int            fs_line_reader_get_fd  (FsLineReader  *self);
void           fs_line_reader_free    (FsLineReader  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FsLineReader, fs_line_reader_free)

G_END_DECLS
