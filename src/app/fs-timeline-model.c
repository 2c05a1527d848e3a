/* fs-timeline-model.c
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "fs-lifeline-private.h"
#include "fs-timeline-model.h"

struct _FsTimelineModel
{
  GObject      parent_instance;

  GPtrArray   *rows;           /* FsLifeline (owned), in tree order */
  GHashTable  *by_process;     /* FsProcess -> FsLifeline */
  GHashTable  *by_pid;         /* pid -> the newest FsLifeline with that pid */
  GArray      *links;          /* FsLink (lifelines referenced), by time */

  FsEngine    *engine;
  GListModel  *processes;      /* the engine's, while following it */

  /* fs_timeline_model_get_activity(), computed when first asked after a
   * change. */
  gboolean     activity_valid;
  gboolean     has_activity;
  gboolean     live;
  gint64       episode_start;
  gint64       activity_end;

  gint64       origin;
  gint64       start_time;
  gint64       last_time;
  gint64       history;
  int          supervisor_pid;
  gboolean     rows_dirty;     /* FsLifeline.row needs renumbering */
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (FsTimelineModel, fs_timeline_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  PROP_0,
  PROP_HISTORY,
  PROP_ENGINE,
  N_PROPS
};

enum {
  CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
emit_changed (FsTimelineModel *self)
{
  self->activity_valid = FALSE;
  g_signal_emit (self, signals[CHANGED], 0);
}

static GType
fs_timeline_model_get_item_type (GListModel *model)
{
  return FS_TYPE_LIFELINE;
}

static guint
fs_timeline_model_get_n_items (GListModel *model)
{
  return FS_TIMELINE_MODEL (model)->rows->len;
}

static gpointer
fs_timeline_model_get_item (GListModel *model,
                            guint       position)
{
  FsTimelineModel *self = FS_TIMELINE_MODEL (model);

  if (position >= self->rows->len)
    return NULL;

  return g_object_ref (g_ptr_array_index (self->rows, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = fs_timeline_model_get_item_type;
  iface->get_n_items = fs_timeline_model_get_n_items;
  iface->get_item = fs_timeline_model_get_item;
}

static void
link_clear (gpointer data)
{
  FsLink *link = data;

  g_clear_object (&link->from);
  g_clear_object (&link->to);
  g_clear_object (&link->child);
}

static void
renumber (FsTimelineModel *self)
{
  if (!self->rows_dirty)
    return;

  for (guint i = 0; i < self->rows->len; i++)
    ((FsLifeline *)g_ptr_array_index (self->rows, i))->row = i;
  self->rows_dirty = FALSE;
}

/* One past the last row of @lifeline's subtree. */
static guint
subtree_end (FsTimelineModel *self,
             FsLifeline      *lifeline)
{
  guint i;

  renumber (self);
  for (i = lifeline->row + 1; i < self->rows->len; i++)
    {
      FsLifeline *row = g_ptr_array_index (self->rows, i);

      if (row->depth <= lifeline->depth)
        break;
    }

  return i;
}

static void
insert_lifeline (FsTimelineModel *self,
                 FsLifeline      *lifeline,
                 FsLifeline      *parent)
{
  guint position = parent != NULL ? subtree_end (self, parent) : self->rows->len;

  lifeline->parent = parent;
  lifeline->depth = parent != NULL ? parent->depth + 1 : 0;
  if (parent != NULL)
    parent->n_children++;

  g_ptr_array_insert (self->rows, position, g_object_ref (lifeline));
  self->rows_dirty = TRUE;

  if (lifeline->process != NULL)
    g_hash_table_insert (self->by_process, lifeline->process, lifeline);
  g_hash_table_insert (self->by_pid, GINT_TO_POINTER (lifeline->pid), lifeline);

  g_list_model_items_changed (G_LIST_MODEL (self), position, 0, 1);
}

static gboolean
is_ancestor (FsLifeline *ancestor,
             FsLifeline *lifeline)
{
  for (FsLifeline *l = lifeline; l != NULL; l = l->parent)
    if (l == ancestor)
      return TRUE;

  return FALSE;
}

/* Move @lifeline and its subtree under @parent (NULL: a root), as the
 * engine's tree does when a process is re-parented. */
static void
move_lifeline (FsTimelineModel *self,
               FsLifeline      *lifeline,
               FsLifeline      *parent)
{
  g_autoptr(GPtrArray) block = NULL;
  guint start, end, position;
  int delta;

  if (lifeline->parent == parent || (parent != NULL && is_ancestor (lifeline, parent)))
    return;

  renumber (self);
  start = lifeline->row;
  end = subtree_end (self, lifeline);

  block = g_ptr_array_new_full (end - start, g_object_unref);
  for (guint i = start; i < end; i++)
    g_ptr_array_add (block, g_object_ref (g_ptr_array_index (self->rows, i)));
  g_ptr_array_remove_range (self->rows, start, end - start);
  self->rows_dirty = TRUE;
  g_list_model_items_changed (G_LIST_MODEL (self), start, end - start, 0);

  if (lifeline->parent != NULL)
    lifeline->parent->n_children--;
  delta = (parent != NULL ? (int)parent->depth + 1 : 0) - (int)lifeline->depth;
  lifeline->parent = parent;
  if (parent != NULL)
    parent->n_children++;
  for (guint i = 0; i < block->len; i++)
    {
      FsLifeline *row = g_ptr_array_index (block, i);

      row->depth = (guint)((int)row->depth + delta);
    }

  position = parent != NULL ? subtree_end (self, parent) : self->rows->len;
  for (guint i = 0; i < block->len; i++)
    g_ptr_array_insert (self->rows, position + i, g_object_ref (g_ptr_array_index (block, i)));
  self->rows_dirty = TRUE;
  g_list_model_items_changed (G_LIST_MODEL (self), position, 0, block->len);
}

static void
add_link (FsTimelineModel *self,
          FsLinkKind       kind,
          gint64           time,
          FsLifeline      *from,
          FsLifeline      *to,
          FsLifeline      *child,
          int              from_pid,
          int              to_pid,
          gboolean         to_supervisor)
{
  FsLink link = { kind, time, NULL, NULL, NULL, from_pid, to_pid, to_supervisor };
  guint i = self->links->len;

  g_set_object (&link.from, from);
  g_set_object (&link.to, to);
  g_set_object (&link.child, child);

  while (i > 0 && g_array_index (self->links, FsLink, i - 1).time > time)
    i--;
  g_array_insert_val (self->links, i, link);
}

static FsLifeline *
lookup_pid (FsTimelineModel *self,
            int              pid)
{
  if (pid <= 0)
    return NULL;

  return g_hash_table_lookup (self->by_pid, GINT_TO_POINTER (pid));
}

static FsLifeline *ensure_process (FsTimelineModel *self,
                                   FsProcess       *process,
                                   gint64           time);

/* A new lifeline, under its parent's, running from @birth. */
static FsLifeline *
create_lifeline (FsTimelineModel *self,
                 FsProcess       *process,
                 int              pid,
                 int              ppid,
                 gint64           birth,
                 FsLinkKind       link_kind)
{
  g_autoptr(FsLifeline) lifeline = NULL;
  FsLifeline *parent = NULL;
  FsProcess *parent_process = process != NULL ? fs_process_get_parent (process) : NULL;

  if (process != NULL && fs_process_get_kind (process) == FS_PROCESS_KIND_SUPERVISOR)
    self->supervisor_pid = pid;

  /* The process that forked it: the scan may only see it after its parent
   * died and it was re-parented (lifecycle.orphan exits at once). */
  if (parent_process != NULL && fs_process_get_pid (parent_process) == ppid)
    parent = ensure_process (self, parent_process, birth);
  if (parent == NULL)
    parent = lookup_pid (self, ppid);
  if (parent == NULL && parent_process != NULL && ppid <= 0)
    {
      parent = ensure_process (self, parent_process, birth);
      ppid = parent->pid;
    }

  lifeline = fs_lifeline_new (process, pid, process != NULL ? fs_process_get_name (process) : NULL,
                              birth);
  lifeline->ppid = ppid;
  lifeline->birth_ppid = ppid;
  fs_lifeline_enter (lifeline, FS_SEGMENT_RUNNING, birth, 0);
  insert_lifeline (self, lifeline, parent);

  if (parent != NULL)
    add_link (self, link_kind, birth, parent, lifeline, lifeline, ppid, pid, FALSE);

  self->start_time = self->start_time == 0 ? birth : MIN (self->start_time, birth);

  return lifeline;
}

static FsLifeline *
ensure_process (FsTimelineModel *self,
                FsProcess       *process,
                gint64           time)
{
  FsLifeline *lifeline = g_hash_table_lookup (self->by_process, process);
  gint64 birth = fs_process_get_spawn_time (process);

  if (lifeline != NULL)
    return lifeline;

  if (birth <= 0 || birth > time)
    birth = time;

  return create_lifeline (self, process, fs_process_get_pid (process),
                          fs_process_get_ppid (process), birth,
                          fs_process_get_kind (process) == FS_PROCESS_KIND_WORKER
                          ? FS_LINK_SPAWN : FS_LINK_FORK);
}

static gboolean
variant_to_double (GVariant *value,
                   double   *out)
{
  if (value == NULL)
    return FALSE;

  if (g_variant_is_of_type (value, G_VARIANT_TYPE_DOUBLE))
    *out = g_variant_get_double (value);
  else if (g_variant_is_of_type (value, G_VARIANT_TYPE_INT32))
    *out = g_variant_get_int32 (value);
  else if (g_variant_is_of_type (value, G_VARIANT_TYPE_UINT32))
    *out = g_variant_get_uint32 (value);
  else if (g_variant_is_of_type (value, G_VARIANT_TYPE_INT64))
    *out = (double)g_variant_get_int64 (value);
  else if (g_variant_is_of_type (value, G_VARIANT_TYPE_UINT64))
    *out = (double)g_variant_get_uint64 (value);
  else if (g_variant_is_of_type (value, G_VARIANT_TYPE_INT16))
    *out = g_variant_get_int16 (value);
  else if (g_variant_is_of_type (value, G_VARIANT_TYPE_BYTE))
    *out = g_variant_get_byte (value);
  else if (g_variant_is_of_type (value, G_VARIANT_TYPE_BOOLEAN))
    *out = g_variant_get_boolean (value);
  else
    return FALSE;

  return TRUE;
}

/* Event fields are a{sv}; accept any numeric type, so the model does not
 * depend on how the engine happens to encode a number. */
static gboolean
lookup_number (FsEvent    *event,
               const char *key,
               double     *out)
{
  g_autoptr(GVariant) value = NULL;

  if (event->fields == NULL)
    return FALSE;

  value = g_variant_lookup_value (event->fields, key, NULL);
  if (value != NULL && g_variant_is_of_type (value, G_VARIANT_TYPE_VARIANT))
    {
      g_autoptr(GVariant) inner = g_variant_get_variant (value);

      return variant_to_double (inner, out);
    }

  return variant_to_double (value, out);
}

static gboolean
lookup_int (FsEvent    *event,
            const char *key,
            int        *out)
{
  double value;

  if (!lookup_number (event, key, &value))
    return FALSE;

  *out = (int)value;
  return TRUE;
}

static const char *
lookup_string (FsEvent    *event,
               const char *key)
{
  const char *value = NULL;

  if (event->fields == NULL || !g_variant_lookup (event->fields, key, "&s", &value))
    return NULL;

  return value;
}

static int
event_pid (FsEvent *event)
{
  if (event->pid > 0)
    return event->pid;
  if (event->process != NULL)
    return fs_process_get_pid (event->process);

  return 0;
}

static int
event_ppid (FsEvent *event)
{
  if (event->ppid > 0)
    return event->ppid;
  if (event->process != NULL)
    return fs_process_get_ppid (event->process);

  return 0;
}

/* The lifeline an event is about, created if this is the first we hear of
 * the process (a scan may report a state before "appeared", and a model
 * attached late meets processes mid-life). */
static FsLifeline *
lifeline_for_event (FsTimelineModel *self,
                    FsEvent         *event,
                    FsLinkKind       link_kind)
{
  FsLifeline *lifeline = NULL;
  int pid = event_pid (event);
  int ppid = event_ppid (event);
  gint64 birth = event->time;

  if (event->process != NULL)
    lifeline = g_hash_table_lookup (self->by_process, event->process);
  else
    {
      lifeline = lookup_pid (self, pid);
      /* A pid that was reaped and now names somebody else. */
      if (lifeline != NULL && !fs_lifeline_is_open (lifeline) &&
          (event->kind == FS_EVENT_SPAWNED || event->kind == FS_EVENT_APPEARED))
        lifeline = NULL;
    }

  if (lifeline != NULL)
    return lifeline;

  if (pid <= 0)
    return NULL;

  if (event->process != NULL)
    {
      gint64 spawn_time = fs_process_get_spawn_time (event->process);
      int birth_ppid = fs_process_get_birth_ppid (event->process);

      if (spawn_time > 0 && spawn_time <= event->time)
        birth = spawn_time;
      if (birth_ppid > 0)
        ppid = birth_ppid;
    }
  if (link_kind == FS_LINK_FORK)
    {
      int birth_ppid;

      if (lookup_int (event, "birth_ppid", &birth_ppid) && birth_ppid > 0)
        ppid = birth_ppid;
    }

  return create_lifeline (self, event->process, pid, ppid, birth, link_kind);
}

static FsLink *
last_reparent_link (FsTimelineModel *self,
                    FsLifeline      *child)
{
  for (guint i = self->links->len; i > 0; i--)
    {
      FsLink *link = &g_array_index (self->links, FsLink, i - 1);

      if (link->kind == FS_LINK_REPARENT && link->child == child)
        return link;
    }

  return NULL;
}

static void
reparent (FsTimelineModel *self,
          FsLifeline      *lifeline,
          int              from_pid,
          int              to_pid,
          gint64           time,
          gboolean         adopted)
{
  FsLifeline *from;
  FsLifeline *to;
  FsLink *last = last_reparent_link (self, lifeline);
  gboolean to_supervisor;

  if (to_pid <= 0 && adopted)
    to_pid = self->supervisor_pid;
  if (to_pid <= 0)
    return;
  to_supervisor = adopted || (self->supervisor_pid > 0 && to_pid == self->supervisor_pid);

  /* "reparented" and "adopted" describe the same change: one link. */
  if (last != NULL && last->to_pid == to_pid && lifeline->ppid == to_pid)
    {
      last->to_supervisor |= to_supervisor;
      return;
    }
  if (lifeline->ppid == to_pid && from_pid <= 0)
    return;

  if (from_pid <= 0)
    from_pid = lifeline->ppid;
  from = lifeline->parent != NULL && lifeline->parent->pid == from_pid
    ? lifeline->parent : lookup_pid (self, from_pid);
  to = lookup_pid (self, to_pid);
  if (to == lifeline || (to != NULL && is_ancestor (lifeline, to)))
    to = NULL;

  add_link (self, FS_LINK_REPARENT, time, from, to, lifeline, from_pid, to_pid, to_supervisor);
  lifeline->ppid = to_pid;
  lifeline->last_time = MAX (lifeline->last_time, time);

  /* An adopter outside the family (PID 1, systemd --user) has no row: the
   * orphan keeps its place, and the link names the adopter. */
  if (to != NULL)
    move_lifeline (self, lifeline, to);
}

static FsLifelineEnd
classify_reaper (FsTimelineModel *self,
                 FsLifeline      *lifeline,
                 int              reaper)
{
  if (reaper <= 0)
    return FS_LIFELINE_END_UNKNOWN;
  if (self->supervisor_pid > 0 && reaper == self->supervisor_pid)
    return FS_LIFELINE_END_SUPERVISOR;
  if (reaper == lifeline->birth_ppid)
    return FS_LIFELINE_END_PARENT;

  return FS_LIFELINE_END_ADOPTER;
}

static void
set_exit_code (FsLifeline *lifeline,
               FsEvent    *event)
{
  int code;

  if (lookup_int (event, "exitcode", &code))
    {
      lifeline->has_exit_code = TRUE;
      lifeline->exit_code = code;
    }
  else if (event->process != NULL && fs_process_get_has_exit_status (event->process))
    {
      lifeline->has_exit_code = TRUE;
      lifeline->exit_code = fs_process_get_exit_code (event->process);
    }
}

static void
record_exit (FsTimelineModel *self,
             FsLifeline      *lifeline,
             FsEvent         *event)
{
  int must_reap = event_ppid (event);

  if (must_reap <= 0)
    must_reap = lifeline->ppid;
  set_exit_code (lifeline, event);
  fs_lifeline_enter (lifeline, FS_SEGMENT_ZOMBIE, event->time, must_reap);
}

static void
record_end (FsTimelineModel *self,
            FsLifeline      *lifeline,
            FsEvent         *event)
{
  int reaper = 0;

  if (!lookup_int (event, "reaper", &reaper) || reaper <= 0)
    {
      if (event->process != NULL)
        reaper = fs_process_get_reaper_pid (event->process);
    }
  /* Only a parent can reap: if nobody said who did, it was the parent of
   * the moment (the one the zombie was waiting for). */
  if (reaper <= 0 && lifeline->segments->len > 0)
    {
      const FsSegment *last = &g_array_index (lifeline->segments, FsSegment,
                                              lifeline->segments->len - 1);

      if (last->kind == FS_SEGMENT_ZOMBIE)
        reaper = last->reaper_pid;
    }
  if (reaper <= 0 && event->kind == FS_EVENT_REAPED)
    reaper = self->supervisor_pid;
  if (reaper <= 0)
    reaper = event_ppid (event);

  set_exit_code (lifeline, event);
  /* Reaped without an exit seen first (the auto policy reaps at once): the
   * zombie interval is empty, but it existed. */
  if (lifeline->segments->len > 0 &&
      g_array_index (lifeline->segments, FsSegment, lifeline->segments->len - 1).kind != FS_SEGMENT_ZOMBIE)
    fs_lifeline_enter (lifeline, FS_SEGMENT_ZOMBIE, event->time, reaper);
  fs_lifeline_finish (lifeline, event->time, classify_reaper (self, lifeline, reaper), reaper);
}

static void
record_state (FsTimelineModel *self,
              FsLifeline      *lifeline,
              FsEvent         *event)
{
  const char *state = lookup_string (event, "state");

  if (state == NULL && event->process != NULL)
    state = fs_process_state_to_string (fs_process_get_state (event->process));
  if (state == NULL)
    return;

  if (g_str_equal (state, "running") || g_str_equal (state, "sleeping"))
    fs_lifeline_enter (lifeline, FS_SEGMENT_RUNNING, event->time, 0);
  else if (g_str_equal (state, "stopped"))
    fs_lifeline_enter (lifeline, FS_SEGMENT_STOPPED, event->time, 0);
  else if (g_str_equal (state, "zombie"))
    record_exit (self, lifeline, event);
  else if (g_str_equal (state, "reaped") || g_str_equal (state, "gone"))
    record_end (self, lifeline, event);
}

static void
record_signal (FsTimelineModel *self,
               FsLifeline      *lifeline,
               FsEvent         *event)
{
  FsMark mark = { FS_MARK_SIGNAL, event->time, event->time, 0, FALSE, -1, FS_JOIN_PENDING, 0 };
  const char *name;
  int group = 0;

  if (!lookup_int (event, "signal", &mark.signum) &&
      (name = lookup_string (event, "signal")) != NULL)
    {
      /* "SIGTERM", "TERM" or "15". */
      if (g_ascii_isdigit (name[0]))
        mark.signum = atoi (name);
      else
        {
          if (g_str_has_prefix (name, "SIG"))
            name += 3;
          for (int i = 1; i < 65; i++)
            {
              const char *abbrev = sigabbrev_np (i);

              if (abbrev != NULL && g_ascii_strcasecmp (abbrev, name) == 0)
                {
                  mark.signum = i;
                  break;
                }
            }
        }
    }
  if (lookup_int (event, "group", &group))
    mark.group = group != 0;

  fs_lifeline_add_mark (lifeline, &mark);
}

static void
record_join (FsTimelineModel *self,
             FsLifeline      *lifeline,
             FsEvent         *event)
{
  FsMark *pending = fs_lifeline_pending_join (lifeline);
  double timeout = -1;

  if (event->kind == FS_EVENT_JOIN_STARTED)
    {
      FsMark mark = { FS_MARK_JOIN, event->time, FS_TIMELINE_OPEN, 0, FALSE, -1, FS_JOIN_PENDING, 0 };

      if (lookup_number (event, "timeout", &timeout))
        mark.timeout = timeout;
      fs_lifeline_add_mark (lifeline, &mark);
      return;
    }

  /* A join that returned without our seeing it start (a model attached
   * mid-call): an empty bracket still says it happened. */
  if (pending == NULL)
    {
      FsMark mark = { FS_MARK_JOIN, event->time, FS_TIMELINE_OPEN, 0, FALSE, -1, FS_JOIN_PENDING, 0 };

      if (lookup_number (event, "timeout", &timeout))
        mark.timeout = timeout;
      pending = fs_lifeline_add_mark (lifeline, &mark);
    }

  pending->end = MAX (event->time, pending->time);
  lifeline->last_time = MAX (lifeline->last_time, pending->end);
  if (event->kind == FS_EVENT_JOINED)
    {
      int code;

      pending->outcome = FS_JOIN_JOINED;
      if (lookup_int (event, "exitcode", &code))
        pending->exit_code = code;
      else if (lifeline->has_exit_code)
        pending->exit_code = lifeline->exit_code;
    }
  else
    pending->outcome = FS_JOIN_TIMED_OUT;
}

static void
remove_row (FsTimelineModel *self,
            guint            position)
{
  FsLifeline *lifeline = g_ptr_array_index (self->rows, position);

  if (lifeline->parent != NULL)
    lifeline->parent->n_children--;
  if (lifeline->process != NULL &&
      g_hash_table_lookup (self->by_process, lifeline->process) == lifeline)
    g_hash_table_remove (self->by_process, lifeline->process);
  if (g_hash_table_lookup (self->by_pid, GINT_TO_POINTER (lifeline->pid)) == lifeline)
    g_hash_table_remove (self->by_pid, GINT_TO_POINTER (lifeline->pid));
  lifeline->parent = NULL;

  g_ptr_array_remove_index (self->rows, position);
  self->rows_dirty = TRUE;
  g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);
}

static void
prune (FsTimelineModel *self,
       gint64           horizon)
{
  guint n_links = 0;

  /* Backwards: children come after their parents, so a parent whose last
   * child goes is itself considered in the same pass. */
  for (guint i = self->rows->len; i > 0; i--)
    {
      FsLifeline *lifeline = g_ptr_array_index (self->rows, i - 1);

      if (!fs_lifeline_is_open (lifeline) && lifeline->end_time < horizon &&
          lifeline->n_children == 0)
        remove_row (self, i - 1);
      else
        fs_lifeline_trim (lifeline, horizon);
    }

  while (n_links < self->links->len && g_array_index (self->links, FsLink, n_links).time < horizon)
    n_links++;
  if (n_links > 0)
    g_array_remove_range (self->links, 0, n_links);

  self->start_time = MAX (self->start_time, horizon);
  renumber (self);
}

static void
maybe_prune (FsTimelineModel *self)
{
  gint64 horizon = self->last_time - self->history;

  /* Prune in steps of a twentieth of the history, not on every event. */
  if (self->start_time > 0 && horizon - self->start_time > self->history / 20)
    prune (self, horizon);
}

void
fs_timeline_model_add_event (FsTimelineModel *self,
                             FsEvent         *event)
{
  FsLifeline *lifeline = NULL;

  g_return_if_fail (FS_IS_TIMELINE_MODEL (self));
  g_return_if_fail (event != NULL);

  switch (event->kind)
    {
    case FS_EVENT_SPAWNED:
      lifeline = lifeline_for_event (self, event, FS_LINK_SPAWN);
      break;

    case FS_EVENT_APPEARED:
      lifeline = lifeline_for_event (self, event, FS_LINK_FORK);
      /* Seen only after its parent died: it was born under one parent and
       * lives under another. */
      if (lifeline != NULL && event_ppid (event) > 0 && event_ppid (event) != lifeline->ppid)
        reparent (self, lifeline, lifeline->ppid, event_ppid (event), event->time, FALSE);
      break;

    case FS_EVENT_STATE:
      if ((lifeline = lifeline_for_event (self, event, FS_LINK_FORK)) != NULL)
        record_state (self, lifeline, event);
      break;

    case FS_EVENT_EXITED:
      if ((lifeline = lifeline_for_event (self, event, FS_LINK_FORK)) != NULL)
        record_exit (self, lifeline, event);
      break;

    case FS_EVENT_REAPED:
    case FS_EVENT_GONE:
      if ((lifeline = lifeline_for_event (self, event, FS_LINK_FORK)) != NULL)
        record_end (self, lifeline, event);
      break;

    case FS_EVENT_REPARENTED:
    case FS_EVENT_ADOPTED:
      if ((lifeline = lifeline_for_event (self, event, FS_LINK_FORK)) != NULL)
        {
          int from = 0;
          int to = 0;

          lookup_int (event, "from", &from);
          if (!lookup_int (event, "to", &to) || to <= 0)
            to = event_ppid (event);
          reparent (self, lifeline, from, to, event->time, event->kind == FS_EVENT_ADOPTED);
        }
      break;

    case FS_EVENT_SIGNALLED:
      if ((lifeline = lifeline_for_event (self, event, FS_LINK_FORK)) != NULL)
        record_signal (self, lifeline, event);
      break;

    case FS_EVENT_JOIN_STARTED:
    case FS_EVENT_JOINED:
    case FS_EVENT_JOIN_TIMED_OUT:
      if ((lifeline = lifeline_for_event (self, event, FS_LINK_SPAWN)) != NULL)
        record_join (self, lifeline, event);
      break;

    case FS_EVENT_OUTPUT:
    case FS_EVENT_ERROR:
    case FS_EVENT_SAY:
    case FS_EVENT_EXPECT:
    case FS_EVENT_POLICY:
    default:
      /* Not part of a lifeline. */
      return;
    }

  if (lifeline == NULL)
    return;

  if (self->origin == 0)
    self->origin = event->time;
  if (self->start_time == 0)
    self->start_time = event->time;
  self->last_time = MAX (self->last_time, event->time);

  maybe_prune (self);
  renumber (self);
  emit_changed (self);
}

FsLifeline *
fs_timeline_model_add_process (FsTimelineModel *self,
                               FsProcess       *process,
                               gint64           time)
{
  FsLifeline *lifeline;

  g_return_val_if_fail (FS_IS_TIMELINE_MODEL (self), NULL);
  g_return_val_if_fail (FS_IS_PROCESS (process), NULL);

  lifeline = ensure_process (self, process, time);
  if (self->origin == 0)
    self->origin = time;
  self->last_time = MAX (self->last_time, time);
  renumber (self);
  emit_changed (self);

  return lifeline;
}

static void
engine_event_cb (FsTimelineModel *self,
                 FsEvent         *event)
{
  fs_timeline_model_add_event (self, event);
}

static void
drop_orphaned_links (FsTimelineModel *self)
{
  renumber (self);
  for (guint i = self->links->len; i > 0; i--)
    {
      FsLink *link = &g_array_index (self->links, FsLink, i - 1);

      if (fs_timeline_model_get_row (self, link->child) < 0)
        g_array_remove_index (self->links, i - 1);
    }
}

/* The engine dropped processes from its models (Clear Finished): forget
 * their lifelines too, so that the tree and the timeline show the same
 * family. What the engine keeps (a finished parent with a live orphan
 * below it) stays; so do lifelines still open, whatever the engine says. */
static void
engine_processes_changed_cb (FsTimelineModel *self,
                             guint            position,
                             guint            removed,
                             guint            added,
                             GListModel      *processes)
{
  g_autoptr(GHashTable) present = NULL;
  guint n;
  gboolean forgot = FALSE;

  if (removed == 0)
    return;

  present = g_hash_table_new (NULL, NULL);
  n = g_list_model_get_n_items (processes);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(FsProcess) process = g_list_model_get_item (processes, i);

      /* The list keeps it alive: the pointer is enough. */
      g_hash_table_add (present, process);
    }

  /* Backwards: children come after their parents, so a parent whose rows
   * below all go is itself considered in the same pass. */
  for (guint i = self->rows->len; i > 0; i--)
    {
      FsLifeline *lifeline = g_ptr_array_index (self->rows, i - 1);

      if (fs_lifeline_is_open (lifeline) || lifeline->n_children > 0)
        continue;
      if (lifeline->process != NULL && g_hash_table_contains (present, lifeline->process))
        continue;

      remove_row (self, i - 1);
      forgot = TRUE;
    }

  if (!forgot)
    return;

  drop_orphaned_links (self);
  renumber (self);
  emit_changed (self);
}

/* Replay what a process's properties already tell, for a model attached to
 * an engine that has been running for a while. */
static void
add_existing (FsTimelineModel *self,
              FsProcess       *process,
              gint64           now)
{
  FsLifeline *lifeline = g_hash_table_lookup (self->by_process, process);
  gint64 exit_time = fs_process_get_exit_time (process);
  gint64 reap_time = fs_process_get_reap_time (process);
  FsProcessState state = fs_process_get_state (process);

  if (lifeline != NULL || state == FS_PROCESS_STATE_CREATED)
    return;

  lifeline = ensure_process (self, process, now);
  if (state == FS_PROCESS_STATE_STOPPED)
    fs_lifeline_enter (lifeline, FS_SEGMENT_STOPPED, now, 0);
  if (exit_time > 0 || state == FS_PROCESS_STATE_ZOMBIE)
    fs_lifeline_enter (lifeline, FS_SEGMENT_ZOMBIE, exit_time > 0 ? exit_time : now,
                       fs_process_get_ppid (process));
  if (fs_process_get_has_exit_status (process))
    {
      lifeline->has_exit_code = TRUE;
      lifeline->exit_code = fs_process_get_exit_code (process);
    }
  if (state == FS_PROCESS_STATE_REAPED || state == FS_PROCESS_STATE_GONE)
    {
      int reaper = fs_process_get_reaper_pid (process);

      fs_lifeline_finish (lifeline, reap_time > 0 ? reap_time : now,
                          classify_reaper (self, lifeline, reaper), reaper);
    }
}

void
fs_timeline_model_set_engine (FsTimelineModel *self,
                              FsEngine        *engine)
{
  g_return_if_fail (FS_IS_TIMELINE_MODEL (self));
  g_return_if_fail (engine == NULL || FS_IS_ENGINE (engine));

  if (self->engine == engine)
    return;

  if (self->engine != NULL)
    g_signal_handlers_disconnect_by_func (self->engine, engine_event_cb, self);
  if (self->processes != NULL)
    g_signal_handlers_disconnect_by_func (self->processes, engine_processes_changed_cb, self);
  g_clear_object (&self->processes);
  g_set_object (&self->engine, engine);

  if (engine != NULL)
    {
      FsProcess *supervisor = fs_engine_get_supervisor (engine);
      GListModel *processes = fs_engine_get_processes (engine);
      gint64 now = g_get_monotonic_time ();

      if (fs_engine_get_origin (engine) > 0)
        self->origin = fs_engine_get_origin (engine);
      if (supervisor != NULL && fs_process_get_pid (supervisor) > 0)
        {
          self->supervisor_pid = fs_process_get_pid (supervisor);
          ensure_process (self, supervisor, now);
        }
      for (guint i = 0; processes != NULL && i < g_list_model_get_n_items (processes); i++)
        {
          g_autoptr(FsProcess) process = g_list_model_get_item (processes, i);

          if (fs_process_get_pid (process) > 0)
            add_existing (self, process, now);
        }
      self->last_time = MAX (self->last_time, now);
      renumber (self);

      g_signal_connect_object (engine, "event", G_CALLBACK (engine_event_cb), self,
                               G_CONNECT_SWAPPED);
      if (processes != NULL)
        {
          self->processes = g_object_ref (processes);
          g_signal_connect_object (processes, "items-changed",
                                   G_CALLBACK (engine_processes_changed_cb), self,
                                   G_CONNECT_SWAPPED);
        }
      emit_changed (self);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENGINE]);
}

