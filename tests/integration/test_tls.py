#!/usr/bin/python3
"""test_tls.py -- src/net/tls.c against real TLS servers on loopback.

Drives $BUILD/tests/tls_handshake (tests/tools/tls_handshake.c) against
tests/servers/fixture_smtp.py (OpenSSL through Python's ssl module) and a
few raw sockets of its own (a server that closes, one that stays silent).
The same file runs against both builds:

    make build-tests && tests/run.sh test_tls                      # 2.28
    make test-mbedtls3 T=test_tls                                  # 3.6

It asks the driver which library is linked (--version-info) and expects
what that library can do: 2.28 completes TLSv1..TLSv1.2 and fails
against a TLSv1.3-only server; 3.6 completes TLSv1.2..TLSv1.3 and fails
against TLSv1/TLSv1.1-only servers.  Every expectation names the exact
value, so a wrong library guess fails too.
"""

import os
import socket
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
import swtest  # noqa: E402

BUILD = os.environ.get("BUILD", "build")
DRIVER = os.path.join(swtest.repo_root(), BUILD, "tests", "tls_handshake")
NOT_TRUSTED = 0x08      # MBEDTLS_X509_BADCERT_NOT_TRUSTED: no CA was given
OLD = "DEFAULT:@SECLEVEL=0"     # lets OpenSSL 3 speak TLSv1/TLSv1.1


def handshake(port, *args, timeout=10):
    """Runs the driver; returns (exit status, {key: value}, raw output)."""
    proc = swtest.run([DRIVER, "127.0.0.1", port, *args], timeout=timeout + 20)
    kv = {}
    for line in proc.stdout.splitlines():
        key, sep, value = line.partition("=")
        if sep:
            kv.setdefault(key, value)
    return proc.returncode, kv, proc.stdout + proc.stderr


class Lib:
    """What the linked mbedTLS is and can do, from the driver itself."""

    def __init__(self):
        proc = swtest.run([DRIVER, "--version-info"])
        kv = dict(l.split("=", 1) for l in proc.stdout.splitlines() if "=" in l)
        self.text = proc.stdout + proc.stderr
        self.name = kv.get("library", "")
        self.min = kv.get("min")
        self.max = kv.get("max")
        self.v3 = self.name.lower().startswith("mbed tls 3.")
        self.v2 = self.name.lower().startswith("mbed tls 2.")


class RawServer:
    """One-connection loopback server: 'close' reads the ClientHello and
    closes, 'silent' accepts and says nothing until the test is done."""

    def __init__(self, mode):
        self.mode = mode
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(1)
        self.sock.settimeout(15)
        self.port = self.sock.getsockname()[1]
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)

    def _serve(self):
        try:
            conn, _ = self.sock.accept()
        except OSError:
            return
        with conn:
            if self.mode == "close":
                conn.settimeout(5)
                try:
                    conn.recv(4096)
                except OSError:
                    pass
            else:
                self.done.wait(15)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.done.set()
        self.thread.join(20)
        self.sock.close()
        return False


def ok_handshake(t, name, rc, kv, out, version, chain=2):
    t.check(f"{name}: completes (exit 0)", rc == 0, out)
    t.check(f"{name}: version={version}", kv.get("version") == version, out)
    t.check(f"{name}: failure=none, alert=-1",
            kv.get("failure") == "none" and kv.get("alert") == "-1", out)
    t.check(f"{name}: chain={chain}", kv.get("chain") == str(chain), out)
    flags = int(kv.get("verify_flags", "0xffffffff"), 16)
    t.check(f"{name}: verify_flags says untrusted (no CA given), nothing else",
            flags == NOT_TRUSTED, out)
    t.check(f"{name}: transcript note names version and suite",
            kv.get("note") == f"TLS handshake: {version} {kv.get('suite')}"
            and kv.get("suite", "").startswith("TLS_"), out)


def test_library(t, lib):
    t.check("--version-info names an mbed TLS 2.x or 3.x library",
            lib.v2 or lib.v3, lib.text)
    want = ("TLSv1.2", "TLSv1.3") if lib.v3 else ("TLSv1", "TLSv1.2")
    t.check(f"range is {want[0]}..{want[1]} for {lib.name}",
            (lib.min, lib.max) == want, lib.text)
    if "m3" in os.path.basename(BUILD.rstrip("/")):
        t.check("BUILD=build/m3 is linked against mbedTLS 3.6", lib.name.
                lower().startswith("mbed tls 3.6"), lib.text)


