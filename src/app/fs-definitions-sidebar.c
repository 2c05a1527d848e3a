/* fs-definitions-sidebar.c
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "fs-definition-row.h"
#include "fs-definitions-sidebar.h"
#include "fs-worker-dialog.h"

struct _FsDefinitionsSidebar
{
  GtkWidget            parent_instance;

  FsPluginRegistry    *registry;
  GListModel          *plugins;
  FsDefinitionStore   *store;
  GtkMultiSelection   *selection;
  /* Rows currently bound to an item, to refresh their warnings when the
   * registry changes. */
  GHashTable          *bound_rows;
  GtkWidget           *context_menu;
  /* The row whose tooltip is off while the context menu is open. */
  GtkWidget           *menu_row;

  /* Template children */
  AdwToastOverlay     *toast_overlay;
  GtkStack            *stack;
  GtkListView         *list_view;
  GtkWidget           *start_all_box;
  GMenuModel          *definitions_menu;
};

enum {
  PROP_0,
  PROP_REGISTRY,
  PROP_STORE,
  N_PROPS
};

enum {
  SPAWN_REQUESTED,
  N_SIGNALS
};

G_DEFINE_FINAL_TYPE (FsDefinitionsSidebar, fs_definitions_sidebar, GTK_TYPE_WIDGET)

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
ensure_css (GdkDisplay *display)
{
  g_autoptr(GtkCssProvider) provider = NULL;

  if (display == NULL || g_object_get_data (G_OBJECT (display), "fs-definitions-sidebar-css") != NULL)
    return;

  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (provider, "/io/github/forkscope/Forkscope/fs-definitions-sidebar.css");
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  g_object_set_data_full (G_OBJECT (display), "fs-definitions-sidebar-css",
                          g_object_ref (provider), g_object_unref);
}

/* A list of the selected definitions, in list order. */
static GPtrArray *
dup_selected (FsDefinitionsSidebar *self)
{
  g_autoptr(GtkBitset) bitset = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  GPtrArray *result = g_ptr_array_new_with_free_func (g_object_unref);
  GtkBitsetIter iter;
  guint position;

  if (gtk_bitset_iter_init_first (&iter, bitset, &position))
    {
      do
        g_ptr_array_add (result, g_list_model_get_item (G_LIST_MODEL (self->selection), position));
      while (gtk_bitset_iter_next (&iter, &position));
    }

  return result;
}

static guint
get_n_items (FsDefinitionsSidebar *self)
{
  return g_list_model_get_n_items (G_LIST_MODEL (self->selection));
}

static void
update_actions (FsDefinitionsSidebar *self)
{
  g_autoptr(GtkBitset) bitset = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  guint64 n_selected = gtk_bitset_get_size (bitset);
  guint n_items = get_n_items (self);
  gboolean have_store = self->store != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "definitions.new",
                                 have_store && self->registry != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "definitions.edit",
                                 n_selected == 1 && self->registry != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "definitions.duplicate", n_selected > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "definitions.remove", n_selected > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "definitions.start", n_selected > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "definitions.start-all", n_items > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "definitions.add-tutorial", have_store);

  gtk_stack_set_visible_child_name (self->stack, n_items > 0 ? "list" : "empty");
  gtk_widget_set_visible (self->start_all_box, n_items > 0);
}

/* Why @definition cannot be started now (its function is missing or
 * unavailable, or its arguments fail the function's current spec), or
 * NULL. Before the registry is loaded nothing is known to be wrong. */
static char *
dup_problem (FsDefinitionsSidebar *self,
             FsWorkerDefinition   *definition)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) checked = NULL;

  if (self->registry == NULL || self->plugins == NULL || g_list_model_get_n_items (self->plugins) == 0)
    return NULL;

  checked = fs_worker_definition_check (definition, self->registry, NULL, &error);
  if (checked != NULL)
    return NULL;

  return g_strdup (error->message);
}

static void
update_row_problem (FsDefinitionsSidebar *self,
                    FsDefinitionRow      *row)
{
  FsWorkerDefinition *definition = fs_definition_row_get_definition (row);
  g_autofree char *problem = NULL;

  if (definition != NULL)
    problem = dup_problem (self, definition);

  fs_definition_row_set_problem (row, problem);
}

