#!/bin/bash
# A real full disk, not an injected error: the data folder lives on an 8 MiB
# tmpfs (mounted in a private user and mount namespace, so no root is
# needed), and a 24 MiB recording is imported into it.  The import must fail
# with a message that says how much to free, leave no record, no object and
# no temp file, audit the failure, and a small import must work afterwards.
set -u
cli=${CASETRAIL_CLI:?}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if ! unshare --user --map-root-user --mount true 2>/dev/null; then
  echo "1..0 # SKIP this system does not allow user namespaces (unshare -rm)"
  exit 0
fi

head -c $((24 * 1024 * 1024)) /dev/urandom > "$tmp/BIG.MP4"
python3 - "$tmp/SMALL.WAV" <<'PY'
import sys, wave
with wave.open(sys.argv[1], "wb") as w:
    w.setnchannels(1); w.setsampwidth(2); w.setframerate(8000)
    w.writeframes(b"\x01\x02" * 8000 * 2)
PY
printf 'disk full passphrase\n' > "$tmp/pass"
mkdir "$tmp/fs"

cat > "$tmp/inner.sh" <<INNER
set -u
mount -t tmpfs -o size=8m tmpfs "$tmp/fs" || exit 99
d="$tmp/fs/data"
C() { "$cli" --data-dir "\$d" --passphrase-file "$tmp/pass" "\$@"; }
n=0
ok()  { n=\$((n + 1)); echo "ok \$n - \$*"; }
bad() { n=\$((n + 1)); echo "not ok \$n - \$*"; }
C init --agency 测试局 --admin admin >/dev/null || { bad "init"; exit 1; }
C --user admin user add h1 --role handler --cert C1 --new-passphrase-file "$tmp/pass" >/dev/null || { bad "user add"; exit 1; }
C --user h1 media import "$tmp/BIG.MP4" --category patrol >"$tmp/out" 2>"$tmp/err"
rc=\$?
[ \$rc -eq 1 ] && ok "import into a full disk fails (exit \$rc)" || bad "import into a full disk: exit \$rc"
grep -q "evidence store is full: free at least" "$tmp/err" && ok "the message says how much to free" || { bad "message"; cat "$tmp/err"; }
left=\$(find "\$d/objects" -type f ! -name .lock | wc -l)
[ "\$left" -eq 0 ] && ok "no object and no temp file left" || { bad "files left: \$left"; find "\$d/objects" -type f ! -name .lock; }
[ "\$(sqlite3 "\$d/casetrail.db" 'SELECT COUNT(*) FROM media')" -eq 0 ] && ok "no record" || bad "a record was written"
[ "\$(sqlite3 "\$d/casetrail.db" "SELECT COUNT(*) FROM audit_log WHERE action = 'media.import-failed'")" -eq 1 ] \
  && ok "the failure is audited" || bad "the failure is not audited"
C --user h1 media import "$tmp/SMALL.WAV" --category patrol >"$tmp/out" 2>"$tmp/err" && ok "a small import works afterwards" || { bad "small import"; cat "$tmp/err"; }
C --user h1 media verify >/dev/null && ok "the store verifies" || bad "the store does not verify"
C audit verify >/dev/null && ok "the audit chain is intact" || bad "audit chain"
echo "1..\$n"
umount "$tmp/fs"
INNER

unshare --user --map-root-user --mount bash "$tmp/inner.sh" > "$tmp/tap"
rc=$?
cat "$tmp/tap"
if [ $rc -eq 99 ]; then
  echo "# SKIP could not mount a tmpfs in the namespace"
  exit 0
fi
! grep -q "^not ok" "$tmp/tap" && [ $rc -eq 0 ]
