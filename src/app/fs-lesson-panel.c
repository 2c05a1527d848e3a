/* fs-lesson-panel.c
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <adwaita.h>

#include "fs-lesson-panel.h"

struct _FsLessonPanel
{
  GtkWidget            parent_instance;

  FsEngine            *engine;
  gulong               closed_id;
  FsLesson            *lesson;
  FsScriptRunner      *runner;

  /* This run */
  char                *say_text;
  char                *problem;
  guint                n_passed;
  guint                n_failed;
  guint                n_done;          /* statements finished */
  guint                line;            /* shown in the statement row */
  int                  exit_status;
  gboolean             stopping;        /* the user asked to stop */
  gboolean             restart_pending; /* run again once this one has finished */
  gboolean             restart_step_mode;
  gboolean             paused;
  gboolean             was_paused;      /* this run has paused at least once */

  /* Template widgets */
  GtkWidget           *box;
  GtkLabel            *title_label;
  GtkWidget           *checks_box;
  GtkWidget           *passed_box;
  GtkLabel            *passed_label;
  GtkWidget           *failed_box;
  GtkLabel            *failed_label;
  GtkButton           *play_button;
  AdwButtonContent    *play_content;
  GtkWidget           *say_box;
  GtkImage            *say_icon;
  GtkLabel            *say_label;
  GtkImage            *status_icon;
  GtkLabel            *status_label;
  GtkLabel            *line_label;
  GtkLabel            *statement_label;
  GtkLabel            *progress_label;
  GtkLabel            *problem_label;
  GtkExpander         *explanation_expander;
  GtkBox              *paragraphs_box;
  GtkProgressBar      *progress_bar;
};

G_DEFINE_FINAL_TYPE (FsLessonPanel, fs_lesson_panel, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_ENGINE,
  PROP_LESSON,
  PROP_STATE,
  PROP_PAUSED,
  PROP_SAY_TEXT,
  PROP_N_PASSED,
  PROP_N_FAILED,
  PROP_EXIT_STATUS,
  N_PROPS
};

enum {
  EVENT,
  FINISHED,
  CLOSE_REQUESTED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void update (FsLessonPanel *self);

static void
ensure_css (GdkDisplay *display)
{
  g_autoptr(GtkCssProvider) provider = NULL;

  if (display == NULL || g_object_get_data (G_OBJECT (display), "fs-lesson-panel-css") != NULL)
    return;

  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (provider, "/io/github/forkscope/Forkscope/fs-lesson-panel.css");
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  g_object_set_data_full (G_OBJECT (display), "fs-lesson-panel-css",
                          g_object_ref (provider), g_object_unref);
}

static FsScript *
get_script (FsLessonPanel *self)
{
  return self->lesson != NULL ? fs_lesson_get_script (self->lesson) : NULL;
}

static gboolean
can_run (FsLessonPanel *self)
{
  FsScript *script = get_script (self);

  return script != NULL && fs_script_get_checked (script) &&
         self->engine != NULL && fs_engine_is_running (self->engine);
}

static guint
count_statements (FsScript              *script,
                  FsScriptStatementKind  kind)
{
  guint n = 0;

  for (guint i = 0; script != NULL && i < fs_script_get_n_statements (script); i++)
    if (fs_script_statement_get_kind (fs_script_get_statement (script, i)) == kind)
      n++;
  return n;
}

/* Runners */

static gboolean
unref_idle_cb (gpointer data)
{
  g_object_unref (data);
  return G_SOURCE_REMOVE;
}

static void
retired_finished_cb (FsScriptRunner *runner,
                     int             status,
                     gpointer        user_data)
{
  g_signal_handlers_disconnect_by_func (runner, retired_finished_cb, user_data);
  /* Not from inside its own emission. */
  g_idle_add (unref_idle_cb, runner);
}

/* Lets the current runner go. A run in progress is stopped and kept alive
 * until it has cleaned up its processes: dropping it at once would kill
 * them without waiting. */
static void
retire_runner (FsLessonPanel *self)
{
  FsScriptRunner *runner = g_steal_pointer (&self->runner);
  FsScriptRunnerState state;

  if (runner == NULL)
    return;

  g_signal_handlers_disconnect_by_data (runner, self);
  self->restart_pending = FALSE;

  state = fs_script_runner_get_state (runner);
  if (state == FS_SCRIPT_RUNNER_FINISHED || state == FS_SCRIPT_RUNNER_READY)
    {
      g_object_unref (runner);
      return;
    }

  g_signal_connect (runner, "finished", G_CALLBACK (retired_finished_cb), NULL);
  fs_script_runner_stop (runner);
}

static void
set_paused (FsLessonPanel *self,
            gboolean       paused)
{
  if (self->paused == paused)
    return;

  self->paused = paused;
  self->was_paused |= paused;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAUSED]);
}

