/* fs-application.c
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <string.h>

#include <glib/gi18n.h>

#include "fs-application.h"
#include "fs-lesson-panel.h"
#include "fs-preferences-window.h"
#include "fs-timeline-pane.h"
#include "fs-window.h"

#define EVENT_LOG_FLUSH_MSEC 250

struct _FsApplication
{
  AdwApplication    parent_instance;

  FsEngine         *engine;
  FsPluginRegistry *registry;
  FsDefinitionStore *store;
  GError           *store_error;
  GSettings        *settings;
  GError           *engine_error;
  GCancellable     *cancellable;
  gboolean          registry_loaded;
  GPtrArray        *pending_spawns;
  GPtrArray        *pending_lessons;

  GOutputStream    *event_log;
  guint             event_log_flush_id;

  gboolean          quitting;
  gboolean          stopping_lesson;
  guint             n_waiting;
};

G_DEFINE_FINAL_TYPE (FsApplication, fs_application, ADW_TYPE_APPLICATION)

typedef struct
{
  const char *action;
  const char *accels[3];
} Accel;

/* Every accelerator, set once here, and written out in the shortcuts
 * window (a test checks they agree). Delete and Shift+Delete are not here:
 * an accelerator works whatever has the focus, and Delete means "remove"
 * in the sidebar but "terminate" in the tree, so each is a binding of its
 * widget (FsDefinitionsSidebar, FsProcessView). */
static const Accel accels[] = {
  { "app.quit",                 { "<Control>q", NULL } },
  { "app.preferences",          { "<Control>comma", NULL } },
  { "app.shortcuts",            { "<Control>question", NULL } },
  { "win.open-lesson",          { "<Control>o", NULL } },
  { "win.new-worker",           { "<Control>n", NULL } },
  { "win.start-all",            { "<Control><Shift>Return", NULL } },
  { "win.join-all",             { "<Control><Shift>j", NULL } },
  { "win.terminate-all",        { "<Control><Shift>t", NULL } },
  { "win.kill-all",             { "<Control><Shift>k", NULL } },
  { "win.clear-finished",       { "<Control>l", NULL } },
  { "win.export-events",        { "<Control>e", NULL } },
  { "win.show-sidebar",         { "F9", NULL } },
  { "win.timeline-visible",     { "<Control>t", NULL } },
  { "win.output-pane-visible",  { "<Control>b", NULL } },
  { "process.join",             { "<Control>j", NULL } },
  { "process.join-timeout(-1.0)", { "<Control><Alt>j", NULL } },
  { "process.stop",             { "<Control>z", NULL } },
  { "process.continue",         { "<Control><Shift>z", NULL } },
  { "process.signal(0)",        { "<Control>k", NULL } },
  { "process.copy-pid",         { "<Control><Shift>c", NULL } },
};

FsApplication *
fs_application_new (const char        *application_id,
                    GApplicationFlags  flags)
{
  return g_object_new (FS_TYPE_APPLICATION,
                       "application-id", application_id,
                       "flags", flags,
                       "resource-base-path", "/io/github/forkscope/Forkscope",
                       NULL);
}

FsEngine *
fs_application_get_engine (FsApplication *self)
{
  g_return_val_if_fail (FS_IS_APPLICATION (self), NULL);

  return self->engine;
}

FsPluginRegistry *
fs_application_get_registry (FsApplication *self)
{
  g_return_val_if_fail (FS_IS_APPLICATION (self), NULL);

  return self->registry;
}

FsDefinitionStore *
fs_application_get_store (FsApplication *self)
{
  g_return_val_if_fail (FS_IS_APPLICATION (self), NULL);

  return self->store;
}

GtkWindow *
fs_application_get_window (FsApplication *self)
{
  GList *windows;

  g_return_val_if_fail (FS_IS_APPLICATION (self), NULL);

  for (windows = gtk_application_get_windows (GTK_APPLICATION (self)); windows; windows = windows->next)
    if (FS_IS_WINDOW (windows->data))
      return windows->data;

  return NULL;
}

