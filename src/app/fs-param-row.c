/* fs-param-row.c
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "fs-param-row.h"
#include "fs-worker-definition.h"

typedef enum
{
  CONTROL_ENTRY,
  CONTROL_SPIN,
  CONTROL_SWITCH,
  CONTROL_DROP_DOWN,
} ControlKind;

struct _FsParamRow
{
  AdwPreferencesRow    parent_instance;

  FsParamInfo         *info;
  char                *function;
  FsParamRowCheckFunc  check_func;
  gpointer             check_data;

  ControlKind          kind;
  GtkWidget           *control;
  GtkWidget           *list_box;

  /* A stored value a switch or drop-down cannot show ("maybe", a choice
   * the plugin no longer has): kept, and marked, until the user picks. */
  char                *raw_text;
  char                *value;
  char                *error;
  char                *subtitle;
  /* The spin button's value when its text was last written from it. */
  double               shown_value;
  guint                in_set_text : 1;

  /* Template children */
  GtkLabel            *title_label;
  GtkLabel            *subtitle_label;
  GtkLabel            *error_label;
  GtkBox              *suffixes;
};

enum {
  PROP_0,
  PROP_INFO,
  PROP_FUNCTION,
  PROP_SUBTITLE,
  PROP_VALID,
  N_PROPS
};

enum {
  CHANGED,
  N_SIGNALS
};

G_DEFINE_FINAL_TYPE (FsParamRow, fs_param_row, ADW_TYPE_PREFERENCES_ROW)

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
fs_param_row_check (FsParamRow *self)
{
  g_autofree char *text = fs_param_row_dup_text (self);
  g_autoptr(GError) error = NULL;
  char *value = NULL;
  gboolean was_valid = self->value != NULL;

  /* A definition is saved as one line of a script. */
  if (strpbrk (text, "\r\n") != NULL)
    g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                         _("The value must fit on one line"));
  else if (self->info != NULL)
    value = fs_param_info_check_value (self->info, self->function, text, &error);
  else if (self->check_func != NULL)
    value = self->check_func (self, text, self->check_data, &error);
  else
    value = g_strdup (text);

  g_assert (value != NULL || error != NULL);

  g_free (self->value);
  self->value = value;
  g_clear_pointer (&self->error, g_free);

  if (value == NULL)
    {
      /* Under the parameter's own row, in a form for that function: the
       * app's style, without the function's name. */
      g_autofree char *message = fs_worker_definition_style_message (error->message, self->function);

      self->error = g_strdup (error->message);
      gtk_label_set_label (self->error_label, message);
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
      gtk_widget_add_css_class (self->control, "error");
      gtk_accessible_update_state (GTK_ACCESSIBLE (self->control),
                                   GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE,
                                   -1);
    }
  else
    {
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
      gtk_widget_remove_css_class (self->control, "error");
      gtk_accessible_reset_state (GTK_ACCESSIBLE (self->control), GTK_ACCESSIBLE_STATE_INVALID);
    }

  if (was_valid != (self->value != NULL))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VALID]);

  g_signal_emit (self, signals[CHANGED], 0);
}

static void
control_changed_cb (FsParamRow *self)
{
  if (self->in_set_text)
    return;

  /* The user touched the control: what it shows is the value now. */
  g_clear_pointer (&self->raw_text, g_free);
  fs_param_row_check (self);
}

/* Numbers are shown as a user would type them in a script: "2.5", "3",
 * never "3.000000" whatever the spin button's digits. */
static char *
format_number (double   value,
               gboolean integer)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  char *end;

  if (integer)
    return g_strdup_printf ("%.0f", value == 0 ? 0 : round (value));

  g_ascii_formatd (buf, sizeof buf, "%.6f", value);
  end = buf + strlen (buf) - 1;
  while (end > buf && *end == '0')
    *end-- = '\0';
  if (end > buf && *end == '.')
    *end = '\0';
  if (g_str_equal (buf, "-0"))
    return g_strdup ("0");

  return g_strdup (buf);
}

