/* fs-json.c
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>

#include "fs-json.h"

void
fs_json_append_string (GString    *out,
                       const char *text)
{
  g_autofree char *valid = NULL;
  const char *p;

  g_return_if_fail (out != NULL);

  if (text == NULL)
    {
      g_string_append (out, "null");
      return;
    }

  if (!g_utf8_validate (text, -1, NULL))
    text = valid = g_utf8_make_valid (text, -1);

  g_string_append_c (out, '"');
  for (p = text; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      switch (c)
        {
        case '"':
          g_string_append (out, "\\\"");
          break;
        case '\\':
          g_string_append (out, "\\\\");
          break;
        case '\n':
          g_string_append (out, "\\n");
          break;
        case '\r':
          g_string_append (out, "\\r");
          break;
        case '\t':
          g_string_append (out, "\\t");
          break;
        case '\b':
          g_string_append (out, "\\b");
          break;
        case '\f':
          g_string_append (out, "\\f");
          break;
        default:
          if (c < 0x20 || c == 0x7f)
            g_string_append_printf (out, "\\u%04x", c);
          else
            g_string_append_c (out, (char) c);
          break;
        }
    }
  g_string_append_c (out, '"');
}

void
fs_json_append_double (GString *out,
                       double   value,
                       int      decimals)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  char format[16];

  g_return_if_fail (out != NULL);

  if (!isfinite (value))
    {
      g_string_append (out, "null");
      return;
    }

  g_snprintf (format, sizeof format, "%%.%df", CLAMP (decimals, 0, 9));
  g_string_append (out, g_ascii_formatd (buf, sizeof buf, format, value));
}

void
fs_json_append_variant (GString  *out,
                        GVariant *value)
{
  const GVariantType *type;

  g_return_if_fail (out != NULL);

  if (value == NULL)
    {
      g_string_append (out, "null");
      return;
    }

  type = g_variant_get_type (value);

  if (g_variant_type_equal (type, G_VARIANT_TYPE_BOOLEAN))
    g_string_append (out, g_variant_get_boolean (value) ? "true" : "false");
  else if (g_variant_type_equal (type, G_VARIANT_TYPE_BYTE))
    g_string_append_printf (out, "%u", g_variant_get_byte (value));
  else if (g_variant_type_equal (type, G_VARIANT_TYPE_INT16))
    g_string_append_printf (out, "%d", g_variant_get_int16 (value));
  else if (g_variant_type_equal (type, G_VARIANT_TYPE_UINT16))
    g_string_append_printf (out, "%u", g_variant_get_uint16 (value));
  else if (g_variant_type_equal (type, G_VARIANT_TYPE_INT32))
    g_string_append_printf (out, "%d", g_variant_get_int32 (value));
  else if (g_variant_type_equal (type, G_VARIANT_TYPE_UINT32))
    g_string_append_printf (out, "%u", g_variant_get_uint32 (value));
  else if (g_variant_type_equal (type, G_VARIANT_TYPE_INT64))
    g_string_append_printf (out, "%" G_GINT64_FORMAT, g_variant_get_int64 (value));
  else if (g_variant_type_equal (type, G_VARIANT_TYPE_UINT64))
    g_string_append_printf (out, "%" G_GUINT64_FORMAT, g_variant_get_uint64 (value));
  else if (g_variant_type_equal (type, G_VARIANT_TYPE_DOUBLE))
    {
      char buf[G_ASCII_DTOSTR_BUF_SIZE];
      double d = g_variant_get_double (value);

      /* Short and exact enough: 0.2, not 0.20000000000000001 or 0.200000. */
      if (isfinite (d))
        g_string_append (out, g_ascii_formatd (buf, sizeof buf, "%.6g", d));
      else
        g_string_append (out, "null");
    }
  else if (g_variant_type_is_subtype_of (type, G_VARIANT_TYPE_STRING) ||
           g_variant_type_equal (type, G_VARIANT_TYPE_OBJECT_PATH) ||
           g_variant_type_equal (type, G_VARIANT_TYPE_SIGNATURE))
    fs_json_append_string (out, g_variant_get_string (value, NULL));
  else if (g_variant_type_equal (type, G_VARIANT_TYPE_VARIANT))
    {
      g_autoptr(GVariant) inner = g_variant_get_variant (value);
      fs_json_append_variant (out, inner);
    }
  else if (g_variant_type_is_array (type) &&
           g_variant_type_is_dict_entry (g_variant_type_element (type)) &&
           g_variant_type_equal (g_variant_type_key (g_variant_type_element (type)),
                                 G_VARIANT_TYPE_STRING))
    {
      gsize n = g_variant_n_children (value);

      g_string_append_c (out, '{');
      for (gsize i = 0; i < n; i++)
        {
          g_autoptr(GVariant) entry = g_variant_get_child_value (value, i);
          g_autoptr(GVariant) key = g_variant_get_child_value (entry, 0);
          g_autoptr(GVariant) val = g_variant_get_child_value (entry, 1);

          if (i > 0)
            g_string_append_c (out, ',');
          fs_json_append_string (out, g_variant_get_string (key, NULL));
          g_string_append_c (out, ':');
          fs_json_append_variant (out, val);
        }
      g_string_append_c (out, '}');
    }
  else if (g_variant_type_is_array (type) || g_variant_type_is_tuple (type))
    {
      gsize n = g_variant_n_children (value);

      g_string_append_c (out, '[');
      for (gsize i = 0; i < n; i++)
        {
          g_autoptr(GVariant) child = g_variant_get_child_value (value, i);

          if (i > 0)
            g_string_append_c (out, ',');
          fs_json_append_variant (out, child);
        }
      g_string_append_c (out, ']');
    }
  else if (g_variant_type_is_maybe (type))
    {
      g_autoptr(GVariant) child = g_variant_get_maybe (value);
      fs_json_append_variant (out, child);
    }
  else
    {
      g_autofree char *text = g_variant_print (value, FALSE);
      fs_json_append_string (out, text);
    }
}
