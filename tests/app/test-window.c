/* test-window.c: the real FsWindow over a real engine, driven through its
 * actions and checked against its models and the real /proc.
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <unistd.h>

#include <adwaita.h>

#include "fs-application.h"
#include "fs-format.h"
#include "fs-lesson-menu.h"
#include "fs-lesson-panel.h"
#include "fs-output-view.h"
#include "fs-proc.h"
#include "fs-process-cell.h"
#include "fs-process-view.h"
#include "fs-test-engine.h"
#include "fs-window.h"

#define WAIT 15.0

typedef struct
{
  FsTestEngine      t;
  FsPluginRegistry *registry;
  FsWindow         *window;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fs_test_engine_setup (&f->t, data);
  /* Fast refreshes keep the tests short. */
  fs_engine_set_scan_interval (f->t.engine, 100);

  f->registry = fs_plugin_registry_new ();
  g_assert_true (fs_plugin_registry_load_sync (f->registry, &error));
  g_assert_no_error (error);

  f->window = fs_window_new (NULL, f->t.engine, f->registry, NULL);
  g_object_ref_sink (f->window);
  gtk_window_present (GTK_WINDOW (f->window));
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  /* Let pending toasts and idles drop their references. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_finalize_object (g_steal_pointer (&f->window));
  g_assert_finalize_object (g_steal_pointer (&f->registry));
  fs_test_engine_teardown (&f->t, data);
}

/* ---- helpers ----------------------------------------------------------- */

static GtkTreeListRow *
find_row (Fixture   *f,
          FsProcess *process,
          guint     *position)
{
  GtkTreeListModel *tree = fs_process_view_get_model (FS_PROCESS_VIEW (fs_window_get_process_view (f->window)));
  guint n = g_list_model_get_n_items (G_LIST_MODEL (tree));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GtkTreeListRow) row = gtk_tree_list_model_get_row (tree, i);
      g_autoptr(FsProcess) item = gtk_tree_list_row_get_item (row);

      if (item == process)
        {
          if (position != NULL)
            *position = i;
          return g_steal_pointer (&row);
        }
    }
  return NULL;
}

static gboolean
has_row (FsTestEngine *t,
         gpointer      data)
{
  Fixture *f = (Fixture *) t;
  g_autoptr(GtkTreeListRow) row = find_row (f, data, NULL);

  return row != NULL;
}

typedef struct
{
  FsProcess       *process;
  FsProcessColumn  column;
  const char      *text;     /* substring, or NULL for "any" */
  gboolean         absent;   /* wait for @text to be gone instead */
} CellWait;

static gboolean
cell_matches (FsTestEngine *t,
              gpointer      data)
{
  CellWait *w = data;
  FsProcessCell *cell = fs_process_cell_find (w->process, w->column);

  if (cell == NULL)
    return FALSE;
  if (w->absent)
    return strstr (fs_process_cell_get_text (cell), w->text) == NULL;
  return w->text == NULL || strstr (fs_process_cell_get_text (cell), w->text) != NULL;
}

static void
wait_cell (Fixture         *f,
           FsProcess       *process,
           FsProcessColumn  column,
           const char      *text)
{
  CellWait w = { process, column, text, FALSE };
  g_autofree char *what = g_strdup_printf ("column %d of %s to show “%s”",
                                           column, fs_process_get_name (process),
                                           text ? text : "(anything)");

  fs_test_wait (&f->t, cell_matches, &w, WAIT, what);
}

static void
wait_cell_without (Fixture         *f,
                   FsProcess       *process,
                   FsProcessColumn  column,
                   const char      *text)
{
  CellWait w = { process, column, text, TRUE };
  g_autofree char *what = g_strdup_printf ("column %d of %s to stop showing “%s”",
                                           column, fs_process_get_name (process), text);

  fs_test_wait (&f->t, cell_matches, &w, WAIT, what);
}

static const char *
cell_text (FsProcess       *process,
           FsProcessColumn  column)
{
  FsProcessCell *cell = fs_process_cell_find (process, column);

  g_assert_nonnull (cell);
  return fs_process_cell_get_text (cell);
}

static void
select_process (Fixture   *f,
                FsProcess *process)
{
  fs_test_wait (&f->t, has_row, process, WAIT, "the row");
  g_assert_true (fs_window_select (f->window, process));
  g_assert_true (fs_window_get_selected (f->window) == process);
}

static void
activate (Fixture    *f,
          const char *action,
          GVariant   *param)
{
  g_assert_true (gtk_widget_activate_action_variant (GTK_WIDGET (f->window), action, param));
}

/* ---- tests --------------------------------------------------------------- */

