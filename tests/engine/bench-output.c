/* bench-output.c: what reading a worker's output costs, next to a plain
 * pipe reader of the same worker in the same run
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Prints figures, asserts nothing about time (a benchmark on a shared
 * machine is not a test). One worker prints FORKSCOPE_BENCH_LINES lines
 * (default 100000) as fast as it can (basics.print, one write a line):
 *  - baseline: this process reads the worker's stdout pipe itself;
 *  - unpaced: through the supervisor with FORKSCOPE_OUTPUT_RATE lifted, so
 *    the figure is the cost of reading, splitting and sending lines
 *    (best of three);
 *  - paced: through the supervisor as shipped (4096 lines a second): the
 *    time is the pacing's, the supervisor's CPU is the figure to watch.
 * CPU times come from /proc (the supervisor) and getrusage (this process,
 * which decodes every event the way a front end does).
 * FORKSCOPE_BENCH_PACED=0 leaves out the paced run (25 s).
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib-unix.h>

#include "fs-engine.h"
#include "fs-paths.h"
#include "fs-proc.h"
#include "fs-test-engine.h"

#define ROUNDS 3

typedef struct
{
  double wall;        /* seconds */
  double self_cpu;    /* this process */
  double sv_cpu;      /* the supervisor (0 for the baseline) */
  double sv_sys;      /* of which in the kernel */
} Figures;

