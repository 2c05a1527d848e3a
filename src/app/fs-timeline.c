/* fs-timeline.c
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>
#include <adwaita.h>
#include <cairo-svg.h>
#include <pango/pangocairo.h>

#include "fs-timeline.h"
#include "fs-timeline-painter.h"

#define MIN_SPAN      (G_USEC_PER_SEC / 200)
#define ZOOM_STEP     1.5
/* Room left of the first birth and right of the present, as shares of the
 * visible span, so that neither sticks to an edge. */
#define ROOM_LEFT     0.04
#define ROOM_RIGHT    0.20
/* No redraw more often than 25 times a second (the present moves a few
 * pixels at a time at the shortest spans; software GL repaints the whole
 * window for each frame), nor less than once a second. */
#define MIN_REDRAW_MS 40
#define MAX_REDRAW_MS 1000
/* Cairo's image and SVG surfaces stop at 32767 pixels. */
#define MAX_EXPORT_HEIGHT 32000.0

struct _FsTimeline
{
  GtkWidget            parent_instance;

  FsTimelineModel     *model;
  FsTimelinePainter   *painter;
  FsProcess           *selected;

  GtkAdjustment       *hadjustment;
  GtkAdjustment       *vadjustment;
  guint                hscroll_policy : 1;
  guint                vscroll_policy : 1;

  gboolean             paused;
  gint64               paused_at;
  gint64               frozen_start; /* the range drawn when paused while following */
  gint64               frozen_end;
  gboolean             following;
  gboolean             fit;          /* following: the span fits the activity */
  gint64               view_end;     /* when not following */
  gint64               span;         /* when not fitting */

  guint                redraw_id;
  gint64               drawn_now;
  FsLifeline          *reveal;       /* a new row to scroll to once allocated */

  double               pointer_x;
  gint64               drag_end;
  gint64               drag_span;
  double               drag_scroll;
  gboolean             dragging;
  gint64               zoom_span;

  GtkFileChooserNative *chooser;
};

static void scrollable_iface_init (GtkScrollableInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (FsTimeline, fs_timeline, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (GTK_TYPE_SCROLLABLE, scrollable_iface_init))

enum {
  PROP_0,
  PROP_MODEL,
  PROP_SELECTED_PROCESS,
  PROP_PAUSED,
  PROP_SPAN,
  PROP_FOLLOWING,
  N_PROPS,

  /* GtkScrollable */
  PROP_HADJUSTMENT = N_PROPS,
  PROP_VADJUSTMENT,
  PROP_HSCROLL_POLICY,
  PROP_VSCROLL_POLICY,
};

static GParamSpec *properties[N_PROPS];

static void
scrollable_iface_init (GtkScrollableInterface *iface)
{
}

static gint64
current_now (FsTimeline *self)
{
  GdkFrameClock *clock;

  if (self->paused)
    return self->paused_at;

  /* The frame clock's time is CLOCK_MONOTONIC too, and steady within a
   * frame. */
  clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));
  if (clock != NULL)
    return MAX (gdk_frame_clock_get_frame_time (clock), self->drawn_now);

  return g_get_monotonic_time ();
}

static gboolean
is_live (FsTimeline *self)
{
  gboolean live = FALSE;

  fs_timeline_model_get_activity (self->model, NULL, NULL, &live);
  return live;
}

/* The spans the view steps through to fit what is going on: a lesson of
 * two seconds is drawn across most of the width, and the scale changes in
 * a few steps rather than at every frame. */
static const gint64 fit_spans[] = {
  2 * G_USEC_PER_SEC, 3 * G_USEC_PER_SEC, 5 * G_USEC_PER_SEC,
  10 * G_USEC_PER_SEC, 20 * G_USEC_PER_SEC, 30 * G_USEC_PER_SEC,
  60 * G_USEC_PER_SEC, 120 * G_USEC_PER_SEC, 300 * G_USEC_PER_SEC, 600 * G_USEC_PER_SEC,
};

/* The live range while following: [*start, *end]. */
static void
following_range (FsTimeline *self,
                 gint64      now,
                 gint64     *start,
                 gint64     *end)
{
  gint64 history = fs_timeline_model_get_history (self->model);
  gint64 first, last, head, span;
  gboolean live;

  if (!fs_timeline_model_get_activity (self->model, &first, &last, &live))
    {
      /* Nothing but the supervisor: a still view from its start, so an
       * idle window does not redraw. */
      gint64 oldest = fs_timeline_model_get_start_time (self->model);

      span = self->fit ? MIN (fit_spans[0], history) : self->span;
      *start = (oldest > 0 ? oldest : now) - (gint64)(ROOM_LEFT * span);
      *end = *start + span;
      return;
    }

  /* Once everything has ended, the view stays on it: nothing moves, so
   * nothing is redrawn. */
  head = live ? now : MIN (last, now);
  first = MIN (first, head);

  if (self->fit)
    {
      for (guint i = 0; i < G_N_ELEMENTS (fit_spans); i++)
        {
          span = MIN (fit_spans[i], history);
          if (head - first <= (gint64)(span * (1 - ROOM_LEFT - ROOM_RIGHT)) || span == history)
            break;
        }
      if (head - first <= (gint64)(span * (1 - ROOM_LEFT - ROOM_RIGHT)))
        {
          *start = first - (gint64)(ROOM_LEFT * span);
          *end = *start + span;
          return;
        }
    }
  else
    span = self->span;

  *end = head + (gint64)(ROOM_RIGHT * span);
  *start = *end - span;
}

