/* fs-worker-definition.c
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "fs-plugin-info.h"
#include "fs-script.h"
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

  g_return_if_fail (strpbrk (name, "\r\n") == NULL);

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

  /* A definition is written as one line of a script. */
  for (guint i = 0; args[i] != NULL; i++)
    g_return_if_fail (strpbrk (args[i], "\r\n") == NULL);

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

/* KEY='some value' reads better than 'KEY=some value' (and is how
 * fs_script_format_process() writes it). */
static void
append_arg (GString    *str,
            const char *arg)
{
  const char *eq = strchr (arg, '=');
  g_autofree char *raw_key = NULL;
  g_autofree char *key = NULL;
  g_autofree char *value = NULL;

  if (str->len > 0)
    g_string_append_c (str, ' ');

  if (eq == NULL)
    {
      g_autofree char *word = fs_script_quote (arg);

      g_string_append (str, word);
      return;
    }

  raw_key = g_strndup (arg, eq - arg);
  key = fs_script_quote (raw_key);
  value = fs_script_quote (eq + 1);
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
  g_autoptr(FsScriptProcessDef) def = NULL;
  g_autofree char *text = NULL;

  g_return_val_if_fail (FS_IS_WORKER_DEFINITION (self), NULL);

  def = fs_script_process_def_new (self->name, self->function, self->daemon,
                                   (const char * const *)self->args);
  text = fs_script_format_process (def);

  return g_strconcat ("process ", text, NULL);
}

/* fs_script_is_valid_name() has the last word; these say why not, and
 * each refusal of what a name is made of repeats what is allowed: the
 * rule is not obvious (any language's letters, but no spaces). */
static const char * const reserved_names[] = { "self", "none", "true", "false" };

#define MAX_NAME_CHARS 64

static gboolean
is_name_char (gunichar c,
              gboolean first)
{
  if (first)
    return g_unichar_isalpha (c) || c == '_';

  return g_unichar_isalnum (c) || c == '_' || c == '-' || c == '.';
}

gboolean
fs_worker_definition_check_name (const char  *name,
                                 GError     **error)
{
  g_return_val_if_fail (name != NULL, FALSE);

  if (fs_script_is_valid_name (name))
    return TRUE;

  if (name[0] == '\0')
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("A worker needs a name: letters of any language, digits, "
                             "“_”, “-” and “.”, starting with a letter or “_”"));
    }
  else if (!g_utf8_validate (name, -1, NULL))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("The name is not valid UTF-8 text"));
    }
  else if (g_strv_contains (reserved_names, name))
    {
      /* Translators: %s is a word such as "self" that scripts reserve. */
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” is a reserved word in scripts; choose another name"), name);
    }
  else if (g_utf8_strlen (name, -1) > MAX_NAME_CHARS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   ngettext ("A name has at most %u character", "A name has at most %u characters",
                             MAX_NAME_CHARS),
                   MAX_NAME_CHARS);
    }
  else
    {
      const char *p = name;
      gunichar c = g_utf8_get_char (p);
      char shown[7] = { 0 };

      /* Name the first character that is refused. */
      if (is_name_char (c, TRUE))
        {
          for (p = g_utf8_next_char (p); *p != '\0'; p = g_utf8_next_char (p))
            {
              c = g_utf8_get_char (p);
              if (!is_name_char (c, FALSE))
                break;
            }
        }

      if (*p == '\0')
        g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                             _("Use letters, digits, “_”, “-” and “.”, starting with a letter or “_”"));
      else if (g_unichar_isspace (c))
        g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                             _("A name cannot contain spaces: use letters of any language, digits, "
                               "“_”, “-” and “.”, starting with a letter or “_”"));
      else if (p == name)
        {
          g_unichar_to_utf8 (c, shown);
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       /* Translators: %s is the refused first character of a name. */
                       _("A name cannot start with “%s”: use letters of any language, digits, "
                         "“_”, “-” and “.”, starting with a letter or “_”"),
                       shown);
        }
      else
        {
          g_unichar_to_utf8 (c, shown);
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       /* Translators: %s is a refused character of a name. */
                       _("A name cannot contain “%s”: use letters of any language, digits, "
                         "“_”, “-” and “.”, starting with a letter or “_”"),
                       shown);
        }
    }

  return FALSE;
}

