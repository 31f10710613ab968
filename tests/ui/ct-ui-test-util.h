/* ct-ui-test-util.h — what the widget tests share: waiting on the main loop
 * and screenshots */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Iterates the main loop until @cond holds; FALSE after 60 s (ASan runs are
 * slow). */
gboolean ct_ui_wait_until (gboolean (*cond) (gpointer data),
                           gpointer   data);

/* Iterates the main loop for @ms, so layout and drawing catch up. */
void     ct_ui_settle     (guint ms);

/* Saves @window as CASETRAIL_SCREENSHOT_DIR/@name.png when that variable is
 * set (for looking at the UI, zh_CN included); does nothing otherwise. */
void     ct_ui_screenshot (GtkWidget  *window,
                           const char *name);

G_END_DECLS
