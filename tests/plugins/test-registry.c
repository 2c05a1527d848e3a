/* test-registry.c: describing plugins, good and bad, through the worker
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "fs-paths.h"
#include "fs-plugin-info.h"
#include "fs-test-worker.h"

/* The built-in functions and their parameters are a contract (lessons and
 * tests use them): name(param:type=default,...). */
static const char * const builtin_signatures[] = {
  "basics.sleep(seconds:double=1)",
  "basics.exit(code:int=0,seconds:double=0)",
  "basics.crash(signal:enum=SEGV[SEGV|ABRT|FPE|BUS|ILL])",
  "basics.burn(seconds:double=1,threads:int=1)",
  "basics.alloc(megabytes:int=64,seconds:double=1)",
  "basics.ignore_term(seconds:double=1)",
  "basics.print(lines:int=10,interval:double=0.1,stream:enum=stdout[stdout|stderr])",
  "basics.stdin()",
  "basics.fds()",
  "command.run(argv:string=echo hello)",
  "lifecycle.zombie(seconds:double=5,reap:bool=false)",
  "lifecycle.orphan(seconds:double=5)",
  "lifecycle.tree(depth:int=2,fanout:int=2,seconds:double=5)",
  "lifecycle.pool(workers:int=8,items:int=32,item_seconds:double=0.05)",
  "tutorial.sleep_print(seconds:double=1,message:string=hello)",
  "tutorial.fork_test(child_sleep:double=2,parent_sleep:double=3)",
  "tutorial.fork_memory(value:int=100)",
  "tutorial.exit_kinds(how:enum=exit[exit|_exit|return|abort],code:int=0)",
};

static char *
signature (FsFunctionInfo *function)
{
  GString *str = g_string_new (fs_function_info_get_full_name (function));

  g_string_append_c (str, '(');
  for (guint i = 0; i < fs_function_info_get_n_params (function); i++)
    {
      const FsParamInfo *param = fs_function_info_get_param (function, i);

      g_string_append_printf (str, "%s%s:%s=%s", i > 0 ? "," : "", param->name,
                              fs_param_type_to_string (param->type), param->default_value);
      if (param->type == FS_PARAM_ENUM)
        {
          g_autofree char *choices = g_strjoinv ("|", param->choices);
          g_string_append_printf (str, "[%s]", choices);
        }
    }
  g_string_append_c (str, ')');
  return g_string_free (str, FALSE);
}

static FsPluginInfo *
find_plugin (FsPluginRegistry *registry,
             const char       *file)
{
  GListModel *plugins = fs_plugin_registry_get_plugins (registry);

  for (guint i = 0; i < g_list_model_get_n_items (plugins); i++)
    {
      g_autoptr(FsPluginInfo) plugin = g_list_model_get_item (plugins, i);
      g_autofree char *base = g_path_get_basename (fs_plugin_info_get_path (plugin));

      if (g_str_equal (base, file))
        return plugin;  /* the model keeps it alive */
    }
  g_error ("%s is not listed", file);
}

static void
assert_unavailable (FsPluginRegistry *registry,
                    const char       *file,
                    const char       *reason_part)
{
  FsPluginInfo *plugin = find_plugin (registry, file);
  const char *reason = fs_plugin_info_get_reason (plugin);

  if (fs_plugin_info_get_available (plugin))
    g_error ("%s is available, expected unavailable because \"%s\"", file, reason_part);
  g_assert_nonnull (reason);
  if (strstr (reason, reason_part) == NULL)
    g_error ("%s: reason \"%s\" does not say \"%s\"", file, reason, reason_part);
  /* One line, to show next to the plugin's name (which shows the path). */
  g_assert_null (strchr (reason, '\n'));
  g_assert_null (strstr (reason, fs_plugin_info_get_path (plugin)));
  g_assert_cmpuint (g_list_model_get_n_items (fs_plugin_info_get_functions (plugin)), ==, 0);
}

