/* fs-lesson-menu.h
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The Lessons menu: the built-in lessons by their translated titles, in
 * the order of the tutorial they follow (lessons it does not know come
 * last, by name), each an "app.run-lesson" item, then Open Lesson… and
 * Stop Lesson. */
GMenuModel *fs_lesson_menu_new       (void);
/* The position of the lesson named @name in that order. */
guint       fs_lesson_menu_rank      (const char *name);

G_END_DECLS
