/* fs-test-worker.c
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fs-paths.h"
#include "fs-test-worker.h"

#define WORKER_TIMEOUT_SECONDS 30

void
fs_worker_result_free (FsWorkerResult *result)
{
  if (result == NULL)
    return;
  g_free (result->out);
  g_free (result->err);
  g_free (result);
}

char *
fs_test_plugin_path (const char *plugin)
{
  g_autofree char *file = g_strconcat (plugin, ".so", NULL);
  return g_build_filename (fs_paths_get_plugindir (), file, NULL);
}

typedef struct
{
  GMainLoop *loop;
  GError    *error;
  char      *out;
  char      *err;
  gboolean   done;
  gboolean   timed_out;
} Wait;

static void
communicate_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  Wait *wait = user_data;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (object), result,
                                        &wait->out, &wait->err, &wait->error);
  wait->done = TRUE;
  g_main_loop_quit (wait->loop);
}

static gboolean
timeout_cb (gpointer user_data)
{
  Wait *wait = user_data;

  wait->timed_out = TRUE;
  g_main_loop_quit (wait->loop);
  return G_SOURCE_REMOVE;
}

/* The pid of a child that may be reaped before we ask GSubprocess (which
 * then forgets it): the child tells us itself, between fork and exec. */
static void
report_pid_cb (gpointer user_data)
{
  int fd = GPOINTER_TO_INT (user_data);
  pid_t pid = getpid ();

  if (write (fd, &pid, sizeof pid) != sizeof pid)
    _exit (125);
}

GSubprocess *
fs_test_spawn_worker (GSubprocessLauncher *launcher,
                      const char * const  *argv,
                      pid_t               *pid)
{
  g_autoptr(GPtrArray) full = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  GSubprocess *process;
  int pid_pipe[2];

  g_ptr_array_add (full, fs_paths_get_worker ());
  for (guint i = 0; argv[i] != NULL; i++)
    g_ptr_array_add (full, g_strdup (argv[i]));
  g_ptr_array_add (full, NULL);

  g_assert_cmpint (pipe2 (pid_pipe, O_CLOEXEC), ==, 0);
  g_subprocess_launcher_set_child_setup (launcher, report_pid_cb,
                                         GINT_TO_POINTER (pid_pipe[1]), NULL);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) full->pdata, &error);
  g_assert_no_error (error);
  close (pid_pipe[1]);
  g_assert_cmpint (read (pid_pipe[0], pid, sizeof *pid), ==, sizeof *pid);
  close (pid_pipe[0]);

  return process;
}

FsWorkerResult *
fs_test_worker_runv (const char * const *argv)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GMainLoop) loop = g_main_loop_new (context, FALSE);
  g_autoptr(GSource) timeout = NULL;
  FsWorkerResult *result;
  pid_t pid = 0;
  Wait wait = { loop, NULL, NULL, NULL, FALSE, FALSE };

  g_main_context_push_thread_default (context);

  /* GSubprocess gives the child /dev/null as stdin and closes every fd
   * beyond 0-2, as the supervisor does. */
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  process = fs_test_spawn_worker (launcher, argv, &pid);

  g_subprocess_communicate_utf8_async (process, NULL, NULL, communicate_cb, &wait);
  timeout = g_timeout_source_new_seconds (WORKER_TIMEOUT_SECONDS);
  g_source_set_callback (timeout, timeout_cb, &wait, NULL);
  g_source_attach (timeout, context);

  g_main_loop_run (loop);
  g_source_destroy (timeout);

  if (wait.timed_out)
    {
      g_subprocess_force_exit (process);
      g_error ("forkscope-worker %s did not finish within %d s", argv[0], WORKER_TIMEOUT_SECONDS);
    }
  g_assert_no_error (wait.error);

  /* communicate() returned at EOF on both pipes; the exit follows. */
  g_subprocess_wait (process, NULL, &error);
  g_assert_no_error (error);

  g_main_context_pop_thread_default (context);

  result = g_new0 (FsWorkerResult, 1);
  result->pid = pid;
  result->wait_status = g_subprocess_get_status (process);
  result->out = wait.out;
  result->err = wait.err;

  if (g_test_verbose ())
    g_printerr ("worker %s: status 0x%x\n--- stdout\n%s--- stderr\n%s---\n",
                argv[0], result->wait_status, result->out, result->err);

  return result;
}

FsWorkerResult *
fs_test_worker_run (const char *plugin,
                    const char *function,
                    ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  const char *arg;
  va_list args;

  g_ptr_array_add (argv, g_strdup ("--run"));
  g_ptr_array_add (argv, fs_test_plugin_path (plugin));
  g_ptr_array_add (argv, g_strdup (function));
  g_ptr_array_add (argv, g_strdup ("--"));

  va_start (args, function);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, g_strdup (arg));
  va_end (args);
  g_ptr_array_add (argv, NULL);

  return fs_test_worker_runv ((const char * const *) argv->pdata);
}

void
fs_test_assert_exit_code (FsWorkerResult *result,
                          int             code)
{
  if (!WIFEXITED (result->wait_status) || WEXITSTATUS (result->wait_status) != code)
    g_error ("expected exit status %d, got wait status 0x%x; stderr: %s",
             code, result->wait_status, result->err);
}

guint
fs_test_count (const char *haystack,
               const char *needle)
{
  guint n = 0;

  for (const char *p = strstr (haystack, needle); p != NULL; p = strstr (p + 1, needle))
    n++;
  return n;
}