static void
set_say_text (FsLessonPanel *self,
              const char    *text)
{
  if (g_strcmp0 (self->say_text, text) == 0)
    return;

  g_free (self->say_text);
  self->say_text = g_strdup (text);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SAY_TEXT]);
}

static void
set_problem (FsLessonPanel *self,
             char          *problem)
{
  g_free (self->problem);
  self->problem = problem;
}

static void
reset_run (FsLessonPanel *self)
{
  gboolean had_checks = self->n_passed > 0 || self->n_failed > 0;

  set_say_text (self, NULL);
  set_problem (self, NULL);
  self->n_done = 0;
  self->n_passed = 0;
  self->n_failed = 0;
  self->line = 0;
  self->stopping = FALSE;
  self->was_paused = FALSE;
  if (had_checks)
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_PASSED]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_FAILED]);
    }
  if (self->exit_status != -1)
    {
      self->exit_status = -1;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXIT_STATUS]);
    }
}

static void
runner_state_cb (FsLessonPanel  *self,
                 GParamSpec     *pspec,
                 FsScriptRunner *runner)
{
  set_paused (self, fs_script_runner_get_state (runner) == FS_SCRIPT_RUNNER_PAUSED);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
  update (self);
}

static void
runner_line_cb (FsLessonPanel  *self,
                GParamSpec     *pspec,
                FsScriptRunner *runner)
{
  update (self);
}

static void
statement_finished_cb (FsLessonPanel  *self,
                       guint           line,
                       const char     *text,
                       gboolean        ok,
                       FsScriptRunner *runner)
{
  self->n_done++;
  update (self);
}

static void
say_cb (FsLessonPanel  *self,
        const char     *text,
        FsScriptRunner *runner)
{
  set_say_text (self, text);
  update (self);
}

static void
expect_cb (FsLessonPanel  *self,
           guint           line,
           gboolean        ok,
           const char     *expected,
           const char     *found,
           FsScriptRunner *runner)
{
  if (ok)
    {
      self->n_passed++;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_PASSED]);
    }
  else
    {
      self->n_failed++;
      /* Translators: a check of a lesson that did not hold, e.g.
       * "Line 31: expected zombie, found running" */
      set_problem (self, g_strdup_printf (_("Line %u: expected %s, found %s"),
                                          line, expected, found));
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_FAILED]);
    }
  update (self);
}

static void
runner_event_cb (FsLessonPanel  *self,
                 FsEvent        *event,
                 FsScriptRunner *runner)
{
  if (event->kind == FS_EVENT_ERROR)
    {
      const char *message = fs_event_lookup_string (event, "message");
      gint32 line = 0;

      if (message != NULL)
        {
          if (g_variant_lookup (event->fields, "line", "i", &line) && line > 0)
            /* Translators: a statement of a lesson that failed, e.g.
             * "Line 12: cannot signal z/1: ..." */
            set_problem (self, g_strdup_printf (_("Line %d: %s"), (int) line, message));
          else
            set_problem (self, g_strdup (message));
          update (self);
        }
    }

  g_signal_emit (self, signals[EVENT], 0, event);
}

static void start_run (FsLessonPanel *self,
                       gboolean       step_mode,
                       gboolean       step_now);

static void
runner_finished_cb (FsLessonPanel  *self,
                    int             status,
                    FsScriptRunner *runner)
{
  self->exit_status = status;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXIT_STATUS]);
  set_paused (self, FALSE);
  update (self);

  g_signal_emit (self, signals[FINISHED], 0, status);

  /* Restart: the old run has cleaned up; run again from the top. */
  if (self->restart_pending && self->runner == runner)
    {
      self->restart_pending = FALSE;
      start_run (self, self->restart_step_mode, FALSE);
    }
}

