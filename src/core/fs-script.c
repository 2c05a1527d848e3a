/* fs-script.c
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n.h>

#include "fs-paths.h"
#include "fs-script-private.h"

/* Past this many problems the rest is noise (a binary file, say). */
#define MAX_ERRORS 20
/* A script is a page of text; refuse to read a disk image as one. */
#define MAX_SCRIPT_SIZE (1024 * 1024)
/* The longest sleep, join or wait a script may ask for. */
#define MAX_SECONDS 86400.0
/* The deepest child index a subject may name. */
#define MAX_CHILD_INDEX 100000

struct _FsScript
{
  GObject     parent_instance;

  char       *filename;
  char       *title;
  char       *description;
  GPtrArray  *statements;   /* of FsScriptStatement */
  GHashTable *processes;    /* name -> FsScriptProcessDef (owned by statements) */
  gboolean    checked;
};

G_DEFINE_FINAL_TYPE (FsScript, fs_script, G_TYPE_OBJECT)

G_DEFINE_QUARK (fs-script-error-quark, fs_script_error)

G_DEFINE_BOXED_TYPE (FsScriptProcessDef, fs_script_process_def,
                     fs_script_process_def_copy, fs_script_process_def_free)

static const char * const statement_names[] = {
  [FS_SCRIPT_STATEMENT_SET] = "set",
  [FS_SCRIPT_STATEMENT_PROCESS] = "process",
  [FS_SCRIPT_STATEMENT_START] = "start",
  [FS_SCRIPT_STATEMENT_JOIN] = "join",
  [FS_SCRIPT_STATEMENT_TERMINATE] = "terminate",
  [FS_SCRIPT_STATEMENT_KILL] = "kill",
  [FS_SCRIPT_STATEMENT_INTERRUPT] = "interrupt",
  [FS_SCRIPT_STATEMENT_SIGNAL] = "signal",
  [FS_SCRIPT_STATEMENT_WAIT] = "wait",
  [FS_SCRIPT_STATEMENT_SLEEP] = "sleep",
  [FS_SCRIPT_STATEMENT_SAY] = "say",
  [FS_SCRIPT_STATEMENT_EXPECT] = "expect",
};

/* The synopsis of each statement, shown in "usage:" messages. It is syntax,
 * so it is not translated. */
static const char * const statement_usage[] = {
  [FS_SCRIPT_STATEMENT_SET] = "set reap auto|join, set subreaper on|off",
  [FS_SCRIPT_STATEMENT_PROCESS] = "process NAME FUNCTION [daemon] [KEY=VALUE...]",
  [FS_SCRIPT_STATEMENT_START] = "start NAME...",
  [FS_SCRIPT_STATEMENT_JOIN] = "join NAME [TIMEOUT]",
  [FS_SCRIPT_STATEMENT_TERMINATE] = "terminate NAME",
  [FS_SCRIPT_STATEMENT_KILL] = "kill NAME",
  [FS_SCRIPT_STATEMENT_INTERRUPT] = "interrupt NAME",
  [FS_SCRIPT_STATEMENT_SIGNAL] = "signal NAME SIGNAL",
  [FS_SCRIPT_STATEMENT_WAIT] = "wait SUBJECT CONDITION [TIMEOUT]",
  [FS_SCRIPT_STATEMENT_SLEEP] = "sleep SECONDS",
  [FS_SCRIPT_STATEMENT_SAY] = "say TEXT",
  [FS_SCRIPT_STATEMENT_EXPECT] = "expect SUBJECT FIELD OP VALUE",
};

static const char * const field_names[] = {
  [FS_SCRIPT_FIELD_PID] = "pid",
  [FS_SCRIPT_FIELD_PPID] = "ppid",
  [FS_SCRIPT_FIELD_ALIVE] = "alive",
  [FS_SCRIPT_FIELD_STATE] = "state",
  [FS_SCRIPT_FIELD_EXITCODE] = "exitcode",
  [FS_SCRIPT_FIELD_DAEMON] = "daemon",
  [FS_SCRIPT_FIELD_NAME] = "name",
  [FS_SCRIPT_FIELD_CHILDREN] = "children",
  [FS_SCRIPT_FIELD_ORPHAN] = "orphan",
  [FS_SCRIPT_FIELD_STDOUT] = "stdout",
  [FS_SCRIPT_FIELD_STDERR] = "stderr",
};

static const char * const op_names[] = {
  [FS_SCRIPT_OP_EQ] = "==",
  [FS_SCRIPT_OP_NE] = "!=",
  [FS_SCRIPT_OP_LT] = "<",
  [FS_SCRIPT_OP_LE] = "<=",
  [FS_SCRIPT_OP_GT] = ">",
  [FS_SCRIPT_OP_GE] = ">=",
  [FS_SCRIPT_OP_CONTAINS] = "~",
};

/* The states a script can name; sleeping is not one of them. */
static const struct
{
  const char     *name;
  FsProcessState  state;
} script_states[] = {
  { "created", FS_PROCESS_STATE_CREATED },
  { "running", FS_PROCESS_STATE_RUNNING },
  { "stopped", FS_PROCESS_STATE_STOPPED },
  { "zombie", FS_PROCESS_STATE_ZOMBIE },
  { "reaped", FS_PROCESS_STATE_REAPED },
  { "gone", FS_PROCESS_STATE_GONE },
};

static const struct
{
  const char *name;
  int         signum;
} signal_names[] = {
  { "HUP", SIGHUP }, { "INT", SIGINT }, { "QUIT", SIGQUIT },
  { "ILL", SIGILL }, { "TRAP", SIGTRAP }, { "ABRT", SIGABRT },
  { "IOT", SIGIOT }, { "BUS", SIGBUS }, { "FPE", SIGFPE },
  { "KILL", SIGKILL }, { "USR1", SIGUSR1 }, { "SEGV", SIGSEGV },
  { "USR2", SIGUSR2 }, { "PIPE", SIGPIPE }, { "ALRM", SIGALRM },
  { "TERM", SIGTERM }, { "STKFLT", SIGSTKFLT }, { "CHLD", SIGCHLD },
  { "CONT", SIGCONT }, { "STOP", SIGSTOP }, { "TSTP", SIGTSTP },
  { "TTIN", SIGTTIN }, { "TTOU", SIGTTOU }, { "URG", SIGURG },
  { "XCPU", SIGXCPU }, { "XFSZ", SIGXFSZ }, { "VTALRM", SIGVTALRM },
  { "PROF", SIGPROF }, { "WINCH", SIGWINCH }, { "IO", SIGIO },
  { "POLL", SIGPOLL }, { "PWR", SIGPWR }, { "SYS", SIGSYS },
};

static const char * const reserved_names[] = { "self", "none", "true", "false" };

const char *
fs_script_statement_kind_to_string (FsScriptStatementKind kind)
{
  if ((guint) kind < G_N_ELEMENTS (statement_names))
    return statement_names[kind];
  return NULL;
}

const char *
fs_script_field_to_string (FsScriptField field)
{
  if ((guint) field < G_N_ELEMENTS (field_names))
    return field_names[field];
  return NULL;
}

const char *
fs_script_op_to_string (FsScriptOp op)
{
  if ((guint) op < G_N_ELEMENTS (op_names))
    return op_names[op];
  return NULL;
}

