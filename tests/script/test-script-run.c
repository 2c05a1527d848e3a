/* test-script-run.c
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <locale.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>

#include "fs-engine.h"
#include "fs-script-runner.h"

/* FsScriptRunner on the real engine: every statement, failing expects and
 * waits (status 1, what was expected and found, cleanup), step mode, stop,
 * the end-of-script rule. Real processes, real /proc; every main loop is
 * bounded by a timeout that fails the test. */

#define TEST_TIMEOUT_SECONDS 30

static FsPluginRegistry *registry;

typedef struct
{
  FsEngine       *engine;
  FsScriptRunner *runner;
  GPtrArray      *events;       /* FsEvent from the runner */
  GPtrArray      *engine_events;
  GArray         *started;      /* lines */
  GPtrArray      *expects;      /* "ok|expected|found" */
  GPtrArray      *says;
  gboolean        finished;
  int             status;
  int             finished_count;
  /* Call stop() when this output line (or prefix) is seen. */
  const char     *stop_on_output;
} Fixture;

static void
runner_event_cb (FsScriptRunner *runner,
                 FsEvent        *event,
                 Fixture        *fixture)
{
  g_ptr_array_add (fixture->events, fs_event_ref (event));
}

static void
engine_event_cb (FsEngine *engine,
                 FsEvent  *event,
                 Fixture  *fixture)
{
  const char *text;

  g_ptr_array_add (fixture->engine_events, fs_event_ref (event));

  if (fixture->stop_on_output != NULL && event->kind == FS_EVENT_OUTPUT &&
      (text = fs_event_lookup_string (event, "text")) != NULL &&
      g_str_has_prefix (text, fixture->stop_on_output) && fixture->runner != NULL)
    {
      fixture->stop_on_output = NULL;
      fs_script_runner_stop (fixture->runner);
    }
}

static void
statement_started_cb (FsScriptRunner *runner,
                      guint           line,
                      const char     *text,
                      Fixture        *fixture)
{
  g_array_append_val (fixture->started, line);
}

static void
expect_cb (FsScriptRunner *runner,
           guint           line,
           gboolean        ok,
           const char     *expected,
           const char     *found,
           Fixture        *fixture)
{
  g_ptr_array_add (fixture->expects, g_strdup_printf ("%u|%s|%s|%s", line, ok ? "ok" : "FAILED",
                                                      expected, found));
}

static void
say_cb (FsScriptRunner *runner,
        const char     *text,
        Fixture        *fixture)
{
  g_ptr_array_add (fixture->says, g_strdup (text));
}

static void
finished_cb (FsScriptRunner *runner,
             int             status,
             Fixture        *fixture)
{
  fixture->finished = TRUE;
  fixture->status = status;
  fixture->finished_count++;
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->engine = fs_engine_new ();
  g_assert_true (fs_engine_start (fixture->engine, &error));
  g_assert_no_error (error);

  fixture->events = g_ptr_array_new_with_free_func ((GDestroyNotify) fs_event_unref);
  fixture->engine_events = g_ptr_array_new_with_free_func ((GDestroyNotify) fs_event_unref);
  fixture->started = g_array_new (FALSE, FALSE, sizeof (guint));
  fixture->expects = g_ptr_array_new_with_free_func (g_free);
  fixture->says = g_ptr_array_new_with_free_func (g_free);
  fixture->status = -1;

  g_signal_connect (fixture->engine, "event", G_CALLBACK (engine_event_cb), fixture);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  if (fixture->runner != NULL)
    g_assert_finalize_object (fixture->runner);

  /* Whatever a test left alive (on purpose: survivors) dies with its
   * group here. */
  if (fs_engine_is_running (fixture->engine))
    {
      fs_engine_shutdown_sync (fixture->engine, FS_SHUTDOWN_KILL, &error);
      g_assert_no_error (error);
    }
  g_signal_handlers_disconnect_by_data (fixture->engine, fixture);
  g_ptr_array_unref (fixture->engine_events);
  g_assert_finalize_object (fixture->engine);

  g_ptr_array_unref (fixture->events);
  g_array_unref (fixture->started);
  g_ptr_array_unref (fixture->expects);
  g_ptr_array_unref (fixture->says);
}

static gboolean
timeout_cb (gpointer user_data)
{
  g_error ("the script did not finish within %d s", TEST_TIMEOUT_SECONDS);
  return G_SOURCE_REMOVE;
}

