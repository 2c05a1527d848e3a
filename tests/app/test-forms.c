/* test-forms.c: worker definitions, their store, the worker dialog and the
 * definitions sidebar, with the real plugins from the build tree.
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <adwaita.h>

#include "fs-definition-row.h"
#include "fs-definition-store.h"
#include "fs-definitions-sidebar.h"
#include "fs-param-row.h"
#include "fs-paths.h"
#include "fs-script.h"
#include "fs-worker-definition.h"
#include "fs-worker-dialog.h"

#define TIMEOUT_SECONDS 20

static FsPluginRegistry *registry;

/* ------------------------------------------------------------------ */
/* Helpers                                                             */

typedef gboolean (*Condition) (gpointer data);

static gboolean
timed_out_cb (gpointer data)
{
  *(gboolean *)data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Iterates the main loop until @condition holds; fails the test after
 * TIMEOUT_SECONDS. */
static void
wait_for (Condition   condition,
          gpointer    data,
          const char *what)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (TIMEOUT_SECONDS, timed_out_cb, &timed_out);

  while (!condition (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (timed_out)
    g_error ("Timed out after %d s waiting for %s", TIMEOUT_SECONDS, what);

  g_source_remove (id);
}

static gboolean
widget_is_mapped (gpointer data)
{
  return gtk_widget_get_mapped (data);
}

static gboolean
pointer_is_null (gpointer data)
{
  return *(gpointer *)data == NULL;
}

static gboolean
flag_is_set (gpointer data)
{
  return *(gboolean *)data;
}

/* Lets pending idles (layout, list view rows) run, bounded. */
static void
drain (void)
{
  for (guint i = 0; i < 100 && g_main_context_pending (NULL); i++)
    g_main_context_iteration (NULL, FALSE);
}

typedef gboolean (*WidgetPredicate) (GtkWidget     *widget,
                                     gconstpointer  data);

static GtkWidget *
find_widget (GtkWidget       *root,
             WidgetPredicate  predicate,
             gconstpointer    data)
{
  if (predicate (root, data))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, predicate, data);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static gboolean
is_button_with_action (GtkWidget     *widget,
                       gconstpointer  data)
{
  return GTK_IS_BUTTON (widget) &&
         g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), data) == 0;
}

static gboolean
is_action_row_titled (GtkWidget     *widget,
                      gconstpointer  data)
{
  return ADW_IS_ACTION_ROW (widget) &&
         g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), data) == 0;
}

static gboolean
is_label_with_text (GtkWidget     *widget,
                    gconstpointer  data)
{
  return GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)), data) == 0;
}

static gboolean
is_definition_row_named (GtkWidget     *widget,
                         gconstpointer  data)
{
  FsWorkerDefinition *definition;

  if (!FS_IS_DEFINITION_ROW (widget))
    return FALSE;

  definition = fs_definition_row_get_definition (FS_DEFINITION_ROW (widget));
  return definition != NULL && g_strcmp0 (fs_worker_definition_get_name (definition), data) == 0;
}

static gboolean
is_stack_with_page (GtkWidget     *widget,
                    gconstpointer  data)
{
  return GTK_IS_STACK (widget) && gtk_stack_get_child_by_name (GTK_STACK (widget), data) != NULL;
}

static gboolean
is_button_labelled (GtkWidget     *widget,
                    gconstpointer  data)
{
  return GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), data) == 0;
}

/* What a click does. (gtk_widget_activate() would also work, but a
 * button animates its press for a quarter second before "clicked".) */
