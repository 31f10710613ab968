#define G_LOG_DOMAIN "casetrail"

#include "config.h"

#include <glib/gi18n.h>

#include "ct-case-list-page.h"
#include "ct-case-row.h"

struct _CtCaseListPage
{
  AdwBin parent_instance;

  /* template children */
  AdwHeaderBar    *header_bar;
  GtkButton       *new_case_button;
  AdwWindowTitle  *window_title;
  GtkToggleButton *search_button;
  GtkSearchBar    *search_bar;
  GtkSearchEntry  *search_entry;
  GtkStack        *stack;
  GtkSpinner      *spinner;
  GtkListBox      *list_box;
  AdwStatusPage   *error_page;

  CtStore      *store;
  CtSession    *session;
  GCancellable *cancellable;
  guint         n_cases;
  gboolean      loading;
  gboolean      selecting;  /* selecting programmatically: do not show the case again */
  gboolean      folded;
};

G_DEFINE_FINAL_TYPE (CtCaseListPage, ct_case_list_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_FOLDED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

GtkWidget *
ct_case_list_page_new (void)
{
  return g_object_new (CT_TYPE_CASE_LIST_PAGE, NULL);
}

guint
ct_case_list_page_get_n_cases (CtCaseListPage *self)
{
  g_return_val_if_fail (CT_IS_CASE_LIST_PAGE (self), 0);

  return self->n_cases;
}

gboolean
ct_case_list_page_get_loading (CtCaseListPage *self)
{
  g_return_val_if_fail (CT_IS_CASE_LIST_PAGE (self), FALSE);

  return self->loading;
}

static void
clear_rows (CtCaseListPage *self)
{
  GtkWidget *child;

  self->selecting = TRUE;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list_box))) != NULL)
    gtk_list_box_remove (self->list_box, child);
  self->selecting = FALSE;
  self->n_cases = 0;
}

static void
select_case (CtCaseListPage *self,
             gint64          case_id)
{
  self->selecting = TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->list_box));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (CT_IS_CASE_ROW (child) && ct_case_row_get_case_id (CT_CASE_ROW (child)) == case_id)
        {
          gtk_list_box_select_row (self->list_box, GTK_LIST_BOX_ROW (child));
          break;
        }
    }
  self->selecting = FALSE;
}

static gint64
get_selected_case (CtCaseListPage *self)
{
  GtkListBoxRow *row = gtk_list_box_get_selected_row (self->list_box);

  if (row != NULL && CT_IS_CASE_ROW (row))
    return ct_case_row_get_case_id (CT_CASE_ROW (row));

  return 0;
}

typedef struct {
  CtCaseListPage *self;
  gint64          select_id;
  gboolean        searching;
} ReloadData;

static void
reload_data_free (ReloadData *data)
{
  g_clear_object (&data->self);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ReloadData, reload_data_free)

static void
list_cases_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(ReloadData) data = user_data;
  CtCaseListPage *self = data->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) cases = NULL;

  cases = ct_store_list_cases_finish (CT_STORE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->loading = FALSE;
  gtk_spinner_set_spinning (self->spinner, FALSE);
  clear_rows (self);

  if (cases == NULL)
    {
      adw_status_page_set_description (self->error_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "error");
      return;
    }

  for (guint i = 0; i < cases->len; i++)
    gtk_list_box_append (self->list_box, ct_case_row_new (g_ptr_array_index (cases, i)));
  self->n_cases = cases->len;

  if (cases->len == 0)
    gtk_stack_set_visible_child_name (self->stack, data->searching ? "no-results" : "empty");
  else
    gtk_stack_set_visible_child_name (self->stack, "list");

  if (data->select_id != 0)
    select_case (self, data->select_id);
}

void
ct_case_list_page_reload (CtCaseListPage *self,
                          gint64          select_id)
{
  g_autofree char *search = NULL;
  ReloadData *data;

  g_return_if_fail (CT_IS_CASE_LIST_PAGE (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  if (self->store == NULL || self->session == NULL)
    {
      self->loading = FALSE;
      clear_rows (self);
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }

  search = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->search_entry))));

  data = g_new0 (ReloadData, 1);
  data->self = g_object_ref (self);
  data->select_id = select_id != 0 ? select_id : get_selected_case (self);
  data->searching = search[0] != '\0';

  self->loading = TRUE;
  /* Keep the old list on screen while it refreshes; show the spinner only
   * when there is nothing to show. */
  if (self->n_cases == 0)
    {
      gtk_stack_set_visible_child_name (self->stack, "loading");
      gtk_spinner_set_spinning (self->spinner, TRUE);
    }

  ct_store_list_cases_async (self->store, self->session,
                             data->searching ? search : NULL,
                             self->cancellable, list_cases_cb, data);
}

