#!/usr/bin/python3
"""Step 2 judges the chain against the trust store Java itself reads.

Without --cafile/--truststore that is the cacerts of the Java runtime
smtpwiz finds -- JAVA_HOME, else the `java` on PATH with its symlinks
resolved -- in JSSE's order: lib/security/jssecacerts when present, else
lib/security/cacerts (Java 8: under jre/).  Fake runtimes are made under a
temporary directory, each with a release file and a cacerts made by keytool
from the test PKI: one that holds the test root (the fixture's chain is then
trusted, exit 0) and one that lacks it (untrusted, exit 2).  Only when no
Java can be found does step 2 fall back to the system bundle, and it says
so.  A --cafile or a keystore that is not the runtime's says how Java must
be given it; the keytool command it prints is run for real.  TAP.
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


class Runtimes:
    """Fake Java runtimes under one temporary directory."""

    def __init__(self, pki):
        self.dir = tempfile.mkdtemp(prefix="swtest-java-")
        self.root = os.path.join(pki, "root.pem")
        self.other = os.path.join(pki, "selfsigned.pem")
        self.empty_path = self.mkdir("empty-path")

    def mkdir(self, *parts):
        path = os.path.join(self.dir, *parts)
        os.makedirs(path, exist_ok=True)
        return path

    def runtime(self, name, version, stores, java8=False, storetype="JKS"):
        """A JAVA_HOME: release, bin/java, and {file name: PEM} keystores
        in lib/security (Java 8: jre/lib/security, java in jre/bin)."""
        home = self.mkdir(name)
        with open(os.path.join(home, "release"), "w") as f:
            f.write(f'IMPLEMENTOR="smtpwiz test"\nJAVA_VERSION="{version}"\n')
        sub = ["jre"] if java8 else []
        sec = self.mkdir(name, *sub, "lib", "security")
        java = os.path.join(self.mkdir(name, *sub, "bin"), "java")
        with open(java, "w") as f:
            f.write("#!/bin/sh\necho 'not a real java' >&2\nexit 1\n")
        os.chmod(java, 0o755)
        for file, pem in stores.items():
            certlib.make_keystore(os.path.join(sec, file), {"test-ca": pem},
                                  storetype=storetype)
        return home

    def path_with_java(self, name, target):
        """A PATH directory whose java is a chain of two symlinks to target."""
        d = self.mkdir("path-" + name)
        hop = os.path.join(d, ".java-alternative")
        os.symlink(target, hop)
        os.symlink(hop, os.path.join(d, "java"))
        return d

    def close(self):
        shutil.rmtree(self.dir, ignore_errors=True)


def run(fx, *args, java_home=None, path=None, fmt="json"):
    env = {"JAVA_HOME": java_home, "PATH": path}
    argv = [certlib.SW, "check", "--steps", "1-2", "--format", fmt,
            *certlib.mode_args("starttls"), *args, f"127.0.0.1:{fx.port}"]
    if fmt != "json":
        return swtest.run(argv, env=env, timeout=90)
    return swtest.run_json(argv, env=env, timeout=90)


def store(data):
    return certlib.d2(data).get("trust_store", {})


def trusted(data, code):
    return certlib.d2(data).get("trusted") is True and code == 0


def untrusted(data, code):
    d = certlib.d2(data)
    return d.get("trusted") is False and "untrusted" in d.get("problems", []) and code == 2


def java_home_cases(t, fx, rt, good, lacking, java8):
    cacerts = os.path.join(good, "lib", "security", "cacerts")
    data, code = run(fx, java_home=good, path=rt.empty_path)
    d, ts = certlib.d2(data), store(data)
    t.check("JAVA_HOME: its cacerts judges the chain (kind, path, default)",
            ts.get("kind") == "keystore" and ts.get("path") == cacerts and
            ts.get("java_default") is True and ts.get("not_java") is False and
            ts.get("needs_java_setting") is False and ts.get("java_setting") is None,
            ts)
    t.check("JAVA_HOME: its anchors only (1), JKS read with changeit",
            ts.get("certificates") == 1 and ts.get("description") == "JKS keystore" and
            ts.get("integrity") == "ok", ts)
    t.check("JAVA_HOME: runtime named (home, source, release version)",
            d.get("java_home") == good and d.get("java_source") == "JAVA_HOME" and
            d.get("java_version") == "17.0.99" and d.get("java_cacerts") == cacerts and
            d.get("java_jssecacerts") is False, d)
    t.check("JAVA_HOME with the test root: trusted, exit 0", trusted(data, code),
            (code, d.get("problems"), certlib.ids(data)))
    f = certlib.finding(data, "truststore") or {}
    t.check("JAVA_HOME: says it is the store Java uses by default",
            "Java uses by default" in f.get("message", "") and
            "truststore-not-java" not in certlib.ids(data) and
            "truststore-java-setting" not in certlib.ids(data), f)
    t.check("JAVA_HOME: no other store reported as Java's",
            "java-cacerts-lacks-ca" not in certlib.ids(data), certlib.ids(data))

    data, code = run(fx, java_home=lacking, path=rt.empty_path)
    ts = store(data)
    t.check("JAVA_HOME without the test root: untrusted, exit 2", untrusted(data, code),
            (code, certlib.d2(data).get("problems")))
    t.check("JAVA_HOME without the root: PKCS12 cacerts is the store",
            ts.get("path") == os.path.join(lacking, "lib", "security", "cacerts") and
            ts.get("description") == "PKCS12 keystore" and ts.get("java_default") is True,
            ts)
    imp = certlib.d2(data).get("keytool") or ""
    msg = (certlib.finding(data, "import-ca") or {}).get("message", "")
    # Issue 16: into a copy of that cacerts that -Djavax.net.ssl.trustStore
    # names, never into the runtime's own (distribution-managed) file.
    t.check("JAVA_HOME without the root: keytool targets a copy of that cacerts",
            "-keystore ./mail-cacerts" in imp and
            f"cp -L {os.path.join(lacking, 'lib', 'security', 'cacerts')} ./mail-cacerts"
            in msg and "-Djavax.net.ssl.trustStore=" in msg, (imp, msg))

    data, code = run(fx, java_home=java8, path=rt.empty_path)
    ts, d = store(data), certlib.d2(data)
    t.check("Java 8 layout: jre/lib/security/cacerts, trusted",
            ts.get("path") == os.path.join(java8, "jre", "lib", "security", "cacerts") and
            d.get("java_version") == "1.8.0_999" and trusted(data, code),
            (code, ts, d.get("java_version")))

    r = run(fx, java_home=good, path=rt.empty_path, fmt="text")
    t.check("text report: the store and the runtime",
            f"Java reads  {cacerts} (JAVA_HOME, Java 17.0.99)" in r.stdout and
            "trust store" in r.stdout, r.stdout[-1500:])


def jsse_cases(t, fx, rt):
    # jssecacerts holds the root, cacerts does not: JSSE reads jssecacerts.
    first = rt.runtime("jsse-trusts", "17.0.99", {"cacerts": rt.other,
                                                  "jssecacerts": rt.root})
    data, code = run(fx, java_home=first, path=rt.empty_path)
    ts, d = store(data), certlib.d2(data)
    t.check("jssecacerts beside cacerts wins: it judges, trusted",
            ts.get("path") == os.path.join(first, "lib", "security", "jssecacerts") and
            d.get("java_jssecacerts") is True and trusted(data, code), (code, ts))
    t.check("jssecacerts: the finding names it",
            "jssecacerts" in (certlib.finding(data, "truststore") or {}).get("message", ""),
            certlib.finding(data, "truststore"))
    # ...and the other way round: cacerts would trust, jssecacerts does not.
    second = rt.runtime("jsse-lacks", "17.0.99", {"cacerts": rt.root,
                                                  "jssecacerts": rt.other})
    data, code = run(fx, java_home=second, path=rt.empty_path)
    t.check("jssecacerts without the root: untrusted although cacerts has it",
            untrusted(data, code) and store(data).get("path", "").endswith("jssecacerts"),
            (code, store(data)))


def path_cases(t, fx, rt, good, lacking):
    pgood = rt.path_with_java("good", os.path.join(good, "bin", "java"))
    data, code = run(fx, path=pgood)
    d, ts = certlib.d2(data), store(data)
    t.check("java on PATH (two symlinks): its runtime's cacerts, trusted",
            d.get("java_source") == "java on PATH" and d.get("java_home") == good and
            ts.get("path") == os.path.join(good, "lib", "security", "cacerts") and
            ts.get("java_default") is True and trusted(data, code), (code, d.get("java_home"),
                                                                     ts))
    plack = rt.path_with_java("lacking", os.path.join(lacking, "bin", "java"))
    data, code = run(fx, path=plack)
    t.check("java on PATH lacking the root: untrusted", untrusted(data, code),
            (code, store(data)))
    data, code = run(fx, java_home=lacking, path=pgood)
    t.check("JAVA_HOME wins over PATH",
            certlib.d2(data).get("java_source") == "JAVA_HOME" and untrusted(data, code),
            (code, certlib.d2(data).get("java_source")))
    data, code = run(fx, java_home=os.path.join(rt.dir, "no-such-jdk"), path=pgood)
    t.check("JAVA_HOME without a runtime: the java on PATH is used",
            certlib.d2(data).get("java_source") == "java on PATH" and trusted(data, code),
            (code, certlib.d2(data).get("java_source")))


def no_java_cases(t, fx, rt):
    data, code = run(fx, path=rt.empty_path)
    ts = store(data)
    expected = next((p for p in SYSTEM_BUNDLES if os.path.isfile(p)), None)
    if expected is None:
        t.check("no Java, no system bundle: truststore-missing says both",
                "no Java runtime was found" in
                (certlib.finding(data, "truststore-missing") or {}).get("message", ""),
                certlib.ids(data))
        return
    t.check("no Java: the system bundle, marked not_java",
            ts.get("kind") == "system" and ts.get("path") == expected and
            ts.get("not_java") is True and ts.get("java_default") is False and
            certlib.d2(data).get("java_cacerts") is None, ts)
    f = certlib.finding(data, "truststore-not-java") or {}
    msg = f.get("message", "")
    t.check("no Java: a warning says Java does not read the bundle",
            f.get("severity") == "warn" and "No Java runtime found" in msg and
            "which Java does not read" in msg and "--truststore" in msg and
            "application's trust store" in msg, f)
    t.check("no Java: the private root is not in the bundle: exit 2",
            untrusted(data, code), (code, certlib.d2(data).get("problems")))
    r = run(fx, path=rt.empty_path, fmt="text")
    t.check("no Java: the text report says so",
            "no Java runtime found" in r.stdout, r.stdout[-1500:])


def given_store_cases(t, fx, rt, good, lacking):
    cacerts = os.path.join(lacking, "lib", "security", "cacerts")
    data, code = run(fx, "--cafile", rt.root, java_home=lacking, path=rt.empty_path)
    ts = store(data)
    setting = ts.get("java_setting") or ""
    t.check("--cafile: trusted, kind pem, needs a Java setting",
            trusted(data, code) and ts.get("kind") == "pem" and
            ts.get("needs_java_setting") is True and ts.get("java_default") is False, ts)
    t.check("--cafile: the setting is the keytool import into the runtime's cacerts",
            "keytool -importcert -noprompt -alias root" in setting and
            f"-file {os.path.realpath(rt.root)}" in setting and
            f"-keystore {cacerts} -storepass changeit" in setting, setting)
    f = certlib.finding(data, "truststore-java-setting") or {}
    t.check("--cafile: step 2 says Java must be given it",
            "Java must be given this trust store" in f.get("message", "") and
            setting in f.get("message", ""), f)
    r = run(fx, "--cafile", rt.root, java_home=lacking, path=rt.empty_path, fmt="text")
    t.check("--cafile: text report has the setting",
            "Java needs" in r.stdout and "keytool -importcert" in r.stdout, r.stdout[-1500:])

    # Run the command it printed, on a copy of the runtime: then Java's own
    # cacerts trusts the server without --cafile.
    copy = os.path.join(rt.dir, "lacking-copy")
    shutil.copytree(lacking, copy, symlinks=True)
    cmd = setting.split(": ", 1)[-1].replace(lacking, copy)
    p = subprocess.run(["sh", "-c", cmd], capture_output=True, text=True, timeout=120)
    data, code = run(fx, java_home=copy, path=rt.empty_path)
    t.check("the printed keytool command, run: the runtime's cacerts then trusts",
            p.returncode == 0 and trusted(data, code), (cmd, p.stderr, code))

    other = certlib.make_keystore(os.path.join(rt.dir, "app trust.jks"), {"r": rt.root})
    data, code = run(fx, "--truststore", other, java_home=lacking, path=rt.empty_path)
    ts = store(data)
    t.check("--truststore another keystore: trusted, needs -Djavax.net.ssl.trustStore",
            trusted(data, code) and ts.get("needs_java_setting") is True and
            f"-Djavax.net.ssl.trustStore='{other}'" in (ts.get("java_setting") or ""),
            ts)
    data, code = run(fx, "--truststore", other, "--cafile", rt.other, java_home=lacking,
                     path=rt.empty_path)
    s = store(data).get("java_setting") or ""
    t.check("--truststore and --cafile: import into that keystore, then -D",
            "into that keystore" in s and f"-keystore '{other}'" in s and
            "-Djavax.net.ssl.trustStore=" in s, s)

    own = os.path.join(good, "lib", "security", "cacerts")
    data, code = run(fx, "--truststore", own, java_home=good, path=rt.empty_path)
    ts = store(data)
    t.check("--truststore naming the runtime's own cacerts: nothing to set",
            trusted(data, code) and ts.get("needs_java_setting") is False and
            ts.get("java_default") is False, ts)


def real_runtime_cases(t, fx, rt):
    """This machine's Java (Debian: a JKS behind two symlinks)."""
    java = shutil.which("java")
    if not java:
        t.skip("the real Java runtime's cacerts", "no java on PATH")
        return
    home = os.path.dirname(os.path.dirname(os.path.realpath(java)))
    path = os.path.dirname(java)
    data, code = run(fx, path=path)
    ts = store(data)
    listed = subprocess.run(["keytool", "-list", "-keystore", ts.get("path") or "/",
                             "-storepass", "changeit"], capture_output=True, text=True,
                            timeout=120)
    n = listed.stdout.count("trustedCertEntry")
    t.check("real Java: its cacerts loads, every anchor keytool lists",
            ts.get("java_default") is True and certlib.d2(data).get("java_home") == home and
            n > 20 and ts.get("certificates") == n, (ts, n, home))
    t.check("real Java: the private test root is not in it", untrusted(data, code),
            (code, certlib.d2(data).get("problems")))
    t.diag(f"{home}: {ts.get('path')} ({ts.get('description')}) holds "
           f"{ts.get('certificates')} anchors")


def main():
    if not certlib.keytool():
        swtest.skip_all("keytool not found (Debian: openjdk-17-jre-headless)")
    pki = swtest.pki()
    rt = Runtimes(pki)
    try:
        with swtest.Suite() as t:
            good = rt.runtime("jdk-good", "17.0.99", {"cacerts": rt.root})
            lacking = rt.runtime("jdk-lacking", "21.0.99", {"cacerts": rt.other},
                                 storetype="PKCS12")
            java8 = rt.runtime("jdk8", "1.8.0_999", {"cacerts": rt.root}, java8=True)
            for p in (good, lacking, java8):
                os.chmod(p, os.stat(p).st_mode | stat.S_IRWXU)
            with swtest.Fixture(mode="starttls") as fx:
                java_home_cases(t, fx, rt, good, lacking, java8)
                jsse_cases(t, fx, rt)
                path_cases(t, fx, rt, good, lacking)
                no_java_cases(t, fx, rt)
                given_store_cases(t, fx, rt, good, lacking)
                real_runtime_cases(t, fx, rt)
    finally:
        rt.close()


if __name__ == "__main__":
    main()
