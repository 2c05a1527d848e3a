/* fs-preferences-window.c
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "fs-preferences-window.h"

struct _FsPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  GSettings            *settings;

  GtkSpinButton        *refresh_spin;
  AdwComboRow          *reap_row;
  GtkSwitch            *subreaper_switch;
  GtkSpinButton        *buffer_spin;
  AdwComboRow          *style_row;
};

G_DEFINE_FINAL_TYPE (FsPreferencesWindow, fs_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

/* The combo rows list the enum's values in the schema's order, so the
 * enum's value is the row's position. */
static gboolean
enum_to_selected (GValue   *value,
                  GVariant *variant,
                  gpointer  user_data)
{
  const char * const *nicks = user_data;
  const char *nick = g_variant_get_string (variant, NULL);

  for (guint i = 0; nicks[i] != NULL; i++)
    if (g_str_equal (nicks[i], nick))
      {
        g_value_set_uint (value, i);
        return TRUE;
      }
  return FALSE;
}

static GVariant *
selected_to_enum (const GValue       *value,
                  const GVariantType *type,
                  gpointer            user_data)
{
  const char * const *nicks = user_data;
  guint selected = g_value_get_uint (value);

  if (selected >= g_strv_length ((char **) nicks))
    return NULL;
  return g_variant_new_string (nicks[selected]);
}

static const char *reap_nicks[] = { "auto", "join", NULL };
static const char *style_nicks[] = { "default", "light", "dark", NULL };

static void
fs_preferences_window_dispose (GObject *object)
{
  FsPreferencesWindow *self = (FsPreferencesWindow *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), FS_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (fs_preferences_window_parent_class)->dispose (object);
}

static void
fs_preferences_window_class_init (FsPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fs_preferences_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/forkscope/Forkscope/fs-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, FsPreferencesWindow, refresh_spin);
  gtk_widget_class_bind_template_child (widget_class, FsPreferencesWindow, reap_row);
  gtk_widget_class_bind_template_child (widget_class, FsPreferencesWindow, subreaper_switch);
  gtk_widget_class_bind_template_child (widget_class, FsPreferencesWindow, buffer_spin);
  gtk_widget_class_bind_template_child (widget_class, FsPreferencesWindow, style_row);
}

static void
fs_preferences_window_init (FsPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (APP_ID);

  g_settings_bind (self->settings, "refresh-interval", self->refresh_spin, "value", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "output-buffer-lines", self->buffer_spin, "value", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "subreaper", self->subreaper_switch, "active", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind_with_mapping (self->settings, "reap-policy", self->reap_row, "selected",
                                G_SETTINGS_BIND_DEFAULT, enum_to_selected, selected_to_enum,
                                (gpointer) reap_nicks, NULL);
  g_settings_bind_with_mapping (self->settings, "color-scheme", self->style_row, "selected",
                                G_SETTINGS_BIND_DEFAULT, enum_to_selected, selected_to_enum,
                                (gpointer) style_nicks, NULL);
}

GtkWindow *
fs_preferences_window_new (GtkWindow *parent)
{
  g_return_val_if_fail (!parent || GTK_IS_WINDOW (parent), NULL);

  return g_object_new (FS_TYPE_PREFERENCES_WINDOW,
                       "transient-for", parent,
                       "modal", parent != NULL,
                       NULL);
}