static void
click (GtkWidget *button)
{
  g_assert_true (GTK_IS_BUTTON (button));
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

static gboolean
is_visible_warning_icon (GtkWidget     *widget,
                         gconstpointer  data)
{
  return GTK_IS_IMAGE (widget) && gtk_widget_get_visible (widget) &&
         g_strcmp0 (gtk_image_get_icon_name (GTK_IMAGE (widget)), "dialog-warning-symbolic") == 0;
}

static gboolean
sidebar_shows_gone (gpointer data)
{
  return find_widget (data, is_definition_row_named, "gone") != NULL;
}

static char *
make_tmpdir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("forkscope-forms-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

/* Removes @dir and the files this test put in it (no recursion into
 * anything else: the test only ever creates plain files and symlinks). */
static void
remove_tmpdir (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  if (handle == NULL)
    return;

  while ((name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        g_assert_cmpint (g_rmdir (path), ==, 0);
      else
        g_assert_cmpint (g_unlink (path), ==, 0);
    }
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static char *
read_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  return contents;
}

static void
write_file (const char *path,
            const char *contents)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
}

static FsWorkerDefinition *
get_definition (GListModel *model,
                guint       position)
{
  FsWorkerDefinition *definition = g_list_model_get_item (model, position);

  g_assert_nonnull (definition);
  /* The model holds a reference; the caller borrows. */
  g_object_unref (definition);
  return definition;
}

static void
assert_strv (const char * const *actual,
             const char * const *expected)
{
  g_autofree char *a = g_strjoinv (" | ", (char **)actual);
  g_autofree char *e = g_strjoinv (" | ", (char **)expected);

  g_assert_cmpstr (a, ==, e);
}

/* ------------------------------------------------------------------ */
/* FsWorkerDefinition                                                  */

static void
test_definition_line (void)
{
  const char * const args[] = { "seconds=4", "message=study python", "quote=it's \"$HOME\"", NULL };
  g_autoptr(FsWorkerDefinition) definition = fs_worker_definition_new ("th3", "tutorial.sleep_print", TRUE, args);
  g_autoptr(FsWorkerDefinition) back = NULL;
  g_autoptr(FsWorkerDefinition) bare = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = fs_worker_definition_to_line (definition);
  g_autofree char *formatted = NULL;

  g_assert_cmpstr (line, ==,
                   "process th3 tutorial.sleep_print daemon seconds=4 message='study python' "
                   "quote=\"it's \\\"\\$HOME\\\"\"");

  back = fs_worker_definition_new_from_line (line, &error);
  g_assert_no_error (error);
  g_assert_true (fs_worker_definition_equal (definition, back));
  g_assert_cmpstr (fs_worker_definition_get_arg (back, "quote"), ==, "it's \"$HOME\"");
  g_assert_null (fs_worker_definition_get_arg (back, "missing"));

  /* The app.spawn form: without the keyword. */
  bare = fs_worker_definition_new_from_line ("th1 tutorial.sleep_print seconds=3 message=EAT", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (fs_worker_definition_get_name (bare), ==, "th1");
  g_assert_false (fs_worker_definition_get_daemon (bare));
  formatted = fs_worker_definition_format_args (bare);
  g_assert_cmpstr (formatted, ==, "seconds=3 message=EAT");

  /* Every refusal says what is wrong (the script engine's messages). */
  g_assert_null (fs_worker_definition_new_from_line ("process th1", &error));
  g_assert_error (error, FS_SCRIPT_ERROR, FS_SCRIPT_ERROR_SYNTAX);
  g_clear_error (&error);
  g_assert_null (fs_worker_definition_new_from_line ("process th1 nodot", &error));
  g_assert_error (error, FS_SCRIPT_ERROR, FS_SCRIPT_ERROR_SYNTAX);
  g_assert_nonnull (strstr (error->message, "nodot"));
  g_clear_error (&error);
  g_assert_null (fs_worker_definition_new_from_line ("process th1 a.b seconds", &error));
  g_assert_error (error, FS_SCRIPT_ERROR, FS_SCRIPT_ERROR_SYNTAX);
  g_clear_error (&error);
  g_assert_null (fs_worker_definition_new_from_line ("process 'th1 a.b", &error));
  g_assert_error (error, FS_SCRIPT_ERROR, FS_SCRIPT_ERROR_SYNTAX);
  g_clear_error (&error);
  g_assert_null (fs_worker_definition_new_from_line ("process 1th a.b", &error));
  g_assert_error (error, FS_SCRIPT_ERROR, FS_SCRIPT_ERROR_SYNTAX);
  g_clear_error (&error);
}

static void
test_definition_names (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *long_name = g_strnfill (65, 'a');

  g_assert_true (fs_worker_definition_check_name ("th1", NULL));
  g_assert_true (fs_worker_definition_check_name ("_worker-2.b", NULL));
  g_assert_true (fs_worker_definition_check_name ("进程", NULL));

  g_assert_false (fs_worker_definition_check_name ("", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (fs_worker_definition_check_name ("two words", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (fs_worker_definition_check_name ("self", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (fs_worker_definition_check_name (long_name, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  /* A refusal of what a name is made of names the culprit and says what
   * is allowed: "Worker-N" is ASCII, but any language's letters are
   * fine, which nobody would guess. */
  g_assert_false (fs_worker_definition_check_name ("two words", &error));
  g_assert_cmpstr (error->message, ==,
                   "A name cannot contain spaces: use letters of any language, digits, "
                   "“_”, “-” and “.”, starting with a letter or “_”");
  g_clear_error (&error);
  g_assert_false (fs_worker_definition_check_name ("1st", &error));
  g_assert_cmpstr (error->message, ==,
                   "A name cannot start with “1”: use letters of any language, digits, "
                   "“_”, “-” and “.”, starting with a letter or “_”");
  g_clear_error (&error);
  g_assert_false (fs_worker_definition_check_name ("进程/2", &error));
  g_assert_cmpstr (error->message, ==,
                   "A name cannot contain “/”: use letters of any language, digits, "
                   "“_”, “-” and “.”, starting with a letter or “_”");
  g_clear_error (&error);
  g_assert_false (fs_worker_definition_check_name ("", &error));
  g_assert_nonnull (strstr (error->message, "letters of any language"));
  g_clear_error (&error);
}

static void
test_definition_style_message (void)
{
  const struct {
    const char *message;
    const char *function;
    const char *styled;
  } cases[] = {
    { "tutorial.sleep_print: parameter \"seconds\" must be a number between 0 and 3600, not \"abc\"",
      "tutorial.sleep_print",
      "Parameter “seconds” must be a number between 0 and 3600, not “abc”" },
    /* Without the function, or another one, the prefix stays. */
    { "basics.sleep: unknown parameter \"minutes\" (known: seconds)", NULL,
      "Basics.sleep: unknown parameter “minutes” (known: seconds)" },
    { "basics.sleep: unknown parameter \"minutes\" (known: seconds)", "basics.exit",
      "Basics.sleep: unknown parameter “minutes” (known: seconds)" },
    /* Quotes inside a value stay straight; empty and odd values read. */
    { "f.g: parameter \"x\" must be a number, not \"\"", "f.g",
      "Parameter “x” must be a number, not “”" },
    { "f.g: parameter \"x\" must be a number, not \"a\"b\"", "f.g",
      "Parameter “x” must be a number, not “a\"b”" },
    { "f.g: parameter \"x\" must be a number, not \" 1\"", "f.g",
      "Parameter “x” must be a number, not “ 1”" },
    /* A translation's full-width colon; curly quotes already. */
    { "f.g：参数“x”必须是数，而不是“abc”", "f.g", "参数“x”必须是数，而不是“abc”" },
    /* Already the app's style: unchanged. */
    { "There is already a worker called “th1”", NULL, "There is already a worker called “th1”" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *styled = fs_worker_definition_style_message (cases[i].message, cases[i].function);

      g_assert_cmpstr (styled, ==, cases[i].styled);
    }
}

/* A definition is checked against the registry as the worker would
 * check it: the function must exist and be available, the arguments
 * must pass its spec; the reason is in the app's style. */
static void
test_definition_check (void)
{
  const char * const good_args[] = { "seconds=1.50", "message=hi", NULL };
  const char * const bad_args[] = { "seconds=abc", "message=hi", NULL };
  const char * const unknown_args[] = { "minutes=2", NULL };
  g_autoptr(FsWorkerDefinition) definition = fs_worker_definition_new ("th1", "tutorial.sleep_print", FALSE, good_args);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) checked = NULL;
  FsFunctionInfo *info = NULL;

  checked = fs_worker_definition_check (definition, registry, &info, &error);
  g_assert_no_error (error);
  g_assert_true (info == fs_plugin_registry_lookup (registry, "tutorial.sleep_print"));
  assert_strv ((const char * const *)checked, (const char *[]) { "seconds=1.5", "message=hi", NULL });
  g_clear_pointer (&checked, g_strfreev);

  fs_worker_definition_set_args (definition, bad_args);
  g_assert_null (fs_worker_definition_check (definition, registry, &info, &error));
  g_assert_null (info);
  g_assert_error (error, FS_PLUGIN_ERROR, FS_PLUGIN_ERROR_INVALID_VALUE);
  g_assert_cmpstr (error->message, ==, "Parameter “seconds” must be a number between 0 and 3600, not “abc”");
  g_clear_error (&error);

  fs_worker_definition_set_args (definition, unknown_args);
  g_assert_null (fs_worker_definition_check (definition, registry, NULL, &error));
  g_assert_error (error, FS_PLUGIN_ERROR, FS_PLUGIN_ERROR_UNKNOWN_PARAMETER);
  g_assert_nonnull (strstr (error->message, "“minutes”"));
  g_clear_error (&error);

  fs_worker_definition_set_function (definition, "nosuch.thing");
  g_assert_null (fs_worker_definition_check (definition, registry, NULL, &error));
  g_assert_error (error, FS_PLUGIN_ERROR, FS_PLUGIN_ERROR_UNKNOWN_FUNCTION);
  g_assert_cmpstr (error->message, ==, "No plugin provides nosuch.thing");
  g_clear_error (&error);
}

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 guint      *count)
{
  (*count)++;
}

static void
count_items_changed_cb (GListModel *model,
                        guint       position,
                        guint       removed,
                        guint       added,
                        guint      *count)
{
  (*count)++;
}

static void
test_definition_notify (void)
{
  const char * const args[] = { "seconds=1", NULL };
  g_autoptr(FsWorkerDefinition) definition = fs_worker_definition_new ("a", "x.y", FALSE, NULL);
  g_autoptr(FsWorkerDefinition) other = fs_worker_definition_new ("b", "x.z", TRUE, args);
  guint notified = 0;

  g_assert_nonnull (fs_worker_definition_get_args (definition));
  g_assert_null (fs_worker_definition_get_args (definition)[0]);

  g_signal_connect (definition, "notify::name", G_CALLBACK (count_notify_cb), &notified);

  /* Only real changes notify. */
  fs_worker_definition_set_name (definition, "a");
  g_assert_cmpuint (notified, ==, 0);
  fs_worker_definition_set_name (definition, "c");
  g_assert_cmpuint (notified, ==, 1);

  fs_worker_definition_assign (definition, other);
  g_assert_cmpuint (notified, ==, 2);
  g_assert_true (fs_worker_definition_equal (definition, other));
  g_assert_cmpstr (fs_worker_definition_get_arg (definition, "seconds"), ==, "1");
}

/* ------------------------------------------------------------------ */
/* FsDefinitionStore                                                   */

static void
saved_cb (FsDefinitionStore *store,
          gboolean          *saved)
{
  *saved = TRUE;
}

static void
test_store_round_trip (void)
{
  g_autofree char *dir = make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "sub", "workers.forkscope", NULL);
  g_autofree char *subdir = g_path_get_dirname (path);
  g_autofree char *contents = NULL;
  g_autoptr(FsDefinitionStore) store = fs_definition_store_new (path);
  g_autoptr(FsDefinitionStore) reloaded = fs_definition_store_new (path);
  g_autoptr(GError) error = NULL;
  const char * const odd_args[] = { "message=it's \"fine\" $HOME #not-a-comment", "seconds=0.5", NULL };
  g_autoptr(FsWorkerDefinition) odd = fs_worker_definition_new ("进程-1", "tutorial.sleep_print", TRUE, odd_args);
  g_autoptr(FsScript) script = NULL;
  const FsScriptProcessDef *def;

  g_assert_cmpstr (fs_definition_store_get_path (store), ==, path);

  fs_definition_store_add_tutorial_workers (store);
  fs_definition_store_append (store, odd);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 4);

  g_assert_true (fs_definition_store_save (store, &error));
  g_assert_no_error (error);

  contents = read_file (path);
  g_assert_true (g_str_has_prefix (contents, "# Forkscope worker definitions\n"));
  g_assert_nonnull (strstr (contents, "\nprocess th1 tutorial.sleep_print seconds=3 message=EAT\n"));
  g_assert_nonnull (strstr (contents, "\nprocess th3 tutorial.sleep_print seconds=4 message='study python'\n"));

  /* The saved set is a script the engine reads, and checks, as written. */
  script = fs_script_new_from_file (path, registry, &error);
  g_assert_no_error (error);
  def = fs_script_lookup_process (script, "进程-1");
  g_assert_nonnull (def);
  g_assert_true (def->daemon);
  assert_strv ((const char * const *)def->args, odd_args);

  g_assert_true (fs_definition_store_load (reloaded, &error));
  g_assert_no_error (error);
  g_assert_false (fs_definition_store_get_first_run (reloaded));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (reloaded)), ==, 4);
  for (guint i = 0; i < 4; i++)
    g_assert_true (fs_worker_definition_equal (get_definition (G_LIST_MODEL (store), i),
                                               get_definition (G_LIST_MODEL (reloaded), i)));

  g_clear_object (&store);
  g_clear_object (&reloaded);
  remove_tmpdir (subdir);
  remove_tmpdir (dir);
}

static void
test_store_first_run_and_autosave (void)
{
  g_autofree char *dir = make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "workers.forkscope", NULL);
  g_autoptr(FsDefinitionStore) store = fs_definition_store_new (path);
  g_autoptr(FsDefinitionStore) reloaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  FsWorkerDefinition *th2;
  gboolean saved = FALSE;
  guint changed = 0;

  fs_definition_store_set_save_delay (store, 10);
  g_signal_connect (store, "saved", G_CALLBACK (saved_cb), &saved);

  /* No file: the tutorial's three workers, saved. */
  g_assert_true (fs_definition_store_load (store, &error));
  g_assert_no_error (error);
  g_assert_true (fs_definition_store_get_first_run (store));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 3);
  th2 = get_definition (G_LIST_MODEL (store), 1);
  g_assert_cmpstr (fs_worker_definition_get_name (th2), ==, "th2");
  g_assert_cmpstr (fs_worker_definition_get_function (th2), ==, "tutorial.sleep_print");
  assert_strv (fs_worker_definition_get_args (th2), (const char *[]) { "seconds=2", "message=sleep", NULL });
  g_assert_cmpstr (fs_worker_definition_get_arg (get_definition (G_LIST_MODEL (store), 2), "message"),
                   ==, "study python");
  wait_for (flag_is_set, &saved, "the first save");
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));

  /* A property change is a change of the model, and is saved. */
  g_signal_connect (store, "items-changed", G_CALLBACK (count_items_changed_cb), &changed);
  saved = FALSE;
  fs_worker_definition_set_daemon (th2, TRUE);
  g_assert_cmpuint (changed, ==, 1);
  wait_for (flag_is_set, &saved, "the save after a change");
  contents = read_file (path);
  g_assert_nonnull (strstr (contents, "\nprocess th2 tutorial.sleep_print daemon seconds=2 message=sleep\n"));

  /* What is pending when the store goes away is written, not lost. */
  fs_definition_store_set_save_delay (store, 60 * 1000);
  fs_worker_definition_set_name (th2, "second");
  g_assert_finalize_object (g_steal_pointer (&store));

  reloaded = fs_definition_store_new (path);
  g_assert_true (fs_definition_store_load (reloaded, &error));
  g_assert_false (fs_definition_store_get_first_run (reloaded));
  g_assert_nonnull (fs_definition_store_lookup (reloaded, "second"));
  g_assert_true (fs_worker_definition_get_daemon (fs_definition_store_lookup (reloaded, "second")));

  /* An emptied store stays empty: no seeding once the file exists. */
  fs_definition_store_remove_all (reloaded);
  g_assert_true (fs_definition_store_save (reloaded, &error));
  g_clear_object (&reloaded);
  reloaded = fs_definition_store_new (path);
  g_assert_true (fs_definition_store_load (reloaded, &error));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (reloaded)), ==, 0);
  g_clear_object (&reloaded);

  remove_tmpdir (dir);
}

