/* test-output.c: whose line is it? Output of workers and of the processes
 * they fork, through the real supervisor
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/pidfd.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "fs-engine.h"
#include "fs-test-engine.h"

#define TIMEOUT 10.0

static guint
count_output (FsTestEngine *t)
{
  guint n = 0;

  for (guint i = 0; i < t->events->len; i++)
    if (((FsEvent *) g_ptr_array_index (t->events, i))->kind == FS_EVENT_OUTPUT)
      n++;
  return n;
}

static gboolean
has_n_output (FsTestEngine *t,
              gpointer      data)
{
  return count_output (t) >= GPOINTER_TO_UINT (data);
}

static void
wait_for_output (FsTestEngine *t,
                 guint         n)
{
  g_autofree char *what = g_strdup_printf ("%u output lines", n);

  fs_test_wait (t, has_n_output, GUINT_TO_POINTER (n), TIMEOUT, what);
}

/* Output events whose text is @text and that came through @worker's
 * stdout (written by it or by its family), in order. */
static GPtrArray *
find_lines (FsTestEngine *t,
            FsProcess    *worker,
            const char   *text)
{
  GPtrArray *found = g_ptr_array_new ();

  for (guint i = 0; i < t->events->len; i++)
    {
      FsEvent *event = g_ptr_array_index (t->events, i);

      if (event->kind == FS_EVENT_OUTPUT &&
          fs_process_get_worker (event->process) == worker &&
          g_strcmp0 (fs_event_lookup_string (event, "text"), text) == 0)
        g_ptr_array_add (found, event);
    }
  return found;
}

static FsEvent *
find_line (FsTestEngine *t,
           FsProcess    *worker,
           const char   *text)
{
  g_autoptr(GPtrArray) found = find_lines (t, worker, text);

  g_assert_cmpuint (found->len, ==, 1);
  return g_ptr_array_index (found, 0);
}

static int
writer_of (FsEvent *event)
{
  int writer = 0;

  g_assert_true (fs_event_lookup_int (event, "writer", &writer));
  return writer;
}

static void
assert_written_by (FsEvent   *event,
                   FsProcess *process)
{
  g_assert_true (event->process == process);
  g_assert_cmpint (event->pid, ==, fs_process_get_pid (process));
  g_assert_cmpint (writer_of (event), ==, fs_process_get_pid (process));
  g_assert_cmpint (fs_event_get_writer (event), ==, fs_process_get_pid (process));
}

static FsProcess *
first_child (FsProcess *process)
{
  GListModel *children = fs_process_get_birth_children (process);
  g_autoptr(FsProcess) child = NULL;

  g_assert_cmpuint (g_list_model_get_n_items (children), >=, 1);
  child = g_list_model_get_item (children, 0);
  return child;   /* the model keeps it */
}

/* ---- the seed's fork test ---------------------------------------------- */

/* "the new process" is the child's line: the event names the child (the
 * FsProcess the tree shows as the worker's first child), its pid and its
 * name; "The old process" is the parent's. Child first, child at once
 * (before any scan could have seen it), and parent first (the child,
 * orphaned, prints after its parent is gone). */