def test_starttls(t, lib):
    with swtest.Fixture(mode="starttls") as fx:
        rc, kv, out = handshake(fx.port, "--starttls", "--sni", "localhost")
        ok_handshake(t, "STARTTLS", rc, kv, out, lib.max)
        t.check("STARTTLS: EHLO over the protected channel gets 250",
                kv.get("tls_ehlo") == "250", out)
        t.check("STARTTLS: server saw SNI localhost and our version",
                fx.wait_log(f"TLS {lib.max} ") and "sni=localhost" in
                fx.log_text(), fx.log_text())


def test_implicit(t, lib):
    with swtest.Fixture(mode="ssl") as fx:
        rc, kv, out = handshake(fx.port, "--smtp")
        ok_handshake(t, "implicit TLS", rc, kv, out, lib.max)
        t.check("implicit TLS: greeting and EHLO over TLS",
                kv.get("tls_ehlo") == "250", out)
        t.check("implicit TLS: no SNI for an IP literal",
                fx.wait_log("sni=-"), fx.log_text())
    with swtest.Fixture(mode="ssl", tls_max="TLSv1.2") as fx:
        rc, kv, out = handshake(fx.port, "--smtp")
        ok_handshake(t, "TLSv1.2-only server", rc, kv, out, "TLSv1.2")


def test_tls12_server_order(t, lib):
    """3.6.6 offers RSA-PSS for TLS 1.3 but rejects it in a TLS 1.2
    ServerKeyExchange; tls.c lists PKCS#1 first, which helps unless the
    server prefers its own order.  Then the message must say what to do."""
    with swtest.Fixture(mode="ssl", tls_max="TLSv1.2", server_order=True) as fx:
        rc, kv, out = handshake(fx.port)
        if lib.v2:
            ok_handshake(t, "TLSv1.2 server, server order", rc, kv, out,
                         "TLSv1.2")
            return
        t.check("TLSv1.2 server, server order: completes, or says to retry "
                "with TLSv1.2 only", (rc == 0 and kv.get("version") == "TLSv1.2")
                or "retry with TLSv1.2 only" in kv.get("error", ""), out)
        t.diag("server order on %s: %s" % (lib.name, "completed" if rc == 0
                                            else kv.get("error")))
        rc, kv, out = handshake(fx.port, "--max", "TLSv1.2")
        ok_handshake(t, "TLSv1.2 server, server order, --max TLSv1.2", rc,
                     kv, out, "TLSv1.2")
    with swtest.Fixture(mode="ssl", tls_max="TLSv1.2", pki_cert="ecdsa") as fx:
        rc, kv, out = handshake(fx.port)
        ok_handshake(t, "TLSv1.2 server, ECDSA key", rc, kv, out, "TLSv1.2")


def test_tls13_only(t, lib):
    with swtest.Fixture(mode="ssl", tls_min="TLSv1.3") as fx:
        rc, kv, out = handshake(fx.port, "--smtp")
    if lib.v3:
        ok_handshake(t, "TLSv1.3-only server", rc, kv, out, "TLSv1.3")
        return
    t.check("TLSv1.3-only server: fails (exit 1)", rc == 1, out)
    t.check("TLSv1.3-only server: failure=version or alert",
            kv.get("failure") in ("version", "alert"), out)
    err = kv.get("error", "")
    t.check("TLSv1.3-only server: message names the versions this build has",
            "no TLS version in common" in err and
            f"can do {lib.min} to {lib.max}" in err, out)


def test_old_versions(t, lib):
    for v in ("TLSv1", "TLSv1.1"):
        with swtest.Fixture(mode="ssl", tls_min=v, tls_max=v, ciphers=OLD) as fx:
            rc, kv, out = handshake(fx.port)
        if lib.v2:
            ok_handshake(t, f"{v}-only server", rc, kv, out, v)
            continue
        t.check(f"{v}-only server: fails with failure=version, alert=70",
                rc == 1 and kv.get("failure") == "version" and
                kv.get("alert") == "70", out)
        t.check(f"{v}-only server: message names alert and versions",
                "alert 70 (protocol_version)" in kv.get("error", "") and
                "offered TLSv1.2 to TLSv1.3" in kv.get("error", ""), out)


def test_version_range(t, lib):
    with swtest.Fixture(mode="ssl", tls_max="TLSv1.2") as fx:
        rc, kv, out = handshake(fx.port, "--min", "TLSv1.3")
    if lib.v3:
        t.check("--min TLSv1.3 vs TLSv1.2 server: failure=version",
                rc == 1 and kv.get("failure") == "version", out)
        t.check("--min TLSv1.3: message says TLSv1.3 only was offered",
                "offered TLSv1.3 only" in kv.get("error", ""), out)
    else:
        t.check("--min TLSv1.3 on 2.28: refused, no ClientHello sent",
                rc == 1 and kv.get("failure") == "version" and
                kv.get("code") == "invalid arguments", out)
        t.check("--min TLSv1.3 on 2.28: message says what this build can do",
                f"can do {lib.min} to {lib.max} only" in kv.get("error", ""),
                out)


