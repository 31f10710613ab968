/* ct-application.h — the Casetrail application */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define CT_TYPE_APPLICATION (ct_application_get_type ())
G_DECLARE_FINAL_TYPE (CtApplication, ct_application, CT, APPLICATION, AdwApplication)

CtApplication *ct_application_new          (void);

/* The application's settings, or NULL when the GSettings schema is not
 * installed (running uninstalled without GSETTINGS_SCHEMA_DIR). */
GSettings     *ct_application_get_settings (CtApplication *self);

/* The settings of the default application when it is a CtApplication;
 * NULL otherwise (in widget tests, or without the schema). */
GSettings     *ct_application_get_default_settings (void);

/* The data folder to open: --data-dir, else $CASETRAIL_DATA_DIR, else the
 * data-directory setting, else the core's default. */
char          *ct_application_dup_data_dir (CtApplication *self);

G_END_DECLS
