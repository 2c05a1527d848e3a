/* fs-window.c
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "fs-definitions-sidebar.h"
#include "fs-event-log.h"
#include "fs-format.h"
#include "fs-output-view.h"
#include "fs-paths.h"
#include "fs-proc.h"
#include "fs-process-view.h"
#include "fs-timeline-model.h"
#include "fs-timeline-pane.h"
#include "fs-tooltip.h"
#include "fs-window-private.h"

G_DEFINE_FINAL_TYPE (FsWindow, fs_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_ENGINE,
  PROP_REGISTRY,
  PROP_STORE,
  PROP_SIDEBAR_VISIBLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

FsWindow *
fs_window_new (GtkApplication    *application,
               FsEngine          *engine,
               FsPluginRegistry  *registry,
               FsDefinitionStore *store)
{
  g_return_val_if_fail (!application || GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (FS_IS_ENGINE (engine), NULL);
  g_return_val_if_fail (!registry || FS_IS_PLUGIN_REGISTRY (registry), NULL);
  g_return_val_if_fail (!store || FS_IS_DEFINITION_STORE (store), NULL);

  return g_object_new (FS_TYPE_WINDOW,
                       "application", application,
                       "engine", engine,
                       "registry", registry,
                       "store", store,
                       NULL);
}

GtkWidget *
fs_window_get_sidebar (FsWindow *self)
{
  g_return_val_if_fail (FS_IS_WINDOW (self), NULL);

  return self->sidebar;
}

typedef struct
{
  FsWindow *self;
  char     *name;
  gboolean  select;
} SpawnData;

static void
spawn_data_free (SpawnData *data)
{
  g_clear_object (&data->self);
  g_free (data->name);
  g_free (data);
}

static void
spawn_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  SpawnData *data = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(FsProcess) process = NULL;

  process = fs_engine_spawn_finish (FS_ENGINE (object), result, &error);
  if (process == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          /* Translators: the first %s is a worker's name, the second why */
          g_autofree char *message = g_strdup_printf (_("Could not start %s: %s"), data->name, error->message);

          fs_window_show_error (data->self, message);
        }
    }
  else if (data->select)
    fs_process_view_select (data->self->process_view, process);

  spawn_data_free (data);
}

void
fs_window_spawn (FsWindow           *self,
                 FsWorkerDefinition *definition,
                 gboolean            select)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) checked = NULL;
  const char *name;
  const char *function;
  FsFunctionInfo *info = NULL;
  SpawnData *data;

  g_return_if_fail (FS_IS_WINDOW (self));
  g_return_if_fail (FS_IS_WORKER_DEFINITION (definition));

  name = fs_worker_definition_get_name (definition);
  function = fs_worker_definition_get_function (definition);

  if (self->registry != NULL && function != NULL)
    info = fs_plugin_registry_lookup (self->registry, function);
  if (info == NULL)
    {
      /* Translators: the first %s is a worker's name, the second a
       * function name like tutorial.sleep_print */
      g_autofree char *message = g_strdup_printf (_("Could not start %s: there is no function “%s”"),
                                                  name, function != NULL ? function : "");

      fs_window_show_error (self, message);
      return;
    }

  /* The worker checks again; checking here gives the user the message
   * before anything is started. */
  checked = fs_function_info_check_args (info, fs_worker_definition_get_args (definition), &error);
  if (checked == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Could not start %s: %s"), name, error->message);

      fs_window_show_error (self, message);
      return;
    }

  data = g_new0 (SpawnData, 1);
  data->self = g_object_ref (self);
  data->name = g_strdup (name);
  data->select = select;
  fs_engine_spawn_async (self->engine, name,
                         fs_function_info_get_plugin_path (info),
                         function, (const char * const *) checked,
                         fs_worker_definition_get_daemon (definition),
                         self->cancellable, spawn_cb, data);
}

static void
spawn_requested_cb (FsWindow           *self,
                    FsWorkerDefinition *definition)
{
  fs_window_spawn (self, definition, TRUE);
}

FsEngine *
fs_window_get_engine (FsWindow *self)
{
  g_return_val_if_fail (FS_IS_WINDOW (self), NULL);

  return self->engine;
}

FsPluginRegistry *
fs_window_get_registry (FsWindow *self)
{
  g_return_val_if_fail (FS_IS_WINDOW (self), NULL);

  return self->registry;
}

GtkWidget *
fs_window_get_process_view (FsWindow *self)
{
  g_return_val_if_fail (FS_IS_WINDOW (self), NULL);

  return GTK_WIDGET (self->process_view);
}

GtkWidget *
fs_window_get_output_view (FsWindow *self)
{
  g_return_val_if_fail (FS_IS_WINDOW (self), NULL);

  return GTK_WIDGET (self->output_view);
}

GtkWidget *
fs_window_get_event_log (FsWindow *self)
{
  g_return_val_if_fail (FS_IS_WINDOW (self), NULL);

  return GTK_WIDGET (self->event_log);
}

FsProcess *
fs_window_get_selected (FsWindow *self)
{
  g_return_val_if_fail (FS_IS_WINDOW (self), NULL);

  return self->selected;
}

gboolean
fs_window_select (FsWindow  *self,
                  FsProcess *process)
{
  g_return_val_if_fail (FS_IS_WINDOW (self), FALSE);

  return fs_process_view_select (self->process_view, process);
}

