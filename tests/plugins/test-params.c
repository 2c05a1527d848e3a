/* test-params.c: parameter specs, argument checking and descriptions
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>

#include "fs-plugin-info.h"

/* A description as the worker prints it. */
static const char *description_text =
  "(uint32 1, 'demo', 'A demo', ["
  "  ('f', 'F', ["
  "    ('seconds', 'double', '1', 0.0, 3600.0, @as [], 'How long'),"
  "    ('count', 'int', '3', 1.0, 10.0, [], 'How many'),"
  "    ('any', 'int', '0', 0.0, 0.0, [], 'Unbounded'),"
  "    ('real', 'double', '0.5', 0.0, 0.0, [], 'Unbounded'),"
  "    ('flag', 'bool', 'no', 0.0, 0.0, [], 'A flag'),"
  "    ('text', 'string', 'hello world', 0.0, 0.0, [], 'Text'),"
  "    ('how', 'enum', 'exit', 0.0, 0.0, ['exit', '_exit', 'SEGV'], 'How')]),"
  "  ('none', 'No parameters', [])])";

static FsPluginInfo *
parse_description (const char  *text,
                   GError     **error)
{
  g_autoptr(GVariant) variant = NULL;
  g_autoptr(GError) parse_error = NULL;

  variant = g_variant_parse (G_VARIANT_TYPE (FS_PLUGIN_DESCRIPTION_TYPE), text, NULL, NULL,
                             &parse_error);
  g_assert_no_error (parse_error);
  return fs_plugin_info_new_from_description ("/nowhere/demo.so", variant, FALSE, error);
}

static FsFunctionInfo *
demo_function (const char *name)
{
  static FsPluginInfo *plugin;
  g_autoptr(GError) error = NULL;

  if (plugin == NULL)
    {
      plugin = parse_description (description_text, &error);
      g_assert_no_error (error);
    }
  return fs_plugin_info_lookup_function (plugin, name);
}

static char *
check (const char *param,
       const char *text,
       GError    **error)
{
  FsFunctionInfo *f = demo_function ("f");
  const FsParamInfo *info = fs_function_info_lookup_param (f, param);

  g_assert_nonnull (info);
  return fs_param_info_check_value (info, fs_function_info_get_full_name (f), text, error);
}

static void
assert_ok (const char *param,
           const char *text,
           const char *expected)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *value = check (param, text, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (value, ==, expected);
}

static void
assert_refused (const char *param,
                const char *text,
                const char *message)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *value = check (param, text, &error);

  g_assert_null (value);
  g_assert_error (error, FS_PLUGIN_ERROR, FS_PLUGIN_ERROR_INVALID_VALUE);
  g_assert_cmpstr (error->message, ==, message);
}

static void
test_double (void)
{
  assert_ok ("seconds", "0", "0");
  assert_ok ("seconds", "1.50", "1.5");
  assert_ok ("seconds", "3600", "3600");
  assert_ok ("seconds", "1e2", "100");
  assert_ok ("seconds", "0.1", "0.1");
  assert_ok ("seconds", "-0", "0");
  assert_ok ("real", "-12.25", "-12.25");
  assert_refused ("seconds", "abc",
                  "demo.f: parameter \"seconds\" must be a number between 0 and 3600, not \"abc\"");
  assert_refused ("seconds", "-1",
                  "demo.f: parameter \"seconds\" must be a number between 0 and 3600, not \"-1\"");
  assert_refused ("seconds", "3600.5",
                  "demo.f: parameter \"seconds\" must be a number between 0 and 3600, not \"3600.5\"");
  assert_refused ("seconds", "", "demo.f: parameter \"seconds\" must be a number between 0 and 3600, not \"\"");
  assert_refused ("seconds", " 1", "demo.f: parameter \"seconds\" must be a number between 0 and 3600, not \" 1\"");
  assert_refused ("seconds", "1s", "demo.f: parameter \"seconds\" must be a number between 0 and 3600, not \"1s\"");
  assert_refused ("real", "nan", "demo.f: parameter \"real\" must be a number, not \"nan\"");
  assert_refused ("real", "inf", "demo.f: parameter \"real\" must be a number, not \"inf\"");
  assert_refused ("real", "1e999", "demo.f: parameter \"real\" must be a number, not \"1e999\"");
}

