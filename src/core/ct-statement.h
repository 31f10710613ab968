/* ct-statement.h — the written explanation of recordings used as evidence
 *
 * 001_79771f0fef6d4575.txt 第二十三条: 行政执法机关将音像记录作为证据使用
 * 的，应当按规定复制后附卷归档，并制作文字说明材料，注明取证人员、取证时间、
 * 取证地点等信息 (likewise 000_c8799fc573923ff9.txt 第十九条).
 *
 * One statement per use: every clip attached to a form of the case (what
 * it proves, the range and its wall-clock times), and every recording of
 * the case's evidence that no form uses (the whole recording).  Each names
 * the officers with their certificates, the time, the place, the device,
 * the original file with its size and hashes, and when and by whom it was
 * stored.  Generated from the record each time, so it is never stale.
 */
#pragma once

#include "ct-store.h"

G_BEGIN_DECLS

typedef struct {
  guint   number;          /* 1, 2, … within the case */
  gint64  media_id;
  char   *file_name;       /* the original's name */
  char   *title;           /* 名称 (004 第十六条), may be NULL */
  char   *sha256;
  char   *sm3;             /* NULL unless stored under national cryptography */
  gint64  size;
  gint64  duration_ms;
  char   *officers;        /* "张伟（执法证号 22010001）、李娜（执法证号 22010002）" */
  char   *device;          /* NULL when not stated */
  char   *place;           /* NULL when not stated */
  char   *time_from;       /* "2026年3月2日 09:01:02" China time; NULL when unknown */
  char   *time_to;
  char   *stored_at;       /* likewise */
  char   *imported_by;     /* display name */
  gint64  start_ms;        /* -1 for the whole recording */
  gint64  end_ms;
  char   *proves;          /* "询问笔录 · 录音录像"; NULL for a recording no form uses */
  char   *label;           /* the clip's label, may be NULL */
  char   *derived_from;    /* for a clip exported from a recording: which
                            * (name, SHA-256) and which part; else NULL */
} CtAvStatement;

void ct_av_statement_free (CtAvStatement *statement);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CtAvStatement, ct_av_statement_free)

/* The statements of case @case_id, clips first (in the order of
 * ct_store_list_clips), then unused evidence recordings by recording
 * time.  Disposed media are left out. */
GPtrArray *ct_store_av_statements (CtStore *self,
                                   gint64   case_id,
                                   GError **error);

/* The statement as Chinese text, one "label：value" line each, with a
 * title line "音像资料文字说明（N）" and the articles it answers to. */
char      *ct_av_statement_to_text (const CtAvStatement *statement,
                                    const char          *case_number);

/* "2026年3月2日 09:01:02" of an ISO 8601 time plus @offset_ms, China time;
 * NULL when @iso is NULL or unreadable. */
char      *ct_format_china_time    (const char *iso, gint64 offset_ms);

G_END_DECLS
