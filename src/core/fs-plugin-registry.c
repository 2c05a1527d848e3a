/* fs-plugin-registry.c
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include <glib/gi18n.h>

#include "fs-paths.h"
#include "fs-plugin-info.h"

/* The registry never loads plugin code: each candidate file is described by
 * `forkscope-worker --describe FILE` in a child of its own, several at
 * once, each with a time limit. Whatever goes wrong in a child (crash, hang,
 * wrong ABI, garbage) makes that one plugin unavailable, with the reason. */

#define DEFAULT_TIMEOUT_MSEC 5000
/* Children describing at once: enough to hide each one's start-up, few
 * enough that a folder of many plugins does not starve them all of CPU
 * while their time limits run. */
#define MAX_PARALLEL 8

struct _FsPluginRegistry
{
  GObject     parent_instance;

  GStrv       search_path;   /* NULL: fs_paths_get_plugin_search_path () */
  guint       timeout_msec;
  GListStore *plugins;       /* of FsPluginInfo */
};

G_DEFINE_FINAL_TYPE (FsPluginRegistry, fs_plugin_registry, G_TYPE_OBJECT)

/* One file being described. Reference-counted (g_rc_box): the load holds
 * one reference, and so does each pending async call, since a cancelled
 * call may complete after the load is over. */
typedef struct
{
  struct _Load *load;          /* valid while !done */
  char         *path;
  gboolean      builtin;
  GSubprocess  *process;
  GCancellable *cancellable;
  GSource      *timeout;
  GBytes       *out;
  GBytes       *err;
  gboolean      timed_out;
  gboolean      exited;        /* reaped: its pid may be reused */
  gboolean      done;
  FsPluginInfo *info;
} Candidate;

typedef struct _Load
{
  GTask     *task;
  GPtrArray *candidates;     /* of Candidate, in search order */
  guint      pending;        /* not finished */
  guint      running;        /* started, not finished */
  guint      next;           /* the next one to start */
  char      *worker;
  guint      timeout_msec;
  GCancellable *cancellable;
  gulong     cancelled_id;
} Load;

static void
candidate_clear (Candidate *candidate)
{
  if (candidate->timeout != NULL)
    {
      g_source_destroy (candidate->timeout);
      g_source_unref (candidate->timeout);
    }
  g_clear_object (&candidate->process);
  g_clear_object (&candidate->cancellable);
  g_clear_pointer (&candidate->out, g_bytes_unref);
  g_clear_pointer (&candidate->err, g_bytes_unref);
  g_clear_object (&candidate->info);
  g_free (candidate->path);
}

static Candidate *
candidate_ref (Candidate *candidate)
{
  return g_rc_box_acquire (candidate);
}

static void
candidate_unref (Candidate *candidate)
{
  g_rc_box_release_full (candidate, (GDestroyNotify) candidate_clear);
}

static void
load_free (Load *load)
{
  if (load->cancelled_id != 0)
    g_cancellable_disconnect (load->cancellable, load->cancelled_id);
  g_clear_object (&load->cancellable);
  g_ptr_array_unref (load->candidates);
  g_free (load->worker);
  g_free (load);
}

static void
fs_plugin_registry_dispose (GObject *object)
{
  FsPluginRegistry *self = (FsPluginRegistry *) object;

  g_clear_object (&self->plugins);

  G_OBJECT_CLASS (fs_plugin_registry_parent_class)->dispose (object);
}

static void
fs_plugin_registry_finalize (GObject *object)
{
  FsPluginRegistry *self = (FsPluginRegistry *) object;

  g_strfreev (self->search_path);

  G_OBJECT_CLASS (fs_plugin_registry_parent_class)->finalize (object);
}

static void
fs_plugin_registry_class_init (FsPluginRegistryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = fs_plugin_registry_dispose;
  object_class->finalize = fs_plugin_registry_finalize;
}

static void
fs_plugin_registry_init (FsPluginRegistry *self)
{
  const char *env = g_getenv ("FORKSCOPE_DESCRIBE_TIMEOUT_MS");
  guint64 msec = 0;

  self->plugins = g_list_store_new (FS_TYPE_PLUGIN_INFO);
  self->timeout_msec = DEFAULT_TIMEOUT_MSEC;
  if (env != NULL && g_ascii_string_to_unsigned (env, 10, 1, G_MAXUINT, &msec, NULL))
    self->timeout_msec = (guint) msec;
}