static void
get_viewport (FsTimeline         *self,
              FsTimelineViewport *viewport)
{
  viewport->now = current_now (self);
  if (!self->following)
    {
      viewport->end = self->view_end;
      viewport->start = self->view_end - self->span;
    }
  else if (self->paused)
    {
      viewport->start = self->frozen_start;
      viewport->end = self->frozen_end;
    }
  else
    following_range (self, viewport->now, &viewport->start, &viewport->end);

  /* With nothing but the supervisor alive, the present says nothing: its
   * line runs to the edge and the view stands still, so an idle window
   * draws nothing. */
  if (!self->paused && !is_live (self))
    viewport->now = MAX (viewport->now, viewport->end + 1);

  viewport->width = gtk_widget_get_width (GTK_WIDGET (self));
  viewport->names_width = fs_timeline_names_width (viewport->width);
  viewport->height = gtk_widget_get_height (GTK_WIDGET (self));
  viewport->scroll = self->vadjustment != NULL ? gtk_adjustment_get_value (self->vadjustment) : 0;
  viewport->selected = fs_timeline_model_lookup_process (self->model, self->selected);
  viewport->paused = self->paused;
  viewport->rows = NULL;
  viewport->legend = FS_TIMELINE_LEGEND_IF_ROOM;
  viewport->empty_text = NULL;
  if (!fs_timeline_model_get_activity (self->model, NULL, NULL, NULL))
    viewport->empty_text = _("Start a worker or play a lesson: each process’s life is drawn here.");
}

static gint64
effective_span (FsTimeline *self)
{
  FsTimelineViewport viewport;

  get_viewport (self, &viewport);
  return viewport.end - viewport.start;
}

/* Pin the range shown now, before panning or zooming it by hand. */
static void
hold_view (FsTimeline *self)
{
  FsTimelineViewport viewport;

  get_viewport (self, &viewport);
  self->view_end = viewport.end;
  self->span = viewport.end - viewport.start;
}

void
fs_timeline_get_visible_range (FsTimeline *self,
                               gint64     *start,
                               gint64     *end)
{
  FsTimelineViewport viewport;

  g_return_if_fail (FS_IS_TIMELINE (self));

  get_viewport (self, &viewport);
  if (start != NULL)
    *start = viewport.start;
  if (end != NULL)
    *end = viewport.end;
}

static void
update_actions (FsTimeline *self)
{
  gint64 span = effective_span (self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "timeline.follow", !fs_timeline_get_live (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "timeline.zoom-in", span > MIN_SPAN);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "timeline.zoom-out",
                                 span < fs_timeline_model_get_history (self->model));
}

static void
set_following (FsTimeline *self,
               gboolean    following)
{
  if (self->following == following)
    return;

  self->following = following;
  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FOLLOWING]);
}

void
fs_timeline_scroll_to_time (FsTimeline *self,
                            gint64      end)
{
  gint64 now;
  gint64 oldest;

  g_return_if_fail (FS_IS_TIMELINE (self));

  if (self->following)
    hold_view (self);
  now = current_now (self);
  oldest = fs_timeline_model_get_start_time (self->model);
  if (oldest > 0)
    end = MAX (end, MIN (oldest + self->span, now));

  /* Panning to the present means following it again (unless paused: the
   * pause holds the view where it is put). */
  if (end >= now && !self->paused)
    set_following (self, TRUE);
  else
    {
      self->view_end = end;
      set_following (self, FALSE);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
fs_timeline_follow (FsTimeline *self)
{
  g_return_if_fail (FS_IS_TIMELINE (self));

  /* Back to the live view as it starts: fitted to what is going on. */
  self->fit = TRUE;
  fs_timeline_set_paused (self, FALSE);
  set_following (self, TRUE);
  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SPAN]);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

gboolean
fs_timeline_get_live (FsTimeline *self)
{
  g_return_val_if_fail (FS_IS_TIMELINE (self), FALSE);

  return self->following && self->fit && !self->paused;
}

gboolean
fs_timeline_get_following (FsTimeline *self)
{
  g_return_val_if_fail (FS_IS_TIMELINE (self), FALSE);

  return self->following;
}

static void
pan (FsTimeline *self,
     double      fraction)
{
  FsTimelineViewport viewport;

  get_viewport (self, &viewport);
  fs_timeline_scroll_to_time (self, viewport.end + (gint64)(fraction * (viewport.end - viewport.start)));
}

/* Zoom to @span keeping the time under @anchor_x where it is (or the right
 * edge, while following the present). */
static void
zoom_to (FsTimeline *self,
         gint64      span,
         double      anchor_x)
{
  FsTimelineViewport viewport;
  double plot;
  double fraction;
  gint64 anchor;

  span = CLAMP (span, MIN_SPAN, fs_timeline_model_get_history (self->model));
  get_viewport (self, &viewport);
  if (span == viewport.end - viewport.start && !(self->following && self->fit))
    return;

  plot = MAX (viewport.width - viewport.names_width, 1);
  fraction = CLAMP ((anchor_x - viewport.names_width) / plot, 0, 1);
  anchor = fs_timeline_viewport_x_to_time (&viewport, viewport.names_width + fraction * plot);

  /* A zoom by hand keeps its span, live or not; a frozen view (paused)
   * zooms where it is. */
  if (self->following && self->paused)
    {
      self->view_end = viewport.end;
      set_following (self, FALSE);
    }
  self->fit = FALSE;
  self->span = span;
  if (!self->following)
    fs_timeline_scroll_to_time (self, anchor + (gint64)((1 - fraction) * span));

  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SPAN]);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

gint64
fs_timeline_get_span (FsTimeline *self)
{
  g_return_val_if_fail (FS_IS_TIMELINE (self), 0);

  return effective_span (self);
}

