/* fs-event.c
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "fs-event.h"
#include "fs-json.h"
#include "fs-signals.h"

G_DEFINE_BOXED_TYPE (FsEvent, fs_event, fs_event_ref, fs_event_unref)

G_DEFINE_ENUM_TYPE (FsEventKind, fs_event_kind,
                    G_DEFINE_ENUM_VALUE (FS_EVENT_SPAWNED, "spawned"),
                    G_DEFINE_ENUM_VALUE (FS_EVENT_APPEARED, "appeared"),
                    G_DEFINE_ENUM_VALUE (FS_EVENT_STATE, "state"),
                    G_DEFINE_ENUM_VALUE (FS_EVENT_EXITED, "exited"),
                    G_DEFINE_ENUM_VALUE (FS_EVENT_REAPED, "reaped"),
                    G_DEFINE_ENUM_VALUE (FS_EVENT_GONE, "gone"),
                    G_DEFINE_ENUM_VALUE (FS_EVENT_REPARENTED, "reparented"),
                    G_DEFINE_ENUM_VALUE (FS_EVENT_ADOPTED, "adopted"),
                    G_DEFINE_ENUM_VALUE (FS_EVENT_SIGNALLED, "signalled"),
                    G_DEFINE_ENUM_VALUE (FS_EVENT_JOIN_STARTED, "join-started"),
                    G_DEFINE_ENUM_VALUE (FS_EVENT_JOINED, "joined"),
                    G_DEFINE_ENUM_VALUE (FS_EVENT_JOIN_TIMED_OUT, "join-timed-out"),
                    G_DEFINE_ENUM_VALUE (FS_EVENT_OUTPUT, "output"),
                    G_DEFINE_ENUM_VALUE (FS_EVENT_ERROR, "error"),
                    G_DEFINE_ENUM_VALUE (FS_EVENT_SAY, "say"),
                    G_DEFINE_ENUM_VALUE (FS_EVENT_EXPECT, "expect"),
                    G_DEFINE_ENUM_VALUE (FS_EVENT_POLICY, "policy"),
                    G_DEFINE_ENUM_VALUE (FS_EVENT_STATS, "stats"),
                    G_DEFINE_ENUM_VALUE (FS_EVENT_NOTE, "note"))

FsEvent *
fs_event_new (FsEventKind  kind,
              gint64       time,
              FsProcess   *process,
              GVariant    *fields)
{
  FsEvent *self;

  g_return_val_if_fail (process == NULL || FS_IS_PROCESS (process), NULL);
  g_return_val_if_fail (fields == NULL ||
                        g_variant_is_of_type (fields, G_VARIANT_TYPE_VARDICT), NULL);

  self = g_new0 (FsEvent, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->kind = kind;
  self->time = time;
  if (process != NULL)
    {
      self->process = g_object_ref (process);
      self->pid = fs_process_get_pid (process);
      self->ppid = fs_process_get_ppid (process);
    }
  if (fields != NULL)
    self->fields = g_variant_ref_sink (fields);
  else
    self->fields = g_variant_ref_sink (g_variant_new_array (G_VARIANT_TYPE ("{sv}"), NULL, 0));
  /* Serialise now: fs_event_lookup_string() hands out pointers into the
   * fields, and g_variant_lookup() would flatten a tree-form dictionary
   * (one built with GVariantDict) later, freeing them. */
  g_variant_get_data (self->fields);

  return self;
}

FsEvent *
fs_event_ref (FsEvent *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
fs_event_unref (FsEvent *self)
{
  g_return_if_fail (self != NULL);

  if (g_atomic_ref_count_dec (&self->ref_count))
    {
      g_clear_object (&self->process);
      g_clear_pointer (&self->fields, g_variant_unref);
      g_free (self);
    }
}

const char *
fs_event_kind_to_string (FsEventKind kind)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (FS_TYPE_EVENT_KIND);
  GEnumValue *ev = g_enum_get_value (klass, kind);

  return ev != NULL ? ev->value_nick : NULL;
}

gboolean
fs_event_kind_from_string (const char  *text,
                           FsEventKind *kind)
{
  g_autoptr(GEnumClass) klass = NULL;
  GEnumValue *ev;

  g_return_val_if_fail (kind != NULL, FALSE);

  if (text == NULL)
    return FALSE;

  klass = g_type_class_ref (FS_TYPE_EVENT_KIND);
  ev = g_enum_get_value_by_nick (klass, text);
  if (ev == NULL)
    return FALSE;
  *kind = ev->value;
  return TRUE;
}

