/* fs-lesson-player.c
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "fs-lesson-player.h"

struct _FsLessonPlayer
{
  GObject           parent_instance;

  FsEngine         *engine;
  FsPluginRegistry *registry;
  FsScript         *script;
  FsScriptRunner   *runner;
  char             *say;
  guint             n_failed;
  gboolean          playing;
};

G_DEFINE_FINAL_TYPE (FsLessonPlayer, fs_lesson_player, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_TITLE,
  PROP_SAY,
  PROP_PLAYING,
  PROP_RUNNER,
  PROP_N_FAILED,
  N_PROPS
};

enum {
  EVENT,
  FINISHED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
set_playing (FsLessonPlayer *self,
             gboolean        playing)
{
  if (self->playing == playing)
    return;
  self->playing = playing;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PLAYING]);
}

static void
set_say (FsLessonPlayer *self,
         const char     *say)
{
  /* g_set_str() is GLib 2.76. */
  if (g_strcmp0 (self->say, say) == 0)
    return;
  g_free (self->say);
  self->say = g_strdup (say);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SAY]);
}

static void
say_cb (FsLessonPlayer *self,
        const char     *text)
{
  set_say (self, text);
}

static void
expect_cb (FsLessonPlayer *self,
           guint           line,
           gboolean        ok)
{
  if (!ok)
    {
      self->n_failed++;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_FAILED]);
    }
}

static void
event_cb (FsLessonPlayer *self,
          FsEvent        *event)
{
  g_signal_emit (self, signals[EVENT], 0, event);
}

static void
finished_cb (FsLessonPlayer *self,
             int             status)
{
  set_playing (self, FALSE);
  g_signal_emit (self, signals[FINISHED], 0, status);
}

static void
clear_runner (FsLessonPlayer *self)
{
  if (self->runner == NULL)
    return;

  g_signal_handlers_disconnect_by_data (self->runner, self);
  /* Stopping terminates what the lesson started. */
  if (fs_script_runner_get_state (self->runner) != FS_SCRIPT_RUNNER_FINISHED)
    fs_script_runner_stop (self->runner);
  g_clear_object (&self->runner);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNER]);
}

