/* test-builtins.c: every built-in function, run through the real worker
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gio/gio.h>

#include "fs-paths.h"
#include "fs-test-worker.h"

/* ------------------------------------------------------------------ */
/* Helpers                                                             */

/* Splits output into lines (without the trailing empty one). */
static GStrv
lines_of (const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  guint n = g_strv_length (lines);

  if (n > 0 && lines[n - 1][0] == '\0')
    {
      g_free (lines[n - 1]);
      lines[n - 1] = NULL;
    }
  return g_steal_pointer (&lines);
}

typedef struct
{
  pid_t  pid;
  char  *text;
} CredLine;

static void
cred_line_free (gpointer data)
{
  CredLine *line = data;
  g_free (line->text);
  g_free (line);
}

/* Runs the worker with stdout on a Unix socket that passes credentials, so
 * each line comes with the PID of the process that wrote it: proof of which
 * side of a fork() printed what. Returns the lines; *worker_pid is set. */
static GPtrArray *
run_with_writer_pids (const char * const *argv,
                      pid_t              *worker_pid,
                      int                *wait_status)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (cred_line_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) pending = g_string_new (NULL);
  pid_t pending_pid = 0;
  struct timeval timeout = { 30, 0 };
  int one = 1;
  int sv[2];

  g_assert_cmpint (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), ==, 0);
  g_assert_cmpint (setsockopt (sv[0], SOL_SOCKET, SO_PASSCRED, &one, sizeof one), ==, 0);
  /* Bounds every read below: a hung worker fails the test. */
  g_assert_cmpint (setsockopt (sv[0], SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout), ==, 0);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_take_stdout_fd (launcher, sv[1]);
  process = fs_test_spawn_worker (launcher, argv, worker_pid);
  /* Drops our copy of the writing end, so EOF comes when the family exits. */
  g_clear_object (&launcher);

  for (;;)
    {
      char buf[4096];
      union {
        char buf[CMSG_SPACE (sizeof (struct ucred))];
        struct cmsghdr align;
      } control;
      struct iovec iov = { buf, sizeof buf };
      struct msghdr msg = { 0 };
      struct cmsghdr *cmsg;
      pid_t writer = 0;
      ssize_t n;

      msg.msg_iov = &iov;
      msg.msg_iovlen = 1;
      msg.msg_control = control.buf;
      msg.msg_controllen = sizeof control.buf;

      n = recvmsg (sv[0], &msg, 0);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        g_error ("reading the worker's output: %s", g_strerror (errno));
      if (n == 0)
        break;

      for (cmsg = CMSG_FIRSTHDR (&msg); cmsg != NULL; cmsg = CMSG_NXTHDR (&msg, cmsg))
        if (cmsg->cmsg_level == SOL_SOCKET && cmsg->cmsg_type == SCM_CREDENTIALS)
          {
            struct ucred cred;
            memcpy (&cred, CMSG_DATA (cmsg), sizeof cred);
            writer = cred.pid;
          }
      g_assert_cmpint (writer, >, 0);

      /* The kernel never merges data from two writers into one read, and
       * line-buffered stdout writes whole lines. */
      if (pending->len > 0)
        g_assert_cmpint (pending_pid, ==, writer);
      pending_pid = writer;
      g_string_append_len (pending, buf, n);

      while (strchr (pending->str, '\n') != NULL)
        {
          char *nl = strchr (pending->str, '\n');
          CredLine *line = g_new0 (CredLine, 1);

          line->pid = writer;
          line->text = g_strndup (pending->str, nl - pending->str);
          g_ptr_array_add (lines, line);
          g_string_erase (pending, 0, nl - pending->str + 1);
        }
    }
  g_assert_cmpuint (pending->len, ==, 0);
  close (sv[0]);

  g_subprocess_wait (process, NULL, &error);
  g_assert_no_error (error);
  *wait_status = g_subprocess_get_status (process);

  return g_steal_pointer (&lines);
}

static const CredLine *
find_line (GPtrArray  *lines,
           const char *text,
           guint       nth)
{
  for (guint i = 0; i < lines->len; i++)
    {
      const CredLine *line = g_ptr_array_index (lines, i);
      if (g_str_equal (line->text, text) && nth-- == 0)
        return line;
    }
  g_error ("no line \"%s\" in the worker's output", text);
}

/* ------------------------------------------------------------------ */
/* tutorial                                                            */

static void
test_sleep_print (void)
{
  g_autoptr(FsWorkerResult) r = NULL;
  g_auto(GStrv) lines = NULL;
  g_autofree char *expected = NULL;

  r = fs_test_worker_run ("tutorial", "sleep_print", "seconds=0", "message=EAT", NULL);
  fs_test_assert_exit_code (r, 0);
  lines = lines_of (r->out);
  g_assert_cmpuint (g_strv_length (lines), ==, 2);
  g_assert_cmpstr (lines[0], ==, "EAT");
  /* print(os.getppid(), "---", os.getpid()): we are the parent. */
  expected = g_strdup_printf ("%d --- ", (int) getpid ());
  g_assert_true (g_str_has_prefix (lines[1], expected));
  g_assert_cmpint (atoi (lines[1] + strlen (expected)), >, 0);
  g_assert_cmpint (atoi (lines[1] + strlen (expected)), !=, getpid ());
}

