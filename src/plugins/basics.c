/* basics.c: small building blocks for experiments and tests
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <dirent.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fs-builtin.h"

static const FsParamSpec seconds_param =
  { "seconds", FS_PARAM_DOUBLE, "1", 0, 3600, NULL, N_("How long, in seconds") };

/* basics.sleep */

static const FsParamSpec sleep_params[] = {
  seconds_param,
};

static int
sleep_run (const FsValue *args,
           void          *state)
{
  fs_builtin_sleep (args[0].d);
  return 0;
}

/* basics.exit */

static const FsParamSpec exit_params[] = {
  { "code", FS_PARAM_INT, "0", 0, 255, NULL, N_("Exit status") },
  { "seconds", FS_PARAM_DOUBLE, "0", 0, 3600, NULL, N_("How long to sleep first, in seconds") },
};

static int
exit_run (const FsValue *args,
          void          *state)
{
  fs_builtin_sleep (args[1].d);
  return (int) args[0].i;
}

/* basics.crash: dies by the signal a real crash of that kind sends. */

static const char * const crash_choices[] = { "SEGV", "ABRT", "FPE", "BUS", "ILL", NULL };
static const int crash_signals[] = { SIGSEGV, SIGABRT, SIGFPE, SIGBUS, SIGILL };

static const FsParamSpec crash_params[] = {
  { "signal", FS_PARAM_ENUM, "SEGV", 0, 0, crash_choices, N_("The signal to die by") },
};

static int
crash_run (const FsValue *args,
           void          *state)
{
  int sig = crash_signals[args[0].i];

  printf (_("crashing with SIG%s\n"), args[0].s);
  fflush (stdout);
  /* The worker reset every disposition to the default, so this kills us
   * (with a core dump if RLIMIT_CORE allows one). */
  raise (sig);
  return 128 + sig;
}

/* basics.burn: keeps CPUs busy. */

typedef struct
{
  struct timespec deadline;
} Burn;

static int
before (const struct timespec *now,
        const struct timespec *deadline)
{
  return now->tv_sec < deadline->tv_sec ||
         (now->tv_sec == deadline->tv_sec && now->tv_nsec < deadline->tv_nsec);
}

static void *
burn_thread (void *data)
{
  const Burn *burn = data;
  struct timespec now;
  volatile unsigned long spin = 0;

  do
    {
      for (int i = 0; i < 100000; i++)
        spin++;
      clock_gettime (CLOCK_MONOTONIC, &now);
    }
  while (before (&now, &burn->deadline));

  return NULL;
}

static const FsParamSpec burn_params[] = {
  seconds_param,
  { "threads", FS_PARAM_INT, "1", 1, 64, NULL, N_("How many threads spin") },
};

static int
burn_run (const FsValue *args,
          void          *state)
{
  Burn burn;
  pthread_t threads[64];
  int n = (int) args[1].i;
  int started = 0;
  double seconds = args[0].d;

  clock_gettime (CLOCK_MONOTONIC, &burn.deadline);
  burn.deadline.tv_sec += (time_t) seconds;
  burn.deadline.tv_nsec += (long) ((seconds - (double) (time_t) seconds) * 1e9);
  if (burn.deadline.tv_nsec >= 1000000000)
    {
      burn.deadline.tv_sec++;
      burn.deadline.tv_nsec -= 1000000000;
    }

  printf (_("burning %d CPU thread(s) for %g s\n"), n, seconds);
  for (int i = 1; i < n; i++)
    if (pthread_create (&threads[started], NULL, burn_thread, &burn) == 0)
      started++;
  burn_thread (&burn);
  for (int i = 0; i < started; i++)
    pthread_join (threads[i], NULL);

  return 0;
}

/* basics.alloc: memory that really counts in RSS (every page touched). */

static const FsParamSpec alloc_params[] = {
  { "megabytes", FS_PARAM_INT, "64", 0, 4096, NULL, N_("How many MiB to allocate and touch") },
  seconds_param,
};

static int
alloc_run (const FsValue *args,
           void          *state)
{
  size_t size = (size_t) args[0].i * 1024 * 1024;
  char *memory = NULL;

  if (size > 0)
    {
      memory = malloc (size);
      if (memory == NULL)
        {
          fprintf (stderr, _("cannot allocate %d MiB\n"), (int) args[0].i);
          return 1;
        }
      /* Through a volatile pointer: a compiler sees that the memory is
       * freed unread and may drop a plain memset (GCC -O2 does), and
       * untouched pages are not resident. */
      for (size_t i = 0; i < size; i += 4096)
        ((volatile char *) memory)[i] = (char) 0xa5;
    }

  printf (_("allocated and touched %d MiB\n"), (int) args[0].i);
  fs_builtin_sleep (args[1].d);
  free (memory);
  return 0;
}

/* basics.ignore_term: shows terminate (SIGTERM) vs kill (SIGKILL). */