/* Runs @full_name from the registry through the worker, as a front end
 * would: the arguments checked first, then passed on. */
static FsWorkerResult *
run_function (FsPluginRegistry   *registry,
              const char         *full_name,
              const char * const *args)
{
  FsFunctionInfo *function = fs_plugin_registry_lookup (registry, full_name);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) checked = NULL;
  g_autoptr(GStrvBuilder) argv = g_strv_builder_new ();
  g_auto(GStrv) argv_strv = NULL;

  g_assert_nonnull (function);
  checked = fs_function_info_check_args (function, args, &error);
  g_assert_no_error (error);

  g_strv_builder_add_many (argv, "--run", fs_function_info_get_plugin_path (function),
                           fs_function_info_get_full_name (function), "--", NULL);
  g_strv_builder_addv (argv, (const char **) checked);
  argv_strv = g_strv_builder_end (argv);

  return fs_test_worker_runv ((const char * const *) argv_strv);
}

static void
test_builtins (void)
{
  g_autoptr(FsPluginRegistry) registry = fs_plugin_registry_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_free);
  GListModel *plugins = fs_plugin_registry_get_plugins (registry);
  const char *expected_plugins[] = { "basics", "command", "lifecycle", "tutorial" };

  /* The default search path: built-ins, FORKSCOPE_PLUGIN_PATH (empty in
   * tests), the user's folder (absent). */
  g_assert_true (fs_plugin_registry_load_sync (registry, &error));
  g_assert_no_error (error);

  g_assert_cmpuint (g_list_model_get_n_items (plugins), ==, G_N_ELEMENTS (expected_plugins));
  for (guint i = 0; i < G_N_ELEMENTS (expected_plugins); i++)
    {
      g_autoptr(FsPluginInfo) plugin = g_list_model_get_item (plugins, i);
      GListModel *functions = fs_plugin_info_get_functions (plugin);

      g_assert_cmpstr (fs_plugin_info_get_name (plugin), ==, expected_plugins[i]);
      g_assert_true (fs_plugin_info_get_available (plugin));
      g_assert_true (fs_plugin_info_get_builtin (plugin));
      g_assert_cmpstr (fs_plugin_info_get_summary (plugin), !=, "");

      for (guint j = 0; j < g_list_model_get_n_items (functions); j++)
        {
          g_autoptr(FsFunctionInfo) function = g_list_model_get_item (functions, j);

          g_ptr_array_add (found, signature (function));
          g_assert_cmpstr (fs_function_info_get_summary (function), !=, "");

          for (guint k = 0; k < fs_function_info_get_n_params (function); k++)
            {
              const FsParamInfo *param = fs_function_info_get_param (function, k);

              /* Every numeric parameter is bounded; every one is described. */
              if (param->type == FS_PARAM_INT || param->type == FS_PARAM_DOUBLE)
                g_assert_cmpfloat (param->min, <, param->max);
              g_assert_cmpstr (param->description, !=, "");
              if (g_str_equal (param->name, "seconds"))
                {
                  g_assert_cmpfloat (param->min, ==, 0);
                  g_assert_cmpfloat (param->max, ==, 3600);
                }
            }
        }
    }

  g_assert_cmpuint (found->len, ==, G_N_ELEMENTS (builtin_signatures));
  for (guint i = 0; i < G_N_ELEMENTS (builtin_signatures); i++)
    {
      gboolean present = FALSE;

      for (guint j = 0; j < found->len; j++)
        present |= g_str_equal (g_ptr_array_index (found, j), builtin_signatures[i]);
      if (!present)
        g_error ("missing or different: %s", builtin_signatures[i]);
    }

  g_assert_nonnull (fs_plugin_registry_lookup (registry, "tutorial.fork_test"));
  g_assert_null (fs_plugin_registry_lookup (registry, "tutorial.nope"));
  g_assert_null (fs_plugin_registry_lookup (registry, "nope.sleep"));
  g_assert_null (fs_plugin_registry_lookup (registry, "sleep"));

  g_clear_pointer (&found, g_ptr_array_unref);
  g_assert_finalize_object (g_steal_pointer (&registry));
}

