/* test-application.c: FsApplication's quit: daemon workers are
 * terminated, and for live non-daemon workers each of the dialog's
 * answers does what it says, checked in /proc.
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/pidfd.h>
#include <unistd.h>

#include <adwaita.h>

#include "fs-application.h"
#include "fs-lesson-panel.h"
#include "fs-process-view.h"
#include "fs-timeline-model.h"
#include "fs-timeline-pane.h"
#include "fs-window.h"
#include "fs-test-engine.h"

#define WAIT 15.0

typedef struct
{
  FsApplication *app;
  GtkWindow     *window;
} Fixture;

static gboolean
expired_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

typedef gboolean (*Condition) (Fixture *f, gpointer data);

static void
wait_for (Fixture    *f,
          Condition   func,
          gpointer    data,
          const char *what)
{
  gboolean expired = FALSE;
  guint id = g_timeout_add ((guint) (WAIT * 1000), expired_cb, &expired);

  while (!func (f, data))
    {
      if (expired)
        g_error ("Timed out after %.0f s waiting for %s", WAIT, what);
      g_main_context_iteration (NULL, TRUE);
    }
  if (!expired)
    g_source_remove (id);
}

typedef void (*TestFunc) (Fixture *f);

typedef struct
{
  Fixture  *f;
  TestFunc  func;
} Run;

static gboolean
run_body_cb (gpointer data)
{
  Run *run = data;
  Fixture *f = run->f;

  f->window = fs_application_get_window (f->app);
  g_assert_nonnull (f->window);
  /* Each test defines its own workers: app.spawn never overwrites a
   * saved definition with other values. */
  fs_definition_store_remove_all (fs_application_get_store (f->app));
  g_assert_true (fs_engine_is_running (fs_application_get_engine (f->app)));
  run->func (f);
  return G_SOURCE_REMOVE;
}

/* The real application, run by g_application_run() as main() does, with
 * the test body in its main loop; each body ends by quitting it. */
static void
run_app_with_args (TestFunc    func,
                   const char *arg)
{
  Fixture f = { NULL, NULL };
  Run run = { &f, func };
  char *argv[] = { (char *) "forkscope", (char *) arg, NULL };
  int status;

  /* Unique would make the second test's app a remote of the first's. */
  f.app = fs_application_new (APP_ID, G_APPLICATION_NON_UNIQUE |
                                      (arg != NULL ? G_APPLICATION_HANDLES_COMMAND_LINE : 0));
  g_idle_add (run_body_cb, &run);
  status = g_application_run (G_APPLICATION (f.app), arg != NULL ? 2 : 0, arg != NULL ? argv : NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_false (fs_engine_is_running (fs_application_get_engine (f.app)));
  g_assert_finalize_object (g_steal_pointer (&f.app));
}

static void
run_app (TestFunc func)
{
  run_app_with_args (func, NULL);
}

static FsProcess *
lookup (Fixture    *f,
        const char *name)
{
  GListModel *processes = fs_engine_get_processes (fs_application_get_engine (f->app));

  for (guint i = 0; i < g_list_model_get_n_items (processes); i++)
    {
      g_autoptr(FsProcess) p = g_list_model_get_item (processes, i);

      if (fs_process_get_kind (p) == FS_PROCESS_KIND_WORKER &&
          g_strcmp0 (fs_process_get_name (p), name) == 0 &&
          fs_process_get_pid (p) > 0)
        return p;
    }
  return NULL;
}

static gboolean
has_worker (Fixture  *f,
            gpointer  data)
{
  return lookup (f, data) != NULL;
}

static FsProcess *
spawn (Fixture    *f,
       const char *statement)
{
  g_auto(GStrv) words = g_strsplit (statement, " ", 2);
  FsProcess *p;

  g_action_group_activate_action (G_ACTION_GROUP (f->app), "spawn", g_variant_new_string (statement));
  wait_for (f, has_worker, words[0], "the worker to start");
  p = lookup (f, words[0]);
  g_assert_cmpint (fs_test_proc_state (fs_process_get_pid (p)), !=, 0);
  return p;
}

static AdwMessageDialog *
find_dialog (void)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (ADW_IS_MESSAGE_DIALOG (l->data) && gtk_widget_get_visible (l->data))
      return l->data;
  return NULL;
}

static gboolean
has_dialog (Fixture  *f,
            gpointer  data)
{
  return find_dialog () != NULL;
}

