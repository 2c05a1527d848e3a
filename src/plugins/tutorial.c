/* tutorial.c: the seed's examples, line for line
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fs-builtin.h"

/* tutorial.sleep_print: the seed's th1/th2/th3. */

static const FsParamSpec sleep_print_params[] = {
  { "seconds", FS_PARAM_DOUBLE, "1", 0, 3600, NULL, N_("How long to sleep before printing") },
  { "message", FS_PARAM_STRING, "hello", 0, 0, NULL, N_("What to print") },
};

static int
sleep_print_run (const FsValue *args,
                 void          *state)
{
  fs_builtin_sleep (args[0].d);
  printf ("%s\n", args[1].s);
  /* print(os.getppid(), "---", os.getpid()) */
  printf ("%d --- %d\n", (int) getppid (), (int) getpid ());
  return 0;
}

/* tutorial.fork_test: the seed's os.fork() example. The parent does not
 * wait: both sides run on to the last line and leave. */

static const FsParamSpec fork_test_params[] = {
  { "child_sleep", FS_PARAM_DOUBLE, "2", 0, 3600, NULL, N_("Seconds the child sleeps before printing") },
  { "parent_sleep", FS_PARAM_DOUBLE, "3", 0, 3600, NULL, N_("Seconds the parent sleeps before printing") },
};

static int
fork_test_run (const FsValue *args,
               void          *state)
{
  pid_t pid = fork ();

  if (pid < 0)
    printf ("Create process failed\n");
  else if (pid == 0)
    {
      fs_builtin_sleep (args[0].d);
      printf ("the new process\n");
    }
  else
    {
      fs_builtin_sleep (args[1].d);
      printf ("The old process\n");
    }
  printf ("Fork test over\n");
  return 0;
}

/* tutorial.fork_memory: after fork() each side has its own copy. */

static const FsParamSpec fork_memory_params[] = {
  { "value", FS_PARAM_INT, "100", -1000000000, 1000000000, NULL,
    N_("The value the parent sets before forking") },
};

static int
fork_memory_run (const FsValue *args,
                 void          *state)
{
  long value = (long) args[0].i;
  pid_t pid;

  printf (_("parent %d: value = %ld, forking\n"), (int) getpid (), value);
  pid = fork ();
  if (pid < 0)
    {
      perror ("fork");
      return 1;
    }
  if (pid == 0)
    {
      value = value + 1;
      printf (_("child %d: changed my copy, value = %ld\n"), (int) getpid (), value);
      fflush (stdout);
      _exit (0);
    }

  while (waitpid (pid, NULL, 0) < 0 && errno == EINTR)
    ;
  printf (_("parent %d: the child has exited, my value = %ld\n"), (int) getpid (), value);
  return 0;
}

/* tutorial.exit_kinds: sys.exit() vs os._exit(). stdout is line-buffered,
 * so a line without a newline sits in the buffer: exit() and returning
 * flush it, _exit() and abort() lose it. */

static const char * const exit_kinds_choices[] = { "exit", "_exit", "return", "abort", NULL };

static const FsParamSpec exit_kinds_params[] = {
  { "how", FS_PARAM_ENUM, "exit", 0, 0, exit_kinds_choices,
    N_("exit() flushes stdout, _exit() does not, return leaves run(), abort() raises SIGABRT") },
  { "code", FS_PARAM_INT, "0", 0, 255, NULL, N_("Exit status") },
};

static int
exit_kinds_run (const FsValue *args,
                void          *state)
{
  const char *how = args[0].s;
  int code = (int) args[1].i;

  printf (_("this line has no newline, leaving with %s"), how);

  if (strcmp (how, "_exit") == 0)
    _exit (code);
  if (strcmp (how, "abort") == 0)
    abort ();
  if (strcmp (how, "exit") == 0)
    exit (code);
  return code;
}

static const FsFunction tutorial_functions[] = {
  { "sleep_print", N_("Sleep, print a message, then PPID --- PID"),
    sleep_print_params, FS_N_ELEMENTS (sleep_print_params), NULL, sleep_print_run },
  { "fork_test", N_("The os.fork() example: parent and child print in turn"),
    fork_test_params, FS_N_ELEMENTS (fork_test_params), NULL, fork_test_run },
  { "fork_memory", N_("After fork() the child changes its copy; the parent's is unchanged"),
    fork_memory_params, FS_N_ELEMENTS (fork_memory_params), NULL, fork_memory_run },
  { "exit_kinds", N_("Leave by exit(), _exit(), return or abort() with unflushed output"),
    exit_kinds_params, FS_N_ELEMENTS (exit_kinds_params), NULL, exit_kinds_run },
};

FS_BUILTIN_PLUGIN (tutorial_plugin, "tutorial",
                   N_("The examples of the os.fork and multiprocessing tutorial"),
                   tutorial_functions)