const char *
fs_script_state_to_string (FsProcessState state)
{
  if (state == FS_PROCESS_STATE_SLEEPING)
    state = FS_PROCESS_STATE_RUNNING;

  for (guint i = 0; i < G_N_ELEMENTS (script_states); i++)
    if (script_states[i].state == state)
      return script_states[i].name;

  return NULL;
}

const char *
fs_script_signal_name (int signum)
{
  for (guint i = 0; i < G_N_ELEMENTS (signal_names); i++)
    if (signal_names[i].signum == signum)
      return signal_names[i].name;
  return NULL;
}

/* FsScriptProcessDef */

FsScriptProcessDef *
fs_script_process_def_new (const char         *name,
                           const char         *function,
                           gboolean            daemon,
                           const char * const *args)
{
  FsScriptProcessDef *self;

  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (function != NULL, NULL);

  self = g_new0 (FsScriptProcessDef, 1);
  self->name = g_strdup (name);
  self->function = g_strdup (function);
  self->daemon = !!daemon;
  self->args = args != NULL ? g_strdupv ((char **) args) : g_new0 (char *, 1);

  return self;
}

FsScriptProcessDef *
fs_script_process_def_copy (const FsScriptProcessDef *self)
{
  FsScriptProcessDef *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = fs_script_process_def_new (self->name, self->function, self->daemon,
                                    (const char * const *) self->args);
  copy->checked_args = g_strdupv (self->checked_args);
  copy->plugin_path = g_strdup (self->plugin_path);

  return copy;
}

void
fs_script_process_def_free (FsScriptProcessDef *self)
{
  if (self == NULL)
    return;

  g_free (self->name);
  g_free (self->function);
  g_strfreev (self->args);
  g_strfreev (self->checked_args);
  g_free (self->plugin_path);
  g_free (self);
}

gboolean
fs_script_is_valid_name (const char *name)
{
  gsize n_chars = 0;

  if (name == NULL || *name == '\0' || !g_utf8_validate (name, -1, NULL))
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (reserved_names); i++)
    if (g_str_equal (name, reserved_names[i]))
      return FALSE;

  for (const char *p = name; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (n_chars == 0 && !(g_unichar_isalpha (c) || c == '_'))
        return FALSE;
      if (!(g_unichar_isalnum (c) || c == '_' || c == '-' || c == '.'))
        return FALSE;
      n_chars++;
    }

  return n_chars <= 64;
}

char *
fs_script_format_process (const FsScriptProcessDef *def)
{
  GString *out;
  g_autofree char *name = NULL;
  g_autofree char *function = NULL;

  g_return_val_if_fail (def != NULL, NULL);

  name = fs_script_quote (def->name);
  function = fs_script_quote (def->function);
  g_return_val_if_fail (name != NULL && function != NULL, NULL);

  out = g_string_new (NULL);
  g_string_append_printf (out, "%s %s", name, function);
  if (def->daemon)
    g_string_append (out, " daemon");

  for (guint i = 0; def->args != NULL && def->args[i] != NULL; i++)
    {
      const char *arg = def->args[i];
      const char *eq = strchr (arg, '=');
      g_autofree char *key = NULL;
      g_autofree char *value = NULL;

      /* KEY='some value' reads better than 'KEY=some value'. */
      if (eq != NULL)
        {
          g_autofree char *raw_key = g_strndup (arg, eq - arg);

          key = fs_script_quote (raw_key);
          value = fs_script_quote (eq + 1);
          if (key == NULL || value == NULL)
            {
              g_string_free (out, TRUE);
              g_return_val_if_reached (NULL);
            }
          g_string_append_printf (out, " %s=%s", key, value);
        }
      else
        {
          value = fs_script_quote (arg);
          if (value == NULL)
            {
              g_string_free (out, TRUE);
              g_return_val_if_reached (NULL);
            }
          g_string_append_printf (out, " %s", value);
        }
    }

  return g_string_free (out, FALSE);
}

/* Statements */

static void
subject_free (FsScriptSubject *subject)
{
  if (subject == NULL)
    return;

  g_free (subject->text);
  g_free (subject->root);
  g_free (subject->path);
  g_free (subject);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FsScriptSubject, subject_free)

gboolean
fs_script_subject_is_self (const FsScriptSubject *subject)
{
  return g_str_equal (subject->root, "self");
}

static void
statement_free (gpointer data)
{
  FsScriptStatement *self = data;

  g_free (self->text);
  fs_script_process_def_free (self->def);
  g_strfreev (self->names);
  subject_free (self->subject);
  g_free (self->condition_text);
  g_free (self->say);
  g_free (self->value.s);
  subject_free (self->value.subject);
  g_free (self);
}

FsScriptStatementKind
fs_script_statement_get_kind (const FsScriptStatement *self)
{
  return self->kind;
}

guint
fs_script_statement_get_line (const FsScriptStatement *self)
{
  return self->line;
}

const char *
fs_script_statement_get_text (const FsScriptStatement *self)
{
  return self->text;
}

const FsScriptProcessDef *
fs_script_statement_get_process (const FsScriptStatement *self)
{
  return self->def;
}

const char *
fs_script_statement_get_say (const FsScriptStatement *self)
{
  return self->say;
}

/* The parser and checker */

typedef struct
{
  FsPluginRegistry *registry;
  GHashTable       *all_definitions;  /* name -> first line of its definition */
  GHashTable       *defined;          /* name -> line, so far */
  GHashTable       *started;          /* name -> line, so far */
  GHashTable       *broken;           /* names whose definition was refused */
} Checker;

/* The error of a statement that only fails because of an earlier one, which
 * was reported: it is left out of the messages. */
static GQuark
already_reported_quark (void)
{
  return g_quark_from_static_string ("fs-script-already-reported");
}

static gboolean
is_broken (Checker    *checker,
           const char *name,
           GError    **error)
{
  if (!g_hash_table_contains (checker->broken, name))
    return FALSE;

  g_set_error_literal (error, already_reported_quark (), 0, "");
  return TRUE;
}

#define TOKEN(tokens, i) (((FsScriptToken *) g_ptr_array_index ((tokens), (i)))->text)

static gboolean
check_arity (FsScriptStatementKind   kind,
             GPtrArray              *tokens,
             guint                   min_args,
             guint                   max_args,
             GError                **error)
{
  guint n_args = tokens->len - 1;

  if (n_args < min_args)
    {
      g_set_error (error, FS_SCRIPT_ERROR, FS_SCRIPT_ERROR_SYNTAX,
                   _("missing arguments (usage: %s)"), statement_usage[kind]);
      return FALSE;
    }
  if (n_args > max_args)
    {
      g_set_error (error, FS_SCRIPT_ERROR, FS_SCRIPT_ERROR_SYNTAX,
                   _("too many arguments (usage: %s)"), statement_usage[kind]);
      return FALSE;
    }

  return TRUE;
}

/* A plain decimal number: no hex, no inf, no nan, no trailing garbage. */
static gboolean
parse_number (const char *text,
              double     *out)
{
  const char *p = text;
  gboolean digits = FALSE;

  if (*p == '+' || *p == '-')
    p++;
  while (g_ascii_isdigit (*p))
    {
      p++;
      digits = TRUE;
    }
  if (*p == '.')
    {
      p++;
      while (g_ascii_isdigit (*p))
        {
          p++;
          digits = TRUE;
        }
    }
  if (!digits)
    return FALSE;
  if (*p == 'e' || *p == 'E')
    {
      p++;
      if (*p == '+' || *p == '-')
        p++;
      if (!g_ascii_isdigit (*p))
        return FALSE;
      while (g_ascii_isdigit (*p))
        p++;
    }
  if (*p != '\0')
    return FALSE;

  *out = g_ascii_strtod (text, NULL);
  return TRUE;
}

