/* fs-test-worker.h: running the real forkscope-worker from tests
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct
{
  int    pid;
  int    wait_status;   /* as from waitpid() */
  char  *out;
  char  *err;
} FsWorkerResult;

void            fs_worker_result_free       (FsWorkerResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FsWorkerResult, fs_worker_result_free)

/* The path of a built-in plugin in the build tree. */
char           *fs_test_plugin_path         (const char *plugin);

/* Spawns `forkscope-worker ARGV...` and returns its pid even if it exits
 * (and GSubprocess reaps it) at once. */
GSubprocess    *fs_test_spawn_worker        (GSubprocessLauncher *launcher,
                                             const char * const  *argv,
                                             pid_t               *pid);
/* Runs `forkscope-worker ARGV...` with stdin from /dev/null and only fds
 * 0-2 open, waits for it (failing the test after 30 s) and returns its
 * status and output. */
FsWorkerResult *fs_test_worker_runv         (const char * const *argv);
/* `forkscope-worker --run PLUGIN.so FUNCTION ARGS... NULL` */
FsWorkerResult *fs_test_worker_run          (const char *plugin,
                                             const char *function,
                                             ...) G_GNUC_NULL_TERMINATED;

/* Asserts the worker exited normally with @code. */
void            fs_test_assert_exit_code    (FsWorkerResult *result,
                                             int             code);
/* Number of times @needle occurs in @haystack. */
guint           fs_test_count               (const char *haystack,
                                             const char *needle);

G_END_DECLS
