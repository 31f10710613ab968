#!/bin/bash
# casetrail-cli end to end: exit codes, JSON, one-line errors.
set -u
cli=${CASETRAIL_CLI:?}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
d="$tmp/data"
fails=0
passes=0

ok()   { passes=$((passes + 1)); echo "ok - $*"; }
bad()  { fails=$((fails + 1)); echo "not ok - $*"; }

# expect CODE DESCRIPTION -- command…
expect() {
  local want=$1 what=$2; shift 3
  "$@" >"$tmp/out" 2>"$tmp/err"
  local got=$?
  if [ "$got" -eq "$want" ]; then ok "$what (exit $got)"; else
    bad "$what: exit $got, wanted $want"; sed 's/^/#   /' "$tmp/out" "$tmp/err"; fi
}

printf 'admin passphrase\n' > "$tmp/admin.pass"
printf 'handler passphrase\n' > "$tmp/h.pass"
printf 'wrong passphrase\n' > "$tmp/wrong.pass"

C() { "$cli" --data-dir "$d" "$@"; }

expect 2 "no command is a usage error" -- C
expect 2 "unknown command" -- C frobnicate
expect 0 "help" -- C --help
grep -q "audit verify" "$tmp/out" && ok "help lists audit verify" || bad "help lists audit verify"
expect 2 "init without --agency" -- C init --admin admin
expect 1 "case list before init" -- C --user admin --passphrase-file "$tmp/admin.pass" case list
grep -q "init" "$tmp/err" && ok "message says to run init" || bad "message says to run init"

expect 0 "init" -- C --passphrase-file "$tmp/admin.pass" init --agency "测试市市场监督管理局" --admin admin --admin-name "王管理" --pattern "测市监立〔{year}〕{seq}号"
expect 1 "init twice" -- C --passphrase-file "$tmp/admin.pass" init --agency "X" --admin admin
[ "$(wc -l < "$tmp/err")" -eq 1 ] && ok "error is one line" || bad "error is one line"

for u in h1 h2; do
  expect 0 "user add $u" -- C --user admin --passphrase-file "$tmp/admin.pass" user add $u --name "办案$u" --role handler --cert "C-$u" --new-passphrase-file "$tmp/h.pass"
done
expect 0 "user add sup" -- C --user admin --passphrase-file "$tmp/admin.pass" user add sup --name "负责人" --role supervisor --cert C-sup --new-passphrase-file "$tmp/h.pass"
expect 2 "user add with a bad role" -- C --user admin --passphrase-file "$tmp/admin.pass" user add x --role boss --new-passphrase-file "$tmp/h.pass"
expect 1 "a handler cannot add users" -- C --user h1 --passphrase-file "$tmp/h.pass" user add y --role handler --cert 1 --new-passphrase-file "$tmp/h.pass"
expect 1 "wrong passphrase" -- C --user h1 --passphrase-file "$tmp/wrong.pass" case list
grep -q "Wrong user name or passphrase" "$tmp/err" && ok "wrong passphrase message" || bad "wrong passphrase message"

expect 0 "user list --json" -- C user list --json
python3 -c 'import json,sys; u=json.load(open(sys.argv[1])); assert [x["username"] for x in u]==["admin","h1","h2","sup"], u; assert "handler" in u[1]["roles"]' "$tmp/out" \
  && ok "user list JSON" || bad "user list JSON"

newcase=(case new --cause "涉嫌销售过期食品" --source report --source-detail "举报人甲" --place "人民路 1 号"
         --party-kind organization --party-name "某超市有限公司" --party-legal-rep "周某" --handler h1 --handler h2)
expect 0 "case new" -- C --user h1 --passphrase-file "$tmp/h.pass" "${newcase[@]}" --json
python3 -c 'import json,sys,datetime; c=json.load(open(sys.argv[1])); y=datetime.date.today().year; assert c["number"]=="测市监立〔%d〕1号"%y, c["number"]; assert len(c["officers"])==2' "$tmp/out" \
  && ok "case new JSON" || bad "case new JSON"
expect 1 "case new with one handler" -- C --user h1 --passphrase-file "$tmp/h.pass" case new --cause x --source inspection --place p --party-kind person --party-name n --handler h1
grep -q "two certified" "$tmp/err" && ok "names the two-officer rule" || bad "names the two-officer rule"
expect 2 "case new with a stray argument" -- C --user h1 --passphrase-file "$tmp/h.pass" case new stray