static gboolean
quit_done (Fixture  *f,
           gpointer  data)
{
  return !fs_engine_is_running (fs_application_get_engine (f->app)) &&
         gtk_application_get_windows (GTK_APPLICATION (f->app)) == NULL;
}

static void
quit_with (Fixture    *f,
           const char *response)
{
  g_action_group_activate_action (G_ACTION_GROUP (f->app), "quit", NULL);
  if (response != NULL)
    {
      wait_for (f, has_dialog, NULL, "the quit dialog");
      adw_message_dialog_response (find_dialog (), response);
    }
  wait_for (f, quit_done, NULL, "the application to quit");
}

static void
assert_exits (int pidfd)
{
  g_assert_true (fs_test_pidfd_wait_exit (pidfd, WAIT));
  close (pidfd);
}

static void
quit_no_workers (Fixture *f)
{
  FsProcess *supervisor = fs_engine_get_supervisor (fs_application_get_engine (f->app));
  int sup = fs_test_pidfd_open (fs_process_get_pid (supervisor));
  FsProcess *d = spawn (f, "d1 tutorial.sleep_print daemon seconds=60");
  int d_fd = fs_test_pidfd_open (fs_process_get_pid (d));

  /* Only a daemon: no question, and the daemon is terminated. */
  quit_with (f, NULL);
  g_assert_null (find_dialog ());
  assert_exits (d_fd);
  assert_exits (sup);
}

static void
quit_terminate (Fixture *f)
{
  FsProcess *w = spawn (f, "w1 tutorial.sleep_print seconds=60");
  FsProcess *d = spawn (f, "d1 tutorial.sleep_print daemon seconds=60");
  int w_fd = fs_test_pidfd_open (fs_process_get_pid (w));
  int d_fd = fs_test_pidfd_open (fs_process_get_pid (d));

  quit_with (f, "terminate");
  assert_exits (w_fd);
  assert_exits (d_fd);
}

static void
quit_wait (Fixture *f)
{
  FsProcess *w = spawn (f, "w1 tutorial.sleep_print seconds=1.5");
  FsProcess *d = spawn (f, "d1 tutorial.sleep_print daemon seconds=60");
  int w_fd = fs_test_pidfd_open (fs_process_get_pid (w));
  int d_fd = fs_test_pidfd_open (fs_process_get_pid (d));

  quit_with (f, "wait");
  /* It was waited for: it finished its own way, exit 0, joined. */
  g_assert_cmpint (fs_process_get_state (w), ==, FS_PROCESS_STATE_REAPED);
  g_assert_cmpint (fs_process_get_exit_code (w), ==, 0);
  g_assert_true (fs_process_get_has_exit_status (w));
  assert_exits (w_fd);
  assert_exits (d_fd);
}

static void
quit_leave (Fixture *f)
{
  FsProcess *supervisor = fs_engine_get_supervisor (fs_application_get_engine (f->app));
  int sup_pid = fs_process_get_pid (supervisor);
  int sup_fd = fs_test_pidfd_open (sup_pid);
  FsProcess *w = spawn (f, "w1 tutorial.sleep_print seconds=60");
  FsProcess *d = spawn (f, "d1 tutorial.sleep_print daemon seconds=60");
  int w_pid = fs_process_get_pid (w);
  int w_fd = fs_test_pidfd_open (w_pid);
  int d_fd = fs_test_pidfd_open (fs_process_get_pid (d));

  quit_with (f, "leave");
  assert_exits (sup_fd);
  assert_exits (d_fd);

  /* Left running: an orphan now, re-parented away from the supervisor. */
  g_assert_cmpint (fs_test_proc_state (w_pid), !=, 'Z');
  g_assert_cmpint (fs_test_proc_state (w_pid), !=, 0);
  g_assert_cmpint (fs_test_proc_ppid (w_pid), !=, sup_pid);

  /* The test started it: the test ends it. */
  g_assert_cmpint (pidfd_send_signal (w_fd, SIGKILL, NULL, 0), ==, 0);
  assert_exits (w_fd);
}

static void
quit_cancel (Fixture *f)
{
  FsProcess *w = spawn (f, "w1 tutorial.sleep_print seconds=60");

  g_action_group_activate_action (G_ACTION_GROUP (f->app), "quit", NULL);
  wait_for (f, has_dialog, NULL, "the quit dialog");
  adw_message_dialog_response (find_dialog (), "cancel");
  fs_test_run_for (0.2);
  g_assert_true (fs_engine_is_running (fs_application_get_engine (f->app)));
  g_assert_nonnull (fs_application_get_window (f->app));
  g_assert_true (fs_process_get_alive (w));

  quit_with (f, "terminate");
}