static void
start_run (FsLessonPanel *self,
           gboolean       step_mode,
           gboolean       step_now)
{
  g_return_if_fail (can_run (self));

  retire_runner (self);
  reset_run (self);

  self->runner = fs_script_runner_new (self->engine, get_script (self));
  fs_script_runner_set_step_mode (self->runner, step_mode);

  g_signal_connect_object (self->runner, "notify::state", G_CALLBACK (runner_state_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->runner, "notify::current-line", G_CALLBACK (runner_line_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->runner, "statement-finished", G_CALLBACK (statement_finished_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->runner, "say", G_CALLBACK (say_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->runner, "expect", G_CALLBACK (expect_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->runner, "event", G_CALLBACK (runner_event_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->runner, "finished", G_CALLBACK (runner_finished_cb), self,
                           G_CONNECT_SWAPPED);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);

  /* In step mode the runner pauses before the first statement; Step means
   * "run the next statement", so run it. */
  fs_script_runner_run (self->runner);
  if (step_now && self->runner != NULL &&
      fs_script_runner_get_state (self->runner) == FS_SCRIPT_RUNNER_PAUSED)
    fs_script_runner_step (self->runner);

  update (self);
}

/* The view */

static const char *
statement_text (FsScript *script,
                guint     line)
{
  int index = script != NULL && line > 0 ? fs_script_find_line (script, line) : -1;

  if (index < 0)
    return NULL;
  return fs_script_statement_get_text (fs_script_get_statement (script, index));
}

static void
update_checks (FsLessonPanel *self)
{
  guint n_expects = count_statements (get_script (self), FS_SCRIPT_STATEMENT_EXPECT);
  g_autofree char *passed = NULL;
  g_autofree char *failed = NULL;
  g_autofree char *passed_tip = NULL;
  g_autofree char *failed_tip = NULL;

  /* Translators: checks (expect statements) that held so far, of all,
   * e.g. "3/12" */
  passed = g_strdup_printf (C_("checks", "%u/%u"), self->n_passed, n_expects);
  passed_tip = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                             "%u of %u check held",
                                             "%u of %u checks held", n_expects),
                                self->n_passed, n_expects);
  gtk_label_set_label (self->passed_label, passed);
  gtk_widget_set_tooltip_text (self->passed_box, passed_tip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->passed_box),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, passed_tip, -1);

  failed = g_strdup_printf ("%u", self->n_failed);
  failed_tip = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                             "%u check failed",
                                             "%u checks failed", self->n_failed),
                                self->n_failed);
  gtk_label_set_label (self->failed_label, failed);
  gtk_widget_set_tooltip_text (self->failed_box, failed_tip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->failed_box),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, failed_tip, -1);
  gtk_widget_set_visible (self->failed_box, self->n_failed > 0);
  gtk_widget_set_visible (self->checks_box, n_expects > 0);
}

static void
update_say (FsLessonPanel *self)
{
  if (self->say_text != NULL)
    {
      gtk_label_set_label (self->say_label, self->say_text);
      gtk_widget_remove_css_class (self->say_box, "fs-placeholder");
      gtk_image_set_from_icon_name (self->say_icon, "media-view-subtitles-symbolic");
    }
  else
    {
      const char *hint;

      if (self->lesson == NULL)
        hint = _("Choose a lesson from the Lessons menu.");
      else if (!can_run (self))
        hint = _("This lesson cannot be played yet: the supervisor or the plugins are not ready.");
      else
        hint = _("Press Play to watch the whole lesson, or Step to go one statement at a time.");
      gtk_label_set_label (self->say_label, hint);
      gtk_widget_add_css_class (self->say_box, "fs-placeholder");
      gtk_image_set_from_icon_name (self->say_icon, "dialog-information-symbolic");
    }
}

