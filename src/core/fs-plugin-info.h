/* fs-plugin-info.h
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "forkscope-plugin.h"

G_BEGIN_DECLS

/* What the front ends know of plugins: read from `forkscope-worker
 * --describe PLUGIN` in a child process, never by loading plugin code. */

#define FS_PLUGIN_ERROR (fs_plugin_error_quark ())

typedef enum
{
  FS_PLUGIN_ERROR_UNKNOWN_FUNCTION,
  FS_PLUGIN_ERROR_UNKNOWN_PARAMETER,
  FS_PLUGIN_ERROR_INVALID_VALUE,
  FS_PLUGIN_ERROR_UNAVAILABLE,     /* crashed, hung, wrong ABI, not a plugin */
} FsPluginError;

GQuark fs_plugin_error_quark (void);

/* One parameter spec (boxed). */
#define FS_TYPE_PARAM_INFO (fs_param_info_get_type ())
typedef struct
{
  char        *name;
  FsParamType  type;
  char        *default_value;
  double       min;
  double       max;
  char       **choices;        /* ENUM only, NULL-terminated */
  char        *description;    /* translated */
} FsParamInfo;

GType         fs_param_info_get_type      (void) G_GNUC_CONST;
FsParamInfo  *fs_param_info_copy          (const FsParamInfo *self);
void          fs_param_info_free          (FsParamInfo       *self);
const char   *fs_param_type_to_string     (FsParamType        type);
/* Check one value as a user typed it; on success return it normalized
 * (e.g. "1" for a double -> "1", "yes" -> "true"). The error names the
 * parameter and what is allowed. */
char         *fs_param_info_check_value   (const FsParamInfo *self,
                                           const char        *function,
                                           const char        *text,
                                           GError           **error);
/* "seconds: double = 1 (0 … 3600)" */
char         *fs_param_info_to_string     (const FsParamInfo *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FsParamInfo, fs_param_info_free)

/* One worker function. */
#define FS_TYPE_FUNCTION_INFO (fs_function_info_get_type ())
G_DECLARE_FINAL_TYPE (FsFunctionInfo, fs_function_info, FS, FUNCTION_INFO, GObject)

const char         *fs_function_info_get_name         (FsFunctionInfo *self); /* "sleep_print" */
const char         *fs_function_info_get_full_name    (FsFunctionInfo *self); /* "tutorial.sleep_print" */
const char         *fs_function_info_get_plugin_name  (FsFunctionInfo *self);
const char         *fs_function_info_get_plugin_path  (FsFunctionInfo *self);
const char         *fs_function_info_get_summary      (FsFunctionInfo *self);
guint               fs_function_info_get_n_params     (FsFunctionInfo *self);
const FsParamInfo  *fs_function_info_get_param        (FsFunctionInfo *self,
                                                       guint           index);
const FsParamInfo  *fs_function_info_lookup_param     (FsFunctionInfo *self,
                                                       const char     *name);
/* Check KEY=VALUE arguments: unknown names, bad types and ranges are refused
 * with a message naming the function, the parameter and what is allowed.
 * Returns every parameter as KEY=VALUE, normalized, defaults filled in. */
GStrv               fs_function_info_check_args       (FsFunctionInfo     *self,
                                                       const char * const *args,
                                                       GError            **error);

/* One plugin file, available or not. */
#define FS_TYPE_PLUGIN_INFO (fs_plugin_info_get_type ())
G_DECLARE_FINAL_TYPE (FsPluginInfo, fs_plugin_info, FS, PLUGIN_INFO, GObject)

const char   *fs_plugin_info_get_name          (FsPluginInfo *self); /* file stem if unavailable */
const char   *fs_plugin_info_get_path          (FsPluginInfo *self);
const char   *fs_plugin_info_get_summary       (FsPluginInfo *self);
gboolean      fs_plugin_info_get_available     (FsPluginInfo *self);
const char   *fs_plugin_info_get_reason        (FsPluginInfo *self); /* why not, translated */
gboolean      fs_plugin_info_get_builtin       (FsPluginInfo *self);
GListModel   *fs_plugin_info_get_functions     (FsPluginInfo *self); /* of FsFunctionInfo */

/* The registry: every plugin in the search path (fs_paths), read in
 * parallel child processes with a time limit each. */
#define FS_TYPE_PLUGIN_REGISTRY (fs_plugin_registry_get_type ())
G_DECLARE_FINAL_TYPE (FsPluginRegistry, fs_plugin_registry, FS, PLUGIN_REGISTRY, GObject)

FsPluginRegistry *fs_plugin_registry_new             (void);
/* Directories to search; NULL means fs_paths_get_plugin_search_path(). */
void              fs_plugin_registry_set_search_path (FsPluginRegistry    *self,
                                                      const char * const  *dirs);
void              fs_plugin_registry_load_async      (FsPluginRegistry    *self,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
gboolean          fs_plugin_registry_load_finish     (FsPluginRegistry    *self,
                                                      GAsyncResult        *result,
                                                      GError             **error);
gboolean          fs_plugin_registry_load_sync       (FsPluginRegistry    *self,
                                                      GError             **error);
GListModel       *fs_plugin_registry_get_plugins     (FsPluginRegistry    *self); /* of FsPluginInfo */
FsFunctionInfo   *fs_plugin_registry_lookup          (FsPluginRegistry    *self,
                                                      const char          *full_name);

G_END_DECLS
