/* fs-supervisor.c
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/pidfd.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <glib-unix.h>

#include "fs-event.h"
#include "fs-line-reader.h"
#include "fs-proc.h"
#include "fs-signals.h"
#include "fs-process.h"
#include "fs-supervisor.h"
#include "fs-supervisor-dbus.h"

/* How long leaving waits for signalled workers before SIGKILL, and after. */
#define LEAVE_GRACE_MSEC 2000
#define LEAVE_KILL_MSEC  1000
/* A scan this soon after a spawn or an exit catches quick forks. */
#define SCAN_SOON_MSEC   20
/* More queued events than this are sent without waiting for idle. */
#define MAX_QUEUED       512
/* Output lines a second, all workers together: a front end can follow
 * that (the CLI prints about 70000 a second, a GTK list far fewer), and a
 * worker printing faster is made to wait, not cut. */
#define OUTPUT_PER_SECOND 4096

typedef struct _Proc Proc;
typedef struct _Join Join;

struct _Proc
{
  FsSupervisor   *sv;
  guint           id;
  guint           parent_id;
  FsProcessKind   kind;
  char           *name;
  char           *function;
  int             pid;
  int             ppid;
  int             birth_ppid;
  int             pgid;
  guint64         start_ticks;
  FsProcessState  state;
  gboolean        daemon;
  FsReapPolicy    policy;
  gboolean        orphan;
  /* Our direct child (a worker, or an adopted orphan): only a child watch
   * may reap it, and until then its pid cannot be reused. Stays TRUE. */
  gboolean        child;
  gboolean        exited;     /* exit seen: zombie, reaped or gone */
  gboolean        finished;   /* reaped or gone: never signal it again */
  gboolean        has_status;
  int             wait_status;
  int             reaper;
  gint64          spawn_time;
  gint64          exit_time;
  gint64          reap_time;
  int             pidfd;      /* -1 until opened (and pinned) */
  guint           watch_id;   /* child watch: the only reaper */
  guint           exit_id;    /* pidfd readable: exit seen without reaping */
  FsLineReader   *out;
  FsLineReader   *err;
  /* Found by its output; no scan has reported it yet. */
  gboolean        unconfirmed;
  guint           discover_scan; /* scans started before it was found */
  /* Whose output a process's writes count as: itself for a worker, the
   * worker it descends from for a descendant (NULL: an orphan of unknown
   * descent). Never freed before the supervisor. */
  Proc           *worker;
  GPtrArray      *joins;
  /* A worker leads a group: who may still be found through it. A process
   * that started after this (clock ticks since boot, like /proc's
   * starttime) is not a member: once the leader is reaped and the group
   * is empty, a stranger may get the number. G_MAXUINT64 while the leader
   * is unreaped (its pid, so the group id, is still ours). */
  guint64         group_last_start;
  guint           reap_scan;  /* the scans started before the reap */
  /* Statistics from the last scan. */
  guint64         ticks;
  gint64          ticks_time;
  double          cpu_percent;
  guint64         rss;
};

struct _Join
{
  Proc                  *proc;
  GDBusMethodInvocation *invocation;
  double                 timeout;
  guint                  timeout_id;
};

/* What the scan thread is to tell its tracker before the next scan. */
typedef enum
{
  TRACKER_ADD_GROUP,
  TRACKER_REMOVE_GROUP,
  TRACKER_FORGET,
} TrackerOpKind;

typedef struct
{
  TrackerOpKind kind;
  int           pid;        /* or pgid */
  guint64       starttime;
} TrackerOp;

typedef struct
{
  GArray *tracker_ops; /* TrackerOp */
  GArray *changes;     /* FsProcChange */
  GArray *stats;       /* FsProcStat of every tracked process */
  gint64  time;
  guint   seq;         /* the how-manieth scan started */
} ScanData;

struct _FsSupervisor
{
  GObject             parent_instance;

  GDBusConnection    *connection;
  FsDBusSupervisor1  *skeleton;
  char               *worker_path;
  int                 pid;
  int                 sid;
  struct rlimit       worker_nofile; /* what we were given, for the workers */
  gboolean            raised_nofile;
  gint64              start_time;
  long                clock_ticks;
  long                page_size;

  GHashTable         *procs;         /* id -> Proc (owned), every process ever */
  GHashTable         *live;          /* pid -> Proc, not yet reaped or gone */
  GHashTable         *leaders;       /* pgid -> Proc, the worker leading it */
  GHashTable         *finished_pids; /* pid -> Proc, the last reaped or gone with it */
  GPtrArray          *unconfirmed;   /* Proc found by its output, no scan saw yet */
  int                 unknown_writer; /* a writer not found, until the next scan */
  guint               next_id;

  GPtrArray          *queue;         /* GVariant (sxua{sv}a{sv}) */
  guint               flush_id;
  FsLineBudget       *output_budget; /* shared by every output socket */

  FsReapPolicy        default_policy;
  gboolean            subreaper;
  guint               scan_interval;

  FsProcTracker      *tracker;       /* touched only by the scan thread */
  GArray             *tracker_ops;   /* TrackerOp, for the next scan */
  guint               scan_seq;      /* scans started so far */
  GCancellable       *cancellable;
  gboolean            scanning;
  gboolean            scan_again;
  guint               scan_timer_id;
  guint               scan_soon_id;
  guint64             self_ticks;
  gint64              self_ticks_time;

  gboolean            leaving;
  GPtrArray          *leave_targets; /* Proc, to be reaped before exit */
  GDBusMethodInvocation *shutdown_invocation;
  guint               leave_timer_id;
  gboolean            finished;
};

G_DEFINE_FINAL_TYPE (FsSupervisor, fs_supervisor, G_TYPE_OBJECT)