static const FsParamSpec ignore_term_params[] = {
  seconds_param,
};

static int
ignore_term_run (const FsValue *args,
                 void          *state)
{
  signal (SIGTERM, SIG_IGN);
  printf (_("ignoring SIGTERM for %g s\n"), args[0].d);
  fs_builtin_sleep (args[0].d);
  return 0;
}

/* basics.print */

static const char * const stream_choices[] = { "stdout", "stderr", NULL };

static const FsParamSpec print_params[] = {
  { "lines", FS_PARAM_INT, "10", 0, 100000, NULL, N_("How many lines to print") },
  { "interval", FS_PARAM_DOUBLE, "0.1", 0, 3600, NULL, N_("Seconds between lines") },
  { "stream", FS_PARAM_ENUM, "stdout", 0, 0, stream_choices, N_("Where to print") },
};

static int
print_run (const FsValue *args,
           void          *state)
{
  int lines = (int) args[0].i;
  FILE *stream = args[2].i == 1 ? stderr : stdout;

  for (int i = 1; i <= lines; i++)
    {
      fprintf (stream, _("line %d of %d\n"), i, lines);
      fflush (stream);
      if (i < lines)
        fs_builtin_sleep (args[1].d);
    }
  return 0;
}

/* basics.stdin: a worker has no terminal (its stdin is /dev/null), like a
 * multiprocessing child: input() there just gets end of file. */

static int
stdin_run (const FsValue *args,
           void          *state)
{
  char target[PATH_MAX];
  char buffer[4096];
  ssize_t len;
  long long total = 0;
  int failed = 0;

  len = readlink ("/proc/self/fd/0", target, sizeof target - 1);
  if (len < 0)
    snprintf (target, sizeof target, "%s", _("(closed)"));
  else
    target[len] = '\0';
  printf (_("stdin is %s (%s)\n"), target,
          isatty (STDIN_FILENO) ? _("a terminal") : _("not a terminal"));

  for (;;)
    {
      ssize_t n = read (STDIN_FILENO, buffer, sizeof buffer);

      if (n > 0)
        total += n;
      else if (n == 0)
        break;
      else if (errno != EINTR)
        {
          failed = errno;
          break;
        }
    }

  if (failed)
    printf (_("read %lld bytes, then an error: %s\n"), total, strerror (failed));
  else
    printf (_("read %lld bytes, then end of file\n"), total);
  return 0;
}

/* basics.fds: what the worker inherited. */

static int
fds_run (const FsValue *args,
         void          *state)
{
  DIR *dir = opendir ("/proc/self/fd");
  struct dirent *entry;
  int n = 0;

  if (dir == NULL)
    {
      perror ("/proc/self/fd");
      return 1;
    }

  while ((entry = readdir (dir)) != NULL)
    {
      char path[64];
      char target[PATH_MAX];
      ssize_t len;
      int fd;

      if (entry->d_name[0] == '.')
        continue;
      fd = atoi (entry->d_name);
      if (fd == dirfd (dir))
        continue;  /* our own listing */

      snprintf (path, sizeof path, "/proc/self/fd/%d", fd);
      len = readlink (path, target, sizeof target - 1);
      if (len < 0)
        continue;
      target[len] = '\0';
      printf ("%d -> %s\n", fd, target);
      n++;
    }
  closedir (dir);

  printf (_("%d open file descriptors\n"), n);
  return 0;
}

static const FsFunction basics_functions[] = {
  { "sleep", N_("Sleep, then exit 0"),
    sleep_params, FS_N_ELEMENTS (sleep_params), NULL, sleep_run },
  { "exit", N_("Sleep, then exit with a status"),
    exit_params, FS_N_ELEMENTS (exit_params), NULL, exit_run },
  { "crash", N_("Die by a signal, as a crashing program does"),
    crash_params, FS_N_ELEMENTS (crash_params), NULL, crash_run },
  { "burn", N_("Keep CPUs busy"),
    burn_params, FS_N_ELEMENTS (burn_params), NULL, burn_run },
  { "alloc", N_("Allocate and touch memory, then sleep"),
    alloc_params, FS_N_ELEMENTS (alloc_params), NULL, alloc_run },
  { "ignore_term", N_("Ignore SIGTERM while sleeping: only SIGKILL stops it"),
    ignore_term_params, FS_N_ELEMENTS (ignore_term_params), NULL, ignore_term_run },
  { "print", N_("Print numbered lines"),
    print_params, FS_N_ELEMENTS (print_params), NULL, print_run },
  { "stdin", N_("Read stdin to the end and say what came"),
    NULL, 0, NULL, stdin_run },
  { "fds", N_("List the open file descriptors"),
    NULL, 0, NULL, fds_run },
};

FS_BUILTIN_PLUGIN (basics_plugin, "basics",
                   N_("Sleep, exit, crash, burn CPU, allocate memory, print"),
                   basics_functions)