void
fs_window_show_toast (FsWindow   *self,
                      const char *message)
{
  AdwToast *toast;

  g_return_if_fail (FS_IS_WINDOW (self));
  g_return_if_fail (message != NULL);

  g_free (self->last_toast);
  self->last_toast = g_strdup (message);
  toast = adw_toast_new (message);
  adw_toast_set_timeout (toast, 4);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

const char *
fs_window_get_last_toast (FsWindow *self)
{
  g_return_val_if_fail (FS_IS_WINDOW (self), NULL);

  return self->last_toast;
}

void
fs_window_show_error (FsWindow   *self,
                      const char *message)
{
  g_return_if_fail (FS_IS_WINDOW (self));
  g_return_if_fail (message != NULL);

  g_message ("%s", message);
  fs_window_show_toast (self, message);
}

void
fs_window_set_engine_error (FsWindow     *self,
                            const GError *error)
{
  g_return_if_fail (FS_IS_WINDOW (self));

  fs_process_view_set_error (self->process_view, error);
  if (error != NULL)
    fs_window_set_banner (self, _("The Supervisor Is Not Running"), error->message,
                          _("_Restart Supervisor"), "app.restart-supervisor");
}

const char *
fs_window_get_banner_text (FsWindow *self)
{
  g_return_val_if_fail (FS_IS_WINDOW (self), NULL);

  if (!gtk_revealer_get_reveal_child (self->banner_revealer))
    return NULL;
  return gtk_label_get_label (self->banner_label);
}

void
fs_window_set_timeline (FsWindow  *self,
                        GtkWidget *timeline)
{
  g_return_if_fail (FS_IS_WINDOW (self));
  g_return_if_fail (!timeline || GTK_IS_WIDGET (timeline));

  if (self->timeline == timeline)
    return;

  if (self->timeline != NULL)
    {
      g_settings_unbind (self->timeline, "visible");
      g_settings_unbind (self->timeline_paned, "position");
    }
  self->timeline = timeline;
  gtk_paned_set_end_child (self->timeline_paned, timeline);
  if (timeline != NULL)
    {
      int position = g_settings_get_int (self->settings, "timeline-pane-position");

      int above_output = gtk_paned_get_position (self->bottom_paned);

      g_settings_bind (self->settings, "timeline-visible", timeline, "visible", G_SETTINGS_BIND_GET);
      /* The timeline is below the tree, both the window's full width: the
       * tree's columns and the time axis both need width more than height.
       * Not moved yet (or moved when the timeline was beside the tree, to
       * a place that leaves it no room): half of what the output pane
       * leaves. */
      if (position < 100 || position > above_output - 100)
        position = MAX (100, above_output / 2);
      gtk_paned_set_position (self->timeline_paned, position);
      g_settings_bind (self->settings, "timeline-pane-position", self->timeline_paned, "position",
                       G_SETTINGS_BIND_SET | G_SETTINGS_BIND_GET_NO_CHANGES);
    }
}

GtkWidget *
fs_window_get_timeline (FsWindow *self)
{
  g_return_val_if_fail (FS_IS_WINDOW (self), NULL);

  return self->timeline;
}

static void
fs_window_set_sidebar_visible (FsWindow *self,
                               gboolean  visible)
{
  visible = !!visible;
  if (self->sidebar_visible == visible)
    return;

  self->sidebar_visible = visible;
  gtk_widget_set_visible (GTK_WIDGET (self->sidebar_box), visible && self->sidebar != NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SIDEBAR_VISIBLE]);
}

static void
set_sidebar (FsWindow  *self,
             GtkWidget *sidebar)
{
  if (self->sidebar != NULL)
    gtk_box_remove (self->sidebar_box, self->sidebar);
  self->sidebar = sidebar;
  if (sidebar != NULL)
    {
      gtk_widget_set_vexpand (sidebar, TRUE);
      gtk_box_append (self->sidebar_box, sidebar);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->sidebar_box), self->sidebar_visible && sidebar != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.show-sidebar", sidebar != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.new-worker", sidebar != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.start-all", sidebar != NULL);
}

static void
win_new_worker (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  FsWindow *self = FS_WINDOW (widget);

  if (self->sidebar != NULL)
    {
      fs_window_set_sidebar_visible (self, TRUE);
      fs_definitions_sidebar_new_worker (FS_DEFINITIONS_SIDEBAR (self->sidebar));
    }
}

static void
win_start_all (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  FsWindow *self = FS_WINDOW (widget);

  if (self->sidebar != NULL)
    gtk_widget_activate_action (self->sidebar, "definitions.start-all", NULL);
}

void
fs_window_set_banner (FsWindow   *self,
                      const char *title,
                      const char *text,
                      const char *button_label,
                      const char *action_name)
{
  g_return_if_fail (FS_IS_WINDOW (self));

  if (text != NULL)
    {
      gtk_label_set_label (self->banner_title, title != NULL ? title : "");
      gtk_widget_set_visible (GTK_WIDGET (self->banner_title), title != NULL && *title != '\0');
      gtk_label_set_label (self->banner_label, text);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->banner_button), action_name);
      if (button_label != NULL)
        gtk_button_set_label (self->banner_button, button_label);
      gtk_widget_set_visible (GTK_WIDGET (self->banner_button), action_name != NULL);
    }
  gtk_revealer_set_reveal_child (self->banner_revealer, text != NULL);
}