/* What GTK does when a spin button is left or Enter is pressed in it
 * (gtk_spin_button_update()): read the text. Refusing here, with the
 * parameter's own check, keeps GTK from reading "2.5" for an integer as
 * a value to round, or "1e20" as one to clamp. */
static int
spin_input_cb (GtkSpinButton *spin,
               double        *new_value,
               FsParamRow    *self)
{
  g_autofree char *normalized = NULL;

  normalized = fs_param_info_check_value (self->info, self->function,
                                          gtk_editable_get_text (GTK_EDITABLE (spin)), NULL);
  if (normalized == NULL)
    return GTK_INPUT_ERROR;

  *new_value = g_ascii_strtod (normalized, NULL);
  return TRUE;
}

static gboolean
spin_output_cb (GtkSpinButton *spin,
                FsParamRow    *self)
{
  double value = gtk_adjustment_get_value (gtk_spin_button_get_adjustment (spin));
  g_autofree char *text = NULL;

  /* After a refused input, GTK_UPDATE_IF_VALID puts the last good value
   * back (on focus-out, on Enter): that would silently undo what the
   * user typed ("abc" becoming 1). The refused text stays, marked, until
   * the user fixes it or the value really changes (the arrows). */
  if (self->value == NULL && !self->in_set_text && value == self->shown_value)
    return TRUE;

  self->shown_value = value;
  text = format_number (value, self->info->type == FS_PARAM_INT);
  if (!g_str_equal (text, gtk_editable_get_text (GTK_EDITABLE (spin))))
    gtk_editable_set_text (GTK_EDITABLE (spin), text);

  return TRUE;
}

static void
list_box_row_activated_cb (GtkListBox    *list_box,
                           GtkListBoxRow *row,
                           FsParamRow    *self)
{
  /* Like AdwActionRow's activatable-widget: a click anywhere on a switch
   * row flips the switch. */
  if (row == GTK_LIST_BOX_ROW (self) && self->kind == CONTROL_SWITCH)
    gtk_switch_set_active (GTK_SWITCH (self->control),
                           !gtk_switch_get_active (GTK_SWITCH (self->control)));
}

static void
parent_changed_cb (FsParamRow *self)
{
  GtkWidget *parent = gtk_widget_get_parent (GTK_WIDGET (self));

  if (self->list_box != NULL)
    {
      g_signal_handlers_disconnect_by_func (self->list_box, list_box_row_activated_cb, self);
      g_clear_weak_pointer (&self->list_box);
    }

  if (self->kind == CONTROL_SWITCH && GTK_IS_LIST_BOX (parent))
    {
      g_set_weak_pointer (&self->list_box, parent);
      g_signal_connect_object (parent, "row-activated",
                               G_CALLBACK (list_box_row_activated_cb), self, 0);
    }
}

static void fs_param_row_constructed (GObject *object);

static void
fs_param_row_dispose (GObject *object)
{
  FsParamRow *self = (FsParamRow *)object;

  if (self->list_box != NULL)
    {
      g_signal_handlers_disconnect_by_func (self->list_box, list_box_row_activated_cb, self);
      g_clear_weak_pointer (&self->list_box);
    }

  gtk_widget_dispose_template (GTK_WIDGET (self), FS_TYPE_PARAM_ROW);
  self->control = NULL;

  G_OBJECT_CLASS (fs_param_row_parent_class)->dispose (object);
}

static void
fs_param_row_finalize (GObject *object)
{
  FsParamRow *self = (FsParamRow *)object;

  g_clear_pointer (&self->info, fs_param_info_free);
  g_clear_pointer (&self->function, g_free);
  g_clear_pointer (&self->raw_text, g_free);
  g_clear_pointer (&self->value, g_free);
  g_clear_pointer (&self->error, g_free);
  g_clear_pointer (&self->subtitle, g_free);

  G_OBJECT_CLASS (fs_param_row_parent_class)->finalize (object);
}