/* Iterate until @done says so, failing the test after a time limit. */
static void
iterate_until (Fixture  *fixture,
               gboolean (*done) (Fixture *fixture))
{
  guint id = g_timeout_add_seconds (TEST_TIMEOUT_SECONDS, timeout_cb, NULL);

  while (!done (fixture))
    g_main_context_iteration (NULL, TRUE);

  g_source_remove (id);
}

static gboolean
is_finished (Fixture *fixture)
{
  return fixture->finished;
}

static gboolean
is_paused_or_finished (Fixture *fixture)
{
  FsScriptRunnerState state = fs_script_runner_get_state (fixture->runner);

  return state == FS_SCRIPT_RUNNER_PAUSED || state == FS_SCRIPT_RUNNER_FINISHED;
}

static void
prepare (Fixture    *fixture,
         const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FsScript) script = fs_script_new_from_text (text, -1, "t.forkscope", registry, &error);

  g_assert_no_error (error);
  fixture->runner = fs_script_runner_new (fixture->engine, script);
  g_signal_connect (fixture->runner, "event", G_CALLBACK (runner_event_cb), fixture);
  g_signal_connect (fixture->runner, "statement-started", G_CALLBACK (statement_started_cb), fixture);
  g_signal_connect (fixture->runner, "expect", G_CALLBACK (expect_cb), fixture);
  g_signal_connect (fixture->runner, "say", G_CALLBACK (say_cb), fixture);
  g_signal_connect (fixture->runner, "finished", G_CALLBACK (finished_cb), fixture);
}

static int
run_script (Fixture    *fixture,
            const char *text)
{
  prepare (fixture, text);
  fs_script_runner_run (fixture->runner);
  iterate_until (fixture, is_finished);

  g_assert_cmpint (fixture->finished_count, ==, 1);
  g_assert_cmpint (fs_script_runner_get_state (fixture->runner), ==, FS_SCRIPT_RUNNER_FINISHED);
  g_assert_cmpint (fs_script_runner_get_exit_status (fixture->runner), ==, fixture->status);

  return fixture->status;
}

static FsEvent *
find_event (GPtrArray   *events,
            FsEventKind  kind,
            const char  *key,
            const char  *prefix)
{
  for (guint i = 0; i < events->len; i++)
    {
      FsEvent *event = g_ptr_array_index (events, i);
      const char *value;

      if (event->kind != kind)
        continue;
      if (key == NULL)
        return event;
      value = fs_event_lookup_string (event, key);
      if (value != NULL && g_str_has_prefix (value, prefix))
        return event;
    }
  return NULL;
}

static int
exitcode_of (Fixture    *fixture,
             const char *name)
{
  FsProcess *process = fs_script_runner_lookup_process (fixture->runner, name);
  int status;

  g_assert_nonnull (process);
  g_assert_cmpint (fs_process_get_state (process), ==, FS_PROCESS_STATE_REAPED);
  g_assert_true (fs_process_get_has_exit_status (process));
  status = fs_process_get_wait_status (process);

  return WIFSIGNALED (status) ? -WTERMSIG (status) : WEXITSTATUS (status);
}

static void
assert_all_expects_ok (Fixture *fixture)
{
  for (guint i = 0; i < fixture->expects->len; i++)
    {
      const char *expect = g_ptr_array_index (fixture->expects, i);

      g_test_message ("%s", expect);
      g_assert_null (strstr (expect, "|FAILED|"));
    }
}

/* Tests */

