/* fs-worker-definition.c
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "fs-worker-definition.h"

struct _FsWorkerDefinition
{
  GObject   parent_instance;

  char     *name;
  char     *function;
  GStrv     args;
  guint     daemon : 1;
};

enum {
  PROP_0,
  PROP_NAME,
  PROP_FUNCTION,
  PROP_DAEMON,
  PROP_ARGS,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (FsWorkerDefinition, fs_worker_definition, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];

static const char * const empty_strv[] = { NULL };

/* g_set_str() is GLib 2.76. */
static gboolean
set_str (char       **ptr,
         const char  *value)
{
  if (g_strcmp0 (*ptr, value) == 0)
    return FALSE;

  g_free (*ptr);
  *ptr = g_strdup (value);
  return TRUE;
}

static void
fs_worker_definition_finalize (GObject *object)
{
  FsWorkerDefinition *self = (FsWorkerDefinition *)object;

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->function, g_free);
  g_clear_pointer (&self->args, g_strfreev);

  G_OBJECT_CLASS (fs_worker_definition_parent_class)->finalize (object);
}

static void
fs_worker_definition_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  FsWorkerDefinition *self = FS_WORKER_DEFINITION (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case PROP_FUNCTION:
      g_value_set_string (value, self->function);
      break;

    case PROP_DAEMON:
      g_value_set_boolean (value, self->daemon);
      break;

    case PROP_ARGS:
      g_value_set_boxed (value, self->args);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fs_worker_definition_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  FsWorkerDefinition *self = FS_WORKER_DEFINITION (object);

  switch (prop_id)
    {
    case PROP_NAME:
      fs_worker_definition_set_name (self, g_value_get_string (value));
      break;

    case PROP_FUNCTION:
      fs_worker_definition_set_function (self, g_value_get_string (value));
      break;

    case PROP_DAEMON:
      fs_worker_definition_set_daemon (self, g_value_get_boolean (value));
      break;

    case PROP_ARGS:
      fs_worker_definition_set_args (self, g_value_get_boxed (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fs_worker_definition_class_init (FsWorkerDefinitionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = fs_worker_definition_finalize;
  object_class->get_property = fs_worker_definition_get_property;
  object_class->set_property = fs_worker_definition_set_property;

  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL,
                         "",
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_FUNCTION] =
    g_param_spec_string ("function", NULL, NULL,
                         "",
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_DAEMON] =
    g_param_spec_boolean ("daemon", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_ARGS] =
    g_param_spec_boxed ("args", NULL, NULL,
                        G_TYPE_STRV,
                        (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
fs_worker_definition_init (FsWorkerDefinition *self)
{
  self->name = g_strdup ("");
  self->function = g_strdup ("");
  self->args = g_strdupv ((char **)empty_strv);
}

FsWorkerDefinition *
fs_worker_definition_new (const char         *name,
                          const char         *function,
                          gboolean            daemon,
                          const char * const *args)
{
  return g_object_new (FS_TYPE_WORKER_DEFINITION,
                       "name", name,
                       "function", function,
                       "daemon", daemon,
                       "args", args,
                       NULL);
}

FsWorkerDefinition *
fs_worker_definition_copy (FsWorkerDefinition *self)
{
  g_return_val_if_fail (FS_IS_WORKER_DEFINITION (self), NULL);

  return fs_worker_definition_new (self->name,
                                   self->function,
                                   self->daemon,
                                   (const char * const *)self->args);
}

void
fs_worker_definition_assign (FsWorkerDefinition *self,
                             FsWorkerDefinition *other)
{
  g_return_if_fail (FS_IS_WORKER_DEFINITION (self));
  g_return_if_fail (FS_IS_WORKER_DEFINITION (other));

  if (self == other)
    return;

  g_object_freeze_notify (G_OBJECT (self));
  fs_worker_definition_set_name (self, other->name);
  fs_worker_definition_set_function (self, other->function);
  fs_worker_definition_set_daemon (self, other->daemon);
  fs_worker_definition_set_args (self, (const char * const *)other->args);
  g_object_thaw_notify (G_OBJECT (self));
}

gboolean
fs_worker_definition_equal (FsWorkerDefinition *a,
                            FsWorkerDefinition *b)
{
  g_return_val_if_fail (FS_IS_WORKER_DEFINITION (a), FALSE);
  g_return_val_if_fail (FS_IS_WORKER_DEFINITION (b), FALSE);

  return g_str_equal (a->name, b->name) &&
         g_str_equal (a->function, b->function) &&
         a->daemon == b->daemon &&
         g_strv_equal ((const char * const *)a->args, (const char * const *)b->args);
}

const char *
fs_worker_definition_get_name (FsWorkerDefinition *self)
{
  g_return_val_if_fail (FS_IS_WORKER_DEFINITION (self), NULL);

  return self->name;
}

void
fs_worker_definition_set_name (FsWorkerDefinition *self,
                               const char         *name)
{
  g_return_if_fail (FS_IS_WORKER_DEFINITION (self));

  if (name == NULL)
    name = "";

  if (set_str (&self->name, name))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
}

const char *
fs_worker_definition_get_function (FsWorkerDefinition *self)
{
  g_return_val_if_fail (FS_IS_WORKER_DEFINITION (self), NULL);

  return self->function;
}

void
fs_worker_definition_set_function (FsWorkerDefinition *self,
                                   const char         *function)
{
  g_return_if_fail (FS_IS_WORKER_DEFINITION (self));

  if (function == NULL)
    function = "";

  if (set_str (&self->function, function))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FUNCTION]);
}

gboolean
fs_worker_definition_get_daemon (FsWorkerDefinition *self)
{
  g_return_val_if_fail (FS_IS_WORKER_DEFINITION (self), FALSE);

  return self->daemon;
}

void
fs_worker_definition_set_daemon (FsWorkerDefinition *self,
                                 gboolean            daemon)
{
  g_return_if_fail (FS_IS_WORKER_DEFINITION (self));

  daemon = !!daemon;

  if (self->daemon != daemon)
    {
      self->daemon = daemon;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DAEMON]);
    }
}

const char * const *
fs_worker_definition_get_args (FsWorkerDefinition *self)
{
  g_return_val_if_fail (FS_IS_WORKER_DEFINITION (self), NULL);

  return (const char * const *)self->args;
}

void
fs_worker_definition_set_args (FsWorkerDefinition *self,
                               const char * const *args)
{
  g_return_if_fail (FS_IS_WORKER_DEFINITION (self));

  if (args == NULL)
    args = empty_strv;

  if (g_strv_equal ((const char * const *)self->args, args))
    return;

  g_strfreev (self->args);
  self->args = g_strdupv ((char **)args);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ARGS]);
}

