#!/usr/bin/python3
"""The proof of issue 11: `smtpwiz check` exits 0 if and only if a real
Java mail client, given the settings block check wrote, connects, starts
TLS as configured, logs in and has MAIL FROM and RCPT TO accepted.

The client is tests/java/MailCheck.java, compiled by tests/java/build.sh
against Debian's JavaMail 1.6 (libmail-java, javax.mail) and Jakarta
Mail 2.0 (libjakarta-mail-java, jakarta.mail).  For every server
configuration of the test bed (tests/servers/fixture_smtp.py modes and
faults, the PKI variants, EHLO failing after STARTTLS) and for both libraries (`--mail-lib javamail` with the
javax client, `--mail-lib angus` with the jakarta one):

    smtpwiz check --format properties -o BLOCK --mail-lib LIB
                  --truststore trust.p12 --mail-from F --rcpt-to T
                  [--set mail.smtp.user=U --password-file PW] [...] localhost:PORT
    java -Djavax.net.ssl.trustStore=trust.p12 ... MailCheck --props BLOCK

and one TAP line asserting `check exit == 0` <=> `Java client OK`, with
both sides (check's exit, the block's head, stderr; Java's exception and
protocol trace) on a mismatch.  The issue's named examples are cases of
their own ("example: ..."), some with a --load'ed properties file.

Two cases assert a policy instead of the equivalence: a login in clear
text without --allow-plaintext-auth must make check fail whatever Java
does (issue 11, point 6); Java's outcome is still shown.

The target is localhost (the fixtures listen on 127.0.0.1): the test
PKI's leaf names it in a DNS SAN.  Three cases use the IP literal
127.0.0.1 instead, which the leaf has only as an IP SAN -- what Java's
host-name check makes of that is theirs to show.

Java resolves names only from a hosts file that holds 127.0.0.1
localhost (-Djdk.net.hosts.file): a block that invents a host name fails
with UnknownHostException without asking DNS.  Every Java run has a
watchdog (MailCheck --deadline) and a subprocess timeout behind it.

Skipped (exit 77) without java, javac, keytool or the mail jars (Debian:
openjdk-17-jdk-headless libmail-java libjakarta-mail-java; see
tests/tools/install-deps.sh).  TAP.
"""

import concurrent.futures
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import certlib  # noqa: E402
import swtest  # noqa: E402

SW = swtest.smtpwiz_bin()
CAN13 = swtest.tls13_build(SW)
USER = "alice"
PW = "Jv-t3st-Pa55!"
FROM = "alice@example.com"
TO = "bob@example.com"
AUTH = "PLAIN LOGIN"
LIBS = (("javamail", "javamail"), ("angus", "jakarta"))   # check's --mail-lib, client
JAVA_DEADLINE = 20        # MailCheck's own watchdog, seconds
WORKERS = 4               # cases in parallel: most of a case is waiting on a server


# --------------------------------------------------------------------------
# The cases

def case(name, server, args=(), user=False, password=PW, load=None, relation="iff",
         host="localhost", slow=False):
    """server: fixture options (swtest.Fixture).  args: more check options.
    user: log in as USER (check: --set mail.smtp.user, --password-file;
    Java: the same password file).  load: lines of a properties file for
    --load ({host} and {port} are filled in).  relation: "iff" (check 0
    <=> Java OK) or "refuse" (check must fail).  host: the target's name;
    "localhost" (127.0.0.1 for both sides) unless the case is about an IP
    literal.  slow: started first, so the run ends sooner."""
    return dict(name=name, server=server, args=list(args), user=user,
                password=password, load=load, relation=relation, host=host,
                slow=slow)


AUTHED = dict(auth=AUTH, passwords={USER: PW}, require_auth=True)
LOAD_HEAD = ["mail.smtp.host={host}", "mail.smtp.port={port}"]
LOAD_LOGIN = ["mail.smtp.auth=true", "mail.smtp.user=" + USER]