static void
test_fork_test (FsTestEngine  *t,
                gconstpointer  data)
{
  static const struct
  {
    const char *name;
    const char *child_sleep;
    const char *parent_sleep;
    gboolean    orphan;
  } runs[] = {
    { "child_first", "child_sleep=0.2", "parent_sleep=0.5", FALSE },
    { "child_at_once", "child_sleep=0", "parent_sleep=0.3", FALSE },
    { "parent_first", "child_sleep=0.5", "parent_sleep=0", TRUE },
  };
  int supervisor = fs_process_get_pid (fs_engine_get_supervisor (t->engine));
  g_autoptr(GError) error = NULL;
  FsProcess *workers[G_N_ELEMENTS (runs)];

  fs_engine_set_scan_interval (t->engine, 50);
  for (guint i = 0; i < G_N_ELEMENTS (runs); i++)
    workers[i] = fs_test_spawn (t, runs[i].name, "tutorial.fork_test", FALSE,
                                runs[i].child_sleep, runs[i].parent_sleep, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (runs); i++)
    {
      g_assert_true (fs_engine_join_sync (t->engine, workers[i], -1, &error));
      g_assert_no_error (error);
    }
  /* Four lines each; a child may print after its parent was joined. */
  wait_for_output (t, 4 * G_N_ELEMENTS (runs));

  for (guint i = 0; i < G_N_ELEMENTS (runs); i++)
    {
      FsProcess *worker = workers[i];
      FsProcess *child = first_child (worker);
      g_autoptr(GPtrArray) over = find_lines (t, worker, "Fork test over");
      g_autofree char *json = NULL;
      g_autofree char *text = NULL;
      g_autofree char *expected = NULL;
      FsEvent *event;
      int ppid;

      g_test_message ("%s: worker %d, child %d", runs[i].name,
                      fs_process_get_pid (worker), fs_process_get_pid (child));
      g_assert_cmpint (fs_process_get_kind (child), ==, FS_PROCESS_KIND_DESCENDANT);
      g_assert_cmpint (fs_process_get_birth_ppid (child), ==, fs_process_get_pid (worker));

      event = find_line (t, worker, "the new process");
      assert_written_by (event, child);
      g_assert_cmpstr (fs_process_get_name (event->process), ==, runs[i].name);
      /* Its parent then: the worker, or (the worker gone) the supervisor
       * that adopted it. */
      ppid = runs[i].orphan ? supervisor : fs_process_get_pid (worker);
      g_assert_cmpint (event->ppid, ==, ppid);

      /* The JSON line and the CLI's text name the child too; "writer" is
       * left out of the JSON when it is the pid. */
      json = fs_event_to_json (event, 0);
      expected = g_strdup_printf ("\"pid\":%d,\"ppid\":%d,", fs_process_get_pid (child), ppid);
      g_assert_nonnull (strstr (json, expected));
      g_assert_null (strstr (json, "\"writer\""));
      text = fs_event_to_text (event, 0);
      g_clear_pointer (&expected, g_free);
      expected = g_strdup_printf ("%s[%d]  | the new process", runs[i].name, fs_process_get_pid (child));
      g_assert_nonnull (strstr (text, expected));

      assert_written_by (find_line (t, worker, "The old process"), worker);

      g_assert_cmpuint (over->len, ==, 2);
      if (((FsEvent *) over->pdata[0])->process == child)
        {
          assert_written_by (over->pdata[0], child);
          assert_written_by (over->pdata[1], worker);
        }
      else
        {
          assert_written_by (over->pdata[0], worker);
          assert_written_by (over->pdata[1], child);
        }
    }
}

/* ---- many writers at once ---------------------------------------------- */

/* lifecycle.pool: six processes take items from a queue and print a line
 * each, all on the pool's stdout at once. Every line is whole, and is the
 * line of the process whose pid it prints. */
static void
test_pool (FsTestEngine  *t,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GRegex) processed = g_regex_new ("^worker (\\d+) processed item (\\d+)$", 0, 0, NULL);
  g_autoptr(GRegex) leaving = g_regex_new ("^worker (\\d+): no more items, exiting after (\\d+)$", 0, 0, NULL);
  g_autoptr(GHashTable) writers = g_hash_table_new (NULL, NULL);
  g_autoptr(GHashTable) items = g_hash_table_new (NULL, NULL);
  FsProcess *pool = fs_test_spawn (t, "pool", "lifecycle.pool", FALSE,
                                   "workers=6", "items=240", "item_seconds=0.005", NULL);
  guint n_processed = 0, n_leaving = 0, n_pool = 0;

  g_assert_true (fs_engine_join_sync (t->engine, pool, -1, &error));
  g_assert_no_error (error);
  g_assert_cmpint (fs_process_get_exit_code (pool), ==, 0);

  for (guint i = 0; i < t->events->len; i++)
    {
      FsEvent *event = g_ptr_array_index (t->events, i);
      const char *text = fs_event_lookup_string (event, "text");
      g_autoptr(GMatchInfo) match = NULL;
      gboolean is_processed, is_leaving = FALSE;

      if (event->kind != FS_EVENT_OUTPUT)
        continue;
      g_assert_true (fs_process_get_worker (event->process) == pool);

      is_processed = g_regex_match (processed, text, 0, &match);
      if (!is_processed)
        {
          g_clear_pointer (&match, g_match_info_unref);
          is_leaving = g_regex_match (leaving, text, 0, &match);
        }

      if (is_processed || is_leaving)
        {
          g_autofree char *pid_text = g_match_info_fetch (match, 1);
          g_autofree char *number = g_match_info_fetch (match, 2);
          int pid = atoi (pid_text);

          /* What the kernel said, always. */
          g_assert_cmpint (writer_of (event), ==, pid);
          if (is_processed)
            {
              /* Found by its first line at the latest: every line of it
               * is its own, the tree's child of the pool. */
              g_assert_cmpint (event->pid, ==, pid);
              g_assert_true (fs_process_get_birth_parent (event->process) == pool);
              g_hash_table_add (items, GINT_TO_POINTER (atoi (number)));
              n_processed++;
            }
          else
            {
              /* A process that got no item may be gone before its only
               * line is read: then the line is shown as the pool's. */
              g_assert_true (event->pid == pid || event->process == pool);
              n_leaving++;
            }
          g_hash_table_add (writers, GINT_TO_POINTER (pid));
        }
      else
        {
          /* The pool's own lines ("pool N: ..."), nothing else. */
          g_autofree char *prefix = g_strdup_printf ("pool %d: ", fs_process_get_pid (pool));

          g_assert_true (g_str_has_prefix (text, prefix));
          assert_written_by (event, pool);
          n_pool++;
        }
    }

  g_test_message ("%u processed, %u leaving, %u of the pool's own", n_processed, n_leaving, n_pool);
  g_assert_cmpuint (n_processed, ==, 240);
  g_assert_cmpuint (g_hash_table_size (items), ==, 240);
  g_assert_cmpuint (n_leaving, ==, 6);
  g_assert_cmpuint (g_hash_table_size (writers), ==, 6);
  g_assert_cmpuint (n_pool, >=, 2);
}