void
fs_timeline_set_span (FsTimeline *self,
                      gint64      span)
{
  g_return_if_fail (FS_IS_TIMELINE (self));
  g_return_if_fail (span > 0);

  zoom_to (self, span, gtk_widget_get_width (GTK_WIDGET (self)));
}

static gboolean
redraw_cb (gpointer data)
{
  FsTimeline *self = data;

  self->redraw_id = 0;
  gtk_widget_queue_draw (GTK_WIDGET (self));

  return G_SOURCE_REMOVE;
}

/* Only the present moves by itself: while it is on screen, redraw when it
 * has moved by a pixel (a few times a second at a wide zoom, at most every
 * frame); a paused view, or one where the present is off screen (all has
 * ended, or the view is panned into the past), waits for news. */
static void
schedule_redraw (FsTimeline               *self,
                 const FsTimelineViewport *viewport)
{
  double plot = MAX (viewport->width - viewport->names_width, 1);
  double per_pixel_ms = (viewport->end - viewport->start) / plot / 1000.0;

  g_clear_handle_id (&self->redraw_id, g_source_remove);
  if (self->paused || !gtk_widget_get_mapped (GTK_WIDGET (self)) ||
      viewport->now < viewport->start || viewport->now >= viewport->end)
    return;

  self->redraw_id = g_timeout_add ((guint)CLAMP (per_pixel_ms, MIN_REDRAW_MS, MAX_REDRAW_MS),
                                   redraw_cb, self);
}

gboolean
fs_timeline_get_paused (FsTimeline *self)
{
  g_return_val_if_fail (FS_IS_TIMELINE (self), FALSE);

  return self->paused;
}

void
fs_timeline_set_paused (FsTimeline *self,
                        gboolean    paused)
{
  g_return_if_fail (FS_IS_TIMELINE (self));

  paused = !!paused;
  if (self->paused == paused)
    return;

  if (paused)
    {
      FsTimelineViewport viewport;

      get_viewport (self, &viewport);
      self->paused_at = viewport.now;
      self->frozen_start = viewport.start;
      self->frozen_end = viewport.end;
      g_clear_handle_id (&self->redraw_id, g_source_remove);
    }
  self->paused = paused;
  /* Going on means going on live, wherever the view was. */
  if (!paused)
    set_following (self, TRUE);
  update_actions (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAUSED]);
}

static void
scroll_row_into_view (FsTimeline *self,
                      int         row)
{
  double top, page;

  if (row < 0 || self->vadjustment == NULL)
    return;

  /* Whole rows at the top: scrolled down, the view stops on a row's edge
   * (the range leaves room for it, see configure_adjustments()). */
  top = row * FS_TIMELINE_ROW_HEIGHT;
  page = gtk_adjustment_get_page_size (self->vadjustment);
  if (top < gtk_adjustment_get_value (self->vadjustment))
    gtk_adjustment_set_value (self->vadjustment, top);
  else if (top + FS_TIMELINE_ROW_HEIGHT > gtk_adjustment_get_value (self->vadjustment) + page)
    gtk_adjustment_set_value (self->vadjustment,
                              MIN (ceil ((top + FS_TIMELINE_ROW_HEIGHT - page) / FS_TIMELINE_ROW_HEIGHT) *
                                   FS_TIMELINE_ROW_HEIGHT, top));
}

FsProcess *
fs_timeline_get_selected_process (FsTimeline *self)
{
  g_return_val_if_fail (FS_IS_TIMELINE (self), NULL);

  return self->selected;
}

void
fs_timeline_set_selected_process (FsTimeline *self,
                                  FsProcess  *process)
{
  g_return_if_fail (FS_IS_TIMELINE (self));
  g_return_if_fail (process == NULL || FS_IS_PROCESS (process));

  if (!g_set_object (&self->selected, process))
    return;

  scroll_row_into_view (self, fs_timeline_model_get_row (self->model,
                                                         fs_timeline_model_lookup_process (self->model, process)));
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_PROCESS]);
}

