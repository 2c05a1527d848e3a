/* test-line-reader.c: the supervisor's output reader, and the kernel
 * behaviour it stands on, with real forked writers
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib-unix.h>

#include "fs-line-reader.h"

#define TIMEOUT_MSEC 10000

typedef struct
{
  char     *text;
  gboolean  truncated;
  int       writer;
} Line;

typedef struct
{
  GArray       *lines;   /* Line */
  gboolean      eof;
  FsLineReader *reader;
} Collected;

static void
line_clear (Line *line)
{
  g_free (line->text);
}

static void
collect_cb (const char *text,
            gboolean    truncated,
            int         writer,
            gpointer    user_data)
{
  Collected *c = user_data;
  Line line;

  if (text == NULL)
    {
      c->eof = TRUE;
      g_clear_pointer (&c->reader, fs_line_reader_free);
      return;
    }
  line.text = g_strdup (text);
  line.truncated = truncated;
  line.writer = writer;
  g_array_append_val (c->lines, line);
}

static void
collected_init (Collected *c)
{
  c->lines = g_array_new (FALSE, TRUE, sizeof (Line));
  g_array_set_clear_func (c->lines, (GDestroyNotify) line_clear);
  c->eof = FALSE;
  c->reader = NULL;
}

static void
collected_clear (Collected *c)
{
  g_clear_pointer (&c->reader, fs_line_reader_free);
  g_clear_pointer (&c->lines, g_array_unref);
}

static gboolean
timeout_cb (gpointer user_data)
{
  g_error ("Timed out waiting for the reader");
  return G_SOURCE_REMOVE;
}

static void
run_until_eof (Collected *c)
{
  guint id = g_timeout_add (TIMEOUT_MSEC, timeout_cb, NULL);

  while (!c->eof)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (id);
}

static void
run_until_lines (Collected *c,
                 guint      n)
{
  guint id = g_timeout_add (TIMEOUT_MSEC, timeout_cb, NULL);

  while (c->lines->len < n && !c->eof)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (id);
}

static const Line *
find_line (Collected  *c,
           const char *text)
{
  for (guint i = 0; i < c->lines->len; i++)
    {
      const Line *line = &g_array_index (c->lines, Line, i);

      if (g_str_equal (line->text, text))
        return line;
    }
  return NULL;
}

/* A writer process that writes what it is told, in steps: the test sends
 * a byte on @go for each step and waits for the byte on @done, so the
 * order of writes between processes is the test's. */
typedef struct
{
  pid_t pid;
  int   go;     /* ours: write end */
  int   done;   /* ours: read end */
} Writer;

static void
writer_start (Writer      *w,
              int          out,
              const char **pieces)
{
  int go[2], done[2];

  g_assert_no_errno (pipe (go));
  g_assert_no_errno (pipe (done));
  w->pid = fork ();
  g_assert_cmpint (w->pid, >=, 0);
  if (w->pid == 0)
    {
      char byte;

      close (go[1]);
      close (done[0]);
      for (guint i = 0; pieces[i] != NULL; i++)
        {
          if (read (go[0], &byte, 1) != 1)
            _exit (1);
          if (write (out, pieces[i], strlen (pieces[i])) != (ssize_t) strlen (pieces[i]))
            _exit (2);
          if (write (done[1], "", 1) != 1)
            _exit (3);
        }
      _exit (0);
    }
  close (go[0]);
  close (done[1]);
  w->go = go[1];
  w->done = done[0];
}

static void
writer_step (Writer *w)
{
  char byte;

  g_assert_cmpint (write (w->go, "", 1), ==, 1);
  g_assert_cmpint (read (w->done, &byte, 1), ==, 1);
}

static void
writer_finish (Writer *w)
{
  int status;

  close (w->go);
  close (w->done);
  g_assert_cmpint (waitpid (w->pid, &status, 0), ==, w->pid);
  g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 0);
}

/* ---- the kernel: one recvmsg() never mixes two writers ----------------- */

#define N_WRITERS 4
#define N_RECORDS 3000

/* What the reader relies on, checked directly: with SO_PASSCRED on the
 * receiving end, Linux ends a recvmsg() where the sender's credentials
 * change, so each chunk is one writer's. Four processes write small
 * records, each naming its own pid, as fast as they can at once. */
