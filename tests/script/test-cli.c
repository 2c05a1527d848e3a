/* test-cli.c
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <locale.h>
#include <signal.h>
#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

/* forkscope-cli as a user runs it: exit statuses 0/1/2, FILE:LINE messages,
 * --json output parsed back, standard input, lessons by name, --help, and
 * an interrupt that cleans up. */

#define TIMEOUT_SECONDS 60

static char *cli_path;

/* A small strict JSON reader: enough to prove each line is one valid JSON
 * object, and to read its top-level members. */

typedef struct
{
  const char *p;
  gboolean    ok;
} Json;

static void json_value (Json *json, GString *string_out, char *type_out);

static void
json_ws (Json *json)
{
  while (*json->p == ' ' || *json->p == '\t' || *json->p == '\n' || *json->p == '\r')
    json->p++;
}

static void
json_string (Json    *json,
             GString *out)
{
  if (*json->p != '"')
    {
      json->ok = FALSE;
      return;
    }
  json->p++;
  while (json->ok && *json->p != '"')
    {
      guchar c = *json->p;

      if (c == '\0' || c < 0x20)
        {
          json->ok = FALSE;
          return;
        }
      if (c == '\\')
        {
          json->p++;
          switch (*json->p)
            {
            case '"': case '\\': case '/':
              if (out) g_string_append_c (out, *json->p);
              break;
            case 'b': case 'f': case 'n': case 'r': case 't':
              if (out) g_string_append_c (out, *json->p == 'n' ? '\n' : *json->p == 't' ? '\t' : ' ');
              break;
            case 'u':
              for (int i = 1; i <= 4; i++)
                if (!g_ascii_isxdigit (json->p[i]))
                  json->ok = FALSE;
              json->p += 4;
              if (out) g_string_append_c (out, '?');
              break;
            default:
              json->ok = FALSE;
              return;
            }
          json->p++;
          continue;
        }
      if (out)
        g_string_append_c (out, c);
      json->p++;
    }
  if (json->ok)
    json->p++;
}

static void
json_number (Json *json)
{
  const char *start = json->p;

  if (*json->p == '-')
    json->p++;
  if (!g_ascii_isdigit (*json->p))
    {
      json->ok = FALSE;
      return;
    }
  if (*json->p == '0' && g_ascii_isdigit (json->p[1]))
    {
      json->ok = FALSE;
      return;
    }
  while (g_ascii_isdigit (*json->p))
    json->p++;
  if (*json->p == '.')
    {
      json->p++;
      if (!g_ascii_isdigit (*json->p))
        json->ok = FALSE;
      while (g_ascii_isdigit (*json->p))
        json->p++;
    }
  if (*json->p == 'e' || *json->p == 'E')
    {
      json->p++;
      if (*json->p == '+' || *json->p == '-')
        json->p++;
      if (!g_ascii_isdigit (*json->p))
        json->ok = FALSE;
      while (g_ascii_isdigit (*json->p))
        json->p++;
    }
  if (json->p == start)
    json->ok = FALSE;
}

/* Members of an object go to @members (name -> "TYPE:value" for strings
 * and numbers, "TYPE" otherwise) when it is not NULL. */
static void
json_object (Json       *json,
             GHashTable *members)
{
  json->p++;
  json_ws (json);
  if (*json->p == '}')
    {
      json->p++;
      return;
    }
  while (json->ok)
    {
      g_autoptr(GString) name = g_string_new (NULL);
      g_autoptr(GString) value = g_string_new (NULL);
      const char *start;
      char type = 0;

      json_ws (json);
      json_string (json, name);
      json_ws (json);
      if (!json->ok || *json->p != ':')
        {
          json->ok = FALSE;
          return;
        }
      json->p++;
      json_ws (json);
      start = json->p;
      json_value (json, value, &type);
      if (members != NULL && json->ok)
        {
          if (type == 'n')
            g_string_assign (value, "");
          if (type == 'n')
            g_string_append_len (value, start, json->p - start);
          g_hash_table_insert (members, g_strdup (name->str),
                               g_strdup_printf ("%c:%s", type, value->str));
        }
      json_ws (json);
      if (*json->p == ',')
        {
          json->p++;
          continue;
        }
      if (*json->p == '}')
        {
          json->p++;
          return;
        }
      json->ok = FALSE;
    }
}

static void
json_array (Json *json)
{
  json->p++;
  json_ws (json);
  if (*json->p == ']')
    {
      json->p++;
      return;
    }
  while (json->ok)
    {
      json_ws (json);
      json_value (json, NULL, NULL);
      json_ws (json);
      if (*json->p == ',')
        {
          json->p++;
          continue;
        }
      if (*json->p == ']')
        {
          json->p++;
          return;
        }
      json->ok = FALSE;
    }
}

