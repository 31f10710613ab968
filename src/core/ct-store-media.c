/* ct-store-media.c — evidence media records: import, metadata, storage
 * deadline, interruptions, retention, disposal and verification
 *
 * See ct-media.h.  Long work (copying, hashing, probing) runs without the
 * store lock; the database work of each step is one transaction that also
 * appends its audit row.
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "ct-audit.h"
#include "ct-calendar.h"
#include "ct-crypto.h"
#include "ct-error.h"
#include "ct-media.h"
#include "ct-review.h"
#include "ct-rules.h"
#include "ct-store-private.h"

/* ---- names ------------------------------------------------------------------------------- */

static const char * const category_ids[] = { "patrol", "evidence" };

const char *
ct_media_category_to_id (CtMediaCategory category)
{
  g_return_val_if_fail (category <= CT_MEDIA_CATEGORY_EVIDENCE, NULL);
  return category_ids[category];
}

gboolean
ct_media_category_from_id (const char      *id,
                           CtMediaCategory *out)
{
  for (guint i = 0; i < G_N_ELEMENTS (category_ids); i++)
    if (g_strcmp0 (id, category_ids[i]) == 0)
      {
        *out = i;
        return TRUE;
      }
  return FALSE;
}

const char *
ct_media_category_label (CtMediaCategory category)
{
  return category == CT_MEDIA_CATEGORY_PATROL ? _("Routine patrol") : _("Case evidence");
}

static const char * const reason_ids[] = {
  "device-fault", "battery", "storage", "weather", "obstruction", "other"
};

const char *
ct_interruption_reason_to_id (CtInterruptionReason reason)
{
  g_return_val_if_fail (reason <= CT_INTERRUPTION_OTHER, NULL);
  return reason_ids[reason];
}

gboolean
ct_interruption_reason_from_id (const char           *id,
                                CtInterruptionReason *out)
{
  for (guint i = 0; i < G_N_ELEMENTS (reason_ids); i++)
    if (g_strcmp0 (id, reason_ids[i]) == 0)
      {
        *out = i;
        return TRUE;
      }
  return FALSE;
}

const char *
ct_interruption_reason_label (CtInterruptionReason reason)
{
  switch (reason)
    {
    case CT_INTERRUPTION_DEVICE_FAULT: return _("Device fault or damage");
    case CT_INTERRUPTION_BATTERY:      return _("Battery low");
    case CT_INTERRUPTION_STORAGE:      return _("Storage full");
    case CT_INTERRUPTION_WEATHER:      return _("Severe weather");
    case CT_INTERRUPTION_OBSTRUCTION:  return _("Obstructed by people on site");
    case CT_INTERRUPTION_OTHER:        return _("Other");
    default:                           g_return_val_if_reached (NULL);
    }
}

static const char * const kind_ids[] = { "video", "audio", "photo", "unknown", "document" };

const char *
ct_media_kind_to_id (CtMediaKind kind)
{
  g_return_val_if_fail (kind <= CT_MEDIA_KIND_DOCUMENT, NULL);
  return kind_ids[kind];
}

const char *
ct_media_kind_label (CtMediaKind kind)
{
  switch (kind)
    {
    case CT_MEDIA_KIND_VIDEO:    return _("Video");
    case CT_MEDIA_KIND_AUDIO:    return _("Audio");
    case CT_MEDIA_KIND_PHOTO:    return _("Photo");
    case CT_MEDIA_KIND_DOCUMENT: return _("Scanned document");
    case CT_MEDIA_KIND_UNKNOWN:  return _("Unreadable");
    default:                     g_return_val_if_reached (NULL);
    }
}

/* A document's page count from the probe's answer: a PDF's pages, 1 for a
 * picture, 0 when the probe could not read it. */
static guint
document_pages (const char *probe_json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;
  JsonObject *o, *doc;

  if (probe_json == NULL || !json_parser_load_from_data (parser, probe_json, -1, NULL))
    return 0;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return 0;
  o = json_node_get_object (root);
  if (!json_object_get_boolean_member_with_default (o, "ok", FALSE))
    return 0;
  if (!json_object_has_member (o, "document") ||
      !JSON_NODE_HOLDS_OBJECT (json_object_get_member (o, "document")))
    {
      /* a picture is one page, a multi-page TIFF says how many */
      if (!json_object_has_member (o, "image") || !JSON_NODE_HOLDS_OBJECT (json_object_get_member (o, "image")))
        return 0;
      return (guint) CLAMP (json_object_get_int_member_with_default (json_object_get_object_member (o, "image"),
                                                                     "pages", 1), 1, G_MAXUINT);
    }
  doc = json_object_get_object_member (o, "document");
  return (guint) CLAMP (json_object_get_int_member_with_default (doc, "pages", 0), 0, G_MAXUINT);
}

static CtMediaKind
kind_from_id (const char *id)
{
  for (guint i = 0; i < G_N_ELEMENTS (kind_ids); i++)
    if (g_strcmp0 (id, kind_ids[i]) == 0)
      return i;
  return CT_MEDIA_KIND_UNKNOWN;
}

/* ---- freeing ------------------------------------------------------------------------------- */

void
ct_media_free (CtMedia *m)
{
  if (m == NULL)
    return;
  g_free (m->sha256);
  g_free (m->sm3);
  g_free (m->original_name);
  g_free (m->source_path);
  g_free (m->case_number);
  g_strfreev (m->officers);
  g_strfreev (m->officer_names);
  g_free (m->device);
  g_free (m->title);
  g_free (m->party);
  g_free (m->cause);
  g_free (m->place);
  g_free (m->recorded_at);
  g_free (m->recorded_at_source);
  g_free (m->stored_at);
  g_free (m->imported_by);
  g_free (m->imported_by_name);
  g_free (m->probe_status);
  g_free (m->probe_reason);
  g_free (m->probe_json);
  g_free (m->storage_due);
  g_free (m->retain_until);
  g_free (m->disposed_at);
  g_free (m->parent_sha256);
  g_free (m->parent_name);
  g_free (m->derive_method);
  g_free (m);
}

void
ct_media_import_free (CtMediaImport *import)
{
  if (import == NULL)
    return;
  ct_media_free (import->media);
  g_free (import);
}

void
ct_skipped_path_free (CtSkippedPath *skipped)
{
  if (skipped == NULL)
    return;
  g_free (skipped->path);
  g_free (skipped->reason);
  g_free (skipped);
}

void
ct_interruption_free (CtInterruption *it)
{
  if (it == NULL)
    return;
  g_free (it->officer);
  g_free (it->device);
  g_free (it->stopped_at);
  g_free (it->resumed_at);
  g_free (it->explanation);
  g_free (it->explained_by);
  g_free (it->explained_by_name);
  g_free (it->explained_at);
  g_free (it);
}

/* ---- times ---------------------------------------------------------------------------------- */

static GDateTime *
parse_time (const char *iso)
{
  return iso != NULL ? g_date_time_new_from_iso8601 (iso, NULL) : NULL;
}

static char *
format_utc (GDateTime *dt)
{
  g_autoptr(GDateTime) utc = g_date_time_to_utc (dt);
  g_autofree char *base = g_date_time_format (utc, "%Y-%m-%dT%H:%M:%S");

  return g_strdup_printf ("%s.%03dZ", base, g_date_time_get_microsecond (utc) / 1000);
}

/* "2024-05-17 17:30" in China time, for messages. */
static char *
format_local (GDateTime *dt)
{
  g_autoptr(GTimeZone) cst = g_time_zone_new_identifier ("+08:00");
  g_autoptr(GDateTime) local = g_date_time_to_timezone (dt, cst);

  return g_date_time_format (local, "%Y-%m-%d %H:%M");
}

GDateTime *
ct_media_recorded_end (const CtMedia *m)
{
  g_autoptr(GDateTime) start = parse_time (m->recorded_at);

  if (start == NULL)
    return NULL;
  return g_date_time_add (start, m->duration_ms * G_TIME_SPAN_MILLISECOND);
}

/* ---- finding files ---------------------------------------------------------------------- */

static gboolean
has_media_extension (const char *name)
{
  static const char * const exts[] = {
    ".mp4", ".mov", ".avi", ".mkv", ".3gp", ".ts", ".m4v",
    ".wav", ".mp3", ".aac", ".m4a", ".amr",
    ".jpg", ".jpeg", ".png", ".tif", ".tiff",
    ".pdf", NULL   /* scanned paper */
  };
  g_autofree char *lower = g_ascii_strdown (name, -1);

  for (guint i = 0; exts[i] != NULL; i++)
    if (g_str_has_suffix (lower, exts[i]))
      return TRUE;
  return FALSE;
}

static void
add_skipped (GPtrArray  *skipped,
             const char *path,
             const char *reason)
{
  CtSkippedPath *s = g_new0 (CtSkippedPath, 1);

  s->path = g_strdup (path);
  s->reason = g_strdup (reason);
  g_ptr_array_add (skipped, s);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static void
walk_folder (const char *dir_path,
             guint       depth,
             GPtrArray  *files,
             GPtrArray  *skipped)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, &error);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  if (dir == NULL)
    {
      add_skipped (skipped, dir_path, error->message);
      return;
    }
  if (depth > 32)
    {
      add_skipped (skipped, dir_path, _("Folders nested deeper than 32 levels are not searched."));
      return;
    }
  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);

  for (guint i = 0; i < names->len; i++)
    {
      const char *n = names->pdata[i];
      g_autofree char *child = g_build_filename (dir_path, n, NULL);
      struct stat lst, st;

      if (n[0] == '.')
        continue;   /* hidden files and the camera's own index folders */
      if (lstat (child, &lst) < 0)
        {
          add_skipped (skipped, child, g_strerror (errno));
          continue;
        }
      if (S_ISLNK (lst.st_mode))
        {
          if (stat (child, &st) < 0)
            {
              add_skipped (skipped, child, errno == ELOOP ? _("The symbolic link loops back on itself.")
                                                         : _("The symbolic link points to nothing."));
              continue;
            }
          if (S_ISDIR (st.st_mode))
            {
              add_skipped (skipped, child, _("Symbolic links to folders are not followed."));
              continue;
            }
        }
      else
        st = lst;

      if (S_ISDIR (st.st_mode))
        walk_folder (child, depth + 1, files, skipped);
      else if (!S_ISREG (st.st_mode))
        add_skipped (skipped, child, _("Not a regular file."));
      else if (!has_media_extension (n))
        add_skipped (skipped, child, _("Not a video, audio or photo file by its name."));
      else
        g_ptr_array_add (files, g_steal_pointer (&child));
    }
}

gboolean
ct_media_collect_paths (const char * const *paths,
                        GPtrArray         **files_out,
                        GPtrArray         **skipped_out,
                        GError            **error)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) skipped = g_ptr_array_new_with_free_func ((GDestroyNotify) ct_skipped_path_free);

  for (guint i = 0; paths != NULL && paths[i] != NULL; i++)
    {
      struct stat st;

      if (stat (paths[i], &st) < 0)
        {
          int saved = errno;
          struct stat lst;

          if (lstat (paths[i], &lst) == 0 && S_ISLNK (lst.st_mode))
            {
              /* The importer refuses it with the precise reason. */
              g_ptr_array_add (files, g_strdup (paths[i]));
              continue;
            }
          g_set_error (error, CT_ERROR, CT_ERROR_NOT_FOUND,
                       _("Cannot read “%s”: %s. Check the path and that the card or disk is still connected."),
                       paths[i], g_strerror (saved));
          return FALSE;
        }
      if (S_ISDIR (st.st_mode))
        walk_folder (paths[i], 0, files, skipped);
      else
        g_ptr_array_add (files, g_strdup (paths[i]));
    }

  *files_out = g_steal_pointer (&files);
  if (skipped_out != NULL)
    *skipped_out = g_steal_pointer (&skipped);
  return TRUE;
}

/* ---- the object store ----------------------------------------------------------------------- */

CtObjectStore *
ct_store_get_objects (CtStore *self,
                      GError **error)
{
  g_return_val_if_fail (CT_IS_STORE (self), NULL);

  CT_STORE_LOCK (self);
  if (self->objects == NULL)
    {
      g_autofree char *root = g_build_filename (ct_store_get_data_dir (self), "objects", NULL);
      self->objects = ct_object_store_open (root, error);
    }
  return self->objects;
}

/* ---- reading records -------------------------------------------------------------------------- */

#define MEDIA_COLUMNS \
  "m.id, m.sha256, m.sm3, m.size, m.original_name, m.source_path, m.case_id, c.number, m.category," \
  " m.device, m.title, m.party, m.cause, m.place, m.kind, m.duration_ms, m.recorded_at," \
  " m.recorded_at_source, m.stored_at, u.username, m.probe_status, m.probe_reason, m.probe_json," \
  " m.disposed_at, c.status," \
  " (SELECT count(*) FROM media_holds h WHERE h.media_id = m.id AND h.lifted_at IS NULL)," \
  " (SELECT s.entered_at FROM case_stages s WHERE s.case_id = m.case_id ORDER BY s.id DESC LIMIT 1)," \
  " d.parent_id, d.parent_sha256, p.original_name, d.start_ms, d.end_ms, d.actual_start_ms, d.actual_end_ms," \
  " d.method, u.display_name"

