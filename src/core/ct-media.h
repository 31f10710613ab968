/* ct-media.h — evidence media in the case record
 *
 * Ties the content-addressed object store (ct-objects.h) and the probe
 * helper (ct-probe.h) to the database: every imported file becomes one media
 * record — what it is (hash, size, probe result), whose it is (case,
 * officers, device, category, the classification labels of
 * 004_18ca961c9dc26b05.txt 第十六条) and when it was recorded and stored —
 * written in the same transaction as its audit row.  A failed or cancelled
 * import is audited too.
 *
 * The rule packs' "media" policy (ct_ruleset_get_media_policy) sets the
 * storage limit (001 第二十二条, 002, 003 第十三条: 24 h; 000 第十八条: 2
 * working days), the retention minimums (004 第十一条: patrol ≥ 6 months;
 * 003 第十七条: ≥ 5 years) and what counts as an interruption (001 第十九条).
 *
 * An original is never changed.  It leaves the store only by disposal: after
 * its retention has run out, with no hold on it, signed by a supervisor; the
 * record stays, marked disposed, and a tombstone (hash, size, who, why,
 * signature) goes into the audit chain.
 */
#pragma once

#include <gio/gio.h>

#include "ct-objects.h"
#include "ct-probe.h"
#include "ct-store.h"

G_BEGIN_DECLS

typedef enum {
  CT_MEDIA_CATEGORY_PATROL,     /* 日常巡查 */
  CT_MEDIA_CATEGORY_EVIDENCE,   /* 案件证据 */
} CtMediaCategory;

const char *ct_media_category_to_id   (CtMediaCategory category);   /* "patrol", "evidence" */
gboolean    ct_media_category_from_id (const char *id, CtMediaCategory *out);
const char *ct_media_category_label   (CtMediaCategory category);   /* translated */

/* Why a recording stopped (001_79771f0fef6d4575.txt 第十九条). */
typedef enum {
  CT_INTERRUPTION_DEVICE_FAULT,  /* 设备故障、损坏 */
  CT_INTERRUPTION_BATTERY,       /* 电量不足 */
  CT_INTERRUPTION_STORAGE,       /* 存储空间不足 */
  CT_INTERRUPTION_WEATHER,       /* 天气情况恶劣 */
  CT_INTERRUPTION_OBSTRUCTION,   /* 现场有关人员阻挠 */
  CT_INTERRUPTION_OTHER,         /* 其他 (needs a written explanation) */
} CtInterruptionReason;

const char *ct_interruption_reason_to_id   (CtInterruptionReason reason);
gboolean    ct_interruption_reason_from_id (const char *id, CtInterruptionReason *out);
const char *ct_interruption_reason_label   (CtInterruptionReason reason);  /* translated */

typedef enum {
  CT_MEDIA_KIND_VIDEO,
  CT_MEDIA_KIND_AUDIO,
  CT_MEDIA_KIND_PHOTO,
  CT_MEDIA_KIND_UNKNOWN,    /* the probe could not read it */
  CT_MEDIA_KIND_DOCUMENT,   /* scanned paper: a PDF, or a picture imported as a document */
} CtMediaKind;

/* A scanned paper document (a signed 送达回证, a party's written statement)
 * is evidence like a recording — stored unchanged, hashed, audited — but
 * it is not a recording: it has no recording time of its own (the PDF's
 * creation date is when it was scanned, kept in the probe answer), so the
 * storage limit (late), the interruption check and "unknown recording
 * time" do not apply to it.  Retention does: it follows the category like
 * every medium.  A PDF is always a document; a TIFF is one unless the
 * person says "photo"; a PNG or JPEG is one when the person says so at
 * import (CtMediaSpec.kind = "document") or later (ct_store_update_media). */

const char *ct_media_kind_to_id (CtMediaKind kind);
const char *ct_media_kind_label (CtMediaKind kind);   /* translated */

/* What a person states about a file, at import or later.  NULL members are
 * "not given" (at import) or "leave unchanged" (ct_store_update_media). */
