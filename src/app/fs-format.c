/* fs-format.c
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/wait.h>

#include <glib/gi18n.h>

#include "fs-format.h"

/* The standard signals a learner meets, the ones the lessons use first
 * (FS_N_COMMON_SIGNALS of them: lists show them above the others), then the
 * rest by number; real-time signals are left out (they can still be sent
 * from the command line tools). */
static const FsSignalInfo signals[] = {
  { SIGTERM,   "SIGTERM",   N_("Terminate") },
  { SIGKILL,   "SIGKILL",   N_("Kill (cannot be caught)") },
  { SIGSTOP,   "SIGSTOP",   N_("Stop (cannot be caught)") },
  { SIGCONT,   "SIGCONT",   N_("Continue if stopped") },
  { SIGINT,    "SIGINT",    N_("Interrupt (Ctrl+C)") },
  { SIGHUP,    "SIGHUP",    N_("Hangup") },
  { SIGUSR1,   "SIGUSR1",   N_("User-defined signal 1") },
  { SIGUSR2,   "SIGUSR2",   N_("User-defined signal 2") },
  { SIGQUIT,   "SIGQUIT",   N_("Quit, with a core dump") },
  { SIGILL,    "SIGILL",    N_("Illegal instruction") },
  { SIGTRAP,   "SIGTRAP",   N_("Trace trap") },
  { SIGABRT,   "SIGABRT",   N_("Abort") },
  { SIGBUS,    "SIGBUS",    N_("Bus error") },
  { SIGFPE,    "SIGFPE",    N_("Arithmetic exception") },
  { SIGSEGV,   "SIGSEGV",   N_("Segmentation fault") },
  { SIGPIPE,   "SIGPIPE",   N_("Broken pipe") },
  { SIGALRM,   "SIGALRM",   N_("Alarm clock") },
  { SIGCHLD,   "SIGCHLD",   N_("Child status changed") },
  { SIGTSTP,   "SIGTSTP",   N_("Stop from the terminal (Ctrl+Z)") },
  { SIGTTIN,   "SIGTTIN",   N_("Background read from the terminal") },
  { SIGTTOU,   "SIGTTOU",   N_("Background write to the terminal") },
  { SIGURG,    "SIGURG",    N_("Urgent data on a socket") },
  { SIGXCPU,   "SIGXCPU",   N_("CPU time limit exceeded") },
  { SIGXFSZ,   "SIGXFSZ",   N_("File size limit exceeded") },
  { SIGVTALRM, "SIGVTALRM", N_("Virtual alarm clock") },
  { SIGPROF,   "SIGPROF",   N_("Profiling timer expired") },
  { SIGWINCH,  "SIGWINCH",  N_("Window size changed") },
  { SIGIO,     "SIGIO",     N_("I/O possible") },
  { SIGPWR,    "SIGPWR",    N_("Power failure") },
  { SIGSYS,    "SIGSYS",    N_("Bad system call") },
};

const FsSignalInfo *
fs_format_signals (guint *n_signals)
{
  g_return_val_if_fail (n_signals != NULL, NULL);

  *n_signals = G_N_ELEMENTS (signals);
  return signals;
}

char *
fs_format_signal_name (int signum)
{
  for (guint i = 0; i < G_N_ELEMENTS (signals); i++)
    if (signals[i].signum == signum)
      return g_strdup (signals[i].name);

  if (signum >= SIGRTMIN && signum <= SIGRTMAX)
    return g_strdup_printf ("SIGRTMIN+%d", signum - SIGRTMIN);

  return g_strdup_printf ("SIG%d", signum);
}

char *
fs_format_duration (gint64 usec)
{
  gint64 sec;

  if (usec < 0)
    usec = 0;

  if (usec < 10 * G_USEC_PER_SEC)
    /* Translators: a short duration in seconds, e.g. "3.2 s" */
    return g_strdup_printf (_("%.1f s"), usec / (double) G_USEC_PER_SEC);

  sec = usec / G_USEC_PER_SEC;
  if (sec < 60)
    /* Translators: a duration in whole seconds, e.g. "42 s" */
    return g_strdup_printf (_("%d s"), (int) sec);
  if (sec < 3600)
    /* Translators: minutes and seconds, e.g. "3 min 05 s" */
    return g_strdup_printf (_("%d min %02d s"), (int) (sec / 60), (int) (sec % 60));

  /* Translators: hours and minutes, e.g. "2 h 05 min" */
  return g_strdup_printf (_("%d h %02d min"), (int) (sec / 3600), (int) ((sec / 60) % 60));
}

