#define G_LOG_DOMAIN "casetrail-core"

/* Demo data: an agency, one user of every role and a few cases at
 * different stages, so that a newcomer sees a real case on first run.
 * Everything goes through the same audited store calls as real work. */

#include "config.h"

#include <math.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "ct-error.h"
#include "ct-media.h"
#include "ct-review.h"
#include "ct-store-private.h"

typedef struct {
  const char *username;
  const char *name;
  const char *cert;
  guint       roles;
} DemoUser;

static const DemoUser demo_users[] = {
  { "zhangwei", "张伟", "22010001", CT_ROLE_HANDLER },
  { "lina",     "李娜", "22010002", CT_ROLE_HANDLER },
  { "liuyang",  "刘洋", "22010003", CT_ROLE_HANDLER },
  { "chenjing", "陈静", NULL,       CT_ROLE_ASSISTANT },
  { "zhaomin",  "赵敏", "22010008", CT_ROLE_LEGAL_REVIEWER },
  { "sunqiang", "孙强", "22010009", CT_ROLE_SUPERVISOR },
  { "zhoujie",  "周杰", NULL,       CT_ROLE_ARCHIVIST },
};

typedef struct {
  const char *procedure;
  const char *cause;
  const char *source;
  const char *source_detail;
  const char *place;
  const char *party_kind;
  const char *party_name;
  const char *party_id;
  const char *party_address;
  const char *party_contact;
  const char *party_legal_rep;
  const char *handlers[3];
  const char *assistants[2];
  gboolean    approve_filing;
  const char *stages[5];
} DemoCase;

static const DemoCase demo_cases[] = {
  {
    "general", "涉嫌销售超过保质期的食品", "report", "市民刘某（12315 热线转办）",
    "示例市东城区人民路 88 号", "organization", "示例市好邻居超市有限公司",
    "91000000MA0000001X", "示例市东城区人民路 88 号", "0000-12345678", "周某某",
    { "zhangwei", "lina", NULL }, { "chenjing", NULL }, TRUE,
    { "investigation", "rights_notice", "legal_review", NULL },
  },
  {
    "general", "涉嫌未取得营业执照从事经营活动", "inspection", NULL,
    "示例市西城区建设街 12 号", "person", "王某",
    "110101199001011234", "示例市西城区建设街 12 号", "13800000000", NULL,
    { "lina", "liuyang", NULL }, { NULL }, TRUE,
    { "investigation", NULL },
  },
  {
    "general", "涉嫌发布虚假广告", "transferred", "示例市广播电视局移送",
    "示例市南城区商业广场", "organization", "示例市美好生活科技有限公司",
    "91000000MA0000002Y", "示例市南城区商业广场 3 楼", "0000-87654321", "陈某",
    { "zhangwei", "liuyang", NULL }, { NULL }, FALSE,
    { NULL },
  },
};

/* ---- demo forms ----------------------------------------------------------------------- */

/* The first case's papers, as its handlers would fill them in.  @TODAY@ is
 * replaced with today's date (YYYY-MM-DD), @START@ and @END@ with the start
 * and end of the questioning (ISO 8601). */
static const char filing_form[] =
  "{\"party\": {\"kind\": \"organization\", \"name\": \"示例市好邻居超市有限公司\","
  "  \"id_number\": \"91000000MA0000001X\", \"address\": \"示例市东城区人民路 88 号\","
  "  \"legal_rep\": \"周某某\", \"contact\": \"0000-12345678\"},"
  " \"cause\": \"涉嫌销售超过保质期的食品\", \"place\": \"示例市东城区人民路 88 号\","
  " \"source\": \"report\", \"source_detail\": \"市民刘某通过 12315 热线举报，称在该超市购买的酸奶已过保质期。\","
  " \"case_summary\": \"经现场检查，当事人货架上摆放待售的“康乐”牌酸奶 48 盒，标示保质期至上月 28 日，已超过保质期。\","
  " \"legal_provisions\": \"《中华人民共和国食品安全法》第三十四条第（十）项\","
  " \"filing_reason\": \"当事人涉嫌经营超过保质期的食品，有违法事实，属于本局管辖，依法应予立案调查。\","
  " \"emergency_start\": false, \"handlers\": [\"zhangwei\", \"lina\"],"
  " \"handler_opinion\": \"建议立案调查。\","
  " \"handler_signatures\": [{\"signer\": \"张伟\", \"signed_at\": \"@START@\"}]}";

