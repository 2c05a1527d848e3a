/* test-timeline.c
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <signal.h>
#include <string.h>

#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <adwaita.h>
#include <pango/pangocairo.h>

#include "fs-engine.h"
#include "fs-paths.h"
#include "fs-plugin-info.h"
#include "fs-timeline-pane.h"
#include "fs-window.h"
#include "fs-timeline.h"
#include "fs-timeline-model.h"
#include "fs-timeline-painter.h"

#define S(seconds) ((gint64)((seconds) * G_USEC_PER_SEC))
/* The scripted family lives a little in the past: times are on the
 * monotonic clock, and the widget draws up to "now". */
#define T0 t0

static gint64 t0;

/* ---- building blocks ---------------------------------------------------- */

static FsProcess *
make_process (guint          id,
              FsProcessKind  kind,
              const char    *name,
              int            pid,
              int            ppid,
              FsProcess     *parent)
{
  FsProcess *process = fs_process_new (id, kind);
  GVariantBuilder facts;

  g_variant_builder_init (&facts, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&facts, "{sv}", "name", g_variant_new_string (name));
  g_variant_builder_add (&facts, "{sv}", "pid", g_variant_new_int32 (pid));
  g_variant_builder_add (&facts, "{sv}", "ppid", g_variant_new_int32 (ppid));
  g_variant_builder_add (&facts, "{sv}", "birth-ppid", g_variant_new_int32 (ppid));
  fs_process_apply (process, g_variant_builder_end (&facts));
  if (parent != NULL)
    fs_process_set_parent (process, parent);

  return process;
}

static void
set_ppid (FsProcess *process,
          int        ppid,
          FsProcess *parent)
{
  fs_process_apply (process, g_variant_new_parsed ("{'ppid': <int32 %i>}", ppid));
  if (parent != NULL)
    fs_process_set_parent (process, parent);
}

/* Feed one event; @fields is GVariant text ("{'reaper': <int32 10>}") or NULL. */
static void
feed (FsTimelineModel *model,
      FsEventKind      kind,
      gint64           time,
      FsProcess       *process,
      const char      *fields)
{
  g_autoptr(FsEvent) event = fs_event_new (kind, time, process,
                                           fields != NULL ? g_variant_new_parsed (fields) : NULL);

  fs_timeline_model_add_event (model, event);
}

static FsLifeline *
lifeline_of (FsTimelineModel *model,
             FsProcess       *process)
{
  FsLifeline *lifeline = fs_timeline_model_lookup_process (model, process);

  g_assert_nonnull (lifeline);
  return lifeline;
}

static void
assert_segment (FsLifeline    *lifeline,
                guint          index,
                FsSegmentKind  kind,
                gint64         start,
                gint64         end)
{
  const FsSegment *segment;

  g_assert_cmpuint (index, <, fs_lifeline_get_n_segments (lifeline));
  segment = fs_lifeline_get_segment (lifeline, index);
  g_assert_cmpstr (fs_segment_kind_to_string (segment->kind), ==, fs_segment_kind_to_string (kind));
  g_assert_cmpint (segment->start, ==, start);
  g_assert_cmpint (segment->end, ==, end);
}

static const FsLink *
find_link (FsTimelineModel *model,
           FsLinkKind       kind,
           FsLifeline      *child)
{
  const FsLink *found = NULL;

  for (guint i = 0; i < fs_timeline_model_get_n_links (model); i++)
    {
      const FsLink *link = fs_timeline_model_get_link (model, i);

      if (link->kind == kind && (link->child == child || (kind != FS_LINK_REPARENT && link->to == child)))
        {
          /* Exactly one link of each kind per child. */
          g_assert_null (found);
          found = link;
        }
    }

  return found;
}

/* A model that mirrors the list through items-changed, to check that the
 * signal describes every change exactly. */
static void
mirror_items_changed_cb (GListModel *model,
                         guint       position,
                         guint       removed,
                         guint       added,
                         GPtrArray  *mirror)
{
  g_ptr_array_remove_range (mirror, position, removed);
  for (guint i = 0; i < added; i++)
    g_ptr_array_insert (mirror, position + i, g_list_model_get_item (model, position + i));
}

static void
assert_mirror (GListModel *model,
               GPtrArray  *mirror)
{
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, mirror->len);
  for (guint i = 0; i < mirror->len; i++)
    {
      g_autoptr(FsLifeline) item = g_list_model_get_item (model, i);

      g_assert_true (item == g_ptr_array_index (mirror, i));
    }
}

/* ---- the scripted family ------------------------------------------------ */

typedef struct
{
  FsTimelineModel *model;
  FsProcess       *supervisor;  /* PID 10 */
  FsProcess       *worker;      /* PID 100: stopped, signalled, joined, zombie */
  FsProcess       *adopted;     /* PID 101: forked by the worker, adopted by the supervisor */
  FsProcess       *to_init;     /* PID 102: forked by the worker, adopted by PID 1 */
  FsProcess       *waited;      /* PID 103: forked and reaped by the worker */
  GPtrArray       *mirror;
} Family;

static void
family_setup (Family        *f,
              gconstpointer  data)
{
  FsTimelineModel *model = f->model = fs_timeline_model_new ();

  f->mirror = g_ptr_array_new_with_free_func (g_object_unref);
  g_signal_connect (model, "items-changed", G_CALLBACK (mirror_items_changed_cb), f->mirror);

  f->supervisor = make_process (0, FS_PROCESS_KIND_SUPERVISOR, "forkscope-supervisor", 10, 1, NULL);
  f->worker = make_process (1, FS_PROCESS_KIND_WORKER, "th1", 100, 10, f->supervisor);
  f->adopted = make_process (2, FS_PROCESS_KIND_DESCENDANT, "th1", 101, 100, f->worker);
  f->to_init = make_process (3, FS_PROCESS_KIND_DESCENDANT, "th1", 102, 100, f->worker);
  f->waited = make_process (4, FS_PROCESS_KIND_DESCENDANT, "th1", 103, 100, f->worker);

  fs_timeline_model_add_process (model, f->supervisor, T0);
  feed (model, FS_EVENT_SPAWNED, T0 + S(1), f->worker, NULL);
  feed (model, FS_EVENT_STATE, T0 + S(2), f->worker, "{'state': <'stopped'>, 'from': <'sleeping'>}");
  feed (model, FS_EVENT_STATE, T0 + S(3), f->worker, "{'state': <'sleeping'>, 'from': <'stopped'>}");
  feed (model, FS_EVENT_SIGNALLED, T0 + S(3.5), f->worker, "{'signal': <int32 15>, 'group': <false>}");
  feed (model, FS_EVENT_APPEARED, T0 + S(4), f->adopted, NULL);
  feed (model, FS_EVENT_APPEARED, T0 + S(4.5), f->to_init, NULL);
  feed (model, FS_EVENT_APPEARED, T0 + S(4.6), f->waited, NULL);
  feed (model, FS_EVENT_STATE, T0 + S(4.7), f->waited, "{'state': <'zombie'>}");
  feed (model, FS_EVENT_GONE, T0 + S(4.8), f->waited, "{'reaper': <int32 100>}");
  feed (model, FS_EVENT_JOIN_STARTED, T0 + S(5), f->worker, "{'timeout': <0.5>}");
  feed (model, FS_EVENT_JOIN_TIMED_OUT, T0 + S(5.5), f->worker, "{'timeout': <0.5>}");
  feed (model, FS_EVENT_EXITED, T0 + S(6), f->worker, "{'exitcode': <int32 -15>, 'signal': <int32 15>}");

  set_ppid (f->to_init, 1, NULL);
  feed (model, FS_EVENT_REPARENTED, T0 + S(6.1), f->to_init, "{'from': <int32 100>, 'to': <int32 1>}");
  set_ppid (f->adopted, 10, f->supervisor);
  feed (model, FS_EVENT_ADOPTED, T0 + S(6.2), f->adopted, "{'from': <int32 100>, 'to': <int32 10>}");
  /* The same change told twice must stay one link. */
  feed (model, FS_EVENT_REPARENTED, T0 + S(6.2), f->adopted, "{'from': <int32 100>, 'to': <int32 10>}");

  feed (model, FS_EVENT_JOIN_STARTED, T0 + S(7), f->worker, "{'timeout': <-1.0>}");
  feed (model, FS_EVENT_REAPED, T0 + S(7), f->worker, "{'exitcode': <int32 -15>, 'reaper': <int32 10>}");
  feed (model, FS_EVENT_JOINED, T0 + S(7), f->worker, "{'exitcode': <int32 -15>}");

  feed (model, FS_EVENT_EXITED, T0 + S(8), f->adopted, NULL);
  feed (model, FS_EVENT_REAPED, T0 + S(8.001), f->adopted, "{'exitcode': <int32 0>, 'reaper': <int32 10>}");
  feed (model, FS_EVENT_GONE, T0 + S(9), f->to_init, "{'reaper': <int32 1>}");
  /* Not part of any lifeline. */
  feed (model, FS_EVENT_SAY, T0 + S(9.5), NULL, "{'text': <'hello'>}");
}

