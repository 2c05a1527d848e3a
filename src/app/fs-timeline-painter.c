/* fs-timeline-painter.c
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gi18n.h>
#include <pango/pangocairo.h>

#include "fs-lifeline-private.h"
#include "fs-timeline-painter.h"

/* One drawing routine in cairo serves the widget (through
 * gtk_snapshot_append_cairo), PNG export (an image surface) and SVG export
 * (cairo's SVG surface), so a slide shows exactly what the screen showed.
 * bench-timeline measures that this is fast enough: only visible rows and
 * the visible time range are drawn, and text layouts are cached. */

/* Inside a row: signal marks above the bar, join brackets below it. */
#define BAR_TOP        13.0
#define BAR_HEIGHT     16.0
#define BOTTOM_ZONE    29.0
#define INDENT         14.0
#define LEGEND_LINE    26.0
#define MIN_TICK_SPACE 90.0
#define MAX_LAYOUTS    2048

typedef enum
{
  ROLE_NAME,       /* process names: the UI font */
  ROLE_SMALL,      /* annotations: a little smaller */
  ROLE_BOLD,       /* headers and badges */
} TextRole;

struct _FsTimelinePainter
{
  PangoContext          *context;
  PangoFontDescription  *fonts[3];
  GHashTable            *layouts;   /* "role:text" -> PangoLayout */
  guint                  serial;
  FsTimelinePalette      palette;
  GArray                *label_boxes;  /* FsTimelineLabelBox: what the last draw placed */
  FsLifeline            *drawing;      /* the lifeline whose labels are being placed */
};

static void
label_box_clear (gpointer data)
{
  FsTimelineLabelBox *box = data;

  g_clear_pointer (&box->text, g_free);
}

static void
parse_color (GdkRGBA    *color,
             const char *spec,
             double      alpha)
{
  gboolean ok = gdk_rgba_parse (color, spec);

  g_assert (ok);
  color->alpha = alpha;
}

void
fs_timeline_palette_init (FsTimelinePalette *palette,
                          gboolean           dark,
                          gboolean           high_contrast)
{
  /* The GNOME palette (libadwaita's named colours): blue 3 for running,
   * yellow for stopped, purple for zombies, red for signals, green for
   * joins, orange for adoption. Every state also has its own pattern or
   * label, so nothing depends on telling colours apart. */
  if (!dark)
    {
      parse_color (&palette->background, "#ffffff", 1);
      parse_color (&palette->sidebar, "#fafafa", 1);
      parse_color (&palette->foreground, "#000000", high_contrast ? 1 : 0.8);
      parse_color (&palette->dim, "#000000", high_contrast ? 0.8 : 0.55);
      parse_color (&palette->border, "#000000", high_contrast ? 0.5 : 0.15);
      parse_color (&palette->grid, "#000000", high_contrast ? 0.2 : 0.07);
      parse_color (&palette->stripe, "#000000", high_contrast ? 0.0 : 0.025);
      parse_color (&palette->selection, "#3584e4", high_contrast ? 0.3 : 0.15);
      parse_color (&palette->running, high_contrast ? "#1a5fb4" : "#3584e4", 1);
      parse_color (&palette->stopped, "#f9f06b", 1);
      parse_color (&palette->stopped_hatch, high_contrast ? "#865e3c" : "#c88800", 1);
      parse_color (&palette->zombie, high_contrast ? "#613583" : "#813d9c", 1);
      parse_color (&palette->zombie_fill, "#dc8add", high_contrast ? 0.6 : 0.4);
      parse_color (&palette->zombie_text, "#613583", 1);
      parse_color (&palette->signal, high_contrast ? "#a51d2d" : "#e01b24", 1);
      parse_color (&palette->join, high_contrast ? "#1c5f3a" : "#26a269", 1);
      parse_color (&palette->link, high_contrast ? "#3d3846" : "#77767b", 1);
      parse_color (&palette->reparent, high_contrast ? "#a33b00" : "#e66100", 1);
      parse_color (&palette->now, "#1c71d8", 1);
    }
  else
    {
      parse_color (&palette->background, "#1e1e1e", 1);
      parse_color (&palette->sidebar, "#2a2a2a", 1);
      parse_color (&palette->foreground, "#ffffff", high_contrast ? 1 : 0.9);
      parse_color (&palette->dim, "#ffffff", high_contrast ? 0.8 : 0.55);
      parse_color (&palette->border, "#ffffff", high_contrast ? 0.5 : 0.15);
      parse_color (&palette->grid, "#ffffff", high_contrast ? 0.2 : 0.07);
      parse_color (&palette->stripe, "#ffffff", high_contrast ? 0.0 : 0.025);
      parse_color (&palette->selection, "#78aeed", high_contrast ? 0.35 : 0.2);
      parse_color (&palette->running, high_contrast ? "#99c1f1" : "#62a0ea", 1);
      parse_color (&palette->stopped, "#f6d32d", 0.25);
      parse_color (&palette->stopped_hatch, "#f6d32d", 1);
      parse_color (&palette->zombie, high_contrast ? "#dc8add" : "#c061cb", 1);
      parse_color (&palette->zombie_fill, "#c061cb", high_contrast ? 0.5 : 0.3);
      parse_color (&palette->zombie_text, "#f0c0f0", 1);
      parse_color (&palette->signal, high_contrast ? "#ff9b8f" : "#f66151", 1);
      parse_color (&palette->join, high_contrast ? "#8ff0a4" : "#57e389", 1);
      parse_color (&palette->link, high_contrast ? "#deddda" : "#9a9996", 1);
      parse_color (&palette->reparent, high_contrast ? "#ffbe6f" : "#ffa348", 1);
      parse_color (&palette->now, "#78aeed", 1);
    }
  palette->high_contrast = high_contrast;
}

FsTimelinePainter *
fs_timeline_painter_new (PangoContext *context)
{
  FsTimelinePainter *self = g_new0 (FsTimelinePainter, 1);

  g_return_val_if_fail (PANGO_IS_CONTEXT (context), NULL);

  self->context = g_object_ref (context);
  self->layouts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->label_boxes = g_array_new (FALSE, TRUE, sizeof (FsTimelineLabelBox));
  g_array_set_clear_func (self->label_boxes, label_box_clear);
  fs_timeline_palette_init (&self->palette, FALSE, FALSE);
  fs_timeline_painter_invalidate (self);

  return self;
}

void
fs_timeline_painter_free (FsTimelinePainter *self)
{
  if (self == NULL)
    return;

  g_clear_object (&self->context);
  for (guint i = 0; i < G_N_ELEMENTS (self->fonts); i++)
    g_clear_pointer (&self->fonts[i], pango_font_description_free);
  g_clear_pointer (&self->layouts, g_hash_table_unref);
  g_clear_pointer (&self->label_boxes, g_array_unref);
  g_free (self);
}

void
fs_timeline_painter_set_palette (FsTimelinePainter       *self,
                                 const FsTimelinePalette *palette)
{
  self->palette = *palette;
}

const FsTimelinePalette *
fs_timeline_painter_get_palette (FsTimelinePainter *self)
{
  return &self->palette;
}

void
fs_timeline_painter_invalidate (FsTimelinePainter *self)
{
  const PangoFontDescription *base = pango_context_get_font_description (self->context);
  int size;

  g_hash_table_remove_all (self->layouts);
  for (guint i = 0; i < G_N_ELEMENTS (self->fonts); i++)
    g_clear_pointer (&self->fonts[i], pango_font_description_free);

  self->fonts[ROLE_NAME] = base != NULL ? pango_font_description_copy (base)
                                        : pango_font_description_from_string ("Cantarell 11");
  if (pango_font_description_get_size (self->fonts[ROLE_NAME]) <= 0)
    pango_font_description_set_size (self->fonts[ROLE_NAME], 11 * PANGO_SCALE);
  size = pango_font_description_get_size (self->fonts[ROLE_NAME]);

  self->fonts[ROLE_SMALL] = pango_font_description_copy (self->fonts[ROLE_NAME]);
  if (pango_font_description_get_size_is_absolute (self->fonts[ROLE_NAME]))
    pango_font_description_set_absolute_size (self->fonts[ROLE_SMALL], size * 0.82);
  else
    pango_font_description_set_size (self->fonts[ROLE_SMALL], (int)(size * 0.82));

  self->fonts[ROLE_BOLD] = pango_font_description_copy (self->fonts[ROLE_SMALL]);
  pango_font_description_set_weight (self->fonts[ROLE_BOLD], PANGO_WEIGHT_BOLD);

  self->serial = pango_context_get_serial (self->context);
}

static PangoLayout *
get_layout (FsTimelinePainter *self,
            TextRole           role,
            const char        *text)
{
  g_autofree char *key = g_strdup_printf ("%d:%s", role, text);
  PangoLayout *layout;

  if (pango_context_get_serial (self->context) != self->serial)
    fs_timeline_painter_invalidate (self);

  layout = g_hash_table_lookup (self->layouts, key);
  if (layout != NULL)
    return layout;

  /* Bounded: labels with times in them are many but each is drawn for a
   * short while. */
  if (g_hash_table_size (self->layouts) >= MAX_LAYOUTS)
    g_hash_table_remove_all (self->layouts);

  layout = pango_layout_new (self->context);
  pango_layout_set_font_description (layout, self->fonts[role]);
  pango_layout_set_text (layout, text, -1);
  g_hash_table_insert (self->layouts, g_steal_pointer (&key), layout);

  return layout;
}

static void
text_size (PangoLayout *layout,
           double      *width,
           double      *height)
{
  int w, h;

  pango_layout_get_pixel_size (layout, &w, &h);
  *width = w;
  *height = h;
}

static void
draw_text (cairo_t       *cr,
           PangoLayout   *layout,
           const GdkRGBA *color,
           double         x,
           double         y)
{
  cairo_move_to (cr, round (x), round (y));
  gdk_cairo_set_source_rgba (cr, color);
  pango_cairo_show_layout (cr, layout);
}