static void
json_value (Json    *json,
            GString *string_out,
            char    *type_out)
{
  char type;

  switch (*json->p)
    {
    case '{':
      type = 'o';
      json_object (json, NULL);
      break;
    case '[':
      type = 'a';
      json_array (json);
      break;
    case '"':
      type = 's';
      json_string (json, string_out);
      break;
    case 't':
      type = 'b';
      if (strncmp (json->p, "true", 4) == 0) json->p += 4; else json->ok = FALSE;
      break;
    case 'f':
      type = 'b';
      if (strncmp (json->p, "false", 5) == 0) json->p += 5; else json->ok = FALSE;
      break;
    case 'n':
      type = 'z';
      if (strncmp (json->p, "null", 4) == 0) json->p += 4; else json->ok = FALSE;
      break;
    default:
      type = 'n';
      json_number (json);
      break;
    }

  if (type_out != NULL)
    *type_out = type;
}

/* Parse one line; NULL unless it is exactly one JSON object. */
static GHashTable *
parse_json_object (const char *line)
{
  g_autoptr(GHashTable) members = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  Json json = { line, TRUE };

  json_ws (&json);
  if (*json.p != '{')
    return NULL;
  json_object (&json, members);
  json_ws (&json);
  if (!json.ok || *json.p != '\0')
    return NULL;

  return g_steal_pointer (&members);
}

static void
test_json_reader (void)
{
  const char *good[] = {
    "{}", "{\"a\":1}", "{\"t\":0.5,\"event\":\"say\",\"x\":[1,2,{\"y\":null}],\"b\":true}",
    " { \"a\" : \"\\\"q\\\\ \\u00e9\" } ", "{\"n\":-1.5e3}",
  };
  const char *bad[] = {
    "", "[]", "{", "{\"a\":}", "{\"a\":1,}", "{a:1}", "{\"a\":01}", "{\"a\":1} x",
    "{\"a\":\"tab\there\"}", "{\"a\":tru}", "{\"a\":\"\\x\"}", "{\"a\":1}{}",
  };

  /* The validator itself must be able to fail. */
  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GHashTable) members = parse_json_object (good[i]);

      g_test_message ("good: %s", good[i]);
      g_assert_nonnull (members);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GHashTable) members = parse_json_object (bad[i]);

      g_test_message ("bad: %s", bad[i]);
      g_assert_null (members);
    }
}

/* Running forkscope-cli */

typedef struct
{
  int   status;
  char *out;
  char *err;
} Result;

