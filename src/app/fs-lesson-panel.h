/* fs-lesson-panel.h
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "fs-engine.h"
#include "fs-lesson.h"
#include "fs-script-runner.h"

G_BEGIN_DECLS

#define FS_TYPE_LESSON_PANEL (fs_lesson_panel_get_type ())

G_DECLARE_FINAL_TYPE (FsLessonPanel, fs_lesson_panel, FS, LESSON_PANEL, GtkWidget)

/* The lesson player: the lesson's title and explanation, what it says now,
 * the statement it runs (or runs next, while paused), its checks, and the
 * controls. It drives an FsScriptRunner on the engine it is given.
 *
 * Actions (on the panel; F5, F6, Shift+F5 and Ctrl+F5 anywhere in its
 * window): lesson.play (run to the end; continues when paused, starts again
 * when finished), lesson.step (run the next statement, then pause; while
 * playing, pause after the current one), lesson.continue, lesson.restart
 * (stop, let the runner clean up its processes, run again from the top, in
 * the same mode), lesson.stop, lesson.close (emits close-requested).
 *
 * While paused between steps, "paused" is TRUE: the window freezes the
 * tree and the timeline then, so a learner can look at a zombie as long as
 * they like (under the join policy nothing reaps it until a step joins it).
 *
 * Signals:
 *  - "event" (FsEvent *): the runner's own events (say, expect, error,
 *    note), for the event log
 *  - "finished" (int status): 0 when every statement ran and every check
 *    held, 1 otherwise (also when stopped)
 *  - "close-requested": the close button; the owner hides or drops the
 *    panel (disposing it stops a running lesson, which cleans up) */
GtkWidget           *fs_lesson_panel_new             (void);

FsEngine            *fs_lesson_panel_get_engine      (FsLessonPanel *self);
/* Stops a lesson running on the previous engine. */
void                 fs_lesson_panel_set_engine      (FsLessonPanel *self,
                                                      FsEngine      *engine);
FsLesson            *fs_lesson_panel_get_lesson      (FsLessonPanel *self);
/* Shows @lesson, ready to play; stops the one running. Its script must be
 * checked (loaded with a registry) to be played. */
void                 fs_lesson_panel_set_lesson      (FsLessonPanel *self,
                                                      FsLesson      *lesson);
/* The current run's runner, NULL before the first. */
FsScriptRunner      *fs_lesson_panel_get_runner      (FsLessonPanel *self);
/* The runner's state; READY before the first run. */
FsScriptRunnerState  fs_lesson_panel_get_state       (FsLessonPanel *self);
gboolean             fs_lesson_panel_get_paused      (FsLessonPanel *self);
/* The latest `say` text of this run (translated), or NULL. */
const char          *fs_lesson_panel_get_say_text    (FsLessonPanel *self);
/* The line of the statement shown (running, or next while paused), or 0. */
guint                fs_lesson_panel_get_line        (FsLessonPanel *self);
guint                fs_lesson_panel_get_n_passed    (FsLessonPanel *self);
guint                fs_lesson_panel_get_n_failed    (FsLessonPanel *self);
/* -1 until the run has finished. */
int                  fs_lesson_panel_get_exit_status (FsLessonPanel *self);

void                 fs_lesson_panel_play            (FsLessonPanel *self);
void                 fs_lesson_panel_step            (FsLessonPanel *self);
void                 fs_lesson_panel_continue        (FsLessonPanel *self);
void                 fs_lesson_panel_restart         (FsLessonPanel *self);
void                 fs_lesson_panel_stop            (FsLessonPanel *self);

G_END_DECLS
