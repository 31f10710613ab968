/* ct-store-private.h — core-internal entry points of CtStore */
#pragma once

#include "ct-store.h"
#include "ct-db.h"

G_BEGIN_DECLS

/* The passphrase policy (at least 8 characters) is skipped when
 * @check_policy is FALSE: only the demo data does that. */
gboolean ct_store_init_agency_full (CtStore          *self,
                                    const char       *agency_name,
                                    const char       *case_number_pattern,
                                    gboolean          national_crypto,
                                    const CtUserSpec *admin,
                                    const char       *admin_passphrase,
                                    gboolean          check_policy,
                                    GError          **error);
gint64   ct_store_add_user_full    (CtStore          *self,
                                    CtSession        *session,
                                    const CtUserSpec *spec,
                                    const char       *passphrase,
                                    gboolean          check_policy,
                                    GError          **error);

/* Moves a case to @stage without the procedure engine's checks, recording
 * the event and the audit row.  Used by the demo data only. */
gboolean ct_store_set_stage_unchecked (CtStore    *self,
                                       CtSession  *session,
                                       gint64      case_id,
                                       const char *stage,
                                       const char *summary,
                                       GError    **error);

G_END_DECLS