CASES = [
    # -- the test bed's configurations ----------------------------------------
    case("plain, no AUTH", dict(mode="plain")),
    case("plain, AUTH in clear, --allow-plaintext-auth",
         dict(mode="plain", **AUTHED), ["--allow-plaintext-auth"], user=True),
    case("starttls, AUTH after TLS", dict(mode="starttls", **AUTHED), user=True),
    case("starttls, no AUTH", dict(mode="starttls")),
    case("starttls, AUTH also before TLS", dict(mode="starttls", auth_in_clear=True,
                                                **AUTHED), user=True),
    case("starttls --require-tls", dict(mode="starttls", require_tls=True, **AUTHED),
         user=True),
    case("starttls, STARTTLS not advertised", dict(mode="starttls", no_starttls=True)),
    case("starttls, STARTTLS not advertised, --mode starttls",
         dict(mode="starttls", no_starttls=True), ["--mode", "starttls"]),
    case("starttls answered 454", dict(mode="starttls", starttls_454=True),
         ["--mode", "starttls"], slow=True),
    case("ssl (implicit TLS)", dict(mode="ssl", **AUTHED), user=True),
    case("ssl, no AUTH", dict(mode="ssl")),
    case("ssl settings on a starttls port", dict(mode="starttls", **AUTHED),
         ["--mode", "ssl"], user=True),
    case("starttls settings on an ssl port", dict(mode="ssl", **AUTHED),
         ["--mode", "starttls"], user=True),
    case("expired certificate (starttls)", dict(mode="starttls", pki_cert="expired")),
    case("expired certificate (ssl)", dict(mode="ssl", pki_cert="expired")),
    case("wrong-name certificate", dict(mode="starttls", pki_cert="wrongname")),
    case("missing intermediate (ssl)",
         dict(mode="ssl", cert=os.path.join("{pki}", "leaf.pem"),
              key=os.path.join("{pki}", "leaf.key"))),
    case("self-signed certificate", dict(mode="ssl", pki_cert="selfsigned")),
    case("TLS 1.3 only", dict(mode="starttls", tls_min="TLSv1.3")),
    case("TLS 1.3 only, expired certificate",
         dict(mode="starttls", tls_min="TLSv1.3", pki_cert="expired")),
    case("slow greeting (1 s), default timeouts", dict(mode="starttls",
                                                      greeting_delay=1), slow=True),
    case("greeting 421", dict(mode="starttls", greeting_421=True)),
    case("connection closed after EHLO", dict(mode="starttls", close_after_ehlo=True),
         slow=True),
    case("EHLO over implicit TLS answered 554", dict(mode="ssl", ehlo_tls_fault="554")),
    case("endless 250- EHLO reply after STARTTLS",
         dict(mode="starttls", ehlo_tls_fault="endless"), slow=True),
    case("IP literal host, starttls", dict(mode="starttls"), host="127.0.0.1"),
    case("IP literal host, ssl", dict(mode="ssl"), host="127.0.0.1"),
    case("IP literal host, checkserveridentity=false",
         dict(mode="starttls"), ["--set", "mail.smtp.ssl.checkserveridentity=false"],
         host="127.0.0.1"),
    case("wrong password", dict(mode="starttls", **AUTHED), user=True,
         password="not-the-password"),
    case("AUTH required, no user", dict(mode="starttls", **AUTHED)),

    # -- issue 11's named examples ----------------------------------------------
    case("example: certificate for another name, checkserveridentity=true",
         dict(mode="starttls", pki_cert="wrongname"),
         ["--set", "mail.smtp.ssl.checkserveridentity=true"]),
    case("example: plain port without AUTH, user set",
         dict(mode="plain", require_auth=True), user=True),
    case("example: AUTH in clear, no --allow-plaintext-auth",
         dict(mode="plain", **AUTHED), user=True, relation="refuse"),
    case("example: AUTH in clear, --mode starttls, no --allow-plaintext-auth",
         dict(mode="plain", **AUTHED), ["--mode", "starttls"], user=True,
         relation="refuse"),
    case("example: AUTH in clear, --mode starttls, --allow-plaintext-auth",
         dict(mode="plain", **AUTHED), ["--mode", "starttls", "--allow-plaintext-auth"],
         user=True),
    case("example: STARTTLS required, --mode plain",
         dict(mode="starttls", require_tls=True, **AUTHED), ["--mode", "plain"],
         user=True),
    case("example: --load starttls.enable=true with a trailing blank",
         dict(mode="starttls", require_tls=True, **AUTHED), user=True,
         load=LOAD_HEAD + ["mail.smtp.starttls.enable=true "] + LOAD_LOGIN),
    case("example: --load misspelt mail.smtp.starttls.enabled=true",
         dict(mode="starttls", require_tls=True, **AUTHED), user=True,
         load=LOAD_HEAD + ["mail.smtp.starttls.enabled=true"] + LOAD_LOGIN),
    case("example: --load socketFactory.class=javax.net.ssl.SSLSocketFactory",
         dict(mode="starttls", require_tls=True, **AUTHED), user=True,
         load=LOAD_HEAD + ["mail.smtp.socketFactory.class=javax.net.ssl.SSLSocketFactory",
                           "mail.smtp.starttls.enable=true"] + LOAD_LOGIN),
    case("example: --load ssl.trust=* with an expired certificate",
         dict(mode="starttls", pki_cert="expired"),
         load=LOAD_HEAD + ["mail.smtp.starttls.enable=true",
                           "mail.smtp.starttls.required=true", "mail.smtp.ssl.trust=*"]),
    case("example: --load timeout=400 against a 1 s greeting",
         dict(mode="starttls", greeting_delay=1),
         load=LOAD_HEAD + ["mail.smtp.starttls.enable=true",
                           "mail.smtp.starttls.required=true",
                           "mail.smtp.connectiontimeout=400", "mail.smtp.timeout=400"],
         slow=True),
    case("example: EHLO after STARTTLS answered 554",
         dict(mode="starttls", ehlo_tls_fault="554")),
    case("example: connection closed at EHLO after STARTTLS",
         dict(mode="starttls", ehlo_tls_fault="close")),
]