static void
family_teardown (Family        *f,
                 gconstpointer  data)
{
  g_clear_pointer (&f->mirror, g_ptr_array_unref);
  g_assert_finalize_object (f->model);
  /* Parents hold their children (the engine's tree model): parents first. */
  g_assert_finalize_object (f->supervisor);
  g_assert_finalize_object (f->worker);
  g_assert_finalize_object (f->adopted);
  g_assert_finalize_object (f->to_init);
  g_assert_finalize_object (f->waited);
}

static void
test_model_family (Family        *f,
                   gconstpointer  data)
{
  FsTimelineModel *model = f->model;
  GListModel *list = fs_timeline_model_get_lifelines (model);
  FsLifeline *supervisor = lifeline_of (model, f->supervisor);
  FsLifeline *worker = lifeline_of (model, f->worker);
  FsLifeline *adopted = lifeline_of (model, f->adopted);
  FsLifeline *to_init = lifeline_of (model, f->to_init);
  FsLifeline *waited = lifeline_of (model, f->waited);
  const FsMark *mark;
  const FsLink *link;
  g_autofree char *label = NULL;

  /* Tree order: the orphan adopted by the supervisor moved under it; the
   * one adopted by PID 1 (not in the family) kept its place. */
  assert_mirror (list, f->mirror);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 5);
  g_assert_true (fs_timeline_model_peek (model, 0) == supervisor);
  g_assert_true (fs_timeline_model_peek (model, 1) == worker);
  g_assert_true (fs_timeline_model_peek (model, 2) == to_init);
  g_assert_true (fs_timeline_model_peek (model, 3) == waited);
  g_assert_true (fs_timeline_model_peek (model, 4) == adopted);
  g_assert_cmpuint (fs_lifeline_get_depth (worker), ==, 1);
  g_assert_cmpuint (fs_lifeline_get_depth (to_init), ==, 2);
  g_assert_cmpuint (fs_lifeline_get_depth (adopted), ==, 1);
  g_assert_true (fs_lifeline_get_parent (adopted) == supervisor);
  g_assert_cmpint (fs_timeline_model_get_supervisor_pid (model), ==, 10);

  /* The worker: running, stopped, running, zombie until the join reaped it. */
  g_assert_cmpuint (fs_lifeline_get_n_segments (worker), ==, 4);
  assert_segment (worker, 0, FS_SEGMENT_RUNNING, T0 + S(1), T0 + S(2));
  assert_segment (worker, 1, FS_SEGMENT_STOPPED, T0 + S(2), T0 + S(3));
  assert_segment (worker, 2, FS_SEGMENT_RUNNING, T0 + S(3), T0 + S(6));
  assert_segment (worker, 3, FS_SEGMENT_ZOMBIE, T0 + S(6), T0 + S(7));
  g_assert_cmpint (fs_lifeline_get_segment (worker, 3)->reaper_pid, ==, 10);
  label = fs_timeline_dup_zombie_label (fs_lifeline_get_segment (worker, 3));
  g_assert_cmpstr (label, ==, "zombie — PID 10 must reap");
  g_clear_pointer (&label, g_free);
  g_assert_cmpint (fs_lifeline_get_end (worker), ==, FS_LIFELINE_END_SUPERVISOR);
  g_assert_cmpint (fs_lifeline_get_end_time (worker), ==, T0 + S(7));
  g_assert_true (fs_lifeline_get_has_exit_code (worker));
  g_assert_cmpint (fs_lifeline_get_exit_code (worker), ==, -15);
  label = fs_timeline_dup_end_label (model, worker);
  g_assert_cmpstr (label, ==, "−SIGTERM · reaped by the supervisor (PID 10)");
  g_clear_pointer (&label, g_free);

  /* Its marks: the signal, a join that timed out, a join that returned. */
  g_assert_cmpuint (fs_lifeline_get_n_marks (worker), ==, 3);
  mark = fs_lifeline_get_mark (worker, 0);
  g_assert_cmpint (mark->kind, ==, FS_MARK_SIGNAL);
  g_assert_cmpint (mark->signum, ==, SIGTERM);
  g_assert_cmpint (mark->time, ==, T0 + S(3.5));
  mark = fs_lifeline_get_mark (worker, 1);
  g_assert_cmpint (mark->kind, ==, FS_MARK_JOIN);
  g_assert_cmpint (mark->outcome, ==, FS_JOIN_TIMED_OUT);
  g_assert_cmpint (mark->time, ==, T0 + S(5));
  g_assert_cmpint (mark->end, ==, T0 + S(5.5));
  g_assert_cmpfloat (mark->timeout, ==, 0.5);
  mark = fs_lifeline_get_mark (worker, 2);
  g_assert_cmpint (mark->outcome, ==, FS_JOIN_JOINED);
  g_assert_cmpint (mark->exit_code, ==, -15);
  g_assert_cmpint (mark->end, ==, T0 + S(7));

  /* Links: spawn and forks from the parent's line. */
  link = find_link (model, FS_LINK_SPAWN, worker);
  g_assert_nonnull (link);
  g_assert_true (link->from == supervisor);
  g_assert_cmpint (link->time, ==, T0 + S(1));
  link = find_link (model, FS_LINK_FORK, adopted);
  g_assert_nonnull (link);
  g_assert_true (link->from == worker);
  g_assert_cmpint (link->time, ==, T0 + S(4));

  /* Adopted by the supervisor: one link, from the dead parent. */
  link = find_link (model, FS_LINK_REPARENT, adopted);
  g_assert_nonnull (link);
  g_assert_true (link->from == worker);
  g_assert_true (link->to == supervisor);
  g_assert_true (link->to_supervisor);
  g_assert_cmpint (link->time, ==, T0 + S(6.2));
  label = fs_timeline_dup_link_label (link);
  g_assert_cmpstr (label, ==, "adopted by the supervisor");
  g_clear_pointer (&label, g_free);
  g_assert_cmpint (fs_lifeline_get_end (adopted), ==, FS_LIFELINE_END_SUPERVISOR);
  label = fs_timeline_dup_end_label (model, adopted);
  g_assert_cmpstr (label, ==, "exit 0 · reaped by the supervisor (PID 10), its adopter");
  g_clear_pointer (&label, g_free);

  /* Adopted by PID 1, outside the family: it has no line, the label says. */
  link = find_link (model, FS_LINK_REPARENT, to_init);
  g_assert_nonnull (link);
  g_assert_null (link->to);
  g_assert_cmpint (link->to_pid, ==, 1);
  g_assert_false (link->to_supervisor);
  label = fs_timeline_dup_link_label (link);
  g_assert_cmpstr (label, ==, "adopted by PID 1");
  g_clear_pointer (&label, g_free);
  g_assert_cmpint (fs_lifeline_get_end (to_init), ==, FS_LIFELINE_END_ADOPTER);
  g_assert_cmpint (fs_lifeline_get_reaper_pid (to_init), ==, 1);

  /* Reaped by the worker itself, its parent. */
  g_assert_cmpuint (fs_lifeline_get_n_segments (waited), ==, 2);
  assert_segment (waited, 1, FS_SEGMENT_ZOMBIE, T0 + S(4.7), T0 + S(4.8));
  g_assert_cmpint (fs_lifeline_get_segment (waited, 1)->reaper_pid, ==, 100);
  g_assert_cmpint (fs_lifeline_get_end (waited), ==, FS_LIFELINE_END_PARENT);
  label = fs_timeline_dup_end_label (model, waited);
  g_assert_cmpstr (label, ==, "reaped by its parent (PID 100)");
  g_clear_pointer (&label, g_free);

  /* The supervisor still runs. */
  g_assert_cmpint (fs_lifeline_get_end (supervisor), ==, FS_LIFELINE_END_NONE);
  assert_segment (supervisor, 0, FS_SEGMENT_RUNNING, T0, FS_TIMELINE_OPEN);
  g_assert_cmpint (fs_timeline_model_get_last_time (model), ==, T0 + S(9));
}

