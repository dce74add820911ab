#!/bin/bash
# mta.sh -- a real MTA (Exim 4, Debian 12's exim4-daemon-light) on loopback
# for the integration tests, run from a private copy and a generated config,
# without ever installing, replacing or reconfiguring the machine's own MTA.
#
#   mta.sh fetch
#   mta.sh start RUNDIR --plain-port P --starttls-port P --ssl-port P \
#                --cert CHAIN --key KEY [--tls-priority STR]
#                [--tls-min V] [--tls-max V] [--passwd-file F]
#                [--timeout SECS]
#   mta.sh stop RUNDIR
#   MTA_EXIM=heavy mta.sh fetch|start ... [--dovecot-socket PATH]
#
# Why Exim (checked against the 4.96-15+deb12u11 package, see -bV):
#  - one binary (usr/sbin/exim4, 1.4 MB, in a 600 kB .deb); the daemon, the
#    SMTP sessions and the local delivery are all that binary, no helpers;
#  - every path it uses is settable from its config file (spool, logs, pid
#    file, process log, its own path for re-execs, the mailbox), so `-C FILE`
#    keeps it inside RUNDIR: strace shows no write outside it, and no look
#    at /var/spool/exim4, /var/log/exim4 or /run/exim4; the one path it
#    cannot be told otherwise is the read-only check whether -C names a
#    trusted config, in the compiled-in /etc/exim4/trusted_configs;
#  - implicit TLS ("SMTPS", port 465 style) per port via tls_on_connect_ports,
#    STARTTLS per port via the expanded tls_advertise_hosts;
#  - AUTH PLAIN and LOGIN (plaintext driver) and CRAM-MD5 (cram_md5 driver)
#    are compiled in; server_advertise_condition offers them only under TLS;
#  - appendfile delivers every recipient, whatever the domain, to one mbox
#    file, and with a single `accept` router there is no transport that could
#    relay or send anything off the machine;
#  - its TLS stack is GnuTLS (3.7.9; ldd shows libgnutls.so.30 and no
#    libssl), different from the OpenSSL of the oracles and the mbedTLS of
#    smtpwiz itself; tls_require_ciphers takes a GnuTLS priority string, so a
#    test can make a TLSv1.2-only or a legacy server.
# Postfix is a family of daemons (master, smtpd, cleanup, qmgr, local, ...)
# with a queue layout of its own, started as root; OpenSMTPD refuses to
# start without root; both link OpenSSL.  Exim runs as one unprivileged
# process.
#
# How privileges work here.  The packaged binary is setuid root; `fetch`
# strips that bit from our unpacked copy, so it never gains root.  The binary
# looks up its compiled-in user "Debian-exim" at startup (exits otherwise), so
# that user must exist: `fetch` creates it (system user, no home, no shell)
# when it is missing and we are root.  As root, `start` runs the daemon as
# Debian-exim (setpriv), with RUNDIR's spool/log/mail owned by it; as any
# other user the daemon runs as that user (the config names it as exim_user).
# Exim drops privileges for a -C config anyway; running it unprivileged from
# the start also makes that moot.  High ports only.
#
# Where the files are.  Normally the daemon runs build/mta/root's binary with
# its files (config, spool, log, mail, tls, passwd) in RUNDIR.  As root, in
# a clone whose parents Debian-exim cannot search (a `mktemp -d` dir is 0700
# root), it could reach neither: then `start` makes a private dir
# /tmp/smtpwiz-mta.XXXXXXXX (mktemp; /var/tmp or /run when /tmp will not do,
# e.g. noexec), mode 0711 (searchable, not listable), holding a copy of the
# binary and those files, and RUNDIR gets symlinks to them plus `private`,
# a symlink to the dir; no permission of any existing directory changes.
# `stop` (and a failed `start`) moves the files back into RUNDIR and removes
# the private dir; `start` also removes private dirs left by a killed run.
#
# MTA_EXIM=heavy uses exim4-daemon-heavy instead (unpacked into
# build/mta/root-heavy; its libraries, Perl's, MariaDB's, PostgreSQL's,
# LDAP's, are installed like the light one's when missing): the light
# build has no dovecot authenticator, the heavy one does.  With
# --dovecot-socket PATH (heavy only) the daemon also offers XOAUTH2 and
# OAUTHBEARER under TLS, asking Dovecot's auth-client socket at PATH
# (tests/servers/dovecot.sh: its oauth2 passdb checks the token).
#
# Exit status: 0 done, 1 error, 64 usage, 77 this tier cannot run here (one
# line "SKIP: reason" on stdout).
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd -P)	# physical: compared with /proc/PID/exe
MTA=$REPO/build/mta
DEBS=$MTA/debs
case ${MTA_EXIM:-light} in
light)	ROOT=$MTA/root PKG=exim4-daemon-light;;
heavy)	ROOT=$MTA/root-heavy PKG=exim4-daemon-heavy;;
*)	echo "mta.sh: MTA_EXIM must be light or heavy" >&2; exit 64;;
esac
EXIM=$ROOT/usr/sbin/exim4
EXIM_USER=Debian-exim	# compiled into Debian's binary (EXIM_USER=ref:Debian-exim)
PRIV_BASES="/tmp /var/tmp /run"	# where a private dir may go, first that works
PRIV_NAME=smtpwiz-mta		# its name: $base/$PRIV_NAME.XXXXXXXX
# What lives in the daemon's dir (RUNDIR or the private dir).
DAEMON_FILES="exim.conf passwd spool log mail tls"

