/* fs-script-runner.c
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/wait.h>

#include <glib/gi18n.h>

#include "fs-proc.h"
#include "fs-script-private.h"
#include "fs-script-runner.h"

/* After a failure, how long a process gets to honour SIGTERM before it is
 * killed; and the same for a daemon at the end of a script, where Python
 * would wait for ever on one that ignores SIGTERM. */
#define GRACE_SECONDS 2.0
/* Output kept per process, for stdout/stderr expectations: the newest. */
#define MAX_OUTPUT (4 * 1024 * 1024)
/* The longest value an expect failure quotes. */
#define MAX_FOUND 400

typedef struct
{
  const FsScriptProcessDef *def;
  FsProcess                *process;   /* NULL until started */
} ScriptProc;

typedef struct
{
  GString *out;
  GString *err;
} Output;

/* The engine's own policies while scripts run on it, kept on the engine:
 * when a runner is stopped and a new one started at once (the app's
 * restart), the old one finishes cleaning up after the new one has set its
 * policies; only the last runner to start puts the originals back. */
#define POLICY_KEY "fs-script-runner-saved-policy"

typedef struct
{
  FsReapPolicy    reap;
  gboolean        subreaper;
  FsScriptRunner *owner;   /* not a reference */
} SavedPolicy;

/* See cleanup_step(). */
typedef enum
{
  PHASE_STATEMENTS,
  PHASE_EXIT_TERMINATE,
  PHASE_EXIT_JOIN_DAEMONS,
  PHASE_EXIT_KILL_DAEMONS,
  PHASE_EXIT_JOIN,
  PHASE_ABORT_TERMINATE,
  PHASE_ABORT_JOIN,
  PHASE_ABORT_KILL,
  PHASE_ABORT_REAP,
  PHASE_DONE,
} Phase;

struct _FsScriptRunner
{
  GObject              parent_instance;

  FsEngine            *engine;
  FsScript            *script;
  gulong               event_handler;
  gulong               closed_handler;

  FsScriptRunnerState  state;
  Phase                phase;
  gboolean             step_mode;
  gboolean             stop_requested;
  gboolean             failed;
  guint                next;           /* index of the next statement */
  int                  current;        /* index of the running one, or -1 */
  int                  exit_status;


  GCancellable        *cancellable;    /* the current join, for stop() */
  guint                timeout_id;     /* sleep, wait timeout */
  guint                grace_id;       /* wait: a late scan's chance */
  guint                idle_id;        /* the next statement */
  gboolean             waiting;        /* a wait statement is pending */
  guint                start_index;    /* next name of a start statement */

  GHashTable          *procs;          /* name -> ScriptProc */
  GPtrArray           *workers;        /* FsProcess started, in order */
  GHashTable          *family;         /* FsProcess -> GPtrArray of children, in order of appearance */
  GHashTable          *output;         /* FsProcess -> Output */
  GHashTable          *paths;          /* FsProcess -> its subject, e.g. "th1/2" */

  /* Cleanup: the workers still to handle, one at a time. */
  GPtrArray           *pending;
  guint                pending_index;
};

G_DEFINE_FINAL_TYPE (FsScriptRunner, fs_script_runner, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ENGINE,
  PROP_SCRIPT,
  PROP_STATE,
  PROP_STEP_MODE,
  PROP_CURRENT_LINE,
  PROP_EXIT_STATUS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  STATEMENT_STARTED,
  STATEMENT_FINISHED,
  SAY,
  EXPECT,
  EVENT,
  FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void run_next            (FsScriptRunner *self);
static void finish_statement    (FsScriptRunner *self,
                                 gboolean        ok);
static void begin_cleanup       (FsScriptRunner *self);
static void cleanup_step        (FsScriptRunner *self);
static void check_wait          (FsScriptRunner *self);

const char *
fs_script_runner_state_to_string (FsScriptRunnerState state)
{
  switch (state)
    {
    case FS_SCRIPT_RUNNER_READY:
      return "ready";
    case FS_SCRIPT_RUNNER_RUNNING:
      return "running";
    case FS_SCRIPT_RUNNER_PAUSED:
      return "paused";
    case FS_SCRIPT_RUNNER_CLEANING_UP:
      return "cleaning-up";
    case FS_SCRIPT_RUNNER_FINISHED:
      return "finished";
    default:
      return NULL;
    }
}

static void
output_free (gpointer data)
{
  Output *output = data;

  g_string_free (output->out, TRUE);
  g_string_free (output->err, TRUE);
  g_free (output);
}

static const FsScriptStatement *
current_statement (FsScriptRunner *self)
{
  if (self->current < 0)
    return NULL;
  return fs_script_get_statement (self->script, self->current);
}

static void
set_state (FsScriptRunner      *self,
           FsScriptRunnerState  state)
{
  if (self->state == state)
    return;

  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENT_LINE]);
}

/* Events of our own, in the engine's stream format. */
static void
emit_event (FsScriptRunner  *self,
            FsEventKind      kind,
            FsProcess       *process,
            GVariantDict    *dict)
{
  const FsScriptStatement *st = current_statement (self);
  g_autoptr(FsEvent) event = NULL;

  if (st != NULL)
    g_variant_dict_insert (dict, "line", "i", (gint32) st->line);
  g_variant_dict_insert (dict, "file", "s", fs_script_get_filename (self->script));

  event = fs_event_new (kind, g_get_monotonic_time (), process, g_variant_dict_end (dict));
  g_signal_emit (self, signals[EVENT], 0, event);
}

static void
emit_error (FsScriptRunner *self,
            FsProcess      *process,
            const char     *message)
{
  g_auto(GVariantDict) dict = G_VARIANT_DICT_INIT (NULL);

  g_variant_dict_insert (&dict, "message", "s", message);
  emit_event (self, FS_EVENT_ERROR, process, &dict);
}

static void
emit_note (FsScriptRunner *self,
           FsProcess      *process,
           const char     *text)
{
  g_auto(GVariantDict) dict = G_VARIANT_DICT_INIT (NULL);

  g_variant_dict_insert (&dict, "text", "s", text);
  emit_event (self, FS_EVENT_NOTE, process, &dict);
}

/* The family tree, as the script sees it: each process's children in the
 * order they appeared, kept even after they are re-parented (the engine's
 * own tree moves an orphan to its adopter; NAME/1 must still name it). */

static gboolean
is_ours (FsScriptRunner *self,
         FsProcess      *process)
{
  return process != NULL && g_hash_table_contains (self->family, process);
}

/* How a script names a process: "th1", "th1/2". */
static const char *
subject_name (FsScriptRunner *self,
              FsProcess      *process)
{
  const char *path = g_hash_table_lookup (self->paths, process);

  return path != NULL ? path : fs_process_get_name (process);
}

static void
add_path (FsScriptRunner *self,
          FsProcess      *parent,
          FsProcess      *child,
          guint           index)
{
  if (g_hash_table_contains (self->paths, child))
    return;

  g_hash_table_insert (self->paths, g_object_ref (child),
                       g_strdup_printf ("%s/%u", subject_name (self, parent), index));
}

static GPtrArray *
children_of (FsScriptRunner *self,
             FsProcess      *process)
{
  GPtrArray *children = g_hash_table_lookup (self->family, process);
  GListModel *model;

  if (children == NULL)
    return NULL;

  /* Whatever the engine put under it that we have not seen appear. */
  model = fs_process_get_children (process);
  for (guint i = 0; model != NULL && i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(FsProcess) child = g_list_model_get_item (model, i);

      if (!g_ptr_array_find (children, child, NULL))
        {
          g_ptr_array_add (children, g_object_ref (child));
          add_path (self, process, child, children->len);
          if (!g_hash_table_contains (self->family, child))
            g_hash_table_insert (self->family, g_object_ref (child),
                                 g_ptr_array_new_with_free_func (g_object_unref));
        }
    }

  return children;
}