static void
test_describe (void)
{
  g_autofree char *path = fs_test_plugin_path ("tutorial");
  const char *argv[] = { "--describe", path, NULL };
  g_autoptr(FsWorkerResult) r = fs_test_worker_runv (argv);
  g_autoptr(GVariant) description = NULL;
  g_autoptr(GError) error = NULL;
  const char *name = NULL;
  guint32 version = 0;

  fs_test_assert_exit_code (r, 0);
  g_assert_cmpstr (r->err, ==, "");
  /* One GVariant text, one line. */
  g_assert_cmpuint (fs_test_count (r->out, "\n"), ==, 1);
  g_assert_true (g_str_has_suffix (r->out, "\n"));
  description = g_variant_parse (G_VARIANT_TYPE (FS_PLUGIN_DESCRIPTION_TYPE), r->out, NULL, NULL,
                                 &error);
  g_assert_no_error (error);
  g_variant_get (description, "(u&s&s@a(ssa(sssddass)))", &version, &name, NULL, NULL);
  g_assert_cmpuint (version, ==, FS_PLUGIN_DESCRIPTION_VERSION);
  g_assert_cmpstr (name, ==, "tutorial");
}

static void
test_describe_exit_codes (void)
{
  struct {
    const char *file;
    int         code;      /* -1: a signal */
    const char *message;
  } cases[] = {
    { "crash.so", -SIGSEGV, NULL },
    { "wrong-abi.so", FS_WORKER_EXIT_WRONG_ABI, "built for plugin ABI version 99" },
    { "no-symbol.so", FS_WORKER_EXIT_NO_SYMBOL, "not a Forkscope plugin" },
    { "bad.so", FS_WORKER_EXIT_NOT_LOADABLE, "not a loadable shared object" },
    { "invalid.so", FS_WORKER_EXIT_INVALID, "the default is invalid" },
    { "missing.so", FS_WORKER_EXIT_NOT_LOADABLE, "no such file" },
    { "noisy.so", FS_WORKER_EXIT_OK, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_build_filename (BAD_PLUGIN_DIR, cases[i].file, NULL);
      const char *argv[] = { "--describe", path, NULL };
      g_autoptr(FsWorkerResult) r = fs_test_worker_runv (argv);

      if (cases[i].code < 0)
        {
          g_assert_true (WIFSIGNALED (r->wait_status));
          g_assert_cmpint (WTERMSIG (r->wait_status), ==, -cases[i].code);
        }
      else
        fs_test_assert_exit_code (r, cases[i].code);

      if (cases[i].message != NULL)
        {
          g_assert_true (g_str_has_prefix (r->err, "forkscope-worker: "));
          g_assert_nonnull (strstr (r->err, cases[i].message));
          g_assert_cmpstr (r->out, ==, "");
        }

      if (cases[i].code == FS_WORKER_EXIT_OK)
        {
          /* What the plugin printed went to stderr; stdout is the description. */
          g_autoptr(GVariant) v = g_variant_parse (G_VARIANT_TYPE (FS_PLUGIN_DESCRIPTION_TYPE),
                                                   r->out, NULL, NULL, NULL);
          g_assert_nonnull (v);
          g_assert_nonnull (strstr (r->err, "noise from a constructor"));
          g_assert_nonnull (strstr (r->err, "noise from forkscope_plugin_get"));
        }
    }
}

typedef struct
{
  char *dir;
} TmpDir;

static void
tmp_dir_setup (TmpDir       *fixture,
               gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dangling = NULL;
  g_autofree char *empty = NULL;
  g_autofree char *subdir = NULL;

  fixture->dir = g_dir_make_tmp ("forkscope-plugins-XXXXXX", &error);
  g_assert_no_error (error);

  /* An unreadable plugin: a link to nowhere (chmod does not stop root). */
  dangling = g_build_filename (fixture->dir, "dangling.so", NULL);
  g_assert_cmpint (symlink ("/nonexistent/plugin.so", dangling), ==, 0);
  empty = g_build_filename (fixture->dir, "empty.so", NULL);
  g_assert_true (g_file_set_contents (empty, "", 0, NULL));
  /* Folders and other files are not candidates. */
  subdir = g_build_filename (fixture->dir, "folder.so", NULL);
  g_assert_cmpint (g_mkdir (subdir, 0755), ==, 0);
}

static void
tmp_dir_teardown (TmpDir       *fixture,
                  gconstpointer data)
{
  const char *names[] = { "dangling.so", "empty.so", "folder.so", "hang.so", NULL };

  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree char *path = g_build_filename (fixture->dir, names[i], NULL);
      g_remove (path);
    }
  g_assert_cmpint (g_rmdir (fixture->dir), ==, 0);
  g_free (fixture->dir);
}