static void
model_changed_cb (FsTimeline *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
model_items_changed_cb (FsTimeline *self,
                        guint       position,
                        guint       removed,
                        guint       added)
{
  /* While following, a new row (a process started, an orphan moved under
   * its adopter) is scrolled into view once the rows are allocated: what
   * happens now is what the learner should see. */
  if (added > 0 && self->following && !self->paused)
    g_set_object (&self->reveal, fs_timeline_model_peek (self->model, position + added - 1));

  /* The natural height and the adjustment's range follow the number of
   * rows. */
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

FsTimelineModel *
fs_timeline_get_model (FsTimeline *self)
{
  g_return_val_if_fail (FS_IS_TIMELINE (self), NULL);

  return self->model;
}

void
fs_timeline_set_model (FsTimeline      *self,
                       FsTimelineModel *model)
{
  g_autoptr(FsTimelineModel) fallback = NULL;

  g_return_if_fail (FS_IS_TIMELINE (self));
  g_return_if_fail (model == NULL || FS_IS_TIMELINE_MODEL (model));

  if (model != NULL && model == self->model)
    return;
  /* Always have a model, so drawing and hit testing need no NULL checks. */
  if (model == NULL)
    model = fallback = fs_timeline_model_new ();

  if (self->model != NULL)
    g_signal_handlers_disconnect_by_data (self->model, self);
  g_set_object (&self->model, model);
  g_signal_connect_object (model, "changed", G_CALLBACK (model_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (model, "items-changed", G_CALLBACK (model_items_changed_cb), self,
                           G_CONNECT_SWAPPED);

  update_actions (self);
  gtk_widget_queue_allocate (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL]);
}

static void
update_palette (FsTimeline *self)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  FsTimelinePalette palette;

  fs_timeline_palette_init (&palette, adw_style_manager_get_dark (style),
                            adw_style_manager_get_high_contrast (style));
  fs_timeline_painter_set_palette (self->painter, &palette);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
fs_timeline_snapshot (GtkWidget   *widget,
                      GtkSnapshot *snapshot)
{
  FsTimeline *self = FS_TIMELINE (widget);
  FsTimelineViewport viewport;
  cairo_t *cr;

  get_viewport (self, &viewport);
  if (viewport.width <= 0 || viewport.height <= 0)
    return;

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, viewport.width, viewport.height));
  fs_timeline_painter_draw (self->painter, cr, self->model, &viewport);
  cairo_destroy (cr);

  /* The present as drawn, not as stretched to the edge for a still view. */
  self->drawn_now = MAX (self->drawn_now, MIN (viewport.now, current_now (self)));
  schedule_redraw (self, &viewport);
}

static void
configure_adjustments (FsTimeline *self)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  FsTimelineViewport viewport;
  double legend;
  double page;
  double upper = g_list_model_get_n_items (G_LIST_MODEL (self->model)) * FS_TIMELINE_ROW_HEIGHT;

  get_viewport (self, &viewport);
  legend = fs_timeline_painter_get_legend_height (self->painter, self->model, &viewport);
  page = MAX (viewport.height - FS_TIMELINE_AXIS_HEIGHT - legend, 0);
  /* Room to scroll to the last row with a whole row at the top. */
  if (upper > page)
    upper = page + ceil ((upper - page) / FS_TIMELINE_ROW_HEIGHT) * FS_TIMELINE_ROW_HEIGHT;
  if (self->vadjustment != NULL)
    gtk_adjustment_configure (self->vadjustment,
                              CLAMP (gtk_adjustment_get_value (self->vadjustment), 0, MAX (upper - page, 0)),
                              0, MAX (upper, page), FS_TIMELINE_ROW_HEIGHT, page * 0.9, page);
  /* Time is not scrolled through the adjustment: a live axis would fight
   * it. Keep it still, so no horizontal scrollbar appears. */
  if (self->hadjustment != NULL)
    gtk_adjustment_configure (self->hadjustment, 0, 0, width, width * 0.1, width * 0.9, width);
}

static void
fs_timeline_size_allocate (GtkWidget *widget,
                           int        width,
                           int        height,
                           int        baseline)
{
  FsTimeline *self = FS_TIMELINE (widget);

  configure_adjustments (self);
  if (self->reveal != NULL)
    {
      scroll_row_into_view (self, fs_timeline_model_get_row (self->model, self->reveal));
      g_clear_object (&self->reveal);
    }
}

static void
fs_timeline_measure (GtkWidget      *widget,
                     GtkOrientation  orientation,
                     int             for_size,
                     int            *minimum,
                     int            *natural,
                     int            *minimum_baseline,
                     int            *natural_baseline)
{
  FsTimeline *self = FS_TIMELINE (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 200;
      *natural = FS_TIMELINE_NAMES_WIDTH + 800;
    }
  else
    {
      guint n = g_list_model_get_n_items (G_LIST_MODEL (self->model));

      /* The legend is drawn only where it leaves room for rows. */
      *minimum = FS_TIMELINE_AXIS_HEIGHT + FS_TIMELINE_ROW_HEIGHT * 2;
      *natural = FS_TIMELINE_AXIS_HEIGHT + FS_TIMELINE_ROW_HEIGHT * MAX (n, 4);
    }
}

static void
vadjustment_value_changed_cb (FsTimeline *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
set_adjustment (FsTimeline     *self,
                GtkAdjustment **slot,
                GtkAdjustment  *adjustment)
{
  if (*slot == adjustment && adjustment != NULL)
    return;

  if (*slot != NULL)
    g_signal_handlers_disconnect_by_func (*slot, vadjustment_value_changed_cb, self);
  if (adjustment == NULL)
    adjustment = gtk_adjustment_new (0, 0, 0, 0, 0, 0);
  g_set_object (slot, adjustment);
  g_signal_connect_object (adjustment, "value-changed", G_CALLBACK (vadjustment_value_changed_cb),
                           self, G_CONNECT_SWAPPED);
  configure_adjustments (self);
}

/* Input */

static void
motion_cb (FsTimeline *self,
           double      x,
           double      y)
{
  self->pointer_x = x;
}

static gboolean
scroll_cb (FsTimeline               *self,
           double                    dx,
           double                    dy,
           GtkEventControllerScroll *controller)
{
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (controller));

  if (state & GDK_CONTROL_MASK)
    {
      zoom_to (self, (gint64)(effective_span (self) * pow (1.2, dy)), self->pointer_x);
      return TRUE;
    }
  if (state & GDK_SHIFT_MASK)
    {
      pan (self, (dx + dy) * 0.1);
      return TRUE;
    }
  if (dx != 0)
    {
      pan (self, dx * 0.1);
      return TRUE;
    }

  /* Vertical: the scrolled window scrolls the rows. */
  return FALSE;
}

static void
drag_begin_cb (FsTimeline     *self,
               double          x,
               double          y,
               GtkGestureDrag *gesture)
{
  FsTimelineViewport viewport;

  get_viewport (self, &viewport);
  self->drag_end = viewport.end;
  self->drag_span = viewport.end - viewport.start;
  self->drag_scroll = gtk_adjustment_get_value (self->vadjustment);
  self->dragging = FALSE;
}