static void
plugins_changed_cb (FsDefinitionsSidebar *self)
{
  GHashTableIter iter;
  gpointer row;

  g_hash_table_iter_init (&iter, self->bound_rows);
  while (g_hash_table_iter_next (&iter, &row, NULL))
    update_row_problem (self, row);
}

static void
definition_changed_cb (FsDefinitionsSidebar *self,
                       GParamSpec           *pspec,
                       FsWorkerDefinition   *definition)
{
  plugins_changed_cb (self);
}

static void
row_start_cb (FsDefinitionRow      *row,
              FsDefinitionsSidebar *self)
{
  FsWorkerDefinition *definition = fs_definition_row_get_definition (row);

  if (definition != NULL)
    fs_definitions_sidebar_start (self, definition);
}

static void
setup_cb (GtkSignalListItemFactory *factory,
          GtkListItem              *item,
          FsDefinitionsSidebar     *self)
{
  GtkWidget *row = fs_definition_row_new ();

  g_signal_connect_object (row, "start", G_CALLBACK (row_start_cb), self, 0);
  gtk_list_item_set_child (item, row);
}

static void
bind_cb (GtkSignalListItemFactory *factory,
         GtkListItem              *item,
         FsDefinitionsSidebar     *self)
{
  FsDefinitionRow *row = FS_DEFINITION_ROW (gtk_list_item_get_child (item));
  FsWorkerDefinition *definition = gtk_list_item_get_item (item);

  fs_definition_row_set_definition (row, definition);
  g_signal_connect_object (definition, "notify::function",
                           G_CALLBACK (definition_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (definition, "notify::args",
                           G_CALLBACK (definition_changed_cb), self, G_CONNECT_SWAPPED);
  g_hash_table_add (self->bound_rows, row);
  update_row_problem (self, row);
}

static void
unbind_cb (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           FsDefinitionsSidebar     *self)
{
  FsDefinitionRow *row = FS_DEFINITION_ROW (gtk_list_item_get_child (item));
  FsWorkerDefinition *definition = fs_definition_row_get_definition (row);

  if (definition != NULL)
    g_signal_handlers_disconnect_by_func (definition, definition_changed_cb, self);
  g_hash_table_remove (self->bound_rows, row);
  fs_definition_row_set_definition (row, NULL);
}

static void
teardown_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             FsDefinitionsSidebar     *self)
{
  GtkWidget *row = gtk_list_item_get_child (item);

  if (row != NULL)
    g_hash_table_remove (self->bound_rows, row);
}

static void
list_view_activate_cb (FsDefinitionsSidebar *self,
                       guint                 position)
{
  g_autoptr(FsWorkerDefinition) definition = g_list_model_get_item (G_LIST_MODEL (self->selection), position);

  if (definition != NULL)
    fs_definitions_sidebar_edit (self, definition);
}

static void
context_menu_closed_cb (FsDefinitionsSidebar *self)
{
  if (self->menu_row != NULL)
    {
      gtk_widget_set_has_tooltip (self->menu_row, TRUE);
      g_clear_weak_pointer (&self->menu_row);
    }
}

static void
context_menu_pressed_cb (GtkGestureClick      *gesture,
                         int                   n_press,
                         double                x,
                         double                y,
                         FsDefinitionsSidebar *self)
{
  GtkWidget *picked;
  GtkWidget *row;
  FsWorkerDefinition *definition;
  guint position;
  double sx, sy;

  picked = gtk_widget_pick (GTK_WIDGET (self->list_view), x, y, GTK_PICK_DEFAULT);
  row = picked != NULL ? gtk_widget_get_ancestor (picked, FS_TYPE_DEFINITION_ROW) : NULL;
  if (row == NULL || (definition = fs_definition_row_get_definition (FS_DEFINITION_ROW (row))) == NULL)
    return;

  if (self->store == NULL || !fs_definition_store_find (self->store, definition, &position))
    return;

  /* The menu acts on the selection: right-clicking outside it selects
   * the row, as file managers do. */
  if (!gtk_selection_model_is_selected (GTK_SELECTION_MODEL (self->selection), position))
    gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->selection), position, TRUE);

  if (!gtk_widget_translate_coordinates (GTK_WIDGET (self->list_view), GTK_WIDGET (self), x, y, &sx, &sy))
    return;

  /* The row's tooltip (shown by the hover before the click) would stay
   * on top of the menu, over its first item. */
  context_menu_closed_cb (self);
  g_set_weak_pointer (&self->menu_row, row);
  gtk_widget_set_has_tooltip (row, FALSE);
  gtk_widget_trigger_tooltip_query (row);

  gtk_popover_set_pointing_to (GTK_POPOVER (self->context_menu),
                               &(GdkRectangle) { (int)sx, (int)sy, 1, 1 });
  gtk_popover_popup (GTK_POPOVER (self->context_menu));
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
}