char *
fs_format_wall_time (gint64 monotonic_usec)
{
  g_autoptr(GDateTime) dt = NULL;
  gint64 real;

  if (monotonic_usec <= 0)
    return g_strdup ("");

  /* Process times are CLOCK_MONOTONIC; map them onto the wall clock now,
   * which is exact unless the wall clock was set since. */
  real = g_get_real_time () - (g_get_monotonic_time () - monotonic_usec);
  dt = g_date_time_new_from_unix_local (real / G_USEC_PER_SEC);
  if (dt == NULL)
    return g_strdup ("");

  return g_date_time_format (dt, "%H:%M:%S");
}

char *
fs_format_exit (FsProcess *process)
{
  int status;

  g_return_val_if_fail (FS_IS_PROCESS (process), NULL);

  if (!fs_process_get_has_exit_status (process))
    return g_strdup ("");

  status = fs_process_get_wait_status (process);
  if (WIFSIGNALED (status))
    {
      g_autofree char *name = fs_format_signal_name (WTERMSIG (status));

      /* A minus sign, as Python's exitcode shows a killed process. */
      return g_strdup_printf ("\342\210\222%s", name);
    }

  return g_strdup_printf ("%d", fs_process_get_exit_code (process));
}

static char *
read_comm (int pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/comm", pid);
  g_autofree char *contents = NULL;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return NULL;

  return g_strstrip (g_steal_pointer (&contents));
}

char *
fs_format_adopter (FsProcess *process)
{
  FsProcess *parent;
  int ppid;

  g_return_val_if_fail (FS_IS_PROCESS (process), NULL);

  parent = fs_process_get_parent (process);
  ppid = fs_process_get_ppid (process);

  if (parent != NULL && fs_process_get_kind (parent) == FS_PROCESS_KIND_SUPERVISOR)
    /* Translators: who adopted an orphan; %d is a PID */
    return g_strdup_printf (_("the supervisor (PID %d)"), fs_process_get_pid (parent));

  if (ppid == 1)
    return g_strdup (_("PID 1 (init)"));

  if (ppid > 0)
    {
      g_autofree char *comm = read_comm (ppid);

      if (comm != NULL)
        /* Translators: who adopted an orphan: a PID and a command name */
        return g_strdup_printf (_("PID %d (%s)"), ppid, comm);
      return g_strdup_printf (_("PID %d"), ppid);
    }

  return g_strdup (_("an unknown process"));
}

static char *
format_zombie (FsProcess      *process,
               FsFormatLength  length)
{
  g_autofree char *exit_text = fs_format_exit (process);
  int reaper = fs_process_get_ppid (process);

  if (length == FS_FORMAT_SHORT)
    return g_strdup (_("Zombie"));

  if (length == FS_FORMAT_CELL)
    /* Translators: %d is the PID of the parent that must reap the zombie */
    return g_strdup_printf (_("Zombie: waiting for PID %d to reap"), reaper);

  if (*exit_text == '\0')
    /* Translators: %d is the PID of the parent that must reap the zombie */
    return g_strdup_printf (_("Zombie: exited — waiting for PID %d to reap"), reaper);

  /* Translators: "exited with 0 — waiting for PID 4242 to reap"; the first
   * %s is an exit code or a signal name, %d the parent's PID */
  return g_strdup_printf (_("Zombie: exited with %s — waiting for PID %d to reap"),
                          exit_text, reaper);
}

char *
fs_format_state (FsProcess      *process,
                 FsFormatLength  length)
{
  FsProcessState state;
  const char *base = NULL;

  g_return_val_if_fail (FS_IS_PROCESS (process), NULL);

  state = fs_process_get_state (process);

  switch (state)
    {
    case FS_PROCESS_STATE_CREATED:
      base = _("Starting");
      break;

    case FS_PROCESS_STATE_RUNNING:
      base = _("Running");
      break;

    case FS_PROCESS_STATE_SLEEPING:
      base = _("Sleeping");
      break;

    case FS_PROCESS_STATE_STOPPED:
      base = _("Stopped");
      break;

    case FS_PROCESS_STATE_ZOMBIE:
      return format_zombie (process, length);

    case FS_PROCESS_STATE_REAPED:
      if (length != FS_FORMAT_SHORT && fs_process_get_reaper_pid (process) > 0)
        /* Translators: %d is the supervisor's PID. "Reaped" always means
         * reaped by the supervisor: the event log and the timeline say it
         * in the same words. */
        return g_strdup_printf (_("Reaped by the supervisor (PID %d)"), fs_process_get_reaper_pid (process));
      return g_strdup (_("Reaped"));

    case FS_PROCESS_STATE_GONE:
      if (length == FS_FORMAT_LONG)
        return g_strdup (_("Gone (reaped by another process)"));
      return g_strdup (_("Gone"));

    default:
      g_assert_not_reached ();
    }

  if (length == FS_FORMAT_CELL && fs_process_get_orphan (process))
    /* Translators: "Running · adopted by PID 42" */
    return g_strdup_printf (_("%s · adopted by PID %d"), base, fs_process_get_ppid (process));

  if (length == FS_FORMAT_LONG && fs_process_get_orphan (process))
    {
      g_autofree char *adopter = fs_format_adopter (process);

      /* Translators: "Running — orphan, adopted by the supervisor (PID 42)" */
      return g_strdup_printf (_("%s — orphan, adopted by %s"), base, adopter);
    }

  return g_strdup (base);
}