static FsWindow *
ensure_window (FsApplication *self)
{
  GtkWindow *window = fs_application_get_window (self);

  if (window == NULL)
    {
      FsWindow *fs_window = fs_window_new (GTK_APPLICATION (self), self->engine,
                                           self->registry, self->store);

      fs_window_set_timeline (fs_window, fs_timeline_pane_new_for_window (fs_window));

      if (self->engine_error != NULL)
        fs_window_set_engine_error (fs_window, self->engine_error);
      if (self->store_error != NULL)
        {
          /* Translators: %s says why the saved workers could not be read */
          g_autofree char *message = g_strdup_printf (_("Your saved workers could not be read: %s"),
                                                      self->store_error->message);

          fs_window_show_error (fs_window, message);
          g_clear_error (&self->store_error);
        }
      window = GTK_WINDOW (fs_window);
    }

  return FS_WINDOW (window);
}

static void
show_error (FsApplication *self,
            const char    *message)
{
  GtkWindow *window = fs_application_get_window (self);

  if (window != NULL)
    fs_window_show_error (FS_WINDOW (window), message);
  else
    g_warning ("%s", message);
}

static void run_lesson (FsApplication *self,
                        const char    *path);
static void restart_supervisor_action (GSimpleAction *action,
                                       GVariant      *param,
                                       gpointer       user_data);

/* The definition's arguments as the worker will get them (defaults filled
 * in, in the spec's order), or NULL if the function is unknown or an
 * argument is refused. */
static char **
check_definition (FsApplication       *self,
                  FsWorkerDefinition  *definition,
                  GError             **error)
{
  const char *function = fs_worker_definition_get_function (definition);
  FsFunctionInfo *info = function != NULL ? fs_plugin_registry_lookup (self->registry, function) : NULL;

  if (info == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   /* Translators: %s is a function name like tutorial.sleep_print */
                   _("there is no function “%s”"), function != NULL ? function : "");
      return NULL;
    }
  return fs_function_info_check_args (info, fs_worker_definition_get_args (definition), error);
}

static gboolean
same_values (FsApplication      *self,
             FsWorkerDefinition *a,
             FsWorkerDefinition *b)
{
  g_auto(GStrv) args_a = NULL;
  g_auto(GStrv) args_b = NULL;

  if (g_strcmp0 (fs_worker_definition_get_function (a), fs_worker_definition_get_function (b)) != 0 ||
      !fs_worker_definition_get_daemon (a) != !fs_worker_definition_get_daemon (b))
    return FALSE;

  /* Compared as checked, so "seconds=3 message=EAT" is the same as
   * "message=EAT seconds=3" or as leaving a default out. */
  args_a = check_definition (self, a, NULL);
  args_b = check_definition (self, b, NULL);
  return args_a != NULL && args_b != NULL &&
         g_strv_equal ((const char * const *) args_a, (const char * const *) args_b);
}

/* Spawning: the text of a `process` statement, NAME FUNCTION [daemon]
 * KEY=VALUE..., defines a worker and starts it. Nothing that fails the
 * checks is saved, and a saved definition is never overwritten: a name
 * already used with other values gets a new one ("th1-2"). */
static void
spawn_statement (FsApplication *self,
                 const char    *text)
{
  g_autoptr(FsWorkerDefinition) definition = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) checked = NULL;
  FsWorkerDefinition *existing;
  FsWindow *window = ensure_window (self);

  definition = fs_worker_definition_new_from_line (text, &error);
  if (definition != NULL)
    checked = check_definition (self, definition, &error);
  if (checked == NULL)
    {
      /* Translators: the first %s is what was asked for, the second why */
      g_autofree char *message = g_strdup_printf (_("Cannot spawn “%s”: %s"), text, error->message);

      show_error (self, message);
      return;
    }

  existing = fs_definition_store_lookup (self->store, fs_worker_definition_get_name (definition));
  if (existing != NULL && same_values (self, existing, definition))
    {
      fs_window_spawn (window, existing, FALSE);
      return;
    }

  if (existing != NULL)
    {
      g_autofree char *name = fs_definition_store_dup_copy_name (self->store,
                                                                 fs_worker_definition_get_name (definition));
      /* Translators: "th1 is already defined with other values: this one is th1-2" */
      g_autofree char *message = g_strdup_printf (_("%s is already defined with other values: this one is %s"),
                                                  fs_worker_definition_get_name (definition), name);

      fs_worker_definition_set_name (definition, name);
      fs_window_show_toast (window, message);
    }
  fs_definition_store_append (self->store, definition);
  fs_window_spawn (window, definition, FALSE);
}

