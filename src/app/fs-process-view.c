/* fs-process-view.c
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <adwaita.h>

#include "fs-frozen-list.h"
#include "fs-process-cell.h"
#include "fs-process-view.h"

/* Below these widths the least important columns are hidden, so the tree
 * reads well beside the sidebar in an 800×600 window: first the ones that
 * repeat what the state says or matter least, then the measurements. */
#define MEDIUM_WIDTH 1120
#define NARROW_WIDTH 900
#define TINY_WIDTH 640

/* What the tree's levels share about freezing. Reference-counted: the
 * tree list model (through its create function) and every list hold it,
 * so a level that outlives the view (a row someone still holds) finds it
 * there. */
typedef struct
{
  gboolean   frozen;
  GPtrArray *lists;   /* FsFrozenList, not owned: each removes itself */
} FreezeState;

struct _FsProcessView
{
  GtkWidget           parent_instance;

  FsEngine           *engine;
  GListStore         *roots;
  GtkTreeListModel   *tree;
  GtkSingleSelection *selection;
  FsProcess          *selected;
  GListModel         *workers;

  GtkPopover         *context_menu;
  guint               reselect_id;
  guint               columns_id;
  guint               tier;
  gboolean            has_error;
  gboolean            has_definitions;
  gboolean            frozen;
  FreezeState        *freeze_state;

  GtkStack           *stack;
  AdwStatusPage      *error_page;
  AdwStatusPage      *empty_page;
  GtkButton          *empty_button;
  GtkColumnView      *column_view;
  GtkColumnViewColumn *columns[FS_N_PROCESS_COLUMNS];
  guint8               column_choice[FS_N_PROCESS_COLUMNS];
  GSimpleActionGroup  *column_actions;
  GMenuModel          *column_menu;
};

G_DEFINE_FINAL_TYPE (FsProcessView, fs_process_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_ENGINE,
  PROP_SELECTED,
  PROP_FROZEN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const struct {
  const char *title;
  const char *action;     /* "columns.NAME" toggles it; NULL: always shown */
  gboolean    expand;
  int         fixed_width;
  guint       tier;       /* 0: always shown; 1: hidden when medium; 2: narrow; 3: tiny */
} column_info[FS_N_PROCESS_COLUMNS] = {
  [FS_PROCESS_COLUMN_NAME]     = { N_("Name"),     NULL,       FALSE, 220, 0 },
  [FS_PROCESS_COLUMN_PID]      = { N_("PID"),      NULL,       FALSE, -1, 0 },
  [FS_PROCESS_COLUMN_PPID]     = { N_("PPID"),     NULL,       FALSE, -1, 0 },
  [FS_PROCESS_COLUMN_STATE]    = { N_("State"),    NULL,       TRUE,  -1, 0 },
  [FS_PROCESS_COLUMN_ALIVE]    = { N_("Alive"),    "alive",    FALSE, -1, 1 },
  [FS_PROCESS_COLUMN_DAEMON]   = { N_("Daemon"),   "daemon",   FALSE, -1, 1 },
  [FS_PROCESS_COLUMN_EXIT]     = { N_("Exit"),     "exit",     FALSE, -1, 0 },
  [FS_PROCESS_COLUMN_CPU]      = { N_("CPU"),      "cpu",      FALSE, -1, 2 },
  [FS_PROCESS_COLUMN_MEMORY]   = { N_("Memory"),   "memory",   FALSE, -1, 2 },
  [FS_PROCESS_COLUMN_STARTED]  = { N_("Started"),  "started",  FALSE, -1, 1 },
  [FS_PROCESS_COLUMN_LIFETIME] = { N_("Lifetime"), "lifetime", FALSE, -1, 3 },
};

/* A column the user showed or hid from the header menu stays so; the
 * others come and go with the width. */
enum { COLUMN_AUTO, COLUMN_SHOWN, COLUMN_HIDDEN };

static FsProcess *
row_process (GtkTreeListRow *row)
{
  /* The tree list model owns the process; rows hold a reference. */
  g_autoptr(FsProcess) process = NULL;

  if (row == NULL)
    return NULL;
  process = gtk_tree_list_row_get_item (row);
  return process;
}

/* A column sized by its cells ("5.5 s") cuts a longer header ("存活时间"):
 * cells are at least as wide as their column's title. */
static int
title_width (GtkWidget  *widget,
             const char *title)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, title);
  PangoAttrList *attrs = pango_attr_list_new ();
  int width;

  /* Headers are bold. */
  pango_attr_list_insert (attrs, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
  pango_layout_set_attributes (layout, attrs);
  pango_attr_list_unref (attrs);
  pango_layout_get_pixel_size (layout, &width, NULL);
  return width;
}