const char *
fs_format_state_icon (FsProcess *process)
{
  g_return_val_if_fail (FS_IS_PROCESS (process), NULL);

  switch (fs_process_get_state (process))
    {
    case FS_PROCESS_STATE_CREATED:
      return "content-loading-symbolic";
    case FS_PROCESS_STATE_RUNNING:
      return "media-playback-start-symbolic";
    case FS_PROCESS_STATE_SLEEPING:
      return "weather-clear-night-symbolic";
    case FS_PROCESS_STATE_STOPPED:
      return "media-playback-pause-symbolic";
    case FS_PROCESS_STATE_ZOMBIE:
      return "face-sick-symbolic";
    case FS_PROCESS_STATE_REAPED:
      return "object-select-symbolic";
    case FS_PROCESS_STATE_GONE:
      return "action-unavailable-symbolic";
    default:
      g_assert_not_reached ();
    }
}

const char *
fs_format_state_css_class (FsProcess *process)
{
  g_return_val_if_fail (FS_IS_PROCESS (process), NULL);

  switch (fs_process_get_state (process))
    {
    case FS_PROCESS_STATE_CREATED:
      return "fs-state-created";
    case FS_PROCESS_STATE_RUNNING:
      return "fs-state-running";
    case FS_PROCESS_STATE_SLEEPING:
      return "fs-state-sleeping";
    case FS_PROCESS_STATE_STOPPED:
      return "fs-state-stopped";
    case FS_PROCESS_STATE_ZOMBIE:
      return "fs-state-zombie";
    case FS_PROCESS_STATE_REAPED:
      return "fs-state-reaped";
    case FS_PROCESS_STATE_GONE:
      return "fs-state-gone";
    default:
      g_assert_not_reached ();
    }
}

char *
fs_format_policy (FsProcess *process)
{
  g_return_val_if_fail (FS_IS_PROCESS (process), NULL);

  switch (fs_process_get_kind (process))
    {
    case FS_PROCESS_KIND_SUPERVISOR:
      return g_strdup (_("The supervisor is the parent of every worker: it spawns them, reaps them and adopts orphaned descendants, so the app itself never forks"));

    case FS_PROCESS_KIND_DESCENDANT:
      return g_strdup (_("Forked by a worker: its parent must reap it"));

    case FS_PROCESS_KIND_WORKER:
      if (fs_process_get_reap_policy (process) == FS_REAP_JOIN)
        return g_strdup (_("Reaped on join: after it exits it stays a zombie until it is joined"));
      return g_strdup (_("Reaped automatically as soon as it exits"));

    default:
      g_assert_not_reached ();
    }
}

char *
fs_format_subject_path (FsProcess *process)
{
  g_autoptr(GString) path = NULL;
  g_autoptr(GPtrArray) chain = g_ptr_array_new ();
  FsProcess *p;

  g_return_val_if_fail (FS_IS_PROCESS (process), NULL);

  /* "z/1/2": the worker's name, then at each level the child's rank among
   * its parent's forks, in order of birth; what a lesson calls it. */
  for (p = process; p != NULL && fs_process_get_kind (p) == FS_PROCESS_KIND_DESCENDANT;
       p = fs_process_get_birth_parent (p))
    g_ptr_array_add (chain, p);
  if (p == NULL || fs_process_get_kind (p) != FS_PROCESS_KIND_WORKER)
    return NULL;

  path = g_string_new (fs_process_get_name (p));
  for (guint i = chain->len; i > 0; i--)
    {
      FsProcess *child = chain->pdata[i - 1];
      GListModel *siblings = fs_process_get_birth_children (fs_process_get_birth_parent (child));
      guint n = siblings != NULL ? g_list_model_get_n_items (siblings) : 0;
      guint rank = 0;

      for (guint j = 0; j < n && rank == 0; j++)
        {
          g_autoptr(FsProcess) sibling = g_list_model_get_item (siblings, j);

          if (sibling == child)
            rank = j + 1;
        }
      if (rank == 0)
        return NULL;
      g_string_append_printf (path, "/%u", rank);
    }

  return g_string_free (g_steal_pointer (&path), FALSE);
}