static gboolean
parse_seconds (const char  *text,
               gboolean     allow_negative,
               double      *out,
               GError     **error)
{
  double value;

  if (!parse_number (text, &value) || (!allow_negative && value < 0))
    {
      g_set_error (error, FS_SCRIPT_ERROR, FS_SCRIPT_ERROR_SYNTAX,
                   allow_negative
                   ? _("\"%s\" is not a number of seconds")
                   : _("\"%s\" is not a number of seconds (0 or more)"),
                   text);
      return FALSE;
    }
  if (value > MAX_SECONDS)
    {
      g_set_error (error, FS_SCRIPT_ERROR, FS_SCRIPT_ERROR_SYNTAX,
                   _("%s seconds is too long (at most %.0f, one day)"),
                   text, MAX_SECONDS);
      return FALSE;
    }

  *out = value;
  return TRUE;
}

static gboolean
parse_int (const char *text,
           gint64     *out)
{
  return g_ascii_string_to_signed (text, 10, G_MININT, G_MAXINT, out, NULL);
}

static gboolean
parse_signal (const char  *text,
              int         *out,
              GError     **error)
{
  const char *name = text;
  gint64 number;

  if (g_ascii_string_to_signed (text, 10, 1, SIGRTMAX, &number, NULL))
    {
      *out = (int) number;
      return TRUE;
    }

  if (g_ascii_strncasecmp (name, "SIG", 3) == 0)
    name += 3;

  for (guint i = 0; i < G_N_ELEMENTS (signal_names); i++)
    {
      if (g_ascii_strcasecmp (name, signal_names[i].name) == 0)
        {
          *out = signal_names[i].signum;
          return TRUE;
        }
    }

  g_set_error (error, FS_SCRIPT_ERROR, FS_SCRIPT_ERROR_SYNTAX,
               _("unknown signal \"%s\" (a name such as TERM or SIGUSR1, or a number from 1 to %d)"),
               text, SIGRTMAX);
  return FALSE;
}

static gboolean
check_known (Checker     *checker,
             const char  *name,
             GError     **error)
{
  gpointer later;

  if (g_hash_table_contains (checker->defined, name))
    return TRUE;
  if (is_broken (checker, name, error))
    return FALSE;

  if (g_hash_table_lookup_extended (checker->all_definitions, name, NULL, &later))
    g_set_error (error, FS_SCRIPT_ERROR, FS_SCRIPT_ERROR_ORDER,
                 _("process \"%s\" is used before its definition on line %u"),
                 name, GPOINTER_TO_UINT (later));
  else
    g_set_error (error, FS_SCRIPT_ERROR, FS_SCRIPT_ERROR_UNKNOWN_PROCESS,
                 _("unknown process \"%s\" (define it first: process %s FUNCTION)"),
                 name, name);
  return FALSE;
}

static gboolean
check_started (Checker     *checker,
               const char  *name,
               GError     **error)
{
  if (g_hash_table_contains (checker->started, name))
    return TRUE;

  g_set_error (error, FS_SCRIPT_ERROR, FS_SCRIPT_ERROR_ORDER,
               _("process \"%s\" is not started yet (start it first: start %s)"),
               name, name);
  return FALSE;
}

static FsScriptSubject *
parse_subject (Checker     *checker,
               const char  *text,
               GError     **error)
{
  g_autoptr(FsScriptSubject) subject = g_new0 (FsScriptSubject, 1);
  g_auto(GStrv) parts = g_strsplit (text, "/", -1);
  guint n_parts = g_strv_length (parts);

  subject->text = g_strdup (text);
  subject->root = g_strdup (parts[0]);

  if (!g_str_equal (parts[0], "self") && is_broken (checker, parts[0], error))
    return NULL;

  if (!g_str_equal (parts[0], "self") && !fs_script_is_valid_name (parts[0]))
    {
      g_set_error (error, FS_SCRIPT_ERROR, FS_SCRIPT_ERROR_SYNTAX,
                   _("\"%s\" is not a process (write NAME, NAME/N for its N-th child, NAME/N/M for a grandchild, or self)"),
                   text);
      return NULL;
    }

  subject->path_len = n_parts - 1;
  subject->path = g_new0 (guint, MAX (subject->path_len, 1));
  for (guint i = 1; i < n_parts; i++)
    {
      guint64 index;

      if (!g_ascii_string_to_unsigned (parts[i], 10, 1, MAX_CHILD_INDEX, &index, NULL))
        {
          g_set_error (error, FS_SCRIPT_ERROR, FS_SCRIPT_ERROR_SYNTAX,
                       _("\"%s\" is not a process (after NAME, /N counts children from 1)"),
                       text);
          return NULL;
        }
      subject->path[i - 1] = (guint) index;
    }

  if (!fs_script_subject_is_self (subject) && !check_known (checker, subject->root, error))
    return NULL;

  return g_steal_pointer (&subject);
}

/* A subject a statement acts on: never the supervisor, and started. */
static FsScriptSubject *
parse_target (Checker                *checker,
              FsScriptStatementKind   kind,
              const char             *text,
              GError                **error)
{
  g_autoptr(FsScriptSubject) subject = parse_subject (checker, text, error);

  if (subject == NULL)
    return NULL;

  if (fs_script_subject_is_self (subject))
    {
      if (kind == FS_SCRIPT_STATEMENT_WAIT)
        g_set_error (error, FS_SCRIPT_ERROR, FS_SCRIPT_ERROR_SYNTAX,
                     _("a script cannot wait for the supervisor (self)"));
      else if (kind == FS_SCRIPT_STATEMENT_JOIN)
        g_set_error (error, FS_SCRIPT_ERROR, FS_SCRIPT_ERROR_SYNTAX,
                     _("a script cannot join the supervisor (self)"));
      else
        g_set_error (error, FS_SCRIPT_ERROR, FS_SCRIPT_ERROR_SYNTAX,
                     _("a script cannot signal the supervisor (self)"));
      return NULL;
    }

  if (kind == FS_SCRIPT_STATEMENT_JOIN && subject->path_len > 0)
    {
      g_set_error (error, FS_SCRIPT_ERROR, FS_SCRIPT_ERROR_SYNTAX,
                   _("only a process defined with \"process\" can be joined, not \"%s\" (its parent reaps it)"),
                   text);
      return NULL;
    }

  if (!check_started (checker, subject->root, error))
    return NULL;

  return g_steal_pointer (&subject);
}