static void
update_statement (FsLessonPanel *self)
{
  FsScript *script = get_script (self);
  FsScriptRunnerState state = fs_lesson_panel_get_state (self);
  guint n_statements = script != NULL ? fs_script_get_n_statements (script) : 0;
  const char *icon = "media-playback-start-symbolic";
  const char *status = NULL;
  const char *text = NULL;
  g_autofree char *line_text = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *progress = NULL;
  guint line = 0;
  gboolean is_code;
  double fraction;

  switch (state)
    {
    case FS_SCRIPT_RUNNER_READY:
      status = C_("lesson", "Ready");
      if (n_statements > 0)
        line = fs_script_statement_get_line (fs_script_get_statement (script, 0));
      icon = "media-playback-start-symbolic";
      break;

    case FS_SCRIPT_RUNNER_RUNNING:
      status = self->stopping ? C_("lesson", "Stopping") : C_("lesson", "Running");
      line = fs_script_runner_get_current_line (self->runner);
      icon = "media-playback-start-symbolic";
      break;

    case FS_SCRIPT_RUNNER_PAUSED:
      status = C_("lesson", "Paused");
      line = fs_script_runner_get_current_line (self->runner);
      icon = "media-playback-pause-symbolic";
      if (line == 0)
        text = _("the end of the lesson: like Python at exit, daemon processes are terminated and the others joined");
      break;

    case FS_SCRIPT_RUNNER_CLEANING_UP:
      status = C_("lesson", "Finishing");
      icon = "media-playback-start-symbolic";
      if (self->stopping || self->restart_pending || self->problem != NULL)
        text = _("cleaning up: terminating every process the lesson started");
      else
        text = _("like Python at exit: daemon processes are terminated and the others joined");
      break;

    case FS_SCRIPT_RUNNER_FINISHED:
      if (self->exit_status == 0)
        {
          status = C_("lesson", "Done");
          icon = "object-select-symbolic";
          summary = g_strdup (_("the lesson ran to the end and every check held"));
        }
      else if (self->stopping)
        {
          status = C_("lesson", "Stopped");
          icon = "media-playback-stop-symbolic";
          summary = g_strdup (_("the lesson was stopped and its processes cleaned up"));
        }
      else
        {
          status = C_("lesson", "Failed");
          icon = "dialog-error-symbolic";
          summary = g_strdup (_("something did not go as the lesson expected: see the message below"));
        }
      text = summary;
      break;

    default:
      g_assert_not_reached ();
    }

  /* A statement is shown as code; anything else as prose. */
  is_code = text == NULL;
  if (text == NULL)
    text = statement_text (script, line);

  if (self->line != line)
    self->line = line;

  if (line > 0 && text != NULL && state != FS_SCRIPT_RUNNER_FINISHED)
    {
      if (state == FS_SCRIPT_RUNNER_RUNNING)
        /* Translators: the line number of the statement running */
        line_text = g_strdup_printf (_("line %u"), line);
      else
        /* Translators: the line number of the statement that runs next
         * (the lesson is paused, or not started) */
        line_text = g_strdup_printf (_("next, line %u"), line);
    }
  else if (state == FS_SCRIPT_RUNNER_PAUSED)
    line_text = g_strdup (C_("statement", "next"));

  gtk_image_set_from_icon_name (self->status_icon, icon);
  gtk_label_set_label (self->status_label, status);
  gtk_label_set_label (self->line_label, line_text != NULL ? line_text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->line_label), line_text != NULL);
  gtk_label_set_label (self->statement_label, text != NULL ? text : "");
  if (is_code)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->statement_label), "monospace");
      gtk_widget_add_css_class (GTK_WIDGET (self->statement_label), "fs-lesson-code");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->statement_label), "monospace");
      gtk_widget_remove_css_class (GTK_WIDGET (self->statement_label), "fs-lesson-code");
    }
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->statement_label), text);

  gtk_widget_remove_css_class (GTK_WIDGET (self), "fs-lesson-paused");
  gtk_widget_remove_css_class (GTK_WIDGET (self), "fs-lesson-done");
  gtk_widget_remove_css_class (GTK_WIDGET (self), "fs-lesson-failed-run");
  if (state == FS_SCRIPT_RUNNER_PAUSED)
    gtk_widget_add_css_class (GTK_WIDGET (self), "fs-lesson-paused");
  else if (state == FS_SCRIPT_RUNNER_FINISHED)
    gtk_widget_add_css_class (GTK_WIDGET (self),
                              self->exit_status == 0 ? "fs-lesson-done" : "fs-lesson-failed-run");

  /* Progress: statements done of all, and the end-of-script rule. */
  if (state == FS_SCRIPT_RUNNER_FINISHED && self->exit_status == 0)
    fraction = 1.0;
  else
    fraction = n_statements > 0 ? (double) MIN (self->n_done, n_statements) / (n_statements + 1) : 0.0;
  gtk_progress_bar_set_fraction (self->progress_bar, fraction);
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), state != FS_SCRIPT_RUNNER_READY);

  /* Translators: statements of a lesson run so far, of all, e.g. "5/40" */
  progress = g_strdup_printf (C_("statements", "%u/%u"), MIN (self->n_done, n_statements), n_statements);
  gtk_label_set_label (self->progress_label, progress);
  gtk_widget_set_visible (GTK_WIDGET (self->progress_label),
                          state != FS_SCRIPT_RUNNER_READY && state != FS_SCRIPT_RUNNER_FINISHED);
  {
    /* Translators: statements of a lesson run so far, of all */
    g_autofree char *tip = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                         "%u of %u statement done",
                                                         "%u of %u statements done", n_statements),
                                            MIN (self->n_done, n_statements), n_statements);
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->progress_label), tip);
  }

  /* The lesson's processes do not stop while the player pauses: a check
   * that depends on timing can fail when stepping slowly. Say so. */
  if (self->problem != NULL && state == FS_SCRIPT_RUNNER_FINISHED && self->was_paused && !self->stopping)
    {
      g_autofree char *problem = g_strdup_printf ("%s\n%s", self->problem,
                                                  _("While the lesson was paused, its processes went on running, so a check that depends on timing may have come too late. Press Play Again to watch it without pausing."));
      gtk_label_set_label (self->problem_label, problem);
    }
  else
    gtk_label_set_label (self->problem_label, self->problem != NULL ? self->problem : "");
  gtk_widget_set_visible (GTK_WIDGET (self->problem_label), self->problem != NULL);
}

