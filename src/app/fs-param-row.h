/* fs-param-row.h
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "fs-plugin-info.h"

G_BEGIN_DECLS

#define FS_TYPE_PARAM_ROW (fs_param_row_get_type ())

G_DECLARE_FINAL_TYPE (FsParamRow, fs_param_row, FS, PARAM_ROW, AdwPreferencesRow)

/* Checks @text; returns it normalized, or NULL with a translated @error. */
typedef char *(*FsParamRowCheckFunc) (FsParamRow  *row,
                                      const char  *text,
                                      gpointer     user_data,
                                      GError     **error);

/* A preferences row for one value: a title, a subtitle (the description),
 * the widget that suits the value's type, and, under the subtitle, why the
 * current value is refused. The value is checked on every change; the
 * "error" style class marks the control while it is invalid.
 *
 * Properties: "info" and "function" (construct-only), "subtitle", "valid"
 * (read-only).
 * Signals: "changed": the value changed (and was checked). */
/* A row for one parameter of @function ("plugin.function", used in error
 * messages), its control chosen from the spec (spin button with its range
 * for int and double, switch for bool, drop-down for enum, entry for
 * string) and set to the default. */
GtkWidget          *fs_param_row_new              (const FsParamInfo   *info,
                                                   const char          *function);
/* A row with a text entry, checked by @check_func (NULL: anything goes).
 * A row built with no "info" (e.g. in a .ui file) is such a row too. */
GtkWidget          *fs_param_row_new_text         (const char          *title,
                                                   const char          *subtitle,
                                                   FsParamRowCheckFunc  check_func,
                                                   gpointer             user_data);
void                fs_param_row_set_check_func   (FsParamRow          *self,
                                                   FsParamRowCheckFunc  check_func,
                                                   gpointer             user_data);

/* NULL for a text row. */
const FsParamInfo  *fs_param_row_get_info         (FsParamRow          *self);
const char         *fs_param_row_get_subtitle     (FsParamRow          *self);
void                fs_param_row_set_subtitle     (FsParamRow          *self,
                                                   const char          *subtitle);
/* The spin button, switch, drop-down or entry. */
GtkWidget          *fs_param_row_get_control      (FsParamRow          *self);
/* The text as shown: what a user would type in a script ("true", "4.5"). */
char               *fs_param_row_dup_text         (FsParamRow          *self);
/* Puts @text in the control (as typed: an invalid value stays visible, and
 * marked, so the user sees what to fix). */
void                fs_param_row_set_text         (FsParamRow          *self,
                                                   const char          *text);
/* Checks the current text again (e.g. after what the check depends on
 * changed). */
void                fs_param_row_recheck          (FsParamRow          *self);
gboolean            fs_param_row_get_valid        (FsParamRow          *self);
/* The checked, normalized value, or NULL while invalid. */
const char         *fs_param_row_get_value        (FsParamRow          *self);
/* Why the value is refused (translated), or NULL. */
const char         *fs_param_row_get_error        (FsParamRow          *self);

G_END_DECLS
