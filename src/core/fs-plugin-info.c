/* fs-plugin-info.c
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "fs-plugin-info.h"

/* Generous bounds on what a plugin may declare: a description is read from
 * an untrusted child, and front ends build a form per function. */
#define MAX_FUNCTIONS 256
#define MAX_PARAMS    64
#define MAX_CHOICES   64

G_DEFINE_QUARK (fs-plugin-error-quark, fs_plugin_error)

/* ------------------------------------------------------------------ */
/* Names and numbers                                                   */

/* Plugin, function and parameter names end up in "plugin.function" and
 * KEY=VALUE tokens of the lesson language, so they are identifiers. */
static gboolean
is_identifier (const char *name)
{
  if (name == NULL || name[0] == '\0' || strlen (name) > 64)
    return FALSE;
  if (!g_ascii_isalpha (name[0]) && name[0] != '_')
    return FALSE;
  for (const char *p = name; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '_')
      return FALSE;
  return TRUE;
}

/* The shortest text that reads back as the same double. */
static char *
format_number (double value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_ascii_formatd (buf, sizeof buf, "%.15g", value);
  if (g_ascii_strtod (buf, NULL) != value)
    g_ascii_formatd (buf, sizeof buf, "%.17g", value);
  return g_strdup (buf);
}

static gboolean
has_bounds (const FsParamInfo *self)
{
  return !(self->min == 0 && self->max == 0);
}

/* ------------------------------------------------------------------ */
/* FsParamInfo                                                         */

G_DEFINE_BOXED_TYPE (FsParamInfo, fs_param_info, fs_param_info_copy, fs_param_info_free)

FsParamInfo *
fs_param_info_copy (const FsParamInfo *self)
{
  FsParamInfo *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_new0 (FsParamInfo, 1);
  copy->name = g_strdup (self->name);
  copy->type = self->type;
  copy->default_value = g_strdup (self->default_value);
  copy->min = self->min;
  copy->max = self->max;
  copy->choices = g_strdupv (self->choices);
  copy->description = g_strdup (self->description);
  return copy;
}

void
fs_param_info_free (FsParamInfo *self)
{
  if (self == NULL)
    return;
  g_free (self->name);
  g_free (self->default_value);
  g_strfreev (self->choices);
  g_free (self->description);
  g_free (self);
}

const char *
fs_param_type_to_string (FsParamType type)
{
  switch (type)
    {
    case FS_PARAM_INT:
      return "int";
    case FS_PARAM_DOUBLE:
      return "double";
    case FS_PARAM_BOOL:
      return "bool";
    case FS_PARAM_STRING:
      return "string";
    case FS_PARAM_ENUM:
      return "enum";
    default:
      return NULL;
    }
}

gboolean
fs_param_type_from_string (const char  *text,
                           FsParamType *type)
{
  g_return_val_if_fail (type != NULL, FALSE);

  for (FsParamType t = FS_PARAM_INT; t <= FS_PARAM_ENUM; t++)
    if (g_strcmp0 (text, fs_param_type_to_string (t)) == 0)
      {
        *type = t;
        return TRUE;
      }
  return FALSE;
}

static char *
check_int (const FsParamInfo *self,
           const char        *function,
           const char        *text,
           GError           **error)
{
  gint64 value;
  gint64 min = G_MININT64;
  gint64 max = G_MAXINT64;

  if (has_bounds (self))
    {
      min = (gint64) ceil (self->min);
      max = (gint64) floor (self->max);
    }

  if (!g_ascii_string_to_signed (text, 10, min, max, &value, NULL))
    {
      g_autofree char *shown = g_utf8_make_valid (text, -1);

      if (has_bounds (self))
        {
          g_autofree char *lo = g_strdup_printf ("%" G_GINT64_FORMAT, min);
          g_autofree char *hi = g_strdup_printf ("%" G_GINT64_FORMAT, max);

          g_set_error (error, FS_PLUGIN_ERROR, FS_PLUGIN_ERROR_INVALID_VALUE,
                       /* Translators: e.g. tutorial.fork_memory: parameter "value"
                        * must be an integer between 0 and 100, not "abc" */
                       _("%s: parameter \"%s\" must be an integer between %s and %s, not \"%s\""),
                       function, self->name, lo, hi, shown);
        }
      else
        g_set_error (error, FS_PLUGIN_ERROR, FS_PLUGIN_ERROR_INVALID_VALUE,
                     /* Translators: e.g. x.f: parameter "n" must be an integer, not "abc" */
                     _("%s: parameter \"%s\" must be an integer, not \"%s\""),
                     function, self->name, shown);
      return NULL;
    }

  return g_strdup_printf ("%" G_GINT64_FORMAT, value);
}

