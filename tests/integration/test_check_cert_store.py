#!/usr/bin/python3
"""Step 2's trust stores and fixes end to end: the Java runtime's cacerts
by default, the system bundle (and which one) only when no Java is found,
JKS and PKCS12 keystores made by keytool at test time (right, wrong and
default passwords; PKCS12 in Java 17's default protection and
password-less), unreadable stores, --save-chain (the chain
and the CA as PEM, 0644, via a temporary file), the keytool command --
run for real, after which the same server is trusted -- and
mail.smtp.ssl.trust as last resort only.  TAP.
"""

import os
import shutil
import stat
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import certlib  # noqa: E402
import swtest  # noqa: E402

SYSTEM_BUNDLES = ["/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt",
                  "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem", "/etc/ssl/cert.pem",
                  "/etc/ssl/ca-bundle.pem"]


def run(fx, *args, mode="starttls", host="localhost"):
    return certlib.check(fx.port, *certlib.mode_args(mode), *args, host=host)


def pem_count(path):
    with open(path) as f:
        return f.read().count("-----BEGIN CERTIFICATE-----")


def system_bundle_cases(t, pki):
    expected = next((p for p in SYSTEM_BUNDLES if os.path.isfile(p)), None)
    with swtest.Fixture(mode="starttls") as fx:
        java = shutil.which("java")
        if java:
            # The default is the cacerts of the Java runtime, as Java reads it
            # (test_check_java_trust.py has the details).
            data, code = run(fx)
            d = certlib.d2(data)
            ts = d.get("trust_store", {})
            f = certlib.finding(data, "truststore") or {}
            t.check("default: the cacerts of the java on PATH is used",
                    ts.get("kind") == "keystore" and ts.get("java_default") is True and
                    ts.get("path") == d.get("java_cacerts") and
                    (d.get("java_cacerts") or "").endswith("lib/security/cacerts") and
                    "java on PATH" in f.get("message", ""), (ts, f))
            t.check("default: many certificates", ts.get("certificates", 0) > 20, ts)
            t.check("default: the private test root is not in it",
                    d.get("trusted") is False and code == 2, (code, d.get("problems")))
        # No Java to be found: the system bundle, said to be what Java does
        # not read.
        nojava = tempfile.mkdtemp(prefix="swtest-nojava-")
        r = swtest.run_json([certlib.SW, "check", "--steps", "1-2", "--format", "json",
                             *certlib.mode_args("starttls"), f"localhost:{fx.port}"],
                            env={"JAVA_HOME": None, "PATH": nojava})
        shutil.rmtree(nojava, ignore_errors=True)
        data, code = r
        d = certlib.d2(data)
        ts = d.get("trust_store", {})
        if expected is None:
            t.check("no system bundle: said so", "truststore-missing" in certlib.ids(data),
                    certlib.ids(data))
            return
        t.check("no Java: the system bundle is used", ts.get("kind") == "system" and
                ts.get("path") == expected and ts.get("not_java") is True, ts)
        t.check("no Java: the distribution is named",
                "Debian/Ubuntu" in (ts.get("description") or "") if
                expected.endswith("ca-certificates.crt") else True, ts)
        t.check("no Java: many certificates", ts.get("certificates", 0) > 20, ts)
        t.check("no Java: the private test root is not in it",
                d.get("trusted") is False and code == 2, (code, d.get("problems")))
        f = certlib.finding(data, "truststore") or {}
        t.check("no Java: says Java does not read the system bundle",
                "Java does not read the system bundle" in f.get("message", "") and
                "truststore-not-java" in certlib.ids(data), f)
        # JAVA_HOME wins over PATH.
        home = tempfile.mkdtemp(prefix="swtest-jh-")
        os.makedirs(os.path.join(home, "lib", "security"))
        shutil.copy(os.path.join(pki, "root.pem"),
                    os.path.join(home, "lib", "security", "cacerts"))
        r = swtest.run_json([certlib.SW, "check", "--steps", "1-2", "--format", "json",
                             *certlib.mode_args("starttls"), f"localhost:{fx.port}"],
                            env={"JAVA_HOME": home})
        t.check("JAVA_HOME: its cacerts is named",
                certlib.d2(r.data).get("java_cacerts") ==
                os.path.join(home, "lib", "security", "cacerts"), certlib.d2(r.data))
        shutil.rmtree(home, ignore_errors=True)


