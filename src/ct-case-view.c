#define G_LOG_DOMAIN "casetrail"

#include "config.h"

#include <glib/gi18n.h>

#include "ct-async.h"
#include "ct-case-procedure.h"
#include "ct-case-view.h"
#include "ct-dossier.h"
#include "ct-checklist.h"
#include "ct-document-preview.h"
#include "ct-form-editor.h"
#include "ct-format.h"
#include "ct-media-panel.h"
#include "ct-stage-stepper.h"
#include "ct-task.h"
#include "ct-widget-util.h"

struct _CtCaseView
{
  AdwBin parent_instance;

  /* template children */
  AdwToastOverlay      *toast_overlay;
  AdwHeaderBar         *header_bar;
  GtkButton            *back_button;
  GtkButton            *reload_button;
  AdwViewSwitcherTitle *switcher_title;
  AdwViewSwitcherBar   *switcher_bar;
  AdwViewStack         *view_stack;
  GtkStack             *stack;
  GtkSpinner           *spinner;
  AdwStatusPage        *error_page;
  AdwStatusPage        *empty_page;
  GtkLabel             *number_label;
  GtkLabel             *cause_label;
  GtkLabel             *stage_label;
  GtkLabel             *status_label;
  GtkLabel             *deadline_label;
  GtkLabel             *procedure_title_label;
  CtStageStepper       *stepper;
  GtkStack             *procedure_stack;
  GtkSpinner           *procedure_spinner;
  GtkLabel             *procedure_error_label;
  GtkLabel             *checklist_title;
  GtkLabel             *checklist_subtitle;
  CtChecklist          *checklist;
  GtkListBox           *advance_box;
  AdwActionRow         *advance_row;
  GtkWidget            *advance_error_row;
  GtkLabel             *advance_error;
  GtkImage             *advance_icon;             /* built in init */
  GtkBox               *branch_box;
  GtkButton            *show_current_button;
  GtkButton            *advance_button;
  GtkStack             *advance_stack;
  GtkLabel             *advance_button_label;
  GtkSpinner           *advance_spinner;
  AdwPreferencesGroup  *forms_group;
  AdwPreferencesGroup  *approvals_group;
  AdwPreferencesGroup  *facts_group;
  AdwActionRow         *procedure_row;
  AdwActionRow         *cause_row;
  AdwActionRow         *source_row;
  AdwActionRow         *source_detail_row;
  AdwActionRow         *place_row;
  AdwActionRow         *stage_row;
  AdwActionRow         *status_row;
  AdwActionRow         *created_row;
  AdwActionRow         *party_kind_row;
  AdwActionRow         *party_name_row;
  AdwActionRow         *party_id_row;
  AdwActionRow         *party_address_row;
  AdwActionRow         *party_contact_row;
  AdwActionRow         *party_legal_rep_row;
  AdwPreferencesGroup  *officers_group;
  AdwPreferencesGroup  *events_group;
  CtMediaPanel         *media_panel;
  GtkWidget            *archive_button;           /* built in init */

  CtStore         *store;
  CtSession       *session;
  GCancellable    *cancellable;             /* loading the case */
  GCancellable    *procedure_cancellable;   /* loading the procedure */
  CtCase          *current;
  gint64           case_id;                 /* shown or loading */
  GPtrArray       *dynamic_rows;            /* (GtkWidget*, AdwPreferencesGroup*) pairs */
  GPtrArray       *procedure_rows;          /* the same, for forms, approvals and facts */
  gboolean         folded;

  CtCaseProcedure *procedure;
  char            *shown_stage;             /* asked for; NULL: the current stage */
  char            *procedure_error;
  gboolean         loading;                 /* the case or its procedure is on its way */
  gboolean         busy;                    /* a change is being written */
  gboolean         updating;                /* setting widgets from the snapshot */
  CtFormEditor    *editor;                  /* weak */
  guint            n_approve_buttons;
  gboolean         keep_advance_error;      /* the reload after a refused move keeps its message */
  GtkFileChooserNative *archive_chooser;    /* "Save Archived Dossier…", while open */
};

G_DEFINE_FINAL_TYPE (CtCaseView, ct_case_view, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_FOLDED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void update_actions (CtCaseView *self);
static void reload_case (CtCaseView *self);

GtkWidget *
ct_case_view_new (void)
{
  return g_object_new (CT_TYPE_CASE_VIEW, NULL);
}

gint64
ct_case_view_get_case_id (CtCaseView *self)
{
  g_return_val_if_fail (CT_IS_CASE_VIEW (self), 0);

  return self->case_id;
}

const CtCase *
ct_case_view_get_case (CtCaseView *self)
{
  g_return_val_if_fail (CT_IS_CASE_VIEW (self), NULL);

  return self->current;
}

CtCaseProcedure *
ct_case_view_get_procedure (CtCaseView *self)
{
  g_return_val_if_fail (CT_IS_CASE_VIEW (self), NULL);

  return self->procedure;
}

const char *
ct_case_view_get_procedure_error (CtCaseView *self)
{
  g_return_val_if_fail (CT_IS_CASE_VIEW (self), NULL);

  return self->procedure_error;
}

gboolean
ct_case_view_get_busy (CtCaseView *self)
{
  g_return_val_if_fail (CT_IS_CASE_VIEW (self), FALSE);

  return self->loading || self->busy;
}

guint
ct_case_view_get_n_approvals_to_sign (CtCaseView *self)
{
  g_return_val_if_fail (CT_IS_CASE_VIEW (self), 0);

  return self->n_approve_buttons;
}

CtFormEditor *
ct_case_view_get_form_editor (CtCaseView *self)
{
  g_return_val_if_fail (CT_IS_CASE_VIEW (self), NULL);

  return self->editor;
}

static void
toast (CtCaseView *self,
       const char *title)
{
  AdwToast *t = adw_toast_new (title);

  adw_toast_set_timeout (t, 3);
  adw_toast_overlay_add_toast (self->toast_overlay, t);
}

/* ---- who is looking --------------------------------------------------------------------- */

static const CtCaseOfficer *
find_officer (CtCaseView *self)
{
  if (self->current == NULL || self->current->officers == NULL || self->session == NULL)
    return NULL;

  for (guint i = 0; i < self->current->officers->len; i++)
    {
      const CtCaseOfficer *officer = g_ptr_array_index (self->current->officers, i);
      if (officer->user_id == ct_session_get_user_id (self->session))
        return officer;
    }
  return NULL;
}

/* Moves the case on: a certified handler of the case (not an assistant). */
static gboolean
is_handler (CtCaseView *self)
{
  const CtCaseOfficer *officer = find_officer (self);

  return officer != NULL && !officer->assistant && officer->certified;
}

/* Writes forms and facts: its officers, legal reviewers and supervisors. */
static gboolean
can_edit (CtCaseView *self)
{
  if (self->session == NULL || self->current == NULL ||
      g_strcmp0 (self->current->status, "archived") == 0)
    return FALSE;

  return find_officer (self) != NULL ||
         ct_session_has_role (self->session, CT_ROLE_LEGAL_REVIEWER) ||
         ct_session_has_role (self->session, CT_ROLE_SUPERVISOR);
}

/* ---- labels ----------------------------------------------------------------------------- */

static const char *
status_label (const char *status)
{
  if (g_strcmp0 (status, "open") == 0)
    return C_("case status", "Open");
  if (g_strcmp0 (status, "closed") == 0)
    return C_("case status", "Closed");
  if (g_strcmp0 (status, "archived") == 0)
    return C_("case status", "Archived");
  return status != NULL ? status : "";
}

static const char *
stage_name (const char *stage)
{
  return ct_choice_label (ct_case_stages (), stage);
}

/* What an approval is of: a stage, or one of the acts the packs name. */
static const char *
subject_label (const char *subject)
{
  static const struct {
    const char *id;
    const char *label;
  } subjects[] = {
    { "evidence_preservation", N_("Evidence preservation") },
    { "not_filed", N_("Not filing the case") },
    { "measure", N_("Coercive measure") },
    { "supervision_filing", N_("Opening a supervision case") },
    { "referral", N_("Referring the lead to another agency") },
    { "complaint_extension", N_("Extending the complaint's time limit") },
    { "inspection_report", N_("Inspection report") },
    { "penalty_referral", N_("Opening a penalty case from the inspection") },
  };

  if (ct_choice_lookup (ct_case_stages (), subject) != NULL)
    return stage_name (subject);
  for (guint i = 0; i < G_N_ELEMENTS (subjects); i++)
    if (g_strcmp0 (subjects[i].id, subject) == 0)
      return _(subjects[i].label);
  return subject;
}

/* The facts people state about a case, as the rule packs name them. */
static char *
flag_label (const char *flag)
{
  static const struct {
    const char *id;
    const char *label;
  } flags[] = {
    { "complex", N_("The case is complex") },
    { "major", N_("Major case (major public interest or serious violation)") },
    { "hearing_requested", N_("The party requested a hearing") },
    { "legal_review_required", N_("A law requires a legal review") },
    { "court_enforcement", N_("Enforcement is applied for at a court") },
    { "seizure", N_("Property is sealed up or seized") },
    { "correction_ordered", N_("A correction was ordered") },
    { "emergency_start", N_("Started in an emergency, before approval") },
    { "warning_only", N_("The penalty is a warning only") },
    { "fine_amount", N_("Fine in yuan") },
    { "not_accepted", N_("The complaint is not accepted") },
    { "decision_kind", N_("Kind of decision") },
  };
  char *label;

  for (guint i = 0; i < G_N_ELEMENTS (flags); i++)
    if (g_strcmp0 (flags[i].id, flag) == 0)
      return g_strdup (_(flags[i].label));

  /* A flag a newer pack asks about: its name, readable. */
  label = g_strdelimit (g_strdup (flag), "_", ' ');
  if (label[0] != '\0')
    label[0] = g_ascii_toupper (label[0]);
  return label;
}

/* ---- rows built at run time ----------------------------------------------------------------- */

static void
clear_rows (GPtrArray *rows)
{
  for (guint i = 0; i + 1 < rows->len; i += 2)
    adw_preferences_group_remove (g_ptr_array_index (rows, i + 1), g_ptr_array_index (rows, i));
  g_ptr_array_set_size (rows, 0);
}

static void
add_row (GPtrArray           *rows,
         AdwPreferencesGroup *group,
         GtkWidget           *row)
{
  adw_preferences_group_add (group, row);
  g_ptr_array_add (rows, row);
  g_ptr_array_add (rows, group);
}

static GtkWidget *
new_action_row (const char *title,
                const char *subtitle,
                const char *icon_name)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title != NULL ? title : "");
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  if (icon_name != NULL)
    adw_action_row_set_icon_name (ADW_ACTION_ROW (row), icon_name);
  return row;
}

