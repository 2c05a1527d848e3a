/* main.c: forkscope-worker, the host one worker function runs in
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   forkscope-worker --describe PLUGIN_PATH
 *   forkscope-worker --run PLUGIN_PATH FUNCTION [--name NAME]
 *                    [--daemon --parent PID] [--] [KEY=VALUE...]
 *
 * --describe prints the plugin's description as one GVariant text of type
 * FS_PLUGIN_DESCRIPTION_TYPE (see fs-plugin-info.h) and exits 0. --run runs
 * one function and exits with its status. Failures print one line on stderr
 * and exit with an FsWorkerExit status. This program never starts a thread
 * and never runs a main loop, so plugin code may fork() freely.
 */

#include "config.h"

#include <errno.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gi18n.h>
#include <gmodule.h>

#include "forkscope-plugin.h"
#include "fs-paths.h"
#include "fs-plugin-info.h"

static void die (int         status,
                 const char *format,
                 ...) G_GNUC_PRINTF (2, 3) G_GNUC_NORETURN;

static void
die (int         status,
     const char *format,
     ...)
{
  va_list args;

  fflush (stdout);
  fprintf (stderr, "forkscope-worker: ");
  va_start (args, format);
  vfprintf (stderr, format, args);
  va_end (args);
  fputc ('\n', stderr);
  exit (status);
}

static void G_GNUC_NORETURN
usage (void)
{
  die (FS_WORKER_EXIT_BAD_ARGS, "%s",
       _("usage: forkscope-worker --describe PLUGIN | --run PLUGIN FUNCTION "
         "[--name NAME] [--daemon --parent PID] [--] [KEY=VALUE...]"));
}

/* A worker starts from a clean slate whatever its parent had: nothing
 * blocked, nothing ignored (an ignored SIGINT or SIGPIPE would otherwise be
 * inherited through exec and surprise the function). */
static void
reset_signals (void)
{
  struct sigaction action;
  sigset_t empty;

  memset (&action, 0, sizeof action);
  action.sa_handler = SIG_DFL;
  sigemptyset (&action.sa_mask);

  for (int sig = 1; sig < NSIG; sig++)
    if (sig != SIGKILL && sig != SIGSTOP)
      (void) sigaction (sig, &action, NULL);  /* glibc's internal signals refuse: fine */

  sigemptyset (&empty);
  sigprocmask (SIG_SETMASK, &empty, NULL);
}

static void
setup_i18n (void)
{
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, fs_paths_get_localedir ());
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}

/* The built-in plugins translate in our own domain, whose catalogs are in
 * fs_paths_get_localedir(); other plugins name their own locale dir (or use
 * the system one). */
static void
bind_plugin_domain (const FsPlugin *plugin)
{
  const char *domain = plugin->gettext_domain;

  if (domain == NULL || domain[0] == '\0' || g_str_equal (domain, GETTEXT_PACKAGE))
    return;
  if (plugin->locale_dir != NULL && plugin->locale_dir[0] != '\0')
    bindtextdomain (domain, plugin->locale_dir);
  bind_textdomain_codeset (domain, "UTF-8");
}

typedef struct
{
  GModule        *module;
  const FsPlugin *plugin;
  FsPluginInfo   *info;
} Loaded;

/* Loads and checks a plugin. On failure, exits with the matching status;
 * @flatten maps every status to NOT_LOADABLE (what --run documents). */
