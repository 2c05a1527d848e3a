/* fs-definitions-sidebar.h
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "fs-definition-store.h"
#include "fs-plugin-info.h"
#include "fs-worker-definition.h"

G_BEGIN_DECLS

#define FS_TYPE_DEFINITIONS_SIDEBAR (fs_definitions_sidebar_get_type ())

G_DECLARE_FINAL_TYPE (FsDefinitionsSidebar, fs_definitions_sidebar, FS, DEFINITIONS_SIDEBAR, GtkWidget)

/* The list of worker definitions (the seed's things = [th1, th2, th3]),
 * with their commands. It never spawns anything itself: starting emits
 * "spawn-requested" (FsWorkerDefinition *) once per definition, in list
 * order, and the window hands each to the engine.
 *
 * Actions (on the widget, usable from menus and shortcuts inside it):
 *   definitions.new         open the New Worker dialog
 *   definitions.edit        edit the selected definition (exactly one)
 *   definitions.duplicate   copy the selected definitions
 *   definitions.remove      remove the selected definitions (undo toast)
 *   definitions.start       start the selected definitions
 *   definitions.start-all   start every definition, in order
 *   definitions.add-tutorial  add the tutorial's th1, th2, th3
 * Keys: Delete removes (only while the focus is in the sidebar: elsewhere
 * the key is left to others), Ctrl+Return starts the selection;
 * activating a row (double click, Enter) edits it.
 *
 * A definition that cannot be started as it is (its function missing or
 * unavailable, its arguments refused by the function's current spec) is
 * marked with a warning icon whose tooltip says why, and is not started.
 *
 * Removal shows an undo toast in the nearest AdwToastOverlay above the
 * sidebar (its own if there is none); "definitions-removed" is emitted too.
 * Save failures of the store are shown as toasts the same way (load it,
 * and report its load errors, before setting it). */
GtkWidget          *fs_definitions_sidebar_new           (void);
FsPluginRegistry   *fs_definitions_sidebar_get_registry  (FsDefinitionsSidebar *self);
void                fs_definitions_sidebar_set_registry  (FsDefinitionsSidebar *self,
                                                          FsPluginRegistry     *registry);
FsDefinitionStore  *fs_definitions_sidebar_get_store     (FsDefinitionsSidebar *self);
void                fs_definitions_sidebar_set_store     (FsDefinitionsSidebar *self,
                                                          FsDefinitionStore    *store);
/* The selection over the store (a GtkMultiSelection). */
GtkSelectionModel  *fs_definitions_sidebar_get_selection (FsDefinitionsSidebar *self);

/* What the actions do, for the window's own buttons and shortcuts. The
 * dialogs are transient for the sidebar's window, and returned (not
 * owned) so callers can wait for them; NULL when there is no registry
 * or, for edit, nothing to edit. */
GtkWindow          *fs_definitions_sidebar_new_worker    (FsDefinitionsSidebar *self);
GtkWindow          *fs_definitions_sidebar_edit          (FsDefinitionsSidebar *self,
                                                          FsWorkerDefinition   *definition);
/* Starting checks each definition first (fs_worker_definition_check()):
 * one whose function is missing or whose arguments the function refuses
 * is not started, and a toast says why (the row's warning icon says it
 * too). fs_definitions_sidebar_start() returns whether it was started. */
gboolean            fs_definitions_sidebar_start         (FsDefinitionsSidebar *self,
                                                          FsWorkerDefinition   *definition);
void                fs_definitions_sidebar_start_selected (FsDefinitionsSidebar *self);
void                fs_definitions_sidebar_start_all     (FsDefinitionsSidebar *self);
/* Shows @toast (and takes it) where removal toasts go. */
void                fs_definitions_sidebar_show_toast    (FsDefinitionsSidebar *self,
                                                          AdwToast             *toast);

G_END_DECLS