static void
update_actions (FsLessonPanel *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  FsScriptRunnerState state = fs_lesson_panel_get_state (self);
  gboolean runnable = can_run (self) && !self->restart_pending;
  gboolean startable = state == FS_SCRIPT_RUNNER_READY || state == FS_SCRIPT_RUNNER_FINISHED;
  gboolean active = state == FS_SCRIPT_RUNNER_RUNNING || state == FS_SCRIPT_RUNNER_PAUSED ||
                    state == FS_SCRIPT_RUNNER_CLEANING_UP;
  gboolean stepping = self->runner != NULL && fs_script_runner_get_step_mode (self->runner) &&
                      (state == FS_SCRIPT_RUNNER_RUNNING || state == FS_SCRIPT_RUNNER_PAUSED);
  gboolean playing = state == FS_SCRIPT_RUNNER_RUNNING && !stepping;

  gtk_widget_action_set_enabled (widget, "lesson.play",
                                 runnable && (startable || (stepping && !self->stopping)));
  gtk_widget_action_set_enabled (widget, "lesson.step",
                                 runnable && !self->stopping &&
                                 (startable || state == FS_SCRIPT_RUNNER_PAUSED || playing));
  gtk_widget_action_set_enabled (widget, "lesson.continue",
                                 runnable && state == FS_SCRIPT_RUNNER_PAUSED);
  gtk_widget_action_set_enabled (widget, "lesson.restart",
                                 runnable && self->runner != NULL);
  gtk_widget_action_set_enabled (widget, "lesson.stop",
                                 self->runner != NULL && active && !self->stopping);
  gtk_widget_action_set_enabled (widget, "lesson.close", self->lesson != NULL);

  if (stepping)
    {
      adw_button_content_set_label (self->play_content, _("_Continue"));
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->play_button), _("Run the rest of the lesson without pausing (F5)"));
    }
  else if (state == FS_SCRIPT_RUNNER_FINISHED)
    {
      adw_button_content_set_label (self->play_content, _("_Play Again"));
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->play_button), _("Run the lesson again from the top (F5)"));
    }
  else
    {
      adw_button_content_set_label (self->play_content, _("_Play"));
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->play_button), _("Run the lesson to the end (F5)"));
    }
}

static void
update (FsLessonPanel *self)
{
  update_checks (self);
  update_say (self);
  update_statement (self);
  update_actions (self);
}

static void
rebuild_explanation (FsLessonPanel *self)
{
  GtkWidget *child;
  const char * const *paragraphs;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->paragraphs_box))) != NULL)
    gtk_box_remove (self->paragraphs_box, child);

  if (self->lesson == NULL)
    {
      gtk_label_set_label (self->title_label, _("No Lesson"));
      gtk_widget_set_visible (GTK_WIDGET (self->explanation_expander), FALSE);
      return;
    }

  gtk_label_set_label (self->title_label, fs_lesson_get_title (self->lesson));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->title_label), fs_lesson_get_title (self->lesson));

  paragraphs = fs_lesson_get_paragraphs (self->lesson);
  for (guint i = 0; paragraphs[i] != NULL; i++)
    {
      GtkWidget *label = gtk_label_new (paragraphs[i]);

      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_selectable (GTK_LABEL (label), TRUE);
      gtk_widget_set_focusable (label, FALSE);
      gtk_widget_add_css_class (label, "fs-lesson-paragraph");
      gtk_box_append (self->paragraphs_box, label);
    }
  /* Expanded or not stays as the learner left it, lesson after lesson. */
  gtk_widget_set_visible (GTK_WIDGET (self->explanation_expander), paragraphs[0] != NULL);
}

/* Actions */

static void
play_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  fs_lesson_panel_play (FS_LESSON_PANEL (widget));
}

static void
step_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  fs_lesson_panel_step (FS_LESSON_PANEL (widget));
}

static void
continue_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  fs_lesson_panel_continue (FS_LESSON_PANEL (widget));
}

static void
restart_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  fs_lesson_panel_restart (FS_LESSON_PANEL (widget));
}

static void
stop_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  fs_lesson_panel_stop (FS_LESSON_PANEL (widget));
}

static void
close_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  g_signal_emit (widget, signals[CLOSE_REQUESTED], 0);
}

/* Public API */

GtkWidget *
fs_lesson_panel_new (void)
{
  return g_object_new (FS_TYPE_LESSON_PANEL, NULL);
}

FsEngine *
fs_lesson_panel_get_engine (FsLessonPanel *self)
{
  g_return_val_if_fail (FS_IS_LESSON_PANEL (self), NULL);
  return self->engine;
}

static void
engine_closed_cb (FsLessonPanel *self,
                  const GError  *error,
                  FsEngine      *engine)
{
  update (self);
}

