/* fs-test-engine.c: helpers shared by the engine tests and benchmark
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <sys/pidfd.h>
#include <unistd.h>

#include "fs-paths.h"
#include "fs-proc.h"
#include "fs-test-engine.h"

static void
event_cb (FsEngine     *engine,
          FsEvent      *event,
          FsTestEngine *t)
{
  g_ptr_array_add (t->events, fs_event_ref (event));

  if (g_test_verbose ())
    {
      g_autofree char *json = fs_event_to_json (event, fs_engine_get_origin (engine));
      g_test_message ("%s", json);
    }
}

void
fs_test_engine_setup (FsTestEngine  *t,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  t->events = g_ptr_array_new_with_free_func ((GDestroyNotify) fs_event_unref);
  t->spawned = g_ptr_array_new_with_free_func (g_object_unref);
  t->engine = fs_engine_new ();
  g_signal_connect (t->engine, "event", G_CALLBACK (event_cb), t);
  g_assert_true (fs_engine_start (t->engine, &error));
  g_assert_no_error (error);
  g_assert_true (fs_engine_is_running (t->engine));
}

void
fs_test_engine_teardown (FsTestEngine  *t,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  if (t->engine != NULL)
    {
      GListModel *processes;
      g_autofree gpointer *weak = NULL;
      guint n;

      /* Whatever the test left behind dies with its group. */
      if (fs_engine_is_running (t->engine))
        {
          g_assert_true (fs_engine_shutdown_sync (t->engine, FS_SHUTDOWN_KILL, &error));
          g_assert_no_error (error);
        }
      processes = fs_engine_get_processes (t->engine);
      n = g_list_model_get_n_items (processes);
      weak = g_new0 (gpointer, n);

      g_signal_handlers_disconnect_by_data (t->engine, t);
      g_ptr_array_set_size (t->spawned, 0);
      g_ptr_array_set_size (t->events, 0);

      /* The processes go with their engine: no cycle keeps one alive. */
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(FsProcess) process = g_list_model_get_item (processes, i);

          g_set_weak_pointer (&weak[i], process);
        }
      g_assert_finalize_object (g_steal_pointer (&t->engine));
      for (guint i = 0; i < n; i++)
        if (weak[i] != NULL)
          g_error ("%s[%d] outlived its engine", fs_process_get_name (weak[i]),
                   fs_process_get_pid (weak[i]));
    }

  g_clear_pointer (&t->spawned, g_ptr_array_unref);
  g_clear_pointer (&t->events, g_ptr_array_unref);
}

char *
fs_test_plugin_path (const char *function)
{
  g_autofree char *plugin = NULL;
  g_autofree char *file = NULL;
  const char *dot = strchr (function, '.');

  g_assert_nonnull (dot);
  plugin = g_strndup (function, dot - function);
  file = g_strconcat (plugin, ".so", NULL);
  return g_build_filename (fs_paths_get_plugindir (), file, NULL);
}

