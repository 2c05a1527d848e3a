/* test-proc.c
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
#include <stdlib.h>
#include <string.h>
#include <sys/pidfd.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <gio/gio.h>

#include "fs-proc.h"

/* How long a test waits for the kernel to show what it expects. */
#define WAIT_USEC (5 * G_USEC_PER_SEC)

/* ------------------------------------------------------------------------ */
/* Agents: processes the test forks and drives through pipes                */
/* ------------------------------------------------------------------------ */

/* Every agent reads one-byte commands from its own pipe and reports on a
 * shared one. All the pipes exist before the first fork, so an agent can
 * fork another one (a grandchild of the test) that the test still drives.
 * An agent exits on EOF of its command pipe: if the test dies, its agents
 * go too. Agents forked with pdeathsig also die with their parent, so that
 * even a stopped one does not outlive a failed test. */

#define MAX_AGENTS 8

typedef struct
{
  int  agent;
  int  pid;
  int  value;
  char what;
} Report;

typedef struct
{
  int      cmd[MAX_AGENTS][2];
  int      report[2];
  int      pids[MAX_AGENTS];
  int      pidfds[MAX_AGENTS];
  gboolean reaped[MAX_AGENTS];
} Family;

static void
agent_report (Family *f,
              int     me,
              char    what,
              int     value)
{
  Report r;

  /* No uninitialised padding through the pipe. */
  memset (&r, 0, sizeof r);
  r.agent = me;
  r.pid = getpid ();
  r.value = value;
  r.what = what;

  if (write (f->report[1], &r, sizeof r) != sizeof r)
    _exit (120);
}

static void G_GNUC_NORETURN
agent_main (Family   *f,
            int       me,
            gboolean  pdeathsig,
            pid_t     parent)
{
  if (pdeathsig)
    {
      prctl (PR_SET_PDEATHSIG, SIGKILL);
      if (getppid () != parent)
        _exit (121);
    }

  /* Only the test writes commands: without this, EOF would never come. */
  for (int k = 0; k < MAX_AGENTS; k++)
    if (f->cmd[k][1] >= 0)
      {
        close (f->cmd[k][1]);
        f->cmd[k][1] = -1;
      }
  if (f->report[0] >= 0)
    {
      close (f->report[0]);
      f->report[0] = -1;
    }

  agent_report (f, me, 'h', 0);

  for (;;)
    {
      char c;
      char m;
      pid_t pid;
      ssize_t n = read (f->cmd[me][0], &c, 1);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        _exit (0);

      switch (c)
        {
        case 'f':   /* fork agent m, dying with us */
        case 'F':   /* fork agent m, outliving us */
          if (read (f->cmd[me][0], &m, 1) != 1)
            _exit (122);
          pid = fork ();
          if (pid == 0)
            agent_main (f, m, c == 'f', getppid ());
          if (pid < 0)
            agent_report (f, me, 'E', errno);
          break;

        case 'g':   /* lead a new process group */
          agent_report (f, me, 'g', setpgid (0, 0) == 0 ? getpid () : -errno);
          break;

        case 'x':
          _exit (0);

        default:
          _exit (123);
        }
    }
}

static Family *
family_new (void)
{
  Family *f = g_new0 (Family, 1);

  for (int k = 0; k < MAX_AGENTS; k++)
    {
      g_assert_no_errno (pipe2 (f->cmd[k], O_CLOEXEC));
      f->pids[k] = 0;
      f->pidfds[k] = -1;
    }
  g_assert_no_errno (pipe2 (f->report, O_CLOEXEC));

  return f;
}

static Report
family_read_report (Family *f)
{
  struct pollfd pfd = { f->report[0], POLLIN, 0 };
  Report r;
  int ret;

  do
    ret = poll (&pfd, 1, WAIT_USEC / 1000);
  while (ret < 0 && errno == EINTR);
  g_assert_cmpint (ret, ==, 1);
  g_assert_cmpint (read (f->report[0], &r, sizeof r), ==, sizeof r);

  return r;
}

static void
family_expect_hello (Family *f,
                     int     k)
{
  Report r = family_read_report (f);

  g_assert_cmpint (r.what, ==, 'h');
  g_assert_cmpint (r.agent, ==, k);
  f->pids[k] = r.pid;
  /* The agent is blocked on its pipe: it cannot be gone yet, so this pidfd
   * is certainly its own. */
  f->pidfds[k] = pidfd_open (r.pid, 0);
  g_assert_cmpint (f->pidfds[k], >=, 0);
}

/* Forks agent @k as a direct child of the test. */
static int
family_spawn (Family *f,
              int     k)
{
  pid_t self = getpid ();
  pid_t pid = fork ();

  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    agent_main (f, k, TRUE, self);

  family_expect_hello (f, k);
  g_assert_cmpint (f->pids[k], ==, pid);
  return pid;
}

static void
family_send (Family *f,
             int     k,
             char    c)
{
  g_assert_cmpint (write (f->cmd[k][1], &c, 1), ==, 1);
}

/* Makes agent @parent fork agent @k. */
static int
family_fork (Family   *f,
             int       parent,
             int       k,
             gboolean  outlive_parent)
{
  char cmd[2] = { outlive_parent ? 'F' : 'f', (char) k };

  g_assert_cmpint (write (f->cmd[parent][1], cmd, 2), ==, 2);
  family_expect_hello (f, k);
  return f->pids[k];
}

static int
family_new_group (Family *f,
                  int     k)
{
  Report r;

  family_send (f, k, 'g');
  r = family_read_report (f);
  g_assert_cmpint (r.what, ==, 'g');
  g_assert_cmpint (r.value, ==, f->pids[k]);
  return r.value;
}

/* Waits until agent @k has exited (it may still be a zombie). */
static void
family_wait_exited (Family *f,
                    int     k)
{
  struct pollfd pfd = { f->pidfds[k], POLLIN, 0 };
  int ret;

  do
    ret = poll (&pfd, 1, WAIT_USEC / 1000);
  while (ret < 0 && errno == EINTR);
  g_assert_cmpint (ret, ==, 1);
}

/* Reaps agent @k, which must be a child of the test. */
static void
family_reap (Family *f,
             int     k)
{
  siginfo_t info = { 0 };

  g_assert_no_errno (waitid (P_PIDFD, (id_t) f->pidfds[k], &info, WEXITED));
  g_assert_cmpint (info.si_pid, ==, f->pids[k]);
  f->reaped[k] = TRUE;
}

/* Kills every agent still there, reaps the ones that are the test's
 * children by now, and checks that the test is left with no child. */