static void
test_bad_plugins (TmpDir       *fixture,
                  gconstpointer data)
{
  g_autoptr(FsPluginRegistry) registry = fs_plugin_registry_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(FsWorkerResult) r = NULL;
  const char *dirs[] = { fs_paths_get_plugindir (), BAD_PLUGIN_DIR, fixture->dir, NULL };
  const char *sleep_args[] = { "seconds=0", NULL };
  const char *hello_args[] = { "times=2", NULL };
  g_autofree char *shadowed = NULL;
  g_autofree char *builtin_basics = NULL;
  FsPluginInfo *twin;
  FsFunctionInfo *sleep_function;

  fs_plugin_registry_set_search_path (registry, dirs);
  /* Short, so the hanging plugin costs little; ample for the others, which
   * answer in milliseconds. */
  fs_plugin_registry_set_timeout (registry, 1500);
  g_assert_true (fs_plugin_registry_load_sync (registry, &error));
  g_assert_no_error (error);

  /* 4 built-ins, 8 test plugins, 2 files in the temporary folder. */
  g_assert_cmpuint (g_list_model_get_n_items (fs_plugin_registry_get_plugins (registry)), ==, 14);

  assert_unavailable (registry, "crash.so", "Crashed while being read: Segmentation fault (signal 11)");
  assert_unavailable (registry, "hang.so", "Did not describe itself within 1.5 seconds");
  assert_unavailable (registry, "wrong-abi.so",
                      "Built for plugin ABI version 99; this Forkscope supports version 1");
  assert_unavailable (registry, "no-symbol.so", "Not a Forkscope plugin (no forkscope_plugin_get() in it)");
  assert_unavailable (registry, "bad.so", "Not a loadable shared object: ");
  assert_unavailable (registry, "invalid.so",
                      "Invalid plugin description: the default is invalid: invalid.f: parameter "
                      "\"seconds\" must be a number between 0 and 3600, not \"7200\"");
  assert_unavailable (registry, "dangling.so", "No such file");
  assert_unavailable (registry, "empty.so", "Not a loadable shared object: ");

  /* A second "basics": the built-in one, first in the path, wins. */
  builtin_basics = fs_test_plugin_path ("basics");
  shadowed = g_strdup_printf ("Shadowed by %s, found first", builtin_basics);
  assert_unavailable (registry, "twin-basics.so", shadowed);
  twin = find_plugin (registry, "twin-basics.so");
  g_assert_cmpstr (fs_plugin_info_get_name (twin), ==, "basics");
  g_assert_false (fs_plugin_info_get_builtin (twin));

  /* Unavailable ones are named after their file. */
  g_assert_cmpstr (fs_plugin_info_get_name (find_plugin (registry, "crash.so")), ==, "crash");
  g_assert_false (fs_plugin_info_get_builtin (find_plugin (registry, "crash.so")));

  /* The good ones still work. */
  g_assert_true (fs_plugin_info_get_available (find_plugin (registry, "noisy.so")));
  g_assert_true (fs_plugin_info_get_builtin (find_plugin (registry, "tutorial.so")));
  sleep_function = fs_plugin_registry_lookup (registry, "basics.sleep");
  g_assert_nonnull (sleep_function);
  g_assert_cmpstr (fs_function_info_get_plugin_path (sleep_function), ==, builtin_basics);

  r = run_function (registry, "basics.sleep", sleep_args);
  fs_test_assert_exit_code (r, 0);
  g_clear_pointer (&r, fs_worker_result_free);

  r = run_function (registry, "noisy.hello", hello_args);
  fs_test_assert_exit_code (r, 0);
  g_assert_cmpstr (r->out, ==,
                   "noise from a constructor\nnoise from forkscope_plugin_get\n"
                   "hello from noisy, 2 times\n");
  g_clear_pointer (&r, fs_worker_result_free);

  g_assert_null (fs_plugin_registry_lookup (registry, "crash.anything"));
  g_assert_finalize_object (g_steal_pointer (&registry));
}

