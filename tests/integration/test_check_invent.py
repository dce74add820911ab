#!/usr/bin/python3
"""Issue 11, "fixes never invent facts", end to end with `smtpwiz check`
against the fixture server.  TAP output.

- A certificate issued for another name: no finding suggests a
  mail.smtp.host taken from it, the settings block keeps the host the
  user gave, and a name from the certificate is named as advice only
  when it is a valid host name that resolves ("localhost"); hostile SAN
  text (${...}, quotes, '#', '=', blanks, wildcards) never reaches a
  suggestion, the advice or the block.
- ssl.trust=* over an expired chain is not "not needed"; an SSL
  socketFactory.class is judged as implicit TLS.
- An EHLO over TLS that fails (the connection closes, 554, an endless
  "250-" reply; after STARTTLS and over implicit TLS): step 1 fails
  with the exception Java would throw, instead of passing.
"""

import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import swtest  # noqa: E402

SW = swtest.smtpwiz_bin()

HOSTILE = ["${jndi:ldap://x.example/a}", '"q.example"', "x.example#y",
           "mail.example.com=x", "a b.example", "*.example.com",
           "wrong.example.invalid"]


def check(port, steps, *args, host="127.0.0.1", timeout=90):
    target = "%s:%d" % (host, port)
    return swtest.run_json([SW, "check", "--steps", steps, "--format", "json",
                            *args, target], timeout=timeout)


def step(data, n):
    steps = (data or {}).get("steps", [])
    return steps[n - 1] if len(steps) >= n else {}


def finding(data, n, fid):
    for f in step(data, n).get("findings", []):
        if f["id"] == fid:
            return f
    return None


def all_suggestions(data):
    """Every (key, value) any finding of any step suggests."""
    out = []
    for s in (data or {}).get("steps", []):
        for f in s.get("findings", []):
            out += list(f.get("suggest", {}).items())
    return out


def make_cert(directory, name, sans):
    """A self-signed certificate with the given DNS SANs (openssl escapes
    '$', '"' and '#' in -addext); returns (cert, key)."""
    cert = os.path.join(directory, name + ".pem")
    key = os.path.join(directory, name + ".key")
    esc = [s.replace("\\", "\\\\").replace("$", "\\$").replace('"', '\\"')
           .replace("#", "\\#") for s in sans]
    ext = "subjectAltName=" + ", ".join("DNS:" + s for s in esc)
    r = subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                        "-keyout", key, "-out", cert, "-days", "30",
                        "-subj", "/CN=" + name, "-addext", ext],
                       capture_output=True, text=True, timeout=120)
    if r.returncode != 0:
        raise RuntimeError("openssl req failed: " + r.stderr)
    return cert, key


def cert_cases(t, tmp):
    ident = ["--set", "mail.smtp.ssl.checkserveridentity=true"]
    # A certificate for "localhost" only, reached as 127.0.0.1.
    cert, key = make_cert(tmp, "onlyname", ["localhost"])
    with swtest.Fixture(mode="starttls", cert=cert, key=key) as fx:
        data, code = check(fx.port, "1-2", "--mode", "starttls", "--cafile", cert,
                           *ident)
        f = finding(data, 2, "hostname-mismatch") or {}
        diag = (code, f, step(data, 2).get("verdict"))
        t.check("san localhost: hostname-mismatch fails step 2",
                f.get("severity") == "fail" and code != 0, diag)
        t.check("san localhost: no mail.smtp.host suggested",
                "mail.smtp.host" not in f.get("suggest", {}), f)
        t.check("san localhost: no finding anywhere suggests a host",
                not [kv for kv in all_suggestions(data) if kv[0] == "mail.smtp.host"],
                all_suggestions(data))
        t.check("san localhost: advice names the resolvable name and its address",
                "The certificate names localhost (it resolves to" in f.get("message", ""),
                f.get("message"))
        t.check("san localhost: the block keeps the user's host",
                data.get("properties", {}).get("mail.smtp.host") == "127.0.0.1",
                data.get("properties"))
        t.check("san localhost: checkserveridentity stays suggested",
                f.get("suggest", {}).get("mail.smtp.ssl.checkserveridentity") == "true", f)

    # Hostile SAN text first, then a name that resolves.
    cert, key = make_cert(tmp, "hostile", HOSTILE + ["localhost"])
    with swtest.Fixture(mode="starttls", cert=cert, key=key) as fx:
        data, code = check(fx.port, "1-2", "--mode", "starttls", "--cafile", cert,
                           *ident)
        f = finding(data, 2, "hostname-mismatch") or {}
        msg = f.get("message", "")
        t.check("hostile san: the chain was read",
                step(data, 2).get("data", {}).get("chain"), step(data, 2))
        t.check("hostile san: advice skips invalid names, names localhost",
                "The certificate names localhost" in msg, msg)
        for s in HOSTILE:
            t.check(f"hostile san: {s!r} is not advice", s not in msg, msg)
        values = [v for _, v in all_suggestions(data)]
        t.check("hostile san: no suggestion holds certificate text",
                not [v for v in values if any(s in v for s in HOSTILE)], values)
        props = data.get("properties", {})
        t.check("hostile san: the block has no certificate text",
                not [v for v in props.values() if any(s in v for s in HOSTILE)] and
                props.get("mail.smtp.host") == "127.0.0.1", props)

    # Only hostile or unresolvable names: no advice at all.
    cert, key = make_cert(tmp, "nothing", HOSTILE)
    with swtest.Fixture(mode="ssl", cert=cert, key=key) as fx:
        data, code = check(fx.port, "1-2", "--mode", "ssl", "--cafile", cert, *ident)
        f = finding(data, 2, "hostname-mismatch") or {}
        msg = f.get("message", "")
        t.check("no usable san: mismatch found", f.get("severity") == "fail", f)
        t.check("no usable san: no name offered",
                "The certificate names" not in msg and
                "certificate include 127.0.0.1" in msg, msg)
        t.check("no usable san: no host suggested",
                not [kv for kv in all_suggestions(data) if kv[0] == "mail.smtp.host"],
                all_suggestions(data))