static void
new_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  fs_definitions_sidebar_new_worker (FS_DEFINITIONS_SIDEBAR (widget));
}

static void
edit_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  FsDefinitionsSidebar *self = FS_DEFINITIONS_SIDEBAR (widget);
  g_autoptr(GPtrArray) selected = dup_selected (self);

  if (selected->len == 1)
    fs_definitions_sidebar_edit (self, g_ptr_array_index (selected, 0));
}

static void
duplicate_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  FsDefinitionsSidebar *self = FS_DEFINITIONS_SIDEBAR (widget);
  g_autoptr(GPtrArray) selected = dup_selected (self);
  g_autoptr(GtkBitset) copies = gtk_bitset_new_empty ();
  g_autoptr(GtkBitset) mask = NULL;

  if (self->store == NULL)
    return;

  for (guint i = 0; i < selected->len; i++)
    {
      FsWorkerDefinition *original = g_ptr_array_index (selected, i);
      g_autoptr(FsWorkerDefinition) copy = fs_worker_definition_copy (original);
      g_autofree char *name = fs_definition_store_dup_copy_name (self->store,
                                                                 fs_worker_definition_get_name (original));
      guint position;

      if (!fs_definition_store_find (self->store, original, &position))
        continue;

      fs_worker_definition_set_name (copy, name);
      fs_definition_store_insert (self->store, position + 1, copy);
    }

  /* Select the copies, the likely next thing to edit. */
  for (guint i = 0; i < get_n_items (self); i++)
    {
      g_autoptr(FsWorkerDefinition) definition = g_list_model_get_item (G_LIST_MODEL (self->selection), i);

      if (!g_ptr_array_find (selected, definition, NULL) && i > 0)
        {
          g_autoptr(FsWorkerDefinition) previous = g_list_model_get_item (G_LIST_MODEL (self->selection), i - 1);

          if (g_ptr_array_find (selected, previous, NULL))
            gtk_bitset_add (copies, i);
        }
    }
  mask = gtk_bitset_new_range (0, get_n_items (self));
  gtk_selection_model_set_selection (GTK_SELECTION_MODEL (self->selection), copies, mask);
}

typedef struct
{
  FsDefinitionStore *store;
  GPtrArray         *definitions;
  GArray            *positions;
} UndoRemove;

static void
undo_remove_free (gpointer data)
{
  UndoRemove *undo = data;

  g_clear_object (&undo->store);
  g_clear_pointer (&undo->definitions, g_ptr_array_unref);
  g_clear_pointer (&undo->positions, g_array_unref);
  g_free (undo);
}

static void
undo_remove_cb (AdwToast *toast)
{
  UndoRemove *undo = g_object_get_data (G_OBJECT (toast), "fs-undo-remove");

  if (undo == NULL || undo->store == NULL)
    return;

  /* Positions were recorded in increasing order, each in the list as it
   * was: inserting in the same order puts every row back in its place. */
  for (guint i = 0; i < undo->definitions->len; i++)
    {
      FsWorkerDefinition *definition = g_ptr_array_index (undo->definitions, i);

      if (!fs_definition_store_find (undo->store, definition, NULL))
        fs_definition_store_insert (undo->store, g_array_index (undo->positions, guint, i), definition);
    }

  g_clear_object (&undo->store);
}

