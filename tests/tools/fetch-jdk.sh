#!/bin/sh
# fetch-jdk.sh SUITE PACKAGE DESTDIR -- unpack a Debian release's Java
# runtime into DESTDIR without changing the system, for the tests of
# issue 15 (tests/integration/test_java_runtime.py): e.g.
#
#   tests/tools/fetch-jdk.sh bullseye openjdk-11-jre-headless build/jdk/11
#
# As fetch-mbedtls3.sh does for mbedTLS 3.6: `apt-get download` under a
# private apt configuration (tests/tools/private-apt.sh) whose source list
# is this machine's Debian sources with bookworm replaced by SUITE
# (DESTDIR/../apt-SUITE holds the lists and the cache), then `dpkg -x`.  The runtime's own files that
# Debian keeps in /etc/java-N-openjdk (java.security among them) are
# reached through absolute symlinks; those are pointed at the unpacked
# copy, so the runtime reads its own java.security, not the system's.
# Prints the runtime's java.home on success.  Idempotent.
#
# More packages may follow DESTDIR; they are unpacked into the same
# tree.  A runtime built against a newer glibc than this system's
# (Debian 13's JDK 21 wants GLIBC_2.38; bookworm has 2.36) comes with
# that release's libc6, libstdc++6, libgcc-s1 and zlib1g:
#
#   tests/tools/fetch-jdk.sh trixie openjdk-21-jre-headless build/jdk/21 \
#       libc6 libstdc++6 libgcc-s1 zlib1g
#
# and when the tree then holds a loader (ld-linux-x86-64.so.2), its
# bin/java becomes a wrapper script that runs the real binary, kept as
# bin/java.real, through that loader with the release's libraries:
#
#   exec LOADER --library-path TREE/usr/lib/x86_64-linux-gnu \
#       JAVA_HOME/bin/java.real "$@"
#
# The launcher still finds its java.home (from libjli.so's path, as
# /proc/self/exe is the loader then), so smtpwiz's --java-home (or
# JAVA_HOME) names the runtime as usual and --confirm-with-java runs
# the wrapper like any bin/java.
set -eu

if [ $# -lt 3 ]; then
	echo "usage: $0 SUITE PACKAGE DESTDIR [PACKAGE...]" >&2
	exit 64
fi
SUITE=$1
PKG=$2
mkdir -p "$(dirname "$3")"
DEST=$(cd "$(dirname "$3")" && pwd)/$(basename "$3")
shift 3
MORE="$*"
# shellcheck source=tests/tools/private-apt.sh
. "$(dirname "$0")/private-apt.sh"

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
mkdir -p "$APTDIR"
exec 9>"$APTDIR/lock"
flock 9
if [ -e "$DEST/.complete" ] && home; then
	exit 0
fi

papt_setup "$APTDIR" "$SUITE"
NEW=$DEST.new
# shellcheck disable=SC2086  # MORE is a word list
papt_unpack "$APTDIR/debs" "$NEW" "$PKG" $MORE
# Absolute links into the package's own /etc: to the unpacked copy.
find "$NEW/usr/lib/jvm" -type l | while read -r l; do
	t=$(readlink "$l")
	case $t in
	/etc/java-*) [ -e "$NEW$t" ] && ln -sfn "$DEST$t" "$l" ;;
	esac
done
# A newer glibc than the system's: bin/java through the tree's loader.
LIBDIR=$NEW/usr/lib/x86_64-linux-gnu
if [ -x "$LIBDIR/ld-linux-x86-64.so.2" ]; then
	for java in "$NEW"/usr/lib/jvm/*/bin/java; do
		# Not through java-1.N.0-openjdk-amd64, Debian's link to it.
		[ -L "${java%/bin/java}" ] || [ -L "$java" ] && continue
		[ -x "$java" ] || continue
		mv "$java" "$java.real"
		real=$DEST${java#"$NEW"}.real
		lib=$DEST/usr/lib/x86_64-linux-gnu
		cat >"$java" <<EOF
#!/bin/sh
# fetch-jdk.sh: this $SUITE runtime needs its own release's glibc.
unset LD_LIBRARY_PATH
exec "$lib/ld-linux-x86-64.so.2" --library-path "$lib" "$real" "\$@"
EOF
		chmod 755 "$java"
	done
fi
rm -rf "$DEST"
mv "$NEW" "$DEST"
touch "$DEST/.complete"
home || die "no bin/java in $PKG"
