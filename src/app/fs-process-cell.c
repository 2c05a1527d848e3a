/* fs-process-cell.c
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "fs-format.h"
#include "fs-process-cell.h"
#include "fs-tooltip.h"

#define FLASH_MSEC 700
#define FRESH_USEC (1500 * 1000)
#define TICK_MSEC 500

struct _FsProcessCell
{
  GtkWidget        parent_instance;

  FsProcessColumn  column;
  FsProcess       *process;
  gulong           notify_id;
  GListModel      *children;
  gulong           children_id;

  GtkImage        *icon;
  GtkBox          *text_box;
  GtkLabel        *label;
  GtkLabel        *detail;
  GtkLabel        *badge;

  char            *text;
  char            *css_class;
  FsProcessState   last_state;

  GtkWidget       *flash_row;
  guint            flash_id;
};

G_DEFINE_FINAL_TYPE (FsProcessCell, fs_process_cell, GTK_TYPE_WIDGET)

/* Every bound cell, for the shared clock and for refreshing all cells of a
 * process whose join deadline changed. Only visible rows are bound, so this
 * stays small whatever the size of the tree. */
static GHashTable *bound_cells;
static guint tick_source;

static void fs_process_cell_refresh (FsProcessCell *self);

static GQuark
join_deadline_quark (void)
{
  static GQuark quark;

  if G_UNLIKELY (quark == 0)
    quark = g_quark_from_static_string ("fs-join-deadline");
  return quark;
}

static gboolean
process_is_live (FsProcess *process)
{
  FsProcessState state = fs_process_get_state (process);

  return state == FS_PROCESS_STATE_CREATED ||
         state == FS_PROCESS_STATE_RUNNING ||
         state == FS_PROCESS_STATE_SLEEPING ||
         state == FS_PROCESS_STATE_STOPPED;
}

/* While frozen (a lesson paused), cells keep what they show. */
static gboolean frozen;

static gboolean
tick_cb (gpointer data)
{
  GHashTableIter iter;
  gpointer key;

  if (bound_cells == NULL || g_hash_table_size (bound_cells) == 0)
    {
      tick_source = 0;
      return G_SOURCE_REMOVE;
    }
  if (frozen)
    return G_SOURCE_CONTINUE;

  g_hash_table_iter_init (&iter, bound_cells);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      FsProcessCell *cell = key;

      if ((cell->column == FS_PROCESS_COLUMN_LIFETIME ||
           cell->column == FS_PROCESS_COLUMN_STATE) &&
          cell->process != NULL && process_is_live (cell->process))
        fs_process_cell_refresh (cell);
    }

  return G_SOURCE_CONTINUE;
}

static void
register_cell (FsProcessCell *self)
{
  if (bound_cells == NULL)
    bound_cells = g_hash_table_new (NULL, NULL);
  g_hash_table_add (bound_cells, self);

  if (tick_source == 0 &&
      (self->column == FS_PROCESS_COLUMN_LIFETIME || self->column == FS_PROCESS_COLUMN_STATE))
    {
      tick_source = g_timeout_add (TICK_MSEC, tick_cb, NULL);
      g_source_set_name_by_id (tick_source, "[forkscope] process cell clock");
    }
}

static void
unregister_cell (FsProcessCell *self)
{
  if (bound_cells != NULL)
    g_hash_table_remove (bound_cells, self);
}

void
fs_process_cell_set_join_deadline (FsProcess *process,
                                   gint64     deadline)
{
  GHashTableIter iter;
  gpointer key;

  g_return_if_fail (FS_IS_PROCESS (process));

  if (deadline > 0)
    {
      gint64 *boxed = g_new (gint64, 1);

      *boxed = deadline;
      g_object_set_qdata_full (G_OBJECT (process), join_deadline_quark (), boxed, g_free);
    }
  else
    g_object_set_qdata (G_OBJECT (process), join_deadline_quark (), NULL);

  if (bound_cells == NULL)
    return;

  g_hash_table_iter_init (&iter, bound_cells);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      FsProcessCell *cell = key;

      if (cell->process == process)
        fs_process_cell_refresh (cell);
    }
}

FsProcessCell *
fs_process_cell_find (FsProcess       *process,
                      FsProcessColumn  column)
{
  GHashTableIter iter;
  gpointer key;

  g_return_val_if_fail (FS_IS_PROCESS (process), NULL);

  if (bound_cells == NULL)
    return NULL;

  g_hash_table_iter_init (&iter, bound_cells);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      FsProcessCell *cell = key;

      if (cell->process == process && cell->column == column)
        return cell;
    }

  return NULL;
}

