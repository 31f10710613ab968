/* ct-store-review.c — access to footage, legal-review annotations, the review
 * queue.  See ct-review.h. */

#include "config.h"

#include <inttypes.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "ct-error.h"
#include "ct-form.h"
#include "ct-review.h"
#include "ct-store-private.h"

/* ---- codes ------------------------------------------------------------------------ */

static const struct {
  const char *id;
  const char *label;
  const char *zh;
} codes[] = {
  [CT_REVIEW_COMPLIANT]                = { "compliant", N_("Compliant"), "合规" },
  [CT_REVIEW_NOT_ANNOUNCED]            = { "not-announced", N_("Recording not announced"), "未告知正在录音录像" },
  [CT_REVIEW_LATE_START]               = { "late-start", N_("Recording started late"), "开始记录过晚" },
  [CT_REVIEW_EARLY_STOP]               = { "early-stop", N_("Recording stopped early"), "提前结束记录" },
  [CT_REVIEW_UNEXPLAINED_INTERRUPTION] = { "unexplained-interruption", N_("Unexplained interruption"), "中断未说明" },
  [CT_REVIEW_CERTIFICATE_NOT_SHOWN]    = { "certificate-not-shown", N_("Certificate not shown"), "未出示执法证件" },
  [CT_REVIEW_OTHER]                    = { "other", N_("Other"), "其他" },
};

const char *
ct_review_code_to_id (CtReviewCode code)
{
  g_return_val_if_fail (code <= CT_REVIEW_OTHER, NULL);
  return codes[code].id;
}

gboolean
ct_review_code_from_id (const char   *id,
                        CtReviewCode *out)
{
  for (guint i = 0; i < G_N_ELEMENTS (codes); i++)
    if (g_strcmp0 (id, codes[i].id) == 0)
      {
        *out = i;
        return TRUE;
      }
  return FALSE;
}

const char *
ct_review_code_label (CtReviewCode code)
{
  g_return_val_if_fail (code <= CT_REVIEW_OTHER, NULL);
  return _(codes[code].label);
}

const char *
ct_review_code_zh (CtReviewCode code)
{
  g_return_val_if_fail (code <= CT_REVIEW_OTHER, NULL);
  return codes[code].zh;
}

void
ct_annotation_free (CtAnnotation *a)
{
  if (a == NULL)
    return;
  g_free (a->media_name);
  g_free (a->sha256);
  g_free (a->case_number);
  g_free (a->text);
  g_free (a->author);
  g_free (a->author_name);
  g_free (a->created_at);
  g_free (a->start_wall);
  g_free (a->end_wall);
  g_free (a->withdrawn_at);
  g_free (a->withdrawn_by);
  g_free (a->withdraw_reason);
  g_free (a);
}

void
ct_review_item_free (CtReviewItem *item)
{
  if (item == NULL)
    return;
  g_free (item->case_number);
  g_free (item->cause);
  g_free (item->media_name);
  g_free (item->recorded_at);
  g_free (item);
}

char *
ct_format_offset (gint64 ms)
{
  if (ms < 0)
    ms = 0;
  return g_strdup_printf ("%02" PRId64 ":%02" PRId64 ":%02" PRId64 ".%03" PRId64,
                          ms / 3600000, ms / 60000 % 60, ms / 1000 % 60, ms % 1000);
}

gboolean
ct_parse_offset (const char *text,
                 gint64     *ms)
{
  g_auto(GStrv) parts = NULL;
  guint n;
  gint64 total = 0;

  if (text == NULL || *text == '\0')
    return FALSE;
  parts = g_strsplit (text, ":", -1);
  n = g_strv_length (parts);
  if (n > 3)
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      const char *p = parts[i];
      gint64 whole = 0, frac = 0;
      guint frac_digits = 0;

      if (*p == '\0')
        return FALSE;
      for (; g_ascii_isdigit (*p); p++)
        {
          whole = whole * 10 + (*p - '0');
          if (whole > G_MAXINT32)
            return FALSE;
        }
      if (*p == '.' && i == n - 1)
        {
          for (p++; g_ascii_isdigit (*p); p++)
            if (frac_digits < 3)
              {
                frac = frac * 10 + (*p - '0');
                frac_digits++;
              }
          if (frac_digits == 0)
            return FALSE;
          while (frac_digits < 3)
            {
              frac *= 10;
              frac_digits++;
            }
        }
      if (*p != '\0' || (i > 0 && whole >= 60))
        return FALSE;
      total = total * 60 + whole;
      if (i == n - 1)
        total = total * 1000 + frac;
    }
  *ms = total;
  return TRUE;
}

/* recorded-at + @ms in China time, "2024-05-17T17:30:15.250+08:00". */
static char *
wall_clock (const char *recorded_at,
            gint64      ms)
{
  g_autoptr(GDateTime) start = recorded_at != NULL ? g_date_time_new_from_iso8601 (recorded_at, NULL) : NULL;
  g_autoptr(GDateTime) at = NULL;
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GTimeZone) cst = NULL;
  g_autofree char *base = NULL;

  if (start == NULL || ms < 0)
    return NULL;
  cst = g_time_zone_new_offset (8 * 3600);
  at = g_date_time_add (start, ms * G_TIME_SPAN_MILLISECOND);
  local = g_date_time_to_timezone (at, cst);
  base = g_date_time_format (local, "%Y-%m-%dT%H:%M:%S");
  return g_strdup_printf ("%s.%03d+08:00", base, g_date_time_get_microsecond (local) / 1000);
}

/* ---- who may open footage ---------------------------------------------------------- */