GtkWidget *
fs_window_get_lesson_panel (FsWindow *self)
{
  g_return_val_if_fail (FS_IS_WINDOW (self), NULL);

  return GTK_WIDGET (self->lesson_panel);
}

static void
lesson_event_cb (FsWindow *self,
                 FsEvent  *event)
{
  fs_event_log_append (self->event_log, event);
}

static void
lesson_close_requested_cb (FsWindow *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "win.stop-lesson", NULL);
}

/* Between steps the tree and the timeline stand still, so a learner can look at a
 * zombie for as long as they like; it goes back to what it was after. */
static void
lesson_paused_cb (FsWindow *self)
{
  FsTimeline *timeline;

  /* The tree too: a zombie stays a zombie on screen while the learner
   * looks, whatever happens meanwhile; it catches up on the next step. */
  fs_process_view_set_frozen (self->process_view, fs_lesson_panel_get_paused (self->lesson_panel));

  if (!FS_IS_TIMELINE_PANE (self->timeline))
    return;

  timeline = fs_timeline_pane_get_timeline (FS_TIMELINE_PANE (self->timeline));
  if (fs_lesson_panel_get_paused (self->lesson_panel))
    {
      self->timeline_was_paused = fs_timeline_get_paused (timeline);
      fs_timeline_set_paused (timeline, TRUE);
    }
  else
    fs_timeline_set_paused (timeline, self->timeline_was_paused);
}

static void
win_run_lesson (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  FsWindow *self = FS_WINDOW (widget);
  g_autoptr(GError) error = NULL;
  g_autoptr(FsLesson) lesson = NULL;
  g_autofree char *builtin = NULL;
  const char *path = g_variant_get_string (param, NULL);

  if (self->registry == NULL)
    return;

  /* A path, or the name of a built-in lesson ("zombie"). */
  if (strchr (path, '/') == NULL && !g_file_test (path, G_FILE_TEST_EXISTS) &&
      (builtin = fs_script_find_lesson (path)) != NULL)
    path = builtin;
  lesson = fs_lesson_new_from_file (path, self->registry, &error);
  if (lesson == NULL)
    {
      /* Translators: %s says what is wrong with the lesson file */
      g_autofree char *message = g_strdup_printf (_("Cannot play this lesson: %s"), error->message);

      fs_window_show_error (self, message);
      return;
    }

  fs_lesson_panel_set_lesson (self->lesson_panel, lesson);
  gtk_revealer_set_reveal_child (self->lesson_revealer, TRUE);
  gtk_widget_action_set_enabled (widget, "win.stop-lesson", TRUE);
  /* The lesson's events are what a learner reads along. */
  adw_view_stack_set_visible_child_name (self->bottom_stack, "events");
  fs_lesson_panel_play (self->lesson_panel);
}

static void
win_stop_lesson (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  FsWindow *self = FS_WINDOW (widget);

  /* Dropping the lesson stops its run, which cleans up its processes. */
  fs_lesson_panel_set_lesson (self->lesson_panel, NULL);
  gtk_revealer_set_reveal_child (self->lesson_revealer, FALSE);
  gtk_widget_action_set_enabled (widget, "win.stop-lesson", FALSE);
}

static void
open_lesson_response_cb (GtkNativeDialog *dialog,
                         int              response,
                         FsWindow        *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = g_file_get_path (file);

      if (path != NULL)
        gtk_widget_activate_action (GTK_WIDGET (self), "win.run-lesson", "s", path);
    }

  g_object_unref (dialog);
}

