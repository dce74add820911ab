#!/bin/bash
# postfix.sh -- Postfix (Debian 12's postfix package, unpacked into
# build/mta/postfix, never installed: no system MTA is started or
# reconfigured) on one loopback port with STARTTLS, its SASL backend
# Dovecot's auth service (tests/servers/dovecot.sh, smtpd_sasl_type =
# dovecot), for the XOAUTH2 tests against a second real MTA (issue 18).
#
#   postfix.sh fetch
#   postfix.sh start RUNDIR --port P --cert CHAIN --key KEY
#                     --dovecot-socket PATH [--timeout SECS]
#   postfix.sh stop RUNDIR
#
# How it runs from an unpacked package.  The binaries find their shared
# libraries (RUNPATH /usr/lib/postfix) through LD_LIBRARY_PATH, which
# import_environment hands to every daemon the master starts; every
# directory Postfix would take from its build (config, queue, data,
# daemon, command, shlib, meta) is set in main.cf or on the master's
# command line (-c), so the instance lives in a private 0711 dir
# /tmp/smtpwiz-postfix.XXXXXXXX (RUNDIR/private points to it; stop copies
# the log back and removes it).  master runs in the foreground (-d) in its
# own session, as root (Postfix's master must), its daemons as the
# "postfix" user, with no chroot (the chroot column is n).  fetch creates
# the postfix user and the postdrop group when they are missing and we are
# root, as Debian's postinst would, and nothing else.
#
# Nothing leaves the machine: no local domains, and the default and relay
# transports are discard, so a message a verification sends is accepted
# and dropped; inet_interfaces is 127.0.0.1 alone.  Logs go to
# RUNDIR/private/maillog (postlogd), not syslog.
#
# Exit status: 0 done, 1 error, 64 usage, 77 cannot run here ("SKIP: ...").
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd -P)
BASE=$REPO/build/mta/postfix
ROOT=$BASE/root
PKG=postfix
LIBS=$ROOT/usr/lib/postfix
MASTER=$ROOT/usr/lib/postfix/sbin/master

skip() { echo "SKIP: $*"; exit 77; }
die() { echo "postfix.sh: $*" >&2; exit 1; }
usage() { sed -n '8,11p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 64; }
is_root() { [ "$(id -u)" = 0 ]; }

missing() {
	LD_LIBRARY_PATH=$LIBS ldd "$MASTER" "$ROOT/usr/lib/postfix/sbin/smtpd" \
	    "$ROOT/usr/lib/postfix/sbin/postlogd" "$ROOT/usr/sbin/postconf" 2>/dev/null |
	    grep 'not found' || true
}

fetch() {
	command -v dpkg >/dev/null || skip "no dpkg: not a Debian system"
	is_root || skip "Postfix's master runs as root only"
	mkdir -p "$BASE/debs"
	exec 9>"$BASE/fetch.lock"
	flock 9
	if [ ! -x "$MASTER" ]; then
		command -v apt-get >/dev/null || skip "no apt-get to download $PKG"
		rm -f "$BASE/debs/${PKG}"_*.deb
		# apt-get download (not install): no system Postfix, no MTA
		# started by a postinst.
		(cd "$BASE/debs" && apt-get -q -o APT::Sandbox::User="$(id -un)" \
		    download "$PKG" >"$BASE/apt.log" 2>&1) ||
		    skip "cannot download $PKG (see $BASE/apt.log)"
		local debs=("$BASE/debs/${PKG}"_*.deb) tmp=$BASE/root.tmp.$$
		rm -rf "$tmp" "$ROOT"
		dpkg -x "${debs[0]}" "$tmp"
		# Never keep a setgid postdrop/postqueue in a build tree.
		chmod -R g-s,u-s "$tmp/usr/sbin"
		dpkg-deb -f "${debs[0]}" Depends > "$tmp/.depends"
		mv "$tmp" "$ROOT"
	fi
	if [ -n "$(missing)" ]; then
		local libs
		libs=$(tr ',' '\n' < "$ROOT/.depends" | sed 's/|.*//; s/(.*)//; s/[[:space:]]//g' | grep '^lib' || true)
		# shellcheck disable=SC2086
		DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
		    $libs >>"$BASE/apt.log" 2>&1 || skip "cannot install $libs (see $BASE/apt.log)"
	fi
	[ -z "$(missing)" ] || skip "postfix still lacks: $(missing | awk '{print $1}' | tr '\n' ' ')"
	# What Debian's postfix postinst would create, minus the home.
	getent group postfix >/dev/null || groupadd --system postfix
	getent group postdrop >/dev/null || groupadd --system postdrop
	if ! getent passwd postfix >/dev/null; then
		useradd --system --gid postfix --no-create-home \
		    --home-dir /nonexistent --shell /usr/sbin/nologin postfix
		echo "postfix.sh: created system user postfix" >&2
	fi
}

port_ok() {
	case $1 in ''|*[!0-9]*) return 1;; esac
	[ "$1" -ge 1024 ] && [ "$1" -le 65535 ]
}

