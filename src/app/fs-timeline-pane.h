/* fs-timeline-pane.h
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "fs-timeline.h"
#include "fs-window.h"

G_BEGIN_DECLS

#define FS_TYPE_TIMELINE_PANE (fs_timeline_pane_get_type ())

G_DECLARE_FINAL_TYPE (FsTimelinePane, fs_timeline_pane, FS, TIMELINE_PANE, GtkBox)

/* The timeline as the window shows it: a bar with pause, zoom, "back to
 * now" and "Save timeline…", over the scrolled FsTimeline.
 *
 * fs_timeline_pane_new_for_window() records the window's engine and keeps
 * the selection of the window's process tree and of the timeline in step,
 * both ways. */
GtkWidget        *fs_timeline_pane_new             (void);
GtkWidget        *fs_timeline_pane_new_for_window  (FsWindow       *window);
FsTimeline       *fs_timeline_pane_get_timeline    (FsTimelinePane *self);
FsTimelineModel  *fs_timeline_pane_get_model       (FsTimelinePane *self);

G_END_DECLS
