/* test-lesson.c: FsLesson, the built-in lessons' explanations, their
 * extraction for translators and their Chinese translation.
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>
#include <string.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "fs-lesson.h"
#include "fs-paths.h"

/* The lessons the explanation panel and the tests rely on. */
static const char * const expected_lessons[] = {
  "daemon", "fork-side-by-side", "fork-test", "held-zombie", "join-timeout",
  "kill-the-parent", "orphan", "pool", "terminate-vs-kill", "three-workers", "zombie",
};

static gboolean
has_cjk (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c >= 0x4e00 && c <= 0x9fff)
        return TRUE;
    }
  return FALSE;
}

static void
test_builtin (void)
{
  g_autoptr(GPtrArray) lessons = fs_lesson_list_builtin (NULL);

  g_assert_cmpuint (lessons->len, ==, G_N_ELEMENTS (expected_lessons));
  for (guint i = 0; i < G_N_ELEMENTS (expected_lessons); i++)
    {
      FsLesson *lesson = g_ptr_array_index (lessons, i);
      FsScript *script = fs_lesson_get_script (lesson);
      const char * const *paragraphs = fs_lesson_get_paragraphs (lesson);
      g_autofree char *explanation = fs_lesson_dup_explanation (lesson);
      g_autofree char *file = g_strconcat (expected_lessons[i], ".forkscope", NULL);

      /* Sorted by file name, every one with a header: a title and at
       * least an explanation and a "what to look for". */
      g_assert_cmpstr (fs_lesson_get_name (lesson), ==, expected_lessons[i]);
      g_assert_true (g_str_has_suffix (fs_lesson_get_path (lesson), file));
      g_assert_nonnull (script);
      g_assert_false (fs_script_get_checked (script));
      g_assert_nonnull (fs_script_get_title (script));
      g_assert_cmpuint (g_strv_length ((char **) paragraphs), >=, 2);
      g_assert_nonnull (strstr (explanation, "\n\n"));
      for (guint j = 0; paragraphs[j] != NULL; j++)
        {
          g_assert_cmpstr (paragraphs[j], !=, "");
          g_assert_null (strchr (paragraphs[j], '\n'));
        }
      g_assert_true (g_str_has_prefix (paragraphs[g_strv_length ((char **) paragraphs) - 1],
                                       has_cjk (paragraphs[0]) ? "" : "What to look for"));
    }
}

