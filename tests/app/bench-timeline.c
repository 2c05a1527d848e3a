/* bench-timeline.c: frame time of the timeline with 500 lifelines
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>

#include <gtk/gtk.h>
#include <gsk/gl/gskglrenderer.h>
#include <adwaita.h>

#include "fs-timeline.h"
#include "fs-timeline-model.h"

/* A synthetic 10-minute history of 500 processes (100 workers, each
 * forking four children; they stop and continue, get signals and joins,
 * exit, linger as zombies, are reaped, some are orphaned and adopted),
 * drawn in a 1280x800 window. One frame = the widget's snapshot plus
 * rendering the node to a texture, the work GTK does per frame. The
 * baseline is the same frame with an empty model. */

#define N_WORKERS     100
#define N_CHILDREN    4
#define HISTORY       (600 * G_USEC_PER_SEC)
#define FRAMES        60
#define WIDTH         1280
#define HEIGHT        800

typedef struct
{
  gint64       time;
  FsEventKind  kind;
  guint        process;
  int          new_ppid;
  guint        new_parent;
  GVariant    *fields;
} Step;

typedef struct
{
  GArray     *steps;
  GPtrArray  *processes;
  GRand      *rand;
  gint64      now;
} Script;

static void
add_step (Script      *script,
          gint64       time,
          FsEventKind  kind,
          guint        process,
          GVariant    *fields)
{
  Step step = { time, kind, process, 0, 0, fields != NULL ? g_variant_ref_sink (fields) : NULL };

  if (time < script->now)
    g_array_append_val (script->steps, step);
  else if (step.fields != NULL)
    g_variant_unref (step.fields);
}

static guint
add_process (Script        *script,
             FsProcessKind  kind,
             const char    *name,
             int            pid,
             int            ppid,
             guint          parent)
{
  FsProcess *process = fs_process_new (script->processes->len, kind);
  GVariantBuilder facts;

  g_variant_builder_init (&facts, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&facts, "{sv}", "name", g_variant_new_string (name));
  g_variant_builder_add (&facts, "{sv}", "pid", g_variant_new_int32 (pid));
  g_variant_builder_add (&facts, "{sv}", "ppid", g_variant_new_int32 (ppid));
  g_variant_builder_add (&facts, "{sv}", "birth-ppid", g_variant_new_int32 (ppid));
  fs_process_apply (process, g_variant_builder_end (&facts));
  if (script->processes->len > 0)
    fs_process_set_parent (process, g_ptr_array_index (script->processes, parent));
  g_ptr_array_add (script->processes, process);

  return script->processes->len - 1;
}

static gint64
rand_time (Script *script,
           double  from,
           double  to)
{
  return (gint64)(g_rand_double_range (script->rand, from, to) * G_USEC_PER_SEC);
}

/* Stops, signals and joins over [birth, end). */
static void
add_life (Script *script,
          guint   process,
          gint64  birth,
          gint64  end,
          gboolean joins)
{
  for (gint64 t = birth + rand_time (script, 5, 30); t < end; t += rand_time (script, 10, 40))
    {
      gint64 resume = t + rand_time (script, 1, 5);

      add_step (script, t, FS_EVENT_STATE, process, g_variant_new_parsed ("{'state': <'stopped'>}"));
      add_step (script, MIN (resume, end - 1), FS_EVENT_STATE, process,
                g_variant_new_parsed ("{'state': <'sleeping'>}"));
    }
  for (guint i = 0; i < 2; i++)
    add_step (script, birth + rand_time (script, 0, (end - birth) / (double)G_USEC_PER_SEC),
              FS_EVENT_SIGNALLED, process, g_variant_new_parsed ("{'signal': <int32 10>}"));
  if (joins)
    {
      gint64 t = birth + rand_time (script, 0, (end - birth) / (double)G_USEC_PER_SEC);

      add_step (script, t, FS_EVENT_JOIN_STARTED, process, g_variant_new_parsed ("{'timeout': <1.0>}"));
      add_step (script, t + G_USEC_PER_SEC, FS_EVENT_JOIN_TIMED_OUT, process,
                g_variant_new_parsed ("{'timeout': <1.0>}"));
    }
}