FsFunctionInfo *
fs_script_lookup_function (FsPluginRegistry  *registry,
                           const char        *function,
                           GError           **error)
{
  const char *dot;
  g_autofree char *plugin_name = NULL;
  FsFunctionInfo *info;
  GListModel *plugins;

  g_return_val_if_fail (FS_IS_PLUGIN_REGISTRY (registry), NULL);
  g_return_val_if_fail (function != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  dot = strchr (function, '.');
  if (dot == NULL || dot == function || dot[1] == '\0')
    {
      g_set_error (error, FS_SCRIPT_ERROR, FS_SCRIPT_ERROR_SYNTAX,
                   _("\"%s\" is not a function name (write PLUGIN.FUNCTION, e.g. tutorial.sleep_print)"),
                   function);
      return NULL;
    }

  info = fs_plugin_registry_lookup (registry, function);
  if (info != NULL)
    return info;

  /* Say which of the three it is: the plugin is missing, cannot be used,
   * or has no such function. */
  plugin_name = g_strndup (function, dot - function);
  plugins = fs_plugin_registry_get_plugins (registry);
  for (guint i = 0; i < g_list_model_get_n_items (plugins); i++)
    {
      g_autoptr(FsPluginInfo) plugin = g_list_model_get_item (plugins, i);
      g_autoptr(GString) names = NULL;
      GListModel *functions;

      if (g_strcmp0 (fs_plugin_info_get_name (plugin), plugin_name) != 0)
        continue;

      if (!fs_plugin_info_get_available (plugin))
        {
          /* Translators: the first %s is a plugin's name, the second why
           * it cannot be used. */
          g_set_error (error, FS_SCRIPT_ERROR, FS_SCRIPT_ERROR_UNKNOWN_FUNCTION,
                       _("plugin \"%s\" is unavailable: %s"),
                       plugin_name, fs_plugin_info_get_reason (plugin));
          return NULL;
        }

      names = g_string_new (NULL);
      functions = fs_plugin_info_get_functions (plugin);
      for (guint j = 0; j < g_list_model_get_n_items (functions); j++)
        {
          g_autoptr(FsFunctionInfo) each = g_list_model_get_item (functions, j);

          if (names->len > 0)
            g_string_append (names, ", ");
          g_string_append (names, fs_function_info_get_name (each));
        }
      g_set_error (error, FS_SCRIPT_ERROR, FS_SCRIPT_ERROR_UNKNOWN_FUNCTION,
                   _("unknown function \"%s\" (plugin \"%s\" has %s)"),
                   function, plugin_name, names->str);
      return NULL;
    }

  g_set_error (error, FS_SCRIPT_ERROR, FS_SCRIPT_ERROR_UNKNOWN_FUNCTION,
               _("unknown function \"%s\" (there is no plugin \"%s\"; forkscope-cli plugins lists them)"),
               function, plugin_name);
  return NULL;
}

static FsScriptProcessDef *
parse_process_args (GPtrArray         *tokens,
                    guint              first,
                    FsPluginRegistry  *registry,
                    GError           **error)
{
  const char *name;
  const char *function;
  const char *dot;
  gboolean daemon = FALSE;
  g_autoptr(GStrvBuilder) args = g_strv_builder_new ();
  g_autoptr(GHashTable) keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_auto(GStrv) arg_strv = NULL;
  g_autoptr(FsScriptProcessDef) def = NULL;

  if (tokens->len < first + 2)
    {
      g_set_error (error, FS_SCRIPT_ERROR, FS_SCRIPT_ERROR_SYNTAX,
                   _("missing arguments (usage: %s)"),
                   statement_usage[FS_SCRIPT_STATEMENT_PROCESS]);
      return NULL;
    }

  name = TOKEN (tokens, first);
  function = TOKEN (tokens, first + 1);

  for (guint i = 0; i < G_N_ELEMENTS (reserved_names); i++)
    {
      if (g_str_equal (name, reserved_names[i]))
        {
          g_set_error (error, FS_SCRIPT_ERROR, FS_SCRIPT_ERROR_SYNTAX,
                       _("\"%s\" is a reserved word and cannot name a process"), name);
          return NULL;
        }
    }
  if (!fs_script_is_valid_name (name))
    {
      g_set_error (error, FS_SCRIPT_ERROR, FS_SCRIPT_ERROR_SYNTAX,
                   _("\"%s\" is not a valid process name (letters, digits, \"_\", \"-\" and \".\", starting with a letter or \"_\", at most 64)"),
                   name);
      return NULL;
    }

  dot = strchr (function, '.');
  if (dot == NULL || dot == function || dot[1] == '\0')
    {
      g_set_error (error, FS_SCRIPT_ERROR, FS_SCRIPT_ERROR_SYNTAX,
                   _("\"%s\" is not a function name (write PLUGIN.FUNCTION, e.g. tutorial.sleep_print)"),
                   function);
      return NULL;
    }

  for (guint i = first + 2; i < tokens->len; i++)
    {
      const char *arg = TOKEN (tokens, i);
      const char *eq = strchr (arg, '=');
      g_autofree char *key = NULL;

      if (eq == NULL && g_str_equal (arg, "daemon"))
        {
          daemon = TRUE;
          continue;
        }
      if (eq == NULL || eq == arg)
        {
          g_set_error (error, FS_SCRIPT_ERROR, FS_SCRIPT_ERROR_SYNTAX,
                       _("\"%s\" is not a KEY=VALUE argument (nor the word daemon)"), arg);
          return NULL;
        }
      key = g_strndup (arg, eq - arg);
      if (g_hash_table_contains (keys, key))
        {
          g_set_error (error, FS_SCRIPT_ERROR, FS_SCRIPT_ERROR_SYNTAX,
                       _("parameter \"%s\" is given twice"), key);
          return NULL;
        }
      g_hash_table_add (keys, g_steal_pointer (&key));
      g_strv_builder_add (args, arg);
    }

  arg_strv = g_strv_builder_end (args);
  def = fs_script_process_def_new (name, function, daemon, (const char * const *) arg_strv);

  if (registry != NULL)
    {
      FsFunctionInfo *info = fs_script_lookup_function (registry, function, error);
      g_autoptr(GError) local_error = NULL;

      if (info == NULL)
        return NULL;

      def->checked_args = fs_function_info_check_args (info, (const char * const *) def->args,
                                                       &local_error);
      if (def->checked_args == NULL)
        {
          g_set_error_literal (error, FS_SCRIPT_ERROR, FS_SCRIPT_ERROR_INVALID_ARGUMENT,
                               local_error != NULL ? local_error->message : _("invalid arguments"));
          return NULL;
        }
      def->plugin_path = g_strdup (fs_function_info_get_plugin_path (info));
    }

  return g_steal_pointer (&def);
}

FsScriptProcessDef *
fs_script_parse_process_line (const char        *text,
                              FsPluginRegistry  *registry,
                              GError           **error)
{
  g_autoptr(GPtrArray) tokens = NULL;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (registry == NULL || FS_IS_PLUGIN_REGISTRY (registry), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (strpbrk (text, "\n") != NULL)
    {
      g_set_error (error, FS_SCRIPT_ERROR, FS_SCRIPT_ERROR_SYNTAX,
                   _("a process definition is one line"));
      return NULL;
    }

  tokens = fs_script_tokenize (text, NULL, error);
  if (tokens == NULL)
    return NULL;

  return parse_process_args (tokens, 0, registry, error);
}

static gboolean
parse_set (Checker            *checker,
           GPtrArray          *tokens,
           FsScriptStatement  *st,
           GError            **error)
{
  const char *what;
  const char *value;

  if (!check_arity (st->kind, tokens, 2, 2, error))
    return FALSE;

  what = TOKEN (tokens, 1);
  value = TOKEN (tokens, 2);

  if (g_str_equal (what, "reap"))
    {
      st->set_reap = TRUE;
      if (g_str_equal (value, "auto"))
        st->reap_policy = FS_REAP_AUTO;
      else if (g_str_equal (value, "join"))
        st->reap_policy = FS_REAP_JOIN;
      else
        {
          g_set_error (error, FS_SCRIPT_ERROR, FS_SCRIPT_ERROR_SYNTAX,
                       _("\"%s\" is not a reaping policy (auto or join)"), value);
          return FALSE;
        }
    }
  else if (g_str_equal (what, "subreaper"))
    {
      if (g_str_equal (value, "on"))
        st->subreaper = TRUE;
      else if (g_str_equal (value, "off"))
        st->subreaper = FALSE;
      else
        {
          g_set_error (error, FS_SCRIPT_ERROR, FS_SCRIPT_ERROR_SYNTAX,
                       _("\"%s\" is not a value for subreaper (on or off)"), value);
          return FALSE;
        }
    }
  else
    {
      g_set_error (error, FS_SCRIPT_ERROR, FS_SCRIPT_ERROR_SYNTAX,
                   _("unknown setting \"%s\" (reap or subreaper)"), what);
      return FALSE;
    }

  return TRUE;
}

static gboolean
parse_process (Checker            *checker,
               GPtrArray          *tokens,
               FsScriptStatement  *st,
               GError            **error)
{
  gpointer line;

  if (tokens->len >= 2 &&
      g_hash_table_lookup_extended (checker->defined, TOKEN (tokens, 1), NULL, &line))
    {
      g_set_error (error, FS_SCRIPT_ERROR, FS_SCRIPT_ERROR_ORDER,
                   _("process \"%s\" is already defined on line %u"),
                   TOKEN (tokens, 1), GPOINTER_TO_UINT (line));
      return FALSE;
    }

  st->def = parse_process_args (tokens, 1, checker->registry, error);

  /* Known from here on even if its function is wrong: one mistake should
   * give one message, not one for every line that uses the name. */
  if (tokens->len >= 2 && fs_script_is_valid_name (TOKEN (tokens, 1)))
    g_hash_table_insert (checker->defined, g_strdup (TOKEN (tokens, 1)),
                         GUINT_TO_POINTER (st->line));

  return st->def != NULL;
}

static gboolean
parse_start (Checker            *checker,
             GPtrArray          *tokens,
             FsScriptStatement  *st,
             GError            **error)
{
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();

  if (!check_arity (st->kind, tokens, 1, G_MAXUINT, error))
    return FALSE;

  for (guint i = 1; i < tokens->len; i++)
    {
      const char *name = TOKEN (tokens, i);
      gpointer line;

      if (!check_known (checker, name, error))
        return FALSE;

      if (g_hash_table_lookup_extended (checker->started, name, NULL, &line))
        {
          g_set_error (error, FS_SCRIPT_ERROR, FS_SCRIPT_ERROR_ORDER,
                       _("process \"%s\" is started twice (first on line %u); a process can be started only once"),
                       name, GPOINTER_TO_UINT (line));
          return FALSE;
        }
      g_hash_table_insert (checker->started, g_strdup (name), GUINT_TO_POINTER (st->line));
      g_strv_builder_add (names, name);
    }

  st->names = g_strv_builder_end (names);
  return TRUE;
}

static gboolean
parse_join (Checker            *checker,
            GPtrArray          *tokens,
            FsScriptStatement  *st,
            GError            **error)
{
  if (!check_arity (st->kind, tokens, 1, 2, error))
    return FALSE;

  st->subject = parse_target (checker, st->kind, TOKEN (tokens, 1), error);
  if (st->subject == NULL)
    return FALSE;

  if (tokens->len == 3)
    {
      if (!parse_seconds (TOKEN (tokens, 2), TRUE, &st->seconds, error))
        return FALSE;
      st->has_seconds = TRUE;
    }

  return TRUE;
}

static gboolean
parse_signal_statement (Checker            *checker,
                        GPtrArray          *tokens,
                        FsScriptStatement  *st,
                        GError            **error)
{
  guint n_args = st->kind == FS_SCRIPT_STATEMENT_SIGNAL ? 2 : 1;

  if (!check_arity (st->kind, tokens, n_args, n_args, error))
    return FALSE;

  st->subject = parse_target (checker, st->kind, TOKEN (tokens, 1), error);
  if (st->subject == NULL)
    return FALSE;

  switch (st->kind)
    {
    case FS_SCRIPT_STATEMENT_TERMINATE:
      st->signum = SIGTERM;
      break;
    case FS_SCRIPT_STATEMENT_KILL:
      st->signum = SIGKILL;
      break;
    case FS_SCRIPT_STATEMENT_INTERRUPT:
      st->signum = SIGINT;
      break;
    case FS_SCRIPT_STATEMENT_SIGNAL:
      return parse_signal (TOKEN (tokens, 2), &st->signum, error);
    default:
      g_assert_not_reached ();
    }

  return TRUE;
}

static gboolean
parse_wait (Checker            *checker,
            GPtrArray          *tokens,
            FsScriptStatement  *st,
            GError            **error)
{
  const char *condition;
  gboolean found = FALSE;

  if (!check_arity (st->kind, tokens, 2, 3, error))
    return FALSE;

  st->subject = parse_target (checker, st->kind, TOKEN (tokens, 1), error);
  if (st->subject == NULL)
    return FALSE;

  condition = TOKEN (tokens, 2);
  st->condition_text = g_strdup (condition);

  if (g_str_equal (condition, "exited"))
    {
      st->condition = FS_SCRIPT_CONDITION_EXITED;
      found = TRUE;
    }
  else if (g_str_equal (condition, "orphaned"))
    {
      st->condition = FS_SCRIPT_CONDITION_ORPHANED;
      found = TRUE;
    }
  else
    {
      /* "created" is a state, but nothing ever becomes created. */
      for (guint i = 1; i < G_N_ELEMENTS (script_states); i++)
        {
          if (g_str_equal (condition, script_states[i].name))
            {
              st->condition = FS_SCRIPT_CONDITION_STATE;
              st->condition_state = script_states[i].state;
              found = TRUE;
              break;
            }
        }
    }

  if (!found)
    {
      g_set_error (error, FS_SCRIPT_ERROR, FS_SCRIPT_ERROR_SYNTAX,
                   _("unknown condition \"%s\" (one of running, stopped, zombie, reaped, gone, exited, orphaned)"),
                   condition);
      return FALSE;
    }

  if (tokens->len == 4)
    {
      if (!parse_seconds (TOKEN (tokens, 3), TRUE, &st->seconds, error))
        return FALSE;
      st->has_seconds = TRUE;
    }

  return TRUE;
}

static gboolean
parse_sleep (Checker            *checker,
             GPtrArray          *tokens,
             FsScriptStatement  *st,
             GError            **error)
{
  if (!check_arity (st->kind, tokens, 1, 1, error))
    return FALSE;

  st->has_seconds = TRUE;
  return parse_seconds (TOKEN (tokens, 1), FALSE, &st->seconds, error);
}

static gboolean
parse_say (Checker            *checker,
           GPtrArray          *tokens,
           FsScriptStatement  *st,
           GError            **error)
{
  GString *text;

  if (!check_arity (st->kind, tokens, 1, G_MAXUINT, error))
    return FALSE;

  /* Like echo: the words joined by one space. */
  text = g_string_new (NULL);
  for (guint i = 1; i < tokens->len; i++)
    {
      if (i > 1)
        g_string_append_c (text, ' ');
      g_string_append (text, TOKEN (tokens, i));
    }
  st->say = g_string_free (text, FALSE);

  return TRUE;
}

typedef enum
{
  FIELD_NUMBER,
  FIELD_BOOL,
  FIELD_STATE,
  FIELD_STRING,
} FieldType;

static FieldType
field_type (FsScriptField field)
{
  switch (field)
    {
    case FS_SCRIPT_FIELD_PID:
    case FS_SCRIPT_FIELD_PPID:
    case FS_SCRIPT_FIELD_EXITCODE:
    case FS_SCRIPT_FIELD_CHILDREN:
      return FIELD_NUMBER;
    case FS_SCRIPT_FIELD_ALIVE:
    case FS_SCRIPT_FIELD_DAEMON:
    case FS_SCRIPT_FIELD_ORPHAN:
      return FIELD_BOOL;
    case FS_SCRIPT_FIELD_STATE:
      return FIELD_STATE;
    case FS_SCRIPT_FIELD_NAME:
    case FS_SCRIPT_FIELD_STDOUT:
    case FS_SCRIPT_FIELD_STDERR:
      return FIELD_STRING;
    default:
      g_assert_not_reached ();
    }
}

static gboolean
parse_expect_value (Checker            *checker,
                    FsScriptStatement  *st,
                    const char         *text,
                    GError            **error)
{
  FsScriptValue *value = &st->value;
  const char *field = field_names[st->field];

  value->s = g_strdup (text);

  switch (field_type (st->field))
    {
    case FIELD_STRING:
      value->kind = FS_SCRIPT_VALUE_STRING;
      return TRUE;

    case FIELD_BOOL:
      value->kind = FS_SCRIPT_VALUE_BOOL;
      if (g_str_equal (text, "true"))
        value->i = 1;
      else if (g_str_equal (text, "false"))
        value->i = 0;
      else
        {
          g_set_error (error, FS_SCRIPT_ERROR, FS_SCRIPT_ERROR_SYNTAX,
                       _("\"%s\" is not a value for %s (true or false)"), text, field);
          return FALSE;
        }
      return TRUE;

    case FIELD_STATE:
      value->kind = FS_SCRIPT_VALUE_STATE;
      for (guint i = 0; i < G_N_ELEMENTS (script_states); i++)
        {
          if (g_str_equal (text, script_states[i].name))
            {
              value->state = script_states[i].state;
              return TRUE;
            }
        }
      g_set_error (error, FS_SCRIPT_ERROR, FS_SCRIPT_ERROR_SYNTAX,
                   _("\"%s\" is not a state (one of created, running, stopped, zombie, reaped, gone)"),
                   text);
      return FALSE;

    case FIELD_NUMBER:
      if (g_str_equal (text, "none") && st->field != FS_SCRIPT_FIELD_CHILDREN)
        {
          if (st->op != FS_SCRIPT_OP_EQ && st->op != FS_SCRIPT_OP_NE)
            {
              g_set_error (error, FS_SCRIPT_ERROR, FS_SCRIPT_ERROR_SYNTAX,
                           _("none can only be compared with == or !="));
              return FALSE;
            }
          value->kind = FS_SCRIPT_VALUE_NONE;
          return TRUE;
        }
      if (parse_int (text, &value->i) &&
          (st->field == FS_SCRIPT_FIELD_EXITCODE || value->i >= 0))
        {
          value->kind = FS_SCRIPT_VALUE_INT;
          return TRUE;
        }
      if (st->field == FS_SCRIPT_FIELD_EXITCODE && text[0] == '-' &&
          !g_ascii_isdigit (text[1]))
        {
          int signum;

          if (!parse_signal (text + 1, &signum, error))
            return FALSE;
          value->kind = FS_SCRIPT_VALUE_INT;
          value->i = -signum;
          return TRUE;
        }
      if ((st->field == FS_SCRIPT_FIELD_PID || st->field == FS_SCRIPT_FIELD_PPID) &&
          (g_str_equal (text, "self") || fs_script_is_valid_name (text) ||
           strchr (text, '/') != NULL))
        {
          value->subject = parse_subject (checker, text, error);
          if (value->subject == NULL)
            return FALSE;
          value->kind = FS_SCRIPT_VALUE_SUBJECT;
          return TRUE;
        }

      switch (st->field)
        {
        case FS_SCRIPT_FIELD_EXITCODE:
          g_set_error (error, FS_SCRIPT_ERROR, FS_SCRIPT_ERROR_SYNTAX,
                       _("\"%s\" is not an exit code (a number, -SIGNAL such as -SIGTERM, or none)"),
                       text);
          break;
        case FS_SCRIPT_FIELD_CHILDREN:
          g_set_error (error, FS_SCRIPT_ERROR, FS_SCRIPT_ERROR_SYNTAX,
                       _("\"%s\" is not a number of children"), text);
          break;
        default:
          g_set_error (error, FS_SCRIPT_ERROR, FS_SCRIPT_ERROR_SYNTAX,
                       _("\"%s\" is not a value for %s (a number, a process such as self or NAME/1, or none)"),
                       text, field);
          break;
        }
      return FALSE;

    default:
      g_assert_not_reached ();
    }
}

static gboolean
parse_expect (Checker            *checker,
              GPtrArray          *tokens,
              FsScriptStatement  *st,
              GError            **error)
{
  const char *field;
  const char *op;
  gboolean found = FALSE;
  FieldType type;

  if (!check_arity (st->kind, tokens, 4, 4, error))
    return FALSE;

  st->subject = parse_subject (checker, TOKEN (tokens, 1), error);
  if (st->subject == NULL)
    return FALSE;

  field = TOKEN (tokens, 2);
  for (guint i = 0; i < G_N_ELEMENTS (field_names); i++)
    {
      if (g_str_equal (field, field_names[i]))
        {
          st->field = i;
          found = TRUE;
          break;
        }
    }
  if (!found)
    {
      g_set_error (error, FS_SCRIPT_ERROR, FS_SCRIPT_ERROR_SYNTAX,
                   _("unknown field \"%s\" (one of pid, ppid, alive, state, exitcode, daemon, name, children, orphan, stdout, stderr)"),
                   field);
      return FALSE;
    }

  op = TOKEN (tokens, 3);
  found = FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (op_names); i++)
    {
      if (g_str_equal (op, op_names[i]))
        {
          st->op = i;
          found = TRUE;
          break;
        }
    }
  if (!found)
    {
      g_set_error (error, FS_SCRIPT_ERROR, FS_SCRIPT_ERROR_SYNTAX,
                   _("unknown operator \"%s\" (one of == != < <= > >= ~)"), op);
      return FALSE;
    }

  type = field_type (st->field);
  if (type == FIELD_NUMBER && st->op == FS_SCRIPT_OP_CONTAINS)
    {
      g_set_error (error, FS_SCRIPT_ERROR, FS_SCRIPT_ERROR_SYNTAX,
                   _("operator ~ (contains) does not apply to %s, a number"), field);
      return FALSE;
    }
  if ((type == FIELD_BOOL || type == FIELD_STATE) &&
      st->op != FS_SCRIPT_OP_EQ && st->op != FS_SCRIPT_OP_NE)
    {
      g_set_error (error, FS_SCRIPT_ERROR, FS_SCRIPT_ERROR_SYNTAX,
                   _("operator %s does not apply to %s (use == or !=)"), op, field);
      return FALSE;
    }
  if (type == FIELD_STRING &&
      st->op != FS_SCRIPT_OP_EQ && st->op != FS_SCRIPT_OP_NE &&
      st->op != FS_SCRIPT_OP_CONTAINS)
    {
      g_set_error (error, FS_SCRIPT_ERROR, FS_SCRIPT_ERROR_SYNTAX,
                   _("operator %s does not apply to %s (use ==, != or ~)"), op, field);
      return FALSE;
    }

  return parse_expect_value (checker, st, TOKEN (tokens, 4), error);
}

typedef gboolean (*ParseFunc) (Checker            *checker,
                               GPtrArray          *tokens,
                               FsScriptStatement  *st,
                               GError            **error);

static const ParseFunc parse_funcs[] = {
  [FS_SCRIPT_STATEMENT_SET] = parse_set,
  [FS_SCRIPT_STATEMENT_PROCESS] = parse_process,
  [FS_SCRIPT_STATEMENT_START] = parse_start,
  [FS_SCRIPT_STATEMENT_JOIN] = parse_join,
  [FS_SCRIPT_STATEMENT_TERMINATE] = parse_signal_statement,
  [FS_SCRIPT_STATEMENT_KILL] = parse_signal_statement,
  [FS_SCRIPT_STATEMENT_INTERRUPT] = parse_signal_statement,
  [FS_SCRIPT_STATEMENT_SIGNAL] = parse_signal_statement,
  [FS_SCRIPT_STATEMENT_WAIT] = parse_wait,
  [FS_SCRIPT_STATEMENT_SLEEP] = parse_sleep,
  [FS_SCRIPT_STATEMENT_SAY] = parse_say,
  [FS_SCRIPT_STATEMENT_EXPECT] = parse_expect,
};

static FsScriptStatement *
parse_statement (Checker     *checker,
                 guint        line,
                 const char  *text,
                 GPtrArray   *tokens,
                 GError     **error)
{
  FsScriptStatement *st;
  const char *keyword = TOKEN (tokens, 0);
  int kind = -1;

  for (guint i = 0; i < G_N_ELEMENTS (statement_names); i++)
    {
      if (g_str_equal (keyword, statement_names[i]))
        {
          kind = i;
          break;
        }
    }
  if (kind < 0)
    {
      g_set_error (error, FS_SCRIPT_ERROR, FS_SCRIPT_ERROR_UNKNOWN_STATEMENT,
                   _("unknown statement \"%s\" (one of set, process, start, join, terminate, kill, interrupt, signal, wait, sleep, say, expect)"),
                   keyword);
      return NULL;
    }

  st = g_new0 (FsScriptStatement, 1);
  st->kind = kind;
  st->line = line;
  st->text = g_strdup (text);

  if (!parse_funcs[kind] (checker, tokens, st, error))
    {
      statement_free (st);
      return NULL;
    }

  return st;
}

static void
read_header (FsScript    *self,
             char       **lines)
{
  g_autoptr(GString) description = g_string_new (NULL);
  gboolean new_paragraph = FALSE;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autofree char *text = NULL;
      const char *line = lines[i];

      while (*line == ' ' || *line == '\t')
        line++;
      if (*line != '#')
        break;
      if (i == 0 && g_str_has_prefix (line, "#!"))
        continue;

      text = g_strstrip (g_strdup (line + 1));

      if (self->title == NULL)
        {
          if (*text != '\0')
            self->title = g_steal_pointer (&text);
          continue;
        }

      if (*text == '\0')
        {
          new_paragraph = description->len > 0;
          continue;
        }

      if (new_paragraph)
        g_string_append (description, "\n\n");
      else if (description->len > 0)
        g_string_append_c (description, ' ');
      g_string_append (description, text);
      new_paragraph = FALSE;
    }

  if (description->len > 0)
    self->description = g_string_free (g_steal_pointer (&description), FALSE);
}