static void
win_open_lesson (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  FsWindow *self = FS_WINDOW (widget);
  GtkFileChooserNative *dialog;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autoptr(GFile) folder = g_file_new_for_path (fs_paths_get_lessondir ());

  dialog = gtk_file_chooser_native_new (_("Open Lesson"), GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_OPEN,
                                        _("_Open"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("Forkscope Lessons"));
  gtk_file_filter_add_pattern (filter, "*.forkscope");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (dialog), folder, NULL);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_signal_connect (dialog, "response", G_CALLBACK (open_lesson_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
update_output_filter (FsWindow *self)
{
  gboolean follow = gtk_toggle_button_get_active (self->follow_button);
  FsProcess *filter = follow ? self->selected : NULL;
  g_autofree char *label = NULL;

  if (filter != NULL && fs_process_get_kind (filter) == FS_PROCESS_KIND_SUPERVISOR)
    filter = NULL;

  fs_output_view_set_filter (self->output_view, filter);

  if (g_strcmp0 (adw_view_stack_get_visible_child_name (self->bottom_stack), "output") != 0)
    label = g_strdup ("");
  else if (filter != NULL)
    /* Translators: whose output is shown: a process name and its PID */
    label = g_strdup_printf (_("%s (PID %d) and its children"),
                             fs_process_get_name (filter), fs_process_get_pid (filter));
  else
    label = g_strdup (_("All processes"));
  gtk_label_set_label (self->output_filter_label, label);
}

static void
bottom_page_changed_cb (FsWindow *self)
{
  gboolean events = g_strcmp0 (adw_view_stack_get_visible_child_name (self->bottom_stack), "events") == 0;

  gtk_widget_set_visible (GTK_WIDGET (self->filter_box), !events);
  gtk_widget_set_visible (self->export_button, events);
  update_output_filter (self);
}

static void
update_title (FsWindow *self)
{
  g_autofree char *subtitle = NULL;
  const char *policy;
  const char *subreaper;
  GListModel *processes;
  guint n, alive = 0, zombies = 0;

  processes = fs_engine_get_processes (self->engine);
  n = processes != NULL ? g_list_model_get_n_items (processes) : 0;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(FsProcess) p = g_list_model_get_item (processes, i);

      if (fs_process_get_kind (p) == FS_PROCESS_KIND_SUPERVISOR)
        continue;
      if (fs_window_process_is_live (p))
        alive++;
      else if (fs_process_get_state (p) == FS_PROCESS_STATE_ZOMBIE)
        zombies++;
    }

  if (!fs_engine_is_running (self->engine))
    {
      adw_window_title_set_subtitle (self->window_title, _("The supervisor is not running"));
      return;
    }

  /* What the engine does now, which a lesson's `set` may have changed. */
  if (fs_engine_get_reap_policy (self->engine) == FS_REAP_JOIN)
    policy = _("reap on join");
  else
    policy = _("reap automatically");
  subreaper = fs_engine_get_subreaper (self->engine)
              ? _("adopt orphans") : _("orphans go to the next subreaper");

  if (zombies > 0)
    /* Translators: "3 alive, 1 zombie · reap on join · adopt orphans" */
    subtitle = g_strdup_printf (_("%u alive, %u zombie · %s · %s"), alive, zombies, policy, subreaper);
  else
    /* Translators: "3 alive · reap on join · adopt orphans" */
    subtitle = g_strdup_printf (_("%u alive · %s · %s"), alive, policy, subreaper);
  adw_window_title_set_subtitle (self->window_title, subtitle);
}

static gboolean
update_cb (gpointer data)
{
  FsWindow *self = data;

  self->update_id = 0;
  update_title (self);
  fs_window_actions_update (self);
  return G_SOURCE_REMOVE;
}

static void
queue_update (FsWindow *self)
{
  /* Many events can arrive in one main loop iteration (a scan's diff):
   * coalesce the header updates. */
  if (self->update_id == 0)
    self->update_id = g_idle_add_full (G_PRIORITY_LOW, update_cb, self, NULL);
}

static void
engine_event_cb (FsWindow *self,
                 FsEvent  *event,
                 FsEngine *engine)
{
  if (event->kind != FS_EVENT_OUTPUT)
    queue_update (self);
}

static char *
describe_loss (FsWindow *self)
{
  GListModel *processes = fs_engine_get_processes (self->engine);
  guint n = g_list_model_get_n_items (processes);
  guint n_daemons = 0;
  g_autoptr(GString) orphans = g_string_new (NULL);
  guint n_orphans = 0;
  GString *text = g_string_new (NULL);

  /* What became of the workers: daemon workers die with the supervisor
   * (PR_SET_PDEATHSIG); the others live on, re-parented to the next
   * subreaper up, where Forkscope can no longer watch or signal them. */
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(FsProcess) p = g_list_model_get_item (processes, i);
      FsProcStat stat;

      if (fs_process_get_kind (p) != FS_PROCESS_KIND_WORKER || !fs_window_process_is_live (p))
        continue;
      if (fs_process_get_daemon (p))
        {
          n_daemons++;
          continue;
        }
      /* Pinned by start time: a reused PID is not one of ours. */
      if (fs_proc_read_stat (fs_process_get_pid (p), &stat, NULL) &&
          (fs_process_get_start_ticks (p) == 0 || stat.starttime == fs_process_get_start_ticks (p)) &&
          stat.state != 'Z')
        {
          n_orphans++;
          g_string_append_printf (orphans, "%s%s (%d)", orphans->len > 0 ? ", " : "",
                                  fs_process_get_name (p), fs_process_get_pid (p));
        }
    }

  /* The connection's own words ("0 bytes on an async read") are for the
   * log, not for a learner. */
  g_string_append (text, _("The supervisor, the parent of every worker, ended unexpectedly."));
  if (n_daemons > 0)
    {
      g_string_append (text, "\n\n");
      g_string_append_printf (text,
                              g_dngettext (GETTEXT_PACKAGE,
                                           "%u daemon worker died with it.",
                                           "%u daemon workers died with it.",
                                           n_daemons),
                              n_daemons);
    }
  if (n_orphans > 0)
    {
      g_string_append (text, "\n\n");
      /* Translators: %u is a number of workers, %s a list like "th1 (4242), th2 (4243)" */
      g_string_append_printf (text,
                              g_dngettext (GETTEXT_PACKAGE,
                                           "%u worker is still running on its own, an orphan adopted by the next subreaper up; Forkscope can no longer watch or signal it: %s.",
                                           "%u workers are still running on their own, orphans adopted by the next subreaper up; Forkscope can no longer watch or signal them: %s.",
                                           n_orphans),
                              n_orphans, orphans->str);
    }
  g_string_append (text, "\n\n");
  g_string_append (text, _("Restart the supervisor to start workers again, in a fresh tree."));

  return g_string_free (text, FALSE);
}

static void
engine_closed_cb (FsWindow     *self,
                  const GError *error,
                  FsEngine     *engine)
{
  g_autoptr(GError) lost = NULL;
  g_autofree char *text = NULL;

  /* No error: a shutdown we asked for (quitting). */
  if (error == NULL)
    return;

  /* The banner says what happened and offers the restart, whatever the
   * height left to the tree. */
  text = describe_loss (self);
  lost = g_error_new_literal (FS_ENGINE_ERROR, FS_ENGINE_ERROR_NOT_RUNNING,
                              _("The tree shows nothing until the supervisor is restarted."));
  g_message ("%s", error->message);
  fs_process_view_select (self->process_view, NULL);
  fs_process_view_set_error (self->process_view, lost);
  fs_window_set_banner (self, _("The Supervisor Is Not Running"), text,
                        _("_Restart Supervisor"), "app.restart-supervisor");
  queue_update (self);
}

static void
connect_engine (FsWindow *self)
{
  fs_process_view_set_error (self->process_view, NULL);
  if (g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (self->banner_button)),
                 "app.restart-supervisor") == 0)
    fs_window_set_banner (self, NULL, NULL, NULL, NULL);
  fs_process_view_set_engine (self->process_view, self->engine);
  fs_output_view_set_engine (self->output_view, self->engine);
  fs_event_log_set_engine (self->event_log, self->engine);
  fs_lesson_panel_set_engine (self->lesson_panel, self->engine);
  if (FS_IS_TIMELINE_PANE (self->timeline))
    fs_timeline_model_set_engine (fs_timeline_pane_get_model (FS_TIMELINE_PANE (self->timeline)),
                                  self->engine);
  g_signal_connect_object (self->engine, "event", G_CALLBACK (engine_event_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->engine, "closed", G_CALLBACK (engine_closed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->engine, "notify::reap-policy", G_CALLBACK (queue_update),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->engine, "notify::subreaper", G_CALLBACK (queue_update),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->engine, "notify::running", G_CALLBACK (queue_update),
                           self, G_CONNECT_SWAPPED);
}

void
fs_window_set_engine (FsWindow *self,
                      FsEngine *engine)
{
  g_return_if_fail (FS_IS_WINDOW (self));
  g_return_if_fail (FS_IS_ENGINE (engine));

  if (self->engine == engine)
    return;

  /* The old engine's processes are gone from view: nothing may act on
   * them any more. */
  fs_process_view_select (self->process_view, NULL);
  g_signal_handlers_disconnect_by_data (self->engine, self);
  g_set_object (&self->engine, engine);
  /* A fresh tree, and a fresh timeline: the old lifelines would stay
   * "running" forever, on another engine's clock. */
  if (FS_IS_TIMELINE_PANE (self->timeline))
    fs_timeline_model_clear (fs_timeline_pane_get_model (FS_TIMELINE_PANE (self->timeline)));
  connect_engine (self);
  queue_update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENGINE]);
}

