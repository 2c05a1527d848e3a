/* fs-engine.c
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <math.h>
#include <sys/socket.h>
#include <unistd.h>

#include <glib/gi18n.h>

#include "fs-engine.h"
#include "fs-paths.h"
#include "fs-supervisor-dbus.h"

#define SUPERVISOR_OBJECT_PATH "/io/github/forkscope/Supervisor1"

struct _FsEngine
{
  GObject             parent_instance;

  GMainContext       *context;
  GSubprocess        *subprocess;
  GDBusConnection    *connection;
  FsDBusSupervisor1  *proxy;
  GCancellable       *cancellable;

  FsProcess          *supervisor;
  GListStore         *processes;
  GHashTable         *by_id;        /* id -> FsProcess (the store holds the ref) */
  gint64              origin;

  FsReapPolicy        reap_policy;
  gboolean            subreaper;
  guint               scan_interval;

  gboolean            started;
  gboolean            running;
  gboolean            closed_emitted;
  gboolean            supervisor_exited;
  gboolean            shutdown_requested;
  GPtrArray          *shutdown_tasks; /* GTask, completed when the supervisor has exited */
};

G_DEFINE_FINAL_TYPE (FsEngine, fs_engine, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_RUNNING,
  PROP_REAP_POLICY,
  PROP_SUBREAPER,
  PROP_SCAN_INTERVAL,
  PROP_SUPERVISOR,
  PROP_PROCESSES,
  N_PROPS
};