gboolean
ct_store_may_open_media (CtStore       *self,
                         CtSession     *session,
                         const CtMedia *media,
                         GError       **error)
{
  g_return_val_if_fail (CT_IS_STORE (self), FALSE);
  g_return_val_if_fail (media != NULL, FALSE);

  if (session == NULL)
    {
      g_set_error (error, CT_ERROR, CT_ERROR_PERMISSION, _("Sign in to open footage."));
      return FALSE;
    }
  if (media->disposed_at != NULL)
    {
      g_set_error (error, CT_ERROR, CT_ERROR_NOT_FOUND,
                   _("“%s” was disposed of on %s; only its record and tombstone remain."),
                   media->original_name, media->disposed_at);
      return FALSE;
    }
  if (ct_session_has_role (session, CT_ROLE_SUPERVISOR) || ct_session_has_role (session, CT_ROLE_LEGAL_REVIEWER))
    return TRUE;
  if (media->case_id != 0)
    {
      g_autofree char *ref = g_strdup_printf ("%" G_GINT64_FORMAT, media->case_id);
      g_autoptr(CtCase) c = NULL;

      CT_STORE_LOCK (self);
      c = ct_store_read_case (self, ref, error);
      if (c == NULL)
        return FALSE;
      for (guint i = 0; c->officers != NULL && i < c->officers->len; i++)
        if (((CtCaseOfficer *) c->officers->pdata[i])->user_id == ct_session_get_user_id (session))
          return TRUE;
      g_set_error (error, CT_ERROR, CT_ERROR_PERMISSION,
                   _("%s is not an officer of case %s: its footage is open to its officers, legal reviewers "
                     "and supervisors only (004 第十五条: not to be viewed without approval)."),
                   ct_session_get_display_name (session), c->number);
      return FALSE;
    }
  if (g_strcmp0 (media->imported_by, ct_session_get_username (session)) == 0 ||
      ct_session_has_role (session, CT_ROLE_ARCHIVIST))
    return TRUE;
  g_set_error (error, CT_ERROR, CT_ERROR_PERMISSION,
               _("“%s” belongs to no case: it is open to whoever imported it, the records officer and "
                 "supervisors only (004 第十五条)."), media->original_name);
  return FALSE;
}

static CtMedia *
media_by_id (CtStore *self,
             gint64   media_id,
             GError **error)
{
  g_autofree char *ref = g_strdup_printf ("%" G_GINT64_FORMAT, media_id);
  return ct_store_get_media (self, ref, error);
}

char *
ct_store_open_media (CtStore    *self,
                     CtSession  *session,
                     gint64      media_id,
                     gboolean    play,
                     GError    **error)
{
  g_autoptr(CtMedia) m = NULL;
  g_autofree char *id_str = g_strdup_printf ("%" G_GINT64_FORMAT, media_id);
  g_autofree char *detail = NULL;
  CtObjectStore *objects;

  g_return_val_if_fail (CT_IS_STORE (self), NULL);

  m = media_by_id (self, media_id, error);
  if (m == NULL)
    return NULL;
  if (!ct_store_may_open_media (self, session, m, error))
    {
      /* A refused attempt is part of the record too (004 第十五条). */
      if (session != NULL && error != NULL && g_error_matches (*error, CT_ERROR, CT_ERROR_PERMISSION))
        {
          g_autoptr(GError) audit_error = NULL;
          g_autofree char *refused = ct_store_detail_json ("sha256", m->sha256, "name", m->original_name,
                                                           "play", play ? "yes" : "no", NULL);
          CT_STORE_LOCK (self);
          if (ct_db_begin (self->db, &audit_error))
            {
              if (ct_store_audit (self, session, "media.open-refused", "media", id_str, m->case_id, refused,
                                  &audit_error) == 0)
                ct_db_rollback (self->db);
              else
                ct_db_commit (self->db, &audit_error);
            }
          if (audit_error != NULL)
            g_warning ("A refused opening of medium %" G_GINT64_FORMAT " could not be audited: %s",
                       media_id, audit_error->message);
        }
      return NULL;
    }
  objects = ct_store_get_objects (self, error);
  if (objects == NULL)
    return NULL;
  if (!ct_object_store_has (objects, m->sha256))
    {
      g_set_error (error, CT_ERROR, CT_ERROR_INTEGRITY,
                   _("The original of “%s” is missing from the evidence store; run “Verify Evidence Store” "
                     "and tell the records officer."), m->original_name);
      return NULL;
    }

  detail = ct_store_detail_json ("sha256", m->sha256, "name", m->original_name, NULL);
  {
    CT_STORE_LOCK (self);
    if (!ct_db_begin (self->db, error))
      return NULL;
    if (ct_store_audit (self, session, play ? "media.play" : "media.open", "media", id_str, m->case_id,
                        detail, error) == 0)
      {
        ct_db_rollback (self->db);
        return NULL;
      }
    if (!ct_db_commit (self->db, error))
      return NULL;
  }
  return ct_object_store_path (objects, m->sha256);
}

/* ---- annotations ------------------------------------------------------------------------ */

/* An archived case no longer changes (ct-dossier.h): nor do the
 * annotations of its recordings.  Lock taken here. */
static gboolean
case_is_writable (CtStore *self,
                  gint64   case_id,
                  GError **error)
{
  g_autoptr(CtCase) c = NULL;

  if (case_id == 0)
    return TRUE;
  CT_STORE_LOCK (self);
  c = ct_store_read_case_by_id (self, case_id, error);
  if (c == NULL)
    return FALSE;
  if (g_strcmp0 (c->status, "archived") == 0)
    {
      g_set_error (error, CT_ERROR, CT_ERROR_PERMISSION,
                   _("Case %s is archived and can no longer change."), c->number);
      return FALSE;
    }
  return TRUE;
}

