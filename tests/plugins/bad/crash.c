/* crash.c: a test plugin that crashes while being described
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <signal.h>

#include "forkscope-plugin.h"

FS_PLUGIN_EXPORT const FsPlugin *forkscope_plugin_get (void);

const FsPlugin *
forkscope_plugin_get (void)
{
  raise (SIGSEGV);
  return NULL;
}