static void
test_empty_state (Fixture       *f,
                  gconstpointer  data)
{
  FsProcessView *view = FS_PROCESS_VIEW (fs_window_get_process_view (f->window));

  g_assert_true (fs_process_view_is_empty (view));
  g_assert_nonnull (fs_process_view_get_model (view));
  /* The supervisor is the root row. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fs_process_view_get_model (view))), >=, 1);
}

static void
test_spawn_row (Fixture       *f,
                gconstpointer  data)
{
  FsProcess *supervisor = fs_engine_get_supervisor (f->t.engine);
  FsProcess *p = fs_test_spawn (&f->t, "th1", "tutorial.sleep_print", FALSE,
                                "seconds=30", "message=EAT", NULL);
  g_autoptr(GtkTreeListRow) row = NULL;
  g_autoptr(GtkTreeListRow) parent_row = NULL;
  g_autoptr(FsProcess) parent_item = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *pid_text = NULL;
  g_autofree char *ppid_text = NULL;
  FsProcStat stat;

  fs_test_wait (&f->t, has_row, p, WAIT, "the worker's row");
  g_assert_false (fs_process_view_is_empty (FS_PROCESS_VIEW (fs_window_get_process_view (f->window))));

  /* The row sits under the supervisor's. */
  row = find_row (f, p, NULL);
  parent_row = gtk_tree_list_row_get_parent (row);
  g_assert_nonnull (parent_row);
  parent_item = gtk_tree_list_row_get_item (parent_row);
  g_assert_true (parent_item == supervisor);

  /* PID and PPID as the kernel has them. */
  g_assert_true (fs_proc_read_stat (fs_process_get_pid (p), &stat, &error));
  g_assert_no_error (error);
  pid_text = g_strdup_printf ("%d", stat.pid);
  ppid_text = g_strdup_printf ("%d", stat.ppid);
  g_assert_cmpint (stat.ppid, ==, fs_process_get_pid (supervisor));

  wait_cell (f, p, FS_PROCESS_COLUMN_PID, pid_text);
  g_assert_cmpstr (cell_text (p, FS_PROCESS_COLUMN_PID), ==, pid_text);
  g_assert_cmpstr (cell_text (p, FS_PROCESS_COLUMN_PPID), ==, ppid_text);
  g_assert_cmpstr (cell_text (p, FS_PROCESS_COLUMN_NAME), ==, "th1");
}

static void
test_join_timeout (Fixture       *f,
                   gconstpointer  data)
{
  FsProcess *slow = fs_test_spawn (&f->t, "slow", "tutorial.sleep_print", FALSE, "seconds=30", NULL);
  FsProcess *quick;
  int slow_pid = fs_process_get_pid (slow);
  int quick_pid;

  /* A join whose timeout expires leaves the process alive. */
  select_process (f, slow);
  activate (f, "process.join-timeout", g_variant_new_double (0.5));
  wait_cell (f, slow, FS_PROCESS_COLUMN_STATE, "joining");
  g_assert_nonnull (fs_test_wait_event (&f->t, slow, FS_EVENT_JOIN_TIMED_OUT, WAIT));
  wait_cell_without (f, slow, FS_PROCESS_COLUMN_STATE, "joining");
  g_assert_true (fs_process_get_alive (slow));
  g_assert_cmpint (fs_test_proc_state (slow_pid), !=, 'Z');
  g_assert_cmpint (fs_test_proc_state (slow_pid), !=, 0);

  /* One that succeeds reaps it. */
  quick = fs_test_spawn (&f->t, "quick", "tutorial.sleep_print", FALSE, "seconds=1", NULL);
  quick_pid = fs_process_get_pid (quick);
  select_process (f, quick);
  g_assert_true (fs_process_get_alive (quick));
  activate (f, "process.join-timeout", g_variant_new_double (10.0));
  g_assert_nonnull (fs_test_wait_event (&f->t, quick, FS_EVENT_JOINED, WAIT));
  fs_test_wait_state (&f->t, quick, FS_PROCESS_STATE_REAPED, WAIT);
  g_assert_cmpint (fs_process_get_exit_code (quick), ==, 0);
  g_assert_true (fs_test_wait_pid_gone (quick_pid, WAIT));
  wait_cell (f, quick, FS_PROCESS_COLUMN_EXIT, "0");
  wait_cell (f, quick, FS_PROCESS_COLUMN_STATE, "Reaped");
}

/* A frozen tree (a lesson paused between steps) stands still: no new
 * row, no change of state on screen; thawed, it catches up in place, the
 * selection kept. */