enum {
  EVENT,
  CLOSED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static const GDBusErrorEntry engine_error_entries[] = {
  { FS_ENGINE_ERROR_FAILED, "io.github.forkscope.Supervisor1.Error.Failed" },
  { FS_ENGINE_ERROR_NOT_RUNNING, "io.github.forkscope.Supervisor1.Error.NotRunning" },
  { FS_ENGINE_ERROR_INVALID_ARGS, "io.github.forkscope.Supervisor1.Error.InvalidArgs" },
  { FS_ENGINE_ERROR_NOT_A_CHILD, "io.github.forkscope.Supervisor1.Error.NotAChild" },
  { FS_ENGINE_ERROR_ALREADY_REAPED, "io.github.forkscope.Supervisor1.Error.AlreadyReaped" },
  { FS_ENGINE_ERROR_ALREADY_STARTED, "io.github.forkscope.Supervisor1.Error.AlreadyStarted" },
};

GQuark
fs_engine_error_quark (void)
{
  static gsize quark = 0;

  /* Registered with GDBus so that the supervisor's errors arrive here in
   * this domain, with their codes. */
  g_dbus_error_register_error_domain ("fs-engine-error-quark", &quark,
                                      engine_error_entries, G_N_ELEMENTS (engine_error_entries));
  return (GQuark) quark;
}

G_DEFINE_ENUM_TYPE (FsShutdownMode, fs_shutdown_mode,
                    G_DEFINE_ENUM_VALUE (FS_SHUTDOWN_DAEMON_RULE, "daemon-rule"),
                    G_DEFINE_ENUM_VALUE (FS_SHUTDOWN_TERMINATE, "terminate"),
                    G_DEFINE_ENUM_VALUE (FS_SHUTDOWN_KILL, "kill"))

/* ---- errors ------------------------------------------------------------ */

/* A D-Bus error as the engine's callers know them. */
static GError *
translate_error (GError *error)
{
  if (g_dbus_error_is_remote_error (error))
    g_dbus_error_strip_remote_error (error);

  if (error->domain == G_IO_ERROR &&
      (error->code == G_IO_ERROR_CLOSED || error->code == G_IO_ERROR_BROKEN_PIPE ||
       error->code == G_IO_ERROR_CONNECTION_CLOSED))
    {
      GError *translated = g_error_new (FS_ENGINE_ERROR, FS_ENGINE_ERROR_NOT_RUNNING,
                                        _("The supervisor is no longer running"));
      g_error_free (error);
      return translated;
    }

  return error;
}

static gboolean
check_running (FsEngine  *self,
               GTask     *task)
{
  if (self->running)
    return TRUE;

  g_task_return_new_error (task, FS_ENGINE_ERROR, FS_ENGINE_ERROR_NOT_RUNNING,
                           self->started ? _("The supervisor is no longer running")
                                         : _("The engine has not been started"));
  return FALSE;
}

/* ---- the model --------------------------------------------------------- */

static FsProcess *
lookup_id (FsEngine *self,
           guint     id)
{
  return g_hash_table_lookup (self->by_id, GUINT_TO_POINTER (id));
}

/* Find or make the process @id, and apply @facts (a{sv}) to it. A new
 * process is complete (name, pid, ...) before it enters the models. */
static FsProcess *
apply_facts (FsEngine *self,
             guint     id,
             GVariant *facts)
{
  FsProcess *process = lookup_id (self, id);
  guint32 parent_id;
  gboolean has_parent = g_variant_lookup (facts, "parent", "u", &parent_id);

  if (process == NULL)
    {
      g_autoptr(FsProcess) created = NULL;
      FsProcessKind kind = FS_PROCESS_KIND_DESCENDANT;
      const char *kind_text;
      FsProcess *parent = NULL;

      if (g_variant_lookup (facts, "kind", "&s", &kind_text))
        fs_process_kind_from_string (kind_text, &kind);

      created = fs_process_new (id, kind);
      fs_process_apply (created, facts);

      if (has_parent)
        parent = lookup_id (self, parent_id);
      if (parent == NULL && id != 0)
        parent = self->supervisor;

      g_hash_table_insert (self->by_id, GUINT_TO_POINTER (id), created);
      g_list_store_append (self->processes, created);
      if (parent != NULL)
        fs_process_set_parent (created, parent);
      return created;
    }

  fs_process_apply (process, facts);

  if (has_parent && id != 0)
    {
      FsProcess *parent = lookup_id (self, parent_id);

      if (parent != NULL && parent != process && fs_process_get_parent (process) != parent)
        fs_process_set_parent (process, parent);
    }

  return process;
}

static void
events_cb (FsDBusSupervisor1 *proxy,
           GVariant          *events,
           FsEngine          *self)
{
  GVariantIter iter;
  const char *kind_text;
  gint64 time;
  guint32 id;
  GVariant *facts;
  GVariant *fields;

  g_variant_iter_init (&iter, events);
  while (g_variant_iter_loop (&iter, "(&sxu@a{sv}@a{sv})", &kind_text, &time, &id, &facts, &fields))
    {
      g_autoptr(FsEvent) event = NULL;
      FsEventKind kind;
      FsProcess *process;

      /* An event kind from a newer supervisor: its facts still apply. */
      if (!fs_event_kind_from_string (kind_text, &kind))
        kind = FS_EVENT_STATS;

      process = apply_facts (self, id, facts);

      if (kind == FS_EVENT_STATS)
        continue;

      event = fs_event_new (kind, time, process, fields);
      g_signal_emit (self, signals[EVENT], 0, event);
    }
}

/* ---- the supervisor's life --------------------------------------------- */

static void
emit_closed (FsEngine     *self,
             const GError *error)
{
  if (self->closed_emitted)
    return;

  self->closed_emitted = TRUE;
  if (self->running)
    {
      self->running = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
    }
  g_signal_emit (self, signals[CLOSED], 0, error);
}

/* A shutdown is over once the supervisor has exited AND its connection has
 * ended (so its last events are applied and "closed" was emitted): the two
 * are reported through different threads, in either order. */
static gboolean
is_shut_down (FsEngine *self)
{
  return self->supervisor_exited && self->closed_emitted;
}

static void
complete_shutdowns (FsEngine *self)
{
  g_autoptr(GPtrArray) tasks = NULL;

  if (!is_shut_down (self))
    return;

  tasks = g_steal_pointer (&self->shutdown_tasks);

  self->shutdown_tasks = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < tasks->len; i++)
    g_task_return_boolean (g_ptr_array_index (tasks, i), TRUE);
}

static void
connection_closed_cb (GDBusConnection *connection,
                      gboolean         remote_peer_vanished,
                      GError          *error,
                      FsEngine        *self)
{
  g_autoptr(GError) closed = NULL;

  /* Reported from here, not from the process's exit: GDBus dispatches the
   * end of the connection after every message read before it, so the
   * model has the supervisor's last events when "closed" is emitted. */
  if (!self->shutdown_requested)
    closed = g_error_new (FS_ENGINE_ERROR, FS_ENGINE_ERROR_NOT_RUNNING,
                          _("The supervisor went away: %s"),
                          error != NULL ? error->message : _("connection closed"));
  emit_closed (self, closed);
  complete_shutdowns (self);
}

