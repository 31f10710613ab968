/* ct-store-private.h — core-internal entry points of CtStore */
#pragma once

#include "ct-store.h"
#include "ct-db.h"

G_BEGIN_DECLS

struct _CtStore {
  GObject     parent_instance;
  char       *data_dir;
  CtDb       *db;
  GRecMutex   lock;
  CtKdfParams kdf;
  /* The procedure engine's data, loaded on first use (ct-store-procedure.c). */
  struct _CtRuleSet     *rules;
  struct _CtFormRegistry *forms;
  struct _CtCalendar    *calendar;
  char                  *rules_key;   /* the pack stack the rule set was loaded for */
  /* The evidence object store, opened on first use (ct-store-media.c). */
  struct _CtObjectStore *objects;
};

struct _CtSession {
  gatomicrefcount ref_count;
  gint64     user_id;
  char      *username;
  char      *display_name;
  guint      roles;
  gint64     key_id;
  CtKeyPair *key;
};

#define CT_STORE_LOCK(self) \
  g_autoptr(GRecMutexLocker) G_GNUC_UNUSED locker = g_rec_mutex_locker_new (&(self)->lock)

/* Helpers shared by the store's source files; callers hold the lock and,
 * for the writing ones, an open transaction. */
char    *ct_store_detail_json   (const char *first_key, ...) G_GNUC_NULL_TERMINATED;
gboolean ct_store_require_role  (CtSession *session, CtRole role, const char *what, GError **error);
gint64   ct_store_audit         (CtStore *self, CtSession *session, const char *action,
                                 const char *object_type, const char *object_id, gint64 case_id,
                                 const char *detail, GError **error);
gboolean ct_store_add_event     (CtStore *self, CtSession *session, gint64 case_id,
                                 const char *kind, const char *summary, GError **error);
gboolean ct_store_touch_case    (CtStore *self, gint64 case_id, GError **error);
CtCase  *ct_store_read_case     (CtStore *self, const char *id_or_number, GError **error);
/* The procedure (ct-store-procedure.c): records that case @c enters @stage
 * (closing the stage it was at, setting its status); the checklist's
 * blocking requirements as one message, or NULL when none is missing. */
gboolean ct_store_enter_stage   (CtStore *self, CtSession *session, CtCase *c, const char *stage,
                                 GError **error);
char    *ct_store_blocked_message (CtCase *c, GPtrArray *reqs);
/* Sets the media.* facts of a case (ct-store-media.c); the lock is held. */
gboolean ct_store_media_facts   (CtStore *self, gint64 case_id, struct _CtFacts *facts, GError **error);
/* SHA-256s of the case's media that are still in the store, each mapped to
 * its kind ("video", "document", …); the lock is held. */
GHashTable *ct_store_case_media_hashes (CtStore *self, gint64 case_id, GError **error);
/* Frees what ct-store-procedure.c loaded. */
void     ct_store_procedure_clear (CtStore *self);

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

/* Whether an approval's payload still matches the case and the forms it
 * covered (ct-store.c); the lock is held.  What its signature covers is
 * ct_approval_message() (ct-store.h). */
gboolean ct_store_approval_payload_matches (CtStore *self, CtCase *c, const char *payload);

/* Case @case_id (ct_store_read_case() by its number as text). */
CtCase  *ct_store_read_case_by_id (CtStore *self, gint64 case_id, GError **error);
/* Whether the session's user is one of the case's officers. */
gboolean ct_case_has_officer      (CtCase *c, CtSession *session);

G_END_DECLS