static void
remove_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  FsDefinitionsSidebar *self = FS_DEFINITIONS_SIDEBAR (widget);
  g_autoptr(GPtrArray) selected = dup_selected (self);
  UndoRemove *undo;
  AdwToast *toast;

  if (self->store == NULL || selected->len == 0)
    return;

  undo = g_new0 (UndoRemove, 1);
  undo->store = g_object_ref (self->store);
  undo->definitions = g_ptr_array_ref (selected);
  undo->positions = g_array_new (FALSE, FALSE, sizeof (guint));

  for (guint i = 0; i < selected->len; i++)
    {
      guint position;

      if (fs_definition_store_find (self->store, g_ptr_array_index (selected, i), &position))
        g_array_append_val (undo->positions, position);
    }

  for (guint i = selected->len; i > 0; i--)
    {
      guint position;

      if (fs_definition_store_find (self->store, g_ptr_array_index (selected, i - 1), &position))
        fs_definition_store_remove (self->store, position);
    }

  if (selected->len == 1)
    {
      g_autofree char *name = g_markup_escape_text (fs_worker_definition_get_name (g_ptr_array_index (selected, 0)), -1);

      /* Translators: %s is a worker name. */
      toast = adw_toast_new_format (_("“%s” removed"), name);
    }
  else
    {
      toast = adw_toast_new_format (ngettext ("%u worker removed", "%u workers removed", selected->len),
                                    selected->len);
    }

  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  g_object_set_data_full (G_OBJECT (toast), "fs-undo-remove", undo, undo_remove_free);
  g_signal_connect (toast, "button-clicked", G_CALLBACK (undo_remove_cb), NULL);
  fs_definitions_sidebar_show_toast (self, toast);
}

/* Delete removes the selected definitions only while the focus is in
 * the sidebar: elsewhere in the window (the process tree) the key means
 * something else, and the event must go on to it. */
static gboolean
delete_key_cb (GtkWidget *widget,
               GVariant  *args,
               gpointer   user_data)
{
  FsDefinitionsSidebar *self = FS_DEFINITIONS_SIDEBAR (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;
  g_autoptr(GtkBitset) selected = NULL;

  if (focus == NULL || (focus != widget && !gtk_widget_is_ancestor (focus, widget)))
    return FALSE;

  /* A text field inside (none today) would want Delete for itself. */
  if (GTK_IS_EDITABLE (focus) || gtk_widget_get_ancestor (focus, GTK_TYPE_EDITABLE) != NULL)
    return FALSE;

  selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  if (gtk_bitset_is_empty (selected))
    return FALSE;

  return gtk_widget_activate_action (widget, "definitions.remove", NULL);
}

static void
start_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  fs_definitions_sidebar_start_selected (FS_DEFINITIONS_SIDEBAR (widget));
}

static void
start_all_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  fs_definitions_sidebar_start_all (FS_DEFINITIONS_SIDEBAR (widget));
}

static void
add_tutorial_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  FsDefinitionsSidebar *self = FS_DEFINITIONS_SIDEBAR (widget);

  if (self->store != NULL)
    fs_definition_store_add_tutorial_workers (self->store);
}

static void
store_save_failed_cb (FsDefinitionsSidebar *self,
                      const GError         *error)
{
  g_autofree char *markup = g_markup_escape_text (error->message, -1);
  AdwToast *toast = adw_toast_new (markup);

  adw_toast_set_timeout (toast, 0);
  fs_definitions_sidebar_show_toast (self, toast);
}

static void
fs_definitions_sidebar_root (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (fs_definitions_sidebar_parent_class)->root (widget);

  ensure_css (gtk_widget_get_display (widget));
}

static void
fs_definitions_sidebar_measure (GtkWidget      *widget,
                                GtkOrientation  orientation,
                                int             for_size,
                                int            *minimum,
                                int            *natural,
                                int            *minimum_baseline,
                                int            *natural_baseline)
{
  FsDefinitionsSidebar *self = FS_DEFINITIONS_SIDEBAR (widget);

  gtk_widget_measure (GTK_WIDGET (self->toast_overlay), orientation, for_size,
                      minimum, natural, minimum_baseline, natural_baseline);
}