/* Hovering shows exact times. */
static void
test_model_tooltips (Family        *f,
                     gconstpointer  data)
{
  FsTimelineModel *model = f->model;
  PangoFontMap *fontmap = pango_cairo_font_map_get_default ();
  g_autoptr(GObject) context = G_OBJECT (pango_font_map_create_context (fontmap));
  g_autoptr(FsTimelinePainter) painter = fs_timeline_painter_new (PANGO_CONTEXT (context));
  FsTimelineViewport viewport = {
    .start = T0, .end = T0 + S(10), .now = T0 + S(10),
    .width = FS_TIMELINE_NAMES_WIDTH + 1000, .height = 600,
    .names_width = FS_TIMELINE_NAMES_WIDTH,
  };
  FsTimelineHit hit;
  g_autofree char *tooltip = NULL;
  double worker_y = FS_TIMELINE_AXIS_HEIGHT + FS_TIMELINE_ROW_HEIGHT * 1;

  g_assert_cmpint (fs_timeline_model_get_origin (model), ==, T0);

  /* The zombie interval of the worker (6 s to 7 s): 100 px a second. */
  g_assert_true (fs_timeline_painter_hit_test (painter, model, &viewport,
                                               FS_TIMELINE_NAMES_WIDTH + 650, worker_y + 18, &hit));
  g_assert_cmpint (hit.kind, ==, FS_TIMELINE_HIT_SEGMENT);
  g_assert_true (hit.lifeline == lifeline_of (model, f->worker));
  g_assert_cmpuint (hit.index, ==, 3);
  tooltip = fs_timeline_painter_dup_tooltip (painter, model, &hit);
  g_assert_nonnull (strstr (tooltip, "Zombie from 6.000000 s to 7.000000 s (1.000 s)"));
  g_assert_nonnull (strstr (tooltip, "PID 10, can reap it"));
  g_clear_pointer (&tooltip, g_free);

  /* The signal mark at 3.5 s, above the bar. */
  g_assert_true (fs_timeline_painter_hit_test (painter, model, &viewport,
                                               FS_TIMELINE_NAMES_WIDTH + 351, worker_y + 5, &hit));
  g_assert_cmpint (hit.kind, ==, FS_TIMELINE_HIT_MARK);
  tooltip = fs_timeline_painter_dup_tooltip (painter, model, &hit);
  g_assert_nonnull (strstr (tooltip, "SIGTERM sent at 3.500000 s"));
  g_clear_pointer (&tooltip, g_free);

  /* The join that timed out, below the bar. */
  g_assert_true (fs_timeline_painter_hit_test (painter, model, &viewport,
                                               FS_TIMELINE_NAMES_WIDTH + 520, worker_y + 33, &hit));
  g_assert_cmpint (hit.kind, ==, FS_TIMELINE_HIT_MARK);
  tooltip = fs_timeline_painter_dup_tooltip (painter, model, &hit);
  g_assert_nonnull (strstr (tooltip, "join(0.5) → timed out, still alive"));
  g_assert_nonnull (strstr (tooltip, "returned at 5.500000 s"));
  g_clear_pointer (&tooltip, g_free);

  /* Nothing after the end of the line. */
  g_assert_false (fs_timeline_painter_hit_test (painter, model, &viewport,
                                                FS_TIMELINE_NAMES_WIDTH + 950, worker_y + 18, &hit));
}

/* History is bounded: what ended long ago goes, in tree order still. */
static void
test_model_history (void)
{
  g_autoptr(FsTimelineModel) model = fs_timeline_model_new ();
  g_autoptr(FsProcess) supervisor = make_process (0, FS_PROCESS_KIND_SUPERVISOR, "supervisor", 10, 1, NULL);
  g_autoptr(GPtrArray) processes = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) mirror = g_ptr_array_new_with_free_func (g_object_unref);
  gint64 history = S(60);
  gint64 last = 0;
  guint n;

  g_signal_connect (model, "items-changed", G_CALLBACK (mirror_items_changed_cb), mirror);
  fs_timeline_model_set_history (model, history);
  fs_timeline_model_add_process (model, supervisor, T0);

  /* One worker a second for ten minutes, each living two seconds. */
  for (guint i = 0; i < 600; i++)
    {
      FsProcess *worker = make_process (i + 1, FS_PROCESS_KIND_WORKER, "w", 1000 + i, 10, supervisor);
      gint64 t = T0 + S(i);

      g_ptr_array_add (processes, worker);
      feed (model, FS_EVENT_SPAWNED, t, worker, NULL);
      if (i >= 2)
        {
          FsProcess *old = g_ptr_array_index (processes, i - 2);

          feed (model, FS_EVENT_REAPED, t, old, "{'exitcode': <int32 0>, 'reaper': <int32 10>}");
        }
      last = t;
    }

  assert_mirror (G_LIST_MODEL (model), mirror);
  n = g_list_model_get_n_items (G_LIST_MODEL (model));
  /* Everything that ended within the history is kept, and a slack of a
   * twentieth of it at most. */
  g_assert_cmpuint (n, >=, 1 + 60);
  g_assert_cmpuint (n, <=, 1 + 60 + 3 + 3);
  g_assert_cmpint (fs_timeline_model_get_start_time (model), >=, last - history - history / 20);
  g_assert_true (fs_lifeline_get_process (fs_timeline_model_peek (model, 0)) == supervisor);
  for (guint i = 1; i < n; i++)
    {
      FsLifeline *lifeline = fs_timeline_model_peek (model, i);

      g_assert_true (fs_lifeline_get_parent (lifeline) == fs_timeline_model_peek (model, 0));
      g_assert_true (fs_lifeline_get_end (lifeline) == FS_LIFELINE_END_NONE ||
                     fs_lifeline_get_end_time (lifeline) >= last - history - history / 20);
    }
  for (guint i = 0; i < fs_timeline_model_get_n_links (model); i++)
    g_assert_cmpint (fs_timeline_model_get_link (model, i)->time, >=, last - history - history / 20);
}

/* ---- the widget ---------------------------------------------------------- */

typedef struct
{
  Family       family;
  GtkWidget   *window;
  FsTimeline  *timeline;
  guint        notified;
} Widget;

static gboolean
timeout_cb (gpointer data)
{
  g_error ("Timed out waiting for %s", (const char *)data);
  return G_SOURCE_REMOVE;
}

/* Iterate until @done says so; fail after @seconds. */
#define WAIT_UNTIL(condition, seconds, what) \
  G_STMT_START { \
    guint timeout_id_ = g_timeout_add_seconds ((seconds), timeout_cb, (gpointer)(what)); \
    while (!(condition)) \
      g_main_context_iteration (NULL, TRUE); \
    g_source_remove (timeout_id_); \
  } G_STMT_END

static void
drawn_cb (GdkFrameClock *clock,
          gboolean      *drawn)
{
  *drawn = TRUE;
}

static void
wait_for_frame (GtkWidget *widget)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);
  gboolean drawn = FALSE;
  gulong id;

  g_assert_nonnull (clock);
  id = g_signal_connect (clock, "after-paint", G_CALLBACK (drawn_cb), &drawn);
  gtk_widget_queue_draw (widget);
  WAIT_UNTIL (drawn, 10, "a frame");
  g_signal_handler_disconnect (clock, id);
}

static gboolean
set_flag_cb (gpointer data)
{
  *(gboolean *)data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Let the main loop run for @msec. */
static void
spin (guint msec)
{
  gboolean done = FALSE;

  g_timeout_add (msec, set_flag_cb, &done);
  WAIT_UNTIL (done, 10, "a timer");
}

static void
notify_selected_cb (Widget *w)
{
  w->notified++;
}

static void
widget_setup (Widget        *w,
              gconstpointer  data)
{
  GtkWidget *scrolled = gtk_scrolled_window_new ();

  family_setup (&w->family, data);
  w->timeline = FS_TIMELINE (fs_timeline_new ());
  fs_timeline_set_model (w->timeline, w->family.model);
  g_signal_connect_swapped (w->timeline, "notify::selected-process", G_CALLBACK (notify_selected_cb), w);

  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), GTK_WIDGET (w->timeline));
  w->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (w->window), 1200, 500);
  gtk_window_set_child (GTK_WINDOW (w->window), scrolled);
  gtk_window_present (GTK_WINDOW (w->window));
  WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (w->timeline)), 10, "the window");
  wait_for_frame (GTK_WIDGET (w->timeline));
}

static void
widget_teardown (Widget        *w,
                 gconstpointer  data)
{
  g_object_add_weak_pointer (G_OBJECT (w->timeline), (gpointer *)&w->timeline);
  gtk_window_destroy (GTK_WINDOW (w->window));
  WAIT_UNTIL (w->timeline == NULL, 10, "the timeline to go");
  family_teardown (&w->family, data);
}

static GtkGesture *
find_click_gesture (GtkWidget *widget)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_GESTURE_CLICK (controller))
        return GTK_GESTURE (controller);
    }

  g_assert_not_reached ();
}