FsPluginRegistry *
fs_plugin_registry_new (void)
{
  return g_object_new (FS_TYPE_PLUGIN_REGISTRY, NULL);
}

void
fs_plugin_registry_set_search_path (FsPluginRegistry   *self,
                                    const char * const *dirs)
{
  g_return_if_fail (FS_IS_PLUGIN_REGISTRY (self));

  g_strfreev (self->search_path);
  self->search_path = g_strdupv ((char **) dirs);
}

void
fs_plugin_registry_set_timeout (FsPluginRegistry *self,
                                guint             timeout_msec)
{
  g_return_if_fail (FS_IS_PLUGIN_REGISTRY (self));
  g_return_if_fail (timeout_msec > 0);

  self->timeout_msec = timeout_msec;
}

GListModel *
fs_plugin_registry_get_plugins (FsPluginRegistry *self)
{
  g_return_val_if_fail (FS_IS_PLUGIN_REGISTRY (self), NULL);
  return G_LIST_MODEL (self->plugins);
}

/* Returns the function (transfer none), or NULL if no available plugin
 * provides it. */
FsFunctionInfo *
fs_plugin_registry_lookup (FsPluginRegistry *self,
                           const char       *full_name)
{
  const char *dot;
  g_autofree char *plugin_name = NULL;
  guint n;

  g_return_val_if_fail (FS_IS_PLUGIN_REGISTRY (self), NULL);
  g_return_val_if_fail (full_name != NULL, NULL);

  dot = strchr (full_name, '.');
  if (dot == NULL)
    return NULL;
  plugin_name = g_strndup (full_name, dot - full_name);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->plugins));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(FsPluginInfo) plugin = g_list_model_get_item (G_LIST_MODEL (self->plugins), i);

      if (fs_plugin_info_get_available (plugin) &&
          g_str_equal (fs_plugin_info_get_name (plugin), plugin_name))
        return fs_plugin_info_lookup_function (plugin, dot + 1);
    }
  return NULL;
}

/* ------------------------------------------------------------------ */
/* Describing one file                                                 */

static void
remove_all (GString    *str,
            const char *part)
{
  char *found;

  while ((found = strstr (str->str, part)) != NULL)
    g_string_erase (str, found - str->str, strlen (part));
}

/* The worker's one-line reason, as a sentence for the plugin list: without
 * the program's name and the file's path (shown next to it anyway), and
 * starting with a capital. */
static char *
worker_reason (Candidate *candidate)
{
  gsize len = 0;
  const char *data = candidate->err != NULL ? g_bytes_get_data (candidate->err, &len) : NULL;
  static const char * const separators[] = { ": ", "\xef\xbc\x9a", ":" };
  g_autofree char *valid = NULL;
  GString *text;
  char *nl;

  if (data == NULL || len == 0)
    return NULL;

  valid = g_utf8_make_valid (data, len);
  /* The last line: anything the plugin printed comes before it. */
  g_strchomp (valid);
  nl = strrchr (valid, '\n');
  text = g_string_new (nl != NULL ? nl + 1 : valid);

  if (g_str_has_prefix (text->str, "forkscope-worker: "))
    g_string_erase (text, 0, strlen ("forkscope-worker: "));
  /* "PATH: " in English, "PATH：" in Chinese... */
  for (guint i = 0; i < G_N_ELEMENTS (separators); i++)
    {
      g_autofree char *path_prefix = g_strconcat (candidate->path, separators[i], NULL);
      remove_all (text, path_prefix);
    }
  g_strstrip (text->str);
  g_string_set_size (text, strlen (text->str));

  if (text->len == 0)
    {
      g_string_free (text, TRUE);
      return NULL;
    }

  if (g_unichar_islower (g_utf8_get_char (text->str)))
    {
      gunichar upper = g_unichar_toupper (g_utf8_get_char (text->str));
      char buf[8];
      int n = g_unichar_to_utf8 (upper, buf);

      g_string_erase (text, 0, g_utf8_next_char (text->str) - text->str);
      g_string_insert_len (text, 0, buf, n);
    }

  return g_string_free (text, FALSE);
}