def trust_and_factory_cases(t):
    pki = swtest.pki()
    root = os.path.join(pki, "root.pem")
    # ssl.trust=* over an expired chain: Java needs it, so it is not
    # "trusted without it: remove the setting" (issue 11).
    with swtest.Fixture(mode="starttls", pki_cert="expired") as fx:
        data, code = check(fx.port, "1-2", "--mode", "starttls", "--cafile", root,
                           "--set", "mail.smtp.ssl.trust=*")
        f = finding(data, 2, "ssl-trust-set") or {}
        t.check("ssl.trust=* + expired: no 'remove the setting'",
                "mail.smtp.ssl.trust" not in f.get("suggest", {}) and
                "remove the setting." not in f.get("message", "").split("fix the")[0],
                f)
        t.check("ssl.trust=* + expired: says the certificate fails Java's checks",
                "fails Java's checks" in f.get("message", ""), f)
    # socketFactory.class=javax.net.ssl.SSLSocketFactory is implicit TLS.
    sf = ["--set", "mail.smtp.socketFactory.class=javax.net.ssl.SSLSocketFactory"]
    with swtest.Fixture(mode="ssl") as fx:
        data, code = check(fx.port, "1", *sf)
        d = step(data, 1).get("data", {})
        t.check("SSL socketFactory on an SSL port: configured ssl, mode-ok",
                d.get("configured_mode") == "ssl" and
                finding(data, 1, "mode-ok") is not None, (d, code))
    with swtest.Fixture(mode="starttls") as fx:
        data, code = check(fx.port, "1", *sf)
        t.check("SSL socketFactory on a STARTTLS port: judged as SSL",
                finding(data, 1, "ssl-on-starttls-port") is not None,
                [g["id"] for g in step(data, 1).get("findings", [])])


def ehlo_cases(t):
    for mode in ("starttls", "ssl"):
        margs = ["--mode", mode]
        if mode == "starttls":
            margs += ["--set", "mail.smtp.starttls.required=true"]
        where = "after STARTTLS" if mode == "starttls" else "over implicit TLS"
        for fault in ("close", "554", "endless"):
            label = f"{mode} EHLO {fault}"
            with swtest.Fixture(mode=mode, auth="PLAIN", ehlo_tls_fault=fault) as fx:
                start = time.monotonic()
                data, code = check(fx.port, "1", *margs, timeout=60)
                took = time.monotonic() - start
                s1 = step(data, 1)
                f = finding(data, 1, "ehlo-after-tls-failed") or {}
                msg = f.get("message", "")
                diag = (code, s1.get("verdict"),
                        [(g["id"], g["message"]) for g in s1.get("findings", [])])
                t.check(f"{label}: finding, severity fail",
                        f.get("severity") == "fail", diag)
                t.check(f"{label}: step 1 fails, exit 1",
                        s1.get("verdict") == "fail" and code == 1, diag)
                t.check(f"{label}: says where", where in msg, msg)
                t.check(f"{label}: TLS itself worked",
                        s1.get("data", {}).get("tls_ok") is True, s1.get("data"))
                t.check(f"{label}: took < 30 s", took < 30, took)
                if fault == "close":
                    t.check(f"{label}: Java's [EOF]",
                            "MessagingException: [EOF]" in msg, msg)
                elif fault == "554":
                    t.check(f"{label}: the reply quoted",
                            "554" in msg and "rejected after TLS" in msg, msg)
                    t.check(f"{label}: what Java does next",
                            ("HELO" in msg) if mode == "ssl" else
                            ("ignores that failure" in msg), msg)
                else:
                    t.check(f"{label}: the limit and Java's hang named",
                            "lines" in msg and "hangs" in msg, msg)


def main():
    with swtest.Suite() as t:
        tmp = tempfile.mkdtemp(prefix="swtest-invent-")
        try:
            cert_cases(t, tmp)
            trust_and_factory_cases(t)
            ehlo_cases(t)
        finally:
            swtest.remove_dir(tmp, "test_check_invent")


if __name__ == "__main__":
    main()