FsProcess *
fs_test_spawn (FsTestEngine *t,
               const char   *name,
               const char   *function,
               gboolean      daemon,
               ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *plugin = fs_test_plugin_path (function);
  FsProcess *process;
  const char *arg;
  va_list ap;

  va_start (ap, daemon);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (args, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  process = fs_engine_spawn_sync (t->engine, name, plugin, function,
                                  (const char * const *) args->pdata, daemon, &error);
  g_assert_no_error (error);
  g_assert_nonnull (process);
  g_assert_cmpint (fs_process_get_pid (process), >, 0);
  g_ptr_array_add (t->spawned, process);
  return process;
}

static gboolean
timeout_cb (gpointer user_data)
{
  gboolean *expired = user_data;

  *expired = TRUE;
  return G_SOURCE_REMOVE;
}

void
fs_test_wait (FsTestEngine    *t,
              FsTestCondition  func,
              gpointer         data,
              double           seconds,
              const char      *what)
{
  gboolean expired = FALSE;
  guint id = g_timeout_add ((guint) (seconds * 1000), timeout_cb, &expired);

  while (!func (t, data))
    {
      if (expired)
        g_error ("Timed out after %.1f s waiting for %s", seconds, what);
      g_main_context_iteration (NULL, TRUE);
    }

  if (!expired)
    g_source_remove (id);
}

void
fs_test_run_for (double seconds)
{
  gboolean expired = FALSE;

  g_timeout_add ((guint) (seconds * 1000), timeout_cb, &expired);
  while (!expired)
    g_main_context_iteration (NULL, TRUE);
}

FsEvent *
fs_test_find_event (FsTestEngine *t,
                    FsProcess    *process,
                    FsEventKind   kind)
{
  for (guint i = 0; i < t->events->len; i++)
    {
      FsEvent *event = g_ptr_array_index (t->events, i);

      if (event->kind == kind && (process == NULL || event->process == process))
        return event;
    }
  return NULL;
}

typedef struct
{
  FsProcess      *process;
  FsEventKind     kind;
  FsProcessState  state;
} Wanted;

static gboolean
has_event (FsTestEngine *t,
           gpointer      data)
{
  Wanted *wanted = data;

  return fs_test_find_event (t, wanted->process, wanted->kind) != NULL;
}

FsEvent *
fs_test_wait_event (FsTestEngine *t,
                    FsProcess    *process,
                    FsEventKind   kind,
                    double        seconds)
{
  Wanted wanted = { process, kind, 0 };
  g_autofree char *what = g_strdup_printf ("a “%s” event", fs_event_kind_to_string (kind));

  fs_test_wait (t, has_event, &wanted, seconds, what);
  return fs_test_find_event (t, process, kind);
}

static gboolean
in_state (FsTestEngine *t,
          gpointer      data)
{
  Wanted *wanted = data;

  return fs_process_get_state (wanted->process) == wanted->state;
}

void
fs_test_wait_state (FsTestEngine   *t,
                    FsProcess      *process,
                    FsProcessState  state,
                    double          seconds)
{
  Wanted wanted = { process, 0, state };
  g_autofree char *what = g_strdup_printf ("%s[%d] to be %s", fs_process_get_name (process),
                                           fs_process_get_pid (process),
                                           fs_process_state_to_string (state));

  fs_test_wait (t, in_state, &wanted, seconds, what);
}

char
fs_test_proc_state (int pid)
{
  FsProcStat stat;

  if (!fs_proc_read_stat (pid, &stat, NULL))
    return 0;
  return stat.state;
}

int
fs_test_proc_ppid (int pid)
{
  FsProcStat stat;

  if (!fs_proc_read_stat (pid, &stat, NULL))
    return -1;
  return stat.ppid;
}

static int
compare_fd_lines (gconstpointer a,
                  gconstpointer b)
{
  return atoi (*(const char * const *) a) - atoi (*(const char * const *) b);
}

char *
fs_test_describe_fds (int pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/fd", pid);
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GRegex) transient = g_regex_new ("^/proc/[0-9]+/stat$", 0, 0, NULL);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *link = g_build_filename (path, name, NULL);
      g_autofree char *target = g_file_read_link (link, NULL);

      /* Closed since the listing, or a stat file the scan thread is
       * reading right now: neither is held. */
      if (target == NULL || g_regex_match (transient, target, 0, NULL))
        continue;
      g_ptr_array_add (lines, g_strdup_printf ("%s -> %s", name, target));
    }
  g_ptr_array_sort (lines, compare_fd_lines);
  g_ptr_array_add (lines, NULL);
  return g_strjoinv ("\n", (char **) lines->pdata);
}

static GArray *
list_children (int pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/task", pid);
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  GArray *children = g_array_new (FALSE, FALSE, sizeof (int));
  const char *tid;

  g_assert_nonnull (dir);
  while ((tid = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *file = g_strdup_printf ("/proc/%d/task/%s/children", pid, tid);
      g_autofree char *text = NULL;
      g_auto(GStrv) parts = NULL;

      if (!g_file_get_contents (file, &text, NULL, NULL))
        continue;
      parts = g_strsplit_set (g_strstrip (text), " ", -1);
      for (guint i = 0; parts[i] != NULL; i++)
        if (*parts[i] != '\0')
          {
            int child = atoi (parts[i]);
            g_array_append_val (children, child);
          }
    }
  return children;
}

guint
fs_test_count_children (int pid)
{
  g_autoptr(GArray) children = list_children (pid);

  return children->len;
}

guint
fs_test_count_zombies (int pid)
{
  g_autoptr(GArray) children = list_children (pid);
  guint n = 0;

  for (guint i = 0; i < children->len; i++)
    if (fs_test_proc_state (g_array_index (children, int, i)) == 'Z')
      n++;
  return n;
}

int
fs_test_pidfd_open (int pid)
{
  int fd = pidfd_open (pid, 0);

  if (fd < 0)
    g_error ("pidfd_open(%d): %s", pid, g_strerror (errno));
  return fd;
}

gboolean
fs_test_pidfd_wait_exit (int    pidfd,
                         double seconds)
{
  struct pollfd pfd = { pidfd, POLLIN, 0 };
  int r;

  do
    r = poll (&pfd, 1, (int) (seconds * 1000));
  while (r < 0 && errno == EINTR);
  return r == 1;
}

gboolean
fs_test_wait_pid_gone (int    pid,
                       double seconds)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) (seconds * G_USEC_PER_SEC);

  /* Not our child: all we can do is look. */
  while (g_get_monotonic_time () < deadline)
    {
      char state = fs_test_proc_state (pid);

      if (state == 0)
        return TRUE;
      g_usleep (5000);
    }
  return FALSE;
}