void
fs_lesson_panel_set_engine (FsLessonPanel *self,
                            FsEngine      *engine)
{
  g_return_if_fail (FS_IS_LESSON_PANEL (self));
  g_return_if_fail (engine == NULL || FS_IS_ENGINE (engine));

  if (self->engine == engine)
    return;

  retire_runner (self);
  reset_run (self);
  set_paused (self, FALSE);
  g_clear_signal_handler (&self->closed_id, self->engine);
  g_set_object (&self->engine, engine);
  if (engine != NULL)
    self->closed_id = g_signal_connect_object (engine, "closed", G_CALLBACK (engine_closed_cb), self,
                                               G_CONNECT_SWAPPED);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENGINE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
  update (self);
}

FsLesson *
fs_lesson_panel_get_lesson (FsLessonPanel *self)
{
  g_return_val_if_fail (FS_IS_LESSON_PANEL (self), NULL);
  return self->lesson;
}

void
fs_lesson_panel_set_lesson (FsLessonPanel *self,
                            FsLesson      *lesson)
{
  g_return_if_fail (FS_IS_LESSON_PANEL (self));
  g_return_if_fail (lesson == NULL || FS_IS_LESSON (lesson));

  if (self->lesson == lesson)
    return;

  retire_runner (self);
  reset_run (self);
  set_paused (self, FALSE);
  g_set_object (&self->lesson, lesson);
  rebuild_explanation (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LESSON]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
  update (self);
}

FsScriptRunner *
fs_lesson_panel_get_runner (FsLessonPanel *self)
{
  g_return_val_if_fail (FS_IS_LESSON_PANEL (self), NULL);
  return self->runner;
}

FsScriptRunnerState
fs_lesson_panel_get_state (FsLessonPanel *self)
{
  g_return_val_if_fail (FS_IS_LESSON_PANEL (self), FS_SCRIPT_RUNNER_READY);

  if (self->runner == NULL)
    return FS_SCRIPT_RUNNER_READY;
  return fs_script_runner_get_state (self->runner);
}

gboolean
fs_lesson_panel_get_paused (FsLessonPanel *self)
{
  g_return_val_if_fail (FS_IS_LESSON_PANEL (self), FALSE);
  return self->paused;
}

const char *
fs_lesson_panel_get_say_text (FsLessonPanel *self)
{
  g_return_val_if_fail (FS_IS_LESSON_PANEL (self), NULL);
  return self->say_text;
}

guint
fs_lesson_panel_get_line (FsLessonPanel *self)
{
  g_return_val_if_fail (FS_IS_LESSON_PANEL (self), 0);
  return self->line;
}

guint
fs_lesson_panel_get_n_passed (FsLessonPanel *self)
{
  g_return_val_if_fail (FS_IS_LESSON_PANEL (self), 0);
  return self->n_passed;
}

guint
fs_lesson_panel_get_n_failed (FsLessonPanel *self)
{
  g_return_val_if_fail (FS_IS_LESSON_PANEL (self), 0);
  return self->n_failed;
}

int
fs_lesson_panel_get_exit_status (FsLessonPanel *self)
{
  g_return_val_if_fail (FS_IS_LESSON_PANEL (self), -1);
  return self->exit_status;
}

void
fs_lesson_panel_play (FsLessonPanel *self)
{
  FsScriptRunnerState state;

  g_return_if_fail (FS_IS_LESSON_PANEL (self));

  if (!can_run (self) || self->restart_pending)
    return;

  state = fs_lesson_panel_get_state (self);
  if (state == FS_SCRIPT_RUNNER_PAUSED)
    fs_lesson_panel_continue (self);
  else if (state == FS_SCRIPT_RUNNER_RUNNING && !self->stopping)
    {
      /* Stepping: go on after the statement running. */
      fs_script_runner_set_step_mode (self->runner, FALSE);
      update (self);
    }
  else if (state == FS_SCRIPT_RUNNER_READY || state == FS_SCRIPT_RUNNER_FINISHED)
    start_run (self, FALSE, FALSE);
}

void
fs_lesson_panel_step (FsLessonPanel *self)
{
  FsScriptRunnerState state;

  g_return_if_fail (FS_IS_LESSON_PANEL (self));

  if (!can_run (self) || self->restart_pending || self->stopping)
    return;

  state = fs_lesson_panel_get_state (self);
  switch (state)
    {
    case FS_SCRIPT_RUNNER_READY:
    case FS_SCRIPT_RUNNER_FINISHED:
      start_run (self, TRUE, TRUE);
      break;

    case FS_SCRIPT_RUNNER_PAUSED:
      fs_script_runner_step (self->runner);
      break;

    case FS_SCRIPT_RUNNER_RUNNING:
      /* While playing: pause once the current statement is done. */
      fs_script_runner_set_step_mode (self->runner, TRUE);
      update (self);
      break;

    case FS_SCRIPT_RUNNER_CLEANING_UP:
    default:
      break;
    }
}

