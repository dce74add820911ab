#!/usr/bin/env python3
"""Issue 15: a runtime whose java.security or cacerts was edited changes
smtpwiz's verdict exactly as it changes the real Java's.

Each edited runtime is a cheap copy of a real one (tests/lib/jvmcopy.py:
symlinks, with bin/java and libjvm.so hard-linked so the copy is its own
java.home, and its own conf/security/java.security and
lib/security/cacerts), made from Debian 12's JDK 17 (the java on PATH)
and from Debian 13's JDK 21 (fetched by tests/tools/fetch-jdk.sh and
run through trixie's loader; skipped, and said, when it cannot be
fetched).  smtpwiz is pointed at the copy with --java-home only, and
--confirm-with-java lets the copy itself run the block.  For each edit,
the original and the copy on the same server:

- TLSv1.1 taken out of jdk.tls.disabledAlgorithms, a server that speaks
  only TLS 1.0/1.1 (@SECLEVEL=0): the original fails, the copy connects
  over TLSv1.1 (this build cannot complete TLS 1.1 itself: smtpwiz's
  steps are what agree then);
- TLS_RSA_* allowed where the original disables it (JDK 21), a server
  that speaks only TLS_RSA_WITH_AES_256_GCM_SHA384: the outcome flips;
  where it allows it (Debian's 17.0.15, older than JDK-8341964's
  wildcards), "TLS_RSA_*" added changes nothing -- that Java takes it
  as a name no suite has, and smtpwiz now does too (it failed the
  block before, and the real Java showed it wrong) -- while the
  suite's own name disables it;
- TLSv1.3 added to jdk.tls.disabledAlgorithms: a TLS 1.3-only server
  fails with the copy only, and a TLS 1.3/1.2 server is verified over
  TLSv1.2 by both smtpwiz and the copy;
- "DH keySize < 2048" in place of "< 1024", a server whose DHE group
  has 1024 bits: the original connects, the copy fails with "DH
  ServerKeyExchange does not comply to algorithm constraints";
- x25519 added, a server whose ECDHE takes only X25519: the original
  connects, the copy offers no group the server takes (these two pin
  the block to TLSv1.2 and one suite, so that this build offers all
  the runtime offers);
- a cacerts holding the test CA, without --truststore: the original's
  Java refuses the chain (step 2), the copy trusts it.

Every time: the copy is read as a runtime (its java.home, version and
java.security), smtpwiz's outcome and the real Java's agree, and the
edit changes both the same way.  TAP.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import swtest   # noqa: E402
import certlib  # noqa: E402
import jvmcopy  # noqa: E402

SW = certlib.SW
RSA_ONLY, LEGACY = jvmcopy.RSA_ONLY, jvmcopy.LEGACY
DISABLED = "jdk.tls.disabledAlgorithms"


def run(home, port, extra=()):
    r = swtest.run_json([SW, "check", "--format", "json", "--java-home", home,
                         "--confirm-with-java", *extra, f"localhost:{port}"], timeout=150)
    d = r.data or {}
    return d, r.code, d.get("confirmation") or {}


def outcome(c):
    return c.get("result")


def agree_ok(d, code, c):
    return (c.get("result") in ("confirmed", "failed") and c.get("agrees") is True
            and (code == 0) == (c.get("result") == "confirmed"))


def show(d, code, c):
    return json.dumps({"code": code, "verification": d.get("verification"),
                       "confirmation": c, "runtime": d.get("java_runtime")})[:2000]


def pinned(suite):
    """check options: a block of TLSv1.2 and suite only."""
    return ["--set", "mail.smtp.ssl.protocols=TLSv1.2",
            "--set", "mail.smtp.ssl.ciphersuites=" + suite]


def edited(home, tag, fn=None, cacerts=None):
    text = jvmcopy.security_text(home)
    if fn is not None:
        text = jvmcopy.edit_property(text, DISABLED, fn)
    dest = os.path.join(swtest.repo_root(), "build", "jdk", "edited", tag)
    return jvmcopy.make(home, dest, security=text, cacerts=cacerts)


def compare(t, name, label, home, copy, opts, extra, want_stock, want_copy, agreed,
            judged=True):
    """The original and the copy on one server: each agrees with
    smtpwiz, and the outcomes are what the edit makes them.  judged
    False: this build cannot complete what the original's Java does
    (TLS 1.3 on 2.28), so smtpwiz cannot agree; the real Java decides
    the exit status."""
    with swtest.Fixture(**opts) as srv:
        ds, cs_code, cs = run(home, srv.port, extra)
        dc, cc_code, cc = run(copy, srv.port, extra)
    rt = dc.get("java_runtime") or {}
    for who, d, code, c, want in (("original", ds, cs_code, cs, want_stock),
                                  ("copy", dc, cc_code, cc, want_copy)):
        if who == "original" and not judged:
            ok = (c.get("agrees") is not True and
                  (code == 0) == (c.get("result") == "confirmed"))
        else:
            ok = agree_ok(d, code, c)
            agreed[0] += ok
            agreed[1] += 1
        t.check(f"{name}, {label}: the {who}'s Java {want} the block, smtpwiz agrees "
                f"(by its {c.get('compared_with')}), exit {code}",
                ok and outcome(c) == want, show(d, code, c))
    t.check(f"{name}, {label}: the copy is read as the runtime (its java.home, "
            f"its java.security), and that Java ran",
            rt.get("home") == copy and rt.get("java_security", "").startswith(copy) and
            copy in (cc.get("java") or ""), (rt.get("home"), rt.get("java_security"),
                                             cc.get("java")))
    return dc, cc_code, cc


def base_cases(t, name, home, p12, jks, dh1024, agreed):
    off = jvmcopy.disabled_entries(home)
    trust = ["--truststore", p12]

    # TLSv1.1 back on.
    copy = edited(home, name.split()[1] + "-tls11",
                  lambda v: jvmcopy.drop_entries(v, {"TLSv1.1"}))
    dc, code, cc = compare(t, name, "TLSv1.1 re-enabled, a TLS 1.0/1.1 server", home,
                           copy, LEGACY, trust, "failed", "confirmed", agreed)
    s3 = (dc.get("steps") or [{}, {}, {}])[2].get("data") or {}
    t.check(f"{name}, TLSv1.1 re-enabled: step 3 reads TLSv1.1 as enabled by the copy "
            f"and not failed", "TLSv1.1" in (s3.get("java_enabled") or []) and
            dc["steps"][2].get("verdict") != "fail",
            (s3.get("java_enabled"), dc["steps"][2].get("verdict")))
    if name.startswith("JDK 17"):     # once: the text report's words
        with swtest.Fixture(**LEGACY) as srv:
            r = swtest.run([SW, "check", *trust, "--java-home", copy,
                            "--confirm-with-java", f"localhost:{srv.port}"], timeout=150)
        # 3.6 cannot complete TLS 1.1 (the steps judge); 2.28 can (verified).
        t.check(f"{name}, TLSv1.1 re-enabled: the text report says the real Java "
                f"agrees with the steps, or with the verification where this build "
                f"can run it", r.returncode == 0 and (
                    "agrees with smtpwiz's steps (this build could not run the "
                    "verification itself)" in r.stdout if swtest.tls13_build() else
                    "Verification of the settings block: verified" in r.stdout and
                    "Confirmation by your Java: confirmed" in r.stdout),
                r.stdout[-1200:])

    # TLS_RSA_* the other way round.  A runtime without JDK-8341964
    # (Debian's 17.0.15) takes "TLS_RSA_*" as a name no suite has: only
    # the suite's own name disables it there.
    tag = name.split()[1]
    if "TLS_RSA_*" in off:
        copy = edited(home, tag + "-rsa",
                      lambda v: jvmcopy.drop_entries(v, {"TLS_RSA_*"}))
        compare(t, name, "TLS_RSA_* allowed, a TLS_RSA-only server", home, copy,
                RSA_ONLY, trust, "failed", "confirmed", agreed)
    else:
        copy = edited(home, tag + "-rsa", lambda v: v + ", TLS_RSA_*")
        compare(t, name, "TLS_RSA_* added (no wildcards before 17.0.18), a "
                "TLS_RSA-only server", home, copy, RSA_ONLY, trust, "confirmed",
                "confirmed", agreed)
        copy = edited(home, tag + "-rsa-name",
                      lambda v: v + ", TLS_RSA_WITH_AES_256_GCM_SHA384")
        compare(t, name, "TLS_RSA_WITH_AES_256_GCM_SHA384 disabled by name, a "
                "TLS_RSA-only server", home, copy, RSA_ONLY, trust, "confirmed",
                "failed", agreed)

    # TLS 1.3 off.
    copy = edited(home, name.split()[1] + "-no13", lambda v: v + ", TLSv1.3")
    compare(t, name, "TLSv1.3 disabled, a TLS 1.3-only server", home, copy,
            dict(mode="starttls", tls_min="TLSv1.3"), trust, "confirmed", "failed",
            agreed, judged=swtest.tls13_build())
    with swtest.Fixture(mode="starttls") as srv:
        d, code, c = run(copy, srv.port, trust)
    v = d.get("verification") or {}
    t.check(f"{name}, TLSv1.3 disabled, a TLS 1.3/1.2 server: smtpwiz verifies over "
            f"TLSv1.2, and the copy confirms", code == 0 and
            v.get("result") == "verified" and v.get("tls", "").startswith("TLSv1.2") and
            outcome(c) == "confirmed" and c.get("agrees") is True, show(d, code, c))

    # Key exchange limits the verification must share with Java.  The
    # block names TLSv1.2 and one suite, so that this build offers all
    # that Java offers and the handshake alone decides.
    copy = edited(home, tag + "-dh2048", lambda v: v.replace(
        "DH keySize < 1024", "DH keySize < 2048"))
    dc, _, cc = compare(t, name, "DH keySize < 2048, a DHE server with a 1024-bit group",
            home, copy, dict(mode="starttls", tls_max="TLSv1.2",
                             ciphers="DHE-RSA-AES128-GCM-SHA256:@SECLEVEL=1",
                             dhparam=dh1024),
            trust + pinned("TLS_DHE_RSA_WITH_AES_128_GCM_SHA256"),
            "confirmed", "failed", agreed)
    dh = "DH ServerKeyExchange does not comply to algorithm constraints"
    t.check(f"{name}, DH keySize < 2048: smtpwiz names the exception the copy threw",
            dh in ((dc.get("verification") or {}).get("java_exception") or "") and
            dh in (cc.get("java_exception") or ""), show(dc, None, cc))
    copy = edited(home, tag + "-nox25519", lambda v: v + ", x25519")
    compare(t, name, "x25519 disabled, a server whose ECDHE takes only X25519",
            home, copy, dict(mode="starttls", tls_max="TLSv1.2",
                             ciphers="ECDHE-RSA-AES128-GCM-SHA256", groups="X25519"),
            trust + pinned("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"),
            "confirmed", "failed", agreed)

    # cacerts with the test CA, no --truststore.  TLS 1.2: every build
    # verifies it (2.28 cannot run TLS 1.3).
    copy = edited(home, name.split()[1] + "-cacerts", cacerts=jks)
    dc, code, cc = compare(t, name, "cacerts holding the test CA, no --truststore",
                           home, copy, dict(mode="starttls", tls_max="TLSv1.2"), (),
                           "failed", "confirmed", agreed)
    t.check(f"{name}, cacerts: the copy's cacerts judged the chain",
            os.path.join(copy, "lib", "security", "cacerts") in
            json.dumps(dc.get("verification") or {}) + json.dumps(
                (dc.get("steps") or [{}, {}])[1].get("data") or {}),
            (dc.get("verification") or {}).get("trust"))


def main():
    for tool in ("java", "keytool"):
        if not shutil.which(tool):
            swtest.skip_all(f"{tool} not found (Debian: openjdk-17-jdk-headless)")
    tmp = tempfile.mkdtemp(prefix="swtest-java-edited-")
    try:
        root = os.path.join(swtest.pki(), "root.pem")
        p12 = certlib.make_keystore(os.path.join(tmp, "trust.p12"),
                                    {"smtpwiz-test-root": root}, storetype="PKCS12")
        # A JKS cacerts: Java reads it without a password, as it reads
        # the real one.
        jks = certlib.make_keystore(os.path.join(tmp, "cacerts"),
                                    {"smtpwiz-test-root": root}, storetype="JKS")
        dh1024 = os.path.join(tmp, "dh1024.pem")
        subprocess.run(["openssl", "dhparam", "-out", dh1024, "1024"], check=True,
                       capture_output=True, timeout=120)
        with swtest.Suite() as t:
            path17 = os.path.realpath(os.path.join(os.path.dirname(
                os.path.realpath(shutil.which("java"))), ".."))
            bases = [("JDK 17 (Debian 12)", path17)]
            home21, why = jvmcopy.fetch_jdk21()
            if home21 is None:
                t.skip("JDK 21 (Debian 13) copies", why)
            else:
                bases.append(("JDK 21 (Debian 13)", home21))
            agreed = [0, 0]
            for name, home in bases:
                base_cases(t, name, home, p12, jks, dh1024, agreed)
            t.diag(f"{len(bases)} runtimes, 6 edits: {agreed[0]} of {agreed[1]} "
                   f"runs agree")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
