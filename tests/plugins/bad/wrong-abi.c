/* wrong-abi.c: a test plugin built for another ABI version
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "forkscope-plugin.h"

static const FsPlugin plugin = {
  .abi_version = 99,
  .name = "wrong_abi",
};

FS_PLUGIN_DEFINE (plugin)