expect 0 "case list" -- C --user h1 --passphrase-file "$tmp/h.pass" case list
grep -q "涉嫌销售过期食品" "$tmp/out" && ok "list shows the case" || bad "list shows the case"
expect 0 "case list --json --search" -- C --user h1 --passphrase-file "$tmp/h.pass" case list --json --search 超市
python3 -c 'import json,sys; l=json.load(open(sys.argv[1])); assert len(l)==1' "$tmp/out" && ok "search finds it" || bad "search finds it"
expect 0 "case show --json" -- C --user h2 --passphrase-file "$tmp/h.pass" case show 1 --json
python3 -c 'import json,sys; c=json.load(open(sys.argv[1])); assert c["party"]["name"]=="某超市有限公司"; assert c["events"][0]["kind"]=="created"; assert c["approvals"]==[]' "$tmp/out" \
  && ok "case show JSON" || bad "case show JSON"
expect 1 "case show of a missing case" -- C --user h2 --passphrase-file "$tmp/h.pass" case show 42

expect 1 "a handler cannot approve" -- C --user h1 --passphrase-file "$tmp/h.pass" approve 1
expect 0 "the supervisor approves" -- C --user sup --passphrase-file "$tmp/h.pass" approve 1
expect 0 "case show lists the valid approval" -- C --user sup --passphrase-file "$tmp/h.pass" case show 1
grep -q "valid" "$tmp/out" && ok "approval shown valid" || bad "approval shown valid"

# Evidence media: a camera card with two recordings and a note.
card="$tmp/card/DCIM/100MEDIA"
mkdir -p "$card"
python3 - "$card" <<'PY'
import sys, wave
for name, fill in (("REC_0001.WAV", 1), ("REC_0002.WAV", 2)):
    with wave.open(f"{sys.argv[1]}/{name}", "wb") as w:
        w.setnchannels(1); w.setsampwidth(2); w.setframerate(8000)
        w.writeframes(bytes([fill, 0]) * 8000 * 3)
PY
echo "not footage" > "$card/INDEX.TXT"
H=(--user h1 --passphrase-file "$tmp/h.pass")
expect 1 "media import of a missing path" -- C "${H[@]}" media import "$tmp/nothere"
grep -q "nothere" "$tmp/err" && ok "names the missing path" || bad "names the missing path"
expect 2 "media import without a path" -- C "${H[@]}" media import
expect 0 "media import of a camera card" -- C "${H[@]}" media import "$tmp/card" --case 1 --device DSJ-9 --recorded-at 2026-03-02T09:00:00+08:00 --json
python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); assert r["imported"]==2 and r["failed"]==0, r; assert len(r["skipped"])==1 and r["skipped"][0]["path"].endswith("INDEX.TXT"), r; assert r["files"][0]["media"]["device"]=="DSJ-9"' "$tmp/out" \
  && ok "import JSON: 2 imported, the note skipped" || bad "import JSON: 2 imported, the note skipped"
expect 0 "media import again" -- C "${H[@]}" media import "$card/REC_0001.WAV" --case 1
grep -q "already in the store" "$tmp/out" && ok "re-import recognized" || bad "re-import recognized"
expect 1 "media import to a case that does not exist" -- C "${H[@]}" media import "$card/REC_0001.WAV" --case 99
expect 0 "media list" -- C "${H[@]}" media list --case 1
grep -q "REC_0002.WAV" "$tmp/out" && ok "list shows the recording" || bad "list shows the recording"
expect 0 "media show --json" -- C "${H[@]}" media show 1 --json
python3 -c 'import json,sys; m=json.load(open(sys.argv[1])); assert m["kind"]=="audio" and m["duration_ms"]==3000 and len(m["sha256"])==64 and m["late"] is True' "$tmp/out" \
  && ok "show JSON: audio, 3 s, late" || bad "show JSON: audio, 3 s, late"
