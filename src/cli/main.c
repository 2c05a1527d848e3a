/* main.c: forkscope-cli
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib-unix.h>

#include "fs-engine.h"
#include "fs-lesson.h"
#include "fs-paths.h"
#include "fs-plugin-info.h"
#include "fs-script.h"
#include "fs-script-runner.h"

/* Exit statuses: the script ran and held; something failed; the input (the
 * command line or the script) is wrong and nothing was started. */
#define EXIT_OK      0
#define EXIT_FAILED  1
#define EXIT_USAGE   2

/* How long the supervisor gets to exit after the script. */
#define SHUTDOWN_TIMEOUT_SECONDS 10
/* The longest pause --step-delay takes: an hour is a slow learner. */
#define STEP_DELAY_MAX 3600.0

static void
json_append_string (GString    *out,
                    const char *text)
{
  g_string_append_c (out, '"');
  for (const char *p = text; p != NULL && *p != '\0'; p++)
    {
      guchar c = *p;

      if (c == '"' || c == '\\')
        g_string_append_printf (out, "\\%c", c);
      else if (c == '\n')
        g_string_append (out, "\\n");
      else if (c == '\t')
        g_string_append (out, "\\t");
      else if (c < 0x20 || c == 0x7f)
        g_string_append_printf (out, "\\u%04x", c);
      else
        g_string_append_c (out, c);
    }
  g_string_append_c (out, '"');
}

static void
json_append_number (GString *out,
                    double   value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  g_string_append (out, g_ascii_dtostr (buffer, sizeof buffer, value));
}

/* JSON lines are UTF-8 whatever the locale, and flushed at once for
 * whoever reads them as a stream; g_print() would convert them. */
static void
print_json_line (const char *line)
{
  fputs (line, stdout);
  fputc ('\n', stdout);
  fflush (stdout);
}

static void
print_error (const char *format,
             ...) G_GNUC_PRINTF (1, 2);

static void
print_error (const char *format,
             ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  fflush (stdout);
  g_printerr ("%s\n", message);
}

static FsPluginRegistry *
load_registry (void)
{
  g_autoptr(FsPluginRegistry) registry = fs_plugin_registry_new ();
  g_autoptr(GError) error = NULL;

  if (!fs_plugin_registry_load_sync (registry, &error))
    {
      /* Translators: %s is an error message. */
      print_error (_("forkscope-cli: cannot read the plugins: %s"), error->message);
      return NULL;
    }

  return g_steal_pointer (&registry);
}

/* plugins */

static void
print_plugin_text (FsPluginInfo *plugin)
{
  GListModel *functions = fs_plugin_info_get_functions (plugin);
  const char *summary = fs_plugin_info_get_summary (plugin);

  if (!fs_plugin_info_get_available (plugin))
    {
      /* Translators: a plugin that cannot be used; %s: its name, its file, why. */
      g_print (_("%s (%s): unavailable: %s\n"),
               fs_plugin_info_get_name (plugin),
               fs_plugin_info_get_path (plugin),
               fs_plugin_info_get_reason (plugin));
      return;
    }

  g_print ("%s%s%s%s\n",
           fs_plugin_info_get_name (plugin),
           summary != NULL && *summary != '\0' ? " — " : "",
           summary != NULL ? summary : "",
           fs_plugin_info_get_builtin (plugin) ? _(" (built-in)") : "");

  for (guint i = 0; functions != NULL && i < g_list_model_get_n_items (functions); i++)
    {
      g_autoptr(FsFunctionInfo) function = g_list_model_get_item (functions, i);
      g_autoptr(GString) params = g_string_new (NULL);

      for (guint j = 0; j < fs_function_info_get_n_params (function); j++)
        {
          const FsParamInfo *param = fs_function_info_get_param (function, j);

          g_string_append_printf (params, "%s%s=%s", j > 0 ? " " : "",
                                  param->name, param->default_value);
        }

      g_print ("  %-26s %s\n", fs_function_info_get_full_name (function),
               fs_function_info_get_summary (function));
      if (params->len > 0)
        g_print ("  %-26s %s\n", "", params->str);
    }
}