static void
supervisor_exited_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  FsEngine *self = user_data;
  g_autoptr(GError) error = NULL;

  /* Not a ref, so that dropping the engine closes the connection. The
   * engine's dispose cancels this wait, and wait_finish() then says so
   * before @self is touched. */
  if (!g_subprocess_wait_finish (G_SUBPROCESS (object), result, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->supervisor_exited = TRUE;

  if (!self->shutdown_requested)
    {
      if (g_subprocess_get_if_signaled (G_SUBPROCESS (object)))
        g_message ("The supervisor was killed by signal %d",
                   g_subprocess_get_term_sig (G_SUBPROCESS (object)));
      else if (g_subprocess_get_exit_status (G_SUBPROCESS (object)) != 0)
        g_message ("The supervisor exited with status %d",
                   g_subprocess_get_exit_status (G_SUBPROCESS (object)));
    }

  /* Without a connection there is nothing else to say it is gone. */
  if (self->connection == NULL)
    emit_closed (self, NULL);

  complete_shutdowns (self);
}

static void
set_policy_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!fs_dbus_supervisor1_call_set_policy_finish (FS_DBUS_SUPERVISOR1 (object), result, &error))
    g_debug ("SetPolicy failed: %s", error->message);
}

static void
send_policy (FsEngine   *self,
             const char *key,
             GVariant   *value)
{
  GVariantBuilder builder;

  if (!self->running)
    {
      g_variant_unref (g_variant_ref_sink (value));
      return;
    }

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&builder, "{sv}", key, value);
  fs_dbus_supervisor1_call_set_policy (self->proxy, g_variant_builder_end (&builder),
                                       self->cancellable, set_policy_cb, NULL);
}

/* ---- the object -------------------------------------------------------- */

static void
fs_engine_dispose (GObject *object)
{
  FsEngine *self = (FsEngine *)object;

  g_cancellable_cancel (self->cancellable);

  if (self->proxy != NULL)
    g_signal_handlers_disconnect_by_data (self->proxy, self);
  if (self->connection != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->connection, self);
      /* EOF tells the supervisor its front end is gone: it applies the
       * daemon rule and exits (GSubprocess reaps it, on GLib's worker
       * thread, whether or not anybody iterates our context). */
      if (!g_dbus_connection_is_closed (self->connection))
        g_dbus_connection_close (self->connection, NULL, NULL, NULL);
    }
  self->running = FALSE;

  g_clear_object (&self->proxy);
  g_clear_object (&self->connection);
  g_clear_object (&self->subprocess);
  if (self->by_id != NULL)
    g_hash_table_remove_all (self->by_id);
  if (self->processes != NULL)
    g_list_store_remove_all (self->processes);
  g_clear_object (&self->supervisor);

  G_OBJECT_CLASS (fs_engine_parent_class)->dispose (object);
}

static void
fs_engine_finalize (GObject *object)
{
  FsEngine *self = (FsEngine *)object;

  g_clear_pointer (&self->shutdown_tasks, g_ptr_array_unref);
  g_clear_pointer (&self->by_id, g_hash_table_unref);
  g_clear_object (&self->processes);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->context, g_main_context_unref);

  G_OBJECT_CLASS (fs_engine_parent_class)->finalize (object);
}

