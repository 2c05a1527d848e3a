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
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <glib-unix.h>
#include <gio/gio.h>

#include "fs-line-reader.h"

/* One writer's line so far. */
typedef struct
{
  int      writer;
  gboolean skipping;   /* dropping the rest of a cut line */
  gsize    len;
  char     buf[FS_LINE_READER_MAX];
} Partial;

struct _FsLineReader
{
  int           fd;
  guint         source_id;
  FsLineBudget *budget;     /* not ours; NULL: read as fast as it comes */
  gboolean      waiting;    /* for the budget, with no source */
  FsLineFunc    func;
  gpointer      user_data;
  GPtrArray    *partials;   /* Partial, oldest first */
  gsize         emitted;    /* lines handed out, for the budget */
  gboolean      plain;      /* not a socket: read(), no writers */
  gboolean      busy;       /* reading: a drain or flush now would reorder */
  gboolean      eof;
};

static gboolean readable_cb (int          fd,
                             GIOCondition condition,
                             gpointer     user_data);

gboolean
fs_line_reader_socketpair (int     *read_fd,
                           int     *write_fd,
                           GError **error)
{
  int fds[2];
  int one = 1;

  g_return_val_if_fail (read_fd != NULL && write_fd != NULL, FALSE);

  if (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "socketpair: %s", g_strerror (saved));
      return FALSE;
    }

  /* Set before anyone writes: the credentials are attached at write time,
   * and only when the receiving end asks for them. Shutting our sending
   * side makes the worker's end write-only in effect, like a pipe's:
   * reading its stdout gives end of file instead of waiting forever. */
  if (setsockopt (fds[0], SOL_SOCKET, SO_PASSCRED, &one, sizeof one) != 0 ||
      shutdown (fds[0], SHUT_WR) != 0)
    {
      int saved = errno;

      close (fds[0]);
      close (fds[1]);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "Cannot set up an output socket: %s", g_strerror (saved));
      return FALSE;
    }

  *read_fd = fds[0];
  *write_fd = fds[1];
  return TRUE;
}

static void
emit (FsLineReader *self,
      const char   *line,
      gsize         len,
      gboolean      truncated,
      int           writer)
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
  self->func (copy->str, truncated, writer, self->user_data);
}

static void
partial_flush (FsLineReader *self,
               Partial      *partial)
{
  if (partial->len > 0 && !partial->skipping)
    emit (self, partial->buf, partial->len, FALSE, partial->writer);
  partial->len = 0;
  partial->skipping = FALSE;
}

static Partial *
find_partial (FsLineReader *self,
              int           writer,
              guint        *index)
{
  /* Newest first: the writer of the last chunk is the likeliest. */
  for (guint i = self->partials->len; i > 0; i--)
    {
      Partial *partial = g_ptr_array_index (self->partials, i - 1);

      if (partial->writer == writer)
        {
          if (index != NULL)
            *index = i - 1;
          return partial;
        }
    }
  return NULL;
}

static Partial *
add_partial (FsLineReader *self,
             int           writer)
{
  Partial *partial;

  if (self->partials->len >= FS_LINE_READER_MAX_WRITERS)
    {
      /* Drop the writers with nothing pending; if every one has a line
       * under way, the oldest is handed out as it is. */
      for (guint i = self->partials->len; i > 0; i--)
        {
          Partial *old = g_ptr_array_index (self->partials, i - 1);

          if (old->len == 0 && !old->skipping)
            g_ptr_array_remove_index (self->partials, i - 1);
        }
      if (self->partials->len >= FS_LINE_READER_MAX_WRITERS)
        {
          partial_flush (self, g_ptr_array_index (self->partials, 0));
          g_ptr_array_remove_index (self->partials, 0);
        }
    }

  partial = g_new (Partial, 1);
  partial->writer = writer;
  partial->skipping = FALSE;
  partial->len = 0;
  g_ptr_array_add (self->partials, partial);
  return partial;
}

/* Split what @writer wrote into lines; keep its incomplete tail. Lines
 * that arrive whole (the common case) are handed out without a copy into
 * a partial buffer. */