void
fs_lesson_panel_continue (FsLessonPanel *self)
{
  g_return_if_fail (FS_IS_LESSON_PANEL (self));

  if (self->runner == NULL || fs_script_runner_get_state (self->runner) != FS_SCRIPT_RUNNER_PAUSED)
    return;

  fs_script_runner_continue (self->runner);
  update (self);
}

void
fs_lesson_panel_restart (FsLessonPanel *self)
{
  FsScriptRunnerState state;

  g_return_if_fail (FS_IS_LESSON_PANEL (self));

  if (!can_run (self) || self->runner == NULL || self->restart_pending)
    return;

  state = fs_script_runner_get_state (self->runner);
  self->restart_step_mode = fs_script_runner_get_step_mode (self->runner);

  if (state == FS_SCRIPT_RUNNER_FINISHED)
    {
      start_run (self, self->restart_step_mode, FALSE);
      return;
    }

  /* The runner terminates what it started and reports "finished"; only
   * then does the new run begin, so two runs never overlap. */
  self->restart_pending = TRUE;
  self->stopping = TRUE;
  fs_script_runner_stop (self->runner);
  update (self);
}

void
fs_lesson_panel_stop (FsLessonPanel *self)
{
  g_return_if_fail (FS_IS_LESSON_PANEL (self));

  if (self->runner == NULL || self->stopping)
    return;

  switch (fs_script_runner_get_state (self->runner))
    {
    case FS_SCRIPT_RUNNER_RUNNING:
    case FS_SCRIPT_RUNNER_PAUSED:
    case FS_SCRIPT_RUNNER_CLEANING_UP:
      self->stopping = TRUE;
      fs_script_runner_stop (self->runner);
      update (self);
      break;

    case FS_SCRIPT_RUNNER_READY:
    case FS_SCRIPT_RUNNER_FINISHED:
    default:
      break;
    }
}

/* GObject */

static void
fs_lesson_panel_root (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (fs_lesson_panel_parent_class)->root (widget);

  ensure_css (gtk_widget_get_display (widget));
}

static void
fs_lesson_panel_dispose (GObject *object)
{
  FsLessonPanel *self = FS_LESSON_PANEL (object);

  retire_runner (self);
  g_clear_signal_handler (&self->closed_id, self->engine);
  g_clear_object (&self->engine);
  g_clear_object (&self->lesson);

  gtk_widget_dispose_template (GTK_WIDGET (self), FS_TYPE_LESSON_PANEL);

  G_OBJECT_CLASS (fs_lesson_panel_parent_class)->dispose (object);
}

static void
fs_lesson_panel_finalize (GObject *object)
{
  FsLessonPanel *self = FS_LESSON_PANEL (object);

  g_free (self->say_text);
  g_free (self->problem);

  G_OBJECT_CLASS (fs_lesson_panel_parent_class)->finalize (object);
}