FsEngine *
fs_timeline_model_get_engine (FsTimelineModel *self)
{
  g_return_val_if_fail (FS_IS_TIMELINE_MODEL (self), NULL);

  return self->engine;
}

GListModel *
fs_timeline_model_get_lifelines (FsTimelineModel *self)
{
  g_return_val_if_fail (FS_IS_TIMELINE_MODEL (self), NULL);

  return G_LIST_MODEL (self);
}

FsLifeline *
fs_timeline_model_peek (FsTimelineModel *self,
                        guint            position)
{
  g_return_val_if_fail (FS_IS_TIMELINE_MODEL (self), NULL);

  if (position >= self->rows->len)
    return NULL;

  return g_ptr_array_index (self->rows, position);
}

int
fs_timeline_model_get_row (FsTimelineModel *self,
                           FsLifeline      *lifeline)
{
  g_return_val_if_fail (FS_IS_TIMELINE_MODEL (self), -1);

  if (lifeline == NULL)
    return -1;

  renumber (self);
  if (lifeline->row < self->rows->len && g_ptr_array_index (self->rows, lifeline->row) == lifeline)
    return (int)lifeline->row;

  return -1;
}

FsLifeline *
fs_timeline_model_lookup_process (FsTimelineModel *self,
                                  FsProcess       *process)
{
  g_return_val_if_fail (FS_IS_TIMELINE_MODEL (self), NULL);

  if (process == NULL)
    return NULL;

  return g_hash_table_lookup (self->by_process, process);
}

