#!/bin/bash
# dovecot.sh -- Dovecot's auth service on loopback as the SASL backend of the
# test MTA (tests/servers/mta.sh, MTA_EXIM=heavy --dovecot-socket), its
# oauth2 passdb checking XOAUTH2/OAUTHBEARER tokens at an RFC 7662
# introspection endpoint (tests/servers/token_endpoint.py --plain).  Run from
# Debian 12's dovecot-core unpacked into build/mta/dovecot, never installed:
# the machine's own configuration, users and services are untouched.
#
#   dovecot.sh fetch
#   dovecot.sh start RUNDIR --introspection-url URL [--timeout SECS]
#   dovecot.sh stop RUNDIR
#
# start prints the path of the auth-client socket (for --dovecot-socket).
#
# How it runs from an unpacked package.  Dovecot's binaries look for their
# libraries (RUNPATH /usr/lib/dovecot) and helpers (/usr/lib/dovecot/*,
# /usr/bin/doveconf) where the package would have put them, so:
#  - LD_LIBRARY_PATH names the unpacked library dirs, and the config's
#    import_environment hands it to every child the master starts;
#  - the master reads its settings from the environment (DOVECONF_ENV),
#    put there by the unpacked doveconf's -e, instead of exec'ing
#    /usr/bin/doveconf itself;
#  - every service's executable is set to the unpacked one (the list comes
#    from doveconf -S, so it follows the package).
# No protocol is enabled (no IMAP/POP3 listener); the only way in is the
# auth-client socket, in a private 0711 dir /tmp/smtpwiz-dovecot.XXXXXXXX
# (short enough for a unix socket path, reachable by the MTA's user), which
# stop removes.  Its processes run as nobody; the master as the caller.
#
# Exit status: 0 done, 1 error, 64 usage, 77 cannot run here ("SKIP: ...").
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd -P)
BASE=$REPO/build/mta/dovecot
ROOT=$BASE/root
PKG=dovecot-core
LIBS=$ROOT/usr/lib/dovecot:$ROOT/usr/lib/dovecot/modules/old-stats