static void
drag_update_cb (FsTimeline     *self,
                double          dx,
                double          dy,
                GtkGestureDrag *gesture)
{
  double width = gtk_widget_get_width (GTK_WIDGET (self));
  double plot = MAX (width - fs_timeline_names_width (width), 1);

  if (!self->dragging && !gtk_drag_check_threshold (GTK_WIDGET (self), 0, 0, (int)dx, (int)dy))
    return;

  if (!self->dragging)
    gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  self->dragging = TRUE;
  fs_timeline_scroll_to_time (self, self->drag_end - (gint64)(dx / plot * self->drag_span));
  gtk_adjustment_set_value (self->vadjustment, self->drag_scroll - dy);
}

static void
click_released_cb (FsTimeline      *self,
                   int              n_press,
                   double           x,
                   double           y,
                   GtkGestureClick *gesture)
{
  FsTimelineViewport viewport;
  FsLifeline *lifeline;

  if (self->dragging)
    return;

  gtk_widget_grab_focus (GTK_WIDGET (self));
  get_viewport (self, &viewport);
  lifeline = fs_timeline_painter_row_at (self->painter, self->model, &viewport, y);
  if (lifeline != NULL && fs_lifeline_get_process (lifeline) != NULL)
    fs_timeline_set_selected_process (self, fs_lifeline_get_process (lifeline));
}

static void
zoom_begin_cb (FsTimeline *self,
               GdkEventSequence *sequence,
               GtkGesture *gesture)
{
  self->zoom_span = effective_span (self);
}

static void
zoom_scale_changed_cb (FsTimeline     *self,
                       double          scale,
                       GtkGestureZoom *gesture)
{
  double x, y;

  if (scale <= 0)
    return;
  if (!gtk_gesture_get_bounding_box_center (GTK_GESTURE (gesture), &x, &y))
    x = self->pointer_x;
  zoom_to (self, (gint64)(self->zoom_span / scale), x);
}

static gboolean
query_tooltip_cb (FsTimeline *self,
                  int         x,
                  int         y,
                  gboolean    keyboard,
                  GtkTooltip *tooltip)
{
  FsTimelineViewport viewport;
  FsTimelineHit hit;
  g_autofree char *markup = NULL;

  if (keyboard)
    return FALSE;

  get_viewport (self, &viewport);
  if (!fs_timeline_painter_hit_test (self->painter, self->model, &viewport, x, y, &hit))
    return FALSE;

  markup = fs_timeline_painter_dup_tooltip (self->painter, self->model, &hit);
  if (markup == NULL)
    return FALSE;

  gtk_tooltip_set_markup (tooltip, markup);
  gtk_tooltip_set_tip_area (tooltip, &hit.area);

  return TRUE;
}

static gboolean
select_relative (GtkWidget *widget,
                 GVariant  *args,
                 gpointer   user_data)
{
  FsTimeline *self = FS_TIMELINE (widget);
  int delta = g_variant_get_int32 (args);
  int n = (int)g_list_model_get_n_items (G_LIST_MODEL (self->model));
  int row = fs_timeline_model_get_row (self->model, fs_timeline_model_lookup_process (self->model, self->selected));

  for (row = row < 0 ? (delta > 0 ? -1 : n) + delta : row + delta; row >= 0 && row < n; row += delta)
    {
      FsLifeline *lifeline = fs_timeline_model_peek (self->model, row);

      if (fs_lifeline_get_process (lifeline) != NULL)
        {
          fs_timeline_set_selected_process (self, fs_lifeline_get_process (lifeline));
          break;
        }
    }

  return TRUE;
}

static gboolean
pan_binding (GtkWidget *widget,
             GVariant  *args,
             gpointer   user_data)
{
  pan (FS_TIMELINE (widget), g_variant_get_double (args));
  return TRUE;
}

static gboolean
home_binding (GtkWidget *widget,
              GVariant  *args,
              gpointer   user_data)
{
  FsTimeline *self = FS_TIMELINE (widget);

  fs_timeline_scroll_to_time (self, fs_timeline_model_get_start_time (self->model) + effective_span (self));
  return TRUE;
}

/* Actions */

static void
zoom_in_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  FsTimeline *self = FS_TIMELINE (widget);

  zoom_to (self, (gint64)(effective_span (self) / ZOOM_STEP), gtk_widget_get_width (widget) / 2.0 + fs_timeline_names_width (gtk_widget_get_width (widget)) / 2);
}

static void
zoom_out_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  FsTimeline *self = FS_TIMELINE (widget);

  zoom_to (self, (gint64)(effective_span (self) * ZOOM_STEP), gtk_widget_get_width (widget) / 2.0 + fs_timeline_names_width (gtk_widget_get_width (widget)) / 2);
}

static void
follow_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  fs_timeline_follow (FS_TIMELINE (widget));
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  fs_timeline_save_dialog (FS_TIMELINE (widget));
}

/* Export */

typedef struct
{
  GOutputStream *stream;
  GError        *error;
} WriteClosure;

static cairo_status_t
write_cb (void                *closure,
          const unsigned char *data,
          unsigned int         length)
{
  WriteClosure *write = closure;

  if (write->error != NULL)
    return CAIRO_STATUS_WRITE_ERROR;
  if (!g_output_stream_write_all (write->stream, data, length, NULL, NULL, &write->error))
    return CAIRO_STATUS_WRITE_ERROR;

  return CAIRO_STATUS_SUCCESS;
}

/* The rows worth exporting: lifelines alive at some point of the visible
 * range (a slide need not show processes long gone). */
