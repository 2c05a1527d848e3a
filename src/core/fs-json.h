/* fs-json.h
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A minimal JSON writer for the event stream (json-glib would be a whole
 * dependency for one-line objects). Output is always valid JSON: invalid
 * UTF-8 is replaced, control characters are escaped. */
void  fs_json_append_string   (GString     *out,
                               const char  *text);
/* Booleans, numbers, strings, arrays and a{sv}/a{s*} dictionaries; a
 * variant is unwrapped; anything else becomes its GVariant text, quoted. */
void  fs_json_append_variant  (GString     *out,
                               GVariant    *value);
/* A double in a locale-independent form, with @decimals after the point
 * (NaN and infinities, which JSON lacks, become null). */
void  fs_json_append_double   (GString     *out,
                               double       value,
                               int          decimals);

G_END_DECLS