expect 0 "media edit" -- C "${H[@]}" media edit 1 --place "人民路 1 号"
expect 0 "media gaps" -- C "${H[@]}" media gaps 1
expect 2 "media explain without --after or --not-resumed" -- C "${H[@]}" media explain 2 --reason battery
expect 1 "media explain not resumed, no text" -- C "${H[@]}" media explain 2 --not-resumed --reason battery
expect 0 "media explain not resumed" -- C "${H[@]}" media explain 2 --not-resumed --reason battery --text "电量耗尽，无法继续录像"
expect 1 "a handler cannot dispose of footage" -- C "${H[@]}" media dispose 1 --reason x
expect 1 "media open of a medium that does not exist" -- C --user sup --passphrase-file "$tmp/h.pass" media open 99
expect 0 "media open as its handler prints the path" -- C "${H[@]}" media open 2
[ -f "$(cat "$tmp/out")" ] && ok "the path exists" || bad "the path exists"
expect 2 "media clip without --form" -- C "${H[@]}" media clip 2 --field av_recording --in 0 --out 1
expect 0 "media clip attaches a range to the questioning record" -- C "${H[@]}" media clip 2 --form questioning_record --field av_recording --in 0:00.5 --out 2 --label 询问开始
expect 0 "the form shows the clip" -- C "${H[@]}" form show 1 questioning_record --json
python3 -c 'import json,sys; v=json.load(open(sys.argv[1]))["values"]["av_recording"]; assert v["start_ms"]==500 and v["end_ms"]==2000 and len(v["media"])==64, v' "$tmp/out" \
  && ok "clip stored with its range" || bad "clip stored with its range"
expect 1 "the same clip twice" -- C "${H[@]}" media clip 2 --form questioning_record --field av_recording --in 0:00.5 --out 2
expect 0 "media statements --json" -- C "${H[@]}" media statements --case 1 --json
python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); s=r[0]; assert s["number"]==1 and s["start_ms"]==500 and s["end_ms"]==2000 and len(s["sha256"])==64 and s["proves"] and s["text"], r' "$tmp/out" \
  && ok "statements JSON: the clip first, with its range" || bad "statements JSON: the clip first, with its range"
expect 1 "a handler cannot annotate" -- C "${H[@]}" media annotate 2 --at 1 --code compliant
expect 2 "annotate with a bad offset" -- C --user sup --passphrase-file "$tmp/h.pass" media annotate 2 --at 1:75 --code compliant
expect 0 "the supervisor annotates a range" -- C --user sup --passphrase-file "$tmp/h.pass" media annotate 2 --at 0:00.5 --to 2 --code late-start --text "到场后才开始录像"
expect 0 "annotations as CSV" -- C "${H[@]}" media annotations --case 1 --csv
grep -q "00:00:00.500,00:00:02.000,500,2000" "$tmp/out" && grep -q "开始记录过晚" "$tmp/out" && ok "CSV has offsets and the result" || bad "CSV has offsets and the result"
expect 0 "review queue as supervisor" -- C --user sup --passphrase-file "$tmp/h.pass" review queue --json
expect 1 "review queue as a handler" -- C "${H[@]}" review queue
# A clip exported as a new medium, copied without re-encoding (a WAV: exact).
expect 2 "media export-clip without --out" -- C "${H[@]}" media export-clip 2 --in 0:00.5
expect 1 "media export-clip past the end" -- C "${H[@]}" media export-clip 2 --in 2 --out 0:04
grep -q "within the recording (0 to 00:00:03.000)" "$tmp/err" && ok "export-clip names the recording's length" || bad "export-clip names the recording's length"
expect 0 "media export-clip" -- C "${H[@]}" media export-clip 2 --in 0:00.5 --out 2 --json
python3 -c 'import json,sys; m=json.load(open(sys.argv[1])); d=m["derived_from"]; assert m["id"]==3 and m["case"] and m["category"]=="evidence", m; assert d["media_id"]==2 and len(d["sha256"])==64 and d["start_ms"]==500 and d["end_ms"]==2000 and d["actual_start_ms"]==500 and d["actual_end_ms"]==2000 and d["method"]=="stream-copy", d; assert m["duration_ms"]==1500 and m["device"]=="DSJ-9", m' "$tmp/out" \
  && ok "export-clip JSON: provenance, 1.5 s" || bad "export-clip JSON: provenance, 1.5 s"
expect 0 "media show of the clip" -- C "${H[@]}" media show 3
grep -q "Clip of.*medium 2" "$tmp/out" && grep -q "00:00:00.500–00:00:02.000" "$tmp/out" && ok "show prints the provenance" || bad "show prints the provenance"
expect 0 "media list marks the clip" -- C "${H[@]}" media list --case 1
grep -q "clip of medium 2" "$tmp/out" && ok "list marks the clip" || bad "list marks the clip"
expect 0 "media verify" -- C "${H[@]}" media verify --json
python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); assert r["ok"] and r["checked"]==3 and r["mb_per_second"]>=0' "$tmp/out" \
  && ok "verify JSON: 3 checked" || bad "verify JSON: 3 checked"