static void
spawn_action (GSimpleAction *action,
              GVariant      *param,
              gpointer       user_data)
{
  FsApplication *self = user_data;
  const char *text = g_variant_get_string (param, NULL);

  /* Plugins are described by child processes at start-up: a spawn that
   * arrives before they are known waits for them. */
  if (!self->registry_loaded)
    g_ptr_array_add (self->pending_spawns, g_strdup (text));
  else
    spawn_statement (self, text);
}

static void
registry_loaded_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(FsApplication) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!fs_plugin_registry_load_finish (FS_PLUGIN_REGISTRY (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_warning ("Could not read the plugins: %s", error->message);
    }

  self->registry_loaded = TRUE;
  for (guint i = 0; i < self->pending_spawns->len; i++)
    spawn_statement (self, self->pending_spawns->pdata[i]);
  g_ptr_array_set_size (self->pending_spawns, 0);
  for (guint i = 0; i < self->pending_lessons->len; i++)
    run_lesson (self, self->pending_lessons->pdata[i]);
  g_ptr_array_set_size (self->pending_lessons, 0);
}

/* Process-wide actions, forwarded to the window's, which show results. */

static void
forward_to_window (FsApplication *self,
                   const char    *action)
{
  FsWindow *window = ensure_window (self);

  gtk_widget_activate_action (GTK_WIDGET (window), action, NULL);
}

static void
join_all_action (GSimpleAction *action,
                 GVariant      *param,
                 gpointer       user_data)
{
  forward_to_window (user_data, "win.join-all");
}

static void
terminate_all_action (GSimpleAction *action,
                      GVariant      *param,
                      gpointer       user_data)
{
  forward_to_window (user_data, "win.terminate-all");
}

static void
kill_all_action (GSimpleAction *action,
                 GVariant      *param,
                 gpointer       user_data)
{
  forward_to_window (user_data, "win.kill-all");
}

static void
run_lesson (FsApplication *self,
            const char    *path)
{
  FsWindow *window = ensure_window (self);

  gtk_window_present (GTK_WINDOW (window));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.run-lesson", "s", path);
}

static void
run_lesson_action (GSimpleAction *action,
                   GVariant      *param,
                   gpointer       user_data)
{
  FsApplication *self = user_data;
  const char *path = g_variant_get_string (param, NULL);

  /* A lesson is checked against the plugins before it runs. */
  if (!self->registry_loaded)
    g_ptr_array_add (self->pending_lessons, g_strdup (path));
  else
    run_lesson (self, path);
}

/* Quitting */

static GPtrArray *
live_workers (FsApplication *self,
              int            daemon)
{
  GPtrArray *workers = g_ptr_array_new_with_free_func (g_object_unref);
  GListModel *processes;
  guint n;

  if (self->engine == NULL || !fs_engine_is_running (self->engine))
    return workers;

  processes = fs_engine_get_processes (self->engine);
  n = g_list_model_get_n_items (processes);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(FsProcess) p = g_list_model_get_item (processes, i);
      FsProcessState state = fs_process_get_state (p);

      if (fs_process_get_kind (p) != FS_PROCESS_KIND_WORKER)
        continue;
      if (state != FS_PROCESS_STATE_CREATED && state != FS_PROCESS_STATE_RUNNING &&
          state != FS_PROCESS_STATE_SLEEPING && state != FS_PROCESS_STATE_STOPPED)
        continue;
      if (daemon >= 0 && !!fs_process_get_daemon (p) != !!daemon)
        continue;
      g_ptr_array_add (workers, g_steal_pointer (&p));
    }

  return workers;
}

static void
flush_event_log (FsApplication *self)
{
  if (self->event_log != NULL)
    g_output_stream_flush (self->event_log, NULL, NULL);
}

static void
really_quit (FsApplication *self)
{
  GList *windows;

  flush_event_log (self);

  windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));
  for (GList *l = windows; l != NULL; l = l->next)
    {
      g_object_set_data (G_OBJECT (l->data), "fs-closing", GINT_TO_POINTER (TRUE));
      gtk_window_destroy (GTK_WINDOW (l->data));
    }
  g_list_free (windows);

  g_application_quit (G_APPLICATION (self));
}

static void
shutdown_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(FsApplication) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!fs_engine_shutdown_finish (FS_ENGINE (object), result, &error))
    g_warning ("The supervisor did not shut down cleanly: %s", error->message);

  g_application_release (G_APPLICATION (self));
  really_quit (self);
}

