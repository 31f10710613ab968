/* ct-login-page.h — pick a user, enter the passphrase, sign in */
#pragma once

#include <adwaita.h>

#include "ct-store.h"

G_BEGIN_DECLS

#define CT_TYPE_LOGIN_PAGE (ct_login_page_get_type ())
G_DECLARE_FINAL_TYPE (CtLoginPage, ct_login_page, CT, LOGIN_PAGE, AdwBin)

GtkWidget *ct_login_page_new           (void);
/* Loads the users of @store (NULL clears the page).  A successful login
 * emits ::logged-in with the CtSession (borrowed: ref it to keep it). */
void       ct_login_page_set_store     (CtLoginPage *self,
                                        CtStore     *store);
/* Shows that every demo user's passphrase is "demo". */
void       ct_login_page_set_demo_hint (CtLoginPage *self,
                                        gboolean     demo);
/* Selects @username if it is listed; returns whether it is. */
gboolean   ct_login_page_select_user   (CtLoginPage *self,
                                        const char  *username);
/* The selected user name, or NULL. */
const char *ct_login_page_get_selected_user (CtLoginPage *self);
/* TRUE once the user list is loaded. */
gboolean   ct_login_page_get_ready     (CtLoginPage *self);

G_END_DECLS