static void
family_free (Family *f)
{
  siginfo_t info = { 0 };

  for (int k = 0; k < MAX_AGENTS; k++)
    if (f->pidfds[k] >= 0 && !f->reaped[k])
      pidfd_send_signal (f->pidfds[k], SIGKILL, NULL, 0);

  /* Once every agent has exited, every re-parenting they caused is done,
   * so "is it our child" no longer changes. */
  for (int k = 0; k < MAX_AGENTS; k++)
    if (f->pidfds[k] >= 0 && !f->reaped[k])
      family_wait_exited (f, k);

  for (int k = 0; k < MAX_AGENTS; k++)
    {
      if (f->pidfds[k] >= 0 && !f->reaped[k])
        waitid (P_PIDFD, (id_t) f->pidfds[k], &info, WEXITED | WNOHANG);
      if (f->pidfds[k] >= 0)
        close (f->pidfds[k]);
      close (f->cmd[k][0]);
      close (f->cmd[k][1]);
    }
  close (f->report[0]);
  close (f->report[1]);
  g_free (f);

  errno = 0;
  g_assert_cmpint (waitid (P_ALL, 0, &info, WEXITED | WNOHANG | WNOWAIT), ==, -1);
  g_assert_cmpint (errno, ==, ECHILD);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Family, family_free)

/* ------------------------------------------------------------------------ */
/* Watching a tracker: every scan is checked for consistency                */
/* ------------------------------------------------------------------------ */

typedef struct
{
  FsProcTracker *tracker;
  GHashTable    *mirror;   /* pid -> FsProcStat *, rebuilt from the changes alone */
  GArray        *seen;     /* every change since the last watch_forget() */
} Watch;

static Watch *
watch_new (int root_pid)
{
  Watch *w = g_new0 (Watch, 1);

  w->tracker = fs_proc_tracker_new (root_pid);
  w->mirror = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  w->seen = g_array_new (FALSE, FALSE, sizeof (FsProcChange));
  return w;
}

static void
watch_free (Watch *w)
{
  fs_proc_tracker_free (w->tracker);
  g_hash_table_unref (w->mirror);
  g_array_unref (w->seen);
  g_free (w);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Watch, watch_free)

static void
watch_forget (Watch *w)
{
  g_array_set_size (w->seen, 0);
}

static int
find_in (GArray           *changes,
         FsProcChangeKind  kind,
         int               pid)
{
  for (guint i = 0; i < changes->len; i++)
    {
      const FsProcChange *c = &g_array_index (changes, FsProcChange, i);

      if (c->kind == kind && c->stat.pid == pid)
        return (int) i;
    }
  return -1;
}

/* The order promised by fs-proc.h: survivors' changes, then GONE children
 * before parents, then APPEARED parents before children. */
static void
check_order (GArray *changes)
{
  int phase = 0;

  for (guint i = 0; i < changes->len; i++)
    {
      const FsProcChange *c = &g_array_index (changes, FsProcChange, i);
      int p = c->kind == FS_PROC_CHANGE_GONE ? 1 :
              c->kind == FS_PROC_CHANGE_APPEARED ? 2 : 0;
      int other;

      g_assert_cmpint (p, >=, phase);
      phase = p;

      if (c->kind == FS_PROC_CHANGE_APPEARED)
        {
          other = find_in (changes, FS_PROC_CHANGE_APPEARED, c->stat.ppid);
          if (other >= 0)
            g_assert_cmpint (other, <, (int) i);
        }
      else if (c->kind == FS_PROC_CHANGE_GONE)
        {
          other = find_in (changes, FS_PROC_CHANGE_GONE, c->stat.ppid);
          if (other >= 0)
            g_assert_cmpint (other, >, (int) i);
        }
    }
}

static void
check_change (Watch              *w,
              const FsProcChange *c)
{
  FsProcStat *known = g_hash_table_lookup (w->mirror, GINT_TO_POINTER (c->stat.pid));

  switch (c->kind)
    {
    case FS_PROC_CHANGE_APPEARED:
      g_assert_null (known);
      g_assert_cmpint (c->old_ppid, ==, c->stat.ppid);
      g_assert_cmpint (c->old_state, ==, c->stat.state);
      g_hash_table_insert (w->mirror, GINT_TO_POINTER (c->stat.pid),
                           g_memdup2 (&c->stat, sizeof c->stat));
      break;

    case FS_PROC_CHANGE_STATE:
      g_assert_nonnull (known);
      g_assert_cmpuint (known->starttime, ==, c->stat.starttime);
      g_assert_cmpint (c->old_state, ==, known->state);
      g_assert_cmpint (c->old_state, !=, c->stat.state);
      /* Only the state: a REPARENTED for the same process may follow. */
      known->state = c->stat.state;
      break;

    case FS_PROC_CHANGE_REPARENTED:
      g_assert_nonnull (known);
      g_assert_cmpuint (known->starttime, ==, c->stat.starttime);
      g_assert_cmpint (c->old_ppid, ==, known->ppid);
      g_assert_cmpint (c->old_ppid, !=, c->stat.ppid);
      known->ppid = c->stat.ppid;
      break;

    case FS_PROC_CHANGE_GONE:
      g_assert_nonnull (known);
      g_assert_cmpuint (known->starttime, ==, c->stat.starttime);
      g_hash_table_remove (w->mirror, GINT_TO_POINTER (c->stat.pid));
      break;

    default:
      g_assert_not_reached ();
    }
}

/* One scan, checked: the changes are in the promised order, apply cleanly
 * to what the earlier changes described, and leave exactly the tracker's
 * own list. */
static GArray *
watch_scan (Watch *w)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  GArray *changes = fs_proc_tracker_scan (w->tracker, &error);

  g_assert_no_error (error);
  g_assert_nonnull (changes);

  check_order (changes);
  for (guint i = 0; i < changes->len; i++)
    check_change (w, &g_array_index (changes, FsProcChange, i));
  g_array_append_vals (w->seen, changes->data, changes->len);

  list = fs_proc_tracker_list (w->tracker);
  g_assert_cmpuint (list->len, ==, g_hash_table_size (w->mirror));
  for (guint i = 0; i < list->len; i++)
    {
      const FsProcStat *st = g_ptr_array_index (list, i);
      const FsProcStat *known = g_hash_table_lookup (w->mirror, GINT_TO_POINTER (st->pid));

      g_assert_nonnull (known);
      g_assert_true (fs_proc_tracker_lookup (w->tracker, st->pid) == st);
      g_assert_cmpuint (known->starttime, ==, st->starttime);
      g_assert_cmpint (known->ppid, ==, st->ppid);
      g_assert_cmpint (known->state, ==, st->state);
    }

  return changes;
}

/* Scans until a change of @kind for @pid shows among the changes seen
 * since the last watch_forget(), with @state and @ppid if not 0. The
 * kernel usually shows it at once; the bounded retry covers the rest.
 * Returns its index in w->seen. */
static int
watch_wait_for (Watch            *w,
                FsProcChangeKind  kind,
                int               pid,
                char              state,
                int               ppid)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_USEC;

  for (;;)
    {
      g_autoptr(GArray) changes = NULL;

      for (guint i = 0; i < w->seen->len; i++)
        {
          const FsProcChange *c = &g_array_index (w->seen, FsProcChange, i);

          if (c->kind == kind && c->stat.pid == pid &&
              (state == 0 || c->stat.state == state) &&
              (ppid == 0 || c->stat.ppid == ppid))
            return (int) i;
        }

      if (g_get_monotonic_time () > deadline)
        {
          g_test_message ("no %s change for pid %d (state %c, ppid %d) after %d s",
                          fs_proc_change_kind_to_string (kind), pid,
                          state ? state : '*', ppid, WAIT_USEC / G_USEC_PER_SEC);
          g_test_fail ();
          return -1;
        }

      changes = watch_scan (w);
    }
}

