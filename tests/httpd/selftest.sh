#!/usr/bin/env bash
# selftest.sh -- build bt_testd, build a small mirror, check every fault with curl.
#
# usage: selftest.sh [--sanitize] [--keep]
#   --sanitize  build with -fsanitize=address,undefined and fail on any sanitizer report
#   --keep      keep the temporary directory (printed at the end)
# env: CC (default cc), CORPUS (default: ../shared/corpus relative to the project root)
# Exit 0 only if every check passes; one line per check.
# shellcheck disable=SC2015,SC2016,SC2054  # "A && ok || bad" is intended; $1 in bash -c is intended
set -u

here=$(cd "$(dirname "$0")" && pwd)
sanitize=0 keep=0
for a in "$@"; do
	case $a in
	--sanitize) sanitize=1 ;;
	--keep) keep=1 ;;
	*) echo "usage: $0 [--sanitize] [--keep]" >&2; exit 2 ;;
	esac
done

for tool in curl cmp gzip; do
	command -v "$tool" >/dev/null || { echo "selftest: SKIP: '$tool' not installed"; exit 77; }
done

T=$(mktemp -d "${TMPDIR:-/tmp}/bt_testd_selftest.XXXXXX")
spid=
cleanup() {
	if [ -n "$spid" ] && kill -0 "$spid" 2>/dev/null; then kill "$spid" 2>/dev/null; wait "$spid" 2>/dev/null; fi
	jobs -p | while read -r j; do kill "$j" 2>/dev/null; done
	if [ "$keep" = 1 ]; then echo "selftest: kept $T"; else rm -rf "$T"; fi
}
trap cleanup EXIT

npass=0 nfail=0
ok()  { printf 'ok   %s\n' "$1"; npass=$((npass + 1)); }
bad() { printf 'FAIL %s%s\n' "$1" "${2:+ ($2)}"; nfail=$((nfail + 1)); }
# expect NAME WANT GOT
expect() { if [ "$2" = "$3" ]; then ok "$1"; else bad "$1" "want '$2', got '$3'"; fi; }