static void
test_freeze (Fixture       *f,
             gconstpointer  data)
{
  FsProcessView *view = FS_PROCESS_VIEW (fs_window_get_process_view (f->window));
  FsProcess *brief = fs_test_spawn (&f->t, "brief", "tutorial.sleep_print", FALSE, "seconds=1", NULL);
  FsProcess *keep = fs_test_spawn (&f->t, "keep", "tutorial.sleep_print", FALSE, "seconds=30", NULL);
  FsProcess *late;
  g_autoptr(GtkTreeListRow) row = NULL;
  FsProcessCell *cell;
  g_autofree char *before = NULL;

  fs_test_wait (&f->t, has_row, brief, WAIT, "brief's row");
  select_process (f, keep);
  wait_cell (f, brief, FS_PROCESS_COLUMN_STATE, "Sleeping");
  cell = fs_process_cell_find (brief, FS_PROCESS_COLUMN_STATE);
  before = g_strdup (fs_process_cell_get_text (cell));

  fs_process_view_set_frozen (view, TRUE);
  late = fs_test_spawn (&f->t, "late", "tutorial.sleep_print", FALSE, "seconds=30", NULL);
  fs_test_wait_state (&f->t, brief, FS_PROCESS_STATE_REAPED, WAIT);
  fs_test_run_for (0.3);
  row = find_row (f, late, NULL);
  g_assert_null (row);
  g_assert_cmpstr (fs_process_cell_get_text (fs_process_cell_find (brief, FS_PROCESS_COLUMN_STATE)), ==, before);

  fs_process_view_set_frozen (view, FALSE);
  fs_test_wait (&f->t, has_row, late, WAIT, "late's row after the thaw");
  wait_cell (f, brief, FS_PROCESS_COLUMN_STATE, "Reaped");
  g_assert_true (fs_window_get_selected (f->window) == keep);
}

/* 800×600 with the lesson panel open: the window can be that narrow, and
 * the tree still shows name, PID, PPID and state. */
static void
test_narrow (Fixture       *f,
             gconstpointer  data)
{
  FsProcessView *view = FS_PROCESS_VIEW (fs_window_get_process_view (f->window));
  GListModel *columns = gtk_column_view_get_columns (fs_process_view_get_column_view (view));
  int min_width, min_height;

  gtk_window_set_default_size (GTK_WINDOW (f->window), 800, 600);
  activate (f, "win.run-lesson", g_variant_new_string ("zombie"));
  g_assert_nonnull (fs_lesson_panel_get_lesson (FS_LESSON_PANEL (fs_window_get_lesson_panel (f->window))));
  fs_test_run_for (0.6);

  gtk_widget_measure (GTK_WIDGET (f->window), GTK_ORIENTATION_HORIZONTAL, -1, &min_width, NULL, NULL, NULL);
  gtk_widget_measure (GTK_WIDGET (f->window), GTK_ORIENTATION_VERTICAL, 800, &min_height, NULL, NULL, NULL);
  g_test_message ("minimum size with the lesson panel: %d×%d", min_width, min_height);
  g_assert_cmpint (min_width, <=, 800);
  g_assert_cmpint (min_height, <=, 600);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (f->window)), <=, 800);

  for (guint i = FS_PROCESS_COLUMN_NAME; i <= FS_PROCESS_COLUMN_STATE; i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);

      g_assert_true (gtk_column_view_column_get_visible (column));
    }
  activate (f, "win.stop-lesson", NULL);
}

/* Columns the width hides can be shown from the header menu (the tree
 * then scrolls sideways), and shown ones hidden; the choice stays. */
static void
test_columns (Fixture       *f,
              gconstpointer  data)
{
  FsProcessView *view = FS_PROCESS_VIEW (fs_window_get_process_view (f->window));
  GListModel *columns = gtk_column_view_get_columns (fs_process_view_get_column_view (view));
  g_autoptr(GtkColumnViewColumn) alive = g_list_model_get_item (columns, FS_PROCESS_COLUMN_ALIVE);
  g_autoptr(GtkColumnViewColumn) state = g_list_model_get_item (columns, FS_PROCESS_COLUMN_STATE);
  gboolean shown;

  gtk_window_set_default_size (GTK_WINDOW (f->window), 800, 600);
  fs_test_run_for (0.5);
  g_assert_true (gtk_column_view_column_get_visible (state));
  shown = gtk_column_view_column_get_visible (alive);
  g_assert_false (shown);
  g_assert_nonnull (gtk_column_view_column_get_header_menu (alive));

  gtk_widget_activate_action (GTK_WIDGET (view), "columns.alive", NULL);
  fs_test_run_for (0.2);
  g_assert_true (gtk_column_view_column_get_visible (alive));
  gtk_window_set_default_size (GTK_WINDOW (f->window), 790, 600);
  fs_test_run_for (0.3);
  g_assert_true (gtk_column_view_column_get_visible (alive));

  /* From the window (its main menu) too. */
  gtk_widget_activate_action (GTK_WIDGET (f->window), "columns.alive", NULL);
  fs_test_run_for (0.2);
  g_assert_false (gtk_column_view_column_get_visible (alive));
}