FsLifeline *
fs_timeline_model_lookup_pid (FsTimelineModel *self,
                              int              pid)
{
  g_return_val_if_fail (FS_IS_TIMELINE_MODEL (self), NULL);

  return lookup_pid (self, pid);
}

guint
fs_timeline_model_get_n_links (FsTimelineModel *self)
{
  g_return_val_if_fail (FS_IS_TIMELINE_MODEL (self), 0);

  return self->links->len;
}

const FsLink *
fs_timeline_model_get_link (FsTimelineModel *self,
                            guint            index)
{
  g_return_val_if_fail (FS_IS_TIMELINE_MODEL (self), NULL);
  g_return_val_if_fail (index < self->links->len, NULL);

  return &g_array_index (self->links, FsLink, index);
}

guint
fs_timeline_model_find_link (FsTimelineModel *self,
                             gint64           time)
{
  guint lo = 0;
  guint hi;

  g_return_val_if_fail (FS_IS_TIMELINE_MODEL (self), 0);

  hi = self->links->len;
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (g_array_index (self->links, FsLink, mid).time < time)
        lo = mid + 1;
      else
        hi = mid;
    }

  return lo;
}

gint64
fs_timeline_model_get_origin (FsTimelineModel *self)
{
  g_return_val_if_fail (FS_IS_TIMELINE_MODEL (self), 0);

  return self->origin;
}

