/* fs-lifeline-private.h
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "fs-lifeline.h"

G_BEGIN_DECLS

/* Shared by FsLifeline and FsTimelineModel, which alone writes lifelines. */
struct _FsLifeline
{
  GObject         parent_instance;

  FsProcess      *process;        /* nullable (a pid only known from events) */
  int             pid;
  int             ppid;           /* the parent now (may be outside the model) */
  int             birth_ppid;     /* the parent that forked or spawned it */
  char           *name;
  FsLifeline     *parent;         /* not a reference: a parent outlives its rows' children */
  guint           depth;
  guint           n_children;     /* lifelines in the model whose parent this is */
  guint           row;            /* index in the model */
  gint64          birth;
  gint64          last_time;

  GArray         *segments;       /* FsSegment, in time order */
  GArray         *marks;          /* FsMark, in order of time */

  FsLifelineEnd   end;
  gint64          end_time;       /* 0 while not ended */
  int             reaper_pid;
  gboolean        has_exit_code;
  int             exit_code;
};

FsLifeline  *fs_lifeline_new          (FsProcess    *process,
                                       int           pid,
                                       const char   *name,
                                       gint64        birth);
/* Close the open segment at @time and open one of @kind (if different). */
void         fs_lifeline_enter        (FsLifeline   *self,
                                       FsSegmentKind kind,
                                       gint64        time,
                                       int           reaper_pid);
/* Close the open segment and end the line. */
void         fs_lifeline_finish       (FsLifeline   *self,
                                       gint64        time,
                                       FsLifelineEnd end,
                                       int           reaper_pid);
FsMark      *fs_lifeline_add_mark     (FsLifeline   *self,
                                       const FsMark *mark);
/* The newest join still pending, or NULL. */
FsMark      *fs_lifeline_pending_join (FsLifeline   *self);
/* Drop what ended before @horizon. */
void         fs_lifeline_trim         (FsLifeline   *self,
                                       gint64        horizon);
gboolean     fs_lifeline_is_open      (FsLifeline   *self);

G_END_DECLS
