/* test-script-parse.c
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>
#include <signal.h>

#include <glib/gstdio.h>

#include "fs-script-private.h"

/* The lesson language without running anything: the lexer, every statement,
 * every error message with its FILE:LINE. Function and parameter checks need
 * the plugin registry, which reads the real plugins through the real worker
 * (test-script-check.c). */

static FsScript *
parse_ok (const char *text)
{
  g_autoptr(GError) error = NULL;
  FsScript *script = fs_script_new_from_text (text, -1, "t.forkscope", NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (script);
  return script;
}

static void
assert_parse_error (const char *text,
                    int         code,
                    const char *message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FsScript) script = fs_script_new_from_text (text, -1, "t.forkscope", NULL, &error);

  g_assert_null (script);
  g_assert_error (error, FS_SCRIPT_ERROR, code);
  g_assert_cmpstr (error->message, ==, message);
}

static GPtrArray *
tokenize_ok (const char *line)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *tokens = fs_script_tokenize (line, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (tokens);
  return tokens;
}

static void
assert_tokens (const char *line,
               ...)
{
  g_autoptr(GPtrArray) tokens = tokenize_ok (line);
  va_list ap;
  guint i = 0;
  const char *expected;

  va_start (ap, line);
  while ((expected = va_arg (ap, const char *)) != NULL)
    {
      g_assert_cmpuint (i, <, tokens->len);
      g_assert_cmpstr (((FsScriptToken *) tokens->pdata[i])->text, ==, expected);
      i++;
    }
  va_end (ap);

  g_assert_cmpuint (tokens->len, ==, i);
}

static void
test_tokenize (void)
{
  g_autoptr(GPtrArray) tokens = NULL;
  gsize code_length = 0;

  assert_tokens ("", NULL);
  assert_tokens ("   \t  ", NULL);
  assert_tokens ("# only a comment", NULL);
  assert_tokens ("say hello world", "say", "hello", "world", NULL);
  assert_tokens ("  say   hello\tworld  ", "say", "hello", "world", NULL);
  assert_tokens ("say 'it is' \"quoted\"", "say", "it is", "quoted", NULL);
  assert_tokens ("say a#b # comment", "say", "a#b", NULL);
  assert_tokens ("say '#not a comment'", "say", "#not a comment", NULL);
  assert_tokens ("say \\#escaped", "say", "#escaped", NULL);
  assert_tokens ("say ''", "say", "", NULL);
  assert_tokens ("say \"\"", "say", "", NULL);
  assert_tokens ("say message='study python'", "say", "message=study python", NULL);
  assert_tokens ("say \"it's\"", "say", "it's", NULL);
  assert_tokens ("say 'say \"hi\"'", "say", "say \"hi\"", NULL);
  assert_tokens ("say \"a\\\"b\\\\c\\$d\\`e\\nf\"", "say", "a\"b\\c$d`e\\nf", NULL);
  assert_tokens ("say a\\ b", "say", "a b", NULL);
  assert_tokens ("say 'a'\"b\"c", "say", "abc", NULL);
  assert_tokens ("say 吃饭 \"学习 python\"", "say", "吃饭", "学习 python", NULL);
  assert_tokens ("say x\r", "say", "x", NULL);
  assert_tokens ("say $HOME ~ *", "say", "$HOME", "~", "*", NULL);

  /* Quoted words are marked so; bare ones are not. */
  tokens = tokenize_ok ("none \"none\" n\\one");
  g_assert_false (((FsScriptToken *) tokens->pdata[0])->quoted);
  g_assert_true (((FsScriptToken *) tokens->pdata[1])->quoted);
  g_assert_true (((FsScriptToken *) tokens->pdata[2])->quoted);
  g_clear_pointer (&tokens, g_ptr_array_unref);

  /* The code ends where the trailing comment starts. */
  tokens = fs_script_tokenize ("  sleep 1   # wait a bit", &code_length, NULL);
  g_assert_nonnull (tokens);
  g_assert_cmpuint (code_length, ==, 9);
}

static void
assert_tokenize_error (const char *line,
                       const char *message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) tokens = fs_script_tokenize (line, NULL, &error);

  g_assert_null (tokens);
  g_assert_error (error, FS_SCRIPT_ERROR, FS_SCRIPT_ERROR_SYNTAX);
  g_assert_cmpstr (error->message, ==, message);
}

static void
test_tokenize_errors (void)
{
  assert_tokenize_error ("say 'open", "a quote (') is not closed");
  assert_tokenize_error ("say it's", "a quote (') is not closed");
  assert_tokenize_error ("say \"open", "a quote (\") is not closed");
  assert_tokenize_error ("say \"open\\\"", "a quote (\") is not closed");
  assert_tokenize_error ("say end\\",
                         "a backslash ends the line (a statement cannot continue on the next line)");
  assert_tokenize_error ("say \xff\xfe", "the line is not valid UTF-8 text");
}

static void
test_quote (void)
{
  const char *words[] = {
    "plain", "", "two words", "it's", "say \"hi\"", "a'b\"c", "#hash", "a#b",
    "back\\slash", "$HOME", "`cmd`", "tab\there", "吃饭", "学习 python",
    "x=y", "-SIGTERM", "'", "\"", "\\", "trailing\\",
  };

  g_assert_cmpstr (fs_script_quote ("plain"), ==, "plain");

  for (guint i = 0; i < G_N_ELEMENTS (words); i++)
    {
      g_autofree char *quoted = fs_script_quote (words[i]);
      g_autofree char *line = g_strdup_printf ("say %s", quoted);
      g_autoptr(GPtrArray) tokens = tokenize_ok (line);

      g_assert_cmpuint (tokens->len, ==, 2);
      g_assert_cmpstr (((FsScriptToken *) tokens->pdata[1])->text, ==, words[i]);
    }

  {
    g_autofree char *q1 = fs_script_quote ("two words");
    g_autofree char *q2 = fs_script_quote ("it's");
    g_autofree char *q3 = fs_script_quote ("");

    g_assert_cmpstr (q1, ==, "'two words'");
    g_assert_cmpstr (q2, ==, "\"it's\"");
    g_assert_cmpstr (q3, ==, "''");
  }
}