obj=$(find "$d/objects" -type f -path '*/[0-9a-f][0-9a-f]/*' | head -1)
chmod u+w "$obj"; printf 'X' | dd of="$obj" bs=1 seek=50 conv=notrunc 2>/dev/null
expect 4 "media verify finds the flipped byte" -- C "${H[@]}" media verify
grep -q "mismatched" "$tmp/out" && ok "verify names the mismatch" || bad "verify names the mismatch"
expect 4 "media verify --case finds it too" -- C "${H[@]}" media verify --case 1 --json
python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); assert not r["ok"] and r["mismatched"]==1 and r["problems"][0]["problem"]=="mismatch"' "$tmp/out" \
  && ok "verify JSON names the mismatch" || bad "verify JSON names the mismatch"

# The case exported as a bundle (issue 6): only a supervisor or the records
# officer, never from a damaged original, and checked offline.
S=(--user sup --passphrase-file "$tmp/h.pass")
expect 1 "bundle export by a handler refused" -- C "${H[@]}" bundle export --case 1 -o "$tmp/b-h"
expect 4 "bundle export refuses the damaged original" -- C "${S[@]}" bundle export --case 1 -o "$tmp/b-bad"
grep -q "does not match its record" "$tmp/err" && ok "names the damaged original" || bad "names the damaged original"
[ ! -e "$tmp/b-bad" ] && [ -z "$(ls -A "$tmp" | grep partial)" ] && ok "no half export left" || bad "no half export left"
expect 0 "bundle export --no-media" -- C "${S[@]}" bundle export --case 1 -o "$tmp/b" --no-media
expect 0 "bundle verify" -- "$cli" bundle verify "$tmp/b"
grep -q "The export verifies" "$tmp/out" && ok "says it verifies" || bad "says it verifies"
expect 0 "bundle verify --json" -- "$cli" bundle verify --json "$tmp/b"
python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); assert r["ok"] and r["signatures"]>=2 and r["audit_rows"]>0' "$tmp/out" \
  && ok "verify JSON" || bad "verify JSON"
chmod -R u+w "$tmp/b"; sed -i 's/"cause" : "/"cause" : "X/' "$tmp/b/manifest.json"
expect 4 "bundle verify finds the changed manifest" -- "$cli" bundle verify "$tmp/b"
grep -q "manifest.sig" "$tmp/out" && ok "names the manifest's signature" || bad "names the manifest's signature"
expect 4 "bundle verify --json finds the changed manifest" -- "$cli" bundle verify --json "$tmp/b"
python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); assert not r["ok"] and r["problems"] and all(isinstance(p, str) for p in r["problems"]) and any("manifest.sig" in p for p in r["problems"]), r' "$tmp/out" \
  && ok "verify JSON lists the problems" || bad "verify JSON lists the problems"
expect 2 "bundle verify without a folder" -- "$cli" bundle verify
expect 1 "bundle verify of a folder that is no export" -- "$cli" bundle verify "$tmp"

# Printed documents: a form as a PDF with the head's signed approval, and
# the paper copy's code checked against the system.
expect 0 "case new for documents" -- C "${H[@]}" case new --cause "涉嫌虚假广告" --source inspection --place "某商场" \
  --party-kind person --party-name "李某" --handler h1 --handler h2 --json
doccase=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["id"])' "$tmp/out")
expect 0 "form fill for the document" -- C "${H[@]}" form fill "$doccase" filing_approval --set cause=涉嫌虚假广告 \
  --set place=某商场三楼 --set "case_summary=当事人在店内张贴含有“最佳”用语的广告。"
expect 0 "the supervisor approves filing" -- C --user sup --passphrase-file "$tmp/h.pass" approve "$doccase" --subject filing
expect 2 "doc render without -o" -- C "${H[@]}" doc render --case "$doccase" --template filing_approval
expect 1 "doc render of a form never saved" -- C "${H[@]}" doc render --case "$doccase" --template penalty_decision -o "$tmp/x.pdf"
expect 0 "a decision missing items" -- C "${H[@]}" form fill "$doccase" penalty_decision --set decision_content=罚款人民币一万元
expect 3 "a decision missing items is not issued" -- C "${H[@]}" doc render --case "$doccase" --template penalty_decision -o "$tmp/dec.pdf"
grep -q "item 2" "$tmp/err" && grep -q "第三十一条" "$tmp/err" && [ ! -e "$tmp/dec.pdf" ] \
  && ok "names the missing items, writes nothing" || bad "names the missing items, writes nothing"
