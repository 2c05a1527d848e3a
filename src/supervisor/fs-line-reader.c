/* fs-line-reader.c
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <glib-unix.h>

#include "fs-line-reader.h"

struct _FsLineReader
{
  int           fd;
  guint         source_id;
  FsLineBudget *budget;     /* not ours; NULL: read as fast as it comes */
  gboolean      waiting;    /* for the budget, with no source */
  FsLineFunc    func;
  gpointer      user_data;
  char          buf[FS_LINE_READER_MAX];
  gsize         len;
  gsize         emitted;    /* lines handed out, for the budget */
  gboolean      skipping;   /* dropping the rest of a cut line */
  gboolean      eof;
};

static gboolean readable_cb (int          fd,
                             GIOCondition condition,
                             gpointer     user_data);

static void
emit (FsLineReader *self,
      const char   *line,
      gsize         len,
      gboolean      truncated)
{
  g_autoptr(GString) copy = g_string_sized_new (len);
  const char *end = line + len;

  /* A NUL would end the line for everyone downstream: show it as U+FFFD,
   * like any other byte that is not text. */
  for (const char *p = line; p < end; )
    {
      const char *nul = memchr (p, '\0', end - p);

      g_string_append_len (copy, p, (nul != NULL ? nul : end) - p);
      if (nul == NULL)
        break;
      g_string_append (copy, "\xef\xbf\xbd");
      p = nul + 1;
    }

  self->emitted++;
  self->func (copy->str, truncated, self->user_data);
}

/* Split what arrived into lines; keep the incomplete tail. */
static void
consume (FsLineReader *self,
         const char   *data,
         gsize         n)
{
  while (n > 0)
    {
      const char *nl = memchr (data, '\n', n);
      gsize chunk = nl != NULL ? (gsize) (nl - data) : n;

      if (self->skipping)
        {
          if (nl == NULL)
            return;
          self->skipping = FALSE;
        }
      else
        {
          gsize room = sizeof self->buf - self->len;
          gsize take = MIN (chunk, room);

          memcpy (self->buf + self->len, data, take);
          self->len += take;

          if (nl != NULL && take == chunk)
            {
              emit (self, self->buf, self->len, FALSE);
              self->len = 0;
            }
          else if (self->len == sizeof self->buf)
            {
              emit (self, self->buf, self->len, TRUE);
              self->len = 0;
              /* A cut line whose newline is already here ends now. */
              self->skipping = (nl == NULL);
            }
        }

      if (nl == NULL)
        return;
      n -= chunk + 1;
      data = nl + 1;
    }
}

static void
finish (FsLineReader *self)
{
  if (self->eof)
    return;
  self->eof = TRUE;
  if (self->len > 0 && !self->skipping)
    emit (self, self->buf, self->len, FALSE);
  self->len = 0;
  g_clear_handle_id (&self->source_id, g_source_remove);
  if (self->waiting)
    {
      fs_line_budget_cancel_wait (self->budget, self);
      self->waiting = FALSE;
    }
  self->func (NULL, FALSE, self->user_data);
}

static gboolean
resume_cb (gpointer user_data)
{
  FsLineReader *self = user_data;

  self->waiting = FALSE;
  if (!self->eof && self->source_id == 0)
    self->source_id = g_unix_fd_add (self->fd, G_IO_IN | G_IO_HUP | G_IO_ERR, readable_cb, self);
  return G_SOURCE_REMOVE;
}

/* Out of budget: stop watching the pipe until there is some again. */
static void
wait_for_budget (FsLineReader *self)
{
  g_clear_handle_id (&self->source_id, g_source_remove);
  if (!self->waiting)
    {
      self->waiting = TRUE;
      fs_line_budget_wait (self->budget, resume_cb, self);
    }
}

/* Returns FALSE at end of file. Reads at most a few buffers per call so a
 * worker printing without pause cannot starve the supervisor, and with
 * @use_budget no more than the budget allows (stopping to wait for it). A
 * drain reads regardless, at most @max_bytes; what it reads is charged all
 * the same. */
static gboolean
read_some (FsLineReader *self,
           guint         max_reads,
           gboolean      use_budget,
           gsize         max_bytes)
{
  char data[16384];
  gsize total = 0;

  for (guint i = 0; i < max_reads && total < max_bytes; i++)
    {
      gsize size = MIN (sizeof data, max_bytes - total);
      gsize emitted;
      ssize_t n;

      if (use_budget && self->budget != NULL)
        {
          gsize available = fs_line_budget_available (self->budget);

          if (available == 0)
            {
              wait_for_budget (self);
              return TRUE;
            }
          size = MIN (size, available);
        }

      n = read (self->fd, data, size);
      if (n > 0)
        {
          total += n;
          emitted = self->emitted;
          consume (self, data, n);
          if (self->budget != NULL)
            fs_line_budget_charge (self->budget, self->emitted - emitted, n);
          continue;
        }
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0 && errno == EAGAIN)
        return TRUE;
      /* 0: every writer closed its end; any other error: treat alike. */
      return FALSE;
    }

  return TRUE;
}

static gboolean
readable_cb (int          fd,
             GIOCondition condition,
             gpointer     user_data)
{
  FsLineReader *self = user_data;

  if (!read_some (self, 4, TRUE, G_MAXSIZE))
    {
      self->source_id = 0;
      finish (self);
      return G_SOURCE_REMOVE;
    }
  /* Waiting for the budget took the source away. */
  return self->source_id != 0 ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

FsLineReader *
fs_line_reader_new (int           fd,
                    FsLineBudget *budget,
                    FsLineFunc    func,
                    gpointer      user_data)
{
  FsLineReader *self;

  g_return_val_if_fail (fd >= 0, NULL);
  g_return_val_if_fail (func != NULL, NULL);

  self = g_new0 (FsLineReader, 1);
  self->fd = fd;
  self->budget = budget;
  self->func = func;
  self->user_data = user_data;
  g_unix_set_fd_nonblocking (fd, TRUE, NULL);
  self->source_id = g_unix_fd_add (fd, G_IO_IN | G_IO_HUP | G_IO_ERR, readable_cb, self);

  return self;
}

void
fs_line_reader_drain (FsLineReader *self)
{
  int capacity;

  g_return_if_fail (self != NULL);

  if (self->eof)
    return;
  /* What the pipe holds now, and no more: a forked child that shares the
   * pipe may go on writing as fast as we read. (Asked now: a worker may
   * have made its pipe larger.) */
  capacity = fcntl (self->fd, F_GETPIPE_SZ);
  if (!read_some (self, G_MAXUINT, FALSE, capacity > 0 ? (gsize) capacity : 65536))
    finish (self);
}

gboolean
fs_line_reader_is_eof (FsLineReader *self)
{
  g_return_val_if_fail (self != NULL, TRUE);
  return self->eof;
}

int
fs_line_reader_get_fd (FsLineReader *self)
{
  g_return_val_if_fail (self != NULL, -1);
  return self->eof ? -1 : self->fd;
}

void
fs_line_reader_free (FsLineReader *self)
{
  if (self == NULL)
    return;

  g_clear_handle_id (&self->source_id, g_source_remove);
  if (self->waiting)
    fs_line_budget_cancel_wait (self->budget, self);
  if (self->fd >= 0)
    close (self->fd);
  g_free (self);
}
