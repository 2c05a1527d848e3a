/* bench-tree.c: the process tree with about 1000 live processes: the main
 * thread's cost of applying one refresh (the engine's diff, the bound
 * cells' updates) and the app's CPU use at the default refresh interval,
 * next to a baseline of one tree (63 processes) measured in the same run.
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <sys/resource.h>
#include <time.h>

#include <adwaita.h>

#include "fs-proc.h"
#include "fs-test-engine.h"
#include "fs-window.h"

#define TREE_SIZE 63          /* lifecycle.tree depth=5 fanout=2 */
#define MEASURE_SECONDS 8.0

typedef struct
{
  guint   n_processes;
  /* Quiet: the tree sleeps, each refresh brings what little changed. */
  double  main_thread_cpu;    /* % of one core */
  double  process_cpu;        /* the app process, every thread */
  double  supervisor_cpu;
  double  quiet_dispatch_max_ms;
  /* Churn: every process is stopped or continued between two refreshes,
   * so each refresh changes every row. */
  guint   n_refreshes;
  double  apply_mean_ms;      /* dispatches that applied a refresh */
  double  apply_max_ms;
  double  dispatch_max_ms;    /* any dispatch: how long the loop was blocked */
  double  churn_main_thread_cpu;
} Figures;

/* One main loop iteration by hand, timing the dispatch only (the work),
 * not the poll (the waiting). Returns milliseconds. */
static double
iterate (GMainContext *context)
{
  static GPollFD fds[256];
  int max_priority, timeout, n;
  gint64 start;

  g_main_context_prepare (context, &max_priority);
  n = g_main_context_query (context, max_priority, &timeout, fds, G_N_ELEMENTS (fds));
  g_assert_cmpint (n, <=, (int) G_N_ELEMENTS (fds));
  g_poll (fds, n, timeout);
  g_main_context_check (context, max_priority, fds, n);
  start = g_get_monotonic_time ();
  g_main_context_dispatch (context);
  return (g_get_monotonic_time () - start) / 1000.0;
}

typedef struct
{
  FsTestEngine *t;
  gboolean      stopped;
} Churn;

static gboolean
churn_cb (gpointer data)
{
  Churn *churn = data;

  churn->stopped = !churn->stopped;
  for (guint i = 0; i < churn->t->spawned->len; i++)
    fs_engine_signal_async (churn->t->engine, churn->t->spawned->pdata[i],
                            churn->stopped ? SIGSTOP : SIGCONT, TRUE, NULL, NULL, NULL);
  return G_SOURCE_CONTINUE;
}

static guint notifications;

static void
notify_cb (void)
{
  notifications++;
}