static void
adopt_into_family (FsScriptRunner *self,
                   FsProcess      *process)
{
  FsProcess *parent = NULL;
  FsProcess *supervisor = fs_engine_get_supervisor (self->engine);
  int birth_ppid = fs_process_get_birth_ppid (process);
  GPtrArray *siblings;

  if (is_ours (self, process))
    return;

  if (birth_ppid > 0 && (supervisor == NULL || birth_ppid != fs_process_get_pid (supervisor)))
    parent = fs_engine_lookup_pid (self->engine, birth_ppid);

  /* A child that was orphaned before the first scan saw it (the race of
   * lifecycle.orphan) shows its adopter as its first parent; it still
   * carries its worker's process group. */
  if (!is_ours (self, parent))
    {
      int pgid = fs_process_get_pgid (process);

      parent = NULL;
      for (guint i = 0; i < self->workers->len; i++)
        {
          FsProcess *worker = g_ptr_array_index (self->workers, i);

          if (pgid > 0 && fs_process_get_pid (worker) == pgid && worker != process)
            {
              parent = worker;
              break;
            }
        }
    }

  if (parent == NULL)
    return;

  siblings = g_hash_table_lookup (self->family, parent);
  g_ptr_array_add (siblings, g_object_ref (process));
  add_path (self, parent, process, siblings->len);
  g_hash_table_insert (self->family, g_object_ref (process),
                       g_ptr_array_new_with_free_func (g_object_unref));
}

static void
append_text (FsScriptRunner *self,
             FsProcess      *process,
             gboolean        is_stderr,
             const char     *text)
{
  Output *output = g_hash_table_lookup (self->output, process);
  GString *buffer;

  if (output == NULL)
    {
      output = g_new0 (Output, 1);
      output->out = g_string_new (NULL);
      output->err = g_string_new (NULL);
      g_hash_table_insert (self->output, g_object_ref (process), output);
    }

  buffer = is_stderr ? output->err : output->out;
  g_string_append (buffer, text);
  g_string_append_c (buffer, '\n');

  if (buffer->len > MAX_OUTPUT)
    g_string_erase (buffer, 0, buffer->len - MAX_OUTPUT / 2);
}

static void
append_output (FsScriptRunner *self,
               FsEvent        *event)
{
  gboolean is_stderr = g_strcmp0 (fs_event_lookup_string (event, "stream"), "stderr") == 0;
  const char *text = fs_event_lookup_string (event, "text");
  FsProcess *worker;

  if (text == NULL)
    return;

  /* The event names the process that wrote the line; what a worker's
   * forked children write to the stdout they inherited is the worker's
   * output as well. */
  worker = fs_process_get_worker (event->process);
  if (is_ours (self, worker))
    append_text (self, worker, is_stderr, text);
  if (event->process != worker && is_ours (self, event->process))
    append_text (self, event->process, is_stderr, text);
}

static void
engine_event_cb (FsScriptRunner *self,
                 FsEvent        *event,
                 FsEngine       *engine)
{
  if (event->process == NULL)
    return;

  switch (event->kind)
    {
    case FS_EVENT_APPEARED:
    case FS_EVENT_ADOPTED:
    case FS_EVENT_REPARENTED:
      adopt_into_family (self, event->process);
      break;

    case FS_EVENT_OUTPUT:
      append_output (self, event);
      break;

    default:
      break;
    }

  if (self->waiting)
    check_wait (self);
}

static void
engine_closed_cb (FsScriptRunner *self,
                  const GError   *error,
                  FsEngine       *engine)
{
  if (self->state == FS_SCRIPT_RUNNER_FINISHED || self->state == FS_SCRIPT_RUNNER_READY)
    return;

  emit_error (self, NULL, error != NULL ? error->message : _("The supervisor went away"));

  /* Nothing can be signalled or joined any more. */
  self->failed = TRUE;
  self->waiting = FALSE;
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  g_clear_handle_id (&self->grace_id, g_source_remove);
  g_clear_handle_id (&self->idle_id, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  self->phase = PHASE_DONE;
  cleanup_step (self);
}

/* Subjects */

static FsProcess *
resolve_subject (FsScriptRunner         *self,
                 const FsScriptSubject  *subject,
                 char                  **why)
{
  FsProcess *process;
  g_autoptr(GString) path = g_string_new (subject->root);

  if (fs_script_subject_is_self (subject))
    {
      process = fs_engine_get_supervisor (self->engine);

      for (guint i = 0; process != NULL && i < subject->path_len; i++)
        {
          GListModel *children = fs_process_get_children (process);
          guint n = children != NULL ? g_list_model_get_n_items (children) : 0;
          g_autoptr(FsProcess) child = NULL;

          if (subject->path[i] > n)
            {
              if (why != NULL)
                *why = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                     "no process %s (%s has %u child)",
                                                     "no process %s (%s has %u children)", n),
                                        subject->text, path->str, n);
              return NULL;
            }
          child = g_list_model_get_item (children, subject->path[i] - 1);
          process = child;
          g_string_append_printf (path, "/%u", subject->path[i]);
        }

      return process;
    }
  else
    {
      ScriptProc *proc = g_hash_table_lookup (self->procs, subject->root);

      if (proc == NULL || proc->process == NULL)
        {
          if (why != NULL)
            *why = g_strdup_printf (_("%s is not started"), subject->root);
          return NULL;
        }
      process = proc->process;
    }

  for (guint i = 0; i < subject->path_len; i++)
    {
      GPtrArray *children = children_of (self, process);
      guint n = children != NULL ? children->len : 0;

      if (subject->path[i] > n)
        {
          if (why != NULL)
            *why = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                 "no process %s (%s has %u child)",
                                                 "no process %s (%s has %u children)", n),
                                    subject->text, path->str, n);
          return NULL;
        }
      process = g_ptr_array_index (children, subject->path[i] - 1);
      g_string_append_printf (path, "/%u", subject->path[i]);
    }

  return process;
}

static gboolean
state_is_alive (FsProcessState state)
{
  return state == FS_PROCESS_STATE_RUNNING ||
         state == FS_PROCESS_STATE_SLEEPING ||
         state == FS_PROCESS_STATE_STOPPED;
}

static gboolean
state_is_finished (FsProcessState state)
{
  return state == FS_PROCESS_STATE_REAPED || state == FS_PROCESS_STATE_GONE;
}

/* Python's exitcode, or FALSE for None. */
static gboolean
get_exitcode (FsProcess *process,
              int       *exitcode)
{
  int status;

  if (process == NULL || !fs_process_get_has_exit_status (process))
    return FALSE;

  status = fs_process_get_wait_status (process);
  if (WIFSIGNALED (status))
    *exitcode = -WTERMSIG (status);
  else
    *exitcode = WEXITSTATUS (status);

  return TRUE;
}

/* expect */

typedef struct
{
  FsScriptValueKind  kind;   /* NONE, INT, BOOL, STRING or STATE */
  gint64             i;
  FsProcessState     state;
  const char        *s;
} Actual;

