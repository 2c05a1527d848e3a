/* test-engine.c: the engine and supervisor against real processes
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <sys/pidfd.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "fs-engine.h"
#include "fs-proc.h"
#include "fs-test-engine.h"

#define TIMEOUT 10.0

/* ---- Python parity: exit codes ----------------------------------------- */

static void
assert_joined_exitcode (FsTestEngine *t,
                        FsProcess    *process,
                        int           exitcode)
{
  g_autoptr(GError) error = NULL;
  FsEvent *event;
  int code;

  g_assert_true (fs_engine_join_sync (t->engine, process, -1, &error));
  g_assert_no_error (error);
  g_assert_cmpint (fs_process_get_state (process), ==, FS_PROCESS_STATE_REAPED);
  g_assert_false (fs_process_get_alive (process));
  g_assert_true (fs_process_get_has_exit_status (process));
  g_assert_cmpint (fs_process_get_exit_code (process), ==, exitcode);
  g_assert_cmpint (fs_process_get_reaper_pid (process), ==,
                   fs_process_get_pid (fs_engine_get_supervisor (t->engine)));

  event = fs_test_find_event (t, process, FS_EVENT_REAPED);
  g_assert_nonnull (event);
  g_assert_true (fs_event_lookup_int (event, "exitcode", &code));
  g_assert_cmpint (code, ==, exitcode);
  event = fs_test_find_event (t, process, FS_EVENT_JOINED);
  g_assert_nonnull (event);
  g_assert_true (fs_event_lookup_int (event, "exitcode", &code));
  g_assert_cmpint (code, ==, exitcode);
}

static void
test_exit_normal (FsTestEngine  *t,
                  gconstpointer  data)
{
  FsProcess *p = fs_test_spawn (t, "normal", "basics.exit", FALSE, "code=0", NULL);

  assert_joined_exitcode (t, p, 0);
  g_assert_nonnull (fs_test_find_event (t, p, FS_EVENT_SPAWNED));
  g_assert_nonnull (fs_test_find_event (t, p, FS_EVENT_EXITED));
}

static void
test_exit_code (FsTestEngine  *t,
                gconstpointer  data)
{
  FsProcess *p = fs_test_spawn (t, "three", "basics.exit", FALSE, "code=3", NULL);

  assert_joined_exitcode (t, p, 3);
}

static void
signal_and_join (FsTestEngine *t,
                 const char   *name,
                 int           signum)
{
  g_autoptr(GError) error = NULL;
  FsProcess *p = fs_test_spawn (t, name, "basics.sleep", FALSE, "seconds=60", NULL);
  FsEvent *event;
  int value;

  g_assert_true (fs_process_get_alive (p));
  g_assert_true (fs_engine_signal_sync (t->engine, p, signum, FALSE, &error));
  g_assert_no_error (error);
  event = fs_test_find_event (t, p, FS_EVENT_SIGNALLED);
  g_assert_nonnull (event);
  g_assert_true (fs_event_lookup_int (event, "signal", &value));
  g_assert_cmpint (value, ==, signum);

  assert_joined_exitcode (t, p, -signum);
  g_assert_true (WIFSIGNALED (fs_process_get_wait_status (p)));
}

static void
test_exit_terminate (FsTestEngine  *t,
                     gconstpointer  data)
{
  signal_and_join (t, "terminated", SIGTERM);
}

static void
test_exit_kill (FsTestEngine  *t,
                gconstpointer  data)
{
  signal_and_join (t, "killed", SIGKILL);
}

static void
test_exit_interrupt (FsTestEngine  *t,
                     gconstpointer  data)
{
  signal_and_join (t, "interrupted", SIGINT);
}

static void
test_exit_crash (FsTestEngine  *t,
                 gconstpointer  data)
{
  FsProcess *segv = fs_test_spawn (t, "segv", "basics.crash", FALSE, "signal=SEGV", NULL);
  FsProcess *abrt = fs_test_spawn (t, "abrt", "basics.crash", FALSE, "signal=ABRT", NULL);

  assert_joined_exitcode (t, segv, -SIGSEGV);
  assert_joined_exitcode (t, abrt, -SIGABRT);
}

/* ---- join ------------------------------------------------------------- */

