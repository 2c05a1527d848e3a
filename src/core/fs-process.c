/* fs-process.c
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <sys/wait.h>

#include <glib/gi18n.h>

#include "fs-process.h"
#include "fs-signals.h"

struct _FsProcess
{
  GObject         parent_instance;

  guint           id;
  FsProcessKind   kind;
  char           *name;
  char           *function;
  int             pid;
  int             ppid;
  int             birth_ppid;
  int             pgid;
  guint64         start_ticks;
  FsProcessState  state;
  gboolean        daemon;
  FsReapPolicy    reap_policy;
  gboolean        orphan;
  gboolean        has_exit_status;
  int             wait_status;
  int             reaper_pid;
  gint64          spawn_time;
  gint64          exit_time;
  gint64          reap_time;
  double          cpu_percent;
  double          cpu_seconds;
  guint64         rss;

  /* Weak: a parent holds its children through its stores. */
  FsProcess      *parent;
  FsProcess      *birth_parent;
  GListStore     *children;
  GListStore     *birth_children;
};

G_DEFINE_FINAL_TYPE (FsProcess, fs_process, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (FsProcessKind, fs_process_kind,
                    G_DEFINE_ENUM_VALUE (FS_PROCESS_KIND_SUPERVISOR, "supervisor"),
                    G_DEFINE_ENUM_VALUE (FS_PROCESS_KIND_WORKER, "worker"),
                    G_DEFINE_ENUM_VALUE (FS_PROCESS_KIND_DESCENDANT, "descendant"))

G_DEFINE_ENUM_TYPE (FsProcessState, fs_process_state,
                    G_DEFINE_ENUM_VALUE (FS_PROCESS_STATE_CREATED, "created"),
                    G_DEFINE_ENUM_VALUE (FS_PROCESS_STATE_RUNNING, "running"),
                    G_DEFINE_ENUM_VALUE (FS_PROCESS_STATE_SLEEPING, "sleeping"),
                    G_DEFINE_ENUM_VALUE (FS_PROCESS_STATE_STOPPED, "stopped"),
                    G_DEFINE_ENUM_VALUE (FS_PROCESS_STATE_ZOMBIE, "zombie"),
                    G_DEFINE_ENUM_VALUE (FS_PROCESS_STATE_REAPED, "reaped"),
                    G_DEFINE_ENUM_VALUE (FS_PROCESS_STATE_GONE, "gone"))

G_DEFINE_ENUM_TYPE (FsReapPolicy, fs_reap_policy,
                    G_DEFINE_ENUM_VALUE (FS_REAP_AUTO, "auto"),
                    G_DEFINE_ENUM_VALUE (FS_REAP_JOIN, "join"))

enum {
  PROP_0,
  PROP_ID,
  PROP_KIND,
  PROP_NAME,
  PROP_FUNCTION,
  PROP_PID,
  PROP_PPID,
  PROP_BIRTH_PPID,
  PROP_PGID,
  PROP_START_TICKS,
  PROP_STATE,
  PROP_ALIVE,
  PROP_DAEMON,
  PROP_REAP_POLICY,
  PROP_ORPHAN,
  PROP_HAS_EXIT_STATUS,
  PROP_WAIT_STATUS,
  PROP_EXIT_CODE,
  PROP_EXIT_TEXT,
  PROP_REAPER_PID,
  PROP_SPAWN_TIME,
  PROP_EXIT_TIME,
  PROP_REAP_TIME,
  PROP_CPU_PERCENT,
  PROP_CPU_SECONDS,
  PROP_RSS,
  PROP_PARENT,
  PROP_BIRTH_PARENT,
  PROP_CHILDREN,
  PROP_BIRTH_CHILDREN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char *
enum_nick (GType type,
           int   value)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (type);
  GEnumValue *ev = g_enum_get_value (klass, value);

  /* The class is static once referenced: the nick outlives the ref. */
  return ev != NULL ? ev->value_nick : NULL;
}

static gboolean
enum_from_nick (GType       type,
                const char *text,
                int        *value)
{
  g_autoptr(GEnumClass) klass = NULL;
  GEnumValue *ev;

  if (text == NULL)
    return FALSE;

  klass = g_type_class_ref (type);
  ev = g_enum_get_value_by_nick (klass, text);
  if (ev == NULL)
    return FALSE;
  *value = ev->value;
  return TRUE;
}

const char *
fs_process_kind_to_string (FsProcessKind kind)
{
  return enum_nick (FS_TYPE_PROCESS_KIND, kind);
}

gboolean
fs_process_kind_from_string (const char    *text,
                             FsProcessKind *kind)
{
  int value;

  g_return_val_if_fail (kind != NULL, FALSE);

  if (!enum_from_nick (FS_TYPE_PROCESS_KIND, text, &value))
    return FALSE;
  *kind = value;
  return TRUE;
}

const char *
fs_process_state_to_string (FsProcessState state)
{
  return enum_nick (FS_TYPE_PROCESS_STATE, state);
}

gboolean
fs_process_state_from_string (const char     *text,
                              FsProcessState *state)
{
  int value;

  g_return_val_if_fail (state != NULL, FALSE);

  if (!enum_from_nick (FS_TYPE_PROCESS_STATE, text, &value))
    return FALSE;
  *state = value;
  return TRUE;
}

gboolean
fs_process_state_is_alive (FsProcessState state)
{
  return state == FS_PROCESS_STATE_RUNNING ||
         state == FS_PROCESS_STATE_SLEEPING ||
         state == FS_PROCESS_STATE_STOPPED;
}

const char *
fs_reap_policy_to_string (FsReapPolicy policy)
{
  return enum_nick (FS_TYPE_REAP_POLICY, policy);
}

gboolean
fs_reap_policy_from_string (const char   *text,
                            FsReapPolicy *policy)
{
  int value;

  g_return_val_if_fail (policy != NULL, FALSE);

  if (!enum_from_nick (FS_TYPE_REAP_POLICY, text, &value))
    return FALSE;
  *policy = value;
  return TRUE;
}

static void
fs_process_dispose (GObject *object)
{
  FsProcess *self = (FsProcess *)object;

  g_clear_weak_pointer (&self->parent);
  g_clear_weak_pointer (&self->birth_parent);
  if (self->children != NULL)
    g_list_store_remove_all (self->children);
  if (self->birth_children != NULL)
    g_list_store_remove_all (self->birth_children);

  G_OBJECT_CLASS (fs_process_parent_class)->dispose (object);
}

static void
fs_process_finalize (GObject *object)
{
  FsProcess *self = (FsProcess *)object;

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->function, g_free);
  g_clear_object (&self->children);
  g_clear_object (&self->birth_children);

  G_OBJECT_CLASS (fs_process_parent_class)->finalize (object);
}