static void
append_function_json (GString        *out,
                      FsFunctionInfo *function)
{
  g_string_append (out, "{\"name\":");
  json_append_string (out, fs_function_info_get_full_name (function));
  g_string_append (out, ",\"summary\":");
  json_append_string (out, fs_function_info_get_summary (function));
  g_string_append (out, ",\"params\":[");

  for (guint j = 0; j < fs_function_info_get_n_params (function); j++)
    {
      const FsParamInfo *param = fs_function_info_get_param (function, j);

      if (j > 0)
        g_string_append_c (out, ',');
      g_string_append (out, "{\"name\":");
      json_append_string (out, param->name);
      g_string_append (out, ",\"type\":");
      json_append_string (out, fs_param_type_to_string (param->type));
      g_string_append (out, ",\"default\":");
      json_append_string (out, param->default_value);
      if ((param->type == FS_PARAM_INT || param->type == FS_PARAM_DOUBLE) &&
          (param->min != 0 || param->max != 0))
        {
          g_string_append (out, ",\"min\":");
          json_append_number (out, param->min);
          g_string_append (out, ",\"max\":");
          json_append_number (out, param->max);
        }
      if (param->choices != NULL)
        {
          g_string_append (out, ",\"choices\":[");
          for (guint k = 0; param->choices[k] != NULL; k++)
            {
              if (k > 0)
                g_string_append_c (out, ',');
              json_append_string (out, param->choices[k]);
            }
          g_string_append_c (out, ']');
        }
      g_string_append (out, ",\"description\":");
      json_append_string (out, param->description);
      g_string_append_c (out, '}');
    }

  g_string_append (out, "]}");
}

static void
print_plugin_json (FsPluginInfo *plugin)
{
  g_autoptr(GString) out = g_string_new ("{\"plugin\":");
  GListModel *functions = fs_plugin_info_get_functions (plugin);

  json_append_string (out, fs_plugin_info_get_name (plugin));
  g_string_append (out, ",\"path\":");
  json_append_string (out, fs_plugin_info_get_path (plugin));
  g_string_append_printf (out, ",\"builtin\":%s,\"available\":%s",
                          fs_plugin_info_get_builtin (plugin) ? "true" : "false",
                          fs_plugin_info_get_available (plugin) ? "true" : "false");

  if (!fs_plugin_info_get_available (plugin))
    {
      g_string_append (out, ",\"reason\":");
      json_append_string (out, fs_plugin_info_get_reason (plugin));
    }
  else
    {
      g_string_append (out, ",\"summary\":");
      json_append_string (out, fs_plugin_info_get_summary (plugin));
    }

  g_string_append (out, ",\"functions\":[");
  for (guint i = 0; functions != NULL && i < g_list_model_get_n_items (functions); i++)
    {
      g_autoptr(FsFunctionInfo) function = g_list_model_get_item (functions, i);

      if (i > 0)
        g_string_append_c (out, ',');
      append_function_json (out, function);
    }
  g_string_append (out, "]}");

  print_json_line (out->str);
}