void
fs_timeline_model_set_origin (FsTimelineModel *self,
                              gint64           origin)
{
  g_return_if_fail (FS_IS_TIMELINE_MODEL (self));

  if (self->origin == origin)
    return;

  self->origin = origin;
  emit_changed (self);
}

gint64
fs_timeline_model_get_start_time (FsTimelineModel *self)
{
  g_return_val_if_fail (FS_IS_TIMELINE_MODEL (self), 0);

  return self->start_time;
}

gint64
fs_timeline_model_get_last_time (FsTimelineModel *self)
{
  g_return_val_if_fail (FS_IS_TIMELINE_MODEL (self), 0);

  return self->last_time;
}

gint64
fs_timeline_model_get_history (FsTimelineModel *self)
{
  g_return_val_if_fail (FS_IS_TIMELINE_MODEL (self), 0);

  return self->history;
}

void
fs_timeline_model_set_history (FsTimelineModel *self,
                               gint64           history)
{
  g_return_if_fail (FS_IS_TIMELINE_MODEL (self));
  g_return_if_fail (history > 0);

  if (self->history == history)
    return;

  self->history = history;
  if (self->last_time > 0)
    prune (self, self->last_time - history);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HISTORY]);
  emit_changed (self);
}

gboolean
fs_timeline_model_is_supervisor (FsTimelineModel *self,
                                 FsLifeline      *lifeline)
{
  g_return_val_if_fail (FS_IS_TIMELINE_MODEL (self), FALSE);
  g_return_val_if_fail (FS_IS_LIFELINE (lifeline), FALSE);

  if (lifeline->process != NULL)
    return fs_process_get_kind (lifeline->process) == FS_PROCESS_KIND_SUPERVISOR;

  return self->supervisor_pid > 0 && lifeline->pid == self->supervisor_pid && lifeline->depth == 0;
}

