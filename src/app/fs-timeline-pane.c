/* fs-timeline-pane.c
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <adwaita.h>

#include "fs-process-view.h"
#include "fs-timeline-painter.h"
#include "fs-timeline-pane.h"

struct _FsTimelinePane
{
  GtkBox            parent_instance;

  FsTimeline       *timeline;
  GtkMenuButton    *legend_button;
  FsTimelineModel  *model;
  FsWindow         *window;   /* weak: the window owns the pane */
  gboolean          paused;
};

G_DEFINE_FINAL_TYPE (FsTimelinePane, fs_timeline_pane, GTK_TYPE_BOX)

enum {
  PROP_0,
  PROP_PAUSED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The bar's buttons are the timeline's siblings, so they cannot reach its
 * own actions: the pane has the same ones and passes them on. */
static void
forward_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  FsTimelinePane *self = FS_TIMELINE_PANE (widget);

  gtk_widget_activate_action_variant (GTK_WIDGET (self->timeline), action_name, parameter);
}

static void
update_actions (FsTimelinePane *self)
{
  gint64 span = fs_timeline_get_span (self->timeline);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "timeline.follow",
                                 !fs_timeline_get_live (self->timeline));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "timeline.zoom-in", span > G_USEC_PER_SEC / 200);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "timeline.zoom-out",
                                 span < fs_timeline_model_get_history (self->model));
}

/* The legend, a click away: the timeline draws its own only where that
 * leaves room for rows. Each entry is a sample drawn as the timeline draws
 * it, its name, and what it means. */
static void
draw_key_cb (GtkDrawingArea *area,
             cairo_t        *cr,
             int             width,
             int             height,
             gpointer        user_data)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  FsTimelinePalette palette;
  g_autoptr(FsTimelinePainter) painter = fs_timeline_painter_new (gtk_widget_get_pango_context (GTK_WIDGET (area)));

  fs_timeline_palette_init (&palette, adw_style_manager_get_dark (style),
                            adw_style_manager_get_high_contrast (style));
  fs_timeline_painter_set_palette (painter, &palette);
  fs_timeline_painter_draw_key (painter, cr, GPOINTER_TO_INT (user_data), 1, 0, width - 2, height);
}

static GtkWidget *
create_legend (void)
{
  GtkWidget *grid = gtk_grid_new ();

  gtk_grid_set_row_spacing (GTK_GRID (grid), 8);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
  gtk_widget_set_margin_top (grid, 6);
  gtk_widget_set_margin_bottom (grid, 6);
  gtk_widget_set_margin_start (grid, 6);
  gtk_widget_set_margin_end (grid, 6);

  for (FsTimelineKey key = 0; key < FS_TIMELINE_N_KEYS; key++)
    {
      GtkWidget *sample = gtk_drawing_area_new ();
      GtkWidget *name = gtk_label_new (fs_timeline_key_get_label (key));
      GtkWidget *description = gtk_label_new (fs_timeline_key_get_description (key));

      gtk_drawing_area_set_content_width (GTK_DRAWING_AREA (sample), 30);
      gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (sample), 18);
      gtk_widget_set_valign (sample, GTK_ALIGN_START);
      gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (sample), draw_key_cb, GINT_TO_POINTER (key), NULL);
      gtk_accessible_update_property (GTK_ACCESSIBLE (sample),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, fs_timeline_key_get_label (key),
                                      -1);

      gtk_label_set_xalign (GTK_LABEL (name), 0);
      gtk_widget_set_valign (name, GTK_ALIGN_START);
      gtk_widget_add_css_class (name, "heading");
      gtk_label_set_xalign (GTK_LABEL (description), 0);
      gtk_label_set_wrap (GTK_LABEL (description), TRUE);
      gtk_label_set_max_width_chars (GTK_LABEL (description), 36);
      gtk_label_set_width_chars (GTK_LABEL (description), 24);
      gtk_widget_add_css_class (description, "dim-label");

      gtk_grid_attach (GTK_GRID (grid), sample, 0, key, 1, 1);
      gtk_grid_attach (GTK_GRID (grid), name, 1, key, 1, 1);
      gtk_grid_attach (GTK_GRID (grid), description, 2, key, 1, 1);
    }

  return grid;
}

static void
tree_selection_cb (FsTimelinePane *self,
                   GParamSpec     *pspec,
                   FsProcessView  *view)
{
  fs_timeline_set_selected_process (self->timeline, fs_process_view_get_selected (view));
}