gint64
fs_process_cell_get_join_deadline (FsProcess *process)
{
  gint64 *deadline;

  g_return_val_if_fail (FS_IS_PROCESS (process), 0);

  deadline = g_object_get_qdata (G_OBJECT (process), join_deadline_quark ());
  return deadline != NULL ? *deadline : 0;
}

static GtkWidget *
find_row (GtkWidget *widget)
{
  /* GTK 4.8 has no row factory for GtkColumnView, so the row's own widget
   * (CSS name "row") is reached from a cell to flash the whole row. */
  for (GtkWidget *w = gtk_widget_get_parent (widget); w != NULL; w = gtk_widget_get_parent (w))
    {
      if (g_strcmp0 (gtk_widget_get_css_name (w), "row") == 0)
        return w;
      if (GTK_IS_COLUMN_VIEW (w))
        break;
    }
  return NULL;
}

static void
stop_flash (FsProcessCell *self)
{
  g_clear_handle_id (&self->flash_id, g_source_remove);
  if (self->flash_row != NULL)
    {
      gtk_widget_remove_css_class (self->flash_row, "fs-flash-new");
      gtk_widget_remove_css_class (self->flash_row, "fs-flash-dead");
      g_object_remove_weak_pointer (G_OBJECT (self->flash_row), (gpointer *) &self->flash_row);
      self->flash_row = NULL;
    }
}

static gboolean
flash_done_cb (gpointer data)
{
  FsProcessCell *self = data;

  self->flash_id = 0;
  stop_flash (self);
  return G_SOURCE_REMOVE;
}

static void
flash (FsProcessCell *self,
       const char    *css_class)
{
  GtkWidget *row;

  stop_flash (self);

  if (!gtk_widget_get_mapped (GTK_WIDGET (self)) && gtk_widget_get_parent (GTK_WIDGET (self)) == NULL)
    return;

  row = find_row (GTK_WIDGET (self));
  if (row == NULL)
    return;

  self->flash_row = row;
  g_object_add_weak_pointer (G_OBJECT (row), (gpointer *) &self->flash_row);
  gtk_widget_add_css_class (row, css_class);
  self->flash_id = g_timeout_add (FLASH_MSEC, flash_done_cb, self);
}

static void
set_label (GtkLabel   *label,
           const char *text)
{
  if (g_strcmp0 (gtk_label_get_label (label), text) != 0)
    gtk_label_set_label (label, text);
}

static void
set_css_class (FsProcessCell *self,
               const char    *css_class)
{
  if (g_strcmp0 (self->css_class, css_class) == 0)
    return;

  if (self->css_class != NULL)
    gtk_widget_remove_css_class (GTK_WIDGET (self), self->css_class);
  g_free (self->css_class);
  self->css_class = g_strdup (css_class);
  if (css_class != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self), css_class);
}

static void
set_text (FsProcessCell *self,
          char          *text)
{
  if (g_strcmp0 (self->text, text) == 0)
    {
      g_free (text);
      return;
    }
  g_free (self->text);
  self->text = text;
  set_label (self->label, text);
}

/* Tooltips are computed when asked for: setting one on every refresh
 * costs a round trip to the display server (the tooltip query), which made
 * a refresh of 1000 rows take tens of milliseconds. */
static char *
dup_tooltip (FsProcessCell *self)
{
  FsProcess *process = self->process;

  switch (self->column)
    {
    case FS_PROCESS_COLUMN_NAME:
      return fs_format_policy (process);

    case FS_PROCESS_COLUMN_PPID:
      {
        int ppid = fs_process_get_ppid (process);
        int birth = fs_process_get_birth_ppid (process);

        if (birth > 0 && birth != ppid)
          /* Translators: %d is the PID of the original parent */
          return g_strdup_printf (_("Born a child of PID %d"), birth);
        return NULL;
      }

    case FS_PROCESS_COLUMN_STATE:
      {
        g_autofree char *policy = fs_format_policy (process);
        g_autofree char *long_text = fs_format_state (process, FS_FORMAT_LONG);

        return g_strdup_printf ("%s\n%s", long_text, policy);
      }

    case FS_PROCESS_COLUMN_PID:
    case FS_PROCESS_COLUMN_ALIVE:
    case FS_PROCESS_COLUMN_DAEMON:
    case FS_PROCESS_COLUMN_EXIT:
    case FS_PROCESS_COLUMN_CPU:
    case FS_PROCESS_COLUMN_MEMORY:
    case FS_PROCESS_COLUMN_STARTED:
    case FS_PROCESS_COLUMN_LIFETIME:
    case FS_N_PROCESS_COLUMNS:
    default:
      return NULL;
    }
}

