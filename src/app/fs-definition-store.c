/* fs-definition-store.c
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <string.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "fs-definition-store.h"

#define DEFAULT_SAVE_DELAY_MS 500

struct _FsDefinitionStore
{
  GObject     parent_instance;

  char       *path;
  GPtrArray  *items;
  guint       save_source;
  guint       save_delay_ms;

  /* Off while the file exists but could not be read: writing would
   * replace the user's file with whatever little we have. */
  guint       save_enabled : 1;
  guint       first_run : 1;
};

enum {
  PROP_0,
  PROP_PATH,
  N_PROPS
};

enum {
  SAVED,
  SAVE_FAILED,
  N_SIGNALS
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (FsDefinitionStore, fs_definition_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* Kept in English on purpose: the file is shared between people and
 * machines, and a header that changes with the locale would make every
 * save a diff. */
static const char file_header[] =
  "# Forkscope worker definitions\n"
  "#\n"
  "# Forkscope rewrites this file whenever a worker is added, changed or\n"
  "# removed in its sidebar. Each line is a statement of the lesson language,\n"
  "#   process NAME PLUGIN.FUNCTION [daemon] [KEY=VALUE ...]\n"
  "# so this file is also a script.\n"
  "\n";

static GType
list_model_get_item_type (GListModel *model)
{
  return FS_TYPE_WORKER_DEFINITION;
}

static guint
list_model_get_n_items (GListModel *model)
{
  FsDefinitionStore *self = FS_DEFINITION_STORE (model);

  return self->items->len;
}

static gpointer
list_model_get_item (GListModel *model,
                     guint       position)
{
  FsDefinitionStore *self = FS_DEFINITION_STORE (model);

  if (position >= self->items->len)
    return NULL;

  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = list_model_get_item_type;
  iface->get_n_items = list_model_get_n_items;
  iface->get_item = list_model_get_item;
}

static gboolean
save_timeout_cb (gpointer user_data)
{
  FsDefinitionStore *self = user_data;
  g_autoptr(GError) error = NULL;

  self->save_source = 0;

  if (!fs_definition_store_save (self, &error))
    {
      g_warning ("%s", error->message);
      g_signal_emit (self, signals[SAVE_FAILED], 0, error);
    }

  return G_SOURCE_REMOVE;
}

static void
schedule_save (FsDefinitionStore *self)
{
  /* Debounced: typing in a form or removing several rows writes once. */
  g_clear_handle_id (&self->save_source, g_source_remove);
  self->save_source = g_timeout_add (self->save_delay_ms, save_timeout_cb, self);
}

static void
definition_notify_cb (FsWorkerDefinition *definition,
                      GParamSpec         *pspec,
                      FsDefinitionStore  *self)
{
  guint position;

  if (g_ptr_array_find (self->items, definition, &position))
    g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 1);

  schedule_save (self);
}

static void
watch_definition (FsDefinitionStore  *self,
                  FsWorkerDefinition *definition)
{
  g_signal_connect (definition, "notify", G_CALLBACK (definition_notify_cb), self);
}

static void
unwatch_definition (gpointer data,
                    gpointer user_data)
{
  g_signal_handlers_disconnect_by_func (data, definition_notify_cb, user_data);
}

static void
fs_definition_store_dispose (GObject *object)
{
  FsDefinitionStore *self = (FsDefinitionStore *)object;

  /* Nothing the user did may be lost on quit: write what is pending. */
  if (self->save_source != 0)
    {
      g_autoptr(GError) error = NULL;

      g_clear_handle_id (&self->save_source, g_source_remove);
      if (!fs_definition_store_save (self, &error))
        g_warning ("%s", error->message);
    }

  if (self->items != NULL)
    {
      g_ptr_array_foreach (self->items, unwatch_definition, self);
      g_ptr_array_set_size (self->items, 0);
    }

  G_OBJECT_CLASS (fs_definition_store_parent_class)->dispose (object);
}

static void
fs_definition_store_finalize (GObject *object)
{
  FsDefinitionStore *self = (FsDefinitionStore *)object;

  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_pointer (&self->path, g_free);

  G_OBJECT_CLASS (fs_definition_store_parent_class)->finalize (object);
}

static void
fs_definition_store_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  FsDefinitionStore *self = FS_DEFINITION_STORE (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fs_definition_store_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  FsDefinitionStore *self = FS_DEFINITION_STORE (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_assert (self->path == NULL);
      self->path = g_value_dup_string (value);
      if (self->path == NULL)
        self->path = fs_definition_store_get_default_path ();
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fs_definition_store_class_init (FsDefinitionStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = fs_definition_store_dispose;
  object_class->finalize = fs_definition_store_finalize;
  object_class->get_property = fs_definition_store_get_property;
  object_class->set_property = fs_definition_store_set_property;

  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SAVED] =
    g_signal_new ("saved",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  signals[SAVE_FAILED] =
    g_signal_new ("save-failed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
fs_definition_store_init (FsDefinitionStore *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
  self->save_delay_ms = DEFAULT_SAVE_DELAY_MS;
  self->save_enabled = TRUE;
}

FsDefinitionStore *
fs_definition_store_new (const char *path)
{
  return g_object_new (FS_TYPE_DEFINITION_STORE,
                       "path", path,
                       NULL);
}

char *
fs_definition_store_get_default_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "forkscope", "workers.forkscope", NULL);
}

const char *
fs_definition_store_get_path (FsDefinitionStore *self)
{
  g_return_val_if_fail (FS_IS_DEFINITION_STORE (self), NULL);

  return self->path;
}

gboolean
fs_definition_store_get_first_run (FsDefinitionStore *self)
{
  g_return_val_if_fail (FS_IS_DEFINITION_STORE (self), FALSE);

  return self->first_run;
}

void
fs_definition_store_set_save_delay (FsDefinitionStore *self,
                                    guint              delay_ms)
{
  g_return_if_fail (FS_IS_DEFINITION_STORE (self));

  self->save_delay_ms = delay_ms;
}

/* Swaps the whole contents in one items-changed, without saving: used by
 * load, where the contents come from the file. */
static void
replace_items (FsDefinitionStore *self,
               GPtrArray         *items)
{
  guint removed = self->items->len;

  g_ptr_array_foreach (self->items, unwatch_definition, self);
  g_ptr_array_set_size (self->items, 0);

  for (guint i = 0; i < items->len; i++)
    {
      FsWorkerDefinition *definition = g_ptr_array_index (items, i);

      g_ptr_array_add (self->items, g_object_ref (definition));
      watch_definition (self, definition);
    }

  if (removed > 0 || items->len > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, items->len);
}

static gboolean
name_in_array (GPtrArray  *items,
               const char *name)
{
  for (guint i = 0; i < items->len; i++)
    {
      if (g_str_equal (fs_worker_definition_get_name (g_ptr_array_index (items, i)), name))
        return TRUE;
    }

  return FALSE;
}

static gboolean
line_is_process_statement (const char *line)
{
  return g_str_has_prefix (line, "process") &&
         (line[strlen ("process")] == ' ' || line[strlen ("process")] == '\t');
}

gboolean
fs_definition_store_load (FsDefinitionStore  *self,
                          GError            **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GPtrArray) loaded = NULL;
  g_autoptr(GString) problems = NULL;
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  gsize length = 0;

  g_return_val_if_fail (FS_IS_DEFINITION_STORE (self), FALSE);

  g_clear_handle_id (&self->save_source, g_source_remove);
  self->first_run = FALSE;
  loaded = g_ptr_array_new_with_free_func (g_object_unref);

  if (!g_file_get_contents (self->path, &contents, &length, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        {
          self->save_enabled = TRUE;
          self->first_run = TRUE;
          replace_items (self, loaded);
          fs_definition_store_add_tutorial_workers (self);
          return TRUE;
        }

      self->save_enabled = FALSE;
      replace_items (self, loaded);
      /* Translators: the first %s is a file path, the second why it could
       * not be read. */
      g_set_error (error, G_IO_ERROR, g_io_error_from_file_error (local_error->code),
                   _("Could not read the worker definitions in “%s”: %s. "
                     "Changes will not be saved there until the file can be read."),
                   self->path, local_error->message);
      return FALSE;
    }

  problems = g_string_new (NULL);

  if (memchr (contents, '\0', length) != NULL)
    {
      g_string_append_c (problems, '\n');
      g_string_append (problems, _("The file contains NUL bytes; text after them was not read."));
    }

  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(FsWorkerDefinition) definition = NULL;
      g_autoptr(GError) line_error = NULL;
      char *line = g_strstrip (lines[i]);

      if (line[0] == '\0' || line[0] == '#')
        continue;

      if (!g_utf8_validate (line, -1, NULL))
        {
          g_string_append_c (problems, '\n');
          /* Translators: %u is a line number. */
          g_string_append_printf (problems, _("Line %u: not valid UTF-8 text"), i + 1);
          continue;
        }

      if (!line_is_process_statement (line))
        {
          g_string_append_c (problems, '\n');
          /* Translators: %u is a line number; “process” is a keyword of the
           * lesson language and must not be translated. */
          g_string_append_printf (problems, _("Line %u: only “process” statements are kept in this file"),
                                  i + 1);
          continue;
        }

      definition = fs_worker_definition_new_from_line (line, &line_error);
      if (definition == NULL)
        {
          g_string_append_c (problems, '\n');
          /* Translators: %u is a line number, %s what is wrong with it. */
          g_string_append_printf (problems, _("Line %u: %s"), i + 1, line_error->message);
          continue;
        }

      if (name_in_array (loaded, fs_worker_definition_get_name (definition)))
        {
          g_autofree char *old_name = g_strdup (fs_worker_definition_get_name (definition));
          g_autofree char *new_name = NULL;

          for (guint n = 2; new_name == NULL || name_in_array (loaded, new_name); n++)
            {
              g_free (new_name);
              new_name = g_strdup_printf ("%s-%u", old_name, n);
            }
          fs_worker_definition_set_name (definition, new_name);

          g_string_append_c (problems, '\n');

          /* Translators: %u is a line number, then two worker names. */
          g_string_append_printf (problems, _("Line %u: the name “%s” was already used; renamed to “%s”"),
                                  i + 1, old_name, new_name);
        }

      g_ptr_array_add (loaded, g_steal_pointer (&definition));
    }

  replace_items (self, loaded);
  self->save_enabled = TRUE;

  if (problems->len > 0)
    {
      g_autofree char *bak = g_strconcat (self->path, ".bak", NULL);
      g_autoptr(GError) bak_error = NULL;

      /* The next save rewrites the file with what could be read, so the
       * original goes to the side first; if even that fails, the file
       * stays untouched. */
      if (!g_file_set_contents (bak, contents, length, &bak_error))
        {
          self->save_enabled = FALSE;
          /* Translators: the first %s is a file path, the second the list
           * of problems (one per line), the third why a backup failed. */
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("Some worker definitions in “%s” could not be read:%s\n"
                         "The file could not be backed up (%s), so changes will not be saved there."),
                       self->path, problems->str, bak_error->message);
        }
      else
        {
          /* Translators: the first %s is a file path, the second the list
           * of problems (one per line), the third the backup's path. */
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("Some worker definitions in “%s” could not be read:%s\n"
                         "The original file was kept as “%s”."),
                       self->path, problems->str, bak);
        }
      return FALSE;
    }