static void
result_clear (Result *result)
{
  g_clear_pointer (&result->out, g_free);
  g_clear_pointer (&result->err, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Result, result_clear)

/* forkscope-cli ARGS in @cwd (NULL: ours), with @env (VAR=VALUE...) added. */
static void
run_cli_full (const char         *cwd,
              const char * const *env,
              const char * const *args,
              const char         *input,
              Result             *result)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  GSubprocessFlags flags = G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE;

  g_ptr_array_add (argv, cli_path);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  if (input != NULL)
    flags |= G_SUBPROCESS_FLAGS_STDIN_PIPE;

  launcher = g_subprocess_launcher_new (flags);
  if (cwd != NULL)
    g_subprocess_launcher_set_cwd (launcher, cwd);
  for (guint i = 0; env != NULL && env[i] != NULL; i++)
    {
      g_auto(GStrv) pair = g_strsplit (env[i], "=", 2);

      g_subprocess_launcher_setenv (launcher, pair[0], pair[1], TRUE);
    }

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  /* The scripts here are bounded (a few seconds); the test's own timeout
   * (meson) catches a hang. */
  g_subprocess_communicate_utf8 (process, input, NULL, &result->out, &result->err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  result->status = g_subprocess_get_exit_status (process);

  g_test_message ("forkscope-cli %s: exit %d\nstdout:\n%s\nstderr:\n%s",
                  args[0], result->status, result->out, result->err);
}

static void
run_cli (const char * const *args,
         const char         *input,
         Result             *result)
{
  run_cli_full (NULL, NULL, args, input, result);
}

static void
test_help (void)
{
  g_auto(Result) help = { 0 };
  g_auto(Result) none = { 0 };
  g_auto(Result) unknown = { 0 };
  g_auto(Result) version = { 0 };
  g_auto(Result) run_help = { 0 };
  g_auto(Result) run_usage = { 0 };

  run_cli ((const char *[]) { "--help", NULL }, NULL, &help);
  g_assert_cmpint (help.status, ==, 0);
  g_assert_true (g_str_has_prefix (help.out, "Usage:\n"));
  g_assert_nonnull (strstr (help.out, "forkscope-cli run [--json] [--step-delay S] FILE|-"));

  run_cli ((const char *[]) { NULL }, NULL, &none);
  g_assert_cmpint (none.status, ==, 2);
  g_assert_true (g_str_has_prefix (none.err, "Usage:\n"));

  run_cli ((const char *[]) { "frobnicate", NULL }, NULL, &unknown);
  g_assert_cmpint (unknown.status, ==, 2);
  g_assert_true (g_str_has_prefix (unknown.err, "forkscope-cli: unknown command \"frobnicate\"\n"));

  run_cli ((const char *[]) { "--version", NULL }, NULL, &version);
  g_assert_cmpint (version.status, ==, 0);
  g_assert_cmpstr (version.out, ==, "forkscope-cli " PACKAGE_VERSION "\n");

  run_cli ((const char *[]) { "run", "--help", NULL }, NULL, &run_help);
  g_assert_cmpint (run_help.status, ==, 0);
  g_assert_nonnull (strstr (run_help.out, "forkscope-cli run [OPTION"));
  g_assert_nonnull (strstr (run_help.out, "--json"));
  g_assert_nonnull (strstr (run_help.out, "--step-delay=SECONDS"));

  run_cli ((const char *[]) { "run", NULL }, NULL, &run_usage);
  g_assert_cmpint (run_usage.status, ==, 2);
  g_assert_cmpstr (run_usage.err, ==, "forkscope-cli run: expected one FILE, or - for standard input\n");
}

static void
test_script_error (void)
{
  g_auto(Result) result = { 0 };
  g_auto(Result) missing = { 0 };

  /* Checked before anything starts: exit 2, FILE:LINE, nothing on stdout
   * (no process, no event). */
  run_cli ((const char *[]) { "run", "-", NULL },
           "process a basics.sleep\nstart a\nfrobnicate a\nprocess b basics.sleep nope=1\n", &result);
  g_assert_cmpint (result.status, ==, 2);
  g_assert_cmpstr (result.out, ==, "");
  g_assert_cmpstr (result.err, ==,
                   "<stdin>:3: unknown statement \"frobnicate\" (one of set, process, start, join, terminate, kill, interrupt, signal, wait, sleep, say, expect)\n"
                   "<stdin>:4: basics.sleep: unknown parameter \"nope\" (known: seconds)\n");

  run_cli ((const char *[]) { "run", "/nonexistent/x.forkscope", NULL }, NULL, &missing);
  g_assert_cmpint (missing.status, ==, 2);
  g_assert_cmpstr (missing.out, ==, "");
  g_assert_cmpstr (missing.err, ==, "forkscope-cli: there is no file \"/nonexistent/x.forkscope\"\n");
}

/* Standard input that never ends (or a device named as the script) is
 * refused once it exceeds what a script may hold, instead of filling the
 * memory. */
static void
test_endless_input (void)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                       G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_auto(Result) device = { 0 };

  g_subprocess_launcher_set_stdin_file_path (launcher, "/dev/zero");
  process = g_subprocess_launcher_spawn (launcher, &error, cli_path, "run", "-", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 2);
  g_assert_cmpstr (err, ==, "<stdin>: too large for a script (more than 1 MiB)\n");

  run_cli ((const char *[]) { "run", "/dev/zero", NULL }, NULL, &device);
  g_assert_cmpint (device.status, ==, 2);
  g_assert_cmpstr (device.err, ==, "/dev/zero: too large for a script (more than 1 MiB)\n");
}

/* A file that is not there: the message says where it was looked for (a
 * relative path is relative to the current directory, which meson devenv
 * changes), and for a plain name, that no lesson has it either. */