static void
setup_cb (GtkSignalListItemFactory *factory,
          GtkListItem              *item,
          gpointer                  user_data)
{
  FsProcessColumn column = GPOINTER_TO_UINT (user_data);
  GtkWidget *cell = fs_process_cell_new (column);

  if (column != FS_PROCESS_COLUMN_NAME && column != FS_PROCESS_COLUMN_STATE)
    gtk_widget_set_size_request (cell, title_width (cell, _(column_info[column].title)), -1);

  if (column == FS_PROCESS_COLUMN_NAME)
    {
      GtkWidget *expander = gtk_tree_expander_new ();

      gtk_tree_expander_set_child (GTK_TREE_EXPANDER (expander), cell);
      gtk_list_item_set_child (item, expander);
    }
  else
    gtk_list_item_set_child (item, cell);
}

static FsProcessCell *
item_cell (GtkListItem *item)
{
  GtkWidget *child = gtk_list_item_get_child (item);

  if (GTK_IS_TREE_EXPANDER (child))
    child = gtk_tree_expander_get_child (GTK_TREE_EXPANDER (child));
  return FS_PROCESS_CELL (child);
}

static void
bind_cb (GtkSignalListItemFactory *factory,
         GtkListItem              *item,
         gpointer                  user_data)
{
  GtkTreeListRow *row = gtk_list_item_get_item (item);
  GtkWidget *child = gtk_list_item_get_child (item);

  if (GTK_IS_TREE_EXPANDER (child))
    gtk_tree_expander_set_list_row (GTK_TREE_EXPANDER (child), row);
  fs_process_cell_set_process (item_cell (item), row_process (row));
}

static void
unbind_cb (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           gpointer                  user_data)
{
  GtkWidget *child = gtk_list_item_get_child (item);

  if (GTK_IS_TREE_EXPANDER (child))
    gtk_tree_expander_set_list_row (GTK_TREE_EXPANDER (child), NULL);
  fs_process_cell_set_process (item_cell (item), NULL);
}

static void
freeze_state_clear (gpointer data)
{
  FreezeState *state = data;

  g_ptr_array_unref (state->lists);
}

static FreezeState *
freeze_state_new (void)
{
  FreezeState *state = g_rc_box_new0 (FreezeState);

  state->lists = g_ptr_array_new ();
  return state;
}

static void
freeze_state_release (gpointer data)
{
  g_rc_box_release_full (data, freeze_state_clear);
}

static void
frozen_list_gone_cb (gpointer  data,
                     GObject  *where_the_object_was)
{
  FreezeState *state = data;

  g_ptr_array_remove_fast (state->lists, where_the_object_was);
  freeze_state_release (state);
}

/* Each level of the tree shows its process's children through an
 * FsFrozenList, so the whole tree can stand still while a lesson is paused
 * and catch up, in place, when it goes on. */
static GListModel *
create_children_cb (gpointer item,
                    gpointer user_data)
{
  FreezeState *state = user_data;
  GListModel *children = fs_process_get_children (FS_PROCESS (item));
  FsFrozenList *list;

  if (children == NULL)
    return NULL;

  list = fs_frozen_list_new (children);
  fs_frozen_list_set_frozen (list, state->frozen);
  g_ptr_array_add (state->lists, list);
  g_object_weak_ref (G_OBJECT (list), frozen_list_gone_cb, g_rc_box_acquire (state));
  return G_LIST_MODEL (list);
}

