/* ct-review.h — who may open footage, and legal-review annotations on it
 *
 * Opening or playing a medium is audited, and only the people the
 * regulations let see it may (004_18ca961c9dc26b05.txt 第十五条: 未经批准，
 * 不得查阅): the officers of its case, legal reviewers and supervisors; for
 * footage without a case, whoever imported it, supervisors and the records
 * officer.
 *
 * Legal-review staff annotate a point or a range of a recording with a
 * result code from a controlled list and a text.  Annotations are never
 * edited: a wrong one is withdrawn (audited, kept) and a new one made.  They
 * export as CSV and JSON with offsets and the wall-clock time of the
 * recording (recorded-at + offset, China time).
 */
#pragma once

#include <gio/gio.h>

#include "ct-media.h"
#include "ct-store.h"

G_BEGIN_DECLS

typedef enum {
  CT_REVIEW_COMPLIANT,               /* 合规 */
  CT_REVIEW_NOT_ANNOUNCED,           /* 未告知正在录音录像 */
  CT_REVIEW_LATE_START,              /* 开始记录过晚 */
  CT_REVIEW_EARLY_STOP,              /* 提前结束记录 */
  CT_REVIEW_UNEXPLAINED_INTERRUPTION,/* 中断未说明 */
  CT_REVIEW_CERTIFICATE_NOT_SHOWN,   /* 未出示执法证件 */
  CT_REVIEW_OTHER,                   /* 其他 */
} CtReviewCode;

const char *ct_review_code_to_id   (CtReviewCode code);  /* "compliant", "not-announced", … */
gboolean    ct_review_code_from_id (const char *id, CtReviewCode *out);
const char *ct_review_code_label   (CtReviewCode code);  /* translated */
const char *ct_review_code_zh      (CtReviewCode code);  /* the Chinese term, for exports */

/* Whether @session may open @media (no audit, for showing or hiding
 * buttons). */
gboolean   ct_store_may_open_media (CtStore       *self,
                                    CtSession     *session,
                                    const CtMedia *media,
                                    GError       **error);

/* Checks the permission, audits the opening ("media.open", or "media.play"
 * when @play) and returns the path of the read-only original. */
char      *ct_store_open_media     (CtStore    *self,
                                    CtSession  *session,
                                    gint64      media_id,
                                    gboolean    play,
                                    GError    **error);

typedef struct {
  gint64       id;
  gint64       media_id;
  char        *media_name;
  char        *sha256;
  gint64       case_id;
  char        *case_number;
  gint64       start_ms;
  gint64       end_ms;        /* -1 for a point */
  CtReviewCode code;
  char        *text;
  char        *author;        /* username */
  char        *author_name;
  char        *created_at;
  char        *start_wall;    /* recorded-at + start, ISO 8601 +08:00; NULL when the recording time is unknown */
  char        *end_wall;      /* likewise for the end; NULL for a point */
  char        *withdrawn_at;  /* NULL unless withdrawn */
  char        *withdrawn_by;
  char        *withdraw_reason;
} CtAnnotation;

void ct_annotation_free (CtAnnotation *annotation);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CtAnnotation, ct_annotation_free)

/* A legal reviewer or supervisor who may open the medium annotates a point
 * (@end_ms -1) or a range within the recording; "other" needs a text.
 * Returns the new annotation's id, 0 on error.  Audited. */
gint64     ct_store_annotate        (CtStore      *self,
                                     CtSession    *session,
                                     gint64        media_id,
                                     gint64        start_ms,
                                     gint64        end_ms,
                                     CtReviewCode  code,
                                     const char   *text,
                                     GError      **error);

/* Its author (or a supervisor) withdraws an annotation, saying why. */
gboolean   ct_store_withdraw_annotation (CtStore    *self,
                                         CtSession  *session,
                                         gint64      annotation_id,
                                         const char *reason,
                                         GError    **error);