#define MEDIA_FROM \
  " FROM media m LEFT JOIN cases c ON c.id = m.case_id JOIN users u ON u.id = m.imported_by" \
  " LEFT JOIN media_derivations d ON d.media_id = m.id LEFT JOIN media p ON p.id = d.parent_id"

typedef struct {
  const CtMediaPolicy *policy;
  CtCalendar          *calendar;
} Policy;

static gboolean
get_policy (CtStore *self,
            Policy  *out,
            GError **error)
{
  CtRuleSet *rules = ct_store_get_rules (self, error);

  if (rules == NULL)
    return FALSE;
  out->calendar = ct_store_get_calendar (self, error);
  if (out->calendar == NULL)
    return FALSE;
  out->policy = ct_ruleset_get_media_policy (rules);
  return TRUE;
}

static void
compute_policy (CtMedia      *m,
                const Policy *p,
                const char   *case_status,
                const char   *case_concluded_at)
{
  g_autoptr(GDateTime) end = ct_media_recorded_end (m);
  g_autoptr(GDateTime) stored = parse_time (m->stored_at);
  g_autoptr(GDateTime) start = NULL;
  const CtMediaPolicyItem *keep;

  /* The storage limit is about originals reaching the store; a clip
   * exported later from a stored original is not late, and scanned paper
   * is not a recording at all. */
  if (end != NULL && p->policy->storage.set && m->parent_id == 0 && m->kind != CT_MEDIA_KIND_DOCUMENT)
    {
      g_autoptr(GDateTime) due = ct_calendar_deadline (p->calendar, end, p->policy->storage.unit,
                                                       p->policy->storage.amount, NULL);
      if (due != NULL)
        {
          m->storage_due = format_utc (due);
          m->late = stored != NULL && g_date_time_compare (stored, due) > 0;
        }
    }

  if (m->held || m->disposed_at != NULL)
    return;
  /* Evidence is kept as long as its case file: the period runs from the
   * case's conclusion.  Patrol footage from the end of the recording. */
  if (m->category == CT_MEDIA_CATEGORY_EVIDENCE)
    {
      keep = &p->policy->retention_evidence;
      if (m->case_id != 0 && g_strcmp0 (case_status, "open") == 0)
        return;
      start = m->case_id != 0 ? parse_time (case_concluded_at) : g_date_time_ref (stored);
    }
  else
    {
      keep = &p->policy->retention_patrol;
      start = end != NULL ? g_date_time_ref (end) : (stored != NULL ? g_date_time_ref (stored) : NULL);
    }
  if (keep->set && start != NULL)
    {
      g_autoptr(GDateTime) until = g_date_time_add_months (start, keep->months);
      m->retain_until = format_utc (until);
    }
}

static CtMedia *
media_from_row (sqlite3_stmt *stmt)
{
  CtMedia *m = g_new0 (CtMedia, 1);
  g_autofree char *category = NULL;
  g_autofree char *kind = NULL;

  m->id = sqlite3_column_int64 (stmt, 0);
  m->sha256 = ct_db_column_dup (stmt, 1);
  m->sm3 = ct_db_column_dup (stmt, 2);
  m->size = sqlite3_column_int64 (stmt, 3);
  m->original_name = ct_db_column_dup (stmt, 4);
  m->source_path = ct_db_column_dup (stmt, 5);
  m->case_id = sqlite3_column_int64 (stmt, 6);
  m->case_number = ct_db_column_dup (stmt, 7);
  category = ct_db_column_dup (stmt, 8);
  if (!ct_media_category_from_id (category, &m->category))
    m->category = CT_MEDIA_CATEGORY_EVIDENCE;
  m->device = ct_db_column_dup (stmt, 9);
  m->title = ct_db_column_dup (stmt, 10);
  m->party = ct_db_column_dup (stmt, 11);
  m->cause = ct_db_column_dup (stmt, 12);
  m->place = ct_db_column_dup (stmt, 13);
  kind = ct_db_column_dup (stmt, 14);
  m->kind = kind_from_id (kind);
  m->duration_ms = sqlite3_column_int64 (stmt, 15);
  m->recorded_at = ct_db_column_dup (stmt, 16);
  m->recorded_at_source = ct_db_column_dup (stmt, 17);
  m->stored_at = ct_db_column_dup (stmt, 18);
  m->imported_by = ct_db_column_dup (stmt, 19);
  m->probe_status = ct_db_column_dup (stmt, 20);
  m->probe_reason = ct_db_column_dup (stmt, 21);
  m->probe_json = ct_db_column_dup (stmt, 22);
  m->disposed_at = ct_db_column_dup (stmt, 23);
  m->held = sqlite3_column_int64 (stmt, 25) > 0;
  m->parent_id = sqlite3_column_int64 (stmt, 27);
  m->parent_sha256 = ct_db_column_dup (stmt, 28);
  m->parent_name = ct_db_column_dup (stmt, 29);
  m->clip_start_ms = sqlite3_column_int64 (stmt, 30);
  m->clip_end_ms = sqlite3_column_int64 (stmt, 31);
  m->clip_actual_start_ms = sqlite3_column_int64 (stmt, 32);
  m->clip_actual_end_ms = sqlite3_column_int64 (stmt, 33);
  m->derive_method = ct_db_column_dup (stmt, 34);
  m->imported_by_name = ct_db_column_dup (stmt, 35);
  if (m->kind == CT_MEDIA_KIND_DOCUMENT)
    m->pages = document_pages (m->probe_json);
  return m;
}

static gboolean
load_officers (CtStore *self,
               CtMedia *m,
               GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) displays = g_strv_builder_new ();

  stmt = ct_db_prepare (self->db,
                        "SELECT u.username, u.display_name FROM media_officers o JOIN users u ON u.id = o.user_id"
                        " WHERE o.media_id = ? ORDER BY o.position",
                        error);
  if (stmt == NULL)
    return FALSE;
  ct_db_bind_int64 (stmt, 1, m->id);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_strv_builder_add (names, (const char *) sqlite3_column_text (stmt, 0));
      g_strv_builder_add (displays, (const char *) sqlite3_column_text (stmt, 1));
    }
  m->officers = g_strv_builder_end (names);
  m->officer_names = g_strv_builder_end (displays);
  return TRUE;
}

/* Reads the media matching @where (with one int64 parameter unless
 * @param is G_MININT64).  Lock held. */
static GPtrArray *
query_media (CtStore    *self,
             const char *where,
             gint64      param,
             GError    **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) ct_media_free);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *sql = g_strconcat ("SELECT " MEDIA_COLUMNS MEDIA_FROM, where,
                                      " ORDER BY m.recorded_at IS NULL, m.recorded_at, m.id", NULL);
  Policy policy;
  int rc;

  if (!get_policy (self, &policy, error))
    return NULL;
  stmt = ct_db_prepare (self->db, sql, error);
  if (stmt == NULL)
    return NULL;
  if (param != G_MININT64)
    ct_db_bind_int64 (stmt, 1, param);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CtMedia *m = media_from_row (stmt);
      g_ptr_array_add (list, m);
      compute_policy (m, &policy, (const char *) sqlite3_column_text (stmt, 24),
                      (const char *) sqlite3_column_text (stmt, 26));
    }
  if (rc != SQLITE_DONE)
    {
      ct_db_set_error (self->db, error, _("Could not read the media records"));
      return NULL;
    }
  g_clear_pointer (&stmt, sqlite3_finalize);
  for (guint i = 0; i < list->len; i++)
    if (!load_officers (self, list->pdata[i], error))
      return NULL;
  return g_steal_pointer (&list);
}

GPtrArray *
ct_store_list_media (CtStore *self,
                     gint64   case_id,
                     GError **error)
{
  g_return_val_if_fail (CT_IS_STORE (self), NULL);

  CT_STORE_LOCK (self);
  if (case_id > 0)
    return query_media (self, " WHERE m.case_id = ?", case_id, error);
  return query_media (self, "", G_MININT64, error);
}

static CtMedia *
get_media_by_id (CtStore *self,
                 gint64   id,
                 GError **error)
{
  g_autoptr(GPtrArray) list = query_media (self, " WHERE m.id = ?", id, error);

  if (list == NULL)
    return NULL;
  if (list->len == 0)
    {
      g_set_error (error, CT_ERROR, CT_ERROR_NOT_FOUND, _("There is no medium %" PRId64 "."), id);
      return NULL;
    }
  return g_ptr_array_steal_index (list, 0);
}

CtMedia *
ct_store_get_media (CtStore    *self,
                    const char *ref,
                    GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *lower = NULL;
  gint64 id = 0;
  guint64 parsed;
  gsize len;

  g_return_val_if_fail (CT_IS_STORE (self), NULL);
  g_return_val_if_fail (ref != NULL, NULL);

  CT_STORE_LOCK (self);
  if (g_str_has_prefix (ref, "sha256:"))
    ref += strlen ("sha256:");
  len = strlen (ref);
  if (len > 0 && len <= 12 && g_ascii_string_to_unsigned (ref, 10, 1, G_MAXINT64, &parsed, NULL))
    return get_media_by_id (self, (gint64) parsed, error);

  lower = g_ascii_strdown (ref, -1);
  if (len < 8 || len > 64 || strspn (lower, "0123456789abcdef") != len)
    {
      g_set_error (error, CT_ERROR, CT_ERROR_INVALID,
                   _("“%s” is neither a medium number nor a SHA-256 (at least 8 hex digits)."), ref);
      return NULL;
    }
  stmt = ct_db_prepare (self->db, "SELECT id FROM media WHERE substr (sha256, 1, ?) = ? LIMIT 2", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int (stmt, 1, (int) len);
  ct_db_bind_text (stmt, 2, lower);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      if (id != 0)
        {
          g_set_error (error, CT_ERROR, CT_ERROR_INVALID,
                       _("More than one medium has a SHA-256 starting with “%s”; give more digits."), ref);
          return NULL;
        }
      id = sqlite3_column_int64 (stmt, 0);
    }
  if (id == 0)
    {
      g_set_error (error, CT_ERROR, CT_ERROR_NOT_FOUND, _("No medium has a SHA-256 starting with “%s”."), ref);
      return NULL;
    }
  return get_media_by_id (self, id, error);
}

/* ---- who may touch media ------------------------------------------------------------------------ */

static gboolean
is_case_officer (CtCase    *c,
                 CtSession *session)
{
  for (guint i = 0; c->officers != NULL && i < c->officers->len; i++)
    if (((CtCaseOfficer *) c->officers->pdata[i])->user_id == ct_session_get_user_id (session))
      return TRUE;
  return FALSE;
}

/* Attaching media to @c, or changing media attached to it. */
static gboolean
may_attach (CtCase     *c,
            CtSession  *session,
            GError    **error)
{
  if (g_strcmp0 (c->status, "archived") == 0)
    {
      g_set_error (error, CT_ERROR, CT_ERROR_PERMISSION,
                   _("Case %s is archived and can no longer change."), c->number);
      return FALSE;
    }
  if (is_case_officer (c, session) ||
      ct_session_has_role (session, CT_ROLE_SUPERVISOR) ||
      ct_session_has_role (session, CT_ROLE_ARCHIVIST))
    return TRUE;
  g_set_error (error, CT_ERROR, CT_ERROR_PERMISSION,
               _("%s is not an officer of case %s; only its officers, supervisors and the records "
                 "officer may add or change its media."),
               ct_session_get_display_name (session), c->number);
  return FALSE;
}

static gboolean
may_import (CtSession  *session,
            GError    **error)
{
  if (session == NULL)
    {
      g_set_error (error, CT_ERROR, CT_ERROR_PERMISSION, _("Sign in to import media."));
      return FALSE;
    }
  if (ct_session_get_roles (session) & (CT_ROLE_HANDLER | CT_ROLE_ASSISTANT | CT_ROLE_SUPERVISOR | CT_ROLE_ARCHIVIST))
    return TRUE;
  g_set_error (error, CT_ERROR, CT_ERROR_PERMISSION,
               _("%s may not import media: that needs the role of case handler, assisting officer, "
                 "supervisor or records officer."),
               ct_session_get_display_name (session));
  return FALSE;
}

/* ---- checking what a person states -------------------------------------------------------------- */

typedef struct {
  CtCase          *c;           /* NULL: no case */
  gboolean         detach;      /* update: "" detaches from the case */
  GArray          *officer_ids; /* gint64, NULL: not given */
  char            *recorded_at; /* normalized UTC, NULL: not given */
  gboolean         has_category;
  CtMediaCategory  category;
} Checked;