enum {
  FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void request_scan   (FsSupervisor *self);
static void gone           (FsSupervisor *self,
                            Proc         *proc);
static void proc_reaped    (Proc         *proc,
                            int           status);
static void check_leave    (FsSupervisor *self);
static Proc *discover      (FsSupervisor *self,
                            int           pid);

/* ---- events ------------------------------------------------------------ */

static GVariant *
empty_dict (void)
{
  return g_variant_new_array (G_VARIANT_TYPE ("{sv}"), NULL, 0);
}

static void
flush_events (FsSupervisor *self)
{
  GVariantBuilder builder;

  g_clear_handle_id (&self->flush_id, g_source_remove);

  if (self->queue->len == 0)
    return;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a(sxua{sv}a{sv})"));
  for (guint i = 0; i < self->queue->len; i++)
    g_variant_builder_add_value (&builder, g_ptr_array_index (self->queue, i));
  g_ptr_array_set_size (self->queue, 0);

  if (!g_dbus_connection_is_closed (self->connection))
    fs_dbus_supervisor1_emit_events (self->skeleton, g_variant_builder_end (&builder));
  else
    g_variant_builder_clear (&builder);
}

static gboolean
flush_idle_cb (gpointer user_data)
{
  FsSupervisor *self = user_data;

  self->flush_id = 0;
  flush_events (self);
  return G_SOURCE_REMOVE;
}

/* Queue an event; @facts and @fields are a{sv} (floating is fine) or NULL. */
static void
queue_event (FsSupervisor *self,
             FsEventKind   kind,
             gint64        time,
             guint         id,
             GVariant     *facts,
             GVariant     *fields)
{
  GVariant *event;

  event = g_variant_new ("(sxu@a{sv}@a{sv})",
                         fs_event_kind_to_string (kind), time, id,
                         facts != NULL ? facts : empty_dict (),
                         fields != NULL ? fields : empty_dict ());
  g_ptr_array_add (self->queue, g_variant_ref_sink (event));

  if (self->queue->len >= MAX_QUEUED)
    flush_events (self);
  else if (self->flush_id == 0)
    self->flush_id = g_idle_add (flush_idle_cb, self);
}

#define ADD(builder, key, value) g_variant_builder_add ((builder), "{sv}", (key), (value))

static GVariant *
proc_facts (Proc *proc)
{
  GVariantBuilder b;

  g_variant_builder_init (&b, G_VARIANT_TYPE_VARDICT);
  ADD (&b, "kind", g_variant_new_string (fs_process_kind_to_string (proc->kind)));
  ADD (&b, "parent", g_variant_new_uint32 (proc->parent_id));
  ADD (&b, "name", g_variant_new_string (proc->name != NULL ? proc->name : ""));
  if (proc->function != NULL)
    ADD (&b, "function", g_variant_new_string (proc->function));
  ADD (&b, "pid", g_variant_new_int32 (proc->pid));
  ADD (&b, "ppid", g_variant_new_int32 (proc->ppid));
  ADD (&b, "birth-ppid", g_variant_new_int32 (proc->birth_ppid));
  ADD (&b, "pgid", g_variant_new_int32 (proc->pgid));
  if (proc->start_ticks != 0)
    ADD (&b, "start-ticks", g_variant_new_uint64 (proc->start_ticks));
  ADD (&b, "state", g_variant_new_string (fs_process_state_to_string (proc->state)));
  ADD (&b, "daemon", g_variant_new_boolean (proc->daemon));
  ADD (&b, "reap-policy", g_variant_new_string (fs_reap_policy_to_string (proc->policy)));
  ADD (&b, "orphan", g_variant_new_boolean (proc->orphan));
  if (proc->has_status)
    {
      ADD (&b, "wait-status", g_variant_new_int32 (proc->wait_status));
      ADD (&b, "exitcode", g_variant_new_int32 (fs_wait_status_to_exitcode (proc->wait_status)));
    }
  if (proc->reaper != 0)
    ADD (&b, "reaper", g_variant_new_int32 (proc->reaper));
  if (proc->spawn_time != 0)
    ADD (&b, "spawn-time", g_variant_new_int64 (proc->spawn_time));
  if (proc->exit_time != 0)
    ADD (&b, "exit-time", g_variant_new_int64 (proc->exit_time));
  if (proc->reap_time != 0)
    ADD (&b, "reap-time", g_variant_new_int64 (proc->reap_time));
  return g_variant_builder_end (&b);
}

static GVariant *
self_facts (FsSupervisor *self)
{
  GVariantBuilder b;

  g_variant_builder_init (&b, G_VARIANT_TYPE_VARDICT);
  ADD (&b, "kind", g_variant_new_string (fs_process_kind_to_string (FS_PROCESS_KIND_SUPERVISOR)));
  ADD (&b, "name", g_variant_new_string ("forkscope-supervisor"));
  ADD (&b, "pid", g_variant_new_int32 (self->pid));
  ADD (&b, "ppid", g_variant_new_int32 (getppid ()));
  ADD (&b, "birth-ppid", g_variant_new_int32 (getppid ()));
  ADD (&b, "pgid", g_variant_new_int32 (getpgrp ()));
  ADD (&b, "state", g_variant_new_string (fs_process_state_to_string (FS_PROCESS_STATE_RUNNING)));
  ADD (&b, "spawn-time", g_variant_new_int64 (self->start_time));
  return g_variant_builder_end (&b);
}

static GVariant *
policy_dict (FsSupervisor *self)
{
  GVariantBuilder b;

  g_variant_builder_init (&b, G_VARIANT_TYPE_VARDICT);
  ADD (&b, "reap", g_variant_new_string (fs_reap_policy_to_string (self->default_policy)));
  ADD (&b, "subreaper", g_variant_new_boolean (self->subreaper));
  ADD (&b, "scan-interval", g_variant_new_uint32 (self->scan_interval));
  return g_variant_builder_end (&b);
}

/* ---- the process table ------------------------------------------------- */

static void
clear_fd (int *fd)
{
  if (*fd >= 0)
    close (*fd);
  *fd = -1;
}

static void
join_free (Join *join)
{
  g_clear_handle_id (&join->timeout_id, g_source_remove);
  if (join->invocation != NULL)
    g_dbus_method_invocation_return_error (g_steal_pointer (&join->invocation),
                                           FS_ENGINE_ERROR, FS_ENGINE_ERROR_NOT_RUNNING,
                                           "The supervisor is exiting");
  g_free (join);
}

static void
proc_free (Proc *proc)
{
  g_clear_handle_id (&proc->watch_id, g_source_remove);
  g_clear_handle_id (&proc->exit_id, g_source_remove);
  g_clear_pointer (&proc->out, fs_line_reader_free);
  g_clear_pointer (&proc->err, fs_line_reader_free);
  g_clear_pointer (&proc->joins, g_ptr_array_unref);
  if (proc->pidfd >= 0)
    close (proc->pidfd);
  g_free (proc->name);
  g_free (proc->function);
  g_free (proc);
}

static Proc *
proc_new (FsSupervisor  *self,
          FsProcessKind  kind,
          int            pid)
{
  Proc *proc = g_new0 (Proc, 1);
  Proc *stale;

  proc->sv = self;
  proc->id = self->next_id++;
  proc->kind = kind;
  proc->pid = pid;
  proc->pidfd = -1;
  proc->state = FS_PROCESS_STATE_RUNNING;
  proc->joins = g_ptr_array_new_with_free_func ((GDestroyNotify) join_free);

  g_hash_table_insert (self->procs, GUINT_TO_POINTER (proc->id), proc);

  /* A descendant that died unnoticed since the last scan may have left its
   * pid to this one: the old one is gone for good. */
  stale = g_hash_table_lookup (self->live, GINT_TO_POINTER (pid));
  if (stale != NULL)
    gone (self, stale);
  g_hash_table_insert (self->live, GINT_TO_POINTER (pid), proc);

  return proc;
}

static Proc *
lookup_id (FsSupervisor *self,
           guint         id)
{
  return g_hash_table_lookup (self->procs, GUINT_TO_POINTER (id));
}

static Proc *
lookup_live (FsSupervisor *self,
             int           pid)
{
  return g_hash_table_lookup (self->live, GINT_TO_POINTER (pid));
}

static void
proc_forget_pid (Proc *proc)
{
  FsSupervisor *self = proc->sv;

  if (lookup_live (self, proc->pid) == proc)
    g_hash_table_remove (self->live, GINT_TO_POINTER (proc->pid));
  g_hash_table_insert (self->finished_pids, GINT_TO_POINTER (proc->pid), proc);
}

static void
queue_tracker_op (FsSupervisor  *self,
                  TrackerOpKind  kind,
                  int            pid,
                  guint64        starttime)
{
  TrackerOp op = { kind, pid, starttime };

  g_array_append_val (self->tracker_ops, op);
}

/* Now, in the unit of /proc's starttime: clock ticks since boot. The
 * kernel rounds a process's start down to a tick the same way. */
static guint64
boot_ticks_now (FsSupervisor *self)
{
  struct timespec ts;

  clock_gettime (CLOCK_BOOTTIME, &ts);
  return ((guint64) ts.tv_sec * G_GUINT64_CONSTANT (1000000000) + (guint64) ts.tv_nsec) /
         (G_GUINT64_CONSTANT (1000000000) / (guint64) self->clock_ticks);
}

/* @leader was just reaped: from now on its group id may be reused. */
static void
close_group (FsSupervisor *self,
             Proc         *leader)
{
  if (g_hash_table_lookup (self->leaders, GINT_TO_POINTER (leader->pgid)) != leader)
    return;

  /* An empty group's number is free the moment its leader is reaped:
   * nothing found through it later can be ours. Otherwise its members keep
   * it reserved, and every one of them started before now. (Signal 0
   * delivers nothing; it only asks whether the group has members.) */
  if (kill (-leader->pgid, 0) != 0 && errno == ESRCH)
    leader->group_last_start = 0;
  else
    leader->group_last_start = boot_ticks_now (self);
  leader->reap_scan = self->scan_seq;
}

static int
siginfo_to_wait_status (const siginfo_t *info)
{
  switch (info->si_code)
    {
    case CLD_EXITED:
      return (info->si_status & 0xff) << 8;
    case CLD_KILLED:
      return info->si_status & 0x7f;
    case CLD_DUMPED:
      return (info->si_status & 0x7f) | 0x80;
    default:
      return 0;
    }
}

static void
proc_drain_output (Proc *proc)
{
  Proc *worker = proc->worker;

  if (worker == NULL)
    return;

  /* Output written before the exit comes before the exit in the stream;
   * a descendant's goes through its worker's sockets. */
  if (worker->out != NULL)
    fs_line_reader_drain (worker->out);
  if (worker->err != NULL)
    fs_line_reader_drain (worker->err);
  /* A line it left unfinished ends with it (a drain may have reached the
   * end of file and freed the reader). */
  if (worker->out != NULL)
    fs_line_reader_flush_writer (worker->out, proc->pid);
  if (worker->err != NULL)
    fs_line_reader_flush_writer (worker->err, proc->pid);
}

/* The exit is known (and the status, if @has_status). Under the join policy
 * the process is now a zombie that the tree shows until it is joined. */
static void
proc_exited (Proc     *proc,
             gboolean  has_status,
             int       status,
             gboolean  zombie)
{
  FsSupervisor *self = proc->sv;
  GVariantBuilder facts, fields;

  if (proc->exited)
    return;

  proc_drain_output (proc);

  proc->exited = TRUE;
  proc->exit_time = g_get_monotonic_time ();
  g_clear_handle_id (&proc->exit_id, g_source_remove);

  g_variant_builder_init (&facts, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_init (&fields, G_VARIANT_TYPE_VARDICT);
  ADD (&facts, "exit-time", g_variant_new_int64 (proc->exit_time));
  if (zombie)
    {
      proc->state = FS_PROCESS_STATE_ZOMBIE;
      ADD (&facts, "state", g_variant_new_string ("zombie"));
    }
  if (has_status)
    {
      int code = fs_wait_status_to_exitcode (status);

      proc->has_status = TRUE;
      proc->wait_status = status;
      ADD (&facts, "wait-status", g_variant_new_int32 (status));
      ADD (&fields, "exitcode", g_variant_new_int32 (code));
      if (WIFSIGNALED (status))
        {
          ADD (&fields, "signal", g_variant_new_int32 (WTERMSIG (status)));
          if (WCOREDUMP (status))
            ADD (&fields, "core-dumped", g_variant_new_boolean (TRUE));
        }
    }
  queue_event (self, FS_EVENT_EXITED, proc->exit_time, proc->id,
               g_variant_builder_end (&facts), g_variant_builder_end (&fields));
  request_scan (self);
}

static void
join_complete (Join     *join,
               gboolean  reaped)
{
  Proc *proc = join->proc;
  FsSupervisor *self = proc->sv;
  GDBusMethodInvocation *invocation = g_steal_pointer (&join->invocation);
  GVariantBuilder fields;

  g_clear_handle_id (&join->timeout_id, g_source_remove);

  g_variant_builder_init (&fields, G_VARIANT_TYPE_VARDICT);
  if (reaped)
    {
      ADD (&fields, "exitcode",
           g_variant_new_int32 (proc->has_status ? fs_wait_status_to_exitcode (proc->wait_status) : 0));
      queue_event (self, FS_EVENT_JOINED, g_get_monotonic_time (), proc->id,
                   NULL, g_variant_builder_end (&fields));
    }
  else
    {
      ADD (&fields, "timeout", g_variant_new_double (join->timeout));
      queue_event (self, FS_EVENT_JOIN_TIMED_OUT, g_get_monotonic_time (), proc->id,
                   NULL, g_variant_builder_end (&fields));
    }

  g_ptr_array_remove (proc->joins, join);

  /* Python leaves an exited child a zombie until it is joined again: so a
   * join that gave up takes its child watch with it. */
  if (!reaped && proc->joins->len == 0 && proc->policy == FS_REAP_JOIN &&
      !proc->finished && !self->leaving)
    g_clear_handle_id (&proc->watch_id, g_source_remove);

  flush_events (self);
  if (invocation != NULL)
    fs_dbus_supervisor1_complete_join (self->skeleton, invocation, reaped);
}

static void
child_watch_cb (GPid     pid,
                int      status,
                gpointer user_data)
{
  Proc *proc = user_data;

  proc->watch_id = 0;
  proc_reaped (proc, status);
}

static void
proc_reaped (Proc *proc,
             int   status)
{
  FsSupervisor *self = proc->sv;
  GVariantBuilder facts, fields;
  int code = fs_wait_status_to_exitcode (status);

  proc_exited (proc, TRUE, status, FALSE);

  proc->has_status = TRUE;
  proc->wait_status = status;
  proc->finished = TRUE;
  proc->state = FS_PROCESS_STATE_REAPED;
  proc->reaper = self->pid;
  proc->reap_time = g_get_monotonic_time ();
  clear_fd (&proc->pidfd);
  proc_forget_pid (proc);
  if (proc->kind == FS_PROCESS_KIND_WORKER)
    close_group (self, proc);

  g_variant_builder_init (&facts, G_VARIANT_TYPE_VARDICT);
  ADD (&facts, "state", g_variant_new_string ("reaped"));
  ADD (&facts, "wait-status", g_variant_new_int32 (status));
  ADD (&facts, "reaper", g_variant_new_int32 (self->pid));
  ADD (&facts, "reap-time", g_variant_new_int64 (proc->reap_time));
  g_variant_builder_init (&fields, G_VARIANT_TYPE_VARDICT);
  ADD (&fields, "exitcode", g_variant_new_int32 (code));
  ADD (&fields, "reaper", g_variant_new_int32 (self->pid));
  queue_event (self, FS_EVENT_REAPED, proc->reap_time, proc->id,
               g_variant_builder_end (&facts), g_variant_builder_end (&fields));

  while (proc->joins->len > 0)
    join_complete (g_ptr_array_index (proc->joins, 0), TRUE);

  check_leave (self);
}

static void
proc_ensure_watch (Proc *proc)
{
  if (proc->watch_id == 0 && proc->child && !proc->finished)
    proc->watch_id = g_child_watch_add (proc->pid, child_watch_cb, proc);
}

static gboolean
proc_peek_exit (Proc *proc,
                int  *status)
{
  siginfo_t info;

  if (proc->pidfd < 0)
    return FALSE;

  memset (&info, 0, sizeof info);
  if (waitid (P_PIDFD, proc->pidfd, &info, WEXITED | WNOWAIT | WNOHANG) != 0 || info.si_pid == 0)
    return FALSE;

  *status = siginfo_to_wait_status (&info);
  return TRUE;
}

static gboolean
pidfd_exit_cb (int          fd,
               GIOCondition condition,
               gpointer     user_data)
{
  Proc *proc = user_data;
  int status;

  /* Learn the status without reaping: the zombie stays until joined. */
  if (!proc_peek_exit (proc, &status))
    return G_SOURCE_CONTINUE;

  proc->exit_id = 0;
  proc_exited (proc, TRUE, status, TRUE);
  return G_SOURCE_REMOVE;
}

/* The pidfd of @proc, opened if need be and pinned: a descendant's pidfd is
 * trusted only if the process it names has the start time we know, so a
 * reused pid is never signalled. Returns -1 if the process is gone. */
static int
proc_get_pidfd (Proc *proc)
{
  FsProcStat stat;
  int fd;

  if (proc->pidfd >= 0 || proc->finished)
    return proc->pidfd;

  fd = pidfd_open (proc->pid, 0);
  if (fd < 0)
    return -1;

  if (proc->start_ticks == 0 ||
      !fs_proc_read_stat (proc->pid, &stat, NULL) ||
      stat.starttime != proc->start_ticks)
    {
      close (fd);
      return -1;
    }

  proc->pidfd = fd;
  return fd;
}

/* ---- output ------------------------------------------------------------ */

/* The process a line written by @writer (a PID, 0 if unknown) through
 * @worker's stdout or stderr is shown as: the writer itself if it is of
 * @worker's family (found now if no scan has seen it yet: a child that
 * prints right after fork), else @worker, whose output it is anyway. */
static Proc *
output_owner (Proc *worker,
              int   writer)
{
  FsSupervisor *self = worker->sv;
  Proc *proc;

  if (writer <= 0 || writer == worker->pid)
    return worker;

  proc = lookup_live (self, writer);
  if (proc == NULL && writer != self->unknown_writer)
    {
      proc = discover (self, writer);
      /* Not worth another look until the next scan: a stranger (it got
       * the socket from outside the family) or gone already. */
      if (proc == NULL)
        self->unknown_writer = writer;
    }
  /* Gone before its last lines were read (its pid not reused since:
   * nobody else could write them). */
  if (proc == NULL)
    proc = g_hash_table_lookup (self->finished_pids, GINT_TO_POINTER (writer));

  if (proc != NULL && proc->worker == worker)
    return proc;
  return worker;
}

static void
output_line (Proc       *worker,
             const char *stream,
             const char *line,
             gboolean    truncated,
             int         writer)
{
  GVariantBuilder fields;
  g_autofree char *valid = NULL;
  Proc *proc = output_owner (worker, writer);

  /* D-Bus strings must be UTF-8: a worker may print anything. */
  if (!g_utf8_validate (line, -1, NULL))
    line = valid = g_utf8_make_valid (line, -1);

  g_variant_builder_init (&fields, G_VARIANT_TYPE_VARDICT);
  ADD (&fields, "stream", g_variant_new_string (stream));
  ADD (&fields, "text", g_variant_new_string (line));
  if (truncated)
    ADD (&fields, "truncated", g_variant_new_boolean (TRUE));
  if (writer > 0)
    ADD (&fields, "writer", g_variant_new_int32 (writer));
  queue_event (proc->sv, FS_EVENT_OUTPUT, g_get_monotonic_time (), proc->id,
               NULL, g_variant_builder_end (&fields));
}

static void
stdout_line_cb (const char *line,
                gboolean    truncated,
                int         writer,
                gpointer    user_data)
{
  Proc *proc = user_data;

  if (line != NULL)
    output_line (proc, "stdout", line, truncated, writer);
  else
    g_clear_pointer (&proc->out, fs_line_reader_free);
}

static void
stderr_line_cb (const char *line,
                gboolean    truncated,
                int         writer,
                gpointer    user_data)
{
  Proc *proc = user_data;

  if (line != NULL)
    output_line (proc, "stderr", line, truncated, writer);
  else
    g_clear_pointer (&proc->err, fs_line_reader_free);
}

/* ---- D-Bus methods ----------------------------------------------------- */

typedef struct
{
  gboolean             daemon;
  pid_t                parent;
  const struct rlimit *nofile;
} ChildSetup;

static void
child_setup (gpointer user_data)
{
  const ChildSetup *setup = user_data;

  /* Only async-signal-safe calls here: we are between fork and exec.
   * Each worker leads its own process group, so "kill the tree" works and
   * a terminal's ^C never reaches it behind the front end's back. */
  setpgid (0, 0);
  /* The descriptor limit we were started with, not the one we raised: a
   * program that uses select() needs fds below 1024. */
  if (setup->nofile != NULL)
    setrlimit (RLIMIT_NOFILE, setup->nofile);
  if (setup->daemon)
    {
      /* Die with the supervisor; the check closes the race where the
       * supervisor died before the prctl. */
      prctl (PR_SET_PDEATHSIG, SIGTERM);
      if (getppid () != setup->parent)
        _exit (128 + SIGTERM);
    }
}

static gboolean
handle_spawn_cb (FsDBusSupervisor1     *skeleton,
                 GDBusMethodInvocation *invocation,
                 const char            *name,
                 const char            *plugin_path,
                 const char            *function,
                 const char * const    *args,
                 GVariant              *options,
                 FsSupervisor          *self)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  FsReapPolicy policy = self->default_policy;
  gboolean daemon = FALSE;
  const char *reap = NULL;
  ChildSetup setup;
  GPid pid;
  int out_fd = -1, err_fd = -1;
  int out_child = -1, err_child = -1;
  gboolean spawned;
  Proc *proc;

  if (self->leaving)
    {
      g_dbus_method_invocation_return_error (invocation, FS_ENGINE_ERROR, FS_ENGINE_ERROR_NOT_RUNNING,
                                             "The supervisor is shutting down");
      return TRUE;
    }

  g_variant_lookup (options, "daemon", "b", &daemon);
  if (g_variant_lookup (options, "reap", "&s", &reap) && !fs_reap_policy_from_string (reap, &policy))
    {
      g_dbus_method_invocation_return_error (invocation, FS_ENGINE_ERROR, FS_ENGINE_ERROR_INVALID_ARGS,
                                             "Unknown reaping policy “%s” (auto or join)", reap);
      return TRUE;
    }
  if (*function == '\0' || *plugin_path == '\0')
    {
      g_dbus_method_invocation_return_error (invocation, FS_ENGINE_ERROR, FS_ENGINE_ERROR_INVALID_ARGS,
                                             "No worker function given");
      return TRUE;
    }
  /* Said here, before anything starts, rather than by a worker that
   * exits with status 3 after it was reported spawned. */
  if (!g_file_test (plugin_path, G_FILE_TEST_IS_REGULAR))
    {
      g_dbus_method_invocation_return_error (invocation, FS_ENGINE_ERROR, FS_ENGINE_ERROR_INVALID_ARGS,
                                             "No plugin file at “%s”", plugin_path);
      return TRUE;
    }
  if (*name == '\0')
    name = function;

  g_ptr_array_add (argv, g_strdup (self->worker_path));
  g_ptr_array_add (argv, g_strdup ("--run"));
  g_ptr_array_add (argv, g_strdup (plugin_path));
  g_ptr_array_add (argv, g_strdup (function));
  g_ptr_array_add (argv, g_strdup ("--name"));
  g_ptr_array_add (argv, g_strdup (name));
  if (daemon)
    {
      g_ptr_array_add (argv, g_strdup ("--daemon"));
      g_ptr_array_add (argv, g_strdup ("--parent"));
      g_ptr_array_add (argv, g_strdup_printf ("%d", self->pid));
    }
  g_ptr_array_add (argv, g_strdup ("--"));
  for (guint i = 0; args != NULL && args[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (args[i]));
  g_ptr_array_add (argv, NULL);

  setup.daemon = daemon;
  setup.parent = self->pid;
  setup.nofile = self->raised_nofile ? &self->worker_nofile : NULL;

  /* stdout and stderr are sockets, not pipes: each read says which
   * process wrote it (a worker's forked children share its stdout). */
  if (!fs_line_reader_socketpair (&out_fd, &out_child, &error) ||
      !fs_line_reader_socketpair (&err_fd, &err_child, &error))
    {
      clear_fd (&out_fd);
      clear_fd (&out_child);
      g_dbus_method_invocation_return_error (invocation, FS_ENGINE_ERROR, FS_ENGINE_ERROR_FAILED,
                                             "Cannot start the worker: %s", error->message);
      return TRUE;
    }

  /* DO_NOT_REAP_CHILD: the child watch added below (or by a join) is the
   * one reaper. GLib closes every other descriptor in the child. */
  spawned = g_spawn_async_with_pipes_and_fds (NULL, (const char * const *) argv->pdata, NULL,
                                              G_SPAWN_DO_NOT_REAP_CHILD |
                                              G_SPAWN_STDIN_FROM_DEV_NULL,
                                              child_setup, &setup,
                                              -1, out_child, err_child, NULL, NULL, 0,
                                              &pid, NULL, NULL, NULL, &error);
  /* The worker has its ends; with ours closed, end of file comes when the
   * worker and its children have closed theirs. */
  clear_fd (&out_child);
  clear_fd (&err_child);
  if (!spawned)
    {
      clear_fd (&out_fd);
      clear_fd (&err_fd);
      g_dbus_method_invocation_return_error (invocation, FS_ENGINE_ERROR, FS_ENGINE_ERROR_FAILED,
                                             "Cannot start the worker: %s", error->message);
      return TRUE;
    }

  proc = proc_new (self, FS_PROCESS_KIND_WORKER, pid);
  proc->child = TRUE;
  proc->parent_id = 0;
  proc->name = g_strdup (name);
  proc->function = g_strdup (function);
  proc->worker = proc;
  proc->ppid = self->pid;
  proc->birth_ppid = self->pid;
  proc->pgid = pid;
  proc->daemon = daemon;
  proc->policy = policy;
  proc->spawn_time = g_get_monotonic_time ();

  /* The pidfd comes before any watch: until the child watch reaps it, the
   * pid is ours, so this names the right process. */
  proc->pidfd = pidfd_open (pid, 0);
  if (proc->pidfd < 0)
    g_warning ("pidfd_open(%d) failed: %s", pid, g_strerror (errno));

  proc->out = fs_line_reader_new (out_fd, self->output_budget, stdout_line_cb, proc);
  proc->err = fs_line_reader_new (err_fd, self->output_budget, stderr_line_cb, proc);

  if (policy == FS_REAP_AUTO || proc->pidfd < 0)
    proc_ensure_watch (proc);
  else
    proc->exit_id = g_unix_fd_add (proc->pidfd, G_IO_IN, pidfd_exit_cb, proc);

  proc->group_last_start = G_MAXUINT64;
  g_hash_table_insert (self->leaders, GINT_TO_POINTER (pid), proc);
  queue_tracker_op (self, TRACKER_ADD_GROUP, pid, 0);

  queue_event (self, FS_EVENT_SPAWNED, proc->spawn_time, proc->id, proc_facts (proc), NULL);
  request_scan (self);

  flush_events (self);
  fs_dbus_supervisor1_complete_spawn (skeleton, invocation, proc->id, proc_facts (proc));
  return TRUE;
}

static gboolean
join_timeout_cb (gpointer user_data)
{
  Join *join = user_data;

  join->timeout_id = 0;
  join_complete (join, FALSE);
  return G_SOURCE_REMOVE;
}

static gboolean
handle_join_cb (FsDBusSupervisor1     *skeleton,
                GDBusMethodInvocation *invocation,
                guint                  id,
                double                 timeout,
                FsSupervisor          *self)
{
  GVariantBuilder fields;
  Proc *proc = lookup_id (self, id);
  Join *join;
  int status;

  if (proc == NULL)
    {
      g_dbus_method_invocation_return_error (invocation, FS_ENGINE_ERROR, FS_ENGINE_ERROR_FAILED,
                                             "No process with id %u", id);
      return TRUE;
    }
  if (!proc->child)
    {
      g_dbus_method_invocation_return_error (invocation, FS_ENGINE_ERROR, FS_ENGINE_ERROR_NOT_A_CHILD,
                                             "PID %d is not a child of the supervisor: only workers can be joined",
                                             proc->pid);
      return TRUE;
    }
  if (isnan (timeout))
    {
      g_dbus_method_invocation_return_error (invocation, FS_ENGINE_ERROR, FS_ENGINE_ERROR_INVALID_ARGS,
                                             "The join timeout is not a number");
      return TRUE;
    }

  g_variant_builder_init (&fields, G_VARIANT_TYPE_VARDICT);
  ADD (&fields, "timeout", g_variant_new_double (timeout));
  queue_event (self, FS_EVENT_JOIN_STARTED, g_get_monotonic_time (), proc->id,
               NULL, g_variant_builder_end (&fields));

  join = g_new0 (Join, 1);
  join->proc = proc;
  join->invocation = invocation;
  join->timeout = timeout;
  g_ptr_array_add (proc->joins, join);

  if (proc->finished)
    {
      join_complete (join, TRUE);
      return TRUE;
    }

  /* Attach the reaper. An exited child is reaped on the next iteration,
   * even by a join that only looks (like Python's join(0)). */
  proc_ensure_watch (proc);

  if (timeout == 0 && !proc->exited && !proc_peek_exit (proc, &status))
    join_complete (join, FALSE);
  else if (timeout > 0 && timeout < G_MAXUINT / 1000.0)
    join->timeout_id = g_timeout_add (MAX (1, (guint) (timeout * 1000 + 0.5)), join_timeout_cb, join);
  else
    flush_events (self);

  return TRUE;
}

static gboolean
send_signal (FsSupervisor  *self,
             Proc          *proc,
             int            signum,
             gboolean       group,
             GError       **error)
{
  if (group)
    {
      Proc *leader = g_hash_table_lookup (self->leaders, GINT_TO_POINTER (proc->pgid));
      gboolean any = FALSE;
      GHashTableIter iter;
      gpointer value;

      /* While the leader is unreaped its pid, hence the group id, cannot
       * be reused: kill(-pgid) hits only our family. */
      if (leader != NULL && leader->child && !leader->finished)
        {
          if (kill (-proc->pgid, signum) == 0)
            return TRUE;
          if (errno != ESRCH)
            {
              g_set_error (error, FS_ENGINE_ERROR, FS_ENGINE_ERROR_FAILED,
                           "Cannot signal process group %d: %s", proc->pgid, g_strerror (errno));
              return FALSE;
            }
        }

      /* Otherwise each member we know, through its pinned pidfd. */
      g_hash_table_iter_init (&iter, self->live);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        {
          Proc *member = value;
          int fd;

          if (member->pgid != proc->pgid || member->finished)
            continue;
          fd = proc_get_pidfd (member);
          if (fd >= 0 && pidfd_send_signal (fd, signum, NULL, 0) == 0)
            any = TRUE;
        }
      if (!any)
        {
          g_set_error (error, FS_ENGINE_ERROR, FS_ENGINE_ERROR_ALREADY_REAPED,
                       "Process group %d has no process left", proc->pgid);
          return FALSE;
        }
      return TRUE;
    }
  else
    {
      int fd = proc_get_pidfd (proc);

      if (fd < 0 && proc->child && !proc->finished)
        {
          /* No pidfd (an old kernel): an unreaped child's pid is still ours. */
          if (kill (proc->pid, signum) == 0)
            return TRUE;
        }
      else if (fd >= 0 && pidfd_send_signal (fd, signum, NULL, 0) == 0)
        return TRUE;

      if (fd < 0 || errno == ESRCH)
        {
          g_set_error (error, FS_ENGINE_ERROR, FS_ENGINE_ERROR_ALREADY_REAPED,
                       "PID %d no longer exists", proc->pid);
          return FALSE;
        }
      g_set_error (error, FS_ENGINE_ERROR, FS_ENGINE_ERROR_FAILED,
                   "Cannot signal PID %d: %s", proc->pid, g_strerror (errno));
      return FALSE;
    }
}

static void
queue_signalled (FsSupervisor *self,
                 Proc         *proc,
                 int           signum,
                 gboolean      group)
{
  GVariantBuilder fields;

  g_variant_builder_init (&fields, G_VARIANT_TYPE_VARDICT);
  ADD (&fields, "signal", g_variant_new_int32 (signum));
  ADD (&fields, "group", g_variant_new_boolean (group));
  queue_event (self, FS_EVENT_SIGNALLED, g_get_monotonic_time (), proc->id,
               NULL, g_variant_builder_end (&fields));
}

static gboolean
handle_send_signal_cb (FsDBusSupervisor1     *skeleton,
                       GDBusMethodInvocation *invocation,
                       guint                  id,
                       int                    signum,
                       gboolean               group,
                       FsSupervisor          *self)
{
  g_autoptr(GError) error = NULL;
  Proc *proc = lookup_id (self, id);

  if (proc == NULL)
    {
      g_dbus_method_invocation_return_error (invocation, FS_ENGINE_ERROR, FS_ENGINE_ERROR_FAILED,
                                             "No process with id %u", id);
      return TRUE;
    }
  if (signum < 0 || signum > SIGRTMAX)
    {
      g_dbus_method_invocation_return_error (invocation, FS_ENGINE_ERROR, FS_ENGINE_ERROR_INVALID_ARGS,
                                             "No signal numbered %d", signum);
      return TRUE;
    }
  if (proc->finished && !group)
    {
      g_dbus_method_invocation_return_error (invocation, FS_ENGINE_ERROR, FS_ENGINE_ERROR_ALREADY_REAPED,
                                             "PID %d was already %s: it can no longer be signalled",
                                             proc->pid, proc->state == FS_PROCESS_STATE_REAPED ? "reaped" : "reaped by its parent");
      return TRUE;
    }

  if (!send_signal (self, proc, signum, group, &error))
    {
      g_dbus_method_invocation_return_gerror (invocation, error);
      return TRUE;
    }

  queue_signalled (self, proc, signum, group);
  /* A stop or a continue shows in the next scan; make it soon. */
  request_scan (self);
  flush_events (self);
  fs_dbus_supervisor1_complete_send_signal (skeleton, invocation);
  return TRUE;
}

static void
restart_scan_timer (FsSupervisor *self);

static gboolean
handle_set_policy_cb (FsDBusSupervisor1     *skeleton,
                      GDBusMethodInvocation *invocation,
                      GVariant              *policy,
                      FsSupervisor          *self)
{
  const char *reap;
  gboolean subreaper;
  guint32 interval;

  if (g_variant_lookup (policy, "reap", "&s", &reap))
    {
      FsReapPolicy value;

      if (!fs_reap_policy_from_string (reap, &value))
        {
          g_dbus_method_invocation_return_error (invocation, FS_ENGINE_ERROR, FS_ENGINE_ERROR_INVALID_ARGS,
                                                 "Unknown reaping policy “%s” (auto or join)", reap);
          return TRUE;
        }
      self->default_policy = value;
    }

  if (g_variant_lookup (policy, "subreaper", "b", &subreaper))
    {
      if (prctl (PR_SET_CHILD_SUBREAPER, subreaper ? 1 : 0) != 0)
        {
          g_dbus_method_invocation_return_error (invocation, FS_ENGINE_ERROR, FS_ENGINE_ERROR_FAILED,
                                                 "Cannot change the subreaper setting: %s",
                                                 g_strerror (errno));
          return TRUE;
        }
      self->subreaper = subreaper;
    }

  if (g_variant_lookup (policy, "scan-interval", "u", &interval))
    {
      self->scan_interval = CLAMP (interval, 10, 60000);
      restart_scan_timer (self);
    }

  queue_event (self, FS_EVENT_POLICY, g_get_monotonic_time (), 0, NULL, policy_dict (self));
  flush_events (self);
  fs_dbus_supervisor1_complete_set_policy (skeleton, invocation);
  return TRUE;
}

static int
compare_id (gconstpointer a,
            gconstpointer b)
{
  const Proc *pa = *(Proc * const *) a;
  const Proc *pb = *(Proc * const *) b;

  return (pa->id > pb->id) - (pa->id < pb->id);
}

static gboolean
handle_snapshot_cb (FsDBusSupervisor1     *skeleton,
                    GDBusMethodInvocation *invocation,
                    FsSupervisor          *self)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new ();
  GVariantBuilder builder;
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->procs);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (list, value);
  g_ptr_array_sort (list, compare_id);

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a(ua{sv})"));
  g_variant_builder_add (&builder, "(u@a{sv})", 0, self_facts (self));
  for (guint i = 0; i < list->len; i++)
    {
      Proc *proc = g_ptr_array_index (list, i);
      g_variant_builder_add (&builder, "(u@a{sv})", proc->id, proc_facts (proc));
    }

