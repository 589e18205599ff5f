#!/usr/bin/env bash
# make_mirror.sh -- build a directory that bt_testd serves as a stand-in for
# the Bundestag open-data service (listing pages + protocol blobs + MdB zip).
#
# usage: make_mirror.sh OUTDIR --wp WP:ID:MARKUP FILE... [--wp WP:ID:MARKUP FILE...]
#                       [--mdb ZIPFILE] [--page-size N] [--base-url URL] [--link]
#
#   --wp 19:543410:A FILE...  one Wahlperiode: its listing id and markup style
#                             (A = old: relative -data.xml links, meta-slider
#                             with data-hits/data-nextoffset; B = new: absolute
#                             links, each twice, no count attributes), then its
#                             protocol XML files (named 19001-data.xml or 19001.xml)
#   --mdb ZIPFILE             copied to resource/blob/472878/MdB-Stammdaten.zip
#   --page-size N             entries per listing page (default 10; the URL keeps limit=10)
#   --base-url URL            host for markup B's absolute links (e.g.
#                             http://127.0.0.1:PORT); without it they are relative
#   --link                    hard-link protocol files instead of copying (same fs only)
#
# Writes one listing page per offset 0..max(T, T rounded up to 10 and to N)
# (T = entries; pages at offset >= T hold no entries), named exactly like the
# request target: ajax/filterlist/de/services/opendata/ID-ID?limit=10&noFilterSet=true&offset=O
# Prints the path of every protocol blob it created, one per line, in listing order.
# Blob numbers and hashes derive from the file name only, so rebuilding gives the same URLs.
set -euo pipefail

prog=${0##*/}
die() { printf '%s: %s\n' "$prog" "$*" >&2; exit 2; }
usage() { sed -n '4,9p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }

[ $# -ge 1 ] || usage
out=$1; shift
case $out in -*) usage ;; esac

page_size=10
base_url=
mdb=
link=0
ngroups=0
declare -a g_wp g_id g_markup g_files

while [ $# -gt 0 ]; do
	case $1 in
	--wp)
		[ $# -ge 2 ] || die "--wp needs WP:ID:MARKUP"
		IFS=: read -r wp id markup <<<"$2"
		[[ $wp =~ ^[0-9]+$ && $id =~ ^[0-9]+$ && $markup =~ ^[AB]$ ]] ||
			die "bad --wp '$2' (want e.g. 19:543410:A)"
		g_wp[ngroups]=$wp; g_id[ngroups]=$id; g_markup[ngroups]=$markup; g_files[ngroups]=
		ngroups=$((ngroups + 1))
		shift 2 ;;
	--mdb) [ $# -ge 2 ] || die "--mdb needs a file"; mdb=$2; shift 2 ;;
	--page-size)
		if [ $# -lt 2 ] || ! [[ $2 =~ ^[1-9][0-9]*$ ]]; then die "--page-size needs a positive number"; fi
		page_size=$2; shift 2 ;;
	--base-url) [ $# -ge 2 ] || die "--base-url needs a URL"; base_url=${2%/}; shift 2 ;;
	--link) link=1; shift ;;
	-h|--help) usage ;;
	-*) die "unknown option '$1'" ;;
	*)
		[ "$ngroups" -gt 0 ] || die "file '$1' before any --wp"
		[ -f "$1" ] || die "cannot open '$1'"
		[[ $1 != *$'\n'* && $1 != *$'\t'* ]] || die "bad file name '$1'"
		g_files[ngroups - 1]+="$1"$'\n'
		shift ;;
	esac
done
[ "$ngroups" -gt 0 ] || die "no --wp given"

months=(Januar Februar März April Mai Juni Juli August September Oktober November Dezember)
listdir=$out/ajax/filterlist/de/services/opendata
mkdir -p "$listdir"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/make_mirror.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# copy SRC to DEST atomically (a running server never sees a half-written file)
put() {
	mkdir -p "$(dirname "$2")"
	if [ "$link" = 1 ] && ln -f "$1" "$2" 2>/dev/null; then
		return
	fi
	cp -p "$1" "$2.tmp.$$"
	mv -f "$2.tmp.$$" "$2"
}

