/* fs-application.h
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

G_BEGIN_DECLS

#define FS_TYPE_APPLICATION (fs_application_get_type ())

G_DECLARE_FINAL_TYPE (FsApplication, fs_application, FS, APPLICATION, AdwApplication)

/* The application owns the engine (one supervisor per running instance)
 * and the plugin registry. Its actions, exported on the session bus:
 *   app.spawn (s)       the text of a `process` statement: define and start
 *   app.run-lesson (s)  a lesson's path
 *   app.join-all, app.terminate-all, app.kill-all
 *   app.quit            asks what to do with live non-daemon workers
 *   app.preferences, app.shortcuts, app.about */
FsApplication    *fs_application_new           (const char        *application_id,
                                                GApplicationFlags  flags);
FsEngine         *fs_application_get_engine    (FsApplication     *self);
FsPluginRegistry *fs_application_get_registry  (FsApplication     *self);
GtkWindow        *fs_application_get_window    (FsApplication     *self);
FsDefinitionStore *fs_application_get_store   (FsApplication     *self);

G_END_DECLS
