/* fs-script.h
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "fs-plugin-info.h"

G_BEGIN_DECLS

/* The lesson language (docs/lessons.md is the reference): one statement a
 * line, `#` comments, shell-style quoting. A script is parsed and checked as
 * a whole before anything runs: syntax, unknown names, unknown functions and
 * parameters (through the plugin registry), a process started twice or used
 * before it is started. Every problem is reported as "FILE:LINE: message",
 * one a line, in the GError's message. */

#define FS_SCRIPT_ERROR (fs_script_error_quark ())

typedef enum
{
  FS_SCRIPT_ERROR_SYNTAX,             /* quoting, arguments, values */
  FS_SCRIPT_ERROR_UNKNOWN_STATEMENT,
  FS_SCRIPT_ERROR_UNKNOWN_PROCESS,
  FS_SCRIPT_ERROR_UNKNOWN_FUNCTION,
  FS_SCRIPT_ERROR_INVALID_ARGUMENT,   /* refused by the function's parameter spec */
  FS_SCRIPT_ERROR_ORDER,              /* defined twice, started twice, used before start */
  FS_SCRIPT_ERROR_READ,               /* the file could not be read */
} FsScriptError;

typedef enum
{
  FS_SCRIPT_STATEMENT_SET,
  FS_SCRIPT_STATEMENT_PROCESS,
  FS_SCRIPT_STATEMENT_START,
  FS_SCRIPT_STATEMENT_JOIN,
  FS_SCRIPT_STATEMENT_TERMINATE,
  FS_SCRIPT_STATEMENT_KILL,
  FS_SCRIPT_STATEMENT_INTERRUPT,
  FS_SCRIPT_STATEMENT_SIGNAL,
  FS_SCRIPT_STATEMENT_WAIT,
  FS_SCRIPT_STATEMENT_SLEEP,
  FS_SCRIPT_STATEMENT_SAY,
  FS_SCRIPT_STATEMENT_EXPECT,
} FsScriptStatementKind;

/* One `process` definition: like Process(target=FUNCTION, name=NAME,
 * kwargs=ARGS, daemon=DAEMON). */
#define FS_TYPE_SCRIPT_PROCESS_DEF (fs_script_process_def_get_type ())

typedef struct
{
  char      *name;
  char      *function;       /* "plugin.function" */
  gboolean   daemon;
  GStrv      args;           /* KEY=VALUE as written, never NULL */
  /* Filled in when checked against a registry, else NULL: */
  GStrv      checked_args;   /* every parameter, normalized, defaults filled in */
  char      *plugin_path;    /* the .so that provides the function */
} FsScriptProcessDef;

GType               fs_script_process_def_get_type (void) G_GNUC_CONST;
FsScriptProcessDef *fs_script_process_def_new      (const char               *name,
                                                    const char               *function,
                                                    gboolean                  daemon,
                                                    const char * const       *args);
FsScriptProcessDef *fs_script_process_def_copy     (const FsScriptProcessDef *self);
void                fs_script_process_def_free     (FsScriptProcessDef       *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FsScriptProcessDef, fs_script_process_def_free)

/* Parse the text of one `process` statement without the keyword, e.g.
 * `th1 tutorial.sleep_print seconds=3 message=EAT`. With a @registry, the
 * function and its arguments are checked too. The error has no FILE:LINE. */
FsScriptProcessDef *fs_script_parse_process_line   (const char               *text,
                                                    FsPluginRegistry         *registry,
                                                    GError                  **error);
/* The inverse: `NAME FUNCTION [daemon] KEY=VALUE...` with every word quoted
 * as needed (prepend "process " for a statement). Uses @def->args. */
char               *fs_script_format_process       (const FsScriptProcessDef *def);
/* One word quoted so the lesson language reads it back unchanged. */
char               *fs_script_quote                (const char               *word);
/* The function named "PLUGIN.FUNCTION" (owned by @registry), or NULL with
 * an error that says why: not such a name (SYNTAX), or (UNKNOWN_FUNCTION)
 * no such plugin, a plugin that is unavailable and why, or a plugin without
 * that function (naming the ones it has). */
FsFunctionInfo     *fs_script_lookup_function      (FsPluginRegistry         *registry,
                                                    const char               *function,
                                                    GError                  **error);
/* Whether @name can name a process. */
gboolean            fs_script_is_valid_name        (const char               *name);

/* One statement of a parsed script (owned by the script). */
typedef struct _FsScriptStatement FsScriptStatement;

FsScriptStatementKind     fs_script_statement_get_kind    (const FsScriptStatement *self);
guint                     fs_script_statement_get_line    (const FsScriptStatement *self);
/* The statement as written, without surrounding blanks or a trailing comment. */
const char               *fs_script_statement_get_text    (const FsScriptStatement *self);
/* PROCESS only (else NULL). */
const FsScriptProcessDef *fs_script_statement_get_process (const FsScriptStatement *self);
/* SAY only (else NULL): the narration. */
const char               *fs_script_statement_get_say     (const FsScriptStatement *self);
const char               *fs_script_statement_kind_to_string (FsScriptStatementKind kind);

#define FS_TYPE_SCRIPT (fs_script_get_type ())

G_DECLARE_FINAL_TYPE (FsScript, fs_script, FS, SCRIPT, GObject)

GQuark                    fs_script_error_quark           (void);
/* @filename is what error messages and the runner call the script (e.g.
 * "lessons/zombie.forkscope" or "<stdin>"). @registry may be NULL: then
 * functions and parameters are not checked, and the script cannot be run. */
FsScript                 *fs_script_new_from_text         (const char        *text,
                                                           gssize             length,
                                                           const char        *filename,
                                                           FsPluginRegistry  *registry,
                                                           GError           **error);
FsScript                 *fs_script_new_from_file         (const char        *path,
                                                           FsPluginRegistry  *registry,
                                                           GError           **error);
/* Reads @fd (not closed) to its end, e.g. standard input; more than a
 * script may hold (1 MiB) is an error, not a memory full. */
FsScript                 *fs_script_new_from_fd           (int                fd,
                                                           const char        *filename,
                                                           FsPluginRegistry  *registry,
                                                           GError           **error);
const char               *fs_script_get_filename          (FsScript          *self);
/* From the comment block at the top: its first line, and the rest as
 * paragraphs separated by "\n\n" (NULL if there is none). */
const char               *fs_script_get_title             (FsScript          *self);
const char               *fs_script_get_description       (FsScript          *self);
gboolean                  fs_script_get_checked           (FsScript          *self);
guint                     fs_script_get_n_statements      (FsScript          *self);
const FsScriptStatement  *fs_script_get_statement         (FsScript          *self,
                                                           guint              index);
/* Index of the statement on @line, or -1. */
int                       fs_script_find_line             (FsScript          *self,
                                                           guint              line);
/* The `process` definition of @name, or NULL. */
const FsScriptProcessDef *fs_script_lookup_process        (FsScript          *self,
                                                           const char        *name);

/* The built-in lessons (fs_paths_get_lessondir()), sorted; and a lesson
 * path from its name ("zombie" -> ".../zombie.forkscope"), or NULL. */
GStrv                     fs_script_list_lessons          (void);
char                     *fs_script_find_lesson           (const char        *name);

G_END_DECLS
