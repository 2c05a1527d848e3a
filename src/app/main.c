/* main.c
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>

#include <glib/gi18n.h>

#include "fs-application.h"
#include "fs-paths.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(FsApplication) app = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, fs_paths_get_localedir ());
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_set_application_name (_("Forkscope"));

  app = fs_application_new (APP_ID, G_APPLICATION_HANDLES_COMMAND_LINE);
  return g_application_run (G_APPLICATION (app), argc, argv);
}
