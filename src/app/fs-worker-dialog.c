/* fs-worker-dialog.c
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "fs-param-row.h"
#include "fs-paths.h"
#include "fs-worker-dialog.h"

struct _FsWorkerDialog
{
  AdwWindow            parent_instance;

  FsPluginRegistry    *registry;
  GListModel          *plugins;
  FsDefinitionStore   *store;
  FsWorkerDefinition  *definition;

  /* The chosen function: its name always, its info once the registry
   * knows it (the registry may still be loading, or the plugin gone). */
  char                *function_name;
  FsFunctionInfo      *function_info;
  /* Arguments of the edited definition, applied once the function's
   * parameters are known. */
  GStrv                initial_args;

  GPtrArray           *picker_groups;
  /* Function rows of the picker, for the search. */
  GPtrArray           *picker_rows;
  /* While searching: one flat group of the matches, best first (the
   * plugin groups cannot be reordered across each other). */
  AdwPreferencesGroup *results_group;
  GPtrArray           *result_rows;
  GPtrArray           *param_rows;
  GPtrArray           *params_extra_rows;

  guint                can_save : 1;

  /* Template children */
  AdwToastOverlay     *toast_overlay;
  AdwWindowTitle      *window_title;
  GtkWidget           *cancel_button;
  GtkWidget           *back_button;
  GtkWidget           *save_button;
  GtkStack            *stack;
  AdwPreferencesPage  *functions_page;
  GtkSearchEntry      *search_entry;
  AdwPreferencesPage  *form_page;
  AdwActionRow        *function_row;
  GtkImage            *function_icon;
  FsParamRow          *name_row;
  GtkSwitch           *daemon_switch;
  AdwPreferencesGroup *params_group;
  GtkWidget           *reset_button;
};

enum {
  SAVED,
  N_SIGNALS
};

G_DEFINE_FINAL_TYPE (FsWorkerDialog, fs_worker_dialog, ADW_TYPE_WINDOW)

static guint signals[N_SIGNALS];

static void
update_can_save (FsWorkerDialog *self)
{
  gboolean can_save = self->function_info != NULL && fs_param_row_get_valid (self->name_row);

  for (guint i = 0; can_save && i < self->param_rows->len; i++)
    can_save = fs_param_row_get_valid (g_ptr_array_index (self->param_rows, i));

  self->can_save = can_save;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dialog.save", can_save);
}

static void
update_header (FsWorkerDialog *self)
{
  gboolean on_picker = g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "functions") == 0;
  gboolean can_go_back = on_picker && self->function_name != NULL;

  adw_window_title_set_title (self->window_title,
                              self->definition != NULL ? _("Edit Worker") : _("New Worker"));
  if (on_picker)
    adw_window_title_set_subtitle (self->window_title, _("Choose a Function"));
  else
    adw_window_title_set_subtitle (self->window_title, self->function_name);

  gtk_widget_set_visible (self->back_button, can_go_back);
  gtk_widget_set_visible (self->cancel_button, !can_go_back);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dialog.back", can_go_back);
}

static void
stack_visible_child_cb (FsWorkerDialog *self)
{
  update_header (self);

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "functions") == 0)
    gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
  else
    gtk_widget_grab_focus (fs_param_row_get_control (self->name_row));
}

/* The name must be a valid, unused one; the edited definition's own name
 * is of course not "used". */
static char *
check_name_cb (FsParamRow  *row,
               const char  *text,
               gpointer     user_data,
               GError     **error)
{
  FsWorkerDialog *self = user_data;
  FsWorkerDefinition *other;

  if (!fs_worker_definition_check_name (text, error))
    return NULL;

  if (self->store != NULL &&
      (other = fs_definition_store_lookup (self->store, text)) != NULL &&
      other != self->definition)
    {
      /* Translators: %s is a worker name. */
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                   _("There is already a worker called “%s”"), text);
      return NULL;
    }

  return g_strdup (text);
}

static void
row_changed_cb (FsWorkerDialog *self)
{
  update_can_save (self);
}

static void
clear_param_rows (FsWorkerDialog *self)
{
  for (guint i = 0; i < self->param_rows->len; i++)
    adw_preferences_group_remove (self->params_group, g_ptr_array_index (self->param_rows, i));
  g_ptr_array_set_size (self->param_rows, 0);

  for (guint i = 0; i < self->params_extra_rows->len; i++)
    adw_preferences_group_remove (self->params_group, g_ptr_array_index (self->params_extra_rows, i));
  g_ptr_array_set_size (self->params_extra_rows, 0);
}