static void
get_field (FsScriptRunner           *self,
           const FsScriptStatement  *st,
           FsProcess                *process,
           Actual                   *actual)
{
  const ScriptProc *proc = NULL;
  FsProcessState state;
  int exitcode;

  /* A defined process that is not started has no FsProcess yet. */
  if (process == NULL)
    proc = g_hash_table_lookup (self->procs, st->subject->root);

  state = process != NULL ? fs_process_get_state (process) : FS_PROCESS_STATE_CREATED;
  if (state == FS_PROCESS_STATE_SLEEPING)
    state = FS_PROCESS_STATE_RUNNING;

  memset (actual, 0, sizeof *actual);
  actual->kind = FS_SCRIPT_VALUE_NONE;

  switch (st->field)
    {
    case FS_SCRIPT_FIELD_PID:
      if (process != NULL)
        {
          actual->kind = FS_SCRIPT_VALUE_INT;
          actual->i = fs_process_get_pid (process);
        }
      break;

    case FS_SCRIPT_FIELD_PPID:
      if (process != NULL)
        {
          actual->kind = FS_SCRIPT_VALUE_INT;
          actual->i = fs_process_get_ppid (process);
        }
      break;

    case FS_SCRIPT_FIELD_ALIVE:
      actual->kind = FS_SCRIPT_VALUE_BOOL;
      actual->i = state_is_alive (state);
      break;

    case FS_SCRIPT_FIELD_STATE:
      actual->kind = FS_SCRIPT_VALUE_STATE;
      actual->state = state;
      break;

    case FS_SCRIPT_FIELD_EXITCODE:
      if (get_exitcode (process, &exitcode))
        {
          actual->kind = FS_SCRIPT_VALUE_INT;
          actual->i = exitcode;
        }
      break;

    case FS_SCRIPT_FIELD_DAEMON:
      actual->kind = FS_SCRIPT_VALUE_BOOL;
      if (process != NULL)
        actual->i = fs_process_get_daemon (process);
      else if (proc != NULL)
        actual->i = proc->def->daemon;
      break;

    case FS_SCRIPT_FIELD_NAME:
      actual->kind = FS_SCRIPT_VALUE_STRING;
      if (process != NULL)
        actual->s = fs_process_get_name (process);
      else if (proc != NULL)
        actual->s = proc->def->name;
      if (actual->s == NULL)
        actual->s = "";
      break;

    case FS_SCRIPT_FIELD_CHILDREN:
      actual->kind = FS_SCRIPT_VALUE_INT;
      if (process != NULL)
        {
          if (process == fs_engine_get_supervisor (self->engine))
            actual->i = g_list_model_get_n_items (fs_process_get_children (process));
          else
            {
              GPtrArray *children = children_of (self, process);

              actual->i = children != NULL ? children->len : 0;
            }
        }
      break;

    case FS_SCRIPT_FIELD_ORPHAN:
      actual->kind = FS_SCRIPT_VALUE_BOOL;
      actual->i = process != NULL && fs_process_get_orphan (process);
      break;

    case FS_SCRIPT_FIELD_STDOUT:
    case FS_SCRIPT_FIELD_STDERR:
      {
        Output *output = process != NULL ? g_hash_table_lookup (self->output, process) : NULL;

        actual->kind = FS_SCRIPT_VALUE_STRING;
        actual->s = "";
        if (output != NULL)
          actual->s = st->field == FS_SCRIPT_FIELD_STDOUT ? output->out->str : output->err->str;
      }
      break;

    default:
      g_assert_not_reached ();
    }
}

static char *
format_actual (const Actual *actual)
{
  switch (actual->kind)
    {
    case FS_SCRIPT_VALUE_NONE:
      return g_strdup ("none");
    case FS_SCRIPT_VALUE_INT:
      return g_strdup_printf ("%" G_GINT64_FORMAT, actual->i);
    case FS_SCRIPT_VALUE_BOOL:
      return g_strdup (actual->i ? "true" : "false");
    case FS_SCRIPT_VALUE_STATE:
      return g_strdup (fs_script_state_to_string (actual->state));
    case FS_SCRIPT_VALUE_STRING:
      {
        g_autofree char *escaped = g_strescape (actual->s, NULL);

        /* Long output: the end is what was written last. */
        if (strlen (escaped) > MAX_FOUND)
          return g_strdup_printf ("\"…%s\"", g_utf8_find_next_char (escaped + strlen (escaped) - MAX_FOUND, NULL));
        return g_strdup_printf ("\"%s\"", escaped);
      }
    case FS_SCRIPT_VALUE_SUBJECT:
    default:
      g_assert_not_reached ();
    }
}

static gboolean
compare_ints (gint64     a,
              FsScriptOp op,
              gint64     b)
{
  switch (op)
    {
    case FS_SCRIPT_OP_EQ:
      return a == b;
    case FS_SCRIPT_OP_NE:
      return a != b;
    case FS_SCRIPT_OP_LT:
      return a < b;
    case FS_SCRIPT_OP_LE:
      return a <= b;
    case FS_SCRIPT_OP_GT:
      return a > b;
    case FS_SCRIPT_OP_GE:
      return a >= b;
    case FS_SCRIPT_OP_CONTAINS:
    default:
      return FALSE;
    }
}

static gboolean
evaluate (FsScriptRunner           *self,
          const FsScriptStatement  *st,
          const Actual             *actual,
          char                    **expected_extra)
{
  const FsScriptValue *value = &st->value;
  gboolean have_number = TRUE;
  gint64 number = value->i;

  switch (value->kind)
    {
    case FS_SCRIPT_VALUE_NONE:
      if (st->op == FS_SCRIPT_OP_EQ)
        return actual->kind == FS_SCRIPT_VALUE_NONE;
      return actual->kind != FS_SCRIPT_VALUE_NONE;

    case FS_SCRIPT_VALUE_SUBJECT:
      {
        FsProcess *other = resolve_subject (self, value->subject, NULL);

        if (other != NULL)
          {
            number = fs_process_get_pid (other);
            *expected_extra = g_strdup_printf ("%d", (int) number);
          }
        else
          have_number = FALSE;
      }
      G_GNUC_FALLTHROUGH;
    case FS_SCRIPT_VALUE_INT:
      /* Like Python's None: equal to nothing, unequal to everything. */
      if (actual->kind == FS_SCRIPT_VALUE_NONE || !have_number)
        return st->op == FS_SCRIPT_OP_NE &&
               (actual->kind != FS_SCRIPT_VALUE_NONE || have_number);
      return compare_ints (actual->i, st->op, number);

    case FS_SCRIPT_VALUE_BOOL:
      return st->op == FS_SCRIPT_OP_EQ ? actual->i == value->i : actual->i != value->i;

    case FS_SCRIPT_VALUE_STATE:
      return st->op == FS_SCRIPT_OP_EQ ? actual->state == value->state
                                       : actual->state != value->state;

    case FS_SCRIPT_VALUE_STRING:
      switch (st->op)
        {
        case FS_SCRIPT_OP_EQ:
          return g_strcmp0 (actual->s, value->s) == 0;
        case FS_SCRIPT_OP_NE:
          return g_strcmp0 (actual->s, value->s) != 0;
        case FS_SCRIPT_OP_CONTAINS:
          return strstr (actual->s, value->s) != NULL;
        default:
          return FALSE;
        }

    default:
      g_assert_not_reached ();
    }
}

static void
report_check (FsScriptRunner           *self,
              const FsScriptStatement  *st,
              FsProcess                *process,
              gboolean                  ok,
              const char               *expected,
              const char               *found,
              const char               *message)
{
  g_auto(GVariantDict) dict = G_VARIANT_DICT_INIT (NULL);

  g_signal_emit (self, signals[EXPECT], 0, st->line, ok, expected, found);

  /* Three different things: the statement as written ("expect th1 ppid ==
   * self"), what it means now ("th1 ppid == self (4242)"), and what was
   * there ("4242"). fs_event_to_text() shows the last two. */
  g_variant_dict_insert (&dict, "ok", "b", ok);
  g_variant_dict_insert (&dict, "text", "s", st->text);
  g_variant_dict_insert (&dict, "subject", "s", st->subject->text);
  g_variant_dict_insert (&dict, "expected", "s", expected);
  g_variant_dict_insert (&dict, "found", "s", found);
  if (message != NULL)
    g_variant_dict_insert (&dict, "message", "s", message);
  emit_event (self, FS_EVENT_EXPECT, process, &dict);
}