typedef struct
{
  gint64 start;
  gint64 end;
} Interval;

static int
compare_intervals (gconstpointer a,
                   gconstpointer b)
{
  const Interval *ia = a;
  const Interval *ib = b;

  return ia->start < ib->start ? -1 : ia->start > ib->start;
}

static void
update_activity (FsTimelineModel *self)
{
  g_autoptr(GArray) intervals = NULL;
  gint64 group_end = 0;

  if (self->activity_valid)
    return;

  self->activity_valid = TRUE;
  self->has_activity = FALSE;
  self->live = FALSE;
  self->episode_start = 0;
  self->activity_end = 0;

  /* The supervisor lives as long as the app: its line says nothing about
   * what is going on. */
  intervals = g_array_sized_new (FALSE, FALSE, sizeof (Interval), self->rows->len);
  for (guint i = 0; i < self->rows->len; i++)
    {
      FsLifeline *lifeline = g_ptr_array_index (self->rows, i);
      Interval interval = { lifeline->birth, lifeline->last_time };

      if (fs_timeline_model_is_supervisor (self, lifeline))
        continue;

      if (fs_lifeline_is_open (lifeline))
        {
          interval.end = G_MAXINT64;
          self->live = TRUE;
        }
      else
        interval.end = MAX (interval.end, lifeline->end_time);
      if (interval.end != G_MAXINT64)
        self->activity_end = MAX (self->activity_end, interval.end);
      g_array_append_val (intervals, interval);
    }

  if (intervals->len == 0)
    return;

  /* Lifelines that overlap, or follow each other within a short pause,
   * are one episode (a lesson, a few workers started together); a longer
   * quiet time starts a new one. */
  g_array_sort (intervals, compare_intervals);
  for (guint i = 0; i < intervals->len; i++)
    {
      const Interval *interval = &g_array_index (intervals, Interval, i);

      if (i == 0 || (group_end != G_MAXINT64 && interval->start - group_end > FS_TIMELINE_EPISODE_GAP))
        {
          self->episode_start = interval->start;
          group_end = interval->end;
        }
      else
        group_end = MAX (group_end, interval->end);
    }
  self->has_activity = TRUE;
}

