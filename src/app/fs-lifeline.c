/* fs-lifeline.c
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <string.h>

#include <glib/gi18n.h>

#include "fs-lifeline-private.h"

G_DEFINE_FINAL_TYPE (FsLifeline, fs_lifeline, G_TYPE_OBJECT)

static void
fs_lifeline_finalize (GObject *object)
{
  FsLifeline *self = (FsLifeline *)object;

  g_clear_object (&self->process);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->segments, g_array_unref);
  g_clear_pointer (&self->marks, g_array_unref);

  G_OBJECT_CLASS (fs_lifeline_parent_class)->finalize (object);
}

static void
fs_lifeline_class_init (FsLifelineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = fs_lifeline_finalize;
}

static void
fs_lifeline_init (FsLifeline *self)
{
  self->segments = g_array_new (FALSE, TRUE, sizeof (FsSegment));
  self->marks = g_array_new (FALSE, TRUE, sizeof (FsMark));
}

FsLifeline *
fs_lifeline_new (FsProcess  *process,
                 int         pid,
                 const char *name,
                 gint64      birth)
{
  FsLifeline *self = g_object_new (FS_TYPE_LIFELINE, NULL);

  g_set_object (&self->process, process);
  self->pid = pid;
  if (name != NULL && name[0] != '\0')
    self->name = g_strdup (name);
  else
    /* Translators: the name of a process we only know by its PID. */
    self->name = g_strdup_printf (_("PID %d"), pid);
  self->birth = birth;
  self->last_time = birth;

  return self;
}

static FsSegment *
open_segment (FsLifeline *self)
{
  FsSegment *last;

  if (self->segments->len == 0)
    return NULL;
  last = &g_array_index (self->segments, FsSegment, self->segments->len - 1);
  return last->end == FS_TIMELINE_OPEN ? last : NULL;
}

gboolean
fs_lifeline_is_open (FsLifeline *self)
{
  return self->end == FS_LIFELINE_END_NONE;
}

void
fs_lifeline_enter (FsLifeline    *self,
                   FsSegmentKind  kind,
                   gint64         time,
                   int            reaper_pid)
{
  FsSegment *open = open_segment (self);
  FsSegment segment = { kind, time, FS_TIMELINE_OPEN, reaper_pid };

  if (self->end != FS_LIFELINE_END_NONE)
    return;

  if (open != NULL)
    {
      if (open->kind == kind)
        return;
      /* Events come in order, but a scan's time may trail a pidfd's by a
       * little: never let a segment end before it began. */
      time = MAX (time, open->start);
      segment.start = time;
      open->end = time;
    }

  g_array_append_val (self->segments, segment);
  self->last_time = MAX (self->last_time, time);
}

void
fs_lifeline_finish (FsLifeline    *self,
                    gint64         time,
                    FsLifelineEnd  end,
                    int            reaper_pid)
{
  FsSegment *open = open_segment (self);

  if (self->end != FS_LIFELINE_END_NONE)
    return;

  if (open != NULL)
    {
      time = MAX (time, open->start);
      open->end = time;
    }

  self->end = end;
  self->end_time = time;
  self->reaper_pid = reaper_pid;
  self->last_time = MAX (self->last_time, time);
}

FsMark *
fs_lifeline_add_mark (FsLifeline   *self,
                      const FsMark *mark)
{
  guint i = self->marks->len;

  /* Keep marks sorted by time; they almost always arrive in order. */
  while (i > 0 && g_array_index (self->marks, FsMark, i - 1).time > mark->time)
    i--;
  g_array_insert_val (self->marks, i, *mark);
  self->last_time = MAX (self->last_time, mark->time);

  return &g_array_index (self->marks, FsMark, i);
}

FsMark *
fs_lifeline_pending_join (FsLifeline *self)
{
  for (guint i = self->marks->len; i > 0; i--)
    {
      FsMark *mark = &g_array_index (self->marks, FsMark, i - 1);

      if (mark->kind == FS_MARK_JOIN && mark->outcome == FS_JOIN_PENDING)
        return mark;
    }

  return NULL;
}

void
fs_lifeline_trim (FsLifeline *self,
                  gint64      horizon)
{
  guint n = 0;

  while (n < self->segments->len &&
         g_array_index (self->segments, FsSegment, n).end < horizon)
    n++;
  if (n > 0)
    g_array_remove_range (self->segments, 0, n);

  /* A mark that is an interval stays as long as any of it is visible. */
  for (guint i = self->marks->len; i > 0; i--)
    {
      const FsMark *mark = &g_array_index (self->marks, FsMark, i - 1);
      gint64 last = mark->kind == FS_MARK_JOIN ? mark->end : mark->time;

      if (last < horizon)
        g_array_remove_index (self->marks, i - 1);
    }
}

FsProcess *
fs_lifeline_get_process (FsLifeline *self)
{
  g_return_val_if_fail (FS_IS_LIFELINE (self), NULL);

  return self->process;
}

int
fs_lifeline_get_pid (FsLifeline *self)
{
  g_return_val_if_fail (FS_IS_LIFELINE (self), 0);

  return self->pid;
}