static void
add_dynamic_row (CtCaseView          *self,
                 AdwPreferencesGroup *group,
                 const char          *title,
                 const char          *subtitle,
                 const char          *icon_name)
{
  add_row (self->dynamic_rows, group, new_action_row (title, subtitle, icon_name));
}

static GtkWidget *
new_pill (const char *text,
          const char *style)
{
  GtkWidget *pill = gtk_label_new (text);

  gtk_widget_set_valign (pill, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (pill, "ct-pill");
  if (style != NULL)
    gtk_widget_add_css_class (pill, style);
  return pill;
}

/* ---- the case's details ---------------------------------------------------------------------- */

static void
set_field (AdwActionRow *row,
           const char   *value)
{
  gboolean has_value = value != NULL && value[0] != '\0';

  adw_action_row_set_subtitle (row, has_value ? value : "");
  gtk_widget_set_visible (GTK_WIDGET (row), has_value);
}

static void
show_case (CtCaseView   *self,
           const CtCase *c)
{
  g_autofree char *created = ct_format_timestamp (c->created_at);
  const char *stage = stage_name (c->stage);
  const char *status = status_label (c->status);
  const CtChoice *kind = ct_choice_lookup (ct_party_kinds (), c->party.kind);
  gboolean organization = g_strcmp0 (c->party.kind, "organization") == 0;

  adw_view_switcher_title_set_title (self->switcher_title, c->number);
  adw_view_switcher_title_set_subtitle (self->switcher_title, c->cause);

  gtk_label_set_label (self->number_label, c->number);
  gtk_label_set_label (self->cause_label, c->cause);
  gtk_label_set_label (self->stage_label, stage);
  gtk_label_set_label (self->status_label, status);

  set_field (self->procedure_row, ct_choice_label (ct_procedure_types (), c->procedure));
  set_field (self->cause_row, c->cause);
  set_field (self->source_row, ct_choice_label (ct_case_sources (), c->source));
  set_field (self->source_detail_row, c->source_detail);
  set_field (self->place_row, c->place);
  set_field (self->stage_row, stage);
  set_field (self->status_row, status);
  set_field (self->created_row, created);
  gtk_widget_set_visible (self->archive_button, g_strcmp0 (c->status, "archived") == 0);
  /* An archived case shows the hash of its stored dossier (ct-dossier.h). */
  if (g_strcmp0 (c->status, "archived") == 0 && self->store != NULL)
    {
      g_autoptr(CtCaseArchive) archive = ct_store_get_case_archive (self->store, c->id, NULL);

      if (archive != NULL)
        {
          g_autofree char *with_hash = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                                     "%s · dossier of %u page, SHA-256 %s",
                                                                     "%s · dossier of %u pages, SHA-256 %s",
                                                                     archive->pages),
                                                        status, archive->pages, archive->sha256);
          set_field (self->status_row, with_hash);
        }
    }

  set_field (self->party_kind_row, kind != NULL ? _(kind->label) : c->party.kind);
  set_field (self->party_name_row, c->party.name);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->party_id_row),
                                 organization ? _("Unified social credit code")
                                              : _("ID number"));
  set_field (self->party_id_row, c->party.id_number);
  set_field (self->party_address_row, c->party.address);
  set_field (self->party_contact_row, c->party.contact);
  set_field (self->party_legal_rep_row, organization ? c->party.legal_rep : NULL);

  clear_rows (self->dynamic_rows);

  if (c->officers != NULL && c->officers->len > 0)
    {
      for (guint i = 0; i < c->officers->len; i++)
        {
          const CtCaseOfficer *officer = g_ptr_array_index (c->officers, i);
          g_autofree char *subtitle = NULL;

          if (officer->assistant)
            subtitle = g_strdup (_("Assistant (协助执法人员)"));
          else if (officer->cert_number != NULL && officer->cert_number[0] != '\0')
            /* Translators: %s is a law-enforcement certificate number (执法证号) */
            subtitle = g_strdup_printf (_("Certified officer · certificate %s"), officer->cert_number);
          else
            subtitle = g_strdup (_("Certified officer"));

          add_dynamic_row (self, self->officers_group, officer->display_name, subtitle,
                           officer->assistant ? "avatar-default-symbolic" : "emblem-default-symbolic");
        }
    }
  else
    {
      add_dynamic_row (self, self->officers_group, _("No officers recorded"), NULL, NULL);
    }

  if (c->events != NULL && c->events->len > 0)
    {
      for (guint i = 0; i < c->events->len; i++)
        {
          const CtCaseEvent *event = g_ptr_array_index (c->events, i);
          g_autofree char *at = ct_format_timestamp (event->at);
          g_autofree char *subtitle = NULL;

          if (event->user_name != NULL && event->user_name[0] != '\0')
            /* Translators: "time — user" under an event of the case timeline */
            subtitle = g_strdup_printf (_("%s — %s"), at, event->user_name);
          else
            subtitle = g_steal_pointer (&at);

          add_dynamic_row (self, self->events_group, event->summary, subtitle, NULL);
        }
    }
  else
    {
      add_dynamic_row (self, self->events_group, _("Nothing recorded yet"), NULL, NULL);
    }

  gtk_stack_set_visible_child_name (self->stack, "case");
}

/* ---- the procedure -------------------------------------------------------------------------- */

static void
set_icon_style (GtkImage   *image,
                const char *icon_name,
                const char *style)
{
  static const char * const styles[] = { "error", "warning", "success", "accent", "dim-label", NULL };

  for (guint i = 0; styles[i] != NULL; i++)
    gtk_widget_remove_css_class (GTK_WIDGET (image), styles[i]);
  gtk_image_set_from_icon_name (image, icon_name);
  if (style != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (image), style);
}

