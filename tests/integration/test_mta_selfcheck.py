#!/usr/bin/python3
"""Self-check of the real-MTA tier (tests/servers/mta.sh, tests/lib/mta.py).

Python's smtplib + ssl (OpenSSL) against Exim (GnuTLS) on loopback: the
plain port has no STARTTLS, the STARTTLS port upgrades with a chain that
verifies against the test root and offers AUTH only afterwards, the
implicit-TLS port handshakes first, AUTH accepts the right password and
answers 535 to a wrong one, mail to any domain lands in the one mbox file,
every path in the config stays in the run dir, build/mta or mta.sh's private
dir (used as root when Debian-exim cannot search the tree's parents), and
stopping by PID leaves nothing behind but the logs and mailbox.  TAP; exit 77 when the tier
cannot run here.
"""

import base64
import os
import re
import smtplib
import socket
import ssl
import stat
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from mta import Mta, MtaUnavailable  # noqa: E402

# -- TAP, inline on purpose (no dependency on tests/lib/swtest.py)
_n = 0
_failed = 0


def check(name, fn):
    """Run fn(); ok if it returns without raising, else not ok + why."""
    global _n, _failed
    _n += 1
    try:
        fn()
        print(f"ok {_n} - {name}", flush=True)
    except Exception as e:  # noqa: BLE001 -- a test failure, whatever it is
        _failed += 1
        print(f"not ok {_n} - {name}", flush=True)
        for line in f"{type(e).__name__}: {e}".splitlines():
            print(f"#   {line}", flush=True)


def expect(cond, msg):
    if not cond:
        raise AssertionError(msg)


TIMEOUT = 10
m = None          # the Mta under test


def tls_ctx():
    ctx = ssl.create_default_context(cafile=m.cafile)   # verifies chain + name
    return ctx


def ehlo_caps(s):
    code, text = s.ehlo("client.test")
    expect(code == 250, f"EHLO answered {code} {text!r}")
    return [line.split()[0].upper() for line in text.decode().splitlines()[1:] if line]


def auth_line(s):
    return s.esmtp_features.get("auth", "").upper().split()


def starttls_session():
    s = smtplib.SMTP("127.0.0.1", m.starttls_port, timeout=TIMEOUT)
    s.ehlo("client.test")
    s._host = "localhost"         # smtplib passes this as server_hostname
    code, _ = s.starttls(context=tls_ctx())
    expect(code == 220, f"STARTTLS answered {code}")
    s.ehlo("client.test")
    return s


def ssl_session():
    s = smtplib.SMTP_SSL("localhost", m.ssl_port, timeout=TIMEOUT, context=tls_ctx())
    s.ehlo("client.test")
    return s


# -- the checks

def t_plain():
    s = smtplib.SMTP("127.0.0.1", m.plain_port, timeout=TIMEOUT)
    caps = ehlo_caps(s)
    expect("STARTTLS" not in caps, f"plain port offers STARTTLS: {caps}")
    expect("AUTH" not in caps, f"plain port offers AUTH: {caps}")
    code, _ = s.docmd("STARTTLS")
    expect(code >= 500, f"STARTTLS on the plain port answered {code}")
    s.quit()


def t_plain_no_auth():
    s = smtplib.SMTP("127.0.0.1", m.plain_port, timeout=TIMEOUT)
    s.ehlo("client.test")
    cred = base64.b64encode(f"\0{m.user}\0{m.password}".encode()).decode()
    code, text = s.docmd("AUTH", "PLAIN " + cred)
    expect(code == 503, f"AUTH on the plain port answered {code} {text!r}")
    s.quit()