def keystore_cases(t, pki, tmp):
    root = os.path.join(pki, "root.pem")
    jks = certlib.make_keystore(os.path.join(tmp, "s3cret.jks"), {"root": root},
                                password="s3cret")
    p12 = certlib.make_keystore(os.path.join(tmp, "trust.p12"), {"root": root},
                                storetype="PKCS12")
    p12_open = certlib.make_keystore(
        os.path.join(tmp, "open.p12"), {"root": root}, storetype="PKCS12",
        extra=["-J-Dkeystore.pkcs12.certProtectionAlgorithm=NONE",
               "-J-Dkeystore.pkcs12.macAlgorithm=NONE"])
    with swtest.Fixture(mode="ssl") as fx:
        data, code = run(fx, "--truststore", jks, "--storepass", "s3cret", mode="ssl")
        d = certlib.d2(data)
        t.check("JKS, right password: trusted, integrity ok",
                d.get("trusted") is True and code == 0 and
                d["trust_store"].get("integrity") == "ok" and
                d["trust_store"].get("description") == "JKS keystore", (code, d))
        t.check("JKS: anchor alias reported", d.get("anchor_alias") == "root", d)

        data, code = run(fx, "--truststore", jks, "--storepass", "wrong", mode="ssl")
        f = certlib.finding(data, "truststore-password") or {}
        t.check("JKS, wrong password: integrity failure, exit 2",
                f.get("severity") == "fail" and code == 2 and
                "password" in f.get("message", "") and
                certlib.d2(data)["trust_store"].get("integrity") == "bad", (code, f))

        data, code = run(fx, "--truststore", jks, mode="ssl")
        f = certlib.finding(data, "truststore-password") or {}
        t.check("JKS, no --storepass (changeit tried): a warning, chain still judged",
                f.get("severity") == "warn" and "changeit" in f.get("message", "") and
                certlib.d2(data).get("trusted") is True and code == 0, (code, f))

        data, code = run(fx, "--truststore", p12, mode="ssl")
        d = certlib.d2(data)
        t.check("PKCS12 (Java 17 default protection): trusted",
                d.get("trusted") is True and code == 0 and
                d["trust_store"].get("description") == "PKCS12 keystore" and
                d["trust_store"].get("integrity") == "ok", (code, d.get("trust_store"),
                                                              certlib.ids(data)))
        data, code = run(fx, "--truststore", p12, "--storepass", "nope", mode="ssl")
        t.check("PKCS12, wrong password: fail, nothing trusted",
                certlib.d2(data).get("trusted") is False and code == 2 and
                "truststore-password" in certlib.ids(data), (code, certlib.ids(data)))
        data, code = run(fx, "--truststore", p12_open, mode="ssl")
        t.check("PKCS12 without password protection: trusted",
                certlib.d2(data).get("trusted") is True and code == 0,
                (code, certlib.ids(data)))

        data, code = run(fx, "--truststore", os.path.join(tmp, "missing.jks"), mode="ssl")
        f = certlib.finding(data, "truststore-unreadable") or {}
        t.check("missing keystore: unreadable, fail",
                f.get("severity") == "fail" and "cannot open" in f.get("message", "") and
                code == 2, (code, f))
        data, code = run(fx, "--truststore", root, mode="ssl")
        f = certlib.finding(data, "truststore-unreadable") or {}
        t.check("PEM given as keystore: told to use --cafile",
                "--cafile" in f.get("message", ""), f)

        # Both: the union of anchors.
        other = certlib.make_keystore(os.path.join(tmp, "other.jks"),
                                      {"inter": os.path.join(pki, "selfsigned.pem")})
        data, code = run(fx, "--truststore", other, "--cafile", root, mode="ssl")
        t.check("--truststore and --cafile together: union", certlib.d2(data)
                .get("trusted") is True and code == 0, (code, certlib.ids(data)))


