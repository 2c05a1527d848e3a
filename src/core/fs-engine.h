/* fs-engine.h
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "fs-event.h"
#include "fs-process.h"

G_BEGIN_DECLS

#define FS_ENGINE_ERROR (fs_engine_error_quark ())

typedef enum
{
  FS_ENGINE_ERROR_FAILED,
  FS_ENGINE_ERROR_NOT_RUNNING,     /* the supervisor is not (or no longer) running */
  FS_ENGINE_ERROR_INVALID_ARGS,    /* unknown function, bad parameter value */
  FS_ENGINE_ERROR_NOT_A_CHILD,     /* join on something the supervisor did not spawn */
  FS_ENGINE_ERROR_ALREADY_REAPED,  /* signal or join on a reaped process */
  FS_ENGINE_ERROR_ALREADY_STARTED,
} FsEngineError;

/* What to do with live workers when the front end leaves. */
typedef enum
{
  FS_SHUTDOWN_DAEMON_RULE,   /* terminate daemon workers, leave the rest (default on EOF) */
  FS_SHUTDOWN_TERMINATE,     /* SIGTERM every worker (and its group), then reap */
  FS_SHUTDOWN_KILL,          /* SIGKILL every worker (and its group), then reap */
} FsShutdownMode;

#define FS_TYPE_SHUTDOWN_MODE (fs_shutdown_mode_get_type ())
GType fs_shutdown_mode_get_type (void) G_GNUC_CONST;

#define FS_TYPE_ENGINE (fs_engine_get_type ())

G_DECLARE_FINAL_TYPE (FsEngine, fs_engine, FS, ENGINE, GObject)

/* The client side of forkscope-supervisor. One engine = one supervisor
 * process, started by fs_engine_start() on a socketpair, spoken to over a
 * peer-to-peer D-Bus connection. Everything here runs on the thread-default
 * main context the engine was created in; nothing blocks it except the
 * explicitly _sync calls, meant for the CLI and tests.
 *
 * The engine mirrors the supervisor's process family as FsProcess objects:
 *  - fs_engine_get_supervisor(): the root; its children model holds the
 *    workers, theirs their forked children, and so on (ready for
 *    GtkTreeListModel);
 *  - fs_engine_get_processes(): every process ever seen, in order of
 *    appearance (the supervisor first).
 * Processes are never removed from these models by the engine (reaped and
 * gone ones stay, like tombstones) until fs_engine_clear_finished().
 *
 * Signals:
 *  - "event" (FsEvent *): every event, in the supervisor's order, after the
 *    model was updated for it. Output lines are events too (FS_EVENT_OUTPUT).
 *  - "closed" (const GError *): the supervisor went away.
 */
GQuark          fs_engine_error_quark          (void);
FsEngine       *fs_engine_new                  (void);
gboolean        fs_engine_start                (FsEngine             *self,
                                                GError              **error);
gboolean        fs_engine_is_running           (FsEngine             *self);
FsProcess      *fs_engine_get_supervisor       (FsEngine             *self);
GListModel     *fs_engine_get_processes        (FsEngine             *self);
FsProcess      *fs_engine_lookup_pid           (FsEngine             *self,
                                                int                   pid);
gint64          fs_engine_get_origin           (FsEngine             *self);

/* Policies apply to processes started afterwards. */
FsReapPolicy    fs_engine_get_reap_policy      (FsEngine             *self);
void            fs_engine_set_reap_policy      (FsEngine             *self,
                                                FsReapPolicy          policy);
gboolean        fs_engine_get_subreaper        (FsEngine             *self);
void            fs_engine_set_subreaper        (FsEngine             *self,
                                                gboolean              subreaper);
/* How often the supervisor scans /proc for descendants, states, CPU and
 * memory (milliseconds; default 500). */
guint           fs_engine_get_scan_interval    (FsEngine             *self);
void            fs_engine_set_scan_interval    (FsEngine             *self,
                                                guint                 msec);

/* Start a worker. @function is "plugin.function", @plugin_path the .so that
 * provides it (from FsPluginRegistry), @args KEY=VALUE strings already
 * checked against the spec (the worker checks again). The returned process
 * is in the tree before the callback runs. */
void            fs_engine_spawn_async          (FsEngine             *self,
                                                const char           *name,
                                                const char           *plugin_path,
                                                const char           *function,
                                                const char * const   *args,
                                                gboolean              daemon,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
FsProcess      *fs_engine_spawn_finish         (FsEngine             *self,
                                                GAsyncResult         *result,
                                                GError              **error);

/* Like Process.join(timeout): waits until the worker is reaped (attaching
 * the child watch if it runs under the join policy) or @timeout seconds
 * pass (timeout < 0: no limit; 0: just look). Returns TRUE if the process
 * was reaped (its exit status is then on the process), FALSE with no error
 * if the timeout expired with the process still alive. Only workers (the
 * supervisor's own children) can be joined. Joining twice is fine. */
void            fs_engine_join_async           (FsEngine             *self,
                                                FsProcess            *process,
                                                double                timeout,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
gboolean        fs_engine_join_finish          (FsEngine             *self,
                                                GAsyncResult         *result,
                                                GError              **error);

/* Send @signum through the process's pidfd (never by pid). With @group,
 * to the worker's whole process group ("kill the tree"). Fails with
 * FS_ENGINE_ERROR_ALREADY_REAPED if the process no longer exists. */
void            fs_engine_signal_async         (FsEngine             *self,
                                                FsProcess            *process,
                                                int                   signum,
                                                gboolean              group,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
gboolean        fs_engine_signal_finish        (FsEngine             *self,
                                                GAsyncResult         *result,
                                                GError              **error);

/* Ask the supervisor to apply @mode to live workers and exit; completes when
 * it has exited. */
void            fs_engine_shutdown_async       (FsEngine             *self,
                                                FsShutdownMode        mode,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
gboolean        fs_engine_shutdown_finish      (FsEngine             *self,
                                                GAsyncResult         *result,
                                                GError              **error);

/* Drop reaped and gone processes (and their subtrees) from the models. */
void            fs_engine_clear_finished       (FsEngine             *self);

/* Blocking wrappers that iterate the thread-default main context; for the
 * CLI and tests only. */
FsProcess      *fs_engine_spawn_sync           (FsEngine             *self,
                                                const char           *name,
                                                const char           *plugin_path,
                                                const char           *function,
                                                const char * const   *args,
                                                gboolean              daemon,
                                                GError              **error);
gboolean        fs_engine_join_sync            (FsEngine             *self,
                                                FsProcess            *process,
                                                double                timeout,
                                                GError              **error);
gboolean        fs_engine_signal_sync          (FsEngine             *self,
                                                FsProcess            *process,
                                                int                   signum,
                                                gboolean              group,
                                                GError              **error);
gboolean        fs_engine_shutdown_sync        (FsEngine             *self,
                                                FsShutdownMode        mode,
                                                GError              **error);

G_END_DECLS