  /* Events queued before now are part of the snapshot's past. */
  flush_events (self);
  fs_dbus_supervisor1_complete_snapshot (skeleton, invocation,
                                         g_variant_builder_end (&builder),
                                         policy_dict (self));
  return TRUE;
}

static gboolean
handle_shutdown_cb (FsDBusSupervisor1     *skeleton,
                    GDBusMethodInvocation *invocation,
                    const char            *mode,
                    FsSupervisor          *self)
{
  FsShutdownMode value;

  if (g_str_equal (mode, "daemon-rule"))
    value = FS_SHUTDOWN_DAEMON_RULE;
  else if (g_str_equal (mode, "terminate"))
    value = FS_SHUTDOWN_TERMINATE;
  else if (g_str_equal (mode, "kill"))
    value = FS_SHUTDOWN_KILL;
  else
    {
      g_dbus_method_invocation_return_error (invocation, FS_ENGINE_ERROR, FS_ENGINE_ERROR_INVALID_ARGS,
                                             "Unknown shutdown mode “%s” (daemon-rule, terminate or kill)",
                                             mode);
      return TRUE;
    }

  if (self->shutdown_invocation != NULL)
    {
      g_dbus_method_invocation_return_error (invocation, FS_ENGINE_ERROR, FS_ENGINE_ERROR_NOT_RUNNING,
                                             "The supervisor is already shutting down");
      return TRUE;
    }

  self->shutdown_invocation = invocation;
  fs_supervisor_leave (self, value);
  return TRUE;
}