static void
test_widget_selection (Widget        *w,
                       gconstpointer  data)
{
  GtkGesture *click = find_click_gesture (GTK_WIDGET (w->timeline));
  double adopted_y = FS_TIMELINE_AXIS_HEIGHT + FS_TIMELINE_ROW_HEIGHT * 4 + 10;
  gint64 span;

  /* From outside (the tree selected a row): set, notified once. */
  g_assert_null (fs_timeline_get_selected_process (w->timeline));
  fs_timeline_set_selected_process (w->timeline, w->family.worker);
  g_assert_true (fs_timeline_get_selected_process (w->timeline) == w->family.worker);
  g_assert_cmpuint (w->notified, ==, 1);
  /* Setting it again (the tree echoing the timeline) says nothing. */
  fs_timeline_set_selected_process (w->timeline, w->family.worker);
  g_assert_cmpuint (w->notified, ==, 1);

  /* A click on a lifeline selects its process and notifies, for the tree. */
  g_signal_emit_by_name (click, "released", 1, 300.0, adopted_y);
  g_assert_true (fs_timeline_get_selected_process (w->timeline) == w->family.adopted);
  g_assert_cmpuint (w->notified, ==, 2);

  /* Zooming (the + key and the zoom-in button use this action). */
  span = fs_timeline_get_span (w->timeline);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (w->timeline), "timeline.zoom-in", NULL));
  g_assert_cmpint (fs_timeline_get_span (w->timeline), <, span);

  /* A click below the last row selects nothing new. */
  g_signal_emit_by_name (click, "released", 1, 300.0, FS_TIMELINE_AXIS_HEIGHT + FS_TIMELINE_ROW_HEIGHT * 9.5);
  g_assert_true (fs_timeline_get_selected_process (w->timeline) == w->family.adopted);

  fs_timeline_set_selected_process (w->timeline, NULL);
  g_assert_cmpuint (w->notified, ==, 3);
  wait_for_frame (GTK_WIDGET (w->timeline));
}

static void
test_widget_pause (Widget        *w,
                   gconstpointer  data)
{
  g_autoptr(FsProcess) live = make_process (10, FS_PROCESS_KIND_WORKER, "live", 200, 10, w->family.supervisor);
  gint64 end1, end2, end3;

  /* Something alive, and a zoom by hand: the right edge follows the
   * present. */
  feed (w->family.model, FS_EVENT_SPAWNED, g_get_monotonic_time (), live, NULL);
  fs_timeline_set_span (w->timeline, S(10));
  g_assert_cmpint (fs_timeline_get_span (w->timeline), ==, S(10));
  g_assert_true (fs_timeline_get_following (w->timeline));
  fs_timeline_set_paused (w->timeline, TRUE);
  g_assert_true (fs_timeline_get_paused (w->timeline));
  fs_timeline_get_visible_range (w->timeline, NULL, &end1);

  /* Time goes by and frames are drawn; the paused axis does not move. */
  spin (100);
  wait_for_frame (GTK_WIDGET (w->timeline));
  fs_timeline_get_visible_range (w->timeline, NULL, &end2);
  g_assert_cmpint (end1, ==, end2);

  fs_timeline_set_paused (w->timeline, FALSE);
  wait_for_frame (GTK_WIDGET (w->timeline));
  fs_timeline_get_visible_range (w->timeline, NULL, &end3);
  g_assert_cmpint (end3, >, end2);

  /* Panning into the past stops following; End (the follow action) resumes. */
  fs_timeline_scroll_to_time (w->timeline, T0 + S(80));
  g_assert_false (fs_timeline_get_following (w->timeline));
  fs_timeline_get_visible_range (w->timeline, NULL, &end1);
  g_assert_cmpint (end1, ==, T0 + S(80));
  /* Not before the oldest record: the view stops with it at the left edge. */
  fs_timeline_scroll_to_time (w->timeline, T0 + S(10));
  fs_timeline_get_visible_range (w->timeline, &end2, &end1);
  g_assert_cmpint (end2, ==, T0);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (w->timeline), "timeline.follow", NULL));
  g_assert_true (fs_timeline_get_following (w->timeline));

  /* Paused, then panned into the past: going on again means going on live. */
  fs_timeline_set_paused (w->timeline, TRUE);
  fs_timeline_scroll_to_time (w->timeline, T0 + S(50));
  g_assert_false (fs_timeline_get_following (w->timeline));
  fs_timeline_set_paused (w->timeline, FALSE);
  g_assert_true (fs_timeline_get_following (w->timeline));
  fs_timeline_get_visible_range (w->timeline, NULL, &end1);
  g_assert_cmpint (end1, >=, g_get_monotonic_time () - S(1));

  /* So does "Back to now" while paused. */
  fs_timeline_set_paused (w->timeline, TRUE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (w->timeline), "timeline.follow", NULL));
  g_assert_false (fs_timeline_get_paused (w->timeline));
}

static void
count_redraw_cb (GdkPaintable *paintable,
                 guint        *n)
{
  (*n)++;
}

/* How many times @widget asks to be redrawn in @msec (a widget paintable
 * is invalidated whenever its widget is). */
static guint
count_redraws (GtkWidget *widget,
               guint      msec)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  guint n = 0;

  g_signal_connect (paintable, "invalidate-contents", G_CALLBACK (count_redraw_cb), &n);
  spin (msec);
  g_signal_handlers_disconnect_by_data (paintable, &n);

  return n;
}

/* The live view fits what is going on: a short lesson is drawn across the
 * width, not squeezed at the right edge; once it has ended the view stays
 * on it, and nothing is redrawn until something happens. */
static void
test_widget_fit (Widget        *w,
                 gconstpointer  data)
{
  FsTimelineModel *model = w->family.model;
  gint64 now = g_get_monotonic_time ();
  g_autoptr(FsProcess) parent = make_process (10, FS_PROCESS_KIND_WORKER, "lesson", 300, 10, w->family.supervisor);
  g_autoptr(FsProcess) child = NULL;
  g_autoptr(FsProcess) live = NULL;
  gint64 start, end, end2;
  double plot = gtk_widget_get_width (GTK_WIDGET (w->timeline)) -
                fs_timeline_names_width (gtk_widget_get_width (GTK_WIDGET (w->timeline)));

  child = make_process (11, FS_PROCESS_KIND_DESCENDANT, "lesson", 301, 300, parent);
  /* A lesson of two seconds that has just ended. */
  feed (model, FS_EVENT_SPAWNED, now - S(2.5), parent, NULL);
  feed (model, FS_EVENT_APPEARED, now - S(2.4), child, NULL);
  feed (model, FS_EVENT_STATE, now - S(2.3), child, "{'state': <'zombie'>}");
  feed (model, FS_EVENT_GONE, now - S(2.2), child, "{'reaper': <int32 300>}");
  feed (model, FS_EVENT_EXITED, now - S(1), parent, "{'exitcode': <int32 0>}");
  feed (model, FS_EVENT_REAPED, now - S(0.5), parent, "{'exitcode': <int32 0>, 'reaper': <int32 10>}");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (w->timeline), "timeline.follow", NULL));
  wait_for_frame (GTK_WIDGET (w->timeline));
  fs_timeline_get_visible_range (w->timeline, &start, &end);
  /* The smallest span that holds the two seconds, from just before the
   * spawn: the lesson takes two thirds of the width. */
  g_assert_cmpint (end - start, ==, S(3));
  g_assert_cmpint (fs_timeline_get_span (w->timeline), ==, S(3));
  g_assert_cmpint (start, <=, now - S(2.5));
  g_assert_cmpint (start, >=, now - S(3));
  g_assert_cmpint (end, >=, now - S(0.5));
  g_assert_cmpfloat (S(2) / (double)(end - start) * plot, >=, 0.6 * plot);
  /* The present is in the range, but nothing but the supervisor lives. */
  g_assert_cmpint (end, >, now + S(0.2));

  /* All has ended: the view stands still, and is not redrawn. */
  spin (200);
  g_assert_cmpuint (count_redraws (GTK_WIDGET (w->timeline), 400), ==, 0);
  fs_timeline_get_visible_range (w->timeline, NULL, &end2);
  g_assert_cmpint (end2, ==, end);

  /* Something starts within the episode: the view widens to hold it and
   * follows it, redrawing as time passes. */
  live = make_process (12, FS_PROCESS_KIND_WORKER, "live", 302, 10, w->family.supervisor);
  now = g_get_monotonic_time ();
  feed (model, FS_EVENT_SPAWNED, now, live, NULL);
  wait_for_frame (GTK_WIDGET (w->timeline));
  fs_timeline_get_visible_range (w->timeline, &start, &end);
  g_assert_cmpint (end - start, ==, S(5));
  g_assert_cmpint (start, <=, now - S(2.5));
  g_assert_cmpint (end, >=, now);
  g_assert_cmpuint (count_redraws (GTK_WIDGET (w->timeline), 400), >, 0);

  /* A zoom by hand keeps its span; "Back to now" fits again. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (w->timeline), "timeline.zoom-out", NULL));
  g_assert_cmpint (fs_timeline_get_span (w->timeline), >, S(5));
  g_assert_true (fs_timeline_get_following (w->timeline));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (w->timeline), "timeline.follow", NULL));
  g_assert_cmpint (fs_timeline_get_span (w->timeline), ==, S(5));
}

/* While following, new rows are scrolled into view; paused, they are not. */
static void
test_widget_reveal (Widget        *w,
                    gconstpointer  data)
{
  FsTimelineModel *model = w->family.model;
  GtkAdjustment *vadjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (w->timeline));
  g_autoptr(GPtrArray) processes = g_ptr_array_new_with_free_func (g_object_unref);
  FsLifeline *last = NULL;
  int row;

  for (guint i = 0; i < 20; i++)
    {
      FsProcess *process = make_process (20 + i, FS_PROCESS_KIND_WORKER, "w", 400 + i, 10, w->family.supervisor);

      g_ptr_array_add (processes, process);
      feed (model, FS_EVENT_SPAWNED, g_get_monotonic_time (), process, NULL);
    }
  wait_for_frame (GTK_WIDGET (w->timeline));
  last = fs_timeline_model_lookup_process (model, g_ptr_array_index (processes, 19));
  row = fs_timeline_model_get_row (model, last);
  g_assert_cmpint (row, ==, 24);
  /* More rows than fit, and the newest in view. */
  g_assert_cmpfloat (gtk_adjustment_get_upper (vadjustment), >, gtk_adjustment_get_page_size (vadjustment));
  g_assert_cmpfloat (gtk_adjustment_get_value (vadjustment) + gtk_adjustment_get_page_size (vadjustment), >=,
                     (row + 1) * FS_TIMELINE_ROW_HEIGHT - 0.5);
  g_assert_cmpfloat (gtk_adjustment_get_value (vadjustment), <=, row * FS_TIMELINE_ROW_HEIGHT);
  /* With a whole row at the top. */
  g_assert_cmpfloat (fmod (gtk_adjustment_get_value (vadjustment), FS_TIMELINE_ROW_HEIGHT), ==, 0);

  /* Paused, the learner's view stays where it is. */
  fs_timeline_set_paused (w->timeline, TRUE);
  gtk_adjustment_set_value (vadjustment, 0);
  g_ptr_array_add (processes, make_process (40, FS_PROCESS_KIND_WORKER, "w", 500, 10, w->family.supervisor));
  feed (model, FS_EVENT_SPAWNED, g_get_monotonic_time (), g_ptr_array_index (processes, 20), NULL);
  wait_for_frame (GTK_WIDGET (w->timeline));
  g_assert_cmpfloat (gtk_adjustment_get_value (vadjustment), ==, 0);
}