static void
test_kernel_keeps_writers_apart (void)
{
  int read_fd, write_fd;
  pid_t pids[N_WRITERS];
  guint chunks = 0, records = 0, switches = 0;
  int last = 0;
  char buf[65536];
  char rest[64] = "";

  g_assert_true (fs_line_reader_socketpair (&read_fd, &write_fd, NULL));

  for (guint i = 0; i < N_WRITERS; i++)
    {
      pids[i] = fork ();
      g_assert_cmpint (pids[i], >=, 0);
      if (pids[i] == 0)
        {
          char record[32];
          int len = g_snprintf (record, sizeof record, "%d;", (int) getpid ());

          close (read_fd);
          for (guint k = 0; k < N_RECORDS; k++)
            if (write (write_fd, record, len) != len)
              _exit (1);
          _exit (0);
        }
    }
  close (write_fd);

  for (;;)
    {
      union
      {
        struct cmsghdr header;
        char           space[CMSG_SPACE (sizeof (struct ucred))];
      } control;
      struct iovec iov = { buf, sizeof buf - 1 };
      struct msghdr msg = { 0, };
      struct cmsghdr *cmsg;
      struct ucred cred = { 0, };
      char *p, *end;
      ssize_t n;

      msg.msg_iov = &iov;
      msg.msg_iovlen = 1;
      msg.msg_control = &control;
      msg.msg_controllen = sizeof control;
      n = recvmsg (read_fd, &msg, 0);
      if (n < 0 && errno == EINTR)
        continue;
      g_assert_cmpint (n, >=, 0);
      if (n == 0)
        break;
      chunks++;

      cmsg = CMSG_FIRSTHDR (&msg);
      g_assert_nonnull (cmsg);
      g_assert_cmpint (cmsg->cmsg_type, ==, SCM_CREDENTIALS);
      memcpy (&cred, CMSG_DATA (cmsg), sizeof cred);
      if (last != 0 && cred.pid != last)
        {
          /* A chunk may end inside a record only when the buffer is
           * full, and then the same writer's rest comes next. */
          g_assert_cmpstr (rest, ==, "");
          switches++;
        }
      last = cred.pid;

      /* Every record in the chunk is this writer's. */
      buf[n] = '\0';
      for (p = buf; (end = strchr (p, ';')) != NULL; p = end + 1)
        {
          g_autofree char *record = NULL;

          *end = '\0';
          record = g_strconcat (rest, p, NULL);
          rest[0] = '\0';
          g_assert_cmpint (atoi (record), ==, cred.pid);
          records++;
        }
      g_assert_cmpuint (strlen (rest) + strlen (p), <, sizeof rest);
      g_strlcat (rest, p, sizeof rest);
    }
  close (read_fd);

  for (guint i = 0; i < N_WRITERS; i++)
    {
      int status;

      g_assert_cmpint (waitpid (pids[i], &status, 0), ==, pids[i]);
      g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 0);
    }
  g_test_message ("%u records in %u chunks, the writer changing %u times", records, chunks, switches);
  g_assert_cmpuint (records, ==, N_WRITERS * N_RECORDS);
  /* They did write at the same time (else the test proves nothing). */
  g_assert_cmpuint (switches, >=, 1);
}

/* ---- the reader -------------------------------------------------------- */

/* Two processes write their lines in pieces, taking turns: each line is
 * put together from its own writer's pieces. Through a pipe this would
 * read "a1 b1 a2" and "b2". */
static void
test_pieces_per_writer (void)
{
  const char *a_pieces[] = { "a1 ", "a2\n", "a3 ", "a4\n", NULL };
  const char *b_pieces[] = { "b1 ", "b2\n", "b3\n", NULL };
  g_autofree char *a_line = NULL;
  Collected c;
  Writer a, b;
  int read_fd, write_fd;

  collected_init (&c);
  g_assert_true (fs_line_reader_socketpair (&read_fd, &write_fd, NULL));
  c.reader = fs_line_reader_new (read_fd, NULL, collect_cb, &c);
  writer_start (&a, write_fd, a_pieces);
  writer_start (&b, write_fd, b_pieces);
  close (write_fd);

  writer_step (&a);
  writer_step (&b);
  writer_step (&a);
  writer_step (&b);
  writer_step (&a);
  writer_step (&b);
  writer_step (&a);
  writer_finish (&a);
  writer_finish (&b);
  run_until_eof (&c);

  g_assert_cmpuint (c.lines->len, ==, 4);
  g_assert_nonnull (find_line (&c, "a1 a2"));
  g_assert_cmpint (find_line (&c, "a1 a2")->writer, ==, a.pid);
  g_assert_nonnull (find_line (&c, "a3 a4"));
  g_assert_cmpint (find_line (&c, "a3 a4")->writer, ==, a.pid);
  g_assert_nonnull (find_line (&c, "b1 b2"));
  g_assert_cmpint (find_line (&c, "b1 b2")->writer, ==, b.pid);
  g_assert_nonnull (find_line (&c, "b3"));
  g_assert_cmpint (find_line (&c, "b3")->writer, ==, b.pid);
  collected_clear (&c);
}

