/* test-lessons.c: the lesson player, FsLessonPanel, over a real engine:
 * built-in lessons stepped through, paused, continued, restarted and
 * stopped, checked against the panel and the real /proc.
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <adwaita.h>

#include "fs-event-item.h"
#include "fs-event-log.h"
#include "fs-lesson-panel.h"
#include "fs-process-view.h"
#include "fs-test-engine.h"
#include "fs-timeline-pane.h"
#include "fs-window.h"

#define WAIT 20.0

typedef struct
{
  FsTestEngine      t;
  FsPluginRegistry *registry;
  GtkWindow        *window;
  FsLessonPanel    *panel;
  GPtrArray        *lesson_events;   /* FsEvent from the panel's "event" */
  GArray           *statuses;        /* int, one per "finished" */
  guint             n_paused_notify;
} Fixture;

static void
lesson_event_cb (FsLessonPanel *panel,
                 FsEvent       *event,
                 Fixture       *f)
{
  g_ptr_array_add (f->lesson_events, fs_event_ref (event));
}

static void
finished_cb (FsLessonPanel *panel,
             int            status,
             Fixture       *f)
{
  g_array_append_val (f->statuses, status);
}

static void
paused_cb (FsLessonPanel *panel,
           GParamSpec    *pspec,
           Fixture       *f)
{
  f->n_paused_notify++;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fs_test_engine_setup (&f->t, data);
  /* Fast scans keep the tests short. */
  fs_engine_set_scan_interval (f->t.engine, 100);

  f->registry = fs_plugin_registry_new ();
  g_assert_true (fs_plugin_registry_load_sync (f->registry, &error));
  g_assert_no_error (error);

  f->lesson_events = g_ptr_array_new_with_free_func ((GDestroyNotify) fs_event_unref);
  f->statuses = g_array_new (FALSE, FALSE, sizeof (int));

  f->panel = FS_LESSON_PANEL (fs_lesson_panel_new ());
  g_object_ref_sink (f->panel);
  fs_lesson_panel_set_engine (f->panel, f->t.engine);
  g_signal_connect (f->panel, "event", G_CALLBACK (lesson_event_cb), f);
  g_signal_connect (f->panel, "finished", G_CALLBACK (finished_cb), f);
  g_signal_connect (f->panel, "notify::paused", G_CALLBACK (paused_cb), f);

  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->window, 900, 500);
  gtk_window_set_child (f->window, GTK_WIDGET (f->panel));
  gtk_window_present (f->window);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_signal_handlers_disconnect_by_data (f->panel, f);
  gtk_window_destroy (f->window);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_finalize_object (g_steal_pointer (&f->panel));
  g_assert_finalize_object (g_steal_pointer (&f->registry));
  g_clear_pointer (&f->lesson_events, g_ptr_array_unref);
  g_clear_pointer (&f->statuses, g_array_unref);
  fs_test_engine_teardown (&f->t, data);
}

/* ---- helpers ----------------------------------------------------------- */

static FsLesson *
load (Fixture    *f,
      const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FsLesson) lesson = fs_lesson_new_for_name (name, f->registry, &error);

  g_assert_no_error (error);
  g_assert_true (fs_script_get_checked (fs_lesson_get_script (lesson)));
  fs_lesson_panel_set_lesson (f->panel, lesson);
  g_assert_true (fs_lesson_panel_get_lesson (f->panel) == lesson);
  return lesson;   /* the panel holds it */
}