static void
fs_engine_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  FsEngine *self = FS_ENGINE (object);

  switch (prop_id)
    {
    case PROP_RUNNING:
      g_value_set_boolean (value, self->running);
      break;
    case PROP_REAP_POLICY:
      g_value_set_enum (value, self->reap_policy);
      break;
    case PROP_SUBREAPER:
      g_value_set_boolean (value, self->subreaper);
      break;
    case PROP_SCAN_INTERVAL:
      g_value_set_uint (value, self->scan_interval);
      break;
    case PROP_SUPERVISOR:
      g_value_set_object (value, self->supervisor);
      break;
    case PROP_PROCESSES:
      g_value_set_object (value, self->processes);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fs_engine_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  FsEngine *self = FS_ENGINE (object);

  switch (prop_id)
    {
    case PROP_REAP_POLICY:
      fs_engine_set_reap_policy (self, g_value_get_enum (value));
      break;
    case PROP_SUBREAPER:
      fs_engine_set_subreaper (self, g_value_get_boolean (value));
      break;
    case PROP_SCAN_INTERVAL:
      fs_engine_set_scan_interval (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fs_engine_class_init (FsEngineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = fs_engine_dispose;
  object_class->finalize = fs_engine_finalize;
  object_class->get_property = fs_engine_get_property;

  /* GDBus maps an error name to our domain only once it is registered:
   * before any reply can arrive, not when a caller first names the
   * domain (after the first error was already parsed). */
  (void) fs_engine_error_quark ();
  object_class->set_property = fs_engine_set_property;

  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REAP_POLICY] =
    g_param_spec_enum ("reap-policy", NULL, NULL, FS_TYPE_REAP_POLICY, FS_REAP_AUTO,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SUBREAPER] =
    g_param_spec_boolean ("subreaper", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SCAN_INTERVAL] =
    g_param_spec_uint ("scan-interval", NULL, NULL, 10, 60000, 500,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SUPERVISOR] =
    g_param_spec_object ("supervisor", NULL, NULL, FS_TYPE_PROCESS,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROCESSES] =
    g_param_spec_object ("processes", NULL, NULL, G_TYPE_LIST_MODEL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[EVENT] = g_signal_new ("event", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                                 FS_TYPE_EVENT | G_SIGNAL_TYPE_STATIC_SCOPE);
  signals[CLOSED] = g_signal_new ("closed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                                  G_TYPE_ERROR | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
fs_engine_init (FsEngine *self)
{
  self->context = g_main_context_ref_thread_default ();
  self->cancellable = g_cancellable_new ();
  self->processes = g_list_store_new (FS_TYPE_PROCESS);
  self->by_id = g_hash_table_new (NULL, NULL);
  self->shutdown_tasks = g_ptr_array_new_with_free_func (g_object_unref);
  self->reap_policy = FS_REAP_AUTO;
  self->subreaper = TRUE;
  self->scan_interval = 500;
  self->origin = g_get_monotonic_time ();

  /* The root exists from the start, so a tree view can be built on it. */
  self->supervisor = fs_process_new (0, FS_PROCESS_KIND_SUPERVISOR);
  g_hash_table_insert (self->by_id, GUINT_TO_POINTER (0), self->supervisor);
  g_list_store_append (self->processes, self->supervisor);
}

FsEngine *
fs_engine_new (void)
{
  return g_object_new (FS_TYPE_ENGINE, NULL);
}

gboolean
fs_engine_start (FsEngine  *self,
                 GError   **error)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketConnection) stream = NULL;
  g_autoptr(GVariant) processes = NULL;
  g_autoptr(GVariant) policy = NULL;
  g_autofree char *path = NULL;
  g_autofree char *parent = NULL;
  GError *local_error = NULL;
  GVariantIter iter;
  GVariant *facts;
  guint32 id;
  int fds[2];
  gboolean subreaper;
  guint32 interval;
  const char *reap;
  FsReapPolicy reap_policy;

  g_return_val_if_fail (FS_IS_ENGINE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->started)
    {
      g_set_error (error, FS_ENGINE_ERROR, FS_ENGINE_ERROR_ALREADY_STARTED,
                   _("The engine was already started"));
      return FALSE;
    }
  self->started = TRUE;
  self->origin = g_get_monotonic_time ();

  if (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Cannot create a socket pair: %s"), g_strerror (saved));
      return FALSE;
    }

  /* The supervisor watches us through PR_SET_PDEATHSIG, which fires when
   * the *thread* that started it exits: start engines from a thread that
   * lives as long as the front end (the main thread). */
  path = fs_paths_get_supervisor ();
  parent = g_strdup_printf ("%d", getpid ());
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_subprocess_launcher_take_fd (launcher, fds[1], 3);
  self->subprocess = g_subprocess_launcher_spawn (launcher, error, path,
                                                  "--fd", "3", "--parent", parent, NULL);
  /* Our copy of the supervisor's end goes now, not when the launcher is
   * dropped: while we hold it, a supervisor that dies before it speaks
   * (a crash, a broken installation) never looks gone, and the handshake
   * below would wait forever. */
  g_subprocess_launcher_close (launcher);
  if (self->subprocess == NULL)
    {
      close (fds[0]);
      g_prefix_error (error, _("Cannot start the supervisor (%s): "), path);
      return FALSE;
    }
  g_subprocess_wait_async (self->subprocess, self->cancellable,
                           supervisor_exited_cb, self);

  socket = g_socket_new_from_fd (fds[0], error);
  if (socket == NULL)
    {
      close (fds[0]);
      return FALSE;
    }
  stream = g_socket_connection_factory_create_connection (socket);

  self->connection = g_dbus_connection_new_sync (G_IO_STREAM (stream), NULL,
                                                 G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                 G_DBUS_CONNECTION_FLAGS_DELAY_MESSAGE_PROCESSING,
                                                 NULL, self->cancellable, error);
  if (self->connection == NULL)
    {
      g_prefix_error (error, _("Cannot talk to the supervisor: "));
      return FALSE;
    }
  g_dbus_connection_set_exit_on_close (self->connection, FALSE);

  self->proxy = fs_dbus_supervisor1_proxy_new_sync (self->connection,
                                                    G_DBUS_PROXY_FLAGS_DO_NOT_LOAD_PROPERTIES |
                                                    G_DBUS_PROXY_FLAGS_DO_NOT_AUTO_START,
                                                    NULL, SUPERVISOR_OBJECT_PATH,
                                                    self->cancellable, error);
  if (self->proxy == NULL)
    return FALSE;

  /* A join may wait as long as a worker lives. */
  g_dbus_proxy_set_default_timeout (G_DBUS_PROXY (self->proxy), G_MAXINT);
  g_signal_connect (self->proxy, "events", G_CALLBACK (events_cb), self);
  g_signal_connect (self->connection, "closed", G_CALLBACK (connection_closed_cb), self);
  g_dbus_connection_start_message_processing (self->connection);

  if (!fs_dbus_supervisor1_call_snapshot_sync (self->proxy, &processes, &policy,
                                               self->cancellable, &local_error))
    {
      g_propagate_error (error, translate_error (g_steal_pointer (&local_error)));
      return FALSE;
    }

  g_variant_iter_init (&iter, processes);
  while (g_variant_iter_loop (&iter, "(u@a{sv})", &id, &facts))
    apply_facts (self, id, facts);

  self->running = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);

  /* Settings made before start, where they differ from the supervisor's. */
  if (g_variant_lookup (policy, "reap", "&s", &reap) &&
      fs_reap_policy_from_string (reap, &reap_policy) && reap_policy != self->reap_policy)
    send_policy (self, "reap", g_variant_new_string (fs_reap_policy_to_string (self->reap_policy)));
  if (g_variant_lookup (policy, "subreaper", "b", &subreaper) && subreaper != self->subreaper)
    send_policy (self, "subreaper", g_variant_new_boolean (self->subreaper));
  if (g_variant_lookup (policy, "scan-interval", "u", &interval) && interval != self->scan_interval)
    send_policy (self, "scan-interval", g_variant_new_uint32 (self->scan_interval));

  return TRUE;
}

gboolean
fs_engine_is_running (FsEngine *self)
{
  g_return_val_if_fail (FS_IS_ENGINE (self), FALSE);
  return self->running;
}

FsProcess *
fs_engine_get_supervisor (FsEngine *self)
{
  g_return_val_if_fail (FS_IS_ENGINE (self), NULL);
  return self->supervisor;
}

GListModel *
fs_engine_get_processes (FsEngine *self)
{
  g_return_val_if_fail (FS_IS_ENGINE (self), NULL);
  return G_LIST_MODEL (self->processes);
}

FsProcess *
fs_engine_lookup_pid (FsEngine *self,
                      int       pid)
{
  FsProcess *latest = NULL;
  guint n;

  g_return_val_if_fail (FS_IS_ENGINE (self), NULL);

  /* Pids are reused: prefer the process that has it now. */
  n = g_list_model_get_n_items (G_LIST_MODEL (self->processes));
  for (guint i = n; i > 0; i--)
    {
      g_autoptr(FsProcess) process = g_list_model_get_item (G_LIST_MODEL (self->processes), i - 1);
      FsProcessState state;

      if (fs_process_get_pid (process) != pid)
        continue;
      state = fs_process_get_state (process);
      if (state != FS_PROCESS_STATE_REAPED && state != FS_PROCESS_STATE_GONE)
        return process;
      if (latest == NULL)
        latest = process;
    }

  return latest;
}

gint64
fs_engine_get_origin (FsEngine *self)
{
  g_return_val_if_fail (FS_IS_ENGINE (self), 0);
  return self->origin;
}

FsReapPolicy
fs_engine_get_reap_policy (FsEngine *self)
{
  g_return_val_if_fail (FS_IS_ENGINE (self), FS_REAP_AUTO);
  return self->reap_policy;
}

void
fs_engine_set_reap_policy (FsEngine     *self,
                           FsReapPolicy  policy)
{
  g_return_if_fail (FS_IS_ENGINE (self));
  g_return_if_fail (policy == FS_REAP_AUTO || policy == FS_REAP_JOIN);

  if (self->reap_policy == policy)
    return;
  self->reap_policy = policy;
  send_policy (self, "reap", g_variant_new_string (fs_reap_policy_to_string (policy)));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REAP_POLICY]);
}