static void
show_deadline_pill (CtCaseView *self)
{
  static const char * const styles[] = { "error", "warning", "success", NULL };
  int state;

  if (self->procedure == NULL || !ct_case_procedure_is_showing_current (self->procedure))
    return;

  for (guint i = 0; styles[i] != NULL; i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->deadline_label), styles[i]);

  state = ct_case_procedure_get_deadline_state (self->procedure);
  switch (state)
    {
    case CT_DEADLINE_OK:
      gtk_label_set_label (self->deadline_label, _("Deadlines on time"));
      gtk_widget_add_css_class (GTK_WIDGET (self->deadline_label), "success");
      break;
    case CT_DEADLINE_DUE_SOON:
      gtk_label_set_label (self->deadline_label, _("Deadline due soon"));
      gtk_widget_add_css_class (GTK_WIDGET (self->deadline_label), "warning");
      break;
    case CT_DEADLINE_OVERDUE:
      gtk_label_set_label (self->deadline_label, _("Deadline overdue"));
      gtk_widget_add_css_class (GTK_WIDGET (self->deadline_label), "error");
      break;
    default:
      break;
    }
  gtk_widget_set_visible (GTK_WIDGET (self->deadline_label), state >= 0);
}

static void
show_checklist_header (CtCaseView *self)
{
  CtCaseProcedure *proc = self->procedure;
  const char *shown = ct_case_procedure_get_shown_stage (proc);
  const CtStageInfo *info = ct_case_procedure_lookup_stage (proc, shown);
  g_autofree char *title = NULL;
  const char *subtitle;

  /* Translators: heading of a stage's checklist; %s is the stage */
  title = g_strdup_printf (_("Checklist of “%s”"), stage_name (shown));
  gtk_label_set_label (self->checklist_title, title);

  switch (info != NULL ? info->state : CT_STAGE_CURRENT)
    {
    case CT_STAGE_CURRENT:
      subtitle = _("What must be done before the case leaves this stage, and the rule each item comes from.");
      break;
    case CT_STAGE_DONE:
      subtitle = _("The case has passed this stage; this is how its rules stand now.");
      break;
    case CT_STAGE_UPCOMING:
      subtitle = _("A later stage: what it will ask for.");
      break;
    case CT_STAGE_SKIPPED:
      subtitle = _("This stage does not apply to the case as it is now; its rules are shown for reference.");
      break;
    case CT_STAGE_NOT_TAKEN:
    default:
      subtitle = _("The case did not take this stage; its rules are shown for reference.");
      break;
    }
  gtk_label_set_label (self->checklist_subtitle, subtitle);
}

static void
show_advance (CtCaseView *self)
{
  CtCaseProcedure *proc = self->procedure;
  GPtrArray *branches = ct_case_procedure_get_branches (proc);
  const char *next = ct_case_procedure_get_next_stage (proc);
  guint blocking = ct_case_procedure_count_blocking (proc);
  guint warnings = ct_case_procedure_count_warnings (proc);
  gboolean handler = is_handler (self);
  gboolean showing_current = ct_case_procedure_is_showing_current (proc);
  gboolean open = ct_case_procedure_is_open (proc);
  g_autofree char *text = NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->branch_box))) != NULL)
    gtk_box_remove (self->branch_box, child);

  /* Hidden until there is something to say: an empty wrapping label
   * confuses GTK 4.8's height-for-width measuring. */
  gtk_widget_set_visible (GTK_WIDGET (self->advance_box), TRUE);

  gtk_widget_set_visible (GTK_WIDGET (self->show_current_button), !showing_current);
  gtk_widget_set_visible (GTK_WIDGET (self->advance_button), showing_current && open && next != NULL);

  if (!showing_current)
    {
      text = g_strdup_printf (_("The case is at stage “%s”. Only its checklist decides whether it can move on."),
                              stage_name (ct_case_procedure_get_current_stage (proc)));
      set_icon_style (self->advance_icon, "dialog-information-symbolic", "dim-label");
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->advance_row), text);
      return;
    }

  if (!open)
    {
      text = g_strdup_printf (_("The case is concluded (%s)."), stage_name (ct_case_procedure_get_current_stage (proc)));
      set_icon_style (self->advance_icon, "emblem-ok-symbolic", "success");
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->advance_row), text);
      return;
    }

  if (next != NULL)
    {
      g_autofree char *button = g_strdup_printf (_("Advance to “%s”"), stage_name (next));
      gtk_label_set_label (self->advance_button_label, button);
    }

  if (blocking > 0)
    {
      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "%u requirement above blocks the next step. It is marked “Blocks” and cites the rule it comes from.",
                                           "%u requirements above block the next step. They are marked “Blocks” and cite the rules they come from.",
                                           blocking),
                              blocking);
      set_icon_style (self->advance_icon, "dialog-error-symbolic", "error");
    }
  else if (next == NULL)
    {
      text = g_strdup (_("This is the last stage of the procedure."));
      set_icon_style (self->advance_icon, "emblem-ok-symbolic", "success");
    }
  else if (!handler)
    {
      text = g_strdup (_("Everything this stage requires is done. Only a certified handler of the case moves it to the next stage."));
      set_icon_style (self->advance_icon, "dialog-information-symbolic", "accent");
    }
  else if (warnings > 0)
    {
      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "Ready to move on. %u warning above does not block the step; check it first.",
                                           "Ready to move on. %u warnings above do not block the step; check them first.",
                                           warnings),
                              warnings);
      set_icon_style (self->advance_icon, "dialog-warning-symbolic", "warning");
    }
  else
    {
      text = g_strdup (_("Everything this stage requires is done."));
      set_icon_style (self->advance_icon, "emblem-ok-symbolic", "success");
    }
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->advance_row), text);

  /* Other ways out of the stage (e.g. 不予立案: filing → closed). */
  for (guint i = 0; i < branches->len; i++)
    {
      const CtBranchInfo *branch = g_ptr_array_index (branches, i);
      GtkWidget *button = gtk_button_new_with_label (branch->title);

      /* The action's state would override the button's own sensitivity,
       * so an unavailable branch gets no action at all. */
      if (branch->available)
        {
          gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", branch->to);
          gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "case.take-branch");
          gtk_widget_set_tooltip_text (button, _("Leave this stage this way instead"));
        }
      else
        {
          gtk_widget_set_sensitive (button, FALSE);
          gtk_widget_set_tooltip_text (button, _("Not available yet: the forms and approvals it needs are not complete"));
        }
      gtk_box_append (self->branch_box, button);
    }
}

static void
show_forms (CtCaseView *self)
{
  GPtrArray *forms = ct_case_procedure_get_forms (self->procedure);

  for (guint i = 0; i < forms->len; i++)
    {
      const CtFormInfo *form = g_ptr_array_index (forms, i);
      g_autofree char *status = NULL;
      GtkWidget *row;
      GtkWidget *pill;
      const char *pill_text;
      const char *pill_style;

      if (!form->made)
        {
          status = g_strdup (form->required ? _("Required by the rules · not made yet") : _("Not made yet"));
          pill_text = C_("form", "Not made");
          pill_style = form->required ? "warning" : NULL;
        }
      else if (form->complete)
        {
          status = g_strdup (form->required ? _("Required by the rules · complete") : _("Complete"));
          pill_text = C_("form", "Complete");
          pill_style = "success";
        }
      else
        {
          g_autofree char *missing =
            g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          "%u required field is empty",
                                          "%u required fields are empty", form->n_missing),
                             form->n_missing);
          status = form->required
            /* Translators: "Required by the rules · N required fields are empty" */
            ? g_strdup_printf (_("Required by the rules · %s"), missing)
            : g_steal_pointer (&missing);
          pill_text = C_("form", "Incomplete");
          pill_style = "warning";
        }

      row = new_action_row (form->title, status, "x-office-document-symbolic");
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "case.open-form");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (row), "s", form->id);
      pill = new_pill (pill_text, pill_style);
      if (form->made && self->session != NULL)
        {
          GtkWidget *preview = gtk_button_new_from_icon_name ("document-print-symbolic");
          /* Translators: a button beside a form of the case */
          gtk_widget_set_tooltip_text (preview, _("Preview / Print…"));
          gtk_accessible_update_property (GTK_ACCESSIBLE (preview), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                          _("Preview / Print…"), -1);
          gtk_widget_set_valign (preview, GTK_ALIGN_CENTER);
          gtk_widget_add_css_class (preview, "flat");
          gtk_actionable_set_action_name (GTK_ACTIONABLE (preview), "case.preview-form");
          gtk_actionable_set_action_target (GTK_ACTIONABLE (preview), "s", form->id);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), preview);
        }
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), pill);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
      add_row (self->procedure_rows, self->forms_group, row);
    }

  if (forms->len == 0)
    add_row (self->procedure_rows, self->forms_group,
             new_action_row (_("No form belongs to this stage"), NULL, NULL));
}