static void
test_format_process (void)
{
  const char *args[] = { "seconds=3", "message=study python", "note=it's", "empty=", NULL };
  g_autoptr(FsScriptProcessDef) def = fs_script_process_def_new ("th3", "tutorial.sleep_print",
                                                                 TRUE, args);
  g_autoptr(FsScriptProcessDef) back = NULL;
  g_autoptr(FsScriptProcessDef) copy = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = fs_script_format_process (def);

  g_assert_cmpstr (text, ==,
                   "th3 tutorial.sleep_print daemon seconds=3 message='study python' note=\"it's\" empty=''");

  back = fs_script_parse_process_line (text, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (back->name, ==, "th3");
  g_assert_cmpstr (back->function, ==, "tutorial.sleep_print");
  g_assert_true (back->daemon);
  g_assert_true (g_strv_equal ((const char * const *) back->args, args));
  g_assert_null (back->checked_args);
  g_assert_null (back->plugin_path);

  copy = fs_script_process_def_copy (back);
  g_assert_cmpstr (copy->name, ==, "th3");
  g_assert_true (g_strv_equal ((const char * const *) copy->args, args));

  /* No arguments, not a daemon. */
  {
    g_autoptr(FsScriptProcessDef) plain = fs_script_process_def_new ("w", "basics.sleep", FALSE, NULL);
    g_autofree char *plain_text = fs_script_format_process (plain);

    g_assert_cmpstr (plain_text, ==, "w basics.sleep");
    g_assert_nonnull (plain->args);
    g_assert_null (plain->args[0]);
  }
}

static void
assert_process_line_error (const char *text,
                           const char *message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FsScriptProcessDef) def = fs_script_parse_process_line (text, NULL, &error);

  g_assert_null (def);
  g_assert_error (error, FS_SCRIPT_ERROR, FS_SCRIPT_ERROR_SYNTAX);
  g_assert_cmpstr (error->message, ==, message);
}

static void
test_process_line_errors (void)
{
  assert_process_line_error ("", "missing arguments (usage: process NAME FUNCTION [daemon] [KEY=VALUE...])");
  assert_process_line_error ("th1", "missing arguments (usage: process NAME FUNCTION [daemon] [KEY=VALUE...])");
  assert_process_line_error ("1th tutorial.sleep_print",
                             "\"1th\" is not a valid process name (letters, digits, \"_\", \"-\" and \".\", starting with a letter or \"_\", at most 64)");
  assert_process_line_error ("a/b tutorial.sleep_print",
                             "\"a/b\" is not a valid process name (letters, digits, \"_\", \"-\" and \".\", starting with a letter or \"_\", at most 64)");
  assert_process_line_error ("self basics.sleep", "\"self\" is a reserved word and cannot name a process");
  assert_process_line_error ("none basics.sleep", "\"none\" is a reserved word and cannot name a process");
  assert_process_line_error ("th1 sleep_print",
                             "\"sleep_print\" is not a function name (write PLUGIN.FUNCTION, e.g. tutorial.sleep_print)");
  assert_process_line_error ("th1 .x", "\".x\" is not a function name (write PLUGIN.FUNCTION, e.g. tutorial.sleep_print)");
  assert_process_line_error ("th1 x.", "\"x.\" is not a function name (write PLUGIN.FUNCTION, e.g. tutorial.sleep_print)");
  assert_process_line_error ("th1 basics.sleep 3", "\"3\" is not a KEY=VALUE argument (nor the word daemon)");
  assert_process_line_error ("th1 basics.sleep =3", "\"=3\" is not a KEY=VALUE argument (nor the word daemon)");
  assert_process_line_error ("th1 basics.sleep seconds=1 seconds=2", "parameter \"seconds\" is given twice");
  assert_process_line_error ("th1 basics.sleep 'a", "a quote (') is not closed");
  assert_process_line_error ("th1 basics.sleep\nx", "a process definition is one line");
}

static void
test_valid_names (void)
{
  g_assert_true (fs_script_is_valid_name ("th1"));
  g_assert_true (fs_script_is_valid_name ("_x"));
  g_assert_true (fs_script_is_valid_name ("a-b.c_d"));
  g_assert_true (fs_script_is_valid_name ("吃饭"));
  g_assert_false (fs_script_is_valid_name (""));
  g_assert_false (fs_script_is_valid_name ("1a"));
  g_assert_false (fs_script_is_valid_name ("-a"));
  g_assert_false (fs_script_is_valid_name ("a b"));
  g_assert_false (fs_script_is_valid_name ("a/b"));
  g_assert_false (fs_script_is_valid_name ("a=b"));
  g_assert_false (fs_script_is_valid_name ("self"));
  g_assert_false (fs_script_is_valid_name ("true"));
  g_assert_false (fs_script_is_valid_name ("false"));
  g_assert_false (fs_script_is_valid_name ("none"));
  g_assert_true (fs_script_is_valid_name ("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"));
  g_assert_false (fs_script_is_valid_name ("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"));
}

static const FsScriptStatement *
statement (FsScript              *script,
           guint                  index,
           FsScriptStatementKind  kind,
           guint                  line,
           const char            *text)
{
  const FsScriptStatement *st = fs_script_get_statement (script, index);

  g_assert_nonnull (st);
  g_assert_cmpint (fs_script_statement_get_kind (st), ==, kind);
  g_assert_cmpuint (fs_script_statement_get_line (st), ==, line);
  g_assert_cmpstr (fs_script_statement_get_text (st), ==, text);
  return st;
}

