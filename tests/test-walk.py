#!/usr/bin/env python3
"""Walks whole cases through casetrail-cli, as a handler, a legal reviewer
and a supervisor would: at every stage it reads the checklist
(`case check --json`), fills in what the blocking requirements ask for,
signs what needs signing, and advances.  It also checks that the gates
hold: no decision without a passed legal review, no decision after a
hearing request without the hearing record and report, and that a
blocked advance exits 3 and cites its article.

Usage: test-walk.py  (CASETRAIL_CLI names the binary)
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import wave

CLI = os.environ["CASETRAIL_CLI"]
PASS_FILE = None
DATA = None
results = {"passed": 0, "failed": 0}
MEDIA = {}          # case id -> SHA-256 of the recording imported for it
CURRENT = {"case": None}


class Failure(Exception):
    pass


def ok(what):
    results["passed"] += 1
    print(f"ok - {what}", flush=True)


def run(user, *args, expect=0):
    cmd = [CLI, "--data-dir", DATA]
    if user:
        cmd += ["--user", user, "--passphrase-file", PASS_FILE]
    cmd += list(args)
    p = subprocess.run(cmd, capture_output=True, text=True)
    if expect is not None and p.returncode != expect:
        raise Failure(f"{' '.join(args)} as {user}: exit {p.returncode}, wanted {expect}\n"
                      f"stdout: {p.stdout}\nstderr: {p.stderr}")
    return p


def run_json(user, *args):
    return json.loads(run(user, *args).stdout)


# Values a handler would enter, by field type; some fields get a specific
# answer so that the case takes the intended path.
def value_for(field, answers, officers):
    fid, ftype = field["id"], field["type"]
    if fid in answers:
        return answers[fid]
    n = max(1, field.get("min_count", 1))
    if ftype in ("text",):
        return f"{field['label']}（测试）"
    if ftype == "multiline":
        return f"{field['label']}：经查属实。"
    if ftype == "date":
        return "2026-03-02"
    if ftype == "datetime":
        return "2026-03-02T09:30:00+08:00"
    if ftype == "money":
        return "3000.00"
    if ftype == "number":
        return 1
    if ftype == "boolean":
        return True
    if ftype == "choice":
        return field["choices"][0]
    if ftype == "party":
        return {"name": "示例市好邻居超市有限公司", "kind": "organization"}
    if ftype == "officers":
        return officers[:max(n, 2)]
    if ftype == "signature":
        return [{"signer": officers[i % len(officers)], "signed_at": "2026-03-02T10:00:00+08:00"}
                for i in range(n)]
    if ftype == "clip":
        # A clip of the recording imported into this case's evidence.
        return {"media": MEDIA[CURRENT["case"]], "start_ms": 0, "end_ms": 2000, "label": field["label"]}
    raise Failure(f"no value for field type {ftype}")


def required_now(field, values):
    if field["required"]:
        return True
    rw = field.get("required_when")
    if not rw:
        return False
    v = values.get(rw["field"])
    if isinstance(v, bool):
        v = "true" if v else "false"
    return v in rw["equals"]


def fill_form(case, template, answers, officers, user="h1"):
    CURRENT["case"] = case
    shown = run_json(user, "form", "show", str(case), template, "--json")
    values = dict(shown["values"] or {})
    # Twice, so that fields required by an answer given in the first pass
    # are filled in the second.
    for _ in range(2):
        for f in shown["fields"]:
            if f["id"] in answers or (f["id"] not in values and required_now(f, values)):
                values[f["id"]] = value_for(f, answers, officers)
    path = os.path.join(DATA, f"{template}.json")
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(values, fh, ensure_ascii=False)
    run(user, "form", "fill", str(case), template, "--from-json", path)


def blocking(check):
    return [r for r in check["requirements"] if r["state"] == "missing" and r["severity"] == "block"]


def satisfy(case, req, answers, officers):
    kind = req["kind"]
    if kind == "form":
        fill_form(case, req["form"], answers.get(req["form"], {}), officers)
    elif kind in ("field", "av-record"):
        form_answers = dict(answers.get(req["form"], {}))
        if kind == "field" and "equals" in req:
            form_answers[req["field"]] = req["equals"]
        elif req["field"] not in form_answers:
            shown = run_json("h1", "form", "show", str(case), req["form"], "--json")
            field = next(f for f in shown["fields"] if f["id"] == req["field"])
            form_answers[req["field"]] = value_for(field, {}, officers)
        fill_form(case, req["form"], form_answers, officers)
    elif kind == "approval":
        signer = "rev" if req["role"] == "legal_reviewer" else "sup"
        run(signer, "approve", str(case), "--subject", req["subject"], "--role", req["role"])
    else:
        raise Failure(f"cannot satisfy {kind} requirement {req['rule']}: {req['reason']}")


def walk(case, answers, officers, stop_before=None, max_steps=30):
    """Advances the case until it is archived (or reaches stop_before);
    returns the stages it went through."""
    stages = []
    for _ in range(max_steps):
        check = run_json("h1", "case", "check", str(case), "--json")
        stage = check["stage"]
        stages.append(stage)
        if stage == stop_before or stage in ("archived", "closed"):
            return stages
        # What one answer makes applicable (the decision document once the
        # decision is known) shows up on the next reading of the checklist.
        for _round in range(4):
            left = blocking(check)
            if not left:
                break
            for req in left:
                satisfy(case, req, answers, officers)
            check = run_json("h1", "case", "check", str(case), "--json")
        left = blocking(check)
        if left:
            raise Failure(f"stage {stage}: still blocked by " +
                          "; ".join(f"{r['rule']} ({r['kind']}): {r['reason']}" for r in left))
        if stage == "archive":
            # Leaving the archive stage is archiving: the dossier is made
            # and stored (001 第二十一条); advancing alone is refused.
            run("h1", "case", "archive", str(case))
        else:
            run("h1", "case", "advance", str(case))
    raise Failure(f"case {case} did not finish in {max_steps} steps: {stages}")


def new_case(cause):
    c = run_json("h1", "case", "new", "--cause", cause, "--source", "inspection", "--place", "人民路 88 号",
                 "--party-kind", "organization", "--party-name", "示例市好邻居超市有限公司",
                 "--party-legal-rep", "周某", "--handler", "h1", "--handler", "h2", "--json")
    # The body-worn camera's recording of the case: a short WAV whose
    # content is the case's own (the store keeps one record per content).
    path = os.path.join(DATA, f"case-{c['id']}.wav")
    with wave.open(path, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(bytes([c["id"] % 256, 1]) * 8000 * 3)
    imported = run_json("h1", "media", "import", path, "--case", str(c["id"]), "--device", "DSJ-T1", "--json")
    if imported["imported"] != 1:
        raise Failure(f"the case's recording was not imported: {imported}")
    MEDIA[c["id"]] = imported["files"][0]["media"]["sha256"]
    return c["id"]


def expect_blocked(case, needle):
    p = run("h1", "case", "advance", str(case), expect=3)
    if needle not in p.stderr:
        raise Failure(f"the blocked advance does not mention {needle!r}: {p.stderr}")
    if "第" not in p.stderr:
        raise Failure(f"the blocked advance cites no article: {p.stderr}")
    return p.stderr


def main():
    global PASS_FILE, DATA
    tmp = tempfile.mkdtemp(prefix="casetrail-walk-")
    DATA = os.path.join(tmp, "data")
    PASS_FILE = os.path.join(tmp, "pass")
    with open(PASS_FILE, "w") as f:
        f.write("walk passphrase\n")
    try:
        run(None, "--passphrase-file", PASS_FILE, "init", "--agency", "测试市市场监督管理局", "--admin", "admin")
        for user, role, cert in (("h1", "handler", "A1"), ("h2", "handler", "A2"),
                                 ("rev", "legal_reviewer", "R1"), ("sup", "supervisor", "S1")):
            run("admin", "user", "add", user, "--role", role, "--cert", cert, "--new-passphrase-file", PASS_FILE)
        officers = ["h1", "h2"]

        # 1. A general-procedure penalty case, start to end.
        answers = {
            "filing_approval": {"emergency_start": False},
            "investigation_final_report": {"proposed_outcome": "penalty"},
            "prior_notice": {"hearing_eligible": False},
            "legal_review_opinion": {"opinion": "pass"},
            "decision_approval": {"outcome": "penalty", "collective_discussion_needed": False,
                                  "major_decision": False},
            "service_receipt": {"method": "direct"},
        }
        case = new_case("涉嫌销售超过保质期的食品")
        first = run("h1", "case", "advance", str(case), expect=3)
        if "第" not in first.stderr:
            raise Failure("a blocked advance must cite its article: " + first.stderr)
        ok("filing is blocked until its requirements are met, citing the article")
        stages = walk(case, answers, officers)
        if stages[-1] != "archived" or "decision" not in stages or "legal_review" not in stages:
            raise Failure(f"unexpected path {stages}")
        ok("a general-procedure case walks from filing to archive: " + " → ".join(stages))
        show = run_json("h1", "case", "show", str(case), "--json")
        if show["status"] != "archived":
            raise Failure(f"status {show['status']}")
        run("h1", "form", "fill", str(case), "closing_report", "--set", "handler_opinion=改动", expect=1)
        ok("an archived case is read-only")

        # 2. No decision without a passed legal review.
        case = new_case("涉嫌无照经营")
        stages = walk(case, answers, officers, stop_before="legal_review")
        check = run_json("h1", "case", "check", str(case), "--json")
        review_rules = [r for r in check["requirements"] if r["state"] == "missing" and r["severity"] == "block"]
        if not review_rules:
            raise Failure("legal review has no blocking requirement for this case")
        expect_blocked(case, "legal")
        fill_form(case, "legal_review_opinion", {"opinion": "return"}, officers, user="rev")
        run("rev", "approve", str(case), "--subject", "legal_review", "--role", "legal_reviewer", expect=None)
        expect_blocked(case, "legal")
        ok("a case without a passed legal review cannot reach decision")
        fill_form(case, "legal_review_opinion", {"opinion": "pass"}, officers, user="rev")
        stages = walk(case, answers, officers, stop_before="decision")
        if stages[-1] != "decision":
            raise Failure(f"did not reach decision: {stages}")
        ok("with the review passed and signed it reaches decision")

        # 3. A hearing request blocks the decision until the hearing record and report exist.
        case = new_case("涉嫌虚假宣传")
        hearing_answers = dict(answers)
        hearing_answers["prior_notice"] = {"hearing_eligible": True}
        walk(case, hearing_answers, officers, stop_before="rights_notice")
        run("h1", "case", "flag", str(case), "hearing_requested", "true")
        stages = walk(case, hearing_answers, officers, stop_before="hearing")
        if stages[-1] != "hearing":
            raise Failure(f"a hearing request did not lead to the hearing stage: {stages}")
        # Notified on 2026-03-02 for a hearing three days later: too soon.
        fill_form(case, "hearing_notification", {"hearing_at": "2026-03-05T09:30:00+08:00"}, officers)
        expect_blocked(case, "七日前通知")
        ok("a hearing less than 7 days after its notification blocks (行政处罚法 第六十四条)")
        hearing_answers["hearing_notification"] = {"hearing_at": "2026-03-10T09:30:00+08:00"}
        fill_form(case, "hearing_notification", hearing_answers["hearing_notification"], officers)
        msg = expect_blocked(case, "hearing")
        ok("a requested hearing blocks the way to decision until its record and report exist")
        stages = walk(case, hearing_answers, officers, stop_before="decision")
        if stages[-1] != "decision":
            raise Failure(f"did not reach decision after the hearing: {stages}")
        ok("with the hearing record and report it reaches decision")

        # 4. Not filed: the branch to closed.
        case = new_case("线索不足")
        run("h1", "case", "advance", str(case), "--to", "closed", expect=3)
        fill_form(case, "not_filed_approval", {"has_named_complainant": True}, officers)
        run("sup", "approve", str(case), "--subject", "not_filed")
        # The named reporter is told after the head signed (002 第六条第二款):
        # until the notice is recorded the case may not close ...
        p = run("h1", "case", "advance", str(case), "--to", "closed", expect=3)
        if "告知具名的投诉人" not in p.stderr or "第" not in p.stderr:
            raise Failure(f"closing without the not-filed notice is not blocked by it: {p.stderr}")
        ok("a case not filed with a named reporter cannot close before the reporter is told")
        # ... and recording it, in its own form, leaves the signed approval valid.
        fill_form(case, "not_filed_notice", {}, officers)
        shown = run_json("h1", "case", "show", str(case), "--json")
        signed = [a for a in shown["approvals"] if a["subject"] == "not_filed"]
        if not signed or not all(a["valid"] for a in signed):
            raise Failure(f"recording the not-filed notice voided the approval: {signed}")
        ok("recording the not-filed notice leaves the head's approval valid")
        run("h1", "case", "advance", str(case), "--to", "closed")
        show = run_json("h1", "case", "show", str(case), "--json")
        if show["stage"] != "closed" or show["status"] != "closed":
            raise Failure(f"not-filed case is {show['stage']}/{show['status']}")
        ok("a case not filed takes the branch to closed")

        # The audit chain holds after all of it.
        p = run(None, "audit", "verify")
        ok("the audit chain verifies after the walks: " + p.stdout.strip())
    except Failure as exc:
        results["failed"] += 1
        print(f"not ok - {exc}", flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"{results['passed']} passed, {results['failed']} failed")
    return 1 if results["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