static void
show_approvals (CtCaseView *self)
{
  GPtrArray *approvals = ct_case_procedure_get_approvals (self->procedure);
  GPtrArray *needs = ct_case_procedure_get_approval_needs (self->procedure);
  gboolean officer = find_officer (self) != NULL;
  guint n_buttons = 0;

  /* What the user may sign: supervisors and legal reviewers who do not
   * handle the case (separation of duties), for what the shown stage asks. */
  for (guint i = 0; i < needs->len && self->session != NULL && !officer; i++)
    {
      const CtApprovalNeed *need = g_ptr_array_index (needs, i);
      g_autofree char *title = NULL;
      g_autofree char *subtitle = NULL;
      GtkWidget *button;
      GtkWidget *row;

      if (!need->applies || need->satisfied || !ct_case_procedure_is_open (self->procedure) ||
          !ct_session_has_role (self->session, need->role))
        continue;

      /* Translators: a pending approval: "what · role", e.g. "Filing · Supervisor" */
      title = g_strdup_printf (_("%s · %s"), subject_label (need->subject), ct_role_to_label (need->role));
      /* Translators: under a pending approval; %s is the rule that asks for it */
      subtitle = g_strdup_printf (_("Awaiting your signature. Asked for by: %s"), need->title);
      row = new_action_row (title, subtitle, "document-edit-symbolic");
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
      gtk_widget_add_css_class (row, "ct-approve");

      button = gtk_button_new_with_label (need->role == CT_ROLE_LEGAL_REVIEWER ? _("Sign Legal Review")
                                                                              : C_("verb", "Approve"));
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (button, "suggested-action");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "(ss)", need->subject,
                                        ct_role_to_id (need->role));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "case.approve");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
      add_row (self->procedure_rows, self->approvals_group, row);
      n_buttons++;
    }
  self->n_approve_buttons = n_buttons;

  for (guint i = 0; i < approvals->len; i++)
    {
      const CtApproval *approval = g_ptr_array_index (approvals, i);
      g_autofree char *title = NULL;
      g_autofree char *at = ct_format_timestamp (approval->signed_at);
      g_autoptr(GString) subtitle = g_string_new (NULL);
      g_autofree char *alg = g_ascii_strup (approval->alg != NULL ? approval->alg : "", -1);
      CtRole role;
      const char *role_label = ct_role_from_id (approval->role, &role) ? ct_role_to_label (role) : approval->role;
      GtkWidget *icon;
      GtkWidget *row;

      /* Translators: an approval: "what · role", e.g. "Filing · Supervisor" */
      title = g_strdup_printf (_("%s · %s"), subject_label (approval->subject), role_label);
      /* Translators: who signed an approval and when: "name (username), date time" */
      g_string_append_printf (subtitle, _("Signed by %s (%s), %s"),
                              approval->signer_name != NULL ? approval->signer_name : approval->signer,
                              approval->signer, at);
      g_string_append_c (subtitle, '\n');
      /* Translators: the signature algorithm and the signer's key fingerprint */
      g_string_append_printf (subtitle, _("%s · key %s"), alg, approval->fingerprint != NULL ? approval->fingerprint : "");
      if (!approval->valid)
        {
          g_string_append_c (subtitle, '\n');
          /* Translators: why an approval is no longer valid */
          g_string_append_printf (subtitle, _("Invalid: %s"),
                                  approval->invalid_reason != NULL ? approval->invalid_reason : _("the signature does not verify"));
        }

      row = new_action_row (title, subtitle->str, NULL);
      icon = gtk_image_new_from_icon_name (approval->valid ? "emblem-ok-symbolic" : "dialog-error-symbolic");
      gtk_widget_add_css_class (icon, approval->valid ? "success" : "error");
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
      gtk_widget_add_css_class (row, approval->valid ? "ct-valid" : "ct-invalid");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 new_pill (approval->valid ? C_("approval", "Valid") : C_("approval", "Invalid"),
                                           approval->valid ? "success" : "error"));
      add_row (self->procedure_rows, self->approvals_group, row);
    }

  if (approvals->len == 0 && n_buttons == 0)
    add_row (self->procedure_rows, self->approvals_group,
             new_action_row (_("No approval has been signed yet"), NULL, NULL));
}

static void
on_flag_switch (GtkSwitch  *toggle,
                GParamSpec *pspec,
                CtCaseView *self)
{
  const char *flag = g_object_get_data (G_OBJECT (toggle), "flag");

  if (self->updating)
    return;
  gtk_widget_activate_action (GTK_WIDGET (self), "case.set-flag", "(ss)", flag,
                              gtk_switch_get_active (toggle) ? "true" : "false");
}

static void
on_flag_apply (AdwEntryRow *row,
               CtCaseView  *self)
{
  const char *flag = g_object_get_data (G_OBJECT (row), "flag");
  g_autofree char *value = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));

  gtk_widget_activate_action (GTK_WIDGET (self), "case.set-flag", "(ss)", flag, value);
}

static void
show_flags (CtCaseView *self)
{
  GPtrArray *flags = ct_case_procedure_get_flags (self->procedure);
  gboolean editable = can_edit (self);

  self->updating = TRUE;
  for (guint i = 0; i < flags->len; i++)
    {
      const CtFlagInfo *flag = g_ptr_array_index (flags, i);
      g_autofree char *title = flag_label (flag->name);
      g_autoptr(GString) where = g_string_new (NULL);
      GtkWidget *row;

      for (guint s = 0; flag->stages != NULL && flag->stages[s] != NULL; s++)
        {
          if (where->len > 0)
            g_string_append (where, _(", "));
          g_string_append (where, stage_name (flag->stages[s]));
        }

      if (flag->kind == CT_FLAG_BOOLEAN)
        {
          GtkWidget *toggle = gtk_switch_new ();
          g_autofree char *subtitle = where->len > 0
            /* Translators: under a case fact: the stages whose rules ask about it */
            ? g_strdup_printf (_("Matters for: %s"), where->str) : NULL;

          row = new_action_row (title, subtitle, NULL);
          gtk_widget_set_valign (toggle, GTK_ALIGN_CENTER);
          gtk_switch_set_active (GTK_SWITCH (toggle), g_strcmp0 (flag->value, "true") == 0);
          g_object_set_data_full (G_OBJECT (toggle), "flag", g_strdup (flag->name), g_free);
          g_signal_connect_object (toggle, "notify::active", G_CALLBACK (on_flag_switch), self, 0);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), toggle);
          adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), toggle);
        }
      else
        {
          row = adw_entry_row_new ();
          adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
          adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (row), TRUE);
          if (flag->kind == CT_FLAG_NUMBER)
            adw_entry_row_set_input_purpose (ADW_ENTRY_ROW (row), GTK_INPUT_PURPOSE_NUMBER);
          gtk_editable_set_text (GTK_EDITABLE (row), flag->value != NULL ? flag->value : "");
          if (where->len > 0 || flag->values != NULL)
            {
              g_autofree char *values = flag->values != NULL ? g_strjoinv (", ", flag->values) : NULL;
              g_autofree char *tooltip = NULL;

              if (values != NULL)
                /* Translators: tooltip of a case fact: the stages it matters for and the values the rules know */
                tooltip = g_strdup_printf (_("Matters for: %s\nValues the rules know: %s"), where->str, values);
              else
                tooltip = g_strdup_printf (_("Matters for: %s"), where->str);
              gtk_widget_set_tooltip_text (row, tooltip);
            }
          g_signal_connect_object (row, "apply", G_CALLBACK (on_flag_apply), self, 0);
        }

      gtk_widget_set_sensitive (row, editable);
      g_object_set_data_full (G_OBJECT (row), "flag", g_strdup (flag->name), g_free);
      add_row (self->procedure_rows, self->facts_group, row);
    }
  self->updating = FALSE;

  gtk_widget_set_visible (GTK_WIDGET (self->facts_group), flags->len > 0);
}