gboolean
fs_engine_get_subreaper (FsEngine *self)
{
  g_return_val_if_fail (FS_IS_ENGINE (self), TRUE);
  return self->subreaper;
}

void
fs_engine_set_subreaper (FsEngine *self,
                         gboolean  subreaper)
{
  g_return_if_fail (FS_IS_ENGINE (self));

  subreaper = !!subreaper;
  if (self->subreaper == subreaper)
    return;
  self->subreaper = subreaper;
  send_policy (self, "subreaper", g_variant_new_boolean (subreaper));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SUBREAPER]);
}

guint
fs_engine_get_scan_interval (FsEngine *self)
{
  g_return_val_if_fail (FS_IS_ENGINE (self), 500);
  return self->scan_interval;
}

void
fs_engine_set_scan_interval (FsEngine *self,
                             guint     msec)
{
  g_return_if_fail (FS_IS_ENGINE (self));

  msec = CLAMP (msec, 10, 60000);
  if (self->scan_interval == msec)
    return;
  self->scan_interval = msec;
  send_policy (self, "scan-interval", g_variant_new_uint32 (msec));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SCAN_INTERVAL]);
}

/* ---- spawn ------------------------------------------------------------- */

static void
spawn_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  FsEngine *self = g_task_get_source_object (task);
  g_autoptr(GVariant) facts = NULL;
  GError *error = NULL;
  guint32 id;

  if (!fs_dbus_supervisor1_call_spawn_finish (FS_DBUS_SUPERVISOR1 (object), &id, &facts, result, &error))
    {
      g_task_return_error (task, translate_error (error));
      return;
    }

  /* The "spawned" event came first, so this finds the process; the facts
   * make it exist regardless. */
  g_task_return_pointer (task, g_object_ref (apply_facts (self, id, facts)), g_object_unref);
}