def t_starttls():
    s = smtplib.SMTP("127.0.0.1", m.starttls_port, timeout=TIMEOUT)
    caps = ehlo_caps(s)
    expect("STARTTLS" in caps, f"no STARTTLS before TLS: {caps}")
    expect("AUTH" not in caps, f"AUTH offered before TLS: {caps}")
    s._host = "localhost"
    code, _ = s.starttls(context=tls_ctx())
    expect(code == 220, f"STARTTLS answered {code}")
    version = s.sock.version()
    expect(version in ("TLSv1.2", "TLSv1.3"), f"negotiated {version}")
    caps = ehlo_caps(s)
    expect("STARTTLS" not in caps, f"STARTTLS offered again under TLS: {caps}")
    mechs = auth_line(s)
    for mech in ("PLAIN", "LOGIN", "CRAM-MD5"):
        expect(mech in mechs, f"AUTH under TLS lacks {mech}: {mechs}")
    s.quit()


def t_implicit_tls():
    raw = socket.create_connection(("127.0.0.1", m.ssl_port), timeout=TIMEOUT)
    # Handshake before reading a byte: an implicit-TLS port greets only
    # inside TLS.
    with tls_ctx().wrap_socket(raw, server_hostname="localhost") as t:
        expect(t.version() in ("TLSv1.2", "TLSv1.3"), f"negotiated {t.version()}")
        chain = t.getpeercert()
        expect(chain is not None, "no peer certificate")
        greeting = t.recv(512).decode(errors="replace")
        expect(greeting.startswith("220 "), f"greeting under TLS: {greeting!r}")
        t.sendall(b"EHLO client.test\r\n")
        reply = b""
        while not re.search(rb"^250 ", reply, re.M):
            chunk = t.recv(4096)
            expect(chunk, f"EOF after EHLO: {reply!r}")
            reply += chunk
        expect(b"STARTTLS" not in reply, "STARTTLS offered on the TLS port")
        expect(re.search(rb"AUTH .*PLAIN", reply), f"no AUTH PLAIN: {reply!r}")
        t.sendall(b"QUIT\r\n")


def auth_try(session, mech, password):
    s = session()
    try:
        s.user, s.password = m.user, password
        handler = {"PLAIN": s.auth_plain, "LOGIN": s.auth_login,
                   "CRAM-MD5": s.auth_cram_md5}[mech]
        try:
            code, _ = s.auth(mech, handler, initial_response_ok=True)
        except smtplib.SMTPAuthenticationError as e:
            code = e.smtp_code
        return code
    finally:
        s.close()


def t_auth(mech, session):
    def run():
        code = auth_try(session, mech, m.password)
        expect(code == 235, f"AUTH {mech} with the right password: {code}")
        code = auth_try(session, mech, m.password + "x")
        expect(code == 535, f"AUTH {mech} with a wrong password: {code}")
    return run


def t_deliver():
    before = set(os.listdir(os.path.dirname(m.mailbox_path)))
    tag = f"selfcheck-{os.getpid()}-{time.time_ns()}"
    rcpts = ["someone@example.com", "postmaster@localhost", "x@far.away.invalid"]
    s = starttls_session()
    s.login(m.user, m.password)
    refused = s.sendmail("sender@client.test", rcpts,
                         f"From: sender@client.test\r\nSubject: {tag}\r\n\r\nbody {tag}\r\n")
    expect(not refused, f"recipients refused: {refused}")
    s.quit()
    # and one over the plain port, unauthenticated: also only to the file
    s = smtplib.SMTP("127.0.0.1", m.plain_port, timeout=TIMEOUT)
    s.sendmail("", ["bounce@elsewhere.example"], f"Subject: {tag}-plain\r\n\r\nx\r\n")
    s.quit()
    text = m.wait_mail(f"Subject: {tag}", count=len(rcpts) + 1)
    for r in rcpts + ["bounce@elsewhere.example"]:
        expect(f"Envelope-to: {r}\n" in text, f"no copy for {r} in the mbox")
    # Nothing else: the log shows only deliveries by the mbox transport, no
    # deferral/failure/bounce, the spool is empty, no other file appeared.
    deadline = time.monotonic() + 5
    while True:
        log = m.log_text()
        if log.count(" Completed") >= 2 or time.monotonic() > deadline:
            break
        time.sleep(0.02)
    deliveries = [d.strip() for d in re.findall(r" (?:=>|->|\*\*|==) .*", log)]
    expect(len(deliveries) == len(rcpts) + 1, f"deliveries in log: {deliveries}")
    for d in deliveries:
        expect(d.startswith("=> ") or d.startswith("-> "), f"not delivered: {d}")
        expect(d.endswith("R=everything T=mbox"), f"other route/transport: {d}")
    input_dir = os.path.join(m.run_dir, "spool", "input")
    left = [f for f in os.listdir(input_dir)] if os.path.isdir(input_dir) else []
    expect(not left, f"messages left in the spool: {left}")
    after = set(os.listdir(os.path.dirname(m.mailbox_path)))
    expect(after - before <= {"mbox"}, f"other files in mail/: {after - before}")