static char *
write_script (const char *dir,
              const char *name,
              const char *text)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (dir, name, NULL);

  g_assert_true (g_file_set_contents (path, text, -1, &error));
  g_assert_no_error (error);
  return path;
}

/* Four processes write their lines in two pieces each, all at the same
 * time (sh's printf writes at once, no buffering): each line is put
 * together from its own writer's pieces. Through one pipe they were
 * interleaved: "12:1-a 13:1-a 12:1-b". */
static void
test_lines_in_pieces (FsTestEngine  *t,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("forkscope-output-XXXXXX", &error);
  g_autofree char *script = NULL;
  g_autofree char *argv = NULL;
  g_autoptr(GRegex) regex = g_regex_new ("^(\\d+):(\\d)-a (\\d+):(\\d)-b$", 0, 0, NULL);
  g_autoptr(GHashTable) writers = g_hash_table_new (NULL, NULL);
  FsProcess *worker;
  guint n = 0;

  g_assert_no_error (error);
  script = write_script (dir, "printers.sh",
                         "for i in 1 2 3 4; do\n"
                         "  sh -c 'for k in 1 2 3; do printf \"%s:%s-a \" $$ $k; sleep 0.05;"
                         " printf \"%s:%s-b\\n\" $$ $k; done' &\n"
                         "done\n"
                         "wait\n");
  argv = g_strdup_printf ("argv=sh %s", script);
  worker = fs_test_spawn (t, "printers", "command.run", FALSE, argv, NULL);
  g_assert_true (fs_engine_join_sync (t->engine, worker, -1, &error));
  g_assert_no_error (error);
  g_assert_cmpint (fs_process_get_exit_code (worker), ==, 0);

  for (guint i = 0; i < t->events->len; i++)
    {
      FsEvent *event = g_ptr_array_index (t->events, i);
      const char *text = fs_event_lookup_string (event, "text");
      g_autoptr(GMatchInfo) match = NULL;
      g_autofree char *pid_a = NULL;
      g_autofree char *pid_b = NULL;
      g_autofree char *k_a = NULL;
      g_autofree char *k_b = NULL;

      if (event->kind != FS_EVENT_OUTPUT)
        continue;
      g_test_message ("%d: %s", event->pid, text);
      g_assert_true (g_regex_match (regex, text, 0, &match));
      pid_a = g_match_info_fetch (match, 1);
      k_a = g_match_info_fetch (match, 2);
      pid_b = g_match_info_fetch (match, 3);
      k_b = g_match_info_fetch (match, 4);
      g_assert_cmpstr (pid_a, ==, pid_b);
      g_assert_cmpstr (k_a, ==, k_b);
      /* Each printer writes right after it starts and lives on: found by
       * its first piece, a child of the worker. */
      g_assert_cmpint (event->pid, ==, atoi (pid_a));
      g_assert_cmpint (writer_of (event), ==, atoi (pid_a));
      g_assert_true (fs_process_get_birth_parent (event->process) == worker);
      g_hash_table_add (writers, GINT_TO_POINTER (event->pid));
      n++;
    }
  g_assert_cmpuint (n, ==, 12);
  g_assert_cmpuint (g_hash_table_size (writers), ==, 4);

  g_unlink (script);
  g_rmdir (dir);
}

/* ---- partial lines ----------------------------------------------------- */

static gint
event_index (FsTestEngine *t,
             FsEvent      *event)
{
  guint index;

  g_assert_true (g_ptr_array_find (t->events, event, &index));
  return (gint) index;
}