# Reads the 220 greeting (and says QUIT): true when the port answers.
probe_port() (
	exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
	IFS= read -r -t 2 -u 3 line && [ "${line:0:4}" = "220 " ] || exit 1
	printf 'QUIT\r\n' >&3
	exit 0
) 2>/dev/null

start() {
	[ $# -ge 1 ] || usage
	local run=$1 port='' cert='' key='' sock='' timeout=15
	shift
	while [ $# -gt 0 ]; do
		[ $# -ge 2 ] || usage
		case $1 in
		--port)			port=$2;;
		--cert)			cert=$2;;
		--key)			key=$2;;
		--dovecot-socket)	sock=$2;;
		--timeout)		timeout=$2;;
		*) usage;;
		esac
		shift 2
	done
	port_ok "$port" || die "--port: a number in 1024..65535 (got '$port')"
	[ -r "$cert" ] || die "--cert: cannot read '$cert'"
	[ -r "$key" ] || die "--key: cannot read '$key'"
	[ -S "$sock" ] || die "--dovecot-socket: no socket at '$sock'"
	case $sock in *[!A-Za-z0-9_./+-]*) die "--dovecot-socket: odd characters in '$sock'";; esac
	is_root || skip "Postfix's master runs as root only"
	[ -x "$MASTER" ] || skip "postfix not fetched (run: postfix.sh fetch)"
	[ -z "$(missing)" ] || skip "postfix lacks libraries (run postfix.sh fetch as root)"
	if ! getent passwd postfix >/dev/null || ! getent group postdrop >/dev/null; then
		skip "user postfix or group postdrop missing (run postfix.sh fetch as root)"
	fi
	mkdir -p "$run"
	run=$(cd "$run" && pwd)
	if [ -s "$run/pid" ] && kill -0 "$(cat "$run/pid")" 2>/dev/null; then
		die "$run already has a running Postfix (pid $(cat "$run/pid"))"
	fi

	local dir q d
	dir=$(mktemp -d /tmp/smtpwiz-postfix.XXXXXXXX)
	chmod 0711 "$dir"
	ln -sfn "$dir" "$run/private"
	# From here on, a failed start stops what it started and removes dir.
	trap 'stop "$run" >/dev/null 2>&1 || true' EXIT
	mkdir -p "$dir/etc" "$dir/data" "$dir/tls" "$dir/queue"
	q=$dir/queue
	# The queue layout postfix-script / post-install would make.
	for d in active bounce corrupt defer deferred flush hold incoming private saved trace; do
		install -d -m 0700 -o postfix -g root "$q/$d"
	done
	install -d -m 0730 -o postfix -g postdrop "$q/maildrop"
	install -d -m 0710 -o postfix -g postdrop "$q/public"
	install -d -m 0755 -o root -g root "$q/pid"
	chown postfix:postfix "$dir/data"
	chmod 0700 "$dir/data"
	( umask 077
	  cat "$cert" > "$dir/tls/chain.pem"
	  cat "$key" > "$dir/tls/key.pem" )
	touch "$dir/maillog"

	cat > "$dir/etc/main.cf" <<EOF
# Generated by tests/servers/postfix.sh for a loopback test run.
compatibility_level = 3.7
config_directory = $dir/etc
queue_directory = $q
data_directory = $dir/data
daemon_directory = $ROOT/usr/lib/postfix/sbin
command_directory = $ROOT/usr/sbin
shlib_directory = $ROOT/usr/lib/postfix
meta_directory = $ROOT/etc/postfix
mail_owner = postfix
setgid_group = postdrop
# POSTLOG_*: what postfix(1) would export for maillog_file (postlogd).
import_environment = MAIL_CONFIG MAIL_DEBUG MAIL_LOGTAG TZ LANG=C POSTLOG_SERVICE POSTLOG_HOSTNAME LD_LIBRARY_PATH
maillog_file_prefixes = $dir
maillog_file = $dir/maillog