static void
test_statements (void)
{
  g_autoptr(FsScript) script = parse_ok (
    "#!/usr/bin/env forkscope-cli\n"     /* 1 */
    "# Every statement\n"                /* 2 */
    "#\n"                                /* 3 */
    "# A script that uses each\n"        /* 4 */
    "# statement once.\n"                /* 5 */
    "#\n"                                /* 6 */
    "# Second paragraph.\n"              /* 7 */
    "\n"                                 /* 8 */
    "set reap join\n"                    /* 9 */
    "set subreaper off   # comment\n"    /* 10 */
    "process th1 tutorial.sleep_print seconds=3 message=EAT\n"   /* 11 */
    "process d basics.sleep daemon seconds=9\n"                  /* 12 */
    "start th1 d\n"                      /* 13 */
    "join th1\n"                         /* 14 */
    "join th1 1.5\n"                     /* 15 */
    "terminate d\n"                      /* 16 */
    "kill d\n"                           /* 17 */
    "interrupt th1/1\n"                  /* 18 */
    "signal th1 SIGUSR1\n"               /* 19 */
    "signal th1 stop\n"                  /* 20 */
    "signal th1 9\n"                     /* 21 */
    "wait th1 exited\n"                  /* 22 */
    "wait th1/1/2 orphaned 3\n"          /* 23 */
    "wait d zombie -1\n"                 /* 24 */
    "sleep 0.25\n"                       /* 25 */
    "say Hello,   \"two  spaces\" 世界\n" /* 26 */
    "expect th1 exitcode == -SIGTERM\n"  /* 27 */
    "expect th1/1 ppid == self\n"        /* 28 */
    "expect th1 stdout ~ 'EAT'\n"        /* 29 */
    "expect th1 pid != none\n"           /* 30 */
    "expect self children >= 2\n"        /* 31 */
    "expect d state == created\n"        /* 32 */
    "\t\n");                              /* 33 */
  const FsScriptStatement *st;
  const FsScriptProcessDef *def;

  g_assert_cmpstr (fs_script_get_filename (script), ==, "t.forkscope");
  g_assert_cmpstr (fs_script_get_title (script), ==, "Every statement");
  g_assert_cmpstr (fs_script_get_description (script), ==,
                   "A script that uses each statement once.\n\nSecond paragraph.");
  g_assert_false (fs_script_get_checked (script));
  g_assert_cmpuint (fs_script_get_n_statements (script), ==, 24);
  g_assert_cmpint (fs_script_find_line (script, 9), ==, 0);
  g_assert_cmpint (fs_script_find_line (script, 8), ==, -1);
  g_assert_cmpint (fs_script_find_line (script, 32), ==, 23);

  st = statement (script, 0, FS_SCRIPT_STATEMENT_SET, 9, "set reap join");
  g_assert_true (st->set_reap);
  g_assert_cmpint (st->reap_policy, ==, FS_REAP_JOIN);
  st = statement (script, 1, FS_SCRIPT_STATEMENT_SET, 10, "set subreaper off");
  g_assert_false (st->set_reap);
  g_assert_false (st->subreaper);

  st = statement (script, 2, FS_SCRIPT_STATEMENT_PROCESS, 11,
                  "process th1 tutorial.sleep_print seconds=3 message=EAT");
  def = fs_script_statement_get_process (st);
  g_assert_cmpstr (def->name, ==, "th1");
  g_assert_cmpstr (def->function, ==, "tutorial.sleep_print");
  g_assert_false (def->daemon);
  g_assert_cmpstr (def->args[0], ==, "seconds=3");
  g_assert_cmpstr (def->args[1], ==, "message=EAT");
  g_assert_null (def->args[2]);
  g_assert_true (fs_script_lookup_process (script, "th1") == def);
  g_assert_null (fs_script_lookup_process (script, "th9"));
  g_assert_null (fs_script_statement_get_say (st));

  st = statement (script, 3, FS_SCRIPT_STATEMENT_PROCESS, 12, "process d basics.sleep daemon seconds=9");
  g_assert_true (fs_script_statement_get_process (st)->daemon);

  st = statement (script, 4, FS_SCRIPT_STATEMENT_START, 13, "start th1 d");
  g_assert_cmpstr (st->names[0], ==, "th1");
  g_assert_cmpstr (st->names[1], ==, "d");
  g_assert_null (st->names[2]);
  g_assert_null (fs_script_statement_get_process (st));

  st = statement (script, 5, FS_SCRIPT_STATEMENT_JOIN, 14, "join th1");
  g_assert_cmpstr (st->subject->root, ==, "th1");
  g_assert_false (st->has_seconds);
  st = statement (script, 6, FS_SCRIPT_STATEMENT_JOIN, 15, "join th1 1.5");
  g_assert_true (st->has_seconds);
  g_assert_cmpfloat (st->seconds, ==, 1.5);

  st = statement (script, 7, FS_SCRIPT_STATEMENT_TERMINATE, 16, "terminate d");
  g_assert_cmpint (st->signum, ==, SIGTERM);
  st = statement (script, 8, FS_SCRIPT_STATEMENT_KILL, 17, "kill d");
  g_assert_cmpint (st->signum, ==, SIGKILL);
  st = statement (script, 9, FS_SCRIPT_STATEMENT_INTERRUPT, 18, "interrupt th1/1");
  g_assert_cmpint (st->signum, ==, SIGINT);
  g_assert_cmpstr (st->subject->root, ==, "th1");
  g_assert_cmpuint (st->subject->path_len, ==, 1);
  g_assert_cmpuint (st->subject->path[0], ==, 1);
  st = statement (script, 10, FS_SCRIPT_STATEMENT_SIGNAL, 19, "signal th1 SIGUSR1");
  g_assert_cmpint (st->signum, ==, SIGUSR1);
  st = statement (script, 11, FS_SCRIPT_STATEMENT_SIGNAL, 20, "signal th1 stop");
  g_assert_cmpint (st->signum, ==, SIGSTOP);
  st = statement (script, 12, FS_SCRIPT_STATEMENT_SIGNAL, 21, "signal th1 9");
  g_assert_cmpint (st->signum, ==, SIGKILL);

  st = statement (script, 13, FS_SCRIPT_STATEMENT_WAIT, 22, "wait th1 exited");
  g_assert_cmpint (st->condition, ==, FS_SCRIPT_CONDITION_EXITED);
  g_assert_false (st->has_seconds);
  st = statement (script, 14, FS_SCRIPT_STATEMENT_WAIT, 23, "wait th1/1/2 orphaned 3");
  g_assert_cmpint (st->condition, ==, FS_SCRIPT_CONDITION_ORPHANED);
  g_assert_cmpuint (st->subject->path_len, ==, 2);
  g_assert_cmpuint (st->subject->path[0], ==, 1);
  g_assert_cmpuint (st->subject->path[1], ==, 2);
  g_assert_cmpfloat (st->seconds, ==, 3);
  st = statement (script, 15, FS_SCRIPT_STATEMENT_WAIT, 24, "wait d zombie -1");
  g_assert_cmpint (st->condition, ==, FS_SCRIPT_CONDITION_STATE);
  g_assert_cmpint (st->condition_state, ==, FS_PROCESS_STATE_ZOMBIE);
  g_assert_cmpfloat (st->seconds, ==, -1);

  st = statement (script, 16, FS_SCRIPT_STATEMENT_SLEEP, 25, "sleep 0.25");
  g_assert_cmpfloat (st->seconds, ==, 0.25);

  st = statement (script, 17, FS_SCRIPT_STATEMENT_SAY, 26, "say Hello,   \"two  spaces\" 世界");
  g_assert_cmpstr (fs_script_statement_get_say (st), ==, "Hello, two  spaces 世界");

  st = statement (script, 18, FS_SCRIPT_STATEMENT_EXPECT, 27, "expect th1 exitcode == -SIGTERM");
  g_assert_cmpint (st->field, ==, FS_SCRIPT_FIELD_EXITCODE);
  g_assert_cmpint (st->op, ==, FS_SCRIPT_OP_EQ);
  g_assert_cmpint (st->value.kind, ==, FS_SCRIPT_VALUE_INT);
  g_assert_cmpint (st->value.i, ==, -SIGTERM);

  st = statement (script, 19, FS_SCRIPT_STATEMENT_EXPECT, 28, "expect th1/1 ppid == self");
  g_assert_cmpint (st->value.kind, ==, FS_SCRIPT_VALUE_SUBJECT);
  g_assert_true (fs_script_subject_is_self (st->value.subject));

  st = statement (script, 20, FS_SCRIPT_STATEMENT_EXPECT, 29, "expect th1 stdout ~ 'EAT'");
  g_assert_cmpint (st->op, ==, FS_SCRIPT_OP_CONTAINS);
  g_assert_cmpint (st->value.kind, ==, FS_SCRIPT_VALUE_STRING);
  g_assert_cmpstr (st->value.s, ==, "EAT");

  st = statement (script, 21, FS_SCRIPT_STATEMENT_EXPECT, 30, "expect th1 pid != none");
  g_assert_cmpint (st->op, ==, FS_SCRIPT_OP_NE);
  g_assert_cmpint (st->value.kind, ==, FS_SCRIPT_VALUE_NONE);

  st = statement (script, 22, FS_SCRIPT_STATEMENT_EXPECT, 31, "expect self children >= 2");
  g_assert_true (fs_script_subject_is_self (st->subject));
  g_assert_cmpint (st->op, ==, FS_SCRIPT_OP_GE);
  g_assert_cmpint (st->value.i, ==, 2);

  st = statement (script, 23, FS_SCRIPT_STATEMENT_EXPECT, 32, "expect d state == created");
  g_assert_cmpint (st->value.kind, ==, FS_SCRIPT_VALUE_STATE);
  g_assert_cmpint (st->value.state, ==, FS_PROCESS_STATE_CREATED);
}