  return TRUE;
}

gboolean
fs_definition_store_save (FsDefinitionStore  *self,
                          GError            **error)
{
  g_autoptr(GString) contents = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *dir = NULL;

  g_return_val_if_fail (FS_IS_DEFINITION_STORE (self), FALSE);

  g_clear_handle_id (&self->save_source, g_source_remove);

  if (!self->save_enabled)
    {
      /* Translators: %s is a file path. */
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("The worker definitions were not saved: “%s” could not be read, "
                     "and saving would replace it"),
                   self->path);
      return FALSE;
    }

  contents = g_string_new (file_header);
  for (guint i = 0; i < self->items->len; i++)
    {
      g_autofree char *line = fs_worker_definition_to_line (g_ptr_array_index (self->items, i));

      g_string_append (contents, line);
      g_string_append_c (contents, '\n');
    }

  dir = g_path_get_dirname (self->path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int errsv = errno;

      /* Translators: the first %s is a folder, the second why it failed. */
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv),
                   _("Could not save the worker definitions: cannot create “%s”: %s"),
                   dir, g_strerror (errsv));
      return FALSE;
    }

  /* g_file_set_contents() writes a temporary file and renames it over the
   * old one: a crash mid-save leaves the previous version, never half. */
  if (!g_file_set_contents (self->path, contents->str, contents->len, &local_error))
    {
      /* Translators: %s is why the file could not be written. */
      g_set_error (error, G_IO_ERROR, g_io_error_from_file_error (local_error->code),
                   _("Could not save the worker definitions: %s"), local_error->message);
      return FALSE;
    }

  g_signal_emit (self, signals[SAVED], 0);

  return TRUE;
}