static const FsProcChange *
seen_at (Watch *w,
         int    i)
{
  g_assert_cmpint (i, >=, 0);
  return &g_array_index (w->seen, FsProcChange, i);
}

/* ------------------------------------------------------------------------ */
/* The parser, on synthetic text                                            */
/* ------------------------------------------------------------------------ */

/* A real line (from a shell), with all 52 fields. */
static const char real_line[] =
  "4242 (bash) S 4200 4242 4200 34816 4300 4194560 5102 40000 3 11 "
  "12 34 56 78 20 0 1 0 987654 9408512 1203 18446744073709551615 "
  "94000000000000 94000000900000 140730000000000 0 0 0 65536 3686404 "
  "1266761467 0 0 0 17 1 0 0 0 0 0 94000001000000 94000001040000 "
  "94000002000000 140730000001000 140730000001010 140730000001010 "
  "140730000002000 0\n";

static gboolean
parse_str (const char *text,
           FsProcStat *st)
{
  return fs_proc_parse_stat (text, strlen (text), st);
}

/* The fields that follow comm in a valid line, state included. */
#define TAIL " S 1 2 3 0 -1 4194560 1 2 3 4 5 6 -7 -8 20 -5 3 0 1000 4096 -12 0 0"

static void
test_parse_real_line (void)
{
  FsProcStat st;

  g_assert_true (parse_str (real_line, &st));
  g_assert_cmpint (st.pid, ==, 4242);
  g_assert_cmpstr (st.comm, ==, "bash");
  g_assert_cmpint (st.state, ==, 'S');
  g_assert_cmpint (st.ppid, ==, 4200);
  g_assert_cmpint (st.pgrp, ==, 4242);
  g_assert_cmpint (st.session, ==, 4200);
  g_assert_cmpuint (st.utime, ==, 12);
  g_assert_cmpuint (st.stime, ==, 34);
  g_assert_cmpint (st.num_threads, ==, 1);
  g_assert_cmpuint (st.starttime, ==, 987654);
  g_assert_cmpuint (st.vsize, ==, 9408512);
  g_assert_cmpint (st.rss, ==, 1203);

  /* Negative fields where the kernel writes them (cutime, priority, nice,
   * rss) are fine. */
  g_assert_true (parse_str ("7 (x)" TAIL, &st));
  g_assert_cmpint (st.rss, ==, -12);
  g_assert_cmpint (st.num_threads, ==, 3);
  g_assert_cmpuint (st.starttime, ==, 1000);
}

static void
test_parse_hostile_comm_text (void)
{
  static const struct
  {
    const char *comm_in_line;
    const char *comm;
  } cases[] = {
    { "a) R 1 (2", "a) R 1 (2" },
    { "", "" },
    { " ", " " },
    { ")", ")" },
    { "(", "(" },
    { "((((", "((((" },
    { "))))", "))))" },
    { ") S 1 2 3 4 5 6", ") S 1 2 3 4 5 6" },
    { "x\ny", "x\ny" },
    { "\n", "\n" },
    { "123456789012345", "123456789012345" },
    { "-1", "-1" },
    { "\xe5\xad\x90\xe8\xbf\x9b\xe7\xa8\x8b", "\xe5\xad\x90\xe8\xbf\x9b\xe7\xa8\x8b" },
    { "\xff\xfe\x01", "\xff\xfe\x01" },
    /* A kernel worker's name can be longer than 15 bytes; more than 63
     * are cut, never overflowing comm[]. */
    { "kworker/0:1H-events_highpri", "kworker/0:1H-events_highpri" },
    { "0123456789012345678901234567890123456789012345678901234567890123456789",
      "012345678901234567890123456789012345678901234567890123456789012" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *line = g_strdup_printf ("99 (%s)" TAIL, cases[i].comm_in_line);
      g_autofree char *shown = g_strescape (cases[i].comm_in_line, NULL);
      FsProcStat st;

      g_test_message ("comm \"%s\"", shown);
      g_assert_true (parse_str (line, &st));
      g_assert_cmpint (st.pid, ==, 99);
      g_assert_cmpstr (st.comm, ==, cases[i].comm);
      g_assert_cmpint (st.state, ==, 'S');
      g_assert_cmpint (st.ppid, ==, 1);
      g_assert_cmpuint (st.starttime, ==, 1000);
    }
}

static void
test_parse_garbage (void)
{
  static const char *bad[] = {
    "",
    "\n",
    "4242",
    "4242 ",
    "4242 (",
    "4242 (bash",
    "4242 (bash)",
    "4242 (bash) ",
    "4242 (bash) S",
    "4242 (bash) S ",
    "(bash)" TAIL,
    " 4242 (bash)" TAIL,
    "+4242 (bash)" TAIL,
    "0 (bash)" TAIL,
    "-1 (bash)" TAIL,
    "4242  (bash)" TAIL,
    "4242(bash)" TAIL,
    "4242 bash)" TAIL,
    "2147483648 (bash)" TAIL,
    "99999999999999999999999 (bash)" TAIL,
    "4242 (bash)  S 1 2 3 0 -1 4194560 1 2 3 4 5 6 -7 -8 20 -5 3 0 1000 4096 -12 0 0",
    "4242 (bash) SS 1 2 3 0 -1 4194560 1 2 3 4 5 6 -7 -8 20 -5 3 0 1000 4096 -12 0 0",
    "4242 (bash) S x 2 3 0 -1 4194560 1 2 3 4 5 6 -7 -8 20 -5 3 0 1000 4096 -12 0 0",
    "4242 (bash) S -1 2 3 0 -1 4194560 1 2 3 4 5 6 -7 -8 20 -5 3 0 1000 4096 -12 0 0",
    "4242 (bash) S 1  2 3 0 -1 4194560 1 2 3 4 5 6 -7 -8 20 -5 3 0 1000 4096 -12 0 0",
    "4242 (bash) S 1 2 3 0 -1 4194560 1 2 3 4 -5 6 -7 -8 20 -5 3 0 1000 4096 -12 0 0",
    "4242 (bash) S 1 2 3 0 -1 4194560 1 2 3 4 5 6 -7 -8 20 -5 3 0 -1000 4096 -12 0 0",
    "4242 (bash) S 1 2 3 0 -1 4194560 1 2 3 4 5 6 -7 -8 20 -5 3 0 1x00 4096 -12 0 0",
    "4242 (bash) S 1 2 3 0 -1 4194560 1 2 3 4 5 6 -7 -8 20 -5 3 0 1000 4096 - 0 0",
    "4242 (bash) S 2147483648 2 3 0 -1 4194560 1 2 3 4 5 6 -7 -8 20 -5 3 0 1000 4096 -12 0 0",
    "4242 (bash) S 1 2 3 0 -1 4194560 1 2 3 4 5 6 -7 -8 20 -5 3 0 "
      "18446744073709551616 4096 -12 0 0",
    "4242 (bash) S 1 2 3 0 -1 4194560 1 2 3 4 5 6 -7 -8 20 -5 3 0 1000 4096 "
      "-9223372036854775809 0 0",
    "4242 (bash) S 1 2 3 0 -1 4194560 1 2 3 4 5 6 -7 -8 20 -5 -3 0 1000 4096 -12 0 0",
    "4242 (bash) S 1\n2 3 0 -1 4194560 1 2 3 4 5 6 -7 -8 20 -5 3 0 1000 4096 -12 0 0",
    "4242 (bash) S 1 2 3 0 -1 4194560 1 2 3 4 5 6 -7 -8 20 -5 3 0 1000 4096 -12",
    "4242 (bash) S 1 2 3 0 -1 4194560 1 2 3 4 5 6 -7 -8 20 -5 3 0 1000 4096",
    /* A ')' after the fields: the last ')' is not comm's end any more. */
    "4242 (bash) S 1 2 3 0 -1 4194560 1 2 3 4 5 6 -7 -8 20 -5 3 0 1000 4096 -12 0 0 )",
  };
  FsProcStat st;

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *shown = g_strescape (bad[i], NULL);

      g_test_message ("line %u: \"%s\"", i, shown);
      g_assert_false (parse_str (bad[i], &st));
    }

  /* The extremes that do fit. */
  g_assert_true (parse_str ("2147483647 (x) S 2147483647 1 1 0 -1 0 0 0 0 0 "
                            "18446744073709551615 0 0 0 20 0 1 0 "
                            "18446744073709551615 0 -9223372036854775808 0", &st));
  g_assert_cmpint (st.pid, ==, G_MAXINT);
  g_assert_cmpuint (st.utime, ==, G_MAXUINT64);
  g_assert_cmpuint (st.starttime, ==, G_MAXUINT64);
  g_assert_cmpint (st.rss, ==, G_MININT64);

  /* The last field we read may end the line. */
  g_assert_true (parse_str ("1 (x) S 0 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 5 0 7\n", &st));
  g_assert_cmpint (st.rss, ==, 7);
}

