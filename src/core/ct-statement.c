/* ct-statement.c — the written explanation of recordings used as evidence */

#include "config.h"

#include <inttypes.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "ct-error.h"
#include "ct-form.h"
#include "ct-media.h"
#include "ct-review.h"
#include "ct-statement.h"

void
ct_av_statement_free (CtAvStatement *s)
{
  if (s == NULL)
    return;
  g_free (s->file_name);
  g_free (s->title);
  g_free (s->sha256);
  g_free (s->sm3);
  g_free (s->officers);
  g_free (s->device);
  g_free (s->place);
  g_free (s->time_from);
  g_free (s->time_to);
  g_free (s->stored_at);
  g_free (s->imported_by);
  g_free (s->proves);
  g_free (s->label);
  g_free (s->derived_from);
  g_free (s);
}

char *
ct_format_china_time (const char *iso, gint64 offset_ms)
{
  g_autoptr(GDateTime) t = NULL;
  g_autoptr(GDateTime) shifted = NULL;
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GTimeZone) china = NULL;

  if (iso == NULL)
    return NULL;
  t = g_date_time_new_from_iso8601 (iso, NULL);
  if (t == NULL)
    return NULL;
  shifted = g_date_time_add (t, offset_ms * G_TIME_SPAN_MILLISECOND);
  china = g_time_zone_new_identifier ("+08:00");
  local = g_date_time_to_timezone (shifted, china);
  return g_strdup_printf ("%d年%d月%d日 %02d:%02d:%02d", g_date_time_get_year (local),
                          g_date_time_get_month (local), g_date_time_get_day_of_month (local),
                          g_date_time_get_hour (local), g_date_time_get_minute (local),
                          g_date_time_get_second (local));
}

static char *
officers_text (CtStore *self, const CtMedia *m, GHashTable *users)
{
  g_autoptr(GString) s = g_string_new (NULL);

  for (guint i = 0; m->officers[i] != NULL; i++)
    {
      const CtUser *u = g_hash_table_lookup (users, m->officers[i]);

      if (s->len > 0)
        g_string_append (s, "、");
      g_string_append (s, m->officer_names[i]);
      if (u != NULL && u->cert_number != NULL)
        g_string_append_printf (s, "（执法证号 %s）", u->cert_number);
    }
  return g_string_free (g_steal_pointer (&s), FALSE);
}

static CtAvStatement *
statement_new (CtStore *self, const CtMedia *m, GHashTable *users)
{
  CtAvStatement *s = g_new0 (CtAvStatement, 1);
  const CtUser *importer = g_hash_table_lookup (users, m->imported_by);

  s->media_id = m->id;
  s->file_name = g_strdup (m->original_name);
  if (g_strcmp0 (m->title, m->original_name) != 0)
    s->title = g_strdup (m->title);
  s->sha256 = g_strdup (m->sha256);
  s->sm3 = g_strdup (m->sm3);
  s->size = m->size;
  s->duration_ms = m->duration_ms;
  s->officers = officers_text (self, m, users);
  s->device = g_strdup (m->device);
  s->place = g_strdup (m->place);
  s->stored_at = ct_format_china_time (m->stored_at, 0);
  s->imported_by = g_strdup (importer != NULL ? importer->display_name : m->imported_by);
  s->start_ms = -1;
  s->end_ms = -1;
  if (m->parent_id != 0)
    {
      g_autofree char *from = ct_format_offset (m->clip_actual_start_ms);
      g_autofree char *to = ct_format_offset (m->clip_actual_end_ms);
      s->derived_from = g_strdup_printf ("原始音像资料 %s（SHA-256 %s）%s 至 %s 部分，以不重新编码的方式复制",
                                         m->parent_name != NULL ? m->parent_name : "",
                                         m->parent_sha256, from, to);
    }
  s->time_from = ct_format_china_time (m->recorded_at, 0);
  s->time_to = ct_format_china_time (m->recorded_at, m->duration_ms);
  return s;
}