static void
selected_notify_cb (FsWindow *self)
{
  fs_window_actions_update (self);
}

static void
selection_changed_cb (FsWindow *self)
{
  FsProcess *selected = fs_process_view_get_selected (self->process_view);

  if (self->selected == selected)
    return;

  if (self->selected != NULL)
    g_clear_signal_handler (&self->selected_notify_id, self->selected);
  g_set_object (&self->selected, selected);
  if (selected != NULL)
    self->selected_notify_id = g_signal_connect_object (selected, "notify::state",
                                                        G_CALLBACK (selected_notify_cb), self,
                                                        G_CONNECT_SWAPPED);
  update_output_filter (self);
  fs_window_actions_update (self);
}

static void
join_timeout_clicked_cb (FsWindow *self)
{
  double timeout = gtk_spin_button_get_value (self->join_timeout_spin);

  gtk_popover_popdown (self->join_popover);
  gtk_widget_activate_action (GTK_WIDGET (self), "process.join-timeout", "d", timeout);
}

static void
signal_row_activated_cb (FsWindow      *self,
                         GtkListBoxRow *row)
{
  int signum = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (row), "fs-signum"));

  gtk_popover_popdown (self->signal_popover);
  gtk_widget_activate_action (GTK_WIDGET (self), "process.signal", "i", signum);
}

static void
settings_changed_cb (FsWindow   *self,
                     const char *key)
{
  queue_update (self);
}

static gboolean
fs_window_close_request (GtkWindow *window)
{
  GtkApplication *app = gtk_window_get_application (window);

  /* Quitting decides what happens to live workers: let app.quit ask. */
  if (app != NULL && !g_object_get_data (G_OBJECT (window), "fs-closing") &&
      g_action_group_has_action (G_ACTION_GROUP (app), "quit"))
    {
      g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
      return TRUE;
    }

  return GTK_WINDOW_CLASS (fs_window_parent_class)->close_request (window);
}

/* Below this width the header keeps Join and the menus only: Terminate and
 * Kill are in the process menu too. */
#define COMPACT_WIDTH 900

static gboolean
update_compact_cb (gpointer data)
{
  FsWindow *self = data;

  self->compact_id = 0;
  gtk_widget_set_visible (GTK_WIDGET (self->terminate_button), !self->compact);
  gtk_widget_set_visible (GTK_WIDGET (self->kill_button), !self->compact);
  /* The tree needs the room more than the definitions do: fold the
   * sidebar away when the window becomes narrow (F9 brings it back), and
   * bring it back when the window is wide again. */
  fs_window_set_sidebar_visible (self, !self->compact);
  return G_SOURCE_REMOVE;
}