static int
command_plugins (int    argc,
                 char **argv)
{
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print one JSON object per plugin, one a line"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(FsPluginRegistry) registry = NULL;
  g_autoptr(GError) error = NULL;
  GListModel *plugins;

  g_option_context_set_summary (context, _("List the plugin functions that can be run."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc != 1)
    {
      print_error ("forkscope-cli plugins: %s",
                   error != NULL ? error->message : _("no arguments expected"));
      return EXIT_USAGE;
    }

  registry = load_registry ();
  if (registry == NULL)
    return EXIT_FAILED;

  plugins = fs_plugin_registry_get_plugins (registry);
  for (guint i = 0; i < g_list_model_get_n_items (plugins); i++)
    {
      g_autoptr(FsPluginInfo) plugin = g_list_model_get_item (plugins, i);

      if (json)
        print_plugin_json (plugin);
      else
        print_plugin_text (plugin);
    }

  return EXIT_OK;
}

/* describe */

static int
command_describe (int    argc,
                  char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("FUNCTION"));
  g_autoptr(FsPluginRegistry) registry = NULL;
  g_autoptr(GError) error = NULL;
  FsFunctionInfo *function;
  guint n_params;

  g_option_context_set_summary (context,
                                _("Show a function's parameters: their types, ranges and defaults.\n"
                                  "FUNCTION is PLUGIN.NAME, e.g. tutorial.sleep_print."));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc != 2)
    {
      print_error ("forkscope-cli describe: %s",
                   error != NULL ? error->message : _("expected one FUNCTION"));
      return EXIT_USAGE;
    }

  registry = load_registry ();
  if (registry == NULL)
    return EXIT_FAILED;

  function = fs_script_lookup_function (registry, argv[1], &error);
  if (function == NULL)
    {
      print_error ("forkscope-cli: %s", error->message);
      return EXIT_USAGE;
    }

  g_print ("%s — %s\n", fs_function_info_get_full_name (function),
           fs_function_info_get_summary (function));
  /* Translators: %s is a file name. */
  g_print (_("Plugin file: %s\n"), fs_function_info_get_plugin_path (function));

  n_params = fs_function_info_get_n_params (function);
  if (n_params == 0)
    g_print (_("No parameters.\n"));
  else
    g_print (_("Parameters:\n"));

  for (guint i = 0; i < n_params; i++)
    {
      const FsParamInfo *param = fs_function_info_get_param (function, i);
      g_autofree char *text = fs_param_info_to_string (param);

      g_print ("  %s\n", text);
      if (param->description != NULL && *param->description != '\0')
        g_print ("      %s\n", param->description);
    }

  return EXIT_OK;
}

/* lessons */

static int
command_lessons (int    argc,
                 char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lessons = NULL;

  g_option_context_set_summary (context,
                                _("List the built-in lessons; run one with: forkscope-cli run NAME"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc != 1)
    {
      print_error ("forkscope-cli lessons: %s",
                   error != NULL ? error->message : _("no arguments expected"));
      return EXIT_USAGE;
    }

  lessons = fs_script_list_lessons ();
  for (guint i = 0; lessons[i] != NULL; i++)
    {
      g_autofree char *base = g_path_get_basename (lessons[i]);
      /* FsLesson translates the title, like the app. */
      g_autoptr(FsLesson) lesson = fs_lesson_new_from_file (lessons[i], NULL, NULL);

      *strrchr (base, '.') = '\0';
      g_print ("%-20s %s\n", base, lesson != NULL ? fs_lesson_get_title (lesson) : "");
    }

  return EXIT_OK;
}

/* run */

typedef struct
{
  GMainLoop      *loop;
  FsEngine       *engine;
  FsScriptRunner *runner;
  FsScript       *script;
  gboolean        json;
  gboolean        trace;
  double          step_delay;         /* seconds, or < 0: play straight through */
  guint           step_timeout_id;
  int             status;
  guint           n_interrupts;
  guint           shutdown_timeout_id;
} Run;

static void
print_event (Run     *run,
             FsEvent *event)
{
  gint64 origin = fs_engine_get_origin (run->engine);

  if (run->json)
    {
      g_autofree char *line = fs_event_to_json (event, origin);

      print_json_line (line);
    }
  else
    {
      g_autofree char *line = fs_event_to_text (event, origin);

      g_print ("%s\n", line);
    }
}

static void
engine_event_cb (FsEngine *engine,
                 FsEvent  *event,
                 Run      *run)
{
  print_event (run, event);
}

static void
runner_event_cb (FsScriptRunner *runner,
                 FsEvent        *event,
                 Run            *run)
{
  const char *message;
  int line;

  print_event (run, event);

  /* Failures also go to stderr, as FILE:LINE: message. */
  message = fs_event_lookup_string (event, "message");
  if (message == NULL)
    return;
  if (event->kind != FS_EVENT_ERROR && event->kind != FS_EVENT_EXPECT)
    return;

  if (fs_event_lookup_int (event, "line", &line) && line > 0)
    print_error ("%s:%d: %s", fs_script_get_filename (run->script), line, message);
  else
    print_error ("%s: %s", fs_script_get_filename (run->script), message);
}

static void
statement_started_cb (FsScriptRunner *runner,
                      guint           line,
                      const char     *text,
                      Run            *run)
{
  if (run->trace && !run->json)
    g_print ("+ %u: %s\n", line, text);
}

/* --step-delay: the runner's step mode, as the app's lesson player uses it,
 * with a learner who waits the same time before every step. The lesson's
 * processes keep running meanwhile, so a lesson that only holds when played
 * straight through fails here. */
static gboolean
step_timeout_cb (gpointer user_data)
{
  Run *run = user_data;

  run->step_timeout_id = 0;
  fs_script_runner_step (run->runner);

  return G_SOURCE_REMOVE;
}

static void
runner_state_cb (FsScriptRunner *runner,
                 GParamSpec     *pspec,
                 Run            *run)
{
  if (fs_script_runner_get_state (runner) != FS_SCRIPT_RUNNER_PAUSED)
    {
      /* Stopped (Ctrl-C) while paused: no step is due any more. */
      if (fs_script_runner_get_state (runner) != FS_SCRIPT_RUNNER_RUNNING)
        g_clear_handle_id (&run->step_timeout_id, g_source_remove);
      return;
    }

  g_clear_handle_id (&run->step_timeout_id, g_source_remove);
  run->step_timeout_id = g_timeout_add ((guint) (run->step_delay * 1000 + 0.5), step_timeout_cb, run);
}

static void
shutdown_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Run *run = user_data;
  g_autoptr(GError) error = NULL;

  if (!fs_engine_shutdown_finish (FS_ENGINE (object), result, &error) &&
      !g_error_matches (error, FS_ENGINE_ERROR, FS_ENGINE_ERROR_NOT_RUNNING))
    print_error (_("forkscope-cli: the supervisor did not shut down cleanly: %s"), error->message);

  g_main_loop_quit (run->loop);
}