static GtkWidget *
find_by_id (GtkWidget  *widget,
            const char *id)
{
  if (g_strcmp0 (gtk_buildable_get_buildable_id (GTK_BUILDABLE (widget)), id) == 0)
    return widget;

  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_by_id (c, id);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* A widget of the panel's template, by its id. */
static GtkWidget *
child (Fixture    *f,
       const char *name)
{
  GtkWidget *widget = find_by_id (GTK_WIDGET (f->panel), name);

  if (widget == NULL)
    g_error ("no widget “%s” in the panel", name);
  return widget;
}

static const char *
label_text (Fixture    *f,
            const char *name)
{
  return gtk_label_get_label (GTK_LABEL (child (f, name)));
}

static gboolean
settled (FsTestEngine *t,
         gpointer      data)
{
  Fixture *f = (Fixture *) t;
  FsScriptRunnerState state = fs_lesson_panel_get_state (f->panel);

  return state == FS_SCRIPT_RUNNER_PAUSED || state == FS_SCRIPT_RUNNER_FINISHED;
}

static void
wait_settled (Fixture *f)
{
  fs_test_wait (&f->t, settled, NULL, WAIT, "the lesson to pause or finish");
}

static gboolean
panel_settled (FsTestEngine *t,
               gpointer      data)
{
  FsScriptRunnerState state = fs_lesson_panel_get_state (data);

  return state == FS_SCRIPT_RUNNER_PAUSED || state == FS_SCRIPT_RUNNER_FINISHED;
}

static void
wait_settled_panel (Fixture       *f,
                    FsLessonPanel *panel)
{
  fs_test_wait (&f->t, panel_settled, panel, WAIT, "the window's lesson to pause or finish");
}

static gboolean
panel_finished (FsTestEngine *t,
                gpointer      data)
{
  return fs_lesson_panel_get_state (data) == FS_SCRIPT_RUNNER_FINISHED;
}

static void
wait_panel_finished (Fixture       *f,
                     FsLessonPanel *panel)
{
  fs_test_wait (&f->t, panel_finished, panel, WAIT, "the window's lesson to finish");
}

static gboolean
finished (FsTestEngine *t,
          gpointer      data)
{
  Fixture *f = (Fixture *) t;

  return fs_lesson_panel_get_state (f->panel) == FS_SCRIPT_RUNNER_FINISHED;
}

static void
wait_finished (Fixture *f)
{
  fs_test_wait (&f->t, finished, NULL, WAIT, "the lesson to finish");
}

/* One statement: Step, then wait until the runner pauses again. */
static void
step (Fixture *f)
{
  g_assert_true (fs_lesson_panel_get_state (f->panel) != FS_SCRIPT_RUNNER_RUNNING);
  fs_lesson_panel_step (f->panel);
  wait_settled (f);
  g_assert_cmpint (fs_lesson_panel_get_state (f->panel), ==, FS_SCRIPT_RUNNER_PAUSED);
  g_assert_true (fs_lesson_panel_get_paused (f->panel));
}

/* The line of the first statement whose text starts with @prefix. */
static guint
line_of (FsLesson   *lesson,
         const char *prefix)
{
  FsScript *script = fs_lesson_get_script (lesson);

  for (guint i = 0; i < fs_script_get_n_statements (script); i++)
    {
      const FsScriptStatement *st = fs_script_get_statement (script, i);

      if (g_str_has_prefix (fs_script_statement_get_text (st), prefix))
        return fs_script_statement_get_line (st);
    }
  g_error ("no statement starting with “%s”", prefix);
  return 0;
}

static guint
count_kind (FsLesson              *lesson,
            FsScriptStatementKind  kind)
{
  FsScript *script = fs_lesson_get_script (lesson);
  guint n = 0;

  for (guint i = 0; i < fs_script_get_n_statements (script); i++)
    if (fs_script_statement_get_kind (fs_script_get_statement (script, i)) == kind)
      n++;
  return n;
}

/* Step until the statement shown next is the one starting with @prefix. */
static void
step_to (Fixture    *f,
         FsLesson   *lesson,
         const char *prefix)
{
  guint line = line_of (lesson, prefix);

  for (guint i = 0; fs_lesson_panel_get_line (f->panel) != line; i++)
    {
      g_assert_cmpuint (i, <, fs_script_get_n_statements (fs_lesson_get_script (lesson)));
      step (f);
    }
}

static guint
count_lesson_events (Fixture     *f,
                     FsEventKind  kind)
{
  guint n = 0;

  for (guint i = 0; i < f->lesson_events->len; i++)
    if (((FsEvent *) g_ptr_array_index (f->lesson_events, i))->kind == kind)
      n++;
  return n;
}

/* The first child @process forked. The model keeps it for as long as the
 * engine keeps @process, so no reference is returned. */
static FsProcess *
first_child (FsProcess *process)
{
  GListModel *children = fs_process_get_birth_children (process);
  FsProcess *first;

  g_assert_cmpuint (g_list_model_get_n_items (children), >=, 1);
  first = g_list_model_get_item (children, 0);
  g_object_unref (first);
  return first;
}

static gboolean
action_enabled (Fixture    *f,
                const char *button)
{
  return gtk_widget_get_sensitive (child (f, button));
}

/* ---- tests ------------------------------------------------------------- */

static void
test_shows_lesson (Fixture       *f,
                   gconstpointer  data)
{
  FsLesson *lesson;
  GtkWidget *paragraphs;
  guint n_paragraphs = 0;
  g_autofree char *line = NULL;

  /* Nothing to play yet. */
  g_assert_false (action_enabled (f, "play_button"));
  g_assert_false (action_enabled (f, "step_button"));

  lesson = load (f, "zombie");
  g_assert_cmpstr (label_text (f, "title_label"), ==, "A zombie you can watch");
  /* Folded at first; unfolded, the explanation's paragraphs. */
  g_assert_false (gtk_expander_get_expanded (GTK_EXPANDER (child (f, "explanation_expander"))));
  gtk_expander_set_expanded (GTK_EXPANDER (child (f, "explanation_expander")), TRUE);
  paragraphs = child (f, "paragraphs_box");
  for (GtkWidget *w = gtk_widget_get_first_child (paragraphs); w != NULL; w = gtk_widget_get_next_sibling (w))
    {
      g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (w)), ==,
                       fs_lesson_get_paragraphs (lesson)[n_paragraphs]);
      n_paragraphs++;
    }
  g_assert_cmpuint (n_paragraphs, ==, g_strv_length ((char **) fs_lesson_get_paragraphs (lesson)));
  g_assert_true (gtk_widget_get_visible (child (f, "explanation_expander")));
  /* Another lesson: still unfolded, with its own paragraphs. */
  load (f, "pool");
  g_assert_true (gtk_expander_get_expanded (GTK_EXPANDER (child (f, "explanation_expander"))));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (gtk_widget_get_first_child (child (f, "paragraphs_box")))), ==,
                   fs_lesson_get_paragraphs (fs_lesson_panel_get_lesson (f->panel))[0]);
  lesson = load (f, "zombie");

  /* Ready: the first statement is shown, Play and Step work, Stop does not. */
  g_assert_cmpint (fs_lesson_panel_get_state (f->panel), ==, FS_SCRIPT_RUNNER_READY);
  g_assert_false (fs_lesson_panel_get_paused (f->panel));
  g_assert_null (fs_lesson_panel_get_say_text (f->panel));
  g_assert_cmpuint (fs_lesson_panel_get_line (f->panel), ==, line_of (lesson, "say"));
  g_assert_true (g_str_has_prefix (label_text (f, "statement_label"), "say \"z forks"));
  line = g_strdup_printf ("next, line %u", line_of (lesson, "say"));
  g_assert_cmpstr (label_text (f, "line_label"), ==, line);
  g_assert_true (action_enabled (f, "play_button"));
  g_assert_true (action_enabled (f, "step_button"));
  g_assert_false (action_enabled (f, "stop_button"));
  g_assert_false (action_enabled (f, "restart_button"));
  g_assert_null (fs_lesson_panel_get_runner (f->panel));

  /* Without an engine nothing can run, and nothing does. */
  fs_lesson_panel_set_engine (f->panel, NULL);
  g_assert_false (action_enabled (f, "play_button"));
  fs_lesson_panel_play (f->panel);
  g_assert_null (fs_lesson_panel_get_runner (f->panel));
  fs_lesson_panel_set_engine (f->panel, f->t.engine);
  g_assert_true (action_enabled (f, "play_button"));

  /* No lesson: nothing shown. */
  fs_lesson_panel_set_lesson (f->panel, NULL);
  g_assert_false (gtk_widget_get_visible (child (f, "explanation_expander")));
  g_assert_false (action_enabled (f, "play_button"));
}

