/* fs-window-actions.c
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>

#include <glib/gi18n.h>

#include "fs-format.h"
#include "fs-process-cell.h"
#include "fs-window-private.h"

/* Every action here is bound to a process object (the selection when it
 * was activated), never to a row position: the tree may change under a
 * pending join or signal, the object stays the same. */

gboolean
fs_window_process_is_live (FsProcess *process)
{
  switch (fs_process_get_state (process))
    {
    case FS_PROCESS_STATE_CREATED:
    case FS_PROCESS_STATE_RUNNING:
    case FS_PROCESS_STATE_SLEEPING:
    case FS_PROCESS_STATE_STOPPED:
      return TRUE;

    case FS_PROCESS_STATE_ZOMBIE:
    case FS_PROCESS_STATE_REAPED:
    case FS_PROCESS_STATE_GONE:
    default:
      return FALSE;
    }
}

static gboolean
is_worker (FsProcess *process)
{
  return process != NULL && fs_process_get_kind (process) == FS_PROCESS_KIND_WORKER;
}

static gboolean
is_signallable (FsProcess *process)
{
  /* The supervisor is never signalled from the UI: it owns every worker. */
  return process != NULL &&
         fs_process_get_kind (process) != FS_PROCESS_KIND_SUPERVISOR &&
         (fs_window_process_is_live (process) ||
          fs_process_get_state (process) == FS_PROCESS_STATE_ZOMBIE);
}

static char *
describe (FsProcess *process)
{
  /* Translators: a process in a message: its name and PID */
  return g_strdup_printf (_("%s (PID %d)"), fs_process_get_name (process), fs_process_get_pid (process));
}

typedef struct
{
  FsWindow  *self;
  FsProcess *process;
  double     timeout;
  int        signum;
} OpData;

static void
op_data_free (OpData *data)
{
  g_clear_object (&data->self);
  g_clear_object (&data->process);
  g_free (data);
}

static OpData *
op_data_new (FsWindow  *self,
             FsProcess *process)
{
  OpData *data = g_new0 (OpData, 1);

  data->self = g_object_ref (self);
  data->process = g_object_ref (process);
  return data;
}

static void
join_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  OpData *data = user_data;
  FsWindow *self = data->self;
  g_autoptr(GError) error = NULL;
  g_autofree char *who = describe (data->process);
  g_autofree char *message = NULL;
  gboolean joined;

  joined = fs_engine_join_finish (FS_ENGINE (object), result, &error);
  fs_process_cell_set_join_deadline (data->process, 0);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    ;
  else if (error != NULL)
    /* Translators: the first %s is a process, the second an error message */
    message = g_strdup_printf (_("Could not join %s: %s"), who, error->message);
  else if (joined)
    {
      g_autofree char *exit_text = fs_format_exit (data->process);

      /* Translators: "th1 (PID 4242) joined: exit 0" */
      message = g_strdup_printf (_("%s joined: exit %s"), who, exit_text);
    }
  else
    /* Translators: a join(timeout) gave up; %s is a process */
    message = g_strdup_printf (_("%s: join timed out, still alive"), who);

  if (message != NULL)
    fs_window_show_toast (self, message);
  fs_window_actions_update (self);
  op_data_free (data);
}

void
fs_window_join (FsWindow  *self,
                FsProcess *process,
                double     timeout)
{
  OpData *data;

  g_return_if_fail (FS_IS_WINDOW (self));
  g_return_if_fail (FS_IS_PROCESS (process));

  data = op_data_new (self, process);
  data->timeout = timeout;

  if (timeout >= 0)
    fs_process_cell_set_join_deadline (process, g_get_monotonic_time () + (gint64) (timeout * G_USEC_PER_SEC));
  else
    fs_process_cell_set_join_deadline (process, G_MAXINT64);

  fs_engine_join_async (self->engine, process, timeout, self->cancellable, join_cb, data);
}

static void
signal_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  OpData *data = user_data;
  g_autoptr(GError) error = NULL;

  if (!fs_engine_signal_finish (FS_ENGINE (object), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autofree char *who = describe (data->process);
      g_autofree char *name = fs_format_signal_name (data->signum);
      /* Translators: "Could not send SIGTERM to th1 (PID 42): reason" */
      g_autofree char *message = g_strdup_printf (_("Could not send %s to %s: %s"),
                                                  name, who, error->message);

      fs_window_show_error (data->self, message);
    }

  op_data_free (data);
}