/* Centre a line of text vertically on @cy. */
static double
draw_text_centered (FsTimelinePainter *self,
                    cairo_t           *cr,
                    TextRole           role,
                    const char        *text,
                    const GdkRGBA     *color,
                    double             x,
                    double             cy)
{
  PangoLayout *layout = get_layout (self, role, text);
  double w, h;

  text_size (layout, &w, &h);
  draw_text (cr, layout, color, x, cy - h / 2);

  return w;
}

static void
fill_rect (cairo_t       *cr,
           const GdkRGBA *color,
           double         x,
           double         y,
           double         w,
           double         h)
{
  gdk_cairo_set_source_rgba (cr, color);
  cairo_rectangle (cr, x, y, w, h);
  cairo_fill (cr);
}

double
fs_timeline_names_width (double width)
{
  return round (CLAMP (width * 0.22, 120, FS_TIMELINE_NAMES_WIDTH));
}

double
fs_timeline_viewport_time_to_x (const FsTimelineViewport *viewport,
                                gint64                    time)
{
  double plot = MAX (viewport->width - viewport->names_width, 1);
  double span = MAX (viewport->end - viewport->start, 1);

  return viewport->names_width + (double)(time - viewport->start) / span * plot;
}

gint64
fs_timeline_viewport_x_to_time (const FsTimelineViewport *viewport,
                                double                    x)
{
  double plot = MAX (viewport->width - viewport->names_width, 1);
  double span = MAX (viewport->end - viewport->start, 1);

  return viewport->start + (gint64)((x - viewport->names_width) / plot * span);
}

static double
row_y (const FsTimelineViewport *viewport,
       int                       row)
{
  return FS_TIMELINE_AXIS_HEIGHT + row * FS_TIMELINE_ROW_HEIGHT - viewport->scroll;
}

guint
fs_timeline_viewport_get_n_rows (const FsTimelineViewport *viewport,
                                 FsTimelineModel          *model)
{
  if (viewport->rows != NULL)
    return viewport->rows->len;

  return g_list_model_get_n_items (G_LIST_MODEL (model));
}

static FsLifeline *
row_lifeline (const FsTimelineViewport *viewport,
              FsTimelineModel          *model,
              guint                     row)
{
  if (viewport->rows != NULL)
    return row < viewport->rows->len ? g_ptr_array_index (viewport->rows, row) : NULL;

  return fs_timeline_model_peek (model, row);
}

static int
row_of (const FsTimelineViewport *viewport,
        FsTimelineModel          *model,
        FsLifeline               *lifeline)
{
  guint index;

  if (viewport->rows == NULL)
    return fs_timeline_model_get_row (model, lifeline);
  if (lifeline != NULL && g_ptr_array_find (viewport->rows, lifeline, &index))
    return (int)index;

  return -1;
}

static char *
format_seconds (double seconds)
{
  /* Translators: a time on the timeline, in seconds, e.g. "12.345678 s". */
  return g_strdup_printf (_("%.6f s"), seconds);
}

static char *
format_time (FsTimelineModel *model,
             gint64           time)
{
  return format_seconds ((time - fs_timeline_model_get_origin (model)) / (double)G_USEC_PER_SEC);
}

static char *
format_duration (gint64 duration)
{
  double seconds = duration / (double)G_USEC_PER_SEC;

  if (seconds < 1)
    /* Translators: a short duration in milliseconds. */
    return g_strdup_printf (_("%.3f ms"), seconds * 1000);

  /* Translators: a duration in seconds. */
  return g_strdup_printf (_("%.3f s"), seconds);
}

static char *
format_timeout (double timeout)
{
  if (timeout < 0)
    /* Translators: a join call without a timeout. */
    return g_strdup (_("join()"));

  /* Translators: a join call with its timeout in seconds, as in Python. */
  return g_strdup_printf (_("join(%g)"), timeout);
}

char *
fs_timeline_dup_zombie_label (const FsSegment *segment)
{
  g_return_val_if_fail (segment != NULL, NULL);

  if (segment->reaper_pid > 0)
    /* Translators: on a zombie's lifeline; %d is the PID of its parent,
     * the only process that can reap it. */
    return g_strdup_printf (_("zombie — PID %d must reap"), segment->reaper_pid);

  return g_strdup (_("zombie"));
}

static gboolean
was_adopted_by_supervisor (FsTimelineModel *model,
                           FsLifeline      *lifeline)
{
  for (guint i = fs_timeline_model_get_n_links (model); i > 0; i--)
    {
      const FsLink *link = fs_timeline_model_get_link (model, i - 1);

      if (link->kind == FS_LINK_REPARENT && link->child == lifeline)
        return link->to_supervisor;
    }

  return FALSE;
}

char *
fs_timeline_dup_end_label (FsTimelineModel *model,
                           FsLifeline      *lifeline)
{
  g_autofree char *exit_text = NULL;
  g_autofree char *who = NULL;

  g_return_val_if_fail (FS_IS_TIMELINE_MODEL (model), NULL);
  g_return_val_if_fail (FS_IS_LIFELINE (lifeline), NULL);

  who = fs_timeline_dup_reaper_label (model, lifeline);
  exit_text = fs_lifeline_dup_exit_text (lifeline);
  if (who == NULL || exit_text == NULL)
    return g_steal_pointer (&who);

  /* Translators: "exit 0 · reaped by the supervisor (PID 10)". */
  return g_strdup_printf (_("%s · %s"), exit_text, who);
}

char *
fs_timeline_dup_reaper_label (FsTimelineModel *model,
                              FsLifeline      *lifeline)
{
  g_autofree char *who = NULL;

  g_return_val_if_fail (FS_IS_TIMELINE_MODEL (model), NULL);
  g_return_val_if_fail (FS_IS_LIFELINE (lifeline), NULL);

  switch (fs_lifeline_get_end (lifeline))
    {
    case FS_LIFELINE_END_NONE:
      return NULL;

    /* The same words as the event log's (fs_event_to_text()). */
    case FS_LIFELINE_END_SUPERVISOR:
      if (was_adopted_by_supervisor (model, lifeline))
        /* Translators: %d is the supervisor's PID; it adopted the orphan
         * and then reaped it. */
        who = g_strdup_printf (_("reaped by the supervisor (PID %d), its adopter"),
                               fs_lifeline_get_reaper_pid (lifeline));
      else
        /* Translators: %d is the supervisor's PID. */
        who = g_strdup_printf (_("reaped by the supervisor (PID %d)"),
                               fs_lifeline_get_reaper_pid (lifeline));
      break;

    case FS_LIFELINE_END_PARENT:
      /* Translators: %d is the PID of the parent that reaped its child. */
      who = g_strdup_printf (_("reaped by its parent (PID %d)"),
                             fs_lifeline_get_reaper_pid (lifeline));
      break;

    case FS_LIFELINE_END_ADOPTER:
      /* Translators: %d is the PID of the process that adopted the orphan
       * (PID 1, or a subreaper such as systemd --user) and then reaped it. */
      who = g_strdup_printf (_("reaped by its adopter (PID %d)"),
                             fs_lifeline_get_reaper_pid (lifeline));
      break;

    case FS_LIFELINE_END_UNKNOWN:
    default:
      who = g_strdup (_("gone"));
      break;
    }

  return g_steal_pointer (&who);
}

char *
fs_timeline_dup_end_label_short (FsLifeline *lifeline)
{
  g_return_val_if_fail (FS_IS_LIFELINE (lifeline), NULL);

  switch (fs_lifeline_get_end (lifeline))
    {
    case FS_LIFELINE_END_NONE:
      return NULL;

    case FS_LIFELINE_END_SUPERVISOR:
    case FS_LIFELINE_END_PARENT:
    case FS_LIFELINE_END_ADOPTER:
      if (fs_lifeline_get_has_exit_code (lifeline))
        return fs_lifeline_dup_exit_text (lifeline);
      return g_strdup (_("reaped"));

    case FS_LIFELINE_END_UNKNOWN:
    default:
      return g_strdup (_("gone"));
    }
}

char *
fs_timeline_dup_link_label (const FsLink *link)
{
  g_return_val_if_fail (link != NULL, NULL);

  switch (link->kind)
    {
    case FS_LINK_SPAWN:
      return g_strdup (_("spawned"));

    case FS_LINK_FORK:
      return g_strdup (_("forked"));

    case FS_LINK_REPARENT:
      if (link->to_supervisor)
        return g_strdup (_("adopted by the supervisor"));
      /* Translators: an orphan's new parent, e.g. "adopted by PID 1". */
      return g_strdup_printf (_("adopted by PID %d"), link->to_pid);

    default:
      g_return_val_if_reached (NULL);
    }
}

static char *
mark_label (const FsMark *mark)
{
  g_autofree char *call = NULL;

  if (mark->kind == FS_MARK_SIGNAL)
    {
      g_autofree char *name = fs_signal_dup_name (mark->signum);

      if (mark->group)
        /* Translators: a signal sent to a whole process group. */
        return g_strdup_printf (_("%s to the group"), name);
      return g_steal_pointer (&name);
    }

  call = format_timeout (mark->timeout);
  switch (mark->outcome)
    {
    case FS_JOIN_PENDING:
      /* Translators: a join call that has not returned yet. */
      return g_strdup_printf (_("%s waiting…"), call);

    case FS_JOIN_JOINED:
      {
        g_autofree char *exit_text = fs_exit_code_dup_text (mark->exit_code);

        /* Translators: a join call that returned; then the exit status. */
        return g_strdup_printf (_("%s → %s"), call, exit_text);
      }

    case FS_JOIN_TIMED_OUT:
    default:
      /* Translators: a join call whose timeout expired. */
      return g_strdup_printf (_("%s → timed out, still alive"), call);
    }
}