static void
test_int (void)
{
  assert_ok ("count", "1", "1");
  assert_ok ("count", "10", "10");
  assert_ok ("count", "+7", "7");
  assert_ok ("any", "-9223372036854775808", "-9223372036854775808");
  assert_refused ("count", "0",
                  "demo.f: parameter \"count\" must be an integer between 1 and 10, not \"0\"");
  assert_refused ("count", "2.5",
                  "demo.f: parameter \"count\" must be an integer between 1 and 10, not \"2.5\"");
  assert_refused ("count", "0x3",
                  "demo.f: parameter \"count\" must be an integer between 1 and 10, not \"0x3\"");
  assert_refused ("any", "9223372036854775808",
                  "demo.f: parameter \"any\" must be an integer, not \"9223372036854775808\"");
  assert_refused ("any", "ten", "demo.f: parameter \"any\" must be an integer, not \"ten\"");
}

static void
test_bool (void)
{
  const char *yes[] = { "true", "TRUE", "yes", "Yes", "on", "1" };
  const char *no[] = { "false", "False", "no", "NO", "off", "0" };

  for (guint i = 0; i < G_N_ELEMENTS (yes); i++)
    assert_ok ("flag", yes[i], "true");
  for (guint i = 0; i < G_N_ELEMENTS (no); i++)
    assert_ok ("flag", no[i], "false");
  assert_refused ("flag", "maybe",
                  "demo.f: parameter \"flag\" must be true or false (or yes/no, on/off, 1/0), not \"maybe\"");
  assert_refused ("flag", "2",
                  "demo.f: parameter \"flag\" must be true or false (or yes/no, on/off, 1/0), not \"2\"");
}

static void
test_enum (void)
{
  assert_ok ("how", "exit", "exit");
  assert_ok ("how", "_exit", "_exit");
  assert_ok ("how", "segv", "SEGV");
  assert_ok ("how", "EXIT", "exit");
  assert_refused ("how", "quit",
                  "demo.f: parameter \"how\" must be one of exit, _exit, SEGV, not \"quit\"");
  assert_refused ("how", "exit ",
                  "demo.f: parameter \"how\" must be one of exit, _exit, SEGV, not \"exit \"");
}

static void
test_string (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *value = NULL;

  assert_ok ("text", "", "");
  assert_ok ("text", "a = b \"c\"", "a = b \"c\"");
  assert_ok ("text", "你好", "你好");

  value = check ("text", "\xff\xfe", &error);
  g_assert_null (value);
  g_assert_error (error, FS_PLUGIN_ERROR, FS_PLUGIN_ERROR_INVALID_VALUE);
  g_assert_cmpstr (error->message, ==, "demo.f: parameter \"text\" must be valid UTF-8 text");
}

static void
assert_args (FsFunctionInfo      *f,
             const char * const  *args,
             const char * const  *expected)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) result = fs_function_info_check_args (f, args, &error);

  g_assert_no_error (error);
  g_assert_nonnull (result);
  g_assert_true (g_strv_equal ((const char * const *) result, expected));
}

static void
assert_args_refused (FsFunctionInfo     *f,
                     const char * const *args,
                     int                 code,
                     const char         *message)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) result = fs_function_info_check_args (f, args, &error);

  g_assert_null (result);
  g_assert_error (error, FS_PLUGIN_ERROR, code);
  g_assert_cmpstr (error->message, ==, message);
}

static void
test_check_args (void)
{
  FsFunctionInfo *f = demo_function ("f");
  FsFunctionInfo *none = demo_function ("none");
  const char *defaults[] = {
    "seconds=1", "count=3", "any=0", "real=0.5", "flag=false", "text=hello world", "how=exit", NULL
  };
  const char *given[] = { "how=segv", "seconds=2.0", "text=a=b", "flag=on", NULL };
  const char *normalized[] = {
    "seconds=2", "count=3", "any=0", "real=0.5", "flag=true", "text=a=b", "how=SEGV", NULL
  };
  const char *empty[] = { NULL };
  const char *unknown[] = { "seconds=1", "secs=2", NULL };
  const char *twice[] = { "count=1", "count=2", NULL };
  const char *no_equals[] = { "5", NULL };
  const char *no_key[] = { "=5", NULL };
  const char *bad_value[] = { "count=11", NULL };
  const char *to_none[] = { "x=1", NULL };

  g_assert_cmpstr (fs_function_info_get_full_name (f), ==, "demo.f");
  g_assert_cmpstr (fs_function_info_get_plugin_path (f), ==, "/nowhere/demo.so");

  /* Missing parameters get their defaults, in spec order, normalized. */
  assert_args (f, NULL, defaults);
  assert_args (f, empty, defaults);
  assert_args (f, given, normalized);
  assert_args (none, NULL, empty);

  assert_args_refused (f, unknown, FS_PLUGIN_ERROR_UNKNOWN_PARAMETER,
                       "demo.f: unknown parameter \"secs\" (known: seconds, count, any, real, flag, text, how)");
  assert_args_refused (none, to_none, FS_PLUGIN_ERROR_UNKNOWN_PARAMETER,
                       "demo.none: unknown parameter \"x\" (it takes no parameters)");
  assert_args_refused (f, twice, FS_PLUGIN_ERROR_INVALID_VALUE,
                       "demo.f: parameter \"count\" is given twice");
  assert_args_refused (f, no_equals, FS_PLUGIN_ERROR_UNKNOWN_PARAMETER,
                       "demo.f: argument \"5\" is not KEY=VALUE");
  assert_args_refused (f, no_key, FS_PLUGIN_ERROR_UNKNOWN_PARAMETER,
                       "demo.f: argument \"=5\" is not KEY=VALUE");
  assert_args_refused (f, bad_value, FS_PLUGIN_ERROR_INVALID_VALUE,
                       "demo.f: parameter \"count\" must be an integer between 1 and 10, not \"11\"");
}