static void
test_store_broken_file (void)
{
  static const char broken[] =
    "# my workers\n"
    "process th1 tutorial.sleep_print seconds=3 message=EAT\n"
    "process 'unterminated tutorial.sleep_print\n"
    "start th1\n"
    "process 1bad tutorial.sleep_print\n"
    "process th1 tutorial.sleep_print seconds=1\n"
    "process bad-utf8 tutorial.sleep_print message=\xff\xfe\n"
    "\n"
    "   process   ok   basics.sleep   seconds=0.5   \r\n";
  g_autofree char *dir = make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "workers.forkscope", NULL);
  g_autofree char *bak = g_build_filename (dir, "workers.forkscope.bak", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *bak_contents = NULL;
  g_autoptr(FsDefinitionStore) store = fs_definition_store_new (path);
  g_autoptr(GError) error = NULL;

  write_file (path, broken);

  /* Everything readable is loaded; every problem is reported with its
   * line; the original is kept. */
  g_assert_false (fs_definition_store_load (store, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_nonnull (strstr (error->message, "Line 3:"));
  g_assert_nonnull (strstr (error->message, "Line 4:"));
  g_assert_nonnull (strstr (error->message, "Line 5:"));
  g_assert_nonnull (strstr (error->message, "Line 6:"));
  g_assert_nonnull (strstr (error->message, "Line 7:"));
  g_assert_null (strstr (error->message, "Line 2:"));
  g_assert_null (strstr (error->message, "Line 9:"));
  g_assert_nonnull (strstr (error->message, bak));
  g_assert_false (fs_definition_store_get_first_run (store));

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 3);
  g_assert_cmpstr (fs_worker_definition_get_name (get_definition (G_LIST_MODEL (store), 0)), ==, "th1");
  g_assert_cmpstr (fs_worker_definition_get_name (get_definition (G_LIST_MODEL (store), 1)), ==, "th1-2");
  g_assert_cmpstr (fs_worker_definition_get_name (get_definition (G_LIST_MODEL (store), 2)), ==, "ok");
  g_assert_cmpstr (fs_worker_definition_get_arg (get_definition (G_LIST_MODEL (store), 2), "seconds"), ==, "0.5");

  bak_contents = read_file (bak);
  g_assert_cmpstr (bak_contents, ==, broken);
  /* Loading alone does not touch the file. */
  contents = read_file (path);
  g_assert_cmpstr (contents, ==, broken);
  g_clear_pointer (&contents, g_free);

  /* The next save writes what was read; the backup stays. */
  g_assert_true (fs_definition_store_save (store, NULL));
  contents = read_file (path);
  g_assert_nonnull (strstr (contents, "\nprocess th1-2 tutorial.sleep_print seconds=1\n"));
  g_assert_null (strstr (contents, "unterminated"));
  g_clear_pointer (&bak_contents, g_free);
  bak_contents = read_file (bak);
  g_assert_cmpstr (bak_contents, ==, broken);

  g_clear_object (&store);
  remove_tmpdir (dir);
}

static void
test_store_unreadable (void)
{
  g_autofree char *dir = make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "workers.forkscope", NULL);
  g_autoptr(FsDefinitionStore) store = fs_definition_store_new (path);
  g_autoptr(GError) error = NULL;

  /* A directory where the file should be: unreadable as a file. Nothing
   * may replace it. */
  g_assert_cmpint (g_mkdir (path, 0700), ==, 0);

  g_assert_false (fs_definition_store_load (store, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, path));
  g_clear_error (&error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 0);

  g_assert_false (fs_definition_store_save (store, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_DIR));

  g_clear_object (&store);
  remove_tmpdir (dir);
}

static void
test_store_names (void)
{
  g_autofree char *dir = make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "workers.forkscope", NULL);
  g_autoptr(FsDefinitionStore) store = fs_definition_store_new (path);
  g_autofree char *name = NULL;
  g_autofree char *copy = NULL;
  g_autofree char *copy_of_copy = NULL;
  g_autoptr(FsWorkerDefinition) worker4 = fs_worker_definition_new ("Worker-4", "a.b", FALSE, NULL);

  name = fs_definition_store_dup_unique_name (store, "Worker");
  g_assert_cmpstr (name, ==, "Worker-1");
  g_clear_pointer (&name, g_free);

  fs_definition_store_add_tutorial_workers (store);
  name = fs_definition_store_dup_unique_name (store, "Worker");
  g_assert_cmpstr (name, ==, "Worker-4");
  g_clear_pointer (&name, g_free);

  fs_definition_store_append (store, worker4);
  name = fs_definition_store_dup_unique_name (store, "Worker");
  g_assert_cmpstr (name, ==, "Worker-5");

  copy = fs_definition_store_dup_copy_name (store, "th1");
  g_assert_cmpstr (copy, ==, "th1-2");
  /* The copy of a copy counts on from the original's name. */
  fs_worker_definition_set_name (worker4, "th1-2");
  copy_of_copy = fs_definition_store_dup_copy_name (store, "th1-2");
  g_assert_cmpstr (copy_of_copy, ==, "th1-3");

  fs_definition_store_remove (store, 3);
  g_assert_false (fs_definition_store_find (store, worker4, NULL));

  g_clear_object (&store);
  remove_tmpdir (dir);
}

/* ------------------------------------------------------------------ */
/* FsWorkerDialog                                                      */

/* The dialog's own Enter handler (a capture-phase key controller), fed a
 * key press as GTK would deliver it. */
static gboolean
press_enter (GtkWidget *window)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (window);
  gboolean handled = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_EVENT_CONTROLLER_KEY (controller) &&
          gtk_event_controller_get_propagation_phase (controller) == GTK_PHASE_CAPTURE)
        {
          g_signal_emit_by_name (controller, "key-pressed", GDK_KEY_Return, 0, 0, &handled);
          return handled;
        }
    }

  g_assert_not_reached ();
}

/* Activates what @window's shortcuts bind to Escape. */
static gboolean
press_escape (GtkWidget *window)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (window);
  g_autoptr(GtkShortcutTrigger) escape = gtk_keyval_trigger_new (GDK_KEY_Escape, 0);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;

      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);

          if (gtk_shortcut_trigger_equal (gtk_shortcut_get_trigger (shortcut), escape))
            return gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), 0, window,
                                                 gtk_shortcut_get_arguments (shortcut));
        }
    }

  return FALSE;
}


static GtkWidget *
dialog_save_button (FsWorkerDialog *dialog)
{
  GtkWidget *button = find_widget (GTK_WIDGET (dialog), is_button_with_action, "dialog.save");

  g_assert_nonnull (button);
  return button;
}

static void
dialog_saved_cb (FsWorkerDialog      *dialog,
                 FsWorkerDefinition  *definition,
                 FsWorkerDefinition **out)
{
  g_set_object (out, definition);
}

static GtkWidget *
param_control (FsWorkerDialog *dialog,
               const char     *param)
{
  GtkWidget *row = fs_worker_dialog_get_param_row (dialog, param);

  g_assert_nonnull (row);
  return fs_param_row_get_control (FS_PARAM_ROW (row));
}

/* Every parameter of @function is a row with the widget its type calls
 * for, its range, its default and its description. */
static void
assert_rows_match_spec (FsWorkerDialog *dialog,
                        const char     *function)
{
  FsFunctionInfo *info = fs_plugin_registry_lookup (registry, function);

  g_assert_nonnull (info);
  g_assert_cmpuint (fs_function_info_get_n_params (info), >, 0);

  for (guint i = 0; i < fs_function_info_get_n_params (info); i++)
    {
      const FsParamInfo *param = fs_function_info_get_param (info, i);
      FsParamRow *row = FS_PARAM_ROW (fs_worker_dialog_get_param_row (dialog, param->name));
      GtkWidget *control = fs_param_row_get_control (row);
      g_autofree char *text = fs_param_row_dup_text (row);

      g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, param->name);
      g_assert_cmpstr (fs_param_row_get_subtitle (row), ==, param->description);
      g_assert_cmpstr (text, ==, param->default_value);
      g_assert_true (fs_param_row_get_valid (row));
      g_assert_null (fs_param_row_get_error (row));
      g_assert_false (gtk_widget_has_css_class (control, "error"));

      switch (param->type)
        {
        case FS_PARAM_INT:
        case FS_PARAM_DOUBLE:
          {
            GtkAdjustment *adjustment;

            g_assert_true (GTK_IS_SPIN_BUTTON (control));
            adjustment = gtk_spin_button_get_adjustment (GTK_SPIN_BUTTON (control));
            if (param->min != 0 || param->max != 0)
              {
                g_assert_cmpfloat (gtk_adjustment_get_lower (adjustment), ==, param->min);
                g_assert_cmpfloat (gtk_adjustment_get_upper (adjustment), ==, param->max);
              }
            g_assert_cmpfloat (gtk_adjustment_get_value (adjustment), ==, g_ascii_strtod (param->default_value, NULL));
            if (param->type == FS_PARAM_INT)
              g_assert_cmpuint (gtk_spin_button_get_digits (GTK_SPIN_BUTTON (control)), ==, 0);
          }
          break;

        case FS_PARAM_BOOL:
          g_assert_true (GTK_IS_SWITCH (control));
          g_assert_cmpint (gtk_switch_get_active (GTK_SWITCH (control)), ==, g_str_equal (param->default_value, "true"));
          break;

        case FS_PARAM_ENUM:
          {
            GListModel *choices;
            GtkStringObject *selected;

            g_assert_true (GTK_IS_DROP_DOWN (control));
            choices = gtk_drop_down_get_model (GTK_DROP_DOWN (control));
            g_assert_cmpuint (g_list_model_get_n_items (choices), ==, g_strv_length (param->choices));
            selected = gtk_drop_down_get_selected_item (GTK_DROP_DOWN (control));
            g_assert_cmpstr (gtk_string_object_get_string (selected), ==, param->default_value);
          }
          break;

        case FS_PARAM_STRING:
        default:
          g_assert_true (GTK_IS_ENTRY (control));
          g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (control)), ==, param->default_value);
          break;
        }
    }
}