/* Diagonal lines: "stopped" reads as hatched in any colour scheme. */
static void
hatch_rect (cairo_t       *cr,
            const GdkRGBA *color,
            double         x,
            double         y,
            double         w,
            double         h)
{
  double start = floor (x / 6.0) * 6.0 - h;

  cairo_save (cr);
  cairo_rectangle (cr, x, y, w, h);
  cairo_clip (cr);
  gdk_cairo_set_source_rgba (cr, color);
  cairo_set_line_width (cr, 2);
  for (double sx = start; sx < x + w; sx += 6.0)
    {
      cairo_move_to (cr, sx, y + h);
      cairo_line_to (cr, sx + h, y);
    }
  cairo_stroke (cr);
  cairo_restore (cr);
}

static void
draw_running (FsTimelinePainter *self,
              cairo_t           *cr,
              double             x,
              double             y,
              double             w,
              double             h)
{
  fill_rect (cr, &self->palette.running, x, y, w, h);
  if (self->palette.high_contrast)
    {
      gdk_cairo_set_source_rgba (cr, &self->palette.foreground);
      cairo_set_line_width (cr, 1);
      cairo_rectangle (cr, x + 0.5, y + 0.5, MAX (w - 1, 0), h - 1);
      cairo_stroke (cr);
    }
}

static void
draw_stopped (FsTimelinePainter *self,
              cairo_t           *cr,
              double             x,
              double             y,
              double             w,
              double             h)
{
  fill_rect (cr, &self->palette.stopped, x, y, w, h);
  hatch_rect (cr, &self->palette.stopped_hatch, x, y, w, h);
  gdk_cairo_set_source_rgba (cr, &self->palette.stopped_hatch);
  cairo_set_line_width (cr, 1);
  cairo_rectangle (cr, x + 0.5, y + 0.5, MAX (w - 1, 0), h - 1);
  cairo_stroke (cr);
}

/* A zombie is a tinted, dash-outlined box: the process is there but empty. */
static void
draw_zombie (FsTimelinePainter *self,
             cairo_t           *cr,
             double             x,
             double             y,
             double             w,
             double             h)
{
  static const double dashes[] = { 4.0, 2.0 };

  fill_rect (cr, &self->palette.zombie_fill, x, y, w, h);
  gdk_cairo_set_source_rgba (cr, &self->palette.zombie);
  cairo_set_line_width (cr, 1.5);
  cairo_set_dash (cr, dashes, G_N_ELEMENTS (dashes), 0);
  cairo_rectangle (cr, x + 0.75, y + 0.75, MAX (w - 1.5, 0), h - 1.5);
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0);
}

/* The reap: the line ends in a bar, like a tombstone's edge. */
static void
draw_end_mark (FsTimelinePainter *self,
               cairo_t           *cr,
               double             x,
               double             y,
               double             h)
{
  fill_rect (cr, &self->palette.foreground, x - 1, y - 3, 2.5, h + 6);
  fill_rect (cr, &self->palette.foreground, x - 4, y - 3, 8, 2);
  fill_rect (cr, &self->palette.foreground, x - 4, y + h + 1, 8, 2);
}

static void
draw_signal_mark (FsTimelinePainter *self,
                  cairo_t           *cr,
                  double             x,
                  double             y)
{
  /* A downward triangle pointing at the line at @y. */
  gdk_cairo_set_source_rgba (cr, &self->palette.signal);
  cairo_move_to (cr, x - 5, y - 9);
  cairo_line_to (cr, x + 5, y - 9);
  cairo_line_to (cr, x, y);
  cairo_close_path (cr);
  cairo_fill (cr);
}

static void
draw_bracket (FsTimelinePainter *self,
              cairo_t           *cr,
              double             x0,
              double             x1,
              double             y,
              gboolean           closed)
{
  gdk_cairo_set_source_rgba (cr, &self->palette.join);
  cairo_set_line_width (cr, 2);
  cairo_move_to (cr, x0 + 1, y - 5);
  cairo_line_to (cr, x0 + 1, y);
  cairo_line_to (cr, x1 - (closed ? 1 : 0), y);
  if (closed)
    cairo_line_to (cr, x1 - 1, y - 5);
  cairo_stroke (cr);
}

static void
draw_arrow_head (cairo_t *cr,
                 double   x,
                 double   y,
                 gboolean down)
{
  double d = down ? -1 : 1;

  cairo_move_to (cr, x, y);
  cairo_line_to (cr, x - 4, y + d * 6);
  cairo_line_to (cr, x + 4, y + d * 6);
  cairo_close_path (cr);
  cairo_fill (cr);
}

/* A vertical link at @x from one row's bar to another's, with an arrow. */
static void
draw_link_line (FsTimelinePainter *self,
                cairo_t           *cr,
                const GdkRGBA     *color,
                gboolean           dashed,
                double             x,
                double             y_from,
                double             y_to)
{
  static const double dashes[] = { 3.0, 3.0 };
  gboolean down = y_to > y_from;
  double y0 = y_from + (down ? BAR_TOP + BAR_HEIGHT : BAR_TOP);
  double y1 = y_to + (down ? BAR_TOP : BAR_TOP + BAR_HEIGHT);

  if (y_to == y_from)
    return;

  gdk_cairo_set_source_rgba (cr, color);
  cairo_set_line_width (cr, 1.5);
  if (dashed)
    cairo_set_dash (cr, dashes, G_N_ELEMENTS (dashes), 0);
  cairo_move_to (cr, x, y0);
  cairo_line_to (cr, x, y1 + (down ? -5 : 5));
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0);
  fill_rect (cr, color, x - 2, y0 - 2, 4, 4);
  draw_arrow_head (cr, x, y1, down);
}

/* A row has three bands for text: above the bar (signals, adoptions), on
 * it (a zombie's label inside its box; after the end of the line, how it
 * ended, or who must reap a fresh zombie) and below it (joins). In each
 * band a label starts at what it labels and may take the room up to the
 * next label's mark; a label with no room there tries its other place (a
 * fresh zombie's goes above its box, a reap's above the end of the line),
 * then a shorter text, then ends in "…", and is left out when even that
 * does not fit: the mark stays, and the tooltip tells the rest. Nothing is
 * drawn outside the row or past the right edge. */
/* In the order they are filled: what finds no room on the bar may move
 * above it. */
typedef enum
{
  BAND_BAR,
  BAND_TOP,
  BAND_BOTTOM,
  N_BANDS,
} Band;

static double
band_center (Band   band,
             double y)
{
  switch (band)
    {
    case BAND_TOP:
      return y + BAR_TOP / 2;
    case BAND_BAR:
      return y + BAR_TOP + BAR_HEIGHT / 2;
    case BAND_BOTTOM:
    case N_BANDS:
    default:
      return y + (BOTTOM_ZONE + FS_TIMELINE_ROW_HEIGHT) / 2;
    }
}

#define MAX_LABELS_PER_BAND 32
#define LABEL_GAP           6.0
/* Narrower than this, a shortened label says too little to be worth it. */
#define MIN_LABEL_WIDTH     56.0

/* Which labels get their room first. */
enum
{
  PRIORITY_CALL,    /* joins */
  PRIORITY_EVENT,   /* signals, how it ended */
  PRIORITY_WHO,     /* who adopted it, who must reap it */
  PRIORITY_PLACED,  /* drawn already, inside a box */
};

typedef struct
{
  char          *text;          /* owned */
  char          *shorter;       /* owned, nullable: tried when @text has no room */
  char          *shortest;      /* owned, nullable: tried next */
  gboolean       may_cut;       /* else whole or not at all: "PID 12…" would mislead */
  TextRole       role;
  const GdkRGBA *color;
  double         width;         /* of @text */
  double         x;             /* where it starts, or ends if @flip */
  gboolean       flip;
  double         left;          /* the left edge of its mark and text, for the order */
  double         mark;          /* its mark's left edge: other labels' text stops before it */
  double         mark_right;    /* and its right edge */
  int            priority;      /* higher first: who adopted, who must reap */
  gboolean       placed;        /* drawn already (inside a box): only takes its room */
  /* Where to try next when there is no room: another band (or N_BANDS). */
  Band           other_band;
  double         other_x;
  gboolean       other_flip;
} Label;

typedef struct
{
  Label  labels[N_BANDS][MAX_LABELS_PER_BAND];
  guint  n[N_BANDS];
} RowLabels;

static double
text_width (FsTimelinePainter *self,
            TextRole           role,
            const char        *text)
{
  double w, h;

  text_size (get_layout (self, role, text), &w, &h);
  return w;
}

/* Queue a label; takes @text and @shorter. */
static Label *
add_label (FsTimelinePainter *self,
           RowLabels         *row,
           Band               band,
           TextRole           role,
           const GdkRGBA     *color,
           char              *text,
           char              *shorter,
           double             x,
           gboolean           flip,
           double             mark_left)
{
  Label *label;

  if (row->n[band] == MAX_LABELS_PER_BAND)
    {
      g_free (text);
      g_free (shorter);
      return NULL;
    }

  label = &row->labels[band][row->n[band]++];
  label->text = text;
  label->shorter = shorter;
  label->shortest = NULL;
  label->may_cut = TRUE;
  label->role = role;
  label->color = color;
  label->width = text_width (self, role, text);
  label->x = x;
  label->flip = flip;
  label->left = MIN (mark_left, flip ? x - label->width : x);
  label->mark = mark_left;
  label->mark_right = mark_left + 12;
  label->priority = 0;
  label->placed = FALSE;
  label->other_band = N_BANDS;
  label->other_x = 0;
  label->other_flip = FALSE;

  return label;
}