/* The zombie lesson, one statement at a time: what is shown, what is in
 * /proc between steps, and a zombie that stays one while the player is
 * paused under the join policy. */
static void
test_step_zombie (Fixture       *f,
                  gconstpointer  data)
{
  FsLesson *lesson = load (f, "zombie");
  FsScriptRunner *runner;
  FsProcess *z, *z1, *w;
  int z_pid, z1_pid, w_pid;
  guint n_expects = count_kind (lesson, FS_SCRIPT_STATEMENT_EXPECT);
  guint n_says = count_kind (lesson, FS_SCRIPT_STATEMENT_SAY);

  /* Step runs the first statement, the narration, and pauses. */
  step (f);
  runner = fs_lesson_panel_get_runner (f->panel);
  g_assert_nonnull (runner);
  g_assert_true (fs_script_runner_get_step_mode (runner));
  g_assert_cmpstr (fs_lesson_panel_get_say_text (f->panel), ==,
                   "z forks a child that exits at once; z sleeps for five minutes and never waits for it.");
  g_assert_cmpstr (label_text (f, "say_label"), ==, fs_lesson_panel_get_say_text (f->panel));
  g_assert_cmpuint (fs_lesson_panel_get_line (f->panel), ==, line_of (lesson, "process z"));
  g_assert_cmpstr (label_text (f, "statement_label"), ==, "process z lifecycle.zombie seconds=300");
  g_assert_cmpstr (label_text (f, "status_label"), ==, "Paused");
  g_assert_cmpuint (f->n_paused_notify, >=, 1);
  g_assert_true (action_enabled (f, "stop_button"));
  g_assert_true (action_enabled (f, "restart_button"));
  g_assert_cmpuint (count_lesson_events (f, FS_EVENT_SAY), ==, 1);

  /* Defined, not started: nothing in /proc yet. */
  step (f);
  g_assert_null (fs_script_runner_lookup_process (runner, "z"));

  /* Started: a real process, sleeping, while we are paused. */
  step (f);
  z = fs_script_runner_lookup_process (runner, "z");
  g_assert_nonnull (z);
  z_pid = fs_process_get_pid (z);
  g_assert_cmpint (z_pid, >, 0);
  g_assert_cmpint (fs_test_proc_ppid (z_pid), ==, fs_process_get_pid (fs_engine_get_supervisor (f->t.engine)));
  g_assert_cmpuint (fs_lesson_panel_get_line (f->panel), ==, line_of (lesson, "wait z/1 zombie"));

  /* Its child is a zombie in /proc, with z as its parent. */
  step (f);
  z1 = first_child (z);
  z1_pid = fs_process_get_pid (z1);
  g_assert_cmpint (fs_test_proc_state (z1_pid), ==, 'Z');
  g_assert_cmpint (fs_test_proc_ppid (z1_pid), ==, z_pid);

  /* The second part: a direct child under the join policy. */
  step_to (f, lesson, "expect w state == zombie");
  g_assert_cmpint (fs_engine_get_reap_policy (f->t.engine), ==, FS_REAP_JOIN);
  w = fs_script_runner_lookup_process (runner, "w");
  g_assert_nonnull (w);
  w_pid = fs_process_get_pid (w);
  g_assert_cmpint (fs_test_proc_state (w_pid), ==, 'Z');

  /* Paused for longer than anything in the lesson takes: the zombie is
   * still there, in the model and in /proc; nothing reaps it. */
  fs_test_run_for (1.5);
  g_assert_cmpint (fs_lesson_panel_get_state (f->panel), ==, FS_SCRIPT_RUNNER_PAUSED);
  g_assert_true (fs_lesson_panel_get_paused (f->panel));
  g_assert_cmpint (fs_process_get_state (w), ==, FS_PROCESS_STATE_ZOMBIE);
  g_assert_cmpint (fs_test_proc_state (w_pid), ==, 'Z');
  g_assert_cmpuint (fs_lesson_panel_get_n_failed (f->panel), ==, 0);

  /* Continue: to the end, every check held. */
  fs_lesson_panel_continue (f->panel);
  g_assert_false (fs_lesson_panel_get_paused (f->panel));
  wait_finished (f);
  g_assert_cmpint (fs_lesson_panel_get_exit_status (f->panel), ==, 0);
  g_assert_cmpuint (f->statuses->len, ==, 1);
  g_assert_cmpint (g_array_index (f->statuses, int, 0), ==, 0);
  g_assert_cmpuint (fs_lesson_panel_get_n_passed (f->panel), ==, n_expects);
  g_assert_cmpuint (fs_lesson_panel_get_n_failed (f->panel), ==, 0);
  g_assert_cmpuint (count_lesson_events (f, FS_EVENT_SAY), ==, n_says);
  g_assert_cmpuint (count_lesson_events (f, FS_EVENT_EXPECT), ==, n_expects);
  g_assert_cmpstr (fs_lesson_panel_get_say_text (f->panel), ==,
                   "join reaped it: the zombie is gone and its exit status is known.");
  g_assert_cmpstr (label_text (f, "status_label"), ==, "Done");
  g_assert_false (gtk_widget_get_visible (child (f, "problem_label")));
  g_assert_cmpint (fs_process_get_state (w), ==, FS_PROCESS_STATE_REAPED);
  g_assert_true (fs_test_wait_pid_gone (w_pid, WAIT));
  g_assert_true (fs_test_wait_pid_gone (z_pid, WAIT));
  g_assert_true (fs_test_wait_pid_gone (z1_pid, WAIT));

  /* The runner put the engine's policy back. */
  g_assert_cmpint (fs_engine_get_reap_policy (f->t.engine), ==, FS_REAP_AUTO);
  g_assert_false (fs_lesson_panel_get_paused (f->panel));
}

