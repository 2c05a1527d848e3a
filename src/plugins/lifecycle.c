/* lifecycle.c: zombies, orphans and process trees to watch
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fs-builtin.h"

#define TREE_MAX_PROCESSES 64
#define POOL_MAX_WORKERS 64

static pid_t
wait_for (pid_t pid)
{
  pid_t result;

  while ((result = waitpid (pid, NULL, 0)) < 0 && errno == EINTR)
    ;
  return result;
}

/* lifecycle.zombie: a child that has exited stays a zombie until its parent
 * waits for it. */

static const FsParamSpec zombie_params[] = {
  { "seconds", FS_PARAM_DOUBLE, "5", 0, 3600, NULL,
    N_("How long the parent sleeps without waiting (the child is a zombie meanwhile)") },
  { "reap", FS_PARAM_BOOL, "false", 0, 0, NULL,
    N_("Reap the child before exiting (otherwise its adopter reaps it)") },
};

static int
zombie_run (const FsValue *args,
            void          *state)
{
  pid_t pid = fork ();

  if (pid < 0)
    {
      perror ("fork");
      return 1;
    }
  if (pid == 0)
    _exit (0);

  printf (_("child %d exited at once: a zombie until PID %d reaps it\n"),
          (int) pid, (int) getpid ());
  fs_builtin_sleep (args[0].d);

  if (args[1].b)
    {
      wait_for (pid);
      printf (_("reaped child %d\n"), (int) pid);
    }
  else
    printf (_("exiting without reaping child %d: its adopter will\n"), (int) pid);
  return 0;
}

/* lifecycle.orphan: the parent exits at once; the child is re-parented. */

static const FsParamSpec orphan_params[] = {
  { "seconds", FS_PARAM_DOUBLE, "5", 0, 3600, NULL, N_("How long the orphaned child lives") },
};

static int
orphan_run (const FsValue *args,
            void          *state)
{
  pid_t parent = getpid ();
  pid_t pid;

  fflush (stdout);
  pid = fork ();
  if (pid < 0)
    {
      perror ("fork");
      return 1;
    }
  if (pid == 0)
    {
      fs_builtin_sleep (args[0].d);
      printf (_("child %d: my parent was %d, now it is %d\n"),
              (int) getpid (), (int) parent, (int) getppid ());
      fflush (stdout);
      _exit (0);
    }

  printf (_("parent %d exits, leaving child %d an orphan\n"), (int) parent, (int) pid);
  return 0;
}

/* lifecycle.tree: depth levels below the worker, fanout children each. */

static const FsParamSpec tree_params[] = {
  { "depth", FS_PARAM_INT, "2", 0, 6, NULL, N_("Levels of children below the worker") },
  { "fanout", FS_PARAM_INT, "2", 0, 63, NULL, N_("Children of each process") },
  { "seconds", FS_PARAM_DOUBLE, "5", 0, 3600, NULL, N_("How long each process sleeps") },
};

static long
tree_size (long depth,
           long fanout)
{
  long total = 1, level = 1;

  for (long d = 0; d < depth; d++)
    {
      level *= fanout;
      total += level;
      if (total > TREE_MAX_PROCESSES)
        break;
    }
  return total;
}

static int
tree_setup (const FsValue  *args,
            void          **state,
            char          **error)
{
  long total = tree_size ((long) args[0].i, (long) args[1].i);

  if (total > TREE_MAX_PROCESSES)
    {
      if (asprintf (error, _("depth %d and fanout %d make more than %d processes"),
                    (int) args[0].i, (int) args[1].i, TREE_MAX_PROCESSES) < 0)
        *error = NULL;
      return 1;
    }
  return 0;
}

static void
grow (int    level,
      int    depth,
      int    fanout,
      double seconds)
{
  pid_t children[TREE_MAX_PROCESSES];
  int n = 0;

  printf (_("level %d: process %d, parent %d\n"), level, (int) getpid (), (int) getppid ());
  fflush (stdout);

  for (int i = 0; level < depth && i < fanout; i++)
    {
      pid_t pid = fork ();

      if (pid < 0)
        {
          perror ("fork");
          break;
        }
      if (pid == 0)
        {
          grow (level + 1, depth, fanout, seconds);
          fflush (stdout);
          _exit (0);
        }
      children[n++] = pid;
    }

  fs_builtin_sleep (seconds);

  /* Each process reaps its own children: the tree leaves no zombies. */
  for (int i = 0; i < n; i++)
    wait_for (children[i]);
}

static int
tree_run (const FsValue *args,
          void          *state)
{
  grow (0, (int) args[0].i, (int) args[1].i, args[2].d);
  return 0;
}