/* A line without a newline comes out when its writer exits: before the
 * worker's exit for the worker's own (tutorial.exit_kinds), and when a
 * scan finds a child gone for the child's, long before end of file. */
static void
test_partial_line_at_exit (FsTestEngine  *t,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("forkscope-output-XXXXXX", &error);
  g_autofree char *script = NULL;
  g_autofree char *argv = NULL;
  g_autoptr(GRegex) regex = g_regex_new ("^(\\d+):tail$", 0, 0, NULL);
  FsProcess *leaver, *parent;
  FsEvent *line, *exited, *done = NULL, *tail = NULL;
  g_autoptr(GMatchInfo) match = NULL;
  g_autofree char *pid = NULL;
  guint n_tails = 0;

  g_assert_no_error (error);
  fs_engine_set_scan_interval (t->engine, 50);

  leaver = fs_test_spawn (t, "leaver", "tutorial.exit_kinds", FALSE, "how=exit", "code=0", NULL);
  g_assert_true (fs_engine_join_sync (t->engine, leaver, -1, &error));
  g_assert_no_error (error);
  line = find_line (t, leaver, "this line has no newline, leaving with exit");
  assert_written_by (line, leaver);
  g_assert_false (g_variant_lookup (line->fields, "truncated", "b", NULL));
  exited = fs_test_find_event (t, leaver, FS_EVENT_EXITED);
  g_assert_nonnull (exited);
  g_assert_cmpint (event_index (t, line), <, event_index (t, exited));

  /* The child writes half a line, lives on a little (so a scan sees it),
   * exits; the worker, still holding its stdout, says "done" later. */
  script = write_script (dir, "tail.sh",
                         "sh -c 'printf \"%s:tail\" $$; sleep 0.3'\n"
                         "sleep 0.5\n"
                         "echo done\n"
                         "sleep 0.2\n");
  argv = g_strdup_printf ("argv=sh %s", script);
  parent = fs_test_spawn (t, "parent", "command.run", FALSE, argv, NULL);
  g_assert_true (fs_engine_join_sync (t->engine, parent, -1, &error));
  g_assert_no_error (error);

  for (guint i = 0; i < t->events->len; i++)
    {
      FsEvent *event = g_ptr_array_index (t->events, i);
      const char *text = fs_event_lookup_string (event, "text");

      if (event->kind != FS_EVENT_OUTPUT || fs_process_get_worker (event->process) != parent)
        continue;
      if (g_strcmp0 (text, "done") == 0)
        done = event;
      else
        {
          tail = event;
          n_tails++;
        }
    }
  g_assert_nonnull (tail);
  g_assert_cmpuint (n_tails, ==, 1);
  g_assert_nonnull (done);
  g_assert_true (g_regex_match (regex, fs_event_lookup_string (tail, "text"), 0, &match));
  g_assert_cmpint (event_index (t, tail), <, event_index (t, done));
  pid = g_match_info_fetch (match, 1);
  g_assert_cmpint (tail->pid, ==, atoi (pid));
  g_assert_true (fs_process_get_birth_parent (tail->process) == parent);
  assert_written_by (done, parent);

  g_unlink (script);
  g_rmdir (dir);
}

/* ---- a writer from outside the family ---------------------------------- */

/* This process takes the worker's stdout (pidfd_getfd) and writes to it: a
 * stranger. The line is shown as the worker's, with the stranger's pid in
 * "writer", in the JSON too. */
static void
test_stranger (FsTestEngine  *t,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  FsProcess *worker = fs_test_spawn (t, "sleeper", "basics.sleep", FALSE, "seconds=30", NULL);
  int pidfd = fs_test_pidfd_open (fs_process_get_pid (worker));
  int fd = pidfd_getfd (pidfd, STDOUT_FILENO, 0);
  g_autofree char *json = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *text = NULL;
  FsEvent *event;

  close (pidfd);
  if (fd < 0)
    {
      g_test_message ("pidfd_getfd: %s", g_strerror (errno));
      g_test_skip ("Cannot take the worker's stdout (pidfd_getfd)");
      return;
    }
  g_assert_cmpint (write (fd, "from a stranger\n", 16), ==, 16);
  close (fd);

  wait_for_output (t, 1);
  event = find_line (t, worker, "from a stranger");
  g_assert_true (event->process == worker);
  g_assert_cmpint (event->pid, ==, fs_process_get_pid (worker));
  g_assert_cmpint (writer_of (event), ==, getpid ());
  g_assert_cmpint (fs_event_get_writer (event), ==, getpid ());

  json = fs_event_to_json (event, 0);
  expected = g_strdup_printf ("\"pid\":%d,", fs_process_get_pid (worker));
  g_assert_nonnull (strstr (json, expected));
  g_clear_pointer (&expected, g_free);
  expected = g_strdup_printf ("\"writer\":%d", getpid ());
  g_assert_nonnull (strstr (json, expected));
  /* The CLI's text says who wrote it. */
  text = fs_event_to_text (event, 0);
  g_clear_pointer (&expected, g_free);
  expected = g_strdup_printf ("sleeper[%d]", getpid ());
  g_assert_nonnull (strstr (text, expected));

  /* Not taken into the family. */
  g_assert_null (fs_engine_lookup_pid (t->engine, getpid ()));

  g_assert_true (fs_engine_signal_sync (t->engine, worker, SIGKILL, FALSE, &error));
  g_assert_no_error (error);
}

