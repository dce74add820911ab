#!/usr/bin/python3
"""The verification's key exchange is Java's: the named groups Java
offers, not the ones mbedTLS offers by default, and the smallest DHE
group Java takes.

mbedTLS's default list holds curves Java 17 does not offer (brainpool,
and secp256k1 and secp224r1 in 2.28) and lacks some an older Java does
(8u202's sect283k1 ...).  Until this was fixed a server whose ECDHE
suites take only brainpoolP256r1 was "verified" while the real Java 17
failed with handshake_failure; and a server that takes only X25519 was
"verified" for Java 8u202, which does not offer X25519.

Servers: tests/servers/fixture_smtp.py, TLS 1.2, ECDHE suites only,
one group (OpenSSL "Groups").  The blocks name TLSv1.2 and one ECDHE
suite (--load), so that both builds offer everything else Java offers
and the handshake alone decides.  Where java, keytool and the mail jars
are installed, --confirm-with-java runs the block in the real JDK and
must agree.  A group Java offers that this build cannot (8u202's sect*
curves) makes a failed handshake "not checked", never a pass; a version
or suite it cannot offer does so only while steps 3-4 (same server) do
not show the server refusing it.

DHE: a java.security with "DH keySize < 2048" (JDK 17.0.15's file,
edited) against a server whose DHE group has 1024 bits fails with
Java's "DH ServerKeyExchange does not comply to algorithm constraints";
the unedited file takes it.  (test_java_edited has the real JDK agree.)
TAP.
"""

import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import certlib  # noqa: E402
import swtest  # noqa: E402

SW = swtest.smtpwiz_bin()
ECDHE = "ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES128-GCM-SHA256"
SUITE = "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"


def block_file(tmp, port, suite):
    path = os.path.join(tmp, "block-%d.properties" % port)
    with open(path, "w") as f:
        f.write("mail.smtp.host=localhost\nmail.smtp.port=%d\n"
                "mail.smtp.starttls.enable=true\n"
                "mail.smtp.starttls.required=true\n"
                "mail.smtp.ssl.protocols=TLSv1.2\n"
                "mail.smtp.ssl.ciphersuites=%s\n" % (port, suite))
    return path


def check(tmp, trust, group, java, confirm, load=True, fmt="json", suite=SUITE,
          server=None, more=()):
    """check against a fixture limited to group: (data, exit, proc)."""
    server = server or dict(ciphers=ECDHE, groups=group)
    with swtest.Fixture(mode="starttls", tls_max="TLSv1.2", **server) as fx:
        args = [SW, "check", *trust, "--java", java, "--format", fmt, *more]
        if confirm:
            args.append("--confirm-with-java")
        args += ["--load", block_file(tmp, fx.port, suite)] if load else \
            ["localhost:%d" % fx.port]
        if fmt != "json":
            return None, None, swtest.run(args, timeout=180)
        r = swtest.run_json(args, timeout=180)
        return r.data or {}, r.code, r.proc


def verification(data):
    return (data or {}).get("verification") or {}


def show(data, code):
    return {"exit": code, "verification": verification(data),
            "confirmation": (data or {}).get("confirmation")}


