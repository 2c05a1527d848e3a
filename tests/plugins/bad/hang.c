/* hang.c: a test plugin that never returns from forkscope_plugin_get()
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <unistd.h>

#include "forkscope-plugin.h"

FS_PLUGIN_EXPORT const FsPlugin *forkscope_plugin_get (void);

const FsPlugin *
forkscope_plugin_get (void)
{
  volatile int forever = 1;

  while (forever)
    pause ();
  return NULL;
}