skip() { echo "SKIP: $*"; exit 77; }
die() { echo "dovecot.sh: $*" >&2; exit 1; }
usage() { sed -n '9,11p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 64; }
is_root() { [ "$(id -u)" = 0 ]; }

missing() {
	LD_LIBRARY_PATH=$LIBS ldd "$ROOT/usr/sbin/dovecot" "$ROOT/usr/lib/dovecot/auth" \
	    "$ROOT/usr/bin/doveconf" 2>/dev/null | grep 'not found' || true
}

fetch() {
	command -v dpkg >/dev/null || skip "no dpkg: not a Debian system"
	mkdir -p "$BASE/debs"
	exec 9>"$BASE/fetch.lock"
	flock 9
	if [ ! -x "$ROOT/usr/sbin/dovecot" ]; then
		command -v apt-get >/dev/null || skip "no apt-get to download $PKG"
		rm -f "$BASE/debs/${PKG}"_*.deb
		(cd "$BASE/debs" && apt-get -q -o APT::Sandbox::User="$(id -un)" \
		    download "$PKG" >"$BASE/apt.log" 2>&1) ||
		    skip "cannot download $PKG (see $BASE/apt.log)"
		local debs=("$BASE/debs/${PKG}"_*.deb) tmp=$BASE/root.tmp.$$
		rm -rf "$tmp" "$ROOT"
		dpkg -x "${debs[0]}" "$tmp"
		dpkg-deb -f "${debs[0]}" Depends > "$tmp/.depends"
		mv "$tmp" "$ROOT"
	fi
	if [ -n "$(missing)" ]; then
		is_root || skip "dovecot lacks libraries (install them as root): $(missing | awk '{print $1}' | tr '\n' ' ')"
		local libs
		libs=$(tr ',' '\n' < "$ROOT/.depends" | sed 's/|.*//; s/(.*)//; s/[[:space:]]//g' | grep '^lib' || true)
		# shellcheck disable=SC2086
		DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
		    $libs >>"$BASE/apt.log" 2>&1 || skip "cannot install $libs (see $BASE/apt.log)"
	fi
	[ -z "$(missing)" ] || skip "dovecot still lacks: $(missing | awk '{print $1}' | tr '\n' ' ')"
}

# The service blocks that point every helper at the unpacked binaries.
services() {
	local conf=$1 svc exe args a w
	LD_LIBRARY_PATH=$LIBS "$ROOT/usr/bin/doveconf" -c "$conf" -S 2>/dev/null |
	    sed -n 's|^service/\([^/]*\)/executable=\(.*\)$|\1 \2|p' |
	while read -r svc exe args; do
		case $exe in /*) continue;; esac
		[ -x "$ROOT/usr/lib/dovecot/$exe" ] || continue
		a=
		for w in $args; do
			[ -e "$ROOT/usr/lib/dovecot/$w" ] && w=$ROOT/usr/lib/dovecot/$w
			a="$a $w"
		done
		printf 'service %s {\n  executable = %s%s\n}\n' "$svc" "$ROOT/usr/lib/dovecot/$exe" "$a"
	done
}

start() {
	[ $# -ge 1 ] || usage
	local run=$1 url='' timeout=15
	shift
	while [ $# -gt 0 ]; do
		[ $# -ge 2 ] || usage
		case $1 in
		--introspection-url)	url=$2;;
		--timeout)		timeout=$2;;
		*) usage;;
		esac
		shift 2
	done
	case $url in http://127.0.0.1:*/*|https://*) ;; *) die "--introspection-url: a loopback URL";; esac
	[ -x "$ROOT/usr/sbin/dovecot" ] || skip "dovecot not fetched (run: dovecot.sh fetch)"
	[ -z "$(missing)" ] || skip "dovecot lacks libraries (run dovecot.sh fetch as root)"
	getent passwd nobody >/dev/null || skip "no user nobody"
	mkdir -p "$run"
	run=$(cd "$run" && pwd)
	local dir group
	group=$(id -gn nobody)
	dir=$(mktemp -d /tmp/smtpwiz-dovecot.XXXXXXXX)
	chmod 0711 "$dir"
	ln -sfn "$dir" "$run/private"
	mkdir -p "$dir/run" "$dir/state"
	cat > "$dir/oauth2.conf" <<EOF
# RFC 7662: the token is POSTed as token=..., the answer's "active" and
# "username" decide (tests/servers/token_endpoint.py /introspect).
introspection_mode = post
introspection_url = $url
force_introspection = yes
username_attribute = username
active_attribute = active
active_value = true
EOF
	cat > "$dir/dovecot.conf" <<EOF
# Generated by tests/servers/dovecot.sh for a loopback test run.
base_dir = $dir/run
state_dir = $dir/state
log_path = $dir/log
info_log_path = $dir/log
protocols =
listen = 127.0.0.1
ssl = no
default_internal_user = nobody
default_internal_group = $group
default_login_user = nobody
import_environment = TZ LD_LIBRARY_PATH
auth_mechanisms = xoauth2 oauthbearer
auth_verbose = yes
# Refusals answer at once (the default waits 2 s): the tests time them.
auth_failure_delay = 0
passdb {
  driver = oauth2
  mechanisms = xoauth2 oauthbearer
  args = $dir/oauth2.conf
}
service auth {
  unix_listener auth-client {
    mode = 0666
  }
}
EOF
	services "$dir/dovecot.conf" > "$dir/services.conf"
	echo "!include $dir/services.conf" >> "$dir/dovecot.conf"
	# The master in the foreground, in its own session: $! is its pid
	# (doveconf -e execs it).
	setsid env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LD_LIBRARY_PATH="$LIBS" \
	    "$ROOT/usr/bin/doveconf" -c "$dir/dovecot.conf" -m master -p -e \
	    "$ROOT/usr/sbin/dovecot" -F -c "$dir/dovecot.conf" \
	    </dev/null >"$run/daemon.out" 2>&1 &
	echo $! > "$run/pid"
	local deadline=$((SECONDS + timeout))
	while [ ! -S "$dir/run/auth-client" ]; do
		if ! kill -0 "$(cat "$run/pid")" 2>/dev/null || [ $SECONDS -ge $deadline ]; then
			echo "dovecot.sh: dovecot did not start:" >&2
			tail -20 "$run/daemon.out" "$dir/log" 2>/dev/null >&2 || true
			stop "$run" >/dev/null 2>&1 || true
			exit 1
		fi
		sleep 0.05
	done
	echo "$dir/run/auth-client"
}

stop() {
	[ $# -eq 1 ] || usage
	local run=$1 pid dir n
	if [ -s "$run/pid" ]; then
		pid=$(cat "$run/pid")
		kill -TERM "$pid" 2>/dev/null || true	# the master stops its children
		for n in $(seq 100); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.05
		done
		kill -KILL "$pid" 2>/dev/null || true
		rm -f "$run/pid"
	fi
	if [ -L "$run/private" ]; then
		dir=$(readlink "$run/private")
		case $dir in /tmp/smtpwiz-dovecot.*)
			[ -O "$dir" ] && cp "$dir/log" "$run/log" 2>/dev/null || true
			rm -rf "$dir";;
		esac
		rm -f "$run/private"
	fi
}

[ $# -ge 1 ] || usage
cmd=$1
shift
case $cmd in
fetch)	fetch;;
start)	start "$@";;
stop)	stop "$@";;
*)	usage;;
esac