/* Restart in the middle: the first run's processes are cleaned up before
 * the second run starts from the top, in step mode again. */
static void
test_restart (Fixture       *f,
              gconstpointer  data)
{
  FsLesson *lesson = load (f, "kill-the-parent");
  FsScriptRunner *first_runner;
  FsProcess *z;
  int z_pid, z1_pid;

  step_to (f, lesson, "expect z/1 ppid == z");
  first_runner = fs_lesson_panel_get_runner (f->panel);
  z = fs_script_runner_lookup_process (first_runner, "z");
  z_pid = fs_process_get_pid (z);
  z1_pid = fs_process_get_pid (first_child (z));
  g_assert_cmpint (fs_test_proc_state (z_pid), !=, 0);
  g_assert_cmpint (fs_test_proc_state (z1_pid), ==, 'Z');

  fs_lesson_panel_restart (f->panel);
  /* Nothing else can be done while the old run cleans up. */
  g_assert_false (action_enabled (f, "step_button"));
  g_assert_false (action_enabled (f, "restart_button"));
  fs_test_wait (&f->t, settled, NULL, WAIT, "the lesson to restart");
  g_assert_true (fs_lesson_panel_get_runner (f->panel) != first_runner);
  g_assert_cmpint (fs_lesson_panel_get_state (f->panel), ==, FS_SCRIPT_RUNNER_PAUSED);
  g_assert_cmpuint (fs_lesson_panel_get_line (f->panel), ==, line_of (lesson, "say"));
  g_assert_null (fs_lesson_panel_get_say_text (f->panel));
  g_assert_cmpuint (fs_lesson_panel_get_n_passed (f->panel), ==, 0);
  g_assert_cmpuint (f->statuses->len, ==, 1);
  g_assert_cmpint (g_array_index (f->statuses, int, 0), ==, 1);

  /* The old z and its zombie are gone: terminated and reaped. */
  g_assert_true (fs_test_wait_pid_gone (z_pid, WAIT));
  g_assert_true (fs_test_wait_pid_gone (z1_pid, WAIT));
  g_assert_cmpint (fs_process_get_state (z), ==, FS_PROCESS_STATE_REAPED);

  /* Play the rest: the whole lesson holds. */
  fs_lesson_panel_play (f->panel);
  wait_finished (f);
  g_assert_cmpint (fs_lesson_panel_get_exit_status (f->panel), ==, 0);
  g_assert_cmpuint (fs_lesson_panel_get_n_failed (f->panel), ==, 0);
  g_assert_cmpuint (fs_lesson_panel_get_n_passed (f->panel), ==, count_kind (lesson, FS_SCRIPT_STATEMENT_EXPECT));

  /* Restart when finished: again from the top, playing. */
  fs_lesson_panel_restart (f->panel);
  g_assert_cmpint (fs_lesson_panel_get_state (f->panel), ==, FS_SCRIPT_RUNNER_RUNNING);
  wait_finished (f);
  g_assert_cmpint (fs_lesson_panel_get_exit_status (f->panel), ==, 0);
  g_assert_cmpuint (f->statuses->len, ==, 3);
}