gboolean
fs_lesson_player_play (FsLessonPlayer  *self,
                       const char      *path,
                       GError         **error)
{
  g_autoptr(FsScript) script = NULL;

  g_return_val_if_fail (FS_IS_LESSON_PLAYER (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  script = fs_script_new_from_file (path, self->registry, error);
  if (script == NULL)
    return FALSE;

  clear_runner (self);
  g_set_object (&self->script, script);
  self->n_failed = 0;
  set_say (self, NULL);

  self->runner = fs_script_runner_new (self->engine, script);
  g_signal_connect_object (self->runner, "say", G_CALLBACK (say_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->runner, "expect", G_CALLBACK (expect_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->runner, "event", G_CALLBACK (event_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->runner, "finished", G_CALLBACK (finished_cb), self, G_CONNECT_SWAPPED);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNER]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_FAILED]);
  set_playing (self, TRUE);
  fs_script_runner_run (self->runner);
  return TRUE;
}

void
fs_lesson_player_stop (FsLessonPlayer *self)
{
  g_return_if_fail (FS_IS_LESSON_PLAYER (self));

  clear_runner (self);
  set_playing (self, FALSE);
}

gboolean
fs_lesson_player_get_playing (FsLessonPlayer *self)
{
  g_return_val_if_fail (FS_IS_LESSON_PLAYER (self), FALSE);

  return self->playing;
}

const char *
fs_lesson_player_get_title (FsLessonPlayer *self)
{
  g_return_val_if_fail (FS_IS_LESSON_PLAYER (self), NULL);

  if (self->script == NULL)
    return NULL;
  if (fs_script_get_title (self->script) != NULL)
    return fs_script_get_title (self->script);
  return fs_script_get_filename (self->script);
}

const char *
fs_lesson_player_get_say (FsLessonPlayer *self)
{
  g_return_val_if_fail (FS_IS_LESSON_PLAYER (self), NULL);

  return self->say;
}

guint
fs_lesson_player_get_n_failed (FsLessonPlayer *self)
{
  g_return_val_if_fail (FS_IS_LESSON_PLAYER (self), 0);

  return self->n_failed;
}

FsScriptRunner *
fs_lesson_player_get_runner (FsLessonPlayer *self)
{
  g_return_val_if_fail (FS_IS_LESSON_PLAYER (self), NULL);

  return self->runner;
}

GMenuModel *
fs_lesson_player_build_menu (void)
{
  GMenu *menu = g_menu_new ();
  g_autoptr(GMenu) lessons = g_menu_new ();
  g_autoptr(GMenu) open = g_menu_new ();
  g_auto(GStrv) paths = fs_script_list_lessons ();

  for (guint i = 0; paths != NULL && paths[i] != NULL; i++)
    {
      g_autoptr(FsScript) script = fs_script_new_from_file (paths[i], NULL, NULL);
      g_autoptr(GMenuItem) item = NULL;
      g_autofree char *basename = g_path_get_basename (paths[i]);
      const char *title = script != NULL ? fs_script_get_title (script) : NULL;

      /* The lesson's own title is translated like the rest of its
       * narration. */
      item = g_menu_item_new (title != NULL ? _(title) : basename, NULL);
      g_menu_item_set_action_and_target_value (item, "app.run-lesson", g_variant_new_string (paths[i]));
      g_menu_append_item (lessons, item);
    }

  g_menu_append_section (menu, NULL, G_MENU_MODEL (lessons));
  g_menu_append (open, _("_Open Lesson…"), "win.open-lesson");
  g_menu_append (open, _("_Stop Lesson"), "win.stop-lesson");
  g_menu_append_section (menu, NULL, G_MENU_MODEL (open));
  return G_MENU_MODEL (menu);
}

static void
fs_lesson_player_dispose (GObject *object)
{
  FsLessonPlayer *self = (FsLessonPlayer *)object;

  clear_runner (self);
  g_clear_object (&self->script);
  g_clear_object (&self->engine);
  g_clear_object (&self->registry);

  G_OBJECT_CLASS (fs_lesson_player_parent_class)->dispose (object);
}

static void
fs_lesson_player_finalize (GObject *object)
{
  FsLessonPlayer *self = (FsLessonPlayer *)object;

  g_free (self->say);

  G_OBJECT_CLASS (fs_lesson_player_parent_class)->finalize (object);
}

static void
fs_lesson_player_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  FsLessonPlayer *self = FS_LESSON_PLAYER (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      g_value_set_string (value, fs_lesson_player_get_title (self));
      break;

    case PROP_SAY:
      g_value_set_string (value, self->say);
      break;

    case PROP_PLAYING:
      g_value_set_boolean (value, self->playing);
      break;

    case PROP_RUNNER:
      g_value_set_object (value, self->runner);
      break;

    case PROP_N_FAILED:
      g_value_set_uint (value, self->n_failed);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fs_lesson_player_class_init (FsLessonPlayerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = fs_lesson_player_dispose;
  object_class->finalize = fs_lesson_player_finalize;
  object_class->get_property = fs_lesson_player_get_property;

  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_SAY] =
    g_param_spec_string ("say", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_PLAYING] =
    g_param_spec_boolean ("playing", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_RUNNER] =
    g_param_spec_object ("runner", NULL, NULL, FS_TYPE_SCRIPT_RUNNER,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_N_FAILED] =
    g_param_spec_uint ("n-failed", NULL, NULL, 0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[EVENT] =
    g_signal_new ("event", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, FS_TYPE_EVENT);
  signals[FINISHED] =
    g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT);
}

static void
fs_lesson_player_init (FsLessonPlayer *self)
{
}

FsLessonPlayer *
fs_lesson_player_new (FsEngine         *engine,
                      FsPluginRegistry *registry)
{
  FsLessonPlayer *self;

  g_return_val_if_fail (FS_IS_ENGINE (engine), NULL);
  g_return_val_if_fail (FS_IS_PLUGIN_REGISTRY (registry), NULL);

  self = g_object_new (FS_TYPE_LESSON_PLAYER, NULL);
  self->engine = g_object_ref (engine);
  self->registry = g_object_ref (registry);
  return self;
}
