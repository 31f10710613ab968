/* ct-ui-test-util.h — what the widget tests share: starting GTK, waiting on
 * the main loop and screenshots */
#pragma once

#include <gtk/gtk.h>

#include "ct-store.h"

G_BEGIN_DECLS

/* The start of a widget test's main(): the locale, GTK (FALSE, after
 * printing the TAP plan that skips the whole binary, when there is no
 * display), libadwaita, animations off (no cross-fades half way), then
 * g_test_init().  With @as_app also what the application does: the
 * translations from CASETRAIL_LOCALEDIR when it is set, and its style sheet. */
gboolean ct_ui_test_init  (int       *argc,
                           char    ***argv,
                           gboolean   as_app);

/* Saves the 立案审批表 (filing_approval) of demo case 3 as @handler, with a
 * case summary long enough for three printed pages. */
void     ct_ui_test_save_long_filing (CtStore   *store,
                                      CtSession *handler);

/* Iterates the main loop until @cond holds; FALSE after 60 s (ASan runs are
 * slow). */
gboolean ct_ui_wait_until (gboolean (*cond) (gpointer data),
                           gpointer   data);

/* Iterates the main loop until *@count is above @before (a signal counted
 * since); FALSE after 60 s. */
gboolean ct_ui_wait_count (const guint *count,
                           guint        before);

/* Iterates the main loop for @ms, so layout and drawing catch up. */
void     ct_ui_settle     (guint ms);

/* Saves @window as CASETRAIL_SCREENSHOT_DIR/@name.png when that variable is
 * set (for looking at the UI, zh_CN included); does nothing otherwise. */
void     ct_ui_screenshot (GtkWidget  *window,
                           const char *name);

G_END_DECLS