void
ct_case_list_page_set_session (CtCaseListPage *self,
                               CtStore        *store,
                               CtSession      *session)
{
  g_return_if_fail (CT_IS_CASE_LIST_PAGE (self));

  g_set_object (&self->store, store);
  if (self->session != session)
    {
      g_clear_pointer (&self->session, ct_session_unref);
      if (session != NULL)
        self->session = ct_session_ref (session);
    }

  adw_window_title_set_subtitle (self->window_title,
                                 session != NULL ? ct_session_get_display_name (session) : NULL);

  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  gtk_search_bar_set_search_mode (self->search_bar, FALSE);
  clear_rows (self);
  ct_case_list_page_reload (self, 0);
}

void
ct_case_list_page_start_search (CtCaseListPage *self)
{
  g_return_if_fail (CT_IS_CASE_LIST_PAGE (self));

  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

/* ---- callbacks ------------------------------------------------------------------ */

static void
on_search_changed (CtCaseListPage *self)
{
  ct_case_list_page_reload (self, 0);
}

static void
on_stop_search (CtCaseListPage *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  gtk_search_bar_set_search_mode (self->search_bar, FALSE);
}

static void
show_case (CtCaseListPage *self,
           GtkListBoxRow  *row)
{
  if (row == NULL || !CT_IS_CASE_ROW (row))
    return;

  gtk_widget_activate_action (GTK_WIDGET (self), "win.show-case", "x",
                              ct_case_row_get_case_id (CT_CASE_ROW (row)));
}

static void
on_row_selected (CtCaseListPage *self,
                 GtkListBoxRow  *row)
{
  if (!self->selecting)
    show_case (self, row);
}

static void
on_row_activated (CtCaseListPage *self,
                  GtkListBoxRow  *row)
{
  show_case (self, row);
}

static void
reload_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  ct_case_list_page_reload (CT_CASE_LIST_PAGE (widget), 0);
}

/* ---- GObject ------------------------------------------------------------------------ */

static void
ct_case_list_page_set_folded (CtCaseListPage *self,
                              gboolean        folded)
{
  folded = !!folded;
  if (self->folded == folded)
    return;

  self->folded = folded;
  adw_header_bar_set_show_end_title_buttons (self->header_bar, folded);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FOLDED]);
}

static void
ct_case_list_page_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  CtCaseListPage *self = CT_CASE_LIST_PAGE (object);

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
ct_case_list_page_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  CtCaseListPage *self = CT_CASE_LIST_PAGE (object);

  switch (prop_id)
    {
    case PROP_FOLDED:
      ct_case_list_page_set_folded (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ct_case_list_page_dispose (GObject *object)
{
  CtCaseListPage *self = CT_CASE_LIST_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  self->selecting = TRUE;

  gtk_widget_dispose_template (GTK_WIDGET (self), CT_TYPE_CASE_LIST_PAGE);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->session, ct_session_unref);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (ct_case_list_page_parent_class)->dispose (object);
}

static void
ct_case_list_page_class_init (CtCaseListPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ct_case_list_page_dispose;
  object_class->get_property = ct_case_list_page_get_property;
  object_class->set_property = ct_case_list_page_set_property;

  /* Whether the leaflet is folded: the list then shows the window buttons. */
  properties[PROP_FOLDED] =
    g_param_spec_boolean ("folded", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/casetrail/Casetrail/ct-case-list-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CtCaseListPage, header_bar);
  gtk_widget_class_bind_template_child (widget_class, CtCaseListPage, new_case_button);
  gtk_widget_class_bind_template_child (widget_class, CtCaseListPage, window_title);
  gtk_widget_class_bind_template_child (widget_class, CtCaseListPage, search_button);
  gtk_widget_class_bind_template_child (widget_class, CtCaseListPage, search_bar);
  gtk_widget_class_bind_template_child (widget_class, CtCaseListPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, CtCaseListPage, stack);
  gtk_widget_class_bind_template_child (widget_class, CtCaseListPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, CtCaseListPage, list_box);
  gtk_widget_class_bind_template_child (widget_class, CtCaseListPage, error_page);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_stop_search);
  gtk_widget_class_bind_template_callback (widget_class, on_row_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated);

  gtk_widget_class_install_action (widget_class, "cases.reload", NULL, reload_action);
}

static void
ct_case_list_page_init (CtCaseListPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->search_entry));
  gtk_search_bar_set_key_capture_widget (self->search_bar, GTK_WIDGET (self));
  gtk_stack_set_visible_child_name (self->stack, "empty");
}