gint64
ct_store_annotate (CtStore      *self,
                   CtSession    *session,
                   gint64        media_id,
                   gint64        start_ms,
                   gint64        end_ms,
                   CtReviewCode  code,
                   const char   *text,
                   GError      **error)
{
  g_autoptr(CtMedia) m = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *clean = text != NULL ? g_strstrip (g_strdup (text)) : g_strdup ("");
  g_autofree char *now = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *id_str = NULL;
  g_autofree char *start_str = NULL;
  g_autofree char *end_str = NULL;
  g_autofree char *media_str = g_strdup_printf ("%" G_GINT64_FORMAT, media_id);
  gint64 id;

  g_return_val_if_fail (CT_IS_STORE (self), 0);
  g_return_val_if_fail (code <= CT_REVIEW_OTHER, 0);

  if (!ct_session_has_role (session, CT_ROLES_REVIEW))
    {
      g_set_error (error, CT_ERROR, CT_ERROR_PERMISSION,
                   _("Only legal reviewers and supervisors annotate footage."));
      return 0;
    }
  if (!g_utf8_validate (clean, -1, NULL) || (code == CT_REVIEW_OTHER && *clean == '\0'))
    {
      g_set_error (error, CT_ERROR, CT_ERROR_INVALID, _("The result is “other”: say what was found."));
      return 0;
    }
  m = media_by_id (self, media_id, error);
  if (m == NULL || !ct_store_may_open_media (self, session, m, error) ||
      !case_is_writable (self, m->case_id, error))
    return 0;
  if (start_ms < 0 || (end_ms != -1 && end_ms <= start_ms) ||
      (m->duration_ms > 0 && (start_ms > m->duration_ms || end_ms > m->duration_ms)))
    {
      g_autofree char *dur = ct_format_offset (m->duration_ms);
      g_set_error (error, CT_ERROR, CT_ERROR_INVALID,
                   _("An annotation lies within the recording (0 to %s) and a range ends after it starts."), dur);
      return 0;
    }

  CT_STORE_LOCK (self);
  if (!ct_db_begin (self->db, error))
    return 0;
  now = ct_db_now_iso ();
  stmt = ct_db_prepare (self->db,
                        "INSERT INTO annotations (media_id, start_ms, end_ms, code, text, author_id, created_at)"
                        " VALUES (?, ?, ?, ?, ?, ?, ?)",
                        error);
  if (stmt == NULL)
    goto fail;
  ct_db_bind_int64 (stmt, 1, media_id);
  ct_db_bind_int64 (stmt, 2, start_ms);
  if (end_ms >= 0)
    ct_db_bind_int64 (stmt, 3, end_ms);
  else
    sqlite3_bind_null (stmt, 3);
  ct_db_bind_text (stmt, 4, ct_review_code_to_id (code));
  ct_db_bind_text (stmt, 5, clean);
  ct_db_bind_int64 (stmt, 6, ct_session_get_user_id (session));
  ct_db_bind_text (stmt, 7, now);
  if (!ct_db_step_done (self->db, stmt, error))
    goto fail;
  id = sqlite3_last_insert_rowid (ct_db_handle (self->db));

  id_str = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  start_str = g_strdup_printf ("%" G_GINT64_FORMAT, start_ms);
  end_str = end_ms >= 0 ? g_strdup_printf ("%" G_GINT64_FORMAT, end_ms) : NULL;
  detail = ct_store_detail_json ("annotation", id_str, "sha256", m->sha256, "start_ms", start_str, "end_ms", end_str,
                                 "code", ct_review_code_to_id (code), "text", clean, NULL);
  if (ct_store_audit (self, session, "media.annotate", "media", media_str, m->case_id, detail, error) == 0)
    goto fail;
  if (m->case_id != 0)
    {
      g_autofree char *summary = g_strdup_printf (_("“%s” annotated: %s"), m->original_name, ct_review_code_label (code));
      if (!ct_store_add_event (self, session, m->case_id, "review", summary, error))
        goto fail;
    }
  if (!ct_db_commit (self->db, error))
    return 0;
  return id;

fail:
  ct_db_rollback (self->db);
  return 0;
}

