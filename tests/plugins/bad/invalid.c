/* invalid.c: a test plugin whose default lies outside its own range
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "forkscope-plugin.h"

static int
run (const FsValue *args,
     void          *state)
{
  return 0;
}

static const FsParamSpec params[] = {
  { "seconds", FS_PARAM_DOUBLE, "7200", 0, 3600, NULL, "Out of range by default" },
};

static const FsFunction functions[] = {
  { "f", "A function", params, FS_N_ELEMENTS (params), NULL, run },
};

static const FsPlugin plugin = {
  .abi_version = FORKSCOPE_PLUGIN_ABI_VERSION,
  .name = "invalid",
  .functions = functions,
  .n_functions = FS_N_ELEMENTS (functions),
};

FS_PLUGIN_DEFINE (plugin)