static char *
zombie_explanation (FsProcess *process)
{
  g_autofree char *who = describe (process);

  /* Translators: %s is a process, %d its parent's PID */
  return g_strdup_printf (_("%s is a zombie: it has already exited, so no signal can reach it. Only its parent, PID %d, can reap it."),
                          who, fs_process_get_ppid (process));
}

static void
send_signal (FsWindow  *self,
             FsProcess *process,
             int        signum,
             gboolean   group)
{
  OpData *data;

  if (process == NULL)
    return;

  if (fs_process_get_state (process) == FS_PROCESS_STATE_ZOMBIE)
    {
      g_autofree char *message = zombie_explanation (process);

      fs_window_show_toast (self, message);
      return;
    }

  data = op_data_new (self, process);
  data->signum = signum;
  fs_engine_signal_async (self->engine, process, signum, group, self->cancellable, signal_cb, data);

  /* A stopped process acts on a signal only when it runs again (but for
   * SIGKILL and SIGCONT): say so, or nothing visibly happens. */
  if (!group && fs_process_get_state (process) == FS_PROCESS_STATE_STOPPED &&
      signum != SIGKILL && signum != SIGCONT && signum != SIGSTOP)
    {
      g_autofree char *who = describe (process);
      g_autofree char *name = fs_format_signal_name (signum);
      /* Translators: "SIGTERM is pending until th1 (PID 42) continues (SIGCONT): a stopped process …" */
      g_autofree char *message = g_strdup_printf (_("%s is pending until %s continues: a stopped process acts on a signal when it runs again (SIGCONT)"),
                                                  name, who);

      fs_window_show_toast (self, message);
    }
}

static void
process_join (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  FsWindow *self = FS_WINDOW (widget);

  if (is_worker (self->selected))
    fs_window_join (self, self->selected, -1);
}

static void
process_join_timeout (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  FsWindow *self = FS_WINDOW (widget);
  double timeout = g_variant_get_double (param);

  if (!is_worker (self->selected))
    return;

  /* A negative timeout asks for one. */
  if (timeout < 0)
    adw_split_button_popup (self->join_button);
  else
    fs_window_join (self, self->selected, timeout);
}

static void
process_terminate (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  FsWindow *self = FS_WINDOW (widget);

  send_signal (self, self->selected, SIGTERM, FALSE);
}

static void
process_kill (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  FsWindow *self = FS_WINDOW (widget);

  send_signal (self, self->selected, SIGKILL, FALSE);
}

static void
process_stop (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  FsWindow *self = FS_WINDOW (widget);

  send_signal (self, self->selected, SIGSTOP, FALSE);
}

static void
process_continue (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  FsWindow *self = FS_WINDOW (widget);

  send_signal (self, self->selected, SIGCONT, FALSE);
}

static void
process_signal (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  FsWindow *self = FS_WINDOW (widget);
  int signum = g_variant_get_int32 (param);

  /* 0 asks which signal, in a list that points at the process's row. */
  if (signum <= 0)
    {
      g_autofree char *who = describe (self->selected);
      /* Translators: %s is a process */
      g_autofree char *heading = g_strdup_printf (_("Send a Signal to %s"), who);

      gtk_label_set_label (self->signal_heading, heading);
      fs_process_view_popup_at (self->process_view, self->signal_popover, self->selected);
    }
  else
    send_signal (self, self->selected, signum, FALSE);
}

static void
process_copy_pid (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  FsWindow *self = FS_WINDOW (widget);
  g_autofree char *text = NULL;
  g_autofree char *message = NULL;

  if (self->selected == NULL || fs_process_get_pid (self->selected) <= 0)
    return;

  text = g_strdup_printf ("%d", fs_process_get_pid (self->selected));
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), text);
  /* Translators: %s is a PID */
  message = g_strdup_printf (_("Copied PID %s"), text);
  fs_window_show_toast (self, message);
}

