/* fs-lesson-player.h
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "fs-engine.h"
#include "fs-plugin-info.h"
#include "fs-script-runner.h"

G_BEGIN_DECLS

#define FS_TYPE_LESSON_PLAYER (fs_lesson_player_get_type ())

G_DECLARE_FINAL_TYPE (FsLessonPlayer, fs_lesson_player, FS, LESSON_PLAYER, GObject)

/* Plays one lesson at a time in the window, on the window's engine,
 * through the script runner: its `say` lines become the "say" property
 * (the window's banner), its own events (say, expect, error, note) are
 * re-emitted as "event" for the event log.
 *
 * Properties: "title" (the lesson's), "say" (the last narration),
 * "playing", "runner" (the current FsScriptRunner, for a step-mode UI),
 * "n-failed" (expects that did not hold so far).
 * Signals: "event" (FsEvent *), "finished" (int status). */
FsLessonPlayer  *fs_lesson_player_new          (FsEngine          *engine,
                                                FsPluginRegistry  *registry);
/* Parse and check @path, stop any lesson playing, and start this one. */
gboolean         fs_lesson_player_play         (FsLessonPlayer    *self,
                                                const char        *path,
                                                GError           **error);
void             fs_lesson_player_stop         (FsLessonPlayer    *self);
gboolean         fs_lesson_player_get_playing  (FsLessonPlayer    *self);
const char      *fs_lesson_player_get_title    (FsLessonPlayer    *self);
const char      *fs_lesson_player_get_say      (FsLessonPlayer    *self);
guint            fs_lesson_player_get_n_failed (FsLessonPlayer    *self);
FsScriptRunner  *fs_lesson_player_get_runner   (FsLessonPlayer    *self);

/* The built-in lessons as a menu of "app.run-lesson" items, by title. */
GMenuModel      *fs_lesson_player_build_menu   (void);

G_END_DECLS
