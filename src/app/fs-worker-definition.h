/* fs-worker-definition.h
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "fs-plugin-info.h"

G_BEGIN_DECLS

#define FS_TYPE_WORKER_DEFINITION (fs_worker_definition_get_type ())

G_DECLARE_FINAL_TYPE (FsWorkerDefinition, fs_worker_definition, FS, WORKER_DEFINITION, GObject)

/* One worker the user defined: the seed's `Process(target=th1)` before
 * start(). It is written to disk, and read back, as the lesson language's
 *
 *   process NAME FUNCTION [daemon] [KEY=VALUE ...]
 *
 * statement, so a saved set of definitions is also a script. */
FsWorkerDefinition  *fs_worker_definition_new            (const char          *name,
                                                          const char          *function,
                                                          gboolean             daemon,
                                                          const char * const  *args);
/* Parses one `process ...` statement with the script engine
 * (fs_script_parse_process_line(); its errors are FS_SCRIPT_ERROR); the
 * leading `process` keyword may be left out, as in the app.spawn action.
 * The function is not checked against any registry. */
FsWorkerDefinition  *fs_worker_definition_new_from_line  (const char          *line,
                                                          GError             **error);
FsWorkerDefinition  *fs_worker_definition_copy           (FsWorkerDefinition  *self);
/* Copies every property of @other into @self, with one batch of notifies. */
void                 fs_worker_definition_assign         (FsWorkerDefinition  *self,
                                                          FsWorkerDefinition  *other);
gboolean             fs_worker_definition_equal          (FsWorkerDefinition  *a,
                                                          FsWorkerDefinition  *b);

const char          *fs_worker_definition_get_name       (FsWorkerDefinition  *self);
void                 fs_worker_definition_set_name       (FsWorkerDefinition  *self,
                                                          const char          *name);
/* The full name, "plugin.function". */
const char          *fs_worker_definition_get_function   (FsWorkerDefinition  *self);
void                 fs_worker_definition_set_function   (FsWorkerDefinition  *self,
                                                          const char          *function);
gboolean             fs_worker_definition_get_daemon     (FsWorkerDefinition  *self);
void                 fs_worker_definition_set_daemon     (FsWorkerDefinition  *self,
                                                          gboolean             daemon);
/* KEY=VALUE strings, never NULL (an empty vector when there are none).
 * Names and arguments are one line each: no line breaks. */
const char * const  *fs_worker_definition_get_args       (FsWorkerDefinition  *self);
void                 fs_worker_definition_set_args       (FsWorkerDefinition  *self,
                                                          const char * const  *args);
/* The value of one KEY=VALUE argument, or NULL. */
const char          *fs_worker_definition_get_arg        (FsWorkerDefinition  *self,
                                                          const char          *key);

/* The statement without a trailing newline:
 * "process th3 tutorial.sleep_print seconds=4 message='study python'". */
char                *fs_worker_definition_to_line        (FsWorkerDefinition  *self);
/* "seconds=4 message='study python'" (quoted as in the statement). */
char                *fs_worker_definition_format_args    (FsWorkerDefinition  *self);

/* Whether @name can name a process in a script (fs_script_is_valid_name());
 * the error says why not, translated. */
gboolean             fs_worker_definition_check_name     (const char          *name,
                                                          GError             **error);

/* Whether @self can be started with what @registry provides: a function
 * of that name that is available, and arguments that pass its checks
 * (fs_function_info_check_args()). Returns the checked, normalized
 * arguments (what to start it with) and, in @info, the function
 * (borrowed from @registry); or NULL and a translated @error
 * (FS_PLUGIN_ERROR) that says what is wrong, in the app's style
 * (fs_worker_definition_style_message()). */
GStrv                fs_worker_definition_check          (FsWorkerDefinition  *self,
                                                          FsPluginRegistry    *registry,
                                                          FsFunctionInfo     **info,
                                                          GError             **error);

/* A message of the parameter checker, written for terminals and scripts
 * ("tutorial.sleep_print: parameter "seconds" must be …"), as the app
 * shows it: without the function's name where @function (may be NULL)
 * is already shown, the first letter capitalized, straight double
 * quotes made curly: "Parameter “seconds” must be …". */
char                *fs_worker_definition_style_message  (const char          *message,
                                                          const char          *function);

G_END_DECLS