/* Off while a menu or popover points at a row: GTK 4.8 leaves a row's
 * tooltip on top of the popover that opened under the pointer. */
static gboolean tooltips_suspended;

void
fs_process_cell_suspend_tooltips (GtkWidget *view,
                                  gboolean   suspend)
{
  tooltips_suspended = suspend;
  /* Asks again, so a tooltip already shown goes away. */
  if (view != NULL)
    gtk_widget_trigger_tooltip_query (view);
}

static gboolean
query_tooltip_cb (FsProcessCell *self,
                  int            x,
                  int            y,
                  gboolean       keyboard,
                  GtkTooltip    *tooltip)
{
  g_autofree char *text = NULL;

  if (tooltips_suspended || self->process == NULL || !(text = dup_tooltip (self)))
    return FALSE;

  fs_tooltip_set_text (tooltip, text);
  return TRUE;
}

static const char *
kind_icon (FsProcess *process)
{
  switch (fs_process_get_kind (process))
    {
    case FS_PROCESS_KIND_SUPERVISOR:
      return "system-run-symbolic";
    case FS_PROCESS_KIND_WORKER:
      return "application-x-executable-symbolic";
    case FS_PROCESS_KIND_DESCENDANT:
      /* Ours (in the resource): Adwaita has no "fork" icon. */
      return "fs-forked-symbolic";
    default:
      g_assert_not_reached ();
    }
}

static char *
state_text (FsProcessCell *self)
{
  gint64 deadline = fs_process_cell_get_join_deadline (self->process);
  g_autofree char *text = fs_format_state (self->process, FS_FORMAT_CELL);

  if (deadline == G_MAXINT64 && process_is_live (self->process))
    /* Translators: a state, then a note that a join() without a timeout
     * is waiting for the process, e.g. "Sleeping — joining" */
    return g_strdup_printf (_("%s — joining"), text);

  if (deadline > 0 && process_is_live (self->process))
    {
      gint64 left = MAX (0, deadline - g_get_monotonic_time ());

      /* Translators: a state, then the time left of a join(timeout),
       * e.g. "Sleeping — joining, 3 s left" */
      return g_strdup_printf (_("%s — joining, %d s left"), text,
                              (int) ((left + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC));
    }

  return g_steal_pointer (&text);
}

static void
refresh_name (FsProcessCell *self)
{
  FsProcess *process = self->process;
  const char *function = fs_process_get_function (process);

  gtk_image_set_from_icon_name (self->icon, kind_icon (process));
  set_text (self, g_strdup (fs_process_get_name (process)));

  if (fs_process_get_kind (process) == FS_PROCESS_KIND_SUPERVISOR)
    {
      set_label (self->detail, _("parent of every worker"));
      gtk_orientable_set_orientation (GTK_ORIENTABLE (self->text_box), GTK_ORIENTATION_VERTICAL);
      gtk_box_set_spacing (self->text_box, 0);
    }
  else if (fs_process_get_kind (process) == FS_PROCESS_KIND_DESCENDANT)
    {
      /* Forked children carry their parent's name: their path ("z1/1")
       * tells them apart, and is what lessons call them. */
      g_autofree char *path = fs_format_subject_path (process);

      set_label (self->detail, path != NULL ? path : "");
      gtk_orientable_set_orientation (GTK_ORIENTABLE (self->text_box), GTK_ORIENTATION_HORIZONTAL);
      gtk_box_set_spacing (self->text_box, 6);
    }
  else
    {
      set_label (self->detail, function != NULL ? function : "");
      gtk_orientable_set_orientation (GTK_ORIENTABLE (self->text_box), GTK_ORIENTATION_HORIZONTAL);
      gtk_box_set_spacing (self->text_box, 6);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->detail),
                          *gtk_label_get_label (self->detail) != '\0');

  gtk_widget_set_visible (GTK_WIDGET (self->badge), fs_process_get_orphan (process));
}