skip() { echo "SKIP: $*"; exit 77; }
die() { echo "mta.sh: $*" >&2; exit 1; }
usage() { sed -n '6,12p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 64; }
is_root() { [ "$(id -u)" = 0 ]; }

# ---------------------------------------------------------------- fetch

# Library packages the binary needs, from the .deb's Depends (first of each
# alternative, version constraints dropped); saved at unpack time.
depends_libs() {
	tr ',' '\n' < "$ROOT/.depends" | sed 's/|.*//; s/(.*)//; s/[[:space:]]//g' |
	    grep '^lib' || true
}

installed() {
	[ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null)" = installed ]
}

missing_libs() {
	local p
	for p in $(depends_libs); do
		installed "$p" || echo "$p"
	done
}

# apt-get with our log; runs `apt-get update` once and retries when the
# first attempt fails for lack of package lists (fresh machine).
apt_retry() {
	local log=$MTA/apt.log out=$MTA/apt.last
	echo "+ $*" >>"$log"
	if "$@" >"$out" 2>&1; then cat "$out" >>"$log"; return 0; fi
	cat "$out" >>"$log"
	is_root || return 1
	grep -qE 'Unable to locate package|has no installation candidate|Failed to fetch|404 ' "$out" ||
	    ! compgen -G '/var/lib/apt/lists/*_Packages*' >/dev/null || return 1
	echo "mta.sh: package lists missing or stale; apt-get update" >&2
	apt-get update >>"$log" 2>&1 || return 1
	echo "+ $*" >>"$log"
	"$@" >>"$log" 2>&1
}

fetch() {
	command -v dpkg >/dev/null || skip "no dpkg: not a Debian system"
	mkdir -p "$DEBS"
	# Test processes may fetch at once: one at a time (released at exit).
	exec 9>"$MTA/fetch.lock"
	flock 9
	if [ ! -e "$EXIM" ]; then
		command -v apt-get >/dev/null || skip "no apt-get to download $PKG"
		rm -f "$DEBS"/${PKG}_*.deb
		# apt-get download (not install): the machine's MTA is untouched.
		# As root, apt's _apt sandbox user cannot write into build/: say
		# so explicitly rather than get a warning.
		(cd "$DEBS" && apt_retry apt-get -q -o APT::Sandbox::User="$(id -un)" \
		    download "$PKG") || skip "cannot download $PKG (see $MTA/apt.log)"
		local debs deb tmp
		debs=("$DEBS"/"${PKG}"_*.deb)
		deb=${debs[0]}
		tmp=$MTA/root.tmp.$$
		rm -rf "$tmp" "$ROOT"
		dpkg -x "$deb" "$tmp"
		# Never keep a setuid-root Exim in a build tree.
		chmod u-s,g-s "$tmp/usr/sbin/exim4"
		dpkg-deb -f "$deb" Depends > "$tmp/.depends"
		dpkg-deb -f "$deb" Version > "$tmp/.version"
		mv "$tmp" "$ROOT"
	fi

	local libs
	mapfile -t libs < <(missing_libs)
	if [ ${#libs[@]} -gt 0 ]; then
		is_root || skip "libraries missing: ${libs[*]} (apt-get install them as root)"
		echo "mta.sh: installing libraries: ${libs[*]}" >&2
		DEBIAN_FRONTEND=noninteractive apt_retry apt-get install -y \
		    --no-install-recommends "${libs[@]}" ||
		    skip "cannot install ${libs[*]} (see $MTA/apt.log)"
	fi
	if ldd "$EXIM" 2>/dev/null | grep -q 'not found'; then
		skip "exim4 still lacks libraries: $(ldd "$EXIM" | grep 'not found' | awk '{print $1}' | tr '\n' ' ')"
	fi

	if ! getent passwd "$EXIM_USER" >/dev/null; then
		is_root || skip "user $EXIM_USER missing (create it as root: mta.sh fetch)"
		# What Debian's exim4-base postinst would create, minus the home.
		getent group "$EXIM_USER" >/dev/null || groupadd --system "$EXIM_USER"
		useradd --system --gid "$EXIM_USER" --no-create-home \
		    --home-dir /nonexistent --shell /usr/sbin/nologin "$EXIM_USER"
		echo "mta.sh: created system user $EXIM_USER" >&2
	fi
}

# ---------------------------------------------------------------- private dir

PRIV=''		# the private dir made by this start
PRIV_RUN=''	# RUNDIR whose private dir an exit of start gives back

# True for a private dir of ours: named by make_private under one of
# PRIV_BASES, a real directory (not a symlink) owned by us.  Nothing else is
# ever moved or removed (we are root here).
private_ok() {
	local p=$1 base
	for base in $PRIV_BASES; do
		case $p in "$base/$PRIV_NAME".*) ;; *) continue;; esac
		case ${p#"$base/$PRIV_NAME".} in ''|*[!A-Za-z0-9]*) return 1;; esac
		# (no bare `return`: in the EXIT trap it would return the exit
		# status, not this test's)
		if [ -d "$p" ] && [ ! -L "$p" ] && [ -O "$p" ]; then return 0; fi
		return 1
	done
	return 1
}

# The private dir RUNDIR/private points to, if it is ours and its marker
# names this RUNDIR back; fails otherwise.
private_of() {
	local run=$1 p phys
	[ -L "$run/private" ] || return 1
	p=$(readlink "$run/private")
	phys=$(cd "$run" && pwd -P) || return 1
	private_ok "$p" && [ "$(cat "$p/.rundir" 2>/dev/null)" = "$phys" ] && echo "$p"
}

# The executable RUNDIR's daemon runs: the private copy or build/mta's.
exe_of() {
	local p
	if p=$(private_of "$1"); then echo "$p/exim4"; else echo "$EXIM"; fi
}

# True when /proc/PID/exe is EXE (also once EXE was deleted under it).
is_exe() {
	local e
	e=$(readlink "/proc/$1/exe" 2>/dev/null) || return 1
	[ "$e" = "$2" ] || [ "$e" = "$2 (deleted)" ]
}

# Makes the private dir for RUNDIR (PRIV): mode 0711 in the first of
# PRIV_BASES that the daemon user ($launch) can search and execute from,
# with a copy of the binary, a marker .rundir naming RUNDIR, and
# RUNDIR/private pointing to it.  Fails when none will do.
make_private() {
	local run=$1 base p phys
	phys=$(cd "$run" && pwd -P)
	for base in $PRIV_BASES; do
		[ -d "$base" ] && "${launch[@]}" test -x "$base" || continue
		p=$(mktemp -d "$base/$PRIV_NAME.XXXXXXXX" 2>/dev/null) || continue
		chmod 0711 "$p"
		# Written whole before it is seen (sweep_private reads it).
		echo "$phys" > "$p/.rundir.tmp" && mv "$p/.rundir.tmp" "$p/.rundir"
		ln -sfn "$p" "$run/private"
		if cp "$EXIM" "$p/exim4" && chmod 0755 "$p/exim4" &&
		    "${launch[@]}" test -x "$p/exim4"; then	# false when noexec
			PRIV=$p
			return 0
		fi
		release_private "$run"
	done
	return 1
}

# Gives RUNDIR's private dir back: moves the daemon's files (logs, mail,
# spool, config) into RUNDIR in place of the symlinks, so a kept run dir
# reads as usual, and removes the dir.  No-op without one.
release_private() {
	local run=$1 p f
	if ! p=$(private_of "$run"); then
		if [ -L "$run/private" ]; then
			echo "mta.sh: $run/private -> $(readlink "$run/private") is not ours; not touching it" >&2
			rm -f "$run/private"
		fi
		return 0
	fi
	for f in $DAEMON_FILES; do
		if [ -L "$run/$f" ] && [ "$(readlink "$run/$f")" = "$p/$f" ]; then
			rm -f "$run/$f"
			if [ -e "$p/$f" ]; then
				mv "$p/$f" "$run/$f" || echo "mta.sh: could not keep $p/$f in $run" >&2
			fi
		fi
	done
	rm -rf "$p"
	rm -f "$run/private"
}

# Private dirs left behind by a run that ended without `stop` (a test killed
# by its timeout): their RUNDIR is gone, or its daemon is no longer running.
# A dir still being set up (no marker yet, or RUNDIR/private not yet
# pointing to it, or no pid file yet) is left alone.
sweep_private() {
	local base p r pid
	for base in $PRIV_BASES; do
		for p in "$base/$PRIV_NAME".*; do
			private_ok "$p" || continue
			r=$(cat "$p/.rundir" 2>/dev/null) || continue
			[ -n "$r" ] || continue
			if [ ! -d "$r" ]; then
				rm -rf "$p"
			elif [ "$(readlink "$r/private" 2>/dev/null)" = "$p" ] && [ -s "$r/pid" ]; then
				pid=$(cat "$r/pid" 2>/dev/null) || continue
				if ! { pid_alive "$pid" && is_exe "$pid" "$p/exim4"; }; then
					release_private "$r"
				fi
			fi
		done
	done
	return 0
}

# ---------------------------------------------------------------- start

# GnuTLS version keyword for 1.0 / TLSv1.2 / tls1_3 ...
tls_kw() {
	case $1 in
	1.0|1|TLSv1|TLSv1.0|tls1|tls1_0)	echo 1.0;;
	1.1|TLSv1.1|tls1_1)			echo 1.1;;
	1.2|TLSv1.2|tls1_2)			echo 1.2;;
	1.3|TLSv1.3|tls1_3)			echo 1.3;;
	*) die "unknown TLS version '$1' (1.0 1.1 1.2 1.3)";;
	esac
}

