#!/usr/bin/env bash
# Benchmarks bt on the whole corpus (../shared/corpus: pp19.zip, pp20.zip, pp21.zip, 523 files,
# 477 MB of XML), side by side in one run with a bare expat pass over the same bytes.
#   bench/run.sh [BUILD_DIR]     (default: build, a Release build; ./setup.sh makes it)
# Prints a Markdown table; each figure is the median of RUNS runs (default 3).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
B=$(cd "${1:-$root/build}" && pwd)
C=$root/../shared/corpus
RUNS=${RUNS:-3}
[ -d "$C" ] || { echo "bench: needs ../shared/corpus" >&2; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bt-bench.XXXXXX")
testd=
cleanup() { [ -n "$testd" ] && kill "$testd" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
ZIPS=("$C/pp19.zip" "$C/pp20.zip" "$C/pp21.zip")
BT=$B/bt

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
# measure CMD...: "wall rss_kb user sys" of one run
measure() { "$B/bench/measure" "$@" 2>&1 >/dev/null | tail -1; }

echo "bt benchmark, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(uname -m)" >&2

# 1.+2. bare expat over the same bytes (inflated from the same archives, and from memory) and
# bt import into a fresh database, interleaved run by run so load on the machine hits all alike
bytes=$("$B/bench/bare_expat" --memory "${ZIPS[@]}" | cut -d' ' -f1)
: >"$tmp/imports"; : >"$tmp/expat_zip_all"; : >"$tmp/expat_mem_all"; : >"$tmp/ratios"
for _ in $(seq "$RUNS"); do
  ez1=$("$B/bench/bare_expat" "${ZIPS[@]}" | cut -d' ' -f2)
  em1=$("$B/bench/bare_expat" --memory "${ZIPS[@]}" | cut -d' ' -f2)
  rm -f "$tmp/bt.db"*
  line=$(measure "$BT" --db "$tmp/bt.db" import -q "${ZIPS[@]}")
  echo "$line" >>"$tmp/imports"
  echo "$ez1" >>"$tmp/expat_zip_all"
  echo "$em1" >>"$tmp/expat_mem_all"
  awk -v a="${line%% *}" -v b="$ez1" -v c="$em1" 'BEGIN { printf "%.3f %.3f\n", a / b, a / c }' >>"$tmp/ratios"
done
median <"$tmp/expat_zip_all" >"$tmp/expat_zip"
median <"$tmp/expat_mem_all" >"$tmp/expat_mem"
ratio_zip=$(cut -d' ' -f1 "$tmp/ratios" | median)
ratio_mem=$(cut -d' ' -f2 "$tmp/ratios" | median)
imp_wall=$(cut -d' ' -f1 "$tmp/imports" | median)
imp_rss=$(cut -d' ' -f2 "$tmp/imports" | sort -n | tail -1)
imp_cpu=$(awk '{ print $3 + $4 }' "$tmp/imports" | median)
"$BT" --db "$tmp/bt.db" import -q "$C/MdB-Stammdaten.zip" >/dev/null
db_mb=$(du -m "$tmp/bt.db" | cut -f1)
# re-import of unchanged content (parsed, compared, nothing written)
reimp=$(measure "$BT" --db "$tmp/bt.db" import -q "${ZIPS[@]}" | cut -d' ' -f1)

# 3. queries, warm
q() { for _ in $(seq 10); do measure "$BT" --db "$tmp/bt.db" "$@" | cut -d' ' -f1; done | median; }
matrix_s=$(q applause --matrix)
top_s=$(q top-speeches -n 20)
zuruf_s=$(q reactions --matrix --kind zuruf --wp 20)

# 4. reaction parsing
read -r kommentare rows parse_s < <("$B/bench/bench_reactions" "$tmp/bt.db")

# 5. sync from a loopback mirror of the corpus
mkdir -p "$tmp/xml" "$tmp/www"
"$B/bench/zip_extract" "$tmp/xml" "${ZIPS[@]}"
"$B/tests/bt_testd" --root "$tmp/www" --port-file "$tmp/port" --log /dev/null 2>/dev/null &
testd=$!
for _ in $(seq 100); do [ -s "$tmp/port" ] && break; sleep 0.05; done
base=http://127.0.0.1:$(cat "$tmp/port")
rmdir "$tmp/www"
bash "$root/tests/httpd/make_mirror.sh" "$tmp/www" --link --base-url "$base" --mdb "$C/MdB-Stammdaten.zip" \
  --wp 19:543410:A "$tmp"/xml/19*.xml --wp 20:866354:B "$tmp"/xml/20*.xml --wp 21:1058442:A "$tmp"/xml/21*.xml >/dev/null
sync_run() { rm -f "$tmp/s.db"*; measure "$BT" --db "$tmp/s.db" sync -q --base-url "$base" --jobs "$1" | cut -d' ' -f1; }
sync1=$(for _ in $(seq "$RUNS"); do sync_run 1; done | median)
sync4=$(for _ in $(seq "$RUNS"); do sync_run 4; done | median)
noop=$(for _ in $(seq 5); do measure "$BT" --db "$tmp/s.db" sync -q --base-url "$base" | cut -d' ' -f1; done | median)

ez=$(cat "$tmp/expat_zip") em=$(cat "$tmp/expat_mem")
mb=$(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1e6 }')
awk -v mb="$mb" -v ez="$ez" -v em="$em" -v rz="$ratio_zip" -v rm="$ratio_mem" -v iw="$imp_wall" -v ic="$imp_cpu" -v rss="$imp_rss" -v db="$db_mb" \
    -v re="$reimp" -v ms="$matrix_s" -v ts="$top_s" -v zs="$zuruf_s" -v k="$kommentare" -v r="$rows" -v ps="$parse_s" \
    -v s1="$sync1" -v s4="$sync4" -v no="$noop" -v runs="$RUNS" 'BEGIN {
  printf "| measure (median of %d runs) | result |\n|---|---|\n", runs
  printf "| corpus | 523 files, %s MB of XML in 3 ZIP archives |\n", mb
  printf "| bare expat, inflating the same archives | %.2f s (%.0f MB/s) |\n", ez, mb / ez
  printf "| bare expat, bytes already in memory | %.2f s (%.0f MB/s) |\n", em, mb / em
  printf "| **bt import**, fresh database | **%.2f s** (%.0f MB/s), %.1f CPU s on 2 threads |\n", iw, mb / iw, ic
  printf "| ratio to bare expat, run by run (same archives / in memory) | **%.2fx** / %.2fx |\n", rz, rm
  printf "| peak RSS of bt import | %.1f MB |\n", rss / 1024
  printf "| database size (with master data) | %d MB |\n", db
  printf "| re-import, all unchanged | %.2f s |\n", re
  printf "| reaction parsing | %d kommentare, %d rows in %.2f s: %.0f kommentare/s |\n", k, r, ps, k / ps
  printf "| bt applause --matrix (warm) | %.0f ms |\n", ms * 1000
  printf "| bt top-speeches -n 20 (warm) | %.0f ms |\n", ts * 1000
  printf "| bt reactions --matrix --kind zuruf --wp 20 (warm) | %.0f ms |\n", zs * 1000
  printf "| bt sync from a loopback mirror, --jobs 1 | %.2f s |\n", s1
  printf "| bt sync from a loopback mirror, --jobs 4 | %.2f s |\n", s4
  printf "| bt sync again, nothing changed (listings + 304s) | %.2f s |\n", no
}'
