/* fs-lesson.h
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "fs-plugin-info.h"
#include "fs-script.h"

G_BEGIN_DECLS

/* A lesson: a script and its explanation, ready to show. The explanation is
 * the comment block at the top of the file: its first line is the title,
 * the rest paragraphs separated by blank lines (lines of a paragraph are
 * joined with a space). Title and paragraphs are translated when the lesson
 * is loaded, with the message catalog that po/extract-lessons.py fills from
 * the built-in lessons; any other script's text stays as written. */

#define FS_TYPE_LESSON (fs_lesson_get_type ())

G_DECLARE_FINAL_TYPE (FsLesson, fs_lesson, FS, LESSON, GObject)

/* @registry as for fs_script_new_from_file(): NULL only parses (enough to
 * list lessons), a loaded registry also checks, so the script can run. */
FsLesson            *fs_lesson_new_from_file     (const char        *path,
                                                  FsPluginRegistry  *registry,
                                                  GError           **error);
/* A built-in lesson by name ("zombie"), from fs_paths_get_lessondir(). */
FsLesson            *fs_lesson_new_for_name      (const char        *name,
                                                  FsPluginRegistry  *registry,
                                                  GError           **error);
/* Every built-in lesson that parses, sorted by file name. A lesson that
 * does not parse is left out with a warning: the others stay usable. */
GPtrArray           *fs_lesson_list_builtin      (FsPluginRegistry  *registry);

/* The file name without ".forkscope": "zombie". */
const char          *fs_lesson_get_name          (FsLesson          *self);
const char          *fs_lesson_get_path          (FsLesson          *self);
/* Translated; the name when the file has no header. */
const char          *fs_lesson_get_title         (FsLesson          *self);
/* Translated paragraphs, never NULL (empty without a header). */
const char * const  *fs_lesson_get_paragraphs    (FsLesson          *self);
/* The paragraphs joined by blank lines, or "" without a header. */
char                *fs_lesson_dup_explanation   (FsLesson          *self);
FsScript            *fs_lesson_get_script        (FsLesson          *self);

G_END_DECLS