port_ok() {
	case $1 in ''|*[!0-9]*) return 1;; esac
	[ "$1" -ge 1024 ] && [ "$1" -le 65535 ]
}

# Convert "user:password" lines into an lsearch file keyed and valued by
# base64 (any byte but newline survives, even ':' and spaces in passwords).
# printf and read are builtins: no password ever appears in an argv.
convert_passwd() {
	local line user pass n=0
	while IFS= read -r line || [ -n "$line" ]; do
		line=${line%$'\r'}
		case $line in ''|'#'*) continue;; esac
		case $line in *:*) ;; *) die "passwd file: line without ':'";; esac
		user=${line%%:*}
		pass=${line#*:}
		[ -n "$user" ] || die "passwd file: empty user name"
		printf '%s: %s\n' "$(printf '%s' "$user" | base64 -w0)" \
		    "$(printf '%s' "$pass" | base64 -w0)"
		n=$((n + 1))
	done
	[ $n -gt 0 ] || echo "# no users"
}

# Reads the SMTP greeting from a port (and says QUIT), or for the TLS port
# only connects; true when the port accepts connections.
probe_port() (
	# A subshell: a failed `exec` redirection ends it, not the script.
	exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
	if [ "$2" = smtp ]; then
		IFS= read -r -t 2 -u 3 line && [ "${line:0:4}" = "220 " ] || exit 1
		# Exim answers QUIT only after ~200 ms; no need to wait for it.
		printf 'QUIT\r\n' >&3
	fi
	exit 0
) 2>/dev/null