static void
add_error (GString    *errors,
           guint      *n_errors,
           const char *filename,
           guint       line,
           const char *message)
{
  (*n_errors)++;
  if (*n_errors > MAX_ERRORS)
    return;
  if (errors->len > 0)
    g_string_append_c (errors, '\n');
  g_string_append_printf (errors, "%s:%u: %s", filename, line, message);
}

FsScript *
fs_script_new_from_text (const char        *text,
                         gssize             length,
                         const char        *filename,
                         FsPluginRegistry  *registry,
                         GError           **error)
{
  g_autoptr(FsScript) self = NULL;
  g_autofree char *copy = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GString) errors = g_string_new (NULL);
  guint n_errors = 0;
  int first_code = -1;
  Checker checker = { 0 };

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (filename != NULL, NULL);
  g_return_val_if_fail (registry == NULL || FS_IS_PLUGIN_REGISTRY (registry), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (length < 0)
    length = strlen (text);

  self = g_object_new (FS_TYPE_SCRIPT, NULL);
  self->filename = g_strdup (filename);
  self->checked = registry != NULL;

  /* A NUL in the middle must not silently end the script. */
  if (memchr (text, '\0', length) != NULL)
    {
      g_set_error (error, FS_SCRIPT_ERROR, FS_SCRIPT_ERROR_SYNTAX,
                   _("%s: not a text file (it contains NUL bytes)"), filename);
      return NULL;
    }

  copy = g_strndup (text, length);
  /* A byte-order mark some editors write is not part of the first word. */
  lines = g_strsplit (g_str_has_prefix (copy, "\xef\xbb\xbf") ? copy + 3 : copy, "\n", -1);

  read_header (self, lines);

  checker.registry = registry;
  checker.all_definitions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  checker.defined = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  checker.started = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  checker.broken = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  /* First pass: where each process is defined, for a better message when
   * a name is used too early; and the names that cannot be a process ("a
   * b", self): their definition is reported, their uses are not. */
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(GPtrArray) tokens = fs_script_tokenize (lines[i], NULL, NULL);

      if (tokens == NULL || tokens->len < 2 || !g_str_equal (TOKEN (tokens, 0), "process"))
        continue;
      if (!fs_script_is_valid_name (TOKEN (tokens, 1)))
        g_hash_table_add (checker.broken, g_strdup (TOKEN (tokens, 1)));
      else if (!g_hash_table_contains (checker.all_definitions, TOKEN (tokens, 1)))
        g_hash_table_insert (checker.all_definitions, g_strdup (TOKEN (tokens, 1)),
                             GUINT_TO_POINTER (i + 1));
    }

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(GError) local_error = NULL;
      g_autoptr(GPtrArray) tokens = NULL;
      g_autofree char *statement_text = NULL;
      FsScriptStatement *st;
      gsize code_length = 0;
      guint line = i + 1;

      tokens = fs_script_tokenize (lines[i], &code_length, &local_error);
      if (tokens == NULL)
        {
          if (first_code < 0)
            first_code = local_error->code;
          add_error (errors, &n_errors, filename, line, local_error->message);
          continue;
        }
      if (tokens->len == 0)
        continue;

      statement_text = g_strstrip (g_strndup (lines[i], code_length));
      st = parse_statement (&checker, line, statement_text, tokens, &local_error);
      if (st == NULL && local_error->domain == already_reported_quark ())
        continue;
      if (st == NULL)
        {
          if (first_code < 0)
            first_code = local_error->code;
          add_error (errors, &n_errors, filename, line, local_error->message);
          continue;
        }

      if (st->kind == FS_SCRIPT_STATEMENT_PROCESS)
        g_hash_table_insert (self->processes, st->def->name, st->def);
      g_ptr_array_add (self->statements, st);
    }

  g_hash_table_unref (checker.all_definitions);
  g_hash_table_unref (checker.defined);
  g_hash_table_unref (checker.started);
  g_hash_table_unref (checker.broken);

  if (n_errors > 0)
    {
      if (n_errors > MAX_ERRORS)
        {
          g_string_append_c (errors, '\n');
          g_string_append_printf (errors,
                                  /* Translators: %s is a file name. */
                                  _("%s: too many errors (%u); stopped reporting them"),
                                  filename, n_errors);
        }
      g_set_error_literal (error, FS_SCRIPT_ERROR, first_code, errors->str);
      return NULL;
    }

  return g_steal_pointer (&self);
}