static void
test_missing_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("forkscope-cli-XXXXXX", &error);
  g_autofree char *mine = NULL;
  g_autofree char *expected = NULL;
  g_auto(Result) name = { 0 };
  g_auto(Result) relative = { 0 };
  g_auto(Result) here = { 0 };
  g_auto(Result) lesson = { 0 };

  g_assert_no_error (error);

  run_cli_full (dir, NULL, (const char *[]) { "run", "nope", NULL }, NULL, &name);
  g_assert_cmpint (name.status, ==, 2);
  g_assert_cmpstr (name.out, ==, "");
  expected = g_strdup_printf ("forkscope-cli: there is no file \"nope\" in the current directory (%s), "
                              "and no built-in lesson \"nope\" (forkscope-cli lessons lists them)\n", dir);
  g_assert_cmpstr (name.err, ==, expected);
  g_clear_pointer (&expected, g_free);

  run_cli_full (dir, NULL, (const char *[]) { "run", "lessons/zombie.forkscope", NULL }, NULL, &relative);
  g_assert_cmpint (relative.status, ==, 2);
  expected = g_strdup_printf ("forkscope-cli: there is no file \"lessons/zombie.forkscope\" "
                              "(relative to the current directory, %s)\n", dir);
  g_assert_cmpstr (relative.err, ==, expected);

  /* What is there is found there, before a lesson of the same name. */
  mine = g_build_filename (dir, "zombie", NULL);
  g_file_set_contents (mine, "say mine\n", -1, &error);
  g_assert_no_error (error);
  run_cli_full (dir, NULL, (const char *[]) { "run", "zombie", NULL }, NULL, &here);
  g_assert_cmpint (here.status, ==, 0);
  g_assert_nonnull (strstr (here.out, "mine\n"));
  g_assert_null (strstr (here.out, "z["));
  g_unlink (mine);

  /* Not there: the lesson. */
  run_cli_full (dir, NULL, (const char *[]) { "run", "--json", "join-timeout", NULL }, NULL, &lesson);
  g_assert_cmpint (lesson.status, ==, 0);
  g_assert_nonnull (strstr (lesson.out, "\"name\":\"slow\""));

  g_rmdir (dir);
}

static void
test_expect_fails (void)
{
  g_auto(Result) result = { 0 };

  run_cli ((const char *[]) { "run", "-", NULL },
           "process a basics.exit code=0\nstart a\njoin a\nexpect a exitcode == 1\nsay not reached\n",
           &result);
  g_assert_cmpint (result.status, ==, 1);
  g_assert_cmpstr (result.err, ==, "<stdin>:4: expect failed: expected a exitcode == 1, found 0\n");
  g_assert_nonnull (strstr (result.out, "FAILED: a exitcode == 1, found 0\n"));
  g_assert_null (strstr (result.out, "not reached"));
}

/* The first "expect" event of a --json run of @script. */
static GHashTable *
run_for_expect_event (const char *script,
                      int         status)
{
  g_auto(Result) result = { 0 };
  g_auto(GStrv) lines = NULL;

  run_cli ((const char *[]) { "run", "--json", "-", NULL }, script, &result);
  g_assert_cmpint (result.status, ==, status);

  lines = g_strsplit (result.out, "\n", -1);
  for (guint i = 0; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      g_autoptr(GHashTable) members = parse_json_object (lines[i]);

      g_assert_nonnull (members);
      if (g_str_equal (g_hash_table_lookup (members, "event"), "s:expect"))
        return g_steal_pointer (&members);
    }

  g_assert_not_reached ();
}

/* An expect event says three different things: the statement as written,
 * what it checked (with the pid a subject stands for), and what was found. */
static void
test_expect_json (void)
{
  g_autoptr(GHashTable) ok = NULL;
  g_autoptr(GHashTable) failed = NULL;
  g_autoptr(GHashTable) wait = NULL;
  g_autoptr(GMatchInfo) match = NULL;
  g_autoptr(GRegex) regex = g_regex_new ("^s:a ppid == self \\(([0-9]+)\\)$", 0, 0, NULL);
  g_autofree char *ppid = NULL;

  ok = run_for_expect_event ("process a basics.sleep seconds=0\nstart a\nexpect a ppid == self\n", 0);
  g_assert_cmpstr (g_hash_table_lookup (ok, "ok"), ==, "b:");
  g_assert_cmpstr (g_hash_table_lookup (ok, "text"), ==, "s:expect a ppid == self");
  g_assert_cmpstr (g_hash_table_lookup (ok, "subject"), ==, "s:a");
  g_assert_true (g_regex_match (regex, g_hash_table_lookup (ok, "expected"), 0, &match));
  ppid = g_match_info_fetch (match, 1);
  g_assert_cmpstr ((char *) g_hash_table_lookup (ok, "found") + 2, ==, ppid);
  g_assert_false (g_hash_table_contains (ok, "message"));
  g_assert_cmpstr (g_hash_table_lookup (ok, "line"), ==, "n:3");

  failed = run_for_expect_event ("process a basics.exit code=0\nstart a\njoin a\n"
                                 "expect a exitcode == 1  # a comment is not part of it\n", 1);
  g_assert_cmpstr (g_hash_table_lookup (failed, "text"), ==, "s:expect a exitcode == 1");
  g_assert_cmpstr (g_hash_table_lookup (failed, "subject"), ==, "s:a");
  g_assert_cmpstr (g_hash_table_lookup (failed, "expected"), ==, "s:a exitcode == 1");
  g_assert_cmpstr (g_hash_table_lookup (failed, "found"), ==, "s:0");
  g_assert_cmpstr (g_hash_table_lookup (failed, "message"), ==,
                   "s:expect failed: expected a exitcode == 1, found 0");

  /* A wait that failed is reported the same way. */
  wait = run_for_expect_event ("process a basics.sleep seconds=30\nstart a\nwait a exited 0.2\n", 1);
  g_assert_cmpstr (g_hash_table_lookup (wait, "text"), ==, "s:wait a exited 0.2");
  g_assert_cmpstr (g_hash_table_lookup (wait, "subject"), ==, "s:a");
  g_assert_cmpstr (g_hash_table_lookup (wait, "expected"), ==, "s:a exited");
  g_assert_cmpstr (g_hash_table_lookup (wait, "found"), ==, "s:a running");
  g_assert_cmpstr (g_hash_table_lookup (wait, "message"), ==,
                   "s:wait timed out after 0.2 s: expected a exited, found a running");
}