now_ms() { local t=${EPOCHREALTIME/./}; echo $((t / 1000)); }

# Running, not a zombie: the reaper (init) may take a second or more to
# collect an orphaned daemon that has already exited.
pid_alive() {
	local line
	[ -n "$1" ] && kill -0 "$1" 2>/dev/null || return 1
	IFS= read -r line 2>/dev/null < "/proc/$1/stat" || return 1
	line=${line##*) }
	[ "${line:0:1}" != Z ]
}

start() {
	[ $# -ge 1 ] || usage
	local run=$1; shift
	local plain='' starttls='' ssl='' cert='' key='' prio=NORMAL tmin='' tmax=''
	local pwfile='' timeout=15 dovecot=''
	while [ $# -gt 0 ]; do
		[ $# -ge 2 ] || usage
		case $1 in
		--plain-port)		plain=$2;;
		--starttls-port)	starttls=$2;;
		--ssl-port)		ssl=$2;;
		--cert)			cert=$2;;
		--key)			key=$2;;
		--tls-priority)		prio=$2;;
		--tls-min)		tmin=$2;;
		--tls-max)		tmax=$2;;
		--passwd-file)		pwfile=$2;;
		--timeout)		timeout=$2;;
		--dovecot-socket)	dovecot=$2;;
		*) usage;;
		esac
		shift 2
	done
	for p in "$plain" "$starttls" "$ssl"; do
		port_ok "$p" || die "ports must be given, numbers in 1024..65535 (got '$p')"
	done
	if [ "$plain" = "$starttls" ] || [ "$plain" = "$ssl" ] || [ "$starttls" = "$ssl" ]; then
		die "the three ports must differ"
	fi
	[ -r "$cert" ] || die "--cert: cannot read '$cert'"
	[ -r "$key" ] || die "--key: cannot read '$key'"
	[ -z "$pwfile" ] || [ -r "$pwfile" ] || die "--passwd-file: cannot read '$pwfile'"
	if [ -n "$dovecot" ]; then
		[ -S "$dovecot" ] || die "--dovecot-socket: no socket at '$dovecot'"
		case $dovecot in *[!A-Za-z0-9_./+-]*) die "--dovecot-socket: odd characters in '$dovecot'";; esac
	fi
	# Exim would start and fail each handshake later; say it now.
	if command -v openssl >/dev/null &&
	    [ "$(openssl x509 -noout -pubkey -in "$cert" 2>&1)" != \
	      "$(openssl pkey -pubout -in "$key" 2>&1)" ]; then
		die "--cert and --key do not match (or are not PEM)"
	fi
	case $prio in *'$'*|*\\*|*$'\n'*|'') die "--tls-priority: empty or has \$, \\ or newline";; esac
	if [ -n "$tmin$tmax" ]; then
		[ -z "$tmin" ] || tmin=$(tls_kw "$tmin")
		[ -z "$tmax" ] || tmax=$(tls_kw "$tmax")
		local v vers=
		for v in 1.0 1.1 1.2 1.3; do	# "1.x" compare as strings
			[[ ! $v < ${tmin:-1.0} ]] && [[ ! $v > ${tmax:-1.3} ]] &&
			    vers="$vers:+VERS-TLS$v"
		done
		[ -n "$vers" ] || die "--tls-min is above --tls-max"
		prio="$prio:-VERS-ALL$vers"
	fi

	[ -x "$EXIM" ] || skip "exim not fetched (run: tests/servers/mta.sh fetch)"
	! ldd "$EXIM" 2>/dev/null | grep -q 'not found' ||
	    skip "exim4 lacks libraries (run mta.sh fetch as root)"
	getent passwd "$EXIM_USER" >/dev/null ||
	    skip "user $EXIM_USER missing (run mta.sh fetch as root)"

	# Who runs the daemon: never root.
	local user group launch=()
	if is_root; then
		user=$EXIM_USER
		group=$(id -gn "$EXIM_USER")
		command -v setpriv >/dev/null || skip "no setpriv to drop root"
		launch=(setpriv --reuid="$user" --regid="$group" --clear-groups --)
	else
		user=$(id -un)
		group=$(id -gn)
	fi

	mkdir -p "$run"
	run=$(cd "$run" && pwd)
	case $run in *[!A-Za-z0-9_./+-]*) die "RUNDIR has characters Exim's config would mangle: $run";; esac
	if [ -s "$run/pid" ] && pid_alive "$(cat "$run/pid")"; then
		die "$run already has a running MTA (pid $(cat "$run/pid"))"
	fi
	# A private dir left by a start on this RUNDIR that was never stopped.
	release_private "$run"
	rm -rf "$run/spool" "$run/log" "$run/mail" "$run/tls" "$run/pid"
	chmod 0755 "$run"

	# The daemon's binary and dir: build/mta's and RUNDIR where the daemon
	# user can reach them (always when not root), else a private dir.
	local dir=$run exe=$EXIM f
	if is_root; then
		sweep_private
		if ! "${launch[@]}" test -x "$EXIM" -a -x "$run"; then
			# From here on, any exit but success (a skip, an error, a
			# signal) stops a daemon already launched and gives the
			# dir back (stop does both; without a pid file, only the
			# latter).
			PRIV_RUN=$run
			trap 'stop "$PRIV_RUN" >/dev/null 2>&1 || true' EXIT
			trap 'exit 129' HUP
			trap 'exit 130' INT
			trap 'exit 143' TERM
			make_private "$run" ||
			    skip "$user cannot reach $EXIM or $run (a parent directory is not searchable)," \
				"and no private dir for it in $PRIV_BASES would do (missing, not searchable by $user, or noexec)"
			dir=$PRIV exe=$PRIV/exim4
			for f in $DAEMON_FILES; do
				rm -rf "${run:?}/$f"
				ln -s "$dir/$f" "$run/$f"
			done
		fi
	fi

	install -d -m 0750 "$dir/spool" "$dir/log" "$dir/mail" "$dir/tls"
	if is_root; then chown "$user:$group" "$dir/spool" "$dir/log" "$dir/mail" "$dir/tls"; fi
	# Copies the daemon user can read, whatever the caller's modes are.
	( umask 077
	  cat "$cert" > "$dir/tls/chain.pem"
	  cat "$key" > "$dir/tls/key.pem"
	  if [ -n "$pwfile" ]; then convert_passwd < "$pwfile"; else echo "# no users"; fi \
	      > "$dir/passwd" )
	if is_root; then chown "$user:$group" "$dir/tls/chain.pem" "$dir/tls/key.pem" "$dir/passwd"; fi

	if is_root && ! "${launch[@]}" test -x "$exe" -a -r "$dir/passwd"; then
		skip "$user cannot reach $exe or $dir (a parent directory is not searchable)"
	fi

	local conf=$dir/exim.conf
	cat > "$conf.tmp" <<EOF
