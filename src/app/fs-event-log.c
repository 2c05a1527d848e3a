/* fs-event-log.c
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "fs-event-item.h"
#include "fs-event-log.h"
#include "fs-format.h"
#include "fs-tooltip.h"

#define MAX_EVENTS 50000
#define FLUSH_INTERVAL_MSEC 50
/* At most this many rows per batch, so a burst (a refresh that changed a
 * thousand processes) is spread over several frames: 5000 events/s. */
#define FLUSH_BATCH 250

typedef enum
{
  COLUMN_TIME,
  COLUMN_KIND,
  COLUMN_PROCESS,
  COLUMN_DETAILS,
  N_COLUMNS
} Column;

struct _FsEventLog
{
  GtkWidget          parent_instance;

  FsEngine          *engine;
  gulong             event_id;
  gint64             origin;

  GListStore        *events;
  GPtrArray         *pending;
  guint              flush_id;
  gboolean           follow;
  double             last_value;

  GtkScrolledWindow *scroller;
  GtkColumnView     *column_view;
};

G_DEFINE_FINAL_TYPE (FsEventLog, fs_event_log, GTK_TYPE_WIDGET)

const char *
fs_event_log_kind_label (FsEventKind kind)
{
  switch (kind)
    {
    case FS_EVENT_SPAWNED:        return _("Spawned");
    case FS_EVENT_APPEARED:       return _("Forked");
    case FS_EVENT_STATE:          return _("State");
    case FS_EVENT_EXITED:         return _("Exited");
    case FS_EVENT_REAPED:         return _("Reaped");
    case FS_EVENT_GONE:           return _("Gone");
    case FS_EVENT_REPARENTED:     return _("Reparented");
    case FS_EVENT_ADOPTED:        return _("Adopted");
    case FS_EVENT_SIGNALLED:      return _("Signalled");
    case FS_EVENT_JOIN_STARTED:   return _("Join");
    case FS_EVENT_JOINED:         return _("Joined");
    case FS_EVENT_JOIN_TIMED_OUT: return _("Join timed out");
    case FS_EVENT_OUTPUT:         return _("Output");
    case FS_EVENT_ERROR:          return _("Error");
    case FS_EVENT_SAY:            return _("Lesson");
    case FS_EVENT_EXPECT:         return _("Expect");
    case FS_EVENT_POLICY:         return _("Policy");
    case FS_EVENT_NOTE:           return _("Note");
    case FS_EVENT_STATS:
    default:                      return "?";
    }
}

static const char *
kind_css_class (FsEvent *event)
{
  switch (event->kind)
    {
    case FS_EVENT_SPAWNED:
    case FS_EVENT_APPEARED:
    case FS_EVENT_JOINED:
      return "fs-event-good";
    case FS_EVENT_EXITED:
    case FS_EVENT_REPARENTED:
    case FS_EVENT_ADOPTED:
    case FS_EVENT_JOIN_TIMED_OUT:
    case FS_EVENT_SIGNALLED:
      return "fs-event-warning";
    case FS_EVENT_ERROR:
      return "fs-event-bad";
    case FS_EVENT_EXPECT:
      {
        GVariant *ok = g_variant_lookup_value (event->fields, "ok", G_VARIANT_TYPE_BOOLEAN);
        gboolean good = ok != NULL && g_variant_get_boolean (ok);

        g_clear_pointer (&ok, g_variant_unref);
        return good ? "fs-event-good" : "fs-event-bad";
      }
    case FS_EVENT_STATE:
    case FS_EVENT_REAPED:
    case FS_EVENT_GONE:
    case FS_EVENT_JOIN_STARTED:
    case FS_EVENT_OUTPUT:
    case FS_EVENT_SAY:
    case FS_EVENT_POLICY:
    case FS_EVENT_NOTE:
    case FS_EVENT_STATS:
    default:
      return "fs-event-neutral";
    }
}