static void
run_expect (FsScriptRunner          *self,
            const FsScriptStatement *st)
{
  g_autofree char *why = NULL;
  g_autofree char *found = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *value = NULL;
  g_autofree char *extra = NULL;
  g_autofree char *message = NULL;
  FsProcess *process = NULL;
  gboolean ok = FALSE;
  Actual actual;

  /* A subject that is a defined but unstarted process is fine (it is
   * "created"); a missing child is a failure. */
  process = resolve_subject (self, st->subject, &why);
  if (process == NULL &&
      (st->subject->path_len > 0 || fs_script_subject_is_self (st->subject)))
    {
      found = g_steal_pointer (&why);
    }
  else
    {
      get_field (self, st, process, &actual);
      ok = evaluate (self, st, &actual, &extra);
      found = format_actual (&actual);
    }

  /* Text is quoted as the text found is, so that `stdout ~ "line 3"`
   * does not read as `stdout ~ line 3`. */
  if (st->value.kind == FS_SCRIPT_VALUE_STRING)
    {
      g_autofree char *escaped = g_strescape (st->value.s, NULL);

      value = g_strdup_printf ("\"%s\"", escaped);
    }
  else
    value = g_strdup (st->value.s);

  if (extra != NULL)
    expected = g_strdup_printf ("%s %s %s %s (%s)", st->subject->text,
                                fs_script_field_to_string (st->field),
                                fs_script_op_to_string (st->op), value, extra);
  else
    expected = g_strdup_printf ("%s %s %s %s", st->subject->text,
                                fs_script_field_to_string (st->field),
                                fs_script_op_to_string (st->op), value);

  if (!ok)
    /* Translators: "expected th1 exitcode == 0, found -15". */
    message = g_strdup_printf (_("expect failed: expected %s, found %s"), expected, found);

  report_check (self, st, process, ok, expected, found, message);
  finish_statement (self, ok);
}

/* wait */

static gboolean
condition_holds (const FsScriptStatement *st,
                 FsProcess               *process)
{
  FsProcessState state = fs_process_get_state (process);

  switch (st->condition)
    {
    case FS_SCRIPT_CONDITION_EXITED:
      return state == FS_PROCESS_STATE_ZOMBIE || state_is_finished (state);
    case FS_SCRIPT_CONDITION_ORPHANED:
      return fs_process_get_orphan (process);
    case FS_SCRIPT_CONDITION_STATE:
      if (st->condition_state == FS_PROCESS_STATE_RUNNING)
        return state == FS_PROCESS_STATE_RUNNING || state == FS_PROCESS_STATE_SLEEPING;
      return state == st->condition_state;
    default:
      g_assert_not_reached ();
    }
}

static void
finish_wait (FsScriptRunner *self,
             gboolean        ok,
             gboolean        timed_out)
{
  const FsScriptStatement *st = current_statement (self);

  self->waiting = FALSE;
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  g_clear_handle_id (&self->grace_id, g_source_remove);

  if (!ok)
    {
      g_autofree char *why = NULL;
      g_autofree char *found = NULL;
      g_autofree char *expected = NULL;
      g_autofree char *message = NULL;
      FsProcess *process = resolve_subject (self, st->subject, &why);

      if (process != NULL)
        found = g_strdup_printf ("%s %s%s", st->subject->text,
                                 fs_script_state_to_string (fs_process_get_state (process)),
                                 fs_process_get_orphan (process) ? " orphaned" : "");
      else
        found = g_steal_pointer (&why);
      expected = g_strdup_printf ("%s %s", st->subject->text, st->condition_text);

      if (timed_out && st->has_seconds && st->seconds > 0)
        /* Translators: "wait timed out after 3 s: expected th1 exited, found th1 running". */
        message = g_strdup_printf (_("wait timed out after %g s: expected %s, found %s"),
                                   st->seconds, expected, found);
      else if (timed_out)
        message = g_strdup_printf (_("wait failed: expected %s, found %s"), expected, found);
      else
        /* Translators: the process was reaped, it can no longer get there. */
        message = g_strdup_printf (_("wait failed: expected %s, found %s, which is final"),
                                   expected, found);

      report_check (self, st, process, FALSE, expected, found, message);
    }

  finish_statement (self, ok);
}

/* The last process on @subject's path that exists (the subject's root if
 * it is started), or NULL. */
static FsProcess *
resolve_nearest (FsScriptRunner        *self,
                 const FsScriptSubject *subject)
{
  for (guint len = subject->path_len; len > 0; len--)
    {
      FsScriptSubject partial = *subject;
      FsProcess *process;

      partial.path_len = len - 1;
      process = resolve_subject (self, &partial, NULL);
      if (process != NULL)
        return process;
    }
  return NULL;
}

static gboolean
wait_grace_cb (gpointer user_data)
{
  FsScriptRunner *self = user_data;
  const FsScriptStatement *st = current_statement (self);

  self->grace_id = 0;
  if (resolve_subject (self, st->subject, NULL) == NULL)
    finish_wait (self, FALSE, FALSE);
  else
    check_wait (self);

  return G_SOURCE_REMOVE;
}

static void
check_wait (FsScriptRunner *self)
{
  const FsScriptStatement *st = current_statement (self);
  FsProcess *process;

  g_assert (st != NULL && st->kind == FS_SCRIPT_STATEMENT_WAIT);

  process = resolve_subject (self, st->subject, NULL);
  if (process == NULL)
    {
      FsProcess *nearest = resolve_nearest (self, st->subject);

      /* A process that has ended forks no more: the child waited for can
       * only still show up from a scan that saw it before the end (a
       * worker that forks and exits at once is often reaped before any
       * scan). Give that scan its chance, then fail rather than wait for
       * ever. */
      if (nearest != NULL && state_is_finished (fs_process_get_state (nearest)) &&
          self->grace_id == 0)
        self->grace_id = g_timeout_add (MAX (1000, 2 * fs_engine_get_scan_interval (self->engine)),
                                        wait_grace_cb, self);
      return;
    }

  if (condition_holds (st, process))
    finish_wait (self, TRUE, FALSE);
  else if (state_is_finished (fs_process_get_state (process)))
    /* Reaped or gone: nothing will change any more. */
    finish_wait (self, FALSE, FALSE);
}

static gboolean
wait_timeout_cb (gpointer user_data)
{
  FsScriptRunner *self = user_data;

  self->timeout_id = 0;
  finish_wait (self, FALSE, TRUE);

  return G_SOURCE_REMOVE;
}

static void
run_wait (FsScriptRunner          *self,
          const FsScriptStatement *st)
{
  self->waiting = TRUE;
  check_wait (self);
  if (!self->waiting)
    return;

  if (st->has_seconds)
    {
      if (st->seconds <= 0)
        finish_wait (self, FALSE, TRUE);
      else
        self->timeout_id = g_timeout_add ((guint) (st->seconds * 1000 + 0.5), wait_timeout_cb, self);
    }
}

/* sleep */

static gboolean
sleep_done_cb (gpointer user_data)
{
  FsScriptRunner *self = user_data;

  self->timeout_id = 0;
  finish_statement (self, TRUE);

  return G_SOURCE_REMOVE;
}

/* start */

static void start_next_name (FsScriptRunner *self);