# Generated by tests/servers/mta.sh for a loopback test run; do not edit.
# Every path Exim would take from its build (CONFIGURE_FILE, SPOOL_DIRECTORY,
# LOG_FILE_PATH, PID_FILE_PATH, BIN_DIRECTORY) is overridden to stay in
# $dir.

exim_path = $exe
exim_user = $user
exim_group = $group
spool_directory = $dir/spool
log_file_path = $dir/log/%slog
pid_file_path = $dir/spool/exim-daemon.pid
process_log_path = $dir/spool/exim-process.info
# No notifier socket (4.94+ default: an abstract socket named after the spool).
notifier_socket =
keep_environment =

# Nothing that could look something up or talk to anyone but the client.
primary_hostname = localhost
qualify_domain = localhost
host_lookup =
rfc1413_hosts =
helo_lookup_domains =
dkim_verify_signers =
daemon_startup_retries = 0
deliver_drop_privilege = true
smtp_accept_max = 50
message_size_limit = 10M

local_interfaces = <; 127.0.0.1.$plain ; 127.0.0.1.$starttls ; 127.0.0.1.$ssl
tls_on_connect_ports = $ssl
# STARTTLS everywhere but the plain port (the SSL port never offers it
# once TLS is up).
tls_advertise_hosts = \${if eq{\$received_port}{$plain}{}{*}}
tls_certificate = $dir/tls/chain.pem
tls_privatekey = $dir/tls/key.pem
tls_require_ciphers = $prio
# No client certificates are asked for: do not load the system CA store.
tls_verify_certificates =