static gboolean
shows_error (Fixture  *f,
             gpointer  data)
{
  FsProcessView *view = FS_PROCESS_VIEW (fs_window_get_process_view (FS_WINDOW (f->window)));

  return g_strcmp0 (fs_process_view_get_page (view), "error") == 0;
}

/* The supervisor is killed behind the app's back: the window says so and
 * what became of the workers; the daemon worker died with it, the other
 * lives on as an orphan. */
static int
kill_supervisor (Fixture *f,
                 int     *orphan_fd)
{
  FsProcess *supervisor = fs_engine_get_supervisor (fs_application_get_engine (f->app));
  int sup_fd = fs_test_pidfd_open (fs_process_get_pid (supervisor));
  FsProcess *w = spawn (f, "w1 tutorial.sleep_print seconds=60");
  FsProcess *d = spawn (f, "d1 tutorial.sleep_print daemon seconds=60");
  int w_pid = fs_process_get_pid (w);
  int d_fd = fs_test_pidfd_open (fs_process_get_pid (d));
  FsProcessView *view = FS_PROCESS_VIEW (fs_window_get_process_view (FS_WINDOW (f->window)));
  const char *text;

  *orphan_fd = fs_test_pidfd_open (w_pid);
  /* The test's own application started it. */
  g_assert_cmpint (pidfd_send_signal (sup_fd, SIGKILL, NULL, 0), ==, 0);
  assert_exits (sup_fd);
  wait_for (f, shows_error, NULL, "the window to say the supervisor is gone");

  g_assert_nonnull (fs_process_view_get_error_text (view));
  text = fs_window_get_banner_text (FS_WINDOW (f->window));
  g_assert_nonnull (text);
  g_test_message ("%s", text);
  g_assert_nonnull (strstr (text, "1 daemon worker died with it"));
  g_assert_nonnull (strstr (text, "w1"));
  g_assert_false (fs_engine_is_running (fs_application_get_engine (f->app)));
  assert_exits (d_fd);
  g_assert_cmpint (fs_test_proc_state (w_pid), !=, 0);
  g_assert_cmpint (fs_test_proc_state (w_pid), !=, 'Z');

  return w_pid;
}

static void
end_orphan (int fd)
{
  /* The test started it: the test ends it. */
  g_assert_cmpint (pidfd_send_signal (fd, SIGKILL, NULL, 0), ==, 0);
  assert_exits (fd);
}

static void
supervisor_lost_quit (Fixture *f)
{
  int orphan_fd;

  kill_supervisor (f, &orphan_fd);
  /* Quitting asks nothing and does not hang. */
  quit_with (f, NULL);
  g_assert_null (find_dialog ());
  end_orphan (orphan_fd);
}

static void
supervisor_lost_restart (Fixture *f)
{
  FsEngine *old = fs_application_get_engine (f->app);
  int old_pid = fs_process_get_pid (fs_engine_get_supervisor (old));
  FsProcessView *view = FS_PROCESS_VIEW (fs_window_get_process_view (FS_WINDOW (f->window)));
  FsEngine *engine;
  FsProcess *w;
  int orphan_fd;

  kill_supervisor (f, &orphan_fd);

  g_action_group_activate_action (G_ACTION_GROUP (f->app), "restart-supervisor", NULL);
  engine = fs_application_get_engine (f->app);
  g_assert_true (engine != old);
  g_assert_true (fs_engine_is_running (engine));
  g_assert_true (fs_window_get_engine (FS_WINDOW (f->window)) == engine);
  g_assert_cmpint (fs_process_get_pid (fs_engine_get_supervisor (engine)), !=, old_pid);
  /* A fresh tree: only the new supervisor. */
  g_assert_cmpstr (fs_process_view_get_page (view), !=, "error");
  g_assert_null (fs_window_get_banner_text (FS_WINDOW (f->window)));
  g_assert_cmpuint (g_list_model_get_n_items (fs_engine_get_processes (engine)), ==, 1);

  /* The timeline starts afresh too: only the new supervisor. */
  {
    GtkWidget *pane = fs_window_get_timeline (FS_WINDOW (f->window));
    GListModel *lifelines = fs_timeline_model_get_lifelines (fs_timeline_pane_get_model (FS_TIMELINE_PANE (pane)));

    g_assert_cmpuint (g_list_model_get_n_items (lifelines), ==, 1);
  }

  /* It works: a worker starts under the new supervisor. */
  w = spawn (f, "w2 tutorial.sleep_print seconds=60");
  g_assert_cmpint (fs_test_proc_ppid (fs_process_get_pid (w)), ==,
                   fs_process_get_pid (fs_engine_get_supervisor (engine)));

  quit_with (f, "terminate");
  end_orphan (orphan_fd);
}

