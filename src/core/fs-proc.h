/* fs-proc.h
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The fields of /proc/PID/stat that Forkscope uses. comm is parsed up to the
 * LAST ')' of the line, since a process may name itself "a) R 1 (" . */
typedef struct
{
  int      pid;
  char     comm[64];
  char     state;        /* R S D Z T t X I ... */
  int      ppid;
  int      pgrp;
  int      session;
  guint64  utime;        /* clock ticks */
  guint64  stime;
  guint64  starttime;    /* clock ticks after boot: with pid, the identity */
  int      num_threads;
  guint64  vsize;        /* bytes */
  gint64   rss;          /* pages */
} FsProcStat;

/* Parse the text of /proc/PID/stat (not NUL-terminated, @len bytes). Returns
 * FALSE (and leaves @out undefined) for anything malformed. */
gboolean  fs_proc_parse_stat  (const char  *buf,
                               gsize        len,
                               FsProcStat  *out);

/* Read and parse /proc/@pid/stat. A process that vanished (ENOENT, ESRCH)
 * gives G_IO_ERROR_NOT_FOUND: callers treat that as "gone", never as an
 * error worth showing. */
gboolean  fs_proc_read_stat   (int          pid,
                               FsProcStat  *out,
                               GError     **error);

typedef enum
{
  FS_PROC_CHANGE_APPEARED,    /* newly tracked (stat holds everything) */
  FS_PROC_CHANGE_STATE,       /* state letter changed (old_state) */
  FS_PROC_CHANGE_REPARENTED,  /* ppid changed (old_ppid) */
  FS_PROC_CHANGE_GONE,        /* no longer in /proc (or pid reused: new identity) */
} FsProcChangeKind;

/* old_ppid and old_state always hold the values of the previous scan (for
 * APPEARED and GONE they equal stat's). */
typedef struct
{
  FsProcChangeKind kind;
  FsProcStat       stat;       /* the new values (for GONE: the last known) */
  int              old_ppid;
  char             old_state;
} FsProcChange;

const char        *fs_proc_change_kind_to_string (FsProcChangeKind kind);

/* Follows the processes below a root (the supervisor): every process whose
 * parent chain reaches the root, every process in one of the added process
 * groups (workers lead their own group, and their forked children keep it
 * even when orphaned and adopted outside the root's subtree), and, once
 * tracked, a process until it is gone. Identity is (pid, starttime).
 *
 * Every descendant of a tracked process is tracked too. The root itself is
 * not reported; a root_pid <= 0 means "no root": only the groups are
 * followed.
 *
 * A tracker is not thread-safe, but may be used from any one thread at a
 * time (the supervisor scans in a worker thread). */
typedef struct _FsProcTracker FsProcTracker;

FsProcTracker     *fs_proc_tracker_new          (int             root_pid);
void               fs_proc_tracker_free         (FsProcTracker  *self);
void               fs_proc_tracker_add_group    (FsProcTracker  *self,
                                                 int             pgid);
void               fs_proc_tracker_remove_group (FsProcTracker  *self,
                                                 int             pgid);
/* Stop following the process (@pid, @starttime): the caller found it is
 * not part of the family (a stranger that took a reaped worker's pid and
 * made a group of that number). It stays out, whatever its group or its
 * parent, until it is gone, and so do its descendants unless they are
 * tracked for a reason of their own (already tracked, or in an added
 * group): forget each of those too. */
void               fs_proc_tracker_forget       (FsProcTracker  *self,
                                                 int             pid,
                                                 guint64         starttime);
/* One scan of /proc: returns the changes since the previous scan, in an
 * order where a parent's APPEARED comes before its children's. Every
 * tracked process's current stat (for CPU and memory) is available after
 * the scan with fs_proc_tracker_lookup().
 *
 * The returned array (of FsProcChange, free it with g_array_unref) is empty
 * when nothing changed, and lists, in this order: STATE and REPARENTED of
 * the processes still there; GONE, children before parents (a reused pid's
 * old identity among them); APPEARED, parents before children. An APPEARED
 * process's parent may be untracked (an orphan adopted by PID 1, say): its
 * ppid then names a process that is never reported.
 *
 * On error (/proc unreadable, out of fds) returns NULL and the tracked set
 * is left as it was, so nothing is reported gone by mistake. */
GArray            *fs_proc_tracker_scan         (FsProcTracker  *self,
                                                 GError        **error);
const FsProcStat  *fs_proc_tracker_lookup       (FsProcTracker  *self,
                                                 int             pid);
/* The pointers returned by lookup and list stay valid until the next scan
 * or free. */
/* All tracked processes (FsProcStat *, owned by the tracker; the array is
 * the caller's: g_ptr_array_unref it). */
GPtrArray         *fs_proc_tracker_list         (FsProcTracker  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FsProcTracker, fs_proc_tracker_free)

G_END_DECLS
