/* fs-line-budget.h
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* How much worker output the supervisor reads, shared by every socket: a
 * token bucket of @per_second tokens a second, holding at most @burst. A
 * line costs one token, and every 256 bytes read one more (so output with
 * no newline is not free either). When the bucket is empty, readers stop
 * reading: the workers block in write(), as on a slow terminal, and no
 * queue grows in the supervisor or in a front end that cannot follow. */
typedef struct _FsLineBudget FsLineBudget;

/* Reads smaller than this are not worth waking up for. */
#define FS_LINE_BUDGET_MIN_READ 256

FsLineBudget  *fs_line_budget_new         (double         per_second,
                                           double         burst);
void           fs_line_budget_free        (FsLineBudget  *self);
/* How many bytes may be read now: 0 (wait), or at least
 * FS_LINE_BUDGET_MIN_READ. Reading no more than that many bytes can cost
 * no more tokens than there are. */
gsize          fs_line_budget_available   (FsLineBudget  *self);
void           fs_line_budget_charge      (FsLineBudget  *self,
                                           gsize          lines,
                                           gsize          bytes);
/* Calls @func (@data) once reading may go on (once per wait). */
void           fs_line_budget_wait        (FsLineBudget  *self,
                                           GSourceFunc    func,
                                           gpointer       data);
void           fs_line_budget_cancel_wait (FsLineBudget  *self,
                                           gpointer       data);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FsLineBudget, fs_line_budget_free)

G_END_DECLS
