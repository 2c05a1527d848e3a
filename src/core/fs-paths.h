/* fs-paths.h
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Where Forkscope's own files are. Each is found relative to the running
 * executable's install prefix (so an installed tree can be moved, and a
 * DESTDIR install works), unless the matching environment variable is set,
 * as meson devenv and the tests do for the build tree:
 *   FORKSCOPE_SUPERVISOR   the forkscope-supervisor executable
 *   FORKSCOPE_WORKER       the forkscope-worker executable
 *   FORKSCOPE_PLUGINDIR    built-in plugins (.so)
 *   FORKSCOPE_LESSONDIR    built-in lessons (.forkscope)
 *   FORKSCOPE_LOCALEDIR    message catalogs
 * User plugins: $XDG_DATA_HOME/forkscope/plugins, plus every directory in
 * FORKSCOPE_PLUGIN_PATH (colon-separated). */
const char  *fs_paths_get_prefix           (void);
const char  *fs_paths_get_libexecdir       (void);
const char  *fs_paths_get_plugindir        (void);
const char  *fs_paths_get_lessondir        (void);
const char  *fs_paths_get_localedir        (void);
char        *fs_paths_get_user_plugindir   (void);
/* Built-in dir first, then FORKSCOPE_PLUGIN_PATH, then the user dir. */
GStrv        fs_paths_get_plugin_search_path (void);
char        *fs_paths_get_supervisor       (void);
char        *fs_paths_get_worker           (void);

G_END_DECLS