static void
fs_definitions_sidebar_size_allocate (GtkWidget *widget,
                                      int        width,
                                      int        height,
                                      int        baseline)
{
  FsDefinitionsSidebar *self = FS_DEFINITIONS_SIDEBAR (widget);

  gtk_widget_allocate (GTK_WIDGET (self->toast_overlay), width, height, baseline, NULL);

  /* A popover's parent must place it (GTK 4 does not do it for us). */
  if (self->context_menu != NULL)
    gtk_popover_present (GTK_POPOVER (self->context_menu));
}

static void
fs_definitions_sidebar_dispose (GObject *object)
{
  FsDefinitionsSidebar *self = (FsDefinitionsSidebar *)object;
  GtkWidget *child;

  if (self->plugins != NULL)
    g_signal_handlers_disconnect_by_func (self->plugins, plugins_changed_cb, self);
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_func (self->store, store_save_failed_cb, self);

  g_clear_weak_pointer (&self->menu_row);
  g_clear_pointer (&self->context_menu, gtk_widget_unparent);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  gtk_widget_dispose_template (GTK_WIDGET (self), FS_TYPE_DEFINITIONS_SIDEBAR);

  g_clear_object (&self->selection);
  g_clear_object (&self->plugins);
  g_clear_object (&self->registry);
  g_clear_object (&self->store);
  if (self->bound_rows != NULL)
    g_hash_table_remove_all (self->bound_rows);

  G_OBJECT_CLASS (fs_definitions_sidebar_parent_class)->dispose (object);
}

static void
fs_definitions_sidebar_finalize (GObject *object)
{
  FsDefinitionsSidebar *self = (FsDefinitionsSidebar *)object;

  g_clear_pointer (&self->bound_rows, g_hash_table_unref);

  G_OBJECT_CLASS (fs_definitions_sidebar_parent_class)->finalize (object);
}