static void
test_sleep_print_defaults (void)
{
  g_autoptr(FsWorkerResult) r = NULL;

  /* The default message; seconds=0 keeps the test fast. */
  r = fs_test_worker_run ("tutorial", "tutorial.sleep_print", "seconds=0", NULL);
  fs_test_assert_exit_code (r, 0);
  g_assert_true (g_str_has_prefix (r->out, "hello\n"));
  g_assert_cmpstr (r->err, ==, "");
}

static void
test_fork_test (void)
{
  const char *argv[] = {
    "--run", NULL, "fork_test", "child_sleep=0", "parent_sleep=0", NULL
  };
  g_autofree char *plugin = fs_test_plugin_path ("tutorial");
  g_autoptr(GPtrArray) lines = NULL;
  const CredLine *child, *parent, *over1, *over2;
  pid_t worker = 0;
  int status = 0;

  argv[1] = plugin;
  lines = run_with_writer_pids (argv, &worker, &status);

  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
  g_assert_cmpuint (lines->len, ==, 4);

  child = find_line (lines, "the new process", 0);
  parent = find_line (lines, "The old process", 0);
  over1 = find_line (lines, "Fork test over", 0);
  over2 = find_line (lines, "Fork test over", 1);

  /* The parent is the worker itself; the child another process; each
   * prints "Fork test over" once. */
  g_assert_cmpint (parent->pid, ==, worker);
  g_assert_cmpint (child->pid, !=, worker);
  g_assert_cmpint (over1->pid, !=, over2->pid);
  g_assert_true ((over1->pid == child->pid && over2->pid == parent->pid) ||
                 (over2->pid == child->pid && over1->pid == parent->pid));
}

static void
test_fork_memory (void)
{
  g_autoptr(FsWorkerResult) r = NULL;
  g_auto(GStrv) lines = NULL;
  int parent_pid = 0, child_pid = 0, after_pid = 0;
  long child_value = 0, parent_value = 0;

  r = fs_test_worker_run ("tutorial", "fork_memory", "value=41", NULL);
  fs_test_assert_exit_code (r, 0);
  lines = lines_of (r->out);
  g_assert_cmpuint (g_strv_length (lines), ==, 3);

  g_assert_cmpint (sscanf (lines[0], "parent %d: value = 41, forking", &parent_pid), ==, 1);
  g_assert_cmpint (sscanf (lines[1], "child %d: changed my copy, value = %ld",
                           &child_pid, &child_value), ==, 2);
  g_assert_cmpint (sscanf (lines[2], "parent %d: the child has exited, my value = %ld",
                           &after_pid, &parent_value), ==, 2);
  g_assert_cmpint (child_pid, !=, parent_pid);
  g_assert_cmpint (after_pid, ==, parent_pid);
  g_assert_cmpint (child_value, ==, 42);
  g_assert_cmpint (parent_value, ==, 41);
}

static void
test_exit_kinds (void)
{
  struct {
    const char *how;
    gboolean    kept;
  } cases[] = {
    { "exit", TRUE },
    { "return", TRUE },
    { "_exit", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *how = g_strconcat ("how=", cases[i].how, NULL);
      g_autoptr(FsWorkerResult) r = fs_test_worker_run ("tutorial", "exit_kinds",
                                                        how, "code=3", NULL);

      fs_test_assert_exit_code (r, 3);
      if (cases[i].kept)
        {
          g_autofree char *expected = g_strconcat ("this line has no newline, leaving with ",
                                                   cases[i].how, NULL);
          g_assert_cmpstr (r->out, ==, expected);
        }
      else
        g_assert_cmpstr (r->out, ==, "");
    }
}

static void
test_exit_kinds_abort (void)
{
  g_autoptr(FsWorkerResult) r = fs_test_worker_run ("tutorial", "exit_kinds", "how=abort", NULL);

  g_assert_true (WIFSIGNALED (r->wait_status));
  g_assert_cmpint (WTERMSIG (r->wait_status), ==, SIGABRT);
  g_assert_cmpstr (r->out, ==, "");
}

/* ------------------------------------------------------------------ */
/* basics                                                              */

static void
test_basics_sleep (void)
{
  g_autoptr(FsWorkerResult) r = NULL;
  gint64 start;

  r = fs_test_worker_run ("basics", "sleep", "seconds=0", NULL);
  fs_test_assert_exit_code (r, 0);
  g_clear_pointer (&r, fs_worker_result_free);

  /* basics.* sleep one second unless told otherwise. */
  start = g_get_monotonic_time ();
  r = fs_test_worker_run ("basics", "sleep", NULL);
  fs_test_assert_exit_code (r, 0);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, G_USEC_PER_SEC);
}

static void
test_basics_exit (void)
{
  g_autoptr(FsWorkerResult) r = fs_test_worker_run ("basics", "exit", "code=7", NULL);

  fs_test_assert_exit_code (r, 7);
  g_clear_pointer (&r, fs_worker_result_free);
  r = fs_test_worker_run ("basics", "exit", NULL);
  fs_test_assert_exit_code (r, 0);
}