/* Step while playing pauses after the statement running; the new lessons
 * hold in the player as in forkscope-cli. */
static void
test_play_pause_continue (Fixture       *f,
                          gconstpointer  data)
{
  FsLesson *lesson = load (f, "fork-side-by-side");
  FsScriptRunner *runner;

  fs_lesson_panel_play (f->panel);
  runner = fs_lesson_panel_get_runner (f->panel);
  g_assert_nonnull (runner);
  g_assert_false (fs_script_runner_get_step_mode (runner));
  g_assert_cmpstr (label_text (f, "status_label"), ==, "Running");

  fs_lesson_panel_step (f->panel);
  wait_settled (f);
  g_assert_cmpint (fs_lesson_panel_get_state (f->panel), ==, FS_SCRIPT_RUNNER_PAUSED);
  g_assert_true (fs_lesson_panel_get_paused (f->panel));
  g_assert_cmpuint (fs_lesson_panel_get_line (f->panel), >, 0);

  fs_lesson_panel_play (f->panel);   /* = continue, when paused */
  wait_finished (f);
  g_assert_cmpint (fs_lesson_panel_get_exit_status (f->panel), ==, 0);
  g_assert_cmpuint (fs_lesson_panel_get_n_failed (f->panel), ==, 0);
  g_assert_cmpuint (fs_lesson_panel_get_n_passed (f->panel), ==, count_kind (lesson, FS_SCRIPT_STATEMENT_EXPECT));
  g_assert_cmpuint (f->statuses->len, ==, 1);
}