static char *
format_cell (FsEventLog *self,
             FsEvent    *event,
             Column      column)
{
  switch (column)
    {
    case COLUMN_TIME:
      /* Seconds since the engine started: the "t" of the JSON export. */
      return g_strdup_printf ("%.3f", (event->time - self->origin) / (double) G_USEC_PER_SEC);

    case COLUMN_KIND:
      return g_strdup (fs_event_log_kind_label (event->kind));

    case COLUMN_PROCESS:
      if (event->process != NULL)
        return g_strdup_printf ("%s %d", fs_process_get_name (event->process), event->pid);
      if (event->pid > 0)
        return g_strdup_printf ("%d", event->pid);
      return g_strdup ("");

    case COLUMN_DETAILS:
      {
        g_autofree char *text = fs_event_to_text (event, self->origin);
        const char *rest = text;

        /* The time and the process have their own columns: keep what
         * follows them ("TIME  NAME[PID]  what happened"). */
        while (*rest == ' ')
          rest++;
        while (*rest != '\0' && *rest != ' ')
          rest++;
        while (*rest == ' ')
          rest++;
        if (event->process != NULL)
          {
            g_autofree char *who = g_strdup_printf ("%s[%d]", fs_process_get_name (event->process) ?: "?", event->pid);

            if (g_str_has_prefix (rest, who))
              rest += strlen (who);
            while (*rest == ' ')
              rest++;
          }
        return g_strdup (*rest != '\0' ? rest : text);
      }

    case N_COLUMNS:
    default:
      g_assert_not_reached ();
    }
}

/* Computed when asked for: setting a tooltip on every bind costs a round
 * trip to the display server. */
static gboolean
query_tooltip_cb (GtkLabel   *label,
                  int         x,
                  int         y,
                  gboolean    keyboard,
                  GtkTooltip *tooltip)
{
  const char *text = gtk_label_get_text (label);

  if (text == NULL || *text == '\0')
    return FALSE;
  fs_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
setup_cb (GtkSignalListItemFactory *factory,
          GtkListItem              *item,
          gpointer                  user_data)
{
  Column column = GPOINTER_TO_UINT (user_data);
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), column == COLUMN_TIME ? 1.0 : 0.0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  if (column == COLUMN_TIME)
    {
      gtk_widget_add_css_class (label, "numeric");
      gtk_widget_add_css_class (label, "dim-label");
    }
  if (column == COLUMN_KIND)
    gtk_widget_add_css_class (label, "fs-event-kind");
  if (column == COLUMN_DETAILS)
    {
      gtk_widget_set_has_tooltip (label, TRUE);
      g_signal_connect (label, "query-tooltip", G_CALLBACK (query_tooltip_cb), NULL);
    }
  gtk_list_item_set_child (item, label);
}

static void
bind_cb (GtkSignalListItemFactory *factory,
         GtkListItem              *item,
         gpointer                  user_data)
{
  FsEventLog *self = g_object_get_data (G_OBJECT (factory), "fs-event-log");
  Column column = GPOINTER_TO_UINT (user_data);
  FsEvent *event = fs_event_item_get_event (gtk_list_item_get_item (item));
  GtkWidget *label = gtk_list_item_get_child (item);
  g_autofree char *text = format_cell (self, event, column);

  gtk_label_set_label (GTK_LABEL (label), text);
  if (column == COLUMN_KIND)
    {
      const char *css_class = kind_css_class (event);

      gtk_widget_set_css_classes (label, (const char *[]) { "fs-event-kind", css_class, NULL });
    }
}

static gboolean
at_bottom (FsEventLog *self)
{
  GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (self->scroller);

  return gtk_adjustment_get_value (adj) + gtk_adjustment_get_page_size (adj) >=
         gtk_adjustment_get_upper (adj) - 8;
}

/* See fs-output-view.c: follow the end until the user scrolls up. */
static void
value_changed_cb (FsEventLog *self)
{
  double value = gtk_adjustment_get_value (gtk_scrolled_window_get_vadjustment (self->scroller));

  /* Only the user scrolls up; our own scrolling only goes down, while
   * the content is still being measured. */
  if (at_bottom (self))
    self->follow = TRUE;
  else if (value < self->last_value - 1)
    self->follow = FALSE;
  self->last_value = value;
}

