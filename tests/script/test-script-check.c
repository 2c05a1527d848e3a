/* test-script-check.c
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>
#include <string.h>

#include <glib/gstdio.h>

#include "fs-script.h"

/* The checks that need the plugin registry: unknown functions, unknown
 * parameters, bad values, all before anything runs. The registry reads the
 * real built-in plugins through the real forkscope-worker --describe. */

static FsPluginRegistry *registry;

static void
assert_check_error (const char *text,
                    int         code,
                    const char *message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FsScript) script = fs_script_new_from_text (text, -1, "c.forkscope", registry, &error);

  g_test_message ("%s", text);
  g_assert_null (script);
  g_assert_error (error, FS_SCRIPT_ERROR, code);
  g_assert_cmpstr (error->message, ==, message);
}

static void
test_checked (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FsScript) script = fs_script_new_from_text ("process th1 tutorial.sleep_print seconds=3 message=EAT\n"
                                                        "process d basics.sleep daemon\n",
                                                        -1, "c.forkscope", registry, &error);
  const FsScriptProcessDef *def;

  g_assert_no_error (error);
  g_assert_true (fs_script_get_checked (script));

  def = fs_script_lookup_process (script, "th1");
  g_assert_nonnull (def->plugin_path);
  g_assert_true (g_str_has_suffix (def->plugin_path, "tutorial.so"));
  g_assert_nonnull (def->checked_args);
  g_assert_true (g_strv_contains ((const char * const *) def->checked_args, "message=EAT"));
  g_assert_cmpuint (g_strv_length (def->checked_args), ==, 2);

  /* Defaults are filled in. */
  def = fs_script_lookup_process (script, "d");
  g_assert_true (def->daemon);
  g_assert_cmpuint (g_strv_length (def->args), ==, 0);
  g_assert_cmpuint (g_strv_length (def->checked_args), ==, 1);
  g_assert_true (g_str_has_prefix (def->checked_args[0], "seconds="));
}

static void
test_unknown_function (void)
{
  assert_check_error ("say hi\nprocess p tutorial.nope\n", FS_SCRIPT_ERROR_UNKNOWN_FUNCTION,
                      "c.forkscope:2: unknown function \"tutorial.nope\" (plugin \"tutorial\" has sleep_print, fork_test, fork_memory, exit_kinds)");
  assert_check_error ("process p nosuch.sleep\n", FS_SCRIPT_ERROR_UNKNOWN_FUNCTION,
                      "c.forkscope:1: unknown function \"nosuch.sleep\" (there is no plugin \"nosuch\"; forkscope-cli plugins lists them)");
}

/* Why a function is not there, for forkscope-cli describe as for a script:
 * a plugin that is unavailable says why. */