# --------------------------------------------------------------------------
# Running one case

class Env:
    """What every case shares: the PKI, the trust store, the compiled
    clients, the hosts file, the password files."""

    def __init__(self, tmp):
        self.tmp = tmp
        self.pki = swtest.pki()
        self.p12 = certlib.make_keystore(os.path.join(tmp, "trust.p12"),
                                         {"smtpwiz-test-root":
                                          os.path.join(self.pki, "root.pem")},
                                         storetype="PKCS12")
        self.hosts = os.path.join(tmp, "hosts")
        with open(self.hosts, "w") as f:
            f.write("127.0.0.1 localhost\n")
        self.classpath = {}

    def pwfile(self, secret, name):
        path = os.path.join(self.tmp, name)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secret + "\n")
        return path


def build_clients(env):
    """Compiles both clients; returns None or the reason to skip."""
    out = os.path.join(env.tmp, "java")
    r = subprocess.run(["bash", os.path.join(swtest.repo_root(), "tests", "java",
                                             "build.sh"), out],
                       capture_output=True, text=True, timeout=180)
    if r.returncode == 77:
        return r.stderr.strip() or "tests/java/build.sh: a jar is missing"
    if r.returncode != 0:
        raise RuntimeError(f"tests/java/build.sh failed ({r.returncode}):\n"
                           f"{r.stdout}{r.stderr}")
    for variant in ("javamail", "jakarta"):
        with open(os.path.join(out, variant + ".classpath")) as f:
            env.classpath[variant] = f.read().strip()
    return None


def tail(text, n):
    lines = (text or "").rstrip("\n").split("\n")
    return "\n".join(lines[-n:])


def run_check(env, c, lib, port, workdir):
    block = os.path.join(workdir, f"block-{lib}.properties")
    argv = [SW, "check", "--format", "properties", "-o", block, "--mail-lib", lib,
            "--truststore", env.p12, "--mail-from", FROM, "--rcpt-to", TO]
    if c["user"]:
        argv += ["--set", "mail.smtp.user=" + USER,
                 "--password-file", c["pwfile"]]
    if c["load"]:
        path = os.path.join(workdir, "deployed.properties")
        with open(path, "w") as f:
            f.write("".join(line.replace("{port}", str(port)) + "\n"
                            .replace("{host}", c["host"]) for line in c["load"]))
        argv += ["--load", path]
    argv += c["args"] + ["%s:%d" % (c["host"], port)]
    start = time.monotonic()
    r = swtest.run(argv, timeout=90, env={"SMTPWIZ_PASSWORD": None})
    try:
        with open(block) as f:
            text = f.read()
    except FileNotFoundError:
        text = ""
    return dict(argv=argv, code=r.returncode, stderr=r.stderr, stdout=r.stdout,
                block=block, block_text=text, secs=time.monotonic() - start)


def run_java(env, c, variant, block):
    argv = ["java", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto",
            "-Djavax.net.ssl.trustStore=" + env.p12,
            "-Djavax.net.ssl.trustStorePassword=changeit",
            "-Djdk.net.hosts.file=" + env.hosts,
            "-cp", env.classpath[variant], "MailCheck", "--props", block,
            "--from", FROM, "--to", TO, "--deadline", str(JAVA_DEADLINE), "--debug"]
    extra = {"MAILCHECK_PASSWORD_FILE": c["pwfile"] if c["user"] else None}
    start = time.monotonic()
    r = swtest.run(argv, timeout=JAVA_DEADLINE + 15, env=extra)
    line = (r.stdout.strip().split("\n") or [""])[0]
    if r.returncode == 124:
        line = "FAIL subprocess timeout (the JVM did not end)"
    return dict(argv=argv, code=r.returncode, line=line, ok=(line == "OK" and
                                                             r.returncode == 0),
                trace=r.stderr, secs=time.monotonic() - start)