def t_tls12_only():
    with Mta(tls_max="1.2", name="mta-tls12") as m12:
        ctx = ssl.create_default_context(cafile=m12.cafile)
        raw = socket.create_connection(("127.0.0.1", m12.ssl_port), timeout=TIMEOUT)
        with ctx.wrap_socket(raw, server_hostname="localhost") as t:
            expect(t.version() == "TLSv1.2", f"tls-max 1.2 server negotiated {t.version()}")
        ctx.minimum_version = ssl.TLSVersion.TLSv1_3
        raw = socket.create_connection(("127.0.0.1", m12.ssl_port), timeout=TIMEOUT)
        try:
            ctx.wrap_socket(raw, server_hostname="localhost").close()
            raise AssertionError("a TLSv1.3-only client got through")
        except ssl.SSLError:
            pass
        finally:
            raw.close()


def t_paths():
    # mta.sh always unpacks into REPO/build/mta, whatever $BUILD is.
    build_mta = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                             "..", "build", "mta")
    allowed = [os.path.realpath(m.run_dir), os.path.realpath(build_mta)]
    priv = m.private_dir
    if priv is not None:
        # Only where the daemon user cannot reach the tree (root, 0700
        # parents): a dir of mta.sh's own, searchable but not listable, in
        # the system's temporary dirs, holding the binary's copy.
        expect(re.fullmatch(r"/(tmp|var/tmp|run)/smtpwiz-mta\.[A-Za-z0-9]+", priv),
               f"private dir {priv} is not one mta.sh makes")
        st = os.lstat(priv)
        expect(stat.S_ISDIR(st.st_mode) and stat.S_IMODE(st.st_mode) == 0o711
               and st.st_uid == os.getuid(),
               f"private dir {priv}: mode {oct(st.st_mode)}, uid {st.st_uid}")
        allowed.append(os.path.realpath(priv))
    with open(os.path.join(m.run_dir, "exim.conf")) as f:
        conf = f.read()
    # Every path compiled into Debian's binary, overridden (see mta.sh).
    for opt in ("exim_path", "spool_directory", "log_file_path", "pid_file_path",
                "process_log_path", "tls_certificate", "tls_privatekey"):
        mt = re.search(rf"^{opt} = (\S+)$", conf, re.M)
        expect(mt, f"{opt} not set in exim.conf")
        val = os.path.realpath(mt.group(1).replace("%s", "x"))
        expect(any(val.startswith(a + "/") for a in allowed),
               f"{opt} = {mt.group(1)} is outside the run dir, build/mta "
               f"and the private dir ({allowed})")
    if priv is not None:
        mt = re.search(r"^exim_path = (\S+)$", conf, re.M)
        expect(mt.group(1) == os.path.join(priv, "exim4"),
               f"exim_path = {mt.group(1)}, not the private copy")
    expect(re.search(r"^notifier_socket =\s*$", conf, re.M), "notifier socket not disabled")
    files = re.findall(r"^\s*file = (\S+)$", conf, re.M)
    expect([os.path.realpath(f) for f in files] == [os.path.realpath(m.mailbox_path)],
           f"appendfile targets: {files}")
    expect(re.findall(r"^\s*driver = (\w+)$", conf, re.M) ==
           ["accept", "appendfile", "plaintext", "plaintext", "cram_md5"],
           "only the accept router and the appendfile transport may exist")
    panic = os.path.join(m.run_dir, "log", "paniclog")
    expect(not os.path.exists(panic) or not os.path.getsize(panic),
           f"paniclog: {open(panic).read() if os.path.exists(panic) else ''}")