/* ---- leaving ----------------------------------------------------------- */

/* The sink: between fork() and _exit(), in a copy of a threaded process, so
 * system calls only. Reads and drops until every writer has closed. */
static void G_GNUC_NORETURN
sink_main (struct pollfd *fds,
           guint          n,
           int            highest)
{
  char buffer[16384];
  sigset_t none;

  /* Its own session: the terminal's ^C or hangup is for the front end. */
  setsid ();
  prctl (PR_SET_NAME, (unsigned long) "forkscope-sink", 0, 0, 0);
  signal (SIGTERM, SIG_DFL);
  signal (SIGHUP, SIG_DFL);
  signal (SIGINT, SIG_DFL);
  sigemptyset (&none);
  sigprocmask (SIG_SETMASK, &none, NULL);

  /* Nothing of ours but the output sockets (not the D-Bus socket, not a
   * pidfd). */
  for (int fd = 0; fd <= highest; fd++)
    {
      gboolean keep = FALSE;

      for (guint i = 0; i < n && !keep; i++)
        keep = fds[i].fd == fd;
      if (!keep)
        close (fd);
    }
  close_range (highest + 1, ~0U, 0);

  while (n > 0)
    {
      if (poll (fds, n, -1) < 0)
        {
          if (errno == EINTR)
            continue;
          _exit (1);
        }
      for (guint i = 0; i < n; )
        {
          ssize_t r = 0;

          if (fds[i].revents != 0)
            r = read (fds[i].fd, buffer, sizeof buffer);
          if (fds[i].revents != 0 && (r == 0 || (r < 0 && errno != EAGAIN && errno != EINTR)))
            {
              close (fds[i].fd);
              fds[i] = fds[--n];
              continue;
            }
          i++;
        }
    }
  _exit (0);
}