static void
test_basics_crash (void)
{
  struct {
    const char *name;
    int         sig;
  } cases[] = {
    { "SEGV", SIGSEGV }, { "ABRT", SIGABRT }, { "FPE", SIGFPE }, { "BUS", SIGBUS },
    { "ILL", SIGILL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *arg = g_strconcat ("signal=", cases[i].name, NULL);
      g_autoptr(FsWorkerResult) r = fs_test_worker_run ("basics", "crash", arg, NULL);

      g_assert_true (WIFSIGNALED (r->wait_status));
      g_assert_cmpint (WTERMSIG (r->wait_status), ==, cases[i].sig);
    }
}

static double
children_cpu_seconds (void)
{
  struct rusage usage;

  g_assert_cmpint (getrusage (RUSAGE_CHILDREN, &usage), ==, 0);
  return usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 +
         usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6;
}

static void
test_basics_burn (void)
{
  g_autoptr(FsWorkerResult) r = NULL;
  double before = children_cpu_seconds ();

  r = fs_test_worker_run ("basics", "burn", "seconds=0.5", "threads=2", NULL);
  fs_test_assert_exit_code (r, 0);
  g_assert_true (g_str_has_prefix (r->out, "burning 2 CPU thread(s)"));
  /* Spinning for half a second costs CPU even on a busy machine. */
  g_assert_cmpfloat (children_cpu_seconds () - before, >=, 0.1);
}

static void
test_basics_alloc (void)
{
  g_autoptr(FsWorkerResult) r = NULL;
  struct rusage usage;

  /* As a user's worker runs: meson test's MALLOC_PERTURB_ makes malloc()
   * fill what it returns, which would touch the pages for the plugin. */
  g_unsetenv ("MALLOC_PERTURB_");
  r = fs_test_worker_run ("basics", "alloc", "megabytes=48", "seconds=0", NULL);
  fs_test_assert_exit_code (r, 0);
  g_assert_cmpstr (r->out, ==, "allocated and touched 48 MiB\n");
  /* Touched pages count in the resident set (ru_maxrss is in KiB). */
  g_assert_cmpint (getrusage (RUSAGE_CHILDREN, &usage), ==, 0);
  g_assert_cmpint (usage.ru_maxrss, >=, 48 * 1024);
}

typedef struct
{
  GMainLoop *loop;
  gboolean   timed_out;
  char      *line;
  int        status;
  gboolean   exited;
} AsyncRun;

static void
read_line_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  AsyncRun *run = user_data;
  g_autoptr(GError) error = NULL;

  run->line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (object),
                                                         result, NULL, &error);
  g_assert_no_error (error);
  g_main_loop_quit (run->loop);
}

static void
wait_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  AsyncRun *run = user_data;
  g_autoptr(GError) error = NULL;

  g_subprocess_wait_finish (G_SUBPROCESS (object), result, &error);
  g_assert_no_error (error);
  run->status = g_subprocess_get_status (G_SUBPROCESS (object));
  run->exited = TRUE;
  g_main_loop_quit (run->loop);
}

static gboolean
async_timeout_cb (gpointer user_data)
{
  AsyncRun *run = user_data;

  run->timed_out = TRUE;
  g_main_loop_quit (run->loop);
  return G_SOURCE_REMOVE;
}

/* Spawns a worker and returns once it printed its first line. */
static GSubprocess *
spawn_until_first_line (const char * const  *argv,
                        AsyncRun            *run,
                        GDataInputStream   **out_stream)
{
  g_autoptr(GPtrArray) full = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  GSubprocess *process;
  guint timeout;

  g_ptr_array_add (full, fs_paths_get_worker ());
  for (guint i = 0; argv[i] != NULL; i++)
    g_ptr_array_add (full, g_strdup (argv[i]));
  g_ptr_array_add (full, NULL);

  process = g_subprocess_newv ((const char * const *) full->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  g_assert_no_error (error);

  *out_stream = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  g_data_input_stream_read_line_async (*out_stream, G_PRIORITY_DEFAULT, NULL, read_line_cb, run);
  timeout = g_timeout_add_seconds (30, async_timeout_cb, run);
  g_main_loop_run (run->loop);
  g_source_remove (timeout);
  g_assert_false (run->timed_out);
  g_assert_nonnull (run->line);

  return process;
}

static void
wait_for_exit (GSubprocess *process,
               AsyncRun    *run)
{
  guint timeout;

  g_subprocess_wait_async (process, NULL, wait_cb, run);
  timeout = g_timeout_add_seconds (30, async_timeout_cb, run);
  while (!run->exited && !run->timed_out)
    g_main_loop_run (run->loop);
  g_source_remove (timeout);
  g_assert_false (run->timed_out);
}

static void
test_basics_ignore_term (void)
{
  g_autofree char *plugin = fs_test_plugin_path ("basics");
  const char *argv[] = { "--run", plugin, "ignore_term", "seconds=0.5", NULL };
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GSubprocess) process = NULL;
  AsyncRun run = { loop, FALSE, NULL, 0, FALSE };

  /* The line comes after SIGTERM is ignored. */
  process = spawn_until_first_line (argv, &run, &out);
  g_assert_cmpstr (run.line, ==, "ignoring SIGTERM for 0.5 s");
  g_subprocess_send_signal (process, SIGTERM);

  /* It survives and finishes its sleep. */
  wait_for_exit (process, &run);
  g_assert_true (WIFEXITED (run.status));
  g_assert_cmpint (WEXITSTATUS (run.status), ==, 0);
  g_free (run.line);
}

