/* fs-output-view.c
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <adwaita.h>

#include "fs-output-view.h"

/* Work per batch: at most this many lines, and stop once the budget is
 * spent, well under a 60 Hz frame. The rest waits for the next batch. */
#define BATCH_LINES 1000
#define BATCH_BUDGET_USEC 5000
#define BATCH_INTERVAL_MSEC 40

typedef struct
{
  guint64    serial;
  FsProcess *process;
  char      *prefix;
  char      *text;
  gboolean   is_stderr;
} Line;

struct _FsOutputView
{
  GtkWidget      parent_instance;

  FsEngine      *engine;
  gulong         event_id;
  FsProcess     *filter;

  GQueue         lines;
  guint          max_lines;
  guint64        next_serial;
  guint64        rendered_serial;
  guint64        dropped;
  guint          buffer_lines;
  gboolean       has_marker;
  gboolean       follow;
  double         last_value;
  double         last_upper;
  double         last_page;
  gboolean       sticking;
  guint          stick_id;
  guint          flush_id;

  GtkScrolledWindow *scroller;
  GtkTextView   *text_view;
  GtkTextBuffer *buffer;
  GtkTextTag    *prefix_tag;
  GtkTextTag    *stderr_tag;
  GtkTextTag    *stderr_marker_tag;
  GtkTextTag    *marker_tag;
  GtkTextMark   *end_mark;
};

G_DEFINE_FINAL_TYPE (FsOutputView, fs_output_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_MAX_LINES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
line_free (Line *line)
{
  g_clear_object (&line->process);
  g_free (line->prefix);
  g_free (line->text);
  g_free (line);
}

static gboolean
matches (FsOutputView *self,
         Line         *line)
{
  if (self->filter == NULL ||
      fs_process_get_kind (self->filter) == FS_PROCESS_KIND_SUPERVISOR)
    return TRUE;

  for (FsProcess *p = line->process; p != NULL; p = fs_process_get_parent (p))
    if (p == self->filter)
      return TRUE;
  /* An adopted orphan has moved under the supervisor; what it writes is
   * still output of the worker it was born under. */
  for (FsProcess *p = line->process; p != NULL; p = fs_process_get_birth_parent (p))
    if (p == self->filter)
      return TRUE;

  return FALSE;
}

static void
update_marker (FsOutputView *self)
{
  GtkTextIter start, end;
  g_autofree char *text = NULL;

  if (self->dropped == 0)
    return;

  gtk_text_buffer_get_start_iter (self->buffer, &start);
  if (self->has_marker)
    {
      end = start;
      gtk_text_iter_forward_line (&end);
      gtk_text_buffer_delete (self->buffer, &start, &end);
    }

  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "… %lu earlier line dropped\n",
                                       "… %lu earlier lines dropped\n",
                                       (gulong) self->dropped),
                          (gulong) self->dropped);
  gtk_text_buffer_get_start_iter (self->buffer, &start);
  gtk_text_buffer_insert_with_tags (self->buffer, &start, text, -1, self->marker_tag, NULL);
  self->has_marker = TRUE;
}

static void
trim_buffer (FsOutputView *self)
{
  GtkTextIter start, end;
  guint excess;
  int first;

  if (self->buffer_lines <= self->max_lines)
    return;

  excess = self->buffer_lines - self->max_lines;
  first = self->has_marker ? 1 : 0;
  gtk_text_buffer_get_iter_at_line (self->buffer, &start, first);
  gtk_text_buffer_get_iter_at_line (self->buffer, &end, first + excess);
  gtk_text_buffer_delete (self->buffer, &start, &end);
  self->buffer_lines -= excess;
  self->dropped += excess;
  update_marker (self);
}

static void
render_line (FsOutputView *self,
             GtkTextIter  *iter,
             Line         *line)
{
  gtk_text_buffer_insert_with_tags (self->buffer, iter, line->prefix, -1, self->prefix_tag, NULL);
  if (line->is_stderr)
    {
      gtk_text_buffer_insert_with_tags (self->buffer, iter, " ! ", -1, self->stderr_marker_tag, NULL);
      gtk_text_buffer_insert_with_tags (self->buffer, iter, line->text, -1, self->stderr_tag, NULL);
    }
  else
    {
      gtk_text_buffer_insert_with_tags (self->buffer, iter, " │ ", -1, self->prefix_tag, NULL);
      gtk_text_buffer_insert (self->buffer, iter, line->text, -1);
    }
  gtk_text_buffer_insert (self->buffer, iter, "\n", 1);
  self->buffer_lines++;
}

