/* fs-signals.c
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>

#include "fs-signals.h"

static const struct
{
  int         signum;
  const char *name;
} signal_names[] = {
  { SIGHUP, "SIGHUP" },
  { SIGINT, "SIGINT" },
  { SIGQUIT, "SIGQUIT" },
  { SIGILL, "SIGILL" },
  { SIGTRAP, "SIGTRAP" },
  { SIGABRT, "SIGABRT" },
  { SIGBUS, "SIGBUS" },
  { SIGFPE, "SIGFPE" },
  { SIGKILL, "SIGKILL" },
  { SIGUSR1, "SIGUSR1" },
  { SIGSEGV, "SIGSEGV" },
  { SIGUSR2, "SIGUSR2" },
  { SIGPIPE, "SIGPIPE" },
  { SIGALRM, "SIGALRM" },
  { SIGTERM, "SIGTERM" },
  { SIGSTKFLT, "SIGSTKFLT" },
  { SIGCHLD, "SIGCHLD" },
  { SIGCONT, "SIGCONT" },
  { SIGSTOP, "SIGSTOP" },
  { SIGTSTP, "SIGTSTP" },
  { SIGTTIN, "SIGTTIN" },
  { SIGTTOU, "SIGTTOU" },
  { SIGURG, "SIGURG" },
  { SIGXCPU, "SIGXCPU" },
  { SIGXFSZ, "SIGXFSZ" },
  { SIGVTALRM, "SIGVTALRM" },
  { SIGPROF, "SIGPROF" },
  { SIGWINCH, "SIGWINCH" },
  { SIGIO, "SIGIO" },
  { SIGPWR, "SIGPWR" },
  { SIGSYS, "SIGSYS" },
};

const char *
fs_signal_to_name (int signum)
{
  for (guint i = 0; i < G_N_ELEMENTS (signal_names); i++)
    if (signal_names[i].signum == signum)
      return signal_names[i].name;
  return NULL;
}

gboolean
fs_signal_from_name (const char *text,
                     int        *signum)
{
  guint64 number;

  g_return_val_if_fail (signum != NULL, FALSE);

  if (text == NULL || *text == '\0')
    return FALSE;

  if (g_ascii_string_to_unsigned (text, 10, 1, SIGRTMAX, &number, NULL))
    {
      *signum = (int) number;
      return TRUE;
    }

  if (g_ascii_strncasecmp (text, "SIG", 3) == 0)
    text += 3;

  for (guint i = 0; i < G_N_ELEMENTS (signal_names); i++)
    if (g_ascii_strcasecmp (signal_names[i].name + 3, text) == 0)
      {
        *signum = signal_names[i].signum;
        return TRUE;
      }

  return FALSE;
}

int
fs_wait_status_to_exitcode (int wait_status)
{
  if (WIFEXITED (wait_status))
    return WEXITSTATUS (wait_status);
  if (WIFSIGNALED (wait_status))
    return -WTERMSIG (wait_status);
  return 0;
}