static GPtrArray *
export_rows (FsTimeline *self)
{
  GPtrArray *rows = g_ptr_array_new ();
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->model));
  FsTimelineViewport viewport;

  get_viewport (self, &viewport);
  for (guint i = 0; i < n; i++)
    {
      FsLifeline *lifeline = fs_timeline_model_peek (self->model, i);
      gboolean ended = fs_lifeline_get_end (lifeline) != FS_LIFELINE_END_NONE;

      if (fs_lifeline_get_birth (lifeline) <= MIN (viewport.end, viewport.now) &&
          (!ended || fs_lifeline_get_end_time (lifeline) >= viewport.start))
        g_ptr_array_add (rows, lifeline);
    }

  return rows;
}

static void
export_size (FsTimeline *self,
             GPtrArray  *rows,
             double     *width,
             double     *height)
{
  FsTimelineViewport viewport = { 0 };

  *width = MAX (gtk_widget_get_width (GTK_WIDGET (self)), 800);
  viewport.width = *width;
  viewport.legend = FS_TIMELINE_LEGEND_ALWAYS;
  *height = FS_TIMELINE_AXIS_HEIGHT + MAX (rows->len, 1) * FS_TIMELINE_ROW_HEIGHT +
            fs_timeline_painter_get_legend_height (self->painter, self->model, &viewport);
  *height = MIN (*height, MAX_EXPORT_HEIGHT);
}

/* The export shows the visible time range, the rows alive in it, and the
 * legend; it uses its own painter, with text laid out for the target
 * surface. */
static void
export_draw (FsTimeline *self,
             cairo_t    *cr,
             GPtrArray  *rows,
             double      width,
             double      height,
             gboolean    for_svg)
{
  FsTimelineViewport viewport;
  PangoContext *context = pango_cairo_create_context (cr);
  g_autoptr(FsTimelinePainter) painter = NULL;
  cairo_font_options_t *options = cairo_font_options_create ();

  /* Outlines in an SVG are scaled by whoever shows it: do not hint them. */
  cairo_font_options_set_hint_metrics (options, for_svg ? CAIRO_HINT_METRICS_OFF : CAIRO_HINT_METRICS_ON);
  cairo_font_options_set_antialias (options, CAIRO_ANTIALIAS_GRAY);
  pango_cairo_context_set_font_options (context, options);
  cairo_font_options_destroy (options);
  pango_context_set_font_description (context,
                                      pango_context_get_font_description (gtk_widget_get_pango_context (GTK_WIDGET (self))));

  painter = fs_timeline_painter_new (context);
  fs_timeline_painter_set_palette (painter, fs_timeline_painter_get_palette (self->painter));

  get_viewport (self, &viewport);
  viewport.width = width;
  viewport.names_width = fs_timeline_names_width (width);
  viewport.height = height;
  viewport.scroll = 0;
  viewport.rows = rows;
  viewport.legend = FS_TIMELINE_LEGEND_ALWAYS;
  viewport.empty_text = NULL;
  fs_timeline_painter_draw (painter, cr, self->model, &viewport);

  g_object_unref (context);
}

static gboolean
finish_export (WriteClosure     *write,
               cairo_status_t    status,
               GFile            *file,
               GError          **error)
{
  gboolean ok = TRUE;

  if (write->error != NULL)
    {
      g_propagate_prefixed_error (error, g_steal_pointer (&write->error),
                                  _("Could not write %s: "), g_file_peek_path (file));
      ok = FALSE;
    }
  else if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Could not draw the timeline: %s"),
                   cairo_status_to_string (status));
      ok = FALSE;
    }

  if (!g_output_stream_close (write->stream, NULL, ok ? error : NULL))
    ok = FALSE;
  g_clear_object (&write->stream);

  return ok;
}

gboolean
fs_timeline_export_png (FsTimeline  *self,
                        GFile       *file,
                        GError     **error)
{
  WriteClosure write = { NULL, NULL };
  g_autoptr(GPtrArray) rows = NULL;
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;
  double width, height;

  g_return_val_if_fail (FS_IS_TIMELINE (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  rows = export_rows (self);
  export_size (self, rows, &width, &height);
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, (int)ceil (width), (int)ceil (height));
  cr = cairo_create (surface);
  export_draw (self, cr, rows, width, height, FALSE);
  cairo_destroy (cr);

  write.stream = G_OUTPUT_STREAM (g_file_replace (file, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                                                  NULL, error));
  if (write.stream == NULL)
    {
      cairo_surface_destroy (surface);
      return FALSE;
    }
  status = cairo_surface_write_to_png_stream (surface, write_cb, &write);
  cairo_surface_destroy (surface);

  return finish_export (&write, status, file, error);
}

gboolean
fs_timeline_export_svg (FsTimeline  *self,
                        GFile       *file,
                        GError     **error)
{
  WriteClosure write = { NULL, NULL };
  g_autoptr(GPtrArray) rows = NULL;
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;
  double width, height;

  g_return_val_if_fail (FS_IS_TIMELINE (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  write.stream = G_OUTPUT_STREAM (g_file_replace (file, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                                                  NULL, error));
  if (write.stream == NULL)
    return FALSE;

  rows = export_rows (self);
  export_size (self, rows, &width, &height);
  surface = cairo_svg_surface_create_for_stream (write_cb, &write, width, height);
  /* Pixels, as on screen (cairo's default unit is the point). */
  cairo_svg_surface_set_document_unit (surface, CAIRO_SVG_UNIT_PX);
  cr = cairo_create (surface);
  export_draw (self, cr, rows, width, height, TRUE);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);

  return finish_export (&write, status, file, error);
}

static void
chooser_response_cb (FsTimeline           *self,
                     int                   response,
                     GtkFileChooserNative *chooser)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *basename = NULL;
  g_autoptr(GtkFileChooserNative) keep = g_object_ref (chooser);
  gboolean svg;
  gboolean ok;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_clear_object (&self->chooser);
  if (file == NULL)
    return;

  /* The name's extension says the format; a name without one gets that
   * of the chosen filter. */
  basename = g_file_get_basename (file);
  svg = g_str_has_suffix (basename, ".svg") || g_str_has_suffix (basename, ".SVG");
  if (!svg && !g_str_has_suffix (basename, ".png") && !g_str_has_suffix (basename, ".PNG"))
    {
      GtkFileFilter *filter = gtk_file_chooser_get_filter (GTK_FILE_CHOOSER (chooser));
      g_autoptr(GFile) parent = g_file_get_parent (file);
      g_autofree char *named = NULL;

      svg = filter != NULL && g_strcmp0 (g_object_get_data (G_OBJECT (filter), "fs-format"), "svg") == 0;
      named = g_strconcat (basename, svg ? ".svg" : ".png", NULL);
      if (parent != NULL)
        g_set_object (&file, g_file_get_child (parent, named));
    }
  if (svg)
    ok = fs_timeline_export_svg (self, file, &error);
  else
    ok = fs_timeline_export_png (self, file, &error);

  if (!ok)
    {
      GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
      GtkWidget *dialog;

      g_warning ("Saving the timeline failed: %s", error->message);
      dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                       _("Could not save the timeline"), error->message);
      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
      gtk_window_present (GTK_WINDOW (dialog));
    }
}