char *
fs_event_to_json (FsEvent *self,
                  gint64   origin)
{
  GString *out;
  GVariantIter iter;
  const char *key;
  GVariant *value;

  g_return_val_if_fail (self != NULL, NULL);

  out = g_string_new ("{\"t\":");
  fs_json_append_double (out, (self->time - origin) / (double) G_USEC_PER_SEC, 3);
  g_string_append (out, ",\"event\":");
  fs_json_append_string (out, fs_event_kind_to_string (self->kind));

  if (self->process != NULL)
    {
      g_string_append (out, ",\"name\":");
      fs_json_append_string (out, fs_process_get_name (self->process));
      g_string_append_printf (out, ",\"pid\":%d,\"ppid\":%d", self->pid, self->ppid);
    }

  g_variant_iter_init (&iter, self->fields);
  while (g_variant_iter_loop (&iter, "{&sv}", &key, &value))
    {
      /* The envelope's keys win over a field of the same name. */
      if (g_str_equal (key, "t") || g_str_equal (key, "event") ||
          (self->process != NULL &&
           (g_str_equal (key, "name") || g_str_equal (key, "pid") || g_str_equal (key, "ppid"))))
        continue;
      /* An output line's writer is nearly always the process it is shown
       * as: said only when it is not (a writer we could not find). */
      if (self->process != NULL && g_str_equal (key, "writer") &&
          g_variant_is_of_type (value, G_VARIANT_TYPE_INT32) && g_variant_get_int32 (value) == self->pid)
        continue;
      g_string_append_c (out, ',');
      fs_json_append_string (out, key);
      g_string_append_c (out, ':');
      fs_json_append_variant (out, value);
    }

  g_string_append_c (out, '}');
  return g_string_free (out, FALSE);
}

gboolean
fs_event_lookup_int (FsEvent    *self,
                     const char *key,
                     int        *value)
{
  g_autoptr(GVariant) v = NULL;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  v = g_variant_lookup_value (self->fields, key, NULL);
  if (v == NULL)
    return FALSE;

  if (g_variant_is_of_type (v, G_VARIANT_TYPE_INT32))
    *value = g_variant_get_int32 (v);
  else if (g_variant_is_of_type (v, G_VARIANT_TYPE_UINT32))
    *value = (int) g_variant_get_uint32 (v);
  else if (g_variant_is_of_type (v, G_VARIANT_TYPE_INT64))
    *value = (int) g_variant_get_int64 (v);
  else if (g_variant_is_of_type (v, G_VARIANT_TYPE_UINT64))
    *value = (int) g_variant_get_uint64 (v);
  else if (g_variant_is_of_type (v, G_VARIANT_TYPE_BOOLEAN))
    *value = g_variant_get_boolean (v);
  else
    return FALSE;

  return TRUE;
}

int
fs_event_get_writer (FsEvent *self)
{
  int writer;

  g_return_val_if_fail (self != NULL, 0);

  if (self->kind == FS_EVENT_OUTPUT && fs_event_lookup_int (self, "writer", &writer) && writer > 0)
    return writer;
  return self->pid;
}

const char *
fs_event_lookup_string (FsEvent    *self,
                        const char *key)
{
  g_autoptr(GVariant) v = NULL;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (key != NULL, NULL);

  v = g_variant_lookup_value (self->fields, key, G_VARIANT_TYPE_STRING);
  if (v == NULL)
    return NULL;

  /* The string lives in self->fields, which outlives the lookup. */
  return g_variant_get_string (v, NULL);
}

static double
lookup_double (FsEvent    *self,
               const char *key,
               double      fallback)
{
  double value;

  if (g_variant_lookup (self->fields, key, "d", &value))
    return value;
  return fallback;
}

static gboolean
lookup_bool (FsEvent    *self,
             const char *key)
{
  gboolean value = FALSE;

  g_variant_lookup (self->fields, key, "b", &value);
  return value;
}

static char *
signal_text (int signum)
{
  const char *name = fs_signal_to_name (signum);

  if (name != NULL)
    return g_strdup (name);
  return g_strdup_printf ("%d", signum);
}