gboolean
ct_store_withdraw_annotation (CtStore    *self,
                              CtSession  *session,
                              gint64      annotation_id,
                              const char *reason,
                              GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *clean = reason != NULL ? g_strstrip (g_strdup (reason)) : g_strdup ("");
  g_autofree char *now = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *id_str = g_strdup_printf ("%" G_GINT64_FORMAT, annotation_id);
  g_autofree char *media_str = NULL;
  gint64 author = 0, case_id = 0, media_id = 0;
  gboolean withdrawn = FALSE;

  g_return_val_if_fail (CT_IS_STORE (self), FALSE);

  if (session == NULL)
    {
      g_set_error (error, CT_ERROR, CT_ERROR_PERMISSION, _("Sign in to withdraw an annotation."));
      return FALSE;
    }
  if (*clean == '\0')
    {
      g_set_error (error, CT_ERROR, CT_ERROR_INVALID, _("Say why the annotation is withdrawn."));
      return FALSE;
    }

  CT_STORE_LOCK (self);
  stmt = ct_db_prepare (self->db,
                        "SELECT a.author_id, a.withdrawn_at IS NOT NULL, a.media_id, ifnull (m.case_id, 0)"
                        " FROM annotations a JOIN media m ON m.id = a.media_id WHERE a.id = ?",
                        error);
  if (stmt == NULL)
    return FALSE;
  ct_db_bind_int64 (stmt, 1, annotation_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_set_error (error, CT_ERROR, CT_ERROR_NOT_FOUND, _("There is no annotation %" PRId64 "."), annotation_id);
      return FALSE;
    }
  author = sqlite3_column_int64 (stmt, 0);
  withdrawn = sqlite3_column_int (stmt, 1) != 0;
  media_id = sqlite3_column_int64 (stmt, 2);
  case_id = sqlite3_column_int64 (stmt, 3);
  g_clear_pointer (&stmt, sqlite3_finalize);
  if (withdrawn)
    {
      g_set_error (error, CT_ERROR, CT_ERROR_INVALID, _("Annotation %" PRId64 " was already withdrawn."), annotation_id);
      return FALSE;
    }
  if (author != ct_session_get_user_id (session) && !ct_session_has_role (session, CT_ROLE_SUPERVISOR))
    {
      g_set_error (error, CT_ERROR, CT_ERROR_PERMISSION,
                   _("Only the author of annotation %" PRId64 " or a supervisor may withdraw it."), annotation_id);
      return FALSE;
    }
  if (!case_is_writable (self, case_id, error))
    return FALSE;

  if (!ct_db_begin (self->db, error))
    return FALSE;
  now = ct_db_now_iso ();
  stmt = ct_db_prepare (self->db,
                        "UPDATE annotations SET withdrawn_at = ?, withdrawn_by = ?, withdraw_reason = ? WHERE id = ?",
                        error);
  if (stmt == NULL)
    goto fail;
  ct_db_bind_text (stmt, 1, now);
  ct_db_bind_int64 (stmt, 2, ct_session_get_user_id (session));
  ct_db_bind_text (stmt, 3, clean);
  ct_db_bind_int64 (stmt, 4, annotation_id);
  if (!ct_db_step_done (self->db, stmt, error))
    goto fail;
  media_str = g_strdup_printf ("%" G_GINT64_FORMAT, media_id);
  detail = ct_store_detail_json ("annotation", id_str, "reason", clean, NULL);
  if (ct_store_audit (self, session, "media.annotation-withdraw", "media", media_str, case_id, detail, error) == 0)
    goto fail;
  return ct_db_commit (self->db, error);

fail:
  ct_db_rollback (self->db);
  return FALSE;
}

GPtrArray *
ct_store_list_annotations (CtStore                  *self,
                           const CtAnnotationFilter *filter,
                           GError                  **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) ct_annotation_free);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  CtAnnotationFilter none = { 0 };
  int rc;

  g_return_val_if_fail (CT_IS_STORE (self), NULL);
  if (filter == NULL)
    filter = &none;

  CT_STORE_LOCK (self);
  stmt = ct_db_prepare (self->db,
                        "SELECT a.id, a.media_id, m.original_name, m.sha256, ifnull (m.case_id, 0), c.number,"
                        " a.start_ms, ifnull (a.end_ms, -1), a.code, a.text, u.username, u.display_name, a.created_at,"
                        " m.recorded_at, a.withdrawn_at, w.username, a.withdraw_reason"
                        " FROM annotations a JOIN media m ON m.id = a.media_id"
                        " LEFT JOIN cases c ON c.id = m.case_id JOIN users u ON u.id = a.author_id"
                        " LEFT JOIN users w ON w.id = a.withdrawn_by"
                        " WHERE (?1 = 0 OR a.media_id = ?1) AND (?2 = 0 OR m.case_id = ?2)"
                        " AND (?3 IS NULL OR a.code = ?3) AND (?4 IS NULL OR u.username = ?4)"
                        " AND (?5 OR a.withdrawn_at IS NULL)"
                        " ORDER BY m.recorded_at IS NULL, m.recorded_at, m.id, a.start_ms, a.id",
                        error);
  if (stmt == NULL)
    return NULL;
  ct_db_bind_int64 (stmt, 1, filter->media_id);
  ct_db_bind_int64 (stmt, 2, filter->case_id);
  ct_db_bind_text (stmt, 3, filter->has_code ? ct_review_code_to_id (filter->code) : NULL);
  ct_db_bind_text (stmt, 4, filter->author);
  ct_db_bind_int64 (stmt, 5, filter->include_withdrawn ? 1 : 0);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CtAnnotation *a = g_new0 (CtAnnotation, 1);
      g_autofree char *code = ct_db_column_dup (stmt, 8);
      g_autofree char *recorded_at = ct_db_column_dup (stmt, 13);

      a->id = sqlite3_column_int64 (stmt, 0);
      a->media_id = sqlite3_column_int64 (stmt, 1);
      a->media_name = ct_db_column_dup (stmt, 2);
      a->sha256 = ct_db_column_dup (stmt, 3);
      a->case_id = sqlite3_column_int64 (stmt, 4);
      a->case_number = ct_db_column_dup (stmt, 5);
      a->start_ms = sqlite3_column_int64 (stmt, 6);
      a->end_ms = sqlite3_column_int64 (stmt, 7);
      if (!ct_review_code_from_id (code, &a->code))
        a->code = CT_REVIEW_OTHER;
      a->text = ct_db_column_dup (stmt, 9);
      a->author = ct_db_column_dup (stmt, 10);
      a->author_name = ct_db_column_dup (stmt, 11);
      a->created_at = ct_db_column_dup (stmt, 12);
      a->start_wall = wall_clock (recorded_at, a->start_ms);
      a->end_wall = a->end_ms >= 0 ? wall_clock (recorded_at, a->end_ms) : NULL;
      a->withdrawn_at = ct_db_column_dup (stmt, 14);
      a->withdrawn_by = ct_db_column_dup (stmt, 15);
      a->withdraw_reason = ct_db_column_dup (stmt, 16);
      g_ptr_array_add (list, a);
    }
  if (rc != SQLITE_DONE)
    {
      ct_db_set_error (self->db, error, _("Could not read the annotations"));
      return NULL;
    }
  return g_steal_pointer (&list);
}