static void
test_every_statement (Fixture       *fixture,
                      gconstpointer  data)
{
  const char *text =
    "set reap join\n"                                            /* 1 */
    "set subreaper on\n"                                         /* 2 */
    "process a basics.exit code=7 seconds=0.2\n"                 /* 3 */
    "process b basics.sleep seconds=30\n"                        /* 4 */
    "process c basics.sleep daemon seconds=30\n"                 /* 5 */
    "expect a state == created\n"                                /* 6 */
    "start a b\n"                                                /* 7 */
    "start c\n"                                                  /* 8 */
    "wait a zombie 10\n"                                         /* 9 */
    "expect a alive == false\n"                                  /* 10 */
    "join a\n"                                                   /* 11 */
    "expect a exitcode == 7\n"                                   /* 12 */
    "join b 0.1\n"                                               /* 13 */
    "expect b alive == true\n"                                   /* 14 */
    "signal b STOP\n"                                            /* 15 */
    "wait b stopped 10\n"                                        /* 16 */
    "signal b 18\n"                                              /* 17 */
    "wait b running 10\n"                                        /* 18 */
    "interrupt b\n"                                              /* 19 */
    "join b 10\n"                                                /* 20 */
    "expect b exitcode == -SIGINT\n"                             /* 21 */
    "sleep 0.1\n"                                                /* 22 */
    "say \"all   done\" here\n"                                  /* 23 */
    "terminate c\n"                                              /* 24 */
    "join c\n"                                                   /* 25 */
    "expect c exitcode == -15\n"                                 /* 26 */
    "kill c\n";                                                  /* 27 */
  const guint lines[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17,
                          18, 19, 20, 21, 22, 23, 24, 25, 26, 27 };

  g_assert_cmpint (run_script (fixture, text), ==, 0);
  assert_all_expects_ok (fixture);

  /* Every statement ran, in order, once. */
  g_assert_cmpuint (fixture->started->len, ==, G_N_ELEMENTS (lines));
  for (guint i = 0; i < G_N_ELEMENTS (lines); i++)
    g_assert_cmpuint (g_array_index (fixture->started, guint, i), ==, lines[i]);

  g_assert_cmpuint (fixture->says->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (fixture->says, 0), ==, "all   done here");
  g_assert_cmpuint (fixture->expects->len, ==, 6);

  g_assert_cmpint (exitcode_of (fixture, "a"), ==, 7);
  g_assert_cmpint (exitcode_of (fixture, "b"), ==, -SIGINT);
  g_assert_cmpint (exitcode_of (fixture, "c"), ==, -SIGTERM);

  /* Killing what has ended is no error, as in Python: a note says so. */
  g_assert_nonnull (find_event (fixture->events, FS_EVENT_NOTE, "text", "c has already ended"));
  /* The join with a timeout timed out, and said so. */
  g_assert_nonnull (find_event (fixture->engine_events, FS_EVENT_JOIN_TIMED_OUT, NULL, NULL));
  /* The script's events carry their line. */
  {
    FsEvent *say = find_event (fixture->events, FS_EVENT_SAY, "text", "all");
    int line = 0;

    g_assert_nonnull (say);
    g_assert_true (fs_event_lookup_int (say, "line", &line));
    g_assert_cmpint (line, ==, 23);
  }
}

static void
test_expect_values (Fixture       *fixture,
                    gconstpointer  data)
{
  const char *text =
    "process a basics.sleep daemon seconds=30\n"
    "expect a state == created\n"
    "expect a pid == none\n"
    "expect a ppid == none\n"
    "expect a exitcode == none\n"
    "expect a alive == false\n"
    "expect a daemon == true\n"
    "expect a name == a\n"
    "expect a children == 0\n"
    "expect a orphan == false\n"
    "expect a stdout == ''\n"
    "start a\n"
    "expect a state == running\n"
    "expect a state != zombie\n"
    "expect a pid != none\n"
    "expect a pid > 1\n"
    "expect a pid >= 2\n"
    "expect a pid < 4194305\n"
    "expect a pid <= 4194304\n"
    "expect a pid != self\n"
    "expect a ppid == self\n"
    "expect self pid == a/0/x\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(FsScript) bad = fs_script_new_from_text (text, -1, "t", registry, &error);

  /* (The last line is a parse error, checked first.) */
  g_assert_null (bad);
  g_assert_error (error, FS_SCRIPT_ERROR, FS_SCRIPT_ERROR_SYNTAX);
  g_assert_cmpstr (error->message, ==, "t:22: \"a/0/x\" is not a process (after NAME, /N counts children from 1)");

  g_assert_cmpint (run_script (fixture,
                               "process a basics.sleep daemon seconds=30\n"
                               "expect a state == created\n"
                               "expect a pid == none\n"
                               "expect a ppid == none\n"
                               "expect a exitcode == none\n"
                               "expect a exitcode != 0\n"
                               "expect a alive == false\n"
                               "expect a daemon == true\n"
                               "expect a name == a\n"
                               "expect a name ~ ''\n"
                               "expect a children == 0\n"
                               "expect a orphan == false\n"
                               "expect a stdout == ''\n"
                               "start a\n"
                               "expect a state == running\n"
                               "expect a state != zombie\n"
                               "expect a pid != none\n"
                               "expect a pid > 1\n"
                               "expect a pid >= 2\n"
                               "expect a pid < 4194305\n"
                               "expect a pid <= 4194304\n"
                               "expect a pid != self\n"
                               "expect a ppid == self\n"
                               "expect self pid == self\n"
                               "expect self children >= 1\n"
                               "expect self/1 pid > 0\n"
                               "expect a exitcode == none\n"), ==, 0);
  assert_all_expects_ok (fixture);
  g_assert_cmpuint (fixture->expects->len, ==, 25);
}

