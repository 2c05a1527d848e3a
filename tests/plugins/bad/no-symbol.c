/* no-symbol.c: a shared object without forkscope_plugin_get()
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "forkscope-plugin.h"

FS_PLUGIN_EXPORT int some_other_function (void);

int
some_other_function (void)
{
  return 42;
}