/* One writer's overlong line is cut, the rest of it dropped, while another
 * writer's lines in between come through whole. */
static void
test_truncation_per_writer (void)
{
  g_autofree char *long_piece = g_strnfill (3000, 'x');
  const char *a_pieces[] = { long_piece, long_piece, "end of the long line\n", "after\n", NULL };
  const char *b_pieces[] = { "short one\n", "short two\n", NULL };
  g_autofree char *expected = g_strnfill (FS_LINE_READER_MAX, 'x');
  Collected c;
  Writer a, b;
  int read_fd, write_fd;

  collected_init (&c);
  g_assert_true (fs_line_reader_socketpair (&read_fd, &write_fd, NULL));
  c.reader = fs_line_reader_new (read_fd, NULL, collect_cb, &c);
  writer_start (&a, write_fd, a_pieces);
  writer_start (&b, write_fd, b_pieces);
  close (write_fd);

  writer_step (&a);
  writer_step (&b);
  writer_step (&a);
  writer_step (&b);
  writer_step (&a);
  writer_step (&a);
  writer_finish (&a);
  writer_finish (&b);
  run_until_eof (&c);

  g_assert_cmpuint (c.lines->len, ==, 4);
  g_assert_nonnull (find_line (&c, expected));
  g_assert_true (find_line (&c, expected)->truncated);
  g_assert_cmpint (find_line (&c, expected)->writer, ==, a.pid);
  g_assert_nonnull (find_line (&c, "after"));
  g_assert_false (find_line (&c, "after")->truncated);
  g_assert_nonnull (find_line (&c, "short one"));
  g_assert_cmpint (find_line (&c, "short one")->writer, ==, b.pid);
  g_assert_nonnull (find_line (&c, "short two"));
  collected_clear (&c);
}

/* A writer that exits half-way through a line: the supervisor flushes its
 * line when it learns of the exit, before end of file (others still hold
 * the socket: here, this test). Whatever is left at end of file comes out
 * then, each with its own writer. */
static void
test_partial_lines_flushed (void)
{
  const char *a_pieces[] = { "a's last words", NULL };
  const char *b_pieces[] = { "b's last words", NULL };
  Collected c;
  Writer a, b;
  int read_fd, write_fd;

  collected_init (&c);
  g_assert_true (fs_line_reader_socketpair (&read_fd, &write_fd, NULL));
  c.reader = fs_line_reader_new (read_fd, NULL, collect_cb, &c);
  writer_start (&a, write_fd, a_pieces);
  writer_start (&b, write_fd, b_pieces);

  writer_step (&a);
  writer_step (&b);
  writer_finish (&a);
  writer_finish (&b);

  /* Still open here: no end of file yet. */
  fs_line_reader_drain (c.reader);
  g_assert_cmpuint (c.lines->len, ==, 0);
  fs_line_reader_flush_writer (c.reader, a.pid);
  g_assert_cmpuint (c.lines->len, ==, 1);
  g_assert_cmpstr (g_array_index (c.lines, Line, 0).text, ==, "a's last words");
  g_assert_cmpint (g_array_index (c.lines, Line, 0).writer, ==, a.pid);
  /* Once only. */
  fs_line_reader_flush_writer (c.reader, a.pid);
  g_assert_cmpuint (c.lines->len, ==, 1);

  /* This process writes too, and is named as the writer. */
  g_assert_cmpint (write (write_fd, "mine\n", 5), ==, 5);
  run_until_lines (&c, 2);
  g_assert_cmpstr (g_array_index (c.lines, Line, 1).text, ==, "mine");
  g_assert_cmpint (g_array_index (c.lines, Line, 1).writer, ==, getpid ());

  close (write_fd);
  run_until_eof (&c);
  g_assert_cmpuint (c.lines->len, ==, 3);
  g_assert_cmpstr (g_array_index (c.lines, Line, 2).text, ==, "b's last words");
  g_assert_cmpint (g_array_index (c.lines, Line, 2).writer, ==, b.pid);
  collected_clear (&c);
}

