/* fs-window.h
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "fs-definition-store.h"
#include "fs-engine.h"
#include "fs-plugin-info.h"
#include "fs-worker-definition.h"

G_BEGIN_DECLS

#define FS_TYPE_WINDOW (fs_window_get_type ())

G_DECLARE_FINAL_TYPE (FsWindow, fs_window, FS, WINDOW, AdwApplicationWindow)

/* The main window: the definitions sidebar, the live process tree (with
 * room for the timeline beside it) and the output and event panes.
 *
 * Process actions ("process.join", "process.join-timeout" (d),
 * "process.terminate", "process.kill", "process.stop", "process.continue",
 * "process.signal" (i), "process.copy-pid") act on the selected process
 * object; "win.join-all", "win.terminate-all", "win.kill-all" and
 * "win.clear-finished" on every worker. */
/* With a @store, the window shows it in the definitions sidebar and starts
 * what the sidebar asks for. */
FsWindow         *fs_window_new                  (GtkApplication    *application,
                                                  FsEngine          *engine,
                                                  FsPluginRegistry  *registry,
                                                  FsDefinitionStore *store);
FsEngine         *fs_window_get_engine           (FsWindow         *self);
/* Show @engine's processes instead (a restarted supervisor): the tree,
 * output, events, timeline and lesson panel all follow it. */
void              fs_window_set_engine           (FsWindow         *self,
                                                  FsEngine         *engine);
FsPluginRegistry *fs_window_get_registry         (FsWindow         *self);
GtkWidget        *fs_window_get_process_view     (FsWindow         *self);
GtkWidget        *fs_window_get_sidebar          (FsWindow         *self);
/* Start a worker; with @select, select its row once it is there. Errors
 * are shown as toasts. */
void              fs_window_spawn                (FsWindow           *self,
                                                  FsWorkerDefinition *definition,
                                                  gboolean            select);
GtkWidget        *fs_window_get_output_view      (FsWindow         *self);
GtkWidget        *fs_window_get_event_log        (FsWindow         *self);
FsProcess        *fs_window_get_selected         (FsWindow         *self);
gboolean          fs_window_select               (FsWindow         *self,
                                                  FsProcess        *process);
void              fs_window_show_toast           (FsWindow         *self,
                                                  const char       *message);
/* The text of the latest toast (for tests: libadwaita 1.2 cannot list
 * them). */
const char       *fs_window_get_last_toast       (FsWindow         *self);
void              fs_window_show_error           (FsWindow         *self,
                                                  const char       *message);
void              fs_window_set_engine_error     (FsWindow         *self,
                                                  const GError     *error);
/* The timeline pane, set by its owner; shown beside the tree while the
 * "timeline-visible" setting is on. */
void              fs_window_set_timeline         (FsWindow         *self,
                                                  GtkWidget        *timeline);
GtkWidget        *fs_window_get_timeline         (FsWindow         *self);
/* The banner under the header bar (e.g. why the app has not quit yet):
 * @text NULL hides it. The button activates
 * @action_name, and is hidden if that is NULL. */
void              fs_window_set_banner           (FsWindow         *self,
                                                  const char       *title,
                                                  const char       *text,
                                                  const char       *button_label,
                                                  const char       *action_name);
/* What the banner says, NULL while it is hidden. */
const char       *fs_window_get_banner_text      (FsWindow         *self);
/* The lesson player under the header bar, an FsLessonPanel: it plays
 * "win.run-lesson" (needs a registry); hidden while no lesson is open. */
GtkWidget        *fs_window_get_lesson_panel     (FsWindow         *self);

G_END_DECLS