expect 0 "doc render" -- C "${H[@]}" doc render --case "$doccase" --template filing_approval -o "$tmp/doc.pdf" --json
code=$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); assert r["pages"]>=1 and len(r["codes"])==1; print(r["codes"][0])' "$tmp/out") \
  && ok "doc render JSON has one code" || bad "doc render JSON has one code"
head -c 8 "$tmp/doc.pdf" | grep -q '^%PDF-1.5' && ok "a PDF was written" || bad "a PDF was written"
if command -v pdftotext >/dev/null; then
  pdftotext -enc UTF-8 "$tmp/doc.pdf" - | tr -d ' \n' | grep -q "某商场三楼" && ok "pdftotext finds the value" || bad "pdftotext finds the value"
fi
[ "$(sqlite3 "$d/casetrail.db" "SELECT COUNT(*) FROM audit_log WHERE action = 'document.render'")" -eq 1 ] \
  && ok "rendering is audited" || bad "rendering is audited"
expect 0 "doc verify of the genuine code" -- C --user h2 --passphrase-file "$tmp/h.pass" doc verify "$code"
grep -q "^MATCH" "$tmp/out" && ok "says MATCH" || bad "says MATCH"
expect 0 "doc verify --case --template" -- C "${H[@]}" doc verify --case "$doccase" --template filing_approval
expect 2 "doc verify of something else" -- C "${H[@]}" doc verify "http://example.com/"
forged=$(python3 -c 'import sys,base64; c,s=sys.argv[1].rsplit(":",1); b=bytearray(base64.b64decode(s)); b[7]^=1; print(c+":"+base64.b64encode(bytes(b)).decode())' "$code")
expect 4 "doc verify of a forged signature" -- C "${H[@]}" doc verify "$forged"
grep -q "not genuine" "$tmp/out" && ok "says not genuine" || bad "says not genuine"
expect 0 "the form changes" -- C "${H[@]}" form fill "$doccase" filing_approval --set cause=涉嫌虚假广告 \
  --set place=某商场五楼 --set "case_summary=当事人在店内张贴含有“最佳”用语的广告。"
expect 4 "doc verify after the change" -- C "${H[@]}" doc verify "$code" --json
python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); assert not r["matches"]; assert any("案发地" in p and "某商场五楼" in p for p in r["problems"]), r' "$tmp/out" \
  && ok "names the changed field" || bad "names the changed field"
expect 4 "doc verify --case after the change" -- C "${H[@]}" doc verify --case "$doccase" --template filing_approval

# Scanned paper (issue 6 item 5): the printed form stands in for the signed
# paper brought back and scanned; a PDF is always a document.
cp "$tmp/doc.pdf" "$tmp/signed.pdf"
expect 0 "media import of a scanned PDF" -- C "${H[@]}" media import "$tmp/signed.pdf" --case "$doccase" --json
scan=$(python3 -c 'import json,sys; m=json.load(open(sys.argv[1]))["files"][0]["media"]; assert m["kind"]=="document" and m["pages"]>=1 and m["late"] is False and m["recorded_at"] is None, m; print(m["id"])' "$tmp/out") \
  && ok "import JSON: a document with pages, no recording time" || bad "import JSON: a document with pages, no recording time"
expect 0 "media show prints the pages" -- C "${H[@]}" media show "$scan"
grep -q "^  Pages *[1-9]" "$tmp/out" && grep -q "document" "$tmp/out" && ok "show prints the page count" || bad "show prints the page count"
printf '%%PDF-1.4\nnot really\n' > "$tmp/broken.pdf"
expect 0 "media import of a malformed PDF" -- C "${H[@]}" media import "$tmp/broken.pdf" --case "$doccase" --json
python3 -c 'import json,sys; m=json.load(open(sys.argv[1]))["files"][0]["media"]; assert m["kind"]=="document" and m["probe_status"]=="unreadable" and m["probe_reason"], m' "$tmp/out" \
  && ok "malformed PDF: an unreadable document with a reason" || bad "malformed PDF: an unreadable document with a reason"
