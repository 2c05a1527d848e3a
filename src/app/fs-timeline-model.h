/* fs-timeline-model.h
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "fs-engine.h"
#include "fs-event.h"
#include "fs-lifeline.h"

G_BEGIN_DECLS

typedef enum
{
  FS_LINK_SPAWN,               /* the supervisor started a worker */
  FS_LINK_FORK,                /* a process forked a child */
  FS_LINK_REPARENT,            /* the child's parent died; @to adopted it */
} FsLinkKind;

/* A link between two lifelines at one moment. For SPAWN and FORK, @from is
 * the parent and @to the child. For REPARENT, @from is the parent that died,
 * @to the adopter (NULL when the adopter is outside Forkscope's family, e.g.
 * PID 1), and @child the orphan. Lifelines are referenced by the link. */
typedef struct
{
  FsLinkKind   kind;
  gint64       time;
  FsLifeline  *from;           /* nullable */
  FsLifeline  *to;             /* nullable */
  FsLifeline  *child;
  int          from_pid;
  int          to_pid;
  gboolean     to_supervisor;  /* REPARENT: the supervisor adopted it */
} FsLink;

#define FS_TIMELINE_MODEL_DEFAULT_HISTORY (10 * 60 * G_USEC_PER_SEC)
/* A quiet time longer than this ends an episode of activity. */
#define FS_TIMELINE_EPISODE_GAP (20 * G_USEC_PER_SEC)

#define FS_TYPE_TIMELINE_MODEL (fs_timeline_model_get_type ())

G_DECLARE_FINAL_TYPE (FsTimelineModel, fs_timeline_model, FS, TIMELINE_MODEL, GObject)

/* What happened to a process family over time, recorded from the engine's
 * events (fs_timeline_model_add_event, or fs_timeline_model_set_engine to
 * follow an engine). GLib only: the widget draws it, tests query it.
 *
 * The model is a GListModel of FsLifeline in tree order (the supervisor, its
 * first child, that child's children, the next child...), the same order as
 * the engine's process tree; a reparented process moves, with its subtree,
 * under its adopter. History is bounded ("history", microseconds): whatever
 * ended longer ago than that before the newest event is dropped.
 *
 * Following an engine, the model forgets the lifelines of the processes
 * the engine drops (fs_engine_clear_finished()), so the tree and the
 * timeline show the same family.
 *
 * Signals:
 *  - "changed": something was recorded or forgotten (cheap to connect to:
 *    the widget redraws on it). */
FsTimelineModel *fs_timeline_model_new              (void);
void             fs_timeline_model_set_engine       (FsTimelineModel *self,
                                                     FsEngine        *engine);
FsEngine        *fs_timeline_model_get_engine       (FsTimelineModel *self);
void             fs_timeline_model_add_event        (FsTimelineModel *self,
                                                     FsEvent         *event);
/* Start a lifeline for a process known without an event (the supervisor). */
FsLifeline      *fs_timeline_model_add_process      (FsTimelineModel *self,
                                                     FsProcess       *process,
                                                     gint64           time);
GListModel      *fs_timeline_model_get_lifelines    (FsTimelineModel *self);
/* The lifeline in row @position, not a reference (for drawing loops). */
FsLifeline      *fs_timeline_model_peek             (FsTimelineModel *self,
                                                     guint            position);
/* The row of @lifeline, or -1 if it is no longer in the model. */
int              fs_timeline_model_get_row          (FsTimelineModel *self,
                                                     FsLifeline      *lifeline);
FsLifeline      *fs_timeline_model_lookup_process   (FsTimelineModel *self,
                                                     FsProcess       *process);
FsLifeline      *fs_timeline_model_lookup_pid       (FsTimelineModel *self,
                                                     int              pid);
guint            fs_timeline_model_get_n_links      (FsTimelineModel *self);
const FsLink    *fs_timeline_model_get_link         (FsTimelineModel *self,
                                                     guint            index);
/* The index of the first link at or after @time. */
guint            fs_timeline_model_find_link        (FsTimelineModel *self,
                                                     gint64           time);
/* The time axis: origin is "0 s" (the engine's origin, or the first event). */
gint64           fs_timeline_model_get_origin       (FsTimelineModel *self);
void             fs_timeline_model_set_origin       (FsTimelineModel *self,
                                                     gint64           origin);
/* Oldest time still recorded, and the newest event's time (0 if empty). */
gint64           fs_timeline_model_get_start_time   (FsTimelineModel *self);
gint64           fs_timeline_model_get_last_time    (FsTimelineModel *self);
gint64           fs_timeline_model_get_history      (FsTimelineModel *self);
void             fs_timeline_model_set_history      (FsTimelineModel *self,
                                                     gint64           history);
int              fs_timeline_model_get_supervisor_pid (FsTimelineModel *self);
gboolean         fs_timeline_model_is_supervisor    (FsTimelineModel *self,
                                                     FsLifeline      *lifeline);
/* What is going on, for a view that fits it: the start of the current
 * episode (lifelines other than the supervisor's that overlap or follow
 * each other with pauses shorter than FS_TIMELINE_EPISODE_GAP), the last
 * time anything ended or was recorded on them, and whether one is still
 * open (alive, or a zombie). FALSE if there are none. */
gboolean         fs_timeline_model_get_activity     (FsTimelineModel *self,
                                                     gint64          *start,
                                                     gint64          *end,
                                                     gboolean        *live);
/* Drop everything. */
void             fs_timeline_model_clear            (FsTimelineModel *self);

G_END_DECLS
