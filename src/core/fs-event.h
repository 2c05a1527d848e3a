/* fs-event.h
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "fs-process.h"

G_BEGIN_DECLS

/* What happened. The names (fs_event_kind_to_string) are the "event" field of
 * the JSON lines and are a contract. */
typedef enum
{
  FS_EVENT_SPAWNED,        /* a worker was started by the supervisor */
  FS_EVENT_APPEARED,       /* a descendant was found by a scan (forked) */
  FS_EVENT_STATE,          /* stopped <-> running (fields: state, from); mere
                            * running <-> sleeping flips come as STATS */
  FS_EVENT_EXITED,         /* exit seen; the process is a zombie until reaped */
  FS_EVENT_REAPED,         /* reaped by the supervisor (fields: exitcode, reaper) */
  FS_EVENT_GONE,           /* reaped by someone else, or vanished */
  FS_EVENT_REPARENTED,     /* ppid changed (fields: from, to) */
  FS_EVENT_ADOPTED,        /* re-parented to the supervisor, now its child */
  FS_EVENT_SIGNALLED,      /* a signal was sent (fields: signal, group) */
  FS_EVENT_JOIN_STARTED,   /* fields: timeout */
  FS_EVENT_JOINED,         /* fields: exitcode */
  FS_EVENT_JOIN_TIMED_OUT, /* fields: timeout */
  FS_EVENT_OUTPUT,         /* fields: stream ("stdout"/"stderr"), text (one
                            * line), truncated, writer (its pid); the event
                            * is about the writer if the supervisor knows
                            * it, else about the worker */
  FS_EVENT_ERROR,          /* fields: message */
  FS_EVENT_SAY,            /* script narration (fields: text) */
  FS_EVENT_EXPECT,         /* script check, an expect or a failed wait (fields:
                            * ok, text: the statement, subject, expected,
                            * found, message: when it failed) */
  FS_EVENT_POLICY,         /* policy changed (fields: reap, subreaper, scan-interval) */
  FS_EVENT_STATS,          /* CPU, memory, running <-> sleeping: applied to the
                            * model, never emitted by FsEngine::event */
  FS_EVENT_NOTE,           /* script remark, e.g. what is still alive at its
                            * end (fields: text) */
} FsEventKind;

#define FS_TYPE_EVENT_KIND (fs_event_kind_get_type ())
GType fs_event_kind_get_type (void) G_GNUC_CONST;

#define FS_TYPE_EVENT (fs_event_get_type ())

typedef struct _FsEvent FsEvent;

struct _FsEvent
{
  /*< private >*/
  gatomicrefcount  ref_count;
  /*< public, read-only >*/
  FsEventKind      kind;
  gint64           time;     /* CLOCK_MONOTONIC microseconds */
  FsProcess       *process;  /* nullable (e.g. say) */
  int              pid;      /* at the time of the event */
  int              ppid;
  GVariant        *fields;   /* a{sv}, never NULL */
};

GType        fs_event_get_type          (void) G_GNUC_CONST;
FsEvent     *fs_event_new               (FsEventKind  kind,
                                         gint64       time,
                                         FsProcess   *process,
                                         GVariant    *fields);
FsEvent     *fs_event_ref               (FsEvent     *self);
void         fs_event_unref             (FsEvent     *self);
const char  *fs_event_kind_to_string    (FsEventKind  kind);
gboolean     fs_event_kind_from_string  (const char  *text,
                                         FsEventKind *kind);
/* One line of JSON, no newline: {"t":1.234,"event":"exited","name":...}.
 * t is seconds since @origin (monotonic microseconds). */
char        *fs_event_to_json           (FsEvent     *self,
                                         gint64       origin);
/* Human-readable, one line, translated. */
char        *fs_event_to_text           (FsEvent     *self,
                                         gint64       origin);
gboolean     fs_event_lookup_int        (FsEvent     *self,
                                         const char  *key,
                                         int         *value);
const char  *fs_event_lookup_string     (FsEvent     *self,
                                         const char  *key);
/* For an output line, the PID that wrote it (its "writer" field): the
 * event's own pid, except for a writer the supervisor could not find (one
 * that was gone before its line was read, or a stranger); then the event
 * is about the worker whose stdout it came through. Else the event's pid. */
int          fs_event_get_writer        (FsEvent     *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FsEvent, fs_event_unref)

G_END_DECLS
