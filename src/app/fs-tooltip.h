/* fs-tooltip.h
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Tooltips that wrap at about 40 characters. GTK 4.8's own tooltip label
 * wraps Chinese after a handful of characters (8 or fewer per line, one
 * word per line in the worst case); a label of our own, set as the
 * tooltip's custom widget, wraps where a reader expects. */
void fs_tooltip_set_text   (GtkTooltip *tooltip,
                            const char *text);
/* Every widget under @root that has a tooltip text (now or later) shows it
 * through fs_tooltip_set_text(). */
void fs_tooltip_fix_tree   (GtkWidget  *root);

/* No tooltip on @widget while @popover (its menu) is open. */
void fs_tooltip_hide_while_open (GtkWidget  *widget,
                                 GtkPopover *popover);

G_END_DECLS