static void
spawn_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(FsScriptRunner) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(FsProcess) process = fs_engine_spawn_finish (FS_ENGINE (object), result, &error);
  const FsScriptStatement *st = current_statement (self);
  const char *name;
  ScriptProc *proc;

  if (self->state == FS_SCRIPT_RUNNER_FINISHED)
    return;

  name = st->names[self->start_index];
  proc = g_hash_table_lookup (self->procs, name);

  if (process == NULL)
    {
      g_autofree char *message = NULL;

      /* Translators: "cannot start th1: ..." */
      message = g_strdup_printf (_("cannot start %s: %s"), name, error->message);
      emit_error (self, NULL, message);
      finish_statement (self, FALSE);
      return;
    }

  proc->process = g_object_ref (process);
  g_ptr_array_add (self->workers, g_object_ref (process));
  g_hash_table_insert (self->paths, g_object_ref (process), g_strdup (name));
  if (!g_hash_table_contains (self->family, process))
    g_hash_table_insert (self->family, g_object_ref (process),
                         g_ptr_array_new_with_free_func (g_object_unref));

  self->start_index++;
  start_next_name (self);
}

static void
start_next_name (FsScriptRunner *self)
{
  const FsScriptStatement *st = current_statement (self);
  const ScriptProc *proc;

  if (st->names[self->start_index] == NULL || self->stop_requested)
    {
      finish_statement (self, !self->stop_requested);
      return;
    }

  proc = g_hash_table_lookup (self->procs, st->names[self->start_index]);
  g_assert (proc != NULL);

  /* Spawns are short and not cancelled: a worker that exists must be
   * known, so that cleaning up finds it. */
  fs_engine_spawn_async (self->engine,
                         proc->def->name,
                         proc->def->plugin_path,
                         proc->def->function,
                         (const char * const *) proc->def->checked_args,
                         proc->def->daemon,
                         NULL,
                         spawn_cb,
                         g_object_ref (self));
}

/* join */

static void
join_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(FsScriptRunner) self = user_data;
  g_autoptr(GError) error = NULL;

  fs_engine_join_finish (FS_ENGINE (object), result, &error);

  if (self->state == FS_SCRIPT_RUNNER_FINISHED)
    return;

  if (error != NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *message = NULL;

          message = g_strdup_printf (_("cannot join %s: %s"),
                                     current_statement (self)->subject->text, error->message);
          emit_error (self, NULL, message);
        }
      finish_statement (self, FALSE);
      return;
    }

  /* A join that timed out is no failure: Process.join(timeout) returns
   * with the process alive, and the engine's event says so. */
  finish_statement (self, TRUE);
}

/* terminate, kill, interrupt, signal */

static void
signal_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(FsScriptRunner) self = user_data;
  g_autoptr(GError) error = NULL;
  const FsScriptStatement *st;

  fs_engine_signal_finish (FS_ENGINE (object), result, &error);

  if (self->state == FS_SCRIPT_RUNNER_FINISHED)
    return;

  st = current_statement (self);

  if (g_error_matches (error, FS_ENGINE_ERROR, FS_ENGINE_ERROR_ALREADY_REAPED))
    {
      g_autofree char *text = NULL;

      /* Python's terminate() and kill() do nothing to a finished process. */
      text = g_strdup_printf (_("%s has already ended: nothing to signal"), st->subject->text);
      emit_note (self, NULL, text);
    }
  else if (error != NULL)
    {
      g_autofree char *message = NULL;

      message = g_strdup_printf (_("cannot signal %s: %s"), st->subject->text, error->message);
      emit_error (self, NULL, message);
      finish_statement (self, FALSE);
      return;
    }

  finish_statement (self, TRUE);
}

static void
run_signal (FsScriptRunner          *self,
            const FsScriptStatement *st)
{
  g_autofree char *why = NULL;
  FsProcess *process = resolve_subject (self, st->subject, &why);

  if (process == NULL)
    {
      g_autofree char *message = NULL;

      message = g_strdup_printf (_("cannot signal %s: %s"), st->subject->text, why);
      emit_error (self, NULL, message);
      finish_statement (self, FALSE);
      return;
    }

  fs_engine_signal_async (self->engine, process, st->signum, FALSE, NULL,
                          signal_cb, g_object_ref (self));
}

/* The statement loop */

static void
execute (FsScriptRunner *self)
{
  const FsScriptStatement *st;

  g_assert (self->next < fs_script_get_n_statements (self->script));

  self->current = self->next++;
  st = current_statement (self);
  set_state (self, FS_SCRIPT_RUNNER_RUNNING);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENT_LINE]);

  g_signal_emit (self, signals[STATEMENT_STARTED], 0, st->line, st->text);

  switch (st->kind)
    {
    case FS_SCRIPT_STATEMENT_SET:
      if (st->set_reap)
        fs_engine_set_reap_policy (self->engine, st->reap_policy);
      else
        fs_engine_set_subreaper (self->engine, st->subreaper);
      finish_statement (self, TRUE);
      break;

    case FS_SCRIPT_STATEMENT_PROCESS:
      {
        ScriptProc *proc = g_new0 (ScriptProc, 1);

        proc->def = st->def;
        g_hash_table_insert (self->procs, st->def->name, proc);
        finish_statement (self, TRUE);
      }
      break;

    case FS_SCRIPT_STATEMENT_START:
      self->start_index = 0;
      start_next_name (self);
      break;

    case FS_SCRIPT_STATEMENT_JOIN:
      {
        ScriptProc *proc = g_hash_table_lookup (self->procs, st->subject->root);
        double timeout = -1;

        g_assert (proc != NULL && proc->process != NULL);

        if (st->has_seconds)
          timeout = MAX (st->seconds, 0);

        g_clear_object (&self->cancellable);
        self->cancellable = g_cancellable_new ();
        fs_engine_join_async (self->engine, proc->process, timeout, self->cancellable,
                              join_cb, g_object_ref (self));
      }
      break;

    case FS_SCRIPT_STATEMENT_TERMINATE:
    case FS_SCRIPT_STATEMENT_KILL:
    case FS_SCRIPT_STATEMENT_INTERRUPT:
    case FS_SCRIPT_STATEMENT_SIGNAL:
      run_signal (self, st);
      break;

    case FS_SCRIPT_STATEMENT_WAIT:
      run_wait (self, st);
      break;

    case FS_SCRIPT_STATEMENT_SLEEP:
      self->timeout_id = g_timeout_add ((guint) (st->seconds * 1000 + 0.5), sleep_done_cb, self);
      break;

    case FS_SCRIPT_STATEMENT_SAY:
      {
        g_auto(GVariantDict) dict = G_VARIANT_DICT_INIT (NULL);
        /* The built-in lessons' narration is in the catalog (po/make-pot.sh
         * extracts it); anyone else's script stays as written. */
        const char *text = *st->say != '\0' ? g_dgettext (GETTEXT_PACKAGE, st->say) : st->say;

        g_signal_emit (self, signals[SAY], 0, text);
        g_variant_dict_insert (&dict, "text", "s", text);
        emit_event (self, FS_EVENT_SAY, NULL, &dict);
        finish_statement (self, TRUE);
      }
      break;

    case FS_SCRIPT_STATEMENT_EXPECT:
      run_expect (self, st);
      break;

    default:
      g_assert_not_reached ();
    }
}

static gboolean
run_next_cb (gpointer user_data)
{
  FsScriptRunner *self = user_data;

  self->idle_id = 0;
  run_next (self);

  return G_SOURCE_REMOVE;
}

