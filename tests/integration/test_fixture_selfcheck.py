#!/usr/bin/python3
"""Self-check of the test bed: fixture_smtp.py and the test PKI, driven by
Python's own smtplib/ssl.  If this fails, smtpwiz integration test failures
mean nothing -- fix the bed first.  TAP output; needs no smtpwiz binary.
"""

import base64
import os
import socket
import smtplib
import ssl
import sys
import threading
import time
import warnings

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import swtest  # noqa: E402

PKI = swtest.pki()
ROOT = os.path.join(PKI, "root.pem")
USERS = {"alice": "s3cret"}
T = 5  # client socket timeout; nothing here should take longer


def client_ctx(cafile=ROOT, tls_min=None, tls_max=None, ciphers=None):
    """A verifying client context, as Jakarta Mail with checkserveridentity would be."""
    ctx = ssl.create_default_context(cafile=cafile)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        if ciphers:
            ctx.set_ciphers(ciphers)
        if tls_min:
            ctx.minimum_version = tls_min
        if tls_max:
            ctx.maximum_version = tls_max
    return ctx


def smtp(fx):
    """Connected smtplib client; the greeting is kept in .welcome (smtplib drops it)."""
    s = smtplib.SMTP(local_hostname="client.test", timeout=T)
    s._host = "localhost"          # what starttls() sends as SNI and verifies
    code, s.welcome = s.connect(fx.host, fx.port)
    if code != 220:
        s.close()
        raise smtplib.SMTPConnectError(code, s.welcome)
    return s


def starttls(fx, ctx=None):
    s = smtp(fx)
    s.ehlo()
    s.starttls(context=ctx or client_ctx())
    return s


def tls_connect(fx, ctx):
    """Raw implicit-TLS connect; returns (version, cipher) or the error text."""
    with socket.create_connection(fx.addr, timeout=T) as raw:
        try:
            with ctx.wrap_socket(raw, server_hostname="localhost") as tls:
                return tls.version(), tls.cipher()[0]
        except (ssl.SSLError, OSError) as e:
            return str(e)


def plain_sock_exchange(fx, lines, read_greeting=True):
    """Send raw lines, return everything the server said until it closed or went quiet."""
    with socket.create_connection(fx.addr, timeout=T) as s:
        got = b""
        if read_greeting:
            got += s.recv(4096)
        for line in lines:
            s.sendall(line)
            time.sleep(0.05)
        s.settimeout(0.5)
        try:
            while True:
                chunk = s.recv(4096)
                if not chunk:
                    break
                got += chunk
        except (socket.timeout, ConnectionResetError):
            pass                   # quiet, or closed with unread data (RST)
        return got.decode("utf-8", "replace")


def verify_error(fx):
    """Implicit-TLS connect as "localhost": "verified" (and greeted) or OpenSSL's reason."""
    try:
        with socket.create_connection(fx.addr, timeout=T) as raw, \
                client_ctx().wrap_socket(raw, server_hostname="localhost") as tls:
            greeting = tls.recv(100)
        return "verified" if greeting.startswith(b"220 ") else f"greeting {greeting!r}"
    except ssl.SSLCertVerificationError as e:
        return e.verify_message
    except (ssl.SSLError, OSError) as e:
        return f"other: {e!r}"