static void
test_basics_print (void)
{
  g_autoptr(FsWorkerResult) r = NULL;

  r = fs_test_worker_run ("basics", "print", "lines=3", "interval=0", NULL);
  fs_test_assert_exit_code (r, 0);
  g_assert_cmpstr (r->out, ==, "line 1 of 3\nline 2 of 3\nline 3 of 3\n");
  g_assert_cmpstr (r->err, ==, "");
  g_clear_pointer (&r, fs_worker_result_free);

  r = fs_test_worker_run ("basics", "print", "lines=2", "interval=0", "stream=stderr", NULL);
  fs_test_assert_exit_code (r, 0);
  g_assert_cmpstr (r->out, ==, "");
  g_assert_cmpstr (r->err, ==, "line 1 of 2\nline 2 of 2\n");
}

static void
test_basics_stdin (void)
{
  g_autoptr(FsWorkerResult) r = fs_test_worker_run ("basics", "stdin", NULL);

  fs_test_assert_exit_code (r, 0);
  g_assert_cmpstr (r->out, ==,
                   "stdin is /dev/null (not a terminal)\n"
                   "read 0 bytes, then end of file\n");
}

static void
test_basics_fds (void)
{
  g_autoptr(FsWorkerResult) r = fs_test_worker_run ("basics", "fds", NULL);
  g_auto(GStrv) lines = NULL;

  fs_test_assert_exit_code (r, 0);
  lines = lines_of (r->out);
  /* Started with only 0-2 open: the worker itself opened nothing that
   * stays open (dlopen, gettext). */
  g_assert_cmpuint (g_strv_length (lines), ==, 4);
  g_assert_true (g_str_has_prefix (lines[0], "0 -> /dev/null"));
  g_assert_true (g_str_has_prefix (lines[1], "1 -> pipe:"));
  g_assert_true (g_str_has_prefix (lines[2], "2 -> pipe:"));
  g_assert_cmpstr (lines[3], ==, "3 open file descriptors");
}

/* ------------------------------------------------------------------ */
/* lifecycle                                                           */

static char
proc_state (int pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", pid);
  g_autofree char *stat = NULL;
  char state = '?';

  if (!g_file_get_contents (path, &stat, NULL, NULL))
    return '-';
  g_assert_cmpint (sscanf (strrchr (stat, ')'), ") %c", &state), ==, 1);
  return state;
}

/* Waits (bounded) until @pid, not our child, has exited: its pidfd
 * becomes readable then, whether or not it was reaped. */
static void
wait_exited (int pid)
{
  struct pollfd pfd;
  int fd = (int) syscall (SYS_pidfd_open, pid, 0);

  g_assert_cmpint (fd, >=, 0);
  pfd.fd = fd;
  pfd.events = POLLIN;
  g_assert_cmpint (poll (&pfd, 1, 30000), ==, 1);
  close (fd);
}

static void
test_lifecycle_zombie (void)
{
  g_autofree char *plugin = fs_test_plugin_path ("lifecycle");
  const char *argv[] = { "--run", plugin, "zombie", "seconds=60", NULL };
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(FsWorkerResult) r = NULL;
  AsyncRun run = { loop, FALSE, NULL, 0, FALSE };
  int child = 0, parent = 0;

  /* While the parent sleeps without waiting, the exited child is a zombie. */
  process = spawn_until_first_line (argv, &run, &out);
  g_assert_cmpint (sscanf (run.line, "child %d exited at once: a zombie until PID %d reaps it",
                           &child, &parent), ==, 2);
  g_assert_cmpint (parent, ==, atoi (g_subprocess_get_identifier (process)));
  wait_exited (child);
  g_assert_cmpint (proc_state (child), ==, 'Z');

  g_subprocess_force_exit (process);
  wait_for_exit (process, &run);
  g_free (run.line);

  /* With reap=true the worker reaps it itself. */
  r = fs_test_worker_run ("lifecycle", "zombie", "seconds=0", "reap=yes", NULL);
  fs_test_assert_exit_code (r, 0);
  g_assert_cmpint (sscanf (r->out, "child %d exited", &child), ==, 1);
  g_assert_nonnull (strstr (r->out, "reaped child"));
}

static void
test_lifecycle_orphan (void)
{
  g_autoptr(FsWorkerResult) r = NULL;
  g_auto(GStrv) lines = NULL;
  int child = 0, parent = 0, was = 0, now = 0;
  int status = 0;

  /* As a subreaper, we adopt the orphan (the supervisor's role). */
  g_assert_cmpint (prctl (PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0), ==, 0);

  /* The output pipe closes when the orphan exits too. */
  r = fs_test_worker_run ("lifecycle", "orphan", "seconds=0.2", NULL);
  fs_test_assert_exit_code (r, 0);
  lines = lines_of (r->out);
  g_assert_cmpuint (g_strv_length (lines), ==, 2);
  /* Which line comes first is up to the scheduler. */
  for (guint i = 0; i < 2; i++)
    if (g_str_has_prefix (lines[i], "parent "))
      g_assert_cmpint (sscanf (lines[i], "parent %d exits, leaving child %d an orphan",
                               &parent, &child), ==, 2);
    else
      g_assert_cmpint (sscanf (lines[i], "child %*d: my parent was %d, now it is %d",
                               &was, &now), ==, 2);
  g_assert_cmpint (parent, ==, r->pid);
  g_assert_cmpint (was, ==, parent);
  g_assert_cmpint (now, ==, getpid ());

  g_assert_cmpint (waitpid (child, &status, 0), ==, child);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (prctl (PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0), ==, 0);
}