static void
run_next (FsScriptRunner *self)
{
  if (self->stop_requested || self->failed)
    {
      begin_cleanup (self);
      return;
    }

  if (self->next < fs_script_get_n_statements (self->script))
    execute (self);
  else
    begin_cleanup (self);
}

static void
finish_statement (FsScriptRunner *self,
                  gboolean        ok)
{
  const FsScriptStatement *st = current_statement (self);

  g_clear_object (&self->cancellable);

  g_signal_emit (self, signals[STATEMENT_FINISHED], 0, st->line, st->text, ok);

  if (!ok)
    self->failed = TRUE;

  self->current = -1;

  if (self->failed || self->stop_requested)
    {
      begin_cleanup (self);
      return;
    }

  if (self->step_mode)
    {
      set_state (self, FS_SCRIPT_RUNNER_PAUSED);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENT_LINE]);
      return;
    }

  /* From the main loop, so a long script of instant statements neither
   * recurses nor starves the engine's events. */
  g_assert (self->idle_id == 0);
  self->idle_id = g_idle_add (run_next_cb, self);
}

/* The end: Python's exit rule, or cleaning up after a failure. */

static void
report_survivors (FsScriptRunner *self)
{
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, self->family);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      FsProcess *process = key;
      FsProcessState state = fs_process_get_state (process);
      g_autofree char *text = NULL;
      FsProcStat stat;

      /* The model may be a scan behind: a grandchild its parent reaped
       * just before the parent ended still looks alive in it. Ask /proc
       * (by pid and start time) before calling it a survivor. */
      if ((state_is_alive (state) || state == FS_PROCESS_STATE_ZOMBIE) &&
          fs_process_get_start_ticks (process) != 0 &&
          (!fs_proc_read_stat (fs_process_get_pid (process), &stat, NULL) ||
           stat.starttime != fs_process_get_start_ticks (process)))
        continue;

      if (state_is_alive (state))
        /* Translators: "th1 (PID 123) is still running, now a child of PID 1". */
        text = g_strdup_printf (_("%s (PID %d) is still %s, a child of PID %d"),
                                subject_name (self, process),
                                fs_process_get_pid (process),
                                fs_script_state_to_string (state),
                                fs_process_get_ppid (process));
      else if (state == FS_PROCESS_STATE_ZOMBIE)
        text = g_strdup_printf (_("%s (PID %d) is still a zombie, waiting for PID %d to reap it"),
                                subject_name (self, process),
                                fs_process_get_pid (process),
                                fs_process_get_ppid (process));
      if (text != NULL)
        emit_note (self, process, text);
    }
}

static void
save_policy (FsScriptRunner *self)
{
  SavedPolicy *saved = g_object_get_data (G_OBJECT (self->engine), POLICY_KEY);

  if (saved == NULL)
    {
      saved = g_new0 (SavedPolicy, 1);
      saved->reap = fs_engine_get_reap_policy (self->engine);
      saved->subreaper = fs_engine_get_subreaper (self->engine);
      g_object_set_data_full (G_OBJECT (self->engine), POLICY_KEY, saved, g_free);
    }
  saved->owner = self;
}

static void
restore_policy (FsScriptRunner *self)
{
  SavedPolicy *saved;

  if (self->engine == NULL)
    return;

  saved = g_object_get_data (G_OBJECT (self->engine), POLICY_KEY);
  if (saved == NULL || saved->owner != self)
    return;

  if (fs_engine_is_running (self->engine))
    {
      fs_engine_set_reap_policy (self->engine, saved->reap);
      fs_engine_set_subreaper (self->engine, saved->subreaper);
    }
  g_object_set_data (G_OBJECT (self->engine), POLICY_KEY, NULL);
}

static void
finish_run (FsScriptRunner *self)
{
  int status = self->failed || self->stop_requested ? 1 : 0;

  if (self->state == FS_SCRIPT_RUNNER_FINISHED)
    return;

  if (fs_engine_is_running (self->engine))
    report_survivors (self);
  restore_policy (self);

  self->exit_status = status;
  self->current = -1;
  set_state (self, FS_SCRIPT_RUNNER_FINISHED);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXIT_STATUS]);

  g_signal_emit (self, signals[FINISHED], 0, status);
}

static gboolean
worker_is_done (FsProcess *process)
{
  return state_is_finished (fs_process_get_state (process));
}

static gboolean
is_exit_phase (Phase phase)
{
  return phase >= PHASE_EXIT_TERMINATE && phase <= PHASE_EXIT_JOIN;
}

static void
cleanup_signal_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(FsScriptRunner) self = user_data;

  /* It may have ended meanwhile: that is what we wanted. */
  fs_engine_signal_finish (FS_ENGINE (object), result, NULL);

  if (self->state == FS_SCRIPT_RUNNER_FINISHED)
    return;

  if (self->stop_requested && is_exit_phase (self->phase))
    {
      self->phase = PHASE_ABORT_TERMINATE;
      self->pending_index = 0;
    }
  else
    self->pending_index++;

  cleanup_step (self);
}

static void
cleanup_join_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(FsScriptRunner) self = user_data;
  g_autoptr(GError) error = NULL;

  fs_engine_join_finish (FS_ENGINE (object), result, &error);

  if (self->state == FS_SCRIPT_RUNNER_FINISHED)
    return;

  g_clear_object (&self->cancellable);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* stop() during the exit rule: clean up instead. */
      self->phase = PHASE_ABORT_TERMINATE;
      self->pending_index = 0;
      cleanup_step (self);
      return;
    }
  if (error != NULL)
    emit_error (self, g_ptr_array_index (self->pending, self->pending_index), error->message);

  self->pending_index++;
  cleanup_step (self);
}

static void
cleanup_join (FsScriptRunner *self,
              FsProcess      *process,
              double          timeout)
{
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  fs_engine_join_async (self->engine, process, timeout, self->cancellable,
                        cleanup_join_cb, g_object_ref (self));
}

static void
cleanup_signal (FsScriptRunner *self,
                FsProcess      *process,
                int             signum,
                gboolean        group)
{
  fs_engine_signal_async (self->engine, process, signum, group, NULL,
                          cleanup_signal_cb, g_object_ref (self));
}

/* Each phase walks the workers in the order they were started, one
 * asynchronous operation at a time:
 *
 *   end of script (Python's exit rule): SIGTERM the daemons; join them,
 *   killing one that ignores SIGTERM after a grace period (Python would
 *   wait for ever); then join every other worker, without a timeout;
 *
 *   after a failure or stop(): SIGTERM each worker's process group; join
 *   with a grace period; SIGKILL the groups still alive; join. */
static void
cleanup_step (FsScriptRunner *self)
{
  if (!fs_engine_is_running (self->engine))
    self->phase = PHASE_DONE;

  while (self->phase != PHASE_DONE)
    {
      FsProcess *process;
      FsProcessState state;
      gboolean daemon;

      if (self->pending_index >= self->pending->len)
        {
          self->phase = self->phase == PHASE_EXIT_JOIN ? PHASE_DONE : self->phase + 1;
          self->pending_index = 0;
          continue;
        }

      process = g_ptr_array_index (self->pending, self->pending_index);
      state = fs_process_get_state (process);
      daemon = fs_process_get_daemon (process);

      switch (self->phase)
        {
        case PHASE_EXIT_TERMINATE:
          if (daemon && state_is_alive (state))
            {
              cleanup_signal (self, process, SIGTERM, FALSE);
              return;
            }
          break;

        case PHASE_EXIT_JOIN_DAEMONS:
          if (daemon && !worker_is_done (process))
            {
              cleanup_join (self, process, GRACE_SECONDS);
              return;
            }
          break;

        case PHASE_EXIT_KILL_DAEMONS:
          if (daemon && state_is_alive (state))
            {
              cleanup_signal (self, process, SIGKILL, FALSE);
              return;
            }
          break;

        case PHASE_EXIT_JOIN:
          if (!worker_is_done (process))
            {
              cleanup_join (self, process, -1);
              return;
            }
          break;

        case PHASE_ABORT_TERMINATE:
        case PHASE_ABORT_KILL:
          if (state_is_alive (state))
            {
              cleanup_signal (self, process,
                              self->phase == PHASE_ABORT_TERMINATE ? SIGTERM : SIGKILL, TRUE);
              return;
            }
          break;

        case PHASE_ABORT_JOIN:
        case PHASE_ABORT_REAP:
          if (!worker_is_done (process))
            {
              cleanup_join (self, process, self->phase == PHASE_ABORT_JOIN ? GRACE_SECONDS : -1);
              return;
            }
          break;

        case PHASE_STATEMENTS:
        case PHASE_DONE:
        default:
          g_assert_not_reached ();
        }

      self->pending_index++;
    }

  finish_run (self);
}