static void
test_dialog_new_worker (void)
{
  g_autofree char *dir = make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "workers.forkscope", NULL);
  g_autoptr(FsDefinitionStore) store = fs_definition_store_new (path);
  g_autoptr(FsWorkerDefinition) saved = NULL;
  g_autoptr(GError) expected = NULL;
  g_autofree char *expected_message = NULL;
  FsFunctionInfo *info = fs_plugin_registry_lookup (registry, "tutorial.sleep_print");
  const FsParamInfo *seconds_info;
  FsWorkerDialog *dialog;
  FsParamRow *seconds_row;
  GtkWidget *seconds;
  GtkWidget *picker_row;
  GtkWidget *save_button;
  FsWorkerDefinition *definition;

  fs_definition_store_add_tutorial_workers (store);

  dialog = fs_worker_dialog_new (registry, store, NULL);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *)&dialog);
  g_signal_connect (dialog, "saved", G_CALLBACK (dialog_saved_cb), &saved);
  gtk_window_present (GTK_WINDOW (dialog));
  wait_for (widget_is_mapped, dialog, "the dialog to map");

  /* A new worker starts at the picker, with a free default name and
   * nothing to save yet. */
  g_assert_null (fs_worker_dialog_get_definition (dialog));
  g_assert_null (fs_worker_dialog_get_function (dialog));
  g_assert_false (fs_worker_dialog_get_can_save (dialog));
  save_button = dialog_save_button (dialog);
  g_assert_false (gtk_widget_is_sensitive (save_button));
  g_assert_cmpstr (fs_param_row_get_value (FS_PARAM_ROW (fs_worker_dialog_get_name_row (dialog))), ==, "Worker-4");

  /* Functions are grouped by plugin, each with its summary. */
  picker_row = find_widget (GTK_WIDGET (dialog), is_action_row_titled, "sleep_print");
  g_assert_nonnull (picker_row);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (picker_row)), ==, fs_function_info_get_summary (info));
  g_assert_nonnull (find_widget (GTK_WIDGET (dialog), is_label_with_text, "tutorial"));
  g_assert_nonnull (find_widget (GTK_WIDGET (dialog), is_action_row_titled, "zombie"));

  /* Pick it as a user does: activate its row. */
  gtk_widget_activate (picker_row);
  g_assert_cmpstr (fs_worker_dialog_get_function (dialog), ==, "tutorial.sleep_print");
  g_assert_true (fs_worker_dialog_get_can_save (dialog));
  g_assert_true (gtk_widget_is_sensitive (save_button));
  assert_rows_match_spec (dialog, "tutorial.sleep_print");

  /* An invalid value is refused: marked, explained with the spec's own
   * message, and the form cannot be saved. */
  seconds_row = FS_PARAM_ROW (fs_worker_dialog_get_param_row (dialog, "seconds"));
  seconds = param_control (dialog, "seconds");
  seconds_info = fs_function_info_lookup_param (info, "seconds");
  g_assert_null (fs_param_info_check_value (seconds_info, "tutorial.sleep_print", "-5", &expected));
  g_assert_nonnull (expected);
  gtk_editable_set_text (GTK_EDITABLE (seconds), "-5");
  g_assert_false (fs_param_row_get_valid (seconds_row));
  g_assert_cmpstr (fs_param_row_get_error (seconds_row), ==, expected->message);
  g_assert_true (gtk_widget_has_css_class (seconds, "error"));
  /* Under the row, in the app's style: no function name, a capital,
   * curly quotes (as the name's messages). */
  expected_message = fs_worker_definition_style_message (expected->message, "tutorial.sleep_print");
  g_assert_cmpstr (expected_message, ==, "Parameter “seconds” must be a number between 0 and 3600, not “-5”");
  g_assert_nonnull (find_widget (GTK_WIDGET (seconds_row), is_label_with_text, expected_message));
  g_assert_true (gtk_widget_get_visible (find_widget (GTK_WIDGET (seconds_row), is_label_with_text, expected_message)));
  g_assert_false (fs_worker_dialog_get_can_save (dialog));
  g_assert_false (gtk_widget_is_sensitive (save_button));
  g_assert_false (fs_worker_dialog_save (dialog));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 3);
  g_assert_null (saved);

  gtk_editable_set_text (GTK_EDITABLE (seconds), "soon");
  g_assert_false (fs_param_row_get_valid (seconds_row));
  g_assert_false (gtk_widget_is_sensitive (save_button));

  /* A taken name is refused too. */
  fs_param_row_set_text (FS_PARAM_ROW (fs_worker_dialog_get_name_row (dialog)), "th1");
  g_assert_false (fs_param_row_get_valid (FS_PARAM_ROW (fs_worker_dialog_get_name_row (dialog))));
  g_assert_nonnull (strstr (fs_param_row_get_error (FS_PARAM_ROW (fs_worker_dialog_get_name_row (dialog))), "th1"));

  /* Fixed, everything is accepted. */
  gtk_editable_set_text (GTK_EDITABLE (seconds), "2.5");
  g_assert_true (fs_param_row_get_valid (seconds_row));
  g_assert_false (gtk_widget_has_css_class (seconds, "error"));
  g_assert_false (gtk_widget_is_sensitive (save_button));
  gtk_editable_set_text (GTK_EDITABLE (fs_param_row_get_control (FS_PARAM_ROW (fs_worker_dialog_get_name_row (dialog)))),
                         "th4");
  g_assert_true (gtk_widget_is_sensitive (save_button));
  gtk_editable_set_text (GTK_EDITABLE (param_control (dialog, "message")), "study C");
  gtk_switch_set_active (GTK_SWITCH (fs_worker_dialog_get_daemon_switch (dialog)), TRUE);

  /* Create, as a click does. */
  click (save_button);
  g_assert_nonnull (saved);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 4);
  definition = get_definition (G_LIST_MODEL (store), 3);
  g_assert_true (definition == saved);
  g_assert_cmpstr (fs_worker_definition_get_name (definition), ==, "th4");
  g_assert_cmpstr (fs_worker_definition_get_function (definition), ==, "tutorial.sleep_print");
  g_assert_true (fs_worker_definition_get_daemon (definition));
  assert_strv (fs_worker_definition_get_args (definition),
               (const char *[]) { "seconds=2.5", "message=study C", NULL });

  wait_for (pointer_is_null, &dialog, "the dialog to close");

  g_clear_object (&saved);
  g_assert_true (fs_definition_store_save (store, NULL));
  g_clear_object (&store);
  remove_tmpdir (dir);
}

static void
test_dialog_edit (void)
{
  g_autofree char *dir = make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "workers.forkscope", NULL);
  g_autoptr(FsDefinitionStore) store = fs_definition_store_new (path);
  g_autoptr(FsWorkerDefinition) saved = NULL;
  FsWorkerDefinition *th3;
  FsWorkerDialog *dialog;
  FsParamRow *name_row;
  guint changed = 0;

  fs_definition_store_add_tutorial_workers (store);
  th3 = get_definition (G_LIST_MODEL (store), 2);
  fs_worker_definition_set_args (th3, (const char *[]) { "seconds=4", "message=study python", "gone=1", NULL });

  dialog = fs_worker_dialog_new (registry, store, th3);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *)&dialog);
  g_signal_connect (dialog, "saved", G_CALLBACK (dialog_saved_cb), &saved);
  gtk_window_present (GTK_WINDOW (dialog));
  wait_for (widget_is_mapped, dialog, "the dialog to map");

  /* The form shows the definition. */
  g_assert_true (fs_worker_dialog_get_definition (dialog) == th3);
  g_assert_cmpstr (fs_worker_dialog_get_function (dialog), ==, "tutorial.sleep_print");
  name_row = FS_PARAM_ROW (fs_worker_dialog_get_name_row (dialog));
  g_assert_cmpstr (fs_param_row_get_value (name_row), ==, "th3");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (param_control (dialog, "seconds"))), ==, "4");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (param_control (dialog, "message"))), ==, "study python");
  g_assert_true (fs_worker_dialog_get_can_save (dialog));
  /* The argument the function does not take is shown, not silently lost. */
  g_assert_nonnull (find_widget (GTK_WIDGET (dialog), is_action_row_titled,
                                 "Not parameters of tutorial.sleep_print, dropped on save"));

  /* Its own name is not "taken"; another's is. */
  fs_param_row_set_text (name_row, "th2");
  g_assert_false (fs_worker_dialog_get_can_save (dialog));
  fs_param_row_set_text (name_row, "th3-late");

  gtk_editable_set_text (GTK_EDITABLE (param_control (dialog, "seconds")), "5");
  g_signal_connect (store, "items-changed", G_CALLBACK (count_items_changed_cb), &changed);
  g_assert_true (fs_worker_dialog_save (dialog));

  /* Edited in place: the same object, one batch of changes. */
  g_assert_true (saved == th3);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 3);
  g_assert_true (get_definition (G_LIST_MODEL (store), 2) == th3);
  g_assert_cmpstr (fs_worker_definition_get_name (th3), ==, "th3-late");
  assert_strv (fs_worker_definition_get_args (th3), (const char *[]) { "seconds=5", "message=study python", NULL });
  g_assert_cmpuint (changed, >=, 1);

  wait_for (pointer_is_null, &dialog, "the dialog to close");

  g_clear_object (&saved);
  g_clear_object (&store);
  remove_tmpdir (dir);
}