static GtkWidget *
add_note_row (FsWorkerDialog *self,
              const char     *icon_name,
              const char     *title,
              const char     *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  if (icon_name != NULL)
    adw_action_row_add_prefix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name (icon_name));
  gtk_widget_add_css_class (row, "dim-label");

  adw_preferences_group_add (self->params_group, row);
  g_ptr_array_add (self->params_extra_rows, row);

  return row;
}

/* Builds the parameter rows for the chosen function. Values carry over:
 * from @values (name -> text, what the previous function's rows showed),
 * else from the edited definition's arguments, else the defaults. */
static void
build_param_rows (FsWorkerDialog *self,
                  GHashTable     *values)
{
  g_autoptr(GString) unknown = NULL;
  const char *function;
  guint n_params;

  clear_param_rows (self);

  if (self->function_info == NULL)
    {
      gtk_widget_set_visible (self->reset_button, FALSE);
      if (self->function_name != NULL)
        add_note_row (self, "dialog-warning-symbolic",
                      _("Parameters unknown"),
                      _("Choose an available function to set its parameters."));
      return;
    }

  function = fs_function_info_get_full_name (self->function_info);
  n_params = fs_function_info_get_n_params (self->function_info);
  gtk_widget_set_visible (self->reset_button, n_params > 0);

  for (guint i = 0; i < n_params; i++)
    {
      const FsParamInfo *info = fs_function_info_get_param (self->function_info, i);
      GtkWidget *row = fs_param_row_new (info, function);
      const char *text = NULL;

      if (values != NULL)
        text = g_hash_table_lookup (values, info->name);

      if (text == NULL && self->initial_args != NULL)
        {
          gsize len = strlen (info->name);

          for (guint j = 0; self->initial_args[j] != NULL; j++)
            {
              if (strncmp (self->initial_args[j], info->name, len) == 0 &&
                  self->initial_args[j][len] == '=')
                text = self->initial_args[j] + len + 1;
            }
        }

      if (text != NULL)
        fs_param_row_set_text (FS_PARAM_ROW (row), text);

      g_signal_connect_object (row, "changed", G_CALLBACK (row_changed_cb), self, G_CONNECT_SWAPPED);
      adw_preferences_group_add (self->params_group, row);
      g_ptr_array_add (self->param_rows, row);
    }

  if (n_params == 0)
    add_note_row (self, NULL, _("No parameters"), _("This function takes no arguments."));

  /* Arguments the function does not take would be dropped on save: say so
   * rather than lose them silently. */
  if (self->initial_args != NULL)
    {
      for (guint j = 0; self->initial_args[j] != NULL; j++)
        {
          g_autofree char *key = g_strndup (self->initial_args[j],
                                            strcspn (self->initial_args[j], "="));

          if (fs_function_info_lookup_param (self->function_info, key) != NULL)
            continue;

          if (unknown == NULL)
            unknown = g_string_new (NULL);
          else
            g_string_append_c (unknown, ' ');
          g_string_append (unknown, self->initial_args[j]);
        }
    }

  if (unknown != NULL)
    {
      g_autofree char *title = NULL;

      /* Translators: %s is a function name such as tutorial.sleep_print. */
      title = g_strdup_printf (_("Not parameters of %s, dropped on save"), function);
      add_note_row (self, "dialog-warning-symbolic", title, unknown->str);
    }
}

static void
update_function_row (FsWorkerDialog *self)
{
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->function_row),
                                 self->function_name != NULL ? self->function_name : "");

  if (self->function_info != NULL)
    {
      adw_action_row_set_subtitle (self->function_row,
                                   fs_function_info_get_summary (self->function_info));
      gtk_image_set_from_icon_name (self->function_icon, "system-run-symbolic");
      gtk_widget_remove_css_class (GTK_WIDGET (self->function_row), "error");
    }
  else
    {
      adw_action_row_set_subtitle (self->function_row,
                                   _("This function is not available: its plugin is missing or "
                                     "cannot be loaded. Choose another one."));
      gtk_image_set_from_icon_name (self->function_icon, "dialog-warning-symbolic");
      gtk_widget_add_css_class (GTK_WIDGET (self->function_row), "error");
    }
}