/* Every cut of a valid line is refused until the field after rss begins:
 * a truncated number never passes for a smaller one. */
static void
test_parse_truncated (void)
{
  static const char *lines[] = {
    real_line,
    "99 (a) R 1 (2)" TAIL,
    "99 ()" TAIL,
    "99 (x\ny)" TAIL,
  };

  for (guint l = 0; l < G_N_ELEMENTS (lines); l++)
    {
      const char *line = lines[l];
      gsize len = strlen (line);
      gsize needed;
      const char *p;
      guint spaces = 0;
      FsProcStat st;

      /* The space that ends rss, field 24, is the 23rd after comm's ')'. */
      p = strrchr (line, ')');
      while (spaces < 23)
        {
          p++;
          if (*p == ' ')
            spaces++;
        }
      needed = (gsize) (p - line) + 1;

      for (gsize cut = 0; cut <= len; cut++)
        {
          /* Not NUL-terminated where it is cut: whatever follows in memory
           * (here, the rest of the line) must not be read. */
          gboolean ok = fs_proc_parse_stat (line, cut, &st);

          if (ok != (cut >= needed))
            g_error ("line %u cut at %" G_GSIZE_FORMAT " (needs %" G_GSIZE_FORMAT "): %s",
                     l, cut, needed, ok ? "accepted" : "refused");
        }
    }
}

/* Random damage must never crash the parser or overrun comm. */
static void
test_parse_fuzz (void)
{
  gsize len = strlen (real_line);
  char *copy = g_malloc (len);

  for (guint round = 0; round < 20000; round++)
    {
      guint n = (guint) g_test_rand_int_range (1, 6);
      gsize cut = (gsize) g_test_rand_int_range (0, (gint32) len + 1);
      FsProcStat st;

      memcpy (copy, real_line, len);
      for (guint i = 0; i < n; i++)
        {
          static const char alphabet[] = "()0123456789 -\n\0xS";
          gsize at = (gsize) g_test_rand_int_range (0, (gint32) len);

          copy[at] = alphabet[g_test_rand_int_range (0, sizeof alphabet - 1)];
        }

      if (fs_proc_parse_stat (copy, cut, &st))
        {
          g_assert_cmpuint (strlen (st.comm), <, sizeof st.comm);
          g_assert_cmpint (st.pid, >, 0);
          g_assert_cmpint (st.ppid, >=, 0);
        }
    }

  g_free (copy);
}

/* ------------------------------------------------------------------------ */
/* The parser, on real processes                                            */
/* ------------------------------------------------------------------------ */

static const char *hostile_names[] = {
  "a) R 1 (2",
  " ",
  ")",
  "((((",
  "",
  "123456789012345",
  "x\ny",
  "))) S 1 2 3 4 5",
  ") Z 1 1 1 1 1 1",
  "( ) ( ) ( ) ( )",
  "-1",
  "\t",
  "\n",
  "%s%n%d",
  "\xe5\xad\x90\xe8\xbf\x9b\xe7\xa8\x8b",
  "\xff\xfe\x01",
  /* Longer than 15 bytes: the kernel keeps the first 15. */
  "0123456789abcdefXYZ",
};

static void
test_read_hostile_names (void)
{
  guint n = G_N_ELEMENTS (hostile_names);
  g_autofree int *pids = g_new0 (int, n);
  g_autoptr(Watch) w = watch_new (getpid ());
  g_autoptr(GArray) changes = NULL;
  int hold[2];
  int ready[2];

  g_assert_no_errno (pipe2 (hold, O_CLOEXEC));
  g_assert_no_errno (pipe2 (ready, O_CLOEXEC));

  for (guint i = 0; i < n; i++)
    {
      pid_t self = getpid ();
      pid_t pid = fork ();
      char c;

      g_assert_cmpint (pid, >=, 0);
      if (pid == 0)
        {
          close (hold[1]);
          close (ready[0]);
          prctl (PR_SET_PDEATHSIG, SIGKILL);
          if (getppid () != self)
            _exit (1);
          prctl (PR_SET_NAME, hostile_names[i]);
          if (write (ready[1], "r", 1) != 1)
            _exit (1);
          /* Blocks until the test closes hold[1] (or dies). */
          while (read (hold[0], &c, 1) < 0 && errno == EINTR)
            ;
          _exit (0);
        }

      pids[i] = pid;
      g_assert_cmpint (read (ready[0], &c, 1), ==, 1);
    }

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *expected = g_strndup (hostile_names[i], 15);
      g_autofree char *shown = g_strescape (hostile_names[i], NULL);
      FsProcStat st;

      g_test_message ("name \"%s\"", shown);
      g_assert_true (fs_proc_read_stat (pids[i], &st, &error));
      g_assert_no_error (error);
      g_assert_cmpint (st.pid, ==, pids[i]);
      g_assert_cmpstr (st.comm, ==, expected);
      g_assert_true (st.state == 'S' || st.state == 'R');
      g_assert_cmpint (st.ppid, ==, getpid ());
      g_assert_cmpint (st.pgrp, ==, getpgrp ());
      g_assert_cmpint (st.session, ==, getsid (0));
      g_assert_cmpint (st.num_threads, ==, 1);
      g_assert_cmpuint (st.starttime, >, 0);
      g_assert_cmpuint (st.vsize, >, 0);
      g_assert_cmpint (st.rss, >, 0);
    }

  /* The tracker reads them the same way, in one pass over /proc. */
  changes = watch_scan (w);
  g_assert_cmpuint (changes->len, ==, n);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *expected = g_strndup (hostile_names[i], 15);
      int at = find_in (changes, FS_PROC_CHANGE_APPEARED, pids[i]);
      const FsProcChange *c;

      g_assert_cmpint (at, >=, 0);
      c = &g_array_index (changes, FsProcChange, at);
      g_assert_cmpstr (c->stat.comm, ==, expected);
      g_assert_cmpint (c->stat.ppid, ==, getpid ());
    }

  close (hold[1]);
  for (guint i = 0; i < n; i++)
    {
      int status = -1;

      g_assert_cmpint (waitpid (pids[i], &status, 0), ==, pids[i]);
      g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 0);
    }
  close (hold[0]);
  close (ready[0]);
  close (ready[1]);

  g_clear_pointer (&changes, g_array_unref);
  changes = watch_scan (w);
  g_assert_cmpuint (changes->len, ==, n);
  for (guint i = 0; i < n; i++)
    g_assert_cmpint (find_in (changes, FS_PROC_CHANGE_GONE, pids[i]), >=, 0);
}