typedef struct {
  const char         *case_ref;     /* case id or number; "" (update) detaches */
  const char * const *officers;     /* usernames of the officers who recorded it */
  const char         *device;       /* 执法记录设备编号 */
  const char         *recorded_at;  /* ISO 8601 with offset; NULL at import: from the file */
  const char         *place;
  const char         *title;        /* 名称 (004 第十六条); default: the file name */
  const char         *party;        /* 案件当事人; default: the case's party */
  const char         *cause;        /* 案由名称; default: the case's cause */
  const char         *category;     /* "patrol" | "evidence"; default: evidence with a case */
  const char         *kind;         /* "document" | "photo" for a picture (a TIFF, PNG, JPEG);
                                     * NULL: from the file (PDF and TIFF: document) */
} CtMediaSpec;

typedef struct {
  gint64      id;
  char       *sha256;
  char       *sm3;              /* NULL unless national cryptography was on */
  guint64     size;
  char       *original_name;    /* the file's name when imported */
  char       *source_path;      /* where it was imported from */
  gint64      case_id;          /* 0: not attached to a case */
  char       *case_number;
  CtMediaCategory category;
  char      **officers;         /* usernames, never NULL */
  char      **officer_names;    /* display names, same order */
  char       *device;
  char       *title;
  char       *party;
  char       *cause;
  char       *place;
  CtMediaKind kind;
  gint64      duration_ms;
  char       *recorded_at;      /* ISO 8601 UTC, NULL when neither file nor person says */
  char       *recorded_at_source; /* "file", "person" or NULL */
  char       *stored_at;        /* when the verified object was recorded */
  char       *imported_by;      /* username */
  char       *imported_by_name; /* their display name */
  char       *probe_status;     /* "ok", "unreadable", "unprobed" */
  char       *probe_reason;     /* why not "ok" */
  char       *probe_json;       /* the helper's answer, or NULL */
  guint       pages;            /* a document's page count (1 for a picture), 0 otherwise */
  /* computed from the pack policy when read */
  char       *storage_due;      /* NULL when recorded_at is unknown */
  gboolean    late;             /* stored after storage_due */
  char       *retain_until;     /* NULL: not yet known (evidence of an open case) or held */
  gboolean    held;             /* a long-term hold (004 第十三条) is on it */
  char       *disposed_at;      /* NULL unless disposed */
  /* provenance of a derived medium (a clip exported from another); all 0
   * or NULL for an original */
  gint64      parent_id;
  char       *parent_sha256;
  char       *parent_name;      /* the parent's original name */
  gint64      clip_start_ms;    /* the range asked for, in the parent's timeline */
  gint64      clip_end_ms;
  gint64      clip_actual_start_ms;  /* the range the copy holds: a stream copy starts */
  gint64      clip_actual_end_ms;    /* at a keyframe, so actual start <= start */
  char       *derive_method;    /* "stream-copy" */
} CtMedia;

void     ct_media_free (CtMedia *media);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CtMedia, ct_media_free)

/* Recording end (recorded_at + duration), NULL when recorded_at is unknown. */
GDateTime *ct_media_recorded_end (const CtMedia *media);

/* ---- finding files ------------------------------------------------------------ */

typedef struct {
  char *path;
  char *reason;   /* translated */
} CtSkippedPath;

void ct_skipped_path_free (CtSkippedPath *skipped);

/* Expands @paths (files, folders, camera cards) into the files to import, in
 * a stable order.  A named file is always taken; in a folder, files with a
 * media extension (MP4 MOV AVI MKV 3GP TS / WAV MP3 AAC M4A AMR / JPG JPEG
 * PNG TIF TIFF / PDF)
 * are taken and the rest listed in @skipped with the reason; hidden files
 * and symbolic links to folders are not followed.  Fails only when a named
 * path does not exist or cannot be read. */
gboolean ct_media_collect_paths (const char * const *paths,
                                 GPtrArray         **files,    /* char* */
                                 GPtrArray         **skipped,  /* CtSkippedPath* */
                                 GError            **error);

