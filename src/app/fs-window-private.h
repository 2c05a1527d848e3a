/* fs-window-private.h
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "fs-event-log.h"
#include "fs-lesson-panel.h"
#include "fs-lesson-menu.h"
#include "fs-output-view.h"
#include "fs-process-view.h"
#include "fs-window.h"

G_BEGIN_DECLS

struct _FsWindow
{
  AdwApplicationWindow  parent_instance;

  FsEngine             *engine;
  FsPluginRegistry     *registry;
  FsDefinitionStore    *store;
  gboolean              timeline_was_paused;
  GSettings            *settings;
  GCancellable         *cancellable;
  GtkWidget            *timeline;
  GtkWidget            *sidebar;
  FsProcess            *selected;
  gulong                selected_notify_id;
  guint                 update_id;
  guint                 compact_id;
  gboolean              compact;
  gboolean              sidebar_visible;
  gboolean              tooltips_watched;
  char                 *last_toast;

  /* Template widgets */
  AdwToastOverlay      *toast_overlay;
  AdwHeaderBar         *header_bar;
  AdwWindowTitle       *window_title;
  GtkMenuButton        *lessons_button;
  GtkToggleButton      *sidebar_button;
  AdwSplitButton       *join_button;
  GtkPopover           *join_popover;
  GtkSpinButton        *join_timeout_spin;
  GtkPopover           *signal_popover;
  GtkLabel             *signal_heading;
  GtkMenuButton        *process_menu_button;
  GtkMenuButton        *primary_button;
  GtkListBox           *signal_list;
  GtkButton            *terminate_button;
  GtkButton            *kill_button;
  GtkRevealer          *banner_revealer;
  GtkRevealer          *lesson_revealer;
  FsLessonPanel        *lesson_panel;
  GtkLabel             *banner_title;
  GtkLabel             *banner_label;
  GtkButton            *banner_button;
  GtkPaned             *sidebar_paned;
  GtkPaned             *bottom_paned;
  GtkPaned             *timeline_paned;
  GtkBox               *sidebar_box;
  GtkBox               *bottom_box;
  FsProcessView        *process_view;
  AdwViewStack         *bottom_stack;
  FsOutputView         *output_view;
  FsEventLog           *event_log;
  GtkLabel             *output_filter_label;
  GtkToggleButton      *follow_button;
  GtkWidget            *filter_box;
  GtkWidget            *export_button;
  GMenuModel           *context_menu;
};

void      fs_window_actions_class_init   (GtkWidgetClass *widget_class);
void      fs_window_actions_init         (FsWindow       *self);
void      fs_window_actions_update       (FsWindow       *self);
void      fs_window_join                 (FsWindow       *self,
                                          FsProcess      *process,
                                          double          timeout);
gboolean  fs_window_process_is_live      (FsProcess      *process);

G_END_DECLS
