/* bench-scan.c
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* How much does following a process tree cost over merely reading /proc?
 * With N extra processes alive (children of this program, blocked on a
 * pipe, so the tracker follows all of them), times a tracker scan and a
 * minimal /proc/N/stat reader in the same run, interleaved so that both
 * see the same machine, and prints both and their ratio. No limit is
 * asserted: wall-clock figures depend on the machine. */

#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib.h>

#include "fs-proc.h"

#define DEFAULT_PROCESSES 1000
#define ROUNDS            20
#define SCANS_PER_ROUND   10

/* The baseline: list /proc, read each numeric entry's stat, nothing else.
 * It uses openat() on the directory's fd, as the tracker does, so the
 * ratio measures the tracker's own work, not a cheaper path lookup; the
 * same reader with absolute paths is timed too, for reference. */
static gsize
baseline_scan (guint    *n_read,
               gboolean  absolute)
{
  DIR *dir = opendir ("/proc");
  struct dirent *de;
  gsize total = 0;

  g_assert (dir != NULL);
  *n_read = 0;

  while ((de = readdir (dir)) != NULL)
    {
      char path[64];
      char buf[1024];
      ssize_t n;
      int fd;

      if (de->d_name[0] < '1' || de->d_name[0] > '9')
        continue;

      if (absolute)
        {
          g_snprintf (path, sizeof path, "/proc/%s/stat", de->d_name);
          fd = open (path, O_RDONLY | O_CLOEXEC);
        }
      else
        {
          g_snprintf (path, sizeof path, "%s/stat", de->d_name);
          fd = openat (dirfd (dir), path, O_RDONLY | O_CLOEXEC);
        }
      if (fd < 0)
        continue;
      n = read (fd, buf, sizeof buf);
      close (fd);
      if (n > 0)
        {
          total += (gsize) n;
          (*n_read)++;
        }
    }

  closedir (dir);
  return total;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
median (double *values,
        guint   n)
{
  qsort (values, n, sizeof *values, compare_doubles);
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(FsProcTracker) tracker = NULL;
  g_autoptr(GArray) first = NULL;
  g_autoptr(GError) error = NULL;
  const char *env = g_getenv ("FORKSCOPE_BENCH_PROCESSES");
  guint n_procs = env ? (guint) atoi (env) : DEFAULT_PROCESSES;
  g_autofree pid_t *pids = g_new0 (pid_t, MAX (n_procs, 1));
  double tracker_ms[ROUNDS];
  double baseline_ms[ROUNDS];
  double absolute_ms[ROUNDS];
  double tracker_total = 0, baseline_total = 0, absolute_total = 0;
  guint n_tracked = 0, n_read = 0, extra_changes = 0;
  gsize bytes = 0;
  pid_t self = getpid ();
  int hold[2];
  int status;

  if (pipe2 (hold, O_CLOEXEC) < 0)
    g_error ("pipe: %s", g_strerror (errno));

  for (guint i = 0; i < n_procs; i++)
    {
      pid_t pid = fork ();

      if (pid < 0)
        g_error ("fork #%u: %s", i, g_strerror (errno));

      if (pid == 0)
        {
          char c;

          /* Dies with the benchmark however it ends; otherwise waits for
           * EOF on the pipe, which closing the write end gives all at once. */
          prctl (PR_SET_PDEATHSIG, SIGKILL);
          if (getppid () != self)
            _exit (1);
          close (hold[1]);
          while (read (hold[0], &c, 1) < 0 && errno == EINTR)
            ;
          _exit (0);
        }

      pids[i] = pid;
    }

  tracker = fs_proc_tracker_new (self);
  first = fs_proc_tracker_scan (tracker, &error);
  g_assert_no_error (error);
  n_tracked = first->len;
  baseline_scan (&n_read, FALSE);

  for (guint round = 0; round < ROUNDS; round++)
    {
      gint64 t0, t1, t2, t3;

      t0 = g_get_monotonic_time ();
      for (guint s = 0; s < SCANS_PER_ROUND; s++)
        {
          g_autoptr(GArray) changes = fs_proc_tracker_scan (tracker, &error);

          g_assert_no_error (error);
          extra_changes += changes->len;
        }
      t1 = g_get_monotonic_time ();
      for (guint s = 0; s < SCANS_PER_ROUND; s++)
        bytes += baseline_scan (&n_read, FALSE);
      t2 = g_get_monotonic_time ();
      for (guint s = 0; s < SCANS_PER_ROUND; s++)
        bytes += baseline_scan (&n_read, TRUE);
      t3 = g_get_monotonic_time ();

      tracker_ms[round] = (double) (t1 - t0) / 1000.0 / SCANS_PER_ROUND;
      baseline_ms[round] = (double) (t2 - t1) / 1000.0 / SCANS_PER_ROUND;
      absolute_ms[round] = (double) (t3 - t2) / 1000.0 / SCANS_PER_ROUND;
      tracker_total += tracker_ms[round];
      baseline_total += baseline_ms[round];
      absolute_total += absolute_ms[round];
    }

  /* Let them all go, and reap every one. */
  close (hold[1]);
  close (hold[0]);
  for (guint i = 0; i < n_procs; i++)
    if (waitpid (pids[i], &status, 0) != pids[i])
      g_error ("waitpid %d: %s", pids[i], g_strerror (errno));

  {
    double t_med = median (tracker_ms, ROUNDS);
    double b_med = median (baseline_ms, ROUNDS);
    double a_med = median (absolute_ms, ROUNDS);

    printf ("scan benchmark: %u extra processes, %u /proc entries read per scan, "
            "%u tracked, %u scans each way\n",
            n_procs, n_read, n_tracked, ROUNDS * SCANS_PER_ROUND);
    printf ("  tracker  (fs_proc_tracker_scan):     %.3f ms/scan (median of rounds; mean %.3f)\n",
            t_med, tracker_total / ROUNDS);
    printf ("  baseline (opendir + read each stat): %.3f ms/scan (median of rounds; mean %.3f)\n",
            b_med, baseline_total / ROUNDS);
    printf ("  baseline, absolute paths (open /proc/N/stat): %.3f ms/scan (mean %.3f)\n",
            a_med, absolute_total / ROUNDS);
    printf ("  ratio tracker/baseline: %.2fx (aim: within 2x)\n", t_med / b_med);
    if (extra_changes > 0)
      printf ("  note: %u changes reported during the timed scans\n", extra_changes);
    (void) bytes;
  }

  return 0;
}