static void
test_expect_values (void)
{
  struct
  {
    const char        *line;
    FsScriptField      field;
    FsScriptOp         op;
    FsScriptValueKind  kind;
    gint64             i;
  } cases[] = {
    { "expect p pid > 1", FS_SCRIPT_FIELD_PID, FS_SCRIPT_OP_GT, FS_SCRIPT_VALUE_INT, 1 },
    { "expect p ppid == p", FS_SCRIPT_FIELD_PPID, FS_SCRIPT_OP_EQ, FS_SCRIPT_VALUE_SUBJECT, 0 },
    { "expect p/1 ppid != p/2/3", FS_SCRIPT_FIELD_PPID, FS_SCRIPT_OP_NE, FS_SCRIPT_VALUE_SUBJECT, 0 },
    { "expect p ppid == none", FS_SCRIPT_FIELD_PPID, FS_SCRIPT_OP_EQ, FS_SCRIPT_VALUE_NONE, 0 },
    { "expect p alive == true", FS_SCRIPT_FIELD_ALIVE, FS_SCRIPT_OP_EQ, FS_SCRIPT_VALUE_BOOL, 1 },
    { "expect p alive != false", FS_SCRIPT_FIELD_ALIVE, FS_SCRIPT_OP_NE, FS_SCRIPT_VALUE_BOOL, 0 },
    { "expect p state != zombie", FS_SCRIPT_FIELD_STATE, FS_SCRIPT_OP_NE, FS_SCRIPT_VALUE_STATE, 0 },
    { "expect p exitcode == 0", FS_SCRIPT_FIELD_EXITCODE, FS_SCRIPT_OP_EQ, FS_SCRIPT_VALUE_INT, 0 },
    { "expect p exitcode == -15", FS_SCRIPT_FIELD_EXITCODE, FS_SCRIPT_OP_EQ, FS_SCRIPT_VALUE_INT, -15 },
    { "expect p exitcode == -KILL", FS_SCRIPT_FIELD_EXITCODE, FS_SCRIPT_OP_EQ, FS_SCRIPT_VALUE_INT, -9 },
    { "expect p exitcode == -sigint", FS_SCRIPT_FIELD_EXITCODE, FS_SCRIPT_OP_EQ, FS_SCRIPT_VALUE_INT, -2 },
    { "expect p exitcode <= 3", FS_SCRIPT_FIELD_EXITCODE, FS_SCRIPT_OP_LE, FS_SCRIPT_VALUE_INT, 3 },
    { "expect p exitcode != none", FS_SCRIPT_FIELD_EXITCODE, FS_SCRIPT_OP_NE, FS_SCRIPT_VALUE_NONE, 0 },
    { "expect p daemon == false", FS_SCRIPT_FIELD_DAEMON, FS_SCRIPT_OP_EQ, FS_SCRIPT_VALUE_BOOL, 0 },
    { "expect p name == p", FS_SCRIPT_FIELD_NAME, FS_SCRIPT_OP_EQ, FS_SCRIPT_VALUE_STRING, 0 },
    { "expect p name ~ none", FS_SCRIPT_FIELD_NAME, FS_SCRIPT_OP_CONTAINS, FS_SCRIPT_VALUE_STRING, 0 },
    { "expect p children < 3", FS_SCRIPT_FIELD_CHILDREN, FS_SCRIPT_OP_LT, FS_SCRIPT_VALUE_INT, 3 },
    { "expect p orphan == true", FS_SCRIPT_FIELD_ORPHAN, FS_SCRIPT_OP_EQ, FS_SCRIPT_VALUE_BOOL, 1 },
    { "expect p stdout == ''", FS_SCRIPT_FIELD_STDOUT, FS_SCRIPT_OP_EQ, FS_SCRIPT_VALUE_STRING, 0 },
    { "expect p stderr != \"x y\"", FS_SCRIPT_FIELD_STDERR, FS_SCRIPT_OP_NE, FS_SCRIPT_VALUE_STRING, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = g_strdup_printf ("process p basics.sleep\n%s\n", cases[i].line);
      g_autoptr(FsScript) script = parse_ok (text);
      const FsScriptStatement *st = fs_script_get_statement (script, 1);

      g_test_message ("%s", cases[i].line);
      g_assert_cmpint (st->field, ==, cases[i].field);
      g_assert_cmpint (st->op, ==, cases[i].op);
      g_assert_cmpint (st->value.kind, ==, cases[i].kind);
      if (cases[i].kind == FS_SCRIPT_VALUE_INT || cases[i].kind == FS_SCRIPT_VALUE_BOOL)
        g_assert_cmpint (st->value.i, ==, cases[i].i);
    }
}

typedef struct
{
  const char *script;
  int         code;
  const char *message;
} ErrorCase;

/* Each case is a whole script: "P" lines first define and start p. */
static const ErrorCase error_cases[] = {
  /* Lexer errors, with their line. */
  { "say ok\nsay it's\n", FS_SCRIPT_ERROR_SYNTAX, "t.forkscope:2: a quote (') is not closed" },
  { "\n\nsay \"x\n", FS_SCRIPT_ERROR_SYNTAX, "t.forkscope:3: a quote (\") is not closed" },
  { "say x \\\n", FS_SCRIPT_ERROR_SYNTAX,
    "t.forkscope:1: a backslash ends the line (a statement cannot continue on the next line)" },
  { "say \xc3\x28\n", FS_SCRIPT_ERROR_SYNTAX, "t.forkscope:1: the line is not valid UTF-8 text" },

  /* Statements. */
  { "run th1\n", FS_SCRIPT_ERROR_UNKNOWN_STATEMENT,
    "t.forkscope:1: unknown statement \"run\" (one of set, process, start, join, terminate, kill, interrupt, signal, wait, sleep, say, expect)" },
  { "Start x\n", FS_SCRIPT_ERROR_UNKNOWN_STATEMENT,
    "t.forkscope:1: unknown statement \"Start\" (one of set, process, start, join, terminate, kill, interrupt, signal, wait, sleep, say, expect)" },

  /* set */
  { "set reap\n", FS_SCRIPT_ERROR_SYNTAX,
    "t.forkscope:1: missing arguments (usage: set reap auto|join, set subreaper on|off)" },
  { "set reap auto now\n", FS_SCRIPT_ERROR_SYNTAX,
    "t.forkscope:1: too many arguments (usage: set reap auto|join, set subreaper on|off)" },
  { "set reap sometimes\n", FS_SCRIPT_ERROR_SYNTAX,
    "t.forkscope:1: \"sometimes\" is not a reaping policy (auto or join)" },
  { "set subreaper yes\n", FS_SCRIPT_ERROR_SYNTAX,
    "t.forkscope:1: \"yes\" is not a value for subreaper (on or off)" },
  { "set daemon on\n", FS_SCRIPT_ERROR_SYNTAX,
    "t.forkscope:1: unknown setting \"daemon\" (reap or subreaper)" },

  /* process */
  { "process\n", FS_SCRIPT_ERROR_SYNTAX,
    "t.forkscope:1: missing arguments (usage: process NAME FUNCTION [daemon] [KEY=VALUE...])" },
  { "process p basics.sleep\nprocess p basics.exit\n", FS_SCRIPT_ERROR_ORDER,
    "t.forkscope:2: process \"p\" is already defined on line 1" },
  { "process 2p basics.sleep\n", FS_SCRIPT_ERROR_SYNTAX,
    "t.forkscope:1: \"2p\" is not a valid process name (letters, digits, \"_\", \"-\" and \".\", starting with a letter or \"_\", at most 64)" },
  { "process self basics.sleep\n", FS_SCRIPT_ERROR_SYNTAX,
    "t.forkscope:1: \"self\" is a reserved word and cannot name a process" },
  { "process p sleep\n", FS_SCRIPT_ERROR_SYNTAX,
    "t.forkscope:1: \"sleep\" is not a function name (write PLUGIN.FUNCTION, e.g. tutorial.sleep_print)" },
  { "process p basics.sleep seconds\n", FS_SCRIPT_ERROR_SYNTAX,
    "t.forkscope:1: \"seconds\" is not a KEY=VALUE argument (nor the word daemon)" },
  { "process p basics.sleep seconds=1 seconds=1\n", FS_SCRIPT_ERROR_SYNTAX,
    "t.forkscope:1: parameter \"seconds\" is given twice" },

  /* start */
  { "start\n", FS_SCRIPT_ERROR_SYNTAX, "t.forkscope:1: missing arguments (usage: start NAME...)" },
  { "start q\n", FS_SCRIPT_ERROR_UNKNOWN_PROCESS,
    "t.forkscope:1: unknown process \"q\" (define it first: process q FUNCTION)" },
  { "start q\nprocess q basics.sleep\n", FS_SCRIPT_ERROR_ORDER,
    "t.forkscope:1: process \"q\" is used before its definition on line 2" },
  { "process p basics.sleep\nstart p\nsleep 1\nstart p\n", FS_SCRIPT_ERROR_ORDER,
    "t.forkscope:4: process \"p\" is started twice (first on line 2); a process can be started only once" },
  { "process p basics.sleep\nstart p p\n", FS_SCRIPT_ERROR_ORDER,
    "t.forkscope:2: process \"p\" is started twice (first on line 2); a process can be started only once" },

  /* join */
  { "join\n", FS_SCRIPT_ERROR_SYNTAX, "t.forkscope:1: missing arguments (usage: join NAME [TIMEOUT])" },
  { "P\njoin p 1 2\n", FS_SCRIPT_ERROR_SYNTAX, "t.forkscope:3: too many arguments (usage: join NAME [TIMEOUT])" },
  { "P\njoin q\n", FS_SCRIPT_ERROR_UNKNOWN_PROCESS,
    "t.forkscope:3: unknown process \"q\" (define it first: process q FUNCTION)" },
  { "process p basics.sleep\njoin p\n", FS_SCRIPT_ERROR_ORDER,
    "t.forkscope:2: process \"p\" is not started yet (start it first: start p)" },
  { "P\njoin p soon\n", FS_SCRIPT_ERROR_SYNTAX, "t.forkscope:3: \"soon\" is not a number of seconds" },
  { "P\njoin p 1s\n", FS_SCRIPT_ERROR_SYNTAX, "t.forkscope:3: \"1s\" is not a number of seconds" },
  { "P\njoin p inf\n", FS_SCRIPT_ERROR_SYNTAX, "t.forkscope:3: \"inf\" is not a number of seconds" },
  { "P\njoin p 0x10\n", FS_SCRIPT_ERROR_SYNTAX, "t.forkscope:3: \"0x10\" is not a number of seconds" },
  { "P\njoin p 1e9\n", FS_SCRIPT_ERROR_SYNTAX,
    "t.forkscope:3: 1e9 seconds is too long (at most 86400, one day)" },
  { "P\njoin p/1\n", FS_SCRIPT_ERROR_SYNTAX,
    "t.forkscope:3: only a process defined with \"process\" can be joined, not \"p/1\" (its parent reaps it)" },
  { "P\njoin self\n", FS_SCRIPT_ERROR_SYNTAX, "t.forkscope:3: a script cannot join the supervisor (self)" },

  /* terminate, kill, interrupt, signal */
  { "terminate\n", FS_SCRIPT_ERROR_SYNTAX, "t.forkscope:1: missing arguments (usage: terminate NAME)" },
  { "P\nkill p now\n", FS_SCRIPT_ERROR_SYNTAX, "t.forkscope:3: too many arguments (usage: kill NAME)" },
  { "P\ninterrupt self\n", FS_SCRIPT_ERROR_SYNTAX,
    "t.forkscope:3: a script cannot signal the supervisor (self)" },
  { "process p basics.sleep\nterminate p\n", FS_SCRIPT_ERROR_ORDER,
    "t.forkscope:2: process \"p\" is not started yet (start it first: start p)" },
  { "process p basics.sleep\nkill p/1\n", FS_SCRIPT_ERROR_ORDER,
    "t.forkscope:2: process \"p\" is not started yet (start it first: start p)" },
  { "P\nsignal p\n", FS_SCRIPT_ERROR_SYNTAX, "t.forkscope:3: missing arguments (usage: signal NAME SIGNAL)" },
  { "P\nsignal p SIGNOPE\n", FS_SCRIPT_ERROR_SYNTAX, NULL /* mentions SIGRTMAX */ },
  { "P\nsignal p 0\n", FS_SCRIPT_ERROR_SYNTAX, NULL },
  { "P\nsignal p -9\n", FS_SCRIPT_ERROR_SYNTAX, NULL },

  /* Subjects. */
  { "P\nkill p/0\n", FS_SCRIPT_ERROR_SYNTAX,
    "t.forkscope:3: \"p/0\" is not a process (after NAME, /N counts children from 1)" },
  { "P\nkill p/x\n", FS_SCRIPT_ERROR_SYNTAX,
    "t.forkscope:3: \"p/x\" is not a process (after NAME, /N counts children from 1)" },
  { "P\nkill p/\n", FS_SCRIPT_ERROR_SYNTAX,
    "t.forkscope:3: \"p/\" is not a process (after NAME, /N counts children from 1)" },
  { "P\nkill p/-1\n", FS_SCRIPT_ERROR_SYNTAX,
    "t.forkscope:3: \"p/-1\" is not a process (after NAME, /N counts children from 1)" },
  { "P\nkill /1\n", FS_SCRIPT_ERROR_SYNTAX,
    "t.forkscope:3: \"/1\" is not a process (write NAME, NAME/N for its N-th child, NAME/N/M for a grandchild, or self)" },
  { "P\nexpect 12 pid == 1\n", FS_SCRIPT_ERROR_SYNTAX,
    "t.forkscope:3: \"12\" is not a process (write NAME, NAME/N for its N-th child, NAME/N/M for a grandchild, or self)" },
  { "P\nexpect q/1 pid == 1\n", FS_SCRIPT_ERROR_UNKNOWN_PROCESS,
    "t.forkscope:3: unknown process \"q\" (define it first: process q FUNCTION)" },

  /* wait */
  { "P\nwait p\n", FS_SCRIPT_ERROR_SYNTAX,
    "t.forkscope:3: missing arguments (usage: wait SUBJECT CONDITION [TIMEOUT])" },
  { "P\nwait p exited 1 2\n", FS_SCRIPT_ERROR_SYNTAX,
    "t.forkscope:3: too many arguments (usage: wait SUBJECT CONDITION [TIMEOUT])" },
  { "P\nwait p dead\n", FS_SCRIPT_ERROR_SYNTAX,
    "t.forkscope:3: unknown condition \"dead\" (one of running, stopped, zombie, reaped, gone, exited, orphaned)" },
  { "P\nwait p created\n", FS_SCRIPT_ERROR_SYNTAX,
    "t.forkscope:3: unknown condition \"created\" (one of running, stopped, zombie, reaped, gone, exited, orphaned)" },
  { "P\nwait p sleeping\n", FS_SCRIPT_ERROR_SYNTAX,
    "t.forkscope:3: unknown condition \"sleeping\" (one of running, stopped, zombie, reaped, gone, exited, orphaned)" },
  { "P\nwait p exited forever\n", FS_SCRIPT_ERROR_SYNTAX,
    "t.forkscope:3: \"forever\" is not a number of seconds" },
  { "P\nwait self running\n", FS_SCRIPT_ERROR_SYNTAX,
    "t.forkscope:3: a script cannot wait for the supervisor (self)" },
  { "process p basics.sleep\nwait p/1 running\n", FS_SCRIPT_ERROR_ORDER,
    "t.forkscope:2: process \"p\" is not started yet (start it first: start p)" },

  /* sleep */
  { "sleep\n", FS_SCRIPT_ERROR_SYNTAX, "t.forkscope:1: missing arguments (usage: sleep SECONDS)" },
  { "sleep 1 2\n", FS_SCRIPT_ERROR_SYNTAX, "t.forkscope:1: too many arguments (usage: sleep SECONDS)" },
  { "sleep -1\n", FS_SCRIPT_ERROR_SYNTAX, "t.forkscope:1: \"-1\" is not a number of seconds (0 or more)" },
  { "sleep nan\n", FS_SCRIPT_ERROR_SYNTAX, "t.forkscope:1: \"nan\" is not a number of seconds (0 or more)" },
  { "sleep 1e\n", FS_SCRIPT_ERROR_SYNTAX, "t.forkscope:1: \"1e\" is not a number of seconds (0 or more)" },
  { "sleep .\n", FS_SCRIPT_ERROR_SYNTAX, "t.forkscope:1: \".\" is not a number of seconds (0 or more)" },
  { "sleep 86401\n", FS_SCRIPT_ERROR_SYNTAX,
    "t.forkscope:1: 86401 seconds is too long (at most 86400, one day)" },

  /* say */
  { "say\n", FS_SCRIPT_ERROR_SYNTAX, "t.forkscope:1: missing arguments (usage: say TEXT)" },

  /* expect */
  { "P\nexpect p pid ==\n", FS_SCRIPT_ERROR_SYNTAX,
    "t.forkscope:3: missing arguments (usage: expect SUBJECT FIELD OP VALUE)" },
  { "P\nexpect p pid == 1 2\n", FS_SCRIPT_ERROR_SYNTAX,
    "t.forkscope:3: too many arguments (usage: expect SUBJECT FIELD OP VALUE)" },
  { "P\nexpect p color == red\n", FS_SCRIPT_ERROR_SYNTAX,
    "t.forkscope:3: unknown field \"color\" (one of pid, ppid, alive, state, exitcode, daemon, name, children, orphan, stdout, stderr)" },
  { "P\nexpect p pid = 1\n", FS_SCRIPT_ERROR_SYNTAX,
    "t.forkscope:3: unknown operator \"=\" (one of == != < <= > >= ~)" },
  { "P\nexpect p pid =~ 1\n", FS_SCRIPT_ERROR_SYNTAX,
    "t.forkscope:3: unknown operator \"=~\" (one of == != < <= > >= ~)" },
  { "P\nexpect p pid ~ 1\n", FS_SCRIPT_ERROR_SYNTAX,
    "t.forkscope:3: operator ~ (contains) does not apply to pid, a number" },
  { "P\nexpect p state < zombie\n", FS_SCRIPT_ERROR_SYNTAX,
    "t.forkscope:3: operator < does not apply to state (use == or !=)" },
  { "P\nexpect p alive ~ true\n", FS_SCRIPT_ERROR_SYNTAX,
    "t.forkscope:3: operator ~ does not apply to alive (use == or !=)" },
  { "P\nexpect p stdout > x\n", FS_SCRIPT_ERROR_SYNTAX,
    "t.forkscope:3: operator > does not apply to stdout (use ==, != or ~)" },
  { "P\nexpect p alive == yes\n", FS_SCRIPT_ERROR_SYNTAX,
    "t.forkscope:3: \"yes\" is not a value for alive (true or false)" },
  { "P\nexpect p state == sleeping\n", FS_SCRIPT_ERROR_SYNTAX,
    "t.forkscope:3: \"sleeping\" is not a state (one of created, running, stopped, zombie, reaped, gone)" },
  { "P\nexpect p pid == 1.5\n", FS_SCRIPT_ERROR_SYNTAX,
    "t.forkscope:3: \"1.5\" is not a value for pid (a number, a process such as self or NAME/1, or none)" },
  { "P\nexpect p pid == -1\n", FS_SCRIPT_ERROR_SYNTAX,
    "t.forkscope:3: \"-1\" is not a value for pid (a number, a process such as self or NAME/1, or none)" },
  { "P\nexpect p ppid == q\n", FS_SCRIPT_ERROR_UNKNOWN_PROCESS,
    "t.forkscope:3: unknown process \"q\" (define it first: process q FUNCTION)" },
  { "P\nexpect p ppid == p/0\n", FS_SCRIPT_ERROR_SYNTAX,
    "t.forkscope:3: \"p/0\" is not a process (after NAME, /N counts children from 1)" },
  { "P\nexpect p pid < none\n", FS_SCRIPT_ERROR_SYNTAX,
    "t.forkscope:3: none can only be compared with == or !=" },
  { "P\nexpect p exitcode == SIGTERM\n", FS_SCRIPT_ERROR_SYNTAX,
    "t.forkscope:3: \"SIGTERM\" is not an exit code (a number, -SIGNAL such as -SIGTERM, or none)" },
  { "P\nexpect p exitcode == -SIGNOPE\n", FS_SCRIPT_ERROR_SYNTAX, NULL },
  { "P\nexpect p children == -1\n", FS_SCRIPT_ERROR_SYNTAX,
    "t.forkscope:3: \"-1\" is not a number of children" },
  { "P\nexpect p children == none\n", FS_SCRIPT_ERROR_SYNTAX,
    "t.forkscope:3: \"none\" is not a number of children" },
};

static void
test_errors (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (error_cases); i++)
    {
      g_autofree char *text = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(FsScript) script = NULL;

      if (g_str_has_prefix (error_cases[i].script, "P\n"))
        text = g_strconcat ("process p basics.sleep\nstart p\n", error_cases[i].script + 2, NULL);
      else
        text = g_strdup (error_cases[i].script);

      g_test_message ("case %u: %s", i, text);
      script = fs_script_new_from_text (text, -1, "t.forkscope", NULL, &error);
      g_assert_null (script);
      g_assert_error (error, FS_SCRIPT_ERROR, error_cases[i].code);
      if (error_cases[i].message != NULL)
        g_assert_cmpstr (error->message, ==, error_cases[i].message);
      else
        g_assert_true (g_str_has_prefix (error->message, "t.forkscope:3: unknown signal \""));
    }
}

