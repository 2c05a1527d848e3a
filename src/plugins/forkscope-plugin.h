/* forkscope-plugin.h
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The public ABI of a Forkscope plugin: a shared object that exports one
 * symbol, forkscope_plugin_get(), returning a static description of its
 * worker functions. The worker host (forkscope-worker) is the only program
 * that ever loads a plugin: once to describe it (in a short-lived child, so a
 * plugin that crashes or hangs cannot hurt anyone) and once per worker, to run
 * one function.
 *
 * Arguments reach a function already checked against its parameter specs, as
 * an array of FsValue in the order of the specs; a parameter the user did
 * not give has its default. The strings stay valid until run() returns.
 *
 * The worker has reset every signal disposition and the signal mask, made
 * stdout line-buffered, given stdin from /dev/null, and leads its own
 * process group. It runs no other thread, so run() may fork().
 *
 * See examples/plugin/ for a complete plugin with its own meson.build.
 *
 * This header has no dependency beyond the C standard library, so plugins can
 * be written without GLib.
 */

#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Bump when a struct below changes shape. The host refuses other versions. */
#define FORKSCOPE_PLUGIN_ABI_VERSION 1

/* The symbol every plugin exports. */
#define FORKSCOPE_PLUGIN_SYMBOL "forkscope_plugin_get"

typedef enum
{
  FS_PARAM_INT = 1,
  FS_PARAM_DOUBLE,
  FS_PARAM_BOOL,
  FS_PARAM_STRING,
  FS_PARAM_ENUM,
} FsParamType;

/* One parameter. Every parameter has a default, written as text in the same
 * syntax a user types (e.g. "1", "0.5", "true", "hello", "exit"). For INT and
 * DOUBLE, min and max bound the value (inclusive); set both to 0 for no bound.
 * For ENUM, choices is a NULL-terminated list and default_value one of them.
 * description is translated in the plugin's gettext domain. */
typedef struct
{
  const char         *name;
  FsParamType         type;
  const char         *default_value;
  double              min;
  double              max;
  const char * const *choices;
  const char         *description;
} FsParamSpec;

/* A checked argument. Which member is meaningful depends on the type:
 * INT -> i, DOUBLE -> d, BOOL -> b, STRING -> s, ENUM -> s (the choice) and
 * i (its index in choices). */
typedef struct
{
  int64_t     i;
  double      d;
  bool        b;
  const char *s;
} FsValue;

/* Optional: check and prepare from the arguments, like __init__ in a
 * multiprocessing.Process subclass. Runs in the worker before run(). Return
 * 0 on success; otherwise set *error to a malloc()ed message, which the host
 * prints and frees, and the worker exits with status 2. */
typedef int (*FsSetupFunc) (const FsValue *args,
                            void         **state,
                            char         **error);

/* The body of the worker, like Process.run(). Its return value becomes the
 * worker's exit status (0..255). It may fork, print, sleep or exit itself. */
typedef int (*FsRunFunc) (const FsValue *args,
                          void          *state);

typedef struct
{
  const char        *name;
  const char        *summary;
  const FsParamSpec *params;
  unsigned int       n_params;
  FsSetupFunc        setup;
  FsRunFunc          run;
} FsFunction;

typedef struct
{
  uint32_t          abi_version;
  const char       *name;
  const char       *summary;
  /* gettext domain for summary and descriptions (NULL: not translated),
   * and where its catalogs live (NULL: the system default; the built-in
   * plugins' "forkscope" domain is bound by the host to its own folder).
   * Mark the strings with a no-op macro (N_) for xgettext: the host
   * translates them. */
  const char       *gettext_domain;
  const char       *locale_dir;
  const FsFunction *functions;
  unsigned int      n_functions;
} FsPlugin;

typedef const FsPlugin *(*FsPluginGetFunc) (void);

#if defined(__GNUC__)
# define FS_PLUGIN_EXPORT __attribute__((visibility ("default")))
#else
# define FS_PLUGIN_EXPORT
#endif

/* Convenience for the single exported entry point:
 *
 *   FS_PLUGIN_DEFINE (my_plugin)
 *
 * where my_plugin is a static const FsPlugin. */
#define FS_PLUGIN_DEFINE(plugin_struct)                                    \
  FS_PLUGIN_EXPORT const FsPlugin *forkscope_plugin_get (void);            \
  FS_PLUGIN_EXPORT const FsPlugin *forkscope_plugin_get (void)             \
  {                                                                        \
    return &(plugin_struct);                                               \
  }

#define FS_N_ELEMENTS(a) ((unsigned int) (sizeof (a) / sizeof ((a)[0])))

#ifdef __cplusplus
}
#endif