expect 1 "a WAV cannot be a document" -- C "${H[@]}" media import "$card/REC_0001.WAV" --case "$doccase" --as-document
grep -q "scanned document" "$tmp/err" && ok "says why" || bad "says why"
expect 2 "media scan without --field" -- C "${H[@]}" media scan "$scan" --form service_receipt
expect 1 "media scan to an unknown field" -- C "${H[@]}" media scan "$scan" --form service_receipt --field nothing
expect 1 "media scan of a recording" -- C "${H[@]}" media scan 2 --form service_receipt --field signed_receipt
grep -q "not a scanned document" "$tmp/err" && ok "says it is no document" || bad "says it is no document"
expect 1 "media scan with pages past the end" -- C "${H[@]}" media scan "$scan" --form service_receipt --field signed_receipt --pages 1-99
expect 0 "media scan attaches the receipt" -- C "${H[@]}" media scan "$scan" --form service_receipt --field signed_receipt --pages 1 --label 签收页
expect 0 "the form shows the scan" -- C "${H[@]}" form show "$doccase" service_receipt --json
python3 -c 'import json,sys; v=json.load(open(sys.argv[1]))["values"]["signed_receipt"]; assert v["pages"]=="1" and v["label"]=="签收页" and len(v["media"])==64, v' "$tmp/out" \
  && ok "scan stored with its pages" || bad "scan stored with its pages"
expect 1 "the same scan twice" -- C "${H[@]}" media scan "$scan" --form service_receipt --field signed_receipt --pages 1

# The dossier (issue 6 item 6): the case's officers, a supervisor or the
# records officer make it; the whole file as one PDF, audited.
expect 2 "dossier without -o" -- C "${H[@]}" dossier --case "$doccase"
expect 1 "dossier by the administrator (no officer of the case) refused" -- C --user admin --passphrase-file "$tmp/admin.pass" dossier --case 1 -o "$tmp/n.pdf"
expect 0 "dossier by an officer" -- C "${H[@]}" dossier --case "$doccase" -o "$tmp/dossier.pdf" --json
python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); assert r["pages"]>=6 and len(r["sha256"])==64 and not r["archived"]' "$tmp/out" \
  && ok "dossier JSON" || bad "dossier JSON"
head -c 8 "$tmp/dossier.pdf" | grep -q '^%PDF-1.5' && ok "the dossier is a PDF" || bad "the dossier is a PDF"
if command -v qpdf >/dev/null; then
  qpdf --check "$tmp/dossier.pdf" >/dev/null && ok "qpdf --check passes on the dossier" || bad "qpdf --check passes on the dossier"
fi
if command -v pdffonts >/dev/null; then
  [ "$(pdffonts "$tmp/dossier.pdf" | tail -n +3 | awk '{ print $(NF-4) }' | sort -u)" = "yes" ] \
    && ok "every font of the dossier embedded" || bad "every font of the dossier embedded"
fi
if command -v pdftotext >/dev/null; then
  pdftotext -enc UTF-8 "$tmp/dossier.pdf" - | tr -d ' \n' > "$tmp/dossier.txt"
  grep -q "某商场五楼" "$tmp/dossier.txt" && grep -q "卷内文书目录" "$tmp/dossier.txt" && grep -q "case.dossier" "$tmp/dossier.txt" \
    && grep -q "立案审批表" "$tmp/dossier.txt" && ok "pdftotext finds the dossier's parts" || bad "pdftotext finds the dossier's parts"
fi
[ "$(sqlite3 "$d/casetrail.db" "SELECT COUNT(*) FROM audit_log WHERE action = 'case.dossier'")" -ge 1 ] \
  && ok "the dossier is audited" || bad "the dossier is audited"
grep -q '"documents/dossier.pdf"' "$tmp/b/manifest.json" && grep -q '"role" : "dossier"' "$tmp/b/manifest.json" \
  && ok "the bundle carries the dossier" || bad "the bundle carries the dossier"

# Archiving (item 7): from the archive stage only, with a complete closing
# report; then the stored copy is read back verified and the case is
# read-only.  The walk through the stages is test-procedure's: here the
# case is put at the archive stage directly.
expect 1 "case archive before the archive stage" -- C "${H[@]}" case archive "$doccase"
grep -q "archive" "$tmp/err" && ok "says where archiving starts" || bad "says where archiving starts"
expect 1 "advancing cannot skip archiving" -- C "${H[@]}" case advance "$doccase" --to archived
now=$(date -u +%Y-%m-%dT%H:%M:%S.000Z)
sqlite3 "$d/casetrail.db" "UPDATE case_stages SET left_at = '$now' WHERE case_id = $doccase AND left_at IS NULL;
  INSERT INTO case_stages (case_id, stage, entered_at, entered_by) VALUES ($doccase, 'archive', '$now', 1);
  UPDATE cases SET stage = 'archive' WHERE id = $doccase;"
