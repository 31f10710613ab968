/* ct-crypto.h — hashing, passphrase KDF, signatures and key sealing
 *
 * A thin, GTK-free layer over libgcrypt 1.10.  Algorithms:
 *   - SHA-256 always; SM3 (GB/T 32905) when national cryptography is on.
 *   - Argon2id for passphrases (at least 64 MiB of memory).
 *   - Ed25519 (RFC 8032) signatures by default; SM2 with SM3
 *     (GB/T 32918, distinguishing ID "1234567812345678") as the national
 *     option, byte-compatible with `openssl dgst -sm3 -sigopt distid:…`.
 *   - AES-256-GCM to seal private keys under a passphrase-derived key.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define CT_CRYPTO_ERROR (ct_crypto_error_quark ())

typedef enum {
  CT_CRYPTO_ERROR_FAILED,        /* libgcrypt reported an error */
  CT_CRYPTO_ERROR_BAD_KEY,       /* malformed key material */
  CT_CRYPTO_ERROR_BAD_SIGNATURE, /* signature does not verify */
  CT_CRYPTO_ERROR_DECRYPT,       /* sealed data did not authenticate (wrong key or tampered) */
  CT_CRYPTO_ERROR_UNSUPPORTED,   /* unknown algorithm name */
} CtCryptoError;

GQuark ct_crypto_error_quark (void);

/* Initializes libgcrypt once (thread-safe, idempotent). Every other function
 * calls it itself; callers may call it early to get a clear error. */
gboolean ct_crypto_init (GError **error);

/* ---- hashing ---------------------------------------------------------- */

typedef enum {
  CT_HASH_SHA256,
  CT_HASH_SM3,
} CtHashAlg;

#define CT_HASH_LEN 32

void  ct_hash_buffer (CtHashAlg    alg,
                      const void  *data,
                      gsize        len,
                      guint8       out[CT_HASH_LEN]);
/* Lower-case hex, 64 characters. */
char *ct_hash_hex    (CtHashAlg    alg,
                      const void  *data,
                      gsize        len);
char *ct_hex_encode  (const guint8 *data,
                      gsize         len);
/* Returns NULL on malformed hex. */
GBytes *ct_hex_decode (const char *hex);

/* CRC-32 (ISO 3309, as in zlib) of @data: a cheap check that bytes read
 * back equal bytes written, not a fingerprint (anyone can forge it). */
guint32 ct_crc32 (const void *data, gsize len);

/* Incremental hashing of SHA-256 and, optionally, SM3 in one pass. */
typedef struct _CtHasher CtHasher;
CtHasher *ct_hasher_new    (gboolean with_sm3);
void      ct_hasher_update (CtHasher *hasher, const void *data, gsize len);
/* Either out pointer may be NULL; sm3_out is left untouched without SM3. */
void      ct_hasher_finish (CtHasher *hasher,
                            guint8    sha256_out[CT_HASH_LEN],
                            guint8    sm3_out[CT_HASH_LEN]);
void      ct_hasher_free   (CtHasher *hasher);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CtHasher, ct_hasher_free)

/* Constant-time comparison. */
gboolean ct_memeq (const void *a, const void *b, gsize len);
void     ct_random_bytes (void *buf, gsize len);

/* ---- passphrase KDF ----------------------------------------------------- */

typedef struct {
  guint32 t_cost;       /* iterations */
  guint32 m_cost_kib;   /* memory in KiB; at least 65536 in production */
  guint32 parallelism;  /* lanes */
} CtKdfParams;

/* t=3, m=65536 KiB (64 MiB), p=1 */
void     ct_kdf_params_default (CtKdfParams *params);
gboolean ct_kdf_argon2id       (const char        *passphrase,
                                gsize              passphrase_len,
                                const guint8      *salt,
                                gsize              salt_len,
                                const CtKdfParams *params,
                                guint8            *out,
                                gsize              out_len,
                                GError           **error);