/* GtkTreeExpander 4.8 shows an arrow on every expandable row, and a row's
 * expandability is fixed when it is created (hide-expander is 4.10): hide
 * the arrow with CSS while the process has no children. */
static void
update_leaf (FsProcessCell *self)
{
  GtkWidget *parent = gtk_widget_get_parent (GTK_WIDGET (self));
  gboolean leaf = self->children == NULL || g_list_model_get_n_items (self->children) == 0;

  if (!GTK_IS_TREE_EXPANDER (parent))
    return;

  if (leaf)
    gtk_widget_add_css_class (parent, "fs-leaf");
  else
    gtk_widget_remove_css_class (parent, "fs-leaf");
}

static void
fs_process_cell_refresh (FsProcessCell *self)
{
  FsProcess *process = self->process;
  gboolean finished;

  if (process == NULL)
    return;

  finished = !process_is_live (process) && fs_process_get_state (process) != FS_PROCESS_STATE_ZOMBIE;

  /* A reaped process stays as a greyed tombstone until cleared. */
  if (finished)
    gtk_widget_add_css_class (GTK_WIDGET (self), "fs-tombstone");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "fs-tombstone");

  switch (self->column)
    {
    case FS_PROCESS_COLUMN_NAME:
      refresh_name (self);
      break;

    case FS_PROCESS_COLUMN_PID:
      set_text (self, g_strdup_printf ("%d", fs_process_get_pid (process)));
      break;

    case FS_PROCESS_COLUMN_PPID:
      {
        int ppid = fs_process_get_ppid (process);
        int birth = fs_process_get_birth_ppid (process);

        set_text (self, ppid > 0 ? g_strdup_printf ("%d", ppid) : g_strdup (""));
        set_css_class (self, birth > 0 && birth != ppid ? "fs-reparented" : NULL);
      }
      break;

    case FS_PROCESS_COLUMN_STATE:
      {
        set_text (self, state_text (self));
        gtk_image_set_from_icon_name (self->icon, fs_format_state_icon (process));
        set_css_class (self, fs_format_state_css_class (process));
      }
      break;

    case FS_PROCESS_COLUMN_ALIVE:
      set_text (self, g_strdup (fs_process_get_alive (process) ? _("Yes") : _("No")));
      set_css_class (self, fs_process_get_alive (process) ? NULL : "dim-label");
      break;

    case FS_PROCESS_COLUMN_DAEMON:
      if (fs_process_get_kind (process) != FS_PROCESS_KIND_WORKER)
        set_text (self, g_strdup (""));
      else
        set_text (self, g_strdup (fs_process_get_daemon (process) ? _("Daemon") : _("No")));
      set_css_class (self, fs_process_get_daemon (process) ? "fs-daemon" : "dim-label");
      break;

    case FS_PROCESS_COLUMN_EXIT:
      set_text (self, fs_format_exit (process));
      break;

    case FS_PROCESS_COLUMN_CPU:
      if (process_is_live (process))
        set_text (self, g_strdup_printf ("%.1f %%", fs_process_get_cpu_percent (process)));
      else
        set_text (self, g_strdup (""));
      break;

    case FS_PROCESS_COLUMN_MEMORY:
      if (process_is_live (process) && fs_process_get_rss (process) > 0)
        set_text (self, g_format_size (fs_process_get_rss (process)));
      else
        set_text (self, g_strdup (""));
      break;

    case FS_PROCESS_COLUMN_STARTED:
      set_text (self, fs_format_wall_time (fs_process_get_spawn_time (process)));
      break;

    case FS_PROCESS_COLUMN_LIFETIME:
      {
        gint64 start = fs_process_get_spawn_time (process);
        gint64 end = fs_process_get_exit_time (process);

        if (start <= 0)
          set_text (self, g_strdup (""));
        else
          set_text (self, fs_format_duration ((end > 0 ? end : g_get_monotonic_time ()) - start));
      }
      break;

    case FS_N_PROCESS_COLUMNS:
    default:
      g_assert_not_reached ();
    }
}

void
fs_process_cell_set_frozen (gboolean freeze)
{
  GHashTableIter iter;
  gpointer key;

  frozen = !!freeze;
  if (frozen || bound_cells == NULL)
    return;

  /* Catch up with what changed meanwhile. */
  g_hash_table_iter_init (&iter, bound_cells);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      FsProcessCell *cell = key;

      fs_process_cell_refresh (cell);
      if (cell->process != NULL)
        cell->last_state = fs_process_get_state (cell->process);
    }
}