static const char questioning_form[] =
  "{\"started_at\": \"@START@\", \"ended_at\": \"@END@\", \"place\": \"示例市东城区人民路 88 号 超市办公室\","
  " \"officers\": [\"zhangwei\", \"lina\"], \"officer_cert_numbers\": \"22010001、22010002\","
  " \"certificates_shown\": true, \"recorder\": [\"lina\"],"
  " \"questioned_person\": {\"kind\": \"person\", \"name\": \"周某某\", \"id_number\": \"110101198001011234\","
  "  \"address\": \"示例市东城区人民路 90 号\"},"
  " \"questioned_role\": \"legal_rep\", \"recusal_notified\": true, \"av_notified\": true,"
  " \"content\": \"问：我们是示例市市场监督管理局的执法人员，这是我们的执法证件，现依法向你进行调查询问，并全程录音录像，你是否听清楚？\\n"
  "答：听清楚了。\\n问：货架上的“康乐”牌酸奶是什么时候进的货？\\n答：上个月 10 号进的，共 60 盒，已经卖出 12 盒。\\n"
  "问：你是否知道这些酸奶已经超过保质期？\\n答：没有注意到，是店员疏忽了。\","
  " \"refused\": false, \"av_recording\": [],"
  " \"signature_refused\": false,"
  " \"questioned_signature\": [{\"signer\": \"周某某\", \"signed_at\": \"@END@\"}],"
  " \"officer_signatures\": [{\"signer\": \"张伟\", \"signed_at\": \"@END@\"}, {\"signer\": \"李娜\", \"signed_at\": \"@END@\"}]}";

static const char final_report_form[] =
  "{\"party\": {\"kind\": \"organization\", \"name\": \"示例市好邻居超市有限公司\","
  "  \"id_number\": \"91000000MA0000001X\", \"address\": \"示例市东城区人民路 88 号\", \"legal_rep\": \"周某某\"},"
  " \"cause\": \"涉嫌销售超过保质期的食品\", \"handlers\": [\"zhangwei\", \"lina\"],"
  " \"investigation_summary\": \"立案后，承办人对当事人经营场所进行了现场检查，询问了当事人的法定代表人，调取了进货单据。\","
  " \"facts\": \"当事人销售超过保质期的“康乐”牌酸奶 60 盒，已售出 12 盒，货值金额人民币 720 元，违法所得人民币 96 元。\","
  " \"evidence\": \"现场检查笔录、询问笔录及其录音录像、进货单据、现场照片。\","
  " \"legal_basis\": \"《中华人民共和国食品安全法》第三十四条第（十）项、第一百二十四条第一款第（五）项\","
  " \"discretion\": \"当事人系初次违法，积极配合调查，主动下架涉案食品，可依法从轻处罚。\","
  " \"proposed_outcome\": \"penalty\","
  " \"proposed_penalty\": \"没收违法所得人民币 96 元，罚款人民币 50000 元。\","
  " \"report_date\": \"@TODAY@\","
  " \"handler_signatures\": [{\"signer\": \"张伟\", \"signed_at\": \"@END@\"}, {\"signer\": \"李娜\", \"signed_at\": \"@END@\"}]}";

static gboolean
save_demo_form (CtStore    *self,
                CtSession  *handler,
                gint64      case_id,
                const char *template_id,
                const char *json,
                const char *today,
                const char *start,
                const char *end,
                GError    **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GString) text = g_string_new (json);

  g_string_replace (text, "@TODAY@", today, 0);
  g_string_replace (text, "@START@", start, 0);
  g_string_replace (text, "@END@", end, 0);

  if (!json_parser_load_from_data (parser, text->str, -1, error))
    return FALSE;
  return ct_store_save_form (self, handler, case_id, template_id,
                             json_node_get_object (json_parser_get_root (parser)), error);
}