static char *
check_double (const FsParamInfo *self,
              const char        *function,
              const char        *text,
              GError           **error)
{
  char *end = NULL;
  double value;
  gboolean ok;

  errno = 0;
  value = g_ascii_strtod (text, &end);
  ok = text[0] != '\0' && !g_ascii_isspace (text[0]) && end != NULL && *end == '\0' &&
       errno == 0 && isfinite (value);
  if (ok && has_bounds (self))
    ok = value >= self->min && value <= self->max;

  if (!ok)
    {
      g_autofree char *shown = g_utf8_make_valid (text, -1);

      if (has_bounds (self))
        {
          g_autofree char *lo = format_number (self->min);
          g_autofree char *hi = format_number (self->max);

          g_set_error (error, FS_PLUGIN_ERROR, FS_PLUGIN_ERROR_INVALID_VALUE,
                       /* Translators: e.g. tutorial.sleep_print: parameter "seconds"
                        * must be a number between 0 and 3600, not "abc" */
                       _("%s: parameter \"%s\" must be a number between %s and %s, not \"%s\""),
                       function, self->name, lo, hi, shown);
        }
      else
        g_set_error (error, FS_PLUGIN_ERROR, FS_PLUGIN_ERROR_INVALID_VALUE,
                     /* Translators: e.g. x.f: parameter "d" must be a number, not "abc" */
                     _("%s: parameter \"%s\" must be a number, not \"%s\""),
                     function, self->name, shown);
      return NULL;
    }

  /* -0 reads as 0 to people. */
  if (value == 0)
    value = 0;
  return format_number (value);
}

static char *
check_bool (const FsParamInfo *self,
            const char        *function,
            const char        *text,
            GError           **error)
{
  static const char * const yes[] = { "true", "yes", "on", "1", NULL };
  static const char * const no[] = { "false", "no", "off", "0", NULL };
  g_autofree char *shown = NULL;

  for (guint i = 0; yes[i] != NULL; i++)
    {
      if (g_ascii_strcasecmp (text, yes[i]) == 0)
        return g_strdup ("true");
      if (g_ascii_strcasecmp (text, no[i]) == 0)
        return g_strdup ("false");
    }

  shown = g_utf8_make_valid (text, -1);
  g_set_error (error, FS_PLUGIN_ERROR, FS_PLUGIN_ERROR_INVALID_VALUE,
               /* Translators: e.g. lifecycle.zombie: parameter "reap" must be true
                * or false (or yes/no, on/off, 1/0), not "maybe" */
               _("%s: parameter \"%s\" must be true or false (or yes/no, on/off, 1/0), not \"%s\""),
               function, self->name, shown);
  return NULL;
}

static char *
check_enum (const FsParamInfo *self,
            const char        *function,
            const char        *text,
            GError           **error)
{
  g_autofree char *allowed = NULL;
  g_autofree char *shown = NULL;

  /* Exact match first ("exit" vs "_exit" differ only by a character), then
   * without regard to case, so "segv" finds "SEGV". */
  for (guint i = 0; self->choices != NULL && self->choices[i] != NULL; i++)
    if (g_str_equal (text, self->choices[i]))
      return g_strdup (self->choices[i]);
  for (guint i = 0; self->choices != NULL && self->choices[i] != NULL; i++)
    if (g_ascii_strcasecmp (text, self->choices[i]) == 0)
      return g_strdup (self->choices[i]);

  allowed = self->choices != NULL ? g_strjoinv (", ", self->choices) : g_strdup ("");
  shown = g_utf8_make_valid (text, -1);
  g_set_error (error, FS_PLUGIN_ERROR, FS_PLUGIN_ERROR_INVALID_VALUE,
               /* Translators: e.g. basics.crash: parameter "signal" must be one
                * of SEGV, ABRT, FPE, BUS, ILL, not "HUP" */
               _("%s: parameter \"%s\" must be one of %s, not \"%s\""),
               function, self->name, allowed, shown);
  return NULL;
}