with swtest.Suite() as t:
    # ---- modes -------------------------------------------------------------
    with swtest.Fixture(mode="plain") as fx:
        s = smtp(fx)
        greeting = s.welcome
        t.check("plain: greeting", greeting.startswith(b"fixture.smtpwiz.test ESMTP"), greeting)
        code, msg = s.ehlo()
        caps = msg.decode().split("\n")
        t.check("plain: EHLO 250 with default extras",
                code == 250 and caps[1:] == ["PIPELINING", "SIZE 10240000",
                                             "8BITMIME", "ENHANCEDSTATUSCODES"], caps)
        t.check("plain: no STARTTLS, no AUTH without --auth",
                not s.has_extn("starttls") and not s.has_extn("auth"), caps)
        t.check("plain: VRFY 502", s.verify("x")[0] == 502)
        t.check("plain: NOOP 250", s.noop()[0] == 250)
        t.check("plain: RSET 250", s.rset()[0] == 250)
        t.check("plain: unknown command 500 5.5.2",
                s.docmd("FROB") == (500, b"5.5.2 Error: command not recognized"))
        t.check("plain: STARTTLS not implemented", s.docmd("STARTTLS")[0] == 502)
        t.check("plain: RCPT before MAIL 503", s.rcpt("a@b")[0] == 503)
        s.sendmail("sender@client.test", ["rcpt1@fixture.test", "rcpt2@fixture.test"],
                   "Subject: selfcheck\r\n\r\nFrom the body\r\n.leading dot\r\nend\r\n")
        t.check("plain: QUIT 221", s.quit()[0] == 221)
        box = fx.mailbox_text()
        t.check("plain: DATA lands in the mailbox",
                "From sender@client.test " in box
                and "X-Fixture-Rcpt: rcpt2@fixture.test" in box
                and "Subject: selfcheck" in box
                and "\n>From the body\n" in box       # mbox quoting
                and "\n.leading dot\n" in box,        # dot-unstuffed
                box)
        t.check("plain: log has the commands",
                fx.commands()[:2] == ["ehlo client.test", "vrfy x"], fx.log_text())
    t.check("plain: SIGTERM exits cleanly", fx.returncode == 0, fx._cache.get("stderr"))

    idle = socket.socket()
    with swtest.Fixture() as fx:
        idle.connect(fx.addr)               # a client that never says anything
        start = time.monotonic()
    took = time.monotonic() - start
    idle.close()
    t.check("SIGTERM with an idle client open: exits 0 at once",
            fx.returncode == 0 and took < 1, (fx.returncode, took))

    with swtest.Fixture(mode="starttls", auth="PLAIN LOGIN", passwords=USERS) as fx:
        s = smtp(fx)
        s.ehlo()
        t.check("starttls: STARTTLS offered, AUTH only after TLS",
                s.has_extn("starttls") and not s.has_extn("auth"), s.esmtp_features)
        t.check("starttls: AUTH in the clear -> 538 5.7.11",
                s.docmd("AUTH PLAIN", base64.b64encode(b"\0alice\0s3cret").decode())
                == (538, b"5.7.11 Encryption required for requested authentication mechanism"))
        code, _ = s.starttls(context=client_ctx())
        t.check("starttls: upgrade verified against root.pem as localhost",
                code == 220 and s.sock.version() is not None)
        # smtplib forgets EHLO itself; talk raw to see the server forgot too.
        t.check("starttls: server forgot EHLO after STARTTLS (MAIL -> 503)",
                s.docmd("MAIL FROM:<a@b>")[0] == 503)
        s.ehlo()
        t.check("starttls: second EHLO has AUTH and no STARTTLS",
                s.has_extn("auth") and not s.has_extn("starttls"), s.esmtp_features)
        try:
            s.login("alice", "wrong")
            res = "accepted"
        except smtplib.SMTPAuthenticationError as e:
            res = (e.smtp_code, e.smtp_error)
        t.check("starttls: AUTH PLAIN wrong password -> 535 5.7.8",
                res == (535, b"5.7.8 Authentication credentials invalid"), res)
        s.close()
        s = starttls(fx)
        s.ehlo()
        t.check("starttls: AUTH PLAIN right password -> 235",
                s.login("alice", "s3cret") == (235, b"2.7.0 Authentication successful"))
        s.quit()
        s = starttls(fx)
        s.ehlo()
        s.user, s.password = "alice", "s3cret"
        t.check("starttls: AUTH LOGIN -> 235",
                s.auth("LOGIN", s.auth_login, initial_response_ok=False)[0] == 235)
        s.quit()
        # A client that pipelines after STARTTLS (CVE-2011-0411) must not
        # get its plaintext executed inside TLS.
        with socket.create_connection(fx.addr, timeout=T) as raw:
            raw.recv(1000)
            raw.sendall(b"EHLO x\r\n")
            raw.recv(1000)
            raw.sendall(b"STARTTLS\r\nEHLO injected\r\n")
            ready = raw.recv(1000)
            with client_ctx().wrap_socket(raw, server_hostname="localhost") as tls:
                tls.sendall(b"NOOP\r\n")
                after = tls.recv(1000)
        t.check("starttls: plaintext pipelined after STARTTLS is discarded",
                ready.startswith(b"220 ") and after.startswith(b"250 ")
                and "NOTE discarded 15 bytes" in fx.log_text()
                and "EHLO injected" not in fx.log_text(), (ready, after, fx.log_text()))
        t.check("starttls: TLS handshake logged with SNI",
                " TLS TLSv1.3 " in fx.log_text() and "sni=localhost" in fx.log_text(),
                fx.log_text())

    with swtest.Fixture(mode="ssl") as fx:
        with smtplib.SMTP_SSL(fx.host, fx.port, context=client_ctx(), timeout=T,
                              local_hostname="client.test") as s:
            s.ehlo()
            t.check("ssl: implicit TLS greeting and EHLO",
                    s.sock.version() == "TLSv1.3" and not s.has_extn("starttls"),
                    s.esmtp_features)
        t.check("ssl: plaintext client gets nothing sensible, server survives",
                "220" not in plain_sock_exchange(fx, [b"EHLO x\r\n"], read_greeting=False)
                and verify_error(fx) == "verified")

    # ---- AUTH mechanisms ---------------------------------------------------
    with swtest.Fixture(mode="plain", auth="PLAIN CRAM-MD5 XOAUTH2 NTLM",
                        passwords=USERS, require_auth=True) as fx:
        s = smtp(fx)
        s.ehlo()
        t.check("plain mode offers AUTH in the clear",
                s.esmtp_features.get("auth", "").split()
                == ["PLAIN", "CRAM-MD5", "XOAUTH2", "NTLM"], s.esmtp_features)
        t.check("require-auth: MAIL before AUTH -> 530",
                s.docmd("MAIL FROM:<a@b>") == (530, b"5.7.0 Authentication required"))
        s.user, s.password = "alice", "s3cret"
        t.check("CRAM-MD5 -> 235", s.auth("CRAM-MD5", s.auth_cram_md5)[0] == 235)
        t.check("AUTH twice -> 503", s.docmd("AUTH PLAIN")[0] == 503)
        s.close()
        s = smtp(fx)
        s.ehlo()
        good = base64.b64encode(b"user=alice\x01auth=Bearer s3cret\x01\x01").decode()
        bad = base64.b64encode(b"user=alice\x01auth=Bearer nope\x01\x01").decode()
        code, msg = s.docmd("AUTH XOAUTH2", bad)
        t.check("XOAUTH2 bad token -> 334 JSON error", code == 334
                and b'"status": "401"' in base64.b64decode(msg), (code, msg))
        t.check("XOAUTH2 then 535 after the empty line", s.docmd("")[0] == 535)
        t.check("XOAUTH2 good token -> 235", s.docmd("AUTH XOAUTH2", good)[0] == 235)
        s.close()
        s = smtp(fx)
        s.ehlo()
        t.check("advertised but unimplemented mechanism -> 504",
                s.docmd("AUTH NTLM")[0] == 504)
        t.check("unadvertised mechanism -> 504", s.docmd("AUTH GSSAPI")[0] == 504)
        s.sock.sendall(b"AUTH PLAIN\r\n")
        t.check("empty SASL challenge is '334 ' with its space",
                s.sock.recv(100) == b"334 \r\n")
        t.check("'*' aborts -> 501", s.docmd("*")[0] == 501)
        t.check("'*' aborts (again) -> 501", s.docmd("AUTH PLAIN")[0] == 334
                and s.docmd("*")[0] == 501)
        s.close()

    with swtest.Fixture(mode="starttls", auth="PLAIN", auth_in_clear=True,
                        passwords=USERS) as fx:
        s = smtp(fx)
        s.ehlo()
        t.check("auth-in-clear: AUTH offered before STARTTLS",
                s.has_extn("auth") and s.has_extn("starttls"))
        t.check("auth-in-clear: AUTH accepted before STARTTLS",
                s.login("alice", "s3cret")[0] == 235)
        s.close()

    # ---- faults --------------------------------------------------------------
    with swtest.Fixture(mode="starttls", require_tls=True) as fx:
        s = smtp(fx)
        s.ehlo()
        t.check("require-tls: MAIL before STARTTLS -> 530",
                s.docmd("MAIL FROM:<a@b>") == (530, b"5.7.0 Must issue a STARTTLS command first"))
        s.starttls(context=client_ctx())
        s.ehlo()
        t.check("require-tls: MAIL after STARTTLS -> 250", s.mail("a@b")[0] == 250)
        s.close()

    with swtest.Fixture(mode="starttls", no_starttls=True) as fx:
        s = smtp(fx)
        s.ehlo()
        t.check("no-starttls: not advertised", not s.has_extn("starttls"), s.esmtp_features)
        t.check("no-starttls: STARTTLS -> 502", s.docmd("STARTTLS")[0] == 502)
        s.close()

    with swtest.Fixture(mode="starttls", starttls_454=True) as fx:
        s = smtp(fx)
        s.ehlo()
        t.check("starttls-454: advertised, answered 454",
                s.has_extn("starttls") and s.docmd("STARTTLS")
                == (454, b"4.7.0 TLS not available due to temporary reason"))
        s.close()

    with swtest.Fixture(greeting_delay=1.5) as fx:
        start = time.monotonic()
        s = smtp(fx)
        waited = time.monotonic() - start
        t.check("greeting-delay 1.5 s is honoured", 1.4 <= waited < 4, waited)
        s.close()
        # A client that talks first is noted (postscreen's PREGREET).
        plain_sock_exchange(fx, [b"EHLO early\r\n"], read_greeting=False)
        t.check("greeting-delay: pregreet is logged",
                fx.wait_log("NOTE pregreet"), fx.log_text())

    with swtest.Fixture(multiline_greeting=True, banner="mx.example ESMTP ready") as fx:
        s = smtp(fx)
        lines = s.welcome.split(b"\n")
        t.check("multiline-greeting: 3 lines, banner first",
                len(lines) == 3 and lines[0] == b"mx.example ESMTP ready", lines)
        s.close()

    with swtest.Fixture(greeting_421=True) as fx:
        try:
            smtp(fx).close()
            res = "connected"
        except smtplib.SMTPConnectError as e:
            res = (e.smtp_code, e.smtp_error)
        t.check("greeting-421: 421 4.7.0 and close",
                res == (421, b"4.7.0 Try again later, closing connection"), res)

    with swtest.Fixture(close_after_ehlo=True) as fx:
        s = smtp(fx)
        code, _ = s.ehlo()
        try:
            s.noop()
            res = "still open"
        except smtplib.SMTPServerDisconnected:
            res = "closed"
        t.check("close-after-ehlo: EHLO answered, then closed",
                code == 250 and res == "closed", (code, res))

    with swtest.Fixture(ehlo_extra="SMTPUTF8,SIZE 1000", idle_timeout=1) as fx:
        s = smtp(fx)
        s.ehlo()
        t.check("ehlo-extra replaces the defaults",
                list(s.esmtp_features) == ["smtputf8", "size"], s.esmtp_features)
        time.sleep(1.5)
        t.check("idle timeout -> 421 4.4.2", s.getreply()[0] == 421)
        out = plain_sock_exchange(fx, [b"X" * 5000 + b"\r\n"])
        t.check("line over 4096 bytes -> 500 5.5.6", "500 5.5.6" in out, out)

    # ---- TLS versions, ciphers, PKI ------------------------------------------
    with swtest.Fixture(mode="ssl", tls_max="TLSv1.2") as fx:
        res = tls_connect(fx, client_ctx(tls_min=ssl.TLSVersion.TLSv1_3))
        t.check("TLSv1.2-max server refuses a TLSv1.3-only client",
                isinstance(res, str) and "version" in res.lower(), res)
        t.check("... and logs the failure", fx.wait_log("TLS-FAIL"), fx.log_text())
        res = tls_connect(fx, client_ctx())
        t.check("... and still serves TLS 1.2",
                isinstance(res, tuple) and res[0] == "TLSv1.2", res)

    # Many failing handshakes at once must only end those connections.
    with swtest.Fixture(mode="ssl") as fx:
        def junk(i):
            try:
                with socket.create_connection(fx.addr, timeout=T) as s:
                    s.sendall(b"\x16\x03\x01\x00\x05" + bytes([i]) * 5 if i % 2
                              else b"GET / HTTP/1.0\r\n\r\n")
                    s.recv(100)
            except OSError:
                pass
        threads = [threading.Thread(target=junk, args=(i,)) for i in range(16)]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        t.check("16 parallel garbage ClientHellos do not hurt the server",
                verify_error(fx) == "verified" and fx.log_text().count("TLS-FAIL") == 16,
                fx.log_text())

    with swtest.Fixture(mode="ssl", tls_min="TLSv1", tls_max="TLSv1") as fx:
        res = tls_connect(fx, client_ctx(tls_min=ssl.TLSVersion.TLSv1,
                                         ciphers="DEFAULT:@SECLEVEL=0"))
        t.check("TLSv1-only server without @SECLEVEL=0 cannot handshake",
                isinstance(res, str), res)
    with swtest.Fixture(mode="ssl", tls_min="TLSv1", tls_max="TLSv1.1",
                        ciphers="DEFAULT:@SECLEVEL=0") as fx:
        for want, v in (("TLSv1", ssl.TLSVersion.TLSv1), ("TLSv1.1", ssl.TLSVersion.TLSv1_1)):
            res = tls_connect(fx, client_ctx(tls_min=v, tls_max=v,
                                             ciphers="DEFAULT:@SECLEVEL=0"))
            t.check(f"{want} works with --ciphers DEFAULT:@SECLEVEL=0",
                    isinstance(res, tuple) and res[0] == want, res)

    for name, want in (("expired", "certificate has expired"),
                       ("notyet", "certificate is not yet valid"),
                       ("selfsigned", "self-signed certificate"),
                       ("wrongname", "Hostname mismatch"),
                       ("leaf", "verified"),
                       ("soon", "verified"),
                       ("ecdsa", "verified")):
        with swtest.Fixture(mode="ssl", pki_cert=name) as fx:
            res = verify_error(fx)
            t.check(f"pki {name}: {want}", want in res, res)
    with swtest.Fixture(mode="ssl", cert=os.path.join(PKI, "leaf.pem"),
                        key=os.path.join(PKI, "leaf.key")) as fx:
        res = verify_error(fx)
        t.check("pki leaf without intermediate: unable to get local issuer",
                "unable to get local issuer" in res, res)

    for name in ("weakkey", "sha1"):
        try:
            with swtest.Fixture(mode="ssl", pki_cert=name):
                res = "started"
        except RuntimeError as e:
            res = str(e)
        t.check(f"pki {name}: refused at the default security level",
                "too small" in res or "too weak" in res, res)
        with swtest.Fixture(mode="ssl", pki_cert=name, ciphers="DEFAULT:@SECLEVEL=0") as fx:
            res = tls_connect(fx, client_ctx(ciphers="DEFAULT:@SECLEVEL=0"))
            t.check(f"pki {name}: served with @SECLEVEL=0", isinstance(res, tuple), res)

    with swtest.Fixture(mode="ssl", ciphersuites="TLS_CHACHA20_POLY1305_SHA256",
                        groups="X25519") as fx:
        res = tls_connect(fx, client_ctx())
        t.check("ciphersuites: TLS 1.3 suite chosen by the server",
                res == ("TLSv1.3", "TLS_CHACHA20_POLY1305_SHA256"), res)
        ctx = client_ctx()
        ctx.set_ecdh_curve("prime256v1")     # the only group this client offers
        res = tls_connect(fx, ctx)
        t.check("groups: P-256-only client refused by an X25519-only server",
                isinstance(res, str), res)

    a, b = "ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-RSA-AES256-GCM-SHA384"
    for order in (False, True):
        with swtest.Fixture(mode="ssl", tls_max="TLSv1.2", ciphers=f"{b}:{a}",
                            server_order=order) as fx:
            res = tls_connect(fx, client_ctx(ciphers=f"{a}:{b}"))
            want = b if order else a
            t.check(f"server-order={order}: {want} negotiated",
                    isinstance(res, tuple) and res[1] == want, res)

    # ---- IPv6 ----------------------------------------------------------------
    try:
        socket.socket(socket.AF_INET6).bind(("::1", 0))
        have_v6 = True
    except OSError:
        have_v6 = False
    if not have_v6:
        t.skip("IPv6 ::1 starttls", "no IPv6 loopback here")
    else:
        with swtest.Fixture(host="::1", mode="starttls") as fx:
            s = smtplib.SMTP("::1", fx.port, timeout=T)
            s.ehlo()
            s.starttls(context=client_ctx())   # server_hostname "::1": IP SAN
            t.check("IPv6 ::1 starttls verified against IP:::1",
                    s.sock.version() is not None)
            s.close()
