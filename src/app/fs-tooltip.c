/* fs-tooltip.c
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "fs-tooltip.h"

#define MAX_WIDTH_CHARS 40

void
fs_tooltip_set_text (GtkTooltip *tooltip,
                     const char *text)
{
  GtkWidget *label;

  g_return_if_fail (GTK_IS_TOOLTIP (tooltip));

  label = gtk_label_new (text);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_max_width_chars (GTK_LABEL (label), MAX_WIDTH_CHARS);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_tooltip_set_custom (tooltip, label);
}

static gboolean
query_tooltip_cb (GtkWidget  *widget,
                  int         x,
                  int         y,
                  gboolean    keyboard,
                  GtkTooltip *tooltip,
                  gpointer    user_data)
{
  const char *text = gtk_widget_get_tooltip_text (widget);

  /* Markup, or a handler of the widget's own, is left to GTK. */
  if (text == NULL || *text == '\0' || gtk_widget_get_tooltip_markup (widget) == NULL)
    return FALSE;

  fs_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
fix_widget (GtkWidget *widget)
{
  if (g_object_get_data (G_OBJECT (widget), "fs-tooltip-fixed") == NULL)
    {
      g_object_set_data (G_OBJECT (widget), "fs-tooltip-fixed", GINT_TO_POINTER (TRUE));
      /* Before GTK's own handler, which sets the text. */
      g_signal_connect (widget, "query-tooltip", G_CALLBACK (query_tooltip_cb), NULL);
    }
}

void
fs_tooltip_fix_tree (GtkWidget *root)
{
  g_return_if_fail (GTK_IS_WIDGET (root));

  if (gtk_widget_get_has_tooltip (root))
    fix_widget (root);
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    fs_tooltip_fix_tree (child);
}

static void
popover_visible_cb (GtkWidget  *popover,
                    GParamSpec *pspec,
                    GtkWidget  *widget)
{
  /* GTK 4.8 shows a button's tooltip on top of its own open menu when the
   * pointer rests on the button: no tooltip while it is open. */
  gtk_widget_set_has_tooltip (widget, !gtk_widget_get_visible (popover));
  gtk_widget_trigger_tooltip_query (widget);
}

void
fs_tooltip_hide_while_open (GtkWidget  *widget,
                            GtkPopover *popover)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (!popover || GTK_IS_POPOVER (popover));

  if (popover != NULL)
    g_signal_connect_object (popover, "notify::visible", G_CALLBACK (popover_visible_cb), widget, 0);
}
