/* fs-lesson.c
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "fs-lesson.h"

struct _FsLesson
{
  GObject    parent_instance;

  char      *path;
  char      *name;
  char      *title;
  GStrv      paragraphs;
  FsScript  *script;
};

G_DEFINE_FINAL_TYPE (FsLesson, fs_lesson, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PATH,
  PROP_NAME,
  PROP_TITLE,
  PROP_SCRIPT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The catalog holds the built-in lessons' texts (po/extract-lessons.py
 * writes exactly what fs_script_get_title() and _get_description() give);
 * for any other text g_dgettext() returns it unchanged. */
static char *
translate (const char *text)
{
  return g_strdup (*text != '\0' ? g_dgettext (GETTEXT_PACKAGE, text) : text);
}

static FsLesson *
fs_lesson_new_from_script (FsScript   *script,
                           const char *path)
{
  FsLesson *self = g_object_new (FS_TYPE_LESSON, NULL);
  g_autofree char *base = g_path_get_basename (path);
  const char *title = fs_script_get_title (script);
  const char *description = fs_script_get_description (script);

  self->path = g_strdup (path);
  if (g_str_has_suffix (base, ".forkscope"))
    base[strlen (base) - strlen (".forkscope")] = '\0';
  self->name = g_steal_pointer (&base);
  self->title = title != NULL ? translate (title) : g_strdup (self->name);
  self->script = g_object_ref (script);

  if (description != NULL)
    {
      g_auto(GStrv) parts = g_strsplit (description, "\n\n", -1);
      guint n = g_strv_length (parts);

      self->paragraphs = g_new0 (char *, n + 1);
      for (guint i = 0; i < n; i++)
        self->paragraphs[i] = translate (parts[i]);
    }
  else
    self->paragraphs = g_new0 (char *, 1);

  return self;
}

FsLesson *
fs_lesson_new_from_file (const char        *path,
                         FsPluginRegistry  *registry,
                         GError           **error)
{
  g_autoptr(FsScript) script = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (registry == NULL || FS_IS_PLUGIN_REGISTRY (registry), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  script = fs_script_new_from_file (path, registry, error);
  if (script == NULL)
    return NULL;

  return fs_lesson_new_from_script (script, path);
}

FsLesson *
fs_lesson_new_for_name (const char        *name,
                        FsPluginRegistry  *registry,
                        GError           **error)
{
  g_autofree char *path = NULL;

  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  path = fs_script_find_lesson (name);
  if (path == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   /* Translators: %s is a lesson's name, like zombie */
                   _("There is no built-in lesson called “%s”"), name);
      return NULL;
    }

  return fs_lesson_new_from_file (path, registry, error);
}

GPtrArray *
fs_lesson_list_builtin (FsPluginRegistry *registry)
{
  g_auto(GStrv) paths = fs_script_list_lessons ();
  GPtrArray *lessons = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_val_if_fail (registry == NULL || FS_IS_PLUGIN_REGISTRY (registry), lessons);

  for (guint i = 0; paths[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      FsLesson *lesson = fs_lesson_new_from_file (paths[i], registry, &error);

      if (lesson == NULL)
        g_warning ("Leaving out the lesson %s: %s", paths[i], error->message);
      else
        g_ptr_array_add (lessons, lesson);
    }

  return lessons;
}

const char *
fs_lesson_get_name (FsLesson *self)
{
  g_return_val_if_fail (FS_IS_LESSON (self), NULL);
  return self->name;
}

const char *
fs_lesson_get_path (FsLesson *self)
{
  g_return_val_if_fail (FS_IS_LESSON (self), NULL);
  return self->path;
}

const char *
fs_lesson_get_title (FsLesson *self)
{
  g_return_val_if_fail (FS_IS_LESSON (self), NULL);
  return self->title;
}

const char * const *
fs_lesson_get_paragraphs (FsLesson *self)
{
  g_return_val_if_fail (FS_IS_LESSON (self), NULL);
  return (const char * const *) self->paragraphs;
}

char *
fs_lesson_dup_explanation (FsLesson *self)
{
  g_return_val_if_fail (FS_IS_LESSON (self), NULL);
  return g_strjoinv ("\n\n", self->paragraphs);
}

FsScript *
fs_lesson_get_script (FsLesson *self)
{
  g_return_val_if_fail (FS_IS_LESSON (self), NULL);
  return self->script;
}

static void
fs_lesson_dispose (GObject *object)
{
  FsLesson *self = FS_LESSON (object);

  g_clear_object (&self->script);

  G_OBJECT_CLASS (fs_lesson_parent_class)->dispose (object);
}

static void
fs_lesson_finalize (GObject *object)
{
  FsLesson *self = FS_LESSON (object);

  g_free (self->path);
  g_free (self->name);
  g_free (self->title);
  g_strfreev (self->paragraphs);

  G_OBJECT_CLASS (fs_lesson_parent_class)->finalize (object);
}

static void
fs_lesson_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  FsLesson *self = FS_LESSON (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_SCRIPT:
      g_value_set_object (value, self->script);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fs_lesson_class_init (FsLessonClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = fs_lesson_dispose;
  object_class->finalize = fs_lesson_finalize;
  object_class->get_property = fs_lesson_get_property;

  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SCRIPT] =
    g_param_spec_object ("script", NULL, NULL, FS_TYPE_SCRIPT,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
fs_lesson_init (FsLesson *self)
{
}