static gboolean
shutdown_timeout_cb (gpointer user_data)
{
  Run *run = user_data;

  run->shutdown_timeout_id = 0;
  print_error (_("forkscope-cli: the supervisor did not exit in time"));
  g_main_loop_quit (run->loop);

  return G_SOURCE_REMOVE;
}

static void
finished_cb (FsScriptRunner *runner,
             int             status,
             Run            *run)
{
  run->status = status;

  if (!fs_engine_is_running (run->engine))
    {
      g_main_loop_quit (run->loop);
      return;
    }

  /* Every worker was joined or cleaned up; what is left (reported) is left
   * running, as Python leaves a grandchild running. */
  fs_engine_shutdown_async (run->engine, FS_SHUTDOWN_DAEMON_RULE, NULL, shutdown_cb, run);
  run->shutdown_timeout_id = g_timeout_add_seconds (SHUTDOWN_TIMEOUT_SECONDS, shutdown_timeout_cb, run);
}

static gboolean
interrupt_cb (gpointer user_data)
{
  Run *run = user_data;

  run->n_interrupts++;

  if (run->n_interrupts == 1)
    {
      print_error (_("forkscope-cli: interrupted; stopping the processes of the script (interrupt again to kill them all)"));
      fs_script_runner_stop (run->runner);
    }
  else if (fs_engine_is_running (run->engine))
    {
      run->status = EXIT_FAILED;
      fs_engine_shutdown_async (run->engine, FS_SHUTDOWN_KILL, NULL, shutdown_cb, run);
    }
  else
    g_main_loop_quit (run->loop);

  return G_SOURCE_CONTINUE;
}

/* Seconds, as the lesson language writes them: a plain decimal number. */
static gboolean
parse_step_delay (const char *text,
                  double     *seconds)
{
  char *end = NULL;
  double value;

  errno = 0;
  value = g_ascii_strtod (text, &end);
  if (errno != 0 || end == text || *end != '\0' ||
      !(value >= 0 && value <= STEP_DELAY_MAX))   /* NaN fails both */
    return FALSE;

  *seconds = value;
  return TRUE;
}