myhostname = localhost
mydomain = localhost
myorigin = localhost
mydestination =
alias_maps =
alias_database =
local_recipient_maps =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
smtpd_peername_lookup = no
biff = no
# Nothing is ever delivered anywhere: every message is dropped.
default_transport = discard
relay_transport = discard
local_transport = discard
relayhost =
smtpd_relay_restrictions = permit_sasl_authenticated, reject
smtpd_recipient_restrictions =

smtpd_tls_security_level = may
smtpd_tls_cert_file = $dir/tls/chain.pem
smtpd_tls_key_file = $dir/tls/key.pem
# TLS 1.2 at most, like the Exim twin: what the test verifies is then
# verified on the mbedTLS 2.28 build too (make test-mbedtls2).
smtpd_tls_protocols = >=TLSv1.2, <=TLSv1.2
smtpd_tls_auth_only = yes
smtpd_tls_loglevel = 0
tls_random_source = dev:/dev/urandom

smtpd_sasl_auth_enable = yes
smtpd_sasl_type = dovecot
smtpd_sasl_path = $sock
broken_sasl_auth_clients = no
EOF
	# The chroot column (5th) is n everywhere.
	cat > "$dir/etc/master.cf" <<EOF
# service type  private unpriv  chroot  wakeup  maxproc command
127.0.0.1:$port inet n  -       n       -       -       smtpd
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
tlsmgr    unix  -       -       n       1000?   1       tlsmgr
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
discard   unix  -       -       n       -       -       discard
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
postlog   unix-dgram n  -       n       -       1       postlogd
EOF

	local deadline=$((SECONDS + timeout)) pid
	# master in the foreground (-d), its own session: $! is the master.
	setsid env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LD_LIBRARY_PATH="$LIBS" \
	    MAIL_CONFIG="$dir/etc" POSTLOG_SERVICE=postlog POSTLOG_HOSTNAME=localhost \
	    "$MASTER" -d -c "$dir/etc" \
	    </dev/null >"$run/daemon.out" 2>&1 &
	pid=$!
	echo "$pid" > "$run/pid"
	until probe_port "$port"; do
		if ! kill -0 "$pid" 2>/dev/null || [ $SECONDS -ge $deadline ]; then
			echo "postfix.sh: postfix did not start:" >&2
			tail -20 "$run/daemon.out" "$dir/maillog" 2>/dev/null >&2 || true
			exit 1
		fi
		sleep 0.05
	done
	trap - EXIT
	echo "postfix.sh: master pid $pid ready on 127.0.0.1:$port" >&2
}

# True when /proc/PID/exe is our master.
is_master() {
	[ "$(readlink "/proc/$1/exe" 2>/dev/null)" = "$MASTER" ]
}

stop() {
	[ $# -eq 1 ] || usage
	local run=$1 pid dir
	if [ -s "$run/pid" ]; then
		pid=$(cat "$run/pid")
		case $pid in ''|*[!0-9]*) die "bad pid file $run/pid";; esac
		if is_master "$pid"; then
			# The master leads its session and process group (setsid):
			# TERM it (it stops its daemons), then the group.
			kill -TERM "$pid" 2>/dev/null || true
			for _ in $(seq 100); do
				is_master "$pid" || break
				sleep 0.05
			done
			kill -KILL -- "-$pid" 2>/dev/null || true
		fi
		rm -f "$run/pid"
	fi
	if [ -L "$run/private" ]; then
		dir=$(readlink "$run/private")
		case $dir in /tmp/smtpwiz-postfix.*)
			if [ -O "$dir" ]; then cp "$dir/maillog" "$run/maillog" 2>/dev/null || true; fi
			rm -rf "$dir";;
		esac
		rm -f "$run/private"
	fi
}

[ $# -ge 1 ] || usage
cmd=$1
shift
case $cmd in
fetch)	[ $# -eq 0 ] || usage; fetch;;
start)	start "$@";;
stop)	stop "$@";;
*)	usage;;
esac