static void
test_expect_fails (Fixture       *fixture,
                   gconstpointer  data)
{
  gint64 start = g_get_monotonic_time ();
  FsEvent *event;
  const char *expect;

  /* b would sleep for 30 s: the failure must end it, not wait for it. */
  g_assert_cmpint (run_script (fixture,
                               "process a basics.exit code=0\n"
                               "process b basics.sleep seconds=30\n"
                               "start a b\n"
                               "join a\n"
                               "expect a exitcode == 1\n"
                               "say never said\n"), ==, 1);

  g_assert_cmpuint (fixture->expects->len, ==, 1);
  expect = g_ptr_array_index (fixture->expects, 0);
  g_assert_cmpstr (expect, ==, "5|FAILED|a exitcode == 1|0");
  g_assert_cmpuint (fixture->says->len, ==, 0);

  event = find_event (fixture->events, FS_EVENT_EXPECT, "message", "expect failed");
  g_assert_nonnull (event);
  g_assert_cmpstr (fs_event_lookup_string (event, "message"), ==,
                   "expect failed: expected a exitcode == 1, found 0");
  g_assert_nonnull (find_event (fixture->events, FS_EVENT_NOTE, "text", "Cleaning up"));

  g_assert_cmpint (exitcode_of (fixture, "b"), ==, -SIGTERM);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 20 * G_USEC_PER_SEC);
}

static void
test_expect_none_ordering (Fixture       *fixture,
                           gconstpointer  data)
{
  /* Like Python's None, a missing exit code is not less than anything. */
  g_assert_cmpint (run_script (fixture,
                               "process a basics.sleep seconds=30\n"
                               "start a\n"
                               "expect a exitcode < 1\n"), ==, 1);
  g_assert_cmpstr (g_ptr_array_index (fixture->expects, 0), ==, "3|FAILED|a exitcode < 1|none");
}

static void
test_expect_missing_child (Fixture       *fixture,
                           gconstpointer  data)
{
  g_assert_cmpint (run_script (fixture,
                               "process a basics.sleep seconds=30\n"
                               "start a\n"
                               "expect a/2 pid != none\n"), ==, 1);
  g_assert_cmpstr (g_ptr_array_index (fixture->expects, 0), ==,
                   "3|FAILED|a/2 pid != none|no process a/2 (a has 0 children)");
}

static void
test_expect_output (Fixture       *fixture,
                    gconstpointer  data)
{
  g_assert_cmpint (run_script (fixture,
                               "process p basics.print lines=3 interval=0 stream=stderr\n"
                               "process q basics.print lines=2 interval=0\n"
                               "start p q\n"
                               "join p\n"
                               "join q\n"
                               "expect p stderr ~ 'line 3 of 3'\n"
                               "expect p stdout == ''\n"
                               "expect q stdout ~ 'line 1 of 2'\n"
                               "expect q stdout ~ 'line 2 of 2'\n"
                               "expect q stderr == ''\n"
                               "expect q stdout ~ 'line 3'\n"), ==, 1);
  g_assert_cmpuint (fixture->expects->len, ==, 6);
  g_assert_cmpstr (g_ptr_array_index (fixture->expects, 5), ==,
                   "11|FAILED|q stdout ~ \"line 3\"|\"line 1 of 2\\nline 2 of 2\\n\"");
}

static void
test_wait_timeout (Fixture       *fixture,
                   gconstpointer  data)
{
  FsEvent *event;

  g_assert_cmpint (run_script (fixture,
                               "process a basics.sleep seconds=30\n"
                               "start a\n"
                               "wait a exited 0.3\n"), ==, 1);
  g_assert_cmpstr (g_ptr_array_index (fixture->expects, 0), ==, "3|FAILED|a exited|a running");
  event = find_event (fixture->events, FS_EVENT_EXPECT, "message", "wait");
  g_assert_nonnull (event);
  g_assert_cmpstr (fs_event_lookup_string (event, "message"), ==,
                   "wait timed out after 0.3 s: expected a exited, found a running");
  g_assert_cmpint (exitcode_of (fixture, "a"), ==, -SIGTERM);
}

static void
test_wait_now (Fixture       *fixture,
               gconstpointer  data)
{
  gint64 start = g_get_monotonic_time ();

  /* A timeout of 0 looks once. */
  g_assert_cmpint (run_script (fixture,
                               "process a basics.sleep seconds=30\n"
                               "start a\n"
                               "wait a running 0\n"
                               "wait a exited 0\n"), ==, 1);
  g_assert_cmpstr (g_ptr_array_index (fixture->expects, 0), ==, "4|FAILED|a exited|a running");
  g_assert_cmpint (g_get_monotonic_time () - start, <, 10 * G_USEC_PER_SEC);
}