static void
show_procedure (CtCaseView *self)
{
  CtCaseProcedure *proc = self->procedure;
  g_autofree char *title = NULL;

  /* Translators: above the stage stepper; %s is the procedure, e.g. 行政处罚一般程序 */
  title = g_strdup_printf (_("Procedure: %s"), ct_case_procedure_get_title (proc));
  gtk_label_set_label (self->procedure_title_label, title);
  ct_stage_stepper_set_stages (self->stepper, ct_case_procedure_get_stages (proc),
                               ct_case_procedure_get_shown_stage (proc));
  gtk_widget_set_visible (GTK_WIDGET (self->stepper), TRUE);

  show_checklist_header (self);
  /* A refused move's message stays until the checklist is next read. */
  if (!self->keep_advance_error)
    gtk_widget_set_visible (GTK_WIDGET (self->advance_error), FALSE);
  self->keep_advance_error = FALSE;
  ct_checklist_set_requirements (self->checklist, ct_case_procedure_get_requirements (proc));
  show_advance (self);
  show_deadline_pill (self);

  clear_rows (self->procedure_rows);
  show_forms (self);
  show_approvals (self);
  show_flags (self);

  gtk_stack_set_visible_child_name (self->procedure_stack, "ready");
}

static void
procedure_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(CtCaseView) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(CtCaseProcedure) proc = NULL;

  proc = ct_case_procedure_load_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->loading = FALSE;
  gtk_spinner_set_spinning (self->procedure_spinner, FALSE);
  g_clear_pointer (&self->procedure_error, g_free);

  if (proc == NULL)
    {
      /* Typically the rule packs are not installed: the case is still
       * shown, its procedure says why it cannot be checked. */
      self->procedure_error = g_strdup (error->message);
      g_clear_object (&self->procedure);
      clear_rows (self->procedure_rows);
      ct_stage_stepper_set_stages (self->stepper, NULL, NULL);
      gtk_widget_set_visible (GTK_WIDGET (self->stepper), FALSE);
      gtk_label_set_label (self->procedure_title_label, "");
      gtk_widget_set_visible (GTK_WIDGET (self->deadline_label), FALSE);
      gtk_label_set_label (self->procedure_error_label, error->message);
      gtk_stack_set_visible_child_name (self->procedure_stack, "error");
      update_actions (self);
      return;
    }

  g_set_object (&self->procedure, proc);
  show_procedure (self);
  update_actions (self);
}

static void
load_procedure (CtCaseView *self)
{
  g_cancellable_cancel (self->procedure_cancellable);
  g_clear_object (&self->procedure_cancellable);
  self->procedure_cancellable = g_cancellable_new ();

  if (self->store == NULL || self->case_id == 0)
    return;

  self->loading = TRUE;
  /* Keep what is shown while it refreshes; a spinner only for a new case. */
  if (self->procedure == NULL || ct_case_procedure_get_case_id (self->procedure) != self->case_id)
    {
      g_clear_object (&self->procedure);
      gtk_stack_set_visible_child_name (self->procedure_stack, "loading");
      gtk_spinner_set_spinning (self->procedure_spinner, TRUE);
    }
  update_actions (self);

  ct_case_procedure_load_async (self->store, self->case_id, self->shown_stage,
                                self->procedure_cancellable, procedure_cb, g_object_ref (self));
}

/* ---- loading the case ---------------------------------------------------------------------------- */

static void
get_case_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(CtCaseView) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(CtCase) c = NULL;

  c = ct_store_get_case_finish (CT_STORE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  gtk_spinner_set_spinning (self->spinner, FALSE);

  if (c == NULL)
    {
      self->case_id = 0;  /* allow trying again */
      self->loading = FALSE;
      g_clear_object (&self->procedure);
      adw_view_switcher_title_set_title (self->switcher_title, "");
      adw_view_switcher_title_set_subtitle (self->switcher_title, "");
      adw_status_page_set_description (self->error_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "error");
      update_actions (self);
      return;
    }

  show_case (self, c);
  g_clear_pointer (&self->current, ct_case_free);
  self->current = g_steal_pointer (&c);
  ct_media_panel_set_case (self->media_panel, self->store, self->session, self->current);
  load_procedure (self);
}

static void
start_get_case (CtCaseView *self)
{
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, self->case_id);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_cancellable_cancel (self->procedure_cancellable);

  self->loading = TRUE;
  ct_store_get_case_async (self->store, self->session, id, self->cancellable,
                           get_case_cb, g_object_ref (self));
}

/* Reads the case and its procedure again, keeping what is shown. */
static void
reload_case (CtCaseView *self)
{
  if (self->store == NULL || self->session == NULL || self->case_id == 0)
    return;

  start_get_case (self);
  update_actions (self);
}

void
ct_case_view_load (CtCaseView *self,
                   gint64      case_id)
{
  g_return_if_fail (CT_IS_CASE_VIEW (self));

  if (self->store == NULL || self->session == NULL)
    return;

  /* Already shown or on its way. */
  if (case_id == self->case_id && case_id != 0)
    return;

  g_clear_pointer (&self->current, ct_case_free);
  g_clear_object (&self->procedure);
  g_clear_pointer (&self->shown_stage, g_free);
  g_clear_pointer (&self->procedure_error, g_free);
  gtk_widget_set_visible (GTK_WIDGET (self->advance_error), FALSE);
  self->case_id = case_id;

  gtk_stack_set_visible_child_name (self->stack, "loading");
  gtk_spinner_set_spinning (self->spinner, TRUE);
  adw_view_stack_set_visible_child_name (self->view_stack, "procedure");

  start_get_case (self);
  update_actions (self);
}

/* What the person signed in can do when no case is shown: only handlers
 * open cases (the window's new-case action); reviewers and supervisors
 * have a review queue. */
static const char *
empty_hint (CtSession *session)
{
  if (ct_session_has_role (session, CT_ROLE_HANDLER))
    return _("Choose a case from the list, or open a new one.");
  if (ct_session_has_role (session, CT_ROLES_REVIEW))
    return _("Choose a case from the list, or see what waits for you in the Review Queue of the main menu.");
  return _("Choose a case from the list.");
}

void
ct_case_view_set_session (CtCaseView *self,
                          CtStore    *store,
                          CtSession  *session)
{
  g_return_if_fail (CT_IS_CASE_VIEW (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_cancellable_cancel (self->procedure_cancellable);

  if (self->editor != NULL)
    gtk_window_destroy (GTK_WINDOW (self->editor));

  g_set_object (&self->store, store);
  if (self->session != session)
    {
      g_clear_pointer (&self->session, ct_session_unref);
      if (session != NULL)
        self->session = ct_session_ref (session);
    }
  adw_status_page_set_description (self->empty_page, empty_hint (session));

  g_clear_pointer (&self->current, ct_case_free);
  g_clear_object (&self->procedure);
  g_clear_pointer (&self->shown_stage, g_free);
  g_clear_pointer (&self->procedure_error, g_free);
  self->case_id = 0;
  self->loading = FALSE;
  self->busy = FALSE;
  clear_rows (self->dynamic_rows);
  clear_rows (self->procedure_rows);
  ct_stage_stepper_set_stages (self->stepper, NULL, NULL);
  ct_checklist_set_requirements (self->checklist, NULL);
  ct_media_panel_set_case (self->media_panel, NULL, NULL, NULL);
  adw_view_switcher_title_set_title (self->switcher_title, "");
  adw_view_switcher_title_set_subtitle (self->switcher_title, "");
  gtk_spinner_set_spinning (self->spinner, FALSE);
  gtk_stack_set_visible_child_name (self->stack, "empty");
  update_actions (self);
}

/* ---- actions ------------------------------------------------------------------------------------- */

/* Recordings were imported, edited or explained: the checklist's evidence
 * requirements (stored late, interruptions) follow. */
static void
on_media_changed (CtCaseView *self)
{
  reload_case (self);
}

static void
update_actions (CtCaseView *self)
{
  CtCaseProcedure *proc = self->procedure;
  gboolean have = proc != NULL && self->current != NULL && self->session != NULL;
  gboolean open = have && ct_case_procedure_is_open (proc);
  gboolean current_shown = have && ct_case_procedure_is_showing_current (proc);
  gboolean handler = have && is_handler (self);
  gboolean archived = self->current != NULL && self->session != NULL && self->store != NULL &&
                      g_strcmp0 (self->current->status, "archived") == 0;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "case.advance",
                                 current_shown && open && handler && !self->busy &&
                                 ct_case_procedure_get_next_stage (proc) != NULL &&
                                 ct_case_procedure_count_blocking (proc) == 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "case.take-branch",
                                 current_shown && open && handler && !self->busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "case.approve", open && !self->busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "case.set-flag", have && can_edit (self) && !self->busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "case.open-form", have);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "case.show-stage", have);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "case.show-current-stage", have && !current_shown);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "case.reload",
                                 self->current != NULL || self->procedure_error != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "case.save-archive", archived && !self->busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "case.save-archive-to", archived && !self->busy);
}