static void
set_function (FsWorkerDialog *self,
              const char     *full_name)
{
  g_autoptr(GHashTable) values = NULL;
  FsFunctionInfo *info = NULL;

  if (self->registry != NULL && full_name != NULL)
    info = fs_plugin_registry_lookup (self->registry, full_name);

  /* Keep what the user already typed for parameters of the same name and
   * type. */
  if (self->param_rows->len > 0)
    {
      values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      for (guint i = 0; i < self->param_rows->len; i++)
        {
          FsParamRow *row = g_ptr_array_index (self->param_rows, i);
          const FsParamInfo *old = fs_param_row_get_info (row);
          const FsParamInfo *new = info != NULL ? fs_function_info_lookup_param (info, old->name) : NULL;

          if (new != NULL && new->type == old->type)
            g_hash_table_insert (values, g_strdup (old->name), fs_param_row_dup_text (row));
        }
    }

  if (full_name != self->function_name)
    {
      g_free (self->function_name);
      self->function_name = g_strdup (full_name);
    }
  g_set_object (&self->function_info, info);

  update_function_row (self);
  build_param_rows (self, values);
  update_header (self);
  update_can_save (self);
}

static void
function_row_activated_cb (AdwActionRow   *row,
                           FsWorkerDialog *self)
{
  const char *full_name = g_object_get_data (G_OBJECT (row), "fs-function");

  fs_worker_dialog_select_function (self, full_name);
}

static void apply_search (FsWorkerDialog *self);

static void clear_results (FsWorkerDialog *self);

static void
clear_picker (FsWorkerDialog *self)
{
  clear_results (self);
  for (guint i = 0; i < self->picker_groups->len; i++)
    adw_preferences_page_remove (self->functions_page, g_ptr_array_index (self->picker_groups, i));
  g_ptr_array_set_size (self->picker_groups, 0);
  g_ptr_array_set_size (self->picker_rows, 0);
}

static AdwPreferencesGroup *
add_picker_group (FsWorkerDialog *self,
                  const char     *title,
                  const char     *description)
{
  GtkWidget *group = adw_preferences_group_new ();
  g_autofree char *title_markup = title != NULL ? g_markup_escape_text (title, -1) : NULL;
  g_autofree char *description_markup = description != NULL ? g_markup_escape_text (description, -1) : NULL;

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), title_markup);
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group), description_markup);
  adw_preferences_page_add (self->functions_page, ADW_PREFERENCES_GROUP (group));
  g_ptr_array_add (self->picker_groups, group);

  return ADW_PREFERENCES_GROUP (group);
}

static void
add_plugin_to_picker (FsWorkerDialog *self,
                      FsPluginInfo   *plugin)
{
  AdwPreferencesGroup *group;
  GListModel *functions;
  guint n_functions;

  if (!fs_plugin_info_get_available (plugin))
    {
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *file = g_path_get_basename (fs_plugin_info_get_path (plugin));

      /* Greyed, with the reason: the user sees that the plugin was found
       * and what to do about it. */
      group = add_picker_group (self, fs_plugin_info_get_name (plugin), NULL);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      /* Translators: %s is a plugin file name, such as mytools.so. */
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), file);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), fs_plugin_info_get_reason (plugin));
      adw_action_row_add_prefix (ADW_ACTION_ROW (row),
                                 gtk_image_new_from_icon_name ("dialog-warning-symbolic"));
      gtk_widget_set_sensitive (row, FALSE);
      gtk_widget_set_tooltip_text (row, fs_plugin_info_get_path (plugin));
      adw_preferences_group_add (group, row);
      return;
    }

  group = add_picker_group (self, fs_plugin_info_get_name (plugin), fs_plugin_info_get_summary (plugin));
  functions = fs_plugin_info_get_functions (plugin);
  n_functions = g_list_model_get_n_items (functions);

  for (guint i = 0; i < n_functions; i++)
    {
      g_autoptr(FsFunctionInfo) function = g_list_model_get_item (functions, i);
      const char *full_name = fs_function_info_get_full_name (function);
      gboolean chosen = g_strcmp0 (full_name, self->function_name) == 0;
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *icon;

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), fs_function_info_get_name (function));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), fs_function_info_get_summary (function));
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      g_object_set_data_full (G_OBJECT (row), "fs-function", g_strdup (full_name), g_free);
      g_object_set_data_full (G_OBJECT (row), "fs-info", g_object_ref (function), g_object_unref);
      g_object_set_data (G_OBJECT (row), "fs-group", group);
      g_ptr_array_add (self->picker_rows, row);
      g_signal_connect_object (row, "activated", G_CALLBACK (function_row_activated_cb), self, 0);

      icon = gtk_image_new_from_icon_name (chosen ? "object-select-symbolic" : "go-next-symbolic");
      gtk_accessible_update_property (GTK_ACCESSIBLE (icon),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      chosen ? _("Chosen") : _("Choose"),
                                      -1);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), icon);
      adw_preferences_group_add (group, row);
    }
}