static void
test_wait_final (Fixture       *fixture,
                 gconstpointer  data)
{
  gint64 start = g_get_monotonic_time ();
  FsEvent *event;

  /* Under the auto policy a worker is never seen as a zombie; once it is
   * reaped nothing can change: the wait fails at once, not after 20 s. */
  g_assert_cmpint (run_script (fixture,
                               "process a basics.exit\n"
                               "start a\n"
                               "join a\n"
                               "wait a zombie 20\n"), ==, 1);
  event = find_event (fixture->events, FS_EVENT_EXPECT, "message", "wait");
  g_assert_cmpstr (fs_event_lookup_string (event, "message"), ==,
                   "wait failed: expected a zombie, found a reaped, which is final");
  g_assert_cmpint (g_get_monotonic_time () - start, <, 10 * G_USEC_PER_SEC);
}

/* A child of a process that ended without it can never appear: a wait for
 * it, with no timeout, fails (after a late scan had its chance to show
 * it) instead of waiting for ever. A child that is there but seen late
 * (the worker exits at once, before any scan) is still found. */
static void
test_wait_missing_child (Fixture       *fixture,
                         gconstpointer  data)
{
  gint64 start = g_get_monotonic_time ();
  FsEvent *event;

  g_assert_cmpint (run_script (fixture,
                               "process o lifecycle.orphan seconds=0.5\n"
                               "process a basics.exit\n"
                               "start o a\n"
                               "wait o/1 running\n"
                               "wait a/1 running\n"), ==, 1);
  event = find_event (fixture->events, FS_EVENT_EXPECT, "message", "wait");
  g_assert_nonnull (event);
  g_assert_cmpstr (fs_event_lookup_string (event, "message"), ==,
                   "wait failed: expected a/1 running, found no process a/1 (a has 0 children), which is final");
  g_assert_cmpint (g_get_monotonic_time () - start, <, 10 * G_USEC_PER_SEC);
}

static void
test_subjects (Fixture       *fixture,
               gconstpointer  data)
{
  g_assert_cmpint (run_script (fixture,
                               "process t lifecycle.tree depth=2 fanout=2 seconds=30\n"
                               "start t\n"
                               "wait t/2/2 running 10\n"
                               "wait t/1/2 running 10\n"
                               "expect t children == 2\n"
                               "expect t/1 children == 2\n"
                               "expect t/2/1 children == 0\n"
                               "expect t/1 ppid == t\n"
                               "expect t/2 ppid == t\n"
                               "expect t/1/1 ppid == t/1\n"
                               "expect t/2/2 ppid == t/2\n"
                               "expect t/1/1 ppid != t/2\n"
                               "expect t ppid == self\n"
                               "expect t/1/1 name == t\n"
                               "signal t/1/1 KILL\n"
                               "wait t/1/1 exited 10\n"
                               "kill t\n"
                               "join t\n"), ==, 0);
  assert_all_expects_ok (fixture);

  /* The rest of the tree outlived t: the end of the script says so, by
   * subject. */
  g_assert_nonnull (find_event (fixture->events, FS_EVENT_NOTE, "text", "t/2 (PID"));
  g_assert_nonnull (find_event (fixture->events, FS_EVENT_NOTE, "text", "t/2/1 (PID"));
}

static void
test_signal_missing (Fixture       *fixture,
                     gconstpointer  data)
{
  FsEvent *event;

  g_assert_cmpint (run_script (fixture,
                               "process a basics.sleep seconds=30\n"
                               "start a\n"
                               "kill a/1\n"), ==, 1);
  event = find_event (fixture->events, FS_EVENT_ERROR, NULL, NULL);
  g_assert_nonnull (event);
  g_assert_cmpstr (fs_event_lookup_string (event, "message"), ==,
                   "cannot signal a/1: no process a/1 (a has 0 children)");
  g_assert_cmpint (exitcode_of (fixture, "a"), ==, -SIGTERM);
}

static void
test_policies (Fixture       *fixture,
               gconstpointer  data)
{
  /* The engine's own policy is join; a script starts from auto (a is
   * reaped without a join) and the engine gets its policies back. */
  fs_engine_set_reap_policy (fixture->engine, FS_REAP_JOIN);

  g_assert_cmpint (run_script (fixture,
                               "process a basics.exit\n"
                               "start a\n"
                               "wait a reaped 10\n"
                               "set subreaper off\n"
                               "set reap join\n"), ==, 0);
  g_assert_cmpint (fs_engine_get_reap_policy (fixture->engine), ==, FS_REAP_JOIN);
  g_assert_true (fs_engine_get_subreaper (fixture->engine));
}