static void
test_signal_message (void)
{
  g_autofree char *expected = g_strdup_printf ("t.forkscope:3: unknown signal \"SIGNOPE\" (a name such as TERM or SIGUSR1, or a number from 1 to %d)",
                                               SIGRTMAX);

  assert_parse_error ("process p basics.sleep\nstart p\nsignal p SIGNOPE\n",
                      FS_SCRIPT_ERROR_SYNTAX, expected);
}

static void
test_many_errors (void)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(FsScript) script = NULL;
  g_auto(GStrv) lines = NULL;

  /* Every problem is listed, in order of lines, up to a limit. */
  g_string_append (text, "say ok\nbogus\nsleep x\nprocess p basics.sleep\nstart p\nstart p\n");
  script = fs_script_new_from_text (text->str, -1, "many.forkscope", NULL, &error);
  g_assert_null (script);
  g_assert_error (error, FS_SCRIPT_ERROR, FS_SCRIPT_ERROR_UNKNOWN_STATEMENT);
  lines = g_strsplit (error->message, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 3);
  g_assert_true (g_str_has_prefix (lines[0], "many.forkscope:2: unknown statement \"bogus\""));
  g_assert_cmpstr (lines[1], ==, "many.forkscope:3: \"x\" is not a number of seconds (0 or more)");
  g_assert_true (g_str_has_prefix (lines[2], "many.forkscope:6: process \"p\" is started twice"));
  g_clear_pointer (&lines, g_strfreev);
  g_clear_error (&error);

  /* A process whose definition is wrong is still known by name: one
   * mistake, one message. */
  script = fs_script_new_from_text ("process p sleep\nstart p\njoin p\n", -1, "t", NULL, &error);
  g_assert_null (script);
  lines = g_strsplit (error->message, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 1);
  g_clear_pointer (&lines, g_strfreev);
  g_clear_error (&error);

  /* The same for a name that cannot be a process at all: its uses, before
   * or after the definition, are not reported as undefined or used before
   * the definition; other mistakes still are. */
  {
    const char *bad_names[] = { "\"a b\"", "9x", "none", "_x!" };

    for (guint i = 0; i < G_N_ELEMENTS (bad_names); i++)
      {
        g_autofree char *source = g_strdup_printf ("start %s\n"
                                                   "process %s basics.sleep\n"
                                                   "start %s\n"
                                                   "expect %s alive == true\n"
                                                   "join %s\n"
                                                   "terminate %s\n"
                                                   "wait %s/1 exited\n"
                                                   "start nobody\n",
                                                   bad_names[i], bad_names[i], bad_names[i],
                                                   bad_names[i], bad_names[i], bad_names[i],
                                                   bad_names[i]);

        g_test_message ("%s", source);
        script = fs_script_new_from_text (source, -1, "t", NULL, &error);
        g_assert_null (script);
        g_assert_error (error, FS_SCRIPT_ERROR, FS_SCRIPT_ERROR_SYNTAX);
        lines = g_strsplit (error->message, "\n", -1);
        g_assert_cmpuint (g_strv_length (lines), ==, 2);
        g_assert_true (g_str_has_prefix (lines[0], "t:2: "));
        g_assert_cmpstr (lines[1], ==, "t:8: unknown process \"nobody\" (define it first: process nobody FUNCTION)");
        g_clear_pointer (&lines, g_strfreev);
        g_clear_error (&error);
      }

    /* self still names the supervisor, which cannot be joined. */
    script = fs_script_new_from_text ("process self basics.sleep\nstart self\nexpect self children == 0\njoin self\n",
                                      -1, "t", NULL, &error);
    g_assert_null (script);
    lines = g_strsplit (error->message, "\n", -1);
    g_assert_cmpuint (g_strv_length (lines), ==, 2);
    g_assert_cmpstr (lines[0], ==, "t:1: \"self\" is a reserved word and cannot name a process");
    g_assert_cmpstr (lines[1], ==, "t:4: a script cannot join the supervisor (self)");
    g_clear_pointer (&lines, g_strfreev);
    g_clear_error (&error);
  }

  /* Garbage stops at 20 messages plus a summary. */
  g_string_truncate (text, 0);
  for (guint i = 0; i < 100; i++)
    g_string_append (text, "nonsense\n");
  script = fs_script_new_from_text (text->str, -1, "junk", NULL, &error);
  g_assert_null (script);
  lines = g_strsplit (error->message, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 21);
  g_assert_cmpstr (lines[20], ==, "junk: too many errors (100); stopped reporting them");
}

