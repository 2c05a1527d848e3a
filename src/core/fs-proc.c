/* fs-proc.c
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <gio/gio.h>

#include "fs-proc.h"

/* A stat line is about 300 bytes; the fields we use end well before byte
 * 64 (comm, with a kernel worker's long name) + 22 * 21 (the widest
 * numbers). Reading less than the whole line is fine: the parser stops at
 * field 24. */
#define STAT_BUF_SIZE 1024

/* ------------------------------------------------------------------------ */
/* Parsing                                                                  */
/* ------------------------------------------------------------------------ */

/* One numeric field: an optional '-', at least one digit, then a single
 * space (for the @last field we read, a newline will do too). The end of
 * the text is never a separator: the kernel always writes more fields than
 * we read, so a line that stops early was cut, and a number cut short must
 * not pass for a smaller one. The magnitude must fit in 64 bits; the
 * caller checks the range it needs. */
static gboolean
parse_number (const char **pos,
              const char  *end,
              gboolean     last,
              gboolean    *negative,
              guint64     *magnitude)
{
  const char *p = *pos;
  guint64 value = 0;
  gboolean neg = FALSE;
  const char *digits;

  if (p < end && *p == '-')
    {
      neg = TRUE;
      p++;
    }

  digits = p;
  while (p < end && *p >= '0' && *p <= '9')
    {
      guint digit = (guint) (*p - '0');

      if (value > (G_MAXUINT64 - digit) / 10)
        return FALSE;
      value = value * 10 + digit;
      p++;
    }

  if (p == digits)
    return FALSE;

  if (p >= end || !(*p == ' ' || (last && *p == '\n')))
    return FALSE;
  p++;

  *pos = p;
  *negative = neg;
  *magnitude = value;
  return TRUE;
}

static gboolean
parse_int (const char **pos,
           const char  *end,
           gboolean     last,
           gint64       min,
           gint64       max,
           gint64      *out)
{
  gboolean neg;
  guint64 mag;
  gint64 value;

  if (!parse_number (pos, end, last, &neg, &mag))
    return FALSE;

  if (neg)
    {
      /* -G_MININT64 does not fit; compare magnitudes instead. */
      if (mag > (guint64) G_MAXINT64 + 1)
        return FALSE;
      value = mag == (guint64) G_MAXINT64 + 1 ? G_MININT64 : -(gint64) mag;
    }
  else
    {
      if (mag > (guint64) G_MAXINT64)
        return FALSE;
      value = (gint64) mag;
    }

  if (value < min || value > max)
    return FALSE;

  *out = value;
  return TRUE;
}

static gboolean
parse_uint (const char **pos,
            const char  *end,
            guint64     *out)
{
  gboolean neg;
  guint64 mag;

  if (!parse_number (pos, end, FALSE, &neg, &mag) || neg)
    return FALSE;

  *out = mag;
  return TRUE;
}

/* Skips a numeric field we do not keep, still insisting that it is one:
 * text that is not a stat line must not parse by accident. */
static gboolean
skip_number (const char **pos,
             const char  *end)
{
  gboolean neg;
  guint64 mag;

  return parse_number (pos, end, FALSE, &neg, &mag);
}