static GPtrArray *
list_workers (FsWindow *self,
              gboolean  include_zombies)
{
  GPtrArray *workers = g_ptr_array_new_with_free_func (g_object_unref);
  GListModel *processes = fs_engine_get_processes (self->engine);
  guint n = processes != NULL ? g_list_model_get_n_items (processes) : 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(FsProcess) p = g_list_model_get_item (processes, i);

      if (!is_worker (p))
        continue;
      if (fs_window_process_is_live (p) ||
          (include_zombies && fs_process_get_state (p) == FS_PROCESS_STATE_ZOMBIE))
        g_ptr_array_add (workers, g_steal_pointer (&p));
    }

  return workers;
}

static void
win_join_all (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  FsWindow *self = FS_WINDOW (widget);
  g_autoptr(GPtrArray) workers = NULL;

  if (!fs_engine_is_running (self->engine))
    return;

  workers = list_workers (self, TRUE);
  for (guint i = 0; i < workers->len; i++)
    fs_window_join (self, workers->pdata[i], -1);
}

static void
signal_all (FsWindow *self,
            int       signum)
{
  GListModel *processes = fs_engine_get_processes (self->engine);
  guint n = g_list_model_get_n_items (processes);

  /* A supervisor that is gone took its pidfds with it: nothing here can
   * reach what it left behind. */
  if (!fs_engine_is_running (self->engine))
    return;

  /* "All" means everything the user started: each live worker's whole
   * process group (its forked children included), and the orphans whose
   * worker is gone, one by one. */
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(FsProcess) p = g_list_model_get_item (processes, i);

      if (!fs_window_process_is_live (p))
        continue;
      if (is_worker (p))
        send_signal (self, p, signum, TRUE);
      else if (fs_process_get_kind (p) == FS_PROCESS_KIND_DESCENDANT && fs_process_get_orphan (p))
        send_signal (self, p, signum, FALSE);
    }
}

static void
win_terminate_all (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  signal_all (FS_WINDOW (widget), SIGTERM);
}

static void
win_kill_all (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  signal_all (FS_WINDOW (widget), SIGKILL);
}

static void
win_clear_finished (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  FsWindow *self = FS_WINDOW (widget);

  fs_engine_clear_finished (self->engine);
  fs_window_actions_update (self);
}

static void
win_clear_pane (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  FsWindow *self = FS_WINDOW (widget);

  if (g_strcmp0 (adw_view_stack_get_visible_child_name (self->bottom_stack), "events") == 0)
    fs_event_log_clear (self->event_log);
  else
    fs_output_view_clear (self->output_view);
}

static void
export_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(FsWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!fs_event_log_export_finish (FS_EVENT_LOG (object), result, &error))
    {
      /* Translators: %s is an error message */
      g_autofree char *message = g_strdup_printf (_("Could not export the events: %s"), error->message);

      fs_window_show_error (self, message);
    }
  else
    fs_window_show_toast (self, _("Events exported"));
}

static void
export_response_cb (GtkNativeDialog *dialog,
                    int              response,
                    FsWindow        *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      fs_event_log_export_async (self->event_log, file, self->cancellable,
                                 export_done_cb, g_object_ref (self));
    }

  g_object_unref (dialog);
}