/* The Lessons menu follows the tutorial, with translated titles. */
static void
test_lesson_menu (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GMenuModel) menu = fs_lesson_menu_new ();
  g_autoptr(GMenuModel) lessons = g_menu_model_get_item_link (menu, 0, G_MENU_LINK_SECTION);
  const char *expected[] = { "three-workers", "fork-test", "fork-side-by-side", "zombie", "held-zombie",
                             "kill-the-parent", "orphan", "daemon", "join-timeout", "terminate-vs-kill",
                             "pool" };

  g_assert_cmpint (g_menu_model_get_n_items (lessons), >=, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autoptr(GVariant) target = g_menu_model_get_item_attribute_value (lessons, i, G_MENU_ATTRIBUTE_TARGET, G_VARIANT_TYPE_STRING);
      g_autofree char *label = NULL;
      g_autofree char *basename = g_path_get_basename (g_variant_get_string (target, NULL));
      g_autofree char *want = g_strconcat (expected[i], ".forkscope", NULL);

      g_assert_true (g_menu_model_get_item_attribute (lessons, i, G_MENU_ATTRIBUTE_LABEL, "s", &label));
      g_assert_cmpstr (basename, ==, want);
      /* A title, not a file name. */
      g_assert_cmpstr (label, !=, expected[i]);
    }
}