void
fs_process_view_set_frozen (FsProcessView *self,
                            gboolean       frozen)
{
  g_return_if_fail (FS_IS_PROCESS_VIEW (self));

  frozen = !!frozen;
  if (self->frozen == frozen)
    return;

  self->frozen = frozen;
  self->freeze_state->frozen = frozen;
  fs_process_cell_set_frozen (frozen);
  /* A copy: thawing changes the tree, which may create and drop lists. */
  {
    g_autoptr(GPtrArray) lists = g_ptr_array_new_with_free_func (g_object_unref);

    for (guint i = 0; i < self->freeze_state->lists->len; i++)
      g_ptr_array_add (lists, g_object_ref (self->freeze_state->lists->pdata[i]));
    for (guint i = 0; i < lists->len; i++)
      fs_frozen_list_set_frozen (lists->pdata[i], frozen);
  }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FROZEN]);
}

gboolean
fs_process_view_get_frozen (FsProcessView *self)
{
  g_return_val_if_fail (FS_IS_PROCESS_VIEW (self), FALSE);

  return self->frozen;
}

static GtkWidget *
get_list_view (FsProcessView *self)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->column_view));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_VIEW (child))
      return child;
  return NULL;
}

static guint
index_of (GListModel *model,
          gpointer    item)
{
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GObject) other = g_list_model_get_item (model, i);

      if (other == item)
        return i;
    }
  return G_MAXUINT;
}

/* The row of @process, expanding its ancestors if @expand. */
static GtkTreeListRow *
find_row (FsProcessView *self,
          FsProcess     *process,
          gboolean       expand)
{
  g_autoptr(GPtrArray) chain = g_ptr_array_new ();
  g_autoptr(GtkTreeListRow) row = NULL;

  if (self->tree == NULL || process == NULL)
    return NULL;

  for (FsProcess *p = process; p != NULL; p = fs_process_get_parent (p))
    g_ptr_array_add (chain, p);

  if (chain->pdata[chain->len - 1] != fs_engine_get_supervisor (self->engine))
    return NULL;

  row = gtk_tree_list_model_get_row (self->tree, 0);
  for (guint i = chain->len - 1; i > 0 && row != NULL; i--)
    {
      FsProcess *child = chain->pdata[i - 1];
      GListModel *children;
      guint index;
      GtkTreeListRow *child_row;

      if (!gtk_tree_list_row_get_expanded (row))
        {
          if (!expand)
            return NULL;
          gtk_tree_list_row_set_expanded (row, TRUE);
        }
      /* The children as the tree shows them (frozen, maybe). */
      children = gtk_tree_list_row_get_children (row);
      index = children != NULL ? index_of (children, child) : G_MAXUINT;
      if (index == G_MAXUINT)
        return NULL;
      child_row = gtk_tree_list_row_get_child_row (row, index);
      g_object_unref (row);
      row = child_row;
    }

  return g_steal_pointer (&row);
}

gboolean
fs_process_view_select (FsProcessView *self,
                        FsProcess     *process)
{
  g_autoptr(GtkTreeListRow) row = NULL;
  guint position;
  GtkWidget *list_view;

  g_return_val_if_fail (FS_IS_PROCESS_VIEW (self), FALSE);
  g_return_val_if_fail (!process || FS_IS_PROCESS (process), FALSE);

  if (self->selection == NULL)
    return FALSE;

  if (process == NULL)
    {
      gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
      return TRUE;
    }

  row = find_row (self, process, TRUE);
  if (row == NULL)
    return FALSE;

  position = gtk_tree_list_row_get_position (row);
  gtk_single_selection_set_selected (self->selection, position);

  /* gtk_column_view_scroll_to() is GTK 4.12; the inner list's action is
   * what it uses. */
  list_view = get_list_view (self);
  if (list_view != NULL)
    gtk_widget_activate_action (list_view, "list.scroll-to-item", "u", position);

  return TRUE;
}

static void
set_selected (FsProcessView *self,
              FsProcess     *process)
{
  if (g_set_object (&self->selected, process))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED]);
}

static gboolean
reselect_cb (gpointer data)
{
  FsProcessView *self = data;
  GtkTreeListRow *current;

  self->reselect_id = 0;

  current = gtk_single_selection_get_selected_item (self->selection);
  if (current != NULL || self->selected == NULL)
    return G_SOURCE_REMOVE;

  /* The selected row went away: either the process moved (an orphan
   * re-parented to its adopter) and we follow it, or it was cleared. */
  if (!fs_process_view_select (self, self->selected))
    set_selected (self, NULL);

  return G_SOURCE_REMOVE;
}

