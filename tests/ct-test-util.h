/* ct-test-util.h — fixtures shared by the core tests */
#pragma once

#include "ct-store.h"

G_BEGIN_DECLS

/* A fresh temporary data folder; removed by ct_test_remove_dir(), which
 * makes files and folders writable first (tests make some read-only) and
 * never follows a link. */
char     *ct_test_make_dir   (void);
void      ct_test_remove_dir (const char *path);

/* The store in @dir opened with the cheapest Argon2id the core allows:
 * at production cost every test user would take 64 MiB and a third of a
 * second.  Nothing is set up in it. */
CtStore  *ct_test_store_open_cheap (const char *dir);

/* The same with the demo data loaded (ct_store_load_demo(): its users'
 * passphrase is CT_DEMO_PASSPHRASE). */
CtStore  *ct_test_demo_store_new   (const char *dir);

/* A store in @dir with cheap Argon2id (tests only), an agency "测试局",
 * and users: admin (admin), h1, h2, h3 (certified handlers), asst
 * (assistant), rev (legal reviewer), sup (supervisor), hsup (certified
 * handler who is also a supervisor).  Every passphrase is "passphrase1". */
#define CT_TEST_PASSPHRASE "passphrase1"
CtStore  *ct_test_store_new  (const char *dir, gboolean national_crypto);

CtSession *ct_test_login     (CtStore *store, const char *username);

/* A general-procedure case opened by h1 with handlers h1 and h2. */
gint64    ct_test_new_case   (CtStore *store, const char *cause);

/* The core's clock (ct_db_set_clock()) reads @iso from now on, until
 * ct_test_clock_reset() gives it back the real time. */
void      ct_test_set_now     (const char *iso);
void      ct_test_clock_reset (void);

/* A paragraph of an investigation report (about 110 characters). */
extern const char ct_test_paragraph[];

/* How ct_test_form_values() fills each type of field. */
typedef struct {
  const char *const *texts;      /* a text field at index i of the template gets texts[i % n_texts] */
  guint              n_texts;
  guint              long_repeat;  /* the first multiline field: ct_test_paragraph this many times */
  const char        *multiline;    /* the other multiline fields */
  const char        *date;
  const char        *datetime;
  gboolean           party_details;  /* the party's ID number, legal representative and address */
  const char        *officers[2];
  const char        *first_signer; /* the first signature; the others are by @signer */
  const char        *signer;
  const char        *signed_at;
  gboolean           attachments;  /* clip and scan fields get a value; else they are left empty */
} CtTestFormFill;

/* A value for every field of @tmpl (money 5000.50, number 48, the first
 * choice, booleans TRUE, as many signatures as the field needs), the rest
 * as @fill says. */
JsonObject *ct_test_form_values (const CtFormTemplate *tmpl,
                                 const CtTestFormFill *fill);

/* Imports @path into case @case_id as @session, with officer h1, @device
 * and @recorded_at; the new medium's id. */
gint64    ct_test_import_media (CtStore    *store,
                                CtSession  *session,
                                gint64      case_id,
                                const char *path,
                                const char *device,
                                const char *recorded_at);

/* Direct SQL on the store's database file, bypassing the core: for tests
 * that look at or tamper with what the core wrote. */
gint64    ct_test_raw_count  (const char *dir, const char *sql);
void      ct_test_raw_exec   (const char *dir, const char *sql);

G_END_DECLS