static double
self_cpu_seconds (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec +
         (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

static double
proc_cpu_seconds (int     pid,
                  double *sys)
{
  FsProcStat stat;

  if (!fs_proc_read_stat (pid, &stat, NULL))
    g_error ("cannot read /proc/%d/stat", pid);
  *sys = stat.stime / (double) sysconf (_SC_CLK_TCK);
  return (stat.utime + stat.stime) / (double) sysconf (_SC_CLK_TCK);
}

/* ---- the baseline: a pipe read by this process ------------------------- */

typedef struct
{
  guint    lines;
  gboolean eof;
} PipeCount;

static gboolean
pipe_readable_cb (int          fd,
                  GIOCondition condition,
                  gpointer     user_data)
{
  PipeCount *count = user_data;
  char buf[16384];
  ssize_t n = read (fd, buf, sizeof buf);

  if (n > 0)
    {
      for (const char *p = buf; (p = memchr (p, '\n', buf + n - p)) != NULL; p++)
        count->lines++;
      return G_SOURCE_CONTINUE;
    }
  count->eof = TRUE;
  return G_SOURCE_REMOVE;
}

static Figures
run_baseline (const char *worker,
              const char *plugin,
              const char *lines_arg,
              guint       lines)
{
  const char *argv[] = { worker, "--run", plugin, "basics.print", "--name", "baseline",
                         "--", lines_arg, "interval=0", NULL };
  g_autoptr(GError) error = NULL;
  PipeCount count = { 0, FALSE };
  double cpu = self_cpu_seconds ();
  gint64 start = g_get_monotonic_time ();
  Figures figures = { 0, };
  int out_fd = -1;
  int status;
  GPid pid;

  if (!g_spawn_async_with_pipes (NULL, (char **) argv, NULL,
                                 G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDERR_TO_DEV_NULL,
                                 NULL, NULL, &pid, NULL, &out_fd, NULL, &error))
    g_error ("g_spawn_async_with_pipes: %s", error->message);
  g_unix_set_fd_nonblocking (out_fd, TRUE, NULL);
  g_unix_fd_add (out_fd, G_IO_IN | G_IO_HUP | G_IO_ERR, pipe_readable_cb, &count);
  while (!count.eof)
    g_main_context_iteration (NULL, TRUE);
  close (out_fd);
  while (waitpid (pid, &status, 0) < 0)
    ;

  figures.wall = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  figures.self_cpu = self_cpu_seconds () - cpu;
  g_assert_cmpuint (count.lines, ==, lines);
  return figures;
}

/* ---- through the supervisor -------------------------------------------- */

static void
count_cb (FsEngine *engine,
          FsEvent  *event,
          guint    *lines)
{
  if (event->kind == FS_EVENT_OUTPUT)
    (*lines)++;
}

static Figures
run_engine (const char *plugin,
            const char *lines_arg,
            guint       lines,
            gboolean    paced)
{
  const char * const args[] = { lines_arg, "interval=0", NULL };
  g_autoptr(FsEngine) engine = fs_engine_new ();
  g_autoptr(FsProcess) process = NULL;
  g_autoptr(GError) error = NULL;
  Figures figures = { 0, };
  guint seen = 0;
  double cpu, sv_cpu, sv_sys, sys;
  gint64 start;
  int sv_pid;

  /* Read once, when the supervisor starts. */
  if (paced)
    g_unsetenv ("FORKSCOPE_OUTPUT_RATE");
  else
    g_setenv ("FORKSCOPE_OUTPUT_RATE", "1e9", TRUE);
  if (!fs_engine_start (engine, &error))
    g_error ("%s", error->message);
  g_unsetenv ("FORKSCOPE_OUTPUT_RATE");
  g_signal_connect (engine, "event", G_CALLBACK (count_cb), &seen);
  sv_pid = fs_process_get_pid (fs_engine_get_supervisor (engine));

  cpu = self_cpu_seconds ();
  sv_cpu = proc_cpu_seconds (sv_pid, &sv_sys);
  start = g_get_monotonic_time ();

  process = fs_engine_spawn_sync (engine, "bench", plugin, "basics.print", args, FALSE, &error);
  if (process == NULL)
    g_error ("spawn: %s", error->message);
  if (!fs_engine_join_sync (engine, process, -1, &error))
    g_error ("join: %s", error != NULL ? error->message : "timed out");
  /* The last lines come before the exit, so they are all here. */
  g_assert_cmpuint (seen, ==, lines);

  figures.wall = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  figures.self_cpu = self_cpu_seconds () - cpu;
  figures.sv_cpu = proc_cpu_seconds (sv_pid, &sys) - sv_cpu;
  figures.sv_sys = sys - sv_sys;

  g_signal_handlers_disconnect_by_data (engine, &seen);
  if (!fs_engine_shutdown_sync (engine, FS_SHUTDOWN_KILL, &error))
    g_error ("%s", error->message);
  return figures;
}

static void
print_figures (const char *what,
               guint       lines,
               Figures     f)
{
  g_print ("  %-30s: %9.0f lines/s (%.3f s), CPU: supervisor %.2f s (%.2f s system), reader %.2f s\n",
           what, lines / f.wall, f.wall, f.sv_cpu, f.sv_sys, f.self_cpu);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *worker = fs_paths_get_worker ();
  g_autofree char *plugin = fs_test_plugin_path ("basics.print");
  g_autofree char *lines_arg = NULL;
  const char *env = g_getenv ("FORKSCOPE_BENCH_LINES");
  guint lines = env != NULL ? (guint) atoi (env) : 100000;
  Figures base = { G_MAXDOUBLE, }, unpaced = { G_MAXDOUBLE, }, paced = { 0, };
  gboolean run_paced = g_strcmp0 (g_getenv ("FORKSCOPE_BENCH_PACED"), "0") != 0;

  if (lines == 0 || lines > 100000)
    lines = 100000;
  lines_arg = g_strdup_printf ("lines=%u", lines);

  /* Warm the caches (the plugin, the worker binary). */
  run_baseline (worker, plugin, "lines=10", 10);

  for (guint round = 0; round < ROUNDS; round++)
    {
      Figures b = run_baseline (worker, plugin, lines_arg, lines);
      Figures u = run_engine (plugin, lines_arg, lines, FALSE);

      g_print ("round %u: pipe %.0f lines/s, supervisor unpaced %.0f lines/s\n",
               round + 1, lines / b.wall, lines / u.wall);
      if (b.wall < base.wall)
        base = b;
      if (u.wall < unpaced.wall)
        unpaced = u;
    }
  if (run_paced)
    paced = run_engine (plugin, lines_arg, lines, TRUE);

  g_print ("output benchmark, one worker printing %u lines (basics.print interval=0):\n", lines);
  print_figures ("baseline  pipe read here", lines, base);
  print_figures ("supervisor, unpaced (best)", lines, unpaced);
  if (run_paced)
    print_figures ("supervisor, paced (4096/s)", lines, paced);
  g_print ("  ratio (baseline / unpaced)    : %9.2fx\n", unpaced.wall / base.wall);
  g_print ("  supervisor CPU per 1000 lines : %9.2f ms unpaced", 1000 * 1000 * unpaced.sv_cpu / lines);
  if (run_paced)
    g_print (", %.2f ms paced", 1000 * 1000 * paced.sv_cpu / lines);
  g_print ("\n");

  return EXIT_SUCCESS;
}