static void
notify_cb (FsProcessCell *self,
           GParamSpec    *pspec,
           FsProcess     *process)
{
  FsProcessState state;

  if (frozen)
    return;

  fs_process_cell_refresh (self);

  if (self->column != FS_PROCESS_COLUMN_NAME)
    return;

  state = fs_process_get_state (process);
  if (state != self->last_state)
    {
      if ((state == FS_PROCESS_STATE_ZOMBIE ||
           state == FS_PROCESS_STATE_REAPED ||
           state == FS_PROCESS_STATE_GONE) &&
          self->last_state != FS_PROCESS_STATE_ZOMBIE &&
          self->last_state != FS_PROCESS_STATE_REAPED &&
          self->last_state != FS_PROCESS_STATE_GONE)
        flash (self, "fs-flash-dead");
      self->last_state = state;
    }
}

void
fs_process_cell_set_process (FsProcessCell *self,
                             FsProcess     *process)
{
  g_return_if_fail (FS_IS_PROCESS_CELL (self));
  g_return_if_fail (!process || FS_IS_PROCESS (process));

  if (self->process == process)
    return;

  stop_flash (self);

  if (self->children != NULL)
    {
      g_clear_signal_handler (&self->children_id, self->children);
      g_clear_object (&self->children);
    }

  if (self->process != NULL)
    {
      g_clear_signal_handler (&self->notify_id, self->process);
      g_clear_object (&self->process);
      unregister_cell (self);
    }

  g_clear_pointer (&self->text, g_free);

  if (process == NULL)
    return;

  self->process = g_object_ref (process);
  self->last_state = fs_process_get_state (process);
  self->notify_id = g_signal_connect_object (process, "notify",
                                             G_CALLBACK (notify_cb), self,
                                             G_CONNECT_SWAPPED);
  register_cell (self);
  fs_process_cell_refresh (self);

  if (self->column == FS_PROCESS_COLUMN_NAME)
    {
      self->children = g_object_ref (fs_process_get_children (process));
      self->children_id = g_signal_connect_object (self->children, "items-changed",
                                                   G_CALLBACK (update_leaf), self,
                                                   G_CONNECT_SWAPPED);
      update_leaf (self);
    }

  if (self->column == FS_PROCESS_COLUMN_NAME &&
      fs_process_get_spawn_time (process) > 0 &&
      g_get_monotonic_time () - fs_process_get_spawn_time (process) < FRESH_USEC)
    flash (self, "fs-flash-new");
}

FsProcess *
fs_process_cell_get_process (FsProcessCell *self)
{
  g_return_val_if_fail (FS_IS_PROCESS_CELL (self), NULL);

  return self->process;
}

FsProcessColumn
fs_process_cell_get_column (FsProcessCell *self)
{
  g_return_val_if_fail (FS_IS_PROCESS_CELL (self), 0);

  return self->column;
}

const char *
fs_process_cell_get_text (FsProcessCell *self)
{
  g_return_val_if_fail (FS_IS_PROCESS_CELL (self), NULL);

  return self->text != NULL ? self->text : "";
}

static void
fs_process_cell_dispose (GObject *object)
{
  FsProcessCell *self = (FsProcessCell *)object;
  GtkWidget *child;

  fs_process_cell_set_process (self, NULL);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (fs_process_cell_parent_class)->dispose (object);
}

static void
fs_process_cell_finalize (GObject *object)
{
  FsProcessCell *self = (FsProcessCell *)object;

  g_free (self->text);
  g_free (self->css_class);

  G_OBJECT_CLASS (fs_process_cell_parent_class)->finalize (object);
}

static void
fs_process_cell_class_init (FsProcessCellClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fs_process_cell_dispose;
  object_class->finalize = fs_process_cell_finalize;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "fsprocesscell");
}

static void
fs_process_cell_init (FsProcessCell *self)
{
  GtkLayoutManager *layout = gtk_widget_get_layout_manager (GTK_WIDGET (self));

  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (layout), 6);
}