static char *
describe_status (Candidate *candidate,
                 int        status)
{
  g_autofree char *line = worker_reason (candidate);

  if (WIFSIGNALED (status))
    return g_strdup_printf (/* Translators: e.g. "Crashed while being read: Segmentation
                             * fault (signal 11)" */
                            _("Crashed while being read: %s (signal %d)"),
                            g_strsignal (WTERMSIG (status)), WTERMSIG (status));

  if (WIFEXITED (status))
    {
      switch (WEXITSTATUS (status))
        {
        case FS_WORKER_EXIT_NOT_LOADABLE:
        case FS_WORKER_EXIT_NO_SYMBOL:
        case FS_WORKER_EXIT_WRONG_ABI:
        case FS_WORKER_EXIT_INVALID:
          /* The worker said why, in the user's language. */
          if (line != NULL)
            return g_steal_pointer (&line);
          break;
        default:
          break;
        }

      return g_strdup_printf (/* Translators: the worker that reads a plugin failed;
                               * %d is its exit status, %s what it said */
                              _("Could not be read (forkscope-worker exited with status %d: %s)"),
                              WEXITSTATUS (status), line != NULL ? line : "");
    }

  return g_strdup_printf (_("Could not be read (wait status 0x%x)"), status);
}

static void start_more (Load *load);

static void
candidate_finish (Candidate *candidate,
                  char      *reason)   /* (transfer full) (nullable) */
{
  Load *load = candidate->load;

  g_assert (!candidate->done);
  candidate->done = TRUE;

  /* Whatever ended the reading (time limit, cancellation, a read error),
   * the child must not outlive it. */
  if (candidate->process != NULL && !candidate->exited)
    g_subprocess_force_exit (candidate->process);

  if (candidate->timeout != NULL)
    {
      g_source_destroy (candidate->timeout);
      g_clear_pointer (&candidate->timeout, g_source_unref);
    }

  if (reason != NULL)
    {
      g_clear_object (&candidate->info);
      candidate->info = fs_plugin_info_new_unavailable (candidate->path, NULL,
                                                        candidate->builtin, reason);
      g_debug ("plugin %s unavailable: %s", candidate->path, reason);
      g_free (reason);
    }

  g_assert (load->pending > 0);
  g_assert (load->running > 0);
  load->running--;
  if (--load->pending > 0)
    start_more (load);
  else
    {
      GTask *task = load->task;
      FsPluginRegistry *self = g_task_get_source_object (task);
      g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
      g_autoptr(GPtrArray) infos = g_ptr_array_new_with_free_func (g_object_unref);

      if (g_task_return_error_if_cancelled (task))
        {
          g_object_unref (task);
          return;
        }

      /* The first plugin of a name wins; later ones are listed, shadowed. */
      for (guint i = 0; i < load->candidates->len; i++)
        {
          Candidate *c = g_ptr_array_index (load->candidates, i);
          const char *name = fs_plugin_info_get_name (c->info);

          if (fs_plugin_info_get_available (c->info))
            {
              const char *first = g_hash_table_lookup (seen, name);

              if (first != NULL)
                {
                  g_autofree char *shadowed = NULL;
                  g_autofree char *twin = g_strdup (name);

                  shadowed = g_strdup_printf (/* Translators: %s is the path of the plugin
                                               * file with the same name that is used */
                                              _("Shadowed by %s, found first"), first);
                  g_object_unref (c->info);
                  c->info = fs_plugin_info_new_unavailable (c->path, twin, c->builtin, shadowed);
                }
              else
                g_hash_table_insert (seen, (gpointer) name, c->path);
            }

          g_ptr_array_add (infos, g_object_ref (c->info));
        }

      g_list_store_splice (self->plugins, 0,
                           g_list_model_get_n_items (G_LIST_MODEL (self->plugins)),
                           infos->pdata, infos->len);

      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
    }
}

