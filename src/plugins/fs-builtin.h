/* fs-builtin.h
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Helpers shared by the built-in plugins (not installed). The plugins use
 * libc only, to stay small and to show that a plugin needs nothing more.
 */

#pragma once

#include <errno.h>
#include <libintl.h>
#include <time.h>

#include "forkscope-plugin.h"

/* Descriptions are marked with N_() and translated by the worker in the
 * plugin's gettext domain (ours: the worker binds it to its locale dir).
 * Messages printed at run time use _(). */
#define FS_BUILTIN_DOMAIN "forkscope"
#define N_(text) (text)
#define _(text) dgettext (FS_BUILTIN_DOMAIN, text)

#define FS_BUILTIN_PLUGIN(var, plugin_name, plugin_summary, function_table) \
  static const FsPlugin var = {                                             \
    .abi_version = FORKSCOPE_PLUGIN_ABI_VERSION,                            \
    .name = plugin_name,                                                    \
    .summary = plugin_summary,                                              \
    .gettext_domain = FS_BUILTIN_DOMAIN,                                    \
    .locale_dir = NULL,                                                     \
    .functions = function_table,                                            \
    .n_functions = FS_N_ELEMENTS (function_table),                          \
  };                                                                        \
  FS_PLUGIN_DEFINE (var)

/* Sleeps the whole time even if a signal handler interrupts the sleep. */
static inline void
fs_builtin_sleep (double seconds)
{
  struct timespec left;

  if (!(seconds > 0))
    return;
  left.tv_sec = (time_t) seconds;
  left.tv_nsec = (long) ((seconds - (double) left.tv_sec) * 1e9);
  if (left.tv_nsec > 999999999)
    left.tv_nsec = 999999999;
  while (nanosleep (&left, &left) != 0 && errno == EINTR)
    ;
}