static void
test_dialog_widgets (void)
{
  FsWorkerDialog *dialog = fs_worker_dialog_new (registry, NULL, NULL);
  FsParamRow *reap_row;
  FsParamRow *stream_row;
  GtkWidget *reap;
  GtkWidget *stream;

  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *)&dialog);
  gtk_window_present (GTK_WINDOW (dialog));
  wait_for (widget_is_mapped, dialog, "the dialog to map");

  /* int, double and enum */
  g_assert_true (fs_worker_dialog_select_function (dialog, "basics.print"));
  assert_rows_match_spec (dialog, "basics.print");
  stream_row = FS_PARAM_ROW (fs_worker_dialog_get_param_row (dialog, "stream"));
  stream = fs_param_row_get_control (stream_row);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (stream), 1);
  g_assert_cmpstr (fs_param_row_get_value (stream_row), ==, "stderr");

  /* A value typed for a parameter of the same name and type survives a
   * change of function. */
  g_assert_true (fs_worker_dialog_select_function (dialog, "basics.sleep"));
  gtk_editable_set_text (GTK_EDITABLE (param_control (dialog, "seconds")), "0.25");

  /* bool and double */
  g_assert_true (fs_worker_dialog_select_function (dialog, "lifecycle.zombie"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (param_control (dialog, "seconds"))), ==, "0.25");
  reap_row = FS_PARAM_ROW (fs_worker_dialog_get_param_row (dialog, "reap"));
  reap = fs_param_row_get_control (reap_row);
  g_assert_true (GTK_IS_SWITCH (reap));
  gtk_switch_set_active (GTK_SWITCH (reap), TRUE);
  g_assert_cmpstr (fs_param_row_get_value (reap_row), ==, "true");
  /* A stored value a switch cannot show is kept and marked... */
  fs_param_row_set_text (reap_row, "maybe");
  g_assert_false (fs_param_row_get_valid (reap_row));
  g_assert_false (fs_worker_dialog_get_can_save (dialog));
  /* ...until the user decides. */
  gtk_switch_set_active (GTK_SWITCH (reap), FALSE);
  g_assert_true (fs_param_row_get_valid (reap_row));
  g_assert_cmpstr (fs_param_row_get_value (reap_row), ==, "false");

  /* Unknown functions are refused; the chosen one stays. */
  g_assert_false (fs_worker_dialog_select_function (dialog, "tutorial.no_such_function"));
  g_assert_cmpstr (fs_worker_dialog_get_function (dialog), ==, "lifecycle.zombie");

  /* The reset button puts every default back. */
  gtk_switch_set_active (GTK_SWITCH (reap), TRUE);
  gtk_widget_activate_action (GTK_WIDGET (dialog), "dialog.reset", NULL);
  assert_rows_match_spec (dialog, "lifecycle.zombie");

  gtk_window_close (GTK_WINDOW (dialog));
  wait_for (pointer_is_null, &dialog, "the dialog to close");
}

static void
test_dialog_keyboard (void)
{
  g_autofree char *dir = make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "workers.forkscope", NULL);
  g_autoptr(FsDefinitionStore) store = fs_definition_store_new (path);
  FsWorkerDialog *dialog;
  GtkWidget *seconds;

  dialog = fs_worker_dialog_new (registry, store, NULL);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *)&dialog);
  gtk_window_present (GTK_WINDOW (dialog));
  wait_for (widget_is_mapped, dialog, "the dialog to map");
  g_assert_true (fs_worker_dialog_select_function (dialog, "tutorial.sleep_print"));

  /* Enter in a spin button holding an invalid value: refused, and the
   * text stays there to be fixed. */
  seconds = param_control (dialog, "seconds");
  gtk_widget_grab_focus (seconds);
  gtk_editable_set_text (GTK_EDITABLE (seconds), "4000");
  g_assert_true (press_enter (GTK_WIDGET (dialog)));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 0);
  g_assert_nonnull (dialog);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (seconds)), ==, "4000");

  /* Fixed, Enter creates the worker and closes the dialog. */
  gtk_editable_set_text (GTK_EDITABLE (seconds), "3");
  g_assert_true (press_enter (GTK_WIDGET (dialog)));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 1);
  g_assert_cmpstr (fs_worker_definition_get_arg (get_definition (G_LIST_MODEL (store), 0), "seconds"), ==, "3");
  wait_for (pointer_is_null, &dialog, "the dialog to close");

  /* Escape cancels: nothing is added. */
  dialog = fs_worker_dialog_new (registry, store, NULL);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *)&dialog);
  gtk_window_present (GTK_WINDOW (dialog));
  wait_for (widget_is_mapped, dialog, "the dialog to map");
  g_assert_true (fs_worker_dialog_select_function (dialog, "tutorial.sleep_print"));
  g_assert_true (press_escape (GTK_WIDGET (dialog)));
  wait_for (pointer_is_null, &dialog, "the dialog to close");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 1);

  g_clear_object (&store);
  remove_tmpdir (dir);
}

static gboolean
is_search_entry (GtkWidget     *widget,
                 gconstpointer  data)
{
  return GTK_IS_SEARCH_ENTRY (widget);
}

typedef struct
{
  FsWorkerDialog *dialog;
  const char     *first;
} SearchWait;

static gboolean
search_shows_first (gpointer data)
{
  SearchWait *wait = data;
  g_auto(GStrv) results = fs_worker_dialog_dup_search_results (wait->dialog);

  return results[0] != NULL && g_str_equal (results[0], wait->first);
}

/* Searches as a user types: sets the text and waits for the search
 * entry's delayed "search-changed" to list @first first. */
static GStrv
search_for (FsWorkerDialog *dialog,
            const char     *text,
            const char     *first)
{
  GtkWidget *entry = find_widget (GTK_WIDGET (dialog), is_search_entry, NULL);
  SearchWait wait = { dialog, first };

  g_assert_nonnull (entry);
  gtk_editable_set_text (GTK_EDITABLE (entry), text);
  wait_for (search_shows_first, &wait, first);

  return fs_worker_dialog_dup_search_results (dialog);
}

static void
test_dialog_search (void)
{
  FsWorkerDialog *dialog = fs_worker_dialog_new (registry, NULL, NULL);
  GtkWidget *entry;
  g_auto(GStrv) results = NULL;

  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *)&dialog);
  gtk_window_present (GTK_WINDOW (dialog));
  wait_for (widget_is_mapped, dialog, "the dialog to map");
  entry = find_widget (GTK_WIDGET (dialog), is_search_entry, NULL);
  g_assert_nonnull (entry);

  /* Not searching: no results list. */
  results = fs_worker_dialog_dup_search_results (dialog);
  g_assert_null (results[0]);
  g_clear_pointer (&results, g_strfreev);

  /* Only the function's own name and summary count, not its plugin's
   * summary ("Zombies, orphans and process trees"). */
  results = search_for (dialog, "zombie", "lifecycle.zombie");
  assert_strv ((const char * const *)results, (const char *[]) { "lifecycle.zombie", NULL });
  g_clear_pointer (&results, g_strfreev);

  /* Exact, then prefix, then a word of the name, then the summary. */
  results = search_for (dialog, "sleep", "basics.sleep");
  g_assert_cmpstr (results[1], ==, "tutorial.sleep_print");
  g_assert_true (g_strv_contains ((const char * const *)results, "basics.exit"));  /* "Sleep, then exit…" */
  g_clear_pointer (&results, g_strfreev);
  results = search_for (dialog, "print", "basics.print");
  g_assert_cmpstr (results[1], ==, "tutorial.sleep_print");
  g_clear_pointer (&results, g_strfreev);
  results = search_for (dialog, "tutorial.fork", "tutorial.fork_test");
  assert_strv ((const char * const *)results,
               (const char *[]) { "tutorial.fork_test", "tutorial.fork_memory", NULL });
  g_clear_pointer (&results, g_strfreev);

  /* Nothing matches: an empty list and Enter picks nothing. */
  results = search_for (dialog, "zombie", "lifecycle.zombie");
  g_clear_pointer (&results, g_strfreev);
  gtk_editable_set_text (GTK_EDITABLE (entry), "xyzzy");
  g_signal_emit_by_name (entry, "activate");
  results = fs_worker_dialog_dup_search_results (dialog);
  g_assert_null (results[0]);
  g_clear_pointer (&results, g_strfreev);
  g_assert_null (fs_worker_dialog_get_function (dialog));

  /* Typing a name and Enter at once (before the entry's delayed
   * "search-changed") picks that function, not the first of an older
   * search. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  gtk_editable_set_text (GTK_EDITABLE (entry), "sleep_print");
  g_signal_emit_by_name (entry, "activate");
  g_assert_cmpstr (fs_worker_dialog_get_function (dialog), ==, "tutorial.sleep_print");

  gtk_window_close (GTK_WINDOW (dialog));
  wait_for (pointer_is_null, &dialog, "the dialog to close");
}

/* A refused number in a spin button is not silently replaced by the
 * last good value when the field is left or Enter pressed (GTK's
 * GTK_UPDATE_IF_VALID): it stays, marked with the checker's message,
 * until the user fixes it. */