/* What we leave running (the daemon rule, or a grandchild that left its
 * group) keeps its output sockets to us: once we are gone, its next line would kill
 * it with SIGPIPE. A child of ours takes over reading them, and drops
 * what it reads, until every writer is gone. */
static void
hand_off_output (FsSupervisor *self)
{
  g_autofree struct pollfd *fds = NULL;
  GHashTableIter iter;
  gpointer value;
  guint n = 0;
  int highest = 2;
  pid_t pid;

  fds = g_new0 (struct pollfd, 2 * g_hash_table_size (self->procs) + 1);
  g_hash_table_iter_init (&iter, self->procs);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Proc *proc = value;
      FsLineReader *readers[] = { proc->out, proc->err };

      for (guint i = 0; i < G_N_ELEMENTS (readers); i++)
        {
          int fd = readers[i] != NULL ? fs_line_reader_get_fd (readers[i]) : -1;

          if (fd < 0)
            continue;
          fds[n].fd = fd;
          fds[n].events = POLLIN;
          highest = MAX (highest, fd);
          n++;
        }
    }
  if (n == 0)
    return;

  pid = fork ();
  if (pid < 0)
    g_message ("Cannot start forkscope-sink: %s; what is left running may die of SIGPIPE",
               g_strerror (errno));
  else if (pid == 0)
    sink_main (fds, n, highest);
}

static void
finish (FsSupervisor *self)
{
  if (self->finished)
    return;
  self->finished = TRUE;

  g_clear_handle_id (&self->leave_timer_id, g_source_remove);
  flush_events (self);
  hand_off_output (self);
  if (self->shutdown_invocation != NULL)
    fs_dbus_supervisor1_complete_shutdown (self->skeleton, g_steal_pointer (&self->shutdown_invocation));
  g_signal_emit (self, signals[FINISHED], 0);
}

static void
check_leave (FsSupervisor *self)
{
  if (!self->leaving || self->finished)
    return;

  for (guint i = 0; i < self->leave_targets->len; i++)
    {
      Proc *proc = g_ptr_array_index (self->leave_targets, i);

      if (!proc->finished)
        return;
    }

  finish (self);
}

static gboolean
leave_give_up_cb (gpointer user_data)
{
  FsSupervisor *self = user_data;

  self->leave_timer_id = 0;
  g_message ("Some workers did not exit after SIGKILL; leaving them");
  finish (self);
  return G_SOURCE_REMOVE;
}

static gboolean
leave_kill_cb (gpointer user_data)
{
  FsSupervisor *self = user_data;

  /* The grace period is over: what still runs gets SIGKILL. */
  self->leave_timer_id = g_timeout_add (LEAVE_KILL_MSEC, leave_give_up_cb, self);
  for (guint i = 0; i < self->leave_targets->len; i++)
    {
      Proc *proc = g_ptr_array_index (self->leave_targets, i);

      if (!proc->finished && send_signal (self, proc, SIGKILL, TRUE, NULL))
        queue_signalled (self, proc, SIGKILL, TRUE);
    }
  flush_events (self);
  return G_SOURCE_REMOVE;
}