static void
fs_window_size_allocate (GtkWidget *widget,
                         int        width,
                         int        height,
                         int        baseline)
{
  FsWindow *self = FS_WINDOW (widget);
  gboolean compact = width < COMPACT_WIDTH;

  GTK_WIDGET_CLASS (fs_window_parent_class)->size_allocate (widget, width, height, baseline);

  /* Visibility cannot change during an allocation: defer it. */
  if (compact != self->compact)
    {
      self->compact = compact;
      if (self->compact_id == 0)
        self->compact_id = g_idle_add (update_compact_cb, self);
    }
}

static void
store_changed_cb (FsWindow *self)
{
  fs_process_view_set_has_definitions (self->process_view,
                                       g_list_model_get_n_items (G_LIST_MODEL (self->store)) > 0);
}

/* GTK 4.8's property actions do not give their first state to the
 * widgets that show them (the sidebar's toggle button, the menu's check
 * mark): tell them once the window is shown. */
static void
map_cb (FsWindow *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SIDEBAR_VISIBLE]);
  /* Everything is in place now, the timeline pane included. */
  fs_tooltip_fix_tree (GTK_WIDGET (self));
  if (!self->tooltips_watched)
    {
      self->tooltips_watched = TRUE;
      fs_tooltip_hide_while_open (GTK_WIDGET (self->lessons_button),
                                  gtk_menu_button_get_popover (self->lessons_button));
      fs_tooltip_hide_while_open (GTK_WIDGET (self->primary_button),
                                  gtk_menu_button_get_popover (self->primary_button));
      fs_tooltip_hide_while_open (GTK_WIDGET (self->process_menu_button),
                                  gtk_menu_button_get_popover (self->process_menu_button));
      fs_tooltip_hide_while_open (GTK_WIDGET (self->join_button), self->join_popover);
    }
}

static void
fs_window_constructed (GObject *object)
{
  FsWindow *self = (FsWindow *)object;
  const char *bindable[] = { "reap-policy", "subreaper", "timeline-visible", "output-pane-visible" };

  G_OBJECT_CLASS (fs_window_parent_class)->constructed (object);

  g_assert (FS_IS_ENGINE (self->engine));

  connect_engine (self);

  for (guint i = 0; i < G_N_ELEMENTS (bindable); i++)
    {
      g_autoptr(GAction) action = g_settings_create_action (self->settings, bindable[i]);

      g_action_map_add_action (G_ACTION_MAP (self), action);
    }

  if (self->store != NULL)
    {
      GtkWidget *sidebar = fs_definitions_sidebar_new ();

      fs_definitions_sidebar_set_registry (FS_DEFINITIONS_SIDEBAR (sidebar), self->registry);
      fs_definitions_sidebar_set_store (FS_DEFINITIONS_SIDEBAR (sidebar), self->store);
      g_signal_connect_object (sidebar, "spawn-requested", G_CALLBACK (spawn_requested_cb),
                               self, G_CONNECT_SWAPPED);
      set_sidebar (self, sidebar);
      g_signal_connect_object (self->store, "items-changed", G_CALLBACK (store_changed_cb),
                               self, G_CONNECT_SWAPPED);
      store_changed_cb (self);
    }
  else
    set_sidebar (self, NULL);

  if (self->registry != NULL)
    {
      g_autoptr(GMenuModel) lessons = fs_lesson_menu_new ();

      gtk_menu_button_set_menu_model (self->lessons_button, lessons);
    }
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.run-lesson", self->registry != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.open-lesson", self->registry != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.stop-lesson", FALSE);

  g_signal_connect (self, "map", G_CALLBACK (map_cb), NULL);
  update_title (self);
  fs_window_actions_update (self);
}

static void
fs_window_dispose (GObject *object)
{
  FsWindow *self = (FsWindow *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->update_id, g_source_remove);
  g_clear_handle_id (&self->compact_id, g_source_remove);
  if (self->selected != NULL)
    g_clear_signal_handler (&self->selected_notify_id, self->selected);
  g_clear_object (&self->selected);

  gtk_widget_dispose_template (GTK_WIDGET (self), FS_TYPE_WINDOW);

  G_OBJECT_CLASS (fs_window_parent_class)->dispose (object);
}

static void
fs_window_finalize (GObject *object)
{
  FsWindow *self = (FsWindow *)object;

  g_clear_object (&self->engine);
  g_clear_object (&self->registry);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->last_toast, g_free);

  G_OBJECT_CLASS (fs_window_parent_class)->finalize (object);
}