static void
checked_clear (Checked *ck)
{
  g_clear_pointer (&ck->c, ct_case_free);
  g_clear_pointer (&ck->officer_ids, g_array_unref);
  g_clear_pointer (&ck->recorded_at, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Checked, checked_clear)

/* Lock held. */
static gboolean
check_spec (CtStore           *self,
            CtSession         *session,
            const CtMediaSpec *spec,
            Checked           *ck,
            GError           **error)
{
  if (spec == NULL)
    return TRUE;

  if (spec->case_ref != NULL && *spec->case_ref == '\0')
    ck->detach = TRUE;
  else if (spec->case_ref != NULL)
    {
      ck->c = ct_store_read_case (self, spec->case_ref, error);
      if (ck->c == NULL || !may_attach (ck->c, session, error))
        return FALSE;
    }

  if (spec->officers != NULL)
    {
      ck->officer_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
      for (guint i = 0; spec->officers[i] != NULL; i++)
        {
          g_autoptr(sqlite3_stmt) stmt = ct_db_prepare (self->db, "SELECT id FROM users WHERE username = ?", error);
          gint64 id;

          if (stmt == NULL)
            return FALSE;
          ct_db_bind_text (stmt, 1, spec->officers[i]);
          if (sqlite3_step (stmt) != SQLITE_ROW)
            {
              g_set_error (error, CT_ERROR, CT_ERROR_NOT_FOUND,
                           _("There is no user “%s”; name the officers who recorded the file by their user names."),
                           spec->officers[i]);
              return FALSE;
            }
          id = sqlite3_column_int64 (stmt, 0);
          for (guint k = 0; k < ck->officer_ids->len; k++)
            if (g_array_index (ck->officer_ids, gint64, k) == id)
              id = 0;
          if (id != 0)
            g_array_append_val (ck->officer_ids, id);
        }
    }

  if (spec->recorded_at != NULL)
    {
      g_autoptr(GDateTime) dt = g_date_time_new_from_iso8601 (spec->recorded_at, NULL);
      if (dt == NULL)
        {
          g_set_error (error, CT_ERROR, CT_ERROR_INVALID,
                       _("“%s” is not a date and time with a time zone, e.g. 2025-03-08T09:30:00+08:00."),
                       spec->recorded_at);
          return FALSE;
        }
      ck->recorded_at = format_utc (dt);
    }

  if (spec->category != NULL)
    {
      if (!ct_media_category_from_id (spec->category, &ck->category))
        {
          g_set_error (error, CT_ERROR, CT_ERROR_INVALID,
                       _("Unknown category “%s”; use “patrol” (routine patrol) or “evidence” (case evidence)."),
                       spec->category);
          return FALSE;
        }
      ck->has_category = TRUE;
    }
  return TRUE;
}

static gboolean
insert_officers (CtStore *self,
                 gint64   media_id,
                 GArray  *ids,
                 GError **error)
{
  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(sqlite3_stmt) stmt =
        ct_db_prepare (self->db, "INSERT INTO media_officers (media_id, user_id, position) VALUES (?, ?, ?)", error);
      if (stmt == NULL)
        return FALSE;
      ct_db_bind_int64 (stmt, 1, media_id);
      ct_db_bind_int64 (stmt, 2, g_array_index (ids, gint64, i));
      ct_db_bind_int64 (stmt, 3, i);
      if (!ct_db_step_done (self->db, stmt, error))
        return FALSE;
    }
  return TRUE;
}

/* ---- import ------------------------------------------------------------------------------------- */

/* The export of a clip: the parent, the range asked for and, once cut,
 * what the copy holds. */
typedef struct {
  const CtMedia    *parent;
  const char       *parent_path;   /* the parent's object */
  const char       *name;          /* the clip's file name */
  gint64            start_ms;
  gint64            end_ms;
  const CtProbeCut *cut;           /* NULL until cut */
} Derivation;

/* Audits a failed import ("media.import-failed"), or a failed clip export
 * ("media.clip-export-failed") when @derive is given; "-cancelled" for a
 * cancellation. */
static void
audit_failure_full (CtStore          *self,
                    CtSession        *session,
                    const char       *path,
                    gint64            case_id,
                    const char       *stage,
                    const Derivation *derive,
                    GError           *failure)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *detail = NULL;
  g_autofree char *action = NULL;
  g_autofree char *target = NULL;
  gboolean cancelled = g_error_matches (failure, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  if (derive != NULL)
    {
      g_autofree char *start = g_strdup_printf ("%" G_GINT64_FORMAT, derive->start_ms);
      g_autofree char *end = g_strdup_printf ("%" G_GINT64_FORMAT, derive->end_ms);

      detail = ct_store_detail_json ("parent_sha256", derive->parent->sha256, "start_ms", start, "end_ms", end,
                                     "stage", stage, "error", failure->message, NULL);
      action = g_strdup (cancelled ? "media.clip-export-cancelled" : "media.clip-export-failed");
      target = g_strdup_printf ("%" G_GINT64_FORMAT, derive->parent->id);
    }
  else
    {
      detail = ct_store_detail_json ("path", path, "stage", stage,
                                     "error", failure->message, NULL);
      action = g_strdup (cancelled ? "media.import-cancelled" : "media.import-failed");
      target = g_steal_pointer (&base);
    }
  CT_STORE_LOCK (self);
  if (!ct_db_begin (self->db, &error))
    goto fail;
  if (ct_store_audit (self, session, action, "media", target, case_id, detail, &error) == 0)
    {
      ct_db_rollback (self->db);
      goto fail;
    }
  if (ct_db_commit (self->db, &error))
    return;
fail:
  /* The failure itself is reported to the person; that it could not be
   * audited must not hide it, but is added to it. */
  {
    char *msg = g_strdup_printf (_("%s (The failure could not be written to the audit log either: %s)"),
                                 failure->message, error->message);
    g_free (failure->message);
    failure->message = msg;
  }
}

/* What the person may state the kind of a file to be, before it is copied:
 * "document" for a PDF or a picture, "photo" for a picture (not a PDF). */
static gboolean
check_kind (const char  *kind,
            const char  *name,
            GError     **error)
{
  g_autofree char *lower = g_ascii_strdown (name, -1);
  gboolean pdf = g_str_has_suffix (lower, ".pdf");
  gboolean picture = g_str_has_suffix (lower, ".jpg") || g_str_has_suffix (lower, ".jpeg") ||
                     g_str_has_suffix (lower, ".png") || g_str_has_suffix (lower, ".tif") ||
                     g_str_has_suffix (lower, ".tiff");

  if (kind == NULL)
    return TRUE;
  if (g_strcmp0 (kind, "document") == 0 && (pdf || picture))
    return TRUE;
  if (g_strcmp0 (kind, "photo") == 0 && picture)
    return TRUE;
  if (g_strcmp0 (kind, "document") == 0 || g_strcmp0 (kind, "photo") == 0)
    g_set_error (error, CT_ERROR, CT_ERROR_INVALID,
                 g_strcmp0 (kind, "document") == 0
                 ? _("“%s” cannot be a scanned document: scans are PDF, PNG, JPEG or TIFF files.")
                 : _("“%s” cannot be a photo: photos are PNG, JPEG or TIFF files."),
                 name);
  else
    g_set_error (error, CT_ERROR, CT_ERROR_INVALID,
                 _("Unknown kind “%s”: say “document” or “photo”."), kind);
  return FALSE;
}

/* A PDF is always a document, whether the probe could read it or not (a
 * malformed scan is an unreadable document); a TIFF is one unless the
 * person says "photo"; any picture is one when the person says so. */
static gboolean
is_document (const CtProbeResult *probe,
             const char          *name,
             const char          *kind)
{
  g_autofree char *lower = g_ascii_strdown (name, -1);

  if (probe != NULL && probe->status == CT_PROBE_OK && probe->is_document)
    return TRUE;
  if (probe != NULL && probe->status == CT_PROBE_OK && (probe->has_audio || (probe->has_video && !probe->is_image)))
    return FALSE;   /* a recording, whatever its name */
  if (g_str_has_suffix (lower, ".pdf"))
    return TRUE;
  if (g_strcmp0 (kind, "document") == 0)
    return TRUE;
  return kind == NULL && (g_str_has_suffix (lower, ".tif") || g_str_has_suffix (lower, ".tiff"));
}

static CtMediaKind
kind_of_probe (const CtProbeResult *probe)
{
  if (probe == NULL || probe->status != CT_PROBE_OK)
    return CT_MEDIA_KIND_UNKNOWN;
  if (probe->is_document)
    return CT_MEDIA_KIND_DOCUMENT;
  if (probe->is_image)
    return CT_MEDIA_KIND_PHOTO;
  if (probe->has_video)
    return CT_MEDIA_KIND_VIDEO;
  if (probe->has_audio)
    return CT_MEDIA_KIND_AUDIO;
  return CT_MEDIA_KIND_UNKNOWN;
}

static char *
device_from_probe (const CtProbeResult *probe)
{
  if (probe == NULL || probe->status != CT_PROBE_OK)
    return NULL;
  if (probe->device_serial != NULL)
    return g_strdup (probe->device_serial);
  return NULL;
}

static gboolean
agency_uses_sm3 (CtStore *self)
{
  g_autoptr(CtAgency) agency = ct_store_get_agency (self, NULL);

  return agency != NULL && agency->national_crypto;
}

/* The provenance row of a clip.  Lock held, in the record's transaction. */
static gboolean
insert_derivation (CtStore          *self,
                   CtSession        *session,
                   const Derivation *derive,
                   gint64            media_id,
                   const char       *now,
                   GError          **error)
{
  g_autoptr(sqlite3_stmt) stmt =
    ct_db_prepare (self->db,
                   "INSERT INTO media_derivations (media_id, parent_id, parent_sha256, start_ms, end_ms,"
                   " actual_start_ms, actual_end_ms, method, created_at, created_by)"
                   " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", error);

  if (stmt == NULL)
    return FALSE;
  ct_db_bind_int64 (stmt, 1, media_id);
  ct_db_bind_int64 (stmt, 2, derive->parent->id);
  ct_db_bind_text (stmt, 3, derive->parent->sha256);
  ct_db_bind_int64 (stmt, 4, derive->start_ms);
  ct_db_bind_int64 (stmt, 5, derive->end_ms);
  ct_db_bind_int64 (stmt, 6, derive->cut->start_ms);
  ct_db_bind_int64 (stmt, 7, derive->cut->end_ms);
  ct_db_bind_text (stmt, 8, derive->cut->method);
  ct_db_bind_text (stmt, 9, now);
  ct_db_bind_int64 (stmt, 10, ct_session_get_user_id (session));
  return ct_db_step_done (self->db, stmt, error);
}

/* "media.clip-export" on the new medium: parent, both ranges, new hash. */
static gboolean
audit_clip (CtStore          *self,
            CtSession        *session,
            const Derivation *derive,
            gint64            media_id,
            const char       *sha256,
            gboolean          already,
            GError          **error)
{
  g_autofree char *id_str = g_strdup_printf ("%" G_GINT64_FORMAT, media_id);
  g_autofree char *parent_id = g_strdup_printf ("%" G_GINT64_FORMAT, derive->parent->id);
  g_autofree char *start = g_strdup_printf ("%" G_GINT64_FORMAT, derive->start_ms);
  g_autofree char *end = g_strdup_printf ("%" G_GINT64_FORMAT, derive->end_ms);
  g_autofree char *actual_start = g_strdup_printf ("%" G_GINT64_FORMAT, derive->cut->start_ms);
  g_autofree char *actual_end = g_strdup_printf ("%" G_GINT64_FORMAT, derive->cut->end_ms);
  g_autofree char *detail =
    ct_store_detail_json ("parent_id", parent_id, "parent_sha256", derive->parent->sha256,
                          "start_ms", start, "end_ms", end,
                          "actual_start_ms", actual_start, "actual_end_ms", actual_end,
                          "method", derive->cut->method, "container", derive->cut->container,
                          "sha256", sha256, "name", derive->name,
                          "already_present", already ? "yes" : "no", NULL);

  return ct_store_audit (self, session, "media.clip-export", "media", id_str, derive->parent->case_id,
                         detail, error) != 0;
}

/* Imports @path; with @derive, as a clip of derive->parent: the caller
 * checked the permission and @spec (without case_ref) carries what is copied
 * from the parent, and the case is the parent's. */