static void
row_labels_clear (RowLabels *row)
{
  for (guint band = 0; band < N_BANDS; band++)
    {
      for (guint i = 0; i < row->n[band]; i++)
        {
          g_clear_pointer (&row->labels[band][i].text, g_free);
          g_clear_pointer (&row->labels[band][i].shorter, g_free);
          g_clear_pointer (&row->labels[band][i].shortest, g_free);
        }
      row->n[band] = 0;
    }
}

static int
compare_labels (gconstpointer a,
                gconstpointer b)
{
  const Label *la = a;
  const Label *lb = b;

  return la->left < lb->left ? -1 : la->left > lb->left;
}

/* Draw @text in at most @room pixels, ending in "…" if it must; returns
 * the width drawn. */
static double
draw_text_in (FsTimelinePainter *self,
              cairo_t           *cr,
              TextRole           role,
              const char        *text,
              const GdkRGBA     *color,
              double             x,
              double             cy,
              double             room,
              gboolean           flip)
{
  PangoLayout *layout = get_layout (self, role, text);
  gboolean shortened = FALSE;
  PangoRectangle ink;
  FsTimelineLabelBox box = { 0 };
  double w, h, left, top;

  text_size (layout, &w, &h);
  if (w <= room)
    g_object_ref (layout);
  else
    {
      /* A copy: the cached layout stays whole for the next frame. */
      layout = pango_layout_copy (layout);
      pango_layout_set_width (layout, (int)(room * PANGO_SCALE));
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
      text_size (layout, &w, &h);
      shortened = TRUE;
    }

  left = flip ? x - w : x;
  top = cy - h / 2;
  draw_text (cr, layout, color, left, top);

  pango_layout_get_pixel_extents (layout, &ink, NULL);
  box.lifeline = self->drawing;
  box.x = round (left) + ink.x;
  box.y = round (top) + ink.y;
  box.width = ink.width;
  box.height = ink.height;
  box.text = g_strdup (text);
  box.shortened = shortened;
  g_array_append_val (self->label_boxes, box);
  g_object_unref (layout);

  return w;
}

static int
compare_priority (gconstpointer a,
                  gconstpointer b,
                  gpointer      data)
{
  const Label *labels = data;
  const Label *la = &labels[*(const guint *)a];
  const Label *lb = &labels[*(const guint *)b];

  if (la->priority != lb->priority)
    return la->priority > lb->priority ? -1 : 1;

  return la->left < lb->left ? -1 : la->left > lb->left;
}

typedef struct
{
  double left;
  double right;
} Span;

/* Place and draw @band's labels: the most telling first (who adopted, who
 * must reap), each in the room its mark leaves before the next mark and
 * the labels already placed; what finds no room moves to its other band,
 * if that comes later. */
static void
resolve_band (FsTimelinePainter        *self,
              cairo_t                  *cr,
              const FsTimelineViewport *viewport,
              RowLabels                *row,
              Band                      band,
              double                    y)
{
  Label *labels = row->labels[band];
  guint n = row->n[band];
  /* A little in from the edges: some glyphs (a "j") reach left of their
   * origin. */
  double plot_left = viewport->names_width + 4;
  double plot_right = viewport->width - 4;
  double cy = band_center (band, y);
  guint order[MAX_LABELS_PER_BAND];
  Span spans[MAX_LABELS_PER_BAND];
  guint n_spans = 0;

  qsort (labels, n, sizeof (Label), compare_labels);
  for (guint i = 0; i < n; i++)
    order[i] = i;
  g_qsort_with_data (order, n, sizeof (guint), compare_priority, labels);

  for (guint k = 0; k < n; k++)
    {
      Label *label = &labels[order[k]];
      gboolean flip = label->flip;
      double x = label->x;

      if (label->placed)
        {
          spans[n_spans].left = label->x;
          spans[n_spans].right = label->x + label->width;
          n_spans++;
          continue;
        }

      /* Who adopted it, who must reap it: if a lesser mark (a signal
       * sent at that moment) sits where the text would start, start after
       * it rather than say nothing. */
      if (label->priority >= PRIORITY_WHO && !flip)
        for (guint i = 0; i < n; i++)
          if (&labels[i] != label && labels[i].priority < label->priority &&
              labels[i].mark > x - LABEL_GAP && labels[i].mark < x + MIN_LABEL_WIDTH)
            x = MAX (x, labels[i].mark_right + 2);

      for (guint attempt = 0; attempt < 2; attempt++)
        {
          double lo = plot_left;
          double hi = plot_right;
          double room;
          const char *text = NULL;
          gboolean blocked = FALSE;

          /* The room around @x: up to the next mark after it (its text
           * must not cover one), and clear of the labels placed. */
          for (guint i = 0; i < n; i++)
            if (&labels[i] != label && labels[i].mark > x - (flip ? 0 : LABEL_GAP) && !flip)
              hi = MIN (hi, labels[i].mark - LABEL_GAP);
            else if (&labels[i] != label && flip && labels[i].mark < x && labels[i].mark_right <= x)
              lo = MAX (lo, labels[i].mark_right + LABEL_GAP);
          for (guint i = 0; i < n_spans; i++)
            {
              if (spans[i].left - LABEL_GAP < x && spans[i].right + LABEL_GAP > x)
                blocked = TRUE;
              else if (spans[i].left >= x)
                hi = MIN (hi, spans[i].left - LABEL_GAP);
              else
                lo = MAX (lo, spans[i].right + LABEL_GAP);
            }

          if (flip)
            room = blocked ? 0 : MIN (x, hi) - lo;
          else
            room = blocked || x < lo ? 0 : hi - x;

          /* Whole; else a shorter form; else cut, if enough shows to be
           * read. */
          if (label->width <= room)
            text = label->text;
          else if (label->shorter != NULL && text_width (self, label->role, label->shorter) <= room)
            text = label->shorter;
          else if (label->shortest != NULL && text_width (self, label->role, label->shortest) <= room)
            text = label->shortest;
          else if (label->may_cut && room >= MIN_LABEL_WIDTH)
            text = label->text;

          if (text != NULL)
            {
              double w;

              if (flip)
                x = MIN (x, hi);
              w = draw_text_in (self, cr, label->role, text, label->color, x, cy, room, flip);
              spans[n_spans].left = flip ? x - w : x;
              spans[n_spans].right = flip ? x : x + w;
              n_spans++;
              break;
            }

          /* Its other place: in this band, try it now; in a later band,
           * queue it there. */
          if (attempt > 0 || label->other_band == N_BANDS || label->other_band < band)
            break;
          if (label->other_band == band)
            {
              x = label->other_x;
              flip = label->other_flip;
              continue;
            }
          {
            Label *moved = add_label (self, row, label->other_band, label->role, label->color,
                                      g_steal_pointer (&label->text), g_steal_pointer (&label->shorter),
                                      label->other_x, label->other_flip, label->other_x);

            if (moved != NULL)
              {
                moved->shortest = g_steal_pointer (&label->shortest);
                moved->may_cut = label->may_cut;
                moved->priority = label->priority;
              }
          }
          break;
        }
    }
}

static void
draw_labels (FsTimelinePainter        *self,
             cairo_t                  *cr,
             const FsTimelineViewport *viewport,
             RowLabels                *row,
             double                    y)
{
  for (Band band = 0; band < N_BANDS; band++)
    resolve_band (self, cr, viewport, row, band, y);
  row_labels_clear (row);
}

/* Where this row's process changed parents: a ring on its line, and who
 * adopted it. */
static void
draw_adoptions (FsTimelinePainter        *self,
                cairo_t                  *cr,
                FsTimelineModel          *model,
                const FsTimelineViewport *viewport,
                FsLifeline               *lifeline,
                double                    y,
                RowLabels                *labels)
{
  guint n_links = fs_timeline_model_get_n_links (model);
  gint64 last = MIN (viewport->end, viewport->now);

  for (guint i = fs_timeline_model_find_link (model, viewport->start); i < n_links; i++)
    {
      const FsLink *link = fs_timeline_model_get_link (model, i);
      Label *label;
      double x, cy;

      if (link->time > last)
        break;
      if (link->kind != FS_LINK_REPARENT || link->child != lifeline)
        continue;

      x = fs_timeline_viewport_time_to_x (viewport, link->time);
      cy = y + BAR_TOP + BAR_HEIGHT / 2;
      gdk_cairo_set_source_rgba (cr, &self->palette.reparent);
      cairo_set_line_width (cr, 2.5);
      cairo_new_sub_path (cr);
      cairo_arc (cr, x, cy, 5, 0, 2 * G_PI);
      cairo_stroke (cr);
      label = add_label (self, labels, BAND_TOP, ROLE_BOLD, &self->palette.reparent,
                         fs_timeline_dup_link_label (link),
                         /* Translators: a short form of "adopted by the supervisor"
                          * or "adopted by PID 1", when there is little room. */
                         g_strdup (_("adopted")), x + 8, FALSE, x - 7);
      if (label != NULL)
        {
          label->may_cut = FALSE;
          label->priority = PRIORITY_WHO;
        }
    }
}