/* ---- what workers see -------------------------------------------------- */

static GString *
output_of (FsTestEngine *t,
           FsProcess    *worker)
{
  GString *all = g_string_new (NULL);

  for (guint i = 0; i < t->events->len; i++)
    {
      FsEvent *event = g_ptr_array_index (t->events, i);

      if (event->kind == FS_EVENT_OUTPUT && fs_process_get_worker (event->process) == worker)
        g_string_append_printf (all, "%s\n", fs_event_lookup_string (event, "text"));
    }
  return all;
}

/* Sockets instead of pipes change nothing a worker can tell but the kind
 * of its fds 1 and 2: stdin is still /dev/null, stdout is no terminal,
 * programs run by command.run print as before, and reading stdout gives
 * end of file (no hang). */
static void
test_workers_unchanged (FsTestEngine  *t,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  FsProcess *fds = fs_test_spawn (t, "fds", "basics.fds", FALSE, NULL);
  FsProcess *in = fs_test_spawn (t, "in", "basics.stdin", FALSE, NULL);
  FsProcess *echo = fs_test_spawn (t, "echo", "command.run", FALSE, "argv=/bin/echo hello", NULL);
  FsProcess *tty = fs_test_spawn (t, "tty", "command.run", FALSE,
                                  "argv=sh -c 'test -t 1 && echo a-tty || echo not-a-tty'", NULL);
  FsProcess *back = fs_test_spawn (t, "back", "command.run", FALSE,
                                   "argv=sh -c 'cat <&1; echo read-rc=$?'", NULL);
  FsProcess *all[] = { fds, in, echo, tty, back };
  g_autoptr(GString) text = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (all); i++)
    {
      g_assert_true (fs_engine_join_sync (t->engine, all[i], TIMEOUT, &error));
      g_assert_no_error (error);
      g_assert_cmpint (fs_process_get_exit_code (all[i]), ==, 0);
    }

  text = output_of (t, fds);
  g_test_message ("%s", text->str);
  g_assert_nonnull (strstr (text->str, "0 -> /dev/null\n"));
  g_assert_nonnull (strstr (text->str, "1 -> socket:["));
  g_assert_nonnull (strstr (text->str, "2 -> socket:["));
  g_assert_nonnull (strstr (text->str, "3 open file descriptors\n"));
  g_string_free (g_steal_pointer (&text), TRUE);

  text = output_of (t, in);
  g_assert_cmpstr (text->str, ==,
                   "stdin is /dev/null (not a terminal)\n"
                   "read 0 bytes, then end of file\n");
  g_string_free (g_steal_pointer (&text), TRUE);

  text = output_of (t, echo);
  g_assert_cmpstr (text->str, ==, "hello\n");
  /* An exec keeps the pid: still the worker's line. */
  assert_written_by (find_line (t, echo, "hello"), echo);
  g_string_free (g_steal_pointer (&text), TRUE);

  text = output_of (t, tty);
  g_assert_cmpstr (text->str, ==, "not-a-tty\n");
  g_string_free (g_steal_pointer (&text), TRUE);

  text = output_of (t, back);
  g_assert_cmpstr (text->str, ==, "read-rc=0\n");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/forkscope/output/" path, FsTestEngine, NULL, \
              fs_test_engine_setup, func, fs_test_engine_teardown)

  ADD ("fork-test", test_fork_test);
  ADD ("pool", test_pool);
  ADD ("lines-in-pieces", test_lines_in_pieces);
  ADD ("partial-line-at-exit", test_partial_line_at_exit);
  ADD ("stranger", test_stranger);
  ADD ("workers-unchanged", test_workers_unchanged);

#undef ADD

  return g_test_run ();
}