static void
test_join_timeout (FsTestEngine  *t,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  FsProcess *p = fs_test_spawn (t, "sleeper", "basics.sleep", FALSE, "seconds=60", NULL);
  gint64 start;

  /* Like p.join(0.2): times out, the process lives on. */
  start = g_get_monotonic_time ();
  g_assert_false (fs_engine_join_sync (t->engine, p, 0.2, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 190000);
  g_assert_true (fs_process_get_alive (p));
  g_assert_false (fs_process_get_has_exit_status (p));
  g_assert_nonnull (fs_test_find_event (t, p, FS_EVENT_JOIN_TIMED_OUT));
  g_assert_cmpint (fs_test_proc_state (fs_process_get_pid (p)), !=, 0);

  /* A timeout of 0 only looks. */
  g_assert_false (fs_engine_join_sync (t->engine, p, 0, &error));
  g_assert_no_error (error);
  g_assert_true (fs_process_get_alive (p));

  /* A later join succeeds. */
  g_assert_true (fs_engine_signal_sync (t->engine, p, SIGTERM, FALSE, &error));
  g_assert_no_error (error);
  g_assert_true (fs_engine_join_sync (t->engine, p, 5, &error));
  g_assert_no_error (error);
  g_assert_cmpint (fs_process_get_exit_code (p), ==, -SIGTERM);
}

static void
test_join_without_timeout (FsTestEngine  *t,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  FsProcess *p = fs_test_spawn (t, "short", "basics.exit", FALSE, "code=7", "seconds=0.2", NULL);

  g_assert_true (fs_engine_join_sync (t->engine, p, -1, &error));
  g_assert_no_error (error);
  g_assert_cmpint (fs_process_get_exit_code (p), ==, 7);
}

static void
test_join_twice (FsTestEngine  *t,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  FsProcess *p = fs_test_spawn (t, "twice", "basics.exit", FALSE, "code=1", NULL);

  g_assert_true (fs_engine_join_sync (t->engine, p, -1, &error));
  g_assert_no_error (error);
  g_assert_true (fs_engine_join_sync (t->engine, p, 1, &error));
  g_assert_no_error (error);
  g_assert_true (fs_engine_join_sync (t->engine, p, 0, &error));
  g_assert_no_error (error);
  g_assert_cmpint (fs_process_get_exit_code (p), ==, 1);
}

static void
test_join_grandchild (FsTestEngine  *t,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  FsProcess *p;
  FsProcess *child;
  GListModel *children;
  int child_pid;
  int pidfd;

  /* The seed's fork test with a parent that leaves first. */
  p = fs_test_spawn (t, "forker", "tutorial.fork_test", FALSE,
                     "child_sleep=60", "parent_sleep=0.3", NULL);
  children = fs_process_get_birth_children (p);

  /* The scan finds the forked child under its parent. */
  fs_test_wait_event (t, NULL, FS_EVENT_APPEARED, TIMEOUT);
  g_assert_cmpuint (g_list_model_get_n_items (children), ==, 1);
  child = g_list_model_get_item (children, 0);
  g_object_unref (child);   /* the model keeps it */
  child_pid = fs_process_get_pid (child);
  g_assert_cmpint (fs_process_get_kind (child), ==, FS_PROCESS_KIND_DESCENDANT);
  g_assert_cmpint (fs_process_get_birth_ppid (child), ==, fs_process_get_pid (p));
  g_assert_cmpint (fs_process_get_pgid (child), ==, fs_process_get_pid (p));
  pidfd = fs_test_pidfd_open (child_pid);

  /* join returns as soon as the worker is reaped; the grandchild lives. */
  g_assert_true (fs_engine_join_sync (t->engine, p, TIMEOUT, &error));
  g_assert_no_error (error);
  g_assert_cmpint (fs_process_get_exit_code (p), ==, 0);
  g_assert_true (fs_process_get_alive (child));
  g_assert_false (fs_test_pidfd_wait_exit (pidfd, 0));

  /* Orphaned: adopted by the supervisor (subreaper is on by default). */
  fs_test_wait_event (t, child, FS_EVENT_ADOPTED, TIMEOUT);
  g_assert_true (fs_process_get_orphan (child));
  g_assert_true (fs_process_get_parent (child) == fs_engine_get_supervisor (t->engine));
  g_assert_true (fs_process_get_birth_parent (child) == p);

  /* Kill the tree: the leader is reaped, so the members one by one. */
  g_assert_true (fs_engine_signal_sync (t->engine, p, SIGKILL, TRUE, &error));
  g_assert_no_error (error);
  g_assert_true (fs_test_pidfd_wait_exit (pidfd, TIMEOUT));
  close (pidfd);
  fs_test_wait_state (t, child, FS_PROCESS_STATE_REAPED, TIMEOUT);
  g_assert_cmpint (fs_process_get_exit_code (child), ==, -SIGKILL);
}

/* ---- reaping policies -------------------------------------------------- */

static void
state_cb (FsProcess  *process,
          GParamSpec *pspec,
          gboolean   *was_zombie)
{
  if (fs_process_get_state (process) == FS_PROCESS_STATE_ZOMBIE)
    *was_zombie = TRUE;
}

static void
test_policy_auto_no_zombie (FsTestEngine  *t,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gboolean was_zombie = FALSE;
  FsProcess *p;
  FsEvent *event;

  g_assert_cmpint (fs_engine_get_reap_policy (t->engine), ==, FS_REAP_AUTO);
  p = fs_test_spawn (t, "auto", "basics.exit", FALSE, "seconds=0.1", NULL);
  g_signal_connect (p, "notify::state", G_CALLBACK (state_cb), &was_zombie);

  /* Reaped without a join. */
  fs_test_wait_state (t, p, FS_PROCESS_STATE_REAPED, TIMEOUT);
  g_assert_false (was_zombie);
  g_assert_cmpint (fs_test_proc_state (fs_process_get_pid (p)), ==, 0);
  event = fs_test_find_event (t, p, FS_EVENT_EXITED);
  g_assert_nonnull (event);
  g_assert_true (fs_engine_join_sync (t->engine, p, 0, &error));
  g_assert_no_error (error);
  g_signal_handlers_disconnect_by_data (p, &was_zombie);
}

static void
test_policy_join_zombie (FsTestEngine  *t,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  FsProcess *p;
  int pid;

  fs_engine_set_reap_policy (t->engine, FS_REAP_JOIN);
  p = fs_test_spawn (t, "zombie", "basics.exit", FALSE, "code=4", NULL);
  pid = fs_process_get_pid (p);
  g_assert_cmpint (fs_process_get_reap_policy (p), ==, FS_REAP_JOIN);

  /* Exit seen without reaping: the status is known, the zombie stays. */
  fs_test_wait_state (t, p, FS_PROCESS_STATE_ZOMBIE, TIMEOUT);
  g_assert_true (fs_process_get_has_exit_status (p));
  g_assert_cmpint (fs_process_get_exit_code (p), ==, 4);
  g_assert_false (fs_process_get_alive (p));
  g_assert_cmpint (fs_test_proc_state (pid), ==, 'Z');
  g_assert_null (fs_test_find_event (t, p, FS_EVENT_REAPED));

  /* Nothing reaps it behind our back (an absence: give it a few scans). */
  fs_engine_set_scan_interval (t->engine, 20);
  fs_test_run_for (0.2);
  g_assert_cmpint (fs_process_get_state (p), ==, FS_PROCESS_STATE_ZOMBIE);
  g_assert_cmpint (fs_test_proc_state (pid), ==, 'Z');

  /* The join reaps it. */
  g_assert_true (fs_engine_join_sync (t->engine, p, 0, &error));
  g_assert_no_error (error);
  g_assert_cmpint (fs_process_get_state (p), ==, FS_PROCESS_STATE_REAPED);
  g_assert_cmpint (fs_test_proc_state (pid), ==, 0);
}

static void
test_policy_join_timeout_keeps_zombie (FsTestEngine  *t,
                                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  FsProcess *p;

  fs_engine_set_reap_policy (t->engine, FS_REAP_JOIN);
  p = fs_test_spawn (t, "later", "basics.exit", FALSE, "seconds=0.3", NULL);

  /* A join that gave up does not reap what exits afterwards. */
  g_assert_false (fs_engine_join_sync (t->engine, p, 0.05, &error));
  g_assert_no_error (error);
  fs_test_wait_state (t, p, FS_PROCESS_STATE_ZOMBIE, TIMEOUT);
  g_assert_cmpint (fs_test_proc_state (fs_process_get_pid (p)), ==, 'Z');
  g_assert_true (fs_engine_join_sync (t->engine, p, -1, &error));
  g_assert_no_error (error);
  g_assert_cmpint (fs_process_get_state (p), ==, FS_PROCESS_STATE_REAPED);
}

/* ---- signals ----------------------------------------------------------- */

static void
test_signal_reaped_refused (FsTestEngine  *t,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  FsProcess *p = fs_test_spawn (t, "done", "basics.exit", FALSE, NULL);

  g_assert_true (fs_engine_join_sync (t->engine, p, -1, &error));
  g_assert_no_error (error);
  g_assert_false (fs_engine_signal_sync (t->engine, p, SIGTERM, FALSE, &error));
  g_assert_error (error, FS_ENGINE_ERROR, FS_ENGINE_ERROR_ALREADY_REAPED);
  g_assert_null (fs_test_find_event (t, p, FS_EVENT_SIGNALLED));
}

static void
test_signal_stop_continue (FsTestEngine  *t,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  FsProcess *p = fs_test_spawn (t, "stopped", "basics.sleep", FALSE, "seconds=60", NULL);

  fs_engine_set_scan_interval (t->engine, 50);
  g_assert_true (fs_engine_signal_sync (t->engine, p, SIGSTOP, FALSE, &error));
  g_assert_no_error (error);
  fs_test_wait_state (t, p, FS_PROCESS_STATE_STOPPED, TIMEOUT);
  g_assert_true (fs_process_get_alive (p));
  g_assert_nonnull (fs_test_find_event (t, p, FS_EVENT_STATE));
  g_assert_true (fs_engine_signal_sync (t->engine, p, SIGCONT, FALSE, &error));
  g_assert_no_error (error);
  fs_test_wait_state (t, p, FS_PROCESS_STATE_SLEEPING, TIMEOUT);
}

/* ---- output and file descriptors --------------------------------------- */

static gboolean
has_n_output (FsTestEngine *t,
              gpointer      data)
{
  guint *n = data;
  guint count = 0;

  for (guint i = 0; i < t->events->len; i++)
    if (((FsEvent *) g_ptr_array_index (t->events, i))->kind == FS_EVENT_OUTPUT)
      count++;
  return count >= *n;
}

static void
test_output_lines (FsTestEngine  *t,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  FsProcess *out = fs_test_spawn (t, "out", "basics.print", FALSE,
                                  "lines=3", "interval=0", "stream=stdout", NULL);
  FsProcess *err = fs_test_spawn (t, "err", "basics.print", FALSE,
                                  "lines=2", "interval=0", "stream=stderr", NULL);
  guint n_out = 0, n_err = 0;
  gboolean exited_seen = FALSE;

  g_assert_true (fs_engine_join_sync (t->engine, out, -1, &error));
  g_assert_true (fs_engine_join_sync (t->engine, err, -1, &error));
  g_assert_no_error (error);

  for (guint i = 0; i < t->events->len; i++)
    {
      FsEvent *event = g_ptr_array_index (t->events, i);

      if (event->process == out && event->kind == FS_EVENT_EXITED)
        exited_seen = TRUE;
      if (event->kind != FS_EVENT_OUTPUT)
        continue;
      /* Output printed before the exit comes before the exit. */
      if (event->process == out)
        {
          g_assert_false (exited_seen);
          g_assert_cmpstr (fs_event_lookup_string (event, "stream"), ==, "stdout");
          n_out++;
        }
      else if (event->process == err)
        {
          g_assert_cmpstr (fs_event_lookup_string (event, "stream"), ==, "stderr");
          n_err++;
        }
      g_assert_nonnull (fs_event_lookup_string (event, "text"));
    }
  g_assert_cmpuint (n_out, ==, 3);
  g_assert_cmpuint (n_err, ==, 2);
}

static void
test_worker_fds (FsTestEngine  *t,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  FsProcess *p = fs_test_spawn (t, "fds", "basics.fds", FALSE, NULL);
  g_autoptr(GString) all = g_string_new (NULL);
  guint one = 1;

  g_assert_true (fs_engine_join_sync (t->engine, p, -1, &error));
  g_assert_no_error (error);
  g_assert_cmpint (fs_process_get_exit_code (p), ==, 0);
  fs_test_wait (t, has_n_output, &one, TIMEOUT, "output");

  for (guint i = 0; i < t->events->len; i++)
    {
      FsEvent *event = g_ptr_array_index (t->events, i);

      if (event->kind == FS_EVENT_OUTPUT && event->process == p)
        {
          const char *text = fs_event_lookup_string (event, "text");
          g_string_append_printf (all, "%s\n", text);
        }
    }

  /* basics.fds prints "N -> target" per descriptor, then a count: only
   * 0, 1 and 2 may be there. */
  g_test_message ("fds: %s", all->str);
  {
    g_auto(GStrv) lines = g_strsplit (all->str, "\n", -1);
    guint n = 0;

    for (guint i = 0; lines[i] != NULL; i++)
      {
        const char *line = lines[i];
        guint64 fd;
        g_autofree char *number = NULL;
        gsize len = 0;

        while (g_ascii_isspace (*line))
          line++;
        while (g_ascii_isdigit (line[len]))
          len++;
        if (len == 0 || !g_str_has_prefix (line + len, " -> "))
          continue;
        number = g_strndup (line, len);
        g_assert_true (g_ascii_string_to_unsigned (number, 10, 0, 1 << 20, &fd, NULL));
        g_assert_cmpuint (fd, <=, 2);
        n++;
      }
    g_assert_cmpuint (n, ==, 3);
    g_assert_nonnull (strstr (all->str, "0 -> /dev/null"));
  }
}

static guint
count_output (FsTestEngine *t,
              FsProcess    *process)
{
  guint n = 0;

  for (guint i = 0; i < t->events->len; i++)
    {
      FsEvent *event = g_ptr_array_index (t->events, i);

      if (event->kind == FS_EVENT_OUTPUT && event->process == process)
        n++;
    }
  return n;
}

/* A worker that prints without pause (yes) is read no faster than a front
 * end can follow: the supervisor stops reading, the worker blocks in
 * write(), like on a slow terminal, and nothing piles up anywhere. The
 * engine stays responsive: kill and join come through at once. */
static void
test_output_flood (FsTestEngine  *t,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  FsProcess *p = fs_test_spawn (t, "flood", "command.run", FALSE, "argv=yes", NULL);
  gint64 start = g_get_monotonic_time ();
  double elapsed;
  guint n;

  /* What half a second of flooding brings (the time it takes is
   * measured). */
  fs_test_run_for (0.5);
  elapsed = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  n = count_output (t, p);
  g_test_message ("%u lines in %.2f s", n, elapsed);
  g_assert_cmpuint (n, >, 0);
  g_assert_cmpfloat (n, <=, 4096 + 4096 * elapsed * 1.5);

  g_assert_true (fs_engine_signal_sync (t->engine, p, SIGKILL, FALSE, &error));
  g_assert_no_error (error);
  g_assert_true (fs_engine_join_sync (t->engine, p, TIMEOUT, &error));
  g_assert_no_error (error);
  g_assert_cmpint (fs_process_get_exit_code (p), ==, -SIGKILL);
}

static gboolean has_birth_child (FsTestEngine *t,
                                 gpointer      data);

/* The drain before an exit reads what the pipe holds, not what a forked
 * child that shares the pipe keeps writing: a worker whose child runs yes
 * must not flood the front end when it exits. */
static void
test_output_flood_from_child (FsTestEngine  *t,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FsProcess) child = NULL;
  FsProcess *p;
  guint n = 0;

  fs_engine_set_scan_interval (t->engine, 20);
  p = fs_test_spawn (t, "parent", "command.run", FALSE, "argv=sh -c 'yes & sleep 0.3'", NULL);
  fs_test_wait_event (t, p, FS_EVENT_EXITED, TIMEOUT);
  for (guint i = 0; i < t->events->len; i++)
    {
      FsEvent *event = g_ptr_array_index (t->events, i);

      if (event->kind == FS_EVENT_EXITED && event->process == p)
        break;
      /* yes's lines are its own, through the worker's stdout. */
      if (event->kind == FS_EVENT_OUTPUT && fs_process_get_worker (event->process) == p)
        n++;
    }
  g_test_message ("%u lines up to the exit", n);
  /* The budget's second (and a half) and one pipe's worth, at most. */
  g_assert_cmpuint (n, <=, 4096 * 3 + 65536 / 2);

  fs_test_wait (t, has_birth_child, p, TIMEOUT, "yes");
  child = g_list_model_get_item (fs_process_get_birth_children (p), 0);
  g_assert_true (fs_engine_signal_sync (t->engine, child, SIGKILL, FALSE, &error));
  g_assert_no_error (error);
  fs_test_wait_state (t, child, FS_PROCESS_STATE_REAPED, TIMEOUT);
}