static void
test_odd_input (void)
{
  g_autoptr(FsScript) empty = parse_ok ("");
  g_autoptr(FsScript) blank = parse_ok ("\n\n   \n# just a comment\n");
  g_autoptr(FsScript) crlf = parse_ok ("say one\r\nsay two\r\n");
  g_autoptr(FsScript) bom = parse_ok ("\xef\xbb\xbfsay one\n");
  g_autoptr(FsScript) no_newline = parse_ok ("say one");
  g_autoptr(GError) error = NULL;
  g_autoptr(FsScript) nul = NULL;

  g_assert_cmpuint (fs_script_get_n_statements (empty), ==, 0);
  g_assert_null (fs_script_get_title (empty));
  g_assert_null (fs_script_get_description (empty));
  g_assert_cmpuint (fs_script_get_n_statements (blank), ==, 0);
  g_assert_cmpstr (fs_script_get_title (blank), ==, NULL);
  g_assert_cmpuint (fs_script_get_n_statements (crlf), ==, 2);
  g_assert_cmpstr (fs_script_statement_get_say (fs_script_get_statement (crlf, 1)), ==, "two");
  g_assert_cmpstr (fs_script_statement_get_text (fs_script_get_statement (crlf, 0)), ==, "say one");
  g_assert_cmpuint (fs_script_get_n_statements (bom), ==, 1);
  g_assert_cmpuint (fs_script_get_n_statements (no_newline), ==, 1);

  nul = fs_script_new_from_text ("say a\0say b\n", 12, "bin", NULL, &error);
  g_assert_null (nul);
  g_assert_error (error, FS_SCRIPT_ERROR, FS_SCRIPT_ERROR_SYNTAX);
  g_assert_cmpstr (error->message, ==, "bin: not a text file (it contains NUL bytes)");
}