void
fs_engine_spawn_async (FsEngine            *self,
                       const char          *name,
                       const char          *plugin_path,
                       const char          *function,
                       const char * const  *args,
                       gboolean             daemon,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GVariantBuilder options;
  static const char * const no_args[] = { NULL };

  g_return_if_fail (FS_IS_ENGINE (self));
  g_return_if_fail (plugin_path != NULL);
  g_return_if_fail (function != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, fs_engine_spawn_async);

  if (!check_running (self, task))
    return;

  g_variant_builder_init (&options, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&options, "{sv}", "daemon", g_variant_new_boolean (daemon));
  g_variant_builder_add (&options, "{sv}", "reap",
                         g_variant_new_string (fs_reap_policy_to_string (self->reap_policy)));

  fs_dbus_supervisor1_call_spawn (self->proxy, name != NULL ? name : "", plugin_path, function,
                                  args != NULL ? args : no_args,
                                  g_variant_builder_end (&options),
                                  cancellable, spawn_cb, g_steal_pointer (&task));
}

FsProcess *
fs_engine_spawn_finish (FsEngine      *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (FS_IS_ENGINE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- join -------------------------------------------------------------- */

static void
join_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  gboolean reaped;

  if (!fs_dbus_supervisor1_call_join_finish (FS_DBUS_SUPERVISOR1 (object), &reaped, result, &error))
    {
      g_task_return_error (task, translate_error (error));
      return;
    }

  g_task_return_boolean (task, reaped);
}

static gboolean
check_process (FsEngine  *self,
               FsProcess *process,
               GTask     *task)
{
  if (lookup_id (self, fs_process_get_id (process)) != process)
    {
      g_task_return_new_error (task, FS_ENGINE_ERROR, FS_ENGINE_ERROR_INVALID_ARGS,
                               _("This process does not belong to this engine"));
      return FALSE;
    }
  return TRUE;
}

void
fs_engine_join_async (FsEngine            *self,
                      FsProcess           *process,
                      double               timeout,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (FS_IS_ENGINE (self));
  g_return_if_fail (FS_IS_PROCESS (process));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, fs_engine_join_async);

  if (!check_process (self, process, task))
    return;

  if (fs_process_get_kind (process) == FS_PROCESS_KIND_SUPERVISOR)
    {
      g_task_return_new_error (task, FS_ENGINE_ERROR, FS_ENGINE_ERROR_NOT_A_CHILD,
                               _("The supervisor cannot be joined"));
      return;
    }

  /* NaN compares false with everything: it would wait forever. */
  if (isnan (timeout))
    {
      g_task_return_new_error (task, FS_ENGINE_ERROR, FS_ENGINE_ERROR_INVALID_ARGS,
                               _("The join timeout is not a number"));
      return;
    }

  /* Joining a reaped worker needs no supervisor (Python allows it too). */
  if (!self->running && fs_process_get_state (process) == FS_PROCESS_STATE_REAPED)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  if (!check_running (self, task))
    return;

  fs_dbus_supervisor1_call_join (self->proxy, fs_process_get_id (process),
                                 timeout < 0 ? -1.0 : timeout,
                                 cancellable, join_cb, g_steal_pointer (&task));
}

