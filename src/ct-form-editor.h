/* ct-form-editor.h — fills in one form (文书) of a case
 *
 * The editor's widgets are generated from the form template: an entry row
 * per text, date, date-time, money and number field, a text view for
 * multi-line text, a switch for yes/no, a combo row for choices, check rows
 * for the case's officers, the party's particulars prefilled from the case,
 * a Sign button for signatures and, for audio-visual clips, a note that the
 * evidence store attaches them.  Required fields are marked (conditional
 * ones as their condition changes), the template's validation is shown at
 * each field, and Save writes the form on a worker thread.  Saved values
 * are loaded back into the widgets.
 */
#pragma once

#include <adwaita.h>

#include "ct-store.h"

G_BEGIN_DECLS

#define CT_TYPE_FORM_EDITOR (ct_form_editor_get_type ())
G_DECLARE_FINAL_TYPE (CtFormEditor, ct_form_editor, CT, FORM_EDITOR, AdwWindow)

/* @tmpl is borrowed from @store's form registry; @c gives the officers
 * and the party. */
CtFormEditor *ct_form_editor_new             (CtStore              *store,
                                              CtSession            *session,
                                              const CtCase         *c,
                                              const CtFormTemplate *tmpl);
const char   *ct_form_editor_get_template_id (CtFormEditor *self);
/* TRUE once the saved values (if any) are loaded into the widgets. */
gboolean      ct_form_editor_get_ready       (CtFormEditor *self);

/* The generated widget of a field: @key is a field id (the entry row,
 * text view, switch, combo row, Sign button, …), "FIELD.MEMBER" for the
 * party's particulars (an entry row; "FIELD.kind" is a combo row) or
 * "FIELD.USERNAME" for an officer's check button.  NULL when unknown. */
GtkWidget    *ct_form_editor_get_widget      (CtFormEditor *self,
                                              const char   *key);
/* The validation problem shown at a field, or NULL. */
const char   *ct_form_editor_get_problem     (CtFormEditor *self,
                                              const char   *field_id);
/* The values as Save would store them (a new reference). */
JsonObject   *ct_form_editor_collect         (CtFormEditor *self);

/* A clip field lists its clips (the medium, the range and its wall-clock
 * times) with a Play button (action editor.play-clip (xxx): medium, in and
 * out ms) that opens the player at the in-point with the marks set.  The
 * @index-th clip's row of @field_id once the store has listed them, else
 * NULL; the player window Play opened last while it is open. */
GtkWidget    *ct_form_editor_get_clip_row    (CtFormEditor *self,
                                              const char   *field_id,
                                              guint         index);
GtkWindow    *ct_form_editor_get_player      (CtFormEditor *self);

G_END_DECLS
