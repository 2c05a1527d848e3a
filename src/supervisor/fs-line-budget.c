/* fs-line-budget.c
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "fs-line-budget.h"

#define BYTES_PER_TOKEN 256.0

typedef struct
{
  GSourceFunc func;
  gpointer    data;
} Waiter;

struct _FsLineBudget
{
  double  rate;       /* tokens a second */
  double  burst;      /* the most the bucket holds */
  double  tokens;     /* may go below zero: a drain is charged in full */
  gint64  refilled;   /* monotonic time of the last refill */
  GArray *waiting;    /* Waiter */
  guint   timer_id;
};

static void
refill (FsLineBudget *self)
{
  gint64 now = g_get_monotonic_time ();

  self->tokens = MIN (self->burst, self->tokens + self->rate * (now - self->refilled) / G_USEC_PER_SEC);
  self->refilled = now;
}

FsLineBudget *
fs_line_budget_new (double per_second,
                    double burst)
{
  FsLineBudget *self;

  g_return_val_if_fail (per_second > 0, NULL);
  g_return_val_if_fail (burst >= FS_LINE_BUDGET_MIN_READ, NULL);

  self = g_new0 (FsLineBudget, 1);
  self->rate = per_second;
  self->burst = burst;
  self->tokens = burst;
  self->refilled = g_get_monotonic_time ();
  self->waiting = g_array_new (FALSE, FALSE, sizeof (Waiter));
  return self;
}

void
fs_line_budget_free (FsLineBudget *self)
{
  if (self == NULL)
    return;

  g_clear_handle_id (&self->timer_id, g_source_remove);
  g_array_unref (self->waiting);
  g_free (self);
}

gsize
fs_line_budget_available (FsLineBudget *self)
{
  g_return_val_if_fail (self != NULL, 0);

  refill (self);
  if (self->tokens < FS_LINE_BUDGET_MIN_READ)
    return 0;
  /* A byte can be a whole line ("\n"): one token per byte at most. */
  return (gsize) self->tokens;
}

void
fs_line_budget_charge (FsLineBudget *self,
                       gsize         lines,
                       gsize         bytes)
{
  g_return_if_fail (self != NULL);

  self->tokens -= lines + bytes / BYTES_PER_TOKEN;
}

static gboolean
timer_cb (gpointer user_data)
{
  FsLineBudget *self = user_data;
  g_autoptr(GArray) waiting = NULL;

  self->timer_id = 0;

  /* A waiter may wait again at once (and start a new timer). */
  waiting = g_steal_pointer (&self->waiting);
  self->waiting = g_array_new (FALSE, FALSE, sizeof (Waiter));
  for (guint i = 0; i < waiting->len; i++)
    {
      Waiter *waiter = &g_array_index (waiting, Waiter, i);

      waiter->func (waiter->data);
    }

  return G_SOURCE_REMOVE;
}

void
fs_line_budget_wait (FsLineBudget *self,
                     GSourceFunc   func,
                     gpointer      data)
{
  Waiter waiter = { func, data };

  g_return_if_fail (self != NULL);
  g_return_if_fail (func != NULL);

  g_array_append_val (self->waiting, waiter);

  if (self->timer_id == 0)
    {
      double missing;
      guint msec;

      refill (self);
      missing = FS_LINE_BUDGET_MIN_READ - self->tokens;
      /* Rounded up: waking a little late beats waking for nothing. */
      msec = missing > 0 ? (guint) (missing / self->rate * 1000) + 1 : 1;
      self->timer_id = g_timeout_add (msec, timer_cb, self);
    }
}

void
fs_line_budget_cancel_wait (FsLineBudget *self,
                            gpointer      data)
{
  g_return_if_fail (self != NULL);

  for (guint i = self->waiting->len; i > 0; i--)
    if (g_array_index (self->waiting, Waiter, i - 1).data == data)
      g_array_remove_index (self->waiting, i - 1);
}
