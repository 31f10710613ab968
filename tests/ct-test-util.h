/* ct-test-util.h — fixtures shared by the core tests */
#pragma once

#include "ct-store.h"

G_BEGIN_DECLS

/* A fresh temporary data folder; removed by ct_test_remove_dir(). */
char     *ct_test_make_dir   (void);
void      ct_test_remove_dir (const char *path);

/* A store in @dir with cheap Argon2id (tests only), an agency "测试局",
 * and users: admin (admin), h1, h2, h3 (certified handlers), asst
 * (assistant), rev (legal reviewer), sup (supervisor), hsup (certified
 * handler who is also a supervisor).  Every passphrase is "passphrase1". */
#define CT_TEST_PASSPHRASE "passphrase1"
CtStore  *ct_test_store_new  (const char *dir, gboolean national_crypto);

CtSession *ct_test_login     (CtStore *store, const char *username);

/* A general-procedure case opened by h1 with handlers h1 and h2. */
gint64    ct_test_new_case   (CtStore *store, const char *cause);

/* Direct SQL on the store's database file, bypassing the core: for tests
 * that look at or tamper with what the core wrote. */
gint64    ct_test_raw_count  (const char *dir, const char *sql);
void      ct_test_raw_exec   (const char *dir, const char *sql);

G_END_DECLS