GtkWidget *
fs_process_cell_new (FsProcessColumn column)
{
  FsProcessCell *self;
  GtkWidget *widget;

  g_return_val_if_fail (column < FS_N_PROCESS_COLUMNS, NULL);

  self = g_object_new (FS_TYPE_PROCESS_CELL, NULL);
  widget = GTK_WIDGET (self);
  self->column = column;

  if (column == FS_PROCESS_COLUMN_NAME || column == FS_PROCESS_COLUMN_PPID ||
      column == FS_PROCESS_COLUMN_STATE)
    {
      gtk_widget_set_has_tooltip (widget, TRUE);
      g_signal_connect (self, "query-tooltip", G_CALLBACK (query_tooltip_cb), NULL);
    }

  if (column == FS_PROCESS_COLUMN_NAME || column == FS_PROCESS_COLUMN_STATE)
    {
      self->icon = GTK_IMAGE (gtk_image_new ());
      gtk_widget_set_parent (GTK_WIDGET (self->icon), widget);
    }

  self->label = GTK_LABEL (gtk_label_new (NULL));
  /* Only the state and the name's detail give way when space is short:
   * a cut PID is worse than a horizontal scrollbar. */
  if (column == FS_PROCESS_COLUMN_STATE)
    {
      gtk_label_set_ellipsize (self->label, PANGO_ELLIPSIZE_END);
      /* Never narrower than "Sleeping" or "Zombie: wai…". */
      gtk_label_set_width_chars (self->label, 12);
    }
  if (column == FS_PROCESS_COLUMN_NAME)
    {
      /* Name and detail side by side; stacked for the supervisor, whose
       * detail explains why it is there. */
      self->text_box = GTK_BOX (gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6));
      gtk_widget_set_hexpand (GTK_WIDGET (self->text_box), TRUE);
      gtk_widget_set_parent (GTK_WIDGET (self->text_box), widget);
      gtk_box_append (self->text_box, GTK_WIDGET (self->label));
    }
  else
    gtk_widget_set_parent (GTK_WIDGET (self->label), widget);

  switch (column)
    {
    case FS_PROCESS_COLUMN_NAME:
      gtk_label_set_xalign (self->label, 0.0);
      gtk_label_set_ellipsize (self->label, PANGO_ELLIPSIZE_END);
      gtk_widget_add_css_class (GTK_WIDGET (self->label), "fs-process-name");

      self->detail = GTK_LABEL (gtk_label_new (NULL));
      gtk_label_set_xalign (self->detail, 0.0);
      gtk_label_set_ellipsize (self->detail, PANGO_ELLIPSIZE_END);
      gtk_widget_set_hexpand (GTK_WIDGET (self->detail), TRUE);
      gtk_widget_add_css_class (GTK_WIDGET (self->detail), "dim-label");
      gtk_widget_add_css_class (GTK_WIDGET (self->detail), "caption");
      gtk_box_append (self->text_box, GTK_WIDGET (self->detail));

      /* Translators: a small badge on a process whose parent died */
      self->badge = GTK_LABEL (gtk_label_new (_("orphan")));
      gtk_widget_add_css_class (GTK_WIDGET (self->badge), "fs-badge");
      gtk_widget_add_css_class (GTK_WIDGET (self->badge), "fs-badge-orphan");
      gtk_widget_set_valign (GTK_WIDGET (self->badge), GTK_ALIGN_CENTER);
      gtk_widget_set_visible (GTK_WIDGET (self->badge), FALSE);
      gtk_widget_set_parent (GTK_WIDGET (self->badge), widget);
      break;

    case FS_PROCESS_COLUMN_STATE:
    case FS_PROCESS_COLUMN_ALIVE:
    case FS_PROCESS_COLUMN_DAEMON:
    case FS_PROCESS_COLUMN_STARTED:
      gtk_label_set_xalign (self->label, 0.0);
      gtk_widget_set_hexpand (GTK_WIDGET (self->label), TRUE);
      break;

    case FS_PROCESS_COLUMN_PID:
    case FS_PROCESS_COLUMN_PPID:
    case FS_PROCESS_COLUMN_EXIT:
    case FS_PROCESS_COLUMN_CPU:
    case FS_PROCESS_COLUMN_MEMORY:
    case FS_PROCESS_COLUMN_LIFETIME:
      gtk_label_set_xalign (self->label, 1.0);
      gtk_widget_set_hexpand (GTK_WIDGET (self->label), TRUE);
      gtk_widget_add_css_class (GTK_WIDGET (self->label), "numeric");
      break;

    case FS_N_PROCESS_COLUMNS:
    default:
      g_assert_not_reached ();
    }

  return widget;
}