static void
fs_definitions_sidebar_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  FsDefinitionsSidebar *self = FS_DEFINITIONS_SIDEBAR (object);

  switch (prop_id)
    {
    case PROP_REGISTRY:
      g_value_set_object (value, self->registry);
      break;

    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fs_definitions_sidebar_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  FsDefinitionsSidebar *self = FS_DEFINITIONS_SIDEBAR (object);

  switch (prop_id)
    {
    case PROP_REGISTRY:
      fs_definitions_sidebar_set_registry (self, g_value_get_object (value));
      break;

    case PROP_STORE:
      fs_definitions_sidebar_set_store (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fs_definitions_sidebar_class_init (FsDefinitionsSidebarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fs_definitions_sidebar_dispose;
  object_class->finalize = fs_definitions_sidebar_finalize;
  object_class->get_property = fs_definitions_sidebar_get_property;
  object_class->set_property = fs_definitions_sidebar_set_property;

  widget_class->root = fs_definitions_sidebar_root;
  widget_class->measure = fs_definitions_sidebar_measure;
  widget_class->size_allocate = fs_definitions_sidebar_size_allocate;

  properties[PROP_REGISTRY] =
    g_param_spec_object ("registry", NULL, NULL,
                         FS_TYPE_PLUGIN_REGISTRY,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         FS_TYPE_DEFINITION_STORE,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * FsDefinitionsSidebar::spawn-requested:
   * @definition: the worker definition to start
   *
   * Start one process from @definition. Emitted once per definition, in
   * list order, for Start, Start Selected and Start All.
   */
  signals[SPAWN_REQUESTED] =
    g_signal_new ("spawn-requested",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, FS_TYPE_WORKER_DEFINITION);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/forkscope/Forkscope/fs-definitions-sidebar.ui");
  gtk_widget_class_bind_template_child (widget_class, FsDefinitionsSidebar, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, FsDefinitionsSidebar, stack);
  gtk_widget_class_bind_template_child (widget_class, FsDefinitionsSidebar, list_view);
  gtk_widget_class_bind_template_child (widget_class, FsDefinitionsSidebar, start_all_box);
  gtk_widget_class_bind_template_child (widget_class, FsDefinitionsSidebar, definitions_menu);
  gtk_widget_class_bind_template_callback (widget_class, list_view_activate_cb);

  gtk_widget_class_install_action (widget_class, "definitions.new", NULL, new_action);
  gtk_widget_class_install_action (widget_class, "definitions.edit", NULL, edit_action);
  gtk_widget_class_install_action (widget_class, "definitions.duplicate", NULL, duplicate_action);
  gtk_widget_class_install_action (widget_class, "definitions.remove", NULL, remove_action);
  gtk_widget_class_install_action (widget_class, "definitions.start", NULL, start_action);
  gtk_widget_class_install_action (widget_class, "definitions.start-all", NULL, start_all_action);
  gtk_widget_class_install_action (widget_class, "definitions.add-tutorial", NULL, add_tutorial_action);

  /* Delete is a callback, not the action itself, to check where the
   * focus is (the menus name the key with an "accel" attribute). Menus
   * show the last binding of an action as its accelerator: the keypad
   * variants go first. */
  gtk_widget_class_add_binding (widget_class, GDK_KEY_KP_Delete, 0, delete_key_cb, NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Delete, 0, delete_key_cb, NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, GDK_CONTROL_MASK, "definitions.start", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK, "definitions.start", NULL);

  gtk_widget_class_set_css_name (widget_class, "fsdefinitionssidebar");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
fs_definitions_sidebar_init (FsDefinitionsSidebar *self)
{
  g_autoptr(GtkListItemFactory) factory = NULL;
  GtkGesture *gesture;

  self->bound_rows = g_hash_table_new (NULL, NULL);

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_add_css_class (GTK_WIDGET (self), "fs-definitions-sidebar");

  self->selection = gtk_multi_selection_new (G_LIST_MODEL (g_list_store_new (FS_TYPE_WORKER_DEFINITION)));
  g_signal_connect_object (self->selection, "items-changed",
                           G_CALLBACK (update_actions), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->selection, "selection-changed",
                           G_CALLBACK (update_actions), self, G_CONNECT_SWAPPED);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect_object (factory, "setup", G_CALLBACK (setup_cb), self, 0);
  g_signal_connect_object (factory, "bind", G_CALLBACK (bind_cb), self, 0);
  g_signal_connect_object (factory, "unbind", G_CALLBACK (unbind_cb), self, 0);
  g_signal_connect_object (factory, "teardown", G_CALLBACK (teardown_cb), self, 0);
  gtk_list_view_set_factory (self->list_view, factory);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));

  self->context_menu = gtk_popover_menu_new_from_model (self->definitions_menu);
  gtk_popover_set_has_arrow (GTK_POPOVER (self->context_menu), FALSE);
  gtk_widget_set_halign (self->context_menu, GTK_ALIGN_START);
  gtk_widget_set_parent (self->context_menu, GTK_WIDGET (self));
  g_signal_connect_object (self->context_menu, "closed",
                           G_CALLBACK (context_menu_closed_cb), self, G_CONNECT_SWAPPED);

  gesture = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (gesture), GDK_BUTTON_SECONDARY);
  g_signal_connect_object (gesture, "pressed", G_CALLBACK (context_menu_pressed_cb), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (self->list_view), GTK_EVENT_CONTROLLER (gesture));

  update_actions (self);
}

GtkWidget *
fs_definitions_sidebar_new (void)
{
  return g_object_new (FS_TYPE_DEFINITIONS_SIDEBAR, NULL);
}

FsPluginRegistry *
fs_definitions_sidebar_get_registry (FsDefinitionsSidebar *self)
{
  g_return_val_if_fail (FS_IS_DEFINITIONS_SIDEBAR (self), NULL);

  return self->registry;
}

void
fs_definitions_sidebar_set_registry (FsDefinitionsSidebar *self,
                                     FsPluginRegistry     *registry)
{
  g_return_if_fail (FS_IS_DEFINITIONS_SIDEBAR (self));
  g_return_if_fail (registry == NULL || FS_IS_PLUGIN_REGISTRY (registry));

  if (self->registry == registry)
    return;

  if (self->plugins != NULL)
    g_signal_handlers_disconnect_by_func (self->plugins, plugins_changed_cb, self);
  g_clear_object (&self->plugins);
  g_set_object (&self->registry, registry);

  if (registry != NULL)
    {
      self->plugins = g_object_ref (fs_plugin_registry_get_plugins (registry));
      g_signal_connect_object (self->plugins, "items-changed",
                               G_CALLBACK (plugins_changed_cb), self, G_CONNECT_SWAPPED);
    }

  plugins_changed_cb (self);
  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REGISTRY]);
}