/* Whether a started worker is not reaped yet (and, with @daemon_only, is a
 * live daemon). */
static gboolean
any_worker (FsScriptRunner *self,
            gboolean        daemon_only,
            gboolean        alive_only)
{
  for (guint i = 0; i < self->workers->len; i++)
    {
      FsProcess *process = g_ptr_array_index (self->workers, i);
      FsProcessState state = fs_process_get_state (process);

      if (daemon_only && !fs_process_get_daemon (process))
        continue;
      if (alive_only ? state_is_alive (state) : !state_is_finished (state))
        return TRUE;
    }

  return FALSE;
}

static void
begin_cleanup (FsScriptRunner *self)
{
  if (self->state == FS_SCRIPT_RUNNER_CLEANING_UP || self->state == FS_SCRIPT_RUNNER_FINISHED)
    return;

  self->current = -1;
  self->waiting = FALSE;
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  g_clear_handle_id (&self->grace_id, g_source_remove);
  g_clear_handle_id (&self->idle_id, g_source_remove);

  set_state (self, FS_SCRIPT_RUNNER_CLEANING_UP);

  g_clear_pointer (&self->pending, g_ptr_array_unref);
  self->pending = g_ptr_array_copy (self->workers, (GCopyFunc) (void (*) (void)) g_object_ref, NULL);
  g_ptr_array_set_free_func (self->pending, g_object_unref);
  self->pending_index = 0;

  if (self->failed || self->stop_requested)
    {
      self->phase = PHASE_ABORT_TERMINATE;
      if (any_worker (self, FALSE, FALSE))
        emit_note (self, NULL, _("Cleaning up: terminating every process the script started"));
    }
  else
    {
      self->phase = PHASE_EXIT_TERMINATE;
      if (any_worker (self, TRUE, TRUE))
        emit_note (self, NULL, _("End of the script: like Python at exit, the daemon processes are terminated, then the others joined"));
      else if (any_worker (self, FALSE, FALSE))
        emit_note (self, NULL, _("End of the script: like Python at exit, the processes still running are joined"));
    }

  cleanup_step (self);
}

/* Public API */

void
fs_script_runner_run (FsScriptRunner *self)
{
  g_return_if_fail (FS_IS_SCRIPT_RUNNER (self));
  g_return_if_fail (self->state == FS_SCRIPT_RUNNER_READY);

  save_policy (self);

  if (!fs_engine_is_running (self->engine))
    {
      set_state (self, FS_SCRIPT_RUNNER_RUNNING);
      emit_error (self, NULL, _("The supervisor is not running"));
      self->failed = TRUE;
      finish_run (self);
      return;
    }

  /* Every script starts from the language's defaults. */
  fs_engine_set_reap_policy (self->engine, FS_REAP_AUTO);
  fs_engine_set_subreaper (self->engine, TRUE);

  if (self->step_mode)
    {
      set_state (self, FS_SCRIPT_RUNNER_PAUSED);
      return;
    }

  set_state (self, FS_SCRIPT_RUNNER_RUNNING);
  run_next (self);
}

void
fs_script_runner_step (FsScriptRunner *self)
{
  g_return_if_fail (FS_IS_SCRIPT_RUNNER (self));

  if (self->state != FS_SCRIPT_RUNNER_PAUSED)
    return;

  set_state (self, FS_SCRIPT_RUNNER_RUNNING);
  run_next (self);
}

void
fs_script_runner_continue (FsScriptRunner *self)
{
  g_return_if_fail (FS_IS_SCRIPT_RUNNER (self));

  fs_script_runner_set_step_mode (self, FALSE);
  fs_script_runner_step (self);
}

void
fs_script_runner_stop (FsScriptRunner *self)
{
  g_return_if_fail (FS_IS_SCRIPT_RUNNER (self));

  switch (self->state)
    {
    case FS_SCRIPT_RUNNER_READY:
      self->stop_requested = TRUE;
      finish_run (self);
      break;

    case FS_SCRIPT_RUNNER_PAUSED:
      self->stop_requested = TRUE;
      begin_cleanup (self);
      break;

    case FS_SCRIPT_RUNNER_RUNNING:
      if (self->stop_requested)
        return;
      self->stop_requested = TRUE;
      /* A wait, a sleep or a join may take long: end them now. Spawns
       * and signals are short; their callbacks see stop_requested. */
      if (self->waiting || self->timeout_id != 0)
        {
          self->waiting = FALSE;
          g_clear_handle_id (&self->timeout_id, g_source_remove);
  g_clear_handle_id (&self->grace_id, g_source_remove);
          finish_statement (self, FALSE);
        }
      else if (self->cancellable != NULL)
        g_cancellable_cancel (self->cancellable);
      else if (self->idle_id != 0)
        {
          g_clear_handle_id (&self->idle_id, g_source_remove);
          begin_cleanup (self);
        }
      break;

    case FS_SCRIPT_RUNNER_CLEANING_UP:
      /* An end-of-script join without a timeout waits for ever, like
       * Python; stopping turns the exit rule into the cleanup. */
      if (self->stop_requested)
        return;
      self->stop_requested = TRUE;
      /* A join is cancelled; a signal's callback sees stop_requested. */
      if (is_exit_phase (self->phase) && self->cancellable != NULL)
        g_cancellable_cancel (self->cancellable);
      break;

    case FS_SCRIPT_RUNNER_FINISHED:
    default:
      break;
    }
}

FsEngine *
fs_script_runner_get_engine (FsScriptRunner *self)
{
  g_return_val_if_fail (FS_IS_SCRIPT_RUNNER (self), NULL);
  return self->engine;
}

FsScript *
fs_script_runner_get_script (FsScriptRunner *self)
{
  g_return_val_if_fail (FS_IS_SCRIPT_RUNNER (self), NULL);
  return self->script;
}

FsScriptRunnerState
fs_script_runner_get_state (FsScriptRunner *self)
{
  g_return_val_if_fail (FS_IS_SCRIPT_RUNNER (self), FS_SCRIPT_RUNNER_READY);
  return self->state;
}

gboolean
fs_script_runner_get_step_mode (FsScriptRunner *self)
{
  g_return_val_if_fail (FS_IS_SCRIPT_RUNNER (self), FALSE);
  return self->step_mode;
}

void
fs_script_runner_set_step_mode (FsScriptRunner *self,
                                gboolean        step_mode)
{
  g_return_if_fail (FS_IS_SCRIPT_RUNNER (self));

  step_mode = !!step_mode;
  if (self->step_mode == step_mode)
    return;

  self->step_mode = step_mode;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STEP_MODE]);
}