/* The full Argon2id of RFC 9106 with the optional secret K and associated
 * data X.  Casetrail itself never uses K or X; the tests run the RFC 9106
 * section 5.3 vector through it. */
gboolean ct_kdf_argon2id_keyed (const char        *passphrase,
                                gsize              passphrase_len,
                                const guint8      *salt,
                                gsize              salt_len,
                                const guint8      *secret,
                                gsize              secret_len,
                                const guint8      *ad,
                                gsize              ad_len,
                                const CtKdfParams *params,
                                guint8            *out,
                                gsize              out_len,
                                GError           **error);

/* ---- signatures ----------------------------------------------------------- */

typedef enum {
  CT_SIG_ED25519,
  CT_SIG_SM2,
} CtSigAlg;

const char *ct_sig_alg_to_string   (CtSigAlg alg);          /* "ed25519" | "sm2-sm3" */
gboolean    ct_sig_alg_from_string (const char *name,
                                    CtSigAlg   *alg,
                                    GError    **error);

typedef struct _CtKeyPair CtKeyPair;

CtKeyPair *ct_keypair_generate     (CtSigAlg alg, GError **error);
/* secret: Ed25519 the 32-byte seed of RFC 8032; SM2 the 32-byte scalar d. */
CtKeyPair *ct_keypair_from_secret  (CtSigAlg alg,
                                    const guint8 *secret,
                                    gsize secret_len,
                                    GError **error);
CtSigAlg   ct_keypair_get_alg      (CtKeyPair *kp);
/* Ed25519: 32 bytes; SM2: 65 bytes, 0x04 || X || Y. */
GBytes    *ct_keypair_get_public   (CtKeyPair *kp);
/* The secret as accepted by ct_keypair_from_secret(); wipe after use. */
GBytes    *ct_keypair_get_secret   (CtKeyPair *kp);
void       ct_keypair_free         (CtKeyPair *kp);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CtKeyPair, ct_keypair_free)

/* Ed25519: the 64-byte R || S of RFC 8032.
 * SM2: DER SEQUENCE { INTEGER r, INTEGER s } over
 *      e = SM3(Z || msg), Z computed with ID "1234567812345678". */
GBytes  *ct_sign   (CtKeyPair *kp,
                    const void *msg,
                    gsize msg_len,
                    GError **error);
gboolean ct_verify (CtSigAlg alg,
                    GBytes  *public_key,
                    const void *msg,
                    gsize msg_len,
                    GBytes  *signature,
                    GError **error);

/* "SHA256:" followed by the SHA-256 of the raw public key bytes (exactly as
 * ct_keypair_get_public() returns them) as 64 lower-case hex digits in 16
 * space-separated groups of 4 — stable, printed on documents.  86 characters,
 * e.g. for the RFC 8032 TEST 1 key:
 * "SHA256:21fe 31df a154 a261 626b f854 046f d227 1b7b ed4b 6abe 45aa 5887 7ef4 7f97 21b9".
 * alg is not part of the hash (the two key types differ in length anyway). */
char *ct_key_fingerprint (CtSigAlg alg, GBytes *public_key);

/* SubjectPublicKeyInfo PEM ("-----BEGIN PUBLIC KEY-----") for both algorithms,
 * readable by `openssl pkey -pubin`. */
char   *ct_public_key_to_pem   (CtSigAlg alg, GBytes *public_key, GError **error);
/* Parses an SPKI PEM written by OpenSSL; sets *alg. */
GBytes *ct_public_key_from_pem (const char *pem, CtSigAlg *alg, GError **error);

/* ---- sealing ---------------------------------------------------------------- */

/* AES-256-GCM: output is nonce(12) || ciphertext || tag(16). */
GBytes *ct_seal   (const guint8 key[32], const void *plain, gsize len, GError **error);
GBytes *ct_unseal (const guint8 key[32], GBytes *sealed, GError **error);

G_END_DECLS