static void
rebuild_picker (FsWorkerDialog *self)
{
  guint n_plugins = self->plugins != NULL ? g_list_model_get_n_items (self->plugins) : 0;

  clear_picker (self);

  if (n_plugins == 0)
    {
      g_autofree char *user_dir = fs_paths_get_user_plugindir ();
      g_autofree char *description = NULL;
      AdwPreferencesGroup *group;

      /* Translators: %s is a folder where users can put plugins. */
      description = g_strdup_printf (_("No plugins were found. Plugins (.so files) go in %s."), user_dir);
      group = add_picker_group (self, _("No Functions"), description);
      (void)group;
      return;
    }

  /* Available plugins first: they are what the user came for. */
  for (guint pass = 0; pass < 2; pass++)
    {
      for (guint i = 0; i < n_plugins; i++)
        {
          g_autoptr(FsPluginInfo) plugin = g_list_model_get_item (self->plugins, i);

          if (fs_plugin_info_get_available (plugin) == (pass == 0))
            add_plugin_to_picker (self, plugin);
        }
    }

  apply_search (self);
}

/* Whether every word of @words starts a word of @text ("_" and "." split
 * words too, so "print" finds sleep_print); a word in a script without
 * spaces (Chinese) may also be found inside @text. */
static gboolean
words_match (char       **words,
             const char  *text)
{
  g_autofree char *spaced = NULL;
  g_autofree char *folded = NULL;

  if (text == NULL || *text == '\0')
    return FALSE;

  spaced = g_strdelimit (g_strdup (text), "._", ' ');
  folded = g_utf8_casefold (text, -1);

  for (guint i = 0; words[i] != NULL; i++)
    {
      if (g_str_match_string (words[i], spaced, TRUE))
        continue;
      if (!g_str_is_ascii (words[i]) && strstr (folded, words[i]) != NULL)
        continue;
      return FALSE;
    }

  return TRUE;
}

enum {
  RANK_EXACT,        /* "sleep_print", "tutorial.sleep_print" */
  RANK_PREFIX,       /* "sleep_pr", "tutorial.sl" */
  RANK_NAME_WORDS,   /* "print", "sleep print" */
  RANK_FULL_WORDS,   /* "tutorial print" */
  RANK_SUMMARY,      /* a word of the function's own summary */
  RANK_NONE
};

/* How well @function matches the search: @query is the whole text,
 * trimmed and case-folded; @words its words. Only the function's own
 * name and summary count: the plugin's summary would make every
 * function of a plugin match a word that describes one of them. */
static int
rank_function (FsFunctionInfo  *function,
               const char      *query,
               char           **words)
{
  g_autofree char *name = g_utf8_casefold (fs_function_info_get_name (function), -1);
  g_autofree char *full_name = g_utf8_casefold (fs_function_info_get_full_name (function), -1);
  const char *summary = fs_function_info_get_summary (function);

  if (g_str_equal (query, name) || g_str_equal (query, full_name))
    return RANK_EXACT;
  if (g_str_has_prefix (name, query) || g_str_has_prefix (full_name, query))
    return RANK_PREFIX;
  if (words[0] == NULL)
    return RANK_NONE;
  if (words_match (words, fs_function_info_get_name (function)))
    return RANK_NAME_WORDS;
  if (words_match (words, fs_function_info_get_full_name (function)))
    return RANK_FULL_WORDS;

  /* Each word in the name or the summary: "zombie reap" */
  for (guint i = 0; words[i] != NULL; i++)
    {
      char *one[] = { words[i], NULL };

      if (!words_match (one, fs_function_info_get_full_name (function)) &&
          !words_match (one, summary))
        return RANK_NONE;
    }

  return RANK_SUMMARY;
}

typedef struct
{
  GtkWidget *row;
  int        rank;
  guint      index;
} Match;

