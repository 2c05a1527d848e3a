/* fs-lesson-menu.c
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "fs-lesson.h"
#include "fs-lesson-menu.h"

/* The tutorial's order: the seed's examples first, each followed by the
 * lessons that look closer at the same thing. */
static const char * const tutorial_order[] = {
  "three-workers",
  "fork-test",
  "fork-side-by-side",
  "zombie",
  "held-zombie",
  "kill-the-parent",
  "orphan",
  "daemon",
  "join-timeout",
  "terminate-vs-kill",
  "pool",
};

guint
fs_lesson_menu_rank (const char *name)
{
  g_return_val_if_fail (name != NULL, G_MAXUINT);

  for (guint i = 0; i < G_N_ELEMENTS (tutorial_order); i++)
    if (g_str_equal (tutorial_order[i], name))
      return i;
  return G_N_ELEMENTS (tutorial_order);
}

static int
compare_lessons (gconstpointer a,
                 gconstpointer b)
{
  FsLesson *la = *(FsLesson **) a;
  FsLesson *lb = *(FsLesson **) b;
  guint ra = fs_lesson_menu_rank (fs_lesson_get_name (la));
  guint rb = fs_lesson_menu_rank (fs_lesson_get_name (lb));

  if (ra != rb)
    return ra < rb ? -1 : 1;
  return g_strcmp0 (fs_lesson_get_name (la), fs_lesson_get_name (lb));
}

GMenuModel *
fs_lesson_menu_new (void)
{
  GMenu *menu = g_menu_new ();
  g_autoptr(GMenu) lessons = g_menu_new ();
  g_autoptr(GMenu) open = g_menu_new ();
  /* Parsed only (no registry): enough for the titles, translated by
   * FsLesson like the rest of a lesson's explanation. */
  g_autoptr(GPtrArray) builtin = fs_lesson_list_builtin (NULL);

  g_ptr_array_sort (builtin, compare_lessons);
  for (guint i = 0; i < builtin->len; i++)
    {
      FsLesson *lesson = g_ptr_array_index (builtin, i);
      g_autoptr(GMenuItem) item = g_menu_item_new (fs_lesson_get_title (lesson), NULL);

      g_menu_item_set_action_and_target_value (item, "app.run-lesson",
                                               g_variant_new_string (fs_lesson_get_path (lesson)));
      g_menu_append_item (lessons, item);
    }

  g_menu_append_section (menu, NULL, G_MENU_MODEL (lessons));
  g_menu_append (open, _("_Open Lesson…"), "win.open-lesson");
  g_menu_append (open, _("_Stop Lesson"), "win.stop-lesson");
  g_menu_append_section (menu, NULL, G_MENU_MODEL (open));
  return G_MENU_MODEL (menu);
}