guint
fs_script_runner_get_current_line (FsScriptRunner *self)
{
  const FsScriptStatement *st;

  g_return_val_if_fail (FS_IS_SCRIPT_RUNNER (self), 0);

  if (self->state == FS_SCRIPT_RUNNER_FINISHED || self->state == FS_SCRIPT_RUNNER_CLEANING_UP)
    return 0;

  st = current_statement (self);
  if (st == NULL && self->next < fs_script_get_n_statements (self->script))
    st = fs_script_get_statement (self->script, self->next);

  return st != NULL ? st->line : 0;
}

int
fs_script_runner_get_exit_status (FsScriptRunner *self)
{
  g_return_val_if_fail (FS_IS_SCRIPT_RUNNER (self), -1);
  return self->exit_status;
}

FsProcess *
fs_script_runner_lookup_process (FsScriptRunner *self,
                                 const char     *name)
{
  ScriptProc *proc;

  g_return_val_if_fail (FS_IS_SCRIPT_RUNNER (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  proc = g_hash_table_lookup (self->procs, name);
  return proc != NULL ? proc->process : NULL;
}

FsScriptRunner *
fs_script_runner_new (FsEngine *engine,
                      FsScript *script)
{
  g_return_val_if_fail (FS_IS_ENGINE (engine), NULL);
  g_return_val_if_fail (FS_IS_SCRIPT (script), NULL);
  g_return_val_if_fail (fs_script_get_checked (script), NULL);

  return g_object_new (FS_TYPE_SCRIPT_RUNNER,
                       "engine", engine,
                       "script", script,
                       NULL);
}

static void
script_proc_free (gpointer data)
{
  ScriptProc *proc = data;

  g_clear_object (&proc->process);
  g_free (proc);
}

static void
fs_script_runner_constructed (GObject *object)
{
  FsScriptRunner *self = FS_SCRIPT_RUNNER (object);

  G_OBJECT_CLASS (fs_script_runner_parent_class)->constructed (object);

  self->event_handler = g_signal_connect_object (self->engine, "event",
                                                 G_CALLBACK (engine_event_cb), self,
                                                 G_CONNECT_SWAPPED);
  self->closed_handler = g_signal_connect_object (self->engine, "closed",
                                                  G_CALLBACK (engine_closed_cb), self,
                                                  G_CONNECT_SWAPPED);
}

static void
fs_script_runner_dispose (GObject *object)
{
  FsScriptRunner *self = FS_SCRIPT_RUNNER (object);

  /* Dropped while running: nothing is left to clean up asynchronously, so
   * the processes it started are killed without waiting. */
  if (self->engine != NULL && fs_engine_is_running (self->engine) &&
      self->state != FS_SCRIPT_RUNNER_FINISHED && self->state != FS_SCRIPT_RUNNER_READY)
    {
      for (guint i = 0; i < self->workers->len; i++)
        {
          FsProcess *process = g_ptr_array_index (self->workers, i);

          if (state_is_alive (fs_process_get_state (process)))
            fs_engine_signal_async (self->engine, process, SIGKILL, TRUE, NULL, NULL, NULL);
        }
    }

  restore_policy (self);
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  g_clear_handle_id (&self->grace_id, g_source_remove);
  g_clear_handle_id (&self->idle_id, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_signal_handler (&self->event_handler, self->engine);
  g_clear_signal_handler (&self->closed_handler, self->engine);
  g_hash_table_remove_all (self->procs);
  g_hash_table_remove_all (self->family);
  g_hash_table_remove_all (self->output);
  g_hash_table_remove_all (self->paths);
  g_ptr_array_set_size (self->workers, 0);
  g_clear_pointer (&self->pending, g_ptr_array_unref);
  g_clear_object (&self->engine);
  g_clear_object (&self->script);

  G_OBJECT_CLASS (fs_script_runner_parent_class)->dispose (object);
}

static void
fs_script_runner_finalize (GObject *object)
{
  FsScriptRunner *self = FS_SCRIPT_RUNNER (object);

  g_hash_table_unref (self->procs);
  g_hash_table_unref (self->family);
  g_hash_table_unref (self->output);
  g_hash_table_unref (self->paths);
  g_ptr_array_unref (self->workers);

  G_OBJECT_CLASS (fs_script_runner_parent_class)->finalize (object);
}

static void
fs_script_runner_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  FsScriptRunner *self = FS_SCRIPT_RUNNER (object);

  switch (prop_id)
    {
    case PROP_ENGINE:
      g_value_set_object (value, self->engine);
      break;
    case PROP_SCRIPT:
      g_value_set_object (value, self->script);
      break;
    case PROP_STATE:
      g_value_set_int (value, self->state);
      break;
    case PROP_STEP_MODE:
      g_value_set_boolean (value, self->step_mode);
      break;
    case PROP_CURRENT_LINE:
      g_value_set_uint (value, fs_script_runner_get_current_line (self));
      break;
    case PROP_EXIT_STATUS:
      g_value_set_int (value, self->exit_status);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fs_script_runner_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  FsScriptRunner *self = FS_SCRIPT_RUNNER (object);

  switch (prop_id)
    {
    case PROP_ENGINE:
      self->engine = g_value_dup_object (value);
      break;
    case PROP_SCRIPT:
      self->script = g_value_dup_object (value);
      break;
    case PROP_STEP_MODE:
      fs_script_runner_set_step_mode (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fs_script_runner_class_init (FsScriptRunnerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = fs_script_runner_constructed;
  object_class->dispose = fs_script_runner_dispose;
  object_class->finalize = fs_script_runner_finalize;
  object_class->get_property = fs_script_runner_get_property;
  object_class->set_property = fs_script_runner_set_property;

  properties[PROP_ENGINE] =
    g_param_spec_object ("engine", NULL, NULL, FS_TYPE_ENGINE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SCRIPT] =
    g_param_spec_object ("script", NULL, NULL, FS_TYPE_SCRIPT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* An FsScriptRunnerState. */
  properties[PROP_STATE] =
    g_param_spec_int ("state", NULL, NULL,
                      FS_SCRIPT_RUNNER_READY, FS_SCRIPT_RUNNER_FINISHED, FS_SCRIPT_RUNNER_READY,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STEP_MODE] =
    g_param_spec_boolean ("step-mode", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CURRENT_LINE] =
    g_param_spec_uint ("current-line", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_EXIT_STATUS] =
    g_param_spec_int ("exit-status", NULL, NULL, -1, 2, -1,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[STATEMENT_STARTED] =
    g_signal_new ("statement-started", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_STRING);
  signals[STATEMENT_FINISHED] =
    g_signal_new ("statement-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 3, G_TYPE_UINT, G_TYPE_STRING, G_TYPE_BOOLEAN);
  signals[SAY] =
    g_signal_new ("say", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[EXPECT] =
    g_signal_new ("expect", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 4,
                  G_TYPE_UINT, G_TYPE_BOOLEAN, G_TYPE_STRING, G_TYPE_STRING);
  signals[EVENT] =
    g_signal_new ("event", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                  FS_TYPE_EVENT | G_SIGNAL_TYPE_STATIC_SCOPE);
  signals[FINISHED] =
    g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT);
}

static void
fs_script_runner_init (FsScriptRunner *self)
{
  self->current = -1;
  self->exit_status = -1;
  self->procs = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, script_proc_free);
  self->workers = g_ptr_array_new_with_free_func (g_object_unref);
  self->family = g_hash_table_new_full (NULL, NULL, g_object_unref, (GDestroyNotify) g_ptr_array_unref);
  self->output = g_hash_table_new_full (NULL, NULL, g_object_unref, output_free);
  self->paths = g_hash_table_new_full (NULL, NULL, g_object_unref, g_free);
}
