/* fs-event-item.h
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "fs-event.h"

G_BEGIN_DECLS

#define FS_TYPE_EVENT_ITEM (fs_event_item_get_type ())

G_DECLARE_FINAL_TYPE (FsEventItem, fs_event_item, FS, EVENT_ITEM, GObject)

/* An FsEvent (a boxed type) as a GObject, for list models. */
FsEventItem *fs_event_item_new        (FsEvent     *event);
FsEvent     *fs_event_item_get_event  (FsEventItem *self);

G_END_DECLS
