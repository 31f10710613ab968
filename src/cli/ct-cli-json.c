#define G_LOG_DOMAIN "casetrail-cli"

#include "config.h"

#include "ct-cli-json.h"

void
ct_json_member_str (JsonBuilder *b,
                    const char  *key,
                    const char  *value)
{
  json_builder_set_member_name (b, key);
  if (value != NULL)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

void
ct_json_member_int (JsonBuilder *b,
                    const char  *key,
                    gint64       value)
{
  json_builder_set_member_name (b, key);
  json_builder_add_int_value (b, value);
}

void
ct_json_member_bool (JsonBuilder *b,
                     const char  *key,
                     gboolean     value)
{
  json_builder_set_member_name (b, key);
  json_builder_add_boolean_value (b, value);
}

void
ct_json_member_double (JsonBuilder *b,
                       const char  *key,
                       double       value)
{
  json_builder_set_member_name (b, key);
  json_builder_add_double_value (b, value);
}

void
ct_json_member_strv (JsonBuilder *b,
                     const char  *key,
                     char       **values)
{
  json_builder_set_member_name (b, key);
  json_builder_begin_array (b);
  for (guint i = 0; values != NULL && values[i] != NULL; i++)
    json_builder_add_string_value (b, values[i]);
  json_builder_end_array (b);
}

void
ct_json_member_strings (JsonBuilder *b,
                        const char  *key,
                        GPtrArray   *values)
{
  json_builder_set_member_name (b, key);
  json_builder_begin_array (b);
  for (guint i = 0; values != NULL && i < values->len; i++)
    json_builder_add_string_value (b, g_ptr_array_index (values, i));
  json_builder_end_array (b);
}

static void
add_roles (JsonBuilder *b,
           guint        roles)
{
  json_builder_set_member_name (b, "roles");
  json_builder_begin_array (b);
  for (guint i = 0; i < CT_N_ROLES; i++)
    if (roles & ct_role_nth (i))
      json_builder_add_string_value (b, ct_role_to_id (ct_role_nth (i)));
  json_builder_end_array (b);
}

void
ct_json_add_user (JsonBuilder  *b,
                  const CtUser *u)
{
  json_builder_begin_object (b);
  ct_json_member_int (b, "id", u->id);
  ct_json_member_str (b, "username", u->username);
  ct_json_member_str (b, "name", u->display_name);
  ct_json_member_str (b, "cert_number", u->cert_number);
  ct_json_member_bool (b, "certified", u->certified);
  add_roles (b, u->roles);
  ct_json_member_bool (b, "active", u->active);
  ct_json_member_str (b, "created_at", u->created_at);
  ct_json_member_str (b, "key_alg", u->key_alg);
  ct_json_member_str (b, "key_fingerprint", u->key_fingerprint);
  json_builder_end_object (b);
}

void
ct_json_add_case (JsonBuilder  *b,
                  const CtCase *c)
{
  json_builder_begin_object (b);
  ct_json_member_int (b, "id", c->id);
  ct_json_member_str (b, "number", c->number);
  ct_json_member_str (b, "procedure", c->procedure);
  ct_json_member_str (b, "cause", c->cause);
  ct_json_member_str (b, "source", c->source);
  ct_json_member_str (b, "source_detail", c->source_detail);
  ct_json_member_str (b, "place", c->place);
  ct_json_member_str (b, "stage", c->stage);
  ct_json_member_str (b, "status", c->status);
  ct_json_member_str (b, "created_at", c->created_at);
  ct_json_member_str (b, "updated_at", c->updated_at);

  json_builder_set_member_name (b, "party");
  json_builder_begin_object (b);
  ct_json_member_str (b, "kind", c->party.kind);
  ct_json_member_str (b, "name", c->party.name);
  ct_json_member_str (b, "id_number", c->party.id_number);
  ct_json_member_str (b, "address", c->party.address);
  ct_json_member_str (b, "contact", c->party.contact);
  ct_json_member_str (b, "legal_rep", c->party.legal_rep);
  json_builder_end_object (b);

  if (c->officers != NULL)
    {
      json_builder_set_member_name (b, "officers");
      json_builder_begin_array (b);
      for (guint i = 0; i < c->officers->len; i++)
        {
          const CtCaseOfficer *o = g_ptr_array_index (c->officers, i);
          json_builder_begin_object (b);
          ct_json_member_str (b, "username", o->username);
          ct_json_member_str (b, "name", o->display_name);
          ct_json_member_str (b, "cert_number", o->cert_number);
          ct_json_member_bool (b, "certified", o->certified);
          ct_json_member_bool (b, "assistant", o->assistant);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
    }

  if (c->events != NULL)
    {
      json_builder_set_member_name (b, "events");
      json_builder_begin_array (b);
      for (guint i = 0; i < c->events->len; i++)
        {
          const CtCaseEvent *e = g_ptr_array_index (c->events, i);
          json_builder_begin_object (b);
          ct_json_member_str (b, "at", e->at);
          ct_json_member_str (b, "by", e->user_name);
          ct_json_member_str (b, "kind", e->kind);
          ct_json_member_str (b, "summary", e->summary);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
    }
  json_builder_end_object (b);
}

void
ct_json_add_approval (JsonBuilder      *b,
                      const CtApproval *a)
{
  json_builder_begin_object (b);
  ct_json_member_int (b, "id", a->id);
  ct_json_member_str (b, "subject", a->subject);
  ct_json_member_str (b, "signer", a->signer);
  ct_json_member_str (b, "signer_name", a->signer_name);
  ct_json_member_str (b, "role", a->role);
  ct_json_member_str (b, "signed_at", a->signed_at);
  ct_json_member_str (b, "alg", a->alg);
  ct_json_member_str (b, "fingerprint", a->fingerprint);
  ct_json_member_bool (b, "valid", a->valid);
  ct_json_member_str (b, "invalid_reason", a->invalid_reason);
  json_builder_end_object (b);
}

void
ct_json_add_audit_report (JsonBuilder         *b,
                          const CtAuditReport *r,
                          gboolean             ok)
{
  json_builder_begin_object (b);
  ct_json_member_bool (b, "ok", ok);
  ct_json_member_int (b, "rows", r->rows);
  ct_json_member_int (b, "checkpoints", r->checkpoints);
  if (r->first_bad_row != 0)
    ct_json_member_int (b, "first_bad_row", r->first_bad_row);
  else
    {
      json_builder_set_member_name (b, "first_bad_row");
      json_builder_add_null_value (b);
    }
  ct_json_member_str (b, "problem", r->problem);
  json_builder_end_object (b);
}

char *
ct_json_to_string (JsonBuilder *b)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (b);
  g_autofree char *text = NULL;

  json_generator_set_pretty (gen, TRUE);
  json_generator_set_root (gen, root);
  text = json_generator_to_data (gen, NULL);
  return g_strconcat (text, "\n", NULL);
}