acl_smtp_rcpt = acl_rcpt

begin acl

acl_rcpt:
  accept

begin routers

# Every recipient, any domain, goes to the one mbox file.
everything:
  driver = accept
  transport = mbox

begin transports

mbox:
  driver = appendfile
  file = $dir/mail/mbox
  user = $user
  group = $group
  mode = 0600
  # Concurrent deliveries queue on a blocking fcntl lock (woken at once)
  # instead of polling a dot-lock every lock_interval (3 s).
  use_lockfile = false
  use_fcntl_lock = true
  lock_fcntl_timeout = 10s
  delivery_date_add
  envelope_to_add
  return_path_add

begin retry

*  *  F,10m,1m

begin authenticators

# $dir/passwd: base64(user): base64(password).
plain:
  driver = plaintext
  public_name = PLAIN
  server_prompts = :
  server_condition = \${if and {{!eq{\$auth3}{}} \\
      {eq{\$auth3}{\${base64d:\${lookup{\${str2b64:\$auth2}}lsearch{$dir/passwd}}}}}}}
  server_set_id = \$auth2
  server_advertise_condition = \${if def:tls_in_cipher}

login:
  driver = plaintext
  public_name = LOGIN
  server_prompts = Username:: : Password::
  server_condition = \${if and {{!eq{\$auth2}{}} \\
      {eq{\$auth2}{\${base64d:\${lookup{\${str2b64:\$auth1}}lsearch{$dir/passwd}}}}}}}
  server_set_id = \$auth1
  server_advertise_condition = \${if def:tls_in_cipher}