/* lifecycle.pool: like multiprocessing.Pool, a fixed set of worker
 * processes sharing a queue of items. The queue is a pipe: each item is one
 * int, written whole (a write of at most PIPE_BUF bytes is atomic) and read
 * whole (every reader asks for exactly one int), so no item is taken twice
 * and none is lost. Closing the write end is the "no more work" message:
 * each worker sees end-of-file and leaves. Each worker reports its count on
 * a second pipe before exiting, and the pool reaps every worker itself. */

static const FsParamSpec pool_params[] = {
  { "workers", FS_PARAM_INT, "8", 1, POOL_MAX_WORKERS, NULL, N_("Worker processes in the pool") },
  { "items", FS_PARAM_INT, "32", 0, 100000, NULL, N_("Items to process") },
  { "item_seconds", FS_PARAM_DOUBLE, "0.05", 0, 60, NULL, N_("How long one item takes") },
};

/* Reads or writes exactly one int, or fails (0 at end-of-file). */
static int
read_int (int  fd,
          int *value)
{
  ssize_t n;

  while ((n = read (fd, value, sizeof *value)) < 0 && errno == EINTR)
    ;
  return n == (ssize_t) sizeof *value ? 1 : n == 0 ? 0 : -1;
}

static int
write_int (int fd,
           int value)
{
  ssize_t n;

  while ((n = write (fd, &value, sizeof value)) < 0 && errno == EINTR)
    ;
  return n == (ssize_t) sizeof value ? 0 : -1;
}

static void
pool_worker (int    items_fd,
             int    results_fd,
             double item_seconds)
{
  int item, count = 0, r;

  while ((r = read_int (items_fd, &item)) > 0)
    {
      fs_builtin_sleep (item_seconds);
      count++;
      printf (_("worker %d processed item %d\n"), (int) getpid (), item);
    }
  if (r < 0)
    perror ("read");
  printf (_("worker %d: no more items, exiting after %d\n"), (int) getpid (), count);
  fflush (stdout);
  _exit (write_int (results_fd, count) == 0 && r == 0 ? 0 : 1);
}

static int
pool_run (const FsValue *args,
          void          *state)
{
  int n_workers = (int) args[0].i;
  int n_items = (int) args[1].i;
  pid_t workers[POOL_MAX_WORKERS];
  int items[2], results[2];
  int started = 0, failed = 0, processed = 0, sent = 0, count;

  if (pipe (items) < 0 || pipe (results) < 0)
    {
      perror ("pipe");
      return 1;
    }

  printf (_("pool %d: starting %d workers for %d items\n"), (int) getpid (), n_workers, n_items);
  fflush (stdout);

  for (int i = 0; i < n_workers; i++)
    {
      pid_t pid = fork ();

      if (pid < 0)
        {
          perror ("fork");
          failed = 1;
          break;
        }
      if (pid == 0)
        {
          close (items[1]);
          close (results[0]);
          pool_worker (items[0], results[1], args[2].d);
        }
      workers[started++] = pid;
    }
  close (items[0]);
  close (results[1]);

  /* If every worker died, writing would raise SIGPIPE: say so instead. */
  signal (SIGPIPE, SIG_IGN);
  for (int item = 1; item <= n_items && started > 0; item++, sent++)
    if (write_int (items[1], item) < 0)
      {
        perror ("write");
        failed = 1;
        break;
      }
  /* End-of-file tells each worker there is no more work. */
  close (items[1]);

  /* Like pool.close(); pool.join(): reap every worker. */
  for (int i = 0; i < started; i++)
    {
      int status = 0;

      while (waitpid (workers[i], &status, 0) < 0 && errno == EINTR)
        ;
      if (!WIFEXITED (status) || WEXITSTATUS (status) != 0)
        failed = 1;
    }
  while (read_int (results[0], &count) > 0)
    processed += count;
  close (results[0]);

  printf (_("pool %d: %d of %d items processed by %d workers, all reaped\n"),
          (int) getpid (), processed, n_items, started);
  return failed || processed != n_items || sent != n_items ? 1 : 0;
}

static const FsFunction lifecycle_functions[] = {
  { "zombie", N_("Fork a child that exits at once and do not wait for it"),
    zombie_params, FS_N_ELEMENTS (zombie_params), NULL, zombie_run },
  { "orphan", N_("Fork a child and exit at once, leaving it an orphan"),
    orphan_params, FS_N_ELEMENTS (orphan_params), NULL, orphan_run },
  { "tree", N_("A tree of sleeping processes (at most 64)"),
    tree_params, FS_N_ELEMENTS (tree_params), tree_setup, tree_run },
  { "pool", N_("A pool of worker processes taking items from a shared queue"),
    pool_params, FS_N_ELEMENTS (pool_params), NULL, pool_run },
};

FS_BUILTIN_PLUGIN (lifecycle_plugin, "lifecycle",
                   N_("Zombies, orphans and process trees"),
                   lifecycle_functions)
