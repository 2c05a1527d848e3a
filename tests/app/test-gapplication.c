/* test-gapplication.c: the real `forkscope` binary, driven from outside
 * with `gapplication action` on the (private) session bus, checked in
 * /proc.
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <sys/pidfd.h>
#include <unistd.h>

#include <gio/gio.h>

#include "fs-proc.h"
#include "fs-test-engine.h"

#define WAIT 20.0

static gboolean
expired_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
name_appeared_cb (GDBusConnection *connection,
                  const char      *name,
                  const char      *owner,
                  gpointer         data)
{
  *(gboolean *) data = TRUE;
}

static void
gapplication (const char *action,
              const char *param)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  const char *argv[] = { "gapplication", "action", APP_ID, action, param, NULL };

  proc = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_NONE, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_wait_check (proc, NULL, &error));
  g_assert_no_error (error);
}

/* The first event of @kind about the worker @name in the event log. */
static char *
find_event (const char *log,
            const char *kind,
            const char *name)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autofree char *needle = g_strdup_printf ("\"event\":\"%s\",\"name\":\"%s\"", kind, name);

  if (!g_file_get_contents (log, &contents, NULL, NULL))
    return NULL;
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (strstr (lines[i], needle) != NULL)
      return g_strdup (lines[i]);
  return NULL;
}

static int
json_int (const char *line,
          const char *key)
{
  g_autofree char *needle = g_strdup_printf ("\"%s\":", key);
  const char *at = strstr (line, needle);

  g_assert_nonnull (at);
  return atoi (at + strlen (needle));
}

/* The app flushes its event log every quarter second: read it until the
 * event is there, with a limit. */
static char *
wait_event (const char *log,
            const char *kind,
            const char *name)
{
  gboolean expired = FALSE;
  guint id = g_timeout_add ((guint) (WAIT * 1000), expired_cb, &expired);
  char *line;

  while ((line = find_event (log, kind, name)) == NULL)
    {
      gboolean tick = FALSE;

      if (expired)
        g_error ("Timed out waiting for the %s event of %s in %s", kind, name, log);
      g_timeout_add (50, expired_cb, &tick);
      while (!tick)
        g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (id);
  return line;
}

static void
test_gapplication (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) app = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autofree char *tmp = g_dir_make_tmp ("forkscope-gapp-XXXXXX", NULL);
  g_autofree char *log = g_build_filename (tmp, "events.jsonl", NULL);
  g_autofree char *data_dir = g_build_filename (tmp, "data", NULL);
  g_autofree char *binary = g_build_filename (g_getenv ("FORKSCOPE_APP"), NULL);
  g_autofree char *spawned = NULL;
  g_autofree char *spawned2 = NULL;
  gboolean appeared = FALSE, expired = FALSE;
  FsProcStat stat;
  int pid, supervisor, pid2, fd, fd2, sup_fd;
  guint watch, id;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", data_dir, TRUE);
  app = g_subprocess_launcher_spawn (launcher, &error, binary, "--event-log", log, NULL);
  g_assert_no_error (error);

  /* Wait until it owns its name on the bus. */
  watch = g_bus_watch_name (G_BUS_TYPE_SESSION, APP_ID, G_BUS_NAME_WATCHER_FLAGS_NONE,
                            name_appeared_cb, NULL, &appeared, NULL);
  id = g_timeout_add ((guint) (WAIT * 1000), expired_cb, &expired);
  while (!appeared && !expired)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (expired);
  g_source_remove (id);
  g_bus_unwatch_name (watch);

  /* The first run saves the tutorial's th1, th2 and th3: the same values
   * start the saved th1. */
  gapplication ("spawn", "'th1 tutorial.sleep_print seconds=3 message=EAT'");
  spawned = wait_event (log, "spawned", "th1");
  pid = json_int (spawned, "pid");
  supervisor = json_int (spawned, "ppid");
  fd = fs_test_pidfd_open (pid);
  sup_fd = fs_test_pidfd_open (supervisor);

  /* The kernel agrees: a live child of the supervisor, running the
   * worker host. */
  g_assert_true (fs_proc_read_stat (pid, &stat, &error));
  g_assert_no_error (error);
  g_assert_cmpint (stat.ppid, ==, supervisor);
  g_assert_cmpint (stat.state, !=, 'Z');
  /* The worker host names itself after the worker. */
  g_assert_cmpstr (stat.comm, ==, "th1");
  g_assert_true (fs_proc_read_stat (supervisor, &stat, &error));
  g_assert_no_error (error);
  g_assert_cmpint (stat.ppid, ==, atoi (g_subprocess_get_identifier (app)));

  /* app.terminate-all ends every worker: th1 and a second one, whose
   * other values get it a name of its own rather than overwriting th2. */
  gapplication ("spawn", "'th2 tutorial.sleep_print seconds=60'");
  spawned2 = wait_event (log, "spawned", "th2-2");
  pid2 = json_int (spawned2, "pid");
  fd2 = fs_test_pidfd_open (pid2);
  gapplication ("terminate-all", NULL);
  g_assert_true (fs_test_pidfd_wait_exit (fd2, WAIT));
  g_free (wait_event (log, "reaped", "th2-2"));

  /* Nothing is alive: app.quit has nothing to ask. */
  g_assert_true (fs_test_pidfd_wait_exit (fd, WAIT));
  g_free (wait_event (log, "reaped", "th1"));
  gapplication ("quit", NULL);

  id = g_timeout_add ((guint) (WAIT * 1000), expired_cb, &expired);
  g_subprocess_wait_async (app, NULL, NULL, NULL);
  while (g_subprocess_get_identifier (app) != NULL && !expired)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (expired);
  g_source_remove (id);
  g_assert_true (g_subprocess_get_if_exited (app));
  g_assert_cmpint (g_subprocess_get_exit_status (app), ==, 0);

  /* Nothing is left behind. */
  g_assert_true (fs_test_pidfd_wait_exit (sup_fd, WAIT));
  close (fd);
  close (fd2);
  close (sup_fd);

  {
    g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", tmp);

    g_assert_cmpint (system (cmd), ==, 0);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/forkscope/app/gapplication", test_gapplication);

  return g_test_run ();
}