gboolean
fs_timeline_model_get_activity (FsTimelineModel *self,
                                gint64          *start,
                                gint64          *end,
                                gboolean        *live)
{
  g_return_val_if_fail (FS_IS_TIMELINE_MODEL (self), FALSE);

  update_activity (self);
  if (start != NULL)
    *start = self->episode_start;
  if (end != NULL)
    *end = self->activity_end;
  if (live != NULL)
    *live = self->live;

  return self->has_activity;
}

int
fs_timeline_model_get_supervisor_pid (FsTimelineModel *self)
{
  g_return_val_if_fail (FS_IS_TIMELINE_MODEL (self), 0);

  return self->supervisor_pid;
}

void
fs_timeline_model_clear (FsTimelineModel *self)
{
  guint n;

  g_return_if_fail (FS_IS_TIMELINE_MODEL (self));

  n = self->rows->len;
  g_array_set_size (self->links, 0);
  g_hash_table_remove_all (self->by_process);
  g_hash_table_remove_all (self->by_pid);
  g_ptr_array_set_size (self->rows, 0);
  self->start_time = 0;
  self->last_time = 0;
  if (n > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, n, 0);
  emit_changed (self);
}

FsTimelineModel *
fs_timeline_model_new (void)
{
  return g_object_new (FS_TYPE_TIMELINE_MODEL, NULL);
}