static CtMediaImport *
import_media (CtStore           *self,
              CtSession         *session,
              const char        *path,
              const CtMediaSpec *spec,
              const Derivation  *derive,
              CtImportProgress   progress,
              gpointer           user_data,
              GCancellable      *cancellable,
              GError           **error)
{
  g_auto(Checked) ck = { 0 };
  g_autoptr(CtObjectInfo) info = NULL;
  g_autoptr(CtProbeResult) probe = NULL;
  g_autoptr(GError) local = NULL;
  g_autoptr(GError) probe_error = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *object_path = NULL;
  g_autofree char *now = NULL;
  g_autofree char *recorded_at = NULL;
  g_autofree char *base = NULL;
  g_autofree char *device = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *id_str = NULL;
  g_autofree char *size_str = NULL;
  g_autofree char *officers_str = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *absolute = NULL;
  const char *recorded_source = NULL;
  CtObjectStore *objects;
  CtMediaCategory category;
  CtMediaKind kind;
  gboolean already = FALSE;
  gint64 case_id = 0;
  gint64 media_id = 0;
  CtMediaImport *result;

  g_return_val_if_fail (CT_IS_STORE (self), NULL);
  g_return_val_if_fail (path != NULL, NULL);

  if (derive == NULL && !may_import (session, error))
    return NULL;
  absolute = derive != NULL ? g_strdup (derive->parent_path) : g_canonicalize_filename (path, NULL);
  base = derive != NULL ? g_strdup (derive->name) : g_path_get_basename (path);
  if (spec != NULL && !check_kind (spec->kind, base, error))
    return NULL;

  /* What the person states, and the rule packs the record will be read
   * with, are checked before anything is copied. */
  {
    Policy policy;
    CT_STORE_LOCK (self);
    if (!get_policy (self, &policy, error) ||
        !check_spec (self, session, spec, &ck, error))
      return NULL;
    if (derive != NULL && derive->parent->case_id != 0)
      {
        g_autofree char *ref = g_strdup_printf ("%" G_GINT64_FORMAT, derive->parent->case_id);
        ck.c = ct_store_read_case (self, ref, error);
        if (ck.c == NULL)
          return NULL;
      }
  }
  case_id = ck.c != NULL ? ck.c->id : 0;
  category = ck.has_category ? ck.category : (ck.c != NULL ? CT_MEDIA_CATEGORY_EVIDENCE : CT_MEDIA_CATEGORY_PATROL);
  if (category == CT_MEDIA_CATEGORY_EVIDENCE && ck.c == NULL)
    {
      g_set_error (error, CT_ERROR, CT_ERROR_INVALID,
                   _("Case evidence must belong to a case: choose the case, or import it as routine patrol footage."));
      return NULL;
    }
  if (ck.officer_ids == NULL)
    {
      gint64 me = ct_session_get_user_id (session);
      ck.officer_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_array_append_val (ck.officer_ids, me);
    }

  objects = ct_store_get_objects (self, &local);
  if (objects == NULL ||
      !ct_object_store_import (objects, path, agency_uses_sm3 (self), TRUE, progress, user_data,
                               cancellable, &info, &already, &local))
    {
      audit_failure_full (self, session, absolute, case_id, "copy", derive, local);
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }

  /* The probe reads the stored, verified copy: what it says is about the
   * evidence, not about a card that may change. */
  object_path = ct_object_store_path (objects, info->sha256);
  probe = ct_probe_file_full (NULL, object_path, 0, cancellable, &probe_error);
  if (probe == NULL && g_error_matches (probe_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      audit_failure_full (self, session, absolute, case_id, "probe", derive, probe_error);
      g_propagate_error (error, g_steal_pointer (&probe_error));
      return NULL;
    }

  kind = derive == NULL && is_document (probe, base, spec != NULL ? spec->kind : NULL)
         ? CT_MEDIA_KIND_DOCUMENT : kind_of_probe (probe);
  if (derive != NULL)
    {
      /* the parent's time, moved by where the copy starts */
      recorded_at = g_strdup (ck.recorded_at);
      recorded_source = recorded_at != NULL ? derive->parent->recorded_at_source : NULL;
    }
  else if (ck.recorded_at != NULL)
    {
      recorded_at = g_strdup (ck.recorded_at);
      recorded_source = "person";
    }
  /* scanned paper has no recording time: a scan's own date is when it was
   * scanned (it stays in the probe answer); only a person's word is taken */
  else if (probe != NULL && probe->created_at != NULL && kind != CT_MEDIA_KIND_DOCUMENT)
    {
      recorded_at = format_utc (probe->created_at);
      recorded_source = "file";
    }
  device = spec != NULL && spec->device != NULL && *spec->device != '\0' ? g_strdup (spec->device)
                                                                         : device_from_probe (probe);

  {
    CT_STORE_LOCK (self);

    if (!ct_db_begin (self->db, &local))
      goto fail_unlocked;

    stmt = ct_db_prepare (self->db, "SELECT id FROM media WHERE sha256 = ?", &local);
    if (stmt == NULL)
      goto fail;
    ct_db_bind_text (stmt, 1, info->sha256);
    if (sqlite3_step (stmt) == SQLITE_ROW)
      media_id = sqlite3_column_int64 (stmt, 0);
    g_clear_pointer (&stmt, sqlite3_finalize);

    now = ct_db_now_iso ();
    if (media_id != 0)
      {
        /* The same content again: recorded once; the attempt is audited. */
        id_str = g_strdup_printf ("%" G_GINT64_FORMAT, media_id);
        detail = ct_store_detail_json ("sha256", info->sha256, "source_path", absolute, NULL);
        if (derive == NULL &&
            ct_store_audit (self, session, "media.import-again", "media", id_str, case_id, detail, &local) == 0)
          goto fail;
        if (derive != NULL && !audit_clip (self, session, derive, media_id, info->sha256, TRUE, &local))
          goto fail;
        already = TRUE;
      }
    else
      {
        stmt = ct_db_prepare (self->db,
                              "INSERT INTO media (sha256, sm3, size, original_name, source_path, case_id, category,"
                              " device, title, party, cause, place, kind, duration_ms, recorded_at, recorded_at_source,"
                              " stored_at, imported_by, probe_status, probe_reason, probe_json)"
                              " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18,"
                              " ?19, ?20, ?21)",
                              &local);
        if (stmt == NULL)
          goto fail;
        ct_db_bind_text (stmt, 1, info->sha256);
        ct_db_bind_text (stmt, 2, info->sm3);
        ct_db_bind_int64 (stmt, 3, (gint64) info->size);
        ct_db_bind_text (stmt, 4, base);
        ct_db_bind_text (stmt, 5, absolute);
        if (case_id != 0)
          ct_db_bind_int64 (stmt, 6, case_id);
        else
          sqlite3_bind_null (stmt, 6);
        ct_db_bind_text (stmt, 7, ct_media_category_to_id (category));
        ct_db_bind_text (stmt, 8, device);
        ct_db_bind_text (stmt, 9, spec != NULL && spec->title != NULL ? spec->title : base);
        ct_db_bind_text (stmt, 10, spec != NULL && spec->party != NULL ? spec->party
                                   : (ck.c != NULL ? ck.c->party.name : NULL));
        ct_db_bind_text (stmt, 11, spec != NULL && spec->cause != NULL ? spec->cause
                                   : (ck.c != NULL ? ck.c->cause : NULL));
        ct_db_bind_text (stmt, 12, spec != NULL ? spec->place : NULL);
        ct_db_bind_text (stmt, 13, ct_media_kind_to_id (kind));
        ct_db_bind_int64 (stmt, 14, probe != NULL && probe->status == CT_PROBE_OK ? probe->duration_ms : 0);
        ct_db_bind_text (stmt, 15, recorded_at);
        ct_db_bind_text (stmt, 16, recorded_source);
        ct_db_bind_text (stmt, 17, now);
        ct_db_bind_int64 (stmt, 18, ct_session_get_user_id (session));
        if (probe == NULL)
          {
            g_autofree char *why = g_strdup_printf (_("The media probe could not run: %s"), probe_error->message);
            ct_db_bind_text (stmt, 19, "unprobed");
            ct_db_bind_text (stmt, 20, why);
            ct_db_bind_text (stmt, 21, NULL);
          }
        else
          {
            ct_db_bind_text (stmt, 19, probe->status == CT_PROBE_OK ? "ok" : "unreadable");
            ct_db_bind_text (stmt, 20, probe->reason);
            ct_db_bind_text (stmt, 21, probe->json);
          }
        if (!ct_db_step_done (self->db, stmt, &local))
          goto fail;
        g_clear_pointer (&stmt, sqlite3_finalize);
        media_id = sqlite3_last_insert_rowid (ct_db_handle (self->db));
        if (!insert_officers (self, media_id, ck.officer_ids, &local))
          goto fail;

        id_str = g_strdup_printf ("%" G_GINT64_FORMAT, media_id);
        size_str = g_strdup_printf ("%" G_GUINT64_FORMAT, info->size);
        {
          g_autoptr(GString) o = g_string_new (NULL);
          for (guint i = 0; i < ck.officer_ids->len; i++)
            g_string_append_printf (o, "%s%" G_GINT64_FORMAT, i ? "," : "", g_array_index (ck.officer_ids, gint64, i));
          officers_str = g_string_free (g_steal_pointer (&o), FALSE);
        }
        detail = ct_store_detail_json ("sha256", info->sha256, "sm3", info->sm3, "size", size_str,
                                       "name", base, "source_path", absolute,
                                       "category", ct_media_category_to_id (category),
                                       "kind", ct_media_kind_to_id (kind),
                                       "officer_ids", officers_str, "device", device,
                                       "recorded_at", recorded_at, "recorded_at_source", recorded_source,
                                       "stored_at", now,
                                       "probe", probe == NULL ? "unprobed" : probe->status == CT_PROBE_OK ? "ok" : "unreadable",
                                       NULL);
        if (derive == NULL &&
            ct_store_audit (self, session, "media.import", "media", id_str, case_id, detail, &local) == 0)
          goto fail;
        if (derive != NULL &&
            (!insert_derivation (self, session, derive, media_id, now, &local) ||
             !audit_clip (self, session, derive, media_id, info->sha256, FALSE, &local)))
          goto fail;
        if (case_id != 0)
          {
            if (derive != NULL)
              summary = g_strdup_printf (_("Clip of “%s” exported as “%s”"), derive->parent->original_name, base);
            else
              summary = g_strdup_printf (_("Media “%s” imported"), base);
            if (!ct_store_add_event (self, session, case_id, "media", summary, &local) ||
                !ct_store_touch_case (self, case_id, &local))
              goto fail;
          }
      }
    if (!ct_db_commit (self->db, &local))
      goto fail_unlocked;

    result = g_new0 (CtMediaImport, 1);
    result->already_present = already;
    result->media = get_media_by_id (self, media_id, error);
    if (result->media == NULL)
      {
        ct_media_import_free (result);
        return NULL;
      }
    return result;

  fail:
    ct_db_rollback (self->db);
  fail_unlocked:
    ;
  }
  /* The verified object stays in the store (content-addressed, so a retry
   * finds it); only the record failed. */
  audit_failure_full (self, session, absolute, case_id, "record", derive, local);
  g_propagate_error (error, g_steal_pointer (&local));
  return NULL;
}

CtMediaImport *
ct_store_import_media (CtStore           *self,
                       CtSession         *session,
                       const char        *path,
                       const CtMediaSpec *spec,
                       CtImportProgress   progress,
                       gpointer           user_data,
                       GCancellable      *cancellable,
                       GError           **error)
{
  return import_media (self, session, path, spec, NULL, progress, user_data, cancellable, error);
}

/* ---- exporting clips ------------------------------------------------------------------------------ */

/* "IMG_0001.mp4" → "IMG_0001 clip 00-01-02.000-00-01-10.000.mp4" (no colons: it may
 * be copied to removable media). */
static char *
clip_name (const CtMedia *parent,
           gint64         start_ms,
           gint64         end_ms)
{
  const char *dot = strrchr (parent->original_name, '.');
  g_autofree char *stem = dot != NULL && dot != parent->original_name
                          ? g_strndup (parent->original_name, (gsize) (dot - parent->original_name))
                          : g_strdup (parent->original_name);
  g_autofree char *ext = dot != NULL && dot != parent->original_name ? g_ascii_strdown (dot, -1) : g_strdup ("");
  g_autofree char *from = ct_format_offset (start_ms);
  g_autofree char *to = ct_format_offset (end_ms);

  g_strdelimit (from, ":", '-');
  g_strdelimit (to, ":", '-');
  return g_strdup_printf ("%s clip %s-%s%s", stem, from, to, ext);
}

gint64
ct_store_export_clip (CtStore       *self,
                      CtSession     *session,
                      gint64         media_id,
                      gint64         start_ms,
                      gint64         end_ms,
                      GCancellable  *cancellable,
                      GError       **error)
{
  g_autoptr(CtMedia) parent = NULL;
  g_autoptr(CtProbeCut) cut = NULL;
  g_autoptr(CtMediaImport) import = NULL;
  g_autoptr(GError) local = NULL;
  g_autofree char *parent_path = NULL;
  g_autofree char *name = NULL;
  g_autofree char *tmp_path = NULL;
  g_autofree char *recorded_at = NULL;
  g_autofree char *title = NULL;
  Derivation derive = { 0 };
  CtMediaSpec spec = { 0 };
  CtObjectStore *objects;
  const char *stage = "check";
  int fd;

  g_return_val_if_fail (CT_IS_STORE (self), 0);

  {
    CT_STORE_LOCK (self);
    parent = get_media_by_id (self, media_id, error);
  }
  if (parent == NULL)
    return 0;
  derive.parent = parent;
  derive.start_ms = start_ms;
  derive.end_ms = end_ms;

  if (!ct_store_may_open_media (self, session, parent, &local))
    {
      stage = "permission";
      goto fail;
    }
  if (g_strcmp0 (parent->probe_status, "ok") != 0 ||
      (parent->kind != CT_MEDIA_KIND_VIDEO && parent->kind != CT_MEDIA_KIND_AUDIO))
    {
      if (parent->kind == CT_MEDIA_KIND_PHOTO)
        g_set_error (&local, CT_ERROR, CT_ERROR_INVALID,
                     _("“%s” is a photo: clips are cut from video and audio recordings."), parent->original_name);
      else if (parent->kind == CT_MEDIA_KIND_DOCUMENT)
        g_set_error (&local, CT_ERROR, CT_ERROR_INVALID,
                     _("“%s” is a scanned document: clips are cut from video and audio recordings."),
                     parent->original_name);
      else
        g_set_error (&local, CT_ERROR, CT_ERROR_INVALID,
                     _("“%s” could not be read by the media probe (%s), so no clip can be cut from it."),
                     parent->original_name, parent->probe_reason != NULL ? parent->probe_reason : parent->probe_status);
      goto fail;
    }
  if (start_ms < 0 || end_ms <= start_ms || end_ms > parent->duration_ms)
    {
      g_autofree char *dur = ct_format_offset (parent->duration_ms);
      g_set_error (&local, CT_ERROR, CT_ERROR_INVALID,
                   _("A clip lies within the recording (0 to %s) and ends after it starts."), dur);
      goto fail;
    }
  if (parent->case_id != 0)
    {
      g_autofree char *ref = g_strdup_printf ("%" G_GINT64_FORMAT, parent->case_id);
      g_autoptr(CtCase) c = NULL;
      CT_STORE_LOCK (self);
      c = ct_store_read_case (self, ref, &local);
      if (c == NULL)
        goto fail;
      if (g_strcmp0 (c->status, "archived") == 0)
        {
          g_set_error (&local, CT_ERROR, CT_ERROR_PERMISSION,
                       _("Case %s is archived and can no longer change."), c->number);
          goto fail;
        }
    }

  /* The clip is cut from the verified original, never from a copy that
   * may have changed. */
  stage = "verify-parent";
  objects = ct_store_get_objects (self, &local);
  if (objects == NULL ||
      !ct_object_store_verify_full (objects, parent->sha256, FALSE, NULL, cancellable, &local))
    goto fail;
  parent_path = ct_object_store_path (objects, parent->sha256);
  derive.parent_path = parent_path;

  stage = "cut";
  name = clip_name (parent, start_ms, end_ms);
  derive.name = name;
  {
    const char *dot = strrchr (name, '.');
    g_autofree char *base = g_strconcat ("clip-XXXXXX", dot != NULL ? dot : "", NULL);
    tmp_path = g_build_filename (ct_object_store_get_root (objects), "tmp", base, NULL);
  }
  fd = g_mkstemp_full (tmp_path, O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved = errno;
      g_set_error (&local, CT_ERROR, CT_ERROR_IO, _("Could not make a temporary file for the clip in %s: %s"),
                   ct_object_store_get_root (objects), g_strerror (saved));
      g_clear_pointer (&tmp_path, g_free);
      goto fail;
    }
  close (fd);
  {
    /* a minute, plus the clip's share of the original read at 20 MB/s */
    guint64 bytes = parent->duration_ms > 0 ? parent->size / (guint64) parent->duration_ms * (guint64) (end_ms - start_ms)
                                            : parent->size;
    guint timeout_ms = (guint) MIN (60000 + bytes / 20000, (guint64) CT_PROBE_CUT_MAX_TIMEOUT_MS);
    cut = ct_probe_cut (parent_path, start_ms, end_ms, tmp_path, timeout_ms, cancellable, &local);
  }
  if (cut == NULL)
    goto fail;
  if (cut->start_ms > start_ms || cut->end_ms <= cut->start_ms)
    {
      g_autofree char *asked = ct_format_offset (start_ms);
      g_autofree char *got = ct_format_offset (cut->start_ms);
      g_set_error (&local, CT_ERROR, CT_ERROR_IO,
                   _("The copy starts at %s, after the start asked for (%s); the clip was not stored."),
                   got, asked);
      goto fail;
    }
  derive.cut = cut;

  if (parent->recorded_at != NULL)
    {
      g_autoptr(GDateTime) at = parse_time (parent->recorded_at);
      g_autoptr(GDateTime) moved = at != NULL ? g_date_time_add (at, cut->start_ms * G_TIME_SPAN_MILLISECOND) : NULL;
      if (moved != NULL)
        recorded_at = format_utc (moved);
    }
  {
    g_autofree char *from = ct_format_offset (start_ms);
    g_autofree char *to = ct_format_offset (end_ms);
    title = g_strdup_printf (_("%s (clip %s–%s)"), parent->title != NULL ? parent->title : parent->original_name,
                             from, to);
  }
  spec.officers = (const char * const *) parent->officers;
  spec.device = parent->device;
  spec.recorded_at = recorded_at;
  spec.place = parent->place;
  spec.title = title;
  spec.party = parent->party;
  spec.cause = parent->cause;

  /* import_media audits its own failures */
  import = import_media (self, session, tmp_path, &spec, &derive, NULL, NULL, cancellable, error);
  g_unlink (tmp_path);
  if (import == NULL)
    return 0;
  return import->media->id;

fail:
  if (tmp_path != NULL)
    g_unlink (tmp_path);
  if (session != NULL)
    audit_failure_full (self, session, parent->original_name, parent->case_id, stage, &derive, local);
  g_propagate_error (error, g_steal_pointer (&local));
  return 0;
}

/* ---- changing what a person states ---------------------------------------------------------------- */

static gboolean
may_change_media (CtStore    *self,
                  CtSession  *session,
                  CtMedia    *m,
                  GError    **error)
{
  if (session == NULL)
    {
      g_set_error (error, CT_ERROR, CT_ERROR_PERMISSION, _("Sign in to change media."));
      return FALSE;
    }
  if (m->disposed_at != NULL)
    {
      g_set_error (error, CT_ERROR, CT_ERROR_PERMISSION,
                   _("Medium %" PRId64 " was disposed of; its record can no longer change."), m->id);
      return FALSE;
    }
  if (m->case_id != 0)
    {
      g_autoptr(CtCase) c = ct_store_read_case_by_id (self, m->case_id, error);
      return c != NULL && may_attach (c, session, error);
    }
  if (g_strcmp0 (m->imported_by, ct_session_get_username (session)) == 0 ||
      ct_session_has_role (session, CT_ROLE_SUPERVISOR) ||
      ct_session_has_role (session, CT_ROLE_ARCHIVIST))
    return TRUE;
  g_set_error (error, CT_ERROR, CT_ERROR_PERMISSION,
               _("Only the person who imported medium %" PRId64 ", supervisors and the records officer may change it."),
               m->id);
  return FALSE;
}

static gboolean
set_column (CtStore    *self,
            gint64      media_id,
            const char *column,
            const char *value,
            GError    **error)
{
  g_autofree char *sql = g_strdup_printf ("UPDATE media SET %s = ? WHERE id = ?", column);
  g_autoptr(sqlite3_stmt) stmt = ct_db_prepare (self->db, sql, error);

  if (stmt == NULL)
    return FALSE;
  ct_db_bind_text (stmt, 1, value);
  ct_db_bind_int64 (stmt, 2, media_id);
  return ct_db_step_done (self->db, stmt, error);
}

static void
add_change (JsonBuilder *b,
            const char  *name,
            const char  *old_value,
            const char  *new_value)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "old");
  if (old_value != NULL)
    json_builder_add_string_value (b, old_value);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "new");
  if (new_value != NULL)
    json_builder_add_string_value (b, new_value);
  else
    json_builder_add_null_value (b);
  json_builder_end_object (b);
}