static FsScript *
load_script (const char        *file,
             FsPluginRegistry  *registry,
             GError           **error)
{
  g_autofree char *lesson = NULL;

  /* Read with a bound: standard input may never end. */
  if (g_str_equal (file, "-"))
    return fs_script_new_from_fd (STDIN_FILENO, "<stdin>", registry, error);

  if (!g_file_test (file, G_FILE_TEST_EXISTS))
    {
      g_autofree char *cwd = NULL;

      /* A lesson by name: forkscope-cli run zombie. */
      if ((lesson = fs_script_find_lesson (file)) != NULL)
        return fs_script_new_from_file (lesson, registry, error);

      /* A relative path is relative to the current directory, which is not
       * always the one the user thinks (meson devenv changes it). */
      cwd = g_get_current_dir ();
      if (strchr (file, '/') == NULL && !g_str_has_suffix (file, ".forkscope"))
        /* Translators: the second %s is a directory, the third a lesson
         * name as typed (the same as the first). */
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                     _("there is no file \"%s\" in the current directory (%s), and no built-in lesson \"%s\" (forkscope-cli lessons lists them)"),
                     file, cwd, file);
      else if (!g_path_is_absolute (file))
        /* Translators: the second %s is a directory. */
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                     _("there is no file \"%s\" (relative to the current directory, %s)"),
                     file, cwd);
      else
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                     _("there is no file \"%s\""), file);
      return NULL;
    }

  return fs_script_new_from_file (file, registry, error);
}

static int
command_run (int    argc,
             char **argv)
{
  gboolean json = FALSE;
  gboolean trace = FALSE;
  g_autofree char *step_delay_text = NULL;
  double step_delay = -1;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print one JSON object per event, one a line"), NULL },
    { "trace", 0, 0, G_OPTION_ARG_NONE, &trace, N_("Print each statement as it runs"), NULL },
    { "step-delay", 0, 0, G_OPTION_ARG_STRING, &step_delay_text,
      N_("Step through the script as the app's lesson player does, pausing SECONDS before each statement (the processes keep running meanwhile)"),
      N_("SECONDS") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("FILE|-"));
  g_autoptr(FsPluginRegistry) registry = NULL;
  g_autoptr(FsScript) script = NULL;
  g_autoptr(FsEngine) engine = NULL;
  g_autoptr(FsScriptRunner) runner = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GError) error = NULL;
  Run run = { 0 };
  guint sigint_id, sigterm_id;

  g_option_context_set_summary (context,
                                _("Run a script in the lesson language (or a built-in lesson by name;\n"
                                  "- reads standard input). The whole script is checked first.\n"
                                  "\n"
                                  "Exit status: 0 if every statement ran and every expect and wait held,\n"
                                  "1 if one failed, 2 if the script has an error (nothing was started)."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc != 2)
    {
      print_error ("forkscope-cli run: %s",
                   error != NULL ? error->message : _("expected one FILE, or - for standard input"));
      return EXIT_USAGE;
    }
  if (step_delay_text != NULL && !parse_step_delay (step_delay_text, &step_delay))
    {
      /* Translators: %g is the largest number of seconds allowed. */
      print_error (_("forkscope-cli run: --step-delay takes a number of seconds between 0 and %g"),
                   STEP_DELAY_MAX);
      return EXIT_USAGE;
    }

  registry = load_registry ();
  if (registry == NULL)
    return EXIT_FAILED;

  script = load_script (argv[1], registry, &error);
  if (script == NULL)
    {
      if (error->domain == FS_SCRIPT_ERROR)
        print_error ("%s", error->message);
      else
        print_error ("forkscope-cli: %s", error->message);
      return EXIT_USAGE;
    }

  engine = fs_engine_new ();
  if (!fs_engine_start (engine, &error))
    {
      /* Translators: %s is an error message. */
      print_error (_("forkscope-cli: cannot start the supervisor: %s"), error->message);
      return EXIT_FAILED;
    }

  loop = g_main_loop_new (NULL, FALSE);
  runner = fs_script_runner_new (engine, script);

  run.loop = loop;
  run.engine = engine;
  run.runner = runner;
  run.script = script;
  run.json = json;
  run.trace = trace;
  run.step_delay = step_delay;
  run.status = EXIT_FAILED;

  g_signal_connect (engine, "event", G_CALLBACK (engine_event_cb), &run);
  g_signal_connect (runner, "event", G_CALLBACK (runner_event_cb), &run);
  g_signal_connect (runner, "statement-started", G_CALLBACK (statement_started_cb), &run);
  g_signal_connect (runner, "finished", G_CALLBACK (finished_cb), &run);
  if (step_delay >= 0)
    {
      fs_script_runner_set_step_mode (runner, TRUE);
      g_signal_connect (runner, "notify::state", G_CALLBACK (runner_state_cb), &run);
    }

  sigint_id = g_unix_signal_add (SIGINT, interrupt_cb, &run);
  sigterm_id = g_unix_signal_add (SIGTERM, interrupt_cb, &run);

  fs_script_runner_run (runner);
  if (fs_script_runner_get_state (runner) != FS_SCRIPT_RUNNER_FINISHED)
    g_main_loop_run (loop);
  else if (fs_engine_is_running (engine))
    g_main_loop_run (loop);

  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);
  g_clear_handle_id (&run.shutdown_timeout_id, g_source_remove);
  g_clear_handle_id (&run.step_timeout_id, g_source_remove);
  g_signal_handlers_disconnect_by_data (engine, &run);
  g_signal_handlers_disconnect_by_data (runner, &run);

  return run.status;
}

