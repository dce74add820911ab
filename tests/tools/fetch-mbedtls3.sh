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
# The private apt state (tests/tools/private-apt.sh: source list with
# bookworm replaced by trixie, package lists, cache) lives in
# PREFIXDIR/../apt.  Idempotent: exits 0 at once when the headers are
# already there.
set -eu

if [ $# -ne 1 ]; then
	echo "usage: $0 PREFIXDIR" >&2
	exit 64
fi
PREFIX=$1
# shellcheck source=tests/tools/private-apt.sh
. "$(dirname "$0")/private-apt.sh"
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
mkdir -p "$APTDIR"

# Two builds may ask at once: one fetches, the other waits and reuses.
exec 9>"$APTDIR/lock"
flock 9
if [ -e "$PREFIX/usr/include/mbedtls/build_info.h" ]; then
	exit 0
fi

papt_setup "$APTDIR" trixie
# Unpack next to PREFIX and rename: an interrupted run leaves no
# PREFIX that looks complete.
NEW=$PREFIX.new
# shellcheck disable=SC2086  # PKGS is a word list
papt_unpack "$APTDIR/debs" "$NEW" $PKGS

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
debver=$(dpkg-deb -f "$APTDIR"/debs/libmbedtls-dev_*.deb Version)
echo "fetch-mbedtls3: unpacked $version (Debian trixie libmbedtls-dev $debver) into $PREFIX"