static void
selection_changed_cb (FsProcessView *self)
{
  GtkTreeListRow *row = gtk_single_selection_get_selected_item (self->selection);

  if (row != NULL)
    {
      set_selected (self, row_process (row));
      return;
    }

  if (self->selected != NULL && self->reselect_id == 0)
    self->reselect_id = g_idle_add_full (G_PRIORITY_HIGH_IDLE, reselect_cb, self, NULL);
}

static void
update_page (FsProcessView *self)
{
  const char *page;

  if (self->has_error)
    page = "error";
  else if (fs_process_view_is_empty (self))
    page = "empty";
  else
    page = "tree";

  gtk_stack_set_visible_child_name (self->stack, page);
}

GActionGroup *
fs_process_view_get_column_actions (FsProcessView *self)
{
  g_return_val_if_fail (FS_IS_PROCESS_VIEW (self), NULL);

  return G_ACTION_GROUP (self->column_actions);
}

GMenuModel *
fs_process_view_get_column_menu (FsProcessView *self)
{
  g_return_val_if_fail (FS_IS_PROCESS_VIEW (self), NULL);

  return self->column_menu;
}

const char *
fs_process_view_get_page (FsProcessView *self)
{
  g_return_val_if_fail (FS_IS_PROCESS_VIEW (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

const char *
fs_process_view_get_error_text (FsProcessView *self)
{
  g_return_val_if_fail (FS_IS_PROCESS_VIEW (self), NULL);

  return self->has_error ? adw_status_page_get_description (self->error_page) : NULL;
}

gboolean
fs_process_view_is_empty (FsProcessView *self)
{
  g_return_val_if_fail (FS_IS_PROCESS_VIEW (self), TRUE);

  return self->workers == NULL || g_list_model_get_n_items (self->workers) == 0;
}

void
fs_process_view_set_has_definitions (FsProcessView *self,
                                     gboolean       has_definitions)
{
  g_return_if_fail (FS_IS_PROCESS_VIEW (self));

  self->has_definitions = !!has_definitions;
  /* With workers defined, the next step is starting one, not defining
   * another. */
  if (self->has_definitions)
    {
      adw_status_page_set_title (self->empty_page, _("Nothing Running"));
      adw_status_page_set_description (self->empty_page,
                                       _("Start a worker from the sidebar (Ctrl+Return starts the selected one). Its process, and every process it forks, will appear here."));
    }
  else
    {
      adw_status_page_set_title (self->empty_page, _("No Workers Yet"));
      adw_status_page_set_description (self->empty_page,
                                       _("Pick a function to define one, then start it. Its process, and every process it forks, will appear here."));
    }
  gtk_widget_set_visible (GTK_WIDGET (self->empty_button), !self->has_definitions);
}

static void
workers_changed_cb (FsProcessView *self)
{
  update_page (self);
}

void
fs_process_view_set_engine (FsProcessView *self,
                            FsEngine      *engine)
{
  FsProcess *supervisor;

  g_return_if_fail (FS_IS_PROCESS_VIEW (self));
  g_return_if_fail (!engine || FS_IS_ENGINE (engine));

  if (self->engine == engine)
    return;

  if (self->workers != NULL)
    g_signal_handlers_disconnect_by_func (self->workers, workers_changed_cb, self);
  g_clear_object (&self->workers);
  if (self->selection != NULL)
    g_signal_handlers_disconnect_by_func (self->selection, selection_changed_cb, self);
  gtk_column_view_set_model (self->column_view, NULL);
  g_clear_object (&self->selection);
  g_clear_object (&self->tree);
  g_clear_object (&self->roots);
  set_selected (self, NULL);

  g_set_object (&self->engine, engine);

  if (engine != NULL && (supervisor = fs_engine_get_supervisor (engine)) != NULL)
    {
      self->roots = g_list_store_new (FS_TYPE_PROCESS);
      g_list_store_append (self->roots, supervisor);
      self->tree = gtk_tree_list_model_new (g_object_ref (G_LIST_MODEL (self->roots)),
                                            FALSE, TRUE,
                                            create_children_cb,
                                            g_rc_box_acquire (self->freeze_state),
                                            freeze_state_release);
      self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->tree)));
      gtk_single_selection_set_autoselect (self->selection, FALSE);
      gtk_single_selection_set_can_unselect (self->selection, TRUE);
      gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
      g_signal_connect_swapped (self->selection, "notify::selected-item",
                                G_CALLBACK (selection_changed_cb), self);
      gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));

      self->workers = g_object_ref (fs_process_get_children (supervisor));
      g_signal_connect_swapped (self->workers, "items-changed",
                                G_CALLBACK (workers_changed_cb), self);
    }

  update_page (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENGINE]);
}

