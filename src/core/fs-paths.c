/* fs-paths.c
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "fs-paths.h"

/* The prefix is derived from /proc/self/exe: an executable installed in
 * PREFIX/BINDIR or PREFIX/PKGLIBEXECDIR gives PREFIX. Anything else (a test
 * program in the build tree, say) falls back to the configured prefix, and
 * the build tree is then reached through the FORKSCOPE_* variables. */
static char *
compute_prefix (void)
{
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *dir = NULL;
  const char *subdirs[] = { FS_BINDIR, FS_PKGLIBEXECDIR };

  if (exe == NULL)
    return g_strdup (FS_PREFIX);

  dir = g_path_get_dirname (exe);

  for (guint i = 0; i < G_N_ELEMENTS (subdirs); i++)
    {
      const char *sub = subdirs[i];
      gsize dir_len = strlen (dir);
      gsize sub_len = strlen (sub);

      if (g_path_is_absolute (sub))
        {
          if (g_str_equal (dir, sub))
            return g_strdup (FS_PREFIX);
          continue;
        }

      if (dir_len > sub_len + 1 &&
          g_str_has_suffix (dir, sub) &&
          dir[dir_len - sub_len - 1] == '/')
        return g_strndup (dir, dir_len - sub_len - 1);
    }

  return g_strdup (FS_PREFIX);
}

const char *
fs_paths_get_prefix (void)
{
  static char *prefix;
  static gsize initialized;

  if (g_once_init_enter (&initialized))
    {
      prefix = compute_prefix ();
      g_once_init_leave (&initialized, 1);
    }

  return prefix;
}

static char *
in_prefix (const char *subdir)
{
  if (g_path_is_absolute (subdir))
    return g_strdup (subdir);
  return g_build_filename (fs_paths_get_prefix (), subdir, NULL);
}

static const char *
env_or_prefix (const char  *variable,
               const char  *subdir,
               char       **cache)
{
  /* Each path is computed once and kept for the life of the process. */
  G_LOCK_DEFINE_STATIC (paths);

  G_LOCK (paths);
  if (*cache == NULL)
    {
      const char *env = g_getenv (variable);
      char *value;

      if (env != NULL && *env != '\0')
        value = g_strdup (env);
      else
        value = in_prefix (subdir);

      *cache = value;
    }
  G_UNLOCK (paths);

  return *cache;
}

const char *
fs_paths_get_libexecdir (void)
{
  static char *dir;
  return env_or_prefix ("FORKSCOPE_LIBEXECDIR", FS_PKGLIBEXECDIR, &dir);
}

const char *
fs_paths_get_plugindir (void)
{
  static char *dir;
  return env_or_prefix ("FORKSCOPE_PLUGINDIR", FS_PLUGINDIR, &dir);
}

const char *
fs_paths_get_lessondir (void)
{
  static char *dir;
  return env_or_prefix ("FORKSCOPE_LESSONDIR", FS_LESSONDIR, &dir);
}

const char *
fs_paths_get_localedir (void)
{
  static char *dir;
  return env_or_prefix ("FORKSCOPE_LOCALEDIR", FS_LOCALEDIR, &dir);
}

char *
fs_paths_get_user_plugindir (void)
{
  return g_build_filename (g_get_user_data_dir (), "forkscope", "plugins", NULL);
}

GStrv
fs_paths_get_plugin_search_path (void)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  const char *extra = g_getenv ("FORKSCOPE_PLUGIN_PATH");
  g_autofree char *user_dir = NULL;

  g_strv_builder_add (builder, fs_paths_get_plugindir ());

  if (extra != NULL)
    {
      g_auto(GStrv) parts = g_strsplit (extra, ":", -1);

      for (guint i = 0; parts[i] != NULL; i++)
        if (parts[i][0] != '\0')
          g_strv_builder_add (builder, parts[i]);
    }

  user_dir = fs_paths_get_user_plugindir ();
  g_strv_builder_add (builder, user_dir);

  return g_strv_builder_end (builder);
}

static char *
libexec_program (const char *variable,
                 const char *name)
{
  const char *env = g_getenv (variable);

  if (env != NULL && *env != '\0')
    return g_strdup (env);

  return g_build_filename (fs_paths_get_libexecdir (), name, NULL);
}

char *
fs_paths_get_supervisor (void)
{
  return libexec_program ("FORKSCOPE_SUPERVISOR", "forkscope-supervisor");
}

char *
fs_paths_get_worker (void)
{
  return libexec_program ("FORKSCOPE_WORKER", "forkscope-worker");
}