static int
compare_steps (gconstpointer a,
               gconstpointer b)
{
  const Step *sa = a;
  const Step *sb = b;

  if (sa->time != sb->time)
    return sa->time < sb->time ? -1 : 1;
  /* Same time: keep the order they were made in (births first). */
  return sa->process < sb->process ? -1 : sa->process > sb->process;
}

static void
build_script (Script *script)
{
  gint64 start = script->now - HISTORY;
  int pid = 2000;

  add_process (script, FS_PROCESS_KIND_SUPERVISOR, "forkscope-supervisor", 1000, 1, 0);

  for (guint w = 0; w < N_WORKERS; w++)
    {
      g_autofree char *name = g_strdup_printf ("Worker-%u", w + 1);
      int worker_pid = pid++;
      guint worker = add_process (script, FS_PROCESS_KIND_WORKER, name, worker_pid, 1000, 0);
      gint64 birth = start + rand_time (script, 0, 560);
      gint64 death = birth + rand_time (script, 20, 500);
      gint64 reap = death + rand_time (script, 0.01, 8);

      add_step (script, birth, FS_EVENT_SPAWNED, worker, NULL);
      add_life (script, worker, birth, MIN (death, script->now), TRUE);
      add_step (script, death, FS_EVENT_EXITED, worker, g_variant_new_parsed ("{'exitcode': <int32 0>}"));
      add_step (script, reap, FS_EVENT_REAPED, worker,
                g_variant_new_parsed ("{'exitcode': <int32 0>, 'reaper': <int32 1000>}"));

      for (guint c = 0; c < N_CHILDREN; c++)
        {
          int child_pid = pid++;
          guint child = add_process (script, FS_PROCESS_KIND_DESCENDANT, name, child_pid, worker_pid, worker);
          gint64 cbirth = birth + rand_time (script, 1, 15);
          gint64 cdeath = cbirth + rand_time (script, 5, 600);
          gint64 creap = cdeath + rand_time (script, 0.05, 3);

          add_step (script, cbirth, FS_EVENT_APPEARED, child, NULL);
          add_life (script, child, cbirth, MIN (cdeath, script->now), FALSE);
          if (cdeath > death)
            {
              /* Orphaned when the worker died: adopted by the supervisor. */
              Step step = { death + G_USEC_PER_SEC / 10, FS_EVENT_ADOPTED, child, 1000, 0,
                            g_variant_ref_sink (g_variant_new_parsed ("{'from': <int32 %i>, 'to': <int32 1000>}",
                                                                      worker_pid)) };

              if (step.time < script->now)
                g_array_append_val (script->steps, step);
              else
                g_variant_unref (step.fields);
              add_step (script, cdeath, FS_EVENT_EXITED, child, NULL);
              add_step (script, creap, FS_EVENT_REAPED, child,
                        g_variant_new_parsed ("{'exitcode': <int32 0>, 'reaper': <int32 1000>}"));
            }
          else
            {
              add_step (script, cdeath, FS_EVENT_STATE, child, g_variant_new_parsed ("{'state': <'zombie'>}"));
              add_step (script, MIN (creap, death), FS_EVENT_GONE, child,
                        g_variant_new_parsed ("{'reaper': <int32 %i>}", worker_pid));
            }
        }
    }

  g_array_sort (script->steps, compare_steps);
}

static guint
feed_script (Script          *script,
             FsTimelineModel *model)
{
  fs_timeline_model_add_process (model, g_ptr_array_index (script->processes, 0),
                                 script->now - HISTORY);

  for (guint i = 0; i < script->steps->len; i++)
    {
      Step *step = &g_array_index (script->steps, Step, i);
      FsProcess *process = g_ptr_array_index (script->processes, step->process);
      g_autoptr(FsEvent) event = NULL;

      if (step->new_ppid > 0)
        {
          fs_process_apply (process, g_variant_new_parsed ("{'ppid': <int32 %i>}", step->new_ppid));
          fs_process_set_parent (process, g_ptr_array_index (script->processes, step->new_parent));
        }
      event = fs_event_new (step->kind, step->time, process, step->fields);
      fs_timeline_model_add_event (model, event);
    }

  return script->steps->len;
}