static void
timeline_selection_cb (FsTimelinePane *self)
{
  FsProcess *process = fs_timeline_get_selected_process (self->timeline);

  if (self->window != NULL && process != NULL && fs_window_get_selected (self->window) != process)
    fs_window_select (self->window, process);
}

GtkWidget *
fs_timeline_pane_new (void)
{
  return g_object_new (FS_TYPE_TIMELINE_PANE, NULL);
}

GtkWidget *
fs_timeline_pane_new_for_window (FsWindow *window)
{
  FsTimelinePane *self;
  GtkWidget *view;

  g_return_val_if_fail (FS_IS_WINDOW (window), NULL);

  self = g_object_new (FS_TYPE_TIMELINE_PANE, NULL);
  self->window = window;
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *)&self->window);

  if (fs_window_get_engine (window) != NULL)
    fs_timeline_model_set_engine (self->model, fs_window_get_engine (window));

  view = fs_window_get_process_view (window);
  g_signal_connect_object (view, "notify::selected", G_CALLBACK (tree_selection_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->timeline, "notify::selected-process",
                           G_CALLBACK (timeline_selection_cb), self, G_CONNECT_SWAPPED);
  fs_timeline_set_selected_process (self->timeline, fs_window_get_selected (window));

  return GTK_WIDGET (self);
}

FsTimeline *
fs_timeline_pane_get_timeline (FsTimelinePane *self)
{
  g_return_val_if_fail (FS_IS_TIMELINE_PANE (self), NULL);

  return self->timeline;
}

FsTimelineModel *
fs_timeline_pane_get_model (FsTimelinePane *self)
{
  g_return_val_if_fail (FS_IS_TIMELINE_PANE (self), NULL);

  return self->model;
}

static void
fs_timeline_pane_dispose (GObject *object)
{
  FsTimelinePane *self = (FsTimelinePane *)object;

  if (self->window != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->window), (gpointer *)&self->window);
  self->window = NULL;
  gtk_widget_dispose_template (GTK_WIDGET (self), FS_TYPE_TIMELINE_PANE);
  g_clear_object (&self->model);

  G_OBJECT_CLASS (fs_timeline_pane_parent_class)->dispose (object);
}

static void
fs_timeline_pane_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  FsTimelinePane *self = FS_TIMELINE_PANE (object);

  switch (prop_id)
    {
    case PROP_PAUSED:
      g_value_set_boolean (value, self->paused);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fs_timeline_pane_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  FsTimelinePane *self = FS_TIMELINE_PANE (object);

  switch (prop_id)
    {
    case PROP_PAUSED:
      if (self->paused != g_value_get_boolean (value))
        {
          self->paused = g_value_get_boolean (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fs_timeline_pane_class_init (FsTimelinePaneClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fs_timeline_pane_dispose;
  object_class->get_property = fs_timeline_pane_get_property;
  object_class->set_property = fs_timeline_pane_set_property;

  properties[PROP_PAUSED] =
    g_param_spec_boolean ("paused", NULL, NULL,
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (FS_TYPE_TIMELINE);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/forkscope/Forkscope/fs-timeline-pane.ui");
  gtk_widget_class_bind_template_child (widget_class, FsTimelinePane, timeline);
  gtk_widget_class_bind_template_child (widget_class, FsTimelinePane, legend_button);

  gtk_widget_class_install_action (widget_class, "timeline.zoom-in", NULL, forward_action);
  gtk_widget_class_install_action (widget_class, "timeline.zoom-out", NULL, forward_action);
  gtk_widget_class_install_action (widget_class, "timeline.follow", NULL, forward_action);
  gtk_widget_class_install_action (widget_class, "timeline.save", NULL, forward_action);
  gtk_widget_class_install_property_action (widget_class, "timeline.paused", "paused");
}

static void
fs_timeline_pane_init (FsTimelinePane *self)
{
  GtkWidget *popover;

  gtk_widget_init_template (GTK_WIDGET (self));

  popover = gtk_popover_new ();
  gtk_popover_set_child (GTK_POPOVER (popover), create_legend ());
  gtk_menu_button_set_popover (self->legend_button, popover);

  self->model = fs_timeline_model_new ();
  fs_timeline_set_model (self->timeline, self->model);
  g_object_bind_property (self, "paused", self->timeline, "paused",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_signal_connect_object (self->timeline, "notify::following", G_CALLBACK (update_actions), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->timeline, "notify::span", G_CALLBACK (update_actions), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->timeline, "notify::paused", G_CALLBACK (update_actions), self,
                           G_CONNECT_SWAPPED);
  update_actions (self);
}