static gboolean
scroll_to_end_cb (gpointer data)
{
  FsEventLog *self = data;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->events));

  /* gtk_column_view_scroll_to() is GTK 4.12; the inner list's action is
   * what it uses. */
  if (n > 0)
    for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->column_view));
         child != NULL;
         child = gtk_widget_get_next_sibling (child))
      if (GTK_IS_LIST_VIEW (child))
        gtk_widget_activate_action (child, "list.scroll-to-item", "u", n - 1);

  g_object_unref (self);
  return G_SOURCE_REMOVE;
}

static void
flush_some (FsEventLog *self,
            guint       max)
{
  guint n_items, n_remove = 0, n_add;
  gboolean follow;

  if (self->pending->len == 0)
    return;

  n_add = MIN (self->pending->len, max);
  follow = self->follow;
  n_items = g_list_model_get_n_items (G_LIST_MODEL (self->events));
  if (n_items + n_add > MAX_EVENTS)
    n_remove = MIN (n_items, n_items + n_add - MAX_EVENTS);

  /* One items-changed for the whole batch. */
  g_list_store_splice (self->events, 0, n_remove, NULL, 0);
  g_list_store_splice (self->events,
                       g_list_model_get_n_items (G_LIST_MODEL (self->events)), 0,
                       self->pending->pdata, n_add);
  g_ptr_array_remove_range (self->pending, 0, n_add);

  if (follow)
    g_idle_add_full (G_PRIORITY_LOW, scroll_to_end_cb, g_object_ref (self), NULL);
}

void
fs_event_log_flush (FsEventLog *self)
{
  g_return_if_fail (FS_IS_EVENT_LOG (self));

  g_clear_handle_id (&self->flush_id, g_source_remove);
  flush_some (self, G_MAXUINT);
}

static gboolean
flush_cb (gpointer data)
{
  FsEventLog *self = data;

  flush_some (self, FLUSH_BATCH);
  if (self->pending->len > 0)
    return G_SOURCE_CONTINUE;

  self->flush_id = 0;
  return G_SOURCE_REMOVE;
}

void
fs_event_log_append (FsEventLog *self,
                     FsEvent    *event)
{
  g_return_if_fail (FS_IS_EVENT_LOG (self));
  g_return_if_fail (event != NULL);

  g_ptr_array_add (self->pending, fs_event_item_new (event));
  if (self->flush_id == 0)
    self->flush_id = g_timeout_add (FLUSH_INTERVAL_MSEC, flush_cb, self);
}

static void
event_cb (FsEventLog *self,
          FsEvent    *event,
          FsEngine   *engine)
{
  if (event->kind == FS_EVENT_OUTPUT)
    return;

  fs_event_log_append (self, event);
}

void
fs_event_log_set_engine (FsEventLog *self,
                         FsEngine   *engine)
{
  g_return_if_fail (FS_IS_EVENT_LOG (self));
  g_return_if_fail (!engine || FS_IS_ENGINE (engine));

  if (self->engine == engine)
    return;

  if (self->engine != NULL)
    g_clear_signal_handler (&self->event_id, self->engine);
  g_set_object (&self->engine, engine);
  if (engine != NULL)
    {
      self->origin = fs_engine_get_origin (engine);
      self->event_id = g_signal_connect_object (engine, "event", G_CALLBACK (event_cb),
                                                self, G_CONNECT_SWAPPED);
    }
}

void
fs_event_log_clear (FsEventLog *self)
{
  g_return_if_fail (FS_IS_EVENT_LOG (self));

  g_ptr_array_set_size (self->pending, 0);
  g_list_store_remove_all (self->events);
}

GListModel *
fs_event_log_get_events (FsEventLog *self)
{
  g_return_val_if_fail (FS_IS_EVENT_LOG (self), NULL);

  fs_event_log_flush (self);
  return G_LIST_MODEL (self->events);
}