static gboolean
pool_busy (FsTestEngine *t,
           gpointer      data)
{
  Fixture *f = (Fixture *) t;
  FsScriptRunner *runner = fs_lesson_panel_get_runner (f->panel);
  FsProcess *pool = fs_script_runner_lookup_process (runner, "pool");

  return pool != NULL && g_list_model_get_n_items (fs_process_get_birth_children (pool)) == 8;
}

/* Stop in the middle: every process the lesson started ends. */
static void
test_stop (Fixture       *f,
           gconstpointer  data)
{
  FsProcess *pool;
  int pool_pid;
  GArray *pids = g_array_new (FALSE, FALSE, sizeof (int));
  GListModel *children;

  load (f, "pool");
  fs_lesson_panel_play (f->panel);
  fs_test_wait (&f->t, pool_busy, NULL, WAIT, "the pool's 8 workers");
  pool = fs_script_runner_lookup_process (fs_lesson_panel_get_runner (f->panel), "pool");
  pool_pid = fs_process_get_pid (pool);
  children = fs_process_get_birth_children (pool);
  for (guint i = 0; i < g_list_model_get_n_items (children); i++)
    {
      g_autoptr(FsProcess) c = g_list_model_get_item (children, i);
      int pid = fs_process_get_pid (c);

      g_array_append_val (pids, pid);
    }

  fs_lesson_panel_stop (f->panel);
  g_assert_false (action_enabled (f, "stop_button"));
  wait_finished (f);
  g_assert_cmpint (fs_lesson_panel_get_exit_status (f->panel), ==, 1);
  g_assert_cmpstr (label_text (f, "status_label"), ==, "Stopped");
  g_assert_true (action_enabled (f, "play_button"));

  g_assert_true (fs_test_wait_pid_gone (pool_pid, WAIT));
  for (guint i = 0; i < pids->len; i++)
    g_assert_true (fs_test_wait_pid_gone (g_array_index (pids, int, i), WAIT));
  g_assert_cmpuint (fs_test_count_zombies (fs_process_get_pid (fs_engine_get_supervisor (f->t.engine))), ==, 0);
  g_array_unref (pids);
}

/* A check that fails is counted and shown with what was found; the
 * lesson's processes are cleaned up. */
