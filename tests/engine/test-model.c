/* test-model.c: FsProcess, FsEvent and the JSON lines, without processes
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>

#include "fs-event.h"
#include "fs-json.h"
#include "fs-process.h"
#include "fs-signals.h"

static GVariant *
facts (const char *text)
{
  g_autoptr(GError) error = NULL;
  GVariant *v = g_variant_parse (G_VARIANT_TYPE_VARDICT, text, NULL, NULL, &error);

  g_assert_no_error (error);
  return v;
}

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 GHashTable *seen)
{
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (seen, pspec->name));

  g_hash_table_insert (seen, (gpointer) pspec->name, GUINT_TO_POINTER (n + 1));
}

static guint
notified (GHashTable *seen,
          const char *name)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (seen, name));
}

static void
test_process_apply (void)
{
  g_autoptr(FsProcess) p = fs_process_new (7, FS_PROCESS_KIND_WORKER);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GVariant) f1 = facts ("{'name': <'w'>, 'pid': <@i 42>, 'ppid': <@i 1>, 'state': <'running'>, 'daemon': <true>}");
  g_autoptr(GVariant) f2 = facts ("{'pid': <@i 42>, 'state': <'running'>}");
  g_autoptr(GVariant) f3 = facts ("{'state': <'reaped'>, 'wait-status': <@i 15>, 'unknown-key': <'x'>, 'pid': <'not an int'>}");
  g_autofree char *text = NULL;

  g_signal_connect (p, "notify", G_CALLBACK (count_notify_cb), seen);

  g_assert_cmpuint (fs_process_get_id (p), ==, 7);
  g_assert_cmpint (fs_process_get_state (p), ==, FS_PROCESS_STATE_CREATED);
  g_assert_false (fs_process_get_alive (p));
  g_assert_null (fs_process_dup_exit_text (p));

  fs_process_apply (p, f1);
  g_assert_cmpstr (fs_process_get_name (p), ==, "w");
  g_assert_cmpint (fs_process_get_pid (p), ==, 42);
  g_assert_true (fs_process_get_daemon (p));
  g_assert_true (fs_process_get_alive (p));
  g_assert_cmpuint (notified (seen, "pid"), ==, 1);
  g_assert_cmpuint (notified (seen, "alive"), ==, 1);

  /* The same values again: no notification. */
  fs_process_apply (p, f2);
  g_assert_cmpuint (notified (seen, "pid"), ==, 1);
  g_assert_cmpuint (notified (seen, "state"), ==, 1);

  /* Killed by SIGTERM: Python's exitcode is -15. Bad values are ignored. */
  fs_process_apply (p, f3);
  g_assert_cmpint (fs_process_get_pid (p), ==, 42);
  g_assert_false (fs_process_get_alive (p));
  g_assert_true (fs_process_get_has_exit_status (p));
  g_assert_cmpint (fs_process_get_exit_code (p), ==, -SIGTERM);
  g_assert_cmpuint (notified (seen, "exit-code"), ==, 1);
  text = fs_process_dup_exit_text (p);
  g_assert_cmpstr (text, ==, "killed by SIGTERM");
}

static void
test_process_tree (void)
{
  g_autoptr(FsProcess) root = fs_process_new (0, FS_PROCESS_KIND_SUPERVISOR);
  g_autoptr(FsProcess) worker = fs_process_new (1, FS_PROCESS_KIND_WORKER);
  g_autoptr(FsProcess) child = fs_process_new (2, FS_PROCESS_KIND_DESCENDANT);

  fs_process_set_parent (worker, root);
  fs_process_set_parent (child, worker);
  g_assert_true (fs_process_get_parent (child) == worker);
  g_assert_true (fs_process_get_birth_parent (child) == worker);
  g_assert_cmpuint (g_list_model_get_n_items (fs_process_get_children (worker)), ==, 1);

  /* Adopted: it moves; its birth does not. */
  fs_process_set_parent (child, root);
  g_assert_true (fs_process_get_parent (child) == root);
  g_assert_true (fs_process_get_birth_parent (child) == worker);
  g_assert_cmpuint (g_list_model_get_n_items (fs_process_get_children (worker)), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (fs_process_get_birth_children (worker)), ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (fs_process_get_children (root)), ==, 2);

  fs_process_detach (child);
  g_assert_null (fs_process_get_parent (child));
  g_assert_cmpuint (g_list_model_get_n_items (fs_process_get_children (root)), ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (fs_process_get_birth_children (worker)), ==, 0);

  g_assert_finalize_object (g_steal_pointer (&child));
}