static int
compare_matches (gconstpointer a,
                 gconstpointer b)
{
  const Match *ma = a;
  const Match *mb = b;

  /* Equal ranks keep the picker's order (plugin, then function). */
  if (ma->rank != mb->rank)
    return ma->rank < mb->rank ? -1 : 1;

  return ma->index < mb->index ? -1 : (ma->index > mb->index);
}

static void
clear_results (FsWorkerDialog *self)
{
  for (guint i = 0; i < self->result_rows->len; i++)
    adw_preferences_group_remove (self->results_group, g_ptr_array_index (self->result_rows, i));
  g_ptr_array_set_size (self->result_rows, 0);
}

static void
apply_search (FsWorkerDialog *self)
{
  const char *search = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autofree char *trimmed = g_strstrip (g_strdup (search));
  g_autofree char *query = g_utf8_casefold (trimmed, -1);
  g_auto(GStrv) words = NULL;
  g_autoptr(GArray) matches = NULL;
  gboolean searching = query[0] != '\0';

  clear_results (self);

  for (guint i = 0; i < self->picker_groups->len; i++)
    gtk_widget_set_visible (g_ptr_array_index (self->picker_groups, i), !searching);
  gtk_widget_set_visible (GTK_WIDGET (self->results_group), searching);

  if (!searching)
    return;

  words = g_str_tokenize_and_fold (trimmed, NULL, NULL);
  matches = g_array_new (FALSE, FALSE, sizeof (Match));

  for (guint i = 0; i < self->picker_rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->picker_rows, i);
      FsFunctionInfo *function = g_object_get_data (G_OBJECT (row), "fs-info");
      Match match = { row, rank_function (function, query, words), i };

      if (match.rank != RANK_NONE)
        g_array_append_val (matches, match);
    }

  g_array_sort (matches, compare_matches);

  for (guint i = 0; i < matches->len; i++)
    {
      Match *match = &g_array_index (matches, Match, i);
      FsFunctionInfo *function = g_object_get_data (G_OBJECT (match->row), "fs-info");
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *icon = gtk_image_new_from_icon_name ("go-next-symbolic");

      /* Out of its plugin's group, the full name says where it is from. */
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), fs_function_info_get_full_name (function));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), fs_function_info_get_summary (function));
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      g_object_set_data_full (G_OBJECT (row), "fs-function",
                              g_strdup (fs_function_info_get_full_name (function)), g_free);
      g_signal_connect_object (row, "activated", G_CALLBACK (function_row_activated_cb), self, 0);
      gtk_accessible_update_property (GTK_ACCESSIBLE (icon),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("Choose"),
                                      -1);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), icon);
      adw_preferences_group_add (self->results_group, row);
      g_ptr_array_add (self->result_rows, row);
    }

  if (matches->len == 0)
    {
      g_autofree char *escaped = g_markup_escape_text (trimmed, -1);
      /* Translators: %s is what the user searched for. */
      g_autofree char *description = g_strdup_printf (_("No function matches “%s”"), escaped);

      adw_preferences_group_set_description (self->results_group, description);
    }
  else
    adw_preferences_group_set_description (self->results_group, NULL);
}

static void
search_changed_cb (FsWorkerDialog *self)
{
  apply_search (self);
}

static void
search_activate_cb (FsWorkerDialog *self)
{
  /* Enter may come before the search entry's delayed "search-changed":
   * search what is typed now, then pick the best match. */
  apply_search (self);

  if (self->result_rows->len > 0)
    {
      GtkWidget *row = g_ptr_array_index (self->result_rows, 0);

      fs_worker_dialog_select_function (self, g_object_get_data (G_OBJECT (row), "fs-function"));
      return;
    }

  gtk_widget_error_bell (GTK_WIDGET (self));
}

static void
plugins_changed_cb (FsWorkerDialog *self)
{
  rebuild_picker (self);

  /* The registry finished loading (or reloaded): resolve the function
   * again, keeping what was typed. */
  if (self->function_name != NULL)
    {
      FsFunctionInfo *info = fs_plugin_registry_lookup (self->registry, self->function_name);

      if (info != self->function_info)
        set_function (self, self->function_name);
    }
}

static void
reset_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  FsWorkerDialog *self = FS_WORKER_DIALOG (widget);

  for (guint i = 0; i < self->param_rows->len; i++)
    {
      FsParamRow *row = g_ptr_array_index (self->param_rows, i);
      const FsParamInfo *info = fs_param_row_get_info (row);

      fs_param_row_set_text (row, info->default_value != NULL ? info->default_value : "");
    }
}