static void
test_wait_fails (void)
{
  g_auto(Result) result = { 0 };

  run_cli ((const char *[]) { "run", "-", NULL },
           "process a basics.sleep seconds=30\nstart a\nwait a exited 0.2\n", &result);
  g_assert_cmpint (result.status, ==, 1);
  g_assert_cmpstr (result.err, ==,
                   "<stdin>:3: wait timed out after 0.2 s: expected a exited, found a running\n");
}

static void
test_run_text (void)
{
  g_auto(Result) result = { 0 };
  g_auto(GStrv) lines = NULL;
  gboolean saw_output = FALSE;

  run_cli ((const char *[]) { "run", "--trace", "-", NULL },
           "say hello\nprocess w tutorial.sleep_print seconds=0 message=EAT\nstart w\njoin w\n", &result);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_cmpstr (result.err, ==, "");

  /* Timestamped lines; worker output prefixed by name and PID. */
  lines = g_strsplit (result.out, "\n", -1);
  g_assert_cmpstr (lines[0], ==, "+ 1: say hello");
  g_assert_true (g_regex_match_simple ("^ *[0-9]+\\.[0-9]{3}  hello$", lines[1], 0, 0));
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_regex_match_simple ("^ *[0-9]+\\.[0-9]{3}  w\\[[0-9]+\\]  \\| EAT$", lines[i], 0, 0))
      saw_output = TRUE;
  g_assert_true (saw_output);
}

static void
test_run_json (void)
{
  g_autofree char *lesson = g_build_filename (g_getenv ("FORKSCOPE_LESSONDIR"),
                                              "three-workers.forkscope", NULL);
  g_auto(Result) result = { 0 };
  g_auto(GStrv) lines = NULL;
  guint n_events = 0, n_spawned = 0, n_say = 0, n_expect = 0, n_output = 0;

  run_cli ((const char *[]) { "run", "--json", lesson, NULL }, NULL, &result);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_cmpstr (result.err, ==, "");

  lines = g_strsplit (result.out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(GHashTable) members = NULL;
      const char *event;
      const char *t;

      if (lines[i][0] == '\0')
        {
          /* Only the final newline leaves an empty piece. */
          g_assert_null (lines[i + 1]);
          continue;
        }

      members = parse_json_object (lines[i]);
      g_test_message ("%s", lines[i]);
      g_assert_nonnull (members);

      t = g_hash_table_lookup (members, "t");
      event = g_hash_table_lookup (members, "event");
      g_assert_nonnull (t);
      g_assert_true (g_str_has_prefix (t, "n:"));
      g_assert_nonnull (event);
      g_assert_true (g_str_has_prefix (event, "s:"));
      n_events++;

      if (g_str_equal (event, "s:spawned"))
        {
          n_spawned++;
          g_assert_true (g_str_has_prefix (g_hash_table_lookup (members, "pid"), "n:"));
          g_assert_true (g_str_has_prefix (g_hash_table_lookup (members, "name"), "s:th"));
        }
      else if (g_str_equal (event, "s:say"))
        n_say++;
      else if (g_str_equal (event, "s:expect"))
        {
          n_expect++;
          g_assert_cmpstr (g_hash_table_lookup (members, "ok"), ==, "b:");
          g_assert_true (g_str_has_prefix (g_hash_table_lookup (members, "text"), "s:expect th"));
          g_assert_true (g_str_has_prefix (g_hash_table_lookup (members, "subject"), "s:th"));
          /* What was checked, without the keyword: "th1 exitcode == 0",
           * "th1 ppid == self (4242)". */
          g_assert_true (g_str_has_prefix (g_hash_table_lookup (members, "expected"), "s:th"));
          g_assert_cmpstr (g_hash_table_lookup (members, "expected"), !=, g_hash_table_lookup (members, "text"));
          g_assert_true (g_str_has_prefix (g_hash_table_lookup (members, "found"), "s:"));
          g_assert_true (g_str_has_prefix (g_hash_table_lookup (members, "line"), "n:"));
        }
      else if (g_str_equal (event, "s:output"))
        {
          n_output++;
          g_assert_nonnull (g_hash_table_lookup (members, "stream"));
          g_assert_nonnull (g_hash_table_lookup (members, "text"));
        }
    }

  g_assert_cmpuint (n_spawned, ==, 3);
  g_assert_cmpuint (n_say, ==, 5);
  g_assert_cmpuint (n_expect, >=, 15);
  g_assert_cmpuint (n_output, ==, 6);
  g_assert_cmpuint (n_events, >, n_spawned + n_say + n_expect + n_output);
  /* Every expect held. */
  g_assert_null (strstr (result.out, "\"ok\":false"));
}