/* Output that is not text arrives whole, as valid UTF-8: a NUL or an
 * invalid byte becomes U+FFFD, and nothing after it is lost. */
static void
test_output_binary (FsTestEngine  *t,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  FsProcess *p = fs_test_spawn (t, "binary", "command.run", FALSE,
                                "argv=printf 'a\\000b\\377c\\n\\000\\n'", NULL);
  const char *texts[2] = { NULL, NULL };
  guint n = 0;

  g_assert_true (fs_engine_join_sync (t->engine, p, TIMEOUT, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < t->events->len; i++)
    {
      FsEvent *event = g_ptr_array_index (t->events, i);

      if (event->kind == FS_EVENT_OUTPUT && event->process == p)
        {
          g_assert_cmpuint (n, <, 2);
          texts[n++] = fs_event_lookup_string (event, "text");
        }
    }
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpstr (texts[0], ==, "a\xef\xbf\xbd" "b\xef\xbf\xbd" "c");
  g_assert_cmpstr (texts[1], ==, "\xef\xbf\xbd");
}

/* Output with no newline at all is cut into one line and dropped up to
 * the next newline; reading it must not cost the supervisor a CPU. */
static void
test_output_flood_no_newline (FsTestEngine  *t,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  int sv_pid = fs_process_get_pid (fs_engine_get_supervisor (t->engine));
  FsProcess *p;
  FsProcStat before, after;
  double cpu;

  g_assert_true (fs_proc_read_stat (sv_pid, &before, NULL));
  p = fs_test_spawn (t, "zeros", "command.run", FALSE, "argv=cat /dev/zero", NULL);
  fs_test_run_for (1.0);
  g_assert_true (fs_proc_read_stat (sv_pid, &after, NULL));
  cpu = (after.utime + after.stime - before.utime - before.stime) / (double) sysconf (_SC_CLK_TCK);
  g_test_message ("supervisor CPU: %.2f s; %u line(s)", cpu, count_output (t, p));
  g_assert_cmpfloat (cpu, <, 0.5);
  g_assert_cmpuint (count_output (t, p), ==, 1);

  g_assert_true (fs_engine_signal_sync (t->engine, p, SIGKILL, FALSE, &error));
  g_assert_no_error (error);
  g_assert_true (fs_engine_join_sync (t->engine, p, TIMEOUT, &error));
  g_assert_no_error (error);
}

/* Held back, never lost: every line of a fast printer arrives, in order,
 * before its exit. */
static void
test_output_all_lines (FsTestEngine  *t,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  FsProcess *p = fs_test_spawn (t, "many", "basics.print", FALSE,
                                "lines=8000", "interval=0", NULL);
  guint n = 0;
  gboolean exited = FALSE;

  g_assert_true (fs_engine_join_sync (t->engine, p, 30, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < t->events->len; i++)
    {
      FsEvent *event = g_ptr_array_index (t->events, i);
      g_autofree char *expected = NULL;

      if (event->process != p)
        continue;
      if (event->kind == FS_EVENT_EXITED)
        exited = TRUE;
      if (event->kind != FS_EVENT_OUTPUT)
        continue;
      g_assert_false (exited);
      n++;
      expected = g_strdup_printf ("line %u of 8000", n);
      g_assert_cmpstr (fs_event_lookup_string (event, "text"), ==, expected);
    }
  g_assert_cmpuint (n, ==, 8000);
}

static void
async_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static gboolean
has_result (FsTestEngine *t,
            gpointer      data)
{
  return *(GAsyncResult **) data != NULL;
}

/* ---- the model and the JSON lines -------------------------------------- */

static gboolean
has_start_ticks (FsTestEngine *t,
                 gpointer      data)
{
  return fs_process_get_start_ticks (data) != 0;
}

static void
test_model_tree (FsTestEngine  *t,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  FsProcess *supervisor = fs_engine_get_supervisor (t->engine);
  GListModel *processes = fs_engine_get_processes (t->engine);
  GListModel *children = fs_process_get_children (supervisor);
  g_autoptr(FsProcess) first = NULL;
  FsProcess *a, *b;

  g_assert_cmpint (fs_process_get_kind (supervisor), ==, FS_PROCESS_KIND_SUPERVISOR);
  g_assert_cmpint (fs_process_get_pid (supervisor), >, 0);
  g_assert_cmpint (fs_process_get_ppid (supervisor), ==, getpid ());
  g_assert_cmpstr (fs_process_get_name (supervisor), ==, "forkscope-supervisor");
  first = g_list_model_get_item (processes, 0);
  g_assert_true (first == supervisor);

  a = fs_test_spawn (t, "a", "basics.sleep", FALSE, "seconds=60", NULL);
  b = fs_test_spawn (t, "b", "basics.sleep", TRUE, "seconds=60", NULL);
  g_assert_cmpuint (g_list_model_get_n_items (children), ==, 2);
  g_assert_true (fs_process_get_parent (a) == supervisor);
  g_assert_cmpint (fs_process_get_ppid (a), ==, fs_process_get_pid (supervisor));
  g_assert_cmpint (fs_process_get_pgid (a), ==, fs_process_get_pid (a));
  g_assert_cmpint (fs_test_proc_ppid (fs_process_get_pid (a)), ==, fs_process_get_pid (supervisor));
  g_assert_cmpstr (fs_process_get_name (a), ==, "a");
  g_assert_cmpstr (fs_process_get_function (a), ==, "basics.sleep");
  g_assert_false (fs_process_get_daemon (a));
  g_assert_true (fs_process_get_daemon (b));
  g_assert_cmpint (fs_process_get_state (a), !=, FS_PROCESS_STATE_CREATED);
  g_assert_true (fs_process_get_alive (a));
  g_assert_cmpint (fs_process_get_spawn_time (a), >=, fs_engine_get_origin (t->engine));
  g_assert_true (fs_engine_lookup_pid (t->engine, fs_process_get_pid (b)) == b);

  /* The scan fills in what only /proc knows. */
  fs_engine_set_scan_interval (t->engine, 50);
  fs_test_wait (t, has_start_ticks, a, TIMEOUT, "a scan");
  g_assert_cmpint (fs_process_get_state (a), ==, FS_PROCESS_STATE_SLEEPING);

  g_assert_true (fs_engine_signal_sync (t->engine, a, SIGKILL, FALSE, &error));
  g_assert_true (fs_engine_join_sync (t->engine, a, -1, &error));
  g_assert_no_error (error);
  g_assert_cmpint (fs_process_get_reap_time (a), >=, fs_process_get_exit_time (a));
  g_assert_cmpint (fs_process_get_exit_time (a), >=, fs_process_get_spawn_time (a));

  /* Clearing drops the finished, keeps the living. */
  fs_engine_clear_finished (t->engine);
  g_assert_cmpuint (g_list_model_get_n_items (children), ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (processes), ==, 2);
  g_ptr_array_remove (t->spawned, a);
}

static gboolean
has_big_rss (FsTestEngine *t,
             gpointer      data)
{
  return fs_process_get_rss (data) >= 16 * 1024 * 1024;
}

static gboolean
has_cpu (FsTestEngine *t,
         gpointer      data)
{
  return fs_process_get_cpu_percent (data) > 10 && fs_process_get_cpu_seconds (data) > 0;
}

static gboolean
has_some_rss (FsTestEngine *t,
              gpointer      data)
{
  return fs_process_get_rss (data) > 0;
}

static void
test_stats (FsTestEngine  *t,
            gconstpointer  data)
{
  FsProcess *alloc, *burn;

  fs_engine_set_scan_interval (t->engine, 50);
  alloc = fs_test_spawn (t, "alloc", "basics.alloc", FALSE, "megabytes=20", "seconds=60", NULL);
  burn = fs_test_spawn (t, "burn", "basics.burn", FALSE, "seconds=60", NULL);

  /* Memory and CPU come from the scans, as statistics (not events). */
  fs_test_wait (t, has_big_rss, alloc, TIMEOUT, "20 MiB of RSS");
  fs_test_wait (t, has_cpu, burn, TIMEOUT, "CPU use");
  fs_test_wait (t, has_some_rss, fs_engine_get_supervisor (t->engine), TIMEOUT,
                "the supervisor's own RSS");
  g_assert_null (fs_test_find_event (t, NULL, FS_EVENT_STATS));
}

static void
test_event_json (FsTestEngine  *t,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  FsProcess *p = fs_test_spawn (t, "json \"quoted\"", "basics.exit", FALSE, "code=2", NULL);
  g_autofree char *json = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *text = NULL;
  FsEvent *event;
  const char *rest;

  g_assert_true (fs_engine_join_sync (t->engine, p, -1, &error));
  g_assert_no_error (error);

  event = fs_test_find_event (t, p, FS_EVENT_REAPED);
  json = fs_event_to_json (event, fs_engine_get_origin (t->engine));
  g_test_message ("%s", json);
  g_assert_true (g_str_has_prefix (json, "{\"t\":"));
  rest = strstr (json, ",\"event\":");
  g_assert_nonnull (rest);
  expected = g_strdup_printf (",\"event\":\"reaped\",\"name\":\"json \\\"quoted\\\"\",\"pid\":%d,\"ppid\":%d,"
                              "\"exitcode\":2,\"reaper\":%d}",
                              fs_process_get_pid (p),
                              fs_process_get_pid (fs_engine_get_supervisor (t->engine)),
                              fs_process_get_pid (fs_engine_get_supervisor (t->engine)));
  g_assert_cmpstr (rest, ==, expected);

  text = fs_event_to_text (event, fs_engine_get_origin (t->engine));
  g_assert_nonnull (strstr (text, "exit code 2"));
}

/* ---- orphans and zombies found by scanning ------------------------------ */

static gboolean
has_birth_child (FsTestEngine *t,
                 gpointer      data)
{
  return g_list_model_get_n_items (fs_process_get_birth_children (data)) > 0;
}

static FsProcess *
wait_first_child (FsTestEngine *t,
                  FsProcess    *process)
{
  g_autoptr(FsProcess) child = NULL;

  fs_test_wait (t, has_birth_child, process, TIMEOUT, "a forked child");
  child = g_list_model_get_item (fs_process_get_birth_children (process), 0);
  /* The engine's model keeps it alive. */
  return child;
}

static void
test_orphan_subreaper_on (FsTestEngine  *t,
                          gconstpointer  data)
{
  FsProcess *supervisor = fs_engine_get_supervisor (t->engine);
  FsProcess *worker, *orphan;
  FsEvent *event;
  int value;

  g_assert_true (fs_engine_get_subreaper (t->engine));
  worker = fs_test_spawn (t, "orphan", "lifecycle.orphan", FALSE, "seconds=0.5", NULL);
  orphan = wait_first_child (t, worker);

  /* The worker exits at once: its child is re-parented to the supervisor,
   * which adopts it (maybe before the first scan even saw it: the process
   * group tells where it came from). */
  event = fs_test_wait_event (t, orphan, FS_EVENT_ADOPTED, TIMEOUT);
  g_assert_true (fs_event_lookup_int (event, "from", &value));
  g_assert_cmpint (value, ==, fs_process_get_pid (worker));
  g_assert_true (fs_event_lookup_int (event, "to", &value));
  g_assert_cmpint (value, ==, fs_process_get_pid (supervisor));
  g_assert_true (fs_process_get_orphan (orphan));
  g_assert_cmpint (fs_process_get_ppid (orphan), ==, fs_process_get_pid (supervisor));
  g_assert_cmpint (fs_process_get_birth_ppid (orphan), ==, fs_process_get_pid (worker));
  g_assert_cmpint (fs_process_get_pgid (orphan), ==, fs_process_get_pid (worker));
  g_assert_true (fs_process_get_parent (orphan) == supervisor);
  g_assert_true (fs_process_get_birth_parent (orphan) == worker);
  g_assert_cmpint (fs_process_get_state (worker), ==, FS_PROCESS_STATE_REAPED);

  /* It lives out its half second, and the supervisor reaps it. */
  fs_test_wait_state (t, orphan, FS_PROCESS_STATE_REAPED, TIMEOUT);
  g_assert_cmpint (fs_process_get_exit_code (orphan), ==, 0);
  g_assert_cmpint (fs_process_get_reaper_pid (orphan), ==, fs_process_get_pid (supervisor));
  event = fs_test_find_event (t, orphan, FS_EVENT_REAPED);
  g_assert_nonnull (event);
  g_assert_cmpuint (fs_test_count_zombies (fs_process_get_pid (supervisor)), ==, 0);
}

static void
test_orphan_subreaper_off (FsTestEngine  *t,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  FsProcess *worker, *orphan;
  FsEvent *event;
  int value, status, pid;

  /* Be the next subreaper up, so the orphan comes to a known adopter that
   * reaps it (instead of a PID 1 that may linger). */
  g_assert_cmpint (prctl (PR_SET_CHILD_SUBREAPER, 1), ==, 0);

  fs_engine_set_subreaper (t->engine, FALSE);
  fs_test_wait_event (t, NULL, FS_EVENT_POLICY, TIMEOUT);
  worker = fs_test_spawn (t, "orphan", "lifecycle.orphan", FALSE, "seconds=60", NULL);
  orphan = wait_first_child (t, worker);
  pid = fs_process_get_pid (orphan);

  event = fs_test_wait_event (t, orphan, FS_EVENT_REPARENTED, TIMEOUT);
  g_assert_true (fs_event_lookup_int (event, "from", &value));
  g_assert_cmpint (value, ==, fs_process_get_pid (worker));
  g_assert_true (fs_event_lookup_int (event, "to", &value));
  g_assert_cmpint (value, ==, getpid ());
  g_assert_null (fs_test_find_event (t, orphan, FS_EVENT_ADOPTED));
  g_assert_cmpint (fs_process_get_ppid (orphan), ==, getpid ());
  g_assert_true (fs_process_get_orphan (orphan));
  g_assert_true (fs_process_get_parent (orphan) == worker);
  g_assert_cmpint (fs_test_proc_ppid (pid), ==, getpid ());

  /* Still followed, still signalled through a pinned pidfd. */
  g_assert_true (fs_engine_signal_sync (t->engine, orphan, SIGTERM, FALSE, &error));
  g_assert_no_error (error);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (WIFSIGNALED (status));
  g_assert_cmpint (WTERMSIG (status), ==, SIGTERM);
  g_assert_cmpint (prctl (PR_SET_CHILD_SUBREAPER, 0), ==, 0);

  /* Reaped by someone else: gone, and the engine names the reaper. */
  event = fs_test_wait_event (t, orphan, FS_EVENT_GONE, TIMEOUT);
  g_assert_true (fs_event_lookup_int (event, "reaper", &value));
  g_assert_cmpint (value, ==, getpid ());
  g_assert_cmpint (fs_process_get_state (orphan), ==, FS_PROCESS_STATE_GONE);
  g_assert_false (fs_process_get_has_exit_status (orphan));

  /* A gone process is not signalled again. */
  g_assert_false (fs_engine_signal_sync (t->engine, orphan, SIGTERM, FALSE, &error));
  g_assert_error (error, FS_ENGINE_ERROR, FS_ENGINE_ERROR_ALREADY_REAPED);
}

static gboolean
all_finished (FsTestEngine *t,
              gpointer      data)
{
  GListModel *processes = fs_engine_get_processes (t->engine);
  guint n = g_list_model_get_n_items (processes);
  guint *count = data;

  if (n < *count)
    return FALSE;
  for (guint i = 1; i < n; i++)
    {
      g_autoptr(FsProcess) process = g_list_model_get_item (processes, i);

      if (fs_process_get_alive (process) ||
          fs_process_get_state (process) == FS_PROCESS_STATE_ZOMBIE)
        return FALSE;
    }
  return TRUE;
}

/* A daemon's double fork: the grandchild starts a session of its own and
 * its parent exits before any scan sees it, so the first scan finds it
 * already our child, in no worker's group. It is ours to reap. */
static void
test_orphan_first_seen_as_child (FsTestEngine  *t,
                                 gconstpointer  data)
{
  int sv_pid = fs_process_get_pid (fs_engine_get_supervisor (t->engine));
  FsProcess *worker;
  guint count = 5;   /* supervisor, worker, subshell, its sleep, the daemon */

  worker = fs_test_spawn (t, "daemonize", "command.run", FALSE,
                          "argv=sh -c '(sleep 0.2; setsid sleep 0.3 &) &'", NULL);

  /* Everything ends, and the supervisor reaped what came to it. */
  fs_test_wait (t, all_finished, &count, TIMEOUT, "every process to be reaped");
  g_assert_cmpint (fs_process_get_state (worker), ==, FS_PROCESS_STATE_REAPED);
  g_assert_cmpuint (fs_test_count_zombies (sv_pid), ==, 0);
  g_assert_cmpuint (fs_test_count_children (sv_pid), ==, 0);
}

static void
test_zombie_grandchild (FsTestEngine  *t,
                        gconstpointer  data)
{
  FsProcess *supervisor = fs_engine_get_supervisor (t->engine);
  FsProcess *worker, *child;
  FsEvent *event;

  /* The child exits at once and its parent does not wait: a zombie that
   * the tree shows, then the adopter (the supervisor) reaps. */
  fs_engine_set_scan_interval (t->engine, 50);
  worker = fs_test_spawn (t, "zombie", "lifecycle.zombie", FALSE, "seconds=1", "reap=false", NULL);
  child = wait_first_child (t, worker);
  fs_test_wait_state (t, child, FS_PROCESS_STATE_ZOMBIE, TIMEOUT);
  g_assert_false (fs_process_get_alive (child));
  g_assert_cmpint (fs_process_get_ppid (child), ==, fs_process_get_pid (worker));
  g_assert_cmpint (fs_test_proc_state (fs_process_get_pid (child)), ==, 'Z');
  event = fs_test_find_event (t, child, FS_EVENT_EXITED);
  g_assert_nonnull (event);

  fs_test_wait_state (t, child, FS_PROCESS_STATE_REAPED, TIMEOUT);
  g_assert_cmpint (fs_process_get_reaper_pid (child), ==, fs_process_get_pid (supervisor));
  g_assert_nonnull (fs_test_find_event (t, child, FS_EVENT_ADOPTED));
  g_assert_cmpint (fs_process_get_exit_code (child), ==, 0);
}

static void
test_zombie_reaped_by_parent (FsTestEngine  *t,
                              gconstpointer  data)
{
  FsProcess *worker, *child;
  FsEvent *event;
  int value;

  fs_engine_set_scan_interval (t->engine, 50);
  worker = fs_test_spawn (t, "zombie", "lifecycle.zombie", FALSE, "seconds=0.5", "reap=true", NULL);
  child = wait_first_child (t, worker);
  fs_test_wait_state (t, child, FS_PROCESS_STATE_GONE, TIMEOUT);
  event = fs_test_find_event (t, child, FS_EVENT_GONE);
  g_assert_true (fs_event_lookup_int (event, "reaper", &value));
  g_assert_cmpint (value, ==, fs_process_get_pid (worker));
  g_assert_null (fs_test_find_event (t, child, FS_EVENT_ADOPTED));
}

static gboolean
has_six_appeared (FsTestEngine *t,
                  gpointer      data)
{
  guint n = 0;

  for (guint i = 0; i < t->events->len; i++)
    if (((FsEvent *) g_ptr_array_index (t->events, i))->kind == FS_EVENT_APPEARED)
      n++;
  return n >= 6;
}

static void
test_tree (FsTestEngine  *t,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  FsProcess *worker;
  GListModel *children;

  /* depth 2, fanout 2: 2 children, 4 grandchildren. */
  worker = fs_test_spawn (t, "tree", "lifecycle.tree", FALSE, "depth=2", "fanout=2", "seconds=60", NULL);
  fs_engine_set_scan_interval (t->engine, 50);
  fs_test_wait (t, has_six_appeared, NULL, TIMEOUT, "six descendants");

  children = fs_process_get_children (worker);
  g_assert_cmpuint (g_list_model_get_n_items (children), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(FsProcess) child = g_list_model_get_item (children, i);

      g_assert_cmpuint (g_list_model_get_n_items (fs_process_get_children (child)), ==, 2);
      g_assert_cmpint (fs_process_get_ppid (child), ==, fs_process_get_pid (worker));
    }

  /* Kill the tree: one signal to the group. */
  g_assert_true (fs_engine_signal_sync (t->engine, worker, SIGKILL, TRUE, &error));
  g_assert_no_error (error);
  g_assert_true (fs_engine_join_sync (t->engine, worker, TIMEOUT, &error));
  g_assert_no_error (error);
}

/* ---- the daemon rule ---------------------------------------------------- */

/* The supervisor hands the output pipes of what it leaves running to a
 * small child of its own (forkscope-sink), which outlives it: as our
 * children (we are the subreaper), find it, and wait until it has gone.
 * Until it has run, it still has the supervisor's name: not the
 * supervisor's pid, though (@sv_pid may still be our zombie). */
static void
reap_sink (int sv_pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/task/%d/children", getpid (), getpid ());
  g_autofree char *text = NULL;
  g_auto(GStrv) pids = NULL;
  guint found = 0;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  pids = g_strsplit (g_strstrip (text), " ", -1);
  for (guint i = 0; pids[i] != NULL; i++)
    {
      FsProcStat stat;
      int pid = atoi (pids[i]);
      int status;

      if (pid <= 0 || pid == sv_pid || !fs_proc_read_stat (pid, &stat, NULL) ||
          !(g_str_equal (stat.comm, "forkscope-sink") || g_str_equal (stat.comm, "forkscope-super")))
        continue;
      g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
      g_assert_true (WIFEXITED (status));
      g_assert_cmpint (WEXITSTATUS (status), ==, 0);
      found++;
    }
  g_assert_cmpuint (found, ==, 1);
}

/* The daemon rule leaves non-daemon workers running: they must go on
 * printing after the supervisor is gone, not die of SIGPIPE at their next
 * line because nobody reads their pipe any more. */
static void
test_daemon_left_running_prints (FsTestEngine  *t,
                                 gconstpointer  data)
{
  FsProcess *n;
  int n_pid, n_fd, sv_pid, sv_fd;
  int status;

  g_assert_cmpint (prctl (PR_SET_CHILD_SUBREAPER, 1), ==, 0);
  n = fs_test_spawn (t, "plain", "tutorial.sleep_print", FALSE, "seconds=0.3", NULL);
  n_pid = fs_process_get_pid (n);
  n_fd = fs_test_pidfd_open (n_pid);
  sv_pid = fs_process_get_pid (fs_engine_get_supervisor (t->engine));
  sv_fd = fs_test_pidfd_open (sv_pid);

  g_ptr_array_set_size (t->spawned, 0);
  g_ptr_array_set_size (t->events, 0);
  g_signal_handlers_disconnect_by_data (t->engine, t);
  g_assert_finalize_object (g_steal_pointer (&t->engine));
  g_assert_true (fs_test_pidfd_wait_exit (sv_fd, TIMEOUT));

  /* It prints its two lines and ends as it would have. */
  g_assert_true (fs_test_pidfd_wait_exit (n_fd, TIMEOUT));
  g_assert_cmpint (waitpid (n_pid, &status, 0), ==, n_pid);
  if (WIFSIGNALED (status))
    g_error ("the worker left running was killed by signal %d", WTERMSIG (status));
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);

  /* And the sink ends with the last writer. */
  reap_sink (sv_pid);
  g_assert_cmpint (prctl (PR_SET_CHILD_SUBREAPER, 0), ==, 0);
  close (n_fd);
  close (sv_fd);
}

static void
test_daemon_eof (FsTestEngine  *t,
                 gconstpointer  data)
{
  FsProcess *d, *n;
  int d_pid, n_pid, sv_pid;
  int d_fd, n_fd, sv_fd;
  int status;

  /* The non-daemon worker outlives the supervisor: be its adopter. */
  g_assert_cmpint (prctl (PR_SET_CHILD_SUBREAPER, 1), ==, 0);

  d = fs_test_spawn (t, "daemon", "basics.sleep", TRUE, "seconds=60", NULL);
  n = fs_test_spawn (t, "plain", "basics.sleep", FALSE, "seconds=60", NULL);
  d_pid = fs_process_get_pid (d);
  n_pid = fs_process_get_pid (n);
  sv_pid = fs_process_get_pid (fs_engine_get_supervisor (t->engine));
  d_fd = fs_test_pidfd_open (d_pid);
  n_fd = fs_test_pidfd_open (n_pid);
  sv_fd = fs_test_pidfd_open (sv_pid);

  /* Drop the engine without a shutdown: the supervisor sees EOF. */
  g_ptr_array_set_size (t->spawned, 0);
  g_ptr_array_set_size (t->events, 0);
  g_signal_handlers_disconnect_by_data (t->engine, t);
  g_assert_finalize_object (g_steal_pointer (&t->engine));

  g_assert_true (fs_test_pidfd_wait_exit (sv_fd, TIMEOUT));
  g_assert_true (fs_test_pidfd_wait_exit (d_fd, 0));
  g_assert_false (fs_test_pidfd_wait_exit (n_fd, 0));
  g_assert_cmpint (fs_test_proc_ppid (n_pid), ==, getpid ());

  /* Clean up what we created. */
  g_assert_cmpint (pidfd_send_signal (n_fd, SIGKILL, NULL, 0), ==, 0);
  g_assert_cmpint (waitpid (n_pid, &status, 0), ==, n_pid);
  reap_sink (sv_pid);
  g_assert_cmpint (prctl (PR_SET_CHILD_SUBREAPER, 0), ==, 0);
  close (d_fd);
  close (n_fd);
  close (sv_fd);
}

static void
closed_cb (FsEngine     *engine,
           const GError *error,
           gboolean     *closed)
{
  *closed = TRUE;
}

static gboolean
is_true (FsTestEngine *t,
         gpointer      data)
{
  return *(gboolean *) data;
}

static void
test_daemon_parent_death (FsTestEngine  *t,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gboolean closed = FALSE;
  FsProcess *d, *n;
  int d_pid, n_pid, d_fd, n_fd, sv_fd;
  int status;

  g_assert_cmpint (prctl (PR_SET_CHILD_SUBREAPER, 1), ==, 0);

  d = fs_test_spawn (t, "daemon", "basics.sleep", TRUE, "seconds=60", NULL);
  n = fs_test_spawn (t, "plain", "basics.sleep", FALSE, "seconds=60", NULL);
  d_pid = fs_process_get_pid (d);
  n_pid = fs_process_get_pid (n);
  d_fd = fs_test_pidfd_open (d_pid);
  n_fd = fs_test_pidfd_open (n_pid);
  sv_fd = fs_test_pidfd_open (fs_process_get_pid (fs_engine_get_supervisor (t->engine)));
  g_signal_connect (t->engine, "closed", G_CALLBACK (closed_cb), &closed);

  /* No daemon rule can run: the kernel's PR_SET_PDEATHSIG does it. */
  g_assert_cmpint (pidfd_send_signal (sv_fd, SIGKILL, NULL, 0), ==, 0);
  fs_test_wait (t, is_true, &closed, TIMEOUT, "the engine to close");
  g_assert_false (fs_engine_is_running (t->engine));

  /* Both orphans come to us; the daemon died of SIGTERM. They are ours
   * only once the supervisor's last thread has exited (the daemon dies
   * when the thread that forked it does, and the socket closes earlier
   * too): its pidfd says so. */
  g_assert_true (fs_test_pidfd_wait_exit (sv_fd, TIMEOUT));
  g_assert_true (fs_test_pidfd_wait_exit (d_fd, TIMEOUT));
  if (waitpid (d_pid, &status, 0) != d_pid)
    g_error ("waitpid(%d), the orphaned daemon: %s", d_pid, g_strerror (errno));
  g_assert_true (WIFSIGNALED (status));
  g_assert_cmpint (WTERMSIG (status), ==, SIGTERM);
  g_assert_false (fs_test_pidfd_wait_exit (n_fd, 0));

  g_assert_cmpint (pidfd_send_signal (n_fd, SIGKILL, NULL, 0), ==, 0);
  g_assert_cmpint (waitpid (n_pid, &status, 0), ==, n_pid);
  g_assert_cmpint (prctl (PR_SET_CHILD_SUBREAPER, 0), ==, 0);
  close (d_fd);
  close (n_fd);
  close (sv_fd);

  /* A dead supervisor refuses politely. */
  g_assert_null (fs_engine_spawn_sync (t->engine, "late", "x.so", "x.y", NULL, FALSE, &error));
  g_assert_error (error, FS_ENGINE_ERROR, FS_ENGINE_ERROR_NOT_RUNNING);
  g_signal_handlers_disconnect_by_data (t->engine, &closed);
}

static void
test_daemon_sigterm (FsTestEngine  *t,
                     gconstpointer  data)
{
  gboolean closed = FALSE;
  FsProcess *d, *n;
  int n_pid, d_fd, n_fd, sv_fd;
  int status;

  /* What the supervisor does when its front end dies: PR_SET_PDEATHSIG
   * sends it SIGTERM, and it applies the daemon rule. */
  g_assert_cmpint (prctl (PR_SET_CHILD_SUBREAPER, 1), ==, 0);
  d = fs_test_spawn (t, "daemon", "basics.sleep", TRUE, "seconds=60", NULL);
  n = fs_test_spawn (t, "plain", "basics.sleep", FALSE, "seconds=60", NULL);
  n_pid = fs_process_get_pid (n);
  d_fd = fs_test_pidfd_open (fs_process_get_pid (d));
  n_fd = fs_test_pidfd_open (n_pid);
  sv_fd = fs_test_pidfd_open (fs_process_get_pid (fs_engine_get_supervisor (t->engine)));
  g_signal_connect (t->engine, "closed", G_CALLBACK (closed_cb), &closed);

  g_assert_cmpint (pidfd_send_signal (sv_fd, SIGTERM, NULL, 0), ==, 0);
  fs_test_wait (t, is_true, &closed, TIMEOUT, "the engine to close");

  /* The daemon was terminated and reaped by the supervisor before it left. */
  g_assert_cmpint (fs_process_get_state (d), ==, FS_PROCESS_STATE_REAPED);
  g_assert_cmpint (fs_process_get_exit_code (d), ==, -SIGTERM);
  g_assert_true (fs_test_pidfd_wait_exit (d_fd, 0));
  g_assert_true (fs_test_pidfd_wait_exit (sv_fd, TIMEOUT));
  g_assert_false (fs_test_pidfd_wait_exit (n_fd, 0));
  g_assert_true (fs_process_get_alive (n));

  g_assert_cmpint (pidfd_send_signal (n_fd, SIGKILL, NULL, 0), ==, 0);
  g_assert_cmpint (waitpid (n_pid, &status, 0), ==, n_pid);
  reap_sink (fs_process_get_pid (fs_engine_get_supervisor (t->engine)));
  g_assert_cmpint (prctl (PR_SET_CHILD_SUBREAPER, 0), ==, 0);
  close (d_fd);
  close (n_fd);
  close (sv_fd);
  g_signal_handlers_disconnect_by_data (t->engine, &closed);
}

static void
test_daemon_shutdown (FsTestEngine  *t,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  FsProcess *d, *n;

  d = fs_test_spawn (t, "daemon", "basics.ignore_term", TRUE, "seconds=60", NULL);
  n = fs_test_spawn (t, "plain", "basics.sleep", FALSE, "seconds=60", NULL);
  /* It says so once SIGTERM is ignored. */
  fs_test_wait_event (t, d, FS_EVENT_OUTPUT, TIMEOUT);

  /* Terminate: every worker; one that ignores SIGTERM gets SIGKILL after
   * the grace period. */
  g_assert_true (fs_engine_shutdown_sync (t->engine, FS_SHUTDOWN_TERMINATE, &error));
  g_assert_no_error (error);
  g_assert_false (fs_engine_is_running (t->engine));
  g_assert_cmpint (fs_process_get_state (d), ==, FS_PROCESS_STATE_REAPED);
  g_assert_cmpint (fs_process_get_exit_code (d), ==, -SIGKILL);
  g_assert_cmpint (fs_process_get_state (n), ==, FS_PROCESS_STATE_REAPED);
  g_assert_cmpint (fs_process_get_exit_code (n), ==, -SIGTERM);
}

/* ---- no leaks ----------------------------------------------------------- */

static gboolean
has_n_policy (FsTestEngine *t,
              gpointer      data)
{
  guint n = 0;

  for (guint i = 0; i < t->events->len; i++)
    if (((FsEvent *) g_ptr_array_index (t->events, i))->kind == FS_EVENT_POLICY)
      n++;
  return n >= GPOINTER_TO_UINT (data);
}

static gboolean
has_rss (FsTestEngine *t,
         gpointer      data)
{
  return fs_process_get_rss (data) > 0;
}

static gboolean
has_no_children (FsTestEngine *t,
                 gpointer      data)
{
  return fs_test_count_children (GPOINTER_TO_INT (data)) == 0;
}

/* What the supervisor holds, once it is idle: a policy change is handled
 * by its main loop after everything asked before (the child watches that
 * reaped are gone by then), and stops the periodic scans. */
static char *
describe_idle_fds (FsTestEngine *t,
                   int           sv_pid,
                   guint         interval)
{
  g_ptr_array_set_size (t->events, 0);
  fs_engine_set_scan_interval (t->engine, interval);
  fs_test_wait (t, has_n_policy, GUINT_TO_POINTER (1), TIMEOUT, "the policy event");
  return fs_test_describe_fds (sv_pid);
}

static void
test_no_leaks (FsTestEngine  *t,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  FsProcess *supervisor = fs_engine_get_supervisor (t->engine);
  int sv_pid = fs_process_get_pid (supervisor);
  g_autofree char *fds_before = NULL;
  g_autofree char *fds_after = NULL;
  const guint batch = 20;
  const guint cycles = 500;

  /* Let the supervisor settle: its first scan (statistics about itself
   * come from scans) opens /proc for good. */
  fs_engine_set_scan_interval (t->engine, 20);
  fs_test_wait (t, has_rss, supervisor, TIMEOUT, "a scan");
  fds_before = describe_idle_fds (t, sv_pid, 60000);
  g_test_message ("before:\n%s", fds_before);
  g_assert_cmpuint (fs_test_count_children (sv_pid), ==, 0);
  fs_engine_set_scan_interval (t->engine, 20);

  for (guint done = 0; done < cycles; done += batch)
    {
      /* One batch in five forks: the tree is killed by group, and the
       * children the supervisor adopts (or finds already dead and
       * re-parented to it) are reaped by it too. */
      gboolean forking = (done / batch) % 5 == 4;
      FsProcess *procs[20];

      for (guint i = 0; i < batch; i++)
        {
          if (forking)
            procs[i] = fs_test_spawn (t, "cycle", "tutorial.fork_test", FALSE,
                                      "child_sleep=60", "parent_sleep=60", NULL);
          else
            procs[i] = fs_test_spawn (t, "cycle", "basics.sleep", FALSE, "seconds=60", NULL);
        }
      for (guint i = 0; i < batch; i++)
        {
          g_assert_true (fs_engine_signal_sync (t->engine, procs[i], SIGKILL, forking, &error));
          g_assert_no_error (error);
        }
      for (guint i = 0; i < batch; i++)
        {
          g_assert_true (fs_engine_join_sync (t->engine, procs[i], TIMEOUT, &error));
          g_assert_no_error (error);
          g_assert_cmpint (fs_process_get_exit_code (procs[i]), ==, -SIGKILL);
        }
      fs_engine_clear_finished (t->engine);
      g_ptr_array_set_size (t->spawned, 0);
      g_ptr_array_set_size (t->events, 0);
    }

  /* Forked children may still be zombies the next scan finds. */
  fs_test_wait (t, has_no_children, GINT_TO_POINTER (sv_pid), TIMEOUT,
                "the supervisor to reap every child");
  fds_after = describe_idle_fds (t, sv_pid, 59999);
  g_test_message ("after:\n%s", fds_after);
  g_assert_cmpuint (fs_test_count_zombies (sv_pid), ==, 0);
  g_assert_cmpstr (fds_after, ==, fds_before);

  /* The model is up to date (the policy event came after every other):
   * nothing is left alive in it. */
  fs_engine_clear_finished (t->engine);
  g_assert_cmpuint (g_list_model_get_n_items (fs_engine_get_processes (t->engine)), ==, 1);
}

/* Timeouts a caller may pass: NaN is refused before anything happens;
 * huge ones and infinities wait like no timeout. */
static void
test_join_odd_timeouts (FsTestEngine  *t,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  FsProcess *p = fs_test_spawn (t, "sleeper", "basics.sleep", FALSE, "seconds=60", NULL);
  static const double forever[] = { 1e300, INFINITY, 4294967.5, -INFINITY, -1e300 };
  int pidfd = fs_test_pidfd_open (fs_process_get_pid (p));
  g_autoptr(GAsyncResult) nan_result = NULL;
  GAsyncResult *results[G_N_ELEMENTS (forever)] = { NULL, };

  /* (Asynchronously, so that a join that waits forever fails the test.) */
  fs_engine_join_async (t->engine, p, NAN, NULL, async_result_cb, &nan_result);
  fs_test_wait (t, has_result, &nan_result, TIMEOUT, "the NaN join to be refused");
  g_assert_false (fs_engine_join_finish (t->engine, nan_result, &error));
  g_assert_error (error, FS_ENGINE_ERROR, FS_ENGINE_ERROR_INVALID_ARGS);
  g_clear_error (&error);
  g_assert_null (fs_test_find_event (t, p, FS_EVENT_JOIN_STARTED));

  /* Each of these waits until the worker is killed (a negative timeout
   * means none, too). */
  for (guint i = 0; i < G_N_ELEMENTS (forever); i++)
    fs_engine_join_async (t->engine, p, forever[i], NULL, async_result_cb, &results[i]);
  fs_test_run_for (0.1);
  for (guint i = 0; i < G_N_ELEMENTS (forever); i++)
    g_assert_null (results[i]);

  g_assert_true (fs_engine_signal_sync (t->engine, p, SIGKILL, FALSE, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (forever); i++)
    {
      fs_test_wait (t, has_result, &results[i], TIMEOUT, "the join");
      g_assert_true (fs_engine_join_finish (t->engine, results[i], &error));
      g_assert_no_error (error);
      g_clear_object (&results[i]);
    }
  g_assert_true (fs_test_pidfd_wait_exit (pidfd, 0));
  close (pidfd);
}

/* The supervisor dies while calls wait on it: they fail with a clear
 * error, "closed" is emitted, and nothing hangs. */
static void
test_supervisor_killed_mid_join (FsTestEngine  *t,
                                 gconstpointer  data)
{
  g_autoptr(GAsyncResult) join = NULL;
  g_autoptr(GAsyncResult) timed = NULL;
  g_autoptr(GError) error = NULL;
  gboolean closed = FALSE;
  FsProcess *p;
  int sv_fd, p_fd;

  g_assert_cmpint (prctl (PR_SET_CHILD_SUBREAPER, 1), ==, 0);
  p = fs_test_spawn (t, "sleeper", "basics.sleep", FALSE, "seconds=60", NULL);
  p_fd = fs_test_pidfd_open (fs_process_get_pid (p));
  sv_fd = fs_test_pidfd_open (fs_process_get_pid (fs_engine_get_supervisor (t->engine)));
  g_signal_connect (t->engine, "closed", G_CALLBACK (closed_cb), &closed);

  fs_engine_join_async (t->engine, p, -1, NULL, async_result_cb, &join);
  fs_engine_join_async (t->engine, p, 30, NULL, async_result_cb, &timed);
  fs_test_wait_event (t, p, FS_EVENT_JOIN_STARTED, TIMEOUT);
  g_assert_cmpint (pidfd_send_signal (sv_fd, SIGKILL, NULL, 0), ==, 0);

  fs_test_wait (t, has_result, &join, TIMEOUT, "the join to fail");
  g_assert_false (fs_engine_join_finish (t->engine, join, &error));
  g_assert_error (error, FS_ENGINE_ERROR, FS_ENGINE_ERROR_NOT_RUNNING);
  g_clear_error (&error);
  fs_test_wait (t, has_result, &timed, TIMEOUT, "the join to fail");
  g_assert_false (fs_engine_join_finish (t->engine, timed, &error));
  g_assert_error (error, FS_ENGINE_ERROR, FS_ENGINE_ERROR_NOT_RUNNING);
  g_clear_error (&error);
  fs_test_wait (t, is_true, &closed, TIMEOUT, "the engine to close");
  g_assert_false (fs_engine_is_running (t->engine));

  /* And after it, everything says so at once. */
  g_assert_false (fs_engine_signal_sync (t->engine, p, SIGTERM, FALSE, &error));
  g_assert_error (error, FS_ENGINE_ERROR, FS_ENGINE_ERROR_NOT_RUNNING);
  g_clear_error (&error);
  g_assert_false (fs_engine_join_sync (t->engine, p, 0, &error));
  g_assert_error (error, FS_ENGINE_ERROR, FS_ENGINE_ERROR_NOT_RUNNING);
  g_clear_error (&error);
  g_assert_true (fs_engine_shutdown_sync (t->engine, FS_SHUTDOWN_KILL, &error));
  g_assert_no_error (error);

  /* The orphaned worker came to us (once the supervisor's last thread
   * has exited): ours to end. */
  g_assert_true (fs_test_pidfd_wait_exit (sv_fd, TIMEOUT));
  g_assert_cmpint (pidfd_send_signal (p_fd, SIGKILL, NULL, 0), ==, 0);
  g_assert_cmpint (waitpid (fs_process_get_pid (p), NULL, 0), ==, fs_process_get_pid (p));
  g_assert_cmpint (prctl (PR_SET_CHILD_SUBREAPER, 0), ==, 0);
  close (p_fd);
  close (sv_fd);
  g_signal_handlers_disconnect_by_data (t->engine, &closed);
}

/* Join and signal what they cannot apply to: a clear error, nothing sent
 * (never to the supervisor itself), and the engine goes on. */
static void
test_wrong_kind (FsTestEngine  *t,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FsEngine) other = fs_engine_new ();
  g_autoptr(FsProcess) child = NULL;
  FsProcess *supervisor = fs_engine_get_supervisor (t->engine);
  FsProcess *worker;

  worker = fs_test_spawn (t, "forker", "tutorial.fork_test", FALSE,
                          "child_sleep=60", "parent_sleep=60", NULL);
  fs_engine_set_scan_interval (t->engine, 20);
  fs_test_wait (t, has_birth_child, worker, TIMEOUT, "the forked child");
  child = g_list_model_get_item (fs_process_get_birth_children (worker), 0);

  /* Only the supervisor's own children can be joined. */
  g_assert_false (fs_engine_join_sync (t->engine, child, 0, &error));
  g_assert_error (error, FS_ENGINE_ERROR, FS_ENGINE_ERROR_NOT_A_CHILD);
  g_clear_error (&error);
  g_assert_false (fs_engine_join_sync (t->engine, supervisor, 0, &error));
  g_assert_error (error, FS_ENGINE_ERROR, FS_ENGINE_ERROR_NOT_A_CHILD);
  g_clear_error (&error);

  /* The supervisor is never signalled, alone or as a group. */
  g_assert_false (fs_engine_signal_sync (t->engine, supervisor, SIGTERM, FALSE, &error));
  g_assert_error (error, FS_ENGINE_ERROR, FS_ENGINE_ERROR_INVALID_ARGS);
  g_clear_error (&error);
  g_assert_false (fs_engine_signal_sync (t->engine, supervisor, SIGKILL, TRUE, &error));
  g_assert_error (error, FS_ENGINE_ERROR, FS_ENGINE_ERROR_INVALID_ARGS);
  g_clear_error (&error);
  g_assert_null (fs_test_find_event (t, supervisor, FS_EVENT_SIGNALLED));

  /* A process of another engine (or none) is refused. */
  g_assert_false (fs_engine_signal_sync (other, worker, SIGTERM, FALSE, &error));
  g_assert_error (error, FS_ENGINE_ERROR, FS_ENGINE_ERROR_INVALID_ARGS);
  g_clear_error (&error);
  g_assert_false (fs_engine_join_sync (other, worker, 0, &error));
  g_assert_error (error, FS_ENGINE_ERROR, FS_ENGINE_ERROR_INVALID_ARGS);
  g_clear_error (&error);

  /* No such signal. */
  g_assert_false (fs_engine_signal_sync (t->engine, worker, -1, FALSE, &error));
  g_assert_error (error, FS_ENGINE_ERROR, FS_ENGINE_ERROR_INVALID_ARGS);
  g_clear_error (&error);
  g_assert_false (fs_engine_signal_sync (t->engine, worker, 65, FALSE, &error));
  g_assert_error (error, FS_ENGINE_ERROR, FS_ENGINE_ERROR_INVALID_ARGS);
  g_clear_error (&error);

  /* Still working: kill the tree and join. */
  g_assert_true (fs_process_get_alive (worker));
  g_assert_true (fs_engine_signal_sync (t->engine, worker, SIGKILL, TRUE, &error));
  g_assert_no_error (error);
  g_assert_true (fs_engine_join_sync (t->engine, worker, TIMEOUT, &error));
  g_assert_no_error (error);
}

/* Spawning what cannot run says why, and leaves the engine working. */
static void
test_spawn_missing_plugin (FsTestEngine  *t,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("forkscope-XXXXXX", NULL);
  g_autofree char *missing = g_build_filename (dir, "nothing.so", NULL);
  FsProcess *p;

  p = fs_engine_spawn_sync (t->engine, "ghost", missing, "nothing.run", NULL, FALSE, &error);
  g_assert_null (p);
  g_assert_error (error, FS_ENGINE_ERROR, FS_ENGINE_ERROR_INVALID_ARGS);
  g_assert_nonnull (strstr (error->message, missing));
  g_clear_error (&error);

  /* A folder is not a plugin either. */
  p = fs_engine_spawn_sync (t->engine, "ghost", dir, "nothing.run", NULL, FALSE, &error);
  g_assert_null (p);
  g_assert_error (error, FS_ENGINE_ERROR, FS_ENGINE_ERROR_INVALID_ARGS);
  g_clear_error (&error);
  g_assert_cmpint (g_rmdir (dir), ==, 0);

  p = fs_test_spawn (t, "fine", "basics.exit", FALSE, NULL);
  g_assert_true (fs_engine_join_sync (t->engine, p, TIMEOUT, &error));
  g_assert_no_error (error);
}

/* A front end with a broken installation gets a clear error, at once. */
static void
test_start_bad_supervisor (void)
{
  static const char * const bad[] = { "/nonexistent/forkscope-supervisor", "/bin/true", "/dev/null" };

  /* In a fresh process: setenv() is safe only before threads exist. */
  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 20 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
      g_test_trap_assert_passed ();
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(FsEngine) engine = fs_engine_new ();
      g_autoptr(GError) error = NULL;

      g_setenv ("FORKSCOPE_SUPERVISOR", bad[i], TRUE);
      g_assert_false (fs_engine_start (engine, &error));
      g_assert_nonnull (error);
      g_test_message ("%s: %s", bad[i], error->message);
      g_assert_false (fs_engine_is_running (engine));
      g_assert_false (fs_engine_shutdown_sync (engine, FS_SHUTDOWN_KILL, NULL));
      g_assert_finalize_object (g_steal_pointer (&engine));
    }
}