gboolean
fs_proc_parse_stat (const char *buf,
                    gsize       len,
                    FsProcStat *out)
{
  const char *end;
  const char *p;
  const char *open;
  const char *close;
  gint64 v;
  gsize comm_len;
  FsProcStat st;

  g_return_val_if_fail (buf != NULL || len == 0, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  if (len == 0)
    return FALSE;

  end = buf + len;
  p = buf;

  /* "PID (" */
  if (!parse_int (&p, end, FALSE, 1, G_MAXINT, &v))
    return FALSE;
  st.pid = (int) v;

  if (p >= end || *p != '(')
    return FALSE;
  open = p;

  /* comm is whatever the process named itself, up to 15 bytes of anything
   * but NUL: spaces, parentheses, digits, newlines. Only the LAST ')' of
   * the line can end it, since everything after comm is numeric. */
  close = memrchr (open + 1, ')', (gsize) (end - (open + 1)));
  if (close == NULL)
    return FALSE;

  comm_len = (gsize) (close - (open + 1));
  if (comm_len > sizeof st.comm - 1)
    comm_len = sizeof st.comm - 1;
  memcpy (st.comm, open + 1, comm_len);
  st.comm[comm_len] = '\0';

  /* ") S " */
  p = close + 1;
  if (end - p < 3 || p[0] != ' ' || p[1] == ' ' || p[1] == '\n' || p[2] != ' ')
    return FALSE;
  st.state = p[1];
  p += 3;

  /* 4 ppid, 5 pgrp, 6 session */
  if (!parse_int (&p, end, FALSE, 0, G_MAXINT, &v))
    return FALSE;
  st.ppid = (int) v;
  if (!parse_int (&p, end, FALSE, 0, G_MAXINT, &v))
    return FALSE;
  st.pgrp = (int) v;
  if (!parse_int (&p, end, FALSE, 0, G_MAXINT, &v))
    return FALSE;
  st.session = (int) v;

  /* 7 tty_nr, 8 tpgid, 9 flags, 10-13 fault counters */
  for (guint i = 7; i <= 13; i++)
    if (!skip_number (&p, end))
      return FALSE;

  /* 14 utime, 15 stime */
  if (!parse_uint (&p, end, &st.utime) ||
      !parse_uint (&p, end, &st.stime))
    return FALSE;

  /* 16 cutime, 17 cstime, 18 priority, 19 nice */
  for (guint i = 16; i <= 19; i++)
    if (!skip_number (&p, end))
      return FALSE;

  /* 20 num_threads (0 for a zombie whose threads are gone) */
  if (!parse_int (&p, end, FALSE, 0, G_MAXINT, &v))
    return FALSE;
  st.num_threads = (int) v;

  /* 21 itrealvalue */
  if (!skip_number (&p, end))
    return FALSE;

  /* 22 starttime, 23 vsize, 24 rss */
  if (!parse_uint (&p, end, &st.starttime) ||
      !parse_uint (&p, end, &st.vsize) ||
      !parse_int (&p, end, TRUE, G_MININT64, G_MAXINT64, &st.rss))
    return FALSE;

  *out = st;
  return TRUE;
}

/* Returns 0, or an errno: ENOENT when the process is gone (whatever the
 * kernel said: ENOENT, ESRCH, or an empty file), EINVAL when the text does
 * not parse. @path is relative to @dirfd (or absolute). */
static int
read_stat_at (int         dirfd,
              const char *path,
              int         pid,
              FsProcStat *out)
{
  char buf[STAT_BUF_SIZE];
  ssize_t n;
  int fd;
  int saved;

  do
    fd = openat (dirfd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
  while (fd < 0 && errno == EINTR);
  if (fd < 0)
    return errno == ESRCH ? ENOENT : errno;

  /* One read: the kernel renders the whole line at once, so a second
   * read could only see a newer, different line. */
  do
    n = read (fd, buf, sizeof buf);
  while (n < 0 && errno == EINTR);
  saved = errno;
  close (fd);

  if (n < 0)
    return saved == ESRCH ? ENOENT : saved;
  if (n == 0)
    return ENOENT;

  if (!fs_proc_parse_stat (buf, (gsize) n, out) || out->pid != pid)
    return EINVAL;

  return 0;
}

gboolean
fs_proc_read_stat (int          pid,
                   FsProcStat  *out,
                   GError     **error)
{
  char path[32];
  int err;

  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (pid <= 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "Invalid process id %d", pid);
      return FALSE;
    }

  g_snprintf (path, sizeof path, "/proc/%d/stat", pid);
  err = read_stat_at (AT_FDCWD, path, pid, out);

  switch (err)
    {
    case 0:
      return TRUE;

    case ENOENT:
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   "Process %d is gone", pid);
      return FALSE;

    case EINVAL:
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s does not hold a valid stat line", path);
      return FALSE;

    default:
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (err),
                   "Could not read %s: %s", path, g_strerror (err));
      return FALSE;
    }
}

const char *
fs_proc_change_kind_to_string (FsProcChangeKind kind)
{
  switch (kind)
    {
    case FS_PROC_CHANGE_APPEARED:
      return "appeared";
    case FS_PROC_CHANGE_STATE:
      return "state";
    case FS_PROC_CHANGE_REPARENTED:
      return "reparented";
    case FS_PROC_CHANGE_GONE:
      return "gone";
    default:
      return "unknown";
    }
}

/* ------------------------------------------------------------------------ */
/* Tracking                                                                 */
/* ------------------------------------------------------------------------ */

