#!/bin/bash
# run-wizard.sh BIN [ARGS...] -- what `make run ARGS=...` runs.
#
# With arguments: runs BIN with them, nothing else.
# Without: offers the bundled demo.  A STARTTLS fixture server starts on a
# free loopback port, serving its certificate WITHOUT the intermediate and
# offering AUTH PLAIN LOGIN only after TLS; a deliberately wrong properties
# file (ssl.enable=true on that STARTTLS port, no timeouts) is loaded, so
# the newcomer watches the wizard find and fix real problems: step 1 the
# SSL-on-a-STARTTLS-port mix-up (one key applies the fix), step 2 the
# missing intermediate, steps 3-4 the one TLS version to write down,
# step 5 a login that works once TLS is right (the demo account's
# password is in the demo file, readable by you only).  The server is
# stopped by its PID when the wizard exits, however it exits.
set -u

if [ $# -lt 1 ]; then
	echo "usage: $0 BIN [ARGS...]" >&2
	exit 64
fi
bin=$1
shift
if [ $# -gt 0 ]; then
	exec "$bin" "$@"
fi

root=$(cd "$(dirname "$0")/../.." && pwd)
build=$root/build
demo=$build/demo
pki=$build/demo-pki
python=/usr/bin/python3

if [ -t 0 ]; then
	printf 'Start the demo mail server on 127.0.0.1? [Y/n] '
	read -r answer || answer=n
	case $answer in
	[nN]*) exec "$bin";;
	esac
fi

if [ ! -x "$python" ]; then
	echo "run-wizard: the demo needs $python (apt-get install python3)" >&2
	exit 1
fi

server_pid=
cleanup() {
	if [ -n "$server_pid" ]; then
		kill "$server_pid" 2>/dev/null
		wait "$server_pid" 2>/dev/null
		server_pid=
	fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP	# an SSH session that drops: the server goes too

mkdir -p "$demo"
# The demo leaf is valid for a year from when it was made: make a fresh
# PKI now and then, so that the demo never shows an expired certificate.
find "$pki/.done" -mtime +30 -delete 2>/dev/null
if ! bash "$root/tests/servers/mkpki.sh" "$pki" >"$demo/mkpki.log" 2>&1; then
	echo "run-wizard: making the demo certificates failed; see" \
	    "$demo/mkpki.log" >&2
	exit 1
fi

rm -f "$demo/port"
umask 077
printf 'demo@example.org:demo\n' >"$demo/passwd"
# Port 0: the server picks a free port and writes it to the port file,
# so there is no race between finding a port and binding it.
"$python" "$root/tests/servers/fixture_smtp.py" --host 127.0.0.1 --port 0 \
    --port-file "$demo/port" --mode starttls \
    --cert "$pki/leaf.pem" --key "$pki/leaf.key" \
    --auth "PLAIN LOGIN" --passwd-file "$demo/passwd" \
    --log "$demo/server.log" --mailbox "$demo/mailbox" \
    </dev/null >"$demo/server.out" 2>&1 &
server_pid=$!

# Wait for the port file, at most 10 s, and give up if the server died.
for _ in $(seq 100); do
	[ -s "$demo/port" ] && break
	if ! kill -0 "$server_pid" 2>/dev/null; then
		echo "run-wizard: the demo server did not start:" >&2
		cat "$demo/server.out" >&2
		server_pid=
		exit 1
	fi
	sleep 0.1
done
port=$(cat "$demo/port" 2>/dev/null)
if [ -z "$port" ]; then
	echo "run-wizard: the demo server wrote no port in 10 s" >&2
	exit 1
fi

props=$demo/demo.properties
cat >"$props" <<PROPS
# smtpwiz demo: settings as they were deployed -- and they are wrong.
# The server on this port speaks STARTTLS, not implicit TLS ("SSL").
mail.smtp.host=127.0.0.1
mail.smtp.port=$port
mail.smtp.ssl.enable=true
mail.smtp.auth=true
mail.smtp.user=demo@example.org
# The demo server's account (a real deployment keeps this out of files
# others can read).
mail.smtp.password=demo
PROPS

"$bin" --demo-port "$port" --load "$props" "127.0.0.1:$port"
rc=$?
cleanup
exit $rc