static void
test_lookup_function (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("forkscope-check-XXXXXX", &error);
  g_autofree char *bad = NULL;
  g_autoptr(FsPluginRegistry) with_bad = fs_plugin_registry_new ();
  g_autoptr(FsScript) script = NULL;
  FsFunctionInfo *info;
  const char *dirs[3] = { NULL, NULL, NULL };

  g_assert_no_error (error);
  info = fs_script_lookup_function (registry, "basics.sleep", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (fs_function_info_get_full_name (info), ==, "basics.sleep");

  g_assert_null (fs_script_lookup_function (registry, "sleep", &error));
  g_assert_error (error, FS_SCRIPT_ERROR, FS_SCRIPT_ERROR_SYNTAX);
  g_clear_error (&error);
  g_assert_null (fs_script_lookup_function (registry, "basics.", &error));
  g_assert_error (error, FS_SCRIPT_ERROR, FS_SCRIPT_ERROR_SYNTAX);
  g_clear_error (&error);
  g_assert_null (fs_script_lookup_function (registry, "nosuch.sleep", &error));
  g_assert_error (error, FS_SCRIPT_ERROR, FS_SCRIPT_ERROR_UNKNOWN_FUNCTION);
  g_assert_cmpstr (error->message, ==,
                   "unknown function \"nosuch.sleep\" (there is no plugin \"nosuch\"; forkscope-cli plugins lists them)");
  g_clear_error (&error);

  /* A file that is not a plugin, next to the built-in ones. */
  bad = g_build_filename (dir, "bad.so", NULL);
  g_file_set_contents (bad, "not a shared object\n", -1, &error);
  g_assert_no_error (error);
  dirs[0] = g_getenv ("FORKSCOPE_PLUGINDIR");
  dirs[1] = dir;
  fs_plugin_registry_set_search_path (with_bad, dirs);
  fs_plugin_registry_load_sync (with_bad, &error);
  g_assert_no_error (error);

  g_assert_null (fs_script_lookup_function (with_bad, "bad.x", &error));
  g_assert_error (error, FS_SCRIPT_ERROR, FS_SCRIPT_ERROR_UNKNOWN_FUNCTION);
  g_test_message ("%s", error->message);
  g_assert_true (g_str_has_prefix (error->message, "plugin \"bad\" is unavailable: "));
  g_assert_nonnull (strstr (error->message, "shared object"));
  g_clear_error (&error);

  /* A script says the same, on its line. */
  script = fs_script_new_from_text ("say hi\nprocess p bad.x\nstart p\n", -1, "c.forkscope", with_bad, &error);
  g_assert_null (script);
  g_assert_error (error, FS_SCRIPT_ERROR, FS_SCRIPT_ERROR_UNKNOWN_FUNCTION);
  g_assert_true (g_str_has_prefix (error->message, "c.forkscope:2: plugin \"bad\" is unavailable: "));
  g_assert_null (strchr (error->message, '\n'));

  g_unlink (bad);
  g_rmdir (dir);
}

static void
test_bad_arguments (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FsScript) script = NULL;

  assert_check_error ("process p basics.sleep minutes=3\n", FS_SCRIPT_ERROR_INVALID_ARGUMENT,
                      "c.forkscope:1: basics.sleep: unknown parameter \"minutes\" (known: seconds)");
  assert_check_error ("process p basics.sleep seconds=soon\n", FS_SCRIPT_ERROR_INVALID_ARGUMENT,
                      "c.forkscope:1: basics.sleep: parameter \"seconds\" must be a number between 0 and 3600, not \"soon\"");
  assert_check_error ("process p basics.sleep seconds=-1\n", FS_SCRIPT_ERROR_INVALID_ARGUMENT,
                      "c.forkscope:1: basics.sleep: parameter \"seconds\" must be a number between 0 and 3600, not \"-1\"");
  assert_check_error ("process p basics.exit code=1.5\n", FS_SCRIPT_ERROR_INVALID_ARGUMENT,
                      "c.forkscope:1: basics.exit: parameter \"code\" must be an integer between 0 and 255, not \"1.5\"");
  assert_check_error ("process p lifecycle.zombie reap=maybe\n", FS_SCRIPT_ERROR_INVALID_ARGUMENT,
                      "c.forkscope:1: lifecycle.zombie: parameter \"reap\" must be true or false (or yes/no, on/off, 1/0), not \"maybe\"");
  assert_check_error ("process p basics.crash signal=TERM\n", FS_SCRIPT_ERROR_INVALID_ARGUMENT,
                      "c.forkscope:1: basics.crash: parameter \"signal\" must be one of SEGV, ABRT, FPE, BUS, ILL, not \"TERM\"");
  assert_check_error ("process p basics.stdin x=1\n", FS_SCRIPT_ERROR_INVALID_ARGUMENT,
                      "c.forkscope:1: basics.stdin: unknown parameter \"x\" (it takes no parameters)");

  /* The same checks for the app's one-line form, without FILE:LINE. */
  g_assert_null (fs_script_parse_process_line ("p basics.sleep minutes=3", registry, &error));
  g_assert_error (error, FS_SCRIPT_ERROR, FS_SCRIPT_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (error->message, ==, "basics.sleep: unknown parameter \"minutes\" (known: seconds)");
  g_clear_error (&error);

  g_assert_null (fs_script_parse_process_line ("p tutorial.nope", registry, &error));
  g_assert_error (error, FS_SCRIPT_ERROR, FS_SCRIPT_ERROR_UNKNOWN_FUNCTION);
  g_clear_error (&error);

  /* Every error in a script is reported, in order. */
  script = fs_script_new_from_text ("process a basics.sleep x=1\nprocess b tutorial.nope\nstart a b\n",
                                    -1, "c.forkscope", registry, &error);
  g_assert_null (script);
  g_assert_true (g_str_has_prefix (error->message, "c.forkscope:1: basics.sleep: unknown parameter"));
  g_assert_nonnull (strstr (error->message, "\nc.forkscope:2: unknown function \"tutorial.nope\""));
  g_assert_null (strstr (error->message, "c.forkscope:3"));
}

static void
test_parse_process_line (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FsScriptProcessDef) def = NULL;
  g_autofree char *text = NULL;

  def = fs_script_parse_process_line ("th1 tutorial.sleep_print seconds=3 message=EAT", registry, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (def->name, ==, "th1");
  g_assert_cmpstr (def->function, ==, "tutorial.sleep_print");
  g_assert_false (def->daemon);
  g_assert_nonnull (def->checked_args);
  g_assert_nonnull (def->plugin_path);

  text = fs_script_format_process (def);
  g_assert_cmpstr (text, ==, "th1 tutorial.sleep_print seconds=3 message=EAT");
}

static void
test_lessons_check (void)
{
  g_auto(GStrv) lessons = fs_script_list_lessons ();
  guint n = 0;

  /* Every shipped lesson checks, has a title and a description. */
  for (guint i = 0; lessons[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(FsScript) script = fs_script_new_from_file (lessons[i], registry, &error);

      g_test_message ("%s", lessons[i]);
      g_assert_no_error (error);
      g_assert_nonnull (fs_script_get_title (script));
      g_assert_nonnull (fs_script_get_description (script));
      g_assert_cmpuint (fs_script_get_n_statements (script), >, 0);
      n++;
    }

  g_assert_cmpuint (n, >=, 7);

  {
    g_autofree char *path = fs_script_find_lesson ("zombie");
    g_autofree char *same = fs_script_find_lesson ("zombie.forkscope");

    g_assert_nonnull (path);
    g_assert_true (g_str_has_suffix (path, "/zombie.forkscope"));
    g_assert_cmpstr (path, ==, same);
    g_assert_null (fs_script_find_lesson ("no-such-lesson"));
    g_assert_null (fs_script_find_lesson ("../lessons/zombie"));
    g_assert_null (fs_script_find_lesson (""));
  }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

  registry = fs_plugin_registry_new ();
  if (!fs_plugin_registry_load_sync (registry, &error))
    g_error ("cannot load the plugins: %s", error->message);

  g_test_add_func ("/forkscope/script/check/checked", test_checked);
  g_test_add_func ("/forkscope/script/check/unknown-function", test_unknown_function);
  g_test_add_func ("/forkscope/script/check/lookup-function", test_lookup_function);
  g_test_add_func ("/forkscope/script/check/bad-arguments", test_bad_arguments);
  g_test_add_func ("/forkscope/script/check/parse-process-line", test_parse_process_line);
  g_test_add_func ("/forkscope/script/check/lessons", test_lessons_check);

  status = g_test_run ();
  g_clear_object (&registry);
  return status;
}