static void
fs_param_row_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  FsParamRow *self = FS_PARAM_ROW (object);

  switch (prop_id)
    {
    case PROP_INFO:
      g_value_set_boxed (value, self->info);
      break;

    case PROP_FUNCTION:
      g_value_set_string (value, self->function);
      break;

    case PROP_SUBTITLE:
      g_value_set_string (value, self->subtitle);
      break;

    case PROP_VALID:
      g_value_set_boolean (value, self->value != NULL);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fs_param_row_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  FsParamRow *self = FS_PARAM_ROW (object);

  switch (prop_id)
    {
    case PROP_INFO:
      self->info = g_value_dup_boxed (value);
      break;

    case PROP_FUNCTION:
      self->function = g_value_dup_string (value);
      break;

    case PROP_SUBTITLE:
      fs_param_row_set_subtitle (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fs_param_row_class_init (FsParamRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = fs_param_row_constructed;
  object_class->dispose = fs_param_row_dispose;
  object_class->finalize = fs_param_row_finalize;
  object_class->get_property = fs_param_row_get_property;
  object_class->set_property = fs_param_row_set_property;

  properties[PROP_INFO] =
    g_param_spec_boxed ("info", NULL, NULL,
                        FS_TYPE_PARAM_INFO,
                        (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_FUNCTION] =
    g_param_spec_string ("function", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_SUBTITLE] =
    g_param_spec_string ("subtitle", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_VALID] =
    g_param_spec_boolean ("valid", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/forkscope/Forkscope/fs-param-row.ui");
  gtk_widget_class_bind_template_child (widget_class, FsParamRow, title_label);
  gtk_widget_class_bind_template_child (widget_class, FsParamRow, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, FsParamRow, error_label);
  gtk_widget_class_bind_template_child (widget_class, FsParamRow, suffixes);
}

static void
fs_param_row_init (FsParamRow *self)
{
  self->shown_value = NAN;

  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect (self, "notify::parent", G_CALLBACK (parent_changed_cb), NULL);
}

static void
set_control (FsParamRow  *self,
             ControlKind  kind,
             GtkWidget   *control)
{
  self->kind = kind;
  self->control = control;

  gtk_widget_set_valign (control, GTK_ALIGN_CENTER);
  gtk_box_append (self->suffixes, control);

  gtk_accessible_update_relation (GTK_ACCESSIBLE (control),
                                  GTK_ACCESSIBLE_RELATION_LABELLED_BY, self->title_label, NULL,
                                  GTK_ACCESSIBLE_RELATION_DESCRIBED_BY, self->subtitle_label,
                                  self->error_label, NULL,
                                  -1);

  switch (kind)
    {
    case CONTROL_ENTRY:
    case CONTROL_SPIN:
      g_signal_connect_swapped (control, "changed", G_CALLBACK (control_changed_cb), self);
      break;

    case CONTROL_SWITCH:
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (self), TRUE);
      g_signal_connect_swapped (control, "notify::active", G_CALLBACK (control_changed_cb), self);
      break;

    case CONTROL_DROP_DOWN:
      g_signal_connect_swapped (control, "notify::selected", G_CALLBACK (control_changed_cb), self);
      break;

    default:
      g_assert_not_reached ();
    }
}

static GtkWidget *
create_spin_button (const FsParamInfo *info)
{
  gboolean integer = info->type == FS_PARAM_INT;
  GtkAdjustment *adjustment;
  GtkWidget *spin;
  double lower = info->min;
  double upper = info->max;
  double step;

  /* 0, 0 means unbounded; the spin button needs some range, and the
   * check still has the last word. */
  if (lower == 0 && upper == 0)
    {
      lower = integer ? (double)G_MININT32 : -1e9;
      upper = integer ? (double)G_MAXINT32 : 1e9;
    }

  /* Tenths for a small range or a default such as 0.1 or 2.5, else ones. */
  if (integer)
    step = 1;
  else
    {
      double value = info->default_value != NULL ? g_ascii_strtod (info->default_value, NULL) : 0;

      step = (upper - lower < 10 || value != floor (value) || (value > -1 && value < 1 && value != 0)) ? 0.1 : 1;
    }

  adjustment = gtk_adjustment_new (lower, lower, upper, step, step * 10, 0);
  spin = gtk_spin_button_new (adjustment, step, integer ? 0 : 3);
  gtk_spin_button_set_update_policy (GTK_SPIN_BUTTON (spin), GTK_UPDATE_IF_VALID);
  gtk_editable_set_width_chars (GTK_EDITABLE (spin), 6);

  return spin;
}

GtkWidget *
fs_param_row_new (const FsParamInfo *info,
                  const char        *function)
{
  g_return_val_if_fail (info != NULL, NULL);
  g_return_val_if_fail (function != NULL, NULL);

  return g_object_new (FS_TYPE_PARAM_ROW,
                       "info", info,
                       "function", function,
                       "title", info->name,
                       "subtitle", info->description,
                       NULL);
}

GtkWidget *
fs_param_row_new_text (const char          *title,
                       const char          *subtitle,
                       FsParamRowCheckFunc  check_func,
                       gpointer             user_data)
{
  GtkWidget *self;

  g_return_val_if_fail (title != NULL, NULL);

  self = g_object_new (FS_TYPE_PARAM_ROW,
                       "title", title,
                       "subtitle", subtitle,
                       NULL);
  fs_param_row_set_check_func (FS_PARAM_ROW (self), check_func, user_data);

  return self;
}

void
fs_param_row_set_check_func (FsParamRow          *self,
                             FsParamRowCheckFunc  check_func,
                             gpointer             user_data)
{
  g_return_if_fail (FS_IS_PARAM_ROW (self));
  g_return_if_fail (self->info == NULL);

  self->check_func = check_func;
  self->check_data = user_data;
  fs_param_row_check (self);
}

static void
fs_param_row_constructed (GObject *object)
{
  FsParamRow *self = (FsParamRow *)object;
  const FsParamInfo *info = self->info;

  G_OBJECT_CLASS (fs_param_row_parent_class)->constructed (object);

  if (info == NULL)
    {
      /* A plain text row, as in a .ui file; see fs_param_row_set_check_func(). */
      set_control (self, CONTROL_ENTRY, gtk_entry_new ());
      gtk_editable_set_width_chars (GTK_EDITABLE (self->control), 16);
      fs_param_row_set_text (self, "");
      return;
    }

  if (self->function == NULL)
    self->function = g_strdup ("");

  switch (info->type)
    {
    case FS_PARAM_INT:
    case FS_PARAM_DOUBLE:
      set_control (self, CONTROL_SPIN, create_spin_button (info));
      g_signal_connect (self->control, "input", G_CALLBACK (spin_input_cb), self);
      g_signal_connect (self->control, "output", G_CALLBACK (spin_output_cb), self);
      break;

    case FS_PARAM_BOOL:
      set_control (self, CONTROL_SWITCH, gtk_switch_new ());
      break;

    case FS_PARAM_ENUM:
      set_control (self, CONTROL_DROP_DOWN,
                   gtk_drop_down_new_from_strings ((const char * const *)info->choices));
      break;

    case FS_PARAM_STRING:
    default:
      set_control (self, CONTROL_ENTRY, gtk_entry_new ());
      gtk_editable_set_width_chars (GTK_EDITABLE (self->control), 16);
      break;
    }

  fs_param_row_set_text (self, info->default_value != NULL ? info->default_value : "");
}

const FsParamInfo *
fs_param_row_get_info (FsParamRow *self)
{
  g_return_val_if_fail (FS_IS_PARAM_ROW (self), NULL);

  return self->info;
}

const char *
fs_param_row_get_subtitle (FsParamRow *self)
{
  g_return_val_if_fail (FS_IS_PARAM_ROW (self), NULL);

  return self->subtitle;
}

void
fs_param_row_set_subtitle (FsParamRow *self,
                           const char *subtitle)
{
  g_return_if_fail (FS_IS_PARAM_ROW (self));

  if (g_strcmp0 (self->subtitle, subtitle) == 0)
    return;

  g_free (self->subtitle);
  self->subtitle = g_strdup (subtitle);
  gtk_label_set_label (self->subtitle_label, subtitle);
  gtk_widget_set_visible (GTK_WIDGET (self->subtitle_label), subtitle != NULL && *subtitle != '\0');

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SUBTITLE]);
}

GtkWidget *
fs_param_row_get_control (FsParamRow *self)
{
  g_return_val_if_fail (FS_IS_PARAM_ROW (self), NULL);

  return self->control;
}

char *
fs_param_row_dup_text (FsParamRow *self)
{
  g_return_val_if_fail (FS_IS_PARAM_ROW (self), NULL);

  if (self->raw_text != NULL)
    return g_strdup (self->raw_text);

  switch (self->kind)
    {
    case CONTROL_ENTRY:
    case CONTROL_SPIN:
      return g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->control)));

    case CONTROL_SWITCH:
      return g_strdup (gtk_switch_get_active (GTK_SWITCH (self->control)) ? "true" : "false");

    case CONTROL_DROP_DOWN:
      {
        GtkStringObject *item = gtk_drop_down_get_selected_item (GTK_DROP_DOWN (self->control));

        return g_strdup (item != NULL ? gtk_string_object_get_string (item) : "");
      }

    default:
      g_assert_not_reached ();
    }
}

