# Shared helpers for the shell tests. Each test sources this, runs its checks, and ends with
# 'finish'. Environment from ctest: BT, TESTDATA, SHARED (may not exist), BT_TESTD, CSVCHECK.
set -u
T=$(mktemp -d "${TMPDIR:-/tmp}/bt-test.XXXXXX")
trap 'rm -rf "$T"' EXIT
export BT_DB="$T/bt.db"
FAILED=0
CHECKS=0

pass() { CHECKS=$((CHECKS + 1)); printf 'ok    %s\n' "$1"; }
fail() { CHECKS=$((CHECKS + 1)); FAILED=$((FAILED + 1)); printf 'FAIL  %s\n' "$1"; [ $# -gt 1 ] && printf '      %s\n' "${@:2}"; return 0; }

# expect_eq NAME EXPECTED ACTUAL
expect_eq() {
  if [ "$2" = "$3" ]; then pass "$1"; else fail "$1" "expected: $2" "actual:   $3"; fi
}

# expect_rc NAME RC COMMAND... : runs COMMAND, output in $T/out and $T/err
expect_rc() {
  local name=$1 want=$2; shift 2
  "$@" >"$T/out" 2>"$T/err"
  local rc=$?
  if [ "$rc" = "$want" ]; then pass "$name"; else fail "$name" "exit $rc, expected $want" "$(head -c 600 "$T/err")"; fi
}

# expect_grep NAME PATTERN FILE
expect_grep() {
  if grep -q -- "$2" "$3"; then pass "$1"; else fail "$1" "no line matches: $2" "$(head -c 600 "$3")"; fi
}

expect_no_grep() {
  if grep -q -- "$2" "$3"; then fail "$1" "unexpected line: $(grep -m1 -- "$2" "$3")"; else pass "$1"; fi
}

need_shared() {
  if [ ! -d "$SHARED/corpus" ]; then
    echo "skipped: ../shared/corpus is not there (this test needs the real corpus)"
    exit 77
  fi
}

finish() {
  echo "$CHECKS checks, $FAILED failed"
  [ "$FAILED" = 0 ]
  exit $?
}