static gboolean
open_demo_cases (CtStore   *self,
                 CtSession *handler,
                 CtSession *supervisor,
                 GError   **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (demo_cases); i++)
    {
      const DemoCase *d = &demo_cases[i];
      CtCaseSpec spec = {
        .procedure = d->procedure,
        .cause = d->cause,
        .source = d->source,
        .source_detail = d->source_detail,
        .place = d->place,
        .party_kind = d->party_kind,
        .party_name = d->party_name,
        .party_id_number = d->party_id,
        .party_address = d->party_address,
        .party_contact = d->party_contact,
        .party_legal_rep = d->party_legal_rep,
        .handlers = d->handlers,
        .assistants = d->assistants,
      };
      gint64 id = ct_store_create_case (self, handler, &spec, error);

      if (id == 0)
        return FALSE;
      /* The first case is the one to look at: its filing approval form is
       * filled in before the head signs. */
      if (i == 0)
        {
          g_autoptr(GTimeZone) china = g_time_zone_new_identifier ("+08:00");
          g_autoptr(GDateTime) now = g_date_time_new_now (china);
          g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");
          g_autofree char *at = g_date_time_format (now, "%Y-%m-%dT%H:%M:%S%:z");
          if (!save_demo_form (self, handler, id, "filing_approval", filing_form, today, at, at, error))
            return FALSE;
        }
      if (d->approve_filing && ct_store_approve (self, supervisor, id, "filing", error) == 0)
        return FALSE;
      for (guint s = 0; d->stages[s] != NULL; s++)
        {
          g_autofree char *summary =
            g_strdup_printf (_("Moved to stage “%s” (demo data)"),
                             ct_choice_label (ct_case_stages (), d->stages[s]));
          if (!ct_store_set_stage_unchecked (self, handler, id, d->stages[s], summary, error))
            return FALSE;
        }
    }
  return TRUE;
}

/* ---- demo footage ------------------------------------------------------------------- */

/* A 20-second 8 kHz mono WAV of a @hz tone: a stand-in for a body-worn
 * camera's audio recording, distinct for each tone. */
static char *
write_tone (const char *dir,
            const char *name,
            double      hz,
            GError    **error)
{
  const guint32 rate = 8000, n = rate * 20, data_len = n * 2;
  g_autoptr(GByteArray) b = g_byte_array_sized_new (44 + data_len);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  guint32 u32;
  guint16 u16;

#define PUT(p, len) g_byte_array_append (b, (const guint8 *) (p), (len))
#define U32(v) (u32 = GUINT32_TO_LE (v), PUT (&u32, 4))
#define U16(v) (u16 = GUINT16_TO_LE (v), PUT (&u16, 2))
  PUT ("RIFF", 4); U32 (36 + data_len); PUT ("WAVE", 4);
  PUT ("fmt ", 4); U32 (16); U16 (1); U16 (1); U32 (rate); U32 (rate * 2); U16 (2); U16 (16);
  PUT ("data", 4); U32 (data_len);
  for (guint32 i = 0; i < n; i++)
    {
      gint16 v = (gint16) (6000.0 * sin (2.0 * G_PI * hz * i / rate));
      U16 ((guint16) v);
    }
#undef PUT
#undef U32
#undef U16
  if (!g_file_set_contents (path, (const char *) b->data, b->len, error))
    return NULL;
  return g_steal_pointer (&path);
}

static char *
iso_ago (GDateTime *now,
         GTimeSpan  ago)
{
  g_autoptr(GDateTime) t = g_date_time_add (now, -ago);
  return g_date_time_format_iso8601 (t);
}

/* Three recordings of the first case by 张伟's camera: two of one
 * questioning with a two-minute interruption (explained: battery), and one
 * stored three days after it was made (late, a warning in the checklist). */