static void
test_failure (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("forkscope-lessons-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autoptr(FsLesson) lesson = NULL;
  FsProcess *s;

  g_assert_no_error (error);
  path = g_build_filename (dir, "wrong.forkscope", NULL);
  g_assert_true (g_file_set_contents (path,
                                      "# A lesson that is wrong\n"
                                      "#\n"
                                      "# It expects a sleeper to be dead.\n"
                                      "\n"
                                      "process s basics.sleep seconds=60\n"
                                      "start s\n"
                                      "expect s alive == false\n"
                                      "say \"never said\"\n", -1, &error));
  g_assert_no_error (error);
  lesson = fs_lesson_new_from_file (path, f->registry, &error);
  g_assert_no_error (error);
  fs_lesson_panel_set_lesson (f->panel, lesson);
  g_assert_cmpstr (label_text (f, "title_label"), ==, "A lesson that is wrong");

  fs_lesson_panel_play (f->panel);
  wait_finished (f);
  g_assert_cmpint (fs_lesson_panel_get_exit_status (f->panel), ==, 1);
  g_assert_cmpuint (fs_lesson_panel_get_n_failed (f->panel), ==, 1);
  g_assert_cmpuint (fs_lesson_panel_get_n_passed (f->panel), ==, 0);
  g_assert_null (fs_lesson_panel_get_say_text (f->panel));
  g_assert_cmpstr (label_text (f, "status_label"), ==, "Failed");
  g_assert_true (gtk_widget_get_visible (child (f, "failed_box")));
  g_assert_true (gtk_widget_get_visible (child (f, "problem_label")));
  g_assert_nonnull (strstr (label_text (f, "problem_label"), "Line 7: expected s alive == false"));
  g_test_message ("problem: %s", label_text (f, "problem_label"));
  g_assert_nonnull (strstr (label_text (f, "problem_label"), "found true"));

  s = fs_script_runner_lookup_process (fs_lesson_panel_get_runner (f->panel), "s");
  g_assert_cmpint (fs_process_get_state (s), ==, FS_PROCESS_STATE_REAPED);
  g_assert_true (fs_test_wait_pid_gone (fs_process_get_pid (s), WAIT));

  g_assert_cmpint (g_unlink (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static gboolean
runner_finished (FsTestEngine *t,
                 gpointer      data)
{
  return fs_script_runner_get_state (data) == FS_SCRIPT_RUNNER_FINISHED;
}

/* Another lesson while one runs: the old run is stopped and cleans up. */
static void
test_switch_lesson (Fixture       *f,
                    gconstpointer  data)
{
  FsLesson *lesson = load (f, "held-zombie");
  g_autoptr(FsScriptRunner) old_runner = NULL;
  FsProcess *z;
  int z_pid;

  step_to (f, lesson, "wait z/1 zombie");
  old_runner = g_object_ref (fs_lesson_panel_get_runner (f->panel));
  z = fs_script_runner_lookup_process (old_runner, "z");
  z_pid = fs_process_get_pid (z);

  load (f, "pool");
  g_assert_null (fs_lesson_panel_get_runner (f->panel));
  g_assert_cmpint (fs_lesson_panel_get_state (f->panel), ==, FS_SCRIPT_RUNNER_READY);
  g_assert_false (fs_lesson_panel_get_paused (f->panel));

  /* The old runner finishes on its own, having ended z. */
  fs_test_wait (&f->t, runner_finished, old_runner, WAIT, "the old run to clean up");
  g_assert_cmpint (fs_script_runner_get_exit_status (old_runner), ==, 1);
  g_assert_cmpint (fs_process_get_state (z), ==, FS_PROCESS_STATE_REAPED);
  g_assert_true (fs_test_wait_pid_gone (z_pid, WAIT));
  /* Its "finished" is not the panel's. */
  g_assert_cmpuint (f->statuses->len, ==, 0);
}

static guint
count_logged (FsEventLog  *log,
              FsEventKind  kind)
{
  GListModel *events = fs_event_log_get_events (log);
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (events); i++)
    {
      g_autoptr(FsEventItem) item = g_list_model_get_item (events, i);

      if (fs_event_item_get_event (item)->kind == kind)
        n++;
    }
  return n;
}

/* The panel in the real window: win.run-lesson opens and plays a lesson,
 * the timeline stands still while the lesson is paused, the lesson's
 * events go to the event log, win.stop-lesson closes it. */
static void
test_window (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *path = fs_script_find_lesson ("held-zombie");
  FsWindow *window = fs_window_new (NULL, f->t.engine, f->registry, NULL);
  GtkWidget *pane;
  FsLessonPanel *panel;
  FsTimeline *timeline;
  GtkRevealer *revealer;
  FsEventLog *log;

  g_object_ref_sink (window);
  pane = fs_timeline_pane_new_for_window (window);
  fs_window_set_timeline (window, pane);
  timeline = fs_timeline_pane_get_timeline (FS_TIMELINE_PANE (pane));
  gtk_window_present (GTK_WINDOW (window));
  panel = FS_LESSON_PANEL (fs_window_get_lesson_panel (window));
  g_assert_nonnull (panel);
  revealer = GTK_REVEALER (gtk_widget_get_parent (GTK_WIDGET (panel)));
  log = FS_EVENT_LOG (fs_window_get_event_log (window));
  g_assert_false (gtk_revealer_get_reveal_child (revealer));
  g_assert_true (fs_lesson_panel_get_engine (panel) == f->t.engine);

  /* Opened and playing. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.run-lesson", "s", path));
  g_assert_true (gtk_revealer_get_reveal_child (revealer));
  g_assert_cmpstr (fs_lesson_get_name (fs_lesson_panel_get_lesson (panel)), ==, "held-zombie");
  g_assert_cmpint (fs_lesson_panel_get_state (panel), ==, FS_SCRIPT_RUNNER_RUNNING);
  g_assert_false (fs_timeline_get_paused (timeline));

  /* Step while playing: paused, and the timeline with it. */
  fs_lesson_panel_step (panel);
  wait_settled_panel (f, panel);
  g_assert_true (fs_lesson_panel_get_paused (panel));
  g_assert_true (fs_timeline_get_paused (timeline));
  /* The tree stands still too. */
  g_assert_true (fs_process_view_get_frozen (FS_PROCESS_VIEW (fs_window_get_process_view (window))));

  /* Continue: the timeline runs again; the lesson holds to the end. */
  fs_lesson_panel_continue (panel);
  g_assert_false (fs_timeline_get_paused (timeline));
  g_assert_false (fs_process_view_get_frozen (FS_PROCESS_VIEW (fs_window_get_process_view (window))));
  wait_panel_finished (f, panel);
  g_assert_cmpint (fs_lesson_panel_get_exit_status (panel), ==, 0);
  fs_event_log_flush (log);
  g_assert_cmpuint (count_logged (log, FS_EVENT_SAY), ==,
                    count_kind (fs_lesson_panel_get_lesson (panel), FS_SCRIPT_STATEMENT_SAY));
  g_assert_cmpuint (count_logged (log, FS_EVENT_EXPECT), ==,
                    count_kind (fs_lesson_panel_get_lesson (panel), FS_SCRIPT_STATEMENT_EXPECT));

  /* A timeline the user paused stays paused across the lesson's pauses. */
  fs_timeline_set_paused (timeline, TRUE);
  fs_lesson_panel_step (panel);
  wait_settled_panel (f, panel);
  g_assert_true (fs_timeline_get_paused (timeline));
  fs_lesson_panel_stop (panel);
  wait_panel_finished (f, panel);
  g_assert_true (fs_timeline_get_paused (timeline));
  fs_timeline_set_paused (timeline, FALSE);

  /* Closing it, from the panel's close button. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (panel), "lesson.close", NULL));
  g_assert_false (gtk_revealer_get_reveal_child (revealer));
  g_assert_null (fs_lesson_panel_get_lesson (panel));

  /* A lesson that does not parse is refused, and nothing is opened. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.run-lesson", "s", "/nonexistent.forkscope"));
  g_assert_false (gtk_revealer_get_reveal_child (revealer));

  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_finalize_object (window);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

#define ADD(path, func) \
  g_test_add ("/forkscope/lessons/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("shows-lesson", test_shows_lesson);
  ADD ("step-zombie", test_step_zombie);
  ADD ("restart", test_restart);
  ADD ("play-pause-continue", test_play_pause_continue);
  ADD ("stop", test_stop);
  ADD ("failure", test_failure);
  ADD ("switch-lesson", test_switch_lesson);
  ADD ("window", test_window);

  return g_test_run ();
}