static AdwWindowTitle *
find_title (GtkWidget *widget)
{
  if (ADW_IS_WINDOW_TITLE (widget))
    return ADW_WINDOW_TITLE (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      AdwWindowTitle *found = find_title (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
subtitle_has (FsTestEngine *t,
              gpointer      data)
{
  Fixture *f = (Fixture *) t;

  return strstr (adw_window_title_get_subtitle (find_title (GTK_WIDGET (f->window))), data) != NULL;
}

/* The header names the policies the engine runs, whoever set them (a
 * lesson's `set reap join`), not the preferences. */
static void
test_header_policy (Fixture       *f,
                    gconstpointer  data)
{
  fs_engine_set_reap_policy (f->t.engine, FS_REAP_JOIN);
  fs_engine_set_subreaper (f->t.engine, FALSE);
  fs_test_wait (&f->t, subtitle_has, (gpointer) "reap on join", WAIT, "the header to say reap on join");
  g_assert_true (subtitle_has (&f->t, (gpointer) "orphans go to the next subreaper"));
  fs_engine_set_reap_policy (f->t.engine, FS_REAP_AUTO);
  fs_engine_set_subreaper (f->t.engine, TRUE);
  fs_test_wait (&f->t, subtitle_has, (gpointer) "reap automatically", WAIT, "the header to say reap automatically");
  g_assert_true (subtitle_has (&f->t, (gpointer) "adopt orphans"));
}

static GtkWidget *
find_mapped_popover (GtkWidget *widget)
{
  if (GTK_IS_POPOVER (widget) && gtk_widget_get_mapped (widget))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_mapped_popover (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
no_popover (FsTestEngine *t,
            gpointer      data)
{
  return find_mapped_popover (data) == NULL;
}

/* The timeout popover of a process that ends while it is open closes
 * (with a toast saying why) rather than staying open with a dead button. */
static void
test_join_popover_reaped (Fixture       *f,
                          gconstpointer  data)
{
  FsProcess *brief = fs_test_spawn (&f->t, "brief", "tutorial.sleep_print", FALSE, "seconds=1", NULL);

  select_process (f, brief);
  activate (f, "process.join-timeout", g_variant_new_double (-1.0));
  fs_test_run_for (0.2);
  g_assert_nonnull (find_mapped_popover (GTK_WIDGET (f->window)));
  fs_test_wait_state (&f->t, brief, FS_PROCESS_STATE_REAPED, WAIT);
  fs_test_wait (&f->t, no_popover, f->window, WAIT, "the join popover to close");
}

static void
test_terminate_kill (Fixture       *f,
                     gconstpointer  data)
{
  FsProcess *a = fs_test_spawn (&f->t, "a", "tutorial.sleep_print", FALSE, "seconds=30", NULL);
  FsProcess *b = fs_test_spawn (&f->t, "b", "tutorial.sleep_print", FALSE, "seconds=30", NULL);
  int a_pid = fs_process_get_pid (a);
  int b_pid = fs_process_get_pid (b);

  select_process (f, a);
  activate (f, "process.terminate", NULL);
  fs_test_wait_state (&f->t, a, FS_PROCESS_STATE_REAPED, WAIT);
  g_assert_true (fs_test_wait_pid_gone (a_pid, WAIT));
  wait_cell (f, a, FS_PROCESS_COLUMN_EXIT, "SIGTERM");
  g_assert_cmpstr (cell_text (a, FS_PROCESS_COLUMN_EXIT), ==, "\342\210\222SIGTERM");

  select_process (f, b);
  activate (f, "process.kill", NULL);
  fs_test_wait_state (&f->t, b, FS_PROCESS_STATE_REAPED, WAIT);
  g_assert_true (fs_test_wait_pid_gone (b_pid, WAIT));
  wait_cell (f, b, FS_PROCESS_COLUMN_EXIT, "\342\210\222SIGKILL");

  /* Stop and continue: the kernel's state letter follows. */
  {
    FsProcess *c = fs_test_spawn (&f->t, "c", "tutorial.sleep_print", FALSE, "seconds=30", NULL);

    select_process (f, c);
    activate (f, "process.stop", NULL);
    fs_test_wait_state (&f->t, c, FS_PROCESS_STATE_STOPPED, WAIT);
    g_assert_cmpint (fs_test_proc_state (fs_process_get_pid (c)), ==, 'T');
    wait_cell (f, c, FS_PROCESS_COLUMN_STATE, "Stopped");
    /* SIGTERM to a stopped process waits for it to run again: said so,
     * and it is still there. */
    activate (f, "process.terminate", NULL);
    g_assert_nonnull (strstr (fs_window_get_last_toast (f->window), "SIGTERM is pending until c"));
    fs_test_run_for (0.3);
    g_assert_cmpint (fs_test_proc_state (fs_process_get_pid (c)), ==, 'T');
    activate (f, "process.continue", NULL);
    /* Continued, it acts on the pending SIGTERM. */
    fs_test_wait_state (&f->t, c, FS_PROCESS_STATE_REAPED, WAIT);
    wait_cell (f, c, FS_PROCESS_COLUMN_EXIT, "\342\210\222SIGTERM");
  }
  {
    FsProcess *c = fs_test_spawn (&f->t, "c2", "tutorial.sleep_print", FALSE, "seconds=30", NULL);

    select_process (f, c);
    activate (f, "process.stop", NULL);
    fs_test_wait_state (&f->t, c, FS_PROCESS_STATE_STOPPED, WAIT);
    activate (f, "process.continue", NULL);
    fs_test_wait_state (&f->t, c, FS_PROCESS_STATE_SLEEPING, WAIT);
    activate (f, "process.signal", g_variant_new_int32 (SIGUSR1));
    fs_test_wait_state (&f->t, c, FS_PROCESS_STATE_REAPED, WAIT);
    wait_cell (f, c, FS_PROCESS_COLUMN_EXIT, "\342\210\222SIGUSR1");
  }
}

static gboolean
has_zombie_child (FsTestEngine *t,
                  gpointer      data)
{
  GListModel *children = fs_process_get_children (data);

  for (guint i = 0; i < g_list_model_get_n_items (children); i++)
    {
      g_autoptr(FsProcess) child = g_list_model_get_item (children, i);

      if (fs_process_get_state (child) == FS_PROCESS_STATE_ZOMBIE)
        return TRUE;
    }
  return FALSE;
}

static void
test_zombie_join_policy (Fixture       *f,
                         gconstpointer  data)
{
  FsProcess *p;
  int pid;
  g_autofree char *text = NULL;

  fs_engine_set_reap_policy (f->t.engine, FS_REAP_JOIN);
  p = fs_test_spawn (&f->t, "z", "tutorial.sleep_print", FALSE, "seconds=0.2", NULL);
  pid = fs_process_get_pid (p);

  /* It exits, and nobody reaps it until it is joined. */
  fs_test_wait_state (&f->t, p, FS_PROCESS_STATE_ZOMBIE, WAIT);
  g_assert_cmpint (fs_test_proc_state (pid), ==, 'Z');
  text = g_strdup_printf ("waiting for PID %d to reap", fs_process_get_pid (fs_engine_get_supervisor (f->t.engine)));
  wait_cell (f, p, FS_PROCESS_COLUMN_STATE, text);

  /* Killing a zombie does nothing but explain. */
  select_process (f, p);
  activate (f, "process.kill", NULL);
  fs_test_run_for (0.3);
  g_assert_cmpint (fs_test_proc_state (pid), ==, 'Z');
  g_assert_null (fs_test_find_event (&f->t, p, FS_EVENT_SIGNALLED));

  activate (f, "process.join", NULL);
  fs_test_wait_state (&f->t, p, FS_PROCESS_STATE_REAPED, WAIT);
  g_assert_true (fs_test_wait_pid_gone (pid, WAIT));
  wait_cell (f, p, FS_PROCESS_COLUMN_STATE, "Reaped");

  /* A worker's own unreaped child: a zombie row under it. */
  {
    FsProcess *w = fs_test_spawn (&f->t, "zw", "lifecycle.zombie", FALSE, "seconds=30", NULL);

    fs_test_wait (&f->t, has_zombie_child, w, WAIT, "the worker's zombie child");
  }
}

static gboolean
has_orphan (FsTestEngine *t,
            gpointer      data)
{
  FsProcess **out = data;
  GListModel *children = fs_process_get_children (fs_engine_get_supervisor (t->engine));

  for (guint i = 0; i < g_list_model_get_n_items (children); i++)
    {
      g_autoptr(FsProcess) child = g_list_model_get_item (children, i);

      if (fs_process_get_orphan (child) && fs_process_get_alive (child))
        {
          *out = child;
          return TRUE;
        }
    }
  return FALSE;
}

/* Without blocking: the signal is sent from this main loop. */
static gboolean
pidfd_exited (FsTestEngine *t,
              gpointer      data)
{
  return fs_test_pidfd_wait_exit (GPOINTER_TO_INT (data), 0);
}

static void
test_orphan_subreaper (Fixture       *f,
                       gconstpointer  data)
{
  FsProcess *supervisor = fs_engine_get_supervisor (f->t.engine);
  FsProcess *orphan = NULL;
  g_autoptr(GtkTreeListRow) row = NULL;
  g_autoptr(GtkTreeListRow) parent_row = NULL;
  g_autoptr(FsProcess) parent_item = NULL;
  g_autofree char *text = NULL;

  fs_engine_set_subreaper (f->t.engine, TRUE);
  fs_test_spawn (&f->t, "o", "lifecycle.orphan", FALSE, "seconds=30", NULL);

  /* The worker exits at once; its child is adopted by the supervisor. */
  fs_test_wait (&f->t, has_orphan, &orphan, WAIT, "an adopted orphan");
  g_assert_cmpint (fs_test_proc_ppid (fs_process_get_pid (orphan)), ==, fs_process_get_pid (supervisor));
  fs_test_wait (&f->t, has_row, orphan, WAIT, "the orphan's row");
  row = find_row (f, orphan, NULL);
  parent_row = gtk_tree_list_row_get_parent (row);
  parent_item = gtk_tree_list_row_get_item (parent_row);
  g_assert_true (parent_item == supervisor);

  text = g_strdup_printf ("adopted by PID %d", fs_process_get_pid (supervisor));
  wait_cell (f, orphan, FS_PROCESS_COLUMN_STATE, text);
  g_assert_nonnull (fs_test_find_event (&f->t, orphan, FS_EVENT_ADOPTED));

  /* Kill All reaches it, though its worker is gone. */
  {
    int pid = fs_process_get_pid (orphan);
    int pidfd = fs_test_pidfd_open (pid);

    activate (f, "win.kill-all", NULL);
    fs_test_wait (&f->t, pidfd_exited, GINT_TO_POINTER (pidfd), WAIT, "the orphan to die");
    close (pidfd);
    fs_test_wait_state (&f->t, orphan, FS_PROCESS_STATE_REAPED, WAIT);
  }
}

static gboolean
has_descendants (FsTestEngine *t,
                 gpointer      data)
{
  FsProcess *worker = data;
  GListModel *children = fs_process_get_children (worker);

  if (g_list_model_get_n_items (children) < 2)
    return FALSE;
  for (guint i = 0; i < g_list_model_get_n_items (children); i++)
    {
      g_autoptr(FsProcess) child = g_list_model_get_item (children, i);

      if (g_list_model_get_n_items (fs_process_get_children (child)) < 2)
        return FALSE;
    }
  return TRUE;
}

static gboolean
parent_is (FsTestEngine *t,
           gpointer      data)
{
  FsProcess **pair = data;

  return fs_process_get_parent (pair[0]) == pair[1];
}

static void
test_survive_refresh (Fixture       *f,
                      gconstpointer  data)
{
  FsProcess *supervisor = fs_engine_get_supervisor (f->t.engine);
  FsProcess *t1 = fs_test_spawn (&f->t, "t1", "lifecycle.tree", FALSE, "depth=2", "fanout=2", "seconds=30", NULL);
  FsProcess *t2 = fs_test_spawn (&f->t, "t2", "lifecycle.tree", FALSE, "depth=2", "fanout=2", "seconds=30", NULL);
  g_autoptr(FsProcess) child = NULL;
  g_autoptr(FsProcess) grandchild = NULL;
  g_autoptr(GtkTreeListRow) t2_row = NULL;
  g_autoptr(GtkTreeListRow) t1_row = NULL;
  FsProcess *pair[2];
  FsProcess *extra;

  fs_test_wait (&f->t, has_descendants, t1, WAIT, "t1's children and grandchildren");
  fs_test_wait (&f->t, has_descendants, t2, WAIT, "t2's children and grandchildren");
  child = g_list_model_get_item (fs_process_get_children (t1), 0);
  grandchild = g_list_model_get_item (fs_process_get_children (child), 0);

  /* Forked children are told apart by the path a lesson would use. */
  {
    g_autofree char *path = fs_format_subject_path (grandchild);
    g_autofree char *worker_path = fs_format_subject_path (t1);
    g_autoptr(FsProcess) second = g_list_model_get_item (fs_process_get_birth_children (t1), 1);
    g_autofree char *second_path = fs_format_subject_path (second);

    g_assert_cmpstr (path, ==, "t1/1/1");
    g_assert_cmpstr (worker_path, ==, "t1");
    g_assert_cmpstr (second_path, ==, "t1/2");
    g_assert_null (fs_format_subject_path (supervisor));
  }

  /* Collapse t2, select a grandchild of t1. */
  fs_test_wait (&f->t, has_row, t2, WAIT, "t2's row");
  t2_row = find_row (f, t2, NULL);
  gtk_tree_list_row_set_expanded (t2_row, FALSE);
  select_process (f, grandchild);

  /* Refreshes that change the model: new rows, dead rows, cleared rows. */
  extra = fs_test_spawn (&f->t, "extra", "tutorial.sleep_print", FALSE, "seconds=0.2", NULL);
  fs_test_wait_state (&f->t, extra, FS_PROCESS_STATE_REAPED, WAIT);
  extra = fs_test_spawn (&f->t, "more", "tutorial.sleep_print", FALSE, "seconds=30", NULL);
  fs_test_wait (&f->t, has_row, extra, WAIT, "a new row");
  activate (f, "win.clear-finished", NULL);
  fs_test_wait_state (&f->t, extra, FS_PROCESS_STATE_SLEEPING, WAIT);

  g_assert_true (fs_window_get_selected (f->window) == grandchild);
  g_assert_false (gtk_tree_list_row_get_expanded (t2_row));
  t1_row = find_row (f, t1, NULL);
  g_assert_true (gtk_tree_list_row_get_expanded (t1_row));
  {
    GtkColumnView *view = fs_process_view_get_column_view (FS_PROCESS_VIEW (fs_window_get_process_view (f->window)));
    GtkSingleSelection *selection = GTK_SINGLE_SELECTION (gtk_column_view_get_model (view));
    GtkTreeListRow *selected = gtk_single_selection_get_selected_item (selection);
    g_autoptr(FsProcess) item = gtk_tree_list_row_get_item (selected);

    g_assert_true (item == grandchild);
  }

  /* The selection follows a process whose row moves: kill the
   * grandchild's parent, and the grandchild is adopted by the supervisor. */
  g_assert_true (fs_engine_signal_sync (f->t.engine, child, SIGKILL, FALSE, NULL));
  pair[0] = grandchild;
  pair[1] = supervisor;
  fs_test_wait (&f->t, parent_is, pair, WAIT, "the grandchild's adoption");
  fs_test_run_for (0.3);
  g_assert_true (fs_window_get_selected (f->window) == grandchild);
  g_assert_false (gtk_tree_list_row_get_expanded (t2_row));
}

static void
test_output (Fixture       *f,
             gconstpointer  data)
{
  FsOutputView *view = FS_OUTPUT_VIEW (fs_window_get_output_view (f->window));
  g_autofree char *text = NULL;
  FsProcess *p;

  p = fs_test_spawn (&f->t, "pr", "basics.print", FALSE, "lines=5", "interval=0", NULL);
  fs_test_wait_state (&f->t, p, FS_PROCESS_STATE_REAPED, WAIT);
  fs_test_run_for (0.2);
  text = fs_output_view_dup_text (view);
  g_assert_nonnull (strstr (text, "pr "));

  /* A bounded buffer: older lines are dropped with a marker. */
  fs_output_view_set_max_lines (view, 100);
  for (guint i = 0; i < 5000; i++)
    {
      g_autofree char *line = g_strdup_printf ("line %u", i);

      fs_output_view_append (view, p, 1, "bulk", i % 2, line);
    }
  while (fs_output_view_get_n_pending (view) > 0)
    g_main_context_iteration (NULL, TRUE);
  g_clear_pointer (&text, g_free);
  text = fs_output_view_dup_text (view);
  g_assert_nonnull (strstr (text, "line 4999"));
  g_assert_null (strstr (text, "line 10\n"));
  g_assert_cmpuint (fs_output_view_get_n_dropped (view), >, 0);
  g_assert_nonnull (strstr (text, "dropped"));
}

static gboolean
end_in_sight (FsTestEngine *t,
              gpointer      data)
{
  GtkTextView *text_view = data;
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (text_view);
  GdkRectangle visible, end;
  GtkTextIter iter;

  gtk_text_buffer_get_end_iter (buffer, &iter);
  gtk_text_view_get_visible_rect (text_view, &visible);
  gtk_text_view_get_iter_location (text_view, &iter, &end);
  return end.y >= visible.y && end.y + end.height <= visible.y + visible.height + 1;
}

static void
append_lines (FsOutputView *view,
              guint         first,
              guint         n)
{
  for (guint i = first; i < first + n; i++)
    {
      g_autofree char *line = g_strdup_printf ("line %u, long enough to wrap in a narrow pane: "
                                               "the quick brown fox jumps over the lazy dog", i);

      fs_output_view_append (view, NULL, 1, "flood", FALSE, line);
    }
  while (fs_output_view_get_n_pending (view) > 0)
    g_main_context_iteration (NULL, TRUE);
}

/* The output follows its end, through wrapped lines measured lazily and a
 * flood that trims the top, until the user scrolls up; back at the end it
 * follows again. */
static void
test_output_follow (Fixture       *f,
                    gconstpointer  data)
{
  FsOutputView *view = FS_OUTPUT_VIEW (fs_window_get_output_view (f->window));
  GtkScrolledWindow *scroller = GTK_SCROLLED_WINDOW (gtk_widget_get_first_child (GTK_WIDGET (view)));
  GtkTextView *text_view = GTK_TEXT_VIEW (gtk_scrolled_window_get_child (scroller));
  GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (scroller);

  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (text_view)));

  append_lines (view, 0, 60);
  fs_test_wait (&f->t, end_in_sight, text_view, WAIT, "the 60th line in sight");
  g_assert_true (fs_output_view_get_following (view));

  fs_output_view_set_max_lines (view, 2000);
  append_lines (view, 60, 30000);
  fs_test_wait (&f->t, end_in_sight, text_view, WAIT, "the end of a flood in sight");
  fs_test_run_for (0.3);
  g_assert_true (end_in_sight (&f->t, text_view));
  g_assert_true (fs_output_view_get_following (view));

  /* The user scrolls up: the view stays where they are. */
  gtk_adjustment_set_value (adj, gtk_adjustment_get_upper (adj) / 2);
  g_assert_false (fs_output_view_get_following (view));
  append_lines (view, 30060, 100);
  fs_test_run_for (0.3);
  g_assert_false (fs_output_view_get_following (view));
  g_assert_false (end_in_sight (&f->t, text_view));

  /* Back to the end: following again. */
  gtk_adjustment_set_value (adj, gtk_adjustment_get_upper (adj) - gtk_adjustment_get_page_size (adj));
  g_assert_true (fs_output_view_get_following (view));
  append_lines (view, 30160, 100);
  fs_test_wait (&f->t, end_in_sight, text_view, WAIT, "the end in sight again");
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

#define ADD(path, func) \
  g_test_add ("/forkscope/app/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("empty-state", test_empty_state);
  ADD ("spawn-row", test_spawn_row);
  ADD ("join-timeout", test_join_timeout);
  ADD ("join-popover-reaped", test_join_popover_reaped);
  ADD ("header-policy", test_header_policy);
  ADD ("columns", test_columns);
  ADD ("freeze", test_freeze);
  ADD ("narrow", test_narrow);
  ADD ("lesson-menu", test_lesson_menu);
  ADD ("terminate-kill", test_terminate_kill);
  ADD ("zombie-join-policy", test_zombie_join_policy);
  ADD ("orphan-subreaper", test_orphan_subreaper);
  ADD ("survive-refresh", test_survive_refresh);
  ADD ("output", test_output);
  ADD ("output-follow", test_output_follow);

  return g_test_run ();
}