static void
finish_quit (FsApplication  *self,
             FsShutdownMode  mode)
{
  self->quitting = TRUE;

  if (self->engine == NULL || !fs_engine_is_running (self->engine))
    {
      really_quit (self);
      return;
    }

  g_application_hold (G_APPLICATION (self));
  fs_engine_shutdown_async (self->engine, mode, NULL, shutdown_cb, g_object_ref (self));
}

static void
update_wait_banner (FsApplication *self)
{
  GtkWindow *window = fs_application_get_window (self);
  g_autofree char *text = NULL;

  if (window == NULL)
    return;

  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "Forkscope quits when the last worker finishes: %u is still running.",
                                       "Forkscope quits when the last workers finish: %u are still running.",
                                       self->n_waiting),
                          self->n_waiting);
  fs_window_set_banner (FS_WINDOW (window), _("Waiting for Workers"), text,
                        _("_Terminate Them"), "app.terminate-all");
}

static void
wait_join_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(FsApplication) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!fs_engine_join_finish (FS_ENGINE (object), result, &error) && error != NULL)
    g_debug ("Join at quit: %s", error->message);

  g_assert (self->n_waiting > 0);
  if (--self->n_waiting == 0)
    finish_quit (self, FS_SHUTDOWN_DAEMON_RULE);
  else
    update_wait_banner (self);
}

static void
wait_then_quit (FsApplication *self)
{
  g_autoptr(GPtrArray) daemons = live_workers (self, TRUE);
  g_autoptr(GPtrArray) workers = live_workers (self, FALSE);

  self->quitting = TRUE;

  /* As multiprocessing does at exit: daemon workers are terminated, the
   * others joined. */
  for (guint i = 0; i < daemons->len; i++)
    fs_engine_signal_async (self->engine, daemons->pdata[i], SIGTERM, TRUE, NULL, NULL, NULL);

  if (workers->len == 0)
    {
      finish_quit (self, FS_SHUTDOWN_DAEMON_RULE);
      return;
    }

  self->n_waiting = workers->len;
  for (guint i = 0; i < workers->len; i++)
    fs_engine_join_async (self->engine, workers->pdata[i], -1, NULL, wait_join_cb, g_object_ref (self));
  update_wait_banner (self);
}

static void
quit_response_cb (AdwMessageDialog *dialog,
                  const char       *response,
                  FsApplication    *self)
{
  if (g_str_equal (response, "wait"))
    wait_then_quit (self);
  else if (g_str_equal (response, "terminate"))
    finish_quit (self, FS_SHUTDOWN_TERMINATE);
  else if (g_str_equal (response, "leave"))
    finish_quit (self, FS_SHUTDOWN_DAEMON_RULE);
}

static void
lesson_stopped_cb (FsApplication *self)
{
  if (!self->stopping_lesson)
    return;
  self->stopping_lesson = FALSE;
  g_action_group_activate_action (G_ACTION_GROUP (self), "quit", NULL);
}