static void
set_busy (CtCaseView *self,
          gboolean    busy)
{
  self->busy = busy;
  /* Facts are switches: no second change while the first is written. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->facts_group), !busy);
  gtk_spinner_set_spinning (self->advance_spinner, busy);
  gtk_stack_set_visible_child_name (self->advance_stack, busy ? "busy" : "label");
  update_actions (self);
}

static void
show_stage_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  CtCaseView *self = CT_CASE_VIEW (widget);
  const char *stage = g_variant_get_string (parameter, NULL);

  if (self->procedure == NULL)
    return;

  g_free (self->shown_stage);
  self->shown_stage = g_strcmp0 (stage, ct_case_procedure_get_current_stage (self->procedure)) == 0
                      ? NULL : g_strdup (stage);
  gtk_widget_set_visible (GTK_WIDGET (self->advance_error), FALSE);
  load_procedure (self);
}

static void
show_current_stage_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  CtCaseView *self = CT_CASE_VIEW (widget);

  g_clear_pointer (&self->shown_stage, g_free);
  load_procedure (self);
}

static void
reload_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  reload_case (CT_CASE_VIEW (widget));
}

/* advancing and branches */

static void
advance_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(CtCaseView) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *stage = NULL;
  g_autofree char *message = NULL;

  stage = ct_task_advance_case_finish (CT_STORE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  set_busy (self, FALSE);

  if (stage == NULL)
    {
      /* CT_ERROR_BLOCKED lists each missing requirement with its citation. */
      gtk_label_set_label (self->advance_error, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->advance_error), TRUE);
      self->keep_advance_error = TRUE;
      reload_case (self);
      return;
    }

  gtk_widget_set_visible (GTK_WIDGET (self->advance_error), FALSE);
  /* Translators: a notification; %s is the stage the case moved to */
  message = g_strdup_printf (_("The case moved to “%s”"), stage_name (stage));
  toast (self, message);
  g_clear_pointer (&self->shown_stage, g_free);
  reload_case (self);
}

static void
move_case (CtCaseView *self,
           const char *to)
{
  if (self->current == NULL || self->session == NULL || self->busy)
    return;

  gtk_widget_set_visible (GTK_WIDGET (self->advance_error), FALSE);
  ct_widget_drop_focus (GTK_WIDGET (self->advance_box));
  set_busy (self, TRUE);
  /* Leaving the archive stage is archiving: the dossier is made and stored
   * (every procedure ends archive → archived). */
  if (to == NULL && g_strcmp0 (self->current->stage, "archive") == 0)
    to = "archived";
  ct_task_advance_case_async (self->store, self->session, self->current->id, to,
                              self->cancellable, advance_cb, g_object_ref (self));
}

static void
advance_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  move_case (CT_CASE_VIEW (widget), NULL);
}

static void
on_branch_response (AdwMessageDialog *dialog,
                    const char       *response,
                    CtCaseView       *self)
{
  const char *to = g_object_get_data (G_OBJECT (dialog), "to");

  if (g_strcmp0 (response, "take") == 0)
    move_case (self, to);
}

static void
take_branch_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  CtCaseView *self = CT_CASE_VIEW (widget);
  const char *to = g_variant_get_string (parameter, NULL);
  GPtrArray *branches;
  const CtBranchInfo *branch = NULL;
  GtkWidget *dialog;
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;

  if (self->procedure == NULL)
    return;
  branches = ct_case_procedure_get_branches (self->procedure);
  for (guint i = 0; i < branches->len; i++)
    if (g_strcmp0 (((CtBranchInfo *) g_ptr_array_index (branches, i))->to, to) == 0)
      branch = g_ptr_array_index (branches, i);
  if (branch == NULL)
    return;

  /* Translators: heading of a confirmation; %s is a branch such as 不予立案 */
  heading = g_strdup_printf (_("Take “%s”?"), branch->title);
  body = g_strdup_printf (_("The case moves from “%s” straight to “%s”. This cannot be undone."),
                          stage_name (ct_case_procedure_get_current_stage (self->procedure)),
                          stage_name (branch->to));
  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)), heading, body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "take", _("_Move the Case"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "take", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "to", g_strdup (to), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_branch_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* forms */

static void
on_form_saved (CtFormEditor *editor,
               const char   *template_id,
               CtCaseView   *self)
{
  CtCaseProcedure *proc = self->procedure;
  const CtFormTemplate *tmpl = proc != NULL ? ct_case_procedure_lookup_template (proc, template_id) : NULL;
  g_autofree char *message = NULL;

  /* Translators: a notification; %s is a form's title */
  message = g_strdup_printf (_("“%s” saved"), tmpl != NULL ? ct_form_template_display_title (tmpl) : template_id);
  toast (self, message);
  reload_case (self);
}

static void
open_form_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  CtCaseView *self = CT_CASE_VIEW (widget);
  const char *template_id = g_variant_get_string (parameter, NULL);
  const CtFormTemplate *tmpl;
  GtkRoot *root;

  if (self->procedure == NULL || self->current == NULL)
    return;
  tmpl = ct_case_procedure_lookup_template (self->procedure, template_id);
  if (tmpl == NULL)
    return;

  if (self->editor != NULL)
    {
      if (g_strcmp0 (ct_form_editor_get_template_id (self->editor), template_id) == 0)
        {
          gtk_window_present (GTK_WINDOW (self->editor));
          return;
        }
      gtk_window_destroy (GTK_WINDOW (self->editor));
    }

  self->editor = ct_form_editor_new (self->store, self->session, self->current, tmpl);
  g_object_add_weak_pointer (G_OBJECT (self->editor), (gpointer *) &self->editor);
  root = gtk_widget_get_root (widget);
  if (GTK_IS_WINDOW (root))
    {
      gtk_window_set_transient_for (GTK_WINDOW (self->editor), GTK_WINDOW (root));
      gtk_window_set_application (GTK_WINDOW (self->editor), gtk_window_get_application (GTK_WINDOW (root)));
    }
  gtk_window_set_destroy_with_parent (GTK_WINDOW (self->editor), TRUE);
  g_signal_connect_object (self->editor, "saved", G_CALLBACK (on_form_saved), self, 0);
  gtk_window_present (GTK_WINDOW (self->editor));
}

/* The form as its printed document: preview and print. */
static void
preview_form_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  CtCaseView *self = CT_CASE_VIEW (widget);
  CtDocumentPreview *preview;
  GtkRoot *root;

  if (self->current == NULL || self->session == NULL)
    return;
  preview = ct_document_preview_new (self->store, self->session, self->current->id,
                                     g_variant_get_string (parameter, NULL));
  root = gtk_widget_get_root (widget);
  if (GTK_IS_WINDOW (root))
    {
      gtk_window_set_transient_for (GTK_WINDOW (preview), GTK_WINDOW (root));
      gtk_window_set_application (GTK_WINDOW (preview), gtk_window_get_application (GTK_WINDOW (root)));
    }
  gtk_window_set_destroy_with_parent (GTK_WINDOW (preview), TRUE);
  gtk_window_present (GTK_WINDOW (preview));
}