for ((g = 0; g < ngroups; g++)); do
	wp=${g_wp[g]} id=${g_id[g]} markup=${g_markup[g]}
	entries=$tmp/entries.$g
	: >"$entries"
	while IFS= read -r f; do
		[ -n "$f" ] || continue
		base=${f##*/}
		sid=${base%.xml}; sid=${sid%-data}
		[[ $sid =~ ^[A-Za-z0-9_.-]+$ ]] || die "cannot use file name '$base'"

		# title from the root element: sitzung-nr="14" sitzung-datum="22.02.2018"
		headtxt=$(head -c 8192 "$f" | tr '\r\n' '  ')
		nr=$(sed -n 's/.*[[:space:]]sitzung-nr="\([0-9]*\)".*/\1/p' <<<"$headtxt")
		datum=$(sed -n 's/.*[[:space:]]sitzung-datum="\([0-9.]*\)".*/\1/p' <<<"$headtxt")
		if [ -z "$nr" ] && [[ $sid =~ ^[0-9]{5}$ ]]; then nr=$((10#${sid:2})); fi
		title="Plenarprotokoll der ${nr:-?}. Sitzung"
		if [[ $datum =~ ^([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4})$ ]]; then
			d=$((10#${BASH_REMATCH[1]})) m=$((10#${BASH_REMATCH[2]})) y=${BASH_REMATCH[3]}
			((m >= 1 && m <= 12)) && title+=" vom $d. ${months[m - 1]} $y"
		fi

		size=$(wc -c <"$f")
		if ((size < 1048576)); then label="XML | $(((size + 1023) / 1024)) KB"
		else label="XML | $(((size + 524288) / 1048576)) MB"; fi

		crc=$(printf '%s' "$base" | cksum | cut -d' ' -f1)
		if [ "$markup" = A ]; then
			n=$((500000 + crc % 100000))
			hash=$(printf '%s' "$base" | md5sum | cut -c1-32)
			path=/resource/blob/$n/$hash/$sid-data.xml
		else
			n=$((800000 + crc % 300000))
			path=/resource/blob/$n/$sid.xml
		fi
		put "$f" "$out$path"
		printf '%s\t%s\t%s\t%s\n' "$sid" "$path" "$title" "$label" >>"$entries"
	done <<<"${g_files[g]}"

	# newest first, like the real service
	sort -t $'\t' -k1,1r -o "$entries" "$entries"

	rm -f "$listdir/$id-$id?"*
	awk -F '\t' -v dir="$listdir" -v id="$id" -v markup="$markup" -v ps="$page_size" \
		-v base="$base_url" '
	function ceilto(x, k) { return int((x + k - 1) / k) * k }
	function esc(s) { gsub(/&/, "\\&amp;", s); gsub(/</, "\\&lt;", s); gsub(/>/, "\\&gt;", s); gsub(/"/, "\\&quot;", s); return s }
	{ path[NR] = $2; title[NR] = esc($3); label[NR] = esc($4) }
	function entry(i,    url) {
		if (markup == "A") {
			url = path[i]
			return "<tr>\n<td data-th=\"Dokument\">\n<div class=\"bt-documents-description\">\n" \
				"<p><strong>" title[i] "</strong></p>\n<ul class=\"bt-linkliste\">\n" \
				"<li><a title=\"" label[i] "\" class=\"bt-link-dokument\" href=\"" url \
				"\" target=\"_blank\" tabindex=\"0\">  " label[i] "</a></li>\n" \
				"</ul>\n</div>\n</td>\n</tr>\n"
		}
		url = base path[i]
		return "<tr>\n<td data-th=\"Dokument\">\n<div class=\"bt-documents-description\">\n" \
			"<p><strong>" title[i] "</strong></p>\n<ul class=\"bt-linkliste\">\n" \
			"<li><a class=\"bt-link-dokument bt-link-icon\" href=\"" url "\" target=\"_blank\"" \
			" tabindex=\"-1\" aria-hidden=\"true\"><span class=\"bt-icon bt-icon-xml\"></span></a>" \
			"<a title=\"" label[i] "\" class=\"bt-link-dokument\" href=\"" url \
			"\" target=\"_blank\" tabindex=\"0\">" label[i] "</a></li>\n" \
			"</ul>\n</div>\n</td>\n</tr>\n"
	}
	END {
		T = NR
		last = T
		if (ceilto(T, 10) > last) last = ceilto(T, 10)
		if (ceilto(T, ps) > last) last = ceilto(T, ps)
		for (o = 0; o <= last; o++) {
			file = dir "/" id "-" id "?limit=10&noFilterSet=true&offset=" o
			page = ""
			if (markup == "A")
				page = "<div class=\"meta-slider\" data-hits=\"" T "\" data-limit=\"10\"" \
					" data-offset=\"" o "\" data-nextoffset=\"" (o + ps) "\"></div>\n"
			if (o >= T && markup == "A") {
				page = page "<div class=\"col-xs-12 bt-slide-error bt-slide\">\n" \
					"<div class=\"bt-slide-content\"><h3>Leider keine Ergebnisse gefunden!</h3></div>\n</div>\n"
			} else {
				page = page "<table class=\"table bt-table-data\">\n<tbody>\n"
				for (i = o + 1; i <= T && i <= o + ps; i++)
					page = page entry(i)
				page = page "</tbody>\n</table>\n"
			}
			printf "%s", page > file
			close(file)
		}
		for (i = 1; i <= T; i++)
			print path[i]
	}' "$entries"
done

if [ -n "$mdb" ]; then
	[ -f "$mdb" ] || die "cannot open '$mdb'"
	put "$mdb" "$out/resource/blob/472878/MdB-Stammdaten.zip"
fi