static void
win_export_events (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  FsWindow *self = FS_WINDOW (widget);
  GtkFileChooserNative *dialog;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  /* GtkFileDialog is GTK 4.10. */
  dialog = gtk_file_chooser_native_new (_("Export Events"), GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_SAVE,
                                        _("_Export"), _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), "forkscope-events.jsonl");
  gtk_file_filter_set_name (filter, _("JSON Lines"));
  gtk_file_filter_add_pattern (filter, "*.jsonl");
  gtk_file_filter_add_pattern (filter, "*.json");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_signal_connect (dialog, "response", G_CALLBACK (export_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

/* Setting a tooltip asks the display where the pointer is: only when it
 * changes. */
static void
set_tooltip (GtkWidget  *widget,
             const char *text)
{
  if (g_strcmp0 (gtk_widget_get_tooltip_text (widget), text) != 0)
    gtk_widget_set_tooltip_text (widget, text);
}

void
fs_window_actions_update (FsWindow *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  FsProcess *p = self->selected;
  gboolean live = p != NULL && fs_window_process_is_live (p);
  gboolean zombie = p != NULL && fs_process_get_state (p) == FS_PROCESS_STATE_ZOMBIE;
  gboolean worker = is_worker (p);
  gboolean signallable = is_signallable (p);
  g_autofree char *kill_tip = NULL;

  gtk_widget_action_set_enabled (widget, "process.join", worker && (live || zombie));
  gtk_widget_action_set_enabled (widget, "process.join-timeout", worker && (live || zombie));

  /* The process ended while the timeout popover was open: its Join button
   * can do nothing now (the popover follows the split button's
   * sensitivity), so say why rather than leave a dead button. */
  if (gtk_widget_get_visible (GTK_WIDGET (self->join_popover)) && worker && !live && !zombie)
    {
      g_autofree char *who = describe (p);
      g_autofree char *exit_text = fs_format_exit (p);
      /* Translators: "th1 (PID 4242) has already been reaped (exit 0): there is nothing to join" */
      g_autofree char *message = g_strdup_printf (_("%s has already been reaped (exit %s): there is nothing to join"),
                                                  who, exit_text);

      gtk_popover_popdown (self->join_popover);
      fs_window_show_toast (self, message);
    }
  /* Signals stay enabled on a zombie, to explain why they cannot work. */
  gtk_widget_action_set_enabled (widget, "process.terminate", signallable);
  gtk_widget_action_set_enabled (widget, "process.kill", signallable);
  gtk_widget_action_set_enabled (widget, "process.signal", signallable);
  gtk_widget_action_set_enabled (widget, "process.stop",
                                 live && fs_process_get_kind (p) != FS_PROCESS_KIND_SUPERVISOR &&
                                 fs_process_get_state (p) != FS_PROCESS_STATE_STOPPED);
  gtk_widget_action_set_enabled (widget, "process.continue",
                                 p != NULL && fs_process_get_state (p) == FS_PROCESS_STATE_STOPPED);
  gtk_widget_action_set_enabled (widget, "process.copy-pid", p != NULL && fs_process_get_pid (p) > 0);
  /* The "all" actions are always enabled: they are also driven from
   * outside (app.kill-all over D-Bus), and with nothing to act on they do
   * nothing. */

  if (zombie)
    kill_tip = zombie_explanation (p);
  else if (p != NULL && fs_process_get_kind (p) == FS_PROCESS_KIND_SUPERVISOR)
    kill_tip = g_strdup (_("The supervisor is not signalled from here: it owns every worker"));
  set_tooltip (GTK_WIDGET (self->kill_button),
               kill_tip != NULL ? kill_tip : _("Kill (SIGKILL)"));
  set_tooltip (GTK_WIDGET (self->terminate_button),
               kill_tip != NULL ? kill_tip : _("Terminate (SIGTERM)"));

  if (p != NULL && fs_process_get_kind (p) != FS_PROCESS_KIND_WORKER)
    set_tooltip (GTK_WIDGET (self->join_button),
                 _("Only workers, the supervisor’s own children, can be joined"));
  else
    set_tooltip (GTK_WIDGET (self->join_button),
                 _("Wait for the selected worker to finish and reap it"));
}

void
fs_window_actions_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "process.join", NULL, process_join);
  gtk_widget_class_install_action (widget_class, "process.join-timeout", "d", process_join_timeout);
  gtk_widget_class_install_action (widget_class, "process.terminate", NULL, process_terminate);
  gtk_widget_class_install_action (widget_class, "process.kill", NULL, process_kill);
  gtk_widget_class_install_action (widget_class, "process.stop", NULL, process_stop);
  gtk_widget_class_install_action (widget_class, "process.continue", NULL, process_continue);
  gtk_widget_class_install_action (widget_class, "process.signal", "i", process_signal);
  gtk_widget_class_install_action (widget_class, "process.copy-pid", NULL, process_copy_pid);
  gtk_widget_class_install_action (widget_class, "win.join-all", NULL, win_join_all);
  gtk_widget_class_install_action (widget_class, "win.terminate-all", NULL, win_terminate_all);
  gtk_widget_class_install_action (widget_class, "win.kill-all", NULL, win_kill_all);
  gtk_widget_class_install_action (widget_class, "win.clear-finished", NULL, win_clear_finished);
  gtk_widget_class_install_action (widget_class, "win.clear-pane", NULL, win_clear_pane);
  gtk_widget_class_install_action (widget_class, "win.export-events", NULL, win_export_events);
}

void
fs_window_actions_init (FsWindow *self)
{
  fs_window_actions_update (self);
}