static void
fs_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  FsWindow *self = FS_WINDOW (object);

  switch (prop_id)
    {
    case PROP_ENGINE:
      g_value_set_object (value, self->engine);
      break;

    case PROP_REGISTRY:
      g_value_set_object (value, self->registry);
      break;

    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_SIDEBAR_VISIBLE:
      g_value_set_boolean (value, self->sidebar_visible);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fs_window_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  FsWindow *self = FS_WINDOW (object);

  switch (prop_id)
    {
    case PROP_ENGINE:
      /* At construction the template's children are wired in constructed(). */
      if (self->engine == NULL)
        self->engine = g_value_dup_object (value);
      else if (g_value_get_object (value) != NULL)
        fs_window_set_engine (self, g_value_get_object (value));
      break;

    case PROP_REGISTRY:
      self->registry = g_value_dup_object (value);
      break;

    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;

    case PROP_SIDEBAR_VISIBLE:
      fs_window_set_sidebar_visible (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fs_window_class_init (FsWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = fs_window_constructed;
  object_class->dispose = fs_window_dispose;
  object_class->finalize = fs_window_finalize;
  object_class->get_property = fs_window_get_property;
  object_class->set_property = fs_window_set_property;

  window_class->close_request = fs_window_close_request;
  widget_class->size_allocate = fs_window_size_allocate;

  properties[PROP_ENGINE] =
    g_param_spec_object ("engine", NULL, NULL,
                         FS_TYPE_ENGINE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_REGISTRY] =
    g_param_spec_object ("registry", NULL, NULL,
                         FS_TYPE_PLUGIN_REGISTRY,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         FS_TYPE_DEFINITION_STORE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  properties[PROP_SIDEBAR_VISIBLE] =
    g_param_spec_boolean ("sidebar-visible", NULL, NULL,
                          TRUE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (FS_TYPE_PROCESS_VIEW);
  g_type_ensure (FS_TYPE_OUTPUT_VIEW);
  g_type_ensure (FS_TYPE_EVENT_LOG);
  g_type_ensure (FS_TYPE_LESSON_PANEL);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/forkscope/Forkscope/fs-window.ui");
  gtk_widget_class_bind_template_child (widget_class, FsWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, FsWindow, header_bar);
  gtk_widget_class_bind_template_child (widget_class, FsWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, FsWindow, lessons_button);
  gtk_widget_class_bind_template_child (widget_class, FsWindow, sidebar_button);
  gtk_widget_class_bind_template_child (widget_class, FsWindow, join_button);
  gtk_widget_class_bind_template_child (widget_class, FsWindow, join_popover);
  gtk_widget_class_bind_template_child (widget_class, FsWindow, join_timeout_spin);
  gtk_widget_class_bind_template_child (widget_class, FsWindow, signal_popover);
  gtk_widget_class_bind_template_child (widget_class, FsWindow, signal_heading);
  gtk_widget_class_bind_template_child (widget_class, FsWindow, process_menu_button);
  gtk_widget_class_bind_template_child (widget_class, FsWindow, primary_button);
  gtk_widget_class_bind_template_child (widget_class, FsWindow, signal_list);
  gtk_widget_class_bind_template_child (widget_class, FsWindow, terminate_button);
  gtk_widget_class_bind_template_child (widget_class, FsWindow, kill_button);
  gtk_widget_class_bind_template_child (widget_class, FsWindow, banner_revealer);
  gtk_widget_class_bind_template_child (widget_class, FsWindow, lesson_revealer);
  gtk_widget_class_bind_template_child (widget_class, FsWindow, lesson_panel);
  gtk_widget_class_bind_template_child (widget_class, FsWindow, banner_title);
  gtk_widget_class_bind_template_child (widget_class, FsWindow, banner_label);
  gtk_widget_class_bind_template_child (widget_class, FsWindow, banner_button);
  gtk_widget_class_bind_template_child (widget_class, FsWindow, sidebar_paned);
  gtk_widget_class_bind_template_child (widget_class, FsWindow, bottom_paned);
  gtk_widget_class_bind_template_child (widget_class, FsWindow, timeline_paned);
  gtk_widget_class_bind_template_child (widget_class, FsWindow, sidebar_box);
  gtk_widget_class_bind_template_child (widget_class, FsWindow, bottom_box);
  gtk_widget_class_bind_template_child (widget_class, FsWindow, process_view);
  gtk_widget_class_bind_template_child (widget_class, FsWindow, bottom_stack);
  gtk_widget_class_bind_template_child (widget_class, FsWindow, output_view);
  gtk_widget_class_bind_template_child (widget_class, FsWindow, event_log);
  gtk_widget_class_bind_template_child (widget_class, FsWindow, output_filter_label);
  gtk_widget_class_bind_template_child (widget_class, FsWindow, follow_button);
  gtk_widget_class_bind_template_child (widget_class, FsWindow, filter_box);
  gtk_widget_class_bind_template_child (widget_class, FsWindow, export_button);
  gtk_widget_class_bind_template_child (widget_class, FsWindow, context_menu);
  gtk_widget_class_bind_template_callback (widget_class, join_timeout_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, signal_row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, update_output_filter);
  gtk_widget_class_bind_template_callback (widget_class, bottom_page_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, lesson_event_cb);
  gtk_widget_class_bind_template_callback (widget_class, lesson_close_requested_cb);
  gtk_widget_class_bind_template_callback (widget_class, lesson_paused_cb);

  gtk_widget_class_install_property_action (widget_class, "win.show-sidebar", "sidebar-visible");
  gtk_widget_class_install_action (widget_class, "win.new-worker", NULL, win_new_worker);
  gtk_widget_class_install_action (widget_class, "win.start-all", NULL, win_start_all);
  gtk_widget_class_install_action (widget_class, "win.run-lesson", "s", win_run_lesson);
  gtk_widget_class_install_action (widget_class, "win.stop-lesson", NULL, win_stop_lesson);
  gtk_widget_class_install_action (widget_class, "win.open-lesson", NULL, win_open_lesson);
  fs_window_actions_class_init (widget_class);
}

/* A line between the common signals and the others. */
static void
signal_header_cb (GtkListBoxRow *row,
                  GtkListBoxRow *before,
                  gpointer       user_data)
{
  if (gtk_list_box_row_get_index (row) == FS_N_COMMON_SIGNALS)
    {
      if (gtk_list_box_row_get_header (row) == NULL)
        gtk_list_box_row_set_header (row, gtk_separator_new (GTK_ORIENTATION_HORIZONTAL));
    }
  else
    gtk_list_box_row_set_header (row, NULL);
}

static void
add_signal_rows (FsWindow *self)
{
  const FsSignalInfo *signals;
  guint n_signals;

  signals = fs_format_signals (&n_signals);
  for (guint i = 0; i < n_signals; i++)
    {
      GtkWidget *row = gtk_list_box_row_new ();
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
      g_autofree char *number = g_strdup_printf ("%d", signals[i].signum);
      GtkWidget *num = gtk_label_new (number);
      GtkWidget *name = gtk_label_new (signals[i].name);
      GtkWidget *desc = gtk_label_new (_(signals[i].description));

      gtk_label_set_width_chars (GTK_LABEL (num), 2);
      gtk_label_set_xalign (GTK_LABEL (num), 1.0);
      gtk_widget_add_css_class (num, "dim-label");
      gtk_widget_add_css_class (num, "numeric");
      gtk_label_set_xalign (GTK_LABEL (name), 0.0);
      gtk_label_set_width_chars (GTK_LABEL (name), 9);
      gtk_widget_add_css_class (name, "monospace");
      gtk_label_set_xalign (GTK_LABEL (desc), 0.0);
      gtk_widget_set_hexpand (desc, TRUE);
      gtk_widget_set_margin_end (desc, 6);
      gtk_widget_add_css_class (desc, "dim-label");

      gtk_box_append (GTK_BOX (box), num);
      gtk_box_append (GTK_BOX (box), name);
      gtk_box_append (GTK_BOX (box), desc);
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
      g_object_set_data (G_OBJECT (row), "fs-signum", GINT_TO_POINTER (signals[i].signum));
      gtk_list_box_append (self->signal_list, row);
    }
  gtk_list_box_set_header_func (self->signal_list, signal_header_cb, NULL, NULL);
}

static void
fs_window_init (FsWindow *self)
{
  int width, height, position;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->settings = g_settings_new (APP_ID);
  self->sidebar_visible = TRUE;
  gtk_widget_set_visible (GTK_WIDGET (self->sidebar_box), FALSE);

  width = g_settings_get_int (self->settings, "window-width");
  height = g_settings_get_int (self->settings, "window-height");
  gtk_window_set_default_size (GTK_WINDOW (self), width, height);
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
  g_settings_bind (self->settings, "window-width", self, "default-width", G_SETTINGS_BIND_SET);
  g_settings_bind (self->settings, "window-height", self, "default-height", G_SETTINGS_BIND_SET);
  g_settings_bind (self->settings, "window-maximized", self, "maximized", G_SETTINGS_BIND_SET);

  g_settings_bind (self->settings, "sidebar-width", self->sidebar_paned, "position", G_SETTINGS_BIND_DEFAULT);
  /* -1 means "not moved yet", which GtkPaned's position cannot hold: read
   * these once, and only save them. */
  position = g_settings_get_int (self->settings, "bottom-pane-position");
  /* A first start gives the tree and the timeline about 70 % of the
   * height, the output and events the rest. */
  gtk_paned_set_position (self->bottom_paned, position >= 0 ? position : MAX (200, (height - 47) * 7 / 10));
  g_settings_bind (self->settings, "bottom-pane-position", self->bottom_paned, "position", G_SETTINGS_BIND_SET);
  g_settings_bind (self->settings, "output-pane-visible", self->bottom_box, "visible", G_SETTINGS_BIND_GET);
  g_settings_bind (self->settings, "output-buffer-lines", self->output_view, "max-lines", G_SETTINGS_BIND_GET);
  g_signal_connect_object (self->settings, "changed", G_CALLBACK (settings_changed_cb),
                           self, G_CONNECT_SWAPPED);

  fs_process_view_set_context_menu (self->process_view, self->context_menu);
  /* The tree's columns, from the main menu too (the header's context
   * menu needs a pointer). */
  gtk_widget_insert_action_group (GTK_WIDGET (self), "columns",
                                  fs_process_view_get_column_actions (self->process_view));
  {
    GMenuModel *primary = gtk_menu_button_get_menu_model (self->primary_button);
    g_autoptr(GMenuModel) view_section = g_menu_model_get_item_link (primary, 2, G_MENU_LINK_SECTION);

    if (G_IS_MENU (view_section))
      g_menu_append_submenu (G_MENU (view_section), _("Tree Col_umns"),
                             fs_process_view_get_column_menu (self->process_view));
  }
  g_signal_connect_object (self->process_view, "notify::selected",
                           G_CALLBACK (selection_changed_cb), self, G_CONNECT_SWAPPED);

  add_signal_rows (self);
  bottom_page_changed_cb (self);
  fs_window_actions_init (self);
}