char *
fs_worker_definition_style_message (const char *message,
                                    const char *function)
{
  gsize len = function != NULL ? strlen (function) : 0;
  GString *out;

  g_return_val_if_fail (message != NULL, NULL);

  /* "tutorial.sleep_print: parameter …": where the function is already
   * shown, the prefix only repeats it. */
  if (len > 0 && strncmp (message, function, len) == 0)
    {
      const char *rest = message + len;

      /* ":" or a translation's full-width "：" */
      if (g_str_has_prefix (rest, ":"))
        rest += 1;
      else if (g_str_has_prefix (rest, "\xef\xbc\x9a"))
        rest += 3;
      else
        rest = NULL;

      if (rest != NULL)
        message = rest + strspn (rest, " ");
    }

  out = g_string_sized_new (strlen (message) + 8);

  /* The checker writes for terminals and scripts (lower case, straight
   * quotes, like a compiler); the app writes sentences with curly quotes.
   * A quote opens after a space or at the start and closes before a
   * space, punctuation or the end; one inside a value stays as it is. */
  for (const char *p = message; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (p == message && g_unichar_islower (c))
        g_string_append_unichar (out, g_unichar_totitle (c));
      else if (c == '"')
        {
          char before = p == message ? ' ' : p[-1];
          char after = p[1];

          if (g_ascii_isspace (before) || before == '(' || before == '[')
            g_string_append (out, "“");
          else if (after == '\0' || g_ascii_isspace (after) || strchr (",.;:)]!?", after) != NULL)
            g_string_append (out, "”");
          else
            g_string_append_c (out, '"');
        }
      else
        g_string_append_unichar (out, c);
    }

  return g_string_free (out, FALSE);
}

GStrv
fs_worker_definition_check (FsWorkerDefinition  *self,
                            FsPluginRegistry    *registry,
                            FsFunctionInfo     **out_info,
                            GError             **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *plugin_name = NULL;
  FsFunctionInfo *info;
  GListModel *plugins;
  GStrv checked;

  g_return_val_if_fail (FS_IS_WORKER_DEFINITION (self), NULL);
  g_return_val_if_fail (FS_IS_PLUGIN_REGISTRY (registry), NULL);

  if (out_info != NULL)
    *out_info = NULL;

  info = fs_plugin_registry_lookup (registry, self->function);
  if (info == NULL)
    {
      plugin_name = g_strndup (self->function, strcspn (self->function, "."));
      plugins = fs_plugin_registry_get_plugins (registry);

      for (guint i = 0; i < g_list_model_get_n_items (plugins); i++)
        {
          g_autoptr(FsPluginInfo) plugin = g_list_model_get_item (plugins, i);

          if (!fs_plugin_info_get_available (plugin) &&
              g_strcmp0 (fs_plugin_info_get_name (plugin), plugin_name) == 0)
            {
              g_set_error (error, FS_PLUGIN_ERROR, FS_PLUGIN_ERROR_UNAVAILABLE,
                           /* Translators: %s is a function name, then why its plugin cannot be used. */
                           _("%s cannot be started: %s"),
                           self->function, fs_plugin_info_get_reason (plugin));
              return NULL;
            }
        }

      g_set_error (error, FS_PLUGIN_ERROR, FS_PLUGIN_ERROR_UNKNOWN_FUNCTION,
                   /* Translators: %s is a function name such as tutorial.sleep_print. */
                   _("No plugin provides %s"), self->function);
      return NULL;
    }

  checked = fs_function_info_check_args (info, (const char * const *)self->args, &local_error);
  if (checked == NULL)
    {
      if (error != NULL)
        {
          g_autofree char *styled = fs_worker_definition_style_message (local_error->message, self->function);

          *error = g_error_new_literal (local_error->domain, local_error->code, styled);
        }
      return NULL;
    }

  if (out_info != NULL)
    *out_info = info;

  return checked;
}

FsWorkerDefinition *
fs_worker_definition_new_from_line (const char  *line,
                                    GError     **error)
{
  g_autoptr(FsScriptProcessDef) def = NULL;

  g_return_val_if_fail (line != NULL, NULL);

  line += strspn (line, " \t");
  if (g_str_has_prefix (line, "process") && (line[7] == ' ' || line[7] == '\t'))
    line += 7;

  /* No registry: a definition may name a plugin that is not installed
   * (yet); the sidebar marks it, and nothing is lost. */
  def = fs_script_parse_process_line (line, NULL, error);
  if (def == NULL)
    return NULL;

  return fs_worker_definition_new (def->name, def->function, def->daemon,
                                   (const char * const *)def->args);
}