/* A supervisor that cannot find its worker says so when asked to spawn. */
static void
test_spawn_missing_worker (void)
{
  g_autoptr(FsEngine) engine = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *plugin = NULL;

  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 20 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
      g_test_trap_assert_passed ();
      return;
    }

  g_setenv ("FORKSCOPE_WORKER", "/nonexistent/forkscope-worker", TRUE);
  engine = fs_engine_new ();
  plugin = fs_test_plugin_path ("basics.exit");
  g_assert_true (fs_engine_start (engine, &error));
  g_assert_no_error (error);

  g_assert_null (fs_engine_spawn_sync (engine, "w", plugin, "basics.exit", NULL, FALSE, &error));
  g_assert_error (error, FS_ENGINE_ERROR, FS_ENGINE_ERROR_FAILED);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "/nonexistent/forkscope-worker"));
  g_assert_true (fs_engine_shutdown_sync (engine, FS_SHUTDOWN_KILL, NULL));
}

/* With the usual soft limit of 1024 descriptors, more workers than 1024
 * divided by what each costs the supervisor; the workers themselves get
 * the limit the front end has. */
static void
test_many_workers (void)
{
  g_autoptr(FsEngine) engine = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) workers = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *plugin = NULL;
  struct rlimit limit;
  FsProcess *p;
  const guint n = 300;

  /* In a fresh process: the limit is the test's to lower. */
  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
      g_test_trap_assert_passed ();
      return;
    }

  g_assert_cmpint (getrlimit (RLIMIT_NOFILE, &limit), ==, 0);
  if (limit.rlim_max < 4 * n + 64)
    {
      g_test_skip ("the hard descriptor limit is too low here");
      return;
    }
  limit.rlim_cur = 1024;
  g_assert_cmpint (setrlimit (RLIMIT_NOFILE, &limit), ==, 0);

  engine = fs_engine_new ();
  g_assert_true (fs_engine_start (engine, &error));
  g_assert_no_error (error);

  plugin = fs_test_plugin_path ("basics.sleep");
  for (guint i = 0; i < n; i++)
    {
      p = fs_engine_spawn_sync (engine, "many", plugin, "basics.sleep", NULL, FALSE, &error);
      g_assert_no_error (error);
      g_ptr_array_add (workers, p);
    }

  /* What a worker sees. */
  g_clear_pointer (&plugin, g_free);
  plugin = fs_test_plugin_path ("command.run");
  p = fs_engine_spawn_sync (engine, "limit", plugin, "command.run",
                            (const char * const []) { "argv=sh -c 'test $(ulimit -n) = 1024'", NULL },
                            FALSE, &error);
  g_assert_no_error (error);
  g_assert_true (fs_engine_join_sync (engine, p, TIMEOUT, &error));
  g_assert_no_error (error);
  g_assert_cmpint (fs_process_get_exit_code (p), ==, 0);
  g_object_unref (p);

  g_assert_true (fs_engine_shutdown_sync (engine, FS_SHUTDOWN_KILL, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < n; i++)
    g_assert_cmpint (fs_process_get_state (g_ptr_array_index (workers, i)), ==, FS_PROCESS_STATE_REAPED);
}