gboolean
ct_store_update_media (CtStore           *self,
                       CtSession         *session,
                       gint64             media_id,
                       const CtMediaSpec *changes,
                       GError           **error)
{
  g_auto(Checked) ck = { 0 };
  g_autoptr(CtMedia) m = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *id_str = g_strdup_printf ("%" G_GINT64_FORMAT, media_id);
  struct { const char *column; const char *old_value; const char *new_value; } texts[5];
  CtMediaCategory category;
  gint64 new_case;
  guint n_changes = 0;

  g_return_val_if_fail (CT_IS_STORE (self), FALSE);
  g_return_val_if_fail (changes != NULL, FALSE);

  CT_STORE_LOCK (self);
  m = get_media_by_id (self, media_id, error);
  if (m == NULL || !may_change_media (self, session, m, error) ||
      !check_spec (self, session, changes, &ck, error))
    return FALSE;

  new_case = ck.detach ? 0 : (ck.c != NULL ? ck.c->id : m->case_id);
  category = ck.has_category ? ck.category : m->category;
  if (category == CT_MEDIA_CATEGORY_EVIDENCE && new_case == 0)
    {
      g_set_error (error, CT_ERROR, CT_ERROR_INVALID,
                   _("Case evidence must belong to a case: choose the case, or mark it as routine patrol footage."));
      return FALSE;
    }

  if (!ct_db_begin (self->db, error))
    return FALSE;
  json_builder_begin_object (b);

  if (new_case != m->case_id)
    {
      g_autofree char *old_number = g_strdup (m->case_number);
      g_autoptr(sqlite3_stmt) stmt = ct_db_prepare (self->db, "UPDATE media SET case_id = ? WHERE id = ?", error);
      if (stmt == NULL)
        goto fail;
      if (new_case != 0)
        ct_db_bind_int64 (stmt, 1, new_case);
      else
        sqlite3_bind_null (stmt, 1);
      ct_db_bind_int64 (stmt, 2, media_id);
      if (!ct_db_step_done (self->db, stmt, error))
        goto fail;
      add_change (b, "case", old_number, ck.c != NULL ? ck.c->number : NULL);
      n_changes++;
    }
  if (category != m->category)
    {
      if (!set_column (self, media_id, "category", ct_media_category_to_id (category), error))
        goto fail;
      add_change (b, "category", ct_media_category_to_id (m->category), ct_media_category_to_id (category));
      n_changes++;
    }
  if (changes->kind != NULL && g_strcmp0 (changes->kind, ct_media_kind_to_id (m->kind)) != 0)
    {
      /* a picture is a photo or a scanned document as the person says; a
       * PDF is always a document and a recording never is one */
      gboolean picture = m->kind == CT_MEDIA_KIND_PHOTO ||
                         (m->kind == CT_MEDIA_KIND_DOCUMENT && m->probe_json != NULL &&
                          strstr (m->probe_json, "\"image\"") != NULL);
      if (!picture)
        {
          g_set_error (error, CT_ERROR, CT_ERROR_INVALID,
                       _("“%s” is not a picture: only pictures can be marked as a photo or a scanned document."),
                       m->original_name);
          goto fail;
        }
      if (!check_kind (changes->kind, m->original_name, error) ||
          !set_column (self, media_id, "kind", changes->kind, error))
        goto fail;
      add_change (b, "kind", ct_media_kind_to_id (m->kind), changes->kind);
      n_changes++;
    }
  if (ck.recorded_at != NULL && g_strcmp0 (ck.recorded_at, m->recorded_at) != 0)
    {
      if (!set_column (self, media_id, "recorded_at", ck.recorded_at, error) ||
          !set_column (self, media_id, "recorded_at_source", "person", error))
        goto fail;
      add_change (b, "recorded_at", m->recorded_at, ck.recorded_at);
      n_changes++;
    }

  texts[0].column = "device"; texts[0].old_value = m->device; texts[0].new_value = changes->device;
  texts[1].column = "place";  texts[1].old_value = m->place;  texts[1].new_value = changes->place;
  texts[2].column = "title";  texts[2].old_value = m->title;  texts[2].new_value = changes->title;
  texts[3].column = "party";  texts[3].old_value = m->party;  texts[3].new_value = changes->party;
  texts[4].column = "cause";  texts[4].old_value = m->cause;  texts[4].new_value = changes->cause;
  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      const char *value = texts[i].new_value;
      if (value == NULL)
        continue;
      if (*value == '\0')
        value = NULL;   /* "" clears */
      if (g_strcmp0 (value, texts[i].old_value) == 0)
        continue;
      if (!set_column (self, media_id, texts[i].column, value, error))
        goto fail;
      add_change (b, texts[i].column, texts[i].old_value, value);
      n_changes++;
    }

  if (ck.officer_ids != NULL)
    {
      g_autoptr(sqlite3_stmt) stmt = ct_db_prepare (self->db, "DELETE FROM media_officers WHERE media_id = ?", error);
      g_autofree char *old_list = g_strjoinv (",", m->officers);
      g_autofree char *new_list = NULL;

      if (ck.officer_ids->len == 0)
        {
          g_set_error (error, CT_ERROR, CT_ERROR_INVALID, _("Name at least one officer who recorded the file."));
          goto fail;
        }
      new_list = g_strjoinv (",", (char **) changes->officers);
      if (stmt == NULL)
        goto fail;
      ct_db_bind_int64 (stmt, 1, media_id);
      if (!ct_db_step_done (self->db, stmt, error) ||
          !insert_officers (self, media_id, ck.officer_ids, error))
        goto fail;
      if (g_strcmp0 (old_list, new_list) != 0)
        {
          add_change (b, "officers", old_list, new_list);
          n_changes++;
        }
    }

  json_builder_end_object (b);
  if (n_changes == 0)
    {
      ct_db_rollback (self->db);
      return TRUE;
    }
  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  detail = json_generator_to_data (gen, NULL);
  if (ct_store_audit (self, session, "media.update", "media", id_str, new_case != 0 ? new_case : m->case_id,
                      detail, error) == 0)
    goto fail;
  if (new_case != 0)
    {
      g_autofree char *summary = g_strdup_printf (_("Details of media “%s” changed"), m->original_name);
      if (!ct_store_add_event (self, session, new_case, "media", summary, error) ||
          !ct_store_touch_case (self, new_case, error))
        goto fail;
    }
  return ct_db_commit (self->db, error);