void
fs_supervisor_leave (FsSupervisor   *self,
                     FsShutdownMode  mode)
{
  GHashTableIter iter;
  gpointer value;

  g_return_if_fail (FS_IS_SUPERVISOR (self));

  if (self->leaving)
    return;
  self->leaving = TRUE;

  g_hash_table_iter_init (&iter, self->live);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Proc *proc = value;
      gboolean target;
      int signum = SIGTERM;

      if (!proc->child || proc->finished)
        continue;

      switch (mode)
        {
        case FS_SHUTDOWN_TERMINATE:
          target = TRUE;
          break;
        case FS_SHUTDOWN_KILL:
          target = TRUE;
          signum = SIGKILL;
          break;
        case FS_SHUTDOWN_DAEMON_RULE:
        default:
          target = proc->daemon;
          break;
        }

      if (target)
        {
          /* Like multiprocessing: the worker itself for the daemon rule,
           * the whole tree when the user asked to end everything. */
          gboolean group = (mode != FS_SHUTDOWN_DAEMON_RULE && proc->kind == FS_PROCESS_KIND_WORKER);

          if (!proc->exited && send_signal (self, proc, signum, group, NULL))
            queue_signalled (self, proc, signum, group);
          g_ptr_array_add (self->leave_targets, proc);
          proc_ensure_watch (proc);
        }
      else if (proc->exited)
        {
          /* A zombie left behind would be reaped by whoever adopts it;
           * reaping it now keeps the record complete. */
          g_ptr_array_add (self->leave_targets, proc);
          proc_ensure_watch (proc);
        }
    }

  flush_events (self);

  if (self->leave_targets->len > 0)
    self->leave_timer_id = g_timeout_add (LEAVE_GRACE_MSEC, leave_kill_cb, self);
  check_leave (self);
}

/* ---- scanning ---------------------------------------------------------- */

static void
scan_data_free (ScanData *data)
{
  g_clear_pointer (&data->tracker_ops, g_array_unref);
  g_clear_pointer (&data->changes, g_array_unref);
  g_clear_pointer (&data->stats, g_array_unref);
  g_free (data);
}

static void
scan_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  FsSupervisor *self = source_object;
  ScanData *data = task_data;
  g_autoptr(GError) error = NULL;
  GPtrArray *list;

  for (guint i = 0; i < data->tracker_ops->len; i++)
    {
      const TrackerOp *op = &g_array_index (data->tracker_ops, TrackerOp, i);

      switch (op->kind)
        {
        case TRACKER_ADD_GROUP:
          fs_proc_tracker_add_group (self->tracker, op->pid);
          break;
        case TRACKER_REMOVE_GROUP:
          fs_proc_tracker_remove_group (self->tracker, op->pid);
          break;
        case TRACKER_FORGET:
        default:
          fs_proc_tracker_forget (self->tracker, op->pid, op->starttime);
          break;
        }
    }

  data->changes = fs_proc_tracker_scan (self->tracker, &error);
  if (data->changes == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  data->stats = g_array_new (FALSE, FALSE, sizeof (FsProcStat));
  list = fs_proc_tracker_list (self->tracker);
  for (guint i = 0; list != NULL && i < list->len; i++)
    g_array_append_vals (data->stats, g_ptr_array_index (list, i), 1);
  g_clear_pointer (&list, g_ptr_array_unref);

  /* The tracker does not report its root: the supervisor's own CPU and
   * memory are shown too. */
  {
    FsProcStat self_stat;

    if (fs_proc_read_stat (self->pid, &self_stat, NULL))
      g_array_append_val (data->stats, self_stat);
  }

  data->time = g_get_monotonic_time ();
  g_task_return_boolean (task, TRUE);
}

static FsProcessState
state_from_letter (char letter)
{
  switch (letter)
    {
    case 'R':
      return FS_PROCESS_STATE_RUNNING;
    case 'T':
    case 't':
      return FS_PROCESS_STATE_STOPPED;
    case 'Z':
      return FS_PROCESS_STATE_ZOMBIE;
    case 'X':
    case 'x':
      return FS_PROCESS_STATE_GONE;
    case 'S':
    case 'D':
    case 'I':
    case 'W':
    case 'P':
    default:
      return FS_PROCESS_STATE_SLEEPING;
    }
}

/* The process a scan reports, if we know it by pid and start time. */
static Proc *
lookup_stat (FsSupervisor     *self,
             const FsProcStat *stat)
{
  Proc *proc = lookup_live (self, stat->pid);

  if (proc == NULL)
    return NULL;
  if (proc->start_ticks != 0 && proc->start_ticks != stat->starttime)
    return NULL;
  return proc;
}

/* An orphan re-parented to us is our child: pin it and give it a child
 * watch like a worker's (only that reaps it). */
static gboolean
pin_child (FsSupervisor *self,
           Proc         *proc)
{
  FsProcStat stat;
  int fd;

  if (proc->child)
    return FALSE;

  /* It is our child if /proc says so for this very process. Then nobody
   * else can reap it, and the pid stays its own until we do. */
  fd = pidfd_open (proc->pid, 0);
  if (fd < 0)
    return FALSE;
  if (!fs_proc_read_stat (proc->pid, &stat, NULL) ||
      stat.starttime != proc->start_ticks || stat.ppid != self->pid)
    {
      close (fd);
      return FALSE;
    }

  clear_fd (&proc->pidfd);
  proc->pidfd = fd;
  proc->child = TRUE;
  proc->orphan = TRUE;
  proc->policy = FS_REAP_AUTO;
  proc->ppid = self->pid;
  proc->parent_id = 0;
  proc_ensure_watch (proc);
  return TRUE;
}

/* Our new child, adopted as an orphan: its row moves under the supervisor. */
static void
adopt (FsSupervisor *self,
       Proc         *proc,
       int           from)
{
  GVariantBuilder facts, fields;

  if (!pin_child (self, proc))
    return;

  g_variant_builder_init (&facts, G_VARIANT_TYPE_VARDICT);
  ADD (&facts, "ppid", g_variant_new_int32 (self->pid));
  ADD (&facts, "orphan", g_variant_new_boolean (TRUE));
  ADD (&facts, "parent", g_variant_new_uint32 (0));
  g_variant_builder_init (&fields, G_VARIANT_TYPE_VARDICT);
  ADD (&fields, "from", g_variant_new_int32 (from));
  ADD (&fields, "to", g_variant_new_int32 (self->pid));
  queue_event (self, FS_EVENT_ADOPTED, g_get_monotonic_time (), proc->id,
               g_variant_builder_end (&facts), g_variant_builder_end (&fields));
}

static void
reparented (FsSupervisor *self,
            Proc         *proc,
            int           from,
            int           to)
{
  GVariantBuilder facts, fields;

  if (to == self->pid)
    {
      adopt (self, proc, from);
      return;
    }

  proc->ppid = to;
  proc->orphan = TRUE;

  g_variant_builder_init (&facts, G_VARIANT_TYPE_VARDICT);
  ADD (&facts, "ppid", g_variant_new_int32 (to));
  ADD (&facts, "orphan", g_variant_new_boolean (TRUE));
  g_variant_builder_init (&fields, G_VARIANT_TYPE_VARDICT);
  ADD (&fields, "from", g_variant_new_int32 (from));
  ADD (&fields, "to", g_variant_new_int32 (to));
  queue_event (self, FS_EVENT_REPARENTED, g_get_monotonic_time (), proc->id,
               g_variant_builder_end (&facts), g_variant_builder_end (&fields));
}

/* A descendant that is no longer in /proc: reaped by its parent (or by
 * whoever adopted it), never by us. */
static void
gone (FsSupervisor *self,
      Proc         *proc)
{
  GVariantBuilder facts, fields;

  if (proc->finished || proc->child)
    return;

  proc_exited (proc, FALSE, 0, FALSE);
  proc->finished = TRUE;
  proc->state = FS_PROCESS_STATE_GONE;
  proc->reaper = proc->ppid;
  proc->reap_time = g_get_monotonic_time ();
  clear_fd (&proc->pidfd);
  proc_forget_pid (proc);

  g_variant_builder_init (&facts, G_VARIANT_TYPE_VARDICT);
  ADD (&facts, "state", g_variant_new_string ("gone"));
  ADD (&facts, "reaper", g_variant_new_int32 (proc->reaper));
  ADD (&facts, "reap-time", g_variant_new_int64 (proc->reap_time));
  g_variant_builder_init (&fields, G_VARIANT_TYPE_VARDICT);
  ADD (&fields, "reaper", g_variant_new_int32 (proc->reaper));
  queue_event (self, FS_EVENT_GONE, proc->reap_time, proc->id,
               g_variant_builder_end (&facts), g_variant_builder_end (&fields));
}

static void
scan_state (FsSupervisor     *self,
            Proc             *proc,
            const FsProcStat *stat)
{
  FsProcessState state = state_from_letter (stat->state);
  FsProcessState old = proc->state;
  GVariantBuilder facts, fields;

  /* A child's exit comes from its pidfd and child watch, not from /proc. */
  if (proc->exited || state == old || state == FS_PROCESS_STATE_GONE)
    return;

  if (state == FS_PROCESS_STATE_ZOMBIE)
    {
      if (!proc->child)
        proc_exited (proc, FALSE, 0, TRUE);
      return;
    }

  proc->state = state;
  g_variant_builder_init (&facts, G_VARIANT_TYPE_VARDICT);
  ADD (&facts, "state", g_variant_new_string (fs_process_state_to_string (state)));

  /* Running and sleeping alternate all the time: a statistic, not news. */
  if (state != FS_PROCESS_STATE_STOPPED && old != FS_PROCESS_STATE_STOPPED)
    {
      queue_event (self, FS_EVENT_STATS, g_get_monotonic_time (), proc->id,
                   g_variant_builder_end (&facts), NULL);
      return;
    }

  g_variant_builder_init (&fields, G_VARIANT_TYPE_VARDICT);
  ADD (&fields, "state", g_variant_new_string (fs_process_state_to_string (state)));
  ADD (&fields, "from", g_variant_new_string (fs_process_state_to_string (old)));
  queue_event (self, FS_EVENT_STATE, g_get_monotonic_time (), proc->id,
               g_variant_builder_end (&facts), g_variant_builder_end (&fields));
}

/* A descendant we did not know: make it known (from @stat, read just
 * now), under its parent if we know it (by @seen_ppid, its parent when a
 * scan saw it, or by its parent now), else under the worker whose group
 * it is in. Returns NULL for a stranger (never followed). */
