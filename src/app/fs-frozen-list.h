/* fs-frozen-list.h
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define FS_TYPE_FROZEN_LIST (fs_frozen_list_get_type ())

G_DECLARE_FINAL_TYPE (FsFrozenList, fs_frozen_list, FS, FROZEN_LIST, GObject)

/* A GListModel that passes its source's changes on as they come, except
 * while frozen: then it keeps showing the items it had, and on thaw
 * catches up with one change covering only the span that differs (what
 * comes before and after it is untouched, so the rows of a tree built on
 * it keep their expansion and selection). */
FsFrozenList *fs_frozen_list_new         (GListModel   *source);
GListModel   *fs_frozen_list_get_source  (FsFrozenList *self);
void          fs_frozen_list_set_frozen  (FsFrozenList *self,
                                          gboolean      frozen);
gboolean      fs_frozen_list_get_frozen  (FsFrozenList *self);

G_END_DECLS