/* Reads @fd to its end, but no further than a script may go: a device or
 * a pipe has no size to check first, and /dev/zero never ends. */
static char *
read_script_fd (int          fd,
                const char  *filename,
                gsize       *length,
                GError     **error)
{
  g_autoptr(GString) text = g_string_new (NULL);
  char buffer[16384];

  for (;;)
    {
      ssize_t n = read (fd, buffer, sizeof buffer);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved = errno;

          g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                       _("%s: cannot be read: %s"), filename, g_strerror (saved));
          return NULL;
        }
      if (n == 0)
        break;
      if (text->len + n > MAX_SCRIPT_SIZE)
        {
          /* Translators: %s is a file name, or <stdin>. */
          g_set_error (error, FS_SCRIPT_ERROR, FS_SCRIPT_ERROR_SYNTAX,
                       _("%s: too large for a script (more than 1 MiB)"), filename);
          return NULL;
        }
      g_string_append_len (text, buffer, n);
    }

  *length = text->len;
  return g_string_free (g_steal_pointer (&text), FALSE);
}

FsScript *
fs_script_new_from_fd (int                fd,
                       const char        *filename,
                       FsPluginRegistry  *registry,
                       GError           **error)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_return_val_if_fail (fd >= 0, NULL);
  g_return_val_if_fail (filename != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  contents = read_script_fd (fd, filename, &length, error);
  if (contents == NULL)
    return NULL;

  return fs_script_new_from_text (contents, length, filename, registry, error);
}