static gboolean
at_bottom (FsOutputView *self)
{
  GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (self->scroller);

  return gtk_adjustment_get_value (adj) + gtk_adjustment_get_page_size (adj) >=
         gtk_adjustment_get_upper (adj) - 8;
}

/* Follow the end until the user scrolls up; scrolling back to the end
 * follows again.
 *
 * The text view measures wrapped lines lazily and trims lines at the top,
 * so the adjustment's upper bound moves by itself, and with it, sometimes,
 * the value: only a change of value with the same bounds is the user's.
 * Sticking to the end is done by setting the value once the bounds have
 * settled (in an idle after the change), not with scroll_to_mark(), which
 * lands wherever the estimated line heights put it. */
static gboolean
stick_cb (gpointer data)
{
  FsOutputView *self = data;
  GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (self->scroller);

  self->stick_id = 0;
  if (!self->follow)
    return G_SOURCE_REMOVE;

  self->sticking = TRUE;
  gtk_adjustment_set_value (adj, gtk_adjustment_get_upper (adj) - gtk_adjustment_get_page_size (adj));
  self->sticking = FALSE;
  self->last_value = gtk_adjustment_get_value (adj);
  self->last_upper = gtk_adjustment_get_upper (adj);
  self->last_page = gtk_adjustment_get_page_size (adj);
  return G_SOURCE_REMOVE;
}

static void
queue_stick (FsOutputView *self)
{
  if (self->follow && self->stick_id == 0)
    self->stick_id = g_idle_add_full (GDK_PRIORITY_REDRAW + 10, stick_cb, self, NULL);
}

static void
value_changed_cb (FsOutputView *self)
{
  GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (self->scroller);
  double value = gtk_adjustment_get_value (adj);
  double upper = gtk_adjustment_get_upper (adj);
  double page = gtk_adjustment_get_page_size (adj);

  if (self->sticking)
    return;

  if (upper != self->last_upper || page != self->last_page)
    /* The content moved, not the user. */
    queue_stick (self);
  else if (at_bottom (self))
    self->follow = TRUE;
  else if (value < self->last_value - 1 && self->stick_id == 0)
    /* Up, with the same bounds, and not the text view settling a change
     * of size we are about to follow: the user. */
    self->follow = FALSE;

  self->last_value = value;
  self->last_upper = upper;
  self->last_page = page;
}

static void
adjustment_changed_cb (FsOutputView *self)
{
  GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (self->scroller);

  self->last_upper = gtk_adjustment_get_upper (adj);
  self->last_page = gtk_adjustment_get_page_size (adj);
  queue_stick (self);
}

gboolean
fs_output_view_get_following (FsOutputView *self)
{
  g_return_val_if_fail (FS_IS_OUTPUT_VIEW (self), FALSE);

  return self->follow;
}

static gboolean
flush_cb (gpointer data)
{
  FsOutputView *self = data;
  gint64 start = g_get_monotonic_time ();
  gboolean follow = self->follow;
  GtkTextIter iter;
  GList *link;
  guint n = 0;

  /* Find the first line not yet rendered, from the end: only the pending
   * ones are walked. */
  link = self->lines.tail;
  while (link != NULL && link->prev != NULL &&
         ((Line *) link->prev->data)->serial > self->rendered_serial)
    link = link->prev;
  if (link != NULL && ((Line *) link->data)->serial <= self->rendered_serial)
    link = NULL;

  gtk_text_buffer_get_end_iter (self->buffer, &iter);
  for (; link != NULL; link = link->next)
    {
      Line *line = link->data;

      self->rendered_serial = line->serial;
      if (matches (self, line))
        {
          render_line (self, &iter, line);
          n++;
        }

      if (n >= BATCH_LINES || g_get_monotonic_time () - start > BATCH_BUDGET_USEC)
        break;
    }

  trim_buffer (self);

  if (follow)
    queue_stick (self);

  if (self->lines.tail != NULL &&
      ((Line *) self->lines.tail->data)->serial > self->rendered_serial)
    return G_SOURCE_CONTINUE;

  self->flush_id = 0;
  return G_SOURCE_REMOVE;
}

static void
queue_flush (FsOutputView *self)
{
  if (self->flush_id == 0)
    {
      self->flush_id = g_timeout_add (BATCH_INTERVAL_MSEC, flush_cb, self);
      g_source_set_name_by_id (self->flush_id, "[forkscope] output flush");
    }
}