static void
test_exit_rule (Fixture       *fixture,
                gconstpointer  data)
{
  FsEvent *note;

  /* Python at exit: daemons terminated, the others joined. */
  g_assert_cmpint (run_script (fixture,
                               "process d basics.sleep daemon seconds=30\n"
                               "process n basics.exit code=4 seconds=0.5\n"
                               "start d n\n"), ==, 0);
  g_assert_cmpint (exitcode_of (fixture, "d"), ==, -SIGTERM);
  g_assert_cmpint (exitcode_of (fixture, "n"), ==, 4);
  note = find_event (fixture->events, FS_EVENT_NOTE, "text", "End of the script");
  g_assert_nonnull (note);
}

static void
test_exit_rule_stubborn_daemon (Fixture       *fixture,
                                gconstpointer  data)
{
  /* A daemon that ignores SIGTERM is killed after a grace period, where
   * Python would hang. Step mode lets the test wait until it ignores. */
  prepare (fixture, "process d basics.ignore_term daemon seconds=30\nstart d\n");
  fs_script_runner_set_step_mode (fixture->runner, TRUE);
  fs_script_runner_run (fixture->runner);
  fs_script_runner_step (fixture->runner);
  iterate_until (fixture, is_paused_or_finished);
  fs_script_runner_step (fixture->runner);
  iterate_until (fixture, is_paused_or_finished);

  {
    guint id = g_timeout_add_seconds (TEST_TIMEOUT_SECONDS, timeout_cb, NULL);

    while (find_event (fixture->engine_events, FS_EVENT_OUTPUT, "text", "ignoring SIGTERM") == NULL)
      g_main_context_iteration (NULL, TRUE);
    g_source_remove (id);
  }

  fs_script_runner_continue (fixture->runner);
  iterate_until (fixture, is_finished);

  g_assert_cmpint (fixture->status, ==, 0);
  g_assert_cmpint (exitcode_of (fixture, "d"), ==, -SIGKILL);
}

static void
test_step_mode (Fixture       *fixture,
                gconstpointer  data)
{
  prepare (fixture,
           "# A comment\n"
           "process a basics.sleep seconds=0.2\n"   /* 2 */
           "say one\n"                              /* 3 */
           "\n"
           "start a\n"                              /* 5 */
           "say two\n"                              /* 6 */
           "join a\n");                             /* 7 */
  fs_script_runner_set_step_mode (fixture->runner, TRUE);
  g_assert_true (fs_script_runner_get_step_mode (fixture->runner));
  g_assert_cmpint (fs_script_runner_get_state (fixture->runner), ==, FS_SCRIPT_RUNNER_READY);

  /* Paused before the first statement. */
  fs_script_runner_run (fixture->runner);
  g_assert_cmpint (fs_script_runner_get_state (fixture->runner), ==, FS_SCRIPT_RUNNER_PAUSED);
  g_assert_cmpuint (fs_script_runner_get_current_line (fixture->runner), ==, 2);
  g_assert_cmpuint (fixture->started->len, ==, 0);

  /* One statement per step, then paused on the next line. */
  {
    const guint next_lines[] = { 3, 5, 6, 7, 0 };

    for (guint i = 0; i < G_N_ELEMENTS (next_lines); i++)
      {
        fs_script_runner_step (fixture->runner);
        iterate_until (fixture, is_paused_or_finished);
        g_assert_cmpint (fs_script_runner_get_state (fixture->runner), ==, FS_SCRIPT_RUNNER_PAUSED);
        g_assert_cmpuint (fixture->started->len, ==, i + 1);
        g_assert_cmpuint (fs_script_runner_get_current_line (fixture->runner), ==, next_lines[i]);
      }
  }
  g_assert_cmpuint (fixture->says->len, ==, 2);
  g_assert_false (fixture->finished);

  /* Stepping or stepping past the end runs the exit rule. */
  fs_script_runner_step (fixture->runner);
  iterate_until (fixture, is_finished);
  g_assert_cmpint (fixture->status, ==, 0);
  g_assert_cmpint (exitcode_of (fixture, "a"), ==, 0);

  /* Nothing happens to a finished runner. */
  fs_script_runner_step (fixture->runner);
  fs_script_runner_stop (fixture->runner);
  g_assert_cmpint (fixture->finished_count, ==, 1);
}