static void
collect_shortcuts (GtkWidget  *widget,
                   GHashTable *keys,
                   guint      *n_shortcuts)
{
  if (GTK_IS_SHORTCUTS_SHORTCUT (widget))
    {
      g_autofree char *accelerator = NULL;
      g_autofree char *title = NULL;
      g_auto(GStrv) accels = NULL;

      g_object_get (widget, "accelerator", &accelerator, "title", &title, NULL);
      /* Every entry shows its keys. */
      if (accelerator == NULL || *accelerator == '\0')
        g_error ("The shortcut “%s” shows no keys", title);
      accels = g_strsplit (accelerator, " ", -1);
      for (guint i = 0; accels[i] != NULL; i++)
        {
          guint key;
          GdkModifierType mods;

          g_assert_true (gtk_accelerator_parse (accels[i], &key, &mods));
          g_hash_table_add (keys, gtk_accelerator_name (key, mods));
        }
      (*n_shortcuts)++;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    collect_shortcuts (child, keys, n_shortcuts);
}

static GHashTable *
widget_bindings (GType type)
{
  GHashTable *keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GtkWidget) widget = g_object_ref_sink (g_object_new (type, NULL));
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);

          if (GTK_IS_KEYVAL_TRIGGER (trigger))
            g_hash_table_add (keys, gtk_accelerator_name (gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)),
                                                          gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger))));
        }
    }
  gtk_widget_unparent (widget);
  return keys;
}

/* The shortcuts window shows the keys of every accelerator the app sets,
 * and of the tree's Delete; no accelerator takes a key that a widget binds
 * for itself (Delete means remove in the sidebar, terminate in the tree). */
static void
shortcuts (Fixture *f)
{
  g_autoptr(GHashTable) listed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) tree_keys = widget_bindings (FS_TYPE_PROCESS_VIEW);
  g_autoptr(GHashTable) sidebar_keys = widget_bindings (g_type_from_name ("FsDefinitionsSidebar"));
  g_auto(GStrv) actions = gtk_application_list_action_descriptions (GTK_APPLICATION (f->app));
  g_autoptr(GtkBuilder) builder = NULL;
  GtkWidget *window = NULL;
  guint n_shortcuts = 0, n_accels = 0;

  /* Built as app.shortcuts builds it, not presented: GTK 4.8's
   * GtkShortcutsWindow measures one of its own labels at -3 px when shown,
   * a warning the tests make fatal. */
  builder = gtk_builder_new_from_resource ("/io/github/forkscope/Forkscope/fs-shortcuts-window.ui");
  window = GTK_WIDGET (gtk_builder_get_object (builder, "shortcuts_window"));
  g_assert_true (GTK_IS_SHORTCUTS_WINDOW (window));
  collect_shortcuts (window, listed, &n_shortcuts);
  g_assert_cmpuint (n_shortcuts, >=, 30);

  for (guint i = 0; actions[i] != NULL; i++)
    {
      g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (f->app), actions[i]);

      for (guint j = 0; accels[j] != NULL; j++)
        {
          guint key;
          GdkModifierType mods;
          g_autofree char *name = NULL;

          g_assert_true (gtk_accelerator_parse (accels[j], &key, &mods));
          name = gtk_accelerator_name (key, mods);
          if (!g_hash_table_contains (listed, name))
            g_error ("%s (%s) is not in the shortcuts window", name, actions[i]);
          if (g_hash_table_contains (tree_keys, name) || g_hash_table_contains (sidebar_keys, name))
            g_error ("%s (%s) is also a key of the tree or the sidebar", name, actions[i]);
          n_accels++;
        }
    }
  g_assert_cmpuint (n_accels, >=, 20);
  g_assert_true (g_hash_table_contains (tree_keys, "Delete"));
  g_assert_true (g_hash_table_contains (sidebar_keys, "Delete"));
  g_assert_true (g_hash_table_contains (listed, "Delete"));
  g_assert_true (g_hash_table_contains (listed, "F5"));

  gtk_window_destroy (GTK_WINDOW (window));
  quit_with (f, NULL);
}