static void
fs_lesson_panel_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  FsLessonPanel *self = FS_LESSON_PANEL (object);

  switch (prop_id)
    {
    case PROP_ENGINE:
      g_value_set_object (value, self->engine);
      break;
    case PROP_LESSON:
      g_value_set_object (value, self->lesson);
      break;
    case PROP_STATE:
      g_value_set_int (value, fs_lesson_panel_get_state (self));
      break;
    case PROP_PAUSED:
      g_value_set_boolean (value, self->paused);
      break;
    case PROP_SAY_TEXT:
      g_value_set_string (value, self->say_text);
      break;
    case PROP_N_PASSED:
      g_value_set_uint (value, self->n_passed);
      break;
    case PROP_N_FAILED:
      g_value_set_uint (value, self->n_failed);
      break;
    case PROP_EXIT_STATUS:
      g_value_set_int (value, self->exit_status);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fs_lesson_panel_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  FsLessonPanel *self = FS_LESSON_PANEL (object);

  switch (prop_id)
    {
    case PROP_ENGINE:
      fs_lesson_panel_set_engine (self, g_value_get_object (value));
      break;
    case PROP_LESSON:
      fs_lesson_panel_set_lesson (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
add_shortcut (GtkShortcutController *controller,
              guint                  keyval,
              GdkModifierType        modifiers,
              const char            *action_name)
{
  gtk_shortcut_controller_add_shortcut (controller,
                                        gtk_shortcut_new (gtk_keyval_trigger_new (keyval, modifiers),
                                                          gtk_named_action_new (action_name)));
}

static void
fs_lesson_panel_class_init (FsLessonPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fs_lesson_panel_dispose;
  object_class->finalize = fs_lesson_panel_finalize;
  object_class->get_property = fs_lesson_panel_get_property;
  object_class->set_property = fs_lesson_panel_set_property;
  widget_class->root = fs_lesson_panel_root;

  properties[PROP_ENGINE] =
    g_param_spec_object ("engine", NULL, NULL, FS_TYPE_ENGINE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LESSON] =
    g_param_spec_object ("lesson", NULL, NULL, FS_TYPE_LESSON,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* An FsScriptRunnerState. */
  properties[PROP_STATE] =
    g_param_spec_int ("state", NULL, NULL,
                      FS_SCRIPT_RUNNER_READY, FS_SCRIPT_RUNNER_FINISHED, FS_SCRIPT_RUNNER_READY,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PAUSED] =
    g_param_spec_boolean ("paused", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SAY_TEXT] =
    g_param_spec_string ("say-text", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_PASSED] =
    g_param_spec_uint ("n-passed", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_FAILED] =
    g_param_spec_uint ("n-failed", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_EXIT_STATUS] =
    g_param_spec_int ("exit-status", NULL, NULL, -1, 2, -1,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[EVENT] =
    g_signal_new ("event", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                  FS_TYPE_EVENT | G_SIGNAL_TYPE_STATIC_SCOPE);
  signals[FINISHED] =
    g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT);
  signals[CLOSE_REQUESTED] =
    g_signal_new ("close-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_install_action (widget_class, "lesson.play", NULL, play_action);
  gtk_widget_class_install_action (widget_class, "lesson.step", NULL, step_action);
  gtk_widget_class_install_action (widget_class, "lesson.continue", NULL, continue_action);
  gtk_widget_class_install_action (widget_class, "lesson.restart", NULL, restart_action);
  gtk_widget_class_install_action (widget_class, "lesson.stop", NULL, stop_action);
  gtk_widget_class_install_action (widget_class, "lesson.close", NULL, close_action);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/forkscope/Forkscope/fs-lesson-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, FsLessonPanel, box);
  gtk_widget_class_bind_template_child (widget_class, FsLessonPanel, title_label);
  gtk_widget_class_bind_template_child (widget_class, FsLessonPanel, checks_box);
  gtk_widget_class_bind_template_child (widget_class, FsLessonPanel, passed_box);
  gtk_widget_class_bind_template_child (widget_class, FsLessonPanel, passed_label);
  gtk_widget_class_bind_template_child (widget_class, FsLessonPanel, failed_box);
  gtk_widget_class_bind_template_child (widget_class, FsLessonPanel, failed_label);
  gtk_widget_class_bind_template_child (widget_class, FsLessonPanel, play_button);
  gtk_widget_class_bind_template_child (widget_class, FsLessonPanel, play_content);
  gtk_widget_class_bind_template_child (widget_class, FsLessonPanel, say_box);
  gtk_widget_class_bind_template_child (widget_class, FsLessonPanel, say_icon);
  gtk_widget_class_bind_template_child (widget_class, FsLessonPanel, say_label);
  gtk_widget_class_bind_template_child (widget_class, FsLessonPanel, status_icon);
  gtk_widget_class_bind_template_child (widget_class, FsLessonPanel, status_label);
  gtk_widget_class_bind_template_child (widget_class, FsLessonPanel, line_label);
  gtk_widget_class_bind_template_child (widget_class, FsLessonPanel, statement_label);
  gtk_widget_class_bind_template_child (widget_class, FsLessonPanel, progress_label);
  gtk_widget_class_bind_template_child (widget_class, FsLessonPanel, problem_label);
  gtk_widget_class_bind_template_child (widget_class, FsLessonPanel, explanation_expander);
  gtk_widget_class_bind_template_child (widget_class, FsLessonPanel, paragraphs_box);
  gtk_widget_class_bind_template_child (widget_class, FsLessonPanel, progress_bar);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "fslessonpanel");
}

static void
fs_lesson_panel_init (FsLessonPanel *self)
{
  GtkEventController *shortcuts;

  self->exit_status = -1;

  gtk_widget_init_template (GTK_WIDGET (self));

  /* The player's keys work anywhere in the window, not only with the focus
   * in the panel: a learner watches the tree, not the buttons. */
  shortcuts = gtk_shortcut_controller_new ();
  gtk_shortcut_controller_set_scope (GTK_SHORTCUT_CONTROLLER (shortcuts), GTK_SHORTCUT_SCOPE_MANAGED);
  add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts), GDK_KEY_F5, 0, "lesson.play");
  add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts), GDK_KEY_F6, 0, "lesson.step");
  add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts), GDK_KEY_F5, GDK_SHIFT_MASK, "lesson.stop");
  add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts), GDK_KEY_F5, GDK_CONTROL_MASK, "lesson.restart");
  gtk_widget_add_controller (GTK_WIDGET (self), shortcuts);

  rebuild_explanation (self);
  update (self);
}
