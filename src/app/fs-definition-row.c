/* fs-definition-row.c
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "fs-definition-row.h"

struct _FsDefinitionRow
{
  GtkWidget           parent_instance;

  FsWorkerDefinition *definition;
  GSignalGroup       *signals;
  char               *problem;

  /* Template children */
  GtkLabel           *name_label;
  GtkWidget          *daemon_tag;
  GtkWidget          *problem_icon;
  GtkLabel           *function_label;
  GtkLabel           *args_label;
  GtkWidget          *start_button;
};

enum {
  PROP_0,
  PROP_DEFINITION,
  N_PROPS
};

enum {
  START,
  N_SIGNALS
};

G_DEFINE_FINAL_TYPE (FsDefinitionRow, fs_definition_row, GTK_TYPE_WIDGET)

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
update (FsDefinitionRow *self)
{
  g_autofree char *args = NULL;
  g_autofree char *line = NULL;
  g_autofree char *start_label = NULL;
  const char *name;

  if (self->definition == NULL)
    return;

  name = fs_worker_definition_get_name (self->definition);
  args = fs_worker_definition_format_args (self->definition);
  line = fs_worker_definition_to_line (self->definition);

  gtk_label_set_label (self->name_label, name);
  gtk_label_set_label (self->function_label, fs_worker_definition_get_function (self->definition));
  gtk_label_set_label (self->args_label, args);
  gtk_widget_set_visible (GTK_WIDGET (self->args_label), args[0] != '\0');
  gtk_widget_set_visible (self->daemon_tag, fs_worker_definition_get_daemon (self->definition));

  /* The whole statement, as it is saved: the row's long form; and what
   * is wrong with it, since the warning icon is a small target. */
  if (self->problem != NULL)
    {
      g_autofree char *tooltip = g_strconcat (line, "\n\n", self->problem, NULL);

      gtk_widget_set_tooltip_text (GTK_WIDGET (self), tooltip);
    }
  else
    gtk_widget_set_tooltip_text (GTK_WIDGET (self), line);

  /* Translators: %s is a worker name; a button tooltip. */
  start_label = g_strdup_printf (_("Start “%s”"), name);
  gtk_widget_set_tooltip_text (self->start_button, start_label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->start_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, start_label,
                                  -1);
}

static void
start_clicked_cb (FsDefinitionRow *self)
{
  g_signal_emit (self, signals[START], 0);
}

static void
fs_definition_row_dispose (GObject *object)
{
  FsDefinitionRow *self = (FsDefinitionRow *)object;
  GtkWidget *child;

  g_signal_group_set_target (self->signals, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), FS_TYPE_DEFINITION_ROW);
  /* Not every direct child is a bound template child. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->definition);
  g_clear_object (&self->signals);

  G_OBJECT_CLASS (fs_definition_row_parent_class)->dispose (object);
}

static void
fs_definition_row_finalize (GObject *object)
{
  FsDefinitionRow *self = (FsDefinitionRow *)object;

  g_clear_pointer (&self->problem, g_free);

  G_OBJECT_CLASS (fs_definition_row_parent_class)->finalize (object);
}

static void
fs_definition_row_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  FsDefinitionRow *self = FS_DEFINITION_ROW (object);

  switch (prop_id)
    {
    case PROP_DEFINITION:
      g_value_set_object (value, self->definition);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fs_definition_row_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  FsDefinitionRow *self = FS_DEFINITION_ROW (object);

  switch (prop_id)
    {
    case PROP_DEFINITION:
      fs_definition_row_set_definition (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fs_definition_row_class_init (FsDefinitionRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fs_definition_row_dispose;
  object_class->finalize = fs_definition_row_finalize;
  object_class->get_property = fs_definition_row_get_property;
  object_class->set_property = fs_definition_row_set_property;

  properties[PROP_DEFINITION] =
    g_param_spec_object ("definition", NULL, NULL,
                         FS_TYPE_WORKER_DEFINITION,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[START] =
    g_signal_new ("start",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/forkscope/Forkscope/fs-definition-row.ui");
  gtk_widget_class_bind_template_child (widget_class, FsDefinitionRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, FsDefinitionRow, daemon_tag);
  gtk_widget_class_bind_template_child (widget_class, FsDefinitionRow, problem_icon);
  gtk_widget_class_bind_template_child (widget_class, FsDefinitionRow, function_label);
  gtk_widget_class_bind_template_child (widget_class, FsDefinitionRow, args_label);
  gtk_widget_class_bind_template_child (widget_class, FsDefinitionRow, start_button);
  gtk_widget_class_bind_template_callback (widget_class, start_clicked_cb);
}

static void
fs_definition_row_init (FsDefinitionRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->signals = g_signal_group_new (FS_TYPE_WORKER_DEFINITION);
  g_signal_group_connect_swapped (self->signals, "notify", G_CALLBACK (update), self);
}

GtkWidget *
fs_definition_row_new (void)
{
  return g_object_new (FS_TYPE_DEFINITION_ROW, NULL);
}

FsWorkerDefinition *
fs_definition_row_get_definition (FsDefinitionRow *self)
{
  g_return_val_if_fail (FS_IS_DEFINITION_ROW (self), NULL);

  return self->definition;
}

void
fs_definition_row_set_definition (FsDefinitionRow    *self,
                                  FsWorkerDefinition *definition)
{
  g_return_if_fail (FS_IS_DEFINITION_ROW (self));
  g_return_if_fail (definition == NULL || FS_IS_WORKER_DEFINITION (definition));

  if (!g_set_object (&self->definition, definition))
    return;

  g_signal_group_set_target (self->signals, definition);
  update (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEFINITION]);
}

void
fs_definition_row_set_problem (FsDefinitionRow *self,
                               const char      *problem)
{
  g_return_if_fail (FS_IS_DEFINITION_ROW (self));

  if (g_strcmp0 (self->problem, problem) == 0)
    return;

  g_free (self->problem);
  self->problem = g_strdup (problem);
  update (self);

  gtk_widget_set_visible (self->problem_icon, problem != NULL);
  gtk_widget_set_tooltip_text (self->problem_icon, problem);
  if (problem != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->problem_icon),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, problem,
                                    -1);
}