static void
draw_lifeline (FsTimelinePainter        *self,
               cairo_t                  *cr,
               FsTimelineModel          *model,
               const FsTimelineViewport *viewport,
               FsLifeline               *lifeline,
               double                    y)
{
  gint64 last = MIN (viewport->end, viewport->now);
  double bar_y = y + BAR_TOP;
  guint n_segments = fs_lifeline_get_n_segments (lifeline);
  guint n_marks = fs_lifeline_get_n_marks (lifeline);
  RowLabels row_labels;
  RowLabels *labels = &row_labels;

  labels->n[BAND_BAR] = labels->n[BAND_TOP] = labels->n[BAND_BOTTOM] = 0;
  self->drawing = lifeline;

  /* Everything of a row stays in the row. */
  cairo_save (cr);
  cairo_rectangle (cr, viewport->names_width, y, viewport->width - viewport->names_width,
                   FS_TIMELINE_ROW_HEIGHT);
  cairo_clip (cr);

  for (guint i = fs_lifeline_find_segment (lifeline, viewport->start); i < n_segments; i++)
    {
      const FsSegment *segment = fs_lifeline_get_segment (lifeline, i);
      gint64 start, end;
      double x0, x1;

      if (segment->start > last)
        break;

      start = MAX (segment->start, viewport->start);
      end = segment->end == FS_TIMELINE_OPEN ? viewport->now : segment->end;
      end = MIN (end, last);
      if (end < start || (end == start && segment->end != FS_TIMELINE_OPEN))
        continue;

      x0 = fs_timeline_viewport_time_to_x (viewport, start);
      x1 = MAX (fs_timeline_viewport_time_to_x (viewport, end), x0 + 1);

      switch (segment->kind)
        {
        case FS_SEGMENT_RUNNING:
          draw_running (self, cr, x0, bar_y, x1 - x0, BAR_HEIGHT);
          break;

        case FS_SEGMENT_STOPPED:
          draw_stopped (self, cr, x0, bar_y, x1 - x0, BAR_HEIGHT);
          break;

        case FS_SEGMENT_ZOMBIE:
          {
            g_autofree char *label = fs_timeline_dup_zombie_label (segment);
            const char *shorter = _("zombie");
            double w = text_width (self, ROLE_SMALL, label);
            double room = x1 - x0 - 8;

            draw_zombie (self, cr, x0, bar_y, x1 - x0, BAR_HEIGHT);
            /* Inside the box when it fits (the short form if need be);
             * a fresh zombie's label goes after its box, where a learner
             * watching the present reads it, or else above it. A zombie
             * already reaped in an instant (the auto policy) needs no
             * label: the reap mark and the tooltip say it. */
            if (w <= room || text_width (self, ROLE_SMALL, shorter) <= room)
              {
                Label *inside = add_label (self, labels, BAND_BAR, ROLE_SMALL, &self->palette.zombie_text,
                                           g_strdup (w <= room ? label : shorter), NULL,
                                           x0 + 4, FALSE, x0 + 4);

                if (inside != NULL)
                  {
                    draw_text_in (self, cr, ROLE_SMALL, inside->text, inside->color, x0 + 4,
                                  band_center (BAND_BAR, y), room, FALSE);
                    inside->placed = TRUE;
                    inside->priority = PRIORITY_PLACED;
                  }
                /* Who must reap it is the point: above the box, then. */
                if (w > room && segment->reaper_pid > 0)
                  {
                    Label *above = add_label (self, labels, BAND_TOP, ROLE_SMALL, &self->palette.zombie_text,
                                              /* Translators: beside a zombie's box on the
                                               * timeline; %d is its parent's PID. */
                                              g_strdup_printf (_("PID %d must reap it"), segment->reaper_pid),
                                              NULL, x0 + 2, FALSE, x0);

                    if (above != NULL)
                      {
                        above->may_cut = FALSE;
                        above->priority = PRIORITY_WHO;
                      }
                  }
              }
            else if (segment->end == FS_TIMELINE_OPEN)
              {
                Label *after = add_label (self, labels, BAND_BAR, ROLE_SMALL, &self->palette.zombie_text,
                                          g_steal_pointer (&label), g_strdup (shorter),
                                          x1 + 6, FALSE, x1 + 6);

                if (after != NULL)
                  {
                    after->shortest = after->shorter;
                    after->shorter = segment->reaper_pid > 0
                      ? g_strdup_printf (_("PID %d must reap it"), segment->reaper_pid) : NULL;
                    after->may_cut = FALSE;
                    after->priority = PRIORITY_WHO;
                    after->other_band = BAND_TOP;
                    after->other_x = x0;
                  }
              }
          }
          break;

        default:
          g_assert_not_reached ();
        }
    }

  draw_adoptions (self, cr, model, viewport, lifeline, y, labels);

  for (guint i = 0; i < n_marks; i++)
    {
      const FsMark *mark = fs_lifeline_get_mark (lifeline, i);

      if (mark->time > last)
        break;

      if (mark->kind == FS_MARK_SIGNAL)
        {
          Label *label;
          double x;

          if (mark->time < viewport->start)
            continue;
          x = fs_timeline_viewport_time_to_x (viewport, mark->time);
          draw_signal_mark (self, cr, x, bar_y);
          label = add_label (self, labels, BAND_TOP, ROLE_BOLD, &self->palette.signal,
                             mark_label (mark), NULL, x + 7, FALSE, x - 6);
          if (label != NULL)
            label->priority = PRIORITY_EVENT;
        }
      else
        {
          gint64 end = mark->end == FS_TIMELINE_OPEN ? viewport->now : mark->end;
          double x0, x1;
          Label *label;

          if (end < viewport->start)
            continue;
          x0 = fs_timeline_viewport_time_to_x (viewport, MAX (mark->time, viewport->start));
          x1 = fs_timeline_viewport_time_to_x (viewport, MIN (end, last));
          x1 = MAX (x1, x0 + 3);
          draw_bracket (self, cr, x0, x1, y + BOTTOM_ZONE + 5, mark->end != FS_TIMELINE_OPEN);
          label = add_label (self, labels, BAND_BOTTOM, ROLE_SMALL, &self->palette.join,
                             mark_label (mark), NULL, x1 + 6, FALSE, x0 - 2);
          if (label != NULL)
            {
              label->other_band = BAND_BOTTOM;
              label->other_x = x0 - 6;
              label->other_flip = TRUE;
            }
        }
    }

  if (fs_lifeline_get_end (lifeline) != FS_LIFELINE_END_NONE)
    {
      gint64 end_time = fs_lifeline_get_end_time (lifeline);

      if (end_time >= viewport->start && end_time <= last)
        {
          double x = fs_timeline_viewport_time_to_x (viewport, end_time);
          Label *label;

          draw_end_mark (self, cr, x, bar_y, BAR_HEIGHT);
          /* After the reap the row is empty: say it there; at the right
           * edge, above the end of the line instead. */
          label = add_label (self, labels, BAND_BAR, ROLE_SMALL, &self->palette.dim,
                             fs_timeline_dup_end_label (model, lifeline),
                             fs_lifeline_get_has_exit_code (lifeline)
                             ? fs_timeline_dup_reaper_label (model, lifeline) : NULL,
                             x + 7, FALSE, x - 4);
          if (label != NULL)
            {
              label->priority = PRIORITY_EVENT;
              label->shortest = fs_timeline_dup_end_label_short (lifeline);
              label->other_band = BAND_TOP;
              label->other_x = x - 4;
              label->other_flip = TRUE;
            }
        }
    }

  draw_labels (self, cr, viewport, labels, y);
  cairo_restore (cr);
  self->drawing = NULL;
}

static void
draw_links (FsTimelinePainter        *self,
            cairo_t                  *cr,
            FsTimelineModel          *model,
            const FsTimelineViewport *viewport,
            int                       first,
            int                       last_row)
{
  guint n_links = fs_timeline_model_get_n_links (model);
  gint64 last = MIN (viewport->end, viewport->now);

  for (guint i = fs_timeline_model_find_link (model, viewport->start); i < n_links; i++)
    {
      const FsLink *link = fs_timeline_model_get_link (model, i);
      FsLifeline *target = link->kind == FS_LINK_REPARENT && link->to == NULL ? link->child : link->to;
      int from_row, to_row;
      double x;

      if (link->time > last)
        break;

      from_row = row_of (viewport, model, link->from);
      to_row = row_of (viewport, model, target);
      x = fs_timeline_viewport_time_to_x (viewport, link->time);

      if (from_row >= 0 && to_row >= 0 &&
          !(MAX (from_row, to_row) < first || MIN (from_row, to_row) >= last_row))
        {
          GdkRGBA color = link->kind == FS_LINK_REPARENT ? self->palette.reparent : self->palette.link;

          /* A link across many rows crosses other lines: keep it faint
           * there, so the rows it passes stay readable. */
          if (ABS (to_row - from_row) > 3 && !self->palette.high_contrast)
            color.alpha *= 0.4;
          draw_link_line (self, cr, &color, link->kind != FS_LINK_SPAWN, x,
                          row_y (viewport, from_row), row_y (viewport, to_row));
        }

    }
}

static double
pick_tick_step (const FsTimelineViewport *viewport)
{
  static const double steps[] = {
    0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5,
    1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600,
  };
  double plot = MAX (viewport->width - viewport->names_width, 1);
  double span = (viewport->end - viewport->start) / (double)G_USEC_PER_SEC;

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    if (steps[i] / span * plot >= MIN_TICK_SPACE)
      return steps[i];

  return 3600;
}

static char *
format_tick (double seconds,
             double step)
{
  if (step >= 60)
    {
      int total = (int)round (seconds);

      /* Translators: minutes and seconds on the time axis, "2:05". */
      return g_strdup_printf (_("%d:%02d"), total / 60, abs (total % 60));
    }
  if (step >= 1)
    /* Translators: whole seconds on the time axis. */
    return g_strdup_printf (_("%.0f s"), seconds);
  if (step >= 0.1)
    return g_strdup_printf (_("%.1f s"), seconds);
  if (step >= 0.01)
    return g_strdup_printf (_("%.2f s"), seconds);

  return g_strdup_printf (_("%.3f s"), seconds);
}

static void
draw_grid (FsTimelinePainter        *self,
           cairo_t                  *cr,
           FsTimelineModel          *model,
           const FsTimelineViewport *viewport,
           double                    top,
           double                    bottom)
{
  double step = pick_tick_step (viewport);
  gint64 origin = fs_timeline_model_get_origin (model);
  double first = ceil ((viewport->start - origin) / (double)G_USEC_PER_SEC / step) * step;

  for (double s = first; ; s += step)
    {
      gint64 t = origin + (gint64)(s * G_USEC_PER_SEC);
      double x;

      if (t > viewport->end)
        break;
      x = round (fs_timeline_viewport_time_to_x (viewport, t)) + 0.5;
      gdk_cairo_set_source_rgba (cr, &self->palette.grid);
      cairo_set_line_width (cr, 1);
      cairo_move_to (cr, x, top);
      cairo_line_to (cr, x, bottom);
      cairo_stroke (cr);
    }
}