expect 3 "case archive without a closing report is blocked" -- C "${H[@]}" case archive "$doccase"
grep -q "closing-report" "$tmp/err" && ok "names the closing report" || bad "names the closing report"
expect 0 "closing report" -- C "${H[@]}" form fill "$doccase" closing_report --set 'party={"name":"李某","kind":"person"}' \
  --set cause=涉嫌虚假广告 --set decision_summary=罚款 --set performance=已缴纳 --set closing_ground=performed \
  --set closed_on=2026-03-20 --set handlers=h1,h2 --set handler_opinion=建议结案 \
  --set 'handler_signatures=[{"signer":"办案h1","signed_at":"2026-03-20T10:00:00+08:00"}]'
expect 1 "the supervisor does not archive" -- C "${S[@]}" case archive "$doccase"
expect 0 "case archive" -- C "${H[@]}" case archive "$doccase" --json
asha=$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); assert r["pages"]>=6; print(r["sha256"])' "$tmp/out") \
  && ok "case archive JSON" || bad "case archive JSON"
[ -f "$d/objects/${asha:0:2}/$asha" ] || [ -n "$(find "$d/objects" -name "*$asha*" | head -1)" ] \
  && ok "the dossier is a stored object" || bad "the dossier is a stored object"
expect 0 "case show of the archived case" -- C "${H[@]}" case show "$doccase"
grep -q "$asha" "$tmp/out" && ok "case show has the dossier's hash" || bad "case show has the dossier's hash"
expect 0 "dossier --archived" -- C "${S[@]}" dossier --case "$doccase" --archived -o "$tmp/archived.pdf"
[ "$(sha256sum < "$tmp/archived.pdf" | cut -d' ' -f1)" = "$asha" ] && ok "the stored copy is written out" || bad "the stored copy is written out"
expect 1 "an archived case's forms do not change" -- C "${H[@]}" form fill "$doccase" filing_approval --set place=别处
grep -q "archived" "$tmp/err" && ok "says archived" || bad "says archived"
expect 1 "archived twice" -- C "${H[@]}" case archive "$doccase"
expect 1 "dossier --archived of a case not archived" -- C "${S[@]}" dossier --case 1 --archived -o "$tmp/none.pdf"

expect 0 "audit verify" -- C audit verify
grep -q "intact" "$tmp/out" && ok "verify says intact" || bad "verify says intact"

# Tamper with a copy made directly in SQLite, triggers dropped.
cp -r "$d" "$tmp/t"
sqlite3 "$tmp/t/casetrail.db" "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET actor = 'mallory' WHERE id = 7;"
expect 4 "audit verify of a tampered chain" -- "$cli" --data-dir "$tmp/t" audit verify
grep -q "row 7" "$tmp/err" && ok "names row 7" || bad "names row 7"
expect 4 "audit verify --json of a tampered chain" -- "$cli" --data-dir "$tmp/t" audit verify --json
python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); assert r["ok"] is False and r["first_bad_row"]==7' "$tmp/out" \
  && ok "JSON names row 7" || bad "JSON names row 7"

# A database from the future is refused, and left alone.
cp -r "$d" "$tmp/f"
sqlite3 "$tmp/f/casetrail.db" "INSERT INTO schema_version VALUES (99, 'x')"
sum=$(sha256sum "$tmp/f/casetrail.db")
expect 1 "newer database refused" -- "$cli" --data-dir "$tmp/f" user list
grep -q "newer version" "$tmp/err" && ok "says newer version" || bad "says newer version"
[ "$sum" = "$(sha256sum "$tmp/f/casetrail.db")" ] && ok "newer database untouched" || bad "newer database untouched"

# CASETRAIL_DATA_DIR works as the default.
expect 0 "CASETRAIL_DATA_DIR" -- env CASETRAIL_DATA_DIR="$d" "$cli" user list
grep -q "^sup" "$tmp/out" && ok "env data dir used" || bad "env data dir used"

echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ]