cram_md5:
  driver = cram_md5
  public_name = CRAM-MD5
  server_secret = \${base64d:\${lookup{\${str2b64:\$auth1}}lsearch{$dir/passwd}{\$value}fail}}
  server_set_id = \$auth1
  server_advertise_condition = \${if def:tls_in_cipher}
EOF
	if [ -n "$dovecot" ]; then
		local mech
		for mech in XOAUTH2 OAUTHBEARER; do
			cat >> "$conf.tmp" <<EOF

# The token goes to Dovecot's oauth2 passdb (RFC 7662 introspection).
dovecot_$mech:
  driver = dovecot
  public_name = $mech
  server_socket = $dovecot
  server_set_id = \$auth1
  server_advertise_condition = \${if def:tls_in_cipher}
EOF
		done
	fi
	chmod 0644 "$conf.tmp"
	mv "$conf.tmp" "$conf"

	local t0 deadline pid epid=
	t0=$(now_ms)
	deadline=$((t0 + timeout * 1000))
	# -bdf: daemon in the foreground, so $! is the daemon (setsid and
	# setpriv exec, no fork); its own session/process group lets stop
	# reap the per-connection children too.
	# -oP repeats pid_file_path on the command line: on SIGTERM the daemon
	# runs "exim -oPX" to remove its pid file, and without -oP that child
	# looks at the compiled-in /run/exim4/exim.pid (only Exim's own user
	# may give -oP).
	local oP=()
	[ "$user" != "$EXIM_USER" ] || oP=(-oP "$dir/spool/exim-daemon.pid")
	setsid "${launch[@]}" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
	    "$exe" -C "$conf" "${oP[@]}" -bdf </dev/null >"$run/daemon.out" 2>&1 &
	pid=$!
	echo "$pid" > "$run/pid"

	local ready=0 p
	while [ "$(now_ms)" -lt "$deadline" ]; do
		if ! pid_alive "$pid"; then
			echo "mta.sh: exim exited during startup:" >&2
			cat "$run/daemon.out" "$dir/log/paniclog" 2>/dev/null | tail -20 >&2
			rm -f "$run/pid"
			exit 1
		fi
		# Exim logs "daemon started" after listen() on every socket.
		if [ -z "$epid" ] && grep -q 'daemon started: pid=' "$dir/log/mainlog" 2>/dev/null; then
			epid=$(sed -n 's/.*daemon started: pid=\([0-9]*\).*/\1/p' "$dir/log/mainlog" | tail -1)
			if [ "$epid" != "$pid" ]; then	# not expected with -bdf; trust Exim
				pid=$epid
				echo "$pid" > "$run/pid"
			fi
		fi
		if [ -n "$epid" ] && probe_port "$plain" smtp && probe_port "$starttls" smtp &&
		    probe_port "$ssl" tls; then
			ready=1
			break
		fi
		sleep 0.02	# poll interval; the deadline bounds the loop
	done
	if [ $ready = 0 ]; then
		echo "mta.sh: not ready after ${timeout}s" >&2
		tail -20 "$run/daemon.out" "$dir/log/mainlog" "$dir/log/paniclog" >&2 2>/dev/null || true
		stop "$run" >/dev/null 2>&1 || true
		exit 1
	fi
	trap - EXIT HUP INT TERM	# the private dir, if any, stays until stop
	echo "mta.sh: exim pid $pid ready in $(( $(now_ms) - t0 )) ms on 127.0.0.1:" \
	    "plain $plain, starttls $starttls, ssl $ssl${PRIV:+ (from $PRIV)}" >&2
}