static void
fs_timeline_model_dispose (GObject *object)
{
  FsTimelineModel *self = (FsTimelineModel *)object;

  if (self->engine != NULL)
    g_signal_handlers_disconnect_by_func (self->engine, engine_event_cb, self);
  g_clear_object (&self->engine);
  if (self->processes != NULL)
    g_signal_handlers_disconnect_by_func (self->processes, engine_processes_changed_cb, self);
  g_clear_object (&self->processes);
  if (self->links != NULL)
    g_array_set_size (self->links, 0);
  if (self->by_process != NULL)
    g_hash_table_remove_all (self->by_process);
  if (self->by_pid != NULL)
    g_hash_table_remove_all (self->by_pid);
  if (self->rows != NULL)
    g_ptr_array_set_size (self->rows, 0);

  G_OBJECT_CLASS (fs_timeline_model_parent_class)->dispose (object);
}

static void
fs_timeline_model_finalize (GObject *object)
{
  FsTimelineModel *self = (FsTimelineModel *)object;

  g_clear_pointer (&self->links, g_array_unref);
  g_clear_pointer (&self->by_process, g_hash_table_unref);
  g_clear_pointer (&self->by_pid, g_hash_table_unref);
  g_clear_pointer (&self->rows, g_ptr_array_unref);

  G_OBJECT_CLASS (fs_timeline_model_parent_class)->finalize (object);
}

