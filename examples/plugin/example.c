/* example.c: a Forkscope plugin written outside the Forkscope tree
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The tutorial's custom process class, in C:
 *
 *   class MyProcess(Process):
 *       def __init__(self, value, times=3, interval=1):
 *           super().__init__()
 *           self.value = value          # __init__ stores attributes
 *           self.times = times
 *           self.interval = interval
 *
 *       def run(self):                  # run() is what the new process does
 *           for i in range(self.times):
 *               print(self.value, os.getpid())
 *               sleep(self.interval)
 *
 *   p = MyProcess("hello")
 *   p.start()
 *   p.join()
 *
 * Here __init__ becomes setup(): it checks the arguments and builds the
 * object the worker hands to run(). Forkscope is what calls start() and
 * join(): `process p example.my_process value=hello` in a lesson, or the
 * form in the app.
 *
 * A plugin needs only this header and libc. Build it with the meson.build
 * next to this file, then copy example.so into ~/.local/share/forkscope/plugins
 * (or install it into the system plugin folder with `meson install`).
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <forkscope-plugin.h>

/* The object setup() makes: the attributes __init__ would store. */
typedef struct
{
  char   *value;
  int     times;
  double  interval;
} MyProcess;

static void
sleep_seconds (double seconds)
{
  struct timespec left;

  left.tv_sec = (time_t) seconds;
  left.tv_nsec = (long) ((seconds - (double) left.tv_sec) * 1e9);
  while (nanosleep (&left, &left) != 0 && errno == EINTR)
    ;
}

/* __init__: arguments arrive already checked against the specs below (types
 * and ranges); setup() adds what a spec cannot say. A refusal is printed by
 * the worker, which then exits with status 2 without running anything. */
static int
my_process_setup (const FsValue  *args,
                  void          **state,
                  char          **error)
{
  MyProcess *self;

  if (args[0].s[0] == '\0')
    {
      *error = strdup ("value must not be empty");
      return 1;
    }

  self = calloc (1, sizeof *self);
  if (self == NULL)
    {
      *error = strdup ("out of memory");
      return 1;
    }
  self->value = strdup (args[0].s);
  self->times = (int) args[1].i;
  self->interval = args[2].d;

  *state = self;
  return 0;
}

/* run(): the body of the new process. Its return value is the exit status. */
static int
my_process_run (const FsValue *args,
                void          *state)
{
  MyProcess *self = state;

  (void) args;  /* setup() kept what run() needs in self */

  for (int i = 0; i < self->times; i++)
    {
      printf ("%s %d\n", self->value, (int) getpid ());
      if (i + 1 < self->times)
        sleep_seconds (self->interval);
    }

  free (self->value);
  free (self);
  return 0;
}

/* The parameters, in the order run() receives them. Every parameter has a
 * default, written as a user would type it. */
static const FsParamSpec my_process_params[] = {
  { "value", FS_PARAM_STRING, "hello", 0, 0, NULL, "What to print" },
  { "times", FS_PARAM_INT, "3", 1, 100, NULL, "How many times" },
  { "interval", FS_PARAM_DOUBLE, "1", 0, 60, NULL, "Seconds between prints" },
};

static const FsFunction example_functions[] = {
  { "my_process", "The tutorial's MyProcess: print a value a few times",
    my_process_params, FS_N_ELEMENTS (my_process_params),
    my_process_setup, my_process_run },
};

static const FsPlugin example_plugin = {
  .abi_version = FORKSCOPE_PLUGIN_ABI_VERSION,
  .name = "example",
  .summary = "An out-of-tree example plugin",
  /* Set these to translate summary and descriptions with your own
   * catalogs (mark the strings for xgettext). */
  .gettext_domain = NULL,
  .locale_dir = NULL,
  .functions = example_functions,
  .n_functions = FS_N_ELEMENTS (example_functions),
};

FS_PLUGIN_DEFINE (example_plugin)