static gboolean
timeout_cb (gpointer data)
{
  g_error ("Timed out waiting for %s", (const char *)data);
  return G_SOURCE_REMOVE;
}

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
  gulong id = g_signal_connect (clock, "after-paint", G_CALLBACK (drawn_cb), &drawn);
  guint timeout = g_timeout_add_seconds (20, timeout_cb, (gpointer)"a frame");

  gtk_widget_queue_draw (widget);
  while (!drawn)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (timeout);
  g_signal_handler_disconnect (clock, id);
}

/* ms per frame: snapshot, then (with a renderer) render to a texture. The
 * view pans a pixel a frame, as it does when following the present. */
static double
measure (FsTimeline  *timeline,
         GskRenderer *renderer,
         guint        frames)
{
  GtkWidget *widget = GTK_WIDGET (timeline);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  gint64 span = fs_timeline_get_span (timeline);
  gint64 end = g_get_monotonic_time () - span / 10;
  gint64 begin = 0;

  /* Warm up: layouts cached, renderer caches filled. */
  for (guint i = 0; i < frames + 3; i++)
    {
      GtkSnapshot *snapshot;
      GskRenderNode *node;

      if (i == 3)
        begin = g_get_monotonic_time ();

      fs_timeline_scroll_to_time (timeline, end - (frames - i) * span / width);
      snapshot = gtk_snapshot_new ();
      GTK_WIDGET_GET_CLASS (widget)->snapshot (widget, snapshot);
      node = gtk_snapshot_free_to_node (snapshot);
      if (renderer != NULL && node != NULL)
        {
          GdkTexture *texture = gsk_renderer_render_texture (renderer, node,
                                                             &GRAPHENE_RECT_INIT (0, 0, width, height));

          g_object_unref (texture);
        }
      g_clear_pointer (&node, gsk_render_node_unref);
    }

  return (g_get_monotonic_time () - begin) / 1000.0 / frames;
}

static void
report (const char *renderer,
        const char *scenario,
        double      ms,
        double      baseline)
{
  g_print ("  %-6s %-44s %8.2f ms/frame   empty %6.2f ms   ratio %5.2fx\n",
           renderer, scenario, ms, baseline, ms / baseline);
}

static void
run_renderer (const char      *name,
              GskRenderer     *renderer,
              FsTimeline      *timeline,
              FsTimelineModel *empty,
              FsTimelineModel *full,
              GtkAdjustment   *vadjustment)
{
  double baseline, ms;

  fs_timeline_set_model (timeline, empty);
  fs_timeline_set_span (timeline, 60 * G_USEC_PER_SEC);
  wait_for_frame (GTK_WIDGET (timeline));
  baseline = measure (timeline, renderer, FRAMES);

  fs_timeline_set_model (timeline, full);
  wait_for_frame (GTK_WIDGET (timeline));
  gtk_adjustment_set_value (vadjustment, 0);
  ms = measure (timeline, renderer, FRAMES);
  report (name, "500 lifelines, 60 s visible, top rows", ms, baseline);

  gtk_adjustment_set_value (vadjustment, gtk_adjustment_get_upper (vadjustment) / 2);
  ms = measure (timeline, renderer, FRAMES);
  report (name, "500 lifelines, 60 s visible, middle rows", ms, baseline);

  fs_timeline_set_span (timeline, HISTORY);
  ms = measure (timeline, renderer, FRAMES);
  report (name, "500 lifelines, all 10 min visible, middle", ms, baseline);
  gtk_adjustment_set_value (vadjustment, 0);
}

