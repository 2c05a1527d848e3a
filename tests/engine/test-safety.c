/* test-safety.c: the supervisor never signals a process that is not its own
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/pidfd.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fs-engine.h"
#include "fs-proc.h"
#include "fs-test-engine.h"

#define TIMEOUT 10.0

/* ---- forcing pid reuse --------------------------------------------------- */

/* The next pid the kernel hands out in our namespace is @next (root only). */
static gboolean
set_next_pid (int next)
{
  g_autofree char *text = g_strdup_printf ("%d", next - 1);
  int fd = open ("/proc/sys/kernel/ns_last_pid", O_WRONLY | O_CLOEXEC);
  gboolean ok;

  if (fd < 0)
    return FALSE;
  ok = write (fd, text, strlen (text)) == (ssize_t) strlen (text);
  close (fd);
  return ok;
}

typedef enum
{
  STRANGER_SETPGID,   /* its own group, in our session (a shell's job) */
  STRANGER_SETSID,    /* its own session (a daemon, a terminal's shell) */
} StrangerKind;

/* A process that is not the supervisor's: our child, made to take @pid and
 * then lead a group of that number. Returns its pid (== @pid), or -1 if the
 * pid could not be had. */
static int
stranger_new (int          pid,
              StrangerKind kind)
{
  int ready[2];
  char byte;
  int child;

  g_assert_cmpint (pipe2 (ready, O_CLOEXEC), ==, 0);
  for (guint tries = 0; tries < 5; tries++)
    {
      if (!set_next_pid (pid))
        break;
      child = fork ();
      g_assert_cmpint (child, >=, 0);
      if (child == 0)
        {
          int null = open ("/dev/null", O_RDWR | O_CLOEXEC);

          /* Never outlive a failed test, nor hold its output open. */
          prctl (PR_SET_PDEATHSIG, SIGKILL);
          dup2 (null, STDOUT_FILENO);
          dup2 (null, STDERR_FILENO);
          if (kind == STRANGER_SETSID)
            setsid ();
          else
            setpgid (0, 0);
          (void) write (ready[1], "x", 1);
          for (;;)
            pause ();
        }
      g_assert_cmpint (read (ready[0], &byte, 1), ==, 1);
      if (child == pid)
        {
          close (ready[0]);
          close (ready[1]);
          return child;
        }
      /* Somebody forked in between: try again. */
      kill (child, SIGKILL);
      waitpid (child, NULL, 0);
    }
  close (ready[0]);
  close (ready[1]);
  return -1;
}

static void
stranger_free (int pid)
{
  int status;

  g_assert_cmpint (kill (pid, 0), ==, 0);   /* nobody else killed it */
  g_assert_cmpint (kill (pid, SIGKILL), ==, 0);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (WIFSIGNALED (status) && WTERMSIG (status) == SIGKILL);
}

static gboolean
has_birth_child (FsTestEngine *t,
                 gpointer      data)
{
  return g_list_model_get_n_items (fs_process_get_birth_children (data)) > 0;
}

/* Returns once a scan that started after now has been handled. */
static void
wait_for_scan (FsTestEngine *t)
{
  FsProcess *marker = fs_test_spawn (t, "marker", "tutorial.fork_test", FALSE,
                                     "child_sleep=60", "parent_sleep=60", NULL);

  fs_test_wait (t, has_birth_child, marker, TIMEOUT, "a scan");
}

/* No process of the engine's but @old has @pid. */
static void
assert_not_followed (FsTestEngine *t,
                     int           pid,
                     FsProcess    *old)
{
  GListModel *processes = fs_engine_get_processes (t->engine);

  for (guint i = 0; i < g_list_model_get_n_items (processes); i++)
    {
      g_autoptr(FsProcess) process = g_list_model_get_item (processes, i);

      if (process != old && fs_process_get_pid (process) == pid)
        g_error ("The engine follows PID %d (%s), a process that is not its own",
                 pid, fs_process_get_name (process));
    }
}

/* A worker is reaped, its group is empty, and a stranger takes the pid and
 * makes a group of it: the scans must not take it for a member. */
static void
test_stranger_takes_group (FsTestEngine  *t,
                           gconstpointer  data)
{
  StrangerKind kind = GPOINTER_TO_INT (data);
  g_autoptr(GError) error = NULL;
  FsProcess *worker;
  int pid, stranger;

  fs_engine_set_scan_interval (t->engine, 20);
  worker = fs_test_spawn (t, "short", "basics.exit", FALSE, NULL);
  pid = fs_process_get_pid (worker);
  g_assert_true (fs_engine_join_sync (t->engine, worker, TIMEOUT, &error));
  g_assert_no_error (error);

  stranger = stranger_new (pid, kind);
  if (stranger < 0)
    {
      g_test_skip ("cannot choose pids here (needs root and ns_last_pid)");
      return;
    }

  wait_for_scan (t);
  wait_for_scan (t);
  assert_not_followed (t, stranger, worker);
  stranger_free (stranger);
}

static guint64
boot_ticks (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_BOOTTIME, &ts);
  return ((guint64) ts.tv_sec * 1000000000 + (guint64) ts.tv_nsec) /
         (1000000000 / (guint64) sysconf (_SC_CLK_TCK));
}

/* The group outlives its leader while a forked child is in it; once that
 * child is gone too, a stranger may take the number. */