static void
test_read_gone_and_zombie (void)
{
  g_autoptr(Family) f = family_new ();
  g_autoptr(GError) error = NULL;
  siginfo_t info = { 0 };
  FsProcStat st;
  int pid;

  g_assert_false (fs_proc_read_stat (0, &st, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  g_assert_false (fs_proc_read_stat (-5, &st, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  pid = family_spawn (f, 0);
  g_assert_true (fs_proc_read_stat (pid, &st, &error));
  g_assert_no_error (error);

  /* A zombie still has a stat, with state Z and no threads left. */
  family_send (f, 0, 'x');
  g_assert_no_errno (waitid (P_PID, (id_t) pid, &info, WEXITED | WNOWAIT));
  g_assert_true (fs_proc_read_stat (pid, &st, &error));
  g_assert_no_error (error);
  g_assert_cmpint (st.state, ==, 'Z');
  g_assert_cmpint (st.ppid, ==, getpid ());

  /* Reaped: gone, as NOT_FOUND. */
  family_reap (f, 0);
  g_assert_false (fs_proc_read_stat (pid, &st, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
}

/* ------------------------------------------------------------------------ */
/* The tracker                                                              */
/* ------------------------------------------------------------------------ */

static void
test_tracker_tree (void)
{
  g_autoptr(Family) f = family_new ();
  g_autoptr(Watch) w = watch_new (getpid ());
  g_autoptr(Watch) other = watch_new (0);
  g_autoptr(GArray) changes = NULL;
  g_autoptr(GPtrArray) list = NULL;
  int a, b, c, d;
  const FsProcStat *st;

  /* The test -> a -> b -> c, and a -> d. */
  a = family_spawn (f, 0);
  b = family_fork (f, 0, 1, FALSE);
  c = family_fork (f, 1, 2, FALSE);
  d = family_fork (f, 0, 3, TRUE);

  changes = watch_scan (w);
  g_assert_cmpuint (changes->len, ==, 4);
  g_assert_cmpint (find_in (changes, FS_PROC_CHANGE_APPEARED, a), >=, 0);
  g_assert_cmpint (find_in (changes, FS_PROC_CHANGE_APPEARED, b), >=, 0);
  g_assert_cmpint (find_in (changes, FS_PROC_CHANGE_APPEARED, c), >=, 0);
  g_assert_cmpint (find_in (changes, FS_PROC_CHANGE_APPEARED, d), >=, 0);

  /* The root itself is not reported; what is not below it is not tracked. */
  g_assert_null (fs_proc_tracker_lookup (w->tracker, getpid ()));
  g_assert_null (fs_proc_tracker_lookup (w->tracker, getppid ()));
  g_assert_null (fs_proc_tracker_lookup (w->tracker, 1));

  st = fs_proc_tracker_lookup (w->tracker, c);
  g_assert_nonnull (st);
  g_assert_cmpint (st->ppid, ==, b);
  g_assert_cmpint (fs_proc_tracker_lookup (w->tracker, b)->ppid, ==, a);
  g_assert_cmpint (fs_proc_tracker_lookup (w->tracker, d)->ppid, ==, a);
  g_assert_cmpint (fs_proc_tracker_lookup (w->tracker, a)->ppid, ==, getpid ());

  list = fs_proc_tracker_list (w->tracker);
  g_assert_cmpuint (list->len, ==, 4);

  /* With no root and no group, nothing is tracked. */
  g_clear_pointer (&changes, g_array_unref);
  changes = watch_scan (other);
  g_assert_cmpuint (changes->len, ==, 0);

  /* A subtree goes at once. We are a subreaper, so all of it ends up ours
   * to reap: the survivor d is re-parented to us, then the gone ones come
   * children first, c, b, a, although their pids rise the other way. */
  g_assert_no_errno (prctl (PR_SET_CHILD_SUBREAPER, 1));
  for (int k = 0; k <= 2; k++)
    g_assert_no_errno (pidfd_send_signal (f->pidfds[k], SIGKILL, NULL, 0));
  for (int k = 0; k <= 2; k++)
    family_wait_exited (f, k);
  for (int k = 0; k <= 2; k++)
    family_reap (f, k);

  watch_forget (w);
  watch_wait_for (w, FS_PROC_CHANGE_GONE, a, 0, 0);
  g_assert_cmpint (find_in (w->seen, FS_PROC_CHANGE_REPARENTED, d), <,
                   find_in (w->seen, FS_PROC_CHANGE_GONE, c));
  g_assert_cmpint (find_in (w->seen, FS_PROC_CHANGE_REPARENTED, d), >=, 0);
  g_assert_cmpint (find_in (w->seen, FS_PROC_CHANGE_GONE, c), <,
                   find_in (w->seen, FS_PROC_CHANGE_GONE, b));
  g_assert_cmpint (find_in (w->seen, FS_PROC_CHANGE_GONE, b), <,
                   find_in (w->seen, FS_PROC_CHANGE_GONE, a));
  g_assert_cmpint (fs_proc_tracker_lookup (w->tracker, d)->ppid, ==, getpid ());

  g_assert_no_errno (prctl (PR_SET_CHILD_SUBREAPER, 0));
}

/* A child whose pid is lower than its parent's (pids wrap around): the
 * parent's APPEARED must still come first. The kernel lets root pick the
 * next pid through ns_last_pid. */
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

static int
get_last_pid (void)
{
  g_autofree char *text = NULL;

  if (!g_file_get_contents ("/proc/sys/kernel/ns_last_pid", &text, NULL, NULL))
    return -1;
  return atoi (text);
}

/* Puts pid allocation back where it was, so that later runs (and everyone
 * else) do not start from the low pids this test asked for. */
static void
restore_last_pid (int *last)
{
  if (*last > 0 && get_last_pid () < *last)
    set_next_pid (*last + 1);
}

static void
test_tracker_appeared_order (void)
{
  G_GNUC_UNUSED __attribute__ ((cleanup (restore_last_pid))) int last = get_last_pid ();
  g_autoptr(Family) f = family_new ();
  g_autoptr(Watch) w = watch_new (getpid ());
  g_autoptr(GArray) changes = NULL;
  int a, b, c;
  int ia, ib, ic;

  a = family_spawn (f, 0);
  if (a < 64)
    {
      g_test_skip ("pids too low to go below");
      return;
    }
  if (!set_next_pid (a / 2))
    {
      g_test_skip ("cannot choose pids here (needs root and ns_last_pid)");
      return;
    }
  b = family_fork (f, 0, 1, FALSE);
  set_next_pid (a / 4);
  c = family_fork (f, 1, 2, FALSE);

  if (!(c < b && b < a))
    {
      /* Somebody else forked in between, or the low pids are taken. */
      g_test_skip ("could not get descending pids");
      return;
    }

  changes = watch_scan (w);
  ia = find_in (changes, FS_PROC_CHANGE_APPEARED, a);
  ib = find_in (changes, FS_PROC_CHANGE_APPEARED, b);
  ic = find_in (changes, FS_PROC_CHANGE_APPEARED, c);
  g_assert_cmpint (ia, >=, 0);
  g_assert_cmpint (ia, <, ib);
  g_assert_cmpint (ib, <, ic);

}

static void
test_tracker_states (void)
{
  g_autoptr(Family) f = family_new ();
  g_autoptr(Watch) w = watch_new (getpid ());
  g_autoptr(GArray) changes = NULL;
  siginfo_t info = { 0 };
  const FsProcChange *c;
  int a;
  int at;

  a = family_spawn (f, 0);
  changes = watch_scan (w);
  g_assert_cmpint (find_in (changes, FS_PROC_CHANGE_APPEARED, a), >=, 0);

  /* Stopped. */
  g_assert_no_errno (pidfd_send_signal (f->pidfds[0], SIGSTOP, NULL, 0));
  g_assert_no_errno (waitid (P_PID, (id_t) a, &info, WSTOPPED | WNOWAIT));
  at = watch_wait_for (w, FS_PROC_CHANGE_STATE, a, 'T', getpid ());
  c = seen_at (w, at);
  g_assert_true (c->old_state == 'S' || c->old_state == 'R');
  g_assert_cmpint (c->old_ppid, ==, getpid ());

  /* Continued: back to sleeping on its pipe. */
  watch_forget (w);
  g_assert_no_errno (pidfd_send_signal (f->pidfds[0], SIGCONT, NULL, 0));
  at = watch_wait_for (w, FS_PROC_CHANGE_STATE, a, 'S', 0);
  g_assert_cmpint (find_in (w->seen, FS_PROC_CHANGE_STATE, a), >=, 0);
  g_assert_cmpint (g_array_index (w->seen, FsProcChange,
                                  find_in (w->seen, FS_PROC_CHANGE_STATE, a)).old_state, ==, 'T');

  /* Exited, not reaped: a zombie, still tracked. */
  watch_forget (w);
  family_send (f, 0, 'x');
  g_assert_no_errno (waitid (P_PID, (id_t) a, &info, WEXITED | WNOWAIT));
  watch_wait_for (w, FS_PROC_CHANGE_STATE, a, 'Z', getpid ());
  g_assert_cmpint (fs_proc_tracker_lookup (w->tracker, a)->state, ==, 'Z');

  /* Reaped: gone, with its last known state. */
  watch_forget (w);
  family_reap (f, 0);
  at = watch_wait_for (w, FS_PROC_CHANGE_GONE, a, 'Z', 0);
  g_assert_null (fs_proc_tracker_lookup (w->tracker, a));
  g_assert_cmpint (find_in (w->seen, FS_PROC_CHANGE_APPEARED, a), ==, -1);
}

static void
test_tracker_reparent_subreaper (void)
{
  g_autoptr(Family) f = family_new ();
  g_autoptr(Watch) w = watch_new (getpid ());
  g_autoptr(GArray) changes = NULL;
  siginfo_t info = { 0 };
  const FsProcChange *c;
  int a, b;
  int at;

  g_assert_no_errno (prctl (PR_SET_CHILD_SUBREAPER, 1));

  a = family_spawn (f, 0);
  b = family_fork (f, 0, 1, TRUE);
  changes = watch_scan (w);
  g_assert_cmpint (find_in (changes, FS_PROC_CHANGE_APPEARED, a), >=, 0);
  g_assert_cmpint (find_in (changes, FS_PROC_CHANGE_APPEARED, b), >=, 0);

  /* The middle process exits: its child is re-parented to us. */
  family_send (f, 0, 'x');
  family_wait_exited (f, 0);
  at = watch_wait_for (w, FS_PROC_CHANGE_REPARENTED, b, 0, getpid ());
  c = seen_at (w, at);
  g_assert_cmpint (c->old_ppid, ==, a);
  watch_wait_for (w, FS_PROC_CHANGE_STATE, a, 'Z', 0);

  watch_forget (w);
  family_reap (f, 0);
  watch_wait_for (w, FS_PROC_CHANGE_GONE, a, 0, 0);
  g_assert_cmpint (find_in (w->seen, FS_PROC_CHANGE_GONE, b), ==, -1);
  g_assert_cmpint (fs_proc_tracker_lookup (w->tracker, b)->ppid, ==, getpid ());

  /* The adopted one is ours to reap now. */
  watch_forget (w);
  family_send (f, 1, 'x');
  g_assert_no_errno (waitid (P_PID, (id_t) b, &info, WEXITED | WNOWAIT));
  watch_wait_for (w, FS_PROC_CHANGE_STATE, b, 'Z', getpid ());
  family_reap (f, 1);
  watch_wait_for (w, FS_PROC_CHANGE_GONE, b, 0, 0);

  g_assert_no_errno (prctl (PR_SET_CHILD_SUBREAPER, 0));
}

/* lifecycle.orphan's race: the parent forks and exits before any scan, so
 * the child is first seen already adopted (here by the test, a subreaper),
 * next to its zombie parent. */
static void
test_tracker_orphan_before_first_scan (void)
{
  g_autoptr(Family) f = family_new ();
  g_autoptr(Watch) w = watch_new (getpid ());
  g_autoptr(GArray) changes = NULL;
  const FsProcChange *c;
  int a, b;

  g_assert_no_errno (prctl (PR_SET_CHILD_SUBREAPER, 1));

  a = family_spawn (f, 0);
  b = family_fork (f, 0, 1, TRUE);
  family_send (f, 0, 'x');
  family_wait_exited (f, 0);

  changes = watch_scan (w);
  g_assert_cmpuint (changes->len, ==, 2);
  c = &g_array_index (changes, FsProcChange, find_in (changes, FS_PROC_CHANGE_APPEARED, a));
  g_assert_cmpint (c->stat.state, ==, 'Z');
  c = &g_array_index (changes, FsProcChange, find_in (changes, FS_PROC_CHANGE_APPEARED, b));
  g_assert_cmpint (c->stat.ppid, ==, getpid ());

  g_assert_no_errno (prctl (PR_SET_CHILD_SUBREAPER, 0));
}

/* Without a subreaper, an orphan goes outside the root's subtree. It is
 * still followed: by identity if it was tracked before, by its process
 * group (the worker's) if it was not. */
static void
test_tracker_group_orphan (void)
{
  g_autoptr(Family) f = family_new ();
  g_autoptr(Watch) grouped = watch_new (getpid ());
  g_autoptr(Watch) plain = watch_new (getpid ());
  g_autoptr(Watch) late_grouped = watch_new (getpid ());
  g_autoptr(Watch) late_plain = watch_new (getpid ());
  g_autoptr(Watch) group_only = watch_new (0);
  g_autoptr(GArray) changes = NULL;
  g_autoptr(GError) error = NULL;
  FsProcStat st;
  int is_subreaper = -1;
  int a, b, c;
  int pgid;
  int at;

  g_assert_no_errno (prctl (PR_GET_CHILD_SUBREAPER, &is_subreaper));
  g_assert_cmpint (is_subreaper, ==, 0);

  /* a leads its own group, like a worker; b inherits it. */
  a = family_spawn (f, 0);
  pgid = family_new_group (f, 0);
  b = family_fork (f, 0, 1, TRUE);
  fs_proc_tracker_add_group (grouped->tracker, pgid);
  fs_proc_tracker_add_group (late_grouped->tracker, pgid);
  fs_proc_tracker_add_group (group_only->tracker, pgid);

  changes = watch_scan (grouped);
  g_assert_cmpuint (changes->len, ==, 2);
  g_clear_pointer (&changes, g_array_unref);
  changes = watch_scan (plain);
  g_assert_cmpuint (changes->len, ==, 2);

  /* a exits: b goes to PID 1, or to a subreaper above the test. */
  family_send (f, 0, 'x');
  family_wait_exited (f, 0);
  g_assert_true (fs_proc_read_stat (b, &st, &error));
  g_assert_no_error (error);
  g_assert_cmpint (st.ppid, !=, a);
  g_assert_cmpint (st.ppid, !=, getpid ());
  g_assert_cmpint (st.pgrp, ==, pgid);
  g_test_message ("orphan %d adopted by %d", b, st.ppid);

  at = watch_wait_for (grouped, FS_PROC_CHANGE_REPARENTED, b, 0, st.ppid);
  g_assert_cmpint (seen_at (grouped, at)->old_ppid, ==, a);
  at = watch_wait_for (plain, FS_PROC_CHANGE_REPARENTED, b, 0, st.ppid);
  g_assert_cmpint (seen_at (plain, at)->old_ppid, ==, a);

  /* First seen only now: the group is what finds b. */
  g_clear_pointer (&changes, g_array_unref);
  changes = watch_scan (late_grouped);
  g_assert_cmpint (find_in (changes, FS_PROC_CHANGE_APPEARED, a), >=, 0);
  g_assert_cmpint (find_in (changes, FS_PROC_CHANGE_APPEARED, b), >=, 0);
  g_assert_cmpuint (changes->len, ==, 2);
  g_clear_pointer (&changes, g_array_unref);
  changes = watch_scan (late_plain);
  g_assert_cmpint (find_in (changes, FS_PROC_CHANGE_APPEARED, a), >=, 0);
  g_assert_cmpint (find_in (changes, FS_PROC_CHANGE_APPEARED, b), ==, -1);
  g_assert_cmpuint (changes->len, ==, 1);
  g_clear_pointer (&changes, g_array_unref);
  changes = watch_scan (group_only);
  g_assert_cmpuint (changes->len, ==, 2);

  /* The orphan's own child is followed too, as a tracked process's
   * descendant, even by the tracker that has no group. */
  c = family_fork (f, 1, 2, TRUE);
  watch_wait_for (plain, FS_PROC_CHANGE_APPEARED, c, 0, b);
  watch_wait_for (grouped, FS_PROC_CHANGE_APPEARED, c, 0, b);
  watch_wait_for (late_grouped, FS_PROC_CHANGE_APPEARED, c, 0, b);

  /* Removing the group does not drop what is tracked already. */
  fs_proc_tracker_remove_group (group_only->tracker, pgid);
  g_clear_pointer (&changes, g_array_unref);
  changes = watch_scan (group_only);
  g_assert_nonnull (fs_proc_tracker_lookup (group_only->tracker, b));
  g_assert_nonnull (fs_proc_tracker_lookup (group_only->tracker, c));

  /* c exits; b never reaps, so c stays its zombie. */
  watch_forget (plain);
  family_send (f, 2, 'x');
  family_wait_exited (f, 2);
  watch_wait_for (plain, FS_PROC_CHANGE_STATE, c, 'Z', b);

  family_reap (f, 0);
}

/* A process found through a group it does not belong to (a stranger that
 * took a reaped leader's number) is forgotten: reported gone, never seen
 * again while it lives, and neither is what it forks later, unless that is
 * tracked for a reason of its own. */
static void
test_tracker_forget (void)
{
  g_autoptr(Family) f = family_new ();
  g_autoptr(Watch) w = watch_new (0);
  g_autoptr(GArray) changes = NULL;
  const FsProcStat *st;
  guint64 starttime;
  int a, b, c, d;
  int pgid;

  /* a leads the group; b is in it. (Running and sleeping may alternate
   * between scans: only the changes that matter are checked.) */
  a = family_spawn (f, 0);
  pgid = family_new_group (f, 0);
  b = family_fork (f, 0, 1, FALSE);
  fs_proc_tracker_add_group (w->tracker, pgid);

  changes = watch_scan (w);
  g_assert_cmpint (find_in (changes, FS_PROC_CHANGE_APPEARED, a), >=, 0);
  g_assert_cmpint (find_in (changes, FS_PROC_CHANGE_APPEARED, b), >=, 0);
  st = fs_proc_tracker_lookup (w->tracker, b);
  g_assert_nonnull (st);
  starttime = st->starttime;

  /* Another identity with b's pid is not b: b stays. */
  fs_proc_tracker_forget (w->tracker, b, starttime + 1);
  g_clear_pointer (&changes, g_array_unref);
  changes = watch_scan (w);
  g_assert_cmpint (find_in (changes, FS_PROC_CHANGE_GONE, b), ==, -1);
  g_assert_nonnull (fs_proc_tracker_lookup (w->tracker, b));

  /* b goes, although it is still in the group; a stays. */
  fs_proc_tracker_forget (w->tracker, b, starttime);
  g_clear_pointer (&changes, g_array_unref);
  changes = watch_scan (w);
  g_assert_cmpint (find_in (changes, FS_PROC_CHANGE_GONE, b), >=, 0);
  g_assert_cmpint (find_in (changes, FS_PROC_CHANGE_GONE, a), ==, -1);
  g_assert_null (fs_proc_tracker_lookup (w->tracker, b));
  g_assert_nonnull (fs_proc_tracker_lookup (w->tracker, a));

  /* What b forks is not followed through b (c leads a group of its own);
   * what a forks still is, and so is what joins the group (d). */
  c = family_fork (f, 1, 2, FALSE);
  family_new_group (f, 2);
  d = family_fork (f, 0, 3, FALSE);
  g_clear_pointer (&changes, g_array_unref);
  changes = watch_scan (w);
  g_assert_cmpint (find_in (changes, FS_PROC_CHANGE_APPEARED, d), >=, 0);
  g_assert_cmpint (find_in (changes, FS_PROC_CHANGE_APPEARED, b), ==, -1);
  g_assert_cmpint (find_in (changes, FS_PROC_CHANGE_APPEARED, c), ==, -1);
  g_assert_null (fs_proc_tracker_lookup (w->tracker, b));
  g_assert_null (fs_proc_tracker_lookup (w->tracker, c));
}

/* A pid reused by a new process between two scans: GONE for the old
 * identity, then APPEARED for the new one. */
static guint64
boot_ticks (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_BOOTTIME, &ts);
  return ((guint64) ts.tv_sec * 1000000000 + (guint64) ts.tv_nsec) /
         (1000000000 / (guint64) sysconf (_SC_CLK_TCK));
}

static void
test_tracker_pid_reuse (void)
{
  G_GNUC_UNUSED __attribute__ ((cleanup (restore_last_pid))) int last = get_last_pid ();
  g_autoptr(Family) f = family_new ();
  g_autoptr(Watch) w = watch_new (getpid ());
  g_autoptr(GArray) changes = NULL;
  const FsProcChange *gone;
  const FsProcChange *appeared;
  guint64 start;
  gint64 deadline;
  int a, b = 0;
  int ig, ia;

  a = family_spawn (f, 0);
  changes = watch_scan (w);
  start = fs_proc_tracker_lookup (w->tracker, a)->starttime;

  family_send (f, 0, 'x');
  family_reap (f, 0);

  /* Start times count clock ticks: the new process must start in a later
   * one to be told apart (a tick is 10 ms at most). */
  deadline = g_get_monotonic_time () + WAIT_USEC;
  while (boot_ticks () <= start + 1)
    g_assert_cmpint (g_get_monotonic_time (), <, deadline);

  for (int attempt = 1; attempt < MAX_AGENTS && b != a; attempt++)
    {
      if (!set_next_pid (a))
        {
          g_test_skip ("cannot choose pids here (needs root and ns_last_pid)");
          return;
        }
      b = family_spawn (f, attempt);
      if (b != a)
        {
          family_send (f, attempt, 'x');
          family_reap (f, attempt);
        }
    }
  if (b != a)
    {
      g_test_skip ("could not get the pid reused");
      return;
    }

  g_clear_pointer (&changes, g_array_unref);
  changes = watch_scan (w);
  ig = find_in (changes, FS_PROC_CHANGE_GONE, a);
  ia = find_in (changes, FS_PROC_CHANGE_APPEARED, a);
  g_assert_cmpint (ig, >=, 0);
  g_assert_cmpint (ig, <, ia);
  gone = &g_array_index (changes, FsProcChange, ig);
  appeared = &g_array_index (changes, FsProcChange, ia);
  g_assert_cmpuint (gone->stat.starttime, ==, start);
  g_assert_cmpuint (appeared->stat.starttime, >, start);
  g_assert_cmpint (find_in (changes, FS_PROC_CHANGE_STATE, a), ==, -1);
  g_assert_cmpint (find_in (changes, FS_PROC_CHANGE_REPARENTED, a), ==, -1);
  g_assert_cmpuint (fs_proc_tracker_lookup (w->tracker, a)->starttime, ==,
                    appeared->stat.starttime);
}

/* Processes coming and going while we scan (some vanish between readdir()
 * and the read of their stat): the scan never fails, and the changes stay
 * consistent (watch_scan() checks every one). At the end, everything that
 * appeared is gone. */
static void
test_tracker_churn (void)
{
  g_autoptr(Watch) w = watch_new (getpid ());
  g_autoptr(GArray) changes = NULL;
  pid_t self = getpid ();
  int status = -1;
  int done[2];
  pid_t churner;
  guint scans = 0;
  guint appeared = 0, gone = 0;
  char c;

  g_assert_no_errno (pipe2 (done, O_CLOEXEC));
  churner = fork ();
  g_assert_cmpint (churner, >=, 0);
  if (churner == 0)
    {
      close (done[0]);
      prctl (PR_SET_PDEATHSIG, SIGKILL);
      if (getppid () != self)
        _exit (1);
      for (int i = 0; i < 3000; i++)
        {
          pid_t pid = fork ();

          if (pid == 0)
            _exit (0);
          if (pid > 0)
            waitpid (pid, NULL, 0);
        }
      _exit (0);
    }
  close (done[1]);

  /* Scan until the churner is done (done[0] reads EOF when it exits). */
  for (;;)
    {
      struct pollfd pfd = { done[0], POLLIN, 0 };
      g_autoptr(GArray) more = watch_scan (w);

      scans++;
      if (poll (&pfd, 1, 0) == 1)
        break;
    }
  g_assert_cmpint (read (done[0], &c, 1), ==, 0);
  close (done[0]);
  g_assert_cmpint (waitpid (churner, &status, 0), ==, churner);
  g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 0);

  changes = watch_scan (w);
  g_assert_cmpuint (g_hash_table_size (w->mirror), ==, 0);
  for (guint i = 0; i < w->seen->len; i++)
    {
      FsProcChangeKind kind = g_array_index (w->seen, FsProcChange, i).kind;

      appeared += kind == FS_PROC_CHANGE_APPEARED;
      gone += kind == FS_PROC_CHANGE_GONE;
    }
  g_assert_cmpuint (appeared, ==, gone);
  g_assert_cmpuint (appeared, >=, 1);
  g_test_message ("%u scans, %u processes seen", scans, appeared);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/forkscope/proc/parse/real-line", test_parse_real_line);
  g_test_add_func ("/forkscope/proc/parse/hostile-comm", test_parse_hostile_comm_text);
  g_test_add_func ("/forkscope/proc/parse/garbage", test_parse_garbage);
  g_test_add_func ("/forkscope/proc/parse/truncated", test_parse_truncated);
  g_test_add_func ("/forkscope/proc/parse/fuzz", test_parse_fuzz);
  g_test_add_func ("/forkscope/proc/read/hostile-names", test_read_hostile_names);
  g_test_add_func ("/forkscope/proc/read/gone-and-zombie", test_read_gone_and_zombie);
  g_test_add_func ("/forkscope/proc/tracker/tree", test_tracker_tree);
  g_test_add_func ("/forkscope/proc/tracker/appeared-order", test_tracker_appeared_order);
  g_test_add_func ("/forkscope/proc/tracker/states", test_tracker_states);
  g_test_add_func ("/forkscope/proc/tracker/reparent-subreaper", test_tracker_reparent_subreaper);
  g_test_add_func ("/forkscope/proc/tracker/orphan-before-first-scan",
                   test_tracker_orphan_before_first_scan);
  g_test_add_func ("/forkscope/proc/tracker/group-orphan", test_tracker_group_orphan);
  g_test_add_func ("/forkscope/proc/tracker/forget", test_tracker_forget);
  g_test_add_func ("/forkscope/proc/tracker/pid-reuse", test_tracker_pid_reuse);
  g_test_add_func ("/forkscope/proc/tracker/churn", test_tracker_churn);

  return g_test_run ();
}