/* ---- import ----------------------------------------------------------------------- */

typedef struct {
  CtMedia  *media;            /* the record (an existing one when already_present) */
  gboolean  already_present;  /* the same content was imported before */
} CtMediaImport;

void ct_media_import_free (CtMediaImport *import);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CtMediaImport, ct_media_import_free)

/* The evidence object store under the data directory (opened, and its
 * recovery run, on first use). */
CtObjectStore *ct_store_get_objects (CtStore *self, GError **error);

/* Imports one file: checks @spec first (the case must exist and be editable
 * by @session, the officers must exist), then copies, hashes and verifies
 * the file into the object store (SM3 too when the agency uses national
 * cryptography), probes it, and records it with its audit row in one
 * transaction.  The same content imported again is recognized: the existing
 * record is returned and nothing is stored twice.  A failure is audited
 * ("media.import-failed") and reported with what to do.  @progress runs on
 * the calling thread. */
CtMediaImport *ct_store_import_media (CtStore           *self,
                                      CtSession         *session,
                                      const char        *path,
                                      const CtMediaSpec *spec,
                                      CtImportProgress   progress,
                                      gpointer           user_data,
                                      GCancellable      *cancellable,
                                      GError           **error);

/* Exports [@start_ms, @end_ms) of medium @media_id as a new medium: the
 * probe helper copies the range without re-encoding (a copied video starts
 * at the keyframe at or before @start_ms: the actual range is recorded
 * beside the requested one) into the object store's tmp area, and the copy
 * is imported like any file — hashed while copied, verified, probed — into
 * the same case (evidence), with the parent's officers, device, place and
 * labels, recorded_at = the parent's + the actual start, and its
 * provenance (parent id and SHA-256, both ranges, method).  The record, its
 * provenance and the audit row "media.clip-export" are one transaction; a
 * failure is audited as "media.clip-export-failed".  Whoever may open the
 * parent (ct_store_may_open_media) may export; the parent's object and
 * record are never touched.  Returns the new medium's id, 0 on error.
 * Blocks: call it from a worker thread. */
gint64     ct_store_export_clip (CtStore       *self,
                                 CtSession     *session,
                                 gint64         media_id,
                                 gint64         start_ms,
                                 gint64         end_ms,
                                 GCancellable  *cancellable,
                                 GError       **error);

/* Media of a case (@case_id > 0), or every medium (0), by recording time. */
GPtrArray *ct_store_list_media (CtStore *self, gint64 case_id, GError **error);
/* By id or by SHA-256 (or a unique prefix of at least 8 hex digits). */
CtMedia   *ct_store_get_media  (CtStore *self, const char *ref, GError **error);

/* Changes what a person states about a medium; audited with the old and
 * new values.  The case's handlers, the importer and supervisors may. */
gboolean   ct_store_update_media (CtStore           *self,
                                  CtSession         *session,
                                  gint64             media_id,
                                  const CtMediaSpec *changes,
                                  GError           **error);

/* A PNG still of the medium (a frame of a video, a photo scaled down), at
 * most 320 px wide, made by the probe helper on first use and cached under
 * the data folder as thumbnails/<sha256>.png.  Returns its path;
 * CT_ERROR_NOT_FOUND for media without a picture (audio, unreadable,
 * disposed).  Blocks: call it from a worker thread. */
char      *ct_store_media_thumbnail (CtStore       *self,
                                     const CtMedia *media,
                                     GCancellable  *cancellable,
                                     GError       **error);

/* The player timeline's strip of @n pictures (1–256) spread evenly over a
 * video — the key frame nearest the middle of each n-th — @width pixels
 * wide, made by the probe helper and cached per object hash in the user's
 * cache folder (casetrail/strips/<sha256>/).  Returns the @n paths in
 * order.  CT_ERROR_NOT_FOUND for a recording without pictures. */