static void
drop_oldest (FsOutputView *self)
{
  while (self->lines.length > self->max_lines)
    {
      Line *line = g_queue_pop_head (&self->lines);

      /* Never shown: it is dropped before it reached the view. */
      if (line->serial > self->rendered_serial && matches (self, line))
        self->dropped++;
      line_free (line);
    }
}

void
fs_output_view_append (FsOutputView *self,
                       FsProcess    *process,
                       int           pid,
                       const char   *name,
                       gboolean      is_stderr,
                       const char   *text)
{
  Line *line;

  g_return_if_fail (FS_IS_OUTPUT_VIEW (self));
  g_return_if_fail (!process || FS_IS_PROCESS (process));

  line = g_new0 (Line, 1);
  line->serial = ++self->next_serial;
  line->process = process != NULL ? g_object_ref (process) : NULL;
  line->prefix = g_strdup_printf ("%s %d", name != NULL ? name : "?", pid);
  line->text = g_utf8_make_valid (text != NULL ? text : "", -1);
  line->is_stderr = is_stderr;
  g_queue_push_tail (&self->lines, line);

  drop_oldest (self);
  queue_flush (self);
}

static void
event_cb (FsOutputView *self,
          FsEvent      *event,
          FsEngine     *engine)
{
  const char *stream;

  if (event->kind != FS_EVENT_OUTPUT)
    return;

  stream = fs_event_lookup_string (event, "stream");
  /* The PID that wrote the line: a worker's forked child's own. */
  fs_output_view_append (self, event->process, fs_event_get_writer (event),
                         event->process != NULL ? fs_process_get_name (event->process) : NULL,
                         g_strcmp0 (stream, "stderr") == 0,
                         fs_event_lookup_string (event, "text"));
}

void
fs_output_view_set_engine (FsOutputView *self,
                           FsEngine     *engine)
{
  g_return_if_fail (FS_IS_OUTPUT_VIEW (self));
  g_return_if_fail (!engine || FS_IS_ENGINE (engine));

  if (self->engine == engine)
    return;

  if (self->engine != NULL)
    g_clear_signal_handler (&self->event_id, self->engine);
  g_set_object (&self->engine, engine);
  if (engine != NULL)
    self->event_id = g_signal_connect_object (engine, "event", G_CALLBACK (event_cb),
                                              self, G_CONNECT_SWAPPED);
}

static void
rerender (FsOutputView *self)
{
  gtk_text_buffer_set_text (self->buffer, "", 0);
  self->buffer_lines = 0;
  self->has_marker = FALSE;
  self->dropped = 0;
  self->rendered_serial = self->lines.head != NULL ? ((Line *) self->lines.head->data)->serial - 1 : self->next_serial;
  if (self->lines.head != NULL)
    queue_flush (self);
}

void
fs_output_view_set_filter (FsOutputView *self,
                           FsProcess    *process)
{
  g_return_if_fail (FS_IS_OUTPUT_VIEW (self));
  g_return_if_fail (!process || FS_IS_PROCESS (process));

  if (g_set_object (&self->filter, process))
    rerender (self);
}

FsProcess *
fs_output_view_get_filter (FsOutputView *self)
{
  g_return_val_if_fail (FS_IS_OUTPUT_VIEW (self), NULL);

  return self->filter;
}

void
fs_output_view_set_max_lines (FsOutputView *self,
                              guint         max_lines)
{
  g_return_if_fail (FS_IS_OUTPUT_VIEW (self));

  max_lines = MAX (max_lines, 1);
  if (self->max_lines == max_lines)
    return;

  self->max_lines = max_lines;
  drop_oldest (self);
  trim_buffer (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_LINES]);
}

guint
fs_output_view_get_max_lines (FsOutputView *self)
{
  g_return_val_if_fail (FS_IS_OUTPUT_VIEW (self), 0);

  return self->max_lines;
}

void
fs_output_view_clear (FsOutputView *self)
{
  g_return_if_fail (FS_IS_OUTPUT_VIEW (self));

  g_queue_clear_full (&self->lines, (GDestroyNotify) line_free);
  g_clear_handle_id (&self->flush_id, g_source_remove);
  self->follow = TRUE;
  rerender (self);
}

guint
fs_output_view_get_n_pending (FsOutputView *self)
{
  guint n = 0;

  g_return_val_if_fail (FS_IS_OUTPUT_VIEW (self), 0);

  for (GList *l = self->lines.tail; l != NULL && ((Line *) l->data)->serial > self->rendered_serial; l = l->prev)
    n++;
  return n;
}

guint64
fs_output_view_get_n_dropped (FsOutputView *self)
{
  g_return_val_if_fail (FS_IS_OUTPUT_VIEW (self), 0);

  return self->dropped;
}

