/* fs-event-log.h
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "fs-engine.h"

G_BEGIN_DECLS

#define FS_TYPE_EVENT_LOG (fs_event_log_get_type ())

G_DECLARE_FINAL_TYPE (FsEventLog, fs_event_log, FS, EVENT_LOG, GtkWidget)

/* The event log: every engine event but output lines, timestamped, newest
 * at the bottom. Events are added in batches; at most max-events are kept. */
GtkWidget  *fs_event_log_new             (void);
void        fs_event_log_set_engine      (FsEventLog          *self,
                                          FsEngine            *engine);
/* Add an event that did not come from the engine (e.g. a lesson's). */
void        fs_event_log_append          (FsEventLog          *self,
                                          FsEvent             *event);
void        fs_event_log_clear           (FsEventLog          *self);
/* Of FsEventItem, including those not yet shown. */
GListModel *fs_event_log_get_events      (FsEventLog          *self);
void        fs_event_log_flush           (FsEventLog          *self);
/* Write the log as JSON lines (fs_event_to_json). */
void        fs_event_log_export_async    (FsEventLog          *self,
                                          GFile               *file,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
gboolean    fs_event_log_export_finish   (FsEventLog          *self,
                                          GAsyncResult        *result,
                                          GError             **error);
const char *fs_event_log_kind_label      (FsEventKind          kind);

G_END_DECLS