static void
test_run_lesson_by_name (void)
{
  g_auto(Result) result = { 0 };
  g_auto(Result) lessons = { 0 };

  run_cli ((const char *[]) { "run", "daemon", NULL }, NULL, &result);
  g_assert_cmpint (result.status, ==, 0);
  /* What the lesson is about, after its last line: the daemon is
   * terminated, the other joined. */
  g_assert_true (g_regex_match_simple ("^ *[0-9.]+  d\\[[0-9]+\\]  reaped by the supervisor \\(PID [0-9]+\\): killed by SIGTERM$",
                                       result.out, G_REGEX_MULTILINE, 0));
  g_assert_true (g_regex_match_simple ("^ *[0-9.]+  n\\[[0-9]+\\]  joined: exit code 0$",
                                       result.out, G_REGEX_MULTILINE, 0));

  run_cli ((const char *[]) { "lessons", NULL }, NULL, &lessons);
  g_assert_cmpint (lessons.status, ==, 0);
  for (guint i = 0; i < 7; i++)
    {
      const char *names[] = { "daemon", "fork-test", "join-timeout", "orphan",
                              "terminate-vs-kill", "three-workers", "zombie" };
      g_autofree char *prefix = g_strdup_printf ("%s ", names[i]);

      g_assert_nonnull (strstr (lessons.out, prefix));
    }
}

static void
test_plugins (void)
{
  g_auto(Result) text = { 0 };
  g_auto(Result) json = { 0 };
  g_auto(Result) describe = { 0 };
  g_auto(Result) unknown = { 0 };
  g_auto(GStrv) lines = NULL;
  gboolean saw_tutorial = FALSE;

  run_cli ((const char *[]) { "plugins", NULL }, NULL, &text);
  g_assert_cmpint (text.status, ==, 0);
  g_assert_nonnull (strstr (text.out, "tutorial.sleep_print"));
  g_assert_nonnull (strstr (text.out, "lifecycle.orphan"));

  run_cli ((const char *[]) { "plugins", "--json", NULL }, NULL, &json);
  g_assert_cmpint (json.status, ==, 0);
  lines = g_strsplit (json.out, "\n", -1);
  for (guint i = 0; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      g_autoptr(GHashTable) members = parse_json_object (lines[i]);

      g_assert_nonnull (members);
      g_assert_true (g_str_has_prefix (g_hash_table_lookup (members, "plugin"), "s:"));
      g_assert_nonnull (g_hash_table_lookup (members, "available"));
      g_assert_cmpstr (g_hash_table_lookup (members, "functions"), ==, "a:");
      if (g_str_equal (g_hash_table_lookup (members, "plugin"), "s:tutorial"))
        saw_tutorial = strstr (lines[i], "\"name\":\"tutorial.sleep_print\"") != NULL;
    }
  g_assert_true (saw_tutorial);

  run_cli ((const char *[]) { "describe", "tutorial.sleep_print", NULL }, NULL, &describe);
  g_assert_cmpint (describe.status, ==, 0);
  g_assert_nonnull (strstr (describe.out, "seconds: double = 1"));
  g_assert_nonnull (strstr (describe.out, "message: string"));

  run_cli ((const char *[]) { "describe", "tutorial.nope", NULL }, NULL, &unknown);
  g_assert_cmpint (unknown.status, ==, 2);
  g_assert_cmpstr (unknown.err, ==,
                   "forkscope-cli: unknown function \"tutorial.nope\" (plugin \"tutorial\" has sleep_print, fork_test, fork_memory, exit_kinds)\n");
}

/* describe says why a function cannot be described: no such plugin, or a
 * plugin that cannot be used (and why), or not a function name. */