static Proc *
appear (FsSupervisor     *self,
        const FsProcStat *stat,
        int               seen_ppid)
{
  Proc *parent = NULL;
  Proc *leader = NULL;
  Proc *proc;

  /* Its parent, if we know it; else the worker whose group it is in: the
   * forked child of a worker that exited at once may be an orphan by the
   * time we first see it, but it keeps the worker's process group. */
  if (seen_ppid != self->pid)
    parent = lookup_live (self, seen_ppid);
  if (parent == NULL && stat->ppid != self->pid)
    parent = lookup_live (self, stat->ppid);

  if (parent == NULL)
    {
      /* A group is only as good as its number: a member shares the
       * leader's session, and once the leader is reaped, started before
       * the number could be anybody else's. What fails that took a reaped
       * worker's pid and made a group of it: a stranger, never followed
       * (so never signalled), nor what it forks. An orphan now our child
       * is ours whatever its group. */
      leader = g_hash_table_lookup (self->leaders, GINT_TO_POINTER (stat->pgrp));
      if (leader != NULL &&
          (stat->session != self->sid || stat->starttime > leader->group_last_start))
        leader = NULL;
      if (leader == NULL && stat->ppid != self->pid)
        {
          queue_tracker_op (self, TRACKER_FORGET, stat->pid, stat->starttime);
          return NULL;
        }
    }

  proc = proc_new (self, FS_PROCESS_KIND_DESCENDANT, stat->pid);
  proc->name = g_strdup (stat->comm);
  proc->pgid = stat->pgrp;
  proc->start_ticks = stat->starttime;
  proc->spawn_time = g_get_monotonic_time ();
  proc->policy = FS_REAP_AUTO;
  proc->state = state_from_letter (stat->state);
  if (proc->state == FS_PROCESS_STATE_ZOMBIE)
    proc->state = FS_PROCESS_STATE_RUNNING;   /* reported as an exit */

  if (parent != NULL)
    {
      proc->parent_id = parent->id;
      proc->birth_ppid = parent->pid;
      proc->worker = parent->worker;
    }
  else if (leader != NULL)
    {
      proc->parent_id = leader->id;
      proc->birth_ppid = leader->pid;
      proc->worker = leader;
    }
  else
    {
      /* Already our child when first seen, its parent unknown: an orphan. */
      proc->parent_id = 0;
      proc->birth_ppid = self->pid;
      proc->orphan = TRUE;
    }
  proc->ppid = proc->birth_ppid;

  queue_event (self, FS_EVENT_APPEARED, proc->spawn_time, proc->id, proc_facts (proc), NULL);

  if (stat->ppid != proc->birth_ppid)
    reparented (self, proc, proc->birth_ppid, stat->ppid);
  else if (stat->ppid == self->pid)
    pin_child (self, proc);

  return proc;
}

static void
scan_appeared (FsSupervisor     *self,
               const FsProcStat *seen)
{
  FsProcStat stat;
  Proc *proc = lookup_live (self, seen->pid);

  if (seen->pid == self->pid)
    return;

  if (proc != NULL && (proc->start_ticks == 0 || proc->start_ticks == seen->starttime))
    {
      /* One we spawned or adopted, or found by its output, seen by a scan
       * for the first time. */
      if (proc->start_ticks == 0)
        {
          GVariantBuilder facts;

          proc->start_ticks = seen->starttime;
          g_variant_builder_init (&facts, G_VARIANT_TYPE_VARDICT);
          ADD (&facts, "start-ticks", g_variant_new_uint64 (seen->starttime));
          queue_event (self, FS_EVENT_STATS, g_get_monotonic_time (), proc->id,
                       g_variant_builder_end (&facts), NULL);
        }
      if (proc->unconfirmed)
        {
          proc->unconfirmed = FALSE;
          g_ptr_array_remove (self->unconfirmed, proc);
        }
      /* Orphaned since it was found by its output. */
      if (!proc->child && !proc->finished && seen->ppid > 0 && seen->ppid != proc->ppid)
        reparented (self, proc, proc->ppid, seen->ppid);
      scan_state (self, proc, seen);
      return;
    }

  if (proc != NULL)
    gone (self, proc);

  /* The scan is a moment old: a process that is gone by now (a worker we
   * reaped meanwhile, a short-lived grandchild) is not news. */
  if (!fs_proc_read_stat (seen->pid, &stat, NULL) || stat.starttime != seen->starttime)
    return;

  proc = appear (self, &stat, seen->ppid);
  if (proc != NULL && state_from_letter (stat.state) == FS_PROCESS_STATE_ZOMBIE && !proc->child)
    proc_exited (proc, FALSE, 0, TRUE);
}

/* How far discover() climbs to a parent we know. */
#define DISCOVER_DEPTH 16

/* @pid wrote output before any scan saw it (a child that prints right
 * after fork): make it known now, with its unknown ancestors up to one we
 * know, the way a scan would, so that its lines carry its own name and
 * pid. Nothing here drains output (we are called while reading it); the
 * next scan confirms the process, or finds it gone. */
static Proc *
discover (FsSupervisor *self,
          int           pid)
{
  FsProcStat chain[DISCOVER_DEPTH];
  gboolean known_top = FALSE;
  guint n = 0;
  Proc *proc;

  while (n < G_N_ELEMENTS (chain) && fs_proc_read_stat (n == 0 ? pid : chain[n - 1].ppid, &chain[n], NULL))
    {
      int ppid = chain[n++].ppid;

      if (ppid == self->pid || lookup_live (self, ppid) != NULL)
        {
          known_top = TRUE;
          break;
        }
      if (ppid <= 1)
        break;
    }
  if (n == 0)
    return NULL;
  /* No known ancestor (an orphan, or its parent gone meanwhile): only its
   * group can make it ours. */
  if (!known_top)
    n = 1;

  for (guint i = n; i > 0; i--)
    {
      proc = appear (self, &chain[i - 1], chain[i - 1].ppid);
      if (proc == NULL)
        return NULL;
      if (!proc->child)
        {
          proc->unconfirmed = TRUE;
          proc->discover_scan = self->scan_seq;
          g_ptr_array_add (self->unconfirmed, proc);
        }
    }

  request_scan (self);
  return lookup_live (self, pid);
}

/* Processes found by their output that a scan started since then did not
 * report: gone already (no scan will ever see them), or not followed. */
static void
check_unconfirmed (FsSupervisor *self,
                   guint         seq)
{
  for (guint i = self->unconfirmed->len; i > 0; i--)
    {
      Proc *proc = g_ptr_array_index (self->unconfirmed, i - 1);
      FsProcStat stat;

      if (proc->finished || proc->child)
        {
          proc->unconfirmed = FALSE;
          g_ptr_array_remove_index (self->unconfirmed, i - 1);
          continue;
        }
      if (seq <= proc->discover_scan)
        continue;

      if (!fs_proc_read_stat (proc->pid, &stat, NULL) || stat.starttime != proc->start_ticks)
        {
          /* What gone() may add to the list goes to its end. */
          gone (self, proc);
          proc->unconfirmed = FALSE;
          g_ptr_array_remove_index (self->unconfirmed, i - 1);
        }
      else if (state_from_letter (stat.state) == FS_PROCESS_STATE_ZOMBIE)
        proc_exited (proc, FALSE, 0, TRUE);
    }
}

static void
scan_stats (FsSupervisor *self,
            ScanData     *data)
{
  for (guint i = 0; i < data->stats->len; i++)
    {
      const FsProcStat *stat = &g_array_index (data->stats, FsProcStat, i);
      guint64 ticks = stat->utime + stat->stime;
      guint64 rss = stat->rss > 0 ? (guint64) stat->rss * self->page_size : 0;
      guint64 *last_ticks;
      gint64 *last_time;
      double percent = 0;
      GVariantBuilder facts;
      Proc *proc = NULL;
      guint id;

      if (stat->pid == self->pid)
        {
          id = 0;
          last_ticks = &self->self_ticks;
          last_time = &self->self_ticks_time;
        }
      else
        {
          proc = lookup_stat (self, stat);
          if (proc == NULL || proc->exited)
            continue;
          id = proc->id;
          last_ticks = &proc->ticks;
          last_time = &proc->ticks_time;
        }

      if (*last_time != 0 && data->time > *last_time && ticks >= *last_ticks)
        percent = 100.0 * ((ticks - *last_ticks) / (double) self->clock_ticks) /
                  ((data->time - *last_time) / (double) G_USEC_PER_SEC);
      /* Round so that noise does not make an event every scan. */
      percent = ((int) (percent * 10 + 0.5)) / 10.0;

      if (*last_time != 0 && ticks == *last_ticks && percent == 0 &&
          (proc == NULL ? TRUE : (proc->cpu_percent == 0 && proc->rss == rss)))
        {
          *last_time = data->time;
          continue;
        }

      g_variant_builder_init (&facts, G_VARIANT_TYPE_VARDICT);
      ADD (&facts, "cpu-percent", g_variant_new_double (percent));
      ADD (&facts, "cpu-seconds", g_variant_new_double (ticks / (double) self->clock_ticks));
      ADD (&facts, "rss", g_variant_new_uint64 (rss));
      queue_event (self, FS_EVENT_STATS, data->time, id, g_variant_builder_end (&facts), NULL);

      *last_ticks = ticks;
      *last_time = data->time;
      if (proc != NULL)
        {
          proc->cpu_percent = percent;
          proc->rss = rss;
        }
    }
}

/* Stop following the group of a reaped worker once a scan that started
 * after the reap has been handled: that scan saw every member still in the
 * group, members are followed by identity from then on, and the number may
 * be reused by a stranger. */
static void
prune_groups (FsSupervisor *self,
              guint         seq)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->leaders);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Proc *leader = value;

      if (!leader->finished || seq <= leader->reap_scan)
        continue;

      queue_tracker_op (self, TRACKER_REMOVE_GROUP, leader->pgid, 0);
      g_hash_table_iter_remove (&iter);
    }
}