def fix_cases(t, pki, tmp):
    """--save-chain and the keytool command, run for real."""
    # A Java-style store that lacks the test root.
    store = certlib.make_keystore(os.path.join(tmp, "java.jks"),
                                  {"unrelated": os.path.join(pki, "selfsigned.pem")})
    with swtest.Fixture(mode="starttls", cert=os.path.join(pki, "selfsigned.pem"),
                        key=os.path.join(pki, "selfsigned.key")) as fx:
        saved = os.path.join(tmp, "sub dir", "server.pem")
        os.makedirs(os.path.dirname(saved))
        store2 = os.path.join(tmp, "empty.jks")
        certlib.make_keystore(store2, {"x": os.path.join(pki, "expired.pem")})
        data, code = run(fx, "--truststore", store2, "--save-chain", saved)
        d = certlib.d2(data)
        t.check("self-signed: untrusted, exit 2", d.get("trusted") is False and code == 2,
                (code, certlib.ids(data)))
        ca = os.path.join(tmp, "sub dir", "server-ca.pem")
        t.check("--save-chain: chain and CA written",
                d.get("saved", {}).get("chain") == saved and
                d.get("saved", {}).get("ca") == ca and
                os.path.isfile(saved) and os.path.isfile(ca), d.get("saved"))
        t.check("--save-chain: 0644 (certificates are public)",
                stat.S_IMODE(os.stat(saved).st_mode) == 0o644 and
                stat.S_IMODE(os.stat(ca).st_mode) == 0o644, oct(os.stat(saved).st_mode))
        t.check("--save-chain: PEM the same certificate",
                certlib.openssl_fingerprint(saved) ==
                certlib.openssl_fingerprint(os.path.join(pki, "selfsigned.pem")),
                certlib.openssl_fingerprint(saved))
        t.check("--save-chain: no temporary file left",
                sorted(os.listdir(os.path.dirname(saved))) == ["server-ca.pem", "server.pem"],
                os.listdir(os.path.dirname(saved)))
        cmd = d.get("keytool") or ""
        t.check("keytool command: exact form",
                cmd.startswith("keytool -importcert -noprompt -alias ") and
                f"-file '{ca}'" in cmd and f"-keystore {store2}" in cmd and
                cmd.endswith("-storepass changeit"), cmd)
        f = certlib.finding(data, "import-ca") or {}
        t.check("the fix is a finding with the command",
                cmd in f.get("message", "") and f.get("severity") == "info" and
                "own certificate" in f.get("message", ""), f)
        t.check("self-signed: a CA first, as `smtpwiz explain` says; this "
                "certificate only without one",
                "never import a server's own certificate when a CA exists"
                in f.get("message", "") and
                f.get("message", "").find("from a CA") <
                f.get("message", "").find("Only if this server has no CA"), f)
        # Java's own cacerts: the import goes into a copy of it, named
        # with -Djavax.net.ssl.trustStore, never into the runtime's file.
        dflt, _ = run(fx)
        fd = certlib.finding(dflt, "import-ca") or {}
        kd = certlib.d2(dflt).get("keytool") or ""
        if "cacerts" in fd.get("message", ""):
            t.check("default cacerts: keytool into ./mail-cacerts, a copy (cp -L)",
                    "-keystore ./mail-cacerts" in kd and "\ncp -L " in fd["message"]
                    and "-Djavax.net.ssl.trustStore=" in fd["message"], fd)
        else:
            t.skip("default cacerts: keytool into a copy", "no Java runtime found")
        lr = certlib.finding(data, "ssl-trust-last-resort") or {}
        t.check("ssl.trust only as a last resort, with the warning",
                lr.get("severity") == "info" and
                lr.get("suggest", {}).get("mail.smtp.ssl.trust") == "localhost" and
                lr.get("suggest", {}).get("mail.smtp.ssl.checkserveridentity") == "true"
                and "read the mail and the SMTP password" in lr.get("message", ""), lr)
        t.check("ssl.trust never in the settings block",
                "mail.smtp.ssl.trust" not in (data.get("properties") or {}),
                data.get("properties"))
        if cmd:
            r = subprocess.run(["sh", "-c", cmd], capture_output=True, text=True,
                               timeout=120)
            t.check("keytool command runs", r.returncode == 0, r.stdout + r.stderr)
            data, code = run(fx, "--truststore", store2)
            d = certlib.d2(data)
            t.check("after the import: trusted, exit 0",
                    d.get("trusted") is True and code == 0 and
                    set(d.get("problems", [])) == {"self-signed"}, (code, d.get("problems"),
                                                                     certlib.ids(data)))

        # mail.smtp.ssl.trust: accepted, but said what it costs.
        data, code = run(fx, "--cafile", os.path.join(pki, "root.pem"), "--set",
                         "mail.smtp.ssl.trust=localhost")
        f = certlib.finding(data, "ssl-trust-set") or {}
        t.check("ssl.trust=HOST: Java accepts, exit 0, warned",
                code == 0 and certlib.d2(data).get("java_accepts") is True and
                "validation off" in f.get("message", ""), (code, certlib.ids(data)))
        data, code = run(fx, "--cafile", os.path.join(pki, "root.pem"), "--set",
                         "mail.smtp.ssl.trust=mail.example.com")
        t.check("ssl.trust without this host: Server is not trusted, exit 2",
                "ssl-trust-excludes-host" in certlib.ids(data) and code == 2,
                (code, certlib.ids(data)))

    # The good chain, root missing from the store: import the intermediate.
    with swtest.Fixture(mode="ssl") as fx:
        saved = os.path.join(tmp, "good.pem")
        data, code = run(fx, "--truststore", store, "--save-chain", saved, mode="ssl")
        d = certlib.d2(data)
        t.check("root not in store: untrusted, not incomplete",
                set(d.get("problems", [])) == {"untrusted"} and code == 2, d.get("problems"))
        t.check("root not in store: CA file is the intermediate",
                pem_count(saved) == 2 and certlib.openssl_fingerprint(d["saved"]["ca"]) ==
                certlib.openssl_fingerprint(os.path.join(pki, "inter.pem")), d.get("saved"))
        r = subprocess.run(["sh", "-c", d.get("keytool") or "false"], capture_output=True,
                           text=True, timeout=120)
        data, code = run(fx, "--truststore", store, mode="ssl")
        t.check("after importing the intermediate: trusted (Java takes it as anchor)",
                r.returncode == 0 and certlib.d2(data).get("trusted") is True and code == 0,
                (r.stderr, code, certlib.ids(data)))
        data, code = run(fx, "--save-chain", os.path.join(tmp, "nodir", "x.pem"),
                         "--cafile", os.path.join(pki, "root.pem"), mode="ssl")
        t.check("--save-chain into a missing directory: a warning, not a crash",
                "save-chain-failed" in certlib.ids(data) and code == 0,
                (code, certlib.ids(data)))


def main():
    pki = swtest.pki()
    tmp = tempfile.mkdtemp(prefix="swtest-store-")
    try:
        with swtest.Suite() as t:
            system_bundle_cases(t, pki)
            if certlib.keytool():
                keystore_cases(t, pki, tmp)
                fix_cases(t, pki, tmp)
            else:
                t.skip("keystore cases", "keytool not found (Debian: "
                       "openjdk-17-jre-headless)")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