static void
export_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (object), result, NULL, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
fs_event_log_export_async (FsEventLog          *self,
                           GFile               *file,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GBytes) bytes = NULL;
  GString *str;
  guint n;

  g_return_if_fail (FS_IS_EVENT_LOG (self));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, fs_event_log_export_async);

  fs_event_log_flush (self);
  str = g_string_new (NULL);
  n = g_list_model_get_n_items (G_LIST_MODEL (self->events));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(FsEventItem) item = g_list_model_get_item (G_LIST_MODEL (self->events), i);
      g_autofree char *json = fs_event_to_json (fs_event_item_get_event (item), self->origin);

      g_string_append (str, json);
      g_string_append_c (str, '\n');
    }
  bytes = g_string_free_to_bytes (str);

  g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE,
                                       G_FILE_CREATE_REPLACE_DESTINATION,
                                       cancellable, export_cb, g_steal_pointer (&task));
}

gboolean
fs_event_log_export_finish (FsEventLog    *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (FS_IS_EVENT_LOG (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
fs_event_log_dispose (GObject *object)
{
  FsEventLog *self = (FsEventLog *)object;

  g_clear_handle_id (&self->flush_id, g_source_remove);
  fs_event_log_set_engine (self, NULL);

  gtk_widget_dispose_template (GTK_WIDGET (self), FS_TYPE_EVENT_LOG);

  G_OBJECT_CLASS (fs_event_log_parent_class)->dispose (object);
}

static void
fs_event_log_finalize (GObject *object)
{
  FsEventLog *self = (FsEventLog *)object;

  g_clear_object (&self->events);
  g_clear_pointer (&self->pending, g_ptr_array_unref);

  G_OBJECT_CLASS (fs_event_log_parent_class)->finalize (object);
}

static void
fs_event_log_class_init (FsEventLogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fs_event_log_dispose;
  object_class->finalize = fs_event_log_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/forkscope/Forkscope/fs-event-log.ui");
  gtk_widget_class_bind_template_child (widget_class, FsEventLog, scroller);
  gtk_widget_class_bind_template_child (widget_class, FsEventLog, column_view);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "fseventlog");
}

static void
fs_event_log_init (FsEventLog *self)
{
  static const struct {
    const char *title;
    gboolean    expand;
  } columns[N_COLUMNS] = {
    [COLUMN_TIME]    = { N_("Time (s)"), FALSE },
    [COLUMN_KIND]    = { N_("Event"),    FALSE },
    [COLUMN_PROCESS] = { N_("Process"),  FALSE },
    [COLUMN_DETAILS] = { N_("Details"),  TRUE },
  };
  g_autoptr(GtkNoSelection) selection = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->origin = g_get_monotonic_time ();
  self->follow = TRUE;
  g_signal_connect_object (gtk_scrolled_window_get_vadjustment (self->scroller), "value-changed",
                           G_CALLBACK (value_changed_cb), self, G_CONNECT_SWAPPED);
  self->events = g_list_store_new (FS_TYPE_EVENT_ITEM);
  self->pending = g_ptr_array_new_with_free_func (g_object_unref);

  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->events)));
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (selection));

  for (guint i = 0; i < N_COLUMNS; i++)
    {
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      g_autoptr(GtkColumnViewColumn) column = NULL;

      g_object_set_data (G_OBJECT (factory), "fs-event-log", self);
      g_signal_connect (factory, "setup", G_CALLBACK (setup_cb), GUINT_TO_POINTER (i));
      g_signal_connect (factory, "bind", G_CALLBACK (bind_cb), GUINT_TO_POINTER (i));
      column = gtk_column_view_column_new (_(columns[i].title), factory);
      gtk_column_view_column_set_expand (column, columns[i].expand);
      gtk_column_view_column_set_resizable (column, TRUE);
      gtk_column_view_append_column (self->column_view, column);
    }
}

GtkWidget *
fs_event_log_new (void)
{
  return g_object_new (FS_TYPE_EVENT_LOG, NULL);
}
