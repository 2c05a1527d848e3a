/* fs-supervisor.h
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "fs-engine.h"

G_BEGIN_DECLS

#define FS_SUPERVISOR_OBJECT_PATH "/io/github/forkscope/Supervisor1"

#define FS_TYPE_SUPERVISOR (fs_supervisor_get_type ())

G_DECLARE_FINAL_TYPE (FsSupervisor, fs_supervisor, FS, SUPERVISOR, GObject)

/* The server side of io.github.forkscope.Supervisor1: the parent of every
 * worker. Emits "finished" when it has nothing left to do and the process
 * should exit (after a Shutdown call, or after leave()). */
FsSupervisor  *fs_supervisor_new    (GDBusConnection  *connection,
                                     const char       *worker_path,
                                     GError          **error);
/* Apply @mode to the live workers, then emit "finished". Used on socket
 * EOF and on SIGTERM (the front end is gone: the daemon rule). */
void           fs_supervisor_leave  (FsSupervisor     *self,
                                     FsShutdownMode    mode);

G_END_DECLS