char *
fs_param_info_check_value (const FsParamInfo *self,
                           const char        *function,
                           const char        *text,
                           GError           **error)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (function != NULL, NULL);
  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  switch (self->type)
    {
    case FS_PARAM_INT:
      return check_int (self, function, text, error);
    case FS_PARAM_DOUBLE:
      return check_double (self, function, text, error);
    case FS_PARAM_BOOL:
      return check_bool (self, function, text, error);
    case FS_PARAM_ENUM:
      return check_enum (self, function, text, error);
    case FS_PARAM_STRING:
      /* Arguments travel over D-Bus and into forms: text only. */
      if (!g_utf8_validate (text, -1, NULL))
        {
          g_set_error (error, FS_PLUGIN_ERROR, FS_PLUGIN_ERROR_INVALID_VALUE,
                       /* Translators: e.g. command.run: parameter "argv" must be
                        * valid UTF-8 text */
                       _("%s: parameter \"%s\" must be valid UTF-8 text"),
                       function, self->name);
          return NULL;
        }
      return g_strdup (text);
    default:
      g_set_error (error, FS_PLUGIN_ERROR, FS_PLUGIN_ERROR_INVALID_VALUE,
                   _("%s: parameter \"%s\" has an unknown type"),
                   function, self->name);
      return NULL;
    }
}

char *
fs_param_info_to_string (const FsParamInfo *self)
{
  GString *str;

  g_return_val_if_fail (self != NULL, NULL);

  str = g_string_new (self->name);

  if (self->type == FS_PARAM_ENUM && self->choices != NULL)
    {
      g_autofree char *choices = g_strjoinv ("|", self->choices);
      g_string_append_printf (str, ": %s = %s", choices, self->default_value);
    }
  else if (self->type == FS_PARAM_STRING)
    {
      g_autofree char *quoted = g_strescape (self->default_value, NULL);
      g_string_append_printf (str, ": string = \"%s\"", quoted);
    }
  else
    g_string_append_printf (str, ": %s = %s",
                            fs_param_type_to_string (self->type), self->default_value);

  if ((self->type == FS_PARAM_INT || self->type == FS_PARAM_DOUBLE) && has_bounds (self))
    {
      g_autofree char *lo = format_number (self->min);
      g_autofree char *hi = format_number (self->max);
      g_string_append_printf (str, " (%s … %s)", lo, hi);
    }

  return g_string_free (str, FALSE);
}

/* ------------------------------------------------------------------ */
/* FsFunctionInfo                                                      */

struct _FsFunctionInfo
{
  GObject    parent_instance;

  char      *name;
  char      *full_name;
  char      *plugin_name;
  char      *plugin_path;
  char      *summary;
  GPtrArray *params;       /* of FsParamInfo */
};

G_DEFINE_FINAL_TYPE (FsFunctionInfo, fs_function_info, G_TYPE_OBJECT)

enum {
  FUNCTION_PROP_0,
  FUNCTION_PROP_NAME,
  FUNCTION_PROP_FULL_NAME,
  FUNCTION_PROP_PLUGIN_NAME,
  FUNCTION_PROP_SUMMARY,
  FUNCTION_N_PROPS
};

static GParamSpec *function_properties[FUNCTION_N_PROPS];

static void
fs_function_info_finalize (GObject *object)
{
  FsFunctionInfo *self = (FsFunctionInfo *) object;

  g_free (self->name);
  g_free (self->full_name);
  g_free (self->plugin_name);
  g_free (self->plugin_path);
  g_free (self->summary);
  g_ptr_array_unref (self->params);

  G_OBJECT_CLASS (fs_function_info_parent_class)->finalize (object);
}

