/* test-lessons-stepped.c
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>
#include <string.h>

#include <gio/gio.h>

#include "fs-script.h"

/* Every built-in lesson, stepped as a slow learner steps it in the app's
 * lesson player: forkscope-cli run --step-delay pauses before each
 * statement while the lesson's processes run on. A lesson that only holds
 * when played straight through (it checks a state that a timer ends) fails
 * here; the lesson-NAME tests play them straight through.
 *
 * The runs mostly sleep, so they all start at once, and each test case
 * waits for its own: the whole takes as long as the longest lesson (about
 * its number of statements times the delay), not the sum. */

/* Longer than anything in a lesson takes by itself (a join, a wait's
 * event, a short sleep), so that stepping is what a lesson must survive.
 * FORKSCOPE_TEST_STEP_DELAY overrides it, e.g. 3 for a slower learner. */
#define STEP_DELAY "1"
/* Every lesson finishes long before this, even on a loaded machine. */
#define TIMEOUT_SECONDS 150

typedef struct
{
  char        *name;
  char        *path;
  guint        n_statements;
  GSubprocess *process;
  gint64       started;
  gint64       finished;
  gboolean     done;
  char        *out;
  GError      *error;
} Run;

static double step_delay;
static gint64 deadline;

static void
run_free (gpointer data)
{
  Run *run = data;

  g_free (run->name);
  g_free (run->path);
  g_clear_object (&run->process);
  g_free (run->out);
  g_clear_error (&run->error);
  g_free (run);
}

static void
communicate_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  Run *run = user_data;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (object), result, &run->out, NULL, &run->error);
  run->finished = g_get_monotonic_time ();
  run->done = TRUE;
  g_main_context_wakeup (NULL);
}

static void
start_run (Run        *run,
           const char *delay)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FsScript) script = fs_script_new_from_file (run->path, NULL, &error);

  g_assert_no_error (error);
  run->n_statements = fs_script_get_n_statements (script);

  /* stdout and stderr together, in order, to show when one fails. */
  run->process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE,
                                   &error, FORKSCOPE_CLI, "run", "--trace", "--step-delay", delay,
                                   run->path, NULL);
  g_assert_no_error (error);
  run->started = g_get_monotonic_time ();
  g_subprocess_communicate_utf8_async (run->process, NULL, NULL, communicate_cb, run);
}

static void
test_stepped (gconstpointer data)
{
  Run *run = (Run *) data;
  double seconds;

  while (!run->done && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);

  if (!run->done)
    {
      /* Ours: started by this test. */
      g_subprocess_force_exit (run->process);
      g_error ("%s: still running after %d s", run->name, TIMEOUT_SECONDS);
    }

  g_assert_no_error (run->error);
  seconds = (run->finished - run->started) / (double) G_USEC_PER_SEC;
  g_test_message ("%s: %u statements, %.1f s, exit %d", run->name, run->n_statements, seconds,
                  g_subprocess_get_exit_status (run->process));

  if (!g_subprocess_get_if_exited (run->process) || g_subprocess_get_exit_status (run->process) != 0)
    {
      g_test_message ("%s", run->out);
      g_test_fail_printf ("%s fails when stepped with %g s between statements (its output is above)",
                          run->name, step_delay);
      return;
    }

  /* It really was stepped: a pause before every statement, and one before
   * the end of the script. */
  g_assert_cmpfloat (seconds, >=, (run->n_statements + 1) * step_delay * 0.95);
  g_assert_nonnull (strstr (run->out, "+ "));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GPtrArray) runs = g_ptr_array_new_with_free_func (run_free);
  g_auto(GStrv) lessons = NULL;
  const char *delay;

  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

  delay = g_getenv ("FORKSCOPE_TEST_STEP_DELAY");
  if (delay == NULL || *delay == '\0')
    delay = STEP_DELAY;
  step_delay = g_ascii_strtod (delay, NULL);
  g_assert_cmpfloat (step_delay, >, 0);
  deadline = g_get_monotonic_time () + MAX (TIMEOUT_SECONDS, step_delay * 100) * G_USEC_PER_SEC;

  lessons = fs_script_list_lessons ();
  g_assert_cmpuint (g_strv_length (lessons), >=, 11);

  for (guint i = 0; lessons[i] != NULL; i++)
    {
      Run *run = g_new0 (Run, 1);
      g_autofree char *base = g_path_get_basename (lessons[i]);
      g_autofree char *test_path = NULL;

      run->path = g_strdup (lessons[i]);
      run->name = g_strndup (base, strlen (base) - strlen (".forkscope"));
      g_ptr_array_add (runs, run);

      test_path = g_strdup_printf ("/forkscope/lessons/stepped/%s", run->name);
      g_test_add_data_func (test_path, run, test_stepped);
    }

  /* All at once: each test case then waits for its own. */
  for (guint i = 0; i < runs->len; i++)
    start_run (g_ptr_array_index (runs, i), delay);

  return g_test_run ();
}