/* ---- export ------------------------------------------------------------------------------ */

static void
csv_field (GString    *out,
           const char *value,
           gboolean    last)
{
  const char *v = value != NULL ? value : "";

  if (strpbrk (v, ",\"\r\n") != NULL)
    {
      g_string_append_c (out, '"');
      for (const char *p = v; *p != '\0'; p++)
        {
          if (*p == '"')
            g_string_append_c (out, '"');
          g_string_append_c (out, *p);
        }
      g_string_append_c (out, '"');
    }
  else
    g_string_append (out, v);
  g_string_append (out, last ? "\r\n" : ",");
}

char *
ct_annotations_to_csv (GPtrArray *list)
{
  static const char * const header[] = {
    "id", "case", "media", "sha256", "start", "end", "start_ms", "end_ms", "start_time", "end_time",
    "code", "result", "text", "author", "created_at", "withdrawn_at", "withdraw_reason", NULL
  };
  GString *out = g_string_new (NULL);

  for (guint i = 0; header[i] != NULL; i++)
    csv_field (out, header[i], header[i + 1] == NULL);
  for (guint i = 0; i < list->len; i++)
    {
      CtAnnotation *a = list->pdata[i];
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, a->id);
      g_autofree char *start = ct_format_offset (a->start_ms);
      g_autofree char *end = a->end_ms >= 0 ? ct_format_offset (a->end_ms) : NULL;
      g_autofree char *start_ms = g_strdup_printf ("%" G_GINT64_FORMAT, a->start_ms);
      g_autofree char *end_ms = a->end_ms >= 0 ? g_strdup_printf ("%" G_GINT64_FORMAT, a->end_ms) : NULL;

      csv_field (out, id, FALSE);
      csv_field (out, a->case_number, FALSE);
      csv_field (out, a->media_name, FALSE);
      csv_field (out, a->sha256, FALSE);
      csv_field (out, start, FALSE);
      csv_field (out, end, FALSE);
      csv_field (out, start_ms, FALSE);
      csv_field (out, end_ms, FALSE);
      csv_field (out, a->start_wall, FALSE);
      csv_field (out, a->end_wall, FALSE);
      csv_field (out, ct_review_code_to_id (a->code), FALSE);
      csv_field (out, ct_review_code_zh (a->code), FALSE);
      csv_field (out, a->text, FALSE);
      csv_field (out, a->author_name, FALSE);
      csv_field (out, a->created_at, FALSE);
      csv_field (out, a->withdrawn_at, FALSE);
      csv_field (out, a->withdraw_reason, TRUE);
    }
  return g_string_free (out, FALSE);
}

static void
member (JsonBuilder *b,
        const char  *name,
        const char  *value)
{
  json_builder_set_member_name (b, name);
  if (value != NULL)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

char *
ct_annotations_to_json (GPtrArray *list)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_array (b);
  for (guint i = 0; i < list->len; i++)
    {
      CtAnnotation *a = list->pdata[i];
      g_autofree char *start = ct_format_offset (a->start_ms);
      g_autofree char *end = a->end_ms >= 0 ? ct_format_offset (a->end_ms) : NULL;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "id");
      json_builder_add_int_value (b, a->id);
      member (b, "case", a->case_number);
      json_builder_set_member_name (b, "media_id");
      json_builder_add_int_value (b, a->media_id);
      member (b, "media", a->media_name);
      member (b, "sha256", a->sha256);
      member (b, "start", start);
      member (b, "end", end);
      json_builder_set_member_name (b, "start_ms");
      json_builder_add_int_value (b, a->start_ms);
      json_builder_set_member_name (b, "end_ms");
      if (a->end_ms >= 0)
        json_builder_add_int_value (b, a->end_ms);
      else
        json_builder_add_null_value (b);
      member (b, "start_time", a->start_wall);
      member (b, "end_time", a->end_wall);
      member (b, "code", ct_review_code_to_id (a->code));
      member (b, "result", ct_review_code_zh (a->code));
      member (b, "text", a->text);
      member (b, "author", a->author);
      member (b, "author_name", a->author_name);
      member (b, "created_at", a->created_at);
      member (b, "withdrawn_at", a->withdrawn_at);
      member (b, "withdrawn_by", a->withdrawn_by);
      member (b, "withdraw_reason", a->withdraw_reason);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  return json_generator_to_data (gen, NULL);
}

/* ---- the review queue ------------------------------------------------------------------------ */