static void
test_lifecycle_tree (void)
{
  g_autoptr(FsWorkerResult) r = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GHashTable) level_of = g_hash_table_new (NULL, NULL);
  guint per_level[3] = { 0, 0, 0 };

  r = fs_test_worker_run ("lifecycle", "tree", "depth=2", "fanout=2", "seconds=0", NULL);
  fs_test_assert_exit_code (r, 0);
  lines = lines_of (r->out);
  g_assert_cmpuint (g_strv_length (lines), ==, 7);

  /* A parent prints before it forks, so it is always known first. */
  for (guint i = 0; lines[i] != NULL; i++)
    {
      int level = -1, pid = 0, ppid = 0;

      g_assert_cmpint (sscanf (lines[i], "level %d: process %d, parent %d", &level, &pid, &ppid),
                       ==, 3);
      g_assert_cmpint (level, >=, 0);
      g_assert_cmpint (level, <=, 2);
      per_level[level]++;
      if (level == 0)
        g_assert_cmpint (pid, ==, r->pid);
      else
        g_assert_cmpint (GPOINTER_TO_INT (g_hash_table_lookup (level_of, GINT_TO_POINTER (ppid))),
                         ==, level);  /* stored as level + 1 */
      g_assert_false (g_hash_table_contains (level_of, GINT_TO_POINTER (pid)));
      g_hash_table_insert (level_of, GINT_TO_POINTER (pid), GINT_TO_POINTER (level + 1));
    }
  g_assert_cmpuint (per_level[0], ==, 1);
  g_assert_cmpuint (per_level[1], ==, 2);
  g_assert_cmpuint (per_level[2], ==, 4);
}

static void
test_lifecycle_tree_bounded (void)
{
  g_autoptr(FsWorkerResult) r = NULL;

  /* 1 + 8 + 64 processes: refused by setup before anything forks. */
  r = fs_test_worker_run ("lifecycle", "tree", "depth=2", "fanout=8", NULL);
  fs_test_assert_exit_code (r, 2);
  g_assert_cmpstr (r->err, ==,
                   "forkscope-worker: lifecycle.tree: depth 2 and fanout 8 make more than 64 processes\n");
  g_assert_cmpstr (r->out, ==, "");
  g_clear_pointer (&r, fs_worker_result_free);

  /* A chain of 7 is fine. */
  r = fs_test_worker_run ("lifecycle", "tree", "depth=6", "fanout=1", "seconds=0", NULL);
  fs_test_assert_exit_code (r, 0);
  g_assert_cmpuint (fs_test_count (r->out, "\n"), ==, 7);
}

static void
test_lifecycle_pool (void)
{
  g_autoptr(FsWorkerResult) r = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GHashTable) taken = g_hash_table_new (NULL, NULL);   /* pid -> items it printed */
  g_autoptr(GHashTable) reported = g_hash_table_new (NULL, NULL); /* pid -> count it reported */
  gboolean seen[21] = { FALSE, };
  GHashTableIter iter;
  gpointer key, value;
  guint n_lines;
  int pool = 0, processed = 0, items = 0, workers = 0;

  r = fs_test_worker_run ("lifecycle", "pool", "workers=4", "items=20", "item_seconds=0", NULL);
  fs_test_assert_exit_code (r, 0);
  g_assert_cmpstr (r->err, ==, "");
  lines = lines_of (r->out);
  n_lines = g_strv_length (lines);
  /* A start line, one line per item, one per worker, a summary. */
  g_assert_cmpuint (n_lines, ==, 1 + 20 + 4 + 1);

  g_assert_cmpint (sscanf (lines[0], "pool %d: starting %d workers for %d items", &pool, &workers, &items), ==, 3);
  g_assert_cmpint (pool, ==, r->pid);
  g_assert_cmpint (workers, ==, 4);
  g_assert_cmpint (items, ==, 20);

  for (guint i = 1; i + 1 < n_lines; i++)
    {
      int pid = 0, item = 0, count = 0;

      if (sscanf (lines[i], "worker %d processed item %d", &pid, &item) == 2)
        {
          /* Every item is taken once, by a process of its own. */
          g_assert_cmpint (item, >=, 1);
          g_assert_cmpint (item, <=, 20);
          g_assert_false (seen[item]);
          seen[item] = TRUE;
          g_assert_cmpint (pid, !=, pool);
          g_assert_false (g_hash_table_contains (reported, GINT_TO_POINTER (pid)));
          g_hash_table_insert (taken, GINT_TO_POINTER (pid),
                               GINT_TO_POINTER (GPOINTER_TO_INT (g_hash_table_lookup (taken, GINT_TO_POINTER (pid))) + 1));
        }
      else
        {
          g_assert_cmpint (sscanf (lines[i], "worker %d: no more items, exiting after %d", &pid, &count), ==, 2);
          g_assert_false (g_hash_table_contains (reported, GINT_TO_POINTER (pid)));
          g_hash_table_insert (reported, GINT_TO_POINTER (pid), GINT_TO_POINTER (count));
        }
    }
  for (guint i = 1; i <= 20; i++)
    g_assert_true (seen[i]);

  /* Four distinct workers, each reporting what it printed. */
  g_assert_cmpuint (g_hash_table_size (reported), ==, 4);
  g_hash_table_iter_init (&iter, reported);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      g_assert_cmpint (GPOINTER_TO_INT (g_hash_table_lookup (taken, key)), ==, GPOINTER_TO_INT (value));
      processed += GPOINTER_TO_INT (value);
    }
  g_assert_cmpint (processed, ==, 20);

  g_assert_cmpint (sscanf (lines[n_lines - 1], "pool %d: %d of %d items processed by %d workers, all reaped",
                           &pool, &processed, &items, &workers), ==, 4);
  g_assert_cmpint (pool, ==, r->pid);
  g_assert_cmpint (processed, ==, 20);
  g_assert_cmpint (items, ==, 20);
  g_assert_cmpint (workers, ==, 4);

  /* The pool reaped its workers: none is left, not even as a zombie. */
  g_hash_table_iter_init (&iter, reported);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_assert_cmpint (proc_state (GPOINTER_TO_INT (key)), ==, '-');
}