/* More writers with a line under way than the reader keeps: the oldest is
 * handed out as it is, so memory stays bounded and nothing is lost. */
static void
test_many_writers_bounded (void)
{
  const guint n = FS_LINE_READER_MAX_WRITERS + 6;
  g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);
  Collected c;
  int read_fd, write_fd;

  collected_init (&c);
  g_assert_true (fs_line_reader_socketpair (&read_fd, &write_fd, NULL));
  c.reader = fs_line_reader_new (read_fd, NULL, collect_cb, &c);

  for (guint i = 0; i < n; i++)
    {
      pid_t pid = fork ();
      int status;

      g_assert_cmpint (pid, >=, 0);
      if (pid == 0)
        {
          char text[32];
          int len = g_snprintf (text, sizeof text, "from %d", (int) getpid ());

          _exit (write (write_fd, text, len) == len ? 0 : 1);
        }
      g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
      g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 0);
      /* Read as they come, so each is a writer of its own. */
      fs_line_reader_drain (c.reader);
    }
  /* Only the oldest were pushed out so far. */
  g_assert_cmpuint (c.lines->len, ==, n - FS_LINE_READER_MAX_WRITERS);

  close (write_fd);
  run_until_eof (&c);
  g_assert_cmpuint (c.lines->len, ==, n);
  for (guint i = 0; i < n; i++)
    {
      const Line *line = &g_array_index (c.lines, Line, i);
      g_autofree char *expected = g_strdup_printf ("from %d", line->writer);

      g_assert_cmpstr (line->text, ==, expected);
      g_hash_table_add (seen, GINT_TO_POINTER (line->writer));
    }
  g_assert_cmpuint (g_hash_table_size (seen), ==, n);
  collected_clear (&c);
}

/* Given a pipe, the reader still reads lines, without writers. */
static void
test_pipe_has_no_writers (void)
{
  Collected c;
  int fds[2];

  collected_init (&c);
  g_assert_no_errno (pipe (fds));
  c.reader = fs_line_reader_new (fds[0], NULL, collect_cb, &c);
  g_assert_cmpint (write (fds[1], "one\ntwo", 7), ==, 7);
  close (fds[1]);
  run_until_eof (&c);
  g_assert_cmpuint (c.lines->len, ==, 2);
  g_assert_cmpstr (g_array_index (c.lines, Line, 0).text, ==, "one");
  g_assert_cmpint (g_array_index (c.lines, Line, 0).writer, ==, 0);
  g_assert_cmpstr (g_array_index (c.lines, Line, 1).text, ==, "two");
  collected_clear (&c);
}

/* The worker's end is write-only in effect: reading it gives end of file
 * at once, never a wait for data that will not come. */
static void
test_worker_end_reads_eof (void)
{
  int read_fd, write_fd;
  char byte;

  g_assert_true (fs_line_reader_socketpair (&read_fd, &write_fd, NULL));
  g_assert_cmpint (read (write_fd, &byte, 1), ==, 0);
  g_assert_cmpint (fcntl (read_fd, F_GETFD) & FD_CLOEXEC, !=, 0);
  g_assert_cmpint (fcntl (write_fd, F_GETFD) & FD_CLOEXEC, !=, 0);
  close (read_fd);
  close (write_fd);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/forkscope/line-reader/kernel-keeps-writers-apart", test_kernel_keeps_writers_apart);
  g_test_add_func ("/forkscope/line-reader/pieces-per-writer", test_pieces_per_writer);
  g_test_add_func ("/forkscope/line-reader/truncation-per-writer", test_truncation_per_writer);
  g_test_add_func ("/forkscope/line-reader/partial-lines-flushed", test_partial_lines_flushed);
  g_test_add_func ("/forkscope/line-reader/many-writers-bounded", test_many_writers_bounded);
  g_test_add_func ("/forkscope/line-reader/pipe-has-no-writers", test_pipe_has_no_writers);
  g_test_add_func ("/forkscope/line-reader/worker-end-reads-eof", test_worker_end_reads_eof);

  return g_test_run ();
}