static void
assert_spin_keeps (FsWorkerDialog *dialog,
                   const char     *param,
                   const char     *text,
                   const char     *message)
{
  FsParamRow *row = FS_PARAM_ROW (fs_worker_dialog_get_param_row (dialog, param));
  GtkWidget *spin = fs_param_row_get_control (row);
  GtkWidget *name = fs_param_row_get_control (FS_PARAM_ROW (fs_worker_dialog_get_name_row (dialog)));

  gtk_widget_grab_focus (spin);
  gtk_editable_set_text (GTK_EDITABLE (spin), text);
  g_assert_false (fs_param_row_get_valid (row));

  /* What leaving the field and Enter do. */
  gtk_spin_button_update (GTK_SPIN_BUTTON (spin));
  gtk_widget_grab_focus (name);
  drain ();

  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (spin)), ==, text);
  g_assert_false (fs_param_row_get_valid (row));
  g_assert_true (gtk_widget_has_css_class (spin, "error"));
  g_assert_nonnull (find_widget (GTK_WIDGET (row), is_label_with_text, message));
  g_assert_false (fs_worker_dialog_get_can_save (dialog));
  g_assert_false (gtk_widget_is_sensitive (dialog_save_button (dialog)));
}

static void
test_dialog_spin_invalid (void)
{
  g_autofree char *dir = make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "workers.forkscope", NULL);
  g_autoptr(FsDefinitionStore) store = fs_definition_store_new (path);
  FsWorkerDialog *dialog = fs_worker_dialog_new (registry, store, NULL);
  GtkWidget *seconds;
  GtkWidget *code;

  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *)&dialog);
  gtk_window_present (GTK_WINDOW (dialog));
  wait_for (widget_is_mapped, dialog, "the dialog to map");
  g_assert_true (fs_worker_dialog_select_function (dialog, "basics.exit"));
  seconds = param_control (dialog, "seconds");
  code = param_control (dialog, "code");

  assert_spin_keeps (dialog, "seconds", "abc",
                     "Parameter “seconds” must be a number between 0 and 3600, not “abc”");
  assert_spin_keeps (dialog, "seconds", "1e20",
                     "Parameter “seconds” must be a number between 0 and 3600, not “1e20”");
  /* Not rounded to an integer, not clamped. */
  assert_spin_keeps (dialog, "code", "2.5",
                     "Parameter “code” must be an integer between 0 and 255, not “2.5”");
  assert_spin_keeps (dialog, "code", "300",
                     "Parameter “code” must be an integer between 0 and 255, not “300”");

  /* The arrows are a real change: from the last good value. */
  gtk_spin_button_spin (GTK_SPIN_BUTTON (code), GTK_SPIN_STEP_FORWARD, 1);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (code)), ==, "1");
  g_assert_true (fs_param_row_get_valid (FS_PARAM_ROW (fs_worker_dialog_get_param_row (dialog, "code"))));
  g_assert_false (gtk_widget_has_css_class (code, "error"));

  /* Fixed by typing, and kept as typed (normalized) when left. */
  gtk_widget_grab_focus (seconds);
  gtk_editable_set_text (GTK_EDITABLE (seconds), "2.5");
  gtk_spin_button_update (GTK_SPIN_BUTTON (seconds));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (seconds)), ==, "2.5");
  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (seconds)), ==, 2.5);
  g_assert_true (fs_worker_dialog_get_can_save (dialog));

  g_assert_true (fs_worker_dialog_save (dialog));
  assert_strv (fs_worker_definition_get_args (get_definition (G_LIST_MODEL (store), 0)),
               (const char *[]) { "code=1", "seconds=2.5", NULL });
  wait_for (pointer_is_null, &dialog, "the dialog to close");

  g_clear_object (&store);
  remove_tmpdir (dir);
}

typedef struct
{
  GArray     *keys;
  GString    *labels;
} Mnemonics;

/* Collects the mnemonic of every label the user can see in @widget. */
static void
collect_mnemonics (GtkWidget *widget,
                   Mnemonics *mnemonics)
{
  if (!gtk_widget_get_visible (widget) || !gtk_widget_get_child_visible (widget))
    return;

  if (GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget))
    {
      guint keyval = gtk_label_get_mnemonic_keyval (GTK_LABEL (widget));

      if (keyval != GDK_KEY_VoidSymbol)
        {
          keyval = gdk_keyval_to_lower (keyval);
          for (guint i = 0; i < mnemonics->keys->len; i++)
            if (g_array_index (mnemonics->keys, guint, i) == keyval)
              g_error ("Mnemonic %s used twice: %s and “%s”", gdk_keyval_name (keyval),
                       mnemonics->labels->str, gtk_label_get_label (GTK_LABEL (widget)));
          g_array_append_val (mnemonics->keys, keyval);
          g_string_append_printf (mnemonics->labels, "“%s” ", gtk_label_get_label (GTK_LABEL (widget)));
        }
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_mnemonics (child, mnemonics);
}

static guint
assert_unique_mnemonics (GtkWidget *widget)
{
  Mnemonics mnemonics = { g_array_new (FALSE, FALSE, sizeof (guint)), g_string_new (NULL) };
  guint n;

  drain ();
  collect_mnemonics (widget, &mnemonics);
  n = mnemonics.keys->len;
  g_array_unref (mnemonics.keys);
  g_string_free (mnemonics.labels, TRUE);

  return n;
}

/* Every mnemonic the dialog and the sidebar show at one time is unique,
 * in English and in Chinese (where "(_A)" follows the text and is easy
 * to copy twice). The sidebar also keeps clear of the window's own
 * always-shown buttons: _Lessons, _Join, _Terminate, _Kill, _All,
 * _Selected, _New Worker…, _Play, S_tep, _Stop Lesson. */
static void
test_mnemonics (gconstpointer data)
{
  const char *language = data;
  const guint window_keys[] = { GDK_KEY_l, GDK_KEY_j, GDK_KEY_t, GDK_KEY_k, GDK_KEY_a,
                                GDK_KEY_s, GDK_KEY_n, GDK_KEY_p };
  g_autofree char *old_language = g_strdup (g_getenv ("LANGUAGE"));
  g_autofree char *dir = make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "workers.forkscope", NULL);
  g_autoptr(FsDefinitionStore) store = fs_definition_store_new (path);
  FsWorkerDialog *dialog;
  GtkWidget *window;
  GtkWidget *sidebar;
  GtkWidget *create;

  g_setenv ("LANGUAGE", language, TRUE);

  /* New and edit forms. */
  dialog = fs_worker_dialog_new (registry, store, NULL);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *)&dialog);
  gtk_window_present (GTK_WINDOW (dialog));
  wait_for (widget_is_mapped, dialog, "the dialog to map");
  g_assert_true (fs_worker_dialog_select_function (dialog, "tutorial.sleep_print"));
  g_assert_cmpuint (assert_unique_mnemonics (GTK_WIDGET (dialog)), >=, 4);
  /* Translated, as the user sees it. */
  create = dialog_save_button (dialog);
  if (g_str_equal (language, "zh_CN"))
    g_assert_nonnull (strstr (gtk_button_get_label (GTK_BUTTON (create)), "(_R)"));
  g_assert_true (fs_worker_dialog_save (dialog));
  wait_for (pointer_is_null, &dialog, "the dialog to close");

  dialog = fs_worker_dialog_new (registry, store, get_definition (G_LIST_MODEL (store), 0));
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *)&dialog);
  gtk_window_present (GTK_WINDOW (dialog));
  wait_for (widget_is_mapped, dialog, "the dialog to map");
  g_assert_cmpuint (assert_unique_mnemonics (GTK_WIDGET (dialog)), >=, 4);
  gtk_window_close (GTK_WINDOW (dialog));
  wait_for (pointer_is_null, &dialog, "the dialog to close");

  /* The sidebar, with workers and empty. */
  window = gtk_window_new ();
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *)&window);
  gtk_window_set_default_size (GTK_WINDOW (window), 320, 600);
  sidebar = fs_definitions_sidebar_new ();
  fs_definitions_sidebar_set_registry (FS_DEFINITIONS_SIDEBAR (sidebar), registry);
  fs_definitions_sidebar_set_store (FS_DEFINITIONS_SIDEBAR (sidebar), store);
  gtk_window_set_child (GTK_WINDOW (window), sidebar);
  gtk_window_present (GTK_WINDOW (window));
  wait_for (widget_is_mapped, sidebar, "the sidebar to map");

  for (guint round = 0; round < 2; round++)
    {
      Mnemonics mnemonics = { g_array_new (FALSE, FALSE, sizeof (guint)), g_string_new (NULL) };

      drain ();
      collect_mnemonics (sidebar, &mnemonics);
      g_assert_cmpuint (mnemonics.keys->len, >=, 1);
      for (guint i = 0; i < mnemonics.keys->len; i++)
        for (guint j = 0; j < G_N_ELEMENTS (window_keys); j++)
          if (g_array_index (mnemonics.keys, guint, i) == window_keys[j])
            g_error ("The sidebar's %s takes a key of the window's buttons", mnemonics.labels->str);
      g_array_unref (mnemonics.keys);
      g_string_free (mnemonics.labels, TRUE);

      fs_definition_store_remove_all (store);
    }

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_null (window);

  if (old_language != NULL)
    g_setenv ("LANGUAGE", old_language, TRUE);
  else
    g_unsetenv ("LANGUAGE");

  g_clear_object (&store);
  remove_tmpdir (dir);
}