static void
quit_action (GSimpleAction *action,
             GVariant      *param,
             gpointer       user_data)
{
  FsApplication *self = user_data;
  g_autoptr(GPtrArray) workers = NULL;
  GtkWindow *window;
  AdwMessageDialog *dialog;
  g_autofree char *body = NULL;

  if (self->quitting || self->stopping_lesson)
    return;

  window = fs_application_get_window (self);

  /* A lesson that is still running is stopped first: it cleans up what it
   * started (a lesson's processes are not the user's to ask about), then
   * the quit goes on. */
  if (window != NULL)
    {
      FsLessonPanel *panel = FS_LESSON_PANEL (fs_window_get_lesson_panel (FS_WINDOW (window)));
      FsScriptRunner *runner = fs_lesson_panel_get_runner (panel);
      FsScriptRunnerState state = fs_lesson_panel_get_state (panel);

      if (runner != NULL && state != FS_SCRIPT_RUNNER_READY && state != FS_SCRIPT_RUNNER_FINISHED)
        {
          self->stopping_lesson = TRUE;
          g_signal_connect_object (runner, "finished", G_CALLBACK (lesson_stopped_cb), self,
                                   G_CONNECT_SWAPPED);
          if (state != FS_SCRIPT_RUNNER_CLEANING_UP)
            fs_lesson_panel_stop (panel);
          return;
        }
    }

  workers = live_workers (self, FALSE);
  if (workers->len == 0 || window == NULL)
    {
      finish_quit (self, workers->len == 0 ? FS_SHUTDOWN_DAEMON_RULE : FS_SHUTDOWN_TERMINATE);
      return;
    }

  body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "%u worker is still running. Daemon workers are terminated when Forkscope quits; if you leave the others running, they become orphans.",
                                       "%u workers are still running. Daemon workers are terminated when Forkscope quits; if you leave the others running, they become orphans.",
                                       workers->len),
                          workers->len);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (window, _("Quit With Workers Running?"), body));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "leave", _("_Leave Running"),
                                    "terminate", _("_Terminate"),
                                    "wait", _("_Wait for Them"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "terminate", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_appearance (dialog, "wait", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "wait");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (quit_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Windows */

static void
preferences_action (GSimpleAction *action,
                    GVariant      *param,
                    gpointer       user_data)
{
  FsApplication *self = user_data;
  GtkWindow *preferences = fs_preferences_window_new (fs_application_get_window (self));

  gtk_window_present (preferences);
}

static void
shortcuts_action (GSimpleAction *action,
                  GVariant      *param,
                  gpointer       user_data)
{
  FsApplication *self = user_data;
  g_autoptr(GtkBuilder) builder = NULL;
  GtkWindow *shortcuts;

  builder = gtk_builder_new_from_resource ("/io/github/forkscope/Forkscope/fs-shortcuts-window.ui");
  shortcuts = GTK_WINDOW (gtk_builder_get_object (builder, "shortcuts_window"));
  gtk_window_set_transient_for (shortcuts, fs_application_get_window (self));
  gtk_window_set_application (shortcuts, GTK_APPLICATION (self));
  gtk_window_present (shortcuts);
}

static void
about_action (GSimpleAction *action,
              GVariant      *param,
              gpointer       user_data)
{
  FsApplication *self = user_data;
  const char *developers[] = { "The Forkscope authors", NULL };
  GtkWidget *about;

  /* adw_about_window_new_from_appdata() is libadwaita 1.4. */
  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", fs_application_get_window (self),
                        "application-name", _("Forkscope"),
                        "application-icon", APP_ID,
                        "developer-name", _("The Forkscope authors"),
                        "version", PACKAGE_VERSION,
                        "comments", _("Spawn, watch, join and kill processes, and see what the kernel does with them: parents and children, zombies waiting to be reaped, orphans being adopted."),
                        "website", "https://github.com/forkscope/forkscope",
                        "issue-url", "https://github.com/forkscope/forkscope/issues",
                        "developers", developers,
                        "copyright", "© 2026 The Forkscope authors",
                        "license-type", GTK_LICENSE_GPL_3_0,
                        /* Translators: your name(s), one per line */
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static const GActionEntry app_actions[] = {
  { "spawn", spawn_action, "s" },
  { "run-lesson", run_lesson_action, "s" },
  { "join-all", join_all_action },
  { "terminate-all", terminate_all_action },
  { "kill-all", kill_all_action },
  { "quit", quit_action },
  { "preferences", preferences_action },
  { "shortcuts", shortcuts_action },
  { "about", about_action },
  { "restart-supervisor", restart_supervisor_action },
};

/* Settings that drive the engine and the style */

/* @key NULL applies every setting (a new engine); otherwise only @key.
 * Other keys (the window's size, a pane's divider) change all the time and
 * must not put back a policy a lesson's `set` chose. */
static void
apply_settings (FsApplication *self,
                const char    *key)
{
  AdwStyleManager *style = adw_style_manager_get_default ();

  if (key == NULL || g_str_equal (key, "color-scheme"))
    switch (g_settings_get_enum (self->settings, "color-scheme"))
      {
      case 1:
        adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_LIGHT);
        break;
      case 2:
        adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
        break;
      case 0:
      default:
        adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
        break;
      }

  if (self->engine == NULL)
    return;

  if (key == NULL || g_str_equal (key, "reap-policy"))
    fs_engine_set_reap_policy (self->engine, g_settings_get_enum (self->settings, "reap-policy"));
  if (key == NULL || g_str_equal (key, "subreaper"))
    fs_engine_set_subreaper (self->engine, g_settings_get_boolean (self->settings, "subreaper"));
  if (key == NULL || g_str_equal (key, "refresh-interval"))
    fs_engine_set_scan_interval (self->engine, g_settings_get_uint (self->settings, "refresh-interval"));
}

static void
settings_changed_cb (FsApplication *self,
                     const char    *key)
{
  apply_settings (self, key);
}

/* --event-log */

static gboolean
event_log_flush_cb (gpointer data)
{
  FsApplication *self = data;

  self->event_log_flush_id = 0;
  flush_event_log (self);
  return G_SOURCE_REMOVE;
}

static void
event_cb (FsApplication *self,
          FsEvent       *event,
          FsEngine      *engine)
{
  g_autofree char *json = NULL;
  g_autoptr(GError) error = NULL;

  if (self->event_log == NULL)
    return;

  json = fs_event_to_json (event, fs_engine_get_origin (engine));
  if (!g_output_stream_write_all (self->event_log, json, strlen (json), NULL, NULL, &error) ||
      !g_output_stream_write_all (self->event_log, "\n", 1, NULL, NULL, &error))
    {
      g_warning ("Could not write the event log: %s", error->message);
      g_clear_object (&self->event_log);
      return;
    }

  if (self->event_log_flush_id == 0)
    self->event_log_flush_id = g_timeout_add (EVENT_LOG_FLUSH_MSEC, event_log_flush_cb, self);
}

static gboolean
open_event_log (FsApplication  *self,
                GFile          *file,
                GError        **error)
{
  g_autoptr(GFileOutputStream) stream = NULL;

  stream = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE, NULL, error);
  if (stream == NULL)
    return FALSE;

  g_clear_object (&self->event_log);
  self->event_log = g_buffered_output_stream_new (G_OUTPUT_STREAM (stream));
  return TRUE;
}

/* The supervisor */

/* A new engine, hence a new supervisor and a fresh tree: an engine runs
 * one supervisor in its life. */
static gboolean
start_engine (FsApplication  *self,
              GError        **error)
{
  g_autoptr(FsEngine) engine = fs_engine_new ();

  if (self->engine != NULL)
    g_signal_handlers_disconnect_by_data (self->engine, self);
  g_set_object (&self->engine, engine);
  g_signal_connect_object (self->engine, "event", G_CALLBACK (event_cb), self, G_CONNECT_SWAPPED);
  apply_settings (self, NULL);
  return fs_engine_start (self->engine, error);
}

static void
restart_supervisor_action (GSimpleAction *action,
                           GVariant      *param,
                           gpointer       user_data)
{
  FsApplication *self = user_data;
  g_autoptr(GError) error = NULL;
  GtkWindow *window;

  if (self->quitting || (self->engine != NULL && fs_engine_is_running (self->engine)))
    return;

  g_clear_error (&self->engine_error);
  if (!start_engine (self, &error))
    {
      /* Translators: %s says why the supervisor could not start */
      g_autofree char *message = g_strdup_printf (_("Could not restart the supervisor: %s"), error->message);

      show_error (self, message);
      self->engine_error = g_steal_pointer (&error);
    }

  window = fs_application_get_window (self);
  if (window != NULL)
    {
      fs_window_set_engine (FS_WINDOW (window), self->engine);
      if (self->engine_error != NULL)
        fs_window_set_engine_error (FS_WINDOW (window), self->engine_error);
      else
        fs_window_show_toast (FS_WINDOW (window), _("The supervisor was restarted"));
    }
}

/* GApplication */

static void
fs_application_startup (GApplication *app)
{
  FsApplication *self = FS_APPLICATION (app);

  G_APPLICATION_CLASS (fs_application_parent_class)->startup (app);

  /* An uninstalled run (meson devenv) finds the app's icon in the source
   * tree, for the about window. */
  if (g_getenv ("FORKSCOPE_ICONDIR") != NULL && gdk_display_get_default () != NULL)
    gtk_icon_theme_add_search_path (gtk_icon_theme_get_for_display (gdk_display_get_default ()),
                                    g_getenv ("FORKSCOPE_ICONDIR"));

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions, G_N_ELEMENTS (app_actions), self);
  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (self), accels[i].action, accels[i].accels);

  self->settings = g_settings_new (APP_ID);
  g_signal_connect_object (self->settings, "changed", G_CALLBACK (settings_changed_cb),
                           self, G_CONNECT_SWAPPED);

  self->store = fs_definition_store_new (NULL);
  if (!fs_definition_store_load (self->store, &self->store_error))
    g_message ("Could not read the saved workers: %s", self->store_error->message);

  self->registry = fs_plugin_registry_new ();
  fs_plugin_registry_load_async (self->registry, self->cancellable, registry_loaded_cb, g_object_ref (self));

  if (!start_engine (self, &self->engine_error))
    g_warning ("Could not start the supervisor: %s", self->engine_error->message);
}