static gboolean
add_demo_footage (CtStore   *self,
                  CtSession *handler,
                  GError   **error)
{
  g_autofree char *dir = g_dir_make_tmp ("casetrail-demo-XXXXXX", error);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  struct { const char *name; double hz; GTimeSpan ago; } clips[] = {
    { "DSJ-0931_20_0001.WAV", 440.0, 20 * G_TIME_SPAN_HOUR },
    { "DSJ-0931_20_0002.WAV", 523.3, 20 * G_TIME_SPAN_HOUR - 140 * G_TIME_SPAN_SECOND },
    { "DSJ-0931_20_0003.WAV", 659.3, 3 * G_TIME_SPAN_DAY + 5 * G_TIME_SPAN_HOUR },
  };
  const char *officers[] = { "zhangwei", NULL };
  gint64 ids[G_N_ELEMENTS (clips)] = { 0 };
  gboolean ok = TRUE;

  if (dir == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (clips) && ok; i++)
    {
      g_autofree char *path = write_tone (dir, clips[i].name, clips[i].hz, error);
      g_autofree char *at = iso_ago (now, clips[i].ago);
      g_autoptr(CtMediaImport) imp = NULL;
      CtMediaSpec spec = {
        .case_ref = "1", .officers = officers, .device = "DSJ-0931", .recorded_at = at,
        .place = "示例市东城区人民路 88 号",
      };

      ok = path != NULL &&
           (imp = ct_store_import_media (self, handler, path, &spec, NULL, NULL, NULL, error)) != NULL;
      if (ok)
        ids[i] = imp->media->id;
      if (path != NULL)
        g_unlink (path);
    }
  g_rmdir (dir);
  if (!ok || !ct_store_explain_interruption (self, handler, ids[0], ids[1], CT_INTERRUPTION_BATTERY, NULL, error))
    return FALSE;

  /* The questioning those recordings are of, with its first minutes
   * attached as the record's audio-visual recording, and the final report. */
  {
    g_autoptr(GTimeZone) china = g_time_zone_new_identifier ("+08:00");
    g_autoptr(GDateTime) local = g_date_time_to_timezone (now, china);
    g_autoptr(GDateTime) start = g_date_time_add (local, -clips[0].ago);
    g_autoptr(GDateTime) end = g_date_time_add_minutes (start, 25);
    g_autofree char *today = g_date_time_format (local, "%Y-%m-%d");
    g_autofree char *start_text = g_date_time_format (start, "%Y-%m-%dT%H:%M:%S%:z");
    g_autofree char *end_text = g_date_time_format (end, "%Y-%m-%dT%H:%M:%S%:z");

    if (!save_demo_form (self, handler, 1, "questioning_record", questioning_form, today,
                         start_text, end_text, error) ||
        !ct_store_attach_clip (self, handler, ids[0], "questioning_record", "av_recording",
                               0, 20000, "告知执法身份、出示证件、告知录音录像", error) ||
        !save_demo_form (self, handler, 1, "investigation_final_report", final_report_form, today,
                         start_text, end_text, error))
      return FALSE;
  }
  return TRUE;
}

gboolean
ct_store_load_demo (CtStore *self,
                    GError **error)
{
  g_autoptr(CtSession) admin = NULL;
  g_autoptr(CtSession) handler = NULL;
  g_autoptr(CtSession) supervisor = NULL;
  CtUserSpec admin_spec = {
    .username = "admin",
    .display_name = "王管理",
    .certified = FALSE,
    .roles = CT_ROLE_ADMIN,
  };

  g_return_val_if_fail (CT_IS_STORE (self), FALSE);

  if (!ct_store_init_agency_full (self, "示例市市场监督管理局", "示市监立〔{year}〕{seq}号",
                                  FALSE, &admin_spec, CT_DEMO_PASSPHRASE, FALSE, error))
    {
      g_prefix_error (error, _("Could not load the demo data: "));
      return FALSE;
    }

  admin = ct_store_login (self, "admin", CT_DEMO_PASSPHRASE, error);
  if (admin == NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (demo_users); i++)
    {
      const DemoUser *u = &demo_users[i];
      CtUserSpec spec = {
        .username = u->username,
        .display_name = u->name,
        .cert_number = u->cert,
        .certified = u->cert != NULL,
        .roles = u->roles,
      };
      if (ct_store_add_user_full (self, admin, &spec, CT_DEMO_PASSPHRASE, FALSE, error) == 0)
        return FALSE;
    }
  ct_store_logout (self, admin);

  handler = ct_store_login (self, "zhangwei", CT_DEMO_PASSPHRASE, error);
  if (handler == NULL)
    return FALSE;
  supervisor = ct_store_login (self, "sunqiang", CT_DEMO_PASSPHRASE, error);
  if (supervisor == NULL)
    return FALSE;

  if (!open_demo_cases (self, handler, supervisor, error) ||
      !add_demo_footage (self, handler, error))
    {
      g_prefix_error (error, _("Could not load the demo data: "));
      return FALSE;
    }

  ct_store_logout (self, supervisor);
  ct_store_logout (self, handler);
  return TRUE;
}
