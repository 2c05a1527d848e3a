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

/* Reads a worker's stdout or stderr without blocking and hands out whole
 * lines, each with the PID of the process that wrote it.
 *
 * The worker's end is one end of an AF_UNIX stream socketpair (see
 * fs_line_reader_socketpair()): its forked children inherit it, and with
 * SO_PASSCRED on our end every recvmsg() brings the writer's credentials,
 * and the kernel never joins data from two writers in one recvmsg(). So
 * each writer gets its own partial line: lines of processes writing at
 * once are never mixed, even when they write a line in pieces.
 *
 * Memory is bounded: a line longer than FS_LINE_READER_MAX is cut there
 * (the rest of it, up to the next newline, is dropped) and handed out with
 * @truncated set; at most FS_LINE_READER_MAX_WRITERS writers keep a partial
 * line at once (one more hands out the oldest one's as it is). A partial
 * line is handed out when its writer exits (fs_line_reader_flush_writer())
 * or at end of file; then @func is called once more with @line NULL.
 *
 * @writer is the PID in the reader's PID namespace, or 0 when the kernel
 * could not tell (a writer outside the namespace, or not a socket). */
#define FS_LINE_READER_MAX         4096
#define FS_LINE_READER_MAX_WRITERS 64
/* A drain reads at most this much of a socket: a pipe's default size. */
#define FS_LINE_READER_DRAIN_MAX   65536

typedef void (*FsLineFunc) (const char *line,
                            gboolean    truncated,
                            int         writer,
                            gpointer    user_data);

typedef struct _FsLineReader FsLineReader;

/* A close-on-exec AF_UNIX stream socketpair for a worker's stdout or
 * stderr: @read_fd (ours, with SO_PASSCRED, shut for writing: a worker
 * reading its stdout gets end of file) and @write_fd (the worker's). */
gboolean       fs_line_reader_socketpair   (int           *read_fd,
                                            int           *write_fd,
                                            GError       **error);
/* Takes @fd (made non-blocking, closed by fs_line_reader_free()): a socket
 * from fs_line_reader_socketpair(), or a pipe (then @writer is always 0).
 * Reads within @budget (shared by readers; NULL: no limit), which must
 * outlive the reader. */
FsLineReader  *fs_line_reader_new          (int            fd,
                                            FsLineBudget  *budget,
                                            FsLineFunc     func,
                                            gpointer       user_data);
/* Read what is there now (e.g. before reporting an exit, so output comes
 * before the exit in the event stream), budget or not: what is queued at
 * this moment, and of a socket at most FS_LINE_READER_DRAIN_MAX bytes. */
void           fs_line_reader_drain        (FsLineReader  *self);
/* @writer has exited: hand out its partial line, if any. */
void           fs_line_reader_flush_writer (FsLineReader  *self,
                                            int            writer);
gboolean       fs_line_reader_is_eof       (FsLineReader  *self);
/* The socket's fd (still the reader's), or -1 at end of file. */
int            fs_line_reader_get_fd       (FsLineReader  *self);
void           fs_line_reader_free         (FsLineReader  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FsLineReader, fs_line_reader_free)

G_END_DECLS