static void
draw_axis (FsTimelinePainter        *self,
           cairo_t                  *cr,
           FsTimelineModel          *model,
           const FsTimelineViewport *viewport)
{
  double step = pick_tick_step (viewport);
  gint64 origin = fs_timeline_model_get_origin (model);
  double first = ceil ((viewport->start - origin) / (double)G_USEC_PER_SEC / step) * step;
  double h = FS_TIMELINE_AXIS_HEIGHT;

  fill_rect (cr, &self->palette.sidebar, 0, 0, viewport->width, h);
  fill_rect (cr, &self->palette.border, 0, h - 1, viewport->width, 1);

  cairo_save (cr);
  cairo_rectangle (cr, viewport->names_width, 0, viewport->width - viewport->names_width, h);
  cairo_clip (cr);
  for (double s = first; ; s += step)
    {
      gint64 t = origin + (gint64)(s * G_USEC_PER_SEC);
      g_autofree char *label = NULL;
      PangoLayout *layout;
      double x, w, th;

      if (t > viewport->end)
        break;
      /* Before the origin is before anything happened. */
      if (s < -step / 2)
        continue;
      x = round (fs_timeline_viewport_time_to_x (viewport, t));
      fill_rect (cr, &self->palette.dim, x, h - 6, 1, 5);
      /* Avoid "-0 s" from rounding. */
      label = format_tick (fabs (s) < step / 2 ? 0 : s, step);
      layout = get_layout (self, ROLE_SMALL, label);
      text_size (layout, &w, &th);
      /* A label cut by the names column would read as another time. */
      if (x - w / 2 >= viewport->names_width + 2)
        draw_text (cr, layout, &self->palette.dim, x - w / 2, (h - 6 - th) / 2);
    }

  if (viewport->paused)
    {
      PangoLayout *layout = get_layout (self, ROLE_BOLD, _("Paused"));
      double w, th, bx;

      text_size (layout, &w, &th);
      bx = viewport->width - w - 24;
      fill_rect (cr, &self->palette.sidebar, bx - 8, 0, w + 32, h - 1);
      gdk_cairo_set_source_rgba (cr, &self->palette.now);
      cairo_new_sub_path (cr);
      cairo_arc (cr, bx + 4, h / 2, (th + 6) / 2, G_PI / 2, 3 * G_PI / 2);
      cairo_arc (cr, bx + w + 8, h / 2, (th + 6) / 2, 3 * G_PI / 2, G_PI / 2);
      cairo_close_path (cr);
      cairo_fill (cr);
      draw_text (cr, layout, &self->palette.background, bx + 6, h / 2 - th / 2);
    }
  cairo_restore (cr);

  draw_text_centered (self, cr, ROLE_BOLD, _("Process"), &self->palette.dim, 12, h / 2);
}

static void
draw_names (FsTimelinePainter        *self,
            cairo_t                  *cr,
            FsTimelineModel          *model,
            const FsTimelineViewport *viewport,
            int                       first,
            int                       last_row)
{
  fill_rect (cr, &self->palette.sidebar, 0, FS_TIMELINE_AXIS_HEIGHT,
             viewport->names_width, viewport->height);

  for (int i = first; i < last_row; i++)
    {
      FsLifeline *lifeline = row_lifeline (viewport, model, i);
      gboolean ended = fs_lifeline_get_end (lifeline) != FS_LIFELINE_END_NONE;
      const GdkRGBA *color = ended ? &self->palette.dim : &self->palette.foreground;
      g_autofree char *pid = g_strdup_printf (_("PID %d"), fs_lifeline_get_pid (lifeline));
      double y = row_y (viewport, i);
      double x = 12 + MIN (fs_lifeline_get_depth (lifeline), 8) * INDENT;
      PangoLayout *name = get_layout (self, ROLE_NAME, fs_timeline_get_display_name (model, lifeline));
      PangoLayout *pid_layout = get_layout (self, ROLE_SMALL, pid);
      double w, h, pw, ph, top;

      if (lifeline == viewport->selected)
        fill_rect (cr, &self->palette.selection, 0, y, viewport->names_width, FS_TIMELINE_ROW_HEIGHT);

      /* Tree guide: where this row hangs from its parent. */
      if (fs_lifeline_get_depth (lifeline) > 0)
        {
          fill_rect (cr, &self->palette.border, x - INDENT + 4, y, 1, FS_TIMELINE_ROW_HEIGHT / 2);
          fill_rect (cr, &self->palette.border, x - INDENT + 4, y + FS_TIMELINE_ROW_HEIGHT / 2,
                     INDENT - 7, 1);
        }

      pango_layout_set_width (name, (int)((viewport->names_width - x - 8) * PANGO_SCALE));
      pango_layout_set_ellipsize (name, PANGO_ELLIPSIZE_END);
      text_size (name, &w, &h);
      text_size (pid_layout, &pw, &ph);
      top = y + (FS_TIMELINE_ROW_HEIGHT - h - ph) / 2;
      draw_text (cr, name, color, x, top);
      draw_text (cr, pid_layout, &self->palette.dim, x, top + h);
    }

  fill_rect (cr, &self->palette.border, viewport->names_width - 1, FS_TIMELINE_AXIS_HEIGHT,
             1, viewport->height);
}

const char *
fs_timeline_key_get_label (FsTimelineKey key)
{
  switch (key)
    {
    case FS_TIMELINE_KEY_RUNNING:
      return _("Running");
    case FS_TIMELINE_KEY_STOPPED:
      return _("Stopped");
    case FS_TIMELINE_KEY_ZOMBIE:
      return _("Zombie: exited, not yet reaped");
    case FS_TIMELINE_KEY_REAPED:
      return _("Reaped");
    case FS_TIMELINE_KEY_SPAWNED:
      return _("Spawned");
    case FS_TIMELINE_KEY_FORKED:
      return _("Forked");
    case FS_TIMELINE_KEY_ADOPTED:
      return _("Adopted");
    case FS_TIMELINE_KEY_JOIN:
      return _("Join call");
    case FS_TIMELINE_KEY_SIGNAL:
      return _("Signal");
    case FS_TIMELINE_N_KEYS:
    default:
      g_return_val_if_reached ("");
    }
}

const char *
fs_timeline_key_get_description (FsTimelineKey key)
{
  switch (key)
    {
    case FS_TIMELINE_KEY_RUNNING:
      return _("Alive: running or sleeping.");
    case FS_TIMELINE_KEY_STOPPED:
      return _("Stopped by a signal such as SIGSTOP, until SIGCONT.");
    case FS_TIMELINE_KEY_ZOMBIE:
      return _("It has exited, but its parent has not reaped it yet: only the parent can.");
    case FS_TIMELINE_KEY_REAPED:
      return _("Its parent collected the exit status: the process is gone. The label says who reaped it.");
    case FS_TIMELINE_KEY_SPAWNED:
      return _("The supervisor started a worker.");
    case FS_TIMELINE_KEY_FORKED:
      return _("A process forked a child.");
    case FS_TIMELINE_KEY_ADOPTED:
      return _("Its parent died first: the orphan got a new parent, its adopter.");
    case FS_TIMELINE_KEY_JOIN:
      return _("A join() call, from the call to its return or its timeout.");
    case FS_TIMELINE_KEY_SIGNAL:
      return _("A signal sent to the process.");
    case FS_TIMELINE_N_KEYS:
    default:
      g_return_val_if_reached ("");
    }
}

void
fs_timeline_painter_draw_key (FsTimelinePainter *self,
                              cairo_t           *cr,
                              FsTimelineKey      key,
                              double             x,
                              double             y,
                              double             width,
                              double             height)
{
  double cy = y + height / 2;

  g_return_if_fail (self != NULL);

  switch (key)
    {
    case FS_TIMELINE_KEY_RUNNING:
      draw_running (self, cr, x, cy - 6, width, 12);
      break;
    case FS_TIMELINE_KEY_STOPPED:
      draw_stopped (self, cr, x, cy - 6, width, 12);
      break;
    case FS_TIMELINE_KEY_ZOMBIE:
      draw_zombie (self, cr, x, cy - 6, width, 12);
      break;
    case FS_TIMELINE_KEY_REAPED:
      fill_rect (cr, &self->palette.running, x, cy - 6, width / 2, 12);
      draw_end_mark (self, cr, x + width / 2, cy - 6, 12);
      break;
    case FS_TIMELINE_KEY_SPAWNED:
    case FS_TIMELINE_KEY_FORKED:
    case FS_TIMELINE_KEY_ADOPTED:
      {
        static const double dashes[] = { 3.0, 3.0 };
        const GdkRGBA *color = key == FS_TIMELINE_KEY_ADOPTED ? &self->palette.reparent : &self->palette.link;

        gdk_cairo_set_source_rgba (cr, color);
        cairo_set_line_width (cr, 1.5);
        if (key != FS_TIMELINE_KEY_SPAWNED)
          cairo_set_dash (cr, dashes, G_N_ELEMENTS (dashes), 0);
        cairo_move_to (cr, x + 2, cy);
        cairo_line_to (cr, x + width - 6, cy);
        cairo_stroke (cr);
        cairo_set_dash (cr, NULL, 0, 0);
        cairo_move_to (cr, x + width, cy);
        cairo_line_to (cr, x + width - 6, cy - 4);
        cairo_line_to (cr, x + width - 6, cy + 4);
        cairo_close_path (cr);
        cairo_fill (cr);
      }
      break;
    case FS_TIMELINE_KEY_JOIN:
      draw_bracket (self, cr, x, x + width, cy + 3, TRUE);
      break;
    case FS_TIMELINE_KEY_SIGNAL:
      draw_signal_mark (self, cr, x + width / 2, cy + 5);
      break;
    case FS_TIMELINE_N_KEYS:
    default:
      g_assert_not_reached ();
    }
}