fail:
  ct_db_rollback (self->db);
  return FALSE;
}

/* ---- thumbnails ------------------------------------------------------------------------------------ */

#define THUMBNAIL_WIDTH 320

char *
ct_store_media_thumbnail (CtStore       *self,
                          const CtMedia *media,
                          GCancellable  *cancellable,
                          GError       **error)
{
  g_autofree char *dir = NULL;
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;
  g_autofree char *tmp = NULL;
  g_autofree char *object = NULL;
  CtObjectStore *objects;

  g_return_val_if_fail (CT_IS_STORE (self), NULL);
  g_return_val_if_fail (media != NULL && ct_object_hash_is_valid (media->sha256), NULL);

  if (media->disposed_at != NULL || media->kind == CT_MEDIA_KIND_AUDIO || media->kind == CT_MEDIA_KIND_UNKNOWN)
    {
      g_set_error (error, CT_ERROR, CT_ERROR_NOT_FOUND, _("“%s” has no picture to show."), media->original_name);
      return NULL;
    }
  dir = g_build_filename (ct_store_get_data_dir (self), "thumbnails", NULL);
  name = g_strconcat (media->sha256, ".png", NULL);
  path = g_build_filename (dir, name, NULL);
  if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
    return g_steal_pointer (&path);

  objects = ct_store_get_objects (self, error);
  if (objects == NULL)
    return NULL;
  if (g_mkdir_with_parents (dir, 0700) < 0)
    {
      int saved = errno;
      g_set_error (error, CT_ERROR, CT_ERROR_IO, _("Cannot create the thumbnail folder %s: %s."), dir, g_strerror (saved));
      return NULL;
    }
  /* Made under a temporary name and renamed, so a half-written PNG is never
   * taken for a thumbnail; several threads may make the same one. */
  tmp = g_strdup_printf ("%s.%u.tmp", path, g_random_int ());
  object = ct_object_store_path (objects, media->sha256);
  if (!ct_probe_thumbnail (object, tmp, THUMBNAIL_WIDTH, 0, cancellable, error))
    {
      g_unlink (tmp);
      return NULL;
    }
  if (g_rename (tmp, path) < 0)
    {
      int saved = errno;
      g_unlink (tmp);
      g_set_error (error, CT_ERROR, CT_ERROR_IO, _("Cannot store the thumbnail %s: %s."), path, g_strerror (saved));
      return NULL;
    }
  return g_steal_pointer (&path);
}

GStrv
ct_store_media_strip (CtStore       *self,
                      const CtMedia *media,
                      guint          n,
                      guint          width,
                      GCancellable  *cancellable,
                      GError       **error)
{
  g_autofree char *dir = NULL;
  g_autofree char *prefix = NULL;
  g_autofree char *object = NULL;
  g_autofree gint64 *positions = NULL;
  g_autoptr(GStrvBuilder) paths = g_strv_builder_new ();
  g_auto(GStrv) result = NULL;
  gboolean cached = TRUE;
  CtObjectStore *objects;

  g_return_val_if_fail (CT_IS_STORE (self), NULL);
  g_return_val_if_fail (media != NULL && ct_object_hash_is_valid (media->sha256), NULL);
  g_return_val_if_fail (n > 0 && n <= 256 && width > 0, NULL);

  if (media->disposed_at != NULL || media->kind != CT_MEDIA_KIND_VIDEO || media->duration_ms <= 0)
    {
      g_set_error (error, CT_ERROR, CT_ERROR_NOT_FOUND, _("“%s” has no picture to show."), media->original_name);
      return NULL;
    }
  dir = g_build_filename (g_get_user_cache_dir (), "casetrail", "strips", media->sha256, NULL);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *name = g_strdup_printf ("%ux%u-%u.png", n, width, i);
      g_autofree char *path = g_build_filename (dir, name, NULL);

      cached = cached && g_file_test (path, G_FILE_TEST_IS_REGULAR);
      g_strv_builder_add (paths, path);
    }
  result = g_strv_builder_end (paths);
  if (cached)
    return g_steal_pointer (&result);

  objects = ct_store_get_objects (self, error);
  if (objects == NULL)
    return NULL;
  if (g_mkdir_with_parents (dir, 0700) < 0)
    {
      int saved = errno;
      g_set_error (error, CT_ERROR, CT_ERROR_IO, _("Cannot create the thumbnail folder %s: %s."), dir, g_strerror (saved));
      return NULL;
    }
  positions = g_new (gint64, n);
  for (guint i = 0; i < n; i++)
    positions[i] = media->duration_ms * (2 * (gint64) i + 1) / (2 * (gint64) n);
  /* Made under temporary names and renamed, as the thumbnails are. */
  {
    g_autofree char *base = g_strdup_printf ("%ux%u.%u.tmp", n, width, g_random_int ());
    prefix = g_build_filename (dir, base, NULL);
  }
  object = ct_object_store_path (objects, media->sha256);
  /* Each picture is a seek and a decode: give the helper the usual limit
   * plus a second per picture (32 pictures took over 10 s under the
   * sanitizers, and may on a slow machine with a long 1080p file). */
  if (!ct_probe_frames (object, prefix, positions, n, width,
                        CT_PROBE_DEFAULT_TIMEOUT_MS + n * 1000, cancellable, error))
    {
      for (guint i = 0; i < n; i++)
        {
          g_autofree char *tmp = g_strdup_printf ("%s-%u.png", prefix, i);
          g_unlink (tmp);
        }
      return NULL;
    }
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *tmp = g_strdup_printf ("%s-%u.png", prefix, i);

      if (g_rename (tmp, result[i]) < 0)
        {
          int saved = errno;
          g_unlink (tmp);
          g_set_error (error, CT_ERROR, CT_ERROR_IO, _("Cannot store the thumbnail %s: %s."), result[i], g_strerror (saved));
          return NULL;
        }
    }
  return g_steal_pointer (&result);
}

/* ---- interruptions ------------------------------------------------------------------------------- */

typedef struct {
  CtInterruptionReason reason;
  char *explanation;
  char *by;
  char *by_name;
  char *at;
} Explanation;

static void
explanation_free (Explanation *e)
{
  g_free (e->explanation);
  g_free (e->by);
  g_free (e->by_name);
  g_free (e->at);
  g_free (e);
}

static char *
pair_key (gint64 before,
          gint64 after)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT, before, after);
}

static gboolean
is_recording (const CtMedia *m)
{
  /* a clip exported from a recording is part of it, not another recording */
  return (m->kind == CT_MEDIA_KIND_VIDEO || m->kind == CT_MEDIA_KIND_AUDIO) &&
         m->recorded_at != NULL && m->disposed_at == NULL && m->parent_id == 0;
}

static int
compare_session_order (gconstpointer a,
                       gconstpointer b)
{
  const CtMedia *x = *(CtMedia * const *) a;
  const CtMedia *y = *(CtMedia * const *) b;
  const char *xo = x->officers[0] != NULL ? x->officers[0] : "";
  const char *yo = y->officers[0] != NULL ? y->officers[0] : "";
  int r;

  if ((r = strcmp (xo, yo)) != 0)
    return r;
  if ((r = g_strcmp0 (x->device, y->device)) != 0)
    return r;
  if ((r = strcmp (x->recorded_at, y->recorded_at)) != 0)
    return r;
  return x->id < y->id ? -1 : x->id > y->id;
}

static void
fill_explanation (CtInterruption *it,
                  GHashTable     *explained)
{
  g_autofree char *key = pair_key (it->before_id, it->after_id);
  Explanation *e = g_hash_table_lookup (explained, key);

  if (e == NULL)
    return;
  it->has_reason = TRUE;
  it->reason = e->reason;
  it->explanation = g_strdup (e->explanation);
  it->explained_by = g_strdup (e->by);
  it->explained_by_name = g_strdup (e->by_name);
  it->explained_at = g_strdup (e->at);
  it->explained = (e->reason != CT_INTERRUPTION_OTHER && it->after_id != 0) ||
                  (e->explanation != NULL && *e->explanation != '\0');
}

/* Lock held. */
/* @known: the case's media when the caller has read them already, else NULL. */
static GPtrArray *
list_interruptions_locked (CtStore   *self,
                           gint64     case_id,
                           GPtrArray *known,
                           GError   **error)
{
  g_autoptr(GPtrArray) result = g_ptr_array_new_with_free_func ((GDestroyNotify) ct_interruption_free);
  g_autoptr(GPtrArray) media = NULL;
  g_autoptr(GPtrArray) clips = g_ptr_array_new ();
  g_autoptr(GHashTable) explained = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                           (GDestroyNotify) explanation_free);
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  const CtMediaPolicy *policy;
  CtRuleSet *rules;

  rules = ct_store_get_rules (self, error);
  if (rules == NULL)
    return NULL;
  policy = ct_ruleset_get_media_policy (rules);
  media = known != NULL ? g_ptr_array_ref (known) : query_media (self, " WHERE m.case_id = ?", case_id, error);
  if (media == NULL)
    return NULL;
  for (guint i = 0; i < media->len; i++)
    {
      CtMedia *m = media->pdata[i];
      g_hash_table_insert (by_id, &m->id, m);
      if (is_recording (m))
        g_ptr_array_add (clips, m);
    }

  stmt = ct_db_prepare (self->db,
                        "SELECT i.before_id, ifnull (i.after_id, 0), i.reason, i.explanation, u.username, i.explained_at,"
                        " u.display_name"
                        " FROM media_interruptions i JOIN media m ON m.id = i.before_id"
                        " JOIN users u ON u.id = i.explained_by WHERE m.case_id = ?",
                        error);
  if (stmt == NULL)
    return NULL;
  ct_db_bind_int64 (stmt, 1, case_id);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      Explanation *e = g_new0 (Explanation, 1);
      if (!ct_interruption_reason_from_id ((const char *) sqlite3_column_text (stmt, 2), &e->reason))
        e->reason = CT_INTERRUPTION_OTHER;
      e->explanation = ct_db_column_dup (stmt, 3);
      e->by = ct_db_column_dup (stmt, 4);
      e->at = ct_db_column_dup (stmt, 5);
      e->by_name = ct_db_column_dup (stmt, 6);
      g_hash_table_replace (explained, pair_key (sqlite3_column_int64 (stmt, 0), sqlite3_column_int64 (stmt, 1)), e);
    }

  if (policy->interruption.set)
    {
      g_ptr_array_sort (clips, compare_session_order);
      for (guint i = 1; i < clips->len; i++)
        {
          CtMedia *a = clips->pdata[i - 1];
          CtMedia *b = clips->pdata[i];
          g_autoptr(GDateTime) a_end = ct_media_recorded_end (a);
          g_autoptr(GDateTime) b_start = parse_time (b->recorded_at);
          GTimeSpan gap;
          CtInterruption *it;

          if (g_strcmp0 (a->officers[0], b->officers[0]) != 0 || g_strcmp0 (a->device, b->device) != 0 ||
              a_end == NULL || b_start == NULL)
            continue;
          gap = g_date_time_difference (b_start, a_end) / G_TIME_SPAN_SECOND;
          if (gap <= (GTimeSpan) policy->interruption.min_gap_seconds ||
              gap > (GTimeSpan) policy->interruption.session_break_minutes * 60)
            continue;
          it = g_new0 (CtInterruption, 1);
          it->before_id = a->id;
          it->after_id = b->id;
          it->officer = g_strdup (a->officers[0]);
          it->device = g_strdup (a->device);
          it->stopped_at = format_utc (a_end);
          it->resumed_at = g_strdup (b->recorded_at);
          it->gap_seconds = gap;
          fill_explanation (it, explained);
          g_ptr_array_add (result, it);
        }
    }

  /* Every recorded "did not resume". */
  {
    GHashTableIter iter;
    gpointer key, value;
    g_hash_table_iter_init (&iter, explained);
    while (g_hash_table_iter_next (&iter, &key, &value))
      {
        gint64 before = g_ascii_strtoll (key, NULL, 10);
        CtMedia *a = g_hash_table_lookup (by_id, &before);
        g_autoptr(GDateTime) a_end = NULL;
        CtInterruption *it;

        if (!g_str_has_suffix (key, ":0") || a == NULL)
          continue;
        a_end = ct_media_recorded_end (a);
        it = g_new0 (CtInterruption, 1);
        it->before_id = before;
        it->officer = g_strdup (a->officers[0]);
        it->device = g_strdup (a->device);
        it->stopped_at = a_end != NULL ? format_utc (a_end) : NULL;
        fill_explanation (it, explained);
        g_ptr_array_add (result, it);
      }
  }
  return g_steal_pointer (&result);
}