GStrv      ct_store_media_strip     (CtStore       *self,
                                     const CtMedia *media,
                                     guint          n,
                                     guint          width,
                                     GCancellable  *cancellable,
                                     GError       **error);

/* ---- interruptions (001 第十九条) ----------------------------------------------------------- */

typedef struct {
  gint64   before_id;       /* the clip that stopped */
  gint64   after_id;        /* the clip that resumed, 0 when recording did not resume */
  char    *officer;         /* whose session */
  char    *device;
  char    *stopped_at;      /* end of the clip before */
  char    *resumed_at;      /* start of the clip after, NULL when it did not resume */
  gint64   gap_seconds;     /* 0 when it did not resume */
  gboolean explained;       /* a reason is recorded (and, where needed, the written explanation) */
  gboolean has_reason;
  CtInterruptionReason reason;
  char    *explanation;
  char    *explained_by;       /* username */
  char    *explained_by_name;  /* display name */
  char    *explained_at;
} CtInterruption;

void ct_interruption_free (CtInterruption *interruption);

/* The gaps within each officer's recording session of a case (clips of one
 * officer and device whose gap is longer than the policy's minimum and
 * shorter than its session break), plus every recorded "did not resume",
 * with their explanations. */
GPtrArray *ct_store_list_interruptions (CtStore *self, gint64 case_id, GError **error);

/* Records why recording stopped after @before_id.  @after_id 0 means it did
 * not resume: then @explanation (the written statement 001 第十九条 asks
 * for) is required, as it is for CT_INTERRUPTION_OTHER. */
gboolean   ct_store_explain_interruption (CtStore             *self,
                                          CtSession           *session,
                                          gint64               before_id,
                                          gint64               after_id,
                                          CtInterruptionReason reason,
                                          const char          *explanation,
                                          GError             **error);

/* ---- retention and disposal ------------------------------------------------------------- */

/* Puts a long-term hold on a medium (004 第十三条: objection, obstruction,
 * mass incident, …) or lifts it (@on FALSE).  Supervisors and the case's
 * handlers may hold; only a supervisor may lift. */
gboolean   ct_store_hold_media    (CtStore    *self,
                                   CtSession  *session,
                                   gint64      media_id,
                                   gboolean    on,
                                   const char *reason,
                                   GError    **error);

/* Disposes of an original whose retention has run out and that has no hold:
 * @session must be a supervisor, who signs the disposal; the object is
 * removed from the store, the record is kept and marked, and the tombstone
 * (hash, size, name, who, why, signature) is audited in the same
 * transaction. */
gboolean   ct_store_dispose_media (CtStore    *self,
                                   CtSession  *session,
                                   gint64      media_id,
                                   const char *reason,
                                   GError    **error);

/* ---- verification ------------------------------------------------------------------------- */

typedef struct {
  guint   n_checked;
  guint   n_bad;        /* hash mismatch */
  guint   n_missing;    /* recorded but not in the store */
  guint   n_unrecorded; /* in the store without a record (whole-store runs only) */
  guint64 bytes;
  double  seconds;
  double  bytes_per_second;
} CtMediaVerifyReport;

/* Per medium checked: @error NULL when it verified. */
typedef void (*CtMediaVerifyFunc) (const char   *sha256,
                                   const CtMedia *media,   /* NULL for an unrecorded object */
                                   const GError *error,
                                   gpointer      user_data);

/* Re-hashes the media of @case_id (0: the whole store, including objects
 * without a record).  @drop_cache reads from the device rather than the
 * page cache.  FALSE with CT_ERROR_INTEGRITY when anything is bad or
 * missing (after checking everything).  The run is audited. */
gboolean   ct_store_verify_media  (CtStore             *self,
                                   CtSession           *session,
                                   gint64               case_id,
                                   gboolean             drop_cache,
                                   CtMediaVerifyFunc    func,
                                   CtVerifyProgress     progress,
                                   gpointer             user_data,
                                   GCancellable        *cancellable,
                                   CtMediaVerifyReport *report,
                                   GError             **error);

G_END_DECLS
