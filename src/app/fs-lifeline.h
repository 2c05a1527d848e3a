/* fs-lifeline.h
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "fs-process.h"

G_BEGIN_DECLS

/* An open interval (a segment, a pending join) ends here. */
#define FS_TIMELINE_OPEN G_MAXINT64

typedef enum
{
  FS_SEGMENT_RUNNING,          /* alive: running or sleeping */
  FS_SEGMENT_STOPPED,          /* SIGSTOP/SIGTSTP until SIGCONT */
  FS_SEGMENT_ZOMBIE,           /* exited, waiting to be reaped */
} FsSegmentKind;

typedef struct
{
  FsSegmentKind  kind;
  gint64         start;        /* monotonic microseconds */
  gint64         end;          /* FS_TIMELINE_OPEN while it lasts */
  int            reaper_pid;   /* ZOMBIE: the parent at exit, who must reap */
} FsSegment;

typedef enum
{
  FS_MARK_SIGNAL,              /* a signal sent to this process */
  FS_MARK_JOIN,                /* a join call: a bracket from time to end */
} FsMarkKind;

typedef enum
{
  FS_JOIN_PENDING,
  FS_JOIN_JOINED,
  FS_JOIN_TIMED_OUT,
} FsJoinOutcome;

typedef struct
{
  FsMarkKind     kind;
  gint64         time;
  gint64         end;          /* JOIN: when the call returned, or FS_TIMELINE_OPEN */
  int            signum;       /* SIGNAL */
  gboolean       group;        /* SIGNAL: sent to the whole process group */
  double         timeout;      /* JOIN: seconds, < 0 for none */
  FsJoinOutcome  outcome;      /* JOIN */
  int            exit_code;    /* JOIN, JOINED: Python style (-N: signal N) */
} FsMark;

/* How a lifeline ended: who reaped the process. */
typedef enum
{
  FS_LIFELINE_END_NONE,        /* alive, or a zombie still */
  FS_LIFELINE_END_SUPERVISOR,  /* the supervisor's child watch */
  FS_LIFELINE_END_PARENT,      /* its own parent (a worker that waited for its child) */
  FS_LIFELINE_END_ADOPTER,     /* whoever adopted it after its parent died (PID 1, a subreaper) */
  FS_LIFELINE_END_UNKNOWN,     /* it went away; nobody we know reaped it */
} FsLifelineEnd;

#define FS_TYPE_LIFELINE (fs_lifeline_get_type ())

G_DECLARE_FINAL_TYPE (FsLifeline, fs_lifeline, FS, LIFELINE, GObject)

/* The recorded life of one process: an FsTimelineModel creates and updates
 * these; everybody else reads them. Segments are in time order and do not
 * overlap; marks are in order of their start time. */
FsProcess       *fs_lifeline_get_process        (FsLifeline *self);
int              fs_lifeline_get_pid            (FsLifeline *self);
const char      *fs_lifeline_get_name           (FsLifeline *self);
FsLifeline      *fs_lifeline_get_parent         (FsLifeline *self);
guint            fs_lifeline_get_depth          (FsLifeline *self);
gint64           fs_lifeline_get_birth          (FsLifeline *self);
guint            fs_lifeline_get_n_segments     (FsLifeline *self);
const FsSegment *fs_lifeline_get_segment        (FsLifeline *self,
                                                 guint       index);
/* The index of the first segment that ends at or after @time (n_segments if none). */
guint            fs_lifeline_find_segment       (FsLifeline *self,
                                                 gint64      time);
guint            fs_lifeline_get_n_marks        (FsLifeline *self);
const FsMark    *fs_lifeline_get_mark           (FsLifeline *self,
                                                 guint       index);
FsLifelineEnd    fs_lifeline_get_end            (FsLifeline *self);
gint64           fs_lifeline_get_end_time       (FsLifeline *self);
int              fs_lifeline_get_reaper_pid     (FsLifeline *self);
gboolean         fs_lifeline_get_has_exit_code  (FsLifeline *self);
int              fs_lifeline_get_exit_code      (FsLifeline *self);
/* "exit 0", "−SIGTERM": translated. */
char            *fs_lifeline_dup_exit_text      (FsLifeline *self);
/* The last time anything was recorded on this lifeline. */
gint64           fs_lifeline_get_last_time      (FsLifeline *self);

const char      *fs_segment_kind_to_string      (FsSegmentKind kind);
const char      *fs_lifeline_end_to_string      (FsLifelineEnd end);
/* "SIGTERM" for 15; "signal 77" for unknown numbers (translated). */
char            *fs_signal_dup_name             (int           signum);
/* "exit 3" / "−SIGKILL" for a Python-style exit code (translated). */
char            *fs_exit_code_dup_text          (int           exit_code);

G_END_DECLS