static void
wait_done (Candidate    *candidate,
           GAsyncResult *result)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) description = NULL;
  g_autofree char *text = NULL;
  int status;

  if (g_subprocess_wait_finish (candidate->process, result, &error))
    candidate->exited = TRUE;
  else
    {
      if (!candidate->done)
        candidate_finish (candidate, g_strdup (error->message));
      return;
    }
  if (candidate->done)
    return;

  status = g_subprocess_get_status (candidate->process);
  if (!WIFEXITED (status) || WEXITSTATUS (status) != FS_WORKER_EXIT_OK)
    {
      candidate_finish (candidate, describe_status (candidate, status));
      return;
    }

  {
    gsize len = 0;
    const char *data = g_bytes_get_data (candidate->out, &len);

    text = g_strndup (data != NULL ? data : "", len);
  }
  if (!g_utf8_validate (text, -1, NULL) || strlen (text) != g_bytes_get_size (candidate->out))
    {
      candidate_finish (candidate, g_strdup (_("Its description is not text")));
      return;
    }

  description = g_variant_parse (G_VARIANT_TYPE (FS_PLUGIN_DESCRIPTION_TYPE), text, NULL, NULL,
                                 &error);
  if (description == NULL)
    {
      candidate_finish (candidate,
                        g_strdup_printf (_("Its description cannot be read: %s"), error->message));
      return;
    }

  candidate->info = fs_plugin_info_new_from_description (candidate->path, description,
                                                         candidate->builtin, &error);
  if (candidate->info == NULL)
    {
      candidate_finish (candidate, g_strdup (error->message));
      return;
    }

  candidate_finish (candidate, NULL);
}

static void
wait_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Candidate *candidate = user_data;

  wait_done (candidate, result);
  candidate_unref (candidate);
}

static void
communicate_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  Candidate *candidate = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_subprocess_communicate_finish (G_SUBPROCESS (object), result,
                                        &candidate->out, &candidate->err, &error))
    {
      /* Cancelled by the time limit (reported there) or by the caller. */
      if (!candidate->done)
        candidate_finish (candidate, g_strdup (error->message));
    }
  else if (!candidate->done)
    {
      /* Both pipes are closed; the exit status comes next. */
      g_subprocess_wait_async (candidate->process, candidate->cancellable, wait_cb,
                               candidate_ref (candidate));
    }

  candidate_unref (candidate);
}

static gboolean
timeout_cb (gpointer user_data)
{
  Candidate *candidate = user_data;
  Load *load = candidate->load;
  char seconds[G_ASCII_DTOSTR_BUF_SIZE];

  g_source_destroy (candidate->timeout);
  g_clear_pointer (&candidate->timeout, g_source_unref);
  candidate->timed_out = TRUE;

  /* SIGKILL: a hung plugin may ignore anything else. Cancelling also
   * stops reading pipes that a forked grandchild might keep open. */
  g_subprocess_force_exit (candidate->process);
  g_cancellable_cancel (candidate->cancellable);

  g_ascii_formatd (seconds, sizeof seconds, "%g", load->timeout_msec / 1000.0);
  candidate_finish (candidate,
                    g_strdup_printf (/* Translators: %s is a number of seconds */
                                     _("Did not describe itself within %s seconds; stopped"),
                                     seconds));
  return G_SOURCE_REMOVE;
}

static void
task_cancelled_cb (GCancellable *cancellable,
                   gpointer      user_data)
{
  Load *load = user_data;

  for (guint i = 0; i < load->candidates->len; i++)
    {
      Candidate *candidate = g_ptr_array_index (load->candidates, i);

      if (candidate->process != NULL && !candidate->done)
        g_subprocess_force_exit (candidate->process);
      g_cancellable_cancel (candidate->cancellable);
    }
}

static void
start_candidate (Candidate  *candidate,
                 const char *worker)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  candidate->process = g_subprocess_launcher_spawn (launcher, &error,
                                                    worker, "--describe", candidate->path, NULL);
  if (candidate->process == NULL)
    {
      candidate_finish (candidate,
                        g_strdup_printf (_("Cannot run forkscope-worker to read it: %s"),
                                         error->message));
      return;
    }

  candidate->timeout = g_timeout_source_new (candidate->load->timeout_msec);
  g_source_set_callback (candidate->timeout, timeout_cb, candidate, NULL);
  g_source_attach (candidate->timeout, g_task_get_context (candidate->load->task));

  g_subprocess_communicate_async (candidate->process, NULL, candidate->cancellable,
                                  communicate_cb, candidate_ref (candidate));
}