/* Labels stay in their own row, clear of each other and of the right
 * edge, however narrow the timeline; with room they are whole. */
static void
test_painter_labels (Family        *f,
                     gconstpointer  data)
{
  FsTimelineModel *model = f->model;
  PangoFontMap *fontmap = pango_cairo_font_map_get_default ();
  g_autoptr(GObject) context = G_OBJECT (pango_font_map_create_context (fontmap));
  g_autoptr(FsTimelinePainter) painter = fs_timeline_painter_new (PANGO_CONTEXT (context));
  const double widths[] = { 300, 420, 700, 1200 };
  FsLifeline *adopted = lifeline_of (model, f->adopted);
  FsLifeline *waited = lifeline_of (model, f->waited);

  g_assert_cmpstr (fs_timeline_get_display_name (model, lifeline_of (model, f->supervisor)), ==, "supervisor");
  g_assert_cmpstr (fs_timeline_get_display_name (model, adopted), ==, "th1");

  for (guint i = 0; i < G_N_ELEMENTS (widths); i++)
    {
      FsTimelineViewport viewport = {
        .start = T0 + S(0.5), .end = T0 + S(10), .now = T0 + S(100),
        .width = widths[i], .height = 400,
        .names_width = fs_timeline_names_width (widths[i]),
        .legend = FS_TIMELINE_LEGEND_IF_ROOM,
      };
      cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, (int)widths[i], 400);
      cairo_t *cr = cairo_create (surface);
      const GArray *boxes;
      gboolean adoption_whole = FALSE;
      gboolean reap_whole = FALSE;

      fs_timeline_painter_draw (painter, cr, model, &viewport);
      cairo_destroy (cr);
      cairo_surface_destroy (surface);

      boxes = fs_timeline_painter_get_label_boxes (painter);
      g_assert_cmpuint (boxes->len, >, 0);
      for (guint j = 0; j < boxes->len; j++)
        {
          const FsTimelineLabelBox *box = &g_array_index (boxes, FsTimelineLabelBox, j);
          double top = FS_TIMELINE_AXIS_HEIGHT + fs_timeline_model_get_row (model, box->lifeline) * FS_TIMELINE_ROW_HEIGHT;

          g_test_message ("width %g: \"%s\"%s at %g,%g %gx%g", widths[i], box->text,
                          box->shortened ? " (shortened)" : "", box->x, box->y, box->width, box->height);
          g_assert_cmpfloat (box->y, >=, top);
          g_assert_cmpfloat (box->y + box->height, <=, top + FS_TIMELINE_ROW_HEIGHT);
          g_assert_cmpfloat (box->x, >=, viewport.names_width);
          g_assert_cmpfloat (box->x + box->width, <=, viewport.width);
          for (guint k = 0; k < j; k++)
            {
              const FsTimelineLabelBox *other = &g_array_index (boxes, FsTimelineLabelBox, k);

              if (other->lifeline == box->lifeline)
                g_assert_true (box->x >= other->x + other->width || other->x >= box->x + box->width ||
                               box->y >= other->y + other->height || other->y >= box->y + box->height);
            }
          if (box->lifeline == adopted && g_str_equal (box->text, "adopted by the supervisor") && !box->shortened)
            adoption_whole = TRUE;
          if (box->lifeline == waited && g_str_equal (box->text, "reaped by its parent (PID 100)") && !box->shortened)
            reap_whole = TRUE;
        }

      /* With room, who adopted and who reaped are said in full. */
      if (widths[i] >= 1200)
        {
          g_assert_true (adoption_whole);
          g_assert_true (reap_whole);
        }
    }

  /* A fresh zombie at the present, with no room after it: its label goes
   * above its box, not away. */
  {
    g_autoptr(FsProcess) zombie = make_process (10, FS_PROCESS_KIND_WORKER, "z", 500, 10, f->supervisor);
    FsTimelineViewport viewport = {
      .start = T0 + S(10), .end = T0 + S(20.5), .now = T0 + S(20),
      .width = 400, .height = 400, .names_width = fs_timeline_names_width (400),
    };
    cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 400, 400);
    cairo_t *cr = cairo_create (surface);
    const GArray *boxes;
    FsLifeline *lifeline;
    gboolean said = FALSE;

    feed (model, FS_EVENT_SPAWNED, T0 + S(15), zombie, NULL);
    feed (model, FS_EVENT_EXITED, T0 + S(18.5), zombie, "{'exitcode': <int32 0>}");
    lifeline = lifeline_of (model, zombie);
    fs_timeline_painter_draw (painter, cr, model, &viewport);
    cairo_destroy (cr);
    cairo_surface_destroy (surface);

    boxes = fs_timeline_painter_get_label_boxes (painter);
    for (guint j = 0; j < boxes->len; j++)
      {
        const FsTimelineLabelBox *box = &g_array_index (boxes, FsTimelineLabelBox, j);

        if (box->lifeline == lifeline && g_str_has_prefix (box->text, "zombie"))
          said = TRUE;
      }
    g_assert_true (said);
  }

  /* Signalled and adopted at once (the signal a moment before or after):
   * who adopted it is told, first. */
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(FsProcess) worker = make_process (11 + 2 * i, FS_PROCESS_KIND_WORKER, "o", 600 + 2 * i, 10, f->supervisor);
      g_autoptr(FsProcess) orphan = make_process (12 + 2 * i, FS_PROCESS_KIND_DESCENDANT, "o", 601 + 2 * i,
                                                  600 + 2 * i, worker);
      gint64 base = T0 + S(20 + 20 * i);
      FsTimelineViewport viewport = {
        .start = base, .end = base + S(10), .now = base + S(20),
        .width = 700, .height = 800, .names_width = fs_timeline_names_width (700),
      };
      cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 700, 800);
      cairo_t *cr = cairo_create (surface);
      g_autofree char *from = g_strdup_printf ("{'from': <int32 %d>, 'to': <int32 10>}", 600 + 2 * i);
      const GArray *boxes;
      FsLifeline *lifeline;
      gboolean said = FALSE;

      feed (model, FS_EVENT_SPAWNED, base + S(1), worker, NULL);
      feed (model, FS_EVENT_APPEARED, base + S(1.5), orphan, NULL);
      feed (model, FS_EVENT_REAPED, base + S(2), worker, "{'exitcode': <int32 0>, 'reaper': <int32 10>}");
      set_ppid (orphan, 10, f->supervisor);
      if (i == 0)
        feed (model, FS_EVENT_SIGNALLED, base + S(2.05), orphan, "{'signal': <int32 15>}");
      feed (model, FS_EVENT_ADOPTED, base + S(2.1), orphan, from);
      if (i == 1)
        feed (model, FS_EVENT_SIGNALLED, base + S(2.3), orphan, "{'signal': <int32 15>}");
      lifeline = lifeline_of (model, orphan);
      fs_timeline_painter_draw (painter, cr, model, &viewport);
      cairo_destroy (cr);
      cairo_surface_destroy (surface);

      boxes = fs_timeline_painter_get_label_boxes (painter);
      for (guint j = 0; j < boxes->len; j++)
        {
          const FsTimelineLabelBox *box = &g_array_index (boxes, FsTimelineLabelBox, j);

          if (box->lifeline == lifeline && g_str_has_prefix (box->text, "adopted"))
            said = TRUE;
        }
      g_assert_true (said);
    }
}