/* Whether an entry of a scan belongs to the tracked set. */
enum
{
  SEL_UNKNOWN = 0,
  SEL_VISITING,
  SEL_NO,
  SEL_YES,
  SEL_ROOT,     /* the root itself: its children are tracked, it is not */
};

/* Where an entry stands while the diff is put in order. */
enum
{
  DIFF_NONE = 0,
  DIFF_PENDING,   /* appeared (current scan) or gone (previous scan) */
  DIFF_VISITING,
  DIFF_DONE,
  DIFF_MATCHED,   /* previous scan: still there, same identity */
};

typedef struct
{
  FsProcStat stat;
  int        parent;  /* index of the parent in the same table, or -1 */
  int        prev;    /* index of the same pid in the tracked table, or -1 */
  guint8     sel;
  guint8     diff;
} Entry;

typedef struct
{
  Entry *items;
  guint  len;
  guint  cap;
} EntryTable;

/* pid -> index, open addressing with linear probing; 0 marks a free slot
 * (pid 0 never appears in /proc). Cleared and refilled every scan, never
 * freed between scans. */
typedef struct
{
  int   *keys;
  int   *values;
  guint  mask;
} PidIndex;

struct _FsProcTracker
{
  int         root_pid;
  GHashTable *groups;     /* pgid set */
  GHashTable *forgotten;  /* pid -> starttime (guint64 *): never tracked */

  DIR        *proc_dir;

  /* Scratch, reused by every scan: all processes of the current scan. */
  EntryTable  all;
  PidIndex    all_index;

  /* The tracked set of the last scan, and the one being built. */
  EntryTable  tracked;
  EntryTable  next;
  PidIndex    tracked_index;

  /* Scratch for the ordering walks. */
  int        *stack;
  int        *order;
  guint       scratch_cap;
};

static void
entry_table_reserve (EntryTable *table,
                     guint       n)
{
  if (n <= table->cap)
    return;

  table->cap = MAX (n, MAX (table->cap * 2, 256));
  table->items = g_renew (Entry, table->items, table->cap);
}

static Entry *
entry_table_append (EntryTable *table)
{
  entry_table_reserve (table, table->len + 1);
  return &table->items[table->len++];
}

static inline guint
pid_hash (int pid)
{
  /* Fibonacci hashing: pids are dense, so spread them over the table. */
  return ((guint) pid * 2654435761u) >> 7;
}

/* Empties the index and makes room for @n keys at a load of at most 1/2. */
static void
pid_index_reset (PidIndex *index,
                 guint     n)
{
  guint size = index->mask + 1;

  if (index->keys == NULL || size < n * 2)
    {
      size = 1024;
      while (size < n * 2)
        size *= 2;

      g_free (index->keys);
      g_free (index->values);
      index->keys = g_new (int, size);
      index->values = g_new (int, size);
      index->mask = size - 1;
    }

  memset (index->keys, 0, sizeof (int) * size);
}

/* Returns the previous value for @pid, or -1 if it was not there. */
static int
pid_index_insert (PidIndex *index,
                  int       pid,
                  int       value)
{
  guint i = pid_hash (pid) & index->mask;

  while (index->keys[i] != 0)
    {
      if (index->keys[i] == pid)
        {
          int old = index->values[i];

          index->values[i] = value;
          return old;
        }
      i = (i + 1) & index->mask;
    }

  index->keys[i] = pid;
  index->values[i] = value;
  return -1;
}

static int
pid_index_lookup (const PidIndex *index,
                  int             pid)
{
  guint i;

  if (index->keys == NULL || pid <= 0)
    return -1;

  i = pid_hash (pid) & index->mask;
  while (index->keys[i] != 0)
    {
      if (index->keys[i] == pid)
        return index->values[i];
      i = (i + 1) & index->mask;
    }

  return -1;
}

static void
pid_index_clear (PidIndex *index)
{
  g_clear_pointer (&index->keys, g_free);
  g_clear_pointer (&index->values, g_free);
  index->mask = 0;
}

FsProcTracker *
fs_proc_tracker_new (int root_pid)
{
  FsProcTracker *self = g_new0 (FsProcTracker, 1);

  self->root_pid = root_pid > 0 ? root_pid : 0;
  self->groups = g_hash_table_new (NULL, NULL);
  self->forgotten = g_hash_table_new_full (NULL, NULL, NULL, g_free);

  return self;
}

