/* bench-spawn.c: workers per second through the supervisor, next to a
 * plain g_spawn + child watch loop of the same worker in the same run
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Prints figures, asserts nothing about time (a benchmark on a shared
 * machine is not a test). FORKSCOPE_BENCH_N sets the number of workers
 * (default 200); each side runs three rounds and the best counts.
 */

#include "config.h"

#include <stdlib.h>

#include "fs-engine.h"
#include "fs-paths.h"
#include "fs-test-engine.h"

#define ROUNDS 3

typedef struct
{
  guint     pending;
  guint     failed;
  FsEngine *engine;
} Counter;

static void
baseline_exited_cb (GPid     pid,
                    int      status,
                    gpointer user_data)
{
  Counter *counter = user_data;

  if (!g_spawn_check_wait_status (status, NULL))
    counter->failed++;
  counter->pending--;
}

/* The same worker, started by this process directly: what spawning costs
 * without a supervisor, a D-Bus hop, pipes, pidfds and events. */
static double
run_baseline (const char *worker,
              const char *plugin,
              guint       n)
{
  const char *argv[] = { worker, "--run", plugin, "basics.exit", "--name", "baseline", "--", "code=0", NULL };
  Counter counter = { n, 0, NULL };
  gint64 start = g_get_monotonic_time ();

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GError) error = NULL;
      GPid pid;

      if (!g_spawn_async (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD,
                          NULL, NULL, &pid, &error))
        g_error ("g_spawn_async: %s", error->message);
      g_child_watch_add (pid, baseline_exited_cb, &counter);
    }
  while (counter.pending > 0)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpuint (counter.failed, ==, 0);
  return (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
}

static void
joined_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Counter *counter = user_data;
  g_autoptr(GError) error = NULL;

  if (!fs_engine_join_finish (FS_ENGINE (object), result, &error))
    {
      g_printerr ("join: %s\n", error != NULL ? error->message : "timed out");
      counter->failed++;
    }
  counter->pending--;
}

static void
spawned_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Counter *counter = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(FsProcess) process = fs_engine_spawn_finish (FS_ENGINE (object), result, &error);

  if (process == NULL)
    {
      g_printerr ("spawn: %s\n", error->message);
      counter->failed++;
      counter->pending--;
      return;
    }
  fs_engine_join_async (counter->engine, process, -1, NULL, joined_cb, counter);
}

/* Started and joined through the supervisor, all in flight at once. */
static double
run_engine (FsEngine   *engine,
            const char *plugin,
            guint       n)
{
  static const char * const args[] = { "code=0", NULL };
  Counter counter = { n, 0, engine };
  gint64 start = g_get_monotonic_time ();

  for (guint i = 0; i < n; i++)
    fs_engine_spawn_async (engine, "bench", plugin, "basics.exit", args, FALSE,
                           NULL, spawned_cb, &counter);
  while (counter.pending > 0)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpuint (counter.failed, ==, 0);
  return (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(FsEngine) engine = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *worker = fs_paths_get_worker ();
  g_autofree char *plugin = fs_test_plugin_path ("basics.exit");
  const char *env = g_getenv ("FORKSCOPE_BENCH_N");
  guint n = env != NULL ? (guint) atoi (env) : 200;
  double best_base = G_MAXDOUBLE, best_engine = G_MAXDOUBLE;

  if (n == 0)
    n = 200;

  engine = fs_engine_new ();
  if (!fs_engine_start (engine, &error))
    g_error ("%s", error->message);

  /* Warm the caches (the plugin, the worker binary) on both sides. */
  run_baseline (worker, plugin, 10);
  run_engine (engine, plugin, 10);
  fs_engine_clear_finished (engine);

  for (guint round = 0; round < ROUNDS; round++)
    {
      double base = run_baseline (worker, plugin, n);
      double through = run_engine (engine, plugin, n);

      /* Tombstones would grow the model round after round. */
      fs_engine_clear_finished (engine);
      g_print ("round %u: g_spawn %.0f workers/s, supervisor %.0f workers/s\n",
               round + 1, n / base, n / through);
      best_base = MIN (best_base, base);
      best_engine = MIN (best_engine, through);
    }

  g_print ("spawn benchmark, %u workers (basics.exit) started and joined, best of %d:\n", n, ROUNDS);
  g_print ("  baseline  g_spawn + child watch : %8.0f workers/s (%.3f s)\n", n / best_base, best_base);
  g_print ("  forkscope supervisor + D-Bus   : %8.0f workers/s (%.3f s)\n", n / best_engine, best_engine);
  g_print ("  ratio (baseline / supervisor)  : %8.2fx\n", best_engine / best_base);

  if (!fs_engine_shutdown_sync (engine, FS_SHUTDOWN_KILL, &error))
    g_error ("%s", error->message);

  return EXIT_SUCCESS;
}
