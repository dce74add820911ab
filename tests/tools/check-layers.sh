#!/bin/bash
# check-layers.sh -- the layering of the source tree, enforced
# (`make check-layers`, run by every build).
#
# src/ holds one folder per layer and nothing else; every folder is on
# the include path, so files include headers by name ("probe.h", never
# "../steps/probe.h") and a header name is held by one folder only.
# A file may include headers of its own folder and of the folders the
# table below allows -- lower layers only, so the folders form no
# cycle.  Besides: curses only in ui/; mbedTLS (mbedtls/, psa/) only in
# src/net/tls* and src/pki/x509*.
set -u
cd "$(dirname "$0")/../.." || exit 2

# folder: the folders its files may include (besides their own).
declare -A MAY=(
	[base]=""
	[java]="base"
	[pki]="base java"
	[net]="base java pki"
	[explain]="base net"
	[steps]="base java pki net explain"
	[block]="base java pki net explain steps"
	[out]="base java pki net explain steps block"
	[cli]="base java pki net explain steps block out ui"
	[ui]="base java pki net explain steps block out"
)
LAYERS="base java pki net explain steps block out cli"	# src/'s folders, bottom up
# Headers made by the build, not found in the tree.
GENERATED="assets_builtin.inc"

bad=0
fail() {
	echo "check-layers: $*"
	bad=1
}

for f in src/*; do
	[ -d "$f" ] ||
		fail "$f: every file of src/ lives in a layer folder (src/{${LAYERS// /,}}/); move it there"
done
for d in src/*/; do
	d=${d%/}
	case " $LAYERS " in *" ${d#src/} "*) continue;; esac
	fail "$d: not a layer this script knows; add it to the table in $0"
done

# Which folder holds each header; a name held twice is ambiguous.
declare -A HOME_OF=()
for h in src/*.h src/*/*.h ui/*.h; do
	[ -e "$h" ] || continue
	b=${h##*/} dir=${h%/*}
	dir=${dir#src/}
	[ "$dir" = src ] && dir=.
	if [ -n "${HOME_OF[$b]+set}" ]; then
		fail "$h: header name also in ${HOME_OF[$b]} (names are global)"
		continue
	fi
	HOME_OF[$b]=$dir
done

for f in src/*/*.[ch] ui/*.[ch]; do
	[ -e "$f" ] || continue
	dir=${f%/*}
	dir=${dir#src/}
	while IFS= read -r inc; do
		case $inc in
		*/*)	fail "$f: #include \"$inc\": include by name, every folder is on the path"
			continue;;
		esac
		case " $GENERATED " in *" $inc "*) continue;; esac
		home=${HOME_OF[$inc]-}
		if [ -z "$home" ]; then
			fail "$f: #include \"$inc\": no such header in src/ or ui/"
			continue
		fi
		[ "$home" = "$dir" ] && continue
		case " ${MAY[$dir]} " in
		*" $home "*) ;;
		*)	fail "$f: #include \"$inc\" ($home/): $dir/ may include only ${MAY[$dir]:-its own headers}";;
		esac
	done < <(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f")
done

if grep -lE '#[[:space:]]*include[[:space:]]*[<"](n?curses|ncursesw/|term\.h)' \
    src/*/*.[ch] 2>/dev/null; then
	fail "src/ must not include curses (files above)"
fi
if grep -lE '#[[:space:]]*include[[:space:]]*[<"](mbedtls|psa)/' ui/*.[ch] 2>/dev/null; then
	fail "ui/ must not include mbedTLS (files above)"
fi
if grep -lE '#[[:space:]]*include[[:space:]]*[<"](mbedtls|psa)/' src/*/*.[ch] 2>/dev/null |
    grep -vE '^src/(net/tls|pki/x509)[^/]*\.[ch]$'; then
	fail "only src/net/tls* and src/pki/x509* may include mbedTLS (files above)"
fi
exit $bad
