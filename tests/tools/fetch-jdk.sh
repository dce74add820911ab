#!/bin/sh
# fetch-jdk.sh SUITE PACKAGE DESTDIR -- unpack a Debian release's Java
# runtime into DESTDIR without changing the system, for the tests of
# issue 15 (tests/integration/test_java_runtime.py): e.g.
#
#   tests/tools/fetch-jdk.sh bullseye openjdk-11-jre-headless build/jdk/11
#
# As fetch-mbedtls3.sh does for mbedTLS 3.6: `apt-get download` under a
# private apt configuration whose source list is this machine's Debian
# sources with bookworm replaced by SUITE (DESTDIR/../apt-SUITE holds the
# lists and the cache), then `dpkg -x`.  The runtime's own files that
# Debian keeps in /etc/java-N-openjdk (java.security among them) are
# reached through absolute symlinks; those are pointed at the unpacked
# copy, so the runtime reads its own java.security, not the system's.
# Prints the runtime's java.home on success.  Idempotent.
set -eu

if [ $# -ne 3 ]; then
	echo "usage: $0 SUITE PACKAGE DESTDIR" >&2
	exit 64
fi
SUITE=$1
PKG=$2
mkdir -p "$(dirname "$3")"
DEST=$(cd "$(dirname "$3")" && pwd)/$(basename "$3")

die() {
	echo "fetch-jdk: $*" >&2
	exit 1
}

home() {
	for d in "$DEST"/usr/lib/jvm/*/; do
		[ -L "${d%/}" ] && continue
		[ -x "$d/bin/java" ] && { echo "${d%/}"; return 0; }
	done
	return 1
}

if [ -e "$DEST/.complete" ] && home; then
	exit 0
fi

APTDIR=$(dirname "$DEST")/apt-$SUITE
SRCDIR=$APTDIR/sources.list.d
DEBDIR=$APTDIR/debs
mkdir -p "$SRCDIR" "$APTDIR/lists/partial" "$APTDIR/cache/archives/partial" \
    "$DEBDIR"
exec 9>"$APTDIR/lock"
flock 9
if [ -e "$DEST/.complete" ] && home; then
	exit 0
fi

found=0
rm -f "$SRCDIR"/*.sources
for f in /etc/apt/sources.list.d/*.sources; do
	[ -e "$f" ] || continue
	grep -q '^Suites:.*bookworm' "$f" || continue
	sed "/^Suites:/s/bookworm/$SUITE/g" "$f" >"$SRCDIR/$(basename "$f")"
	found=1
done
[ $found = 1 ] || die "no Debian bookworm source in /etc/apt/sources.list.d/*.sources to copy"

APT_OPTS="-o Dir::Etc::sourcelist=/dev/null -o Dir::Etc::sourceparts=$SRCDIR
    -o Dir::State::Lists=$APTDIR/lists -o Dir::Cache=$APTDIR/cache
    -o APT::Sandbox::User=root"
# shellcheck disable=SC2086  # APT_OPTS is a word list by design
apt-get -q $APT_OPTS update >"$APTDIR/update.log" 2>&1 ||
	die "apt-get update of the $SUITE lists failed (see $APTDIR/update.log)"
rm -f "$DEBDIR"/*.deb
# shellcheck disable=SC2086
(cd "$DEBDIR" && apt-get -q $APT_OPTS download "$PKG") \
    >"$APTDIR/download.log" 2>&1 ||
	die "apt-get download $PKG failed (see $APTDIR/download.log)"

NEW=$DEST.new
rm -rf "$NEW"
mkdir -p "$NEW"
for deb in "$DEBDIR"/*.deb; do
	dpkg -x "$deb" "$NEW" || die "dpkg -x $deb failed"
done
# Absolute links into the package's own /etc: to the unpacked copy.
find "$NEW/usr/lib/jvm" -type l | while read -r l; do
	t=$(readlink "$l")
	case $t in
	/etc/java-*) [ -e "$NEW$t" ] && ln -sfn "$DEST$t" "$l" ;;
	esac
done
rm -rf "$DEST"
mv "$NEW" "$DEST"
touch "$DEST/.complete"
home || die "no bin/java in $PKG"
