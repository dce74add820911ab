#!/usr/bin/python3
"""Step 2 against what Java itself refuses, and against what this build
cannot do:

- certificates the test bed lacks, made here with openssl from its
  intermediate CA: an MD5 signature, an RSA-512 key (both rejected by
  every Java's jdk.certpath.disabledAlgorithms: "java-certpath", even
  when the chain is trusted) and a secp256k1 key (accepted by Java
  8u202, refused by Java 17, which no longer implements the curve);
- --java-security: the user's own java.security decides;
- a TLSv1.3-only server and a TLSv1.0/1.1-only server: when the linked
  mbedTLS cannot complete a handshake at any version the server accepts,
  the report says so (which versions the server wants, which this build
  can do) instead of a certificate error, and reads the chain from the
  raw handshake where TLS <= 1.2 allows.
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

EXT = """[ext]
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=DNS:localhost,IP:127.0.0.1
"""


def openssl(*args):
    r = subprocess.run(["openssl", *args], capture_output=True, text=True, timeout=120)
    if r.returncode != 0:
        raise RuntimeError(f"openssl {' '.join(args)}: {r.stderr}")


def make_leaf(tmp, pki, name, keyopts, md):
    """tmp/NAME-chain.pem (leaf + intermediate) and tmp/NAME.key."""
    key, csr, pem = (os.path.join(tmp, name + s) for s in (".key", ".csr", ".pem"))
    ext = os.path.join(tmp, "ext.cnf")
    with open(ext, "w") as f:
        f.write(EXT)
    openssl("genpkey", *keyopts, "-out", key)
    openssl("req", "-new", "-key", key, "-subj", f"/O=smtpwiz test bed/OU={name}/CN=localhost",
            "-out", csr)
    openssl("x509", "-req", "-in", csr, "-CA", os.path.join(pki, "inter.pem"), "-CAkey",
            os.path.join(pki, "inter.key"), "-CAcreateserial", "-days", "365", f"-{md}",
            "-extfile", ext, "-extensions", "ext", "-out", pem)
    chain = os.path.join(tmp, name + "-chain.pem")
    with open(chain, "w") as out:
        for f in (pem, os.path.join(pki, "inter.pem")):
            with open(f) as src:
                out.write(src.read())
    return chain, key


def run(port, *args, mode="ssl"):
    return certlib.check(port, *certlib.mode_args(mode), *args)


def certpath_cases(t, pki, tmp):
    root = os.path.join(pki, "root.pem")
    leaves = {
        "md5": make_leaf(tmp, pki, "md5", ["-algorithm", "RSA", "-pkeyopt",
                                           "rsa_keygen_bits:2048"], "md5"),
        "rsa512": make_leaf(tmp, pki, "rsa512", ["-algorithm", "RSA", "-pkeyopt",
                                                 "rsa_keygen_bits:512"], "sha256"),
        "secp256k1": make_leaf(tmp, pki, "secp256k1", ["-algorithm", "EC", "-pkeyopt",
                                                       "ec_paramgen_curve:secp256k1"],
                               "sha256"),
    }
    # name -> {java: (problems, exit)}
    expect = {
        "md5": {"17": ({"weak-signature", "java-certpath"}, 2),
                "8u202": ({"weak-signature", "java-certpath"}, 2)},
        "rsa512": {"17": ({"weak-key", "java-certpath"}, 2),
                   "11": ({"weak-key", "java-certpath"}, 2)},
        "secp256k1": {"17": ({"weak-key", "java-certpath"}, 2),
                      "21": ({"weak-key", "java-certpath"}, 2),
                      "11": ({"weak-key", "java-certpath"}, 2),
                      "8u202": (set(), 0)},
    }
    for name, (chain, key) in leaves.items():
        # RSA-512 cannot sign TLS 1.3's RSA-PSS handshake: TLS 1.2.
        extra = {"tls_max": "TLSv1.2"} if name == "rsa512" else {}
        with swtest.Fixture(mode="ssl", cert=chain, key=key,
                            ciphers=certlib.WEAK_CIPHERS, **extra) as fx:
            for java, (problems, code_want) in expect[name].items():
                data, code = run(fx.port, "--cafile", root, "--java", java)
                d = certlib.d2(data)
                diag = (code, d.get("problems"), [(f["id"], f["message"]) for f in
                        certlib.step2(data).get("findings", [])])
                t.check(f"{name}, Java {java}: trusted, the chain was read",
                        d.get("trusted") is True and len(d.get("chain", [])) == 2, diag)
                t.check(f"{name}, Java {java}: problems {sorted(problems)}",
                        set(d.get("problems", [])) == problems, diag)
                t.check(f"{name}, Java {java}: exit {code_want}", code == code_want, diag)
                if "java-certpath" in problems:
                    f = certlib.finding(data, "java-certpath") or {}
                    t.check(f"{name}, Java {java}: fails even with ssl.trust, said so",
                            "also with mail.smtp.ssl.trust" in f.get("message", ""), f)
        # The profile's rule, then the user's java.security.
        if name == "md5":
            sec = os.path.join(tmp, "java.security")
            with open(sec, "w") as f:
                f.write("jdk.certpath.disabledAlgorithms=MD2, RSA keySize < 1024\n"
                        "jdk.tls.disabledAlgorithms=SSLv3, RC4\n")
            with swtest.Fixture(mode="ssl", cert=chain, key=key,
                                ciphers=certlib.WEAK_CIPHERS) as fx:
                data, code = run(fx.port, "--cafile", root, "--java-security", sec)
                d = certlib.d2(data)
                t.check("md5 with a java.security that allows MD5: a warning only",
                        set(d.get("problems", [])) == {"weak-signature"} and code == 0 and
                        d.get("certpath_rules") == sec,
                        (code, d.get("problems"), d.get("certpath_rules"),
                         certlib.ids(data)))
    # A stricter java.security turns the test bed's RSA-1024 leaf fatal.
    sec = os.path.join(tmp, "strict.security")
    with open(sec, "w") as f:
        f.write("jdk.certpath.disabledAlgorithms=MD2, MD5, RSA keySize < 2048\n")
    with swtest.Fixture(mode="ssl", cert=os.path.join(pki, "weakkey-chain.pem"),
                        key=os.path.join(pki, "weakkey.key"),
                        ciphers=certlib.WEAK_CIPHERS) as fx:
        data, code = run(fx.port, "--cafile", root, "--java-security", sec)
        f = certlib.finding(data, "java-certpath") or {}
        t.check("RSA-1024 under \"RSA keySize < 2048\": java-certpath, exit 2",
                code == 2 and "RSA keySize < 2048" in f.get("message", ""),
                (code, certlib.ids(data)))


def jdkca_cases(t, pki, tmp):
    """SHA-1 under a CA the JDK ships (" [jdk" alias, as in the JDK's own
    cacerts): Java 17 rejects it; under an imported CA it accepts it."""
    if not certlib.keytool():
        t.skip("SHA-1 jdkCA rule", "keytool not found")
        return
    root = os.path.join(pki, "root.pem")
    jdk = certlib.make_keystore(os.path.join(tmp, "jdk-cacerts"),
                                {"smtpwiz test root [jdk]": root})
    with swtest.Fixture(mode="ssl", cert=os.path.join(pki, "sha1-chain.pem"),
                        key=os.path.join(pki, "sha1.key"),
                        ciphers=certlib.WEAK_CIPHERS) as fx:
        data, code = run(fx.port, "--truststore", jdk)
        f = certlib.finding(data, "java-certpath") or {}
        t.check("SHA-1 chain anchored at a [jdk] CA: java-certpath, exit 2",
                code == 2 and "jdkCA" in f.get("message", "") and
                set(certlib.d2(data).get("problems", [])) ==
                {"weak-signature", "java-certpath"},
                (code, certlib.ids(data), f))
        data, code = run(fx.port, "--truststore", stores_jks(tmp, root))
        t.check("the same chain anchored at an imported CA: a warning, exit 0",
                code == 0 and set(certlib.d2(data).get("problems", [])) ==
                {"weak-signature"}, (code, certlib.ids(data)))


def stores_jks(tmp, root):
    path = os.path.join(tmp, "imported.jks")
    if not os.path.exists(path):
        certlib.make_keystore(path, {"my-company-ca": root})
    return path


def library_range(data):
    lib = (data or {}).get("tool", {}).get("tls_library", "")
    return ("TLSv1", "TLSv1.2") if " 2." in lib else ("TLSv1.2", "TLSv1.3")


def version_cases(t, pki):
    root = os.path.join(pki, "root.pem")
    for mode in ("starttls", "ssl"):
        with swtest.Fixture(mode=mode, tls_min="TLSv1.3") as fx:
            data, code = run(fx.port, "--cafile", root, mode=mode)
            lo, hi = library_range(data)
            d, s2 = certlib.d2(data), certlib.step2(data)
            if hi == "TLSv1.3":
                t.check(f"TLSv1.3-only server, {mode}: this build checks it",
                        d.get("trusted") is True and s2.get("verdict") == "pass" and
                        (d.get("tls") or "").startswith("TLSv1.3"), (code, d))
                continue
            f = certlib.finding(data, "tls-version-unsupported-by-build") or {}
            t.check(f"TLSv1.3-only server, {mode}: says which versions",
                    d.get("server_versions") == "TLSv1.3" and
                    d.get("build_versions") == f"{lo} to {hi}" and
                    "accepts TLSv1.3 only" in f.get("message", "") and
                    f"can complete TLS handshakes with {lo} to {hi}" in f.get("message", ""),
                    (d, f))
            # Not checked is never a pass: step 2 fails, the exit says so.
            t.check(f"TLSv1.3-only server, {mode}: no certificate verdict, not checked",
                    d.get("trusted") is None and d.get("chain") == [] and
                    d.get("problems") == [] and s2.get("verdict") == "fail" and
                    code == 2 and f.get("severity") == "fail" and
                    f.get("message", "").startswith("Not checked: ") and
                    not [i for i in certlib.ids(data) if i.startswith("cert-")],
                    (s2.get("verdict"), code, certlib.ids(data)))
    # TLSv1.0/1.1 only (step 1 finds implicit TLS only with TLS 1.2 hellos:
    # STARTTLS here).
    with swtest.Fixture(mode="starttls", tls_min="TLSv1", tls_max="TLSv1.1",
                        ciphers=certlib.WEAK_CIPHERS) as fx:
        data, code = run(fx.port, "--cafile", root, mode="starttls")
        lo, hi = library_range(data)
        d = certlib.d2(data)
        t.check("TLSv1.1-only server: trusted, chain read",
                d.get("trusted") is True and len(d.get("chain", [])) == 2, d)
        if lo == "TLSv1":
            t.check("TLSv1.1-only server: this build completes the handshake",
                    d.get("source") == "handshake" and
                    (d.get("tls") or "").startswith("TLSv1.1"), d)
        else:
            f = certlib.finding(data, "tls-version-unsupported-by-build") or {}
            t.check("TLSv1.1-only server: chain from the raw handshake, said so",
                    d.get("source", "").startswith("raw TLSv1.1") and
                    "TLSv1.1" in d.get("server_versions", "") and
                    "Certificate message" in f.get("message", ""), (d, f))


def main():
    pki = swtest.pki()
    tmp = tempfile.mkdtemp(prefix="swtest-java-")
    # The Java profiles live in assets/: the same for every build dir.
    os.environ.setdefault("SMTPWIZ_ASSETS", os.path.join(swtest.repo_root(), "assets"))
    try:
        with swtest.Suite() as t:
            certpath_cases(t, pki, tmp)
            jdkca_cases(t, pki, tmp)
            version_cases(t, pki)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
