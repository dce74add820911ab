#!/bin/bash
# build-static.sh DIR -- the libraries of `make static`: musl builds of
# ncurses (wide characters, compiled-in terminfo entries) and mbedTLS 3.6
# from Debian's source packages, installed into DIR/prefix.
#
# Sources: Debian 13 (trixie) source packages fetched with `apt-get
# source` under a private apt configuration in DIR/apt
# (tests/tools/private-apt.sh; its deb-src list
# is this machine's Debian sources with bookworm replaced by trixie);
# /etc/apt and the system's package lists are never written.  Debian's
# patches are applied (dpkg-source -x), so the mbedTLS configuration is
# the one the default build links (threading on, as the worker needs).
#
# Terminfo: the wizard runs on servers that may lack a terminfo database
# (or lack the entry for the terminal at hand).  The entries people meet
# over SSH are compiled in from ncurses' own terminfo.src (FALLBACKS);
# ncurses reads the system's database first (TERMINFO_DIRS below covers
# Debian, RHEL, SUSE and Alpine) and takes a compiled-in entry only when
# the database has none.
#
# Idempotent: DIR/prefix/.mbedtls and .ncurses mark finished libraries.  Needs musl-gcc
# (Debian: musl-tools), dpkg-source (dpkg-dev) and the host's tic.
set -eu

if [ $# -ne 1 ]; then
	echo "usage: $0 DIR" >&2
	exit 64
fi
mkdir -p "$1"
DIR=$(cd "$1" && pwd)
PREFIX=$DIR/prefix
APTDIR=$DIR/apt
SRC=$DIR/src
FALLBACKS=xterm,xterm-256color,screen,screen-256color,tmux,tmux-256color,linux,vt100,vt220,putty,rxvt
TERMINFO_DIRS=/etc/terminfo:/lib/terminfo:/usr/share/terminfo:/usr/lib/terminfo
JOBS=${JOBS:-2}

die() {
	echo "build-static: $*" >&2
	exit 1
}
# shellcheck source=tests/tools/private-apt.sh
. "$(dirname "$0")/private-apt.sh"

done_all() {
	[ -e "$PREFIX/.mbedtls" ] && [ -e "$PREFIX/.ncurses" ]
}
done_all && exit 0
command -v musl-gcc >/dev/null ||
	die "musl-gcc not found (Debian: apt-get install musl-tools)"
command -v dpkg-source >/dev/null ||
	die "dpkg-source not found (Debian: apt-get install dpkg-dev)"
command -v tic >/dev/null || die "tic not found (Debian: ncurses-bin)"

exec 9>"$DIR/lock"
flock 9
done_all && exit 0

# ---- the sources ------------------------------------------------------
mkdir -p "$SRC"
papt_setup "$APTDIR" trixie deb-src

# fetch PACKAGE: its source tree as $SRC/PACKAGE (patches applied).
fetch() {
	local pkg=$1 dsc
	rm -rf "${SRC:?}/$pkg" "$SRC/dl-$pkg"
	mkdir -p "$SRC/dl-$pkg"
	(cd "$SRC/dl-$pkg" && papt source --download-only "$pkg") \
	    >"$SRC/fetch-$pkg.log" 2>&1 ||
		die "apt-get source $pkg failed (see $SRC/fetch-$pkg.log)"
	dsc=$(ls "$SRC/dl-$pkg"/*.dsc)
	dpkg-source --no-check -x "$dsc" "$SRC/$pkg" >>"$SRC/fetch-$pkg.log" 2>&1 ||
		die "dpkg-source -x $dsc failed (see $SRC/fetch-$pkg.log)"
	echo "build-static: $(basename "$dsc" .dsc) unpacked"
}
mkdir -p "$PREFIX/lib" "$PREFIX/include"

# ---- mbedTLS ------------------------------------------------------------
# Debian's options (debian/rules: scripts/config.py set ...), so that
# the static binary's library is configured as the default build's;
# the release tarball carries the generated sources.
build_mbedtls() {
	local opt
	fetch mbedtls
	for opt in $(sed -n 's/^[[:space:]]*scripts\/config.py set \(MBEDTLS_[A-Z0-9_]*\)$/\1/p' \
	    "$SRC/mbedtls/debian/rules"); do
		python3 "$SRC/mbedtls/scripts/config.py" \
		    -f "$SRC/mbedtls/include/mbedtls/mbedtls_config.h" set "$opt" ||
			die "config.py set $opt failed"
	done
	grep -q '^#define MBEDTLS_THREADING_PTHREAD' \
	    "$SRC/mbedtls/include/mbedtls/mbedtls_config.h" ||
		die "Debian's mbedTLS options were not applied (debian/rules changed?)"
	make -C "$SRC/mbedtls/library" -j"$JOBS" CC=musl-gcc AR=ar \
	    CFLAGS="-O2 -fPIE" GEN_FILES= libmbedcrypto.a libmbedx509.a \
	    libmbedtls.a >"$DIR/mbedtls-build.log" 2>&1 ||
		die "mbedTLS build failed (see $DIR/mbedtls-build.log)"
	rm -rf "$PREFIX"/lib/libmbed*.a "$PREFIX/include/mbedtls" "$PREFIX/include/psa"
	cp "$SRC"/mbedtls/library/libmbed*.a "$PREFIX/lib/"
	cp -R "$SRC/mbedtls/include/mbedtls" "$SRC/mbedtls/include/psa" \
	    "$PREFIX/include/"
	grep -q '^#define MBEDTLS_VERSION_STRING *"3\.' \
	    "$PREFIX/include/mbedtls/build_info.h" ||
		die "the mbedTLS source is not 3.x"
	touch "$PREFIX/.mbedtls"
}

# ---- ncurses ------------------------------------------------------------
# MKfallback.sh compiles the entries from the source's own terminfo.src
# with the host's tic into a scratch database, then into C tables.
build_ncurses() {
	fetch ncurses
	(
	cd "$SRC/ncurses"
	CC=musl-gcc CFLAGS="-O2 -fPIE" ./configure --prefix="$PREFIX" \
	    --without-shared --with-normal --without-debug --without-profile \
	    --without-cxx --without-cxx-binding --without-ada --without-progs \
	    --without-tests --without-manpages --without-gpm --enable-widec \
	    --disable-termcap --disable-db-install --disable-home-terminfo \
	    --without-pkg-config --disable-pc-files \
	    --with-fallbacks="$FALLBACKS" --with-tic-path="$(command -v tic)" \
	    --with-infocmp-path="$(command -v infocmp)" \
	    --with-terminfo-dirs="$TERMINFO_DIRS" \
	    --with-default-terminfo-dir=/usr/share/terminfo
	make -j"$JOBS" libs
	make install.includes install.libs
	) >"$DIR/ncurses-build.log" 2>&1 ||
		die "ncurses build failed (see $DIR/ncurses-build.log)"
	[ -e "$PREFIX/lib/libncursesw.a" ] ||
		die "no libncursesw.a after the ncurses build"
	for t in ${FALLBACKS//,/ }; do
		grep -q "\"$t|" "$SRC/ncurses/ncurses/fallback.c" ||
			die "terminfo entry $t is not compiled in"
	done
	touch "$PREFIX/.ncurses"
}

[ -e "$PREFIX/.mbedtls" ] || build_mbedtls
[ -e "$PREFIX/.ncurses" ] || build_ncurses
echo "build-static: musl libraries in $PREFIX"