def test_chain(t, lib):
    pki = swtest.pki()
    cert = os.path.join(pki, "leaf.pem")
    with swtest.Fixture(mode="ssl", cert=cert,
                        key=os.path.join(pki, "leaf.key")) as fx:
        rc, kv, out = handshake(fx.port)
    ok_handshake(t, "leaf without intermediate", rc, kv, out, lib.max, chain=1)


def test_suites(t, lib):
    cases = [("c030", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLSv1.2"),
             ("c02f", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLSv1.2")]
    if lib.v3:
        cases.append(("1302", "TLS_AES_256_GCM_SHA384", "TLSv1.3"))
    for hexid, name, version in cases:
        # A server that can do TLS 1.3 too: on 3.6 a TLS 1.2-only suite
        # list must cap the offer at TLS 1.2 by itself.
        with swtest.Fixture(mode="starttls") as fx:
            rc, kv, out = handshake(fx.port, "--starttls", "--suite", hexid)
        t.check(f"--suite {hexid}: negotiates {name} over {version}",
                rc == 0 and kv.get("suite") == name and
                kv.get("suite_id") == "0x" + hexid and
                kv.get("version") == version, out)
    if lib.v2:
        with swtest.Fixture(mode="ssl") as fx:
            rc, kv, out = handshake(fx.port, "--suite", "1302")
        t.check("--suite 1302 on 2.28: refused, library knows no TLS 1.3 suite",
                rc == 1 and "supports none of the 1 cipher suites" in
                kv.get("error", ""), out)
    with swtest.Fixture(mode="ssl", tls_max="TLSv1.2",
                        ciphers="ECDHE-RSA-AES128-GCM-SHA256") as fx:
        rc, kv, out = handshake(fx.port, "--suite", "c030")
    t.check("no suite in common: failure=alert, alert=40",
            rc == 1 and kv.get("failure") == "alert" and
            kv.get("alert") == "40", out)
    t.check("no suite in common: message names the alert",
            "alert 40 (handshake_failure)" in kv.get("error", ""), out)


def test_not_tls(t, lib):
    banner = "mail.example.test ESMTP \x1b[31mred\x1b[0m " + "x" * 80
    with swtest.Fixture(mode="plain", banner=banner) as fx:
        rc, kv, out = handshake(fx.port)
    err = kv.get("error", "")
    t.check("plain-text port: failure=not-tls", rc == 1 and
            kv.get("failure") == "not-tls", out)
    t.check("plain-text port: message quotes the greeting",
            "it sent plain text: '220 mail.example.test ESMTP" in err, out)
    quoted = err.split("'")[1] if err.count("'") >= 2 else ""
    t.check("plain-text port: quote sanitised and at most 60 chars",
            0 < len(quoted) <= 60 and "\x1b" not in err and
            all(" " <= ch <= "~" for ch in err), repr(err))


def test_closed(t, lib):
    with RawServer("close") as srv:
        rc, kv, out = handshake(srv.port)
    t.check("server closes after ClientHello: failure=closed",
            rc == 1 and kv.get("failure") == "closed", out)
    t.check("server closes: message says so",
            "closed the connection during the TLS handshake"
            in kv.get("error", ""), out)


def test_timeout(t, lib):
    with RawServer("silent") as srv:
        start = time.monotonic()
        rc, kv, out = handshake(srv.port, "--timeout", "1")
        secs = time.monotonic() - start
    t.check("silent server: times out within the deadline",
            rc == 1 and kv.get("code") == "timed out" and secs < 4,
            f"{secs:.1f}s\n{out}")
    t.check("silent server: message names the limit",
            "did not complete the TLS handshake within 1 s"
            in kv.get("error", ""), out)


def test_cancel(t, lib):
    with RawServer("silent") as srv:
        start = time.monotonic()
        rc, kv, out = handshake(srv.port, "--timeout", "10",
                                "--cancel-after", "300")
        secs = time.monotonic() - start
    t.check("cancel fd during the handshake: stops promptly",
            rc == 1 and kv.get("code") == "cancelled" and secs < 3,
            f"{secs:.1f}s\n{out}")


def main():
    if not os.access(DRIVER, os.X_OK):
        swtest.skip_all(f"{DRIVER} not built (make build-tests)")
    lib = Lib()
    with swtest.Suite() as t:
        t.diag(f"linked: {lib.name} ({lib.min} to {lib.max})")
        for test in (test_library, test_starttls, test_implicit,
                     test_tls12_server_order, test_tls13_only,
                     test_old_versions, test_version_range, test_chain, test_suites, test_not_tls, test_closed,
                     test_timeout, test_cancel):
            test(t, lib)


if __name__ == "__main__":
    main()