/* The points the explanations must make to the tutorial's readers. */
static void
test_points (void)
{
  static const struct
  {
    const char *lesson;
    const char *needle;
  } points[] = {
    { "fork-test", "order" },
    { "fork-test", "sleeps" },
    { "zombie", "wait()" },
    { "orphan", "PID 1" },
    { "orphan", "subreaper" },
    { "daemon", "SIGTERM" },
    { "join-timeout", "still alive" },
    { "kill-the-parent", "SIGKILL" },
    { "pool", "scheduler" },
    { "held-zombie", "not later" },
    { "fork-side-by-side", "zombie" },
    { "fork-side-by-side", "orphan" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (points); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(FsLesson) lesson = fs_lesson_new_for_name (points[i].lesson, NULL, &error);
      FsScript *script;

      g_assert_no_error (error);
      /* The English, whatever the language of the test. */
      script = fs_lesson_get_script (lesson);
      if (strstr (fs_script_get_description (script), points[i].needle) == NULL)
        g_error ("the explanation of %s does not mention “%s”", points[i].lesson, points[i].needle);
    }
}

/* Written the way the script parser reads it, and extracted the same way
 * by po/extract-lessons.py: every title and paragraph FsLesson asks the
 * catalog for is a msgid of the template. */
static char *
unquote (const char *line)
{
  GString *text = g_string_new (NULL);

  g_assert_true (g_str_has_prefix (line, "msgid \""));
  g_assert_true (g_str_has_suffix (line, "\""));
  for (const char *p = line + strlen ("msgid \""); p[1] != '\0'; p++)
    {
      if (*p == '\\')
        {
          p++;
          g_string_append_c (text, *p == 'n' ? '\n' : *p == 't' ? '\t' : *p);
        }
      else
        g_string_append_c (text, *p);
    }
  return g_string_free (text, FALSE);
}

static void
test_extracted (void)
{
  g_autoptr(GPtrArray) lessons = fs_lesson_list_builtin (NULL);
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) msgids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("forkscope-lesson-XXXXXX", &error);
  g_autofree char *pot = NULL;
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  int status = -1;

  g_assert_no_error (error);
  pot = g_build_filename (dir, "lessons.pot", NULL);

  g_ptr_array_add (argv, g_strdup (PYTHON));
  g_ptr_array_add (argv, g_build_filename (SOURCE_ROOT, "po", "extract-lessons.py", NULL));
  g_ptr_array_add (argv, g_strdup (pot));
  for (guint i = 0; i < lessons->len; i++)
    g_ptr_array_add (argv, g_strdup (fs_lesson_get_path (g_ptr_array_index (lessons, i))));
  g_ptr_array_add (argv, NULL);

  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT,
                               NULL, NULL, NULL, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, &error));
  g_assert_no_error (error);

  g_assert_true (g_file_get_contents (pot, &contents, NULL, &error));
  g_assert_no_error (error);
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], "msgid \""))
      g_hash_table_add (msgids, unquote (lines[i]));

  for (guint i = 0; i < lessons->len; i++)
    {
      FsScript *script = fs_lesson_get_script (g_ptr_array_index (lessons, i));
      g_auto(GStrv) paragraphs = g_strsplit (fs_script_get_description (script), "\n\n", -1);

      if (!g_hash_table_contains (msgids, fs_script_get_title (script)))
        g_error ("title not extracted: %s", fs_script_get_title (script));
      for (guint j = 0; paragraphs[j] != NULL; j++)
        if (!g_hash_table_contains (msgids, paragraphs[j]))
          g_error ("paragraph not extracted: %s", paragraphs[j]);
    }

  g_assert_cmpint (g_unlink (pot), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

/* In Chinese, every title and paragraph of a built-in lesson. In a
 * subprocess: gettext may keep what it looked up in English before. */
static void
test_translated (void)
{
  g_autoptr(GPtrArray) lessons = NULL;

  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
      g_test_trap_assert_passed ();
      return;
    }

  g_setenv ("LANGUAGE", "zh_CN", TRUE);
  lessons = fs_lesson_list_builtin (NULL);

  g_assert_cmpuint (lessons->len, ==, G_N_ELEMENTS (expected_lessons));
  for (guint i = 0; i < lessons->len; i++)
    {
      FsLesson *lesson = g_ptr_array_index (lessons, i);
      const char * const *paragraphs = fs_lesson_get_paragraphs (lesson);
      g_auto(GStrv) english = g_strsplit (fs_script_get_description (fs_lesson_get_script (lesson)), "\n\n", -1);

      if (!has_cjk (fs_lesson_get_title (lesson)))
        g_error ("%s: the title is not translated: %s", fs_lesson_get_name (lesson),
                 fs_lesson_get_title (lesson));
      g_assert_cmpuint (g_strv_length ((char **) paragraphs), ==, g_strv_length (english));
      for (guint j = 0; paragraphs[j] != NULL; j++)
        if (!has_cjk (paragraphs[j]))
          g_error ("%s: a paragraph is not translated: %s", fs_lesson_get_name (lesson), paragraphs[j]);
    }
}

static char *
write_lesson (const char *dir,
              const char *name,
              const char *text)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (dir, name, NULL);

  g_assert_true (g_file_set_contents (path, text, -1, &error));
  g_assert_no_error (error);
  return path;
}