static void
test_step_continue (Fixture       *fixture,
                    gconstpointer  data)
{
  prepare (fixture, "say one\nsay two\nsay three\n");
  fs_script_runner_set_step_mode (fixture->runner, TRUE);
  fs_script_runner_run (fixture->runner);
  fs_script_runner_step (fixture->runner);
  iterate_until (fixture, is_paused_or_finished);
  g_assert_cmpuint (fixture->says->len, ==, 1);

  fs_script_runner_continue (fixture->runner);
  g_assert_false (fs_script_runner_get_step_mode (fixture->runner));
  iterate_until (fixture, is_finished);
  g_assert_cmpuint (fixture->says->len, ==, 3);
  g_assert_cmpint (fixture->status, ==, 0);
}

static void
test_stop_paused (Fixture       *fixture,
                  gconstpointer  data)
{
  prepare (fixture, "process a basics.sleep seconds=30\nstart a\nsay never\n");
  fs_script_runner_set_step_mode (fixture->runner, TRUE);
  fs_script_runner_run (fixture->runner);
  fs_script_runner_step (fixture->runner);
  iterate_until (fixture, is_paused_or_finished);
  fs_script_runner_step (fixture->runner);
  iterate_until (fixture, is_paused_or_finished);

  /* Restarting is stopping and running again: stop cleans up. */
  fs_script_runner_stop (fixture->runner);
  iterate_until (fixture, is_finished);
  g_assert_cmpint (fixture->status, ==, 1);
  g_assert_cmpuint (fixture->says->len, ==, 0);
  g_assert_cmpint (exitcode_of (fixture, "a"), ==, -SIGTERM);
}

static void
test_stop_sleep (Fixture       *fixture,
                 gconstpointer  data)
{
  gint64 start;

  prepare (fixture, "process a basics.sleep seconds=30\nstart a\nsleep 30\n");
  fs_script_runner_run (fixture->runner);

  {
    guint id = g_timeout_add_seconds (TEST_TIMEOUT_SECONDS, timeout_cb, NULL);

    while (fixture->started->len < 3)
      g_main_context_iteration (NULL, TRUE);
    g_source_remove (id);
  }

  start = g_get_monotonic_time ();
  fs_script_runner_stop (fixture->runner);
  iterate_until (fixture, is_finished);
  g_assert_cmpint (fixture->status, ==, 1);
  g_assert_cmpint (exitcode_of (fixture, "a"), ==, -SIGTERM);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 10 * G_USEC_PER_SEC);
}

static void
test_stop_join_stubborn (Fixture       *fixture,
                         gconstpointer  data)
{
  /* stop() during a join without a timeout: the join is cancelled, and a
   * worker that ignores SIGTERM is killed after the grace period. */
  fixture->stop_on_output = "ignoring SIGTERM";
  g_assert_cmpint (run_script (fixture,
                               "process a basics.ignore_term seconds=30\n"
                               "start a\n"
                               "join a\n"), ==, 1);
  g_assert_cmpint (exitcode_of (fixture, "a"), ==, -SIGKILL);
}

static void
test_survivors (Fixture       *fixture,
                gconstpointer  data)
{
  FsEvent *note;
  g_autofree char *expected = NULL;

  g_assert_cmpint (run_script (fixture,
                               "process o lifecycle.orphan seconds=30\n"
                               "start o\n"
                               "join o\n"
                               "wait o/1 orphaned 10\n"), ==, 0);

  note = find_event (fixture->events, FS_EVENT_NOTE, "text", "o/1 (PID");
  g_assert_nonnull (note);
  g_assert_nonnull (note->process);
  expected = g_strdup_printf ("o/1 (PID %d) is still running, a child of PID %d",
                              fs_process_get_pid (note->process),
                              fs_process_get_pid (fs_engine_get_supervisor (fixture->engine)));
  g_assert_cmpstr (fs_event_lookup_string (note, "text"), ==, expected);
  /* The teardown kills it with its group. */
}

/* A grandchild its parent reaped just before the parent ended is gone,
 * whatever the last scan said: the end of the script does not call it
 * still running. */
static void
test_survivors_gone (Fixture       *fixture,
                     gconstpointer  data)
{
  g_assert_cmpint (run_script (fixture,
                               "process c command.run \"argv=sh -c 'sleep 0.3; true'\"\n"
                               "start c\n"
                               "wait c/1 running 10\n"
                               "join c\n"), ==, 0);
  g_assert_null (find_event (fixture->events, FS_EVENT_NOTE, "text", "c/1 (PID"));
}

static void
old_finished_cb (FsScriptRunner *runner,
                 int             status,
                 gboolean       *finished)
{
  *finished = TRUE;
}

static gboolean old_runner_finished;

static gboolean
both_finished (Fixture *fixture)
{
  return fixture->finished && old_runner_finished;
}

