#!/usr/bin/env python3
"""Issue 15: the user's own Java as the judge, with the real runtimes of
this machine (Debian 12's OpenJDK 17 on PATH; Temurin 25 under
/usr/lib/jvm when it is there) and Debian 11's JDK 11, unpacked under
build/jdk/11 by tests/tools/fetch-jdk.sh (skipped, and said, when it
cannot be fetched).

- The runtime is found (PATH, JAVA_HOME, --java-home), its version read
  from its release file, the profile chosen from it (17 -> 17, 25 -> 21)
  and its own java.security read: the report names all of it.
- The real java.security changes the verdict the way the real Java
  does: Debian's 17.0.15 still allows TLS_RSA_* suites (the built-in
  profile 17, like 17.0.18+, does not), Temurin 25 disallows them.  A
  server that speaks only TLS_RSA_WITH_AES_256_GCM_SHA384 is verified
  with the runtime's java.security, refused with --java 17 alone and
  with Temurin 25 -- and --confirm-with-java agrees every time.
- JDK 11.0.32 disables TLS_RSA_*: profile 11, refused by both; a copy
  of it whose java.security no longer lists TLS_RSA_* is verified and
  confirmed by that copy.
- A Java process started with -Djava.security.properties= (TLS 1.3
  disabled), -Djavax.net.ssl.trustStore= (a store with the test CA) and
  -Dhttps.protocols: smtpwiz pointed at it (--java-pid) reads all three,
  says https.protocols is not for mail, judges with that trust store
  without --truststore, fails a TLS 1.3-only server as that Java does,
  and confirms the block through that Java.
- JavaMail 1.6 (libmail-java) and Jakarta Mail 2.0
  (libjakarta-mail-java) both confirm a block; a wrong password is
  refused by both sides (step 5); a store only smtpwiz was given
  (--cafile) verifies but the real Java refuses: the disagreement is
  said and the real Java's outcome decides the exit status.
- The password never appears in the report, and never reaches the
  Java process's command line or environment.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import swtest   # noqa: E402
import certlib  # noqa: E402
import jvmcopy  # noqa: E402

SW = certlib.SW
USER = "alice@example.org"
PW = "pw-Zq8-not-in-argv"
TEMURIN = "/usr/lib/jvm/temurin-25-jdk-amd64"
RSA_ONLY = dict(mode="starttls", tls_max="TLSv1.2", ciphers="AES256-GCM-SHA384")
AUTHED = dict(auth="PLAIN LOGIN", passwords={USER: PW}, require_auth=True)


def check(args, port, env=None, timeout=120):
    argv = [SW, "check", "--format", "json", *args, f"localhost:{port}"]
    r = swtest.run_json(argv, timeout=timeout, env=env)
    return r.data or {}, r.code, r.proc


def conf(data):
    return data.get("confirmation") or {}


def rt(data):
    return data.get("java_runtime") or {}


def runtime_cases(t, port):
    jhome = os.path.realpath(os.path.join(os.path.dirname(os.path.realpath(
        shutil.which("java"))), ".."))
    with open(os.path.join(jhome, "release")) as f:
        want = [ln.split("=", 1)[1].strip().strip('"') for ln in f
                if ln.startswith("JAVA_VERSION=")][0]
    major = int(want.split(".")[0])
    d, code, p = check(["--steps", "1"], port, env={"JAVA_HOME": None})
    r = rt(d)
    t.check("java on PATH: found, version from its release file",
            r.get("home") == jhome and r.get("version") == want and
            r.get("source") == "java on PATH", r)
    t.check("java on PATH: the profile follows the version",
            d.get("java_profile") == {17: "17", 21: "21", 11: "11"}.get(major, d.get(
                "java_profile")) and r.get("used") is True, d.get("java_profile"))
    t.check("java on PATH: its java.security is the one read",
            r.get("java_security") == os.path.join(jhome, "conf", "security",
                                                   "java.security"), r)
    d, code, p = check(["--steps", "1", "--java", "11"], port)
    t.check("--java alone: the built-in profile, the runtime not read",
            d.get("java_profile") == "11" and rt(d).get("used") is False, rt(d))
    if not os.path.isdir(TEMURIN):
        t.skip("Temurin 25 runtime", f"{TEMURIN} not installed")
        return
    d, code, p = check(["--steps", "1"], port, env={"JAVA_HOME": TEMURIN})
    t.check("JAVA_HOME: Temurin 25 found, profile 21 with its own java.security",
            rt(d).get("source") == "JAVA_HOME" and rt(d).get("version", "").startswith(
                "25.") and d.get("java_profile") == "21" and
            rt(d).get("java_security", "").startswith(TEMURIN), rt(d))
    r = swtest.run([SW, "check", "--steps", "1", "--java-home", TEMURIN,
                    f"localhost:{port}"])
    t.check("text report: which runtime was read from where",
            f"Java: Java 25" in r.stdout and f"{TEMURIN} (--java-home)" in r.stdout and
            "java.security: " + TEMURIN in r.stdout, r.stdout[:600])
    r = swtest.run([SW, "check", "--java-home", "/nonexistent", "localhost:1"])
    t.check("--java-home that is no runtime: usage error 64",
            r.returncode == 64 and "/nonexistent" in r.stderr, r.stderr)


def rsa_cases(t, env):
    """TLS_RSA only: Debian 17.0.15 allows it, the built-in 17 and 25 do not."""
    with swtest.Fixture(**RSA_ONLY) as srv:
        base = ["--truststore", env["p12"], "--confirm-with-java"]
        d, code, p = check(base, srv.port, env={"JAVA_HOME": None})
        v = d.get("verification") or {}
        real17 = "TLS_RSA" not in rt(d).get("java_security_read", "") and code == 0
        t.check("runtime 17.0.15: verified over TLS_RSA_WITH_AES_256_GCM_SHA384 "
                "and its Java confirms it",
                code == 0 and v.get("result") == "verified" and
                conf(d).get("result") == "confirmed" and conf(d).get("agrees") is True,
                json.dumps({"code": code, "v": v, "c": conf(d)})[:1500])
        d, code, p = check(["--truststore", env["p12"], "--java", "17"], srv.port)
        t.check("--java 17 (built-in, TLS_RSA_* disabled): not verified",
                code != 0 and (d.get("verification") or {}).get("result") != "verified",
                (code, d.get("verification")))
        if not real17:
            t.diag("note: the runtime on PATH disables TLS_RSA_* itself")
        if not os.path.isdir(TEMURIN):
            return
        d, code, p = check(base + ["--java-home", TEMURIN], srv.port)
        t.check("Temurin 25 (TLS_RSA_* disabled): fails, and its Java fails too",
                code not in (0, 64) and (d.get("verification") or {}).get("result") !=
                "verified" and conf(d).get("result") == "failed" and
                conf(d).get("agrees") is True, json.dumps(conf(d))[:800])


SLEEPER = """
public class Sleeper {
    public static void main(String[] a) throws Exception { Thread.sleep(600000); }
}
"""


def start_process(tmp, over, trust, opts=None):
    src = os.path.join(tmp, "Sleeper.java")
    with open(src, "w") as f:
        f.write(SLEEPER)
    if opts is None:
        opts = ["-Djava.security.properties=" + os.path.basename(over),
                "-Djavax.net.ssl.trustStore=" + trust,
                "-Djavax.net.ssl.trustStorePassword=changeit",
                "-Dhttps.protocols=TLSv1"]
    argv = ["java", *opts, src]
    return subprocess.Popen(argv, cwd=os.path.dirname(over),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def wait_cmdline(pid, needle, deadline=10.0):
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                if needle.encode() in f.read():
                    return True
        except OSError:
            return False
        time.sleep(0.05)
    return False


def process_cases(t, env):
    tmp = env["tmp"]
    over = os.path.join(tmp, "appconf", "no-tls13.security")
    os.makedirs(os.path.dirname(over))
    with open(over, "w") as f:
        f.write("jdk.tls.disabledAlgorithms=SSLv3, TLSv1, TLSv1.1, TLSv1.3, RC4, "
                "DES, MD5withRSA, DH keySize < 1024, EC keySize < 224, "
                "3DES_EDE_CBC, anon, NULL\n")
    proc = start_process(tmp, over, env["p12"])
    try:
        if not wait_cmdline(proc.pid, "Sleeper"):
            t.check("the Java process started", False, "no /proc cmdline")
            return
        with swtest.Fixture(mode="starttls", **AUTHED) as srv:
            args = ["--java-pid", str(proc.pid), "--confirm-with-java",
                    "--set", "mail.smtp.user=" + USER, "--password-file", env["pw"]]
            d, code, p = check(args, srv.port)
            r = rt(d)
            t.check("--java-pid: the process's -Djava.security.properties is read",
                    r.get("pid") == proc.pid and r.get("security_properties") == over
                    and over in r.get("java_security_read", ""), r)
            t.check("--java-pid: the process's -Djavax.net.ssl.trustStore is read",
                    r.get("truststore") == env["p12"], r)
            t.check("--java-pid: -Dhttps.protocols is named as not for mail",
                    r.get("https_protocols") == "TLSv1" and
                    any("not for mail" in n for n in r.get("notes", [])), r.get("notes"))
            t.check("--java-pid: the trust store password is not in the report",
                    "changeit" not in json.dumps(r), r.get("command"))
            lj = swtest.run([SW, "check", "--list-java"])
            t.check("--list-java offers the process, named by its command line, "
                    "its password masked", lj.returncode == 0 and
                    f"--java-pid {proc.pid}: Java " in lj.stdout and
                    "Sleeper" in lj.stdout and "changeit" not in lj.stdout,
                    lj.stdout[-1500:])
            step3 = d["steps"][2].get("data") or {}
            t.check("--java-pid: TLS 1.3 disabled by the override, TLSv1.2 used",
                    "TLSv1.3" not in (step3.get("java_enabled") or []) and
                    (d.get("verification") or {}).get("result") == "verified" and
                    "TLSv1.2" in (d.get("verification") or {}).get("tls", ""),
                    (step3.get("java_enabled"), d.get("verification")))
            t.check("--java-pid: verified with the process's trust store, "
                    "confirmed by that Java", code == 0 and
                    conf(d).get("result") == "confirmed", json.dumps(conf(d))[:800])
            t.check("the password is nowhere in the report", PW not in p.stdout and
                    PW not in p.stderr)
        with swtest.Fixture(mode="starttls", tls_min="TLSv1.3") as srv:
            d, code, p = check(["--java-pid", str(proc.pid), "--confirm-with-java"],
                               srv.port)
            t.check("--java-pid: a TLS 1.3-only server fails as that Java fails",
                    code == 3 and conf(d).get("result") == "failed" and
                    conf(d).get("agrees") is True, (code, conf(d)))
            d, code, p = check(["--truststore", env["p12"]], srv.port)
            if swtest.tls13_build(SW):
                t.check("without the process: the same server is verified (TLS 1.3)",
                        code == 0, code)
            else:
                t.check("without the process, 2.28 build: TLS 1.3 not checked, "
                        "not-run, exit non-zero", code not in (0, 64) and
                        (d.get("verification") or {}).get("result") == "not-run",
                        (code, d.get("verification")))
    finally:
        proc.kill()
        proc.wait()
    # -Djdk.tls.client.protocols=TLSv1.2: what JavaMail enables when
    # mail.smtp.ssl.protocols is not set.
    proc = start_process(tmp, over, env["p12"],
                         ["-Djavax.net.ssl.trustStore=" + env["p12"],
                          "-Djavax.net.ssl.trustStorePassword=changeit",
                          "-Djdk.tls.client.protocols=TLSv1.2"])
    try:
        if not wait_cmdline(proc.pid, "Sleeper"):
            t.check("the second Java process started", False, "no /proc cmdline")
            return
        with swtest.Fixture(mode="starttls", tls_min="TLSv1.3") as srv:
            d, code, p = check(["--java-pid", str(proc.pid), "--confirm-with-java"],
                               srv.port)
            t.check("-Djdk.tls.client.protocols=TLSv1.2 against a TLS 1.3-only "
                    "server: fails as that Java fails",
                    code == 3 and rt(d).get("client_protocols") == "TLSv1.2" and
                    conf(d).get("result") == "failed" and
                    conf(d).get("agrees") is True, (code, conf(d)))
            # The JDK derives its default suites from those protocols: no
            # TLS 1.3 suite is enabled, so TLSv1.3 alone does not help.
            d, code, p = check(["--java-pid", str(proc.pid), "--confirm-with-java",
                                "--set", "mail.smtp.ssl.protocols=TLSv1.3"], srv.port)
            t.check("... mail.smtp.ssl.protocols=TLSv1.3 alone: still no TLS 1.3 "
                    "suite, for both", code != 0 and conf(d).get("result") == "failed"
                    and conf(d).get("agrees") is True, (code, conf(d)))
            d, code, p = check(["--java-pid", str(proc.pid), "--confirm-with-java",
                                "--set", "mail.smtp.ssl.protocols=TLSv1.3", "--set",
                                "mail.smtp.ssl.ciphersuites=TLS_AES_256_GCM_SHA384 "
                                "TLS_AES_128_GCM_SHA256"], srv.port)
            t.check("... with mail.smtp.ssl.ciphersuites too: verified and "
                    "confirmed", code == 0 and conf(d).get("result") == "confirmed",
                    (code, conf(d)))
    finally:
        proc.kill()
        proc.wait()


def library_cases(t, env):
    with swtest.Fixture(mode="starttls", **AUTHED) as srv:
        login = ["--truststore", env["p12"], "--confirm-with-java",
                 "--set", "mail.smtp.user=" + USER, "--password-file", env["pw"]]
        for lib, jar, pkg in (("javamail", "/usr/share/java/javax.mail.jar", "javax.mail"),
                              ("angus", "/usr/share/java/jakarta-mail.jar",
                               "jakarta.mail")):
            if not os.path.exists(jar):
                t.skip(f"{pkg} confirms", f"{jar} missing")
                continue
            d, code, p = check(login + ["--mail-lib", lib, "--mail-jar", jar], srv.port)
            c = conf(d)
            t.check(f"{pkg} ({jar}) confirms the block", code == 0 and
                    c.get("result") == "confirmed" and
                    (c.get("mail_lib") or "").startswith(pkg) and
                    c.get("jar_source") == "--mail-jar", (code, c))
        bad = os.path.join(env["tmp"], "bad-pw")
        with open(bad, "w") as f:
            f.write("wrong-password\n")
        os.chmod(bad, 0o600)
        d, code, p = check(["--truststore", env["p12"], "--confirm-with-java",
                            "--set", "mail.smtp.user=" + USER, "--password-file", bad],
                           srv.port)
        t.check("a wrong password: Java's AuthenticationFailedException, step 5, "
                "agreeing", code == 5 and conf(d).get("result") == "failed" and
                "AuthenticationFailedException" in (conf(d).get("java_exception") or "")
                and conf(d).get("step") == 5 and conf(d).get("agrees") is True,
                (code, conf(d)))
    # smtpwiz given a PEM the real Java never reads: they disagree.  Over
    # TLS 1.2, which every build can verify (2.28 cannot run TLS 1.3).
    with swtest.Fixture(mode="starttls", tls_max="TLSv1.2", **AUTHED) as srv:
        d, code, p = check(["--cafile", os.path.join(env["pki"], "root.pem"),
                            "--confirm-with-java", "--set", "mail.smtp.user=" + USER,
                            "--password-file", env["pw"]], srv.port)
        t.check("--cafile: verified by smtpwiz, refused by the real Java, which "
                "decides (exit non-zero, disagreement said)",
                (d.get("verification") or {}).get("result") == "verified" and
                conf(d).get("result") == "failed" and conf(d).get("agrees") is False and
                code not in (0, 64), (code, conf(d)))
        r = swtest.run([SW, "check", "--cafile", os.path.join(env["pki"], "root.pem"),
                        "--confirm-with-java", "--set", "mail.smtp.user=" + USER,
                        "--password-file", env["pw"], f"localhost:{srv.port}"],
                       timeout=120)
        t.check("text report: DISAGREES with smtpwiz's verification",
                "DISAGREES with smtpwiz's verification" in r.stdout, r.stdout[-800:])


def argv_env_case(t, env):
    """Watch the Java child: the password is in neither argv nor environ."""
    with swtest.Fixture(mode="starttls", greeting_delay=2, **AUTHED) as srv:
        argv = [SW, "check", "--truststore", env["p12"], "--confirm-with-java",
                "--set", "mail.smtp.user=" + USER, "--password-file", env["pw"],
                "--steps", "1-5", f"localhost:{srv.port}"]
        proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        seen, leaked = False, []
        end = time.monotonic() + 90
        while proc.poll() is None and time.monotonic() < end:
            s, bad = jvmcopy.scan_mail_confirm(PW)
            seen, leaked = seen or s, leaked + bad
            time.sleep(0.02)
        proc.wait()
        t.check("the Java child was seen running MailConfirm", seen)
        t.check("the password was in neither its argv nor its environment",
                seen and not leaked, leaked)


def edited_copy(home, tmp):
    """A copy of the runtime (tests/lib/jvmcopy.py) whose java.security
    allows TLS_RSA_*."""
    # Beside the fetched tree, not in it (fetch-jdk.sh lists that one).
    text = jvmcopy.edit_property(jvmcopy.security_text(home), "jdk.tls.disabledAlgorithms",
                                 lambda v: jvmcopy.drop_entries(v, {"TLS_RSA_*"}))
    return jvmcopy.make(home, os.path.join(swtest.repo_root(), "build", "jdk", "11-edited"),
                        security=text)


def jdk11_cases(t, env):
    home, why = jvmcopy.fetch_jdk11()
    if home is None:
        t.skip("JDK 11 (Debian 11) cases", why)
        return
    home = os.path.realpath(home)
    with swtest.Fixture(**RSA_ONLY) as srv:
        base = ["--truststore", env["p12"], "--confirm-with-java", "--java-home"]
        d, code, p = check(base + [home], srv.port)
        t.check("JDK 11 (Debian 11): profile 11 from its release file, its own "
                "java.security", d.get("java_profile") == "11" and
                rt(d).get("version", "").startswith("11.") and
                rt(d).get("java_security", "").startswith(home), rt(d))
        t.check("JDK 11 (TLS_RSA_* disabled) against TLS_RSA only: fails, and that "
                "Java fails too", code not in (0, 64) and
                conf(d).get("result") == "failed" and conf(d).get("agrees") is True and
                (conf(d).get("java") or "").startswith("11."), (code, conf(d)))
        edited = edited_copy(home, env["tmp"])
        d, code, p = check(base + [edited], srv.port)
        t.check("JDK 11 with TLS_RSA_* taken out of its java.security: verified, "
                "and that Java confirms", code == 0 and
                (d.get("verification") or {}).get("result") == "verified" and
                conf(d).get("result") == "confirmed" and
                (conf(d).get("java") or "").find(edited) >= 0, (code, conf(d)))


def main():
    for tool in ("java", "keytool"):
        if not shutil.which(tool):
            swtest.skip_all(f"{tool} not found (Debian: openjdk-17-jdk-headless)")
    tmp = tempfile.mkdtemp(prefix="swtest-java-runtime-")
    try:
        pki = swtest.pki()
        env = dict(tmp=tmp, pki=pki, pw=os.path.join(tmp, "pw"),
                   p12=certlib.make_keystore(os.path.join(tmp, "trust.p12"),
                                             {"smtpwiz-test-root":
                                              os.path.join(pki, "root.pem")},
                                             storetype="PKCS12"))
        with open(env["pw"], "w") as f:
            f.write(PW + "\n")
        os.chmod(env["pw"], 0o600)
        with swtest.Suite() as t:
            with swtest.Fixture(mode="starttls") as srv:
                runtime_cases(t, srv.port)
            rsa_cases(t, env)
            jdk11_cases(t, env)
            process_cases(t, env)
            library_cases(t, env)
            argv_env_case(t, env)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