const char *
fs_worker_definition_get_arg (FsWorkerDefinition *self,
                              const char         *key)
{
  gsize key_len;

  g_return_val_if_fail (FS_IS_WORKER_DEFINITION (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  key_len = strlen (key);

  for (guint i = 0; self->args[i]; i++)
    {
      if (strncmp (self->args[i], key, key_len) == 0 && self->args[i][key_len] == '=')
        return self->args[i] + key_len + 1;
    }

  return NULL;
}

/* The lesson language's quoting (fs_script_quote() in the script engine):
 * words made of these need none; non-ASCII bytes are fine (进程). */
static gboolean
word_is_plain (const char *word)
{
  if (*word == '\0')
    return FALSE;

  for (const char *p = word; *p; p++)
    {
      if (!((guchar)*p >= 0x80 || g_ascii_isalnum (*p) || strchr ("_-.,/:=+@%^~", *p) != NULL))
        return FALSE;
    }

  return TRUE;
}

static char *
quote_word (const char *word)
{
  GString *out;

  if (word_is_plain (word))
    return g_strdup (word);

  if (strchr (word, '\'') == NULL)
    return g_strdup_printf ("'%s'", word);

  out = g_string_new ("\"");
  for (const char *p = word; *p; p++)
    {
      if (strchr ("\\\"$`", *p) != NULL)
        g_string_append_c (out, '\\');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');

  return g_string_free (out, FALSE);
}

static void
append_word (GString    *str,
             const char *word)
{
  g_autofree char *quoted = quote_word (word);

  if (str->len > 0)
    g_string_append_c (str, ' ');
  g_string_append (str, quoted);
}

/* KEY='some value' reads better than 'KEY=some value'. */
static void
append_arg (GString    *str,
            const char *arg)
{
  const char *eq = strchr (arg, '=');
  g_autofree char *raw_key = NULL;
  g_autofree char *key = NULL;
  g_autofree char *value = NULL;

  if (eq == NULL)
    {
      append_word (str, arg);
      return;
    }

  raw_key = g_strndup (arg, eq - arg);
  key = quote_word (raw_key);
  value = quote_word (eq + 1);
  if (str->len > 0)
    g_string_append_c (str, ' ');
  g_string_append_printf (str, "%s=%s", key, value);
}

char *
fs_worker_definition_format_args (FsWorkerDefinition *self)
{
  GString *str;

  g_return_val_if_fail (FS_IS_WORKER_DEFINITION (self), NULL);

  str = g_string_new (NULL);
  for (guint i = 0; self->args[i]; i++)
    append_arg (str, self->args[i]);

  return g_string_free (str, FALSE);
}

char *
fs_worker_definition_to_line (FsWorkerDefinition *self)
{
  GString *str;

  g_return_val_if_fail (FS_IS_WORKER_DEFINITION (self), NULL);

  str = g_string_new (NULL);
  append_word (str, "process");
  append_word (str, self->name);
  append_word (str, self->function);
  if (self->daemon)
    append_word (str, "daemon");
  for (guint i = 0; self->args[i]; i++)
    append_arg (str, self->args[i]);

  return g_string_free (str, FALSE);
}

/* The lesson language's rule for process names (fs_script_is_valid_name()
 * in the script engine, which has the last word): letters, digits, "_",
 * "-" and ".", starting with a letter or "_", at most 64 characters, and
 * not one of its reserved words. */
static const char * const reserved_names[] = { "self", "none", "true", "false" };

#define MAX_NAME_CHARS 64

gboolean
fs_worker_definition_check_name (const char  *name,
                                 GError     **error)
{
  guint n_chars = 0;

  g_return_val_if_fail (name != NULL, FALSE);

  if (name[0] == '\0')
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("A worker needs a name"));
      return FALSE;
    }

  if (!g_utf8_validate (name, -1, NULL))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("The name is not valid UTF-8 text"));
      return FALSE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (reserved_names); i++)
    {
      if (g_str_equal (name, reserved_names[i]))
        {
          /* Translators: %s is a word such as "self" that scripts reserve. */
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("“%s” is a reserved word in scripts; choose another name"), name);
          return FALSE;
        }
    }

  for (const char *p = name; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if ((n_chars == 0 && !(g_unichar_isalpha (c) || c == '_')) ||
          !(g_unichar_isalnum (c) || c == '_' || c == '-' || c == '.'))
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               _("Use letters, digits, “_”, “-” and “.”, starting with a letter or “_”"));
          return FALSE;
        }
      n_chars++;
    }

  if (n_chars > MAX_NAME_CHARS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   ngettext ("A name has at most %u character", "A name has at most %u characters",
                             MAX_NAME_CHARS),
                   MAX_NAME_CHARS);
      return FALSE;
    }

  return TRUE;
}