# ---------------------------------------------------------------- build
CC=${CC:-cc}
cflags=(-std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -O2)
[ "$sanitize" = 1 ] && cflags+=(-g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
if "$CC" "${cflags[@]}" "$here/bt_testd.c" -o "$T/bt_testd" -lz -lpthread 2>"$T/build.log"; then
	if [ "$sanitize" = 1 ]; then ok "build bt_testd (asan+ubsan)"; else ok "build bt_testd"; fi
else
	bad "build bt_testd"; cat "$T/build.log"; exit 1
fi

# ---------------------------------------------------------------- mirror
corpus=${CORPUS:-$here/../../../shared/corpus}
mkdir -p "$T/src"
if [ -f "$corpus/pp19.zip" ] && [ -f "$corpus/pp20.zip" ] && [ -f "$corpus/pp21.zip" ] && command -v unzip >/dev/null; then
	unzip -p "$corpus/pp19.zip" 19001-data.xml >"$T/src/19001-data.xml"
	unzip -p "$corpus/pp20.zip" 20001-data.xml >"$T/src/20001-data.xml"
	unzip -p "$corpus/pp21.zip" 21001-data.xml >"$T/src/21001-data.xml"
	cp "$corpus/MdB-Stammdaten.zip" "$T/src/MdB-Stammdaten.zip" 2>/dev/null || printf 'PK\005\006%018d' 0 >"$T/src/MdB-Stammdaten.zip"
else
	echo "note: corpus not found at '$corpus', using synthetic protocols"
	for s in 19001:24.10.2017 20001:26.10.2021 21001:25.03.2025; do
		id=${s%%:*} datum=${s#*:}
		{
			printf '<?xml version="1.0" encoding="UTF-8"?>\n'
			printf '<dbtplenarprotokoll wahlperiode="%s" sitzung-nr="1" sitzung-datum="%s">\n' "${id:0:2}" "$datum"
			for ((i = 0; i < 3000; i++)); do printf '<p klasse="J">Absatz %d des Protokolls %s.</p>\n' "$i" "$id"; done
			printf '</dbtplenarprotokoll>\n'
		} >"$T/src/$id-data.xml"
	done
	printf 'PK\005\006%018d' 0 >"$T/src/MdB-Stammdaten.zip"
fi
if "$here/make_mirror.sh" "$T/www" --wp 19:543410:A "$T/src/19001-data.xml" \
	--wp 20:866354:B "$T/src/20001-data.xml" --wp 21:1058442:B "$T/src/21001-data.xml" \
	--mdb "$T/src/MdB-Stammdaten.zip" >"$T/paths" 2>"$T/mirror.err"; then
	expect "make_mirror prints 3 protocol paths" 3 "$(grep -c '\.xml$' "$T/paths")"
else
	bad "make_mirror" "$(cat "$T/mirror.err")"; exit 1
fi
p19=$(grep '/19001-data\.xml$' "$T/paths")
p20=$(grep '/20001\.xml$' "$T/paths")
p21=$(grep '/21001\.xml$' "$T/paths")
[[ $p19 =~ ^/resource/blob/[0-9]+/[0-9a-f]{32}/19001-data\.xml$ ]] && ok "markup A blob path $p19" || bad "markup A blob path" "$p19"
[[ $p20 =~ ^/resource/blob/[0-9]+/20001\.xml$ ]] && ok "markup B blob path $p20" || bad "markup B blob path" "$p20"
"$here/make_mirror.sh" "$T/www2" --wp 19:543410:A "$T/src/19001-data.xml" >"$T/paths2"
expect "rebuilding gives the same URL" "$p19" "$(cat "$T/paths2")"

# ---------------------------------------------------------------- start
F=$T/faults L=$T/log PF=$T/port
setfaults() { printf '%s\n' "$@" >"$F.tmp" && mv -f "$F.tmp" "$F"; }
start_server() {
	rm -f "$PF"
	"$T/bt_testd" --root "$T/www" --port-file "$PF" --faults "$F" --log "$L" 2>>"$T/server.err" &
	spid=$!
	for ((i = 0; i < 100; i++)); do [ -s "$PF" ] && break; sleep 0.05; done
	port=$(cat "$PF" 2>/dev/null)
	B=http://127.0.0.1:$port
}
start_server
if [[ $port =~ ^[0-9]+$ ]] && [ "$(od -An -c "$PF" | tr -d ' ' | tail -c 3)" = '\n' ]; then
	ok "port file written ($port)"
else
	bad "port file written" "'$port'"; exit 1
fi

C=(curl -s --max-time 10)
# get URL -> sets code, writes $T/body and $T/hdr; extra curl args first
get() { rm -f "$T/body" "$T/hdr"; code=$("${C[@]}" -D "$T/hdr" -o "$T/body" -w '%{http_code}' "$@"); rc=$?; }
hdr() { sed -n "s/^$1: //Ip" "$T/hdr" | tr -d '\r' | head -1; }
lastlog() { tail -n 1 "$L"; }
bodylen() { if [ -f "$T/body" ]; then wc -c <"$T/body"; else echo 0; fi; }

list19="/ajax/filterlist/de/services/opendata/543410-543410?limit=10&noFilterSet=true&offset=0"
list20="/ajax/filterlist/de/services/opendata/866354-866354?limit=10&noFilterSet=true&offset=0"
end19="/ajax/filterlist/de/services/opendata/543410-543410?limit=10&noFilterSet=true&offset=10"

# ---------------------------------------------------------------- plain serving
get "$B$list19"
expect "listing page: status" 200 "$code"
expect "listing page: Content-Type" text/html "$(hdr Content-Type)"
grep -q "href=\"$p19\"" "$T/body" && grep -q 'class="bt-documents-description"' "$T/body" &&
	grep -q 'data-hits="1"' "$T/body" && ok "listing page (markup A) links $p19 with data-hits" || bad "listing page A content"
get "$B$list20"
expect "listing page B: two links to the same URL" 2 "$(grep -o "href=\"$p20\"" "$T/body" | wc -l)"
get "$B$end19"
expect "listing page past the end: 200" 200 "$code"
expect "listing page past the end: no .xml links" 0 "$(grep -c '\.xml"' "$T/body")"
expect "log line for the listing page" "GET $end19 200 $(wc -c <"$T/body") - n" "$(lastlog)"

get "$B$p19"
expect "protocol: status" 200 "$code"
cmp -s "$T/body" "$T/src/19001-data.xml" && ok "protocol: body identical" || bad "protocol: body identical"
expect "protocol: Content-Type" application/xml "$(hdr Content-Type)"
expect "protocol: Content-Length" "$(wc -c <"$T/src/19001-data.xml")" "$(hdr Content-Length)"
expect "protocol: Connection" close "$(hdr Connection)"
etag=$(hdr ETag) lm=$(hdr Last-Modified)
[[ $etag =~ ^\"[0-9a-f]+-[0-9a-f]+\"$ ]] && ok "ETag $etag" || bad "ETag" "$etag"
[[ $lm =~ ^[A-Z][a-z]{2},\ [0-9]{2}\ [A-Z][a-z]{2}\ [0-9]{4}\ [0-9:]{8}\ GMT$ ]] && ok "Last-Modified $lm" || bad "Last-Modified" "$lm"

get "$B/resource/blob/472878/MdB-Stammdaten.zip"
expect "MdB zip: Content-Type" "200 application/zip" "$code $(hdr Content-Type)"

get -I "$B$p20"
expect "HEAD: status, Content-Length" "200 $(wc -c <"$T/src/20001-data.xml")" "$code $(hdr Content-Length)"
timeout 5 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1"; printf "HEAD %s HTTP/1.1\r\nHost: x\r\n\r\n" "$2" >&3; cat <&3' _ "$port" "$p20" >"$T/raw"
expect "HEAD: response ends after the header block" " 0d 0a 0d 0a" "$(tail -c 4 "$T/raw" | od -An -tx1)"
expect "HEAD: log line" "HEAD $p20 200 0 - n" "$(lastlog)"

get "$B/resource/blob/1/nothing.xml"
expect "missing file: 404" 404 "$code"
grep -q '<html' "$T/body" && ok "missing file: HTML body" || bad "missing file: HTML body"
get "$B/resource/blob/472878/"
expect "directory: 404" 404 "$code"
get --path-as-is "$B/resource/../resource/blob/472878/MdB-Stammdaten.zip"
expect "'..' in path: 400" 400 "$code"
get -X POST "$B$p19"
expect "POST: 405" 405 "$code"

# raw malformed requests
raw() { timeout 5 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1"; printf "%b" "$2" >&3; head -n 1 <&3 | tr -d "\r"' _ "$port" "$1"; }
expect "garbage request line: 400" "HTTP/1.1 400 Bad Request" "$(raw 'BROKEN\r\n\r\n')"
expect "bad version: 400" "HTTP/1.1 400 Bad Request" "$(raw 'GET / HTTP/2.0\r\n\r\n')"
expect "header without colon: 400" "HTTP/1.1 400 Bad Request" "$(raw 'GET / HTTP/1.1\r\nnocolon\r\n\r\n')"
big=$(head -c 20000 /dev/zero | tr '\0' 'a')
expect "oversized head: 400" "HTTP/1.1 400 Bad Request" "$(raw "GET /$big HTTP/1.1\r\n\r\n")"
timeout 5 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1"; printf "GET /x HT" >&3; exec 3>&-' _ "$port"
timeout 5 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1"; printf "GET %s HTTP/1.1\r\n\r\n" "$2" >&3; head -c 100 <&3 >/dev/null; exec 3>&-' _ "$port" "$p19"
get "$B$p19"
expect "survives early disconnects" 200 "$code"

# ---------------------------------------------------------------- validators
get -H "If-None-Match: $etag" "$B$p19"
expect "If-None-Match match: 304, empty body" "304 0" "$code $(bodylen)"
expect "304 log line" "GET $p19 304 0 - y" "$(lastlog)"
get -H 'If-None-Match: "0-0"' "$B$p19"
expect "If-None-Match mismatch: 200" 200 "$code"
expect "log: If-None-Match present" y "$(lastlog | awk '{print $6}')"
get -H "If-Modified-Since: $lm" "$B$p19"
expect "If-Modified-Since = mtime: 304" 304 "$code"
get -H "If-Modified-Since: Thu, 01 Jan 1970 00:00:10 GMT" "$B$p19"
expect "If-Modified-Since older: 200" 200 "$code"
get -H "If-Modified-Since: not a date" "$B$p19"
expect "If-Modified-Since garbage: 200" 200 "$code"
mark=$(wc -l <"$L")
for p in "$p19" "$p20" "$p21"; do
	e=$("${C[@]}" -I "$B$p" | sed -n 's/^ETag: //Ip' | tr -d '\r')
	"${C[@]}" -o /dev/null -H "If-None-Match: $e" "$B$p"
done
expect "conditional re-fetch: no .xml 200 GET in the log" 0 \
	"$(tail -n +$((mark + 1)) "$L" | awk '$1 == "GET" && $2 ~ /\.xml$/ && $3 == 200' | wc -l)"

# ---------------------------------------------------------------- faults
size19=$(wc -c <"$T/src/19001-data.xml")

setfaults "$p19 gzip"
get --compressed "$B$p19"
cmp -s "$T/body" "$T/src/19001-data.xml" && ok "gzip: round trip with --compressed" || bad "gzip: round trip"
clen=$(hdr Content-Length)
expect "gzip: Content-Encoding" gzip "$(hdr Content-Encoding)"
[ "$clen" -lt "$size19" ] && ok "gzip: compressed Content-Length $clen < $size19" || bad "gzip: Content-Length" "$clen"
expect "gzip: log line" "GET $p19 200 $clen gzip n" "$(lastlog)"
get -H 'Accept-Encoding: gzip' "$B$p19"
gzip -dc <"$T/body" | cmp -s - "$T/src/19001-data.xml" && ok "gzip: body is a gzip stream (gzip -d)" || bad "gzip: raw stream"
get "$B$p19"
expect "gzip: identity without Accept-Encoding" "200 $size19 " "$code $(hdr Content-Length) $(hdr Content-Encoding)"
get --compressed "$B$p20"
expect "gzip: only for the target named" "" "$(hdr Content-Encoding)"

setfaults "# comment" "$p19 404"
get "$B$p19"
expect "404 fault" 404 "$code"

setfaults "$p19 500 2"
c1=$("${C[@]}" -o /dev/null -w '%{http_code}' "$B$p19")
c2=$("${C[@]}" -o /dev/null -w '%{http_code}' "$B$p19")
c3=$("${C[@]}" -o /dev/null -w '%{http_code}' "$B$p19")
expect "500 2: 500, 500, then 200" "500 500 200" "$c1 $c2 $c3"
setfaults "$p19 500 2"
expect "rewriting the faults file resets counters" 500 "$("${C[@]}" -o /dev/null -w '%{http_code}' "$B$p19")"

setfaults "$p19 429 1 7"
get "$B$p19"
expect "429 1 7: status and Retry-After" "429 7" "$code $(hdr Retry-After)"
get "$B$p19"
expect "429 1 7: then 200" 200 "$code"

setfaults "* 500 1"
c1=$("${C[@]}" -o /dev/null -w '%{http_code}' "$B$p20")
c2=$("${C[@]}" -o /dev/null -w '%{http_code}' "$B$p20")
c3=$("${C[@]}" -o /dev/null -w '%{http_code}' "$B$p21")
expect "'*' target counts per target" "500 200 500" "$c1 $c2 $c3"

setfaults "$p19 reset 1000"
"${C[@]}" -o "$T/body" "$B$p19"; rc=$?
expect "reset 1000: curl exit 56" 56 "$rc"
expect "reset 1000: 1000 bytes arrived" 1000 "$(wc -c <"$T/body")"
expect "reset: log line" "GET $p19 200 1000 - n" "$(lastlog)"

setfaults "$p19 short 1000"
"${C[@]}" -o "$T/body" "$B$p19"; rc=$?
expect "short 1000: curl exit 18" 18 "$rc"
expect "short 1000: 1000 bytes arrived" 1000 "$(wc -c <"$T/body")"

setfaults "$p19 once reset 1000"
"${C[@]}" -o /dev/null "$B$p19"; rc1=$?
get "$B$p19"
expect "once reset: 56, then 200" "56 200" "$rc1 $code"
cmp -s "$T/body" "$T/src/19001-data.xml" && ok "once reset: second body identical" || bad "once reset: second body"

setfaults "$p19 html"
get "$B$p19"
expect "html fault: 200 text/html" "200 text/html" "$code $(hdr Content-Type)"
grep -q '<title>Wartungsarbeiten</title>' "$T/body" && ok "html fault: maintenance page" || bad "html fault: body"

setfaults "$p19 stall 500"
"${C[@]}" --max-time 2 -o "$T/body" "$B$p19"; rc=$?
expect "stall 500: curl --max-time 2 exit 28" 28 "$rc"
expect "stall 500: 500 bytes arrived" 500 "$(wc -c <"$T/body")"
"${C[@]}" --max-time 10 -o /dev/null "$B$p19" &
sleep 0.2
t0=$(date +%s%N)
get "$B$p20"
ms=$((($(date +%s%N) - t0) / 1000000))
[ "$code" = 200 ] && [ "$ms" -lt 1000 ] && ok "a stalled connection does not block others (${ms} ms)" || bad "stall blocks others" "$code, $ms ms"

setfaults "$p19 slow 200000"
t0=$(date +%s%N)
get "$B$p19"
ms=$((($(date +%s%N) - t0) / 1000000))
want=$((size19 * 1000 / 200000))
cmp -s "$T/body" "$T/src/19001-data.xml" && [ "$ms" -ge $((want * 8 / 10)) ] && [ "$ms" -le $((want * 2 + 500)) ] &&
	ok "slow 200000: ${ms} ms for $size19 bytes (expected ~$want ms)" || bad "slow" "$ms ms, expected ~$want"

setfaults "$p19 gzip" "$p19 short 100"
"${C[@]}" -H 'Accept-Encoding: gzip' -D "$T/hdr" -o "$T/body" "$B$p19"; rc=$?
expect "gzip + short: exit 18 after 100 compressed bytes" "18 100 gzip" "$rc $(wc -c <"$T/body") $(hdr Content-Encoding)"

setfaults "$p19 nonsense 1"
get "$B$p19"
expect "unknown fault is ignored" 200 "$code"
rm -f "$F"
get "$B$p19"
expect "no faults file: serve normally" 200 "$code"

# ---------------------------------------------------------------- log format
expect "log: every line has 6 fields" 0 "$(awk 'NF != 6' "$L" | wc -l)"
expect "log: fields well-formed" 0 \
	"$(awk '!($1 ~ /^([A-Z]+|-)$/ && $3 ~ /^[0-9][0-9][0-9]$/ && $4 ~ /^[0-9]+$/ && $5 ~ /^(gzip|-)$/ && $6 ~ /^[yn]$/)' "$L" | wc -l)"

# ---------------------------------------------------------------- throughput
big=$T/www/resource/blob/9/big.xml
mkdir -p "${big%/*}"
truncate -s 120M "$big"
t0=$(date +%s%N)
pids=()
for i in 1 2 3 4; do "${C[@]}" --max-time 60 -o /dev/null "$B/resource/blob/9/big.xml" & pids+=($!); done
wait_ok=1
for j in "${pids[@]}"; do wait "$j" || wait_ok=0; done
ms=$((($(date +%s%N) - t0) / 1000000))
mbs=$((480 * 1000 / (ms > 0 ? ms : 1)))
[ "$wait_ok" = 1 ] && [ "$mbs" -ge 200 ] && ok "4 parallel clients x 120 MB: $mbs MB/s" || bad "throughput" "$mbs MB/s, ok=$wait_ok"
rm -f "$big"

# ---------------------------------------------------------------- shutdown
setfaults "$p19 stall 10"
"${C[@]}" --max-time 20 -o /dev/null "$B$p19" &
sleep 0.3
t0=$(date +%s%N)
kill -TERM "$spid"
for ((i = 0; i < 100; i++)); do kill -0 "$spid" 2>/dev/null || break; sleep 0.05; done
if kill -0 "$spid" 2>/dev/null; then
	bad "SIGTERM: server exits" "still running"
else
	wait "$spid"; src=$?
	ms=$((($(date +%s%N) - t0) / 1000000))
	expect "SIGTERM with a stalled client: exit status 0 (${ms} ms)" 0 "$src"
fi
spid=
wait 2>/dev/null
if [ -s "$T/server.err" ]; then
	if grep -qE 'Sanitizer|runtime error|LeakSanitizer' "$T/server.err"; then
		bad "no sanitizer reports" "$(head -n 20 "$T/server.err")"
	else
		ok "server stderr: $(tr '\n' ' ' <"$T/server.err" | head -c 200)"
	fi
else
	ok "server stderr empty"
fi

echo "selftest: $npass passed, $nfail failed"
[ "$nfail" = 0 ]