def main():
    java = all(shutil.which(x) for x in ("java", "keytool"))
    pki = swtest.pki()
    tmp = tempfile.mkdtemp(prefix="swtest-groups-")
    root = os.path.join(pki, "root.pem")
    trust = ["--cafile", root]
    if java:
        p12 = certlib.make_keystore(os.path.join(tmp, "trust.p12"),
                                    {"smtpwiz-test-root": root}, storetype="PKCS12")
        trust = ["--truststore", p12]
    with swtest.Suite() as t:
        # brainpool only: Java 17 offers no brainpool curve.
        data, code, _ = check(tmp, trust, "brainpoolP256r1", "17", java)
        v = verification(data)
        t.check("brainpoolP256r1 only, Java 17: the verification fails with "
                "Java's handshake_failure, exit not 0",
                v.get("result") == "failed" and code not in (0, None) and
                "handshake_failure" in (v.get("java_exception") or ""),
                show(data, code))
        t.check("... offering Java 17's groups, no brainpool curve",
                "x25519" in (v.get("groups") or "") and
                "secp256r1" in (v.get("groups") or "") and
                "brainpool" not in (v.get("groups") or ""), v.get("groups"))
        if java:
            c = data.get("confirmation") or {}
            t.check("... and the real Java fails the same way",
                    c.get("result") == "failed" and c.get("agrees") is True and
                    "handshake_failure" in (c.get("java_exception") or ""), c)
        else:
            t.skip("... and the real Java fails the same way", "no java/keytool")
        _, _, proc = check(tmp, trust, "brainpoolP256r1", "17", False,
                           fmt="properties")
        t.check("... the block says it does not work yet",
                proc.returncode != 0 and "NOT WORKING YET" in proc.stdout and
                "VERIFIED against" not in proc.stdout,
                (proc.returncode, proc.stdout[-1200:]))
        data, code, _ = check(tmp, trust, "brainpoolP256r1", "17", False,
                              load=False)
        # Java 17 also offers suites (DHE_DSS) and, for 2.28, TLS 1.3
        # that this build cannot; steps 3-4 saw the server refuse each.
        v = verification(data)
        t.check("brainpoolP256r1 only, Java 17's own protocols and suites: "
                "fails with handshake_failure, what this build cannot offer "
                "being refused in steps 3-4, exit not 0",
                v.get("result") == "failed" and code not in (0, None) and
                "handshake_failure" in (v.get("java_exception") or ""),
                show(data, code))

        # X25519 only: Java 17 offers it first.
        data, code, _ = check(tmp, trust, "X25519", "17", java)
        v = verification(data)
        t.check("X25519 only, Java 17: verified, exit 0",
                v.get("result") == "verified" and code == 0, show(data, code))
        if java:
            c = data.get("confirmation") or {}
            t.check("... and the real Java sends through it",
                    c.get("result") == "confirmed" and c.get("agrees") is True, c)
        else:
            t.skip("... and the real Java sends through it", "no java/keytool")

        # X25519 only, Java 8u202: its groups have no X25519, and its
        # sect* curves cannot be offered here.
        data, code, _ = check(tmp, trust, "X25519", "8u202", False)
        v = verification(data)
        t.check("X25519 only, Java 8u202: not verified (its groups have no "
                "x25519; sect283k1 cannot be offered here), exit not 0",
                v.get("result") == "not-run" and code not in (0, None) and
                "sect283k1" in (v.get("detail") or "") and
                "x25519" not in (v.get("groups") or ""), show(data, code))
        data, code, _ = check(tmp, trust, "P-256", "8u202", False)
        v = verification(data)
        t.check("P-256 only, Java 8u202: verified over secp256r1, exit 0",
                v.get("result") == "verified" and code == 0 and
                (v.get("groups") or "").startswith("secp256r1"),
                show(data, code))
        dhe(t, tmp, trust)
    shutil.rmtree(tmp, ignore_errors=True)


def dhe(t, tmp, trust):
    """A 1024-bit DHE group against JDK 17.0.15's java.security as it
    is and with "DH keySize < 2048"."""
    dh1024 = os.path.join(tmp, "dh1024.pem")
    subprocess.run(["openssl", "dhparam", "-out", dh1024, "1024"], check=True,
                   capture_output=True, timeout=120)
    stock = os.path.join(swtest.repo_root(), "tests", "data", "javasec",
                         "java.security-17.0.15")
    strict = os.path.join(tmp, "java.security-dh2048")
    with open(stock) as f, open(strict, "w") as g:
        text = f.read()
        g.write(text.replace("DH keySize < 1024", "DH keySize < 2048"))
    server = dict(ciphers="DHE-RSA-AES128-GCM-SHA256:@SECLEVEL=1", dhparam=dh1024)
    suite = "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256"
    for sec, want in ((stock, "verified"), (strict, "failed")):
        data, code, _ = check(tmp, trust, None, "17", False, suite=suite,
                              server=server, more=["--java-security", sec])
        v = verification(data)
        label = "DH keySize < 2048" if sec == strict else "DH keySize < 1024"
        if want == "verified":
            t.check(f"1024-bit DHE group, {label}: verified, exit 0",
                    v.get("result") == "verified" and code == 0 and
                    "DHE" in (v.get("tls") or ""), show(data, code))
        else:
            t.check(f"1024-bit DHE group, {label}: fails as Java does, naming "
                    f"the group's size and the limit, exit not 0",
                    v.get("result") == "failed" and code not in (0, None) and
                    "DH ServerKeyExchange does not comply to algorithm "
                    "constraints" in (v.get("java_exception") or "") and
                    "1024 bits" in (v.get("detail") or "") and
                    "2048" in (v.get("detail") or ""), show(data, code))


if __name__ == "__main__":
    main()
