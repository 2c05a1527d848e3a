/* fs-definition-row.h
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "fs-worker-definition.h"

G_BEGIN_DECLS

#define FS_TYPE_DEFINITION_ROW (fs_definition_row_get_type ())

G_DECLARE_FINAL_TYPE (FsDefinitionRow, fs_definition_row, FS, DEFINITION_ROW, GtkWidget)

/* One line of the definitions sidebar: name, a "daemon" tag, the function
 * and its arguments, and a start button, kept up to date with the
 * definition's properties.
 *
 * Signals:
 *  - "start": the start button was clicked. */
GtkWidget          *fs_definition_row_new            (void);
FsWorkerDefinition *fs_definition_row_get_definition (FsDefinitionRow    *self);
void                fs_definition_row_set_definition (FsDefinitionRow    *self,
                                                      FsWorkerDefinition *definition);
/* A note shown as a warning icon, e.g. that the function is unavailable
 * (NULL: none). */
void                fs_definition_row_set_problem    (FsDefinitionRow    *self,
                                                      const char         *problem);

G_END_DECLS