static void
test_stranger_after_members (FsTestEngine  *t,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FsProcess) child = NULL;
  FsProcess *worker;
  guint64 reaped;
  int pid, stranger;

  fs_engine_set_scan_interval (t->engine, 20);
  worker = fs_test_spawn (t, "forker", "tutorial.fork_test", FALSE,
                          "child_sleep=60", "parent_sleep=0", NULL);
  pid = fs_process_get_pid (worker);
  fs_test_wait (t, has_birth_child, worker, TIMEOUT, "the forked child");
  child = g_list_model_get_item (fs_process_get_birth_children (worker), 0);
  g_assert_cmpint (fs_process_get_pgid (child), ==, pid);
  g_assert_true (fs_engine_join_sync (t->engine, worker, TIMEOUT, &error));
  g_assert_no_error (error);

  /* A clock tick later (what the start times of processes can tell
   * apart), the last member goes, and a stranger takes the number. */
  reaped = boot_ticks ();
  while (boot_ticks () <= reaped + 1)
    ;
  g_assert_true (fs_engine_signal_sync (t->engine, child, SIGKILL, FALSE, &error));
  g_assert_no_error (error);
  fs_test_wait_state (t, child, FS_PROCESS_STATE_REAPED, TIMEOUT);

  stranger = stranger_new (pid, STRANGER_SETPGID);
  if (stranger < 0)
    {
      g_test_skip ("cannot choose pids here (needs root and ns_last_pid)");
      return;
    }

  wait_for_scan (t);
  wait_for_scan (t);
  assert_not_followed (t, stranger, worker);

  /* A group signal on the reaped worker reaches nobody. */
  g_assert_false (fs_engine_signal_sync (t->engine, worker, SIGKILL, TRUE, &error));
  g_assert_error (error, FS_ENGINE_ERROR, FS_ENGINE_ERROR_ALREADY_REAPED);
  stranger_free (stranger);
}

/* A reaped worker's pid, taken by a stranger, is never signalled: not the
 * worker alone, not its group. */
static void
test_worker_pid_reused (FsTestEngine  *t,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  FsProcess *worker;
  int pid, stranger;

  worker = fs_test_spawn (t, "short", "basics.exit", FALSE, NULL);
  pid = fs_process_get_pid (worker);
  g_assert_true (fs_engine_join_sync (t->engine, worker, TIMEOUT, &error));
  g_assert_no_error (error);

  stranger = stranger_new (pid, STRANGER_SETPGID);
  if (stranger < 0)
    {
      g_test_skip ("cannot choose pids here (needs root and ns_last_pid)");
      return;
    }

  g_assert_false (fs_engine_signal_sync (t->engine, worker, SIGTERM, FALSE, &error));
  g_assert_error (error, FS_ENGINE_ERROR, FS_ENGINE_ERROR_ALREADY_REAPED);
  g_clear_error (&error);
  g_assert_false (fs_engine_signal_sync (t->engine, worker, SIGTERM, TRUE, &error));
  g_assert_error (error, FS_ENGINE_ERROR, FS_ENGINE_ERROR_ALREADY_REAPED);
  g_clear_error (&error);
  stranger_free (stranger);
}

/* A descendant that was reaped by its own parent, its pid then taken by a
 * stranger, before any scan saw it go: the supervisor still thinks it
 * lives, and opens its pidfd only now. The start time says it is not the
 * same process: refused, and the stranger lives. */
static void
test_descendant_pid_reused (FsTestEngine  *t,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FsProcess) child = NULL;
  FsProcess *worker;
  int pid, pidfd, stranger;

  fs_engine_set_scan_interval (t->engine, 20);
  worker = fs_test_spawn (t, "shell", "command.run", FALSE,
                          "argv=sh -c 'sleep 0.3; exec sleep 60'", NULL);
  fs_test_wait (t, has_birth_child, worker, TIMEOUT, "the first sleep");
  child = g_list_model_get_item (fs_process_get_birth_children (worker), 0);
  pid = fs_process_get_pid (child);
  g_assert_cmpuint (fs_process_get_start_ticks (child), >, 0);

  /* From now on no scan comes unless something happens to a child of the
   * supervisor: the end of the first sleep is not such a thing. */
  fs_engine_set_scan_interval (t->engine, 60000);
  fs_test_wait_event (t, NULL, FS_EVENT_POLICY, TIMEOUT);
  pidfd = fs_test_pidfd_open (pid);
  g_assert_true (fs_test_pidfd_wait_exit (pidfd, TIMEOUT));
  close (pidfd);
  g_assert_true (fs_test_wait_pid_gone (pid, TIMEOUT));

  stranger = stranger_new (pid, STRANGER_SETPGID);
  if (stranger < 0)
    {
      g_test_skip ("cannot choose pids here (needs root and ns_last_pid)");
      return;
    }

  g_assert_true (fs_process_get_alive (child));
  g_assert_false (fs_engine_signal_sync (t->engine, child, SIGTERM, FALSE, &error));
  g_assert_error (error, FS_ENGINE_ERROR, FS_ENGINE_ERROR_ALREADY_REAPED);
  g_clear_error (&error);
  stranger_free (stranger);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func, data) \
  g_test_add ("/forkscope/safety/" path, FsTestEngine, GINT_TO_POINTER (data), \
              fs_test_engine_setup, func, fs_test_engine_teardown)

  ADD ("stranger-takes-group/setpgid", test_stranger_takes_group, STRANGER_SETPGID);
  ADD ("stranger-takes-group/setsid", test_stranger_takes_group, STRANGER_SETSID);
  ADD ("stranger-after-members", test_stranger_after_members, 0);
  ADD ("worker-pid-reused", test_worker_pid_reused, 0);
  ADD ("descendant-pid-reused", test_descendant_pid_reused, 0);

#undef ADD

  return g_test_run ();
}