void
fs_definition_store_insert (FsDefinitionStore  *self,
                            guint               position,
                            FsWorkerDefinition *definition)
{
  g_return_if_fail (FS_IS_DEFINITION_STORE (self));
  g_return_if_fail (FS_IS_WORKER_DEFINITION (definition));
  g_return_if_fail (!g_ptr_array_find (self->items, definition, NULL));

  position = MIN (position, self->items->len);
  g_ptr_array_insert (self->items, position, g_object_ref (definition));
  watch_definition (self, definition);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 0, 1);
  schedule_save (self);
}

void
fs_definition_store_append (FsDefinitionStore  *self,
                            FsWorkerDefinition *definition)
{
  g_return_if_fail (FS_IS_DEFINITION_STORE (self));

  fs_definition_store_insert (self, self->items->len, definition);
}

void
fs_definition_store_remove (FsDefinitionStore *self,
                            guint              position)
{
  g_return_if_fail (FS_IS_DEFINITION_STORE (self));
  g_return_if_fail (position < self->items->len);

  unwatch_definition (g_ptr_array_index (self->items, position), self);
  g_ptr_array_remove_index (self->items, position);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);
  schedule_save (self);
}

void
fs_definition_store_remove_all (FsDefinitionStore *self)
{
  guint removed;

  g_return_if_fail (FS_IS_DEFINITION_STORE (self));

  removed = self->items->len;
  if (removed == 0)
    return;

  g_ptr_array_foreach (self->items, unwatch_definition, self);
  g_ptr_array_set_size (self->items, 0);
  g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, 0);
  schedule_save (self);
}