static void
fs_function_info_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  FsFunctionInfo *self = FS_FUNCTION_INFO (object);

  switch (prop_id)
    {
    case FUNCTION_PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case FUNCTION_PROP_FULL_NAME:
      g_value_set_string (value, self->full_name);
      break;
    case FUNCTION_PROP_PLUGIN_NAME:
      g_value_set_string (value, self->plugin_name);
      break;
    case FUNCTION_PROP_SUMMARY:
      g_value_set_string (value, self->summary);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fs_function_info_class_init (FsFunctionInfoClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = fs_function_info_finalize;
  object_class->get_property = fs_function_info_get_property;

  function_properties[FUNCTION_PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  function_properties[FUNCTION_PROP_FULL_NAME] =
    g_param_spec_string ("full-name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  function_properties[FUNCTION_PROP_PLUGIN_NAME] =
    g_param_spec_string ("plugin-name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  function_properties[FUNCTION_PROP_SUMMARY] =
    g_param_spec_string ("summary", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, FUNCTION_N_PROPS, function_properties);
}

static void
fs_function_info_init (FsFunctionInfo *self)
{
  self->params = g_ptr_array_new_with_free_func ((GDestroyNotify) fs_param_info_free);
}

const char *
fs_function_info_get_name (FsFunctionInfo *self)
{
  g_return_val_if_fail (FS_IS_FUNCTION_INFO (self), NULL);
  return self->name;
}

const char *
fs_function_info_get_full_name (FsFunctionInfo *self)
{
  g_return_val_if_fail (FS_IS_FUNCTION_INFO (self), NULL);
  return self->full_name;
}

const char *
fs_function_info_get_plugin_name (FsFunctionInfo *self)
{
  g_return_val_if_fail (FS_IS_FUNCTION_INFO (self), NULL);
  return self->plugin_name;
}

const char *
fs_function_info_get_plugin_path (FsFunctionInfo *self)
{
  g_return_val_if_fail (FS_IS_FUNCTION_INFO (self), NULL);
  return self->plugin_path;
}

const char *
fs_function_info_get_summary (FsFunctionInfo *self)
{
  g_return_val_if_fail (FS_IS_FUNCTION_INFO (self), NULL);
  return self->summary;
}

guint
fs_function_info_get_n_params (FsFunctionInfo *self)
{
  g_return_val_if_fail (FS_IS_FUNCTION_INFO (self), 0);
  return self->params->len;
}

const FsParamInfo *
fs_function_info_get_param (FsFunctionInfo *self,
                            guint           index)
{
  g_return_val_if_fail (FS_IS_FUNCTION_INFO (self), NULL);
  g_return_val_if_fail (index < self->params->len, NULL);
  return g_ptr_array_index (self->params, index);
}

const FsParamInfo *
fs_function_info_lookup_param (FsFunctionInfo *self,
                               const char     *name)
{
  g_return_val_if_fail (FS_IS_FUNCTION_INFO (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  for (guint i = 0; i < self->params->len; i++)
    {
      const FsParamInfo *param = g_ptr_array_index (self->params, i);
      if (g_str_equal (param->name, name))
        return param;
    }
  return NULL;
}

static char *
dup_param_names (FsFunctionInfo *self)
{
  GString *str = g_string_new (NULL);

  for (guint i = 0; i < self->params->len; i++)
    {
      const FsParamInfo *param = g_ptr_array_index (self->params, i);
      if (i > 0)
        g_string_append (str, ", ");
      g_string_append (str, param->name);
    }
  return g_string_free (str, FALSE);
}

GStrv
fs_function_info_check_args (FsFunctionInfo     *self,
                             const char * const *args,
                             GError            **error)
{
  g_autoptr(GPtrArray) values = NULL;
  g_autoptr(GStrvBuilder) builder = NULL;

  g_return_val_if_fail (FS_IS_FUNCTION_INFO (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* One slot per parameter, in spec order; NULL until given. */
  values = g_ptr_array_new_full (self->params->len, g_free);
  g_ptr_array_set_size (values, self->params->len);

  for (guint i = 0; args != NULL && args[i] != NULL; i++)
    {
      const char *eq = strchr (args[i], '=');
      g_autofree char *key = NULL;
      const FsParamInfo *param = NULL;
      guint index = 0;
      char *value;

      if (eq == NULL || eq == args[i])
        {
          g_autofree char *shown = g_utf8_make_valid (args[i], -1);

          g_set_error (error, FS_PLUGIN_ERROR, FS_PLUGIN_ERROR_UNKNOWN_PARAMETER,
                       /* Translators: e.g. basics.sleep: argument "5" is not KEY=VALUE */
                       _("%s: argument \"%s\" is not KEY=VALUE"),
                       self->full_name, shown);
          return NULL;
        }

      key = g_strndup (args[i], eq - args[i]);
      for (index = 0; index < self->params->len; index++)
        {
          param = g_ptr_array_index (self->params, index);
          if (g_str_equal (param->name, key))
            break;
        }

      if (index == self->params->len)
        {
          g_autofree char *shown = g_utf8_make_valid (key, -1);

          if (self->params->len == 0)
            g_set_error (error, FS_PLUGIN_ERROR, FS_PLUGIN_ERROR_UNKNOWN_PARAMETER,
                         /* Translators: e.g. basics.stdin: unknown parameter "x"
                          * (it takes no parameters) */
                         _("%s: unknown parameter \"%s\" (it takes no parameters)"),
                         self->full_name, shown);
          else
            {
              g_autofree char *known = dup_param_names (self);

              g_set_error (error, FS_PLUGIN_ERROR, FS_PLUGIN_ERROR_UNKNOWN_PARAMETER,
                           /* Translators: e.g. tutorial.sleep_print: unknown parameter
                            * "secs" (known: seconds, message) */
                           _("%s: unknown parameter \"%s\" (known: %s)"),
                           self->full_name, shown, known);
            }
          return NULL;
        }

      if (g_ptr_array_index (values, index) != NULL)
        {
          g_set_error (error, FS_PLUGIN_ERROR, FS_PLUGIN_ERROR_INVALID_VALUE,
                       /* Translators: e.g. basics.sleep: parameter "seconds" is given twice */
                       _("%s: parameter \"%s\" is given twice"),
                       self->full_name, param->name);
          return NULL;
        }

      value = fs_param_info_check_value (param, self->full_name, eq + 1, error);
      if (value == NULL)
        return NULL;
      g_ptr_array_index (values, index) = value;
    }

  builder = g_strv_builder_new ();
  for (guint i = 0; i < self->params->len; i++)
    {
      const FsParamInfo *param = g_ptr_array_index (self->params, i);
      const char *value = g_ptr_array_index (values, i);
      g_autofree char *arg = NULL;

      arg = g_strconcat (param->name, "=",
                         value != NULL ? value : param->default_value, NULL);
      g_strv_builder_add (builder, arg);
    }

  return g_strv_builder_end (builder);
}

/* ------------------------------------------------------------------ */
/* FsPluginInfo                                                        */

struct _FsPluginInfo
{
  GObject     parent_instance;

  char       *name;
  char       *path;
  char       *summary;
  char       *reason;
  GListStore *functions;
  guint       available : 1;
  guint       builtin : 1;
};

G_DEFINE_FINAL_TYPE (FsPluginInfo, fs_plugin_info, G_TYPE_OBJECT)

enum {
  PLUGIN_PROP_0,
  PLUGIN_PROP_NAME,
  PLUGIN_PROP_PATH,
  PLUGIN_PROP_SUMMARY,
  PLUGIN_PROP_AVAILABLE,
  PLUGIN_PROP_REASON,
  PLUGIN_PROP_BUILTIN,
  PLUGIN_N_PROPS
};

static GParamSpec *plugin_properties[PLUGIN_N_PROPS];

static void
fs_plugin_info_dispose (GObject *object)
{
  FsPluginInfo *self = (FsPluginInfo *) object;

  g_clear_object (&self->functions);

  G_OBJECT_CLASS (fs_plugin_info_parent_class)->dispose (object);
}

static void
fs_plugin_info_finalize (GObject *object)
{
  FsPluginInfo *self = (FsPluginInfo *) object;

  g_free (self->name);
  g_free (self->path);
  g_free (self->summary);
  g_free (self->reason);

  G_OBJECT_CLASS (fs_plugin_info_parent_class)->finalize (object);
}

static void
fs_plugin_info_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  FsPluginInfo *self = FS_PLUGIN_INFO (object);

  switch (prop_id)
    {
    case PLUGIN_PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PLUGIN_PROP_PATH:
      g_value_set_string (value, self->path);
      break;
    case PLUGIN_PROP_SUMMARY:
      g_value_set_string (value, self->summary);
      break;
    case PLUGIN_PROP_AVAILABLE:
      g_value_set_boolean (value, self->available);
      break;
    case PLUGIN_PROP_REASON:
      g_value_set_string (value, self->reason);
      break;
    case PLUGIN_PROP_BUILTIN:
      g_value_set_boolean (value, self->builtin);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fs_plugin_info_class_init (FsPluginInfoClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = fs_plugin_info_dispose;
  object_class->finalize = fs_plugin_info_finalize;
  object_class->get_property = fs_plugin_info_get_property;

  plugin_properties[PLUGIN_PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  plugin_properties[PLUGIN_PROP_PATH] = g_param_spec_string ("path", NULL, NULL, NULL, flags);
  plugin_properties[PLUGIN_PROP_SUMMARY] =
    g_param_spec_string ("summary", NULL, NULL, NULL, flags);
  plugin_properties[PLUGIN_PROP_AVAILABLE] =
    g_param_spec_boolean ("available", NULL, NULL, FALSE, flags);
  plugin_properties[PLUGIN_PROP_REASON] =
    g_param_spec_string ("reason", NULL, NULL, NULL, flags);
  plugin_properties[PLUGIN_PROP_BUILTIN] =
    g_param_spec_boolean ("builtin", NULL, NULL, FALSE, flags);

  g_object_class_install_properties (object_class, PLUGIN_N_PROPS, plugin_properties);
}

static void
fs_plugin_info_init (FsPluginInfo *self)
{
  self->functions = g_list_store_new (FS_TYPE_FUNCTION_INFO);
}

const char *
fs_plugin_info_get_name (FsPluginInfo *self)
{
  g_return_val_if_fail (FS_IS_PLUGIN_INFO (self), NULL);
  return self->name;
}

const char *
fs_plugin_info_get_path (FsPluginInfo *self)
{
  g_return_val_if_fail (FS_IS_PLUGIN_INFO (self), NULL);
  return self->path;
}

const char *
fs_plugin_info_get_summary (FsPluginInfo *self)
{
  g_return_val_if_fail (FS_IS_PLUGIN_INFO (self), NULL);
  return self->summary;
}

gboolean
fs_plugin_info_get_available (FsPluginInfo *self)
{
  g_return_val_if_fail (FS_IS_PLUGIN_INFO (self), FALSE);
  return self->available;
}

const char *
fs_plugin_info_get_reason (FsPluginInfo *self)
{
  g_return_val_if_fail (FS_IS_PLUGIN_INFO (self), NULL);
  return self->reason;
}

gboolean
fs_plugin_info_get_builtin (FsPluginInfo *self)
{
  g_return_val_if_fail (FS_IS_PLUGIN_INFO (self), FALSE);
  return self->builtin;
}

GListModel *
fs_plugin_info_get_functions (FsPluginInfo *self)
{
  g_return_val_if_fail (FS_IS_PLUGIN_INFO (self), NULL);
  return G_LIST_MODEL (self->functions);
}

FsFunctionInfo *
fs_plugin_info_lookup_function (FsPluginInfo *self,
                                const char   *name)
{
  guint n;

  g_return_val_if_fail (FS_IS_PLUGIN_INFO (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->functions));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(FsFunctionInfo) function = g_list_model_get_item (G_LIST_MODEL (self->functions), i);

      if (g_str_equal (function->name, name))
        return function;  /* the store keeps it alive */
    }
  return NULL;
}

static char *
file_stem (const char *path)
{
  g_autofree char *base = g_path_get_basename (path);
  char *dot = strrchr (base, '.');

  if (dot != NULL && dot != base)
    *dot = '\0';
  return g_steal_pointer (&base);
}

FsPluginInfo *
fs_plugin_info_new_unavailable (const char *path,
                                const char *name,
                                gboolean    builtin,
                                const char *reason)
{
  FsPluginInfo *self;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (reason != NULL, NULL);

  self = g_object_new (FS_TYPE_PLUGIN_INFO, NULL);
  self->path = g_strdup (path);
  self->name = name != NULL ? g_strdup (name) : file_stem (path);
  self->summary = g_strdup ("");
  self->reason = g_strdup (reason);
  self->available = FALSE;
  self->builtin = !!builtin;
  return self;
}

static gboolean
invalid (GError    **error,
         const char *format,
         ...) G_GNUC_PRINTF (2, 3);

static gboolean
invalid (GError    **error,
         const char *format,
         ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error (error, FS_PLUGIN_ERROR, FS_PLUGIN_ERROR_UNAVAILABLE,
               /* Translators: %s says what is wrong in a plugin's description */
               _("Invalid plugin description: %s"), message);
  return FALSE;
}

static gboolean
parse_param (FsFunctionInfo *function,
             GVariant       *item,
             GError        **error)
{
  g_autoptr(FsParamInfo) param = g_new0 (FsParamInfo, 1);
  g_autoptr(GError) local_error = NULL;
  g_autofree char *checked = NULL;
  const char *name;
  const char *type;
  const char *default_value;
  const char *description;
  g_autofree const char **choices = NULL;

  g_variant_get (item, "(&s&s&sdd^a&s&s)",
                 &name, &type, &default_value, &param->min, &param->max, &choices,
                 &description);

  if (!is_identifier (name))
    return invalid (error, _("%s: parameter name \"%s\" is not an identifier"),
                    function->full_name, name);
  if (fs_function_info_lookup_param (function, name) != NULL)
    return invalid (error, _("%s: parameter \"%s\" is declared twice"),
                    function->full_name, name);
  if (!fs_param_type_from_string (type, &param->type))
    return invalid (error, _("%s: parameter \"%s\" has an unknown type \"%s\""),
                    function->full_name, name, type);
  if (!isfinite (param->min) || !isfinite (param->max) || param->min > param->max)
    return invalid (error, _("%s: parameter \"%s\" has a minimum above its maximum"),
                    function->full_name, name);

  param->name = g_strdup (name);
  param->default_value = g_strdup (default_value);
  param->description = g_strdup (description);

  if (param->type == FS_PARAM_ENUM)
    {
      guint n = g_strv_length ((char **) choices);

      if (n == 0 || n > MAX_CHOICES)
        return invalid (error, _("%s: parameter \"%s\" must have between 1 and %d choices"),
                        function->full_name, name, MAX_CHOICES);
      for (guint i = 0; i < n; i++)
        {
          if (choices[i][0] == '\0')
            return invalid (error, _("%s: parameter \"%s\" has an empty choice"),
                            function->full_name, name);
          for (guint j = 0; j < i; j++)
            if (g_str_equal (choices[i], choices[j]))
              return invalid (error, _("%s: parameter \"%s\" lists the choice \"%s\" twice"),
                              function->full_name, name, choices[i]);
        }
      param->choices = g_strdupv ((char **) choices);
    }

  /* A default is the value used when nothing is given, so it must pass the
   * same check as a typed value (and be in its normalized form). */
  checked = fs_param_info_check_value (param, function->full_name, default_value, &local_error);
  if (checked == NULL)
    return invalid (error, _("the default is invalid: %s"), local_error->message);
  g_free (param->default_value);
  param->default_value = g_steal_pointer (&checked);

  g_ptr_array_add (function->params, g_steal_pointer (&param));
  return TRUE;
}

FsPluginInfo *
fs_plugin_info_new_from_description (const char  *path,
                                     GVariant    *description,
                                     gboolean     builtin,
                                     GError     **error)
{
  g_autoptr(FsPluginInfo) self = NULL;
  g_autoptr(GVariant) functions = NULL;
  const char *name;
  const char *summary;
  guint32 version;
  GVariantIter iter;
  GVariant *item;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (description != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!g_variant_is_of_type (description, G_VARIANT_TYPE (FS_PLUGIN_DESCRIPTION_TYPE)))
    {
      invalid (error, _("its type is %s, expected %s"),
               g_variant_get_type_string (description), FS_PLUGIN_DESCRIPTION_TYPE);
      return NULL;
    }

  g_variant_get (description, "(u&s&s@a(ssa(sssddass)))", &version, &name, &summary, &functions);

  if (version != FS_PLUGIN_DESCRIPTION_VERSION)
    {
      invalid (error, _("format version %u, expected %d"), version, FS_PLUGIN_DESCRIPTION_VERSION);
      return NULL;
    }
  if (!is_identifier (name))
    {
      invalid (error, _("the plugin name \"%s\" is not an identifier"), name);
      return NULL;
    }
  if (g_variant_n_children (functions) > MAX_FUNCTIONS)
    {
      invalid (error, _("more than %d functions"), MAX_FUNCTIONS);
      return NULL;
    }

  self = g_object_new (FS_TYPE_PLUGIN_INFO, NULL);
  self->name = g_strdup (name);
  self->path = g_strdup (path);
  self->summary = g_strdup (summary);
  self->available = TRUE;
  self->builtin = !!builtin;

  g_variant_iter_init (&iter, functions);
  while ((item = g_variant_iter_next_value (&iter)))
    {
      g_autoptr(GVariant) owned = item;
      g_autoptr(FsFunctionInfo) function = NULL;
      g_autoptr(GVariant) params = NULL;
      const char *function_name;
      const char *function_summary;
      GVariantIter param_iter;
      GVariant *param;

      g_variant_get (item, "(&s&s@a(sssddass))", &function_name, &function_summary, &params);

      if (!is_identifier (function_name))
        {
          invalid (error, _("the function name \"%s\" is not an identifier"), function_name);
          return NULL;
        }
      if (fs_plugin_info_lookup_function (self, function_name) != NULL)
        {
          invalid (error, _("the function \"%s\" is declared twice"), function_name);
          return NULL;
        }
      if (g_variant_n_children (params) > MAX_PARAMS)
        {
          invalid (error, _("%s.%s: more than %d parameters"), name, function_name, MAX_PARAMS);
          return NULL;
        }

      function = g_object_new (FS_TYPE_FUNCTION_INFO, NULL);
      function->name = g_strdup (function_name);
      function->full_name = g_strconcat (name, ".", function_name, NULL);
      function->plugin_name = g_strdup (name);
      function->plugin_path = g_strdup (path);
      function->summary = g_strdup (function_summary);

      g_variant_iter_init (&param_iter, params);
      while ((param = g_variant_iter_next_value (&param_iter)))
        {
          g_autoptr(GVariant) owned_param = param;

          if (!parse_param (function, param, error))
            return NULL;
        }

      g_list_store_append (self->functions, function);
    }

  return g_steal_pointer (&self);
}

/* ------------------------------------------------------------------ */
/* The plugin ABI, read in the worker                                  */

static gboolean
abi_string (const char  *text,
            gboolean     may_be_null,
            const char  *what,
            GError     **error)
{
  if (text == NULL)
    {
      if (may_be_null)
        return TRUE;
      return invalid (error, _("%s is missing"), what);
    }
  if (!g_utf8_validate (text, -1, NULL))
    return invalid (error, _("%s is not valid UTF-8"), what);
  return TRUE;
}

static const char *
translate (const FsPlugin *plugin,
           const char     *text)
{
  /* dgettext() maps "" to the catalog's header: keep empty texts empty. */
  if (text == NULL || text[0] == '\0')
    return "";
  if (plugin->gettext_domain == NULL || plugin->gettext_domain[0] == '\0')
    return text;
  return g_dgettext (plugin->gettext_domain, text);
}

GVariant *
fs_plugin_describe_abi (const FsPlugin  *plugin,
                        GError         **error)
{
  g_autoptr(GVariantBuilder) functions = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (plugin == NULL)
    {
      invalid (error, _("forkscope_plugin_get() returned NULL"));
      return NULL;
    }
  if (plugin->abi_version != FORKSCOPE_PLUGIN_ABI_VERSION)
    {
      g_set_error (error, FS_PLUGIN_ERROR, FS_PLUGIN_ERROR_UNAVAILABLE,
                   _("Built for plugin ABI version %u; this Forkscope supports version %d"),
                   plugin->abi_version, FORKSCOPE_PLUGIN_ABI_VERSION);
      return NULL;
    }
  if (!abi_string (plugin->name, FALSE, _("the plugin name"), error) ||
      !abi_string (plugin->summary, TRUE, _("the plugin summary"), error) ||
      !abi_string (plugin->gettext_domain, TRUE, _("the gettext domain"), error))
    return NULL;
  if (plugin->n_functions > MAX_FUNCTIONS || (plugin->n_functions > 0 && plugin->functions == NULL))
    {
      invalid (error, _("bad function table (%u functions)"), plugin->n_functions);
      return NULL;
    }

  functions = g_variant_builder_new (G_VARIANT_TYPE ("a(ssa(sssddass))"));

  for (guint i = 0; i < plugin->n_functions; i++)
    {
      const FsFunction *function = &plugin->functions[i];
      g_autoptr(GVariantBuilder) params = NULL;

      if (!abi_string (function->name, FALSE, _("a function name"), error) ||
          !abi_string (function->summary, TRUE, _("a function summary"), error))
        return NULL;
      if (function->run == NULL)
        {
          invalid (error, _("the function \"%s\" has no run()"), function->name);
          return NULL;
        }
      if (function->n_params > MAX_PARAMS || (function->n_params > 0 && function->params == NULL))
        {
          invalid (error, _("the function \"%s\" has a bad parameter table"), function->name);
          return NULL;
        }

      params = g_variant_builder_new (G_VARIANT_TYPE ("a(sssddass)"));
      for (guint j = 0; j < function->n_params; j++)
        {
          const FsParamSpec *spec = &function->params[j];
          const char *type = fs_param_type_to_string (spec->type);
          g_autoptr(GVariantBuilder) choices = g_variant_builder_new (G_VARIANT_TYPE ("as"));

          if (!abi_string (spec->name, FALSE, _("a parameter name"), error) ||
              !abi_string (spec->default_value, FALSE, _("a parameter default"), error) ||
              !abi_string (spec->description, TRUE, _("a parameter description"), error))
            return NULL;
          if (type == NULL)
            {
              invalid (error, _("%s: parameter \"%s\" has an unknown type %d"),
                       function->name, spec->name, (int) spec->type);
              return NULL;
            }

          for (guint k = 0; spec->type == FS_PARAM_ENUM && spec->choices != NULL &&
                            spec->choices[k] != NULL; k++)
            {
              if (k >= MAX_CHOICES)
                {
                  invalid (error, _("%s: parameter \"%s\" has too many choices"),
                           function->name, spec->name);
                  return NULL;
                }
              if (!abi_string (spec->choices[k], FALSE, _("a choice"), error))
                return NULL;
              g_variant_builder_add (choices, "s", spec->choices[k]);
            }

          g_variant_builder_add (params, "(sssddass)",
                                 spec->name, type, spec->default_value,
                                 spec->min, spec->max, choices,
                                 translate (plugin, spec->description));
        }

      g_variant_builder_add (functions, "(ssa(sssddass))",
                             function->name, translate (plugin, function->summary), params);
    }

  return g_variant_ref_sink (g_variant_new ("(ussa(ssa(sssddass)))",
                                            (guint32) FS_PLUGIN_DESCRIPTION_VERSION,
                                            plugin->name,
                                            translate (plugin, plugin->summary),
                                            functions));
}
