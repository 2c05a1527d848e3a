/* fs-script-runner.h
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "fs-engine.h"
#include "fs-script.h"

G_BEGIN_DECLS

typedef enum
{
  FS_SCRIPT_RUNNER_READY,        /* not started yet */
  FS_SCRIPT_RUNNER_RUNNING,      /* executing statements */
  FS_SCRIPT_RUNNER_PAUSED,       /* step mode: between two statements */
  FS_SCRIPT_RUNNER_CLEANING_UP,  /* the end-of-script rule, or cleaning up after a failure */
  FS_SCRIPT_RUNNER_FINISHED,
} FsScriptRunnerState;

#define FS_TYPE_SCRIPT_RUNNER (fs_script_runner_get_type ())

G_DECLARE_FINAL_TYPE (FsScriptRunner, fs_script_runner, FS, SCRIPT_RUNNER, GObject)

/* Runs a checked FsScript on a started FsEngine, asynchronously: every wait
 * (join, wait, sleep) is driven by the engine's events and timeouts, so the
 * main loop never blocks.
 *
 * The runner owns the processes its script starts, and only those; the
 * engine may hold others (the app's). It sets the engine's policies as the
 * script says (from the defaults, auto and on) and restores them at the end
 * (if runners overlap, as in a restart, the last one started restores).
 * At the end of the script it behaves like Python at interpreter exit:
 * terminate the daemon processes, then join the others; what is still alive
 * after that (grandchildren, orphans) is reported with a "note" event and
 * left running. After a failure (or fs_script_runner_stop()) it terminates
 * every process it started, with its process group, and kills what ignores
 * that.
 *
 * Step mode (for the app's lesson player): fs_script_runner_run() pauses
 * before the first statement; each fs_script_runner_step() runs one
 * statement and pauses again (the end-of-script rule is a step of its own);
 * fs_script_runner_continue() runs to the end. To restart, stop this runner
 * and run a new one.
 *
 * Signals:
 *  - "statement-started" (guint line, const char *text)
 *  - "statement-finished" (guint line, const char *text, gboolean ok)
 *  - "say" (const char *text)
 *  - "expect" (guint line, gboolean ok, const char *expected, const char *found):
 *    for every expect, and for a wait that failed
 *  - "event" (FsEvent *): the script's own events, for logs and --json:
 *    say (text, line), expect (ok; text: the statement as written; subject;
 *    expected: the check with the values it refers to; found; message when
 *    it failed; line),
 *    error (message, line) and note (text, line)
 *  - "finished" (int status): 0 when every statement ran and held, 1 when
 *    an expect, a wait or an operation failed, or the run was stopped.
 */
FsScriptRunner      *fs_script_runner_new              (FsEngine       *engine,
                                                        FsScript       *script);
FsEngine            *fs_script_runner_get_engine       (FsScriptRunner *self);
FsScript            *fs_script_runner_get_script       (FsScriptRunner *self);
FsScriptRunnerState  fs_script_runner_get_state        (FsScriptRunner *self);
gboolean             fs_script_runner_get_step_mode    (FsScriptRunner *self);
void                 fs_script_runner_set_step_mode    (FsScriptRunner *self,
                                                        gboolean        step_mode);
/* The line of the statement running, or of the next one when paused; 0 at
 * the end of the script. */
guint                fs_script_runner_get_current_line (FsScriptRunner *self);
/* -1 until finished. */
int                  fs_script_runner_get_exit_status  (FsScriptRunner *self);
/* The process a `process NAME` statement started, or NULL. */
FsProcess           *fs_script_runner_lookup_process   (FsScriptRunner *self,
                                                        const char     *name);

void                 fs_script_runner_run              (FsScriptRunner *self);
void                 fs_script_runner_step             (FsScriptRunner *self);
void                 fs_script_runner_continue         (FsScriptRunner *self);
void                 fs_script_runner_stop             (FsScriptRunner *self);

const char          *fs_script_runner_state_to_string  (FsScriptRunnerState state);

G_END_DECLS