FsScript *
fs_script_new_from_file (const char        *path,
                         FsPluginRegistry  *registry,
                         GError           **error)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* A device or a pipe (/dev/zero, a FIFO): read with a bound, as it comes. */
  if (g_file_test (path, G_FILE_TEST_EXISTS) &&
      !g_file_test (path, G_FILE_TEST_IS_REGULAR) &&
      !g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      FsScript *script;
      int fd = open (path, O_RDONLY | O_CLOEXEC);

      if (fd < 0)
        {
          int saved = errno;

          g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                       _("%s: cannot be read: %s"), path, g_strerror (saved));
          return NULL;
        }
      script = fs_script_new_from_fd (fd, path, registry, error);
      close (fd);
      return script;
    }

  if (!g_file_get_contents (path, &contents, &length, error))
    return NULL;

  if (length > MAX_SCRIPT_SIZE)
    {
      g_autofree char *size = g_format_size (length);

      /* Translators: the first %s is a file name, the second a size. */
      g_set_error (error, FS_SCRIPT_ERROR, FS_SCRIPT_ERROR_SYNTAX,
                   _("%s: too large for a script (%s; at most 1 MiB)"), path, size);
      return NULL;
    }

  return fs_script_new_from_text (contents, length, path, registry, error);
}

const char *
fs_script_get_filename (FsScript *self)
{
  g_return_val_if_fail (FS_IS_SCRIPT (self), NULL);
  return self->filename;
}