FsEngine *
fs_process_view_get_engine (FsProcessView *self)
{
  g_return_val_if_fail (FS_IS_PROCESS_VIEW (self), NULL);

  return self->engine;
}

void
fs_process_view_set_error (FsProcessView *self,
                           const GError  *error)
{
  g_return_if_fail (FS_IS_PROCESS_VIEW (self));

  self->has_error = error != NULL;
  if (error != NULL)
    adw_status_page_set_description (self->error_page, error->message);
  update_page (self);
}

FsProcess *
fs_process_view_get_selected (FsProcessView *self)
{
  g_return_val_if_fail (FS_IS_PROCESS_VIEW (self), NULL);

  return self->selected;
}

GtkTreeListModel *
fs_process_view_get_model (FsProcessView *self)
{
  g_return_val_if_fail (FS_IS_PROCESS_VIEW (self), NULL);

  return self->tree;
}

GtkColumnView *
fs_process_view_get_column_view (FsProcessView *self)
{
  g_return_val_if_fail (FS_IS_PROCESS_VIEW (self), NULL);

  return self->column_view;
}

gboolean
fs_process_view_get_process_area (FsProcessView *self,
                                  FsProcess     *process,
                                  GdkRectangle  *area)
{
  FsProcessCell *cell;
  graphene_rect_t bounds;

  g_return_val_if_fail (FS_IS_PROCESS_VIEW (self), FALSE);
  g_return_val_if_fail (area != NULL, FALSE);

  if (process == NULL || !(cell = fs_process_cell_find (process, FS_PROCESS_COLUMN_NAME)))
    return FALSE;
  if (!gtk_widget_is_ancestor (GTK_WIDGET (cell), GTK_WIDGET (self)) ||
      !gtk_widget_get_mapped (GTK_WIDGET (cell)))
    return FALSE;

  if (!gtk_widget_compute_bounds (GTK_WIDGET (cell), GTK_WIDGET (self), &bounds))
    return FALSE;

  area->x = bounds.origin.x;
  area->y = bounds.origin.y;
  area->width = MAX (1, bounds.size.width);
  area->height = MAX (1, bounds.size.height);
  return TRUE;
}

void
fs_process_view_set_context_menu (FsProcessView *self,
                                  GMenuModel    *menu)
{
  g_return_if_fail (FS_IS_PROCESS_VIEW (self));

  if (self->context_menu != NULL)
    {
      gtk_widget_unparent (GTK_WIDGET (self->context_menu));
      self->context_menu = NULL;
    }

  if (menu == NULL)
    return;

  self->context_menu = GTK_POPOVER (gtk_popover_menu_new_from_model (menu));
  gtk_popover_set_has_arrow (self->context_menu, FALSE);
  gtk_widget_set_halign (GTK_WIDGET (self->context_menu), GTK_ALIGN_START);
  gtk_widget_set_parent (GTK_WIDGET (self->context_menu), GTK_WIDGET (self));
}

static void
popover_closed_cb (FsProcessView *self)
{
  fs_process_cell_suspend_tooltips (GTK_WIDGET (self), FALSE);
}

static void
show_popover (FsProcessView *self,
              GtkPopover    *popover)
{
  if (!g_object_get_data (G_OBJECT (popover), "fs-tooltips-watched"))
    {
      g_signal_connect_object (popover, "closed", G_CALLBACK (popover_closed_cb), self, G_CONNECT_SWAPPED);
      g_object_set_data (G_OBJECT (popover), "fs-tooltips-watched", GINT_TO_POINTER (TRUE));
    }
  fs_process_cell_suspend_tooltips (GTK_WIDGET (self), TRUE);
  gtk_popover_popup (popover);
}