static void
fs_application_activate (GApplication *app)
{
  FsApplication *self = FS_APPLICATION (app);

  gtk_window_present (GTK_WINDOW (ensure_window (self)));
}

static int
fs_application_command_line (GApplication            *app,
                              GApplicationCommandLine *cmdline)
{
  FsApplication *self = FS_APPLICATION (app);
  GVariantDict *options = g_application_command_line_get_options_dict (cmdline);
  g_autofree char *event_log = NULL;
  g_autofree const char **lessons = NULL;

  if (g_variant_dict_lookup (options, "event-log", "^ay", &event_log))
    {
      g_autoptr(GFile) file = g_application_command_line_create_file_for_arg (cmdline, event_log);
      g_autoptr(GError) error = NULL;

      if (!open_event_log (self, file, &error))
        {
          g_application_command_line_printerr (cmdline, _("Cannot write the event log: %s\n"), error->message);
          return EXIT_FAILURE;
        }
    }

  g_application_activate (app);

  if (g_variant_dict_lookup (options, G_OPTION_REMAINING, "^a&ay", &lessons))
    for (guint i = 0; lessons[i] != NULL; i++)
      {
        /* Relative to where the command was typed, not to this process
         * (which may be a remote instance); a bare name that is no file
         * there is a built-in lesson, as for forkscope-cli. */
        g_autoptr(GFile) file = g_application_command_line_create_file_for_arg (cmdline, lessons[i]);
        g_autofree char *path = g_file_get_path (file);

        if (strchr (lessons[i], '/') == NULL && !g_file_query_exists (file, NULL))
          {
            char *builtin = fs_script_find_lesson (lessons[i]);

            if (builtin != NULL)
              {
                g_free (path);
                path = builtin;
              }
          }

        g_action_group_activate_action (G_ACTION_GROUP (self), "run-lesson",
                                        g_variant_new_string (path != NULL ? path : lessons[i]));
      }

  return EXIT_SUCCESS;
}