static void
test_restart (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FsScript) old_script = NULL;
  g_autoptr(FsScriptRunner) old_runner = NULL;

  /* The app restarts a lesson by stopping its runner and starting a new
   * one at once, while the old one still cleans up: the old one must not
   * put the engine's policies back under the new one's feet. */
  old_script = fs_script_new_from_text ("set reap auto\nset subreaper off\n"
                                        "process a basics.sleep seconds=30\nstart a\nsleep 30\n",
                                        -1, "old", registry, &error);
  g_assert_no_error (error);
  old_runner = fs_script_runner_new (fixture->engine, old_script);
  old_runner_finished = FALSE;
  g_signal_connect (old_runner, "finished", G_CALLBACK (old_finished_cb), &old_runner_finished);
  fs_script_runner_set_step_mode (old_runner, TRUE);
  fs_script_runner_run (old_runner);
  for (guint i = 0; i < 4; i++)
    {
      guint id = g_timeout_add_seconds (TEST_TIMEOUT_SECONDS, timeout_cb, NULL);

      fs_script_runner_step (old_runner);
      while (fs_script_runner_get_state (old_runner) != FS_SCRIPT_RUNNER_PAUSED)
        g_main_context_iteration (NULL, TRUE);
      g_source_remove (id);
    }
  g_assert_false (fs_engine_get_subreaper (fixture->engine));

  /* Stop (a is terminated asynchronously) and restart at once. */
  fs_script_runner_stop (old_runner);
  g_assert_cmpint (fs_script_runner_get_state (old_runner), ==, FS_SCRIPT_RUNNER_CLEANING_UP);
  /* b starts after the old runner has surely finished its cleanup. */
  prepare (fixture,
           "set reap join\n"
           "sleep 1\n"
           "process b basics.exit code=5\n"
           "start b\n"
           "wait b zombie 10\n"
           "expect b state == zombie\n"
           "join b\n");
  fs_script_runner_run (fixture->runner);
  iterate_until (fixture, both_finished);

  g_assert_cmpint (fixture->status, ==, 0);
  assert_all_expects_ok (fixture);
  g_assert_cmpint (exitcode_of (fixture, "b"), ==, 5);
  /* The engine's own policies are back once both are done. */
  g_assert_cmpint (fs_engine_get_reap_policy (fixture->engine), ==, FS_REAP_AUTO);
  g_assert_true (fs_engine_get_subreaper (fixture->engine));
  g_signal_handlers_disconnect_by_data (old_runner, &old_runner_finished);
}

static void
test_engine_gone (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  /* A runner on a stopped engine fails at once, cleanly. */
  g_assert_true (fs_engine_shutdown_sync (fixture->engine, FS_SHUTDOWN_KILL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (run_script (fixture, "say hi\n"), ==, 1);
  g_assert_nonnull (find_event (fixture->events, FS_EVENT_ERROR, NULL, NULL));
  g_assert_cmpuint (fixture->says->len, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

  registry = fs_plugin_registry_new ();
  if (!fs_plugin_registry_load_sync (registry, &error))
    g_error ("cannot load the plugins: %s", error->message);

#define ADD(path, func) \
  g_test_add ("/forkscope/script/run/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("every-statement", test_every_statement);
  ADD ("expect-values", test_expect_values);
  ADD ("expect-fails", test_expect_fails);
  ADD ("expect-none-ordering", test_expect_none_ordering);
  ADD ("expect-missing-child", test_expect_missing_child);
  ADD ("expect-output", test_expect_output);
  ADD ("wait-timeout", test_wait_timeout);
  ADD ("wait-now", test_wait_now);
  ADD ("wait-final", test_wait_final);
  ADD ("wait-missing-child", test_wait_missing_child);
  ADD ("subjects", test_subjects);
  ADD ("signal-missing", test_signal_missing);
  ADD ("policies", test_policies);
  ADD ("exit-rule", test_exit_rule);
  ADD ("exit-rule-stubborn-daemon", test_exit_rule_stubborn_daemon);
  ADD ("step-mode", test_step_mode);
  ADD ("step-continue", test_step_continue);
  ADD ("stop-paused", test_stop_paused);
  ADD ("stop-sleep", test_stop_sleep);
  ADD ("stop-join-stubborn", test_stop_join_stubborn);
  ADD ("survivors", test_survivors);
  ADD ("survivors-gone", test_survivors_gone);
  ADD ("restart", test_restart);
  ADD ("engine-gone", test_engine_gone);

  status = g_test_run ();
  g_clear_object (&registry);
  return status;
}