void
fs_process_view_popup_at (FsProcessView *self,
                          GtkPopover    *popover,
                          FsProcess     *process)
{
  GdkRectangle area;

  g_return_if_fail (FS_IS_PROCESS_VIEW (self));
  g_return_if_fail (GTK_IS_POPOVER (popover));

  if (gtk_widget_get_parent (GTK_WIDGET (popover)) != GTK_WIDGET (self))
    {
      g_object_ref (popover);
      if (gtk_widget_get_parent (GTK_WIDGET (popover)) != NULL)
        gtk_widget_unparent (GTK_WIDGET (popover));
      gtk_widget_set_parent (GTK_WIDGET (popover), GTK_WIDGET (self));
      g_object_unref (popover);
    }

  if (process != NULL && fs_process_view_select (self, process) &&
      fs_process_view_get_process_area (self, process, &area))
    gtk_popover_set_pointing_to (popover, &area);
  else
    gtk_popover_set_pointing_to (popover,
                                 &(GdkRectangle) { gtk_widget_get_width (GTK_WIDGET (self)) / 2, 0, 1, 1 });
  show_popover (self, popover);
}

static FsProcessCell *
find_cell_in (GtkWidget *widget)
{
  if (FS_IS_PROCESS_CELL (widget))
    return FS_PROCESS_CELL (widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      FsProcessCell *cell = find_cell_in (child);

      if (cell != NULL)
        return cell;
    }
  return NULL;
}

static void
popup_context_menu (FsProcessView *self,
                    double         x,
                    double         y)
{
  if (self->context_menu == NULL || self->selected == NULL)
    return;

  gtk_popover_set_pointing_to (self->context_menu,
                               &(GdkRectangle) { (int) x, (int) y, 1, 1 });
  show_popover (self, self->context_menu);
}

static void
context_click_cb (FsProcessView   *self,
                  int              n_press,
                  double           x,
                  double           y,
                  GtkGestureClick *gesture)
{
  GtkWidget *picked;
  FsProcessCell *cell = NULL;

  picked = gtk_widget_pick (GTK_WIDGET (self), x, y, GTK_PICK_DEFAULT);
  for (GtkWidget *w = picked; w != NULL && w != GTK_WIDGET (self); w = gtk_widget_get_parent (w))
    {
      if (g_strcmp0 (gtk_widget_get_css_name (w), "row") == 0)
        {
          cell = find_cell_in (w);
          break;
        }
    }

  if (cell == NULL || fs_process_cell_get_process (cell) == NULL)
    return;

  fs_process_view_select (self, fs_process_cell_get_process (cell));
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  popup_context_menu (self, x, y);
}

static gboolean
menu_key_cb (GtkWidget *widget,
             GVariant  *args,
             gpointer   user_data)
{
  FsProcessView *self = FS_PROCESS_VIEW (widget);
  GdkRectangle area;

  if (self->selected == NULL)
    return FALSE;

  if (fs_process_view_get_process_area (self, self->selected, &area))
    popup_context_menu (self, area.x + 24, area.y + area.height / 2);
  else
    popup_context_menu (self, 24, 24);
  return TRUE;
}

static gboolean
column_visible (FsProcessView *self,
                guint          i)
{
  if (self->column_choice[i] != COLUMN_AUTO)
    return self->column_choice[i] == COLUMN_SHOWN;
  return column_info[i].tier == 0 || column_info[i].tier > self->tier;
}

static gboolean
update_columns_cb (gpointer data)
{
  FsProcessView *self = data;

  self->columns_id = 0;
  for (guint i = 0; i < FS_N_PROCESS_COLUMNS; i++)
    {
      gboolean visible = column_visible (self, i);

      gtk_column_view_column_set_visible (self->columns[i], visible);
      /* The header menu's check marks say what is shown. */
      if (column_info[i].action != NULL)
        g_simple_action_set_state (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self->column_actions),
                                                                                column_info[i].action)),
                                   g_variant_new_boolean (visible));
    }
  gtk_column_view_column_set_fixed_width (self->columns[FS_PROCESS_COLUMN_NAME],
                                          self->tier == 3 ? 190 : column_info[FS_PROCESS_COLUMN_NAME].fixed_width);
  return G_SOURCE_REMOVE;
}