static void
print_usage (FILE *stream)
{
  g_autofree char *text = NULL;

  text = g_strdup_printf (_("Usage:\n"
                            "  forkscope-cli plugins [--json]        List the plugin functions\n"
                            "  forkscope-cli describe FUNCTION       Show a function's parameters\n"
                            "  forkscope-cli run [--json] [--step-delay S] FILE|-\n"
                            "                                        Run a script or a lesson\n"
                            "  forkscope-cli lessons                 List the built-in lessons\n"
                            "  forkscope-cli --version\n"
                            "\n"
                            "Run forkscope-cli COMMAND --help for a command's options.\n"
                            "The lesson language is described in forkscope-cli(1).\n"));
  fflush (stdout);
  if (stream == stderr)
    g_printerr ("%s", text);
  else
    g_print ("%s", text);
}

int
main (int   argc,
      char *argv[])
{
  const char *command;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, fs_paths_get_localedir ());
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_set_prgname ("forkscope-cli");

  if (argc < 2)
    {
      print_usage (stderr);
      return EXIT_USAGE;
    }

  command = argv[1];

  if (g_str_equal (command, "--help") || g_str_equal (command, "-h") ||
      g_str_equal (command, "help") || g_str_equal (command, "-?"))
    {
      print_usage (stdout);
      return EXIT_OK;
    }
  if (g_str_equal (command, "--version"))
    {
      g_print ("forkscope-cli %s\n", PACKAGE_VERSION);
      return EXIT_OK;
    }

  /* Each command parses its own options, with "forkscope-cli COMMAND" as
   * its name in --help. */
  argv[1] = g_strdup_printf ("forkscope-cli %s", command);
  g_set_prgname (argv[1]);

  if (g_str_equal (command, "plugins"))
    return command_plugins (argc - 1, argv + 1);
  if (g_str_equal (command, "describe"))
    return command_describe (argc - 1, argv + 1);
  if (g_str_equal (command, "run"))
    return command_run (argc - 1, argv + 1);
  if (g_str_equal (command, "lessons"))
    return command_lessons (argc - 1, argv + 1);

  /* Translators: %s is what the user typed. */
  print_error (_("forkscope-cli: unknown command \"%s\""), command);
  print_usage (stderr);
  return EXIT_USAGE;
}