FsWorkerDefinition *
fs_worker_definition_new_from_line (const char  *line,
                                    GError     **error)
{
  g_auto(GStrv) argv = NULL;
  g_autoptr(GStrvBuilder) args = NULL;
  g_auto(GStrv) args_strv = NULL;
  g_autoptr(GError) local_error = NULL;
  gboolean daemon = FALSE;
  const char *name;
  const char *function;
  int argc = 0;
  int i = 0;

  g_return_val_if_fail (line != NULL, NULL);

  if (!g_shell_parse_argv (line, &argc, &argv, &local_error))
    {
      /* Translators: %s is why the line could not be split into words,
       * e.g. "Text ended before matching quote was found". */
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("Cannot read the statement: %s"), local_error->message);
      return NULL;
    }

  if (g_str_equal (argv[0], "process"))
    i++;

  if (argc - i < 2)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("Expected “process NAME FUNCTION [daemon] [KEY=VALUE …]”"));
      return NULL;
    }

  name = argv[i++];
  function = argv[i++];

  if (!fs_worker_definition_check_name (name, error))
    return NULL;

  if (strchr (function, '.') == NULL || function[0] == '.' || g_str_has_suffix (function, "."))
    {
      /* Translators: %s is what was found where a function name belongs. */
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("“%s” is not a function name of the form PLUGIN.FUNCTION"), function);
      return NULL;
    }

  if (i < argc && g_str_equal (argv[i], "daemon"))
    {
      daemon = TRUE;
      i++;
    }

  args = g_strv_builder_new ();
  for (; i < argc; i++)
    {
      const char *eq = strchr (argv[i], '=');

      if (eq == NULL || eq == argv[i])
        {
          /* Translators: %s is a word that should have been KEY=VALUE. */
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("“%s” is not an argument of the form KEY=VALUE"), argv[i]);
          return NULL;
        }
      g_strv_builder_add (args, argv[i]);
    }
  args_strv = g_strv_builder_end (args);

  return fs_worker_definition_new (name, function, daemon, (const char * const *)args_strv);
}