static void
column_toggled_cb (GSimpleAction *action,
                   GVariant      *state,
                   gpointer       user_data)
{
  FsProcessView *self = user_data;
  const char *name = g_action_get_name (G_ACTION (action));

  for (guint i = 0; i < FS_N_PROCESS_COLUMNS; i++)
    if (g_strcmp0 (column_info[i].action, name) == 0)
      self->column_choice[i] = g_variant_get_boolean (state) ? COLUMN_SHOWN : COLUMN_HIDDEN;
  g_simple_action_set_state (action, state);
  /* Shown beyond the width: the tree scrolls sideways. */
  update_columns_cb (self);
}

static void
setup_column_menu (FsProcessView *self)
{
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GMenu) section = g_menu_new ();

  self->column_actions = g_simple_action_group_new ();
  for (guint i = 0; i < FS_N_PROCESS_COLUMNS; i++)
    {
      g_autoptr(GSimpleAction) action = NULL;
      g_autofree char *detailed = NULL;

      if (column_info[i].action == NULL)
        continue;
      action = g_simple_action_new_stateful (column_info[i].action, NULL, g_variant_new_boolean (TRUE));
      g_signal_connect (action, "change-state", G_CALLBACK (column_toggled_cb), self);
      g_action_map_add_action (G_ACTION_MAP (self->column_actions), G_ACTION (action));
      detailed = g_strconcat ("columns.", column_info[i].action, NULL);
      g_menu_append (section, _(column_info[i].title), detailed);
    }
  gtk_widget_insert_action_group (GTK_WIDGET (self), "columns", G_ACTION_GROUP (self->column_actions));
  g_menu_append_section (menu, _("Columns"), G_MENU_MODEL (section));
  self->column_menu = G_MENU_MODEL (g_object_ref (section));

  /* Right-click on any column header. */
  for (guint i = 0; i < FS_N_PROCESS_COLUMNS; i++)
    gtk_column_view_column_set_header_menu (self->columns[i], G_MENU_MODEL (menu));
}

static void
fs_process_view_measure (GtkWidget      *widget,
                         GtkOrientation  orientation,
                         int             for_size,
                         int            *minimum,
                         int            *natural,
                         int            *minimum_baseline,
                         int            *natural_baseline)
{
  FsProcessView *self = FS_PROCESS_VIEW (widget);

  gtk_widget_measure (GTK_WIDGET (self->stack), orientation, for_size,
                      minimum, natural, minimum_baseline, natural_baseline);
}

static void
fs_process_view_size_allocate (GtkWidget *widget,
                               int        width,
                               int        height,
                               int        baseline)
{
  FsProcessView *self = FS_PROCESS_VIEW (widget);
  guint tier = width < TINY_WIDTH ? 3 : width < NARROW_WIDTH ? 2 : width < MEDIUM_WIDTH ? 1 : 0;

  gtk_widget_allocate (GTK_WIDGET (self->stack), width, height, baseline, NULL);

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_POPOVER (child))
      gtk_popover_present (GTK_POPOVER (child));

  /* Column visibility cannot change during an allocation: defer it. */
  if (tier != self->tier)
    {
      self->tier = tier;
      if (self->columns_id == 0)
        self->columns_id = g_idle_add (update_columns_cb, self);
    }
}

static void
fs_process_view_dispose (GObject *object)
{
  FsProcessView *self = (FsProcessView *)object;

  GtkWidget *child;

  g_clear_handle_id (&self->reselect_id, g_source_remove);
  g_clear_handle_id (&self->columns_id, g_source_remove);
  fs_process_view_set_context_menu (self, NULL);
  child = gtk_widget_get_first_child (GTK_WIDGET (self));
  while (child != NULL)
    {
      GtkWidget *next = gtk_widget_get_next_sibling (child);

      if (GTK_IS_POPOVER (child))
        gtk_widget_unparent (child);
      child = next;
    }
  fs_process_view_set_engine (self, NULL);
  g_clear_object (&self->column_actions);
  g_clear_object (&self->column_menu);
  if (self->frozen)
    fs_process_cell_set_frozen (FALSE);
  /* A popover open when the view goes must not leave tooltips off. */
  fs_process_cell_suspend_tooltips (NULL, FALSE);
  self->frozen = FALSE;
  g_clear_pointer (&self->freeze_state, freeze_state_release);

  gtk_widget_dispose_template (GTK_WIDGET (self), FS_TYPE_PROCESS_VIEW);

  G_OBJECT_CLASS (fs_process_view_parent_class)->dispose (object);
}

