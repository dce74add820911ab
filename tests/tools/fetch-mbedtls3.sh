#!/bin/sh
# fetch-mbedtls3.sh PREFIXDIR -- unpack mbedTLS 3.6 LTS into PREFIXDIR
# without changing the system, for `make test-mbedtls3`.
#
# Debian 12 ships mbedTLS 2.28; Debian 13 (trixie) ships 3.6 LTS.  This
# script downloads trixie's binary packages with `apt-get download` under
# a private apt configuration and unpacks them with `dpkg -x`, so headers
# land in PREFIXDIR/usr/include and the static archives in
# PREFIXDIR/usr/lib/<triplet>/*.a (libmbedtls-dev ships them; the
# Makefile links those, so no shared 3.6 library is needed at run time).
#
# The private apt state (source list, package lists, cache) lives in
# PREFIXDIR/../apt.  Its source list is a copy of this machine's own
# Debian sources (/etc/apt/sources.list.d/*.sources) with bookworm
# replaced by trixie in the Suites lines; /etc/apt and the system's
# package lists are never written.  Idempotent: exits 0 at once when the
# headers are already there.
set -eu

if [ $# -ne 1 ]; then
	echo "usage: $0 PREFIXDIR" >&2
	exit 64
fi
PREFIX=$1
PKGS="libmbedtls-dev libmbedtls21 libmbedx509-7 libmbedcrypto16"

if [ -e "$PREFIX/usr/include/mbedtls/build_info.h" ]; then
	exit 0
fi

die() {
	echo "fetch-mbedtls3: $*" >&2
	exit 1
}

mkdir -p "$(dirname "$PREFIX")"
PREFIX=$(cd "$(dirname "$PREFIX")" && pwd)/$(basename "$PREFIX")
APTDIR=$(dirname "$PREFIX")/apt
SRCDIR=$APTDIR/sources.list.d
DEBDIR=$APTDIR/debs
mkdir -p "$SRCDIR" "$APTDIR/lists/partial" "$APTDIR/cache/archives/partial" \
    "$DEBDIR"

# Two builds may ask at once: one fetches, the other waits and reuses.
exec 9>"$APTDIR/lock"
flock 9
if [ -e "$PREFIX/usr/include/mbedtls/build_info.h" ]; then
	exit 0
fi

# deb822 sources only: that is what Debian 12 images use.  The Suites
# lines are rewritten word by word so that bookworm-security becomes
# trixie-security and bookworm-updates trixie-updates.
found=0
rm -f "$SRCDIR"/*.sources
for f in /etc/apt/sources.list.d/*.sources; do
	[ -e "$f" ] || continue
	grep -q '^Suites:.*bookworm' "$f" || continue
	sed '/^Suites:/s/bookworm/trixie/g' "$f" >"$SRCDIR/$(basename "$f")"
	found=1
done
[ $found = 1 ] || die "no Debian bookworm source in /etc/apt/sources.list.d/*.sources to copy"

APT_OPTS="-o Dir::Etc::sourcelist=/dev/null -o Dir::Etc::sourceparts=$SRCDIR
    -o Dir::State::Lists=$APTDIR/lists -o Dir::Cache=$APTDIR/cache
    -o APT::Sandbox::User=root"

# shellcheck disable=SC2086  # APT_OPTS is a word list by design
apt-get -q $APT_OPTS update >"$APTDIR/update.log" 2>&1 ||
	die "apt-get update of the trixie lists failed (see $APTDIR/update.log)"

rm -f "$DEBDIR"/*.deb
# shellcheck disable=SC2086
(cd "$DEBDIR" && apt-get -q $APT_OPTS download $PKGS) \
    >"$APTDIR/download.log" 2>&1 ||
	die "apt-get download $PKGS failed (see $APTDIR/download.log)"

# Unpack next to PREFIX and rename: an interrupted run leaves no
# PREFIX that looks complete.
NEW=$PREFIX.new
rm -rf "$NEW"
mkdir -p "$NEW"
for deb in "$DEBDIR"/*.deb; do
	dpkg -x "$deb" "$NEW" || die "dpkg -x $deb failed"
done

[ -e "$NEW/usr/include/mbedtls/build_info.h" ] ||
	die "no mbedtls/build_info.h in the unpacked packages"
ls "$NEW"/usr/lib/*-linux-gnu/libmbedtls.a >/dev/null 2>&1 ||
	die "no libmbedtls.a in the unpacked packages (libmbedtls-dev changed?)"
version=$(sed -n 's/^#define MBEDTLS_VERSION_STRING_FULL *"\(.*\)"/\1/p' \
    "$NEW/usr/include/mbedtls/build_info.h")
case $version in
*" 3."*) ;;
*) die "trixie's libmbedtls-dev is '$version', not mbedTLS 3.x" ;;
esac

rm -rf "$PREFIX"
mv "$NEW" "$PREFIX"
debver=$(dpkg-deb -f "$DEBDIR"/libmbedtls-dev_*.deb Version)
echo "fetch-mbedtls3: unpacked $version (Debian trixie libmbedtls-dev $debver) into $PREFIX"
