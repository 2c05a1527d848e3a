/* fs-timeline.h
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "fs-process.h"
#include "fs-timeline-model.h"

G_BEGIN_DECLS

#define FS_TYPE_TIMELINE (fs_timeline_get_type ())

G_DECLARE_FINAL_TYPE (FsTimeline, fs_timeline, FS, TIMELINE, GtkWidget)

/* The lifelines of an FsTimelineModel on a shared time axis that scrolls
 * live. While following, the visible span fits the current episode of
 * activity (in steps: 2 s, 3 s, 5 s, 10 s...) until the user zooms; once all
 * has ended the view stands still on it. Put it in a GtkScrolledWindow (it is GtkScrollable: the vertical
 * adjustment scrolls rows; set the horizontal policy to NEVER, time is
 * panned by the widget itself).
 *
 * Mouse: wheel scrolls rows, Shift+wheel or a horizontal wheel pans time,
 * Ctrl+wheel or a pinch zooms, dragging pans, a click selects a process.
 * Keys: + and − zoom, Left/Right pan, Up/Down select, Home goes to the
 * oldest record, End back to live, Space pauses.
 *
 * Actions (for buttons inside it or a containing pane):
 * timeline.zoom-in, timeline.zoom-out, timeline.follow, timeline.paused
 * (stateful), timeline.save (asks for a file, then exports). */
GtkWidget        *fs_timeline_new                  (void);
FsTimelineModel  *fs_timeline_get_model            (FsTimeline  *self);
void              fs_timeline_set_model            (FsTimeline  *self,
                                                    FsTimelineModel *model);
FsProcess        *fs_timeline_get_selected_process (FsTimeline  *self);
void              fs_timeline_set_selected_process (FsTimeline  *self,
                                                    FsProcess   *process);
/* Freeze the axis and what is drawn at this moment (lessons step through
 * with it); events keep being recorded and show when unpaused, which also
 * returns to following. */
gboolean          fs_timeline_get_paused           (FsTimeline  *self);
void              fs_timeline_set_paused           (FsTimeline  *self,
                                                    gboolean     paused);
/* The visible time span, microseconds (zoom); setting it stops fitting
 * the span to the activity. */
gint64            fs_timeline_get_span             (FsTimeline  *self);
void              fs_timeline_set_span             (FsTimeline  *self,
                                                    gint64       span);
/* TRUE while the view follows what is going on (it is not panned into the
 * past): the present, or the end of the latest activity once all has
 * ended. */
gboolean          fs_timeline_get_following        (FsTimeline  *self);
/* TRUE in the live view as it starts: following, fitted to the activity,
 * not paused ("Back to now" has nothing to do). */
gboolean          fs_timeline_get_live             (FsTimeline  *self);
/* Back to the live view: unpause, follow, fit the span to the activity. */
void              fs_timeline_follow               (FsTimeline  *self);
/* Show [end - span, end]; stops following unless @end is now or later. */
void              fs_timeline_scroll_to_time       (FsTimeline  *self,
                                                    gint64       end);
/* The visible range as drawn now. */
void              fs_timeline_get_visible_range    (FsTimeline  *self,
                                                    gint64      *start,
                                                    gint64      *end);
/* Export the visible time range, all rows (with the legend), as drawn. */
gboolean          fs_timeline_export_png           (FsTimeline  *self,
                                                    GFile       *file,
                                                    GError     **error);
gboolean          fs_timeline_export_svg           (FsTimeline  *self,
                                                    GFile       *file,
                                                    GError     **error);
/* Ask where to save (PNG or SVG by the name's extension), then export;
 * errors are shown in a dialog. */
void              fs_timeline_save_dialog          (FsTimeline  *self);

G_END_DECLS