void
fs_proc_tracker_free (FsProcTracker *self)
{
  if (self == NULL)
    return;

  g_clear_pointer (&self->proc_dir, closedir);
  g_clear_pointer (&self->groups, g_hash_table_unref);
  g_clear_pointer (&self->forgotten, g_hash_table_unref);
  g_free (self->all.items);
  g_free (self->tracked.items);
  g_free (self->next.items);
  pid_index_clear (&self->all_index);
  pid_index_clear (&self->tracked_index);
  g_free (self->stack);
  g_free (self->order);
  g_free (self);
}

void
fs_proc_tracker_add_group (FsProcTracker *self,
                           int            pgid)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (pgid > 0);

  g_hash_table_add (self->groups, GINT_TO_POINTER (pgid));
}

void
fs_proc_tracker_remove_group (FsProcTracker *self,
                              int            pgid)
{
  g_return_if_fail (self != NULL);

  g_hash_table_remove (self->groups, GINT_TO_POINTER (pgid));
}

void
fs_proc_tracker_forget (FsProcTracker *self,
                        int            pid,
                        guint64        starttime)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (pid > 0);

  g_hash_table_insert (self->forgotten, GINT_TO_POINTER (pid), g_memdup2 (&starttime, sizeof starttime));
}

static gboolean
is_forgotten (FsProcTracker *self,
              const Entry   *e)
{
  const guint64 *starttime;

  if (g_hash_table_size (self->forgotten) == 0)
    return FALSE;
  starttime = g_hash_table_lookup (self->forgotten, GINT_TO_POINTER (e->stat.pid));
  return starttime != NULL && *starttime == e->stat.starttime;
}

/* Reads every /proc/PID/stat into self->all. A process that vanishes
 * between readdir() and the read is simply not in the scan. Fails only
 * when /proc itself cannot be read, or on an error that could make live
 * processes look gone (out of fds or memory). */
static gboolean
read_all (FsProcTracker  *self,
          GError        **error)
{
  struct dirent *de;
  int dfd;

  if (self->proc_dir == NULL)
    {
      self->proc_dir = opendir ("/proc");
      if (self->proc_dir == NULL)
        {
          int saved = errno;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                       "Could not open /proc: %s", g_strerror (saved));
          return FALSE;
        }
    }
  else
    rewinddir (self->proc_dir);

  dfd = dirfd (self->proc_dir);
  self->all.len = 0;

  errno = 0;
  while ((de = readdir (self->proc_dir)) != NULL)
    {
      char path[32];
      const char *name = de->d_name;
      Entry *e;
      gsize name_len;
      int pid = 0;
      int err;

      if (name[0] < '1' || name[0] > '9')
        continue;

      name_len = 0;
      while (name[name_len] >= '0' && name[name_len] <= '9')
        {
          if (pid > (G_MAXINT - 9) / 10)
            break;
          pid = pid * 10 + (name[name_len] - '0');
          name_len++;
        }
      if (name[name_len] != '\0')
        continue;

      memcpy (path, name, name_len);
      memcpy (path + name_len, "/stat", sizeof "/stat");

      e = entry_table_append (&self->all);
      err = read_stat_at (dfd, path, pid, &e->stat);
      switch (err)
        {
        case 0:
          break;

        case ENOENT:    /* gone since readdir() */
        case EACCES:    /* hidepid: not ours to see */
        case EPERM:
          self->all.len--;
          break;

        case EINVAL:
          g_debug ("Ignoring malformed /proc/%d/stat", pid);
          self->all.len--;
          break;

        default:
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (err),
                       "Could not read /proc/%d/stat: %s", pid, g_strerror (err));
          return FALSE;
        }

      errno = 0;
    }

  if (errno != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "Could not list /proc: %s", g_strerror (saved));
      return FALSE;
    }

  return TRUE;
}

static gboolean
is_seed (FsProcTracker *self,
         const Entry   *e)
{
  if (e->prev >= 0 &&
      self->tracked.items[e->prev].stat.starttime == e->stat.starttime)
    return TRUE;

  return g_hash_table_size (self->groups) > 0 &&
         g_hash_table_contains (self->groups, GINT_TO_POINTER (e->stat.pgrp));
}

/* Decides whether all.items[i] is tracked: the root's descendants, members
 * of the added groups and processes tracked before are, and so is every
 * descendant of a tracked process. Walks up the parent chain iteratively
 * (chains can be long) and records the answer on the whole path. */
