/* fs-test-engine.h: helpers shared by the engine tests and benchmark
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "fs-engine.h"

G_BEGIN_DECLS

/* One engine and everything it said. Each test makes its own. */
typedef struct
{
  FsEngine   *engine;
  GPtrArray  *events;     /* FsEvent, in order */
  GPtrArray  *spawned;    /* FsProcess the test started (killed at teardown) */
} FsTestEngine;

void        fs_test_engine_setup        (FsTestEngine  *t,
                                         gconstpointer  data);
void        fs_test_engine_teardown     (FsTestEngine  *t,
                                         gconstpointer  data);

/* "basics.sleep" -> BUILDDIR/src/plugins/basics.so */
char       *fs_test_plugin_path         (const char    *function);

/* Spawn @function with KEY=VALUE arguments (NULL-terminated), asserting
 * success. */
FsProcess  *fs_test_spawn               (FsTestEngine  *t,
                                         const char    *name,
                                         const char    *function,
                                         gboolean       daemon,
                                         ...) G_GNUC_NULL_TERMINATED;

/* Iterate the main context until @func returns TRUE, failing the test
 * after @seconds. */
typedef gboolean (*FsTestCondition) (FsTestEngine *t,
                                     gpointer      data);
void        fs_test_wait                (FsTestEngine    *t,
                                         FsTestCondition  func,
                                         gpointer         data,
                                         double           seconds,
                                         const char      *what);

/* Iterate the main context for @seconds (to check that something does
 * NOT happen). */
void        fs_test_run_for             (double          seconds);

/* The first event of @kind about @process (NULL: any process), or NULL. */
FsEvent    *fs_test_find_event          (FsTestEngine  *t,
                                         FsProcess     *process,
                                         FsEventKind    kind);
/* Wait for it (failing after @seconds). */
FsEvent    *fs_test_wait_event          (FsTestEngine  *t,
                                         FsProcess     *process,
                                         FsEventKind    kind,
                                         double         seconds);
/* Iterate until @process is in @state. */
void        fs_test_wait_state          (FsTestEngine   *t,
                                         FsProcess      *process,
                                         FsProcessState  state,
                                         double          seconds);

/* /proc facts */
char        fs_test_proc_state          (int            pid);
int         fs_test_proc_ppid           (int            pid);
/* "N -> target" for each fd @pid holds, one a line, by number; the stat
 * files a scan is reading at that moment are left out. */
char       *fs_test_describe_fds        (int            pid);
/* Children of @pid according to /proc (every thread's children file). */
guint       fs_test_count_children      (int            pid);
/* Zombie children of @pid. */
guint       fs_test_count_zombies       (int            pid);
/* A pidfd for @pid, asserting success: open it while the process is
 * known to be alive and unreaped, so it names the right one. */
int         fs_test_pidfd_open          (int            pid);
/* Wait for the process behind @pidfd to exit (poll: no sleeping loop). */
gboolean    fs_test_pidfd_wait_exit     (int            pidfd,
                                         double         seconds);
/* Wait for @pid (not our child) to disappear from /proc. */
gboolean    fs_test_wait_pid_gone       (int            pid,
                                         double         seconds);

G_END_DECLS