static void
test_describe_unavailable (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("forkscope-cli-XXXXXX", &error);
  g_autofree char *bad = NULL;
  g_autofree char *path_env = NULL;
  g_auto(Result) unavailable = { 0 };
  g_auto(Result) missing = { 0 };
  g_auto(Result) syntax = { 0 };

  g_assert_no_error (error);
  bad = g_build_filename (dir, "bad.so", NULL);
  g_file_set_contents (bad, "not a shared object\n", -1, &error);
  g_assert_no_error (error);
  path_env = g_strconcat ("FORKSCOPE_PLUGIN_PATH=", dir, NULL);

  run_cli_full (NULL, (const char *[]) { path_env, NULL },
                (const char *[]) { "describe", "bad.x", NULL }, NULL, &unavailable);
  g_assert_cmpint (unavailable.status, ==, 2);
  g_assert_cmpstr (unavailable.out, ==, "");
  g_assert_true (g_str_has_prefix (unavailable.err, "forkscope-cli: plugin \"bad\" is unavailable: "));
  /* The reason the plugin list gives, not "unknown function". */
  g_assert_nonnull (strstr (unavailable.err, "shared object"));

  run_cli ((const char *[]) { "describe", "bad.x", NULL }, NULL, &missing);
  g_assert_cmpint (missing.status, ==, 2);
  g_assert_cmpstr (missing.err, ==,
                   "forkscope-cli: unknown function \"bad.x\" (there is no plugin \"bad\"; forkscope-cli plugins lists them)\n");

  run_cli ((const char *[]) { "describe", "sleep", NULL }, NULL, &syntax);
  g_assert_cmpint (syntax.status, ==, 2);
  g_assert_cmpstr (syntax.err, ==,
                   "forkscope-cli: \"sleep\" is not a function name (write PLUGIN.FUNCTION, e.g. tutorial.sleep_print)\n");

  g_unlink (bad);
  g_rmdir (dir);
}

/* --step-delay steps through the script as the app's player does, with a
 * pause before each statement while the processes run on: a check that
 * only holds when played straight through fails. */
static void
test_step_delay (void)
{
  const char *script = "process s basics.sleep seconds=0.3\nstart s\nexpect s alive == true\n";
  g_auto(Result) straight = { 0 };
  g_auto(Result) stepped = { 0 };
  g_auto(Result) no_delay = { 0 };
  g_auto(GStrv) lines = NULL;
  gint64 start;
  guint n_traced = 0;

  run_cli ((const char *[]) { "run", "-", NULL }, script, &straight);
  g_assert_cmpint (straight.status, ==, 0);

  /* Three pauses of 0.6 s before the expect: s has long exited. */
  start = g_get_monotonic_time ();
  run_cli ((const char *[]) { "run", "--trace", "--step-delay", "0.6", "-", NULL }, script, &stepped);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 3 * 600 * 1000);
  g_assert_cmpint (stepped.status, ==, 1);
  g_assert_cmpstr (stepped.err, ==, "<stdin>:3: expect failed: expected s alive == true, found false\n");
  lines = g_strsplit (stepped.out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], "+ "))
      n_traced++;
  g_assert_cmpuint (n_traced, ==, 3);

  /* Stepping without a pause is playing. */
  run_cli ((const char *[]) { "run", "--step-delay", "0", "-", NULL }, script, &no_delay);
  g_assert_cmpint (no_delay.status, ==, 0);

  /* Not a time: refused before anything starts (or is read: no input,
   * which it would not read). */
  for (guint i = 0; i < 5; i++)
    {
      const char *bad[] = { "-1", "soon", "nan", "1e9", "" };
      g_auto(Result) refused = { 0 };

      run_cli ((const char *[]) { "run", "--step-delay", bad[i], "zombie", NULL }, NULL, &refused);
      g_assert_cmpint (refused.status, ==, 2);
      g_assert_cmpstr (refused.out, ==, "");
      g_assert_true (g_str_has_prefix (refused.err, "forkscope-cli run: "));
    }
}

/* Runs @script with forkscope-cli run --json @option..., interrupts it
 * (SIGINT) once its worker is spawned, and checks that it stops, cleans up
 * and exits 1 at once. */