static void
fs_timeline_model_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  FsTimelineModel *self = FS_TIMELINE_MODEL (object);

  switch (prop_id)
    {
    case PROP_HISTORY:
      g_value_set_int64 (value, self->history);
      break;

    case PROP_ENGINE:
      g_value_set_object (value, self->engine);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fs_timeline_model_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  FsTimelineModel *self = FS_TIMELINE_MODEL (object);

  switch (prop_id)
    {
    case PROP_HISTORY:
      fs_timeline_model_set_history (self, g_value_get_int64 (value));
      break;

    case PROP_ENGINE:
      fs_timeline_model_set_engine (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fs_timeline_model_class_init (FsTimelineModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = fs_timeline_model_dispose;
  object_class->finalize = fs_timeline_model_finalize;
  object_class->get_property = fs_timeline_model_get_property;
  object_class->set_property = fs_timeline_model_set_property;

  properties[PROP_HISTORY] =
    g_param_spec_int64 ("history", NULL, NULL,
                        1, G_MAXINT64, FS_TIMELINE_MODEL_DEFAULT_HISTORY,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_ENGINE] =
    g_param_spec_object ("engine", NULL, NULL,
                         FS_TYPE_ENGINE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
fs_timeline_model_init (FsTimelineModel *self)
{
  self->rows = g_ptr_array_new_with_free_func (g_object_unref);
  self->by_process = g_hash_table_new (NULL, NULL);
  self->by_pid = g_hash_table_new (NULL, NULL);
  self->links = g_array_new (FALSE, TRUE, sizeof (FsLink));
  g_array_set_clear_func (self->links, link_clear);
  self->history = FS_TIMELINE_MODEL_DEFAULT_HISTORY;
}