static GtkWidget *
find_toggle (GtkWidget  *widget,
             const char *action)
{
  if (GTK_IS_TOGGLE_BUTTON (widget) &&
      g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_toggle (child, action);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* At start-up the sidebar's toggle says what the window shows. */
static void
sidebar_toggle (Fixture *f)
{
  GtkWidget *toggle = find_toggle (GTK_WIDGET (f->window), "win.show-sidebar");
  GtkWidget *sidebar = fs_window_get_sidebar (FS_WINDOW (f->window));

  g_assert_nonnull (toggle);
  fs_test_run_for (0.5);
  g_assert_true (gtk_widget_get_mapped (sidebar));
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (toggle)));
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.show-sidebar", NULL);
  fs_test_run_for (0.2);
  g_assert_false (gtk_widget_get_mapped (sidebar));
  g_assert_false (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (toggle)));
  quit_with (f, NULL);
}

static guint
count_workers (Fixture    *f,
               const char *name)
{
  GListModel *processes = fs_engine_get_processes (fs_application_get_engine (f->app));
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (processes); i++)
    {
      g_autoptr(FsProcess) p = g_list_model_get_item (processes, i);

      if (fs_process_get_kind (p) == FS_PROCESS_KIND_WORKER && g_strcmp0 (fs_process_get_name (p), name) == 0)
        n++;
    }
  return n;
}

static gboolean
has_two_th1 (Fixture  *f,
             gpointer  data)
{
  return count_workers (f, "th1") == 2;
}

/* app.spawn saves only what passes the checks, and never overwrites a
 * saved definition: the same name with other values gets a new name. */
static void
spawn_definitions (Fixture *f)
{
  FsDefinitionStore *store = fs_application_get_store (f->app);
  FsWorkerDefinition *th1;
  FsWorkerDefinition *th1_2;
  guint n;

  fs_definition_store_remove_all (store);
  spawn (f, "th1 tutorial.sleep_print seconds=30 message=EAT");
  th1 = fs_definition_store_lookup (store, "th1");
  g_assert_nonnull (th1);

  g_action_group_activate_action (G_ACTION_GROUP (f->app), "spawn",
                                  g_variant_new_string ("th1 tutorial.sleep_print seconds=20"));
  wait_for (f, has_worker, (gpointer) "th1-2", "th1-2 to start");
  g_assert_true (fs_definition_store_lookup (store, "th1") == th1);
  g_assert_cmpstr (fs_worker_definition_get_arg (th1, "seconds"), ==, "30");
  th1_2 = fs_definition_store_lookup (store, "th1-2");
  g_assert_nonnull (th1_2);
  g_assert_cmpstr (fs_worker_definition_get_arg (th1_2, "seconds"), ==, "20");
  g_assert_cmpstr (fs_window_get_last_toast (FS_WINDOW (f->window)), ==,
                   "th1 is already defined with other values: this one is th1-2");
  g_assert_nonnull (lookup (f, "th1-2"));

  /* The same values, written in another order: the saved one, started. */
  n = g_list_model_get_n_items (G_LIST_MODEL (store));
  g_action_group_activate_action (G_ACTION_GROUP (f->app), "spawn",
                                  g_variant_new_string ("th1 tutorial.sleep_print message=EAT seconds=30"));
  wait_for (f, has_two_th1, NULL, "a second th1");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, n);

  /* Refused: nothing saved. */
  g_action_group_activate_action (G_ACTION_GROUP (f->app), "spawn",
                                  g_variant_new_string ("bad tutorial.sleep_print nonsense=1"));
  g_action_group_activate_action (G_ACTION_GROUP (f->app), "spawn",
                                  g_variant_new_string ("bad2 no.such_function"));
  g_action_group_activate_action (G_ACTION_GROUP (f->app), "spawn",
                                  g_variant_new_string ("bad3 tutorial.sleep_print seconds=abc"));
  g_assert_nonnull (strstr (fs_window_get_last_toast (FS_WINDOW (f->window)), "Cannot spawn “bad3"));
  g_assert_null (fs_definition_store_lookup (store, "bad"));
  g_assert_null (fs_definition_store_lookup (store, "bad2"));
  g_assert_null (fs_definition_store_lookup (store, "bad3"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, n);
  fs_test_run_for (0.3);
  g_assert_cmpuint (count_workers (f, "bad") + count_workers (f, "bad2") + count_workers (f, "bad3"), ==, 0);

  fs_definition_store_remove_all (store);
  quit_with (f, "terminate");
}