FsDefinitionStore *
fs_definitions_sidebar_get_store (FsDefinitionsSidebar *self)
{
  g_return_val_if_fail (FS_IS_DEFINITIONS_SIDEBAR (self), NULL);

  return self->store;
}

void
fs_definitions_sidebar_set_store (FsDefinitionsSidebar *self,
                                  FsDefinitionStore    *store)
{
  g_return_if_fail (FS_IS_DEFINITIONS_SIDEBAR (self));
  g_return_if_fail (store == NULL || FS_IS_DEFINITION_STORE (store));

  if (self->store == store)
    return;

  if (self->store != NULL)
    g_signal_handlers_disconnect_by_func (self->store, store_save_failed_cb, self);
  g_set_object (&self->store, store);

  if (store != NULL)
    {
      g_signal_connect_object (store, "save-failed",
                               G_CALLBACK (store_save_failed_cb), self, G_CONNECT_SWAPPED);
      gtk_multi_selection_set_model (self->selection, G_LIST_MODEL (store));
    }
  else
    {
      g_autoptr(GListStore) empty = g_list_store_new (FS_TYPE_WORKER_DEFINITION);

      gtk_multi_selection_set_model (self->selection, G_LIST_MODEL (empty));
    }

  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
}

GtkSelectionModel *
fs_definitions_sidebar_get_selection (FsDefinitionsSidebar *self)
{
  g_return_val_if_fail (FS_IS_DEFINITIONS_SIDEBAR (self), NULL);

  return GTK_SELECTION_MODEL (self->selection);
}

static void
dialog_saved_cb (FsDefinitionsSidebar *self,
                 FsWorkerDefinition   *definition)
{
  guint position;

  if (self->store != NULL && fs_definition_store_find (self->store, definition, &position))
    gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->selection), position, TRUE);
}

static GtkWindow *
open_dialog (FsDefinitionsSidebar *self,
             FsWorkerDefinition   *definition)
{
  FsWorkerDialog *dialog;
  GtkRoot *root;

  if (self->registry == NULL)
    return NULL;

  dialog = fs_worker_dialog_new (self->registry, self->store, definition);
  root = gtk_widget_get_root (GTK_WIDGET (self));
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (root));
  g_signal_connect_object (dialog, "saved", G_CALLBACK (dialog_saved_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));

  return GTK_WINDOW (dialog);
}

GtkWindow *
fs_definitions_sidebar_new_worker (FsDefinitionsSidebar *self)
{
  g_return_val_if_fail (FS_IS_DEFINITIONS_SIDEBAR (self), NULL);

  return open_dialog (self, NULL);
}

GtkWindow *
fs_definitions_sidebar_edit (FsDefinitionsSidebar *self,
                             FsWorkerDefinition   *definition)
{
  g_return_val_if_fail (FS_IS_DEFINITIONS_SIDEBAR (self), NULL);
  g_return_val_if_fail (FS_IS_WORKER_DEFINITION (definition), NULL);

  return open_dialog (self, definition);
}

/* "Parameter “x” must…" as the end of a sentence: "…: parameter “x”
 * must…". Only a capital followed by a small letter is lowered, so
 * "SIGTERM" or a name stays as it is (and scripts without case are
 * untouched). */
static char *
dup_lowered_start (const char *message)
{
  gunichar first = g_utf8_get_char (message);
  const char *rest = g_utf8_next_char (message);
  GString *out;

  if (!g_unichar_isupper (first) || *rest == '\0' || !g_unichar_islower (g_utf8_get_char (rest)))
    return g_strdup (message);

  out = g_string_new (NULL);
  g_string_append_unichar (out, g_unichar_tolower (first));
  g_string_append (out, rest);

  return g_string_free (out, FALSE);
}

/* Emits "spawn-requested" for each of @definitions that can be started,
 * in order; those that cannot are not started (a worker that can only
 * fail at once teaches nothing) and one toast says why. Returns how
 * many were started. */