static void
test_dialog_unavailable_plugin (void)
{
  g_autofree char *dir = make_tmpdir ();
  g_autofree char *link = g_build_filename (dir, "crash.so", NULL);
  g_autofree char *target = g_build_filename (BAD_PLUGIN_DIR, "crash.so", NULL);
  const char *search_path[] = { fs_paths_get_plugindir (), dir, NULL };
  g_autoptr(FsPluginRegistry) with_bad = fs_plugin_registry_new ();
  g_autoptr(FsPluginInfo) crash = NULL;
  g_autoptr(GError) error = NULL;
  FsWorkerDialog *dialog;
  GtkWidget *row;
  GListModel *plugins;

  g_assert_cmpint (symlink (target, link), ==, 0);
  fs_plugin_registry_set_search_path (with_bad, search_path);
  g_assert_true (fs_plugin_registry_load_sync (with_bad, &error));
  g_assert_no_error (error);

  plugins = fs_plugin_registry_get_plugins (with_bad);
  for (guint i = 0; i < g_list_model_get_n_items (plugins); i++)
    {
      g_autoptr(FsPluginInfo) plugin = g_list_model_get_item (plugins, i);

      if (!fs_plugin_info_get_available (plugin))
        g_set_object (&crash, plugin);
    }
  g_assert_nonnull (crash);

  dialog = fs_worker_dialog_new (with_bad, NULL, NULL);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *)&dialog);

  /* Listed, greyed, with its reason; available functions still listed. */
  row = find_widget (GTK_WIDGET (dialog), is_action_row_titled, "crash.so");
  g_assert_nonnull (row);
  g_assert_false (gtk_widget_get_sensitive (row));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, fs_plugin_info_get_reason (crash));
  g_assert_nonnull (find_widget (GTK_WIDGET (dialog), is_action_row_titled, "sleep_print"));

  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_null (dialog);
  remove_tmpdir (dir);
}

/* ------------------------------------------------------------------ */
/* FsDefinitionsSidebar                                                */

typedef struct
{
  char                 *dir;
  GtkWidget            *window;
  FsDefinitionsSidebar *sidebar;
  FsDefinitionStore    *store;
  GPtrArray            *spawned;
} SidebarFixture;

static void
spawn_requested_cb (FsDefinitionsSidebar *sidebar,
                    FsWorkerDefinition   *definition,
                    GPtrArray            *spawned)
{
  g_ptr_array_add (spawned, g_strdup (fs_worker_definition_get_name (definition)));
}

static gboolean
sidebar_shows_rows (gpointer data)
{
  SidebarFixture *fixture = data;

  return find_widget (GTK_WIDGET (fixture->sidebar), is_definition_row_named, "th3") != NULL;
}

static void
sidebar_setup (SidebarFixture *fixture,
               gconstpointer   data)
{
  g_autofree char *path = NULL;

  fixture->dir = make_tmpdir ();
  path = g_build_filename (fixture->dir, "workers.forkscope", NULL);
  fixture->store = fs_definition_store_new (path);
  fs_definition_store_add_tutorial_workers (fixture->store);
  fixture->spawned = g_ptr_array_new_with_free_func (g_free);

  fixture->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 320, 600);
  fixture->sidebar = FS_DEFINITIONS_SIDEBAR (fs_definitions_sidebar_new ());
  fs_definitions_sidebar_set_registry (fixture->sidebar, registry);
  fs_definitions_sidebar_set_store (fixture->sidebar, fixture->store);
  g_signal_connect (fixture->sidebar, "spawn-requested", G_CALLBACK (spawn_requested_cb), fixture->spawned);
  gtk_window_set_child (GTK_WINDOW (fixture->window), GTK_WIDGET (fixture->sidebar));
  gtk_window_present (GTK_WINDOW (fixture->window));

  wait_for (widget_is_mapped, fixture->sidebar, "the sidebar to map");
  wait_for (sidebar_shows_rows, fixture, "the sidebar's rows");
}

static void
sidebar_teardown (SidebarFixture *fixture,
                  gconstpointer   data)
{
  GtkWidget *window = fixture->window;

  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *)&window);
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  wait_for (pointer_is_null, &window, "the window to go");

  g_clear_object (&fixture->store);
  g_clear_pointer (&fixture->spawned, g_ptr_array_unref);
  remove_tmpdir (fixture->dir);
  g_clear_pointer (&fixture->dir, g_free);
}

static void
assert_spawned (SidebarFixture     *fixture,
                const char * const *names)
{
  g_ptr_array_add (fixture->spawned, NULL);
  assert_strv ((const char * const *)fixture->spawned->pdata, names);
  g_ptr_array_set_size (fixture->spawned, 0);
}

static void
test_sidebar_start (SidebarFixture *fixture,
                    gconstpointer   data)
{
  GtkSelectionModel *selection = fs_definitions_sidebar_get_selection (fixture->sidebar);
  GtkWidget *row;
  GtkWidget *start;
  GtkWidget *start_all;

  /* A row's own start button. */
  row = find_widget (GTK_WIDGET (fixture->sidebar), is_definition_row_named, "th2");
  g_assert_nonnull (row);
  start = find_widget (row, is_button_with_action, NULL);
  g_assert_nonnull (start);
  click (start);
  assert_spawned (fixture, (const char *[]) { "th2", NULL });

  /* Start Selected: each selected definition once, in list order. */
  gtk_selection_model_select_item (selection, 2, TRUE);
  gtk_selection_model_select_item (selection, 0, FALSE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->sidebar), "definitions.start", NULL));
  assert_spawned (fixture, (const char *[]) { "th1", "th3", NULL });

  /* Start All, from its button: the seed's loop. */
  start_all = find_widget (GTK_WIDGET (fixture->sidebar), is_button_with_action, "definitions.start-all");
  g_assert_nonnull (start_all);
  g_assert_true (gtk_widget_is_sensitive (start_all));
  click (start_all);
  assert_spawned (fixture, (const char *[]) { "th1", "th2", "th3", NULL });

  /* Nothing to start, nothing started. */
  fs_definition_store_remove_all (fixture->store);
  drain ();
  g_assert_false (gtk_widget_is_sensitive (start_all));
  gtk_widget_activate_action (GTK_WIDGET (fixture->sidebar), "definitions.start-all", NULL);
  g_assert_cmpuint (fixture->spawned->len, ==, 0);
}

static gboolean
undo_button_present (gpointer data)
{
  SidebarFixture *fixture = data;

  return find_widget (fixture->window, is_button_labelled, "_Undo") != NULL;
}

static void
test_sidebar_edit_duplicate_remove (SidebarFixture *fixture,
                                    gconstpointer   data)
{
  GtkSelectionModel *selection = fs_definitions_sidebar_get_selection (fixture->sidebar);
  GListModel *model = G_LIST_MODEL (fixture->store);
  GtkWidget *stack;
  GtkWidget *undo;
  GtkWindow *dialog;

  /* Duplicate th1: the copy follows it, with a free name, and is selected. */
  gtk_selection_model_select_item (selection, 0, TRUE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->sidebar), "definitions.duplicate", NULL));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 4);
  g_assert_cmpstr (fs_worker_definition_get_name (get_definition (model, 1)), ==, "th1-2");
  assert_strv (fs_worker_definition_get_args (get_definition (model, 1)),
               fs_worker_definition_get_args (get_definition (model, 0)));
  g_assert_true (gtk_selection_model_is_selected (selection, 1));
  g_assert_false (gtk_selection_model_is_selected (selection, 0));

  /* Remove it, then undo. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->sidebar), "definitions.remove", NULL));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 3);
  g_assert_null (fs_definition_store_lookup (fixture->store, "th1-2"));
  wait_for (undo_button_present, fixture, "the undo toast");
  undo = find_widget (fixture->window, is_button_labelled, "_Undo");
  click (undo);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 4);
  g_assert_cmpstr (fs_worker_definition_get_name (get_definition (model, 1)), ==, "th1-2");

  /* Edit opens the dialog on the selected definition. */
  gtk_selection_model_select_item (selection, 3, TRUE);
  dialog = fs_definitions_sidebar_edit (fixture->sidebar, get_definition (model, 3));
  g_assert_true (FS_IS_WORKER_DIALOG (dialog));
  g_assert_true (fs_worker_dialog_get_definition (FS_WORKER_DIALOG (dialog)) == get_definition (model, 3));
  g_assert_true (gtk_window_get_transient_for (dialog) == GTK_WINDOW (fixture->window));
  gtk_window_destroy (dialog);

  /* Empty: the status page, and its button brings the tutorial back. */
  fs_definition_store_remove_all (fixture->store);
  drain ();
  stack = find_widget (GTK_WIDGET (fixture->sidebar), is_stack_with_page, "empty");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (stack)), ==, "empty");
  g_assert_nonnull (find_widget (GTK_WIDGET (fixture->sidebar), is_button_with_action, "definitions.new"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->sidebar), "definitions.add-tutorial", NULL));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 3);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (stack)), ==, "list");

  /* A definition no plugin can run is marked, with the reason. */
  {
    g_autoptr(FsWorkerDefinition) gone = fs_worker_definition_new ("gone", "nosuch.thing", FALSE, NULL);
    GtkWidget *row;
    GtkWidget *icon;

    fs_definition_store_append (fixture->store, gone);
    wait_for (sidebar_shows_gone, fixture->sidebar, "the new row");
    row = find_widget (GTK_WIDGET (fixture->sidebar), is_definition_row_named, "gone");
    icon = find_widget (row, is_visible_warning_icon, NULL);
    g_assert_nonnull (icon);
    g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (icon), "nosuch.thing"));
    g_assert_null (find_widget (find_widget (GTK_WIDGET (fixture->sidebar), is_definition_row_named, "th1"),
                                is_visible_warning_icon, NULL));
  }
}

static gboolean
toast_with_text_present (gpointer data)
{
  SidebarFixture *fixture = data;
  const char *text = g_object_get_data (G_OBJECT (fixture->window), "fs-expected-toast");

  return find_widget (fixture->window, is_label_with_text, text) != NULL;
}