int
main (int   argc,
      char *argv[])
{
  Script script = { 0 };
  g_autoptr(FsTimelineModel) empty = NULL;
  g_autoptr(FsTimelineModel) full = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GskRenderer) cairo_renderer = NULL;
  g_autoptr(GskRenderer) gl_renderer = NULL;
  g_autofree char *png_path = NULL;
  g_autoptr(GFile) png = NULL;
  GtkWidget *window, *scrolled;
  FsTimeline *timeline;
  GdkSurface *surface;
  gint64 begin;
  guint n_events;
  double ms;

  gtk_init ();
  adw_init ();

  script.steps = g_array_new (FALSE, FALSE, sizeof (Step));
  script.processes = g_ptr_array_new_with_free_func (g_object_unref);
  script.rand = g_rand_new_with_seed (42);
  script.now = g_get_monotonic_time ();
  build_script (&script);

  empty = fs_timeline_model_new ();
  full = fs_timeline_model_new ();
  begin = g_get_monotonic_time ();
  n_events = feed_script (&script, full);
  ms = (g_get_monotonic_time () - begin) / 1000.0;

  g_print ("timeline benchmark: %u lifelines, %u events over %d minutes, %dx%d window\n",
           g_list_model_get_n_items (G_LIST_MODEL (full)), n_events,
           (int)(HISTORY / G_USEC_PER_SEC / 60), WIDTH, HEIGHT);
  g_print ("  model: recording all events took %.1f ms (%.2f µs per event)\n",
           ms, ms * 1000 / n_events);

  timeline = FS_TIMELINE (fs_timeline_new ());
  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), GTK_WIDGET (timeline));
  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), WIDTH, HEIGHT);
  gtk_window_set_child (GTK_WINDOW (window), scrolled);
  gtk_window_present (GTK_WINDOW (window));
  fs_timeline_set_model (timeline, full);
  wait_for_frame (GTK_WIDGET (timeline));
  g_print ("  timeline widget: %dx%d\n",
           gtk_widget_get_width (GTK_WIDGET (timeline)), gtk_widget_get_height (GTK_WIDGET (timeline)));

  surface = gtk_native_get_surface (GTK_NATIVE (window));

  /* The live view would fit the whole history (some processes have lived
   * through it): pick the span, as the scenarios below do. */
  fs_timeline_set_span (timeline, 30 * G_USEC_PER_SEC);
  ms = measure (timeline, NULL, FRAMES);
  g_print ("  snapshot only (cairo drawing into the node), 30 s visible: %.2f ms/frame\n", ms);

  cairo_renderer = gsk_cairo_renderer_new ();
  if (!gsk_renderer_realize (cairo_renderer, surface, &error))
    g_error ("Cannot realize the cairo renderer: %s", error->message);
  run_renderer ("cairo", cairo_renderer, timeline, empty, full,
                gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled)));
  gsk_renderer_unrealize (cairo_renderer);

  gl_renderer = gsk_gl_renderer_new ();
  if (gsk_renderer_realize (gl_renderer, surface, &error))
    {
      run_renderer ("gl", gl_renderer, timeline, empty, full,
                    gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled)));
      gsk_renderer_unrealize (gl_renderer);
    }
  else
    {
      g_print ("  gl: not available here (%s)\n", error->message);
      g_clear_error (&error);
    }

  fs_timeline_set_model (timeline, full);
  png_path = g_build_filename (g_get_tmp_dir (), "forkscope-bench-timeline.png", NULL);
  png = g_file_new_for_path (png_path);
  /* The export has the rows alive in the visible range: a minute's worth,
   * then the whole history (every row). */
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(GdkTexture) texture = NULL;

      fs_timeline_set_span (timeline, i == 0 ? 60 * G_USEC_PER_SEC : HISTORY);
      begin = g_get_monotonic_time ();
      if (!fs_timeline_export_png (timeline, png, &error))
        g_error ("Export failed: %s", error->message);
      ms = (g_get_monotonic_time () - begin) / 1000.0;
      texture = gdk_texture_new_from_file (png, &error);
      g_assert_no_error (error);
      g_print ("  export: %s visible, %dx%d PNG in %.1f ms\n", i == 0 ? "60 s" : "10 min",
               gdk_texture_get_width (texture), gdk_texture_get_height (texture), ms);
    }
  g_file_delete (png, NULL, NULL);

  gtk_window_destroy (GTK_WINDOW (window));
  for (guint i = 0; i < script.steps->len; i++)
    g_clear_pointer (&g_array_index (script.steps, Step, i).fields, g_variant_unref);
  g_array_unref (script.steps);
  g_ptr_array_unref (script.processes);
  g_rand_free (script.rand);

  return 0;
}
