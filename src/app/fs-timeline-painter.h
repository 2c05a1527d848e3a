/* fs-timeline-painter.h
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "fs-timeline-model.h"

G_BEGIN_DECLS

/* Geometry, in pixels, shared by drawing and hit testing. */
#define FS_TIMELINE_AXIS_HEIGHT   30.0
#define FS_TIMELINE_ROW_HEIGHT    44.0
/* The names column takes a share of a narrow widget, up to this. */
#define FS_TIMELINE_NAMES_WIDTH  200.0

typedef struct
{
  GdkRGBA  background;
  GdkRGBA  sidebar;
  GdkRGBA  foreground;
  GdkRGBA  dim;
  GdkRGBA  border;
  GdkRGBA  grid;
  GdkRGBA  stripe;
  GdkRGBA  selection;
  GdkRGBA  running;
  GdkRGBA  stopped;
  GdkRGBA  stopped_hatch;
  GdkRGBA  zombie;
  GdkRGBA  zombie_fill;
  GdkRGBA  zombie_text;
  GdkRGBA  signal;
  GdkRGBA  join;
  GdkRGBA  link;
  GdkRGBA  reparent;
  GdkRGBA  now;
  gboolean high_contrast;
} FsTimelinePalette;

/* Whether the legend is drawn at the bottom. */
typedef enum
{
  FS_TIMELINE_LEGEND_NEVER,
  FS_TIMELINE_LEGEND_IF_ROOM,  /* in two lines at most, leaving room for rows */
  FS_TIMELINE_LEGEND_ALWAYS,   /* in as many lines as it takes (exports) */
} FsTimelineLegend;

/* The legend's entries, also for a legend shown elsewhere. */
typedef enum
{
  FS_TIMELINE_KEY_RUNNING,
  FS_TIMELINE_KEY_STOPPED,
  FS_TIMELINE_KEY_ZOMBIE,
  FS_TIMELINE_KEY_REAPED,
  FS_TIMELINE_KEY_SPAWNED,
  FS_TIMELINE_KEY_FORKED,
  FS_TIMELINE_KEY_ADOPTED,
  FS_TIMELINE_KEY_JOIN,
  FS_TIMELINE_KEY_SIGNAL,
  FS_TIMELINE_N_KEYS,
} FsTimelineKey;

/* What to draw: a time range, the rows scrolled to, and the size. */
typedef struct
{
  gint64       start;      /* left edge of the plot, monotonic microseconds */
  gint64       end;        /* right edge */
  gint64       now;        /* nothing after it is drawn (the future, or a pause) */
  double       width;
  double       height;
  double       scroll;     /* pixels of rows scrolled off the top */
  double       names_width; /* fs_timeline_names_width (width) */
  FsLifeline  *selected;   /* nullable */
  gboolean     paused;
  GPtrArray   *rows;       /* nullable: only these lifelines (export); else all */
  FsTimelineLegend legend;
  const char  *empty_text; /* nullable: said in the plot when nothing has run */
} FsTimelineViewport;

/* What is under a point. */
typedef enum
{
  FS_TIMELINE_HIT_NONE,
  FS_TIMELINE_HIT_NAME,
  FS_TIMELINE_HIT_SEGMENT,
  FS_TIMELINE_HIT_END,
  FS_TIMELINE_HIT_MARK,
  FS_TIMELINE_HIT_LINK,
} FsTimelineHitKind;

typedef struct
{
  FsTimelineHitKind  kind;
  FsLifeline        *lifeline;   /* not a reference */
  guint              index;      /* segment, mark or link index */
  GdkRectangle       area;       /* for the tooltip */
} FsTimelineHit;

/* A label as drawn: its ink rectangle, for tests. */
typedef struct
{
  FsLifeline  *lifeline;   /* not a reference */
  double       x;
  double       y;
  double       width;
  double       height;
  char        *text;       /* the text it shows (before any "…") */
  gboolean     shortened;  /* ended in "…" */
} FsTimelineLabelBox;

typedef struct _FsTimelinePainter FsTimelinePainter;

