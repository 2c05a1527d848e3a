/* lifecycle.c: zombies, orphans and process trees to watch
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fs-builtin.h"

#define TREE_MAX_PROCESSES 64

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

static const FsFunction lifecycle_functions[] = {
  { "zombie", N_("Fork a child that exits at once and do not wait for it"),
    zombie_params, FS_N_ELEMENTS (zombie_params), NULL, zombie_run },
  { "orphan", N_("Fork a child and exit at once, leaving it an orphan"),
    orphan_params, FS_N_ELEMENTS (orphan_params), NULL, orphan_run },
  { "tree", N_("A tree of sleeping processes (at most 64)"),
    tree_params, FS_N_ELEMENTS (tree_params), tree_setup, tree_run },
};

FS_BUILTIN_PLUGIN (lifecycle_plugin, "lifecycle",
                   N_("Zombies, orphans and process trees"),
                   lifecycle_functions)