void
fs_timeline_save_dialog (FsTimeline *self)
{
  GtkRoot *root;
  g_autoptr(GtkFileFilter) png = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) svg = gtk_file_filter_new ();

  g_return_if_fail (FS_IS_TIMELINE (self));

  if (self->chooser != NULL)
    return;

  root = gtk_widget_get_root (GTK_WIDGET (self));
  self->chooser = gtk_file_chooser_native_new (_("Save Timeline"),
                                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_SAVE,
                                               _("_Save"), _("_Cancel"));
  gtk_file_filter_set_name (png, _("PNG image"));
  gtk_file_filter_add_mime_type (png, "image/png");
  gtk_file_filter_add_suffix (png, "png");
  gtk_file_filter_set_name (svg, _("SVG image (for slides)"));
  gtk_file_filter_add_mime_type (svg, "image/svg+xml");
  gtk_file_filter_add_suffix (svg, "svg");
  g_object_set_data (G_OBJECT (svg), "fs-format", (gpointer)"svg");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), png);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), svg);
  /* Translators: the default file name of a saved timeline. */
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), _("timeline.png"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (chooser_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

/* GObject */

static void
fs_timeline_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (fs_timeline_parent_class)->map (widget);
  gtk_widget_queue_draw (widget);
}

static void
fs_timeline_unmap (GtkWidget *widget)
{
  FsTimeline *self = FS_TIMELINE (widget);

  g_clear_handle_id (&self->redraw_id, g_source_remove);
  GTK_WIDGET_CLASS (fs_timeline_parent_class)->unmap (widget);
}

GtkWidget *
fs_timeline_new (void)
{
  return g_object_new (FS_TYPE_TIMELINE, NULL);
}

static void
fs_timeline_dispose (GObject *object)
{
  FsTimeline *self = (FsTimeline *)object;

  g_clear_handle_id (&self->redraw_id, g_source_remove);
  g_clear_object (&self->reveal);
  if (self->chooser != NULL)
    {
      gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
      g_clear_object (&self->chooser);
    }
  if (self->model != NULL)
    g_signal_handlers_disconnect_by_data (self->model, self);
  g_clear_object (&self->model);
  g_clear_object (&self->selected);
  g_clear_object (&self->hadjustment);
  g_clear_object (&self->vadjustment);

  G_OBJECT_CLASS (fs_timeline_parent_class)->dispose (object);
}

static void
fs_timeline_finalize (GObject *object)
{
  FsTimeline *self = (FsTimeline *)object;

  g_clear_pointer (&self->painter, fs_timeline_painter_free);

  G_OBJECT_CLASS (fs_timeline_parent_class)->finalize (object);
}

static void
fs_timeline_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  FsTimeline *self = FS_TIMELINE (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      g_value_set_object (value, self->model);
      break;

    case PROP_SELECTED_PROCESS:
      g_value_set_object (value, self->selected);
      break;

    case PROP_PAUSED:
      g_value_set_boolean (value, self->paused);
      break;

    case PROP_SPAN:
      g_value_set_int64 (value, effective_span (self));
      break;

    case PROP_FOLLOWING:
      g_value_set_boolean (value, self->following);
      break;

    case PROP_HADJUSTMENT:
      g_value_set_object (value, self->hadjustment);
      break;

    case PROP_VADJUSTMENT:
      g_value_set_object (value, self->vadjustment);
      break;

    case PROP_HSCROLL_POLICY:
      g_value_set_enum (value, self->hscroll_policy);
      break;

    case PROP_VSCROLL_POLICY:
      g_value_set_enum (value, self->vscroll_policy);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fs_timeline_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  FsTimeline *self = FS_TIMELINE (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      fs_timeline_set_model (self, g_value_get_object (value));
      break;

    case PROP_SELECTED_PROCESS:
      fs_timeline_set_selected_process (self, g_value_get_object (value));
      break;

    case PROP_PAUSED:
      fs_timeline_set_paused (self, g_value_get_boolean (value));
      break;

    case PROP_SPAN:
      fs_timeline_set_span (self, g_value_get_int64 (value));
      break;

    case PROP_HADJUSTMENT:
      set_adjustment (self, &self->hadjustment, g_value_get_object (value));
      break;

    case PROP_VADJUSTMENT:
      set_adjustment (self, &self->vadjustment, g_value_get_object (value));
      break;

    case PROP_HSCROLL_POLICY:
      if (self->hscroll_policy != (guint)g_value_get_enum (value))
        {
          self->hscroll_policy = g_value_get_enum (value);
          gtk_widget_queue_resize (GTK_WIDGET (self));
          g_object_notify_by_pspec (object, pspec);
        }
      break;

    case PROP_VSCROLL_POLICY:
      if (self->vscroll_policy != (guint)g_value_get_enum (value))
        {
          self->vscroll_policy = g_value_get_enum (value);
          gtk_widget_queue_resize (GTK_WIDGET (self));
          g_object_notify_by_pspec (object, pspec);
        }
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fs_timeline_class_init (FsTimelineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fs_timeline_dispose;
  object_class->finalize = fs_timeline_finalize;
  object_class->get_property = fs_timeline_get_property;
  object_class->set_property = fs_timeline_set_property;

  widget_class->snapshot = fs_timeline_snapshot;
  widget_class->measure = fs_timeline_measure;
  widget_class->size_allocate = fs_timeline_size_allocate;
  widget_class->map = fs_timeline_map;
  widget_class->unmap = fs_timeline_unmap;

  properties[PROP_MODEL] =
    g_param_spec_object ("model", NULL, NULL,
                         FS_TYPE_TIMELINE_MODEL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_SELECTED_PROCESS] =
    g_param_spec_object ("selected-process", NULL, NULL,
                         FS_TYPE_PROCESS,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_PAUSED] =
    g_param_spec_boolean ("paused", NULL, NULL,
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_SPAN] =
    g_param_spec_int64 ("span", NULL, NULL,
                        1, G_MAXINT64, 2 * G_USEC_PER_SEC,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_FOLLOWING] =
    g_param_spec_boolean ("following", NULL, NULL,
                          TRUE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_object_class_override_property (object_class, PROP_HADJUSTMENT, "hadjustment");
  g_object_class_override_property (object_class, PROP_VADJUSTMENT, "vadjustment");
  g_object_class_override_property (object_class, PROP_HSCROLL_POLICY, "hscroll-policy");
  g_object_class_override_property (object_class, PROP_VSCROLL_POLICY, "vscroll-policy");

  gtk_widget_class_install_action (widget_class, "timeline.zoom-in", NULL, zoom_in_action);
  gtk_widget_class_install_action (widget_class, "timeline.zoom-out", NULL, zoom_out_action);
  gtk_widget_class_install_action (widget_class, "timeline.follow", NULL, follow_action);
  gtk_widget_class_install_action (widget_class, "timeline.save", NULL, save_action);
  gtk_widget_class_install_property_action (widget_class, "timeline.paused", "paused");

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, 0, "timeline.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_equal, 0, "timeline.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Add, 0, "timeline.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, 0, "timeline.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Subtract, 0, "timeline.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_End, 0, "timeline.follow", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_space, 0, "timeline.paused", NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Left, 0, pan_binding, "d", -0.1);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Right, 0, pan_binding, "d", 0.1);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Home, 0, home_binding, NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Up, 0, select_relative, "i", -1);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Down, 0, select_relative, "i", 1);

  gtk_widget_class_set_css_name (widget_class, "timeline");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
fs_timeline_init (FsTimeline *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  GtkEventController *controller;
  GtkGesture *gesture;

  self->span = fit_spans[0];
  self->following = TRUE;
  self->fit = TRUE;
  self->painter = fs_timeline_painter_new (gtk_widget_get_pango_context (widget));

  gtk_widget_set_focusable (widget, TRUE);
  gtk_widget_set_has_tooltip (widget, TRUE);
  gtk_widget_set_overflow (widget, GTK_OVERFLOW_HIDDEN);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Process timeline"),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  _("Each process's life over time: running, stopped, zombie, reaped"),
                                  -1);

  fs_timeline_set_model (self, NULL);
  set_adjustment (self, &self->hadjustment, NULL);
  set_adjustment (self, &self->vadjustment, NULL);

  g_signal_connect (self, "query-tooltip", G_CALLBACK (query_tooltip_cb), NULL);

  controller = gtk_event_controller_motion_new ();
  g_signal_connect_swapped (controller, "motion", G_CALLBACK (motion_cb), self);
  gtk_widget_add_controller (widget, controller);

  controller = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES);
  g_signal_connect_swapped (controller, "scroll", G_CALLBACK (scroll_cb), self);
  gtk_widget_add_controller (widget, controller);

  gesture = gtk_gesture_drag_new ();
  g_signal_connect_swapped (gesture, "drag-begin", G_CALLBACK (drag_begin_cb), self);
  g_signal_connect_swapped (gesture, "drag-update", G_CALLBACK (drag_update_cb), self);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (gesture));

  gesture = gtk_gesture_click_new ();
  g_signal_connect_swapped (gesture, "released", G_CALLBACK (click_released_cb), self);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (gesture));

  gesture = gtk_gesture_zoom_new ();
  g_signal_connect_swapped (gesture, "begin", G_CALLBACK (zoom_begin_cb), self);
  g_signal_connect_swapped (gesture, "scale-changed", G_CALLBACK (zoom_scale_changed_cb), self);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (gesture));

  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (update_palette), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (adw_style_manager_get_default (), "notify::high-contrast",
                           G_CALLBACK (update_palette), self, G_CONNECT_SWAPPED);
  update_palette (self);
}