static void
run_and_interrupt (const char * const *options,
                   const char         *script)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *line = NULL;
  g_autofree char *rest = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GHashTable) members = NULL;
  gint64 worker_pid = 0;
  gint64 start;

  g_ptr_array_add (argv, cli_path);
  g_ptr_array_add (argv, (gpointer) "run");
  g_ptr_array_add (argv, (gpointer) "--json");
  for (guint i = 0; options[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) options[i]);
  g_ptr_array_add (argv, (gpointer) "-");
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_newv ((const char * const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE |
                               G_SUBPROCESS_FLAGS_STDIN_PIPE,
                               &error);
  g_assert_no_error (error);

  {
    GOutputStream *in = g_subprocess_get_stdin_pipe (process);

    g_output_stream_write_all (in, script, strlen (script), NULL, NULL, &error);
    g_assert_no_error (error);
    g_output_stream_close (in, NULL, &error);
    g_assert_no_error (error);
  }

  /* The first event is the spawn: the worker exists. */
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  while ((line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error)) != NULL)
    {
      members = parse_json_object (line);
      g_assert_nonnull (members);
      if (g_str_equal (g_hash_table_lookup (members, "event"), "s:spawned"))
        {
          worker_pid = g_ascii_strtoll ((char *) g_hash_table_lookup (members, "pid") + 2, NULL, 10);
          break;
        }
      g_clear_pointer (&line, g_free);
      g_clear_pointer (&members, g_hash_table_unref);
    }
  g_assert_no_error (error);
  g_assert_cmpint (worker_pid, >, 1);

  /* SIGINT: the CLI stops the script, cleans up and exits 1, at once. */
  start = g_get_monotonic_time ();
  g_subprocess_send_signal (process, SIGINT);
  {
    g_autoptr(GString) collected = g_string_new (NULL);
    g_autoptr(GDataInputStream) err_stream = NULL;
    char *piece;

    /* stdin was closed above, so read the pipes ourselves rather than
     * with g_subprocess_communicate(). */
    while ((piece = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error)) != NULL)
      {
        g_string_append_printf (collected, "%s\n", piece);
        g_free (piece);
      }
    g_assert_no_error (error);
    rest = g_string_free (g_steal_pointer (&collected), FALSE);

    err_stream = g_data_input_stream_new (g_subprocess_get_stderr_pipe (process));
    err = g_data_input_stream_read_upto (err_stream, "", 0, NULL, NULL, &error);
    g_assert_no_error (error);
  }
  g_subprocess_wait (process, NULL, &error);
  g_assert_no_error (error);
  g_test_message ("after SIGINT:\n%s\nstderr:\n%s", rest, err);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 1);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 20 * G_USEC_PER_SEC);
  g_assert_nonnull (strstr (err, "interrupted"));
  g_assert_nonnull (strstr (rest, "\"event\":\"reaped\""));
  /* Nothing ran after the interrupt. */
  g_assert_null (strstr (rest, "not reached"));

  /* The worker was reaped by the supervisor (which has exited too). */
  g_assert_cmpint (kill ((pid_t) worker_pid, 0), ==, -1);
  g_assert_cmpint (errno, ==, ESRCH);
}

static void
test_interrupt (void)
{
  run_and_interrupt ((const char *[]) { NULL },
                     "process a basics.sleep seconds=60\nstart a\nsleep 60\nsay not reached\n");
}

/* Interrupted while paused between two steps: no step is taken after it. */
static void
test_interrupt_paused (void)
{
  run_and_interrupt ((const char *[]) { "--step-delay", "1", NULL },
                     "process a basics.sleep seconds=60\nstart a\nsay not reached\n");
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

  cli_path = g_strdup (FORKSCOPE_CLI);

  g_test_add_func ("/forkscope/cli/json-reader", test_json_reader);
  g_test_add_func ("/forkscope/cli/help", test_help);
  g_test_add_func ("/forkscope/cli/script-error", test_script_error);
  g_test_add_func ("/forkscope/cli/endless-input", test_endless_input);
  g_test_add_func ("/forkscope/cli/missing-file", test_missing_file);
  g_test_add_func ("/forkscope/cli/expect-fails", test_expect_fails);
  g_test_add_func ("/forkscope/cli/expect-json", test_expect_json);
  g_test_add_func ("/forkscope/cli/wait-fails", test_wait_fails);
  g_test_add_func ("/forkscope/cli/run-text", test_run_text);
  g_test_add_func ("/forkscope/cli/run-json", test_run_json);
  g_test_add_func ("/forkscope/cli/lesson-by-name", test_run_lesson_by_name);
  g_test_add_func ("/forkscope/cli/plugins", test_plugins);
  g_test_add_func ("/forkscope/cli/describe-unavailable", test_describe_unavailable);
  g_test_add_func ("/forkscope/cli/step-delay", test_step_delay);
  g_test_add_func ("/forkscope/cli/interrupt", test_interrupt);
  g_test_add_func ("/forkscope/cli/interrupt-paused", test_interrupt_paused);

  return g_test_run ();
}