#define SWATCH_WIDTH 26.0

/* Lays out the legend in as many lines as @width needs; with @cr, draws it
 * with its top at @top. Returns the number of lines. */
static guint
legend (FsTimelinePainter *self,
        cairo_t           *cr,
        double             width,
        double             top)
{
  double x = 12;
  guint line = 0;

  for (FsTimelineKey key = 0; key < FS_TIMELINE_N_KEYS; key++)
    {
      PangoLayout *layout = get_layout (self, ROLE_SMALL, fs_timeline_key_get_label (key));
      double w, h;

      text_size (layout, &w, &h);
      if (x > 12 && x + SWATCH_WIDTH + 6 + w > width - 12)
        {
          x = 12;
          line++;
        }

      if (cr != NULL)
        {
          double cy = top + 4 + line * LEGEND_LINE + LEGEND_LINE / 2;

          fs_timeline_painter_draw_key (self, cr, key, x, cy - 6, SWATCH_WIDTH, 12);
          draw_text (cr, layout, &self->palette.foreground, x + SWATCH_WIDTH + 6, cy - h / 2);
        }

      x += SWATCH_WIDTH + 6 + w + 18;
    }

  return line + 1;
}

double
fs_timeline_painter_get_legend_height (FsTimelinePainter        *self,
                                       FsTimelineModel          *model,
                                       const FsTimelineViewport *viewport)
{
  guint lines;
  double height;
  double rows;

  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (FS_IS_TIMELINE_MODEL (model), 0);

  if (viewport->legend == FS_TIMELINE_LEGEND_NEVER)
    return 0;

  lines = legend (self, NULL, viewport->width, 0);
  height = lines * LEGEND_LINE + 8;
  if (viewport->legend == FS_TIMELINE_LEGEND_ALWAYS)
    return height;

  /* Rows come first: the legend is also a click away, in the pane's bar.
   * It stays only in two lines at most, and where every row still fits
   * beside it, or eight. */
  rows = MIN (fs_timeline_viewport_get_n_rows (viewport, model), 8) * FS_TIMELINE_ROW_HEIGHT;
  if (lines > 2 || viewport->height - FS_TIMELINE_AXIS_HEIGHT - height < rows)
    return 0;

  return height;
}

const GArray *
fs_timeline_painter_get_label_boxes (FsTimelinePainter *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->label_boxes;
}

const char *
fs_timeline_get_display_name (FsTimelineModel *model,
                              FsLifeline      *lifeline)
{
  g_return_val_if_fail (FS_IS_TIMELINE_MODEL (model), NULL);
  g_return_val_if_fail (FS_IS_LIFELINE (lifeline), NULL);

  /* "forkscope-supervisor" would not fit; its PID is on the next line. */
  if (fs_timeline_model_is_supervisor (model, lifeline))
    /* Translators: the supervisor's name in the timeline's narrow names
     * column. */
    return _("supervisor");

  return fs_lifeline_get_name (lifeline);
}

/* A word in the empty plot, under the rows. */
static void
draw_empty_text (FsTimelinePainter        *self,
                 cairo_t                  *cr,
                 FsTimelineModel          *model,
                 const FsTimelineViewport *viewport,
                 double                    bottom)
{
  double plot = viewport->width - viewport->names_width;
  double top = row_y (viewport, (int)fs_timeline_viewport_get_n_rows (viewport, model)) + 12;
  PangoLayout *layout;
  double w, h;

  if (plot < 60)
    return;

  layout = pango_layout_copy (get_layout (self, ROLE_NAME, viewport->empty_text));
  pango_layout_set_width (layout, (int)((plot - 32) * PANGO_SCALE));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
  text_size (layout, &w, &h);
  if (top + h <= bottom)
    draw_text (cr, layout, &self->palette.dim, viewport->names_width + 16, top);
  g_object_unref (layout);
}

static void
visible_rows (FsTimelineModel          *model,
              const FsTimelineViewport *viewport,
              double                    rows_height,
              int                      *first,
              int                      *last_row)
{
  int n = (int)fs_timeline_viewport_get_n_rows (viewport, model);

  *first = CLAMP ((int)floor (viewport->scroll / FS_TIMELINE_ROW_HEIGHT), 0, n);
  *last_row = CLAMP ((int)ceil ((viewport->scroll + rows_height) / FS_TIMELINE_ROW_HEIGHT), 0, n);
}

void
fs_timeline_painter_draw (FsTimelinePainter        *self,
                          cairo_t                  *cr,
                          FsTimelineModel          *model,
                          const FsTimelineViewport *viewport)
{
  double legend_height = fs_timeline_painter_get_legend_height (self, model, viewport);
  double top = FS_TIMELINE_AXIS_HEIGHT;
  double bottom = MAX (viewport->height - legend_height, top);
  int first, last_row;

  g_return_if_fail (self != NULL);
  g_return_if_fail (FS_IS_TIMELINE_MODEL (model));

  visible_rows (model, viewport, bottom - top, &first, &last_row);
  g_array_set_size (self->label_boxes, 0);

  fill_rect (cr, &self->palette.background, 0, 0, viewport->width, viewport->height);

  cairo_save (cr);
  cairo_rectangle (cr, 0, top, viewport->width, bottom - top);
  cairo_clip (cr);

  for (int i = first; i < last_row; i++)
    {
      FsLifeline *lifeline = row_lifeline (viewport, model, i);
      double y = row_y (viewport, i);

      if (lifeline == viewport->selected)
        fill_rect (cr, &self->palette.selection, 0, y, viewport->width, FS_TIMELINE_ROW_HEIGHT);
      else if (i % 2 == 1)
        fill_rect (cr, &self->palette.stripe, 0, y, viewport->width, FS_TIMELINE_ROW_HEIGHT);
    }

  cairo_save (cr);
  cairo_rectangle (cr, viewport->names_width, top, viewport->width - viewport->names_width,
                   bottom - top);
  cairo_clip (cr);
  draw_grid (self, cr, model, viewport, top, bottom);
  for (int i = first; i < last_row; i++)
    draw_lifeline (self, cr, model, viewport, row_lifeline (viewport, model, i), row_y (viewport, i));
  draw_links (self, cr, model, viewport, first, last_row);
  if (viewport->now >= viewport->start && viewport->now <= viewport->end)
    {
      double x = round (fs_timeline_viewport_time_to_x (viewport, viewport->now));

      fill_rect (cr, &self->palette.now, x - 1, top, 2, bottom - top);
    }
  cairo_restore (cr);

  draw_names (self, cr, model, viewport, first, last_row);
  if (viewport->empty_text != NULL)
    draw_empty_text (self, cr, model, viewport, bottom);
  cairo_restore (cr);

  draw_axis (self, cr, model, viewport);

  if (legend_height > 0)
    {
      fill_rect (cr, &self->palette.sidebar, 0, bottom, viewport->width, viewport->height - bottom);
      fill_rect (cr, &self->palette.border, 0, bottom, viewport->width, 1);
      legend (self, cr, viewport->width, bottom);
    }
}

FsLifeline *
fs_timeline_painter_row_at (FsTimelinePainter        *self,
                            FsTimelineModel          *model,
                            const FsTimelineViewport *viewport,
                            double                    y)
{
  double legend_height = fs_timeline_painter_get_legend_height (self, model, viewport);
  double row;

  if (y < FS_TIMELINE_AXIS_HEIGHT || y >= viewport->height - legend_height)
    return NULL;

  row = floor ((y - FS_TIMELINE_AXIS_HEIGHT + viewport->scroll) / FS_TIMELINE_ROW_HEIGHT);
  if (row < 0)
    return NULL;

  return row_lifeline (viewport, model, (guint)row);
}

static void
set_area (GdkRectangle *area,
          double        x0,
          double        y0,
          double        x1,
          double        y1)
{
  area->x = (int)floor (x0);
  area->y = (int)floor (y0);
  area->width = MAX ((int)ceil (x1 - x0), 1);
  area->height = MAX ((int)ceil (y1 - y0), 1);
}

