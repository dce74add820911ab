#!/usr/bin/python3
"""Step 2 against servers that send long chains (issue 12): the good leaf,
then unrelated CA certificates (a whole CA bundle configured as the
chain), then the real intermediate last, so that its place in the chain
is 9, 10, 15 and 49 for chains of 10, 11, 16 and 50 certificates.  Until
issue 12 a path position of 10 or more was written past the 10 entries
the report holds; this test runs under ASan+UBSan too (SAN_TESTS).

Asserts the number of certificates shown and dropped, the roles, the
trust verdict, and the "chain-too-long" finding: beyond Java's client
limit of 10 it fails step 2 (exit 2) for the Java judged with (the
runtime found, else the Java 17 profile), names
jdk.tls.maxCertificateChainLength and the -D fix, and says "first 16
shown" beyond smtpwiz's limit.  The 8u202 profile, older than the limit
(JDK-8245417, July 2020), only warns; a Java 22+ runtime, when one is
installed, names jdk.tls.client.maxInboundCertificateChainLength.  TAP.
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
KEPT = 16          # CHAIN_MAX in src/pki/chain.h
JAVA_MAX = 10      # Java's jdk.tls.client.maxInboundCertificateChainLength


def filler_cas(tmp, count):
    """count self-signed EC CA certificates (PEM text each), unrelated to
    the test PKI."""
    key = os.path.join(tmp, "filler.key")
    subprocess.run(["openssl", "ecparam", "-name", "prime256v1", "-genkey",
                    "-noout", "-out", key], check=True, capture_output=True)
    out = []
    for i in range(count):
        pem = os.path.join(tmp, "filler%d.pem" % i)
        subprocess.run(["openssl", "req", "-x509", "-new", "-key", key,
                        "-subj", "/CN=smtpwiz Bundle CA %d" % i, "-days", "30",
                        "-addext", "basicConstraints=critical,CA:TRUE",
                        "-out", pem], check=True, capture_output=True)
        with open(pem) as f:
            out.append(f.read())
    return out


def chain_file(tmp, pki, fillers, total):
    """leaf, total-2 fillers, the intermediate: total certificates."""
    with open(os.path.join(pki, "leaf.pem")) as f:
        leaf = f.read()
    with open(os.path.join(pki, "inter.pem")) as f:
        inter = f.read()
    path = os.path.join(tmp, "chain%d.pem" % total)
    with open(path, "w") as f:
        f.write(leaf + "".join(fillers[:total - 2]) + inter)
    return path


def java22_home():
    """An installed runtime of Java 22 or newer, or None."""
    base = "/usr/lib/jvm"
    for name in sorted(os.listdir(base)) if os.path.isdir(base) else []:
        rel = os.path.join(base, name, "release")
        try:
            with open(rel) as f:
                v = [l for l in f if l.startswith("JAVA_VERSION=")]
        except OSError:
            continue
        if v and int(v[0].split('"')[1].split(".")[0]) >= 22:
            return os.path.join(base, name)
    return None


def other_javas(t, tmp, pki, fillers, root):
    """11 certificates judged for the 8u202 profile (no limit: a
    warning) and for a Java 22+ runtime (the client property)."""
    cert = chain_file(tmp, pki, fillers, 11)
    with swtest.Fixture(mode="starttls", cert=cert,
                        key=os.path.join(pki, "leaf.key")) as fx:
        data, code = certlib.check(fx.port, *certlib.mode_args("starttls"),
                                   "--cafile", root, "--java", "8u202")
        f = certlib.finding(data, "chain-too-long") or {}
        t.check("8u202: chain-too-long only warns (no limit before 8u261)",
                f.get("severity") == "warn" and code == 0 and
                "8u261" in f.get("message", ""), (code, f))
        home = java22_home()
        if home is None:
            t.skip("Java 22+: the client property named", "no Java 22+ installed")
            return
        data, code = certlib.check(fx.port, *certlib.mode_args("starttls"),
                                   "--cafile", root, "--java-home", home)
        f = certlib.finding(data, "chain-too-long") or {}
        t.check("Java 22+: fails, names jdk.tls.client.maxInboundCertificateChainLength",
                f.get("severity") == "fail" and code == 2 and
                "-Djdk.tls.client.maxInboundCertificateChainLength=11"
                in f.get("message", ""), (code, f, home))


def verification(t, tmp, pki, fillers, root):
    """11 certificates: the block is not "verified" (exit 0) while Java
    17 refuses the chain for its length, and the real Java, when there
    is one, says the same."""
    cert = chain_file(tmp, pki, fillers, 11)
    args = [SW, "check", "--cafile", root, "--java", "17"]
    java = shutil.which("java") is not None
    with swtest.Fixture(mode="starttls", cert=cert, tls_max="TLSv1.2",
                        key=os.path.join(pki, "leaf.key")) as fx:
        target = "localhost:%d" % fx.port
        data, code = swtest.run_json(
            args + ["--format", "json"] + (["--confirm-with-java"] if java else []) +
            [target], timeout=180)
        block = swtest.run(args + ["--format", "properties", target], timeout=120)
    v = (data or {}).get("verification") or {}
    t.check("11 certificates: the verification fails where Java counts them, "
            "exit not 0", code not in (0, None) and v.get("result") == "failed" and
            "The certificate chain length (11) exceeds the maximum allowed "
            "length (10)" in (v.get("java_exception") or ""), (code, v))
    t.check("... and the block says it does not work yet, exit not 0",
            block.returncode != 0 and "NOT WORKING YET" in block.stdout and
            "chain length (11)" in block.stdout,
            (block.returncode, block.stdout[-1500:]))
    if not java:
        t.skip("the real Java agrees", "no java on PATH")
        return
    jc = (data or {}).get("confirmation") or {}
    t.check("the real Java agrees: it fails the same way",
            jc.get("result") == "failed" and jc.get("agrees") is True and
            "exceeds the maximum allowed length (10)" in
            (jc.get("java_exception") or ""), jc)


def main():
    if not shutil.which("openssl"):
        swtest.skip_all("openssl is not installed")
    pki = swtest.pki()
    tmp = tempfile.mkdtemp(prefix="swtest-longchain-")
    root = os.path.join(pki, "root.pem")
    try:
        fillers = filler_cas(tmp, 48)
        with swtest.Suite() as t:
            for total in (10, 11, 16, 50):
                cert = chain_file(tmp, pki, fillers, total)
                for mode in ("starttls", "ssl"):
                    label = "%d certificates %s" % (total, mode)
                    with swtest.Fixture(mode=mode, cert=cert,
                                        key=os.path.join(pki, "leaf.key")) as fx:
                        res = certlib.check(fx.port, *certlib.mode_args(mode),
                                            "--cafile", root)
                    data, code = res
                    s2, d = certlib.step2(data), certlib.d2(data)
                    chain = d.get("chain") or []
                    diag = {"exit": code, "ids": certlib.ids(data),
                            "stderr": res.proc.stderr[-2000:],
                            "dropped": d.get("chain_dropped"),
                            "roles": [c.get("role") for c in chain]}
                    if not t.check(f"{label}: step 2 ran, no crash",
                                   code in (0, 2) and s2.get("verdict") and chain,
                                   diag):
                        continue
                    shown = min(total, KEPT)
                    t.check(f"{label}: {shown} shown, {total - shown} dropped",
                            len(chain) == shown and
                            d.get("chain_dropped") == total - shown, diag)
                    t.check(f"{label}: leaf first",
                            chain[0].get("role") == "leaf" and
                            "CN=localhost" in chain[0].get("subject", ""), diag)
                    unrelated = [c for c in chain[1:total - 1]]
                    t.check(f"{label}: the bundle's CAs are unrelated",
                            all(c.get("role") == "unrelated" for c in unrelated),
                            diag)
                    f = certlib.finding(data, "chain-too-long")
                    if total <= KEPT:
                        t.check(f"{label}: intermediate at {total - 1} on the path",
                                chain[-1].get("role") == "intermediate" and
                                chain[-1].get("path_position", 1) == 1 and
                                "Intermediate" in chain[-1].get("subject", ""),
                                diag)
                        t.check(f"{label}: trusted", d.get("trusted") is True,
                                diag)
                    else:
                        # The intermediate is beyond what smtpwiz keeps.
                        t.check(f"{label}: intermediate not kept, untrusted",
                                d.get("trusted") is False and
                                "Intermediate" in (d.get("missing_issuer") or ""),
                                (diag, d.get("missing_issuer")))
                    if total <= JAVA_MAX:
                        t.check(f"{label}: no chain-too-long", f is None, diag)
                        continue
                    msg = (f or {}).get("message", "")
                    t.check(f"{label}: chain-too-long fails step 2, names {total} "
                            f"and Java's {JAVA_MAX}",
                            f is not None and f.get("severity") == "fail" and
                            s2.get("verdict") == "fail" and code == 2 and
                            f"sends {total} certificates" in msg and
                            f"maximum allowed length ({JAVA_MAX})" in msg, (f, diag))
                    t.check(f"{label}: the property and the -D fix named",
                            "jdk.tls.maxCertificateChainLength" in msg and
                            f"-Djdk.tls.maxCertificateChainLength={total}" in msg
                            and "not a whole CA bundle" in msg, msg)
                    t.check(f"{label}: 'first {KEPT} shown' only beyond {KEPT}",
                            (f"first {KEPT} shown" in msg) == (total > KEPT), msg)
            other_javas(t, tmp, pki, fillers, root)
            verification(t, tmp, pki, fillers, root)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
