# shellcheck shell=sh
# private-apt.sh -- sourced (POSIX sh), not run: apt-get under a private
# configuration, so that another Debian release's packages can be fetched
# without changing the system.  Used by fetch-jdk.sh, fetch-mbedtls3.sh
# and build-static.sh.
#
# The private apt state (source list, package lists, cache) lives in one
# directory.  Its source list is a copy of this machine's own Debian
# sources (/etc/apt/sources.list.d/*.sources, deb822: what Debian 12
# images use) with bookworm replaced by another suite in the Suites
# lines, word by word, so bookworm-security becomes SUITE-security;
# /etc/apt and the system's package lists are never written.
#
# The caller defines die MESSAGE (prints and exits) before using these.
#
#   papt_setup APTDIR SUITE [TYPES]   the directories and the source list
#                                     (TYPES: "deb-src" for source
#                                     packages); then papt_update
#   papt ARGS...                      apt-get -q ARGS with the private
#                                     configuration (papt_setup first)
#   papt_unpack DEBDIR NEWDIR PKG...  apt-get download PKG... into DEBDIR
#                                     (emptied first), then dpkg -x each
#                                     into NEWDIR (made anew)

papt_setup() {
	PAPT_DIR=$1
	mkdir -p "$PAPT_DIR/sources.list.d" "$PAPT_DIR/lists/partial" \
	    "$PAPT_DIR/cache/archives/partial"
	papt_found=0
	rm -f "$PAPT_DIR"/sources.list.d/*.sources
	for papt_f in /etc/apt/sources.list.d/*.sources; do
		[ -e "$papt_f" ] || continue
		grep -q '^Suites:.*bookworm' "$papt_f" || continue
		if [ -n "${3:-}" ]; then
			sed -e "/^Suites:/s/bookworm/$2/g" \
			    -e "s/^Types:.*/Types: $3/" "$papt_f"
		else
			sed -e "/^Suites:/s/bookworm/$2/g" "$papt_f"
		fi >"$PAPT_DIR/sources.list.d/$(basename "$papt_f")"
		papt_found=1
	done
	[ $papt_found = 1 ] ||
		die "no Debian bookworm source in /etc/apt/sources.list.d/*.sources to copy"
	papt update >"$PAPT_DIR/update.log" 2>&1 ||
		die "apt-get update of the $2 lists failed (see $PAPT_DIR/update.log)"
}

papt() {
	apt-get -q -o Dir::Etc::sourcelist=/dev/null \
	    -o "Dir::Etc::sourceparts=$PAPT_DIR/sources.list.d" \
	    -o "Dir::State::Lists=$PAPT_DIR/lists" \
	    -o "Dir::Cache=$PAPT_DIR/cache" -o APT::Sandbox::User=root "$@"
}

papt_unpack() {
	papt_debs=$1
	papt_new=$2
	shift 2
	mkdir -p "$papt_debs"
	rm -f "$papt_debs"/*.deb
	(cd "$papt_debs" && papt download "$@") >"$PAPT_DIR/download.log" 2>&1 ||
		die "apt-get download $* failed (see $PAPT_DIR/download.log)"
	rm -rf "$papt_new"
	mkdir -p "$papt_new"
	for papt_deb in "$papt_debs"/*.deb; do
		dpkg -x "$papt_deb" "$papt_new" || die "dpkg -x $papt_deb failed"
	done
}