GPtrArray *
ct_store_av_statements (CtStore *self,
                        gint64   case_id,
                        GError **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) ct_av_statement_free);
  g_autoptr(GPtrArray) clips = NULL;
  g_autoptr(GPtrArray) media = NULL;
  g_autoptr(GPtrArray) user_list = NULL;
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(GHashTable) used = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(GHashTable) users = g_hash_table_new (g_str_hash, g_str_equal);
  CtFormRegistry *forms;

  g_return_val_if_fail (CT_IS_STORE (self), NULL);

  forms = ct_store_get_forms (self, error);
  if (forms == NULL)
    return NULL;

  clips = ct_store_list_clips (self, case_id, NULL, error);
  if (clips == NULL)
    return NULL;
  media = ct_store_list_media (self, case_id, error);
  if (media == NULL)
    return NULL;
  user_list = ct_store_list_users (self, error);
  if (user_list == NULL)
    return NULL;
  for (guint i = 0; i < user_list->len; i++)
    {
      CtUser *u = g_ptr_array_index (user_list, i);
      g_hash_table_insert (users, u->username, u);
    }
  for (guint i = 0; i < media->len; i++)
    {
      CtMedia *m = g_ptr_array_index (media, i);
      g_hash_table_insert (by_id, &m->id, m);
    }

  for (guint i = 0; i < clips->len; i++)
    {
      const CtClip *c = g_ptr_array_index (clips, i);
      const CtMedia *m = g_hash_table_lookup (by_id, &c->media_id);
      CtAvStatement *s;

      /* A clip of a medium of another case, or of one disposed of, is
       * not this case's evidence to explain. */
      if (m == NULL || m->disposed_at != NULL)
        continue;
      s = statement_new (self, m, users);
      s->start_ms = c->start_ms;
      s->end_ms = c->end_ms;
      g_clear_pointer (&s->time_from, g_free);
      g_clear_pointer (&s->time_to, g_free);
      s->time_from = ct_format_china_time (m->recorded_at, c->start_ms);
      s->time_to = ct_format_china_time (m->recorded_at, c->end_ms);
      /* The official Chinese wording, whatever the UI's language. */
      {
        const CtFormTemplate *t = ct_form_registry_lookup (forms, c->template_id);
        const CtFieldDef *fd = t != NULL ? ct_form_template_get_field (t, c->field_id) : NULL;
        s->proves = g_strdup_printf ("%s · %s", t != NULL ? t->title : c->form_title,
                                     fd != NULL ? fd->label : c->field_label);
      }
      s->label = g_strdup (c->label);
      g_hash_table_add (used, (gpointer) &m->id);
      g_ptr_array_add (out, s);
    }
  for (guint i = 0; i < media->len; i++)
    {
      const CtMedia *m = g_ptr_array_index (media, i);

      if (m->category != CT_MEDIA_CATEGORY_EVIDENCE || m->disposed_at != NULL ||
          g_hash_table_contains (used, &m->id))
        continue;
      g_ptr_array_add (out, statement_new (self, m, users));
    }
  for (guint i = 0; i < out->len; i++)
    ((CtAvStatement *) g_ptr_array_index (out, i))->number = i + 1;
  return g_steal_pointer (&out);
}

static void
line (GString *s, const char *label, const char *value)
{
  g_string_append_printf (s, "%s：%s\n", label, value != NULL && *value != '\0' ? value : "未注明");
}

char *
ct_av_statement_to_text (const CtAvStatement *st,
                         const char          *case_number)
{
  g_autoptr(GString) s = g_string_new (NULL);
  g_autofree char *when = NULL;
  g_autofree char *file = NULL;
  g_autofree char *range = NULL;
  g_autofree char *from = NULL, *to = NULL;

  g_string_append_printf (s, "音像资料文字说明（%u）\n", st->number);
  line (s, "案号", case_number);
  if (st->proves != NULL)
    {
      from = ct_format_offset (st->start_ms);
      to = ct_format_offset (st->end_ms);
      range = g_strdup_printf ("%s（片段 %s 至 %s%s%s）", st->proves, from, to,
                               st->label != NULL ? "，" : "", st->label != NULL ? st->label : "");
      line (s, "证明事项", range);
    }
  else
    line (s, "证明事项", "案件证据（整段录音录像）");
  line (s, "取证人员", st->officers);
  if (st->time_from != NULL)
    when = g_strdup_printf ("%s 至 %s（北京时间）", st->time_from, st->time_to);
  line (s, "取证时间", when);
  line (s, "取证地点", st->place);
  line (s, "记录设备", st->device);
  {
    g_autofree char *duration = ct_format_offset (st->duration_ms);
    g_autofree char *name = st->title != NULL ? g_strdup_printf ("%s（%s）", st->file_name, st->title)
                                              : g_strdup (st->file_name);
    file = g_strdup_printf ("%s，%" PRId64 " 字节，时长 %s", name, st->size, duration);
  }
  line (s, st->derived_from != NULL ? "文件" : "原始文件", file);
  if (st->derived_from != NULL)
    line (s, "来源", st->derived_from);
  line (s, "SHA-256", st->sha256);
  if (st->sm3 != NULL)
    line (s, "SM3", st->sm3);
  {
    g_autofree char *stored = g_strdup_printf ("%s，由%s存入", st->stored_at != NULL ? st->stored_at : "未知",
                                               st->imported_by);
    line (s, "存储", stored);
  }
  g_string_append (s, "说明：原始音像资料完整保存于证据库，未经剪接、删改（001_79771f0fef6d4575.txt "
                      "第二十四条）；其哈希值如上，可据此核对复制件。\n");
  g_string_append (s, "依据：001_79771f0fef6d4575.txt 第二十三条；000_c8799fc573923ff9.txt 第十九条\n");
  return g_string_free (g_steal_pointer (&s), FALSE);
}