def proc_group(pgid):
    """Live (non-zombie) PIDs whose process group is pgid."""
    out = []
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] != "Z" and int(fields[2]) == pgid:
            out.append(int(d))
    return out


def t_stop():
    pid, ports, run_dir = m.pid, (m.plain_port, m.starttls_port, m.ssl_port), m.run_dir
    priv = m.private_dir
    # an SMTP session still open while stopping must not survive either
    lingering = socket.create_connection(("127.0.0.1", m.plain_port), timeout=TIMEOUT)
    lingering.recv(512)
    expect(proc_group(pid), f"daemon {pid} not running before stop")
    m.stop()
    expect(not proc_group(pid), f"left behind in group {pid}: {proc_group(pid)}")
    try:
        os.kill(pid, 0)
        with open(f"/proc/{pid}/stat") as f:
            state = f.read().rsplit(")", 1)[1].split()[0]
        expect(state == "Z", f"pid {pid} still running (state {state})")
    except ProcessLookupError:
        pass
    lingering.close()
    for p in ports:
        try:
            socket.create_connection(("127.0.0.1", p), timeout=2).close()
            raise AssertionError(f"port {p} still accepts connections")
        except ConnectionRefusedError:
            pass
    expect(not os.path.exists(os.path.join(run_dir, "pid")), "pid file left")
    if priv is not None:
        expect(not os.path.lexists(priv), f"private dir {priv} left")
        expect(not os.path.lexists(os.path.join(run_dir, "private")), "private link left")
    # the logs and the mailbox stay in the run dir (moved back from a private dir)
    expect(os.path.isfile(m.log_path) and not os.path.islink(os.path.dirname(m.log_path)),
           f"{m.log_path} not kept in the run dir after stop")
    mail = os.path.dirname(m.mailbox_path)
    expect(os.path.isdir(mail) and not os.path.islink(mail),
           f"{mail} not kept in the run dir after stop")


def main():
    global m
    try:
        m = Mta(name="selfcheck").start()
    except MtaUnavailable as e:
        print(f"1..0 # SKIP {e.reason}")
        return 77
    try:
        print("1..12")
        check("plain port greets, offers neither STARTTLS nor AUTH", t_plain)
        check("plain port refuses AUTH (offered only over TLS)", t_plain_no_auth)
        check("STARTTLS port upgrades (chain verified as localhost), AUTH only after",
              t_starttls)
        check("implicit-TLS port handshakes before the greeting", t_implicit_tls)
        check("AUTH PLAIN over STARTTLS: 235 right, 535 wrong", t_auth("PLAIN", starttls_session))
        check("AUTH LOGIN over STARTTLS: 235 right, 535 wrong", t_auth("LOGIN", starttls_session))
        check("AUTH CRAM-MD5 over STARTTLS: 235 right, 535 wrong",
              t_auth("CRAM-MD5", starttls_session))
        check("AUTH PLAIN over implicit TLS: 235 right, 535 wrong", t_auth("PLAIN", ssl_session))
        check("mail to any domain lands in the mbox file and nowhere else", t_deliver)
        check("--tls-max 1.2 makes a TLSv1.2-only server", t_tls12_only)
        check("every path in the config is in the run dir, build/mta or the private dir; "
              "no panic", t_paths)
        check("stop by PID leaves no process, listener or private dir behind; logs kept",
              t_stop)
    finally:
        if _failed or os.environ.get("MTA_KEEP"):
            m.stop()
            print(f"# run dir kept: {m.run_dir}")
        else:
            m.remove()
    return 1 if _failed else 0


if __name__ == "__main__":
    sys.exit(main())