/* approvals */

static void
show_error_dialog (CtCaseView *self,
                   const char *heading,
                   const char *message)
{
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                              heading, message);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

/* the archived dossier, written out */

typedef struct {
  CtSession *session;
  gint64     case_id;
  char      *path;
} SaveArchiveArgs;

static void
save_archive_args_free (SaveArchiveArgs *args)
{
  ct_session_unref (args->session);
  g_free (args->path);
  g_free (args);
}

static gpointer
save_archive_work (CtAsyncJob  *job,
                   gpointer     source_object,
                   gpointer     data,
                   GError     **error)
{
  SaveArchiveArgs *args = data;
  CtCaseArchive *archive = NULL;

  if (!ct_store_save_case_archive (CT_STORE (source_object), args->session, args->case_id, args->path,
                                   &archive, error))
    return NULL;
  return archive;
}

static void
save_archive_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(CtCaseView) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(CtCaseArchive) archive = ct_async_finish_pointer (object, result, &error);
  SaveArchiveArgs *args = ct_async_get_data (result);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->busy = FALSE;
  update_actions (self);
  if (archive == NULL)
    {
      show_error_dialog (self, _("Could Not Save the Archived Dossier"), error->message);
    }
  else
    {
      g_autofree char *name = g_path_get_basename (args->path);
      g_autofree char *message = NULL;

      /* Translators: %s is a file name */
      message = g_strdup_printf (_("Archived dossier saved as %s, checked against its recorded SHA-256"), name);
      toast (self, message);
    }
}

static void
save_archive_to_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  CtCaseView *self = CT_CASE_VIEW (widget);
  SaveArchiveArgs *args;

  if (self->current == NULL || self->session == NULL || self->store == NULL || self->busy)
    return;

  args = g_new0 (SaveArchiveArgs, 1);
  args->session = ct_session_ref (self->session);
  args->case_id = self->current->id;
  args->path = g_variant_dup_string (parameter, NULL);

  self->busy = TRUE;
  update_actions (self);
  ct_async_run_pointer (ct_async_new (self->store, self->cancellable, save_archive_cb, g_object_ref (self),
                                      save_archive_to_action, args, (GDestroyNotify) save_archive_args_free),
                        save_archive_work, (GDestroyNotify) ct_case_archive_free);
}

static void
save_archive_response (GtkNativeDialog *chooser,
                       int              response,
                       gpointer         user_data)
{
  CtCaseView *self = CT_CASE_VIEW (user_data);

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

      if (path == NULL)
        show_error_dialog (self, _("Could Not Save the Archived Dossier"),
                           _("The place chosen is not a folder on this computer. Choose a local folder or a "
                             "mounted drive."));
      else
        gtk_widget_activate_action (GTK_WIDGET (self), "case.save-archive-to", "s", path);
    }
  gtk_native_dialog_destroy (chooser);
  g_clear_object (&self->archive_chooser);
}

static void
save_archive_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  CtCaseView *self = CT_CASE_VIEW (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autofree char *name = NULL;

  if (self->current == NULL || self->archive_chooser != NULL)
    return;

  self->archive_chooser = gtk_file_chooser_native_new (_("Save Archived Dossier"),
                                                       GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                       GTK_FILE_CHOOSER_ACTION_SAVE,
                                                       _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->archive_chooser), TRUE);
  /* The case number names the file; a path separator in it would not. */
  name = g_strdup_printf ("%s.pdf", self->current->number);
  g_strdelimit (name, "/\\", '-');
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->archive_chooser), name);
  g_signal_connect (self->archive_chooser, "response", G_CALLBACK (save_archive_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->archive_chooser));
}

static void
approve_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(CtCaseView) self = user_data;
  g_autoptr(GError) error = NULL;

  ct_task_approve_as_finish (CT_STORE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  set_busy (self, FALSE);
  if (error != NULL)
    show_error_dialog (self, _("Could Not Sign"), error->message);
  else
    toast (self, _("Approval signed"));
  reload_case (self);
}

static void
on_approve_response (AdwMessageDialog *dialog,
                     const char       *response,
                     CtCaseView       *self)
{
  const char *subject = g_object_get_data (G_OBJECT (dialog), "subject");
  CtRole role = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (dialog), "role"));

  if (g_strcmp0 (response, "sign") != 0 || self->current == NULL || self->session == NULL || self->busy)
    return;

  set_busy (self, TRUE);
  ct_task_approve_as_async (self->store, self->session, self->current->id, subject, role,
                            self->cancellable, approve_cb, g_object_ref (self));
}

static void
approve_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  CtCaseView *self = CT_CASE_VIEW (widget);
  const char *subject = NULL;
  const char *role_id = NULL;
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  GtkWidget *dialog;
  CtRole role;

  g_variant_get (parameter, "(&s&s)", &subject, &role_id);
  if (self->current == NULL || self->session == NULL || !ct_role_from_id (role_id, &role))
    return;

  heading = role == CT_ROLE_LEGAL_REVIEWER
    ? g_strdup (_("Sign the Legal Review?"))
    /* Translators: heading of a confirmation; %s is what is approved, e.g. a stage */
    : g_strdup_printf (_("Approve “%s”?"), subject_label (subject));
  body = g_strdup_printf (_("You sign as %s, with your own key, the record of case %s and its forms as they are now. "
                            "If they change later, this approval becomes invalid."),
                          ct_role_to_label (role), self->current->number);
  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)), heading, body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "sign", _("_Sign"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "sign", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "sign");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "subject", g_strdup (subject), g_free);
  g_object_set_data (G_OBJECT (dialog), "role", GUINT_TO_POINTER (role));
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_approve_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* facts */

static void
set_flag_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(CtCaseView) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!ct_task_set_flag_finish (CT_STORE (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      toast (self, error->message);
    }

  set_busy (self, FALSE);
  reload_case (self);
}

static void
set_flag_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  CtCaseView *self = CT_CASE_VIEW (widget);
  const char *flag = NULL;
  const char *value = NULL;

  g_variant_get (parameter, "(&s&s)", &flag, &value);
  if (self->current == NULL || self->session == NULL || self->busy)
    return;

  set_busy (self, TRUE);
  ct_task_set_flag_async (self->store, self->session, self->current->id, flag,
                          value[0] != '\0' ? value : NULL,
                          self->cancellable, set_flag_cb, g_object_ref (self));
}

/* ---- GObject ------------------------------------------------------------------------ */

static void
ct_case_view_set_folded (CtCaseView *self,
                         gboolean    folded)
{
  folded = !!folded;
  if (self->folded == folded)
    return;

  self->folded = folded;
  gtk_widget_set_visible (GTK_WIDGET (self->back_button), folded);
  adw_header_bar_set_show_start_title_buttons (self->header_bar, folded);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FOLDED]);
}