static void
consume (FsLineReader *self,
         int           writer,
         const char   *data,
         gsize         n)
{
  Partial *partial = find_partial (self, writer, NULL);

  while (n > 0)
    {
      const char *nl = memchr (data, '\n', n);
      gsize chunk = nl != NULL ? (gsize) (nl - data) : n;

      if (partial != NULL && partial->skipping)
        {
          if (nl == NULL)
            return;
          partial->skipping = FALSE;
        }
      else if (nl != NULL && (partial == NULL || partial->len == 0))
        {
          /* A whole line, cut if too long. */
          emit (self, data, MIN (chunk, FS_LINE_READER_MAX), chunk > FS_LINE_READER_MAX, writer);
        }
      else
        {
          gsize room, take;

          if (partial == NULL)
            partial = add_partial (self, writer);
          room = sizeof partial->buf - partial->len;
          take = MIN (chunk, room);
          memcpy (partial->buf + partial->len, data, take);
          partial->len += take;

          if (nl != NULL && take == chunk)
            {
              emit (self, partial->buf, partial->len, FALSE, writer);
              partial->len = 0;
            }
          else if (partial->len == sizeof partial->buf)
            {
              emit (self, partial->buf, partial->len, TRUE, writer);
              partial->len = 0;
              /* A cut line whose newline is already here ends now. */
              partial->skipping = (nl == NULL);
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
  self->busy = TRUE;
  /* Whoever is still half-way through a line, in the order they began. */
  for (guint i = 0; i < self->partials->len; i++)
    partial_flush (self, g_ptr_array_index (self->partials, i));
  g_ptr_array_set_size (self->partials, 0);
  self->busy = FALSE;
  g_clear_handle_id (&self->source_id, g_source_remove);
  if (self->waiting)
    {
      fs_line_budget_cancel_wait (self->budget, self);
      self->waiting = FALSE;
    }
  /* Last: the callback may free the reader. */
  self->func (NULL, FALSE, 0, self->user_data);
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

/* Out of budget: stop watching the socket until there is some again. */
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

/* One recvmsg(): the data of one writer, and who it is. */
static ssize_t
receive (FsLineReader *self,
         char         *data,
         gsize         size,
         int          *writer)
{
  union
  {
    struct cmsghdr header;
    char           space[CMSG_SPACE (sizeof (struct ucred))];
  } control;
  struct iovec iov = { data, size };
  struct msghdr msg;
  struct cmsghdr *cmsg;
  ssize_t n;

  *writer = 0;

  if (self->plain)
    return read (self->fd, data, size);

  memset (&msg, 0, sizeof msg);
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = &control;
  msg.msg_controllen = sizeof control;

  n = recvmsg (self->fd, &msg, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
  if (n < 0 && errno == ENOTSOCK)
    {
      self->plain = TRUE;
      return read (self->fd, data, size);
    }
  if (n < 0)
    return n;

  for (cmsg = CMSG_FIRSTHDR (&msg); cmsg != NULL; cmsg = CMSG_NXTHDR (&msg, cmsg))
    {
      if (cmsg->cmsg_level != SOL_SOCKET)
        continue;
      if (cmsg->cmsg_type == SCM_CREDENTIALS &&
          cmsg->cmsg_len >= CMSG_LEN (sizeof (struct ucred)))
        {
          struct ucred cred;

          memcpy (&cred, CMSG_DATA (cmsg), sizeof cred);
          /* 0: a writer our PID namespace cannot see. */
          *writer = cred.pid > 0 ? cred.pid : 0;
        }
      else if (cmsg->cmsg_type == SCM_RIGHTS)
        {
          /* A worker may send descriptors down its stdout; ours has no
           * room for them (the kernel drops them), but never keep one. */
          gsize count = (cmsg->cmsg_len - CMSG_LEN (0)) / sizeof (int);

          for (gsize i = 0; i < count; i++)
            {
              int fd;

              memcpy (&fd, CMSG_DATA (cmsg) + i * sizeof (int), sizeof fd);
              close (fd);
            }
        }
    }

  return n;
}

/* Returns FALSE at end of file. Reads at most @max_reads chunks per call so
 * a worker printing without pause cannot starve the supervisor, and with
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
      int writer;
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

      n = receive (self, data, size, &writer);
      if (n > 0)
        {
          total += n;
          emitted = self->emitted;
          consume (self, writer, data, n);
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
  gboolean more;

  self->busy = TRUE;
  more = read_some (self, 4, TRUE, G_MAXSIZE);
  self->busy = FALSE;

  if (!more)
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
  self->partials = g_ptr_array_new_with_free_func (g_free);
  g_unix_set_fd_nonblocking (fd, TRUE, NULL);
  self->source_id = g_unix_fd_add (fd, G_IO_IN | G_IO_HUP | G_IO_ERR, readable_cb, self);

  return self;
}

void
fs_line_reader_drain (FsLineReader *self)
{
  gboolean more;
  int queued = -1;

  g_return_if_fail (self != NULL);

  /* Called back from our own callback: what is being read comes first. */
  if (self->eof || self->busy)
    return;

  /* What the socket holds now, and no more: a forked child that shares it
   * may go on writing as fast as we read. It holds many small writes (one
   * per line, from any number of writers, one writer's run per read). A
   * pipe: at most its capacity. Nor more than a pipe holds by default: a
   * socket holds three times as much of large writes (`yes`: 98304
   * lines), too many to send at once; the rest comes after the exit,
   * paced. */
  if (self->plain || ioctl (self->fd, FIONREAD, &queued) != 0 || queued < 0)
    queued = fcntl (self->fd, F_GETPIPE_SZ);
  if (queued < 0 || (!self->plain && queued > FS_LINE_READER_DRAIN_MAX))
    queued = FS_LINE_READER_DRAIN_MAX;

  /* Nothing queued: one read still tells end of file from no data. */
  self->busy = TRUE;
  more = read_some (self, G_MAXUINT, FALSE, MAX ((gsize) queued, 1));
  self->busy = FALSE;
  if (!more)
    finish (self);
}

void
fs_line_reader_flush_writer (FsLineReader *self,
                             int           writer)
{
  Partial *partial;
  guint index;

  g_return_if_fail (self != NULL);

  if (self->eof || self->busy || writer <= 0)
    return;

  partial = find_partial (self, writer, &index);
  if (partial == NULL)
    return;

  self->busy = TRUE;
  partial_flush (self, partial);
  g_ptr_array_remove_index (self->partials, index);
  self->busy = FALSE;
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
  g_clear_pointer (&self->partials, g_ptr_array_unref);
  g_free (self);
}