static void
select_entry (FsProcTracker *self,
              int            i)
{
  Entry *all = self->all.items;
  guint8 verdict;
  guint sp = 0;
  int j = i;

  for (;;)
    {
      Entry *e = &all[j];

      if (e->sel == SEL_NO)
        {
          verdict = SEL_NO;
          break;
        }
      if (e->sel == SEL_YES || e->sel == SEL_ROOT)
        {
          verdict = SEL_YES;
          break;
        }
      if (e->sel == SEL_VISITING)
        {
          /* A parent loop can only come from a snapshot torn by
           * re-parenting during the scan; belong to nothing. */
          verdict = SEL_NO;
          break;
        }
      if (e->stat.pid == self->root_pid)
        {
          e->sel = SEL_ROOT;
          verdict = SEL_YES;
          break;
        }
      /* Not ours, whatever its group says: neither is what it forks. */
      if (is_forgotten (self, e))
        {
          e->sel = SEL_NO;
          verdict = SEL_NO;
          break;
        }
      if (is_seed (self, e))
        {
          e->sel = SEL_YES;
          verdict = SEL_YES;
          break;
        }

      e->sel = SEL_VISITING;
      self->stack[sp++] = j;

      if (e->parent >= 0)
        {
          j = e->parent;
          continue;
        }

      /* The parent is not in this scan: it exited and was reaped after we
       * read this process's stat (its children have been re-parented by
       * now). If it was ours, so is this one. */
      if (e->stat.ppid != 0 &&
          (e->stat.ppid == self->root_pid ||
           pid_index_lookup (&self->tracked_index, e->stat.ppid) >= 0))
        verdict = SEL_YES;
      else
        verdict = SEL_NO;
      break;
    }

  while (sp > 0)
    all[self->stack[--sp]].sel = verdict;
}

/* Appends to self->order the entries of @table from @i up its parent
 * chain that are DIFF_PENDING, parents first. */
static guint
order_parents_first (FsProcTracker *self,
                     Entry         *table,
                     int            i,
                     guint          n_order)
{
  guint sp = 0;
  int j = i;

  while (j >= 0 && table[j].diff == DIFF_PENDING)
    {
      table[j].diff = DIFF_VISITING;
      self->stack[sp++] = j;
      j = table[j].parent;
    }

  while (sp > 0)
    {
      int k = self->stack[--sp];

      table[k].diff = DIFF_DONE;
      self->order[n_order++] = k;
    }

  return n_order;
}

static void
append_change (GArray           *changes,
               FsProcChangeKind  kind,
               const FsProcStat *stat,
               int               old_ppid,
               char              old_state)
{
  FsProcChange *change;

  g_array_set_size (changes, changes->len + 1);
  change = &g_array_index (changes, FsProcChange, changes->len - 1);
  change->kind = kind;
  change->stat = *stat;
  change->old_ppid = old_ppid;
  change->old_state = old_state;
}

static void
reserve_scratch (FsProcTracker *self,
                 guint          n)
{
  if (n <= self->scratch_cap)
    return;

  self->scratch_cap = MAX (n, self->scratch_cap * 2);
  g_free (self->stack);
  g_free (self->order);
  self->stack = g_new (int, self->scratch_cap);
  self->order = g_new (int, self->scratch_cap);
}