static void
test_strings (void)
{
  FsProcessState state;
  FsEventKind kind;
  FsReapPolicy policy;
  int signum;

  for (int k = FS_EVENT_SPAWNED; k <= FS_EVENT_STATS; k++)
    {
      const char *name = fs_event_kind_to_string (k);

      g_assert_nonnull (name);
      g_assert_true (fs_event_kind_from_string (name, &kind));
      g_assert_cmpint (kind, ==, k);
    }
  g_assert_cmpstr (fs_event_kind_to_string (FS_EVENT_JOIN_TIMED_OUT), ==, "join-timed-out");
  g_assert_false (fs_event_kind_from_string ("nonsense", &kind));

  for (int s = FS_PROCESS_STATE_CREATED; s <= FS_PROCESS_STATE_GONE; s++)
    {
      g_assert_true (fs_process_state_from_string (fs_process_state_to_string (s), &state));
      g_assert_cmpint (state, ==, s);
    }
  g_assert_true (fs_reap_policy_from_string ("join", &policy));
  g_assert_cmpint (policy, ==, FS_REAP_JOIN);
  g_assert_false (fs_reap_policy_from_string ("JOIN!", &policy));

  g_assert_true (fs_signal_from_name ("SIGTERM", &signum));
  g_assert_cmpint (signum, ==, SIGTERM);
  g_assert_true (fs_signal_from_name ("kill", &signum));
  g_assert_cmpint (signum, ==, SIGKILL);
  g_assert_true (fs_signal_from_name ("2", &signum));
  g_assert_cmpint (signum, ==, SIGINT);
  g_assert_false (fs_signal_from_name ("SIGNOPE", &signum));
  g_assert_false (fs_signal_from_name ("0", &signum));
  g_assert_false (fs_signal_from_name ("", &signum));
  g_assert_cmpstr (fs_signal_to_name (SIGSEGV), ==, "SIGSEGV");
  g_assert_cmpint (fs_wait_status_to_exitcode (3 << 8), ==, 3);
  g_assert_cmpint (fs_wait_status_to_exitcode (SIGKILL), ==, -SIGKILL);
}

static void
test_json (void)
{
  g_autoptr(FsProcess) p = fs_process_new (3, FS_PROCESS_KIND_WORKER);
  g_autoptr(GVariant) f = facts ("{'name': <'a\"b\\\\c\\n'>, 'pid': <@i 5>, 'ppid': <@i 4>}");
  g_autoptr(GVariant) fields = facts ("{'stream': <'stdout'>, 'text': <'tab\\there \\u00e9 \\u0001'>, 'timeout': <0.2>, 'group': <false>, 'pid': <@i 99>}");
  g_autoptr(FsEvent) event = NULL;
  g_autoptr(GVariant) say_fields = facts ("{'text': <'hi'>}");
  g_autoptr(FsEvent) say = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *json = NULL;
  g_autofree char *json2 = NULL;
  g_autofree char *text = NULL;

  fs_process_apply (p, f);
  event = fs_event_new (FS_EVENT_OUTPUT, 2500000, p, fields);
  g_assert_cmpint (event->pid, ==, 5);
  g_assert_cmpint (event->ppid, ==, 4);

  /* The envelope's pid wins over a field of the same name. */
  json = fs_event_to_json (event, 1000000);
  g_assert_cmpstr (json, ==,
                   "{\"t\":1.500,\"event\":\"output\",\"name\":\"a\\\"b\\\\c\\n\",\"pid\":5,\"ppid\":4,"
                   "\"stream\":\"stdout\",\"text\":\"tab\\there \xc3\xa9 \\u0001\",\"timeout\":0.2,"
                   "\"group\":false}");

  say = fs_event_new (FS_EVENT_SAY, 1000000, NULL, say_fields);
  json2 = fs_event_to_json (say, 1000000);
  g_assert_cmpstr (json2, ==, "{\"t\":0.000,\"event\":\"say\",\"text\":\"hi\"}");
  text = fs_event_to_text (say, 1000000);
  g_assert_nonnull (strstr (text, "hi"));

  /* Not UTF-8: replaced, still valid JSON. */
  fs_json_append_string (out, "bad \xff byte");
  g_assert_true (g_utf8_validate (out->str, -1, NULL));
  g_assert_true (g_str_has_prefix (out->str, "\"bad "));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/forkscope/model/process-apply", test_process_apply);
  g_test_add_func ("/forkscope/model/process-tree", test_process_tree);
  g_test_add_func ("/forkscope/model/strings", test_strings);
  g_test_add_func ("/forkscope/model/json", test_json);

  return g_test_run ();
}