static void
fs_process_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  FsProcess *self = FS_PROCESS (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_uint (value, self->id);
      break;
    case PROP_KIND:
      g_value_set_enum (value, self->kind);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_FUNCTION:
      g_value_set_string (value, self->function);
      break;
    case PROP_PID:
      g_value_set_int (value, self->pid);
      break;
    case PROP_PPID:
      g_value_set_int (value, self->ppid);
      break;
    case PROP_BIRTH_PPID:
      g_value_set_int (value, self->birth_ppid);
      break;
    case PROP_PGID:
      g_value_set_int (value, self->pgid);
      break;
    case PROP_START_TICKS:
      g_value_set_uint64 (value, self->start_ticks);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_ALIVE:
      g_value_set_boolean (value, fs_process_get_alive (self));
      break;
    case PROP_DAEMON:
      g_value_set_boolean (value, self->daemon);
      break;
    case PROP_REAP_POLICY:
      g_value_set_enum (value, self->reap_policy);
      break;
    case PROP_ORPHAN:
      g_value_set_boolean (value, self->orphan);
      break;
    case PROP_HAS_EXIT_STATUS:
      g_value_set_boolean (value, self->has_exit_status);
      break;
    case PROP_WAIT_STATUS:
      g_value_set_int (value, self->wait_status);
      break;
    case PROP_EXIT_CODE:
      g_value_set_int (value, fs_process_get_exit_code (self));
      break;
    case PROP_EXIT_TEXT:
      g_value_take_string (value, fs_process_dup_exit_text (self));
      break;
    case PROP_REAPER_PID:
      g_value_set_int (value, self->reaper_pid);
      break;
    case PROP_SPAWN_TIME:
      g_value_set_int64 (value, self->spawn_time);
      break;
    case PROP_EXIT_TIME:
      g_value_set_int64 (value, self->exit_time);
      break;
    case PROP_REAP_TIME:
      g_value_set_int64 (value, self->reap_time);
      break;
    case PROP_CPU_PERCENT:
      g_value_set_double (value, self->cpu_percent);
      break;
    case PROP_CPU_SECONDS:
      g_value_set_double (value, self->cpu_seconds);
      break;
    case PROP_RSS:
      g_value_set_uint64 (value, self->rss);
      break;
    case PROP_PARENT:
      g_value_set_object (value, self->parent);
      break;
    case PROP_BIRTH_PARENT:
      g_value_set_object (value, self->birth_parent);
      break;
    case PROP_CHILDREN:
      g_value_set_object (value, self->children);
      break;
    case PROP_BIRTH_CHILDREN:
      g_value_set_object (value, self->birth_children);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fs_process_class_init (FsProcessClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = fs_process_dispose;
  object_class->finalize = fs_process_finalize;
  object_class->get_property = fs_process_get_property;

  properties[PROP_ID] = g_param_spec_uint ("id", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_KIND] = g_param_spec_enum ("kind", NULL, NULL, FS_TYPE_PROCESS_KIND,
                                             FS_PROCESS_KIND_WORKER, flags);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  properties[PROP_FUNCTION] = g_param_spec_string ("function", NULL, NULL, NULL, flags);
  properties[PROP_PID] = g_param_spec_int ("pid", NULL, NULL, 0, G_MAXINT, 0, flags);
  properties[PROP_PPID] = g_param_spec_int ("ppid", NULL, NULL, 0, G_MAXINT, 0, flags);
  properties[PROP_BIRTH_PPID] = g_param_spec_int ("birth-ppid", NULL, NULL, 0, G_MAXINT, 0, flags);
  properties[PROP_PGID] = g_param_spec_int ("pgid", NULL, NULL, 0, G_MAXINT, 0, flags);
  properties[PROP_START_TICKS] = g_param_spec_uint64 ("start-ticks", NULL, NULL, 0, G_MAXUINT64, 0, flags);
  properties[PROP_STATE] = g_param_spec_enum ("state", NULL, NULL, FS_TYPE_PROCESS_STATE,
                                              FS_PROCESS_STATE_CREATED, flags);
  properties[PROP_ALIVE] = g_param_spec_boolean ("alive", NULL, NULL, FALSE, flags);
  properties[PROP_DAEMON] = g_param_spec_boolean ("daemon", NULL, NULL, FALSE, flags);
  properties[PROP_REAP_POLICY] = g_param_spec_enum ("reap-policy", NULL, NULL, FS_TYPE_REAP_POLICY,
                                                    FS_REAP_AUTO, flags);
  properties[PROP_ORPHAN] = g_param_spec_boolean ("orphan", NULL, NULL, FALSE, flags);
  properties[PROP_HAS_EXIT_STATUS] = g_param_spec_boolean ("has-exit-status", NULL, NULL, FALSE, flags);
  properties[PROP_WAIT_STATUS] = g_param_spec_int ("wait-status", NULL, NULL, G_MININT, G_MAXINT, 0, flags);
  properties[PROP_EXIT_CODE] = g_param_spec_int ("exit-code", NULL, NULL, G_MININT, G_MAXINT, 0, flags);
  properties[PROP_EXIT_TEXT] = g_param_spec_string ("exit-text", NULL, NULL, NULL, flags);
  properties[PROP_REAPER_PID] = g_param_spec_int ("reaper-pid", NULL, NULL, 0, G_MAXINT, 0, flags);
  properties[PROP_SPAWN_TIME] = g_param_spec_int64 ("spawn-time", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_EXIT_TIME] = g_param_spec_int64 ("exit-time", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_REAP_TIME] = g_param_spec_int64 ("reap-time", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_CPU_PERCENT] = g_param_spec_double ("cpu-percent", NULL, NULL, 0, G_MAXDOUBLE, 0, flags);
  properties[PROP_CPU_SECONDS] = g_param_spec_double ("cpu-seconds", NULL, NULL, 0, G_MAXDOUBLE, 0, flags);
  properties[PROP_RSS] = g_param_spec_uint64 ("rss", NULL, NULL, 0, G_MAXUINT64, 0, flags);
  properties[PROP_PARENT] = g_param_spec_object ("parent", NULL, NULL, FS_TYPE_PROCESS, flags);
  properties[PROP_BIRTH_PARENT] = g_param_spec_object ("birth-parent", NULL, NULL, FS_TYPE_PROCESS, flags);
  properties[PROP_CHILDREN] = g_param_spec_object ("children", NULL, NULL, G_TYPE_LIST_MODEL, flags);
  properties[PROP_BIRTH_CHILDREN] = g_param_spec_object ("birth-children", NULL, NULL, G_TYPE_LIST_MODEL, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
fs_process_init (FsProcess *self)
{
  self->children = g_list_store_new (FS_TYPE_PROCESS);
  self->birth_children = g_list_store_new (FS_TYPE_PROCESS);
  self->state = FS_PROCESS_STATE_CREATED;
}

FsProcess *
fs_process_new (guint         id,
                FsProcessKind kind)
{
  FsProcess *self = g_object_new (FS_TYPE_PROCESS, NULL);

  self->id = id;
  self->kind = kind;
  return self;
}

guint
fs_process_get_id (FsProcess *self)
{
  g_return_val_if_fail (FS_IS_PROCESS (self), 0);
  return self->id;
}

FsProcessKind
fs_process_get_kind (FsProcess *self)
{
  g_return_val_if_fail (FS_IS_PROCESS (self), FS_PROCESS_KIND_WORKER);
  return self->kind;
}

const char *
fs_process_get_name (FsProcess *self)
{
  g_return_val_if_fail (FS_IS_PROCESS (self), NULL);
  return self->name;
}

const char *
fs_process_get_function (FsProcess *self)
{
  g_return_val_if_fail (FS_IS_PROCESS (self), NULL);
  return self->function;
}

int
fs_process_get_pid (FsProcess *self)
{
  g_return_val_if_fail (FS_IS_PROCESS (self), 0);
  return self->pid;
}

int
fs_process_get_ppid (FsProcess *self)
{
  g_return_val_if_fail (FS_IS_PROCESS (self), 0);
  return self->ppid;
}

int
fs_process_get_birth_ppid (FsProcess *self)
{
  g_return_val_if_fail (FS_IS_PROCESS (self), 0);
  return self->birth_ppid;
}

int
fs_process_get_pgid (FsProcess *self)
{
  g_return_val_if_fail (FS_IS_PROCESS (self), 0);
  return self->pgid;
}

guint64
fs_process_get_start_ticks (FsProcess *self)
{
  g_return_val_if_fail (FS_IS_PROCESS (self), 0);
  return self->start_ticks;
}

FsProcessState
fs_process_get_state (FsProcess *self)
{
  g_return_val_if_fail (FS_IS_PROCESS (self), FS_PROCESS_STATE_CREATED);
  return self->state;
}

gboolean
fs_process_get_alive (FsProcess *self)
{
  g_return_val_if_fail (FS_IS_PROCESS (self), FALSE);
  return fs_process_state_is_alive (self->state);
}

gboolean
fs_process_get_daemon (FsProcess *self)
{
  g_return_val_if_fail (FS_IS_PROCESS (self), FALSE);
  return self->daemon;
}

FsReapPolicy
fs_process_get_reap_policy (FsProcess *self)
{
  g_return_val_if_fail (FS_IS_PROCESS (self), FS_REAP_AUTO);
  return self->reap_policy;
}

gboolean
fs_process_get_orphan (FsProcess *self)
{
  g_return_val_if_fail (FS_IS_PROCESS (self), FALSE);
  return self->orphan;
}

gboolean
fs_process_get_has_exit_status (FsProcess *self)
{
  g_return_val_if_fail (FS_IS_PROCESS (self), FALSE);
  return self->has_exit_status;
}

int
fs_process_get_wait_status (FsProcess *self)
{
  g_return_val_if_fail (FS_IS_PROCESS (self), 0);
  return self->wait_status;
}

int
fs_process_get_exit_code (FsProcess *self)
{
  g_return_val_if_fail (FS_IS_PROCESS (self), 0);

  if (!self->has_exit_status)
    return 0;
  return fs_wait_status_to_exitcode (self->wait_status);
}

int
fs_process_get_reaper_pid (FsProcess *self)
{
  g_return_val_if_fail (FS_IS_PROCESS (self), 0);
  return self->reaper_pid;
}

gint64
fs_process_get_spawn_time (FsProcess *self)
{
  g_return_val_if_fail (FS_IS_PROCESS (self), 0);
  return self->spawn_time;
}

gint64
fs_process_get_exit_time (FsProcess *self)
{
  g_return_val_if_fail (FS_IS_PROCESS (self), 0);
  return self->exit_time;
}

gint64
fs_process_get_reap_time (FsProcess *self)
{
  g_return_val_if_fail (FS_IS_PROCESS (self), 0);
  return self->reap_time;
}

double
fs_process_get_cpu_percent (FsProcess *self)
{
  g_return_val_if_fail (FS_IS_PROCESS (self), 0);
  return self->cpu_percent;
}

double
fs_process_get_cpu_seconds (FsProcess *self)
{
  g_return_val_if_fail (FS_IS_PROCESS (self), 0);
  return self->cpu_seconds;
}

guint64
fs_process_get_rss (FsProcess *self)
{
  g_return_val_if_fail (FS_IS_PROCESS (self), 0);
  return self->rss;
}

FsProcess *
fs_process_get_parent (FsProcess *self)
{
  g_return_val_if_fail (FS_IS_PROCESS (self), NULL);
  return self->parent;
}

GListModel *
fs_process_get_children (FsProcess *self)
{
  g_return_val_if_fail (FS_IS_PROCESS (self), NULL);
  return G_LIST_MODEL (self->children);
}

FsProcess *
fs_process_get_birth_parent (FsProcess *self)
{
  g_return_val_if_fail (FS_IS_PROCESS (self), NULL);
  return self->birth_parent;
}

GListModel *
fs_process_get_birth_children (FsProcess *self)
{
  g_return_val_if_fail (FS_IS_PROCESS (self), NULL);
  return G_LIST_MODEL (self->birth_children);
}

FsProcess *
fs_process_get_worker (FsProcess *self)
{
  FsProcess *p;

  g_return_val_if_fail (FS_IS_PROCESS (self), NULL);

  for (p = self; p != NULL; p = p->birth_parent)
    if (p->kind == FS_PROCESS_KIND_WORKER)
      return p;
  return NULL;
}

char *
fs_process_dup_exit_text (FsProcess *self)
{
  int status;

  g_return_val_if_fail (FS_IS_PROCESS (self), NULL);

  if (!self->has_exit_status)
    return NULL;

  status = self->wait_status;
  if (WIFEXITED (status))
    /* Translators: how a process ended; %d is its exit code. */
    return g_strdup_printf (_("exit code %d"), WEXITSTATUS (status));

  if (WIFSIGNALED (status))
    {
      const char *name = fs_signal_to_name (WTERMSIG (status));
      g_autofree char *sig = name != NULL ? g_strdup (name)
                                          : g_strdup_printf ("%d", WTERMSIG (status));

      if (WCOREDUMP (status))
        /* Translators: how a process ended; %s is a signal name like SIGSEGV. */
        return g_strdup_printf (_("killed by %s (core dumped)"), sig);
      /* Translators: how a process ended; %s is a signal name like SIGTERM. */
      return g_strdup_printf (_("killed by %s"), sig);
    }

  return g_strdup_printf (_("wait status %d"), status);
}

static void
remove_from_store (GListStore *store,
                   FsProcess  *item)
{
  guint position;

  if (store != NULL && g_list_store_find (store, item, &position))
    g_list_store_remove (store, position);
}

void
fs_process_set_parent (FsProcess *self,
                       FsProcess *parent)
{
  g_return_if_fail (FS_IS_PROCESS (self));
  g_return_if_fail (parent == NULL || FS_IS_PROCESS (parent));
  g_return_if_fail (parent != self);

  /* The first parent is the birth parent, for good. */
  if (self->birth_parent == NULL && parent != NULL)
    {
      g_set_weak_pointer (&self->birth_parent, parent);
      g_list_store_append (parent->birth_children, self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BIRTH_PARENT]);
    }

  if (self->parent == parent)
    return;

  /* Keep self alive while it is in no store. */
  g_object_ref (self);
  if (self->parent != NULL)
    remove_from_store (self->parent->children, self);
  g_set_weak_pointer (&self->parent, parent);
  if (parent != NULL)
    g_list_store_append (parent->children, self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PARENT]);
  g_object_unref (self);
}

/* For fs_engine_clear_finished(): take @self out of its parents' stores. */
void
fs_process_detach (FsProcess *self)
{
  g_return_if_fail (FS_IS_PROCESS (self));

  g_object_ref (self);
  if (self->parent != NULL)
    remove_from_store (self->parent->children, self);
  if (self->birth_parent != NULL)
    remove_from_store (self->birth_parent->birth_children, self);
  g_clear_weak_pointer (&self->parent);
  g_clear_weak_pointer (&self->birth_parent);
  g_object_unref (self);
}

#define SET_FIELD(field, value, prop)                                   \
  G_STMT_START {                                                        \
    if (self->field != (value))                                         \
      {                                                                 \
        self->field = (value);                                          \
        g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);   \
      }                                                                 \
  } G_STMT_END