static void
choose_function_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  FsWorkerDialog *self = FS_WORKER_DIALOG (widget);

  rebuild_picker (self);
  gtk_stack_set_visible_child_name (self->stack, "functions");
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  FsWorkerDialog *self = FS_WORKER_DIALOG (widget);

  if (self->function_name != NULL)
    gtk_stack_set_visible_child_name (self->stack, "form");
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  fs_worker_dialog_save (FS_WORKER_DIALOG (widget));
}

static gboolean
key_pressed_cb (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                FsWorkerDialog        *self)
{
  GtkWidget *focus;

  if (keyval != GDK_KEY_Return && keyval != GDK_KEY_KP_Enter && keyval != GDK_KEY_ISO_Enter)
    return GDK_EVENT_PROPAGATE;

  if ((state & gtk_accelerator_get_default_mod_mask ()) != 0)
    return GDK_EVENT_PROPAGATE;

  /* Enter in a text field saves. Spin buttons have no activates-default
   * in GTK 4.8, hence this capture-phase handler; Enter anywhere else
   * (a drop-down's popover, a row in the picker, a switch) keeps its own
   * meaning. An invalid form refuses with a bell, and the spin button
   * keeps the text to be fixed. */
  focus = gtk_root_get_focus (GTK_ROOT (self));
  if (focus == NULL ||
      gtk_widget_get_ancestor (focus, GTK_TYPE_POPOVER) != NULL ||
      (gtk_widget_get_ancestor (focus, GTK_TYPE_SPIN_BUTTON) == NULL &&
       gtk_widget_get_ancestor (focus, GTK_TYPE_ENTRY) == NULL) ||
      gtk_widget_get_ancestor (focus, GTK_TYPE_STACK) == NULL)
    return GDK_EVENT_PROPAGATE;

  if (!fs_worker_dialog_save (self))
    gtk_widget_error_bell (GTK_WIDGET (self));

  return GDK_EVENT_STOP;
}

static void
fs_worker_dialog_dispose (GObject *object)
{
  FsWorkerDialog *self = (FsWorkerDialog *)object;

  if (self->plugins != NULL)
    g_signal_handlers_disconnect_by_func (self->plugins, plugins_changed_cb, self);

  gtk_widget_dispose_template (GTK_WIDGET (self), FS_TYPE_WORKER_DIALOG);

  g_clear_object (&self->plugins);
  g_clear_object (&self->registry);
  g_clear_object (&self->store);
  g_clear_object (&self->definition);
  g_clear_object (&self->function_info);

  G_OBJECT_CLASS (fs_worker_dialog_parent_class)->dispose (object);
}

static void
fs_worker_dialog_finalize (GObject *object)
{
  FsWorkerDialog *self = (FsWorkerDialog *)object;

  g_clear_pointer (&self->function_name, g_free);
  g_clear_pointer (&self->initial_args, g_strfreev);
  g_clear_pointer (&self->picker_groups, g_ptr_array_unref);
  g_clear_pointer (&self->picker_rows, g_ptr_array_unref);
  g_clear_pointer (&self->result_rows, g_ptr_array_unref);
  g_clear_pointer (&self->param_rows, g_ptr_array_unref);
  g_clear_pointer (&self->params_extra_rows, g_ptr_array_unref);

  G_OBJECT_CLASS (fs_worker_dialog_parent_class)->finalize (object);
}