void                fs_timeline_palette_init        (FsTimelinePalette        *palette,
                                                     gboolean                  dark,
                                                     gboolean                  high_contrast);

FsTimelinePainter  *fs_timeline_painter_new         (PangoContext             *context);
void                fs_timeline_painter_free        (FsTimelinePainter        *self);
void                fs_timeline_painter_set_palette (FsTimelinePainter        *self,
                                                     const FsTimelinePalette  *palette);
const FsTimelinePalette *
                    fs_timeline_painter_get_palette (FsTimelinePainter        *self);
/* The labels (FsTimelineLabelBox) the last fs_timeline_painter_draw()
 * placed on lifelines. */
const GArray       *fs_timeline_painter_get_label_boxes (FsTimelinePainter *self);
/* Forget cached text layouts (the font changed). */
void                fs_timeline_painter_invalidate  (FsTimelinePainter        *self);
/* The legend's height for @viewport (its width, height, rows and legend
 * mode), 0 if it is not drawn. */
double              fs_timeline_painter_get_legend_height (FsTimelinePainter        *self,
                                                           FsTimelineModel          *model,
                                                           const FsTimelineViewport *viewport);
/* A legend entry's sample, in the box (@x, @y, @width, @height). */
void                fs_timeline_painter_draw_key    (FsTimelinePainter        *self,
                                                     cairo_t                  *cr,
                                                     FsTimelineKey             key,
                                                     double                    x,
                                                     double                    y,
                                                     double                    width,
                                                     double                    height);
/* Its label ("Running"), and a sentence that says what it means. */
const char         *fs_timeline_key_get_label       (FsTimelineKey             key);
const char         *fs_timeline_key_get_description (FsTimelineKey             key);
void                fs_timeline_painter_draw        (FsTimelinePainter        *self,
                                                     cairo_t                  *cr,
                                                     FsTimelineModel          *model,
                                                     const FsTimelineViewport *viewport);
gboolean            fs_timeline_painter_hit_test    (FsTimelinePainter        *self,
                                                     FsTimelineModel          *model,
                                                     const FsTimelineViewport *viewport,
                                                     double                    x,
                                                     double                    y,
                                                     FsTimelineHit            *hit);
/* Pango markup for a tooltip on @hit. */
char               *fs_timeline_painter_dup_tooltip (FsTimelinePainter        *self,
                                                     FsTimelineModel          *model,
                                                     const FsTimelineHit      *hit);
/* Rows drawn for @viewport, and which lifeline is in row @row. */
guint               fs_timeline_viewport_get_n_rows (const FsTimelineViewport *viewport,
                                                     FsTimelineModel          *model);
/* The lifeline in the row at @y, or NULL. */
FsLifeline         *fs_timeline_painter_row_at      (FsTimelinePainter        *self,
                                                     FsTimelineModel          *model,
                                                     const FsTimelineViewport *viewport,
                                                     double                    y);
double              fs_timeline_names_width         (double                    width);
double              fs_timeline_viewport_time_to_x  (const FsTimelineViewport *viewport,
                                                     gint64                    time);
gint64              fs_timeline_viewport_x_to_time  (const FsTimelineViewport *viewport,
                                                     double                    x);

/* Labels the painter writes; also for tests. */
char               *fs_timeline_dup_end_label       (FsTimelineModel          *model,
                                                     FsLifeline               *lifeline);
/* Who reaped it, in the event log's words: "reaped by its parent (PID 42)". */
char               *fs_timeline_dup_reaper_label    (FsTimelineModel          *model,
                                                     FsLifeline               *lifeline);
/* When there is little room: "exit 0", "−SIGKILL", "gone". */
char               *fs_timeline_dup_end_label_short (FsLifeline               *lifeline);
char               *fs_timeline_dup_zombie_label    (const FsSegment          *segment);
char               *fs_timeline_dup_link_label      (const FsLink             *link);
/* The name shown for a lifeline: "supervisor" for the supervisor. */
const char         *fs_timeline_get_display_name    (FsTimelineModel          *model,
                                                     FsLifeline               *lifeline);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FsTimelinePainter, fs_timeline_painter_free)

G_END_DECLS