static void
test_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("forkscope-script-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "x.forkscope", NULL);
  g_autofree char *missing = g_build_filename (dir, "missing.forkscope", NULL);
  g_autoptr(FsScript) script = NULL;

  g_assert_true (g_file_set_contents (path, "# Title\nsay hi\nsleep\n", -1, NULL));
  script = fs_script_new_from_file (path, NULL, &error);
  g_assert_null (script);
  g_assert_error (error, FS_SCRIPT_ERROR, FS_SCRIPT_ERROR_SYNTAX);
  {
    g_autofree char *expected = g_strdup_printf ("%s:3: missing arguments (usage: sleep SECONDS)", path);
    g_assert_cmpstr (error->message, ==, expected);
  }
  g_clear_error (&error);

  script = fs_script_new_from_file (missing, NULL, &error);
  g_assert_null (script);
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_clear_error (&error);

  g_assert_true (g_file_set_contents (path, "# Title\nsay hi\n", -1, NULL));
  script = fs_script_new_from_file (path, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (fs_script_get_title (script), ==, "Title");
  g_assert_cmpstr (fs_script_get_filename (script), ==, path);

  g_clear_object (&script);

  /* A script is a page of text, not a disk image. */
  {
    g_autofree char *big = g_strnfill (1024 * 1024 + 1, '#');
    g_autofree char *expected = g_strdup_printf ("%s: too large for a script (1.0\u00a0MB; at most 1 MiB)", path);

    g_assert_true (g_file_set_contents (path, big, -1, NULL));
    script = fs_script_new_from_file (path, NULL, &error);
    g_assert_null (script);
    g_assert_error (error, FS_SCRIPT_ERROR, FS_SCRIPT_ERROR_SYNTAX);
    g_assert_cmpstr (error->message, ==, expected);
  }

  g_assert_no_errno (g_unlink (path));
  g_assert_no_errno (g_rmdir (dir));
}

/* What has no size to check first (a device, a pipe) is read no further
 * than a script may go: /dev/zero must not fill the memory. */
static void
test_from_endless_file (void)
{
  g_autoptr(FsScript) script = NULL;
  g_autoptr(GError) error = NULL;
  int fds[2];

  script = fs_script_new_from_file ("/dev/zero", NULL, &error);
  g_assert_null (script);
  g_assert_error (error, FS_SCRIPT_ERROR, FS_SCRIPT_ERROR_SYNTAX);
  g_assert_cmpstr (error->message, ==, "/dev/zero: too large for a script (more than 1 MiB)");
  g_clear_error (&error);

  /* A pipe with a whole script in it, then its end. */
  g_assert_no_errno (pipe (fds));
  g_assert_cmpint (write (fds[1], "# Piped\nsay hi\n", 15), ==, 15);
  close (fds[1]);
  script = fs_script_new_from_fd (fds[0], "<pipe>", NULL, &error);
  close (fds[0]);
  g_assert_no_error (error);
  g_assert_cmpstr (fs_script_get_title (script), ==, "Piped");
  g_assert_cmpstr (fs_script_get_filename (script), ==, "<pipe>");
  g_assert_cmpuint (fs_script_get_n_statements (script), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/forkscope/script/tokenize", test_tokenize);
  g_test_add_func ("/forkscope/script/from-endless-file", test_from_endless_file);
  g_test_add_func ("/forkscope/script/tokenize-errors", test_tokenize_errors);
  g_test_add_func ("/forkscope/script/quote", test_quote);
  g_test_add_func ("/forkscope/script/format-process", test_format_process);
  g_test_add_func ("/forkscope/script/process-line-errors", test_process_line_errors);
  g_test_add_func ("/forkscope/script/valid-names", test_valid_names);
  g_test_add_func ("/forkscope/script/statements", test_statements);
  g_test_add_func ("/forkscope/script/expect-values", test_expect_values);
  g_test_add_func ("/forkscope/script/errors", test_errors);
  g_test_add_func ("/forkscope/script/signal-message", test_signal_message);
  g_test_add_func ("/forkscope/script/many-errors", test_many_errors);
  g_test_add_func ("/forkscope/script/odd-input", test_odd_input);
  g_test_add_func ("/forkscope/script/file", test_file);

  return g_test_run ();
}
