/* fs-event-item.c
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "fs-event-item.h"

struct _FsEventItem
{
  GObject  parent_instance;
  FsEvent *event;
};

G_DEFINE_FINAL_TYPE (FsEventItem, fs_event_item, G_TYPE_OBJECT)

static void
fs_event_item_finalize (GObject *object)
{
  FsEventItem *self = (FsEventItem *)object;

  g_clear_pointer (&self->event, fs_event_unref);

  G_OBJECT_CLASS (fs_event_item_parent_class)->finalize (object);
}

static void
fs_event_item_class_init (FsEventItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = fs_event_item_finalize;
}

static void
fs_event_item_init (FsEventItem *self)
{
}

FsEventItem *
fs_event_item_new (FsEvent *event)
{
  FsEventItem *self;

  g_return_val_if_fail (event != NULL, NULL);

  self = g_object_new (FS_TYPE_EVENT_ITEM, NULL);
  self->event = fs_event_ref (event);
  return self;
}

FsEvent *
fs_event_item_get_event (FsEventItem *self)
{
  g_return_val_if_fail (FS_IS_EVENT_ITEM (self), NULL);

  return self->event;
}