gboolean
fs_definition_store_find (FsDefinitionStore  *self,
                          FsWorkerDefinition *definition,
                          guint              *position)
{
  g_return_val_if_fail (FS_IS_DEFINITION_STORE (self), FALSE);
  g_return_val_if_fail (FS_IS_WORKER_DEFINITION (definition), FALSE);

  return g_ptr_array_find (self->items, definition, position);
}

FsWorkerDefinition *
fs_definition_store_lookup (FsDefinitionStore *self,
                            const char        *name)
{
  g_return_val_if_fail (FS_IS_DEFINITION_STORE (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  for (guint i = 0; i < self->items->len; i++)
    {
      FsWorkerDefinition *definition = g_ptr_array_index (self->items, i);

      if (g_str_equal (fs_worker_definition_get_name (definition), name))
        return definition;
    }

  return NULL;
}

char *
fs_definition_store_dup_unique_name (FsDefinitionStore *self,
                                     const char        *prefix)
{
  g_return_val_if_fail (FS_IS_DEFINITION_STORE (self), NULL);
  g_return_val_if_fail (prefix != NULL, NULL);

  for (guint n = self->items->len + 1; ; n++)
    {
      g_autofree char *name = g_strdup_printf ("%s-%u", prefix, n);

      if (fs_definition_store_lookup (self, name) == NULL)
        return g_steal_pointer (&name);
    }
}

char *
fs_definition_store_dup_copy_name (FsDefinitionStore *self,
                                   const char        *name)
{
  g_autofree char *base = NULL;
  const char *dash;

  g_return_val_if_fail (FS_IS_DEFINITION_STORE (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  /* "th1-2" is a copy of "th1": its copy is "th1-3", not "th1-2-2". */
  dash = strrchr (name, '-');
  if (dash != NULL && dash != name && dash[1] != '\0' &&
      strspn (dash + 1, "0123456789") == strlen (dash + 1))
    base = g_strndup (name, dash - name);
  else
    base = g_strdup (name);

  for (guint n = 2; ; n++)
    {
      g_autofree char *candidate = g_strdup_printf ("%s-%u", base, n);

      if (fs_definition_store_lookup (self, candidate) == NULL)
        return g_steal_pointer (&candidate);
    }
}

void
fs_definition_store_add_tutorial_workers (FsDefinitionStore *self)
{
  /* The seed's th1, th2 and th3: sleep, then print, like
   *   def th1(): sleep(3); print("EAT") */
  static const struct {
    const char *name;
    const char *args[3];
  } tutorial[] = {
    { "th1", { "seconds=3", "message=EAT", NULL } },
    { "th2", { "seconds=2", "message=sleep", NULL } },
    { "th3", { "seconds=4", "message=study python", NULL } },
  };

  g_return_if_fail (FS_IS_DEFINITION_STORE (self));

  for (guint i = 0; i < G_N_ELEMENTS (tutorial); i++)
    {
      g_autoptr(FsWorkerDefinition) definition = NULL;
      g_autofree char *name = NULL;

      if (fs_definition_store_lookup (self, tutorial[i].name) == NULL)
        name = g_strdup (tutorial[i].name);
      else
        name = fs_definition_store_dup_copy_name (self, tutorial[i].name);

      definition = fs_worker_definition_new (name, "tutorial.sleep_print", FALSE,
                                             tutorial[i].args);
      fs_definition_store_append (self, definition);
    }
}