static void
test_lifecycle_pool_bounds (void)
{
  g_autoptr(FsWorkerResult) r = NULL;

  /* No items: every worker leaves at once. */
  r = fs_test_worker_run ("lifecycle", "pool", "workers=3", "items=0", NULL);
  fs_test_assert_exit_code (r, 0);
  g_assert_cmpuint (fs_test_count (r->out, "exiting after 0\n"), ==, 3);
  g_assert_nonnull (strstr (r->out, ": 0 of 0 items processed by 3 workers"));
  g_clear_pointer (&r, fs_worker_result_free);

  /* More than 64 workers is refused before anything forks. */
  r = fs_test_worker_run ("lifecycle", "pool", "workers=65", NULL);
  fs_test_assert_exit_code (r, 2);
  g_assert_cmpstr (r->out, ==, "");
  g_assert_nonnull (strstr (r->err, "workers"));
}

/* ------------------------------------------------------------------ */
/* command                                                             */

static void
test_command_run (void)
{
  g_autoptr(FsWorkerResult) r = NULL;
  g_autofree char *expected = NULL;

  /* exec: the program is the worker (same PID); output and status pass. */
  r = fs_test_worker_run ("command", "run",
                          "argv=sh -c 'echo $$ out; echo err >&2; exit 4'", NULL);
  fs_test_assert_exit_code (r, 4);
  expected = g_strdup_printf ("%d out\n", r->pid);
  g_assert_cmpstr (r->out, ==, expected);
  g_assert_cmpstr (r->err, ==, "err\n");
  g_clear_pointer (&r, fs_worker_result_free);

  /* Split like a shell, run without one: quotes group, $HOME stays. */
  r = fs_test_worker_run ("command", "run", "argv=printf '%s|' \"a b\" c '$HOME'", NULL);
  fs_test_assert_exit_code (r, 0);
  g_assert_cmpstr (r->out, ==, "a b|c|$HOME|");
  g_clear_pointer (&r, fs_worker_result_free);

  r = fs_test_worker_run ("command", "run", NULL);
  fs_test_assert_exit_code (r, 0);
  g_assert_cmpstr (r->out, ==, "hello\n");
}

static void
test_command_errors (void)
{
  g_autoptr(FsWorkerResult) r = NULL;

  r = fs_test_worker_run ("command", "run", "argv=/nonexistent/program", NULL);
  fs_test_assert_exit_code (r, 127);
  g_assert_cmpstr (r->err, ==, "cannot run /nonexistent/program: No such file or directory\n");
  g_clear_pointer (&r, fs_worker_result_free);

  r = fs_test_worker_run ("command", "run", "argv=/dev/null", NULL);
  fs_test_assert_exit_code (r, 126);
  g_clear_pointer (&r, fs_worker_result_free);

  /* Refused by setup, before anything runs. */
  r = fs_test_worker_run ("command", "run", "argv=echo 'unterminated", NULL);
  fs_test_assert_exit_code (r, 2);
  g_assert_true (g_str_has_prefix (r->err, "forkscope-worker: command.run: "));
  g_clear_pointer (&r, fs_worker_result_free);

  r = fs_test_worker_run ("command", "run", "argv=", NULL);
  fs_test_assert_exit_code (r, 2);
}

/* ------------------------------------------------------------------ */
/* The host itself                                                     */

static void
test_worker_name_and_group (void)
{
  g_autofree char *plugin = fs_test_plugin_path ("basics");
  const char *argv[] = {
    "--run", plugin, "print", "--name", "th1-with-a-long-name", "--",
    "lines=2", "interval=60", NULL
  };
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autofree char *comm_path = NULL;
  g_autofree char *comm = NULL;
  g_autofree char *stat_path = NULL;
  g_autofree char *stat = NULL;
  g_autofree char *status_path = NULL;
  g_autofree char *status = NULL;
  AsyncRun run = { loop, FALSE, NULL, 0, FALSE };
  const char *pid;
  int pgrp = 0;

  process = spawn_until_first_line (argv, &run, &out);
  g_assert_cmpstr (run.line, ==, "line 1 of 2");
  pid = g_subprocess_get_identifier (process);

  /* The comm is what ps and top show: the name, cut to 15 bytes. */
  comm_path = g_strdup_printf ("/proc/%s/comm", pid);
  g_assert_true (g_file_get_contents (comm_path, &comm, NULL, NULL));
  g_assert_cmpstr (comm, ==, "th1-with-a-long\n");

  /* It leads its own process group. */
  stat_path = g_strdup_printf ("/proc/%s/stat", pid);
  g_assert_true (g_file_get_contents (stat_path, &stat, NULL, NULL));
  g_assert_cmpint (sscanf (strrchr (stat, ')'), ") %*c %*d %d", &pgrp), ==, 1);
  g_assert_cmpint (pgrp, ==, atoi (pid));

  /* No thread besides the main one: plugin code may fork() safely. */
  status_path = g_strdup_printf ("/proc/%s/status", pid);
  g_assert_true (g_file_get_contents (status_path, &status, NULL, NULL));
  g_assert_nonnull (strstr (status, "\nThreads:\t1\n"));

  g_subprocess_force_exit (process);
  wait_for_exit (process, &run);
  g_assert_true (WIFSIGNALED (run.status));
  g_free (run.line);
}

