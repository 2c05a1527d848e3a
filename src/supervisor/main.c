/* main.c: forkscope-supervisor, the one parent of every worker
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <glib-unix.h>

#include "fs-paths.h"
#include "fs-supervisor.h"

static gboolean
sigterm_cb (gpointer user_data)
{
  FsSupervisor *supervisor = user_data;

  /* The front end died (PR_SET_PDEATHSIG) or somebody asked us to go. */
  fs_supervisor_leave (supervisor, FS_SHUTDOWN_DAEMON_RULE);
  return G_SOURCE_CONTINUE;
}

static gboolean
ignore_cb (gpointer user_data)
{
  /* ^C in the front end's terminal reaches our process group too; the
   * front end decides what it means (a disposition of "ignore" would be
   * inherited by workers, a handler is reset at exec). */
  return G_SOURCE_CONTINUE;
}

static void
finished_cb (FsSupervisor *supervisor,
             GMainLoop    *loop)
{
  g_main_loop_quit (loop);
}

static gboolean
allow_mechanism_cb (GDBusAuthObserver *observer,
                    const char        *mechanism,
                    gpointer           user_data)
{
  return g_strcmp0 (mechanism, "EXTERNAL") == 0;
}

static gboolean
authorize_cb (GDBusAuthObserver *observer,
              GIOStream         *stream,
              GCredentials      *credentials,
              gpointer           user_data)
{
  /* Only our own user may drive us; the socketpair makes that the front
   * end that started us. */
  return credentials != NULL && g_credentials_get_unix_user (credentials, NULL) == getuid ();
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketConnection) stream = NULL;
  g_autoptr(GDBusAuthObserver) observer = NULL;
  g_autoptr(GDBusConnection) connection = NULL;
  g_autoptr(FsSupervisor) supervisor = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autofree char *guid = NULL;
  g_autofree char *worker = NULL;
  int fd = -1;
  int parent = 0;
  GOptionEntry entries[] = {
    { "fd", 0, 0, G_OPTION_ARG_INT, &fd, "The socket to the front end", "FD" },
    { "parent", 0, 0, G_OPTION_ARG_INT, &parent, "The front end's PID", "PID" },
    { NULL }
  };

  sigset_t none;

  /* A mask inherited from the front end (exec keeps it) could hold back the
   * SIGTERM below; start with nothing blocked. */
  sigemptyset (&none);
  sigprocmask (SIG_SETMASK, &none, NULL);

  /* Before anything else, so no window is left: die (gracefully, through
   * SIGTERM and the daemon rule) with the front end that started us. */
  prctl (PR_SET_PDEATHSIG, SIGTERM);

  context = g_option_context_new ("- the parent of Forkscope's workers");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("forkscope-supervisor: %s\n", error->message);
      return EXIT_FAILURE;
    }
  if (fd < 0)
    {
      g_printerr ("forkscope-supervisor: --fd is required: it is started by Forkscope, not by hand\n");
      return EXIT_FAILURE;
    }

  /* Ours alone: no worker may inherit the front end's socket (they are
   * started with every other fd closed anyway). */
  fcntl (fd, F_SETFD, FD_CLOEXEC);

  /* The front end may have died before the prctl above took effect. */
  if (parent > 0 && getppid () != parent)
    return EXIT_SUCCESS;

  if (prctl (PR_SET_CHILD_SUBREAPER, 1) != 0)
    g_message ("Cannot become a child subreaper: orphans will go elsewhere");

  worker = fs_paths_get_worker ();

  socket = g_socket_new_from_fd (fd, &error);
  if (socket == NULL)
    {
      g_printerr ("forkscope-supervisor: fd %d: %s\n", fd, error->message);
      return EXIT_FAILURE;
    }
  stream = g_socket_connection_factory_create_connection (socket);

  observer = g_dbus_auth_observer_new ();
  g_signal_connect (observer, "allow-mechanism", G_CALLBACK (allow_mechanism_cb), NULL);
  g_signal_connect (observer, "authorize-authenticated-peer", G_CALLBACK (authorize_cb), NULL);

  guid = g_dbus_generate_guid ();
  connection = g_dbus_connection_new_sync (G_IO_STREAM (stream), guid,
                                           G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_SERVER |
                                           G_DBUS_CONNECTION_FLAGS_DELAY_MESSAGE_PROCESSING,
                                           observer, NULL, &error);
  if (connection == NULL)
    {
      g_printerr ("forkscope-supervisor: %s\n", error->message);
      return EXIT_FAILURE;
    }
  g_dbus_connection_set_exit_on_close (connection, FALSE);

  supervisor = fs_supervisor_new (connection, worker, &error);
  if (supervisor == NULL)
    {
      g_printerr ("forkscope-supervisor: %s\n", error->message);
      return EXIT_FAILURE;
    }

  loop = g_main_loop_new (NULL, FALSE);
  g_signal_connect (supervisor, "finished", G_CALLBACK (finished_cb), loop);
  g_unix_signal_add (SIGTERM, sigterm_cb, supervisor);
  g_unix_signal_add (SIGHUP, sigterm_cb, supervisor);
  g_unix_signal_add (SIGINT, ignore_cb, NULL);

  /* Exported: now the front end's calls may come in. */
  g_dbus_connection_start_message_processing (connection);
  g_main_loop_run (loop);

  /* The reply to Shutdown and the last events must reach the front end. */
  if (!g_dbus_connection_is_closed (connection))
    {
      g_dbus_connection_flush_sync (connection, NULL, NULL);
      g_dbus_connection_close_sync (connection, NULL, NULL);
    }

  return EXIT_SUCCESS;
}