static void
fs_worker_dialog_class_init (FsWorkerDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fs_worker_dialog_dispose;
  object_class->finalize = fs_worker_dialog_finalize;

  signals[SAVED] =
    g_signal_new ("saved",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, FS_TYPE_WORKER_DEFINITION);

  g_type_ensure (FS_TYPE_PARAM_ROW);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/forkscope/Forkscope/fs-worker-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, FsWorkerDialog, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, FsWorkerDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, FsWorkerDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, FsWorkerDialog, back_button);
  gtk_widget_class_bind_template_child (widget_class, FsWorkerDialog, save_button);
  gtk_widget_class_bind_template_child (widget_class, FsWorkerDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, FsWorkerDialog, functions_page);
  gtk_widget_class_bind_template_child (widget_class, FsWorkerDialog, search_entry);
  gtk_widget_class_bind_template_child (widget_class, FsWorkerDialog, form_page);
  gtk_widget_class_bind_template_child (widget_class, FsWorkerDialog, function_row);
  gtk_widget_class_bind_template_child (widget_class, FsWorkerDialog, function_icon);
  gtk_widget_class_bind_template_child (widget_class, FsWorkerDialog, name_row);
  gtk_widget_class_bind_template_child (widget_class, FsWorkerDialog, daemon_switch);
  gtk_widget_class_bind_template_child (widget_class, FsWorkerDialog, params_group);
  gtk_widget_class_bind_template_child (widget_class, FsWorkerDialog, reset_button);
  gtk_widget_class_bind_template_callback (widget_class, stack_visible_child_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_activate_cb);

  gtk_widget_class_install_action (widget_class, "dialog.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "dialog.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "dialog.choose-function", NULL, choose_function_action);
  gtk_widget_class_install_action (widget_class, "dialog.reset", NULL, reset_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
fs_worker_dialog_init (FsWorkerDialog *self)
{
  GtkEventController *controller;

  self->picker_groups = g_ptr_array_new ();
  self->picker_rows = g_ptr_array_new ();
  self->result_rows = g_ptr_array_new ();
  self->param_rows = g_ptr_array_new ();
  self->params_extra_rows = g_ptr_array_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  /* Added before any plugin group, so it sits right under the search. */
  self->results_group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  gtk_widget_set_visible (GTK_WIDGET (self->results_group), FALSE);
  adw_preferences_page_add (self->functions_page, self->results_group);

  fs_param_row_set_check_func (self->name_row, check_name_cb, self);
  g_signal_connect_object (self->name_row, "changed", G_CALLBACK (row_changed_cb), self, G_CONNECT_SWAPPED);

  controller = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect (controller, "key-pressed", G_CALLBACK (key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  gtk_window_set_default_widget (GTK_WINDOW (self), self->save_button);
}

FsWorkerDialog *
fs_worker_dialog_new (FsPluginRegistry   *registry,
                      FsDefinitionStore  *store,
                      FsWorkerDefinition *definition)
{
  FsWorkerDialog *self;

  g_return_val_if_fail (FS_IS_PLUGIN_REGISTRY (registry), NULL);
  g_return_val_if_fail (store == NULL || FS_IS_DEFINITION_STORE (store), NULL);
  g_return_val_if_fail (definition == NULL || FS_IS_WORKER_DEFINITION (definition), NULL);

  self = g_object_new (FS_TYPE_WORKER_DIALOG, NULL);
  self->registry = g_object_ref (registry);
  self->plugins = g_object_ref (fs_plugin_registry_get_plugins (registry));
  g_signal_connect_object (self->plugins, "items-changed",
                           G_CALLBACK (plugins_changed_cb), self, G_CONNECT_SWAPPED);
  g_set_object (&self->store, store);
  g_set_object (&self->definition, definition);

  gtk_button_set_label (GTK_BUTTON (self->save_button),
                        definition != NULL ? _("_Save") : _("C_reate"));

  rebuild_picker (self);

  if (definition != NULL)
    {
      self->initial_args = g_strdupv ((char **)fs_worker_definition_get_args (definition));
      fs_param_row_set_text (self->name_row, fs_worker_definition_get_name (definition));
      gtk_switch_set_active (self->daemon_switch, fs_worker_definition_get_daemon (definition));
      set_function (self, fs_worker_definition_get_function (definition));
      gtk_stack_set_visible_child_name (self->stack, "form");
    }
  else
    {
      g_autofree char *name = NULL;

      /* Not translated: the name is also the worker's name in scripts
       * and in `ps`, so it stays ASCII. Other names are fine (any
       * language's letters); the row explains the rule when it refuses
       * one. */
      if (store != NULL)
        name = fs_definition_store_dup_unique_name (store, "Worker");
      else
        name = g_strdup ("Worker-1");
      fs_param_row_set_text (self->name_row, name);
      gtk_stack_set_visible_child_name (self->stack, "functions");
    }

  update_header (self);
  update_can_save (self);

  return self;
}

FsWorkerDefinition *
fs_worker_dialog_get_definition (FsWorkerDialog *self)
{
  g_return_val_if_fail (FS_IS_WORKER_DIALOG (self), NULL);

  return self->definition;
}

gboolean
fs_worker_dialog_select_function (FsWorkerDialog *self,
                                  const char     *full_name)
{
  g_return_val_if_fail (FS_IS_WORKER_DIALOG (self), FALSE);
  g_return_val_if_fail (full_name != NULL, FALSE);

  if (fs_plugin_registry_lookup (self->registry, full_name) == NULL)
    return FALSE;

  if (g_strcmp0 (full_name, self->function_name) != 0 || self->function_info == NULL)
    set_function (self, full_name);

  gtk_stack_set_visible_child_name (self->stack, "form");

  return TRUE;
}

const char *
fs_worker_dialog_get_function (FsWorkerDialog *self)
{
  g_return_val_if_fail (FS_IS_WORKER_DIALOG (self), NULL);

  return self->function_name;
}

GtkWidget *
fs_worker_dialog_get_name_row (FsWorkerDialog *self)
{
  g_return_val_if_fail (FS_IS_WORKER_DIALOG (self), NULL);

  return GTK_WIDGET (self->name_row);
}

GtkWidget *
fs_worker_dialog_get_param_row (FsWorkerDialog *self,
                                const char     *param)
{
  g_return_val_if_fail (FS_IS_WORKER_DIALOG (self), NULL);
  g_return_val_if_fail (param != NULL, NULL);

  for (guint i = 0; i < self->param_rows->len; i++)
    {
      FsParamRow *row = g_ptr_array_index (self->param_rows, i);

      if (g_str_equal (fs_param_row_get_info (row)->name, param))
        return GTK_WIDGET (row);
    }

  return NULL;
}

GtkWidget *
fs_worker_dialog_get_daemon_switch (FsWorkerDialog *self)
{
  g_return_val_if_fail (FS_IS_WORKER_DIALOG (self), NULL);

  return GTK_WIDGET (self->daemon_switch);
}

gboolean
fs_worker_dialog_get_can_save (FsWorkerDialog *self)
{
  g_return_val_if_fail (FS_IS_WORKER_DIALOG (self), FALSE);

  return self->can_save;
}

gboolean
fs_worker_dialog_save (FsWorkerDialog *self)
{
  g_autoptr(GStrvBuilder) builder = NULL;
  g_autoptr(FsWorkerDefinition) result = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) typed = NULL;
  g_auto(GStrv) args = NULL;
  FsWorkerDefinition *saved;

  g_return_val_if_fail (FS_IS_WORKER_DIALOG (self), FALSE);

  update_can_save (self);
  if (!self->can_save)
    return FALSE;

  builder = g_strv_builder_new ();
  for (guint i = 0; i < self->param_rows->len; i++)
    {
      FsParamRow *row = g_ptr_array_index (self->param_rows, i);
      g_autofree char *arg = g_strdup_printf ("%s=%s",
                                              fs_param_row_get_info (row)->name,
                                              fs_param_row_get_value (row));

      g_strv_builder_add (builder, arg);
    }
  typed = g_strv_builder_end (builder);

  /* Each value was checked on its own; the function's own check is the
   * final word (and the form of the arguments the engine will get). */
  args = fs_function_info_check_args (self->function_info, (const char * const *)typed, &error);
  if (args == NULL)
    {
      g_autofree char *styled = fs_worker_definition_style_message (error->message, NULL);
      g_autofree char *markup = g_markup_escape_text (styled, -1);

      adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (markup));
      return FALSE;
    }

  result = fs_worker_definition_new (fs_param_row_get_value (self->name_row),
                                     fs_function_info_get_full_name (self->function_info),
                                     gtk_switch_get_active (self->daemon_switch),
                                     (const char * const *)args);

  if (self->definition != NULL)
    {
      fs_worker_definition_assign (self->definition, result);
      saved = self->definition;
    }
  else
    {
      if (self->store != NULL)
        fs_definition_store_append (self->store, result);
      saved = result;
    }

  g_signal_emit (self, signals[SAVED], 0, saved);
  gtk_window_close (GTK_WINDOW (self));

  return TRUE;
}

GStrv
fs_worker_dialog_dup_search_results (FsWorkerDialog *self)
{
  g_autoptr(GStrvBuilder) builder = NULL;

  g_return_val_if_fail (FS_IS_WORKER_DIALOG (self), NULL);

  builder = g_strv_builder_new ();
  for (guint i = 0; i < self->result_rows->len; i++)
    g_strv_builder_add (builder, g_object_get_data (g_ptr_array_index (self->result_rows, i), "fs-function"));

  return g_strv_builder_end (builder);
}