/* A policy a lesson set stays until the preference itself changes: the
 * window saving its size is not a reason to put the preference back. */
static void
settings_keep_policy (Fixture *f)
{
  FsEngine *engine = fs_application_get_engine (f->app);
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);

  g_assert_cmpint (g_settings_get_enum (settings, "reap-policy"), ==, FS_REAP_AUTO);
  fs_engine_set_reap_policy (engine, FS_REAP_JOIN);
  fs_engine_set_subreaper (engine, FALSE);
  g_settings_set_int (settings, "window-width", g_settings_get_int (settings, "window-width") + 10);
  g_settings_set_int (settings, "bottom-pane-position", 300);
  fs_test_run_for (0.2);
  g_assert_cmpint (fs_engine_get_reap_policy (engine), ==, FS_REAP_JOIN);
  g_assert_false (fs_engine_get_subreaper (engine));

  /* The preference itself does apply. */
  g_settings_set_boolean (settings, "subreaper", FALSE);
  g_settings_set_boolean (settings, "subreaper", TRUE);
  fs_test_run_for (0.2);
  g_assert_true (fs_engine_get_subreaper (engine));
  g_assert_cmpint (fs_engine_get_reap_policy (engine), ==, FS_REAP_JOIN);
  g_settings_reset (settings, "window-width");
  g_settings_reset (settings, "bottom-pane-position");
  fs_engine_set_reap_policy (engine, FS_REAP_AUTO);
  quit_with (f, NULL);
}

/* `forkscope kill-the-parent`: a built-in lesson by name. Quitting while
 * it runs stops it first, and it cleans up its processes: nothing to ask,
 * nothing left. */
static void
lesson_quit (Fixture *f)
{
  FsLessonPanel *panel = FS_LESSON_PANEL (fs_window_get_lesson_panel (FS_WINDOW (f->window)));
  FsProcess *z;
  int z_fd;

  wait_for (f, has_worker, (gpointer) "z", "the lesson's worker");
  g_assert_cmpstr (fs_lesson_get_name (fs_lesson_panel_get_lesson (panel)), ==, "kill-the-parent");
  z = lookup (f, "z");
  z_fd = fs_test_pidfd_open (fs_process_get_pid (z));

  quit_with (f, NULL);
  g_assert_null (find_dialog ());
  assert_exits (z_fd);
}

static void
test_lesson_quit (void)
{
  run_app_with_args (lesson_quit, "kill-the-parent");
}

#define TEST(name) \
  static void test_##name (void) { run_app (name); }
TEST (quit_no_workers)
TEST (quit_terminate)
TEST (quit_wait)
TEST (quit_leave)
TEST (quit_cancel)
TEST (supervisor_lost_quit)
TEST (supervisor_lost_restart)
TEST (shortcuts)
TEST (spawn_definitions)
TEST (sidebar_toggle)
TEST (settings_keep_policy)

int
main (int   argc,
      char *argv[])
{
  g_autofree char *tmp = g_dir_make_tmp ("forkscope-app-XXXXXX", NULL);
  g_autofree char *data_dir = g_build_filename (tmp, "data", NULL);
  int status;

  /* Saved definitions go to a private folder, not the shared test one. */
  g_setenv ("XDG_DATA_HOME", data_dir, TRUE);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/forkscope/app/quit/no-workers", test_quit_no_workers);
  g_test_add_func ("/forkscope/app/quit/terminate", test_quit_terminate);
  g_test_add_func ("/forkscope/app/quit/wait", test_quit_wait);
  g_test_add_func ("/forkscope/app/quit/leave", test_quit_leave);
  g_test_add_func ("/forkscope/app/quit/cancel", test_quit_cancel);
  g_test_add_func ("/forkscope/app/supervisor-lost/quit", test_supervisor_lost_quit);
  g_test_add_func ("/forkscope/app/supervisor-lost/restart", test_supervisor_lost_restart);
  g_test_add_func ("/forkscope/app/shortcuts", test_shortcuts);
  g_test_add_func ("/forkscope/app/spawn-definitions", test_spawn_definitions);
  g_test_add_func ("/forkscope/app/sidebar-toggle", test_sidebar_toggle);
  g_test_add_func ("/forkscope/app/settings-keep-policy", test_settings_keep_policy);
  g_test_add_func ("/forkscope/app/lesson-quit", test_lesson_quit);

  status = g_test_run ();

  {
    g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", tmp);

    if (system (cmd) != 0)
      status = 1;
  }
  return status;
}
