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

/* Exit statuses of forkscope-worker (besides the function's own status,
 * which a --run worker exits with once the function ran):
 *  BAD_ARGS        command line or arguments refused (the message on stderr
 *                  names the function, the parameter and what is allowed),
 *                  or the function's setup() refused them;
 *  NOT_LOADABLE    --run: the plugin or the function cannot be loaded (any
 *                  of the reasons below); --describe: the file cannot be
 *                  opened as a shared object (missing, unreadable, not ELF);
 *  NO_SYMBOL       --describe: no forkscope_plugin_get() in it;
 *  WRONG_ABI       --describe: forkscope_plugin_get() returned NULL or a
 *                  plugin built for another FORKSCOPE_PLUGIN_ABI_VERSION;
 *  INVALID         --describe: the description is malformed (bad names,
 *                  duplicate functions, a default outside its own range...).
 * Each comes with one line on stderr saying why, translated. */
typedef enum
{
  FS_WORKER_EXIT_OK = 0,
  FS_WORKER_EXIT_BAD_ARGS = 2,
  FS_WORKER_EXIT_NOT_LOADABLE = 3,
  FS_WORKER_EXIT_NO_SYMBOL = 4,
  FS_WORKER_EXIT_WRONG_ABI = 5,
  FS_WORKER_EXIT_INVALID = 6,
} FsWorkerExit;

/* What `forkscope-worker --describe PLUGIN` prints: one GVariant in text
 * form (g_variant_print, with type annotations), of this type:
 *
 *   (u   format version, FS_PLUGIN_DESCRIPTION_VERSION
 *    s   plugin name
 *    s   plugin summary (translated)
 *    a(s         function name
 *      s         function summary (translated)
 *      a(s       parameter name
 *        s       type: "int", "double", "bool", "string" or "enum"
 *        s       default value, as a user would type it
 *        d d     min, max (0, 0: unbounded; int and double only)
 *        as      choices (enum only)
 *        s)))    description (translated)
 */
#define FS_PLUGIN_DESCRIPTION_TYPE    "(ussa(ssa(sssddass)))"
#define FS_PLUGIN_DESCRIPTION_VERSION 1

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
gboolean      fs_param_type_from_string   (const char        *text,
                                           FsParamType       *type);
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
FsFunctionInfo *fs_plugin_info_lookup_function (FsPluginInfo *self,
                                                const char   *name);

/* An available plugin from its description (FS_PLUGIN_DESCRIPTION_TYPE);
 * the description is checked thoroughly (names, duplicates, types, every
 * default against its own spec). */
FsPluginInfo *fs_plugin_info_new_from_description (const char  *path,
                                                   GVariant    *description,
                                                   gboolean     builtin,
                                                   GError     **error);
/* An unavailable plugin: @name is the file stem unless known. */
FsPluginInfo *fs_plugin_info_new_unavailable      (const char  *path,
                                                   const char  *name,
                                                   gboolean     builtin,
                                                   const char  *reason);
/* The description of a loaded plugin's ABI struct, its texts translated in
 * the plugin's gettext domain (the caller binds it). Only the worker calls
 * this: nobody else loads plugin code. Refuses NULL or non-UTF-8 strings
 * and absurd counts; the caller then checks the result with
 * fs_plugin_info_new_from_description(). */
GVariant     *fs_plugin_describe_abi               (const FsPlugin *plugin,
                                                    GError        **error);

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
/* How long one plugin may take to describe itself (default 5000 ms); it is
 * then killed and listed as unavailable. Also FORKSCOPE_DESCRIBE_TIMEOUT_MS. */
void              fs_plugin_registry_set_timeout     (FsPluginRegistry    *self,
                                                      guint                timeout_msec);
GListModel       *fs_plugin_registry_get_plugins     (FsPluginRegistry    *self); /* of FsPluginInfo */
/* (transfer none): owned by the registry's current list. NULL unless an
 * available plugin provides it. */
FsFunctionInfo   *fs_plugin_registry_lookup          (FsPluginRegistry    *self,
                                                      const char          *full_name);

G_END_DECLS