static void
set_string (FsProcess  *self,
            char      **field,
            const char *value,
            guint       prop)
{
  if (g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
set_state (FsProcess      *self,
           FsProcessState  state)
{
  gboolean was_alive = fs_process_state_is_alive (self->state);

  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
  if (was_alive != fs_process_state_is_alive (state))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ALIVE]);
}

static void
set_wait_status (FsProcess *self,
                 int        status)
{
  int old_code = fs_process_get_exit_code (self);
  gboolean had = self->has_exit_status;

  if (had && self->wait_status == status)
    return;

  self->wait_status = status;
  self->has_exit_status = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WAIT_STATUS]);
  if (!had)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_EXIT_STATUS]);
  if (!had || old_code != fs_process_get_exit_code (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXIT_CODE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXIT_TEXT]);
}

void
fs_process_apply (FsProcess *self,
                  GVariant  *fields)
{
  GVariantIter iter;
  const char *key;
  GVariant *value;

  g_return_if_fail (FS_IS_PROCESS (self));
  g_return_if_fail (fields != NULL);
  g_return_if_fail (g_variant_is_of_type (fields, G_VARIANT_TYPE_VARDICT));

  g_object_freeze_notify (G_OBJECT (self));

  g_variant_iter_init (&iter, fields);
  while (g_variant_iter_loop (&iter, "{&sv}", &key, &value))
    {
#define IS(k, t) (g_str_equal (key, k) && g_variant_is_of_type (value, t))
      if (IS ("name", G_VARIANT_TYPE_STRING))
        set_string (self, &self->name, g_variant_get_string (value, NULL), PROP_NAME);
      else if (IS ("function", G_VARIANT_TYPE_STRING))
        set_string (self, &self->function, g_variant_get_string (value, NULL), PROP_FUNCTION);
      else if (IS ("pid", G_VARIANT_TYPE_INT32))
        SET_FIELD (pid, g_variant_get_int32 (value), PROP_PID);
      else if (IS ("ppid", G_VARIANT_TYPE_INT32))
        SET_FIELD (ppid, g_variant_get_int32 (value), PROP_PPID);
      else if (IS ("birth-ppid", G_VARIANT_TYPE_INT32))
        SET_FIELD (birth_ppid, g_variant_get_int32 (value), PROP_BIRTH_PPID);
      else if (IS ("pgid", G_VARIANT_TYPE_INT32))
        SET_FIELD (pgid, g_variant_get_int32 (value), PROP_PGID);
      else if (IS ("start-ticks", G_VARIANT_TYPE_UINT64))
        SET_FIELD (start_ticks, g_variant_get_uint64 (value), PROP_START_TICKS);
      else if (IS ("state", G_VARIANT_TYPE_STRING))
        {
          FsProcessState state;

          if (fs_process_state_from_string (g_variant_get_string (value, NULL), &state))
            set_state (self, state);
        }
      else if (IS ("daemon", G_VARIANT_TYPE_BOOLEAN))
        SET_FIELD (daemon, g_variant_get_boolean (value), PROP_DAEMON);
      else if (IS ("reap-policy", G_VARIANT_TYPE_STRING))
        {
          FsReapPolicy policy;

          if (fs_reap_policy_from_string (g_variant_get_string (value, NULL), &policy))
            SET_FIELD (reap_policy, policy, PROP_REAP_POLICY);
        }
      else if (IS ("orphan", G_VARIANT_TYPE_BOOLEAN))
        SET_FIELD (orphan, g_variant_get_boolean (value), PROP_ORPHAN);
      else if (IS ("wait-status", G_VARIANT_TYPE_INT32))
        set_wait_status (self, g_variant_get_int32 (value));
      else if (IS ("reaper", G_VARIANT_TYPE_INT32))
        SET_FIELD (reaper_pid, g_variant_get_int32 (value), PROP_REAPER_PID);
      else if (IS ("spawn-time", G_VARIANT_TYPE_INT64))
        SET_FIELD (spawn_time, g_variant_get_int64 (value), PROP_SPAWN_TIME);
      else if (IS ("exit-time", G_VARIANT_TYPE_INT64))
        SET_FIELD (exit_time, g_variant_get_int64 (value), PROP_EXIT_TIME);
      else if (IS ("reap-time", G_VARIANT_TYPE_INT64))
        SET_FIELD (reap_time, g_variant_get_int64 (value), PROP_REAP_TIME);
      else if (IS ("cpu-percent", G_VARIANT_TYPE_DOUBLE))
        SET_FIELD (cpu_percent, g_variant_get_double (value), PROP_CPU_PERCENT);
      else if (IS ("cpu-seconds", G_VARIANT_TYPE_DOUBLE))
        SET_FIELD (cpu_seconds, g_variant_get_double (value), PROP_CPU_SECONDS);
      else if (IS ("rss", G_VARIANT_TYPE_UINT64))
        SET_FIELD (rss, g_variant_get_uint64 (value), PROP_RSS);
      /* Other keys ("kind", "parent", "exitcode", ...) are the engine's,
       * derived, or from a newer supervisor: ignored. */
#undef IS
    }

  g_object_thaw_notify (G_OBJECT (self));
}
