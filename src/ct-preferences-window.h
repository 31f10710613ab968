/* ct-preferences-window.h — the data folder and the agency settings */
#pragma once

#include <adwaita.h>

#include "ct-store.h"

G_BEGIN_DECLS

#define CT_TYPE_PREFERENCES_WINDOW (ct_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (CtPreferencesWindow, ct_preferences_window, CT, PREFERENCES_WINDOW, AdwPreferencesWindow)

/* @store and @session may be NULL: the agency settings are then shown
 * insensitive.  @data_dir is the folder in use now. */
CtPreferencesWindow *ct_preferences_window_new (CtStore    *store,
                                                CtSession  *session,
                                                const char *data_dir);

G_END_DECLS