static void
assert_png (const char *path,
            int         min_height)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GdkTexture) texture = gdk_texture_new_from_file (file, &error);

  g_assert_no_error (error);
  g_assert_cmpint (gdk_texture_get_width (texture), >=, 800);
  g_assert_cmpint (gdk_texture_get_height (texture), >=, min_height);
}

static void
test_widget_export (Widget        *w,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("forkscope-timeline-XXXXXX", &error);
  g_autofree char *png_path = g_build_filename (dir, "timeline.png", NULL);
  g_autofree char *svg_path = g_build_filename (dir, "timeline.svg", NULL);
  g_autofree char *bad_path = g_build_filename (dir, "missing", "timeline.png", NULL);
  g_autoptr(GFile) png = g_file_new_for_path (png_path);
  g_autoptr(GFile) svg = g_file_new_for_path (svg_path);
  g_autoptr(GFile) bad = g_file_new_for_path (bad_path);
  g_autofree char *contents = NULL;
  gsize length;

  g_assert_no_error (error);
  fs_timeline_set_span (w->timeline, S(10));
  fs_timeline_scroll_to_time (w->timeline, T0 + S(10));

  g_assert_true (fs_timeline_export_png (w->timeline, png, &error));
  g_assert_no_error (error);
  /* Every row is in the picture, not only those on screen. */
  assert_png (png_path, (int)(FS_TIMELINE_AXIS_HEIGHT + 5 * FS_TIMELINE_ROW_HEIGHT));

  g_assert_true (fs_timeline_export_svg (w->timeline, svg, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (svg_path, &contents, &length, &error));
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (contents, "<?xml"));
  g_assert_nonnull (strstr (contents, "<svg"));
  g_assert_nonnull (strstr (contents, "</svg>"));
  g_assert_cmpuint (length, >, 10000);

  /* A place that cannot be written: a clear error, no crash, nothing left. */
  g_assert_false (fs_timeline_export_png (w->timeline, bad, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (fs_timeline_export_svg (w->timeline, bad, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_cmpint (g_unlink (png_path), ==, 0);
  g_assert_cmpint (g_unlink (svg_path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

/* ---- a real engine --------------------------------------------------------- */

typedef struct
{
  FsEngine        *engine;
  FsTimelineModel *model;
  int              supervisor_pid;
  GPtrArray       *texts;   /* the event log's text of every event */
} Real;

static void
record_text_cb (Real    *r,
                FsEvent *event)
{
  g_ptr_array_add (r->texts, fs_event_to_text (event, 0));
}

static gboolean
event_text_has (Real       *r,
                const char *needle)
{
  for (guint i = 0; i < r->texts->len; i++)
    if (strstr (g_ptr_array_index (r->texts, i), needle) != NULL)
      return TRUE;

  return FALSE;
}

static void
real_setup (Real          *r,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  r->engine = fs_engine_new ();
  g_assert_true (fs_engine_start (r->engine, &error));
  g_assert_no_error (error);
  fs_engine_set_scan_interval (r->engine, 50);
  r->model = fs_timeline_model_new ();
  fs_timeline_model_set_engine (r->model, r->engine);
  r->texts = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect_swapped (r->engine, "event", G_CALLBACK (record_text_cb), r);
  r->supervisor_pid = fs_process_get_pid (fs_engine_get_supervisor (r->engine));
  g_assert_cmpint (r->supervisor_pid, >, 0);
}

static void
real_teardown (Real          *r,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (fs_engine_shutdown_sync (r->engine, FS_SHUTDOWN_KILL, &error));
  g_assert_no_error (error);
  g_assert_finalize_object (r->model);
  g_signal_handlers_disconnect_by_data (r->engine, r);
  g_clear_object (&r->engine);
  g_clear_pointer (&r->texts, g_ptr_array_unref);
}

static FsProcess *
spawn (Real       *r,
       const char *name,
       const char *function,
       const char *arg1,
       const char *arg2)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *plugin = g_strndup (function, strchr (function, '.') - function);
  g_autofree char *file = g_strconcat (plugin, ".so", NULL);
  g_autofree char *path = g_build_filename (fs_paths_get_plugindir (), file, NULL);
  const char *args[] = { arg1, arg2, NULL };
  FsProcess *process;

  process = fs_engine_spawn_sync (r->engine, name, path, function, args, FALSE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (process);

  return process;
}

static FsLifeline *
real_lifeline (Real      *r,
               FsProcess *process)
{
  WAIT_UNTIL (fs_timeline_model_lookup_process (r->model, process) != NULL, 10, "a lifeline");
  return fs_timeline_model_lookup_process (r->model, process);
}

static gboolean
has_open_zombie (FsLifeline *lifeline)
{
  guint n = fs_lifeline_get_n_segments (lifeline);
  const FsSegment *last = n > 0 ? fs_lifeline_get_segment (lifeline, n - 1) : NULL;

  return last != NULL && last->kind == FS_SEGMENT_ZOMBIE && last->end == FS_TIMELINE_OPEN;
}

static const FsSegment *
zombie_segment (FsLifeline *lifeline)
{
  for (guint i = 0; i < fs_lifeline_get_n_segments (lifeline); i++)
    if (fs_lifeline_get_segment (lifeline, i)->kind == FS_SEGMENT_ZOMBIE)
      return fs_lifeline_get_segment (lifeline, i);

  return NULL;
}

static guint
count_marks (FsLifeline    *lifeline,
             FsMarkKind     kind,
             FsJoinOutcome  outcome)
{
  guint n = 0;

  for (guint i = 0; i < fs_lifeline_get_n_marks (lifeline); i++)
    {
      const FsMark *mark = fs_lifeline_get_mark (lifeline, i);

      if (mark->kind == kind && (kind == FS_MARK_SIGNAL || mark->outcome == outcome))
        n++;
    }

  return n;
}

/* Under the join policy an exited worker stays a zombie, waiting for the
 * supervisor, until the join reaps it. */
static void
test_real_zombie_join (Real          *r,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FsProcess) worker = NULL;
  FsLifeline *lifeline;
  const FsSegment *zombie;
  const FsMark *join;
  gint64 exited_at;

  fs_engine_set_reap_policy (r->engine, FS_REAP_JOIN);
  worker = spawn (r, "exit3", "basics.exit", "code=3", NULL);
  lifeline = real_lifeline (r, worker);
  g_assert_true (fs_lifeline_get_parent (lifeline) ==
                 fs_timeline_model_lookup_process (r->model, fs_engine_get_supervisor (r->engine)));

  WAIT_UNTIL (has_open_zombie (lifeline), 10, "the zombie");
  zombie = zombie_segment (lifeline);
  g_assert_cmpint (zombie->reaper_pid, ==, r->supervisor_pid);
  g_assert_cmpint (fs_lifeline_get_end (lifeline), ==, FS_LIFELINE_END_NONE);
  exited_at = zombie->start;

  g_assert_true (fs_engine_join_sync (r->engine, worker, -1, &error));
  g_assert_no_error (error);
  WAIT_UNTIL (fs_lifeline_get_end (lifeline) != FS_LIFELINE_END_NONE &&
              count_marks (lifeline, FS_MARK_JOIN, FS_JOIN_JOINED) == 1, 10, "the reap");

  zombie = zombie_segment (lifeline);
  g_assert_cmpint (zombie->start, ==, exited_at);
  g_assert_cmpint (zombie->end, ==, fs_lifeline_get_end_time (lifeline));
  g_assert_cmpint (zombie->end, >, zombie->start);
  g_assert_cmpint (fs_lifeline_get_end (lifeline), ==, FS_LIFELINE_END_SUPERVISOR);
  g_assert_cmpint (fs_lifeline_get_reaper_pid (lifeline), ==, r->supervisor_pid);
  g_assert_cmpint (fs_lifeline_get_exit_code (lifeline), ==, 3);

  join = fs_lifeline_get_mark (lifeline, fs_lifeline_get_n_marks (lifeline) - 1);
  g_assert_cmpint (join->kind, ==, FS_MARK_JOIN);
  g_assert_cmpint (join->exit_code, ==, 3);
  g_assert_cmpint (join->time, >=, exited_at);
}

/* join(timeout) is a bracket that ends with the process still alive; a
 * signal is a mark with its name. */
static void
test_real_join_timeout_signal (Real          *r,
                               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FsProcess) worker = NULL;
  FsLifeline *lifeline;
  const FsMark *mark = NULL;

  worker = spawn (r, "sleeper", "basics.sleep", "seconds=30", NULL);
  lifeline = real_lifeline (r, worker);

  g_assert_false (fs_engine_join_sync (r->engine, worker, 0.2, &error));
  g_assert_no_error (error);
  WAIT_UNTIL (count_marks (lifeline, FS_MARK_JOIN, FS_JOIN_TIMED_OUT) == 1, 10, "the timed-out join");
  for (guint i = 0; i < fs_lifeline_get_n_marks (lifeline); i++)
    if (fs_lifeline_get_mark (lifeline, i)->kind == FS_MARK_JOIN)
      mark = fs_lifeline_get_mark (lifeline, i);
  g_assert_nonnull (mark);
  g_assert_cmpfloat_with_epsilon (mark->timeout, 0.2, 1e-9);
  g_assert_cmpint (mark->end - mark->time, >=, S(0.2) - S(0.01));
  g_assert_cmpint (fs_lifeline_get_end (lifeline), ==, FS_LIFELINE_END_NONE);
  g_assert_false (has_open_zombie (lifeline));

  g_assert_true (fs_engine_signal_sync (r->engine, worker, SIGTERM, FALSE, &error));
  g_assert_no_error (error);
  WAIT_UNTIL (count_marks (lifeline, FS_MARK_SIGNAL, 0) == 1 &&
              fs_lifeline_get_end (lifeline) != FS_LIFELINE_END_NONE, 10, "the signal and the reap");
  for (guint i = 0; i < fs_lifeline_get_n_marks (lifeline); i++)
    if (fs_lifeline_get_mark (lifeline, i)->kind == FS_MARK_SIGNAL)
      mark = fs_lifeline_get_mark (lifeline, i);
  g_assert_cmpint (mark->signum, ==, SIGTERM);
  g_assert_cmpint (fs_lifeline_get_end (lifeline), ==, FS_LIFELINE_END_SUPERVISOR);
  g_assert_cmpint (fs_lifeline_get_exit_code (lifeline), ==, -SIGTERM);
  g_assert_cmpint (mark->time, <=, fs_lifeline_get_end_time (lifeline));
}

static FsLifeline *
first_child_lifeline (Real       *r,
                      FsLifeline *parent)
{
  GListModel *list = fs_timeline_model_get_lifelines (r->model);

  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      FsLifeline *lifeline = fs_timeline_model_peek (r->model, i);

      for (guint j = 0; j < fs_timeline_model_get_n_links (r->model); j++)
        {
          const FsLink *link = fs_timeline_model_get_link (r->model, j);

          if (link->kind == FS_LINK_FORK && link->from == parent && link->to == lifeline)
            return lifeline;
        }
    }

  return NULL;
}

static const FsLink *
reparent_link (Real       *r,
               FsLifeline *child)
{
  for (guint j = 0; j < fs_timeline_model_get_n_links (r->model); j++)
    {
      const FsLink *link = fs_timeline_model_get_link (r->model, j);

      if (link->kind == FS_LINK_REPARENT && link->child == child)
        return link;
    }

  return NULL;
}

/* lifecycle.orphan: the worker exits at once, its child is adopted by the
 * supervisor (a subreaper), moves under it, and is reaped by it. */
static void
test_real_orphan (Real          *r,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FsProcess) worker = NULL;
  FsLifeline *supervisor = fs_timeline_model_lookup_process (r->model, fs_engine_get_supervisor (r->engine));
  FsLifeline *lifeline;
  FsLifeline *orphan = NULL;
  const FsLink *link = NULL;
  g_autofree char *label = NULL;
  g_autofree char *expected = NULL;

  worker = spawn (r, "orphan", "lifecycle.orphan", "seconds=30", NULL);
  lifeline = real_lifeline (r, worker);

  WAIT_UNTIL ((orphan = first_child_lifeline (r, lifeline)) != NULL &&
              (link = reparent_link (r, orphan)) != NULL &&
              fs_lifeline_get_end (lifeline) != FS_LIFELINE_END_NONE, 10, "the adoption");
  g_assert_true (link->from == lifeline);
  g_assert_cmpint (link->from_pid, ==, fs_lifeline_get_pid (lifeline));
  g_assert_true (link->to == supervisor);
  g_assert_true (link->to_supervisor);
  label = fs_timeline_dup_link_label (link);
  g_assert_cmpstr (label, ==, "adopted by the supervisor");
  g_clear_pointer (&label, g_free);
  g_assert_true (fs_lifeline_get_parent (orphan) == supervisor);
  g_assert_cmpint (fs_lifeline_get_end (orphan), ==, FS_LIFELINE_END_NONE);
  /* The worker was reaped by the supervisor at once (auto policy). */
  g_assert_cmpint (fs_lifeline_get_end (lifeline), ==, FS_LIFELINE_END_SUPERVISOR);

  g_assert_true (fs_engine_signal_sync (r->engine, fs_lifeline_get_process (orphan), SIGKILL, FALSE, &error));
  g_assert_no_error (error);
  WAIT_UNTIL (fs_lifeline_get_end (orphan) != FS_LIFELINE_END_NONE, 10, "the orphan's reap");
  g_assert_cmpint (fs_lifeline_get_end (orphan), ==, FS_LIFELINE_END_SUPERVISOR);
  label = fs_timeline_dup_end_label (r->model, orphan);
  expected = g_strdup_printf ("−SIGKILL · reaped by the supervisor (PID %d), its adopter", r->supervisor_pid);
  g_assert_cmpstr (label, ==, expected);
  /* The event log says it in the same words. */
  WAIT_UNTIL (event_text_has (r, strstr (expected, "reaped")), 10, "the event's text");
}

/* lifecycle.zombie: the worker's child is a zombie that its parent (the
 * worker) must reap; with reap=true the worker does, otherwise it exits and
 * the zombie is adopted and reaped by the supervisor. */
static void
test_real_grandchild_zombie (Real          *r,
                             gconstpointer  data)
{
  g_autoptr(FsProcess) reaps = NULL;
  g_autoptr(FsProcess) leaves = NULL;
  FsLifeline *lifeline;
  FsLifeline *child = NULL;
  const FsSegment *zombie;
  const FsLink *link = NULL;
  g_autofree char *label = NULL;
  g_autofree char *expected = NULL;

  reaps = spawn (r, "reaps", "lifecycle.zombie", "seconds=1", "reap=true");
  lifeline = real_lifeline (r, reaps);
  WAIT_UNTIL ((child = first_child_lifeline (r, lifeline)) != NULL &&
              fs_lifeline_get_end (child) != FS_LIFELINE_END_NONE, 10, "the reaped zombie");
  zombie = zombie_segment (child);
  g_assert_nonnull (zombie);
  g_assert_cmpint (zombie->reaper_pid, ==, fs_lifeline_get_pid (lifeline));
  g_assert_cmpint (fs_lifeline_get_end (child), ==, FS_LIFELINE_END_PARENT);
  g_assert_cmpint (fs_lifeline_get_reaper_pid (child), ==, fs_lifeline_get_pid (lifeline));
  g_assert_null (reparent_link (r, child));
  /* The timeline and the event log word it alike. */
  label = fs_timeline_dup_end_label (r->model, child);
  expected = g_strdup_printf ("reaped by its parent (PID %d)", fs_lifeline_get_pid (lifeline));
  g_assert_nonnull (strstr (label, expected));
  WAIT_UNTIL (event_text_has (r, expected), 10, "the event's text");

  leaves = spawn (r, "leaves", "lifecycle.zombie", "seconds=1", "reap=false");
  lifeline = real_lifeline (r, leaves);
  WAIT_UNTIL ((child = first_child_lifeline (r, lifeline)) != NULL &&
              (link = reparent_link (r, child)) != NULL &&
              fs_lifeline_get_end (child) != FS_LIFELINE_END_NONE, 10, "the adopted zombie");
  zombie = zombie_segment (child);
  g_assert_nonnull (zombie);
  g_assert_cmpint (zombie->reaper_pid, ==, fs_lifeline_get_pid (lifeline));
  g_assert_true (link->to_supervisor);
  g_assert_cmpint (fs_lifeline_get_end (child), ==, FS_LIFELINE_END_SUPERVISOR);
  /* It stayed a zombie until its adopter reaped it. */
  g_assert_cmpint (zombie->end, ==, fs_lifeline_get_end_time (child));
  g_assert_cmpint (zombie->end, >=, link->time);
}

/* Clear Finished in the engine clears the timeline too: what the engine
 * drops, the timeline forgets; what lives stays. */
static void
test_real_clear_finished (Real          *r,
                          gconstpointer  data)
{
  g_autoptr(GPtrArray) mirror = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(FsProcess) sleeper = NULL;
  g_autoptr(FsProcess) done = NULL;
  g_autoptr(FsLifeline) gone = NULL;
  FsProcess *supervisor = fs_engine_get_supervisor (r->engine);

  for (guint i = 0; i < g_list_model_get_n_items (fs_timeline_model_get_lifelines (r->model)); i++)
    g_ptr_array_add (mirror, g_list_model_get_item (fs_timeline_model_get_lifelines (r->model), i));
  g_signal_connect (r->model, "items-changed", G_CALLBACK (mirror_items_changed_cb), mirror);

  sleeper = spawn (r, "sleeper", "basics.sleep", "seconds=30", NULL);
  done = spawn (r, "done", "basics.exit", "code=0", NULL);
  gone = g_object_ref (real_lifeline (r, done));
  WAIT_UNTIL (fs_lifeline_get_end (gone) != FS_LIFELINE_END_NONE, 10, "the reap");
  real_lifeline (r, sleeper);
  g_assert_cmpuint (g_list_model_get_n_items (fs_timeline_model_get_lifelines (r->model)), ==, 3);

  fs_engine_clear_finished (r->engine);
  g_assert_null (fs_timeline_model_lookup_process (r->model, done));
  g_assert_cmpint (fs_timeline_model_get_row (r->model, gone), ==, -1);
  g_assert_nonnull (fs_timeline_model_lookup_process (r->model, sleeper));
  g_assert_nonnull (fs_timeline_model_lookup_process (r->model, supervisor));
  g_assert_cmpuint (g_list_model_get_n_items (fs_timeline_model_get_lifelines (r->model)), ==, 2);
  assert_mirror (fs_timeline_model_get_lifelines (r->model), mirror);
  for (guint i = 0; i < fs_timeline_model_get_n_links (r->model); i++)
    g_assert_true (fs_timeline_model_get_link (r->model, i)->child != gone);

  g_signal_handlers_disconnect_by_data (r->model, mirror);
}

/* ---- in the window ------------------------------------------------------ */

typedef struct
{
  Real              real;
  FsPluginRegistry *registry;
  FsWindow         *window;
  FsTimelinePane   *pane;
} InWindow;

static void
in_window_setup (InWindow      *w,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  real_setup (&w->real, data);
  w->registry = fs_plugin_registry_new ();
  g_assert_true (fs_plugin_registry_load_sync (w->registry, &error));
  g_assert_no_error (error);

  w->window = fs_window_new (NULL, w->real.engine, w->registry, NULL);
  g_object_ref_sink (w->window);
  w->pane = FS_TIMELINE_PANE (fs_timeline_pane_new_for_window (w->window));
  fs_window_set_timeline (w->window, GTK_WIDGET (w->pane));
  gtk_window_set_default_size (GTK_WINDOW (w->window), 1200, 700);
  gtk_window_present (GTK_WINDOW (w->window));
  WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (fs_timeline_pane_get_timeline (w->pane))), 10,
              "the timeline pane");
}

static void
in_window_teardown (InWindow      *w,
                    gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (w->window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_finalize_object (g_steal_pointer (&w->window));
  g_assert_finalize_object (g_steal_pointer (&w->registry));
  real_teardown (&w->real, data);
}

/* Clicking a lifeline selects the process in the tree, and selecting a
 * tree row selects its lifeline; the pane's bar drives the timeline. */
static void
test_window_selection (InWindow      *w,
                       gconstpointer  data)
{
  FsTimeline *timeline = fs_timeline_pane_get_timeline (w->pane);
  FsTimelineModel *model = fs_timeline_pane_get_model (w->pane);
  FsProcess *supervisor = fs_engine_get_supervisor (w->real.engine);
  g_autoptr(FsProcess) worker = NULL;
  GtkGesture *click = find_click_gesture (GTK_WIDGET (timeline));
  int row;

  g_assert_true (fs_timeline_model_get_engine (model) == w->real.engine);
  worker = spawn (&w->real, "sleeper", "basics.sleep", "seconds=30", NULL);
  WAIT_UNTIL (fs_timeline_model_lookup_process (model, worker) != NULL, 10, "the worker's lifeline");
  /* The tree shows the row once the window has applied the engine's news. */
  WAIT_UNTIL (fs_window_select (w->window, supervisor), 10, "the tree row");
  g_assert_true (fs_timeline_get_selected_process (timeline) == supervisor);

  row = fs_timeline_model_get_row (model, fs_timeline_model_lookup_process (model, worker));
  g_assert_cmpint (row, ==, 1);
  wait_for_frame (GTK_WIDGET (timeline));
  g_signal_emit_by_name (click, "released", 1, gtk_widget_get_width (GTK_WIDGET (timeline)) - 20.0,
                         FS_TIMELINE_AXIS_HEIGHT + FS_TIMELINE_ROW_HEIGHT * row + 20);
  g_assert_true (fs_timeline_get_selected_process (timeline) == worker);
  g_assert_true (fs_window_get_selected (w->window) == worker);

  g_assert_true (fs_window_select (w->window, supervisor));
  g_assert_true (fs_timeline_get_selected_process (timeline) == supervisor);

  g_assert_false (fs_timeline_get_paused (timeline));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (w->pane), "timeline.paused", NULL));
  g_assert_true (fs_timeline_get_paused (timeline));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (w->pane), "timeline.paused", NULL));
  g_assert_false (fs_timeline_get_paused (timeline));
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  t0 = g_get_monotonic_time () - S(100);

  g_test_add ("/forkscope/timeline/model/family", Family, NULL,
              family_setup, test_model_family, family_teardown);
  g_test_add ("/forkscope/timeline/model/tooltips", Family, NULL,
              family_setup, test_model_tooltips, family_teardown);
  g_test_add_func ("/forkscope/timeline/model/history", test_model_history);
  g_test_add ("/forkscope/timeline/widget/selection", Widget, NULL,
              widget_setup, test_widget_selection, widget_teardown);
  g_test_add ("/forkscope/timeline/widget/pause", Widget, NULL,
              widget_setup, test_widget_pause, widget_teardown);
  g_test_add ("/forkscope/timeline/widget/export", Widget, NULL,
              widget_setup, test_widget_export, widget_teardown);
  g_test_add ("/forkscope/timeline/widget/fit", Widget, NULL,
              widget_setup, test_widget_fit, widget_teardown);
  g_test_add ("/forkscope/timeline/widget/reveal", Widget, NULL,
              widget_setup, test_widget_reveal, widget_teardown);
  g_test_add ("/forkscope/timeline/painter/labels", Family, NULL,
              family_setup, test_painter_labels, family_teardown);
  g_test_add ("/forkscope/timeline/engine/zombie-join", Real, NULL,
              real_setup, test_real_zombie_join, real_teardown);
  g_test_add ("/forkscope/timeline/engine/join-timeout-signal", Real, NULL,
              real_setup, test_real_join_timeout_signal, real_teardown);
  g_test_add ("/forkscope/timeline/engine/orphan", Real, NULL,
              real_setup, test_real_orphan, real_teardown);
  g_test_add ("/forkscope/timeline/engine/grandchild-zombie", Real, NULL,
              real_setup, test_real_grandchild_zombie, real_teardown);
  g_test_add ("/forkscope/timeline/engine/clear-finished", Real, NULL,
              real_setup, test_real_clear_finished, real_teardown);

  g_test_add ("/forkscope/timeline/window/selection", InWindow, NULL,
              in_window_setup, test_window_selection, in_window_teardown);

  return g_test_run ();
}
