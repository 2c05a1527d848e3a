/* command.c: run any program as a worker
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>

#include "fs-builtin.h"

/* command.run: the worker becomes the program (exec, same PID), so what
 * the tree shows is the program itself. The command line is split like a
 * shell would (quotes, backslashes) but no shell runs it: no globbing,
 * pipes or variables. */

static const FsParamSpec run_params[] = {
  { "argv", FS_PARAM_STRING, "echo hello", 0, 0, NULL,
    N_("The program and its arguments, quoted as in a shell (no shell runs it)") },
};

static int
run_setup (const FsValue  *args,
           void          **state,
           char          **error)
{
  GError *local_error = NULL;
  char **argv = NULL;

  if (!g_shell_parse_argv (args[0].s, NULL, &argv, &local_error))
    {
      *error = strdup (local_error->message);
      g_error_free (local_error);
      return 1;
    }
  *state = argv;
  return 0;
}

static int
run_run (const FsValue *args,
         void          *state)
{
  char **argv = state;

  fflush (stdout);
  fflush (stderr);
  execvp (argv[0], argv);

  /* Like a shell: 127 when the program is not found, 126 when it is there
   * but cannot be run. */
  fprintf (stderr, _("cannot run %s: %s\n"), argv[0], strerror (errno));
  return errno == ENOENT ? 127 : 126;
}

static const FsFunction command_functions[] = {
  { "run", N_("Run a program"),
    run_params, FS_N_ELEMENTS (run_params), run_setup, run_run },
};

FS_BUILTIN_PLUGIN (command_plugin, "command",
                   N_("Run any program as a worker"),
                   command_functions)