GPtrArray *
ct_store_list_interruptions (CtStore *self,
                             gint64   case_id,
                             GError **error)
{
  g_return_val_if_fail (CT_IS_STORE (self), NULL);

  CT_STORE_LOCK (self);
  return list_interruptions_locked (self, case_id, NULL, error);
}

gboolean
ct_store_explain_interruption (CtStore             *self,
                               CtSession           *session,
                               gint64               before_id,
                               gint64               after_id,
                               CtInterruptionReason reason,
                               const char          *explanation,
                               GError             **error)
{
  g_autoptr(CtMedia) before = NULL;
  g_autoptr(CtMedia) after = NULL;
  g_autoptr(CtCase) c = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *case_str = NULL;
  g_autofree char *now = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *before_str = NULL;
  g_autofree char *after_str = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *text = explanation != NULL ? g_strstrip (g_strdup (explanation)) : NULL;

  g_return_val_if_fail (CT_IS_STORE (self), FALSE);
  g_return_val_if_fail (reason <= CT_INTERRUPTION_OTHER, FALSE);

  if (session == NULL)
    {
      g_set_error (error, CT_ERROR, CT_ERROR_PERMISSION, _("Sign in to explain an interruption."));
      return FALSE;
    }
  if (text != NULL && *text == '\0')
    g_clear_pointer (&text, g_free);
  if (text == NULL && (after_id == 0 || reason == CT_INTERRUPTION_OTHER))
    {
      g_set_error (error, CT_ERROR, CT_ERROR_INVALID, after_id == 0
                   ? _("Recording did not resume: write down what happened (001 第十九条 asks for a written explanation).")
                   : _("The reason is “other”: write down what happened."));
      return FALSE;
    }

  CT_STORE_LOCK (self);
  before = get_media_by_id (self, before_id, error);
  if (before == NULL)
    return FALSE;
  if (after_id != 0)
    {
      after = get_media_by_id (self, after_id, error);
      if (after == NULL)
        return FALSE;
      if (after->case_id != before->case_id || after->id == before->id)
        {
          g_set_error (error, CT_ERROR, CT_ERROR_INVALID,
                       _("Media %" PRId64 " and %" PRId64 " are not two recordings of the same case."),
                       before_id, after_id);
          return FALSE;
        }
    }
  if (before->case_id == 0)
    {
      g_set_error (error, CT_ERROR, CT_ERROR_INVALID,
                   _("Medium %" PRId64 " belongs to no case; attach it to its case first."), before_id);
      return FALSE;
    }
  case_str = g_strdup_printf ("%" G_GINT64_FORMAT, before->case_id);
  c = ct_store_read_case (self, case_str, error);
  if (c == NULL || !may_attach (c, session, error))
    return FALSE;

  if (!ct_db_begin (self->db, error))
    return FALSE;
  now = ct_db_now_iso ();
  stmt = ct_db_prepare (self->db,
                        "INSERT OR REPLACE INTO media_interruptions (before_id, after_id, reason, explanation,"
                        " explained_at, explained_by) VALUES (?, ?, ?, ?, ?, ?)",
                        error);
  if (stmt == NULL)
    goto fail;
  ct_db_bind_int64 (stmt, 1, before_id);
  if (after_id != 0)
    ct_db_bind_int64 (stmt, 2, after_id);
  else
    sqlite3_bind_null (stmt, 2);
  ct_db_bind_text (stmt, 3, ct_interruption_reason_to_id (reason));
  ct_db_bind_text (stmt, 4, text);
  ct_db_bind_text (stmt, 5, now);
  ct_db_bind_int64 (stmt, 6, ct_session_get_user_id (session));
  if (!ct_db_step_done (self->db, stmt, error))
    goto fail;

  before_str = g_strdup_printf ("%" G_GINT64_FORMAT, before_id);
  after_str = after_id != 0 ? g_strdup_printf ("%" G_GINT64_FORMAT, after_id) : NULL;
  detail = ct_store_detail_json ("before", before_str, "after", after_str,
                                 "reason", ct_interruption_reason_to_id (reason), "explanation", text, NULL);
  summary = after_id != 0
    ? g_strdup_printf (_("Interruption after “%s” explained: %s"), before->original_name,
                       ct_interruption_reason_label (reason))
    : g_strdup_printf (_("Recording stopped after “%s” and did not resume: %s"), before->original_name,
                       ct_interruption_reason_label (reason));
  if (ct_store_audit (self, session, "media.interruption", "media", before_str, c->id, detail, error) == 0 ||
      !ct_store_add_event (self, session, c->id, "media", summary, error) ||
      !ct_store_touch_case (self, c->id, error))
    goto fail;
  return ct_db_commit (self->db, error);

fail:
  ct_db_rollback (self->db);
  return FALSE;
}

/* ---- facts for the checklist ---------------------------------------------------------------------- */

GHashTable *
ct_store_case_media_hashes (CtStore *self,
                            gint64   case_id,
                            GError **error)
{
  g_autoptr(GHashTable) set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(sqlite3_stmt) stmt =
    ct_db_prepare (self->db, "SELECT sha256, kind FROM media WHERE case_id = ? AND disposed_at IS NULL", error);

  if (stmt == NULL)
    return NULL;
  ct_db_bind_int64 (stmt, 1, case_id);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_hash_table_insert (set, ct_db_column_dup (stmt, 0), ct_db_column_dup (stmt, 1));
  return g_steal_pointer (&set);
}

static char *
describe_basis (const CtMediaPolicyItem *item)
{
  return ct_basis_format (&item->basis);
}

gboolean
ct_store_media_facts (CtStore *self,
                      gint64   case_id,
                      CtFacts *facts,
                      GError **error)
{
  g_autoptr(GPtrArray) media = query_media (self, " WHERE m.case_id = ?", case_id, error);
  g_autoptr(GPtrArray) gaps = NULL;
  g_autoptr(GString) late_text = g_string_new (NULL);
  g_autoptr(GString) gap_text = g_string_new (NULL);
  gint64 n_av = 0, n_late = 0, n_unknown_time = 0, n_unreadable = 0, n_unexplained = 0;
  Policy policy;

  if (media == NULL || !get_policy (self, &policy, error))
    return FALSE;
  for (guint i = 0; i < media->len; i++)
    {
      CtMedia *m = media->pdata[i];
      if (m->disposed_at != NULL)
        continue;
      if (m->kind == CT_MEDIA_KIND_VIDEO || m->kind == CT_MEDIA_KIND_AUDIO)
        n_av++;
      if (g_strcmp0 (m->probe_status, "ok") != 0)
        n_unreadable++;
      /* a clip's time is its original's; scanned paper has no recording time */
      if (m->recorded_at == NULL && m->parent_id == 0 && m->kind != CT_MEDIA_KIND_DOCUMENT)
        n_unknown_time++;
      if (m->late)
        {
          g_autoptr(GDateTime) end = ct_media_recorded_end (m);
          g_autoptr(GDateTime) stored = parse_time (m->stored_at);
          g_autofree char *end_text = format_local (end);
          g_autofree char *stored_text = format_local (stored);
          n_late++;
          if (late_text->len > 0)
            g_string_append (late_text, "; ");
          /* Translators: a file name, when its recording ended, when it was stored */
          g_string_append_printf (late_text, _("“%s” ended %s, stored %s"), m->original_name, end_text, stored_text);
        }
    }

  gaps = list_interruptions_locked (self, case_id, media, error);
  if (gaps == NULL)
    return FALSE;
  for (guint i = 0; i < gaps->len; i++)
    {
      CtInterruption *it = gaps->pdata[i];
      CtMedia *before = NULL;
      if (it->explained)
        continue;
      n_unexplained++;
      for (guint k = 0; k < media->len; k++)
        if (((CtMedia *) media->pdata[k])->id == it->before_id)
          before = media->pdata[k];
      if (gap_text->len > 0)
        g_string_append (gap_text, "; ");
      if (it->after_id != 0)
        g_string_append_printf (gap_text, _("%" PRId64 " s gap after “%s” (%s)"), it->gap_seconds,
                                before ? before->original_name : "?", it->officer ? it->officer : "?");
      else
        g_string_append_printf (gap_text, _("no written explanation after “%s”"), before ? before->original_name : "?");
    }

  ct_facts_set_int (facts, "media.count", media->len);
  ct_facts_set_int (facts, "media.av", n_av);
  ct_facts_set_int (facts, "media.late", n_late);
  ct_facts_set_int (facts, "media.unknown_time", n_unknown_time);
  ct_facts_set_int (facts, "media.unreadable", n_unreadable);
  ct_facts_set_int (facts, "media.interruptions.unexplained", n_unexplained);
  if (n_late > 0)
    {
      g_autofree char *basis = describe_basis (&policy.policy->storage);
      g_autofree char *limit = g_strdup_printf (policy.policy->storage.unit == CT_PERIOD_HOURS ? _("%u hours")
                                                : policy.policy->storage.unit == CT_PERIOD_WORKING_DAYS ? _("%u working days")
                                                : _("%u days"),
                                                policy.policy->storage.amount);
      g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            "%" PRId64 " recording was stored later than %s after it ended (%s): %s.",
                                                            "%" PRId64 " recordings were stored later than %s after they ended (%s): %s.",
                                                            n_late),
                                               n_late, limit, basis, late_text->str);
      ct_facts_set_string (facts, "media.late.summary", text);
    }
  if (n_unexplained > 0)
    {
      g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            "%" PRId64 " interruption needs its reason: %s.",
                                                            "%" PRId64 " interruptions need their reasons: %s.",
                                                            n_unexplained),
                                               n_unexplained, gap_text->str);
      ct_facts_set_string (facts, "media.interruptions.summary", text);
    }
  return TRUE;
}

/* ---- holds and disposal --------------------------------------------------------------------------- */

gboolean
ct_store_hold_media (CtStore    *self,
                     CtSession  *session,
                     gint64      media_id,
                     gboolean    on,
                     const char *reason,
                     GError    **error)
{
  g_autoptr(CtMedia) m = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *now = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *id_str = g_strdup_printf ("%" G_GINT64_FORMAT, media_id);
  g_autofree char *text = reason != NULL ? g_strstrip (g_strdup (reason)) : NULL;

  g_return_val_if_fail (CT_IS_STORE (self), FALSE);

  if (text == NULL || *text == '\0')
    {
      g_set_error (error, CT_ERROR, CT_ERROR_INVALID, on
                   ? _("Say why the footage must be kept long-term (e.g. the party objected or complained).")
                   : _("Say why the long-term hold can be lifted."));
      return FALSE;
    }

  CT_STORE_LOCK (self);
  m = get_media_by_id (self, media_id, error);
  if (m == NULL)
    return FALSE;
  if (!on && (session == NULL || !ct_session_has_role (session, CT_ROLE_SUPERVISOR)))
    {
      g_set_error (error, CT_ERROR, CT_ERROR_PERMISSION, _("Only a supervisor may lift a long-term hold."));
      return FALSE;
    }
  if (on && !may_change_media (self, session, m, error))
    return FALSE;
  if (on == m->held)
    {
      g_set_error (error, CT_ERROR, CT_ERROR_INVALID, on
                   ? _("Medium %" PRId64 " is already held long-term.")
                   : _("Medium %" PRId64 " is not held."), media_id);
      return FALSE;
    }

  if (!ct_db_begin (self->db, error))
    return FALSE;
  now = ct_db_now_iso ();
  stmt = on
    ? ct_db_prepare (self->db, "INSERT INTO media_holds (media_id, reason, placed_at, placed_by) VALUES (?1, ?2, ?3, ?4)", error)
    : ct_db_prepare (self->db, "UPDATE media_holds SET lifted_at = ?3, lifted_by = ?4"
                               " WHERE media_id = ?1 AND lifted_at IS NULL AND ?2 IS NOT NULL", error);
  if (stmt == NULL)
    goto fail;
  ct_db_bind_int64 (stmt, 1, media_id);
  ct_db_bind_text (stmt, 2, text);
  ct_db_bind_text (stmt, 3, now);
  ct_db_bind_int64 (stmt, 4, ct_session_get_user_id (session));
  if (!ct_db_step_done (self->db, stmt, error))
    goto fail;
  detail = ct_store_detail_json ("sha256", m->sha256, "reason", text, NULL);
  if (ct_store_audit (self, session, on ? "media.hold" : "media.release", "media", id_str, m->case_id,
                      detail, error) == 0)
    goto fail;
  return ct_db_commit (self->db, error);

fail:
  ct_db_rollback (self->db);
  return FALSE;
}