typedef struct {
  gint64        media_id;     /* 0: any */
  gint64        case_id;      /* 0: any */
  gboolean      has_code;
  CtReviewCode  code;
  const char   *author;       /* username, NULL: any */
  gboolean      include_withdrawn;
} CtAnnotationFilter;

/* In recording order (medium, then start). */
GPtrArray *ct_store_list_annotations (CtStore                  *self,
                                      const CtAnnotationFilter *filter,
                                      GError                  **error);

/* CSV (RFC 4180, UTF-8 with a header row) and JSON (an array) of @list. */
char      *ct_annotations_to_csv     (GPtrArray *list);
char      *ct_annotations_to_json    (GPtrArray *list);

/* "00:01:02.345" */
char      *ct_format_offset          (gint64 ms);
/* Reads "1:02:03.456", "02:03.5", "123.25" or "123" (seconds) into ms. */
gboolean   ct_parse_offset           (const char *text, gint64 *ms);

/* Attaches the range [@start_ms, @end_ms) of medium @media_id as a clip to
 * the clip field @field_id of form @template_id of the medium's case (the
 * form is made when missing; a field holding clips gets one more, the same
 * range twice is refused).  The form is saved through ct_store_save_form,
 * validated and audited, so an av-record requirement on the field is met.
 * @label may be NULL. */
gboolean   ct_store_attach_clip      (CtStore    *self,
                                      CtSession  *session,
                                      gint64      media_id,
                                      const char *template_id,
                                      const char *field_id,
                                      gint64      start_ms,
                                      gint64      end_ms,
                                      const char *label,
                                      GError    **error);

/* Attaches the scanned document @media_id (a "document" medium: a signed
 * receipt, a party's written statement) to the scan field @field_id of form
 * @template_id of the medium's case, like ct_store_attach_clip: the form is
 * made when missing, a field gets one more entry, the same document twice
 * is refused; saved through ct_store_save_form, validated and audited.
 * @pages ("1-2,4", within the document's page count) and @label may be
 * NULL. */
gboolean   ct_store_attach_scan      (CtStore    *self,
                                      CtSession  *session,
                                      gint64      media_id,
                                      const char *template_id,
                                      const char *field_id,
                                      const char *pages,
                                      const char *label,
                                      GError    **error);

/* A clip attached to a clip field of one of a case's forms. */
typedef struct {
  char   *template_id;
  char   *form_title;   /* the form's title in the UI's language */
  char   *field_id;
  char   *field_label;  /* likewise */
  guint   index;        /* the clip's place in the field, from 0 */
  char   *sha256;       /* the medium the form names */
  gint64  media_id;     /* 0 when the store holds no medium with that hash */
  char   *media_name;   /* its title, else its file name; the hash when unknown */
  char   *recorded_at;  /* the medium's, NULL when unknown */
  gint64  start_ms;
  gint64  end_ms;
  char   *label;        /* NULL when none was given */
  char   *start_wall;   /* recorded-at + start, ISO 8601 +08:00; NULL when unknown */
  char   *end_wall;
} CtClip;

void ct_clip_free (CtClip *clip);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CtClip, ct_clip_free)

/* The clips in the forms of case @case_id (only form @template_id when not
 * NULL), in the order of the forms' creation, then the template's fields,
 * then the field's clips.  Values that are not well-formed clips are
 * skipped.  Reads only: no audit. */
GPtrArray *ct_store_list_clips       (CtStore    *self,
                                      gint64      case_id,
                                      const char *template_id,
                                      GError    **error);

typedef struct {
  gint64  case_id;
  char   *case_number;
  char   *cause;
  gint64  media_id;
  char   *media_name;
  gint64  duration_ms;
  char   *recorded_at;
  gboolean audio;       /* a sound recording (else a video) */
} CtReviewItem;

void ct_review_item_free (CtReviewItem *item);

/* What waits for @session's legal review: the recordings of cases at the
 * legal-review stage that nobody has annotated yet, oldest case first. */
GPtrArray *ct_store_review_queue     (CtStore    *self,
                                      CtSession  *session,
                                      GError    **error);

G_END_DECLS
