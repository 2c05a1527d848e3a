/* fs-process.h
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum
{
  FS_PROCESS_KIND_SUPERVISOR,
  FS_PROCESS_KIND_WORKER,      /* spawned by the supervisor from a definition */
  FS_PROCESS_KIND_DESCENDANT,  /* forked by a worker (or deeper), found by scanning */
} FsProcessKind;

/* What the model knows now. SLEEPING is shown distinctly in the app; the
 * script language counts it as "running". */
typedef enum
{
  FS_PROCESS_STATE_CREATED,    /* defined, not started */
  FS_PROCESS_STATE_RUNNING,
  FS_PROCESS_STATE_SLEEPING,
  FS_PROCESS_STATE_STOPPED,
  FS_PROCESS_STATE_ZOMBIE,     /* exited, not yet reaped */
  FS_PROCESS_STATE_REAPED,     /* reaped by the supervisor: exit status known */
  FS_PROCESS_STATE_GONE,       /* reaped by someone else (or vanished) */
} FsProcessState;

typedef enum
{
  FS_REAP_AUTO,                /* child watch attached at spawn */
  FS_REAP_JOIN,                /* exited children stay zombies until joined */
} FsReapPolicy;

#define FS_TYPE_PROCESS_KIND (fs_process_kind_get_type ())
#define FS_TYPE_PROCESS_STATE (fs_process_state_get_type ())
#define FS_TYPE_REAP_POLICY (fs_reap_policy_get_type ())

GType fs_process_kind_get_type  (void) G_GNUC_CONST;
GType fs_process_state_get_type (void) G_GNUC_CONST;
GType fs_reap_policy_get_type   (void) G_GNUC_CONST;

#define FS_TYPE_PROCESS (fs_process_get_type ())

G_DECLARE_FINAL_TYPE (FsProcess, fs_process, FS, PROCESS, GObject)

/* A process the engine knows of, mirrored from the supervisor's events. All
 * properties are read-only to users; the engine updates them in place and
 * notifies only on change, so list widgets bound to them stay cheap.
 *
 * Times are CLOCK_MONOTONIC microseconds (g_get_monotonic_time()), the same
 * clock in every process of the family; 0 means "not yet". */
guint           fs_process_get_id             (FsProcess *self);
FsProcessKind   fs_process_get_kind           (FsProcess *self);
const char     *fs_process_get_name           (FsProcess *self);
const char     *fs_process_get_function       (FsProcess *self);
int             fs_process_get_pid            (FsProcess *self);
int             fs_process_get_ppid           (FsProcess *self);
int             fs_process_get_birth_ppid     (FsProcess *self);
int             fs_process_get_pgid           (FsProcess *self);
guint64         fs_process_get_start_ticks    (FsProcess *self);
FsProcessState  fs_process_get_state          (FsProcess *self);
gboolean        fs_process_get_alive          (FsProcess *self);
gboolean        fs_process_get_daemon         (FsProcess *self);
FsReapPolicy    fs_process_get_reap_policy    (FsProcess *self);
gboolean        fs_process_get_orphan         (FsProcess *self);
gboolean        fs_process_get_has_exit_status (FsProcess *self);
int             fs_process_get_wait_status    (FsProcess *self);
int             fs_process_get_exit_code      (FsProcess *self);
int             fs_process_get_reaper_pid     (FsProcess *self);
gint64          fs_process_get_spawn_time     (FsProcess *self);
gint64          fs_process_get_exit_time      (FsProcess *self);
gint64          fs_process_get_reap_time      (FsProcess *self);
double          fs_process_get_cpu_percent    (FsProcess *self);
double          fs_process_get_cpu_seconds    (FsProcess *self);
guint64         fs_process_get_rss            (FsProcess *self);
/* The tree as it is now: an orphan adopted by the supervisor moves from
 * under its dead parent to under the supervisor (an orphan re-parented
 * outside the supervisor's family stays where it was, with ppid naming the
 * adopter). */
FsProcess      *fs_process_get_parent         (FsProcess *self);
GListModel     *fs_process_get_children       (FsProcess *self);
/* The tree as it was born: the process that forked it (or the supervisor
 * for workers), and the processes it forked in order of appearance. These
 * never move, so "the N-th child of w" keeps its meaning after adoption. */
FsProcess      *fs_process_get_birth_parent   (FsProcess *self);
GListModel     *fs_process_get_birth_children (FsProcess *self);
/* The worker @self descends from by birth (itself for a worker; NULL for
 * the supervisor, or an orphan of unknown descent). Its descendants write
 * to the stdout and stderr they inherited from it: their output is the
 * worker's output too. */
FsProcess      *fs_process_get_worker         (FsProcess *self);
/* "exit code 3", "killed by SIGTERM", ...; NULL while no exit status. */
char           *fs_process_dup_exit_text      (FsProcess *self);

const char     *fs_process_kind_to_string     (FsProcessKind  kind);
gboolean        fs_process_kind_from_string   (const char     *text,
                                               FsProcessKind  *kind);
const char     *fs_process_state_to_string    (FsProcessState state);
gboolean        fs_process_state_from_string  (const char     *text,
                                               FsProcessState *state);
/* running, sleeping and stopped */
gboolean        fs_process_state_is_alive     (FsProcessState state);
const char     *fs_reap_policy_to_string      (FsReapPolicy policy);
gboolean        fs_reap_policy_from_string    (const char    *text,
                                               FsReapPolicy  *policy);

/* For the engine only: apply a supervisor event's fields (a{sv}) to the
 * process, notifying each property that changed. */
void            fs_process_apply              (FsProcess     *self,
                                               GVariant      *fields);
FsProcess      *fs_process_new                (guint          id,
                                               FsProcessKind  kind);
void            fs_process_set_parent         (FsProcess     *self,
                                               FsProcess     *parent);
void            fs_process_detach             (FsProcess     *self);

G_END_DECLS