static void start_scan (FsSupervisor *self);

static void
scan_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  FsSupervisor *self = FS_SUPERVISOR (object);
  ScanData *data = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  self->scanning = FALSE;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_message ("Scanning /proc failed: %s", error->message);
      return;
    }

  if (self->finished)
    return;

  for (guint i = 0; i < data->changes->len; i++)
    {
      const FsProcChange *change = &g_array_index (data->changes, FsProcChange, i);
      Proc *proc;

      switch (change->kind)
        {
        case FS_PROC_CHANGE_APPEARED:
          scan_appeared (self, &change->stat);
          break;

        case FS_PROC_CHANGE_STATE:
          if ((proc = lookup_stat (self, &change->stat)) != NULL)
            scan_state (self, proc, &change->stat);
          break;

        case FS_PROC_CHANGE_REPARENTED:
          if ((proc = lookup_stat (self, &change->stat)) != NULL &&
              !proc->finished && proc->ppid != change->stat.ppid)
            reparented (self, proc, proc->ppid, change->stat.ppid);
          break;

        case FS_PROC_CHANGE_GONE:
          if ((proc = lookup_stat (self, &change->stat)) != NULL)
            gone (self, proc);
          break;

        default:
          break;
        }
    }

  check_unconfirmed (self, data->seq);
  self->unknown_writer = 0;
  scan_stats (self, data);
  prune_groups (self, data->seq);

  if (self->scan_again)
    {
      self->scan_again = FALSE;
      start_scan (self);
    }
}

static void
start_scan (FsSupervisor *self)
{
  g_autoptr(GTask) task = NULL;
  ScanData *data;

  if (self->finished)
    return;

  /* Never two at once: the tracker belongs to one scan at a time. */
  if (self->scanning)
    {
      self->scan_again = TRUE;
      return;
    }
  self->scanning = TRUE;

  data = g_new0 (ScanData, 1);
  data->seq = ++self->scan_seq;
  data->tracker_ops = g_steal_pointer (&self->tracker_ops);
  self->tracker_ops = g_array_new (FALSE, FALSE, sizeof (TrackerOp));

  task = g_task_new (self, self->cancellable, scan_done_cb, NULL);
  g_task_set_source_tag (task, start_scan);
  g_task_set_task_data (task, data, (GDestroyNotify) scan_data_free);
  g_task_run_in_thread (task, scan_thread);
}

static gboolean
scan_soon_cb (gpointer user_data)
{
  FsSupervisor *self = user_data;

  self->scan_soon_id = 0;
  start_scan (self);
  return G_SOURCE_REMOVE;
}

static void
request_scan (FsSupervisor *self)
{
  if (self->scan_soon_id == 0 && !self->finished)
    self->scan_soon_id = g_timeout_add (SCAN_SOON_MSEC, scan_soon_cb, self);
}

static gboolean
scan_timer_cb (gpointer user_data)
{
  start_scan (user_data);
  return G_SOURCE_CONTINUE;
}

static void
restart_scan_timer (FsSupervisor *self)
{
  g_clear_handle_id (&self->scan_timer_id, g_source_remove);
  self->scan_timer_id = g_timeout_add (self->scan_interval, scan_timer_cb, self);
}

/* ---- the object -------------------------------------------------------- */

static void
fs_supervisor_dispose (GObject *object)
{
  FsSupervisor *self = (FsSupervisor *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->flush_id, g_source_remove);
  g_clear_handle_id (&self->scan_timer_id, g_source_remove);
  g_clear_handle_id (&self->scan_soon_id, g_source_remove);
  g_clear_handle_id (&self->leave_timer_id, g_source_remove);
  if (self->skeleton != NULL)
    g_dbus_interface_skeleton_unexport (G_DBUS_INTERFACE_SKELETON (self->skeleton));
  g_clear_object (&self->skeleton);
  g_clear_object (&self->connection);

  G_OBJECT_CLASS (fs_supervisor_parent_class)->dispose (object);
}

static void
fs_supervisor_finalize (GObject *object)
{
  FsSupervisor *self = (FsSupervisor *)object;

  g_clear_pointer (&self->leave_targets, g_ptr_array_unref);
  g_clear_pointer (&self->live, g_hash_table_unref);
  g_clear_pointer (&self->leaders, g_hash_table_unref);
  g_clear_pointer (&self->finished_pids, g_hash_table_unref);
  g_clear_pointer (&self->unconfirmed, g_ptr_array_unref);
  g_clear_pointer (&self->procs, g_hash_table_unref);
  /* After the processes: their readers may be waiting for it. */
  g_clear_pointer (&self->output_budget, fs_line_budget_free);
  g_clear_pointer (&self->queue, g_ptr_array_unref);
  g_clear_pointer (&self->tracker_ops, g_array_unref);
  g_clear_pointer (&self->tracker, fs_proc_tracker_free);
  g_clear_object (&self->cancellable);
  g_free (self->worker_path);

  G_OBJECT_CLASS (fs_supervisor_parent_class)->finalize (object);
}

static void
fs_supervisor_class_init (FsSupervisorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = fs_supervisor_dispose;
  object_class->finalize = fs_supervisor_finalize;

  signals[FINISHED] = g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

/* FORKSCOPE_OUTPUT_RATE (lines a second) is for benchmarks, which measure
 * what reading output costs rather than the pacing. */
static double
output_per_second (void)
{
  const char *env = g_getenv ("FORKSCOPE_OUTPUT_RATE");
  double rate;

  if (env == NULL)
    return OUTPUT_PER_SECOND;
  rate = g_ascii_strtod (env, NULL);
  if (!(rate >= OUTPUT_PER_SECOND && rate <= 1e12))
    {
      g_message ("Ignoring FORKSCOPE_OUTPUT_RATE=%s: not a rate of at least %d lines a second",
                 env, OUTPUT_PER_SECOND);
      return OUTPUT_PER_SECOND;
    }
  return rate;
}

static void
fs_supervisor_init (FsSupervisor *self)
{
  double rate;

  self->pid = getpid ();
  self->sid = getsid (0);
  self->start_time = g_get_monotonic_time ();
  self->clock_ticks = sysconf (_SC_CLK_TCK);
  if (self->clock_ticks <= 0)
    self->clock_ticks = 100;
  self->page_size = sysconf (_SC_PAGESIZE);
  if (self->page_size <= 0)
    self->page_size = 4096;
  self->next_id = 1;
  self->procs = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) proc_free);
  self->live = g_hash_table_new (NULL, NULL);
  self->leaders = g_hash_table_new (NULL, NULL);
  self->finished_pids = g_hash_table_new (NULL, NULL);
  self->unconfirmed = g_ptr_array_new ();
  self->queue = g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);
  rate = output_per_second ();
  self->output_budget = fs_line_budget_new (rate, rate);
  self->tracker_ops = g_array_new (FALSE, FALSE, sizeof (TrackerOp));
  self->leave_targets = g_ptr_array_new ();
  self->cancellable = g_cancellable_new ();
  self->default_policy = FS_REAP_AUTO;
  self->scan_interval = 500;
  self->tracker = fs_proc_tracker_new (self->pid);
}

static void
connection_closed_cb (GDBusConnection *connection,
                      gboolean         remote_peer_vanished,
                      GError          *error,
                      FsSupervisor    *self)
{
  /* The front end is gone: nobody to ask, so the daemon rule. */
  fs_supervisor_leave (self, FS_SHUTDOWN_DAEMON_RULE);
}

FsSupervisor *
fs_supervisor_new (GDBusConnection  *connection,
                   const char       *worker_path,
                   GError          **error)
{
  g_autoptr(FsSupervisor) self = NULL;
  int subreaper = 0;

  g_return_val_if_fail (G_IS_DBUS_CONNECTION (connection), NULL);
  g_return_val_if_fail (worker_path != NULL, NULL);

  self = g_object_new (FS_TYPE_SUPERVISOR, NULL);
  self->connection = g_object_ref (connection);
  self->worker_path = g_strdup (worker_path);

  if (prctl (PR_GET_CHILD_SUBREAPER, &subreaper) == 0)
    self->subreaper = subreaper != 0;

  /* Each worker costs us four descriptors (two sockets, our pidfd, GLib's
   * for the child watch): the usual soft limit of 1024 would stop at about
   * 250 workers, with scans failing for want of fds. Take what the hard
   * limit allows; workers get the limit we were given. */
  if (getrlimit (RLIMIT_NOFILE, &self->worker_nofile) == 0 &&
      self->worker_nofile.rlim_cur < self->worker_nofile.rlim_max)
    {
      struct rlimit raised = self->worker_nofile;

      raised.rlim_cur = raised.rlim_max;
      if (setrlimit (RLIMIT_NOFILE, &raised) == 0)
        self->raised_nofile = TRUE;
      else
        g_debug ("Cannot raise the descriptor limit: %s", g_strerror (errno));
    }

  self->skeleton = fs_dbus_supervisor1_skeleton_new ();
  g_signal_connect (self->skeleton, "handle-spawn", G_CALLBACK (handle_spawn_cb), self);
  g_signal_connect (self->skeleton, "handle-join", G_CALLBACK (handle_join_cb), self);
  g_signal_connect (self->skeleton, "handle-send-signal", G_CALLBACK (handle_send_signal_cb), self);
  g_signal_connect (self->skeleton, "handle-set-policy", G_CALLBACK (handle_set_policy_cb), self);
  g_signal_connect (self->skeleton, "handle-snapshot", G_CALLBACK (handle_snapshot_cb), self);
  g_signal_connect (self->skeleton, "handle-shutdown", G_CALLBACK (handle_shutdown_cb), self);

  if (!g_dbus_interface_skeleton_export (G_DBUS_INTERFACE_SKELETON (self->skeleton),
                                         connection, FS_SUPERVISOR_OBJECT_PATH, error))
    return NULL;

  g_signal_connect_object (connection, "closed", G_CALLBACK (connection_closed_cb), self, 0);
  restart_scan_timer (self);

  return g_steal_pointer (&self);
}