static char *
check_quietly (FsParamRow *self,
               const char *text)
{
  if (self->info == NULL)
    return NULL;

  return fs_param_info_check_value (self->info, self->function, text, NULL);
}

void
fs_param_row_set_text (FsParamRow *self,
                       const char *text)
{
  g_autofree char *normalized = NULL;

  g_return_if_fail (FS_IS_PARAM_ROW (self));
  g_return_if_fail (text != NULL);

  self->in_set_text = TRUE;
  g_clear_pointer (&self->raw_text, g_free);

  switch (self->kind)
    {
    case CONTROL_ENTRY:
      gtk_editable_set_text (GTK_EDITABLE (self->control), text);
      break;

    case CONTROL_SPIN:
      /* Only a valid value goes into the adjustment: setting an invalid
       * one would clamp it and hide what needs fixing. */
      gtk_editable_set_text (GTK_EDITABLE (self->control), text);
      normalized = check_quietly (self, text);
      if (normalized != NULL)
        gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->control), g_ascii_strtod (normalized, NULL));
      break;

    case CONTROL_SWITCH:
      normalized = check_quietly (self, text);
      if (normalized != NULL)
        gtk_switch_set_active (GTK_SWITCH (self->control), g_str_equal (normalized, "true"));
      else
        self->raw_text = g_strdup (text);
      break;

    case CONTROL_DROP_DOWN:
      {
        guint position = GTK_INVALID_LIST_POSITION;

        normalized = check_quietly (self, text);
        if (normalized != NULL)
          {
            for (guint i = 0; self->info->choices[i] != NULL; i++)
              {
                if (g_str_equal (self->info->choices[i], normalized))
                  position = i;
              }
          }

        if (position != GTK_INVALID_LIST_POSITION)
          gtk_drop_down_set_selected (GTK_DROP_DOWN (self->control), position);
        else
          self->raw_text = g_strdup (text);
      }
      break;

    default:
      g_assert_not_reached ();
    }

  self->in_set_text = FALSE;
  fs_param_row_check (self);
}

void
fs_param_row_recheck (FsParamRow *self)
{
  g_return_if_fail (FS_IS_PARAM_ROW (self));

  fs_param_row_check (self);
}

gboolean
fs_param_row_get_valid (FsParamRow *self)
{
  g_return_val_if_fail (FS_IS_PARAM_ROW (self), FALSE);

  return self->value != NULL;
}

const char *
fs_param_row_get_value (FsParamRow *self)
{
  g_return_val_if_fail (FS_IS_PARAM_ROW (self), NULL);

  return self->value;
}

const char *
fs_param_row_get_error (FsParamRow *self)
{
  g_return_val_if_fail (FS_IS_PARAM_ROW (self), NULL);

  return self->error;
}