GArray *
fs_proc_tracker_scan (FsProcTracker  *self,
                      GError        **error)
{
  GArray *changes;
  Entry *all;
  Entry *prev;
  EntryTable swap;
  guint n_order;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!read_all (self, error))
    return NULL;

  /* Index the scan. A pid listed twice (readdir racing with exits) keeps
   * its last reading; the earlier one is dropped. */
  pid_index_reset (&self->all_index, self->all.len);
  all = self->all.items;
  for (guint i = 0; i < self->all.len; i++)
    {
      int old = pid_index_insert (&self->all_index, all[i].stat.pid, (int) i);

      if (old >= 0)
        all[old].sel = SEL_NO;
      all[i].sel = SEL_UNKNOWN;
      all[i].diff = DIFF_NONE;
    }

  for (guint i = 0; i < self->all.len; i++)
    {
      if (all[i].sel == SEL_NO)
        {
          /* the dropped duplicate */
          all[i].parent = -1;
          all[i].prev = -1;
          continue;
        }
      all[i].parent = pid_index_lookup (&self->all_index, all[i].stat.ppid);
      all[i].prev = pid_index_lookup (&self->tracked_index, all[i].stat.pid);
    }

  reserve_scratch (self, MAX (self->all.len, self->tracked.len) + 1);

  for (guint i = 0; i < self->all.len; i++)
    if (all[i].sel == SEL_UNKNOWN)
      select_entry (self, (int) i);

  /* Build the new tracked set and match it against the previous one. */
  changes = g_array_new (FALSE, FALSE, sizeof (FsProcChange));
  prev = self->tracked.items;
  for (guint k = 0; k < self->tracked.len; k++)
    prev[k].diff = DIFF_PENDING;

  self->next.len = 0;
  entry_table_reserve (&self->next, self->all.len);
  for (guint i = 0; i < self->all.len; i++)
    {
      Entry *e = &all[i];
      Entry *old;

      if (e->sel != SEL_YES)
        continue;

      *entry_table_append (&self->next) = *e;

      if (e->prev < 0 || prev[e->prev].stat.starttime != e->stat.starttime)
        {
          /* New, or a reused pid: the old identity is reported gone. */
          e->diff = DIFF_PENDING;
          continue;
        }

      old = &prev[e->prev];
      old->diff = DIFF_MATCHED;

      /* The survivors first: a process's children are re-parented before
       * it is reaped, so these usually happened before the GONEs below. */
      if (old->stat.state != e->stat.state)
        append_change (changes, FS_PROC_CHANGE_STATE, &e->stat,
                       old->stat.ppid, old->stat.state);
      if (old->stat.ppid != e->stat.ppid)
        append_change (changes, FS_PROC_CHANGE_REPARENTED, &e->stat,
                       old->stat.ppid, old->stat.state);
    }

  /* GONE, children before parents (by the last known parent), and before
   * any APPEARED, so that a reused pid's old identity goes first. */
  for (guint k = 0; k < self->tracked.len; k++)
    if (prev[k].diff == DIFF_PENDING)
      prev[k].parent = pid_index_lookup (&self->tracked_index, prev[k].stat.ppid);

  n_order = 0;
  for (guint k = 0; k < self->tracked.len; k++)
    if (prev[k].diff == DIFF_PENDING)
      n_order = order_parents_first (self, prev, (int) k, n_order);

  while (n_order > 0)
    {
      const FsProcStat *st = &prev[self->order[--n_order]].stat;

      append_change (changes, FS_PROC_CHANGE_GONE, st, st->ppid, st->state);
    }

  /* APPEARED, parents before children. */
  n_order = 0;
  for (guint i = 0; i < self->all.len; i++)
    if (all[i].diff == DIFF_PENDING)
      n_order = order_parents_first (self, all, (int) i, n_order);

  for (guint o = 0; o < n_order; o++)
    {
      const FsProcStat *st = &all[self->order[o]].stat;

      append_change (changes, FS_PROC_CHANGE_APPEARED, st, st->ppid, st->state);
    }

  /* A forgotten process that is gone (or whose pid now names another)
   * needs no more remembering. */
  if (g_hash_table_size (self->forgotten) > 0)
    {
      GHashTableIter iter;
      gpointer key, value;

      g_hash_table_iter_init (&iter, self->forgotten);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          int i = pid_index_lookup (&self->all_index, GPOINTER_TO_INT (key));

          if (i < 0 || all[i].stat.starttime != *(guint64 *) value)
            g_hash_table_iter_remove (&iter);
        }
    }

  /* The new set becomes the tracked one. */
  swap = self->tracked;
  self->tracked = self->next;
  self->next = swap;

  pid_index_reset (&self->tracked_index, self->tracked.len);
  for (guint k = 0; k < self->tracked.len; k++)
    pid_index_insert (&self->tracked_index, self->tracked.items[k].stat.pid, (int) k);

  return changes;
}

const FsProcStat *
fs_proc_tracker_lookup (FsProcTracker *self,
                        int            pid)
{
  int k;

  g_return_val_if_fail (self != NULL, NULL);

  k = pid_index_lookup (&self->tracked_index, pid);
  if (k < 0)
    return NULL;

  return &self->tracked.items[k].stat;
}

GPtrArray *
fs_proc_tracker_list (FsProcTracker *self)
{
  GPtrArray *list;

  g_return_val_if_fail (self != NULL, NULL);

  list = g_ptr_array_sized_new (self->tracked.len);
  for (guint k = 0; k < self->tracked.len; k++)
    g_ptr_array_add (list, &self->tracked.items[k].stat);

  return list;
}
