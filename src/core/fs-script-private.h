/* fs-script-private.h
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "fs-process.h"
#include "fs-script.h"

G_BEGIN_DECLS

/* The parsed form of statements, shared by the parser (fs-script.c) and the
 * runner (fs-script-runner.c). Not installed, not for the front ends. */

/* One word of a line, after quotes and backslashes are removed. @quoted is
 * TRUE if any part of it was quoted or escaped: `"none"` is a string, `none`
 * the keyword. */
typedef struct
{
  char     *text;
  gboolean  quoted;
} FsScriptToken;

/* Split one line (no newline in it) into tokens; a `#` that starts a word
 * starts a comment. Returns a GPtrArray of FsScriptToken (free with
 * g_ptr_array_unref), possibly empty; @code_length is set to the length of
 * the line up to the end of its last word. */
GPtrArray *fs_script_tokenize (const char  *line,
                               gsize       *code_length,
                               GError     **error);

/* NAME, NAME/N/M..., or self. */
typedef struct
{
  char   *text;      /* as written */
  char   *root;      /* a process name, or "self" */
  guint  *path;      /* 1-based child indices */
  guint   path_len;
} FsScriptSubject;

gboolean fs_script_subject_is_self (const FsScriptSubject *subject);

typedef enum
{
  FS_SCRIPT_FIELD_PID,
  FS_SCRIPT_FIELD_PPID,
  FS_SCRIPT_FIELD_ALIVE,
  FS_SCRIPT_FIELD_STATE,
  FS_SCRIPT_FIELD_EXITCODE,
  FS_SCRIPT_FIELD_DAEMON,
  FS_SCRIPT_FIELD_NAME,
  FS_SCRIPT_FIELD_CHILDREN,
  FS_SCRIPT_FIELD_ORPHAN,
  FS_SCRIPT_FIELD_STDOUT,
  FS_SCRIPT_FIELD_STDERR,
} FsScriptField;

typedef enum
{
  FS_SCRIPT_OP_EQ,
  FS_SCRIPT_OP_NE,
  FS_SCRIPT_OP_LT,
  FS_SCRIPT_OP_LE,
  FS_SCRIPT_OP_GT,
  FS_SCRIPT_OP_GE,
  FS_SCRIPT_OP_CONTAINS,
} FsScriptOp;

/* What a field's value (or an expect's VALUE) is. */
typedef enum
{
  FS_SCRIPT_VALUE_NONE,
  FS_SCRIPT_VALUE_INT,
  FS_SCRIPT_VALUE_BOOL,
  FS_SCRIPT_VALUE_STRING,
  FS_SCRIPT_VALUE_STATE,
  FS_SCRIPT_VALUE_SUBJECT,  /* its pid, looked up when the expect runs */
} FsScriptValueKind;

typedef struct
{
  FsScriptValueKind  kind;
  gint64             i;        /* INT; BOOL (0/1) */
  FsProcessState     state;    /* STATE */
  char              *s;        /* STRING; the text as written for every kind */
  FsScriptSubject   *subject;  /* SUBJECT */
} FsScriptValue;

/* wait conditions: a state, or one of these. */
typedef enum
{
  FS_SCRIPT_CONDITION_STATE,
  FS_SCRIPT_CONDITION_EXITED,    /* zombie, reaped or gone */
  FS_SCRIPT_CONDITION_ORPHANED,  /* re-parented */
} FsScriptCondition;

struct _FsScriptStatement
{
  FsScriptStatementKind  kind;
  guint                  line;
  char                  *text;

  /* SET */
  gboolean               set_reap;       /* else subreaper */
  FsReapPolicy           reap_policy;
  gboolean               subreaper;
  /* PROCESS */
  FsScriptProcessDef    *def;
  /* START */
  GStrv                  names;
  /* JOIN, TERMINATE, KILL, INTERRUPT, SIGNAL, WAIT, EXPECT */
  FsScriptSubject       *subject;
  /* JOIN, WAIT (timeout), SLEEP */
  gboolean               has_seconds;
  double                 seconds;
  /* TERMINATE, KILL, INTERRUPT, SIGNAL */
  int                    signum;
  /* WAIT */
  FsScriptCondition      condition;
  FsProcessState         condition_state;
  char                  *condition_text;
  /* SAY */
  char                  *say;
  /* EXPECT */
  FsScriptField          field;
  FsScriptOp             op;
  FsScriptValue          value;
};

const char *fs_script_field_to_string     (FsScriptField   field);
const char *fs_script_op_to_string        (FsScriptOp      op);
/* The language's name of a state: sleeping is "running". */
const char *fs_script_state_to_string     (FsProcessState  state);
/* "TERM" for 15, else NULL. */
const char *fs_script_signal_name         (int             signum);

G_END_DECLS