/* A finished shutdown means the engine has closed: the supervisor's exit
 * and the end of its connection come through different threads, in either
 * order. */
static void
test_shutdown_closes (void)
{
  for (guint i = 0; i < 60; i++)
    {
      g_autoptr(FsEngine) engine = fs_engine_new ();
      g_autoptr(GError) error = NULL;

      g_assert_true (fs_engine_start (engine, &error));
      g_assert_no_error (error);
      g_assert_true (fs_engine_shutdown_sync (engine, FS_SHUTDOWN_DAEMON_RULE, &error));
      g_assert_no_error (error);
      g_assert_false (fs_engine_is_running (engine));
      g_assert_finalize_object (g_steal_pointer (&engine));
    }
}

/* ---- errors ------------------------------------------------------------- */

/* The supervisor's errors arrive in FS_ENGINE_ERROR with their codes even
 * when they are the first the process ever sees (GDBus maps only error
 * names registered by then): in a fresh process. */
static void
test_error_first_remote (void)
{
  g_autoptr(FsEngine) engine = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *plugin = NULL;
  FsProcess *p;

  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 20 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
      g_test_trap_assert_passed ();
      return;
    }

  engine = fs_engine_new ();
  g_assert_true (fs_engine_start (engine, NULL));
  plugin = fs_test_plugin_path ("basics.sleep");
  p = fs_engine_spawn_sync (engine, "w", plugin, "basics.sleep", NULL, FALSE, NULL);
  g_assert_nonnull (p);

  /* Only the supervisor knows there is no such signal. */
  g_assert_false (fs_engine_signal_sync (engine, p, 1000, FALSE, &error));
  g_assert_nonnull (error);
  g_test_message ("%s %d: %s", g_quark_to_string (error->domain), error->code, error->message);
  g_assert_true (error->domain == fs_engine_error_quark ());
  g_assert_cmpint (error->code, ==, FS_ENGINE_ERROR_INVALID_ARGS);
  g_assert_false (g_dbus_error_is_remote_error (error));

  g_object_unref (p);
  g_assert_true (fs_engine_shutdown_sync (engine, FS_SHUTDOWN_KILL, NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/forkscope/engine/" path, FsTestEngine, NULL, \
              fs_test_engine_setup, func, fs_test_engine_teardown)

  ADD ("exitcode/normal", test_exit_normal);
  ADD ("exitcode/exit", test_exit_code);
  ADD ("exitcode/terminate", test_exit_terminate);
  ADD ("exitcode/kill", test_exit_kill);
  ADD ("exitcode/interrupt", test_exit_interrupt);
  ADD ("exitcode/crash", test_exit_crash);
  ADD ("join/timeout", test_join_timeout);
  ADD ("join/no-timeout", test_join_without_timeout);
  ADD ("join/twice", test_join_twice);
  ADD ("join/grandchild-lives", test_join_grandchild);
  ADD ("policy/auto-no-zombie", test_policy_auto_no_zombie);
  ADD ("policy/join-zombie", test_policy_join_zombie);
  ADD ("policy/join-timeout-keeps-zombie", test_policy_join_timeout_keeps_zombie);
  ADD ("signal/reaped-refused", test_signal_reaped_refused);
  ADD ("signal/stop-continue", test_signal_stop_continue);
  ADD ("output/lines", test_output_lines);
  ADD ("output/fds", test_worker_fds);
  ADD ("output/flood", test_output_flood);
  ADD ("output/flood-no-newline", test_output_flood_no_newline);
  ADD ("output/flood-from-child", test_output_flood_from_child);
  ADD ("output/binary", test_output_binary);
  ADD ("output/all-lines", test_output_all_lines);
  ADD ("model/tree", test_model_tree);
  ADD ("event/json", test_event_json);
  ADD ("model/stats", test_stats);
  ADD ("orphan/subreaper-on", test_orphan_subreaper_on);
  ADD ("orphan/subreaper-off", test_orphan_subreaper_off);
  ADD ("orphan/first-seen-as-child", test_orphan_first_seen_as_child);
  ADD ("zombie/grandchild", test_zombie_grandchild);
  ADD ("zombie/reaped-by-parent", test_zombie_reaped_by_parent);
  ADD ("tree/kill-group", test_tree);
  ADD ("daemon/eof", test_daemon_eof);
  ADD ("daemon/left-running-prints", test_daemon_left_running_prints);
  ADD ("daemon/parent-death", test_daemon_parent_death);
  ADD ("daemon/sigterm", test_daemon_sigterm);
  ADD ("daemon/shutdown-terminate", test_daemon_shutdown);
  ADD ("leaks/500-cycles", test_no_leaks);
  ADD ("join/odd-timeouts", test_join_odd_timeouts);
  ADD ("error/supervisor-killed-mid-join", test_supervisor_killed_mid_join);
  ADD ("error/missing-plugin", test_spawn_missing_plugin);
  ADD ("error/wrong-kind", test_wrong_kind);

#undef ADD

  g_test_add_func ("/forkscope/engine/error/first-remote", test_error_first_remote);
  g_test_add_func ("/forkscope/engine/shutdown/closes", test_shutdown_closes);
  g_test_add_func ("/forkscope/engine/error/bad-supervisor", test_start_bad_supervisor);
  g_test_add_func ("/forkscope/engine/error/missing-worker", test_spawn_missing_worker);
  g_test_add_func ("/forkscope/engine/leaks/many-workers", test_many_workers);

  return g_test_run ();
}
