/* test-engine.c: the engine and supervisor against real processes
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

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
  ADD ("model/tree", test_model_tree);
  ADD ("event/json", test_event_json);

#undef ADD

  return g_test_run ();
}