static void
test_worker_daemon_wrong_parent (void)
{
  g_autoptr(FsWorkerResult) r = NULL;
  g_autofree char *plugin = fs_test_plugin_path ("basics");
  g_autofree char *parent = g_strdup_printf ("%d", (int) getpid () + 1);
  const char *argv[] = {
    "--run", plugin, "print", "--daemon", "--parent", parent, "--", "lines=1", NULL
  };

  /* The expected parent is gone already (here: was never ours), so the
   * death signal would never come: the worker terminates itself. */
  r = fs_test_worker_runv (argv);
  g_assert_true (WIFSIGNALED (r->wait_status));
  g_assert_cmpint (WTERMSIG (r->wait_status), ==, SIGTERM);
  g_assert_cmpstr (r->out, ==, "");
}

static void
test_worker_daemon_right_parent (void)
{
  g_autoptr(FsWorkerResult) r = NULL;
  g_autofree char *plugin = fs_test_plugin_path ("basics");
  g_autofree char *parent = g_strdup_printf ("%d", (int) getpid ());
  const char *argv[] = {
    "--run", plugin, "print", "--daemon", "--parent", parent, "--", "lines=1", NULL
  };

  r = fs_test_worker_runv (argv);
  fs_test_assert_exit_code (r, 0);
  g_assert_cmpstr (r->out, ==, "line 1 of 1\n");
}

/* A daemon worker dies with its parent: an intermediate process starts the
 * worker, reports its pid, waits for its first line and exits; we are the
 * subreaper that inherits (and reaps) the worker. */
static void
test_worker_daemon_parent_death (void)
{
  g_autofree char *plugin = fs_test_plugin_path ("basics");
  g_autofree char *worker = fs_paths_get_worker ();
  int report[2];
  pid_t middle, daemon_pid = 0;
  int status = 0;
  ssize_t n;

  g_assert_cmpint (prctl (PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0), ==, 0);
  g_assert_cmpint (pipe2 (report, O_CLOEXEC), ==, 0);

  middle = fork ();
  g_assert_cmpint (middle, >=, 0);
  if (middle == 0)
    {
      char parent[32];
      char *p = parent + sizeof parent - 1;
      int out[2];
      pid_t pid;
      char c;

      /* Only async-signal-safe calls here: the test is multi-threaded. */
      *p = '\0';
      for (pid_t v = getpid (); v > 0; v /= 10)
        *--p = (char) ('0' + v % 10);
      if (pipe (out) != 0)
        _exit (10);
      pid = fork ();
      if (pid == 0)
        {
          dup2 (out[1], STDOUT_FILENO);
          close (out[0]);
          close (out[1]);
          execl (worker, worker, "--run", plugin, "print", "--daemon", "--parent", p,
                 "--", "lines=2", "interval=60", (char *) NULL);
          _exit (11);
        }
      close (out[1]);
      /* Once it printed, PR_SET_PDEATHSIG is in place. */
      if (read (out[0], &c, 1) != 1)
        _exit (12);
      if (write (report[1], &pid, sizeof pid) != sizeof pid)
        _exit (13);
      _exit (0);
    }

  close (report[1]);
  n = read (report[0], &daemon_pid, sizeof daemon_pid);
  close (report[0]);
  g_assert_cmpint (n, ==, sizeof daemon_pid);
  g_assert_cmpint (waitpid (middle, &status, 0), ==, middle);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);

  /* Re-parented to us, killed by the death signal (not by the 60 s sleep
   * ending: meson's timeout would fail the test first). */
  g_assert_cmpint (waitpid (daemon_pid, &status, 0), ==, daemon_pid);
  g_assert_true (WIFSIGNALED (status));
  g_assert_cmpint (WTERMSIG (status), ==, SIGTERM);

  g_assert_cmpint (prctl (PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0), ==, 0);
}