static char *
exitcode_text (FsEvent *self)
{
  int code;

  if (!fs_event_lookup_int (self, "exitcode", &code))
    return NULL;

  if (code < 0)
    {
      g_autofree char *sig = signal_text (-code);

      if (lookup_bool (self, "core-dumped"))
        /* Translators: how a process ended; %s is a signal name like SIGSEGV. */
        return g_strdup_printf (_("killed by %s (core dumped)"), sig);
      /* Translators: how a process ended; %s is a signal name like SIGTERM. */
      return g_strdup_printf (_("killed by %s"), sig);
    }

  /* Translators: how a process ended; %d is its exit code. */
  return g_strdup_printf (_("exit code %d"), code);
}

static FsProcess *
root_of (FsProcess *process)
{
  while (fs_process_get_parent (process) != NULL)
    process = fs_process_get_parent (process);

  return process;
}

/* Who reaped, in the words the timeline uses too: "the supervisor (PID
 * 10)", "its parent (PID 42)", "its adopter (PID 1)". */
static char *
reaper_text (FsEvent *self,
             int      reaper)
{
  FsProcess *process = self->process;
  FsProcess *root;

  if (process == NULL)
    /* Translators: who reaped a process, when only its PID is known. */
    return g_strdup_printf (_("PID %d"), reaper);

  root = root_of (process);
  if (fs_process_get_kind (root) == FS_PROCESS_KIND_SUPERVISOR && fs_process_get_pid (root) == reaper)
    {
      if (fs_process_get_orphan (process))
        /* Translators: who reaped an orphan; %d is the supervisor's PID. */
        return g_strdup_printf (_("the supervisor (PID %d), its adopter"), reaper);
      /* Translators: who reaped a process; %d is the supervisor's PID. */
      return g_strdup_printf (_("the supervisor (PID %d)"), reaper);
    }
  if (fs_process_get_birth_ppid (process) == reaper)
    /* Translators: who reaped a process; %d is its parent's PID. */
    return g_strdup_printf (_("its parent (PID %d)"), reaper);

  /* Translators: who reaped an orphan; %d is the PID of the process that
   * adopted it (PID 1, or a subreaper such as systemd --user). */
  return g_strdup_printf (_("its adopter (PID %d)"), reaper);
}