GPtrArray *
ct_store_review_queue (CtStore    *self,
                       CtSession  *session,
                       GError    **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) ct_review_item_free);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (CT_IS_STORE (self), NULL);

  if (!ct_session_has_role (session, CT_ROLES_REVIEW))
    {
      g_set_error (error, CT_ERROR, CT_ERROR_PERMISSION, _("The review queue is for legal reviewers and supervisors."));
      return NULL;
    }

  CT_STORE_LOCK (self);
  stmt = ct_db_prepare (self->db,
                        "SELECT c.id, c.number, c.cause, m.id, m.original_name, m.duration_ms, m.recorded_at,"
                        " m.kind = 'audio'"
                        " FROM media m JOIN cases c ON c.id = m.case_id"
                        " WHERE c.stage = 'legal_review' AND c.status = 'open' AND m.disposed_at IS NULL"
                        " AND m.kind IN ('video', 'audio')"
                        " AND NOT EXISTS (SELECT 1 FROM annotations a WHERE a.media_id = m.id AND a.withdrawn_at IS NULL)"
                        " ORDER BY c.created_at, c.id, m.recorded_at IS NULL, m.recorded_at, m.id",
                        error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CtReviewItem *item = g_new0 (CtReviewItem, 1);
      item->case_id = sqlite3_column_int64 (stmt, 0);
      item->case_number = ct_db_column_dup (stmt, 1);
      item->cause = ct_db_column_dup (stmt, 2);
      item->media_id = sqlite3_column_int64 (stmt, 3);
      item->media_name = ct_db_column_dup (stmt, 4);
      item->duration_ms = sqlite3_column_int64 (stmt, 5);
      item->recorded_at = ct_db_column_dup (stmt, 6);
      item->audio = sqlite3_column_int (stmt, 7) != 0;
      g_ptr_array_add (list, item);
    }
  if (rc != SQLITE_DONE)
    {
      ct_db_set_error (self->db, error, _("Could not read the review queue"));
      return NULL;
    }
  return g_steal_pointer (&list);
}

/* ---- clips and scans as evidence of a step -------------------------------------------------- */

/* Medium @media_id, when it may stand as evidence of a step of its case in
 * the @type field (CT_FIELD_CLIP or CT_FIELD_SCAN) @field_id of form
 * @template_id: @session may open it (ct_store_may_open_media), a scan
 * field takes scanned documents only, it has not been disposed of (which
 * ct_store_may_open_media refuses first today), it belongs to a case and
 * the field is one for its kind of evidence. */
static CtMedia *
step_evidence (CtStore     *self,
               CtSession   *session,
               gint64       media_id,
               const char  *template_id,
               const char  *field_id,
               CtFieldType  type,
               GError     **error)
{
  g_autoptr(CtMedia) m = NULL;
  CtFormRegistry *forms;
  const CtFormTemplate *t;
  const CtFieldDef *fd;

  g_assert (type == CT_FIELD_CLIP || type == CT_FIELD_SCAN);

  m = media_by_id (self, media_id, error);
  if (m == NULL || !ct_store_may_open_media (self, session, m, error))
    return NULL;
  if (type == CT_FIELD_SCAN && m->kind != CT_MEDIA_KIND_DOCUMENT)
    {
      g_set_error (error, CT_ERROR, CT_ERROR_INVALID,
                   _("“%s” is not a scanned document; import the scan as a document, or mark the picture as one "
                     "on its details page."),
                   m->original_name);
      return NULL;
    }
  if (m->disposed_at != NULL)
    {
      g_set_error (error, CT_ERROR, CT_ERROR_INVALID, _("“%s” was disposed of and can no longer be attached."),
                   m->original_name);
      return NULL;
    }
  if (m->case_id == 0)
    {
      g_set_error (error, CT_ERROR, CT_ERROR_INVALID,
                   _("“%s” belongs to no case; attach it to its case before using it as evidence of a step."),
                   m->original_name);
      return NULL;
    }
  forms = ct_store_get_forms (self, error);
  if (forms == NULL)
    return NULL;
  t = ct_form_registry_lookup (forms, template_id);
  fd = t != NULL ? ct_form_template_get_field (t, field_id) : NULL;
  if (fd == NULL || fd->type != type)
    {
      if (type == CT_FIELD_CLIP)
        g_set_error (error, CT_ERROR, CT_ERROR_INVALID,
                     _("“%s” of form “%s” is not a field for audio-visual clips."), field_id, template_id);
      else
        g_set_error (error, CT_ERROR, CT_ERROR_INVALID,
                     _("“%s” of form “%s” is not a field for scanned documents."), field_id, template_id);
      return NULL;
    }
  return g_steal_pointer (&m);
}

/* Whether @entry, already in a field, names what @wanted names. */
typedef gboolean (*SameEntry) (JsonObject *entry,
                               JsonObject *wanted);

static gboolean
same_clip (JsonObject *entry,
           JsonObject *wanted)
{
  return g_strcmp0 (json_object_get_string_member_with_default (entry, "media", NULL),
                    json_object_get_string_member (wanted, "media")) == 0 &&
         json_object_get_int_member_with_default (entry, "start_ms", -1) ==
           json_object_get_int_member (wanted, "start_ms") &&
         json_object_get_int_member_with_default (entry, "end_ms", -1) ==
           json_object_get_int_member (wanted, "end_ms");
}

static gboolean
same_scan (JsonObject *entry,
           JsonObject *wanted)
{
  return g_strcmp0 (json_object_get_string_member_with_default (entry, "media", NULL),
                    json_object_get_string_member (wanted, "media")) == 0 &&
         g_strcmp0 (json_object_get_string_member_with_default (entry, "pages", NULL),
                    json_object_get_string_member_with_default (wanted, "pages", NULL)) == 0;
}

/* Whether @current (an entry or a list of them) holds one @same to @wanted. */
static gboolean
holds_entry (JsonNode   *current,
             JsonObject *wanted,
             SameEntry   same)
{
  JsonArray *list;

  if (current == NULL)
    return FALSE;
  if (JSON_NODE_HOLDS_OBJECT (current))
    return same (json_node_get_object (current), wanted);
  if (!JSON_NODE_HOLDS_ARRAY (current))
    return FALSE;
  list = json_node_get_array (current);
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonNode *e = json_array_get_element (list, i);
      if (JSON_NODE_HOLDS_OBJECT (e) && same (json_node_get_object (e), wanted))
        return TRUE;
    }
  return FALSE;
}

