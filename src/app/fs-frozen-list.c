/* fs-frozen-list.c
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "fs-frozen-list.h"

struct _FsFrozenList
{
  GObject     parent_instance;

  GListModel *source;
  gulong      changed_id;
  GPtrArray  *items;      /* what we show: the source's items, or a snapshot */
  gboolean    frozen;
};

static void fs_frozen_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (FsFrozenList, fs_frozen_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, fs_frozen_list_model_init))

static GType
fs_frozen_list_get_item_type (GListModel *model)
{
  FsFrozenList *self = FS_FROZEN_LIST (model);

  return g_list_model_get_item_type (self->source);
}

static guint
fs_frozen_list_get_n_items (GListModel *model)
{
  FsFrozenList *self = FS_FROZEN_LIST (model);

  return self->items->len;
}

static gpointer
fs_frozen_list_get_item (GListModel *model,
                         guint       position)
{
  FsFrozenList *self = FS_FROZEN_LIST (model);

  if (position >= self->items->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
fs_frozen_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = fs_frozen_list_get_item_type;
  iface->get_n_items = fs_frozen_list_get_n_items;
  iface->get_item = fs_frozen_list_get_item;
}

static void
source_changed_cb (FsFrozenList *self,
                   guint         position,
                   guint         removed,
                   guint         added,
                   GListModel   *source)
{
  if (self->frozen)
    return;

  g_ptr_array_remove_range (self->items, position, removed);
  for (guint i = 0; i < added; i++)
    g_ptr_array_insert (self->items, position + i, g_list_model_get_item (source, position + i));
  g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);
}

/* Catch up: keep the common start and end, replace the span between. */
static void
catch_up (FsFrozenList *self)
{
  guint n_old = self->items->len;
  guint n_new = g_list_model_get_n_items (self->source);
  guint prefix = 0, suffix = 0;

  while (prefix < n_old && prefix < n_new)
    {
      g_autoptr(GObject) item = g_list_model_get_item (self->source, prefix);

      if (item != g_ptr_array_index (self->items, prefix))
        break;
      prefix++;
    }
  while (suffix < n_old - prefix && suffix < n_new - prefix)
    {
      g_autoptr(GObject) item = g_list_model_get_item (self->source, n_new - 1 - suffix);

      if (item != g_ptr_array_index (self->items, n_old - 1 - suffix))
        break;
      suffix++;
    }

  if (prefix == n_old && prefix == n_new)
    return;

  g_ptr_array_remove_range (self->items, prefix, n_old - prefix - suffix);
  for (guint i = prefix; i < n_new - suffix; i++)
    g_ptr_array_insert (self->items, i, g_list_model_get_item (self->source, i));
  g_list_model_items_changed (G_LIST_MODEL (self), prefix, n_old - prefix - suffix, n_new - prefix - suffix);
}

FsFrozenList *
fs_frozen_list_new (GListModel *source)
{
  FsFrozenList *self;
  guint n;

  g_return_val_if_fail (G_IS_LIST_MODEL (source), NULL);

  self = g_object_new (FS_TYPE_FROZEN_LIST, NULL);
  self->source = g_object_ref (source);
  n = g_list_model_get_n_items (source);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (self->items, g_list_model_get_item (source, i));
  self->changed_id = g_signal_connect_swapped (source, "items-changed",
                                               G_CALLBACK (source_changed_cb), self);
  return self;
}

GListModel *
fs_frozen_list_get_source (FsFrozenList *self)
{
  g_return_val_if_fail (FS_IS_FROZEN_LIST (self), NULL);

  return self->source;
}

void
fs_frozen_list_set_frozen (FsFrozenList *self,
                           gboolean      frozen)
{
  g_return_if_fail (FS_IS_FROZEN_LIST (self));

  frozen = !!frozen;
  if (self->frozen == frozen)
    return;

  self->frozen = frozen;
  if (!frozen)
    catch_up (self);
}

gboolean
fs_frozen_list_get_frozen (FsFrozenList *self)
{
  g_return_val_if_fail (FS_IS_FROZEN_LIST (self), FALSE);

  return self->frozen;
}

static void
fs_frozen_list_dispose (GObject *object)
{
  FsFrozenList *self = (FsFrozenList *)object;

  if (self->source != NULL)
    g_clear_signal_handler (&self->changed_id, self->source);
  g_clear_object (&self->source);

  G_OBJECT_CLASS (fs_frozen_list_parent_class)->dispose (object);
}

static void
fs_frozen_list_finalize (GObject *object)
{
  FsFrozenList *self = (FsFrozenList *)object;

  g_clear_pointer (&self->items, g_ptr_array_unref);

  G_OBJECT_CLASS (fs_frozen_list_parent_class)->finalize (object);
}

static void
fs_frozen_list_class_init (FsFrozenListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = fs_frozen_list_dispose;
  object_class->finalize = fs_frozen_list_finalize;
}

static void
fs_frozen_list_init (FsFrozenList *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
}