gboolean
fs_timeline_painter_hit_test (FsTimelinePainter        *self,
                              FsTimelineModel          *model,
                              const FsTimelineViewport *viewport,
                              double                    x,
                              double                    y,
                              FsTimelineHit            *hit)
{
  FsLifeline *lifeline = fs_timeline_painter_row_at (self, model, viewport, y);
  gint64 last = MIN (viewport->end, viewport->now);
  gint64 slop = fs_timeline_viewport_x_to_time (viewport, viewport->names_width + 5) - viewport->start;
  gint64 t = fs_timeline_viewport_x_to_time (viewport, x);
  int row;
  double ry, in_row;

  memset (hit, 0, sizeof *hit);
  if (lifeline == NULL)
    return FALSE;

  row = row_of (viewport, model, lifeline);
  ry = row_y (viewport, row);
  in_row = y - ry;
  hit->lifeline = lifeline;

  if (x < viewport->names_width)
    {
      hit->kind = FS_TIMELINE_HIT_NAME;
      set_area (&hit->area, 0, ry, viewport->names_width, ry + FS_TIMELINE_ROW_HEIGHT);
      return TRUE;
    }
  if (t > last + slop)
    return FALSE;

  /* Marks and links first: they are small and drawn on top. */
  for (guint i = 0; i < fs_lifeline_get_n_marks (lifeline); i++)
    {
      const FsMark *mark = fs_lifeline_get_mark (lifeline, i);

      if (mark->kind == FS_MARK_SIGNAL && in_row < BAR_TOP + 2 && ABS (mark->time - t) <= slop)
        {
          double mx = fs_timeline_viewport_time_to_x (viewport, mark->time);

          hit->kind = FS_TIMELINE_HIT_MARK;
          hit->index = i;
          set_area (&hit->area, mx - 6, ry, mx + 6, ry + BAR_TOP);
          return TRUE;
        }
      if (mark->kind == FS_MARK_JOIN && in_row >= BOTTOM_ZONE - 2)
        {
          gint64 end = mark->end == FS_TIMELINE_OPEN ? viewport->now : mark->end;

          if (t >= mark->time - slop && t <= end + slop)
            {
              double x0 = fs_timeline_viewport_time_to_x (viewport, mark->time);
              double x1 = fs_timeline_viewport_time_to_x (viewport, end);

              hit->kind = FS_TIMELINE_HIT_MARK;
              hit->index = i;
              set_area (&hit->area, x0 - 2, ry + BOTTOM_ZONE, x1 + 2, ry + FS_TIMELINE_ROW_HEIGHT);
              return TRUE;
            }
        }
    }

  for (guint i = fs_timeline_model_find_link (model, t - slop);
       i < fs_timeline_model_get_n_links (model); i++)
    {
      const FsLink *link = fs_timeline_model_get_link (model, i);

      if (link->time > t + slop)
        break;
      if (link->child == lifeline || link->from == lifeline || link->to == lifeline)
        {
          double lx = fs_timeline_viewport_time_to_x (viewport, link->time);

          hit->kind = FS_TIMELINE_HIT_LINK;
          hit->index = i;
          set_area (&hit->area, lx - 5, ry, lx + 5, ry + FS_TIMELINE_ROW_HEIGHT);
          return TRUE;
        }
    }

  if (fs_lifeline_get_end (lifeline) != FS_LIFELINE_END_NONE &&
      ABS (fs_lifeline_get_end_time (lifeline) - t) <= slop)
    {
      double ex = fs_timeline_viewport_time_to_x (viewport, fs_lifeline_get_end_time (lifeline));

      hit->kind = FS_TIMELINE_HIT_END;
      set_area (&hit->area, ex - 5, ry, ex + 5, ry + FS_TIMELINE_ROW_HEIGHT);
      return TRUE;
    }

  {
    guint i = fs_lifeline_find_segment (lifeline, t);

    if (i < fs_lifeline_get_n_segments (lifeline))
      {
        const FsSegment *segment = fs_lifeline_get_segment (lifeline, i);
        gint64 end = segment->end == FS_TIMELINE_OPEN ? viewport->now : segment->end;

        if (segment->start <= t && t <= end)
          {
            double x0 = fs_timeline_viewport_time_to_x (viewport, MAX (segment->start, viewport->start));
            double x1 = fs_timeline_viewport_time_to_x (viewport, MIN (end, last));

            hit->kind = FS_TIMELINE_HIT_SEGMENT;
            hit->index = i;
            set_area (&hit->area, x0, ry, x1, ry + FS_TIMELINE_ROW_HEIGHT);
            return TRUE;
          }
      }
  }

  return FALSE;
}

static void
append_line (GString    *text,
             const char *line)
{
  g_autofree char *escaped = g_markup_escape_text (line, -1);

  if (text->len > 0)
    g_string_append_c (text, '\n');
  g_string_append (text, escaped);
}

char *
fs_timeline_painter_dup_tooltip (FsTimelinePainter   *self,
                                 FsTimelineModel     *model,
                                 const FsTimelineHit *hit)
{
  FsLifeline *lifeline = hit->lifeline;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *title = NULL;
  g_autofree char *escaped = NULL;

  if (hit->kind == FS_TIMELINE_HIT_NONE || lifeline == NULL)
    return NULL;

  escaped = g_markup_escape_text (fs_lifeline_get_name (lifeline), -1);
  /* Translators: tooltip title: a process name and its PID. */
  title = g_strdup_printf (_("<b>%s</b>, PID %d"), escaped, fs_lifeline_get_pid (lifeline));

  switch (hit->kind)
    {
    case FS_TIMELINE_HIT_NAME:
      {
        g_autofree char *birth = format_time (model, fs_lifeline_get_birth (lifeline));
        g_autofree char *line = g_strdup_printf (_("Started at %s"), birth);

        append_line (text, line);
        if (fs_lifeline_get_end (lifeline) != FS_LIFELINE_END_NONE)
          {
            g_autofree char *end = format_time (model, fs_lifeline_get_end_time (lifeline));
            g_autofree char *how = fs_timeline_dup_end_label (model, lifeline);
            g_autofree char *ended = g_strdup_printf (_("Ended at %s: %s"), end, how);

            append_line (text, ended);
          }
        if (fs_lifeline_get_parent (lifeline) != NULL)
          {
            g_autofree char *parent = g_strdup_printf (_("Parent: %s, PID %d"),
                                                       fs_lifeline_get_name (fs_lifeline_get_parent (lifeline)),
                                                       fs_lifeline_get_pid (fs_lifeline_get_parent (lifeline)));

            append_line (text, parent);
          }
      }
      break;

    case FS_TIMELINE_HIT_SEGMENT:
      {
        const FsSegment *segment = fs_lifeline_get_segment (lifeline, hit->index);
        g_autofree char *start = format_time (model, segment->start);
        g_autofree char *line = NULL;

        if (segment->end == FS_TIMELINE_OPEN)
          {
            switch (segment->kind)
              {
              case FS_SEGMENT_RUNNING:
                line = g_strdup_printf (_("Running since %s"), start);
                break;
              case FS_SEGMENT_STOPPED:
                line = g_strdup_printf (_("Stopped since %s"), start);
                break;
              case FS_SEGMENT_ZOMBIE:
              default:
                line = g_strdup_printf (_("Zombie since %s"), start);
                break;
              }
          }
        else
          {
            g_autofree char *end = format_time (model, segment->end);
            g_autofree char *duration = format_duration (segment->end - segment->start);

            switch (segment->kind)
              {
              case FS_SEGMENT_RUNNING:
                /* Translators: start, end and duration of an interval. */
                line = g_strdup_printf (_("Running from %s to %s (%s)"), start, end, duration);
                break;
              case FS_SEGMENT_STOPPED:
                line = g_strdup_printf (_("Stopped from %s to %s (%s)"), start, end, duration);
                break;
              case FS_SEGMENT_ZOMBIE:
              default:
                line = g_strdup_printf (_("Zombie from %s to %s (%s)"), start, end, duration);
                break;
              }
          }
        append_line (text, line);

        if (segment->kind == FS_SEGMENT_ZOMBIE)
          {
            g_autofree char *exit_text = fs_lifeline_dup_exit_text (lifeline);
            g_autofree char *why = NULL;

            if (exit_text != NULL)
              /* Translators: %s is "exit 0" or "−SIGTERM"; %d a PID. */
              why = g_strdup_printf (_("Exited (%s); only its parent, PID %d, can reap it"),
                                     exit_text, segment->reaper_pid);
            else
              why = g_strdup_printf (_("Exited; only its parent, PID %d, can reap it"),
                                     segment->reaper_pid);
            append_line (text, why);
          }
      }
      break;

    case FS_TIMELINE_HIT_END:
      {
        g_autofree char *end = format_time (model, fs_lifeline_get_end_time (lifeline));
        g_autofree char *how = fs_timeline_dup_end_label (model, lifeline);
        g_autofree char *line = g_strdup_printf (_("Ended at %s: %s"), end, how);

        append_line (text, line);
      }
      break;

    case FS_TIMELINE_HIT_MARK:
      {
        const FsMark *mark = fs_lifeline_get_mark (lifeline, hit->index);
        g_autofree char *label = mark_label (mark);
        g_autofree char *at = format_time (model, mark->time);
        g_autofree char *line = NULL;

        if (mark->kind == FS_MARK_SIGNAL)
          /* Translators: "SIGTERM sent at 1.234567 s". */
          line = g_strdup_printf (_("%s sent at %s"), label, at);
        else if (mark->end == FS_TIMELINE_OPEN)
          /* Translators: "join(2) waiting… since 1.234567 s". */
          line = g_strdup_printf (_("%s since %s"), label, at);
        else
          {
            g_autofree char *end = format_time (model, mark->end);
            g_autofree char *duration = format_duration (mark->end - mark->time);

            /* Translators: a join call, when it was made and when it returned. */
            line = g_strdup_printf (_("%s: called at %s, returned at %s (%s)"), label, at, end, duration);
          }
        append_line (text, line);
      }
      break;

    case FS_TIMELINE_HIT_LINK:
      {
        const FsLink *link = fs_timeline_model_get_link (model, hit->index);
        g_autofree char *label = fs_timeline_dup_link_label (link);
        g_autofree char *at = format_time (model, link->time);
        g_autofree char *line = NULL;

        g_clear_pointer (&title, g_free);
        escaped = (g_free (escaped), g_markup_escape_text (fs_lifeline_get_name (link->child), -1));
        title = g_strdup_printf (_("<b>%s</b>, PID %d"), escaped, fs_lifeline_get_pid (link->child));
        if (link->kind == FS_LINK_REPARENT)
          /* Translators: "adopted by the supervisor at 1.234567 s, after its parent PID 42 died". */
          line = g_strdup_printf (_("%s at %s, after its parent PID %d died"), label, at, link->from_pid);
        else
          /* Translators: "forked by PID 42 at 1.234567 s". */
          line = g_strdup_printf (link->kind == FS_LINK_SPAWN ? _("Spawned by PID %d at %s")
                                                               : _("Forked by PID %d at %s"),
                                  link->from_pid, at);
        append_line (text, line);
      }
      break;

    case FS_TIMELINE_HIT_NONE:
    default:
      return NULL;
    }

  return g_strdup_printf ("%s\n%s", title, text->str);
}