static double
thread_cpu (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double
process_cpu (void)
{
  struct rusage ru;

  getrusage (RUSAGE_SELF, &ru);
  return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
         ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

static double
pid_cpu (int pid)
{
  FsProcStat stat;

  if (!fs_proc_read_stat (pid, &stat, NULL))
    return 0;
  return (stat.utime + stat.stime) / (double) sysconf (_SC_CLK_TCK);
}

static guint
count_live (FsTestEngine *t)
{
  GListModel *processes = fs_engine_get_processes (t->engine);
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (processes); i++)
    {
      g_autoptr(FsProcess) p = g_list_model_get_item (processes, i);

      if (fs_process_get_alive (p))
        n++;
    }
  return n;
}

static gboolean
enough (FsTestEngine *t,
        gpointer      data)
{
  return count_live (t) >= GPOINTER_TO_UINT (data);
}

static gboolean with_window = TRUE;

static void
measure (guint    n_trees,
         Figures *out)
{
  FsTestEngine t = { 0 };
  FsWindow *window;
  GListModel *processes;
  g_autoptr(GArray) applies = g_array_new (FALSE, FALSE, sizeof (double));
  GMainContext *context = g_main_context_default ();
  gint64 end;
  double cpu0, proc0, sup0, wall0;
  int sup_pid;

  fs_test_engine_setup (&t, NULL);
  window = NULL;
  if (with_window)
    {
      window = fs_window_new (NULL, t.engine, NULL, NULL);
      g_object_ref_sink (window);
      gtk_window_present (GTK_WINDOW (window));
    }

  for (guint i = 0; i < n_trees; i++)
    {
      g_autofree char *name = g_strdup_printf ("tree%u", i);

      fs_test_spawn (&t, name, "lifecycle.tree", FALSE, "depth=5", "fanout=2", "seconds=600", NULL);
    }
  fs_test_wait (&t, enough, GUINT_TO_POINTER (n_trees * TREE_SIZE + 1), 120, "the trees to grow");
  /* Let the first scans settle (CPU figures need two samples). */
  fs_test_run_for (1.5);

  processes = fs_engine_get_processes (t.engine);
  for (guint i = 0; i < g_list_model_get_n_items (processes); i++)
    {
      g_autoptr(FsProcess) p = g_list_model_get_item (processes, i);

      g_signal_connect (p, "notify", G_CALLBACK (notify_cb), NULL);
    }

  sup_pid = fs_process_get_pid (fs_engine_get_supervisor (t.engine));
  out->n_processes = count_live (&t);
  g_main_context_acquire (context);

  /* Quiet. */
  cpu0 = thread_cpu ();
  proc0 = process_cpu ();
  sup0 = pid_cpu (sup_pid);
  wall0 = g_get_monotonic_time () / 1e6;
  end = g_get_monotonic_time () + (gint64) (MEASURE_SECONDS * G_USEC_PER_SEC);
  out->quiet_dispatch_max_ms = 0;
  while (g_get_monotonic_time () < end)
    out->quiet_dispatch_max_ms = MAX (out->quiet_dispatch_max_ms, iterate (context));
  {
    double wall = g_get_monotonic_time () / 1e6 - wall0;

    out->main_thread_cpu = 100 * (thread_cpu () - cpu0) / wall;
    out->process_cpu = 100 * (process_cpu () - proc0) / wall;
    out->supervisor_cpu = 100 * (pid_cpu (sup_pid) - sup0) / wall;
  }

  /* Churn. */
  {
    Churn churn = { &t, FALSE };
    guint id = g_timeout_add (fs_engine_get_scan_interval (t.engine), churn_cb, &churn);
    double sum = 0;

    cpu0 = thread_cpu ();
    wall0 = g_get_monotonic_time () / 1e6;
    end = g_get_monotonic_time () + (gint64) (MEASURE_SECONDS * G_USEC_PER_SEC);
    out->dispatch_max_ms = 0;
    out->apply_max_ms = 0;
    while (g_get_monotonic_time () < end)
      {
        guint before = notifications;
        double ms = iterate (context);

        out->dispatch_max_ms = MAX (out->dispatch_max_ms, ms);
        /* A refresh that changed (nearly) every process. */
        if (notifications - before >= out->n_processes / 2)
          g_array_append_val (applies, ms);
      }
    out->churn_main_thread_cpu = 100 * (thread_cpu () - cpu0) / (g_get_monotonic_time () / 1e6 - wall0);
    g_source_remove (id);
    if (churn.stopped)
      churn_cb (&churn);

    for (guint i = 0; i < applies->len; i++)
      {
        double v = g_array_index (applies, double, i);

        sum += v;
        out->apply_max_ms = MAX (out->apply_max_ms, v);
      }
    out->n_refreshes = applies->len;
    out->apply_mean_ms = applies->len > 0 ? sum / applies->len : 0;
  }

  g_main_context_release (context);

  for (guint i = 0; i < g_list_model_get_n_items (processes); i++)
    {
      g_autoptr(FsProcess) p = g_list_model_get_item (processes, i);

      g_signal_handlers_disconnect_by_func (p, notify_cb, NULL);
    }

  if (window != NULL)
    {
      gtk_window_destroy (GTK_WINDOW (window));
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_object_unref (window);
    }
  fs_test_engine_teardown (&t, NULL);
}

static void
print_row (const char *label,
           double      baseline,
           double      value,
           const char *unit)
{
  g_print ("  %-44s %10.2f %10.2f %8.1f×  %s\n", label, baseline, value,
           baseline > 0 ? value / baseline : 0.0, unit);
}

int
main (int   argc,
      char *argv[])
{
  Figures base, big;
  guint n_trees = 16;

  gtk_init ();
  adw_init ();

  if (argc > 1)
    n_trees = MAX (1, atoi (argv[1]));
  /* "engine-only": the same without a window, to see the engine's share. */
  if (argc > 2 && g_str_equal (argv[2], "engine-only"))
    with_window = FALSE;

  measure (1, &base);
  measure (n_trees, &big);

  g_print ("Process tree in a window, default refresh interval (%u ms), %.0f s per phase.\n",
           500u, MEASURE_SECONDS);
  g_print ("Baseline: one tree of %d processes; measured: %u trees.\n", TREE_SIZE, n_trees);
  g_print ("  %-44s %10s %10s %9s\n", "", "baseline", "measured", "ratio");
  print_row ("live processes in the tree", base.n_processes, big.n_processes, "");
  g_print ("Quiet (the tree sleeps):\n");
  print_row ("app main thread CPU", base.main_thread_cpu, big.main_thread_cpu, "% of a core");
  print_row ("app process CPU (all threads)", base.process_cpu, big.process_cpu, "% of a core");
  print_row ("supervisor CPU (scanning /proc)", base.supervisor_cpu, big.supervisor_cpu, "% of a core");
  print_row ("longest main-loop dispatch", base.quiet_dispatch_max_ms, big.quiet_dispatch_max_ms, "ms");
  g_print ("Churn (every process stopped or continued between refreshes):\n");
  print_row ("refreshes that changed every row", base.n_refreshes, big.n_refreshes, "");
  print_row ("main thread, one refresh applied (mean)", base.apply_mean_ms, big.apply_mean_ms, "ms");
  print_row ("main thread, one refresh applied (max)", base.apply_max_ms, big.apply_max_ms, "ms");
  print_row ("longest main-loop dispatch", base.dispatch_max_ms, big.dispatch_max_ms, "ms");
  print_row ("app main thread CPU", base.churn_main_thread_cpu, big.churn_main_thread_cpu, "% of a core");
  return 0;
}
