/* noisy.c: a good test plugin that prints while being loaded and read
 * (the description on stdout must not be spoiled), and a "basics" twin
 * (built from the same source with -DNOISY_NAME=basics) that the built-in
 * basics shadows.
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <stdio.h>

#include "forkscope-plugin.h"

__attribute__((constructor)) static void
noisy_load (void)
{
  printf ("noise from a constructor\n");
}

static int
hello_run (const FsValue *args,
           void          *state)
{
  printf ("hello from %s, %d times\n", NOISY_NAME, (int) args[0].i);
  return 0;
}

static const FsParamSpec hello_params[] = {
  { "times", FS_PARAM_INT, "1", 1, 10, NULL, "How many" },
};

static const FsFunction functions[] = {
  { "hello", "Say hello", hello_params, FS_N_ELEMENTS (hello_params), NULL, hello_run },
};

static const FsPlugin plugin = {
  .abi_version = FORKSCOPE_PLUGIN_ABI_VERSION,
  .name = NOISY_NAME,
  .summary = "Prints while loading",
  .functions = functions,
  .n_functions = FS_N_ELEMENTS (functions),
};

FS_PLUGIN_EXPORT const FsPlugin *forkscope_plugin_get (void);

const FsPlugin *
forkscope_plugin_get (void)
{
  printf ("noise from forkscope_plugin_get\n");
  fflush (stdout);
  return &plugin;
}