typedef struct
{
  GMainLoop    *loop;
  GAsyncResult *result;
} LoadWait;

static void
load_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  LoadWait *wait = user_data;

  wait->result = g_object_ref (result);
  g_main_loop_quit (wait->loop);
}

static gboolean
fail_timeout_cb (gpointer user_data)
{
  g_error ("the registry did not finish in time");
  return G_SOURCE_REMOVE;
}

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  gpointer    user_data)
{
  guint *count = user_data;

  (*count)++;
}

static void
test_cancel (TmpDir       *fixture,
             gconstpointer data)
{
  g_autoptr(FsPluginRegistry) registry = fs_plugin_registry_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GError) error = NULL;
  g_autofree char *hang_src = g_build_filename (BAD_PLUGIN_DIR, "hang.so", NULL);
  g_autofree char *hang = g_build_filename (fixture->dir, "hang.so", NULL);
  const char *dirs[] = { fixture->dir, NULL };
  LoadWait wait = { loop, NULL };
  guint changes = 0;
  guint timeout;

  g_assert_cmpint (symlink (hang_src, hang), ==, 0);
  fs_plugin_registry_set_search_path (registry, dirs);
  /* Long enough that only cancelling can end it in time. */
  fs_plugin_registry_set_timeout (registry, 60000);
  g_signal_connect (fs_plugin_registry_get_plugins (registry), "items-changed",
                    G_CALLBACK (items_changed_cb), &changes);

  fs_plugin_registry_load_async (registry, cancellable, load_cb, &wait);
  g_cancellable_cancel (cancellable);
  timeout = g_timeout_add_seconds (30, fail_timeout_cb, NULL);
  g_main_loop_run (loop);
  g_source_remove (timeout);

  g_assert_false (fs_plugin_registry_load_finish (registry, wait.result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  /* A cancelled load leaves the list alone. */
  g_assert_cmpuint (changes, ==, 0);
  g_clear_object (&wait.result);
  g_clear_error (&error);

  /* Loading again works, and replaces the list in one change. */
  g_remove (hang);
  fs_plugin_registry_load_async (registry, NULL, load_cb, &wait);
  timeout = g_timeout_add_seconds (30, fail_timeout_cb, NULL);
  g_main_loop_run (loop);
  g_source_remove (timeout);
  g_assert_true (fs_plugin_registry_load_finish (registry, wait.result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (changes, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (fs_plugin_registry_get_plugins (registry)), ==, 2);
  g_clear_object (&wait.result);
}

static void
test_example_plugin (void)
{
  g_autoptr(FsPluginRegistry) registry = fs_plugin_registry_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(FsWorkerResult) r = NULL;
  g_auto(GStrv) lines = NULL;
  g_autofree char *expected = NULL;
  const char *dirs[] = { EXAMPLE_PLUGIN_DIR, NULL };
  const char *args[] = { "value=EAT", "times=2", "interval=0", NULL };
  const char *empty[] = { "value=", NULL };
  FsPluginInfo *plugin;
  FsFunctionInfo *function;

  fs_plugin_registry_set_search_path (registry, dirs);
  g_assert_true (fs_plugin_registry_load_sync (registry, &error));
  g_assert_no_error (error);

  plugin = find_plugin (registry, "example.so");
  g_assert_true (fs_plugin_info_get_available (plugin));
  g_assert_false (fs_plugin_info_get_builtin (plugin));
  g_assert_cmpstr (fs_plugin_info_get_name (plugin), ==, "example");
  function = fs_plugin_registry_lookup (registry, "example.my_process");
  g_assert_nonnull (function);
  g_assert_cmpuint (fs_function_info_get_n_params (function), ==, 3);

  /* MyProcess("EAT").start(): run() prints value and PID, twice. */
  r = run_function (registry, "example.my_process", args);
  fs_test_assert_exit_code (r, 0);
  expected = g_strdup_printf ("EAT %d", r->pid);
  lines = g_strsplit (r->out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 3);
  g_assert_cmpstr (lines[0], ==, expected);
  g_assert_cmpstr (lines[1], ==, expected);
  g_clear_pointer (&r, fs_worker_result_free);

  /* __init__ (setup) refuses what the spec cannot: exit 2, nothing runs. */
  r = run_function (registry, "example.my_process", empty);
  fs_test_assert_exit_code (r, 2);
  g_assert_cmpstr (r->err, ==, "forkscope-worker: example.my_process: value must not be empty\n");
  g_assert_cmpstr (r->out, ==, "");
}

static void
test_translated (void)
{
  g_autoptr(FsPluginRegistry) registry = fs_plugin_registry_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *wrong_abi = g_build_filename (BAD_PLUGIN_DIR, "wrong-abi.so", NULL);
  g_autofree char *tmp = g_dir_make_tmp ("forkscope-plugins-XXXXXX", &error);
  g_autofree char *link = g_build_filename (tmp, "wrong-abi.so", NULL);
  const char *dirs[] = { fs_paths_get_plugindir (), tmp, NULL };
  FsFunctionInfo *function;

  g_assert_no_error (error);
  g_assert_cmpint (symlink (wrong_abi, link), ==, 0);

  /* The worker translates descriptions and reasons in the user's language
   * (it inherits the environment); LANGUAGE works under C.UTF-8. */
  g_setenv ("LANGUAGE", "zh_CN", TRUE);
  fs_plugin_registry_set_search_path (registry, dirs);
  g_assert_true (fs_plugin_registry_load_sync (registry, &error));
  g_unsetenv ("LANGUAGE");
  g_assert_no_error (error);

  function = fs_plugin_registry_lookup (registry, "tutorial.sleep_print");
  g_assert_nonnull (function);
  g_assert_cmpstr (fs_function_info_get_summary (function), ==,
                   "睡眠，打印一条消息，再打印 PPID --- PID");
  g_assert_cmpstr (fs_plugin_info_get_summary (find_plugin (registry, "lifecycle.so")), ==,
                   "僵尸进程、孤儿进程和进程树");
  assert_unavailable (registry, "wrong-abi.so", "为插件 ABI 版本 99 构建");

  g_remove (link);
  g_rmdir (tmp);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/forkscope/plugins/registry/builtins", test_builtins);
  g_test_add_func ("/forkscope/plugins/registry/describe", test_describe);
  g_test_add_func ("/forkscope/plugins/registry/describe-exit-codes", test_describe_exit_codes);
  g_test_add ("/forkscope/plugins/registry/bad-plugins", TmpDir, NULL,
              tmp_dir_setup, test_bad_plugins, tmp_dir_teardown);
  g_test_add ("/forkscope/plugins/registry/cancel", TmpDir, NULL,
              tmp_dir_setup, test_cancel, tmp_dir_teardown);
  g_test_add_func ("/forkscope/plugins/registry/example-plugin", test_example_plugin);
  g_test_add_func ("/forkscope/plugins/registry/translated", test_translated);

  return g_test_run ();
}