static void
fs_application_shutdown (GApplication *app)
{
  FsApplication *self = FS_APPLICATION (app);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->event_log_flush_id, g_source_remove);
  if (self->event_log != NULL)
    g_output_stream_close (self->event_log, NULL, NULL);
  g_clear_object (&self->event_log);

  G_APPLICATION_CLASS (fs_application_parent_class)->shutdown (app);
}

static void
fs_application_dispose (GObject *object)
{
  FsApplication *self = (FsApplication *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->event_log_flush_id, g_source_remove);
  g_clear_object (&self->event_log);
  g_clear_object (&self->engine);
  g_clear_object (&self->registry);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (fs_application_parent_class)->dispose (object);
}

static void
fs_application_finalize (GObject *object)
{
  FsApplication *self = (FsApplication *)object;

  g_clear_object (&self->cancellable);
  g_clear_error (&self->engine_error);
  g_clear_error (&self->store_error);
  g_clear_pointer (&self->pending_spawns, g_ptr_array_unref);
  g_clear_pointer (&self->pending_lessons, g_ptr_array_unref);

  G_OBJECT_CLASS (fs_application_parent_class)->finalize (object);
}

static void
fs_application_class_init (FsApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = fs_application_dispose;
  object_class->finalize = fs_application_finalize;

  app_class->startup = fs_application_startup;
  app_class->activate = fs_application_activate;
  app_class->command_line = fs_application_command_line;
  app_class->shutdown = fs_application_shutdown;
}

static void
fs_application_init (FsApplication *self)
{
  const GOptionEntry entries[] = {
    { "event-log", 0, 0, G_OPTION_ARG_FILENAME, NULL,
      N_("Also write every event to FILE, as JSON lines"), N_("FILE") },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, NULL,
      NULL, NULL },
    { NULL }
  };

  self->cancellable = g_cancellable_new ();
  self->pending_spawns = g_ptr_array_new_with_free_func (g_free);
  self->pending_lessons = g_ptr_array_new_with_free_func (g_free);

  g_application_add_main_option_entries (G_APPLICATION (self), entries);
  g_application_set_option_context_parameter_string (G_APPLICATION (self), _("[LESSON]"));
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Spawn, watch, join and kill processes."));
}