static void
start_more (Load *load)
{
  GCancellable *cancellable = g_task_get_cancellable (load->task);

  /* A candidate may finish at once (spawn failure) and complete the load:
   * keep the task, and so the load, alive meanwhile. */
  g_object_ref (load->task);
  while (load->next < load->candidates->len && load->running < MAX_PARALLEL)
    {
      Candidate *candidate = g_ptr_array_index (load->candidates, load->next++);

      g_autoptr(GError) error = NULL;

      load->running++;
      if (g_cancellable_set_error_if_cancelled (cancellable, &error))
        candidate_finish (candidate, g_strdup (error->message));
      else
        start_candidate (candidate, load->worker);
    }
  g_object_unref (load->task);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static gboolean
same_dir (const char *a,
          const char *b)
{
  g_autofree char *ca = g_canonicalize_filename (a, NULL);
  g_autofree char *cb = g_canonicalize_filename (b, NULL);
  g_autofree char *ra = realpath (ca, NULL);
  g_autofree char *rb = realpath (cb, NULL);

  if (ra != NULL && rb != NULL)
    return g_str_equal (ra, rb);
  return g_str_equal (ca, cb);
}

/* Lists DIR/\*.so (sorted, so the order is stable) into the load. */
static void
add_dir (Load       *load,
         const char *dir_path,
         gboolean    builtin)
{
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  if (dir == NULL)
    return;  /* a missing plugin folder is normal */

  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".so") && name[0] != '.')
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);

  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *relative = g_build_filename (dir_path, g_ptr_array_index (names, i), NULL);
      /* As the worker names it in its messages. */
      g_autofree char *path = g_canonicalize_filename (relative, NULL);
      Candidate *candidate;

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        continue;

      candidate = g_rc_box_new0 (Candidate);
      candidate->load = load;
      candidate->path = g_steal_pointer (&path);
      candidate->builtin = builtin;
      candidate->cancellable = g_cancellable_new ();
      g_ptr_array_add (load->candidates, candidate);
    }
}

void
fs_plugin_registry_load_async (FsPluginRegistry    *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_auto(GStrv) default_path = NULL;
  const char * const *dirs;
  const char *builtin_dir;
  Load *load;

  g_return_if_fail (FS_IS_PLUGIN_REGISTRY (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  load = g_new0 (Load, 1);
  load->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (load->task, fs_plugin_registry_load_async);
  g_task_set_task_data (load->task, load, (GDestroyNotify) load_free);
  load->candidates = g_ptr_array_new_with_free_func ((GDestroyNotify) candidate_unref);
  load->timeout_msec = self->timeout_msec;

  if (self->search_path != NULL)
    dirs = (const char * const *) self->search_path;
  else
    dirs = (const char * const *) (default_path = fs_paths_get_plugin_search_path ());

  builtin_dir = fs_paths_get_plugindir ();
  for (guint i = 0; dirs[i] != NULL; i++)
    {
      gboolean repeated = FALSE;

      /* The same folder twice in the path would shadow itself. */
      for (guint j = 0; j < i; j++)
        if (same_dir (dirs[i], dirs[j]))
          repeated = TRUE;
      if (!repeated)
        add_dir (load, dirs[i], same_dir (dirs[i], builtin_dir));
    }

  if (load->candidates->len == 0)
    {
      g_list_store_remove_all (self->plugins);
      g_task_return_boolean (load->task, TRUE);
      g_object_unref (load->task);
      return;
    }

  if (cancellable != NULL)
    {
      load->cancellable = g_object_ref (cancellable);
      load->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (task_cancelled_cb),
                                                  load, NULL);
    }

  /* The candidates hold the task through load->pending: it is released
   * when the last one finishes. */
  load->pending = load->candidates->len;
  load->worker = fs_paths_get_worker ();
  start_more (load);
}

gboolean
fs_plugin_registry_load_finish (FsPluginRegistry  *self,
                                GAsyncResult      *result,
                                GError           **error)
{
  g_return_val_if_fail (FS_IS_PLUGIN_REGISTRY (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
load_sync_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GAsyncResult **out = user_data;
  *out = g_object_ref (result);
}

gboolean
fs_plugin_registry_load_sync (FsPluginRegistry  *self,
                              GError           **error)
{
  g_autoptr(GMainContext) context = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  gboolean ok;

  g_return_val_if_fail (FS_IS_PLUGIN_REGISTRY (self), FALSE);

  /* A private context: nothing else runs while we wait, and every child
   * has its own time limit, so this returns. */
  context = g_main_context_new ();
  g_main_context_push_thread_default (context);
  fs_plugin_registry_load_async (self, NULL, load_sync_cb, &result);
  while (result == NULL)
    g_main_context_iteration (context, TRUE);
  ok = fs_plugin_registry_load_finish (self, result, error);
  g_main_context_pop_thread_default (context);

  return ok;
}