static void
wait_for_toast (SidebarFixture *fixture,
                const char     *text)
{
  g_object_set_data_full (G_OBJECT (fixture->window), "fs-expected-toast", g_strdup (text), g_free);
  wait_for (toast_with_text_present, fixture, text);
}

static gboolean
row_problem_is (gpointer data)
{
  SidebarFixture *fixture = data;
  const char *expected = g_object_get_data (G_OBJECT (fixture->window), "fs-expected-problem");
  GtkWidget *row = find_widget (GTK_WIDGET (fixture->sidebar), is_definition_row_named, "th2");
  GtkWidget *icon = row != NULL ? find_widget (row, is_visible_warning_icon, NULL) : NULL;

  if (expected == NULL)
    return row != NULL && icon == NULL;

  return icon != NULL && g_strcmp0 (gtk_widget_get_tooltip_text (icon), expected) == 0;
}

static void
wait_for_problem (SidebarFixture *fixture,
                  const char     *expected)
{
  g_object_set_data_full (G_OBJECT (fixture->window), "fs-expected-problem", g_strdup (expected), g_free);
  wait_for (row_problem_is, fixture, expected != NULL ? expected : "the warning to go");
}

/* A saved definition that the current spec refuses is marked in the
 * sidebar with the reason, and starting it gives that reason instead of
 * a worker that dies at once. */
static void
test_sidebar_problems (SidebarFixture *fixture,
                       gconstpointer   data)
{
  FsWorkerDefinition *th2 = get_definition (G_LIST_MODEL (fixture->store), 1);
  const char * const bad_args[] = { "seconds=abc", "message=sleep", NULL };
  const char * const good_args[] = { "seconds=2", "message=sleep", NULL };
  GtkWidget *row;
  GtkWidget *start_all;

  wait_for_problem (fixture, NULL);

  /* As a hand-edited file or an older plugin would leave it. */
  fs_worker_definition_set_args (th2, bad_args);
  wait_for_problem (fixture, "Parameter “seconds” must be a number between 0 and 3600, not “abc”");

  /* The row's own tooltip says it too (the icon is a small target). */
  row = find_widget (GTK_WIDGET (fixture->sidebar), is_definition_row_named, "th2");
  g_assert_cmpstr (gtk_widget_get_tooltip_text (row), ==,
                   "process th2 tutorial.sleep_print seconds=abc message=sleep\n\n"
                   "Parameter “seconds” must be a number between 0 and 3600, not “abc”");

  /* Its own start button: refused, with the reason. */
  click (find_widget (row, is_button_with_action, NULL));
  g_assert_cmpuint (fixture->spawned->len, ==, 0);
  wait_for_toast (fixture,
                  "“th2” was not started: parameter “seconds” must be a number between 0 and 3600, not “abc”");
  g_assert_false (fs_definitions_sidebar_start (fixture->sidebar, th2));
  g_assert_cmpuint (fixture->spawned->len, ==, 0);

  /* Start All starts the others. */
  start_all = find_widget (GTK_WIDGET (fixture->sidebar), is_button_with_action, "definitions.start-all");
  click (start_all);
  assert_spawned (fixture, (const char *[]) { "th1", "th3", NULL });

  /* A function no plugin provides. */
  fs_worker_definition_set_function (get_definition (G_LIST_MODEL (fixture->store), 2), "nosuch.thing");
  fs_definitions_sidebar_start_all (fixture->sidebar);
  assert_spawned (fixture, (const char *[]) { "th1", NULL });
  wait_for_toast (fixture, "2 workers were not started: their definitions have problems (see the warning icons)");

  /* Fixed: no mark, and it starts. */
  fs_worker_definition_set_args (th2, good_args);
  wait_for_problem (fixture, NULL);
  g_assert_true (fs_definitions_sidebar_start (fixture->sidebar, th2));
  assert_spawned (fixture, (const char *[]) { "th2", NULL });
}

/* Activates what the sidebar binds to Delete, as a key press in the
 * window would reach it; returns whether it handled the key. */
static gboolean
press_delete (GtkWidget *sidebar)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (sidebar);
  g_autoptr(GtkShortcutTrigger) delete = gtk_keyval_trigger_new (GDK_KEY_Delete, 0);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;

      /* Only reached by key presses inside the sidebar. */
      g_assert_cmpint (gtk_shortcut_controller_get_scope (GTK_SHORTCUT_CONTROLLER (controller)), ==,
                       GTK_SHORTCUT_SCOPE_LOCAL);

      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);

          if (gtk_shortcut_trigger_equal (gtk_shortcut_get_trigger (shortcut), delete))
            return gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), 0, sidebar,
                                                 gtk_shortcut_get_arguments (shortcut));
        }
    }

  g_assert_not_reached ();
}

/* Delete removes the selected definitions only while the sidebar has
 * the focus; with the focus elsewhere (the process tree, where Delete
 * terminates) the key is not the sidebar's. */
static void
test_sidebar_delete_focus (void)
{
  g_autofree char *dir = make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "workers.forkscope", NULL);
  g_autoptr(FsDefinitionStore) store = fs_definition_store_new (path);
  GtkWidget *window = gtk_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  GtkWidget *elsewhere = gtk_button_new_with_label ("Elsewhere");
  GtkWidget *sidebar = fs_definitions_sidebar_new ();
  GtkSelectionModel *selection = fs_definitions_sidebar_get_selection (FS_DEFINITIONS_SIDEBAR (sidebar));
  GtkWidget *row;

  fs_definition_store_add_tutorial_workers (store);
  fs_definitions_sidebar_set_registry (FS_DEFINITIONS_SIDEBAR (sidebar), registry);
  fs_definitions_sidebar_set_store (FS_DEFINITIONS_SIDEBAR (sidebar), store);
  gtk_box_append (GTK_BOX (box), sidebar);
  gtk_box_append (GTK_BOX (box), elsewhere);
  gtk_window_set_child (GTK_WINDOW (window), box);
  gtk_window_set_default_size (GTK_WINDOW (window), 500, 600);
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *)&window);
  gtk_window_present (GTK_WINDOW (window));
  wait_for (widget_is_mapped, sidebar, "the sidebar to map");
  drain ();

  gtk_selection_model_select_item (selection, 1, TRUE);

  /* Focus outside the sidebar: not handled, nothing removed. */
  g_assert_true (gtk_widget_grab_focus (elsewhere));
  g_assert_false (press_delete (sidebar));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 3);

  /* Focus on a row: removed. */
  row = find_widget (sidebar, is_definition_row_named, "th2");
  g_assert_nonnull (row);
  g_assert_true (gtk_widget_grab_focus (gtk_widget_get_parent (row)));
  g_assert_true (press_delete (sidebar));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 2);
  g_assert_null (fs_definition_store_lookup (store, "th2"));

  /* Nothing selected: not handled either. */
  gtk_selection_model_unselect_all (selection);
  g_assert_false (press_delete (sidebar));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 2);

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_null (window);
  g_clear_object (&store);
  remove_tmpdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  /* The mnemonics tests switch LANGUAGE: gettext needs a real locale
   * (the environment's C.UTF-8) and the build tree's catalogs. */
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, fs_paths_get_localedir ());
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  /* gtk_test_init() sets the "C" locale. */
  setlocale (LC_ALL, "");

  registry = fs_plugin_registry_new ();
  if (!fs_plugin_registry_load_sync (registry, &error))
    g_error ("Could not load the plugins: %s", error->message);

  g_test_add_func ("/forkscope/forms/definition/line", test_definition_line);
  g_test_add_func ("/forkscope/forms/definition/names", test_definition_names);
  g_test_add_func ("/forkscope/forms/definition/notify", test_definition_notify);
  g_test_add_func ("/forkscope/forms/definition/style-message", test_definition_style_message);
  g_test_add_func ("/forkscope/forms/definition/check", test_definition_check);
  g_test_add_func ("/forkscope/forms/store/round-trip", test_store_round_trip);
  g_test_add_func ("/forkscope/forms/store/first-run-and-autosave", test_store_first_run_and_autosave);
  g_test_add_func ("/forkscope/forms/store/broken-file", test_store_broken_file);
  g_test_add_func ("/forkscope/forms/store/unreadable", test_store_unreadable);
  g_test_add_func ("/forkscope/forms/store/names", test_store_names);
  g_test_add_func ("/forkscope/forms/dialog/new-worker", test_dialog_new_worker);
  g_test_add_func ("/forkscope/forms/dialog/edit", test_dialog_edit);
  g_test_add_func ("/forkscope/forms/dialog/widgets", test_dialog_widgets);
  g_test_add_func ("/forkscope/forms/dialog/keyboard", test_dialog_keyboard);
  g_test_add_func ("/forkscope/forms/dialog/unavailable-plugin", test_dialog_unavailable_plugin);
  g_test_add_func ("/forkscope/forms/dialog/search", test_dialog_search);
  g_test_add_func ("/forkscope/forms/dialog/spin-invalid", test_dialog_spin_invalid);
  g_test_add_data_func ("/forkscope/forms/mnemonics/en", "en", test_mnemonics);
  g_test_add_data_func ("/forkscope/forms/mnemonics/zh_CN", "zh_CN", test_mnemonics);
  g_test_add ("/forkscope/forms/sidebar/start", SidebarFixture, NULL,
              sidebar_setup, test_sidebar_start, sidebar_teardown);
  g_test_add ("/forkscope/forms/sidebar/edit-duplicate-remove", SidebarFixture, NULL,
              sidebar_setup, test_sidebar_edit_duplicate_remove, sidebar_teardown);
  g_test_add ("/forkscope/forms/sidebar/problems", SidebarFixture, NULL,
              sidebar_setup, test_sidebar_problems, sidebar_teardown);
  g_test_add_func ("/forkscope/forms/sidebar/delete-focus", test_sidebar_delete_focus);

  status = g_test_run ();

  g_clear_object (&registry);

  return status;
}
