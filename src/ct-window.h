/* ct-window.h — the main window: opening the store, first run, login and cases */
#pragma once

#include <adwaita.h>

#include "ct-application.h"
#include "ct-store.h"

G_BEGIN_DECLS

#define CT_TYPE_WINDOW (ct_window_get_type ())
G_DECLARE_FINAL_TYPE (CtWindow, ct_window, CT, WINDOW, AdwApplicationWindow)

CtWindow   *ct_window_new                 (CtApplication *application);

/* NULL until the store is open / a user is signed in. */
CtStore    *ct_window_get_store           (CtWindow *self);
CtSession  *ct_window_get_session         (CtWindow *self);
/* "loading", "error", "setup", "login" or "main". */
const char *ct_window_get_page            (CtWindow *self);

void        ct_window_present_preferences (CtWindow *self);

G_END_DECLS
