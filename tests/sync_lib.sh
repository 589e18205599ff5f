# Helpers for the sync tests: a loopback mirror served by bt_testd (tests/httpd).
. "$(dirname "$0")/lib.sh"
W=$T/www
FAULTS=$T/faults
LOG=$T/log

start_server() {
  rm -f "$T/port"
  mkdir -p "$W"
  "$BT_TESTD" --root "$W" --port-file "$T/port" --faults "$FAULTS" --log "$LOG" 2>"$T/testd.err" &
  TESTD=$!
  for _ in $(seq 200); do [ -s "$T/port" ] && break; sleep 0.05; done
  [ -s "$T/port" ] || { echo "test server did not start: $(cat "$T/testd.err")"; exit 1; }
  BASE=http://127.0.0.1:$(cat "$T/port")
  trap 'kill "$TESTD" 2>/dev/null; rm -rf "$T"' EXIT
}

# mirror FILES...: WP 19 in the old markup, WP 20 in the new one, WP 21 old again
mirror() {
  local f19=() f20=() f21=()
  for f in "$@"; do
    case $(basename "$f") in 19*) f19+=("$f") ;; 20*) f20+=("$f") ;; *) f21+=("$f") ;; esac
  done
  rm -rf "$W"
  local args=()
  [ ${#f19[@]} -gt 0 ] && args+=(--wp 19:543410:A "${f19[@]}")
  [ ${#f20[@]} -gt 0 ] && args+=(--wp 20:866354:B "${f20[@]}")
  [ ${#f21[@]} -gt 0 ] && args+=(--wp 21:1058442:A "${f21[@]}")
  bash "$TESTS/httpd/make_mirror.sh" "$W.new" --base-url "$BASE" --mdb "$TESTDATA/MdB-Stammdaten-subset.zip" \
    "${args[@]}" >"$T/blobs"
  mv "$W.new" "$W"
}

faults() { printf '%s\n' "$@" >"$FAULTS.tmp" && mv "$FAULTS.tmp" "$FAULTS"; }

sync_() { "$BT" sync --base-url "$BASE" --retry-delay 0.05 -q "$@"; }

# protocol bodies (.xml with status 200) served since the log was last cleared
bodies() { grep -c '\.xml 200 ' "$LOG" 2>/dev/null || true; }
clear_log() { : >"$LOG"; }
blob() { grep -m1 "$1" "$T/blobs"; }

# copies of a real protocol under other session numbers, to have many protocols
copies() { # N DIR
  mkdir -p "$2"
  for i in $(seq 1 "$1"); do
    sed "0,/sitzung-nr=\"2\"/s//sitzung-nr=\"$((900 + i))\"/" "$TESTDATA/21002-data.xml" >"$2/21$((900 + i))-data.xml"
  done
}