static void
load_plugin (const char *path,
             gboolean    flatten,
             Loaded     *loaded)
{
  g_autofree char *absolute = NULL;
  g_autoptr(GVariant) description = NULL;
  g_autoptr(GError) error = NULL;
  FsPluginGetFunc get = NULL;

#define FAIL(status, ...) die (flatten ? FS_WORKER_EXIT_NOT_LOADABLE : (status), __VA_ARGS__)

  /* A bare name would make dlopen() search the library path. */
  absolute = g_canonicalize_filename (path, NULL);

  if (!g_file_test (absolute, G_FILE_TEST_EXISTS))
    FAIL (FS_WORKER_EXIT_NOT_LOADABLE, _("%s: no such file"), absolute);
  if (g_file_test (absolute, G_FILE_TEST_IS_DIR))
    FAIL (FS_WORKER_EXIT_NOT_LOADABLE, _("%s: is a folder, not a shared object"), absolute);
  if (access (absolute, R_OK) != 0)
    FAIL (FS_WORKER_EXIT_NOT_LOADABLE, _("%s: cannot be read: %s"), absolute, g_strerror (errno));

  loaded->module = g_module_open (absolute, G_MODULE_BIND_LOCAL);
  if (loaded->module == NULL)
    FAIL (FS_WORKER_EXIT_NOT_LOADABLE, _("not a loadable shared object: %s"), g_module_error ());

  if (!g_module_symbol (loaded->module, FORKSCOPE_PLUGIN_SYMBOL, (gpointer *) &get) || get == NULL)
    FAIL (FS_WORKER_EXIT_NO_SYMBOL, _("%s: not a Forkscope plugin (no %s() in it)"),
          absolute, FORKSCOPE_PLUGIN_SYMBOL);

  loaded->plugin = get ();
  if (loaded->plugin == NULL)
    FAIL (FS_WORKER_EXIT_WRONG_ABI, _("%s: %s() returned nothing"), absolute, FORKSCOPE_PLUGIN_SYMBOL);
  if (loaded->plugin->abi_version != FORKSCOPE_PLUGIN_ABI_VERSION)
    FAIL (FS_WORKER_EXIT_WRONG_ABI,
          _("%s: built for plugin ABI version %u; this Forkscope supports version %d"),
          absolute, loaded->plugin->abi_version, FORKSCOPE_PLUGIN_ABI_VERSION);

  bind_plugin_domain (loaded->plugin);

  /* The same checks the front ends rely on: describe, then parse. */
  description = fs_plugin_describe_abi (loaded->plugin, &error);
  if (description != NULL)
    loaded->info = fs_plugin_info_new_from_description (absolute, description, FALSE, &error);
  if (loaded->info == NULL)
    FAIL (FS_WORKER_EXIT_INVALID, "%s: %s", absolute, error->message);

#undef FAIL
}