static void
ct_case_view_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  CtCaseView *self = CT_CASE_VIEW (object);

  switch (prop_id)
    {
    case PROP_FOLDED:
      g_value_set_boolean (value, self->folded);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ct_case_view_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  CtCaseView *self = CT_CASE_VIEW (object);

  switch (prop_id)
    {
    case PROP_FOLDED:
      ct_case_view_set_folded (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ct_case_view_dispose (GObject *object)
{
  CtCaseView *self = CT_CASE_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->procedure_cancellable);
  self->updating = TRUE;
  if (self->archive_chooser != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->archive_chooser, self);
      gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->archive_chooser));
      g_clear_object (&self->archive_chooser);
    }
  if (self->editor != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (self->editor), (gpointer *) &self->editor);
      gtk_window_destroy (GTK_WINDOW (self->editor));
      self->editor = NULL;
    }
  g_ptr_array_set_size (self->dynamic_rows, 0);
  g_ptr_array_set_size (self->procedure_rows, 0);

  /* The bin's child is a template child: unparent it through the bin, so
   * AdwBin does not unparent it again once the template has. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), CT_TYPE_CASE_VIEW);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->procedure_cancellable);
  g_clear_pointer (&self->session, ct_session_unref);
  g_clear_object (&self->store);
  g_clear_object (&self->procedure);
  g_clear_pointer (&self->current, ct_case_free);

  G_OBJECT_CLASS (ct_case_view_parent_class)->dispose (object);
}

static void
ct_case_view_finalize (GObject *object)
{
  CtCaseView *self = CT_CASE_VIEW (object);

  g_clear_pointer (&self->dynamic_rows, g_ptr_array_unref);
  g_clear_pointer (&self->procedure_rows, g_ptr_array_unref);
  g_clear_pointer (&self->shown_stage, g_free);
  g_clear_pointer (&self->procedure_error, g_free);

  G_OBJECT_CLASS (ct_case_view_parent_class)->finalize (object);
}

static void
ct_case_view_class_init (CtCaseViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ct_case_view_dispose;
  object_class->finalize = ct_case_view_finalize;
  object_class->get_property = ct_case_view_get_property;
  object_class->set_property = ct_case_view_set_property;

  /* Whether the leaflet is folded: the view then has a back button and the
   * window buttons at the start. */
  properties[PROP_FOLDED] =
    g_param_spec_boolean ("folded", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (CT_TYPE_STAGE_STEPPER);
  g_type_ensure (CT_TYPE_CHECKLIST);
  g_type_ensure (CT_TYPE_MEDIA_PANEL);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/casetrail/Casetrail/ct-case-view.ui");
  gtk_widget_class_bind_template_child (widget_class, CtCaseView, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, CtCaseView, header_bar);
  gtk_widget_class_bind_template_child (widget_class, CtCaseView, back_button);
  gtk_widget_class_bind_template_child (widget_class, CtCaseView, reload_button);
  gtk_widget_class_bind_template_child (widget_class, CtCaseView, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, CtCaseView, switcher_bar);
  gtk_widget_class_bind_template_child (widget_class, CtCaseView, view_stack);
  gtk_widget_class_bind_template_child (widget_class, CtCaseView, stack);
  gtk_widget_class_bind_template_child (widget_class, CtCaseView, spinner);
  gtk_widget_class_bind_template_child (widget_class, CtCaseView, error_page);
  gtk_widget_class_bind_template_child (widget_class, CtCaseView, empty_page);
  gtk_widget_class_bind_template_child (widget_class, CtCaseView, number_label);
  gtk_widget_class_bind_template_child (widget_class, CtCaseView, cause_label);
  gtk_widget_class_bind_template_child (widget_class, CtCaseView, stage_label);
  gtk_widget_class_bind_template_child (widget_class, CtCaseView, status_label);
  gtk_widget_class_bind_template_child (widget_class, CtCaseView, deadline_label);
  gtk_widget_class_bind_template_child (widget_class, CtCaseView, procedure_title_label);
  gtk_widget_class_bind_template_child (widget_class, CtCaseView, stepper);
  gtk_widget_class_bind_template_child (widget_class, CtCaseView, procedure_stack);
  gtk_widget_class_bind_template_child (widget_class, CtCaseView, procedure_spinner);
  gtk_widget_class_bind_template_child (widget_class, CtCaseView, procedure_error_label);
  gtk_widget_class_bind_template_child (widget_class, CtCaseView, checklist_title);
  gtk_widget_class_bind_template_child (widget_class, CtCaseView, checklist_subtitle);
  gtk_widget_class_bind_template_child (widget_class, CtCaseView, checklist);
  gtk_widget_class_bind_template_child (widget_class, CtCaseView, advance_box);
  gtk_widget_class_bind_template_child (widget_class, CtCaseView, advance_row);
  gtk_widget_class_bind_template_child (widget_class, CtCaseView, advance_error_row);
  gtk_widget_class_bind_template_child (widget_class, CtCaseView, advance_error);
  gtk_widget_class_bind_template_child (widget_class, CtCaseView, branch_box);
  gtk_widget_class_bind_template_child (widget_class, CtCaseView, show_current_button);
  gtk_widget_class_bind_template_child (widget_class, CtCaseView, advance_button);
  gtk_widget_class_bind_template_child (widget_class, CtCaseView, advance_stack);
  gtk_widget_class_bind_template_child (widget_class, CtCaseView, advance_button_label);
  gtk_widget_class_bind_template_child (widget_class, CtCaseView, advance_spinner);
  gtk_widget_class_bind_template_child (widget_class, CtCaseView, forms_group);
  gtk_widget_class_bind_template_child (widget_class, CtCaseView, approvals_group);
  gtk_widget_class_bind_template_child (widget_class, CtCaseView, facts_group);
  gtk_widget_class_bind_template_child (widget_class, CtCaseView, procedure_row);
  gtk_widget_class_bind_template_child (widget_class, CtCaseView, cause_row);
  gtk_widget_class_bind_template_child (widget_class, CtCaseView, source_row);
  gtk_widget_class_bind_template_child (widget_class, CtCaseView, source_detail_row);
  gtk_widget_class_bind_template_child (widget_class, CtCaseView, place_row);
  gtk_widget_class_bind_template_child (widget_class, CtCaseView, stage_row);
  gtk_widget_class_bind_template_child (widget_class, CtCaseView, status_row);
  gtk_widget_class_bind_template_child (widget_class, CtCaseView, created_row);
  gtk_widget_class_bind_template_child (widget_class, CtCaseView, party_kind_row);
  gtk_widget_class_bind_template_child (widget_class, CtCaseView, party_name_row);
  gtk_widget_class_bind_template_child (widget_class, CtCaseView, party_id_row);
  gtk_widget_class_bind_template_child (widget_class, CtCaseView, party_address_row);
  gtk_widget_class_bind_template_child (widget_class, CtCaseView, party_contact_row);
  gtk_widget_class_bind_template_child (widget_class, CtCaseView, party_legal_rep_row);
  gtk_widget_class_bind_template_child (widget_class, CtCaseView, officers_group);
  gtk_widget_class_bind_template_child (widget_class, CtCaseView, events_group);
  gtk_widget_class_bind_template_child (widget_class, CtCaseView, media_panel);
  gtk_widget_class_bind_template_callback (widget_class, on_media_changed);

  gtk_widget_class_install_action (widget_class, "case.show-stage", "s", show_stage_action);
  gtk_widget_class_install_action (widget_class, "case.show-current-stage", NULL, show_current_stage_action);
  gtk_widget_class_install_action (widget_class, "case.advance", NULL, advance_action);
  gtk_widget_class_install_action (widget_class, "case.take-branch", "s", take_branch_action);
  gtk_widget_class_install_action (widget_class, "case.open-form", "s", open_form_action);
  gtk_widget_class_install_action (widget_class, "case.preview-form", "s", preview_form_action);
  gtk_widget_class_install_action (widget_class, "case.approve", "(ss)", approve_action);
  gtk_widget_class_install_action (widget_class, "case.set-flag", "(ss)", set_flag_action);
  gtk_widget_class_install_action (widget_class, "case.reload", NULL, reload_action);
  gtk_widget_class_install_action (widget_class, "case.save-archive", NULL, save_archive_action);
  gtk_widget_class_install_action (widget_class, "case.save-archive-to", "s", save_archive_to_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "case.reload", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "case.reload", NULL);
}

static void
ct_case_view_init (CtCaseView *self)
{
  self->dynamic_rows = g_ptr_array_new ();
  self->procedure_rows = g_ptr_array_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->procedure_cancellable = g_cancellable_new ();
  self->advance_icon = GTK_IMAGE (gtk_image_new ());
  gtk_widget_set_valign (GTK_WIDGET (self->advance_icon), GTK_ALIGN_CENTER);
  adw_action_row_add_prefix (self->advance_row, GTK_WIDGET (self->advance_icon));
  g_object_bind_property (self->advance_error_row, "visible",
                          self->advance_error, "visible",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->switcher_title, "title-visible",
                          self->switcher_bar, "reveal",
                          G_BINDING_SYNC_CREATE);
  self->archive_button = gtk_button_new_with_mnemonic (_("_Save Archived Dossier…"));
  gtk_widget_set_valign (self->archive_button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (self->archive_button,
                               _("Write the dossier stored when the case was archived to a PDF file, checked "
                                 "against its recorded SHA-256 first"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->archive_button), "case.save-archive");
  gtk_widget_set_visible (self->archive_button, FALSE);
  adw_action_row_add_suffix (self->status_row, self->archive_button);
  gtk_stack_set_visible_child_name (self->stack, "empty");
  update_actions (self);
}