char *
fs_output_view_dup_text (FsOutputView *self)
{
  GtkTextIter start, end;

  g_return_val_if_fail (FS_IS_OUTPUT_VIEW (self), NULL);

  gtk_text_buffer_get_bounds (self->buffer, &start, &end);
  return gtk_text_buffer_get_text (self->buffer, &start, &end, FALSE);
}

/* Text tags cannot use CSS colours: follow the style manager instead, with
 * libadwaita's own error and dim colours for light and dark. */
static void
update_tag_colors (FsOutputView *self)
{
  gboolean dark = adw_style_manager_get_dark (adw_style_manager_get_default ());
  GdkRGBA error, dim;

  gdk_rgba_parse (&error, dark ? "#ff7b63" : "#c01c28");
  gdk_rgba_parse (&dim, dark ? "rgba(255,255,255,0.55)" : "rgba(0,0,0,0.55)");

  g_object_set (self->prefix_tag, "foreground-rgba", &dim, NULL);
  g_object_set (self->marker_tag, "foreground-rgba", &dim, NULL);
  g_object_set (self->stderr_tag, "foreground-rgba", &error, NULL);
  g_object_set (self->stderr_marker_tag, "foreground-rgba", &error, NULL);
}

static void
fs_output_view_dispose (GObject *object)
{
  FsOutputView *self = (FsOutputView *)object;

  g_clear_handle_id (&self->flush_id, g_source_remove);
  g_clear_handle_id (&self->stick_id, g_source_remove);
  fs_output_view_set_engine (self, NULL);
  g_clear_object (&self->filter);
  g_queue_clear_full (&self->lines, (GDestroyNotify) line_free);

  gtk_widget_dispose_template (GTK_WIDGET (self), FS_TYPE_OUTPUT_VIEW);

  G_OBJECT_CLASS (fs_output_view_parent_class)->dispose (object);
}

static void
fs_output_view_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  FsOutputView *self = FS_OUTPUT_VIEW (object);

  switch (prop_id)
    {
    case PROP_MAX_LINES:
      g_value_set_uint (value, self->max_lines);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fs_output_view_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  FsOutputView *self = FS_OUTPUT_VIEW (object);

  switch (prop_id)
    {
    case PROP_MAX_LINES:
      fs_output_view_set_max_lines (self, g_value_get_uint (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fs_output_view_class_init (FsOutputViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fs_output_view_dispose;
  object_class->get_property = fs_output_view_get_property;
  object_class->set_property = fs_output_view_set_property;

  properties[PROP_MAX_LINES] =
    g_param_spec_uint ("max-lines", NULL, NULL,
                       1, G_MAXUINT, 10000,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/forkscope/Forkscope/fs-output-view.ui");
  gtk_widget_class_bind_template_child (widget_class, FsOutputView, scroller);
  gtk_widget_class_bind_template_child (widget_class, FsOutputView, text_view);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "fsoutputview");
}

static void
fs_output_view_init (FsOutputView *self)
{
  GtkTextIter end;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->max_lines = 10000;
  g_queue_init (&self->lines);

  self->buffer = gtk_text_view_get_buffer (self->text_view);
  self->prefix_tag = gtk_text_buffer_create_tag (self->buffer, "prefix", NULL);
  self->stderr_tag = gtk_text_buffer_create_tag (self->buffer, "stderr", NULL);
  self->stderr_marker_tag = gtk_text_buffer_create_tag (self->buffer, "stderr-marker",
                                                        "weight", PANGO_WEIGHT_BOLD,
                                                        NULL);
  self->marker_tag = gtk_text_buffer_create_tag (self->buffer, "marker",
                                                 "style", PANGO_STYLE_ITALIC,
                                                 NULL);
  self->follow = TRUE;
  g_signal_connect_object (gtk_scrolled_window_get_vadjustment (self->scroller), "value-changed",
                           G_CALLBACK (value_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (gtk_scrolled_window_get_vadjustment (self->scroller), "changed",
                           G_CALLBACK (adjustment_changed_cb), self, G_CONNECT_SWAPPED);

  update_tag_colors (self);
  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (update_tag_colors), self, G_CONNECT_SWAPPED);

  gtk_text_buffer_get_end_iter (self->buffer, &end);
  self->end_mark = gtk_text_buffer_create_mark (self->buffer, "end", &end, FALSE);
}

GtkWidget *
fs_output_view_new (void)
{
  return g_object_new (FS_TYPE_OUTPUT_VIEW, NULL);
}