static void
fs_process_view_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  FsProcessView *self = FS_PROCESS_VIEW (object);

  switch (prop_id)
    {
    case PROP_ENGINE:
      g_value_set_object (value, self->engine);
      break;

    case PROP_SELECTED:
      g_value_set_object (value, self->selected);
      break;

    case PROP_FROZEN:
      g_value_set_boolean (value, self->frozen);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fs_process_view_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  FsProcessView *self = FS_PROCESS_VIEW (object);

  switch (prop_id)
    {
    case PROP_ENGINE:
      fs_process_view_set_engine (self, g_value_get_object (value));
      break;

    case PROP_FROZEN:
      fs_process_view_set_frozen (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fs_process_view_class_init (FsProcessViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fs_process_view_dispose;
  object_class->get_property = fs_process_view_get_property;
  object_class->set_property = fs_process_view_set_property;

  widget_class->measure = fs_process_view_measure;
  widget_class->size_allocate = fs_process_view_size_allocate;

  properties[PROP_ENGINE] =
    g_param_spec_object ("engine", NULL, NULL,
                         FS_TYPE_ENGINE,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_SELECTED] =
    g_param_spec_object ("selected", NULL, NULL,
                         FS_TYPE_PROCESS,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_FROZEN] =
    g_param_spec_boolean ("frozen", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/forkscope/Forkscope/fs-process-view.ui");
  gtk_widget_class_bind_template_child (widget_class, FsProcessView, stack);
  gtk_widget_class_bind_template_child (widget_class, FsProcessView, error_page);
  gtk_widget_class_bind_template_child (widget_class, FsProcessView, empty_page);
  gtk_widget_class_bind_template_child (widget_class, FsProcessView, empty_button);
  gtk_widget_class_bind_template_child (widget_class, FsProcessView, column_view);
  gtk_widget_class_set_css_name (widget_class, "fsprocessview");

  /* Only while the tree has the focus: in the sidebar Delete removes a
   * definition. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "process.terminate", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Delete, 0, "process.terminate", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, GDK_SHIFT_MASK, "process.kill", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Delete, GDK_SHIFT_MASK, "process.kill", NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Menu, 0, menu_key_cb, NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_F10, GDK_SHIFT_MASK, menu_key_cb, NULL);
}

static void
fs_process_view_init (FsProcessView *self)
{
  GtkGesture *gesture;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->freeze_state = freeze_state_new ();

  for (guint i = 0; i < FS_N_PROCESS_COLUMNS; i++)
    {
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      GtkColumnViewColumn *column;

      g_signal_connect (factory, "setup", G_CALLBACK (setup_cb), GUINT_TO_POINTER (i));
      g_signal_connect (factory, "bind", G_CALLBACK (bind_cb), GUINT_TO_POINTER (i));
      g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cb), GUINT_TO_POINTER (i));

      column = gtk_column_view_column_new (_(column_info[i].title), factory);
      gtk_column_view_column_set_expand (column, column_info[i].expand);
      gtk_column_view_column_set_resizable (column, TRUE);
      if (column_info[i].fixed_width > 0)
        gtk_column_view_column_set_fixed_width (column, column_info[i].fixed_width);
      gtk_column_view_append_column (self->column_view, column);
      self->columns[i] = column;
      g_object_unref (column);
    }

  setup_column_menu (self);

  gesture = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (gesture), GDK_BUTTON_SECONDARY);
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (gesture), GTK_PHASE_CAPTURE);
  g_signal_connect_swapped (gesture, "pressed", G_CALLBACK (context_click_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (gesture));

  update_page (self);
}