gboolean
ct_store_dispose_media (CtStore    *self,
                        CtSession  *session,
                        gint64      media_id,
                        const char *reason,
                        GError    **error)
{
  g_autoptr(CtMedia) m = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GBytes) sig = NULL;
  g_autoptr(GDateTime) now_dt = NULL;
  g_autoptr(GDateTime) until = NULL;
  g_autofree char *now = NULL;
  g_autofree char *payload = NULL;
  g_autofree char *sig_hex = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *size_str = NULL;
  g_autofree char *object_path = NULL;
  g_autofree char *id_str = g_strdup_printf ("%" G_GINT64_FORMAT, media_id);
  g_autofree char *text = reason != NULL ? g_strstrip (g_strdup (reason)) : NULL;
  CtObjectStore *objects;

  g_return_val_if_fail (CT_IS_STORE (self), FALSE);

  if (!ct_store_require_role (session, CT_ROLE_SUPERVISOR, _("dispose of original footage"), error))
    return FALSE;
  if (text == NULL || *text == '\0')
    {
      g_set_error (error, CT_ERROR, CT_ERROR_INVALID, _("Say why the footage is disposed of."));
      return FALSE;
    }
  objects = ct_store_get_objects (self, error);
  if (objects == NULL)
    return FALSE;

  CT_STORE_LOCK (self);
  m = get_media_by_id (self, media_id, error);
  if (m == NULL)
    return FALSE;
  if (m->disposed_at != NULL)
    {
      g_set_error (error, CT_ERROR, CT_ERROR_INVALID, _("Medium %" PRId64 " was already disposed of."), media_id);
      return FALSE;
    }
  if (m->held)
    {
      g_set_error (error, CT_ERROR, CT_ERROR_PERMISSION,
                   _("Medium %" PRId64 " is held long-term (004 第十三条); lift the hold first."), media_id);
      return FALSE;
    }
  if (m->retain_until == NULL)
    {
      g_set_error (error, CT_ERROR, CT_ERROR_PERMISSION,
                   m->category == CT_MEDIA_CATEGORY_EVIDENCE && m->case_id != 0
                   ? _("Medium %" PRId64 " is evidence of case %s, which is still open: it is kept at least as long as the case file.")
                   : _("The rule packs set no retention period for medium %" PRId64 "%s; it cannot be disposed of."),
                   media_id, m->case_number != NULL ? m->case_number : "");
      return FALSE;
    }
  now = ct_db_now_iso ();
  now_dt = parse_time (now);
  until = parse_time (m->retain_until);
  if (g_date_time_compare (now_dt, until) < 0)
    {
      g_autofree char *until_text = format_local (until);
      g_set_error (error, CT_ERROR, CT_ERROR_PERMISSION,
                   _("Medium %" PRId64 " must be kept until %s; it cannot be disposed of before."), media_id, until_text);
      return FALSE;
    }

  size_str = g_strdup_printf ("%" G_GUINT64_FORMAT, m->size);
  payload = ct_store_detail_json ("action", "media.dispose", "sha256", m->sha256, "size", size_str,
                                  "name", m->original_name, "reason", text, "at", now,
                                  "by", ct_session_get_username (session), NULL);
  sig = ct_sign (session->key, payload, strlen (payload), error);
  if (sig == NULL)
    return FALSE;
  sig_hex = ct_hex_encode (g_bytes_get_data (sig, NULL), g_bytes_get_size (sig));

  if (!ct_db_begin (self->db, error))
    return FALSE;
  stmt = ct_db_prepare (self->db,
                        "INSERT INTO media_disposals (media_id, reason, disposed_at, disposed_by, key_id, payload, signature)"
                        " VALUES (?, ?, ?, ?, ?, ?, ?)",
                        error);
  if (stmt == NULL)
    goto fail;
  ct_db_bind_int64 (stmt, 1, media_id);
  ct_db_bind_text (stmt, 2, text);
  ct_db_bind_text (stmt, 3, now);
  ct_db_bind_int64 (stmt, 4, ct_session_get_user_id (session));
  ct_db_bind_int64 (stmt, 5, session->key_id);
  ct_db_bind_text (stmt, 6, payload);
  sqlite3_bind_blob (stmt, 7, g_bytes_get_data (sig, NULL), g_bytes_get_size (sig), SQLITE_TRANSIENT);
  if (!ct_db_step_done (self->db, stmt, error) ||
      !set_column (self, media_id, "disposed_at", now, error))
    goto fail;
  /* The tombstone: what was destroyed, by whom, why, signed. */
  detail = ct_store_detail_json ("sha256", m->sha256, "sm3", m->sm3, "size", size_str, "name", m->original_name,
                                 "case", m->case_number, "reason", text, "payload", payload,
                                 "signature", sig_hex, NULL);
  if (ct_store_audit (self, session, "media.dispose", "media", id_str, m->case_id, detail, error) == 0)
    goto fail;
  if (!ct_db_commit (self->db, error))
    return FALSE;

  /* Recorded first, removed second: a crash in between leaves a disposed
   * record whose file is still there (verification reports it), never a
   * missing file without its tombstone. */
  object_path = ct_object_store_path (objects, m->sha256);
  if (g_unlink (object_path) < 0 && errno != ENOENT)
    {
      int saved = errno;
      g_set_error (error, CT_ERROR, CT_ERROR_IO,
                   _("The disposal of medium %" PRId64 " is recorded, but its file %s could not be removed: %s."),
                   media_id, object_path, g_strerror (saved));
      return FALSE;
    }
  return TRUE;

fail:
  ct_db_rollback (self->db);
  return FALSE;
}

/* ---- verification ----------------------------------------------------------------------------------- */

typedef struct {
  GHashTable          *by_hash;   /* sha256 → CtMedia* */
  GHashTable          *seen;      /* sha256 */
  CtMediaVerifyFunc    func;
  CtVerifyProgress     progress;
  gpointer             user_data;
  CtMediaVerifyReport *report;
} VerifyAll;

/* The object store calls back with our VerifyAll; the caller wants its own
 * user data. */
static void
verify_all_progress (guint    objects_done,
                     guint64  bytes_done,
                     double   bytes_per_second,
                     gpointer user_data)
{
  VerifyAll *v = user_data;

  if (v->progress != NULL)
    v->progress (objects_done, bytes_done, bytes_per_second, v->user_data);
}

static void
verify_all_object (const char   *sha256,
                   gboolean      ok,
                   const GError *error,
                   gpointer      user_data)
{
  VerifyAll *v = user_data;
  CtMedia *m = g_hash_table_lookup (v->by_hash, sha256);
  g_autoptr(GError) own = NULL;

  g_hash_table_add (v->seen, g_strdup (sha256));
  v->report->n_checked++;
  if (!ok)
    v->report->n_bad++;
  else if (m == NULL)
    {
      v->report->n_unrecorded++;
      own = g_error_new (CT_ERROR, CT_ERROR_INTEGRITY,
                         _("The object %s is in the store but no medium records it."), sha256);
    }
  else if (m->disposed_at != NULL)
    own = g_error_new (CT_ERROR, CT_ERROR_INTEGRITY,
                       _("Medium %" PRId64 " was disposed of, but its file is still in the store."), m->id);
  if (v->func != NULL)
    v->func (sha256, m, own != NULL ? own : error, v->user_data);
}

gboolean
ct_store_verify_media (CtStore             *self,
                       CtSession           *session,
                       gint64               case_id,
                       gboolean             drop_cache,
                       CtMediaVerifyFunc    func,
                       CtVerifyProgress     progress,
                       gpointer             user_data,
                       GCancellable        *cancellable,
                       CtMediaVerifyReport *report_out,
                       GError             **error)
{
  g_autoptr(GPtrArray) media = NULL;
  g_autoptr(GError) local = NULL;
  CtMediaVerifyReport report = { 0 };
  CtObjectStore *objects;
  gint64 start = g_get_monotonic_time ();
  gboolean stopped = FALSE;

  g_return_val_if_fail (CT_IS_STORE (self), FALSE);

  if (session == NULL)
    {
      g_set_error (error, CT_ERROR, CT_ERROR_PERMISSION, _("Sign in to verify media."));
      return FALSE;
    }
  objects = ct_store_get_objects (self, error);
  if (objects == NULL)
    return FALSE;
  media = ct_store_list_media (self, case_id, error);
  if (media == NULL)
    return FALSE;

  if (case_id > 0)
    {
      for (guint i = 0; i < media->len && !stopped; i++)
        {
          CtMedia *m = media->pdata[i];
          g_autoptr(GError) one = NULL;

          if (m->disposed_at != NULL)
            continue;
          report.n_checked++;
          if (!ct_object_store_verify_full (objects, m->sha256, drop_cache, &report.bytes, cancellable, &one))
            {
              if (g_error_matches (one, G_IO_ERROR, G_IO_ERROR_CANCELLED))
                {
                  g_propagate_error (&local, g_steal_pointer (&one));
                  stopped = TRUE;
                  break;
                }
              if (g_error_matches (one, CT_ERROR, CT_ERROR_NOT_FOUND))
                report.n_missing++;
              else
                report.n_bad++;
            }
          if (func != NULL)
            func (m->sha256, m, one, user_data);
          if (progress != NULL)
            {
              double secs = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
              progress (report.n_checked, report.bytes, secs > 0 ? report.bytes / secs : 0, user_data);
            }
        }
    }
  else
    {
      g_autoptr(GHashTable) by_hash = g_hash_table_new (g_str_hash, g_str_equal);
      g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      VerifyAll v = { by_hash, seen, func, progress, user_data, &report };
      CtVerifyReport objects_report = { 0 };

      for (guint i = 0; i < media->len; i++)
        g_hash_table_insert (by_hash, ((CtMedia *) media->pdata[i])->sha256, media->pdata[i]);
      if (!ct_object_store_verify_all (objects, drop_cache, verify_all_object, verify_all_progress, &v, cancellable,
                                       &objects_report, &local) &&
          !g_error_matches (local, CT_ERROR, CT_ERROR_INTEGRITY))
        stopped = TRUE;
      g_clear_error (&local);
      if (stopped)
        {
          /* Cancelled or unreadable store: say so, after auditing below. */
          local = g_error_new (CT_ERROR, CT_ERROR_IO, _("Verification stopped before the end."));
        }
      report.bytes = objects_report.bytes;
      for (guint i = 0; i < media->len && !stopped; i++)
        {
          CtMedia *m = media->pdata[i];
          if (m->disposed_at != NULL || g_hash_table_contains (seen, m->sha256))
            continue;
          report.n_missing++;
          if (func != NULL)
            {
              g_autoptr(GError) missing = g_error_new (CT_ERROR, CT_ERROR_NOT_FOUND,
                                                       _("Medium %" PRId64 " (%s) is missing from the store."),
                                                       m->id, m->original_name);
              func (m->sha256, m, missing, user_data);
            }
        }
    }

  report.seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  report.bytes_per_second = report.seconds > 0 ? report.bytes / report.seconds : 0;
  if (report_out != NULL)
    *report_out = report;

  /* The run is part of the record. */
  {
    g_autofree char *checked = g_strdup_printf ("%u", report.n_checked);
    g_autofree char *bad = g_strdup_printf ("%u", report.n_bad);
    g_autofree char *missing = g_strdup_printf ("%u", report.n_missing);
    g_autofree char *unrecorded = g_strdup_printf ("%u", report.n_unrecorded);
    g_autofree char *bytes = g_strdup_printf ("%" G_GUINT64_FORMAT, report.bytes);
    g_autofree char *scope = case_id > 0 ? g_strdup_printf ("%" G_GINT64_FORMAT, case_id) : g_strdup ("all");
    g_autofree char *detail = ct_store_detail_json ("scope", scope, "checked", checked, "bad", bad,
                                                    "missing", missing, "unrecorded", unrecorded,
                                                    "bytes", bytes, "completed", stopped ? "no" : "yes", NULL);
    g_autoptr(GError) audit_error = NULL;
    CT_STORE_LOCK (self);
    if (ct_db_begin (self->db, &audit_error))
      {
        if (ct_store_audit (self, session, "media.verify", "media", scope, case_id > 0 ? case_id : 0, detail,
                            &audit_error) == 0)
          ct_db_rollback (self->db);
        else
          ct_db_commit (self->db, &audit_error);
      }
    if (audit_error != NULL && local == NULL)
      local = g_steal_pointer (&audit_error);
  }

  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  if (report.n_bad > 0 || report.n_missing > 0 || report.n_unrecorded > 0)
    {
      g_set_error (error, CT_ERROR, CT_ERROR_INTEGRITY,
                   _("Verification found %u damaged, %u missing and %u unrecorded objects."),
                   report.n_bad, report.n_missing, report.n_unrecorded);
      return FALSE;
    }
  return TRUE;
}