static void
test_worker_bad_args (void)
{
  struct {
    const char *function;
    const char *arg;
    const char *message;
  } cases[] = {
    { "sleep_print", "seconds=abc",
      "tutorial.sleep_print: parameter \"seconds\" must be a number between 0 and 3600, not \"abc\"" },
    { "sleep_print", "seconds=3601",
      "tutorial.sleep_print: parameter \"seconds\" must be a number between 0 and 3600, not \"3601\"" },
    { "sleep_print", "secs=1",
      "tutorial.sleep_print: unknown parameter \"secs\" (known: seconds, message)" },
    { "exit_kinds", "how=quit",
      "tutorial.exit_kinds: parameter \"how\" must be one of exit, _exit, return, abort, not \"quit\"" },
    { "exit_kinds", "code=1.5",
      "tutorial.exit_kinds: parameter \"code\" must be an integer between 0 and 255, not \"1.5\"" },
    { "exit_kinds", "code",
      "tutorial.exit_kinds: argument \"code\" is not KEY=VALUE" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(FsWorkerResult) r = fs_test_worker_run ("tutorial", cases[i].function,
                                                        cases[i].arg, NULL);
      g_autofree char *expected = g_strdup_printf ("forkscope-worker: %s\n", cases[i].message);

      fs_test_assert_exit_code (r, 2);
      g_assert_cmpstr (r->err, ==, expected);
      g_assert_cmpstr (r->out, ==, "");
    }
}

static void
test_worker_not_loadable (void)
{
  g_autofree char *plugin = fs_test_plugin_path ("basics");
  g_autofree char *missing = fs_test_plugin_path ("no-such-plugin");
  const char *no_function[] = { "--run", plugin, "nope", NULL };
  const char *wrong_plugin[] = { "--run", plugin, "tutorial.sleep", NULL };
  const char *no_file[] = { "--run", missing, "sleep", NULL };
  const char * const *cases[] = { no_function, wrong_plugin, no_file };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(FsWorkerResult) r = fs_test_worker_runv (cases[i]);

      fs_test_assert_exit_code (r, 3);
      g_assert_true (g_str_has_prefix (r->err, "forkscope-worker: "));
      g_assert_cmpuint (fs_test_count (r->err, "\n"), ==, 1);
    }
}

static void
test_worker_usage (void)
{
  const char *no_args[] = { NULL };
  const char *bad_option[] = { "--run", "x.so", "f", "--frobnicate", NULL };
  const char *daemon_alone[] = { "--run", "x.so", "f", "--daemon", NULL };
  const char *describe_two[] = { "--describe", "a.so", "b.so", NULL };
  const char * const *cases[] = { no_args, bad_option, daemon_alone, describe_two };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(FsWorkerResult) r = fs_test_worker_runv (cases[i]);

      fs_test_assert_exit_code (r, 2);
      g_assert_true (g_str_has_prefix (r->err, "forkscope-worker: usage:"));
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/forkscope/plugins/tutorial/sleep-print", test_sleep_print);
  g_test_add_func ("/forkscope/plugins/tutorial/sleep-print-defaults", test_sleep_print_defaults);
  g_test_add_func ("/forkscope/plugins/tutorial/fork-test", test_fork_test);
  g_test_add_func ("/forkscope/plugins/tutorial/fork-memory", test_fork_memory);
  g_test_add_func ("/forkscope/plugins/tutorial/exit-kinds", test_exit_kinds);
  g_test_add_func ("/forkscope/plugins/tutorial/exit-kinds-abort", test_exit_kinds_abort);
  g_test_add_func ("/forkscope/plugins/basics/sleep", test_basics_sleep);
  g_test_add_func ("/forkscope/plugins/basics/exit", test_basics_exit);
  g_test_add_func ("/forkscope/plugins/basics/crash", test_basics_crash);
  g_test_add_func ("/forkscope/plugins/basics/burn", test_basics_burn);
  g_test_add_func ("/forkscope/plugins/basics/alloc", test_basics_alloc);
  g_test_add_func ("/forkscope/plugins/basics/ignore-term", test_basics_ignore_term);
  g_test_add_func ("/forkscope/plugins/basics/print", test_basics_print);
  g_test_add_func ("/forkscope/plugins/basics/stdin", test_basics_stdin);
  g_test_add_func ("/forkscope/plugins/basics/fds", test_basics_fds);
  g_test_add_func ("/forkscope/plugins/lifecycle/zombie", test_lifecycle_zombie);
  g_test_add_func ("/forkscope/plugins/lifecycle/orphan", test_lifecycle_orphan);
  g_test_add_func ("/forkscope/plugins/lifecycle/tree", test_lifecycle_tree);
  g_test_add_func ("/forkscope/plugins/lifecycle/tree-bounded", test_lifecycle_tree_bounded);
  g_test_add_func ("/forkscope/plugins/lifecycle/pool", test_lifecycle_pool);
  g_test_add_func ("/forkscope/plugins/lifecycle/pool-bounds", test_lifecycle_pool_bounds);
  g_test_add_func ("/forkscope/plugins/command/run", test_command_run);
  g_test_add_func ("/forkscope/plugins/command/errors", test_command_errors);
  g_test_add_func ("/forkscope/plugins/worker/name-and-group", test_worker_name_and_group);
  g_test_add_func ("/forkscope/plugins/worker/daemon-wrong-parent", test_worker_daemon_wrong_parent);
  g_test_add_func ("/forkscope/plugins/worker/daemon-right-parent", test_worker_daemon_right_parent);
  g_test_add_func ("/forkscope/plugins/worker/daemon-parent-death", test_worker_daemon_parent_death);
  g_test_add_func ("/forkscope/plugins/worker/bad-args", test_worker_bad_args);
  g_test_add_func ("/forkscope/plugins/worker/not-loadable", test_worker_not_loadable);
  g_test_add_func ("/forkscope/plugins/worker/usage", test_worker_usage);

  return g_test_run ();
}
