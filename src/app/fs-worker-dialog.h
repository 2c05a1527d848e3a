/* fs-worker-dialog.h
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

#define FS_TYPE_WORKER_DIALOG (fs_worker_dialog_get_type ())

G_DECLARE_FINAL_TYPE (FsWorkerDialog, fs_worker_dialog, FS, WORKER_DIALOG, AdwWindow)

/* The "New Worker" / "Edit Worker" form: a function picker grouped by
 * plugin, then the worker's name, daemon flag and parameters, each
 * parameter a widget made from its spec and checked as it is typed. Save
 * stays disabled while anything is invalid. Enter saves, Escape cancels.
 *
 * With @definition NULL it defines a new worker, appended to @store on
 * save; otherwise it edits @definition in place (which must be in @store,
 * if @store is given; the store then saves it). @store also keeps names
 * unique and numbers the default "Worker-N".
 *
 * Signals:
 *  - "saved" (FsWorkerDefinition *): the new or edited definition, just
 *    before the dialog closes. */
FsWorkerDialog     *fs_worker_dialog_new              (FsPluginRegistry    *registry,
                                                       FsDefinitionStore   *store,
                                                       FsWorkerDefinition  *definition);
/* The definition being edited, or NULL for a new one. */
FsWorkerDefinition *fs_worker_dialog_get_definition   (FsWorkerDialog      *self);
/* Picks a function (as a click in the picker does) and shows the form;
 * FALSE if the registry has no available function by that name. */
gboolean            fs_worker_dialog_select_function  (FsWorkerDialog      *self,
                                                       const char          *full_name);
/* The functions the picker's search lists, best match first (what Enter
 * in the search entry picks is the first); empty when not searching. */
GStrv               fs_worker_dialog_dup_search_results (FsWorkerDialog  *self);
/* The chosen function's full name, or NULL. */
const char         *fs_worker_dialog_get_function     (FsWorkerDialog      *self);
/* The rows of the form (FsParamRow), for tests and for focus. */
GtkWidget          *fs_worker_dialog_get_name_row     (FsWorkerDialog      *self);
GtkWidget          *fs_worker_dialog_get_param_row    (FsWorkerDialog      *self,
                                                       const char          *param);
GtkWidget          *fs_worker_dialog_get_daemon_switch (FsWorkerDialog     *self);
gboolean            fs_worker_dialog_get_can_save     (FsWorkerDialog      *self);
/* What the Save/Create button does; FALSE (and nothing saved) while
 * something is invalid. */
gboolean            fs_worker_dialog_save             (FsWorkerDialog      *self);

G_END_DECLS