/* @value with @entry appended: an object becomes a list of two. */
static JsonNode *
append_entry (JsonNode   *current,
              JsonObject *entry)
{
  JsonArray *list;
  JsonNode *node;

  if (current == NULL || JSON_NODE_HOLDS_NULL (current))
    {
      node = json_node_init_object (json_node_alloc (), entry);
      return node;
    }
  list = json_array_new ();
  if (JSON_NODE_HOLDS_ARRAY (current))
    {
      JsonArray *old = json_node_get_array (current);
      for (guint i = 0; i < json_array_get_length (old); i++)
        json_array_add_element (list, json_node_copy (json_array_get_element (old, i)));
    }
  else
    json_array_add_element (list, json_node_copy (current));
  json_array_add_object_element (list, json_object_ref (entry));
  node = json_node_init_array (json_node_alloc (), list);
  json_array_unref (list);
  return node;
}

/* Appends @entry to field @field_id of form @template_id of @m's case (the
 * form made when missing) and saves the form; refused with @refusal when
 * the field holds one @same to it already. */
static gboolean
attach_entry (CtStore       *self,
              CtSession     *session,
              const CtMedia *m,
              const char    *template_id,
              const char    *field_id,
              JsonObject    *entry,
              SameEntry      same,
              const char    *refusal,
              GError       **error)
{
  g_autoptr(JsonObject) values = NULL;
  g_autoptr(GError) local = NULL;
  JsonNode *current;

  values = ct_store_get_form (self, m->case_id, template_id, &local);
  if (values == NULL)
    {
      if (!g_error_matches (local, CT_ERROR, CT_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
      values = json_object_new ();
    }

  current = json_object_get_member (values, field_id);
  if (holds_entry (current, entry, same))
    {
      g_set_error_literal (error, CT_ERROR, CT_ERROR_EXISTS, refusal);
      return FALSE;
    }
  json_object_set_member (values, field_id, append_entry (current, entry));
  return ct_store_save_form (self, session, m->case_id, template_id, values, error);
}

gboolean
ct_store_attach_clip (CtStore    *self,
                      CtSession  *session,
                      gint64      media_id,
                      const char *template_id,
                      const char *field_id,
                      gint64      start_ms,
                      gint64      end_ms,
                      const char *label,
                      GError    **error)
{
  g_autoptr(CtMedia) m = NULL;
  g_autoptr(JsonObject) clip = NULL;

  g_return_val_if_fail (CT_IS_STORE (self), FALSE);
  g_return_val_if_fail (template_id != NULL && field_id != NULL, FALSE);

  m = step_evidence (self, session, media_id, template_id, field_id, CT_FIELD_CLIP, error);
  if (m == NULL)
    return FALSE;
  if (start_ms < 0 || end_ms <= start_ms || (m->duration_ms > 0 && end_ms > m->duration_ms))
    {
      g_autofree char *dur = ct_format_offset (m->duration_ms);
      g_set_error (error, CT_ERROR, CT_ERROR_INVALID,
                   _("A clip lies within the recording (0 to %s) and ends after it starts."), dur);
      return FALSE;
    }

  clip = json_object_new ();
  json_object_set_string_member (clip, "media", m->sha256);
  json_object_set_int_member (clip, "start_ms", start_ms);
  json_object_set_int_member (clip, "end_ms", end_ms);
  if (label != NULL && *label != '\0')
    json_object_set_string_member (clip, "label", label);
  return attach_entry (self, session, m, template_id, field_id, clip, same_clip,
                       _("This clip is attached there already."), error);
}

gboolean
ct_store_attach_scan (CtStore    *self,
                      CtSession  *session,
                      gint64      media_id,
                      const char *template_id,
                      const char *field_id,
                      const char *pages,
                      const char *label,
                      GError    **error)
{
  g_autoptr(CtMedia) m = NULL;
  g_autoptr(JsonObject) scan = NULL;

  g_return_val_if_fail (CT_IS_STORE (self), FALSE);
  g_return_val_if_fail (template_id != NULL && field_id != NULL, FALSE);

  if (pages != NULL && *pages == '\0')
    pages = NULL;
  m = step_evidence (self, session, media_id, template_id, field_id, CT_FIELD_SCAN, error);
  if (m == NULL)
    return FALSE;
  if (pages != NULL && !ct_scan_pages_valid (pages, m->pages))
    {
      g_set_error (error, CT_ERROR, CT_ERROR_INVALID,
                   g_dngettext (GETTEXT_PACKAGE,
                                "Pages are written like “1”, “1-3” or “1,3-4”, within the document’s %u page.",
                                "Pages are written like “1”, “1-3” or “1,3-4”, within the document’s %u pages.",
                                m->pages),
                   m->pages);
      return FALSE;
    }

  scan = json_object_new ();
  json_object_set_string_member (scan, "media", m->sha256);
  if (pages != NULL)
    json_object_set_string_member (scan, "pages", pages);
  if (label != NULL && *label != '\0')
    json_object_set_string_member (scan, "label", label);
  return attach_entry (self, session, m, template_id, field_id, scan, same_scan,
                       _("This document is attached there already."), error);
}

/* ---- the clips of a case's forms ------------------------------------------------------------ */

void
ct_clip_free (CtClip *clip)
{
  if (clip == NULL)
    return;
  g_free (clip->template_id);
  g_free (clip->form_title);
  g_free (clip->field_id);
  g_free (clip->field_label);
  g_free (clip->sha256);
  g_free (clip->media_name);
  g_free (clip->recorded_at);
  g_free (clip->label);
  g_free (clip->start_wall);
  g_free (clip->end_wall);
  g_free (clip);
}

/* Fills in what the store knows of the clip's medium; the lock is held. */
static gboolean
clip_media (CtStore  *self,
            CtClip   *clip,
            GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  stmt = ct_db_prepare (self->db,
                        "SELECT id, CASE WHEN title IS NULL OR title = '' THEN original_name ELSE title END,"
                        " recorded_at FROM media WHERE sha256 = ?",
                        error);
  if (stmt == NULL)
    return FALSE;
  ct_db_bind_text (stmt, 1, clip->sha256);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      clip->media_id = sqlite3_column_int64 (stmt, 0);
      clip->media_name = ct_db_column_dup (stmt, 1);
      clip->recorded_at = ct_db_column_dup (stmt, 2);
    }
  else if (rc == SQLITE_DONE)
    clip->media_name = g_strdup (clip->sha256);
  else
    {
      ct_db_set_error (self->db, error, _("Could not read the media of the clips"));
      return FALSE;
    }
  clip->start_wall = wall_clock (clip->recorded_at, clip->start_ms);
  clip->end_wall = wall_clock (clip->recorded_at, clip->end_ms);
  return TRUE;
}

/* One element of a clip field's value, or NULL when it is not a clip. */
static CtClip *
clip_from_node (JsonNode *node)
{
  JsonObject *o;
  JsonNode *start, *end;
  const char *media, *label;
  CtClip *clip;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  o = json_node_get_object (node);
  start = json_object_get_member (o, "start_ms");
  end = json_object_get_member (o, "end_ms");
  media = json_object_get_string_member_with_default (o, "media", NULL);
  if (media == NULL || start == NULL || end == NULL ||
      json_node_get_value_type (start) != G_TYPE_INT64 || json_node_get_value_type (end) != G_TYPE_INT64)
    return NULL;
  clip = g_new0 (CtClip, 1);
  clip->sha256 = g_strdup (media);
  clip->start_ms = json_node_get_int (start);
  clip->end_ms = json_node_get_int (end);
  if (clip->start_ms < 0 || clip->end_ms <= clip->start_ms)
    {
      ct_clip_free (clip);
      return NULL;
    }
  label = json_object_get_string_member_with_default (o, "label", NULL);
  clip->label = label != NULL && *label != '\0' ? g_strdup (label) : NULL;
  return clip;
}

GPtrArray *
ct_store_list_clips (CtStore    *self,
                     gint64      case_id,
                     const char *template_id,
                     GError    **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) ct_clip_free);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  CtFormRegistry *forms;
  int rc;

  g_return_val_if_fail (CT_IS_STORE (self), NULL);

  forms = ct_store_get_forms (self, error);
  if (forms == NULL)
    return NULL;

  CT_STORE_LOCK (self);
  stmt = ct_db_prepare (self->db,
                        "SELECT template, data FROM forms WHERE case_id = ? AND (?2 IS NULL OR template = ?2)"
                        " ORDER BY id",
                        error);
  if (stmt == NULL)
    return NULL;
  ct_db_bind_int64 (stmt, 1, case_id);
  ct_db_bind_text (stmt, 2, template_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const CtFormTemplate *t = ct_form_registry_lookup (forms, (const char *) sqlite3_column_text (stmt, 0));
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonObject *values;

      /* A form of a template no longer known has no clip fields to read. */
      if (t == NULL)
        continue;
      if (!json_parser_load_from_data (parser, (const char *) sqlite3_column_text (stmt, 1), -1, NULL) ||
          !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
        {
          g_set_error (error, CT_ERROR, CT_ERROR_INTEGRITY,
                       _("The saved form “%s” of case %" PRId64 " is damaged."), t->id, case_id);
          return NULL;
        }
      values = json_node_get_object (json_parser_get_root (parser));
      for (guint f = 0; f < t->fields->len; f++)
        {
          const CtFieldDef *fd = t->fields->pdata[f];
          JsonNode *value;
          g_autoptr(GPtrArray) nodes = g_ptr_array_new ();

          if (fd->type != CT_FIELD_CLIP || (value = json_object_get_member (values, fd->id)) == NULL)
            continue;
          if (JSON_NODE_HOLDS_ARRAY (value))
            {
              JsonArray *array = json_node_get_array (value);
              for (guint i = 0; i < json_array_get_length (array); i++)
                g_ptr_array_add (nodes, json_array_get_element (array, i));
            }
          else
            g_ptr_array_add (nodes, value);

          for (guint i = 0; i < nodes->len; i++)
            {
              CtClip *clip = clip_from_node (nodes->pdata[i]);

              if (clip == NULL)
                continue;
              clip->template_id = g_strdup (t->id);
              clip->form_title = g_strdup (ct_form_template_display_title (t));
              clip->field_id = g_strdup (fd->id);
              clip->field_label = g_strdup (ct_field_def_display_label (fd));
              clip->index = i;
              g_ptr_array_add (list, clip);
              if (!clip_media (self, clip, error))
                return NULL;
            }
        }
    }
  if (rc != SQLITE_DONE)
    {
      ct_db_set_error (self->db, error, _("Could not read the forms of the case"));
      return NULL;
    }
  return g_steal_pointer (&list);
}
