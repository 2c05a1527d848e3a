/* fs-script-lexer.c
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "fs-script-private.h"

/* Shell-style words, as /bin/sh splits them, without any expansion: blanks
 * separate words; '...' keeps everything literally; "..." keeps everything
 * but lets a backslash escape one of \ " $ `; outside quotes a backslash
 * escapes any character; a # that starts a word starts a comment. We do not
 * use g_shell_parse_argv() because the language needs to know whether a
 * word was quoted (`none` vs "none") and wants its own messages. */

static void
token_free (gpointer data)
{
  FsScriptToken *token = data;

  g_free (token->text);
  g_free (token);
}

static gboolean
is_blank (char c)
{
  return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

GPtrArray *
fs_script_tokenize (const char  *line,
                    gsize       *code_length,
                    GError     **error)
{
  g_autoptr(GPtrArray) tokens = g_ptr_array_new_with_free_func (token_free);
  const char *p = line;

  g_return_val_if_fail (line != NULL, NULL);

  if (code_length != NULL)
    *code_length = 0;

  if (!g_utf8_validate (line, -1, NULL))
    {
      g_set_error (error, FS_SCRIPT_ERROR, FS_SCRIPT_ERROR_SYNTAX,
                   _("the line is not valid UTF-8 text"));
      return NULL;
    }

  for (;;)
    {
      g_autoptr(GString) word = NULL;
      gboolean quoted = FALSE;
      FsScriptToken *token;

      while (is_blank (*p))
        p++;

      if (*p == '\0' || *p == '#')
        break;

      word = g_string_new (NULL);

      while (*p != '\0' && !is_blank (*p))
        {
          if (*p == '\\')
            {
              if (p[1] == '\0')
                {
                  g_set_error (error, FS_SCRIPT_ERROR, FS_SCRIPT_ERROR_SYNTAX,
                               _("a backslash ends the line (a statement cannot continue on the next line)"));
                  return NULL;
                }
              g_string_append_c (word, p[1]);
              quoted = TRUE;
              p += 2;
            }
          else if (*p == '\'')
            {
              const char *end = strchr (p + 1, '\'');

              if (end == NULL)
                {
                  g_set_error (error, FS_SCRIPT_ERROR, FS_SCRIPT_ERROR_SYNTAX,
                               _("a quote (') is not closed"));
                  return NULL;
                }
              g_string_append_len (word, p + 1, end - (p + 1));
              quoted = TRUE;
              p = end + 1;
            }
          else if (*p == '"')
            {
              p++;
              for (;;)
                {
                  if (*p == '\0')
                    {
                      g_set_error (error, FS_SCRIPT_ERROR, FS_SCRIPT_ERROR_SYNTAX,
                                   _("a quote (\") is not closed"));
                      return NULL;
                    }
                  if (*p == '"')
                    {
                      p++;
                      break;
                    }
                  if (*p == '\\' && p[1] != '\0' && strchr ("\\\"$`", p[1]) != NULL)
                    {
                      g_string_append_c (word, p[1]);
                      p += 2;
                      continue;
                    }
                  g_string_append_c (word, *p);
                  p++;
                }
              quoted = TRUE;
            }
          else
            {
              g_string_append_c (word, *p);
              p++;
            }
        }

      token = g_new0 (FsScriptToken, 1);
      token->text = g_string_free (g_steal_pointer (&word), FALSE);
      token->quoted = quoted;
      g_ptr_array_add (tokens, token);

      if (code_length != NULL)
        *code_length = p - line;
    }

  return g_steal_pointer (&tokens);
}

static gboolean
is_safe_char (guchar c)
{
  /* Bytes of non-ASCII UTF-8 characters are safe: 进程 needs no quotes. */
  return c >= 0x80 || g_ascii_isalnum (c) || strchr ("_-.,/:=+@%^~", c) != NULL;
}

char *
fs_script_quote (const char *word)
{
  GString *out;
  gboolean safe = TRUE;

  g_return_val_if_fail (word != NULL, NULL);
  /* A statement is one line: a newline cannot be written back. */
  g_return_val_if_fail (strpbrk (word, "\n\r") == NULL, NULL);

  if (*word == '\0')
    return g_strdup ("''");

  for (const char *p = word; *p != '\0'; p++)
    {
      if (!is_safe_char ((guchar) *p))
        {
          safe = FALSE;
          break;
        }
    }
  if (safe)
    return g_strdup (word);

  if (strchr (word, '\'') == NULL)
    return g_strdup_printf ("'%s'", word);

  out = g_string_new ("\"");
  for (const char *p = word; *p != '\0'; p++)
    {
      if (strchr ("\\\"$`", *p) != NULL)
        g_string_append_c (out, '\\');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');

  return g_string_free (out, FALSE);
}