/* A user's lesson: the same format, texts kept as written. */
static void
test_header (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("forkscope-lesson-XXXXXX", &error);
  g_autofree char *with = NULL;
  g_autofree char *without = NULL;
  g_autofree char *broken = NULL;
  g_autofree char *explanation = NULL;
  g_autoptr(FsLesson) lesson = NULL;
  g_autoptr(FsLesson) bare = NULL;
  g_autoptr(FsLesson) none = NULL;
  const char * const *paragraphs;

  g_assert_no_error (error);
  with = write_lesson (dir, "mine.forkscope",
                       "#!/usr/bin/env forkscope-cli run\n"
                       "#   My own lesson  \n"
                       "#\n"
                       "# The first paragraph,\n"
                       "#    on two lines.\n"
                       "#\n"
                       "#\n"
                       "# The second.\n"
                       "\n"
                       "# Not a paragraph: after the header.\n"
                       "say \"hello\"\n");
  without = write_lesson (dir, "bare", "say hello\n");
  broken = write_lesson (dir, "broken.forkscope", "# Broken\n\nfrobnicate everything\n");

  lesson = fs_lesson_new_from_file (with, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (fs_lesson_get_name (lesson), ==, "mine");
  g_assert_cmpstr (fs_lesson_get_path (lesson), ==, with);
  g_assert_cmpstr (fs_lesson_get_title (lesson), ==, "My own lesson");
  paragraphs = fs_lesson_get_paragraphs (lesson);
  g_assert_cmpuint (g_strv_length ((char **) paragraphs), ==, 2);
  g_assert_cmpstr (paragraphs[0], ==, "The first paragraph, on two lines.");
  g_assert_cmpstr (paragraphs[1], ==, "The second.");
  explanation = fs_lesson_dup_explanation (lesson);
  g_assert_cmpstr (explanation, ==, "The first paragraph, on two lines.\n\nThe second.");
  g_clear_pointer (&explanation, g_free);

  /* No header: the file's name is the title, and nothing to explain. */
  bare = fs_lesson_new_from_file (without, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (fs_lesson_get_name (bare), ==, "bare");
  g_assert_cmpstr (fs_lesson_get_title (bare), ==, "bare");
  g_assert_null (fs_lesson_get_paragraphs (bare)[0]);
  explanation = fs_lesson_dup_explanation (bare);
  g_assert_cmpstr (explanation, ==, "");

  /* A script that does not parse is an error, with its line. */
  none = fs_lesson_new_from_file (broken, NULL, &error);
  g_assert_null (none);
  g_assert_error (error, FS_SCRIPT_ERROR, FS_SCRIPT_ERROR_UNKNOWN_STATEMENT);
  g_assert_nonnull (strstr (error->message, "broken.forkscope:3:"));

  g_assert_cmpint (g_unlink (with), ==, 0);
  g_assert_cmpint (g_unlink (without), ==, 0);
  g_assert_cmpint (g_unlink (broken), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static void
test_by_name (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FsPluginRegistry) registry = fs_plugin_registry_new ();
  g_autoptr(FsLesson) lesson = NULL;
  FsLesson *missing;

  missing = fs_lesson_new_for_name ("no-such-lesson", NULL, &error);
  g_assert_null (missing);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "no-such-lesson"));
  g_clear_error (&error);

  /* Names, not paths. */
  missing = fs_lesson_new_for_name ("../lessons/zombie", NULL, &error);
  g_assert_null (missing);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* With a registry the script is checked, ready to run. */
  g_assert_true (fs_plugin_registry_load_sync (registry, &error));
  g_assert_no_error (error);
  lesson = fs_lesson_new_for_name ("pool", registry, &error);
  g_assert_no_error (error);
  g_assert_true (fs_script_get_checked (fs_lesson_get_script (lesson)));
  g_assert_cmpstr (fs_lesson_get_title (lesson), ==, "A pool of eight workers");
}

int
main (int   argc,
      char *argv[])
{
  /* C.UTF-8 from the test environment: LANGUAGE works under it. */
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, fs_paths_get_localedir ());
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  g_unsetenv ("LANGUAGE");

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/forkscope/lesson/builtin", test_builtin);
  g_test_add_func ("/forkscope/lesson/points", test_points);
  g_test_add_func ("/forkscope/lesson/extracted", test_extracted);
  g_test_add_func ("/forkscope/lesson/translated", test_translated);
  g_test_add_func ("/forkscope/lesson/header", test_header);
  g_test_add_func ("/forkscope/lesson/by-name", test_by_name);

  return g_test_run ();
}