static void
test_param_to_string (void)
{
  FsFunctionInfo *f = demo_function ("f");
  struct {
    const char *param;
    const char *text;
  } cases[] = {
    { "seconds", "seconds: double = 1 (0 … 3600)" },
    { "count", "count: int = 3 (1 … 10)" },
    { "any", "any: int = 0" },
    { "flag", "flag: bool = false" },
    { "text", "text: string = \"hello world\"" },
    { "how", "how: exit|_exit|SEGV = exit" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = fs_param_info_to_string (fs_function_info_lookup_param (f, cases[i].param));
      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

static void
test_param_copy (void)
{
  FsFunctionInfo *f = demo_function ("f");
  const FsParamInfo *how = fs_function_info_lookup_param (f, "how");
  g_autoptr(FsParamInfo) copy = fs_param_info_copy (how);
  FsParamType type;

  g_assert_cmpstr (copy->name, ==, "how");
  g_assert_cmpint (copy->type, ==, FS_PARAM_ENUM);
  g_assert_true (g_strv_equal ((const char * const *) copy->choices,
                               (const char * const *) how->choices));
  g_assert_true (copy->choices != how->choices);
  g_assert_true (fs_param_type_from_string ("double", &type));
  g_assert_cmpint (type, ==, FS_PARAM_DOUBLE);
  g_assert_false (fs_param_type_from_string ("float", &type));
  g_assert_cmpstr (fs_param_type_to_string (FS_PARAM_BOOL), ==, "bool");
}

static void
test_invalid_descriptions (void)
{
  struct {
    const char *text;
    const char *message;
  } cases[] = {
    { "(uint32 2, 'x', '', @a(ssa(sssddass)) [])", "format version 2" },
    { "(uint32 1, 'two words', '', @a(ssa(sssddass)) [])", "is not an identifier" },
    { "(uint32 1, 'x', '', [('f', '', @a(sssddass) []), ('f', '', [])])", "declared twice" },
    { "(uint32 1, 'x', '', [('f.g', '', @a(sssddass) [])])", "is not an identifier" },
    { "(uint32 1, 'x', '', [('f', '', [('n', 'float', '1', 0.0, 0.0, @as [], '')])])",
      "unknown type \"float\"" },
    { "(uint32 1, 'x', '', [('f', '', [('n', 'int', '1', 5.0, 1.0, @as [], '')])])",
      "minimum above its maximum" },
    { "(uint32 1, 'x', '', [('f', '', [('n', 'int', '99', 0.0, 10.0, @as [], '')])])",
      "the default is invalid: x.f: parameter \"n\" must be an integer between 0 and 10, not \"99\"" },
    { "(uint32 1, 'x', '', [('f', '', [('e', 'enum', 'c', 0.0, 0.0, ['a', 'b'], '')])])",
      "must be one of a, b, not \"c\"" },
    { "(uint32 1, 'x', '', [('f', '', [('e', 'enum', 'a', 0.0, 0.0, @as [], '')])])",
      "between 1 and 64 choices" },
    { "(uint32 1, 'x', '', [('f', '', [('e', 'enum', 'a', 0.0, 0.0, ['a', 'a'], '')])])",
      "twice" },
    { "(uint32 1, 'x', '', [('f', '', [('n', 'int', '1', 0.0, 9.0, @as [], ''), "
      "('n', 'int', '1', 0.0, 9.0, @as [], '')])])", "declared twice" },
    { "(uint32 1, 'x', '', [('f', '', [('a=b', 'string', '', 0.0, 0.0, @as [], '')])])",
      "not an identifier" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(FsPluginInfo) plugin = parse_description (cases[i].text, &error);

      g_assert_null (plugin);
      g_assert_error (error, FS_PLUGIN_ERROR, FS_PLUGIN_ERROR_UNAVAILABLE);
      if (strstr (error->message, cases[i].message) == NULL)
        g_error ("case %u: \"%s\" does not say \"%s\"", i, error->message, cases[i].message);
      g_assert_true (g_str_has_prefix (error->message, "Invalid plugin description: "));
    }
}

static void
test_wrong_type (void)
{
  g_autoptr(GVariant) variant = g_variant_ref_sink (g_variant_new ("(us)", 1, "x"));
  g_autoptr(GError) error = NULL;
  g_autoptr(FsPluginInfo) plugin = NULL;

  plugin = fs_plugin_info_new_from_description ("/x.so", variant, FALSE, &error);
  g_assert_null (plugin);
  g_assert_error (error, FS_PLUGIN_ERROR, FS_PLUGIN_ERROR_UNAVAILABLE);
}

static void
test_unavailable (void)
{
  g_autoptr(FsPluginInfo) plugin = NULL;

  plugin = fs_plugin_info_new_unavailable ("/some/dir/broken.so", NULL, TRUE, "Because");
  g_assert_cmpstr (fs_plugin_info_get_name (plugin), ==, "broken");
  g_assert_cmpstr (fs_plugin_info_get_path (plugin), ==, "/some/dir/broken.so");
  g_assert_false (fs_plugin_info_get_available (plugin));
  g_assert_true (fs_plugin_info_get_builtin (plugin));
  g_assert_cmpstr (fs_plugin_info_get_reason (plugin), ==, "Because");
  g_assert_cmpuint (g_list_model_get_n_items (fs_plugin_info_get_functions (plugin)), ==, 0);
  g_assert_finalize_object (g_steal_pointer (&plugin));
}

static void
test_plugin_properties (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FsPluginInfo) plugin = parse_description (description_text, &error);
  g_autoptr(FsFunctionInfo) f = NULL;
  g_autofree char *name = NULL;
  g_autofree char *full_name = NULL;
  gboolean available = FALSE;

  g_assert_no_error (error);
  g_object_get (plugin, "name", &name, "available", &available, NULL);
  g_assert_cmpstr (name, ==, "demo");
  g_assert_true (available);
  g_assert_cmpstr (fs_plugin_info_get_summary (plugin), ==, "A demo");
  g_assert_null (fs_plugin_info_get_reason (plugin));

  f = g_list_model_get_item (fs_plugin_info_get_functions (plugin), 0);
  g_object_get (f, "full-name", &full_name, NULL);
  g_assert_cmpstr (full_name, ==, "demo.f");
  g_assert_cmpuint (fs_function_info_get_n_params (f), ==, 7);
  g_assert_cmpstr (fs_function_info_get_param (f, 5)->default_value, ==, "hello world");
  /* Defaults are normalized when read: 'no' -> 'false'. */
  g_assert_cmpstr (fs_function_info_get_param (f, 4)->default_value, ==, "false");
  g_assert_null (fs_plugin_info_lookup_function (plugin, "nope"));

  g_clear_object (&f);
  g_assert_finalize_object (g_steal_pointer (&plugin));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/forkscope/plugins/params/double", test_double);
  g_test_add_func ("/forkscope/plugins/params/int", test_int);
  g_test_add_func ("/forkscope/plugins/params/bool", test_bool);
  g_test_add_func ("/forkscope/plugins/params/enum", test_enum);
  g_test_add_func ("/forkscope/plugins/params/string", test_string);
  g_test_add_func ("/forkscope/plugins/params/check-args", test_check_args);
  g_test_add_func ("/forkscope/plugins/params/to-string", test_param_to_string);
  g_test_add_func ("/forkscope/plugins/params/copy", test_param_copy);
  g_test_add_func ("/forkscope/plugins/description/invalid", test_invalid_descriptions);
  g_test_add_func ("/forkscope/plugins/description/wrong-type", test_wrong_type);
  g_test_add_func ("/forkscope/plugins/description/unavailable", test_unavailable);
  g_test_add_func ("/forkscope/plugins/description/properties", test_plugin_properties);

  return g_test_run ();
}