gboolean
fs_engine_join_finish (FsEngine      *self,
                       GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (FS_IS_ENGINE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- signal ------------------------------------------------------------ */

static void
signal_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!fs_dbus_supervisor1_call_send_signal_finish (FS_DBUS_SUPERVISOR1 (object), result, &error))
    {
      g_task_return_error (task, translate_error (error));
      return;
    }

  g_task_return_boolean (task, TRUE);
}

void
fs_engine_signal_async (FsEngine            *self,
                        FsProcess           *process,
                        int                  signum,
                        gboolean             group,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  FsProcessState state;

  g_return_if_fail (FS_IS_ENGINE (self));
  g_return_if_fail (FS_IS_PROCESS (process));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, fs_engine_signal_async);

  if (!check_process (self, process, task))
    return;

  if (fs_process_get_kind (process) == FS_PROCESS_KIND_SUPERVISOR)
    {
      g_task_return_new_error (task, FS_ENGINE_ERROR, FS_ENGINE_ERROR_INVALID_ARGS,
                               _("Signal the workers, not the supervisor"));
      return;
    }

  /* What the model already knows to be reaped is refused here; the
   * supervisor refuses what it learnt more recently. */
  state = fs_process_get_state (process);
  if (!group && (state == FS_PROCESS_STATE_REAPED || state == FS_PROCESS_STATE_GONE))
    {
      g_task_return_new_error (task, FS_ENGINE_ERROR, FS_ENGINE_ERROR_ALREADY_REAPED,
                               /* Translators: %d is a process ID. */
                               _("PID %d has already been reaped: it no longer exists"),
                               fs_process_get_pid (process));
      return;
    }

  if (!check_running (self, task))
    return;

  fs_dbus_supervisor1_call_send_signal (self->proxy, fs_process_get_id (process), signum, group,
                                        cancellable, signal_cb, g_steal_pointer (&task));
}