const char *
fs_script_get_title (FsScript *self)
{
  g_return_val_if_fail (FS_IS_SCRIPT (self), NULL);
  return self->title;
}

const char *
fs_script_get_description (FsScript *self)
{
  g_return_val_if_fail (FS_IS_SCRIPT (self), NULL);
  return self->description;
}

gboolean
fs_script_get_checked (FsScript *self)
{
  g_return_val_if_fail (FS_IS_SCRIPT (self), FALSE);
  return self->checked;
}

guint
fs_script_get_n_statements (FsScript *self)
{
  g_return_val_if_fail (FS_IS_SCRIPT (self), 0);
  return self->statements->len;
}

const FsScriptStatement *
fs_script_get_statement (FsScript *self,
                         guint     index)
{
  g_return_val_if_fail (FS_IS_SCRIPT (self), NULL);
  g_return_val_if_fail (index < self->statements->len, NULL);
  return g_ptr_array_index (self->statements, index);
}

int
fs_script_find_line (FsScript *self,
                     guint     line)
{
  g_return_val_if_fail (FS_IS_SCRIPT (self), -1);

  for (guint i = 0; i < self->statements->len; i++)
    {
      const FsScriptStatement *st = g_ptr_array_index (self->statements, i);

      if (st->line == line)
        return i;
    }
  return -1;
}

const FsScriptProcessDef *
fs_script_lookup_process (FsScript   *self,
                          const char *name)
{
  g_return_val_if_fail (FS_IS_SCRIPT (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);
  return g_hash_table_lookup (self->processes, name);
}

static int
compare_paths (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

GStrv
fs_script_list_lessons (void)
{
  const char *dir_path = fs_paths_get_lessondir ();
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) paths = g_ptr_array_new ();
  const char *name;

  dir = g_dir_open (dir_path, 0, NULL);
  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        if (g_str_has_suffix (name, ".forkscope"))
          g_ptr_array_add (paths, g_build_filename (dir_path, name, NULL));
    }

  g_ptr_array_sort (paths, compare_paths);
  g_ptr_array_add (paths, NULL);

  return (GStrv) g_ptr_array_free (g_steal_pointer (&paths), FALSE);
}

char *
fs_script_find_lesson (const char *name)
{
  g_autofree char *file = NULL;
  g_autofree char *path = NULL;

  g_return_val_if_fail (name != NULL, NULL);

  if (*name == '\0' || strchr (name, '/') != NULL)
    return NULL;

  file = g_str_has_suffix (name, ".forkscope") ? g_strdup (name)
                                               : g_strconcat (name, ".forkscope", NULL);
  path = g_build_filename (fs_paths_get_lessondir (), file, NULL);

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    return NULL;

  return g_steal_pointer (&path);
}

static void
fs_script_finalize (GObject *object)
{
  FsScript *self = FS_SCRIPT (object);

  g_free (self->filename);
  g_free (self->title);
  g_free (self->description);
  g_hash_table_unref (self->processes);
  g_ptr_array_unref (self->statements);

  G_OBJECT_CLASS (fs_script_parent_class)->finalize (object);
}

static void
fs_script_class_init (FsScriptClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = fs_script_finalize;
}

static void
fs_script_init (FsScript *self)
{
  self->statements = g_ptr_array_new_with_free_func (statement_free);
  self->processes = g_hash_table_new (g_str_hash, g_str_equal);
}