static guint
start_definitions (FsDefinitionsSidebar *self,
                   GPtrArray            *definitions)
{
  g_autofree char *first_problem = NULL;
  FsWorkerDefinition *first_refused = NULL;
  guint n_refused = 0;
  guint n_started = 0;

  for (guint i = 0; i < definitions->len; i++)
    {
      FsWorkerDefinition *definition = g_ptr_array_index (definitions, i);
      g_autofree char *problem = dup_problem (self, definition);

      if (problem != NULL)
        {
          if (n_refused++ == 0)
            {
              first_refused = definition;
              first_problem = g_steal_pointer (&problem);
            }
          continue;
        }

      g_signal_emit (self, signals[SPAWN_REQUESTED], 0, definition);
      n_started++;
    }

  if (n_refused > 0)
    {
      g_autofree char *message = NULL;
      g_autofree char *markup = NULL;
      AdwToast *toast;

      if (n_refused == 1)
        {
          g_autofree char *reason = dup_lowered_start (first_problem);

          /* Translators: %s is a worker name, then why it cannot start
           * (e.g. "parameter “seconds” must be a number…"). */
          message = g_strdup_printf (_("“%s” was not started: %s"),
                                     fs_worker_definition_get_name (first_refused), reason);
        }
      else
        message = g_strdup_printf (ngettext ("%u worker was not started: its definition has a problem "
                                             "(see the warning icon)",
                                             "%u workers were not started: their definitions have problems "
                                             "(see the warning icons)",
                                             n_refused),
                                   n_refused);

      markup = g_markup_escape_text (message, -1);
      toast = adw_toast_new (markup);
      adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
      fs_definitions_sidebar_show_toast (self, toast);
    }

  return n_started;
}

gboolean
fs_definitions_sidebar_start (FsDefinitionsSidebar *self,
                              FsWorkerDefinition   *definition)
{
  g_autoptr(GPtrArray) one = NULL;

  g_return_val_if_fail (FS_IS_DEFINITIONS_SIDEBAR (self), FALSE);
  g_return_val_if_fail (FS_IS_WORKER_DEFINITION (definition), FALSE);

  one = g_ptr_array_new_full (1, g_object_unref);
  g_ptr_array_add (one, g_object_ref (definition));

  return start_definitions (self, one) == 1;
}

void
fs_definitions_sidebar_start_selected (FsDefinitionsSidebar *self)
{
  g_autoptr(GPtrArray) selected = NULL;

  g_return_if_fail (FS_IS_DEFINITIONS_SIDEBAR (self));

  selected = dup_selected (self);
  start_definitions (self, selected);
}

void
fs_definitions_sidebar_start_all (FsDefinitionsSidebar *self)
{
  g_autoptr(GPtrArray) all = NULL;
  guint n_items;

  g_return_if_fail (FS_IS_DEFINITIONS_SIDEBAR (self));

  /* A snapshot first: a handler may change the list while we emit. */
  n_items = get_n_items (self);
  all = g_ptr_array_new_full (n_items, g_object_unref);
  for (guint i = 0; i < n_items; i++)
    g_ptr_array_add (all, g_list_model_get_item (G_LIST_MODEL (self->selection), i));

  /* for th in things: p = Process(target=th); p.start() */
  start_definitions (self, all);
}

void
fs_definitions_sidebar_show_toast (FsDefinitionsSidebar *self,
                                   AdwToast             *toast)
{
  GtkWidget *parent;
  GtkWidget *overlay = NULL;

  g_return_if_fail (FS_IS_DEFINITIONS_SIDEBAR (self));
  g_return_if_fail (ADW_IS_TOAST (toast));

  /* The window's overlay if there is one: a toast as wide as the window
   * reads better than one squeezed into the sidebar. */
  parent = gtk_widget_get_parent (GTK_WIDGET (self));
  if (parent != NULL)
    overlay = gtk_widget_get_ancestor (parent, ADW_TYPE_TOAST_OVERLAY);
  if (overlay == NULL)
    overlay = GTK_WIDGET (self->toast_overlay);

  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
}