gboolean
fs_engine_signal_finish (FsEngine      *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (FS_IS_ENGINE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- shutdown ---------------------------------------------------------- */

static void
shutdown_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  FsEngine *self = g_task_get_source_object (task);
  GError *error = NULL;

  if (!fs_dbus_supervisor1_call_shutdown_finish (FS_DBUS_SUPERVISOR1 (object), result, &error))
    {
      error = translate_error (error);
      /* Gone before it could answer: that is what we asked for. */
      if (!g_error_matches (error, FS_ENGINE_ERROR, FS_ENGINE_ERROR_NOT_RUNNING))
        {
          g_task_return_error (task, error);
          return;
        }
      g_error_free (error);
    }

  /* Complete once the supervisor has exited, not merely answered. */
  if (is_shut_down (self))
    g_task_return_boolean (task, TRUE);
  else
    g_ptr_array_add (self->shutdown_tasks, g_steal_pointer (&task));
}

void
fs_engine_shutdown_async (FsEngine            *self,
                          FsShutdownMode       mode,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  const char *mode_text;

  g_return_if_fail (FS_IS_ENGINE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, fs_engine_shutdown_async);

  switch (mode)
    {
    case FS_SHUTDOWN_TERMINATE:
      mode_text = "terminate";
      break;
    case FS_SHUTDOWN_KILL:
      mode_text = "kill";
      break;
    case FS_SHUTDOWN_DAEMON_RULE:
    default:
      mode_text = "daemon-rule";
      break;
    }

  /* Gone already (killed, or shut down before): what was asked for is
   * done once the process has exited. */
  if (self->started && self->closed_emitted)
    {
      if (is_shut_down (self))
        g_task_return_boolean (task, TRUE);
      else
        g_ptr_array_add (self->shutdown_tasks, g_steal_pointer (&task));
      return;
    }
  if (!check_running (self, task))
    return;

  /* From now on the end of the connection is expected, not news. */
  self->shutdown_requested = TRUE;
  fs_dbus_supervisor1_call_shutdown (self->proxy, mode_text, cancellable,
                                     shutdown_cb, g_steal_pointer (&task));
}

gboolean
fs_engine_shutdown_finish (FsEngine      *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (FS_IS_ENGINE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- clear ------------------------------------------------------------- */

static gboolean
subtree_finished (FsProcess *process)
{
  GListModel *children = fs_process_get_children (process);
  FsProcessState state = fs_process_get_state (process);
  guint n = g_list_model_get_n_items (children);

  if (state != FS_PROCESS_STATE_REAPED && state != FS_PROCESS_STATE_GONE)
    return FALSE;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(FsProcess) child = g_list_model_get_item (children, i);

      if (!subtree_finished (child))
        return FALSE;
    }
  return TRUE;
}

void
fs_engine_clear_finished (FsEngine *self)
{
  g_autoptr(GPtrArray) drop = g_ptr_array_new_with_free_func (g_object_unref);
  guint n;

  g_return_if_fail (FS_IS_ENGINE (self));

  /* A finished process whose subtree still holds a live one (an orphan)
   * stays, so no live process ever leaves the tree. */
  n = g_list_model_get_n_items (G_LIST_MODEL (self->processes));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(FsProcess) process = g_list_model_get_item (G_LIST_MODEL (self->processes), i);

      if (process != self->supervisor && subtree_finished (process))
        g_ptr_array_add (drop, g_steal_pointer (&process));
    }

  for (guint i = 0; i < drop->len; i++)
    {
      FsProcess *process = g_ptr_array_index (drop, i);
      guint position;

      fs_process_detach (process);
      g_hash_table_remove (self->by_id, GUINT_TO_POINTER (fs_process_get_id (process)));
      if (g_list_store_find (self->processes, process, &position))
        g_list_store_remove (self->processes, position);
    }
}

/* ---- blocking wrappers ------------------------------------------------- */

static void
sync_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static void
wait_for (FsEngine      *self,
          GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (self->context, TRUE);
}

FsProcess *
fs_engine_spawn_sync (FsEngine            *self,
                      const char          *name,
                      const char          *plugin_path,
                      const char          *function,
                      const char * const  *args,
                      gboolean             daemon,
                      GError             **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  g_return_val_if_fail (FS_IS_ENGINE (self), NULL);

  fs_engine_spawn_async (self, name, plugin_path, function, args, daemon, NULL, sync_cb, &result);
  wait_for (self, &result);
  return fs_engine_spawn_finish (self, result, error);
}

gboolean
fs_engine_join_sync (FsEngine   *self,
                     FsProcess  *process,
                     double      timeout,
                     GError    **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  g_return_val_if_fail (FS_IS_ENGINE (self), FALSE);

  fs_engine_join_async (self, process, timeout, NULL, sync_cb, &result);
  wait_for (self, &result);
  return fs_engine_join_finish (self, result, error);
}

gboolean
fs_engine_signal_sync (FsEngine   *self,
                       FsProcess  *process,
                       int         signum,
                       gboolean    group,
                       GError    **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  g_return_val_if_fail (FS_IS_ENGINE (self), FALSE);

  fs_engine_signal_async (self, process, signum, group, NULL, sync_cb, &result);
  wait_for (self, &result);
  return fs_engine_signal_finish (self, result, error);
}

gboolean
fs_engine_shutdown_sync (FsEngine        *self,
                         FsShutdownMode   mode,
                         GError         **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  g_return_val_if_fail (FS_IS_ENGINE (self), FALSE);

  fs_engine_shutdown_async (self, mode, NULL, sync_cb, &result);
  wait_for (self, &result);
  return fs_engine_shutdown_finish (self, result, error);
}