def server_for(env, c):
    opts = {k: (v.replace("{pki}", env.pki) if isinstance(v, str) else v)
            for k, v in c["server"].items()}
    return swtest.Fixture(**opts)


def run_case(env, index, c):
    """Starts the server once, then check and Java for each library."""
    workdir = tempfile.mkdtemp(prefix=f"case{index}-", dir=env.tmp)
    c = dict(c, pwfile=env.pwfile(c["password"], f"pw-{index}"))
    results = []
    with server_for(env, c) as srv:
        for lib, variant in LIBS:
            chk = run_check(env, c, lib, srv.port, workdir)
            jv = run_java(env, c, variant, chk["block"])
            results.append((lib, variant, chk, jv))
    return results


def judge(t, c, lib, variant, chk, jv):
    label = f"{c['name']} [{lib}/{variant}]"
    head = [line for line in chk["block_text"].split("\n") if line.startswith("#")][:8]
    diag = "\n".join([
        f"check exit {chk['code']} ({chk['secs']:.1f} s): " +
        " ".join(os.path.basename(a) if a == SW else a for a in chk["argv"][1:]),
        "check stderr: " + tail(chk["stderr"], 6),
        "block head:", *("  " + h for h in head),
        "block settings: " + " ".join(line for line in chk["block_text"].split("\n")
                                      if line and not line.startswith("#")),
        f"Java ({variant}, exit {jv['code']}, {jv['secs']:.1f} s): {jv['line']}",
        "Java trace (last lines):", *("  " + x for x in tail(jv["trace"], 12).split("\n")),
    ])
    if c["relation"] == "refuse":
        return t.check(f"{label}: check exits non-zero (login in clear without "
                       f"consent; Java: {'OK' if jv['ok'] else 'FAIL'})",
                       chk["code"] not in (0, 64), diag)
    if CAN13 or not jv["ok"]:
        return t.check(f"{label}: check exit 0 <=> Java client OK",
                       chk["code"] != 64 and (chk["code"] == 0) == jv["ok"], diag)
    # A build without TLS 1.3 (mbedTLS 2.28) cannot run what Java ran
    # over TLS 1.3: it must say so ("NOT VERIFIED", a non-zero exit) or
    # verify what it could run -- never claim what it could not check.
    return t.check(f"{label}: Java client OK; 2.28 build: verified, or not "
                   "checked and exit non-zero",
                   chk["code"] == 0 or (chk["code"] not in (0, 64) and any(
                       h.startswith("# NOT VERIFIED") for h in head)), diag)


def main():
    for tool in ("java", "javac", "keytool"):
        if not shutil.which(tool):
            swtest.skip_all(f"{tool} not found (Debian: openjdk-17-jdk-headless)")
    tmp = tempfile.mkdtemp(prefix="swtest-verify-java-")
    try:
        env = Env(tmp)
        why = build_clients(env)
        if why:
            swtest.skip_all(why)
        start = time.monotonic()
        with swtest.Suite() as t:
            with concurrent.futures.ThreadPoolExecutor(WORKERS) as pool:
                # The slow ones first; results are reported in CASES order.
                order = sorted(range(len(CASES)), key=lambda i: not CASES[i]["slow"])
                futures = [None] * len(CASES)
                for i in order:
                    futures[i] = pool.submit(run_case, env, i, CASES[i])
                summary = []
                for c, fut in zip(CASES, futures):
                    try:
                        results = fut.result()
                    except Exception as e:      # a server that would not start
                        for lib, variant in LIBS:
                            t.check(f"{c['name']} [{lib}/{variant}]: ran", False,
                                    f"{type(e).__name__}: {e}")
                        continue
                    for lib, variant, chk, jv in results:
                        judge(t, c, lib, variant, chk, jv)
                        summary.append(f"{c['name']} [{lib}]: check {chk['code']} "
                                       f"({chk['secs']:.1f} s), Java {jv['line']} "
                                       f"({jv['secs']:.1f} s)")
            t.diag("summary (check exit, Java):\n" + "\n".join(summary))
            t.diag(f"{len(CASES)} cases x {len(LIBS)} libraries in "
                   f"{time.monotonic() - start:.1f} s")
    finally:
        swtest.remove_dir(tmp, "swtest: verify-java files")


if __name__ == "__main__":
    main()