static char *
describe (FsEvent *self)
{
  int a, b;
  const char *s;

  switch (self->kind)
    {
    case FS_EVENT_SPAWNED:
      s = self->process != NULL ? fs_process_get_function (self->process) : NULL;
      /* Translators: %s is a worker function like basics.sleep. */
      return g_strdup_printf (_("spawned (%s)"), s != NULL ? s : "?");

    case FS_EVENT_APPEARED:
      /* Translators: %d is a process ID. */
      return g_strdup_printf (_("appeared, forked by PID %d"),
                              self->process != NULL ? fs_process_get_birth_ppid (self->process) : self->ppid);

    case FS_EVENT_STATE:
      s = fs_event_lookup_string (self, "state");
      /* Translators: %s is a process state (running, stopped...). */
      return g_strdup_printf (_("is now %s"), s != NULL ? s : "?");

    case FS_EVENT_EXITED:
      {
        g_autofree char *how = exitcode_text (self);

        if (how != NULL)
          /* Translators: %s says how, e.g. "exit code 0". */
          return g_strdup_printf (_("exited: %s"), how);
        /* Translators: %d is a process ID. */
        return g_strdup_printf (_("exited, a zombie until PID %d reaps it"), self->ppid);
      }

    case FS_EVENT_REAPED:
      {
        g_autofree char *how = exitcode_text (self);
        g_autofree char *who = NULL;

        if (!fs_event_lookup_int (self, "reaper", &a))
          a = 0;
        who = reaper_text (self, a);
        /* Translators: the first %s says who reaped it, e.g. "the
         * supervisor (PID 10)"; the second how it ended. */
        return g_strdup_printf (_("reaped by %s: %s"), who, how != NULL ? how : "?");
      }

    case FS_EVENT_GONE:
      if (fs_event_lookup_int (self, "reaper", &a) && a > 0)
        {
          g_autofree char *who = reaper_text (self, a);

          /* Translators: %s says who reaped it, e.g. "its parent (PID 42)". */
          return g_strdup_printf (_("gone, reaped by %s"), who);
        }
      return g_strdup (_("gone"));

    case FS_EVENT_REPARENTED:
      if (!fs_event_lookup_int (self, "from", &a))
        a = 0;
      if (!fs_event_lookup_int (self, "to", &b))
        b = 0;
      /* Translators: both %d are process IDs. */
      return g_strdup_printf (_("orphaned: re-parented from PID %d to PID %d"), a, b);

    case FS_EVENT_ADOPTED:
      if (!fs_event_lookup_int (self, "from", &a))
        a = 0;
      /* Translators: %d is a process ID. */
      return g_strdup_printf (_("orphaned (parent PID %d gone): adopted by the supervisor"), a);

    case FS_EVENT_SIGNALLED:
      {
        g_autofree char *sig = NULL;

        if (!fs_event_lookup_int (self, "signal", &a))
          a = 0;
        sig = signal_text (a);
        if (lookup_bool (self, "group"))
          /* Translators: %s is a signal name like SIGTERM. */
          return g_strdup_printf (_("sent %s to its process group"), sig);
        /* Translators: %s is a signal name like SIGTERM. */
        return g_strdup_printf (_("sent %s"), sig);
      }

    case FS_EVENT_JOIN_STARTED:
      {
        double timeout = lookup_double (self, "timeout", -1);

        if (timeout < 0)
          return g_strdup (_("join"));
        /* Translators: %g is a number of seconds. */
        return g_strdup_printf (_("join, timeout %g s"), timeout);
      }

    case FS_EVENT_JOINED:
      {
        g_autofree char *how = exitcode_text (self);

        /* Translators: %s says how it ended, e.g. "exit code 0". */
        return g_strdup_printf (_("joined: %s"), how != NULL ? how : "?");
      }

    case FS_EVENT_JOIN_TIMED_OUT:
      /* Translators: %g is a number of seconds. */
      return g_strdup_printf (_("join timed out after %g s, still alive"),
                              lookup_double (self, "timeout", 0));

    case FS_EVENT_OUTPUT:
      /* Like a terminal's two streams, told apart at a glance. */
      s = fs_event_lookup_string (self, "stream");
      return g_strdup_printf ("%s %s", g_strcmp0 (s, "stderr") == 0 ? "!" : "|",
                              fs_event_lookup_string (self, "text") ?: "");

    case FS_EVENT_ERROR:
      s = fs_event_lookup_string (self, "message");
      /* Translators: %s is an error message. */
      return g_strdup_printf (_("error: %s"), s != NULL ? s : "?");

    case FS_EVENT_SAY:
    case FS_EVENT_NOTE:
      return g_strdup (fs_event_lookup_string (self, "text") ?: "");

    case FS_EVENT_EXPECT:
      {
        const char *found = fs_event_lookup_string (self, "found");

        s = fs_event_lookup_string (self, "expected");
        if (lookup_bool (self, "ok"))
          /* Translators: %s is the checked expectation, e.g. "th1 exitcode == 0". */
          return g_strdup_printf (_("ok: %s"), s != NULL ? s : "");
        /* Translators: a failed check: what was expected, e.g. "th1
         * exitcode == 0", and what was found, e.g. "-15". */
        return g_strdup_printf (_("FAILED: %s, found %s"), s != NULL ? s : "", found != NULL ? found : "?");
      }

    case FS_EVENT_POLICY:
      {
        gboolean subreaper = TRUE;
        guint32 interval = 0;

        s = fs_event_lookup_string (self, "reap");
        g_variant_lookup (self->fields, "subreaper", "b", &subreaper);
        g_variant_lookup (self->fields, "scan-interval", "u", &interval);
        /* Translators: the supervisor's settings. The first %s is the
         * reaping policy (auto or join), the second is "on" or "off"
         * (translated below), %u is milliseconds. */
        return g_strdup_printf (_("policy: reap %s, subreaper %s, scan every %u ms"),
                                s != NULL ? s : "auto",
                                /* Translators: the subreaper setting. */
                                subreaper ? _("on") : _("off"),
                                interval);
      }

    case FS_EVENT_STATS:
      return g_strdup (_("statistics"));

    default:
      return g_strdup (fs_event_kind_to_string (self->kind));
    }
}

char *
fs_event_to_text (FsEvent *self,
                  gint64   origin)
{
  g_autofree char *what = NULL;
  char seconds[G_ASCII_DTOSTR_BUF_SIZE];

  g_return_val_if_fail (self != NULL, NULL);

  what = describe (self);
  g_ascii_formatd (seconds, sizeof seconds, "%.3f", (self->time - origin) / (double) G_USEC_PER_SEC);

  /* An output line shows who wrote it, even a writer we could not find
   * (then the name is its worker's: a forked child's, unless it ran
   * another program). */
  if (self->process != NULL)
    return g_strdup_printf ("%8s  %s[%d]  %s", seconds,
                            fs_process_get_name (self->process) ?: "?", fs_event_get_writer (self), what);
  return g_strdup_printf ("%8s  %s", seconds, what);
}