const char *
fs_lifeline_get_name (FsLifeline *self)
{
  g_return_val_if_fail (FS_IS_LIFELINE (self), NULL);

  return self->name;
}

FsLifeline *
fs_lifeline_get_parent (FsLifeline *self)
{
  g_return_val_if_fail (FS_IS_LIFELINE (self), NULL);

  return self->parent;
}

guint
fs_lifeline_get_depth (FsLifeline *self)
{
  g_return_val_if_fail (FS_IS_LIFELINE (self), 0);

  return self->depth;
}

gint64
fs_lifeline_get_birth (FsLifeline *self)
{
  g_return_val_if_fail (FS_IS_LIFELINE (self), 0);

  return self->birth;
}

guint
fs_lifeline_get_n_segments (FsLifeline *self)
{
  g_return_val_if_fail (FS_IS_LIFELINE (self), 0);

  return self->segments->len;
}

const FsSegment *
fs_lifeline_get_segment (FsLifeline *self,
                         guint       index)
{
  g_return_val_if_fail (FS_IS_LIFELINE (self), NULL);
  g_return_val_if_fail (index < self->segments->len, NULL);

  return &g_array_index (self->segments, FsSegment, index);
}

guint
fs_lifeline_find_segment (FsLifeline *self,
                          gint64      time)
{
  guint lo = 0;
  guint hi;

  g_return_val_if_fail (FS_IS_LIFELINE (self), 0);

  /* Segments are ordered and disjoint, so their ends are sorted too. */
  hi = self->segments->len;
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (g_array_index (self->segments, FsSegment, mid).end < time)
        lo = mid + 1;
      else
        hi = mid;
    }

  return lo;
}

guint
fs_lifeline_get_n_marks (FsLifeline *self)
{
  g_return_val_if_fail (FS_IS_LIFELINE (self), 0);

  return self->marks->len;
}

const FsMark *
fs_lifeline_get_mark (FsLifeline *self,
                      guint       index)
{
  g_return_val_if_fail (FS_IS_LIFELINE (self), NULL);
  g_return_val_if_fail (index < self->marks->len, NULL);

  return &g_array_index (self->marks, FsMark, index);
}

FsLifelineEnd
fs_lifeline_get_end (FsLifeline *self)
{
  g_return_val_if_fail (FS_IS_LIFELINE (self), FS_LIFELINE_END_NONE);

  return self->end;
}

gint64
fs_lifeline_get_end_time (FsLifeline *self)
{
  g_return_val_if_fail (FS_IS_LIFELINE (self), 0);

  return self->end_time;
}

int
fs_lifeline_get_reaper_pid (FsLifeline *self)
{
  g_return_val_if_fail (FS_IS_LIFELINE (self), 0);

  return self->reaper_pid;
}

gboolean
fs_lifeline_get_has_exit_code (FsLifeline *self)
{
  g_return_val_if_fail (FS_IS_LIFELINE (self), FALSE);

  return self->has_exit_code;
}

int
fs_lifeline_get_exit_code (FsLifeline *self)
{
  g_return_val_if_fail (FS_IS_LIFELINE (self), 0);

  return self->exit_code;
}

char *
fs_lifeline_dup_exit_text (FsLifeline *self)
{
  g_return_val_if_fail (FS_IS_LIFELINE (self), NULL);

  if (!self->has_exit_code)
    return NULL;

  return fs_exit_code_dup_text (self->exit_code);
}

gint64
fs_lifeline_get_last_time (FsLifeline *self)
{
  g_return_val_if_fail (FS_IS_LIFELINE (self), 0);

  return self->last_time;
}

const char *
fs_segment_kind_to_string (FsSegmentKind kind)
{
  switch (kind)
    {
    case FS_SEGMENT_RUNNING:
      return "running";
    case FS_SEGMENT_STOPPED:
      return "stopped";
    case FS_SEGMENT_ZOMBIE:
      return "zombie";
    default:
      g_return_val_if_reached (NULL);
    }
}

const char *
fs_lifeline_end_to_string (FsLifelineEnd end)
{
  switch (end)
    {
    case FS_LIFELINE_END_NONE:
      return "none";
    case FS_LIFELINE_END_SUPERVISOR:
      return "supervisor";
    case FS_LIFELINE_END_PARENT:
      return "parent";
    case FS_LIFELINE_END_ADOPTER:
      return "adopter";
    case FS_LIFELINE_END_UNKNOWN:
      return "unknown";
    default:
      g_return_val_if_reached (NULL);
    }
}

char *
fs_signal_dup_name (int signum)
{
  const char *abbrev = signum > 0 ? sigabbrev_np (signum) : NULL;

  if (abbrev != NULL)
    return g_strconcat ("SIG", abbrev, NULL);

  /* Translators: a signal number with no name, e.g. a real-time signal. */
  return g_strdup_printf (_("signal %d"), signum);
}

char *
fs_exit_code_dup_text (int exit_code)
{
  g_autofree char *name = NULL;

  if (exit_code >= 0)
    /* Translators: a process's exit status. */
    return g_strdup_printf (_("exit %d"), exit_code);

  /* Python's convention, as in the tree: minus the signal that killed it. */
  name = fs_signal_dup_name (-exit_code);
  return g_strdup_printf ("\u2212%s", name);
}