# ---------------------------------------------------------------- stop

# Live (non-zombie) Exim PIDs in process group $GROUP: the daemon and its
# children.  Checking the executable keeps a recycled group id harmless.
group_pids() {
	local p
	for p in $(ps -e -o pid= -o pgid= -o stat= |
	    awk -v g="$GROUP" '$2 == g && $3 !~ /^Z/ { print $1 }'); do
		is_exe "$p" "$EXE" && echo "$p"
	done
	return 0
}

stop() {
	[ $# -eq 1 ] || usage
	local run=$1 pid deadline p
	EXE=$(exe_of "$run")
	if [ ! -s "$run/pid" ]; then
		echo "mta.sh: no pid file in $run" >&2
		release_private "$run"
		return 0
	fi
	pid=$(cat "$run/pid")
	case $pid in ''|*[!0-9]*) die "bad pid file $run/pid";; esac
	# Only ever signal our exim (a stale pid could have been reused).
	if pid_alive "$pid" && ! is_exe "$pid" "$EXE"; then
		echo "mta.sh: pid $pid is not $EXE; not killing it" >&2
		rm -f "$run/pid"
		release_private "$run"
		return 0
	fi
	# The daemon leads its own process group (setsid at start): TERM the
	# whole group, so SMTP sessions still open end too.
	GROUP=$pid
	if [ "$(ps -o pgid= -p "$pid" 2>/dev/null | tr -d ' ')" = "$pid" ]; then
		kill -TERM -- "-$pid" 2>/dev/null || true
	else
		for p in $(group_pids); do kill -TERM "$p" 2>/dev/null || true; done
		pid_alive "$pid" && kill -TERM "$pid" 2>/dev/null
	fi
	# The daemon gets 3 s, then SIGKILL.  Once it is gone, its remaining
	# children (SMTP sessions; after a failed handshake Exim lingers 0.5 s
	# ignoring SIGTERM) get 0.3 s, then SIGKILL: the server is being
	# stopped, nothing they do matters any more.
	deadline=$(( $(now_ms) + 3000 ))
	while pid_alive "$pid"; do
		if [ "$(now_ms)" -ge "$deadline" ]; then
			echo "mta.sh: pid $pid still there after 3 s; SIGKILL" >&2
			kill -KILL "$pid" 2>/dev/null || true
			break
		fi
		sleep 0.02
	done
	deadline=$(( $(now_ms) + 300 ))
	while [ -n "$(group_pids)" ]; do
		if [ "$(now_ms)" -ge "$deadline" ]; then
			for p in $(group_pids); do kill -KILL "$p" 2>/dev/null || true; done
			deadline=$(( $(now_ms) + 2000 ))	# SIGKILL is prompt
			while { pid_alive "$pid" || [ -n "$(group_pids)" ]; } &&
			    [ "$(now_ms)" -lt "$deadline" ]; do
				sleep 0.02
			done
			break
		fi
		sleep 0.02
	done
	rm -f "$run/pid"
	release_private "$run"
}

# ---------------------------------------------------------------- main

[ $# -ge 1 ] || usage
cmd=$1; shift
case $cmd in
fetch)	[ $# -eq 0 ] || usage; fetch;;
start)	start "$@";;
stop)	stop "$@";;
*)	usage;;
esac