static int
describe (const char *path)
{
  g_autoptr(GVariant) description = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  Loaded loaded = { 0 };
  gsize len, done = 0;
  int out;

  /* Plugin code (a constructor, forkscope_plugin_get) might print: keep
   * stdout for the description alone by pointing fd 1 at stderr meanwhile. */
  out = dup (STDOUT_FILENO);
  if (out < 0 || dup2 (STDERR_FILENO, STDOUT_FILENO) < 0)
    die (FS_WORKER_EXIT_NOT_LOADABLE, "%s", g_strerror (errno));

  load_plugin (path, FALSE, &loaded);

  description = fs_plugin_describe_abi (loaded.plugin, &error);
  g_assert (description != NULL);  /* load_plugin() checked it */
  text = g_variant_print (description, TRUE);
  fflush (stdout);

  len = strlen (text);
  text[len++] = '\n';  /* overwrites the NUL: written by length */
  while (done < len)
    {
      gssize n = write (out, text + done, len - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        die (FS_WORKER_EXIT_NOT_LOADABLE, _("cannot write the description: %s"),
             g_strerror (errno));
      done += n;
    }
  close (out);

  return FS_WORKER_EXIT_OK;
}

/* Converts checked, normalized KEY=VALUE strings into the values the
 * function receives, in the order of its specs. */
static FsValue *
make_values (FsFunctionInfo *function,
             GStrv           checked)
{
  guint n = fs_function_info_get_n_params (function);
  FsValue *values = g_new0 (FsValue, MAX (n, 1));

  for (guint i = 0; i < n; i++)
    {
      const FsParamInfo *param = fs_function_info_get_param (function, i);
      const char *text = strchr (checked[i], '=') + 1;

      g_assert (g_str_has_prefix (checked[i], param->name));

      values[i].s = text;
      switch (param->type)
        {
        case FS_PARAM_INT:
          values[i].i = g_ascii_strtoll (text, NULL, 10);
          values[i].d = (double) values[i].i;
          break;
        case FS_PARAM_DOUBLE:
          values[i].d = g_ascii_strtod (text, NULL);
          values[i].i = (gint64) values[i].d;
          break;
        case FS_PARAM_BOOL:
          values[i].b = g_str_equal (text, "true");
          values[i].i = values[i].b;
          break;
        case FS_PARAM_ENUM:
          for (guint k = 0; param->choices[k] != NULL; k++)
            if (g_str_equal (param->choices[k], text))
              values[i].i = k;
          break;
        case FS_PARAM_STRING:
        default:
          break;
        }
    }

  return values;
}

static int
run (int    argc,
     char **argv)
{
  const char *path;
  const char *function_name;
  const char *name = NULL;
  const char *dot;
  gboolean daemon = FALSE;
  gint64 parent = 0;
  int first_arg = argc;
  Loaded loaded = { 0 };
  FsFunctionInfo *function;
  const FsFunction *abi_function = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) checked = NULL;
  g_autofree FsValue *values = NULL;
  void *state = NULL;
  char *setup_error = NULL;
  int status;

  if (argc < 4)
    usage ();
  path = argv[2];
  function_name = argv[3];

  for (int i = 4; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--"))
        {
          first_arg = i + 1;
          break;
        }
      else if (g_str_equal (argv[i], "--name") && i + 1 < argc)
        name = argv[++i];
      else if (g_str_has_prefix (argv[i], "--name="))
        name = argv[i] + strlen ("--name=");
      else if (g_str_equal (argv[i], "--daemon"))
        daemon = TRUE;
      else if (g_str_equal (argv[i], "--parent") && i + 1 < argc)
        {
          if (!g_ascii_string_to_signed (argv[++i], 10, 1, G_MAXINT, &parent, NULL))
            usage ();
        }
      else if (g_str_has_prefix (argv[i], "--"))
        usage ();
      else
        {
          first_arg = i;
          break;
        }
    }
  if (daemon && parent == 0)
    usage ();

  /* We lead our own process group, so the tree can be told apart and be
   * signalled as a whole. The supervisor did it too: this is idempotent, and
   * EPERM (already a session leader) changes nothing for us. */
  (void) setpgid (0, 0);

  if (name == NULL)
    {
      dot = strrchr (function_name, '.');
      name = dot != NULL ? dot + 1 : function_name;
    }
  /* ps and top show the comm (at most 15 bytes: the kernel truncates). */
  (void) prctl (PR_SET_NAME, (unsigned long) name, 0, 0, 0);
  g_set_prgname (name);

  if (daemon)
    {
      /* Die with the parent, like a daemonic multiprocessing.Process. The
       * parent may have died before the prctl(): then we were re-parented
       * already and the death signal will never come (prctl(2)). */
      if (prctl (PR_SET_PDEATHSIG, SIGTERM, 0, 0, 0) != 0)
        die (FS_WORKER_EXIT_NOT_LOADABLE, "PR_SET_PDEATHSIG: %s", g_strerror (errno));
      if (getppid () != (pid_t) parent)
        {
          raise (SIGTERM);  /* what the parent's death would have done */
          _exit (128 + SIGTERM);
        }
    }

  load_plugin (path, TRUE, &loaded);

  /* FUNCTION or PLUGIN.FUNCTION. */
  dot = strchr (function_name, '.');
  if (dot != NULL)
    {
      g_autofree char *plugin_name = g_strndup (function_name, dot - function_name);

      if (!g_str_equal (plugin_name, fs_plugin_info_get_name (loaded.info)))
        die (FS_WORKER_EXIT_NOT_LOADABLE, _("%s: this plugin is \"%s\", not \"%s\""),
             path, fs_plugin_info_get_name (loaded.info), plugin_name);
      function_name = dot + 1;
    }

  function = fs_plugin_info_lookup_function (loaded.info, function_name);
  if (function == NULL)
    {
      GListModel *functions = fs_plugin_info_get_functions (loaded.info);
      GString *known = g_string_new (NULL);

      for (guint i = 0; i < g_list_model_get_n_items (functions); i++)
        {
          g_autoptr(FsFunctionInfo) f = g_list_model_get_item (functions, i);
          g_string_append_printf (known, "%s%s", i > 0 ? ", " : "", fs_function_info_get_name (f));
        }
      die (FS_WORKER_EXIT_NOT_LOADABLE, _("plugin \"%s\" has no function \"%s\" (it has: %s)"),
           fs_plugin_info_get_name (loaded.info), function_name, known->str);
    }

  for (guint i = 0; i < loaded.plugin->n_functions; i++)
    if (g_str_equal (loaded.plugin->functions[i].name, function_name))
      abi_function = &loaded.plugin->functions[i];
  g_assert (abi_function != NULL);

  checked = fs_function_info_check_args (function, (const char * const *) argv + first_arg, &error);
  if (checked == NULL)
    die (FS_WORKER_EXIT_BAD_ARGS, "%s", error->message);
  values = make_values (function, checked);

  if (abi_function->setup != NULL &&
      abi_function->setup (values, &state, &setup_error) != 0)
    {
      g_autofree char *message = NULL;

      message = g_strdup (setup_error != NULL ? setup_error : _("setup failed"));
      free (setup_error);
      die (FS_WORKER_EXIT_BAD_ARGS, "%s: %s", fs_function_info_get_full_name (function), message);
    }

  status = abi_function->run (values, state);

  /* Like returning from main(): flush, then leave with the status. */
  fflush (stdout);
  fflush (stderr);
  return status & 0xff;
}

int
main (int    argc,
      char **argv)
{
  reset_signals ();

  /* Output goes to sockets, yet people watch it live. */
  setvbuf (stdout, NULL, _IOLBF, 0);

  setup_i18n ();

  if (argc == 3 && g_str_equal (argv[1], "--describe"))
    return describe (argv[2]);
  if (argc >= 2 && g_str_equal (argv[1], "--run"))
    return run (argc, argv);

  usage ();
}
