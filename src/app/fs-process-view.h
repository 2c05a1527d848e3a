/* fs-process-view.h
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "fs-engine.h"

G_BEGIN_DECLS

#define FS_TYPE_PROCESS_VIEW (fs_process_view_get_type ())

G_DECLARE_FINAL_TYPE (FsProcessView, fs_process_view, FS, PROCESS_VIEW, GtkWidget)

/* The live process tree: a GtkColumnView over a GtkTreeListModel whose
 * root is the engine's supervisor, each row's children being the
 * process's own children model. The engine updates those models in place,
 * so nothing here is ever rebuilt: expansion, selection and scrolling
 * survive every refresh. The selection is tracked as a process object, and
 * kept across a reparenting (the row moves to its adopter). */
FsEngine         *fs_process_view_get_engine            (FsProcessView  *self);
void              fs_process_view_set_engine            (FsProcessView  *self,
                                                         FsEngine       *engine);
void              fs_process_view_set_error             (FsProcessView  *self,
                                                         const GError   *error);
FsProcess        *fs_process_view_get_selected          (FsProcessView  *self);
gboolean          fs_process_view_select                (FsProcessView  *self,
                                                         FsProcess      *process);
GtkTreeListModel *fs_process_view_get_model             (FsProcessView  *self);
GtkColumnView    *fs_process_view_get_column_view       (FsProcessView  *self);
void              fs_process_view_set_context_menu      (FsProcessView  *self,
                                                         GMenuModel     *menu);
/* Where @process's row is, in @self's coordinates, for pointing popovers
 * at it. FALSE if the row is not visible. */
gboolean          fs_process_view_get_process_area      (FsProcessView  *self,
                                                         FsProcess      *process,
                                                         GdkRectangle   *area);
/* Show @popover (which becomes the view's) pointing at @process's row. */
void              fs_process_view_popup_at              (FsProcessView  *self,
                                                         GtkPopover     *popover,
                                                         FsProcess      *process);
gboolean          fs_process_view_is_empty              (FsProcessView  *self);
/* While frozen (a lesson paused between steps), the tree shows what it
 * showed: no rows come or go, no cell changes; thawing catches up in
 * place. */
void              fs_process_view_set_frozen            (FsProcessView  *self,
                                                         gboolean        frozen);
gboolean          fs_process_view_get_frozen            (FsProcessView  *self);
/* The optional columns' actions ("columns.alive", ...: stateful, TRUE
 * while shown) and a menu of them, for a window's menu: the header's own
 * context menu is for the pointer only. */
GActionGroup     *fs_process_view_get_column_actions    (FsProcessView  *self);
GMenuModel       *fs_process_view_get_column_menu       (FsProcessView  *self);
/* "tree", "empty" or "error" (the supervisor is not running). */
const char       *fs_process_view_get_page              (FsProcessView  *self);
/* What the error page says, or NULL. */
const char       *fs_process_view_get_error_text        (FsProcessView  *self);
/* The empty page asks to define a worker, or with definitions, to start
 * one. */
void              fs_process_view_set_has_definitions   (FsProcessView  *self,
                                                         gboolean        has_definitions);

G_END_DECLS
