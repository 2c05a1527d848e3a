/* fs-definition-store.h
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "fs-worker-definition.h"

G_BEGIN_DECLS

#define FS_TYPE_DEFINITION_STORE (fs_definition_store_get_type ())

G_DECLARE_FINAL_TYPE (FsDefinitionStore, fs_definition_store, FS, DEFINITION_STORE, GObject)

/* The user's worker definitions: a GListModel of FsWorkerDefinition, kept in
 * a lesson-language script (one `process` statement per definition). Every
 * change (adding, removing, or changing a definition's properties) is saved
 * a moment later, atomically; fs_definition_store_save() saves at once, and
 * disposing the store saves what is pending.
 *
 * Signals:
 *  - "saved": the file was written.
 *  - "save-failed" (const GError *): it could not be; the message is
 *    translated and names the file. */
FsDefinitionStore   *fs_definition_store_new                (const char          *path);
/* $XDG_DATA_HOME/forkscope/workers.forkscope */
char                *fs_definition_store_get_default_path   (void);
const char          *fs_definition_store_get_path           (FsDefinitionStore   *self);

/* Replaces the contents with the file's. With no file (the first run), the
 * store is seeded with the tutorial's three workers, th1, th2 and th3. A
 * file with bad lines loads everything else, is copied to PATH.bak first,
 * and FALSE is returned with every problem (and line number) in @error; the
 * store is usable either way. A file that cannot be read at all is never
 * overwritten: saving stays off until the next successful load. */
gboolean             fs_definition_store_load               (FsDefinitionStore   *self,
                                                             GError             **error);
gboolean             fs_definition_store_save               (FsDefinitionStore   *self,
                                                             GError             **error);
/* Whether the last load found no file and seeded the tutorial's workers. */
gboolean             fs_definition_store_get_first_run      (FsDefinitionStore   *self);
/* Milliseconds between a change and the save (default 500). */
void                 fs_definition_store_set_save_delay     (FsDefinitionStore   *self,
                                                             guint                delay_ms);

void                 fs_definition_store_append             (FsDefinitionStore   *self,
                                                             FsWorkerDefinition  *definition);
void                 fs_definition_store_insert             (FsDefinitionStore   *self,
                                                             guint                position,
                                                             FsWorkerDefinition  *definition);
void                 fs_definition_store_remove             (FsDefinitionStore   *self,
                                                             guint                position);
void                 fs_definition_store_remove_all         (FsDefinitionStore   *self);
gboolean             fs_definition_store_find               (FsDefinitionStore   *self,
                                                             FsWorkerDefinition  *definition,
                                                             guint               *position);
FsWorkerDefinition  *fs_definition_store_lookup             (FsDefinitionStore   *self,
                                                             const char          *name);
/* "PREFIX-N" with the smallest N (counting from the number of definitions
 * plus one, so a fourth worker is "Worker-4") that no definition uses. */
char                *fs_definition_store_dup_unique_name    (FsDefinitionStore   *self,
                                                             const char          *prefix);
/* A free name for a copy of @name: "th1" -> "th1-2", "th1-2" -> "th1-3". */
char                *fs_definition_store_dup_copy_name      (FsDefinitionStore   *self,
                                                             const char          *name);
/* The seed's things = [th1, th2, th3], as tutorial.sleep_print workers. */
void                 fs_definition_store_add_tutorial_workers (FsDefinitionStore *self);

G_END_DECLS
