#!/usr/bin/python3
"""The proxy Java goes through, end to end against real proxies the suite
starts on 127.0.0.1: Debian's dante-server (SOCKS5, mail.smtp.socks.*)
and tinyproxy (HTTP CONNECT, mail.smtp.proxy.*), each with and without
authentication, in front of the fixture SMTP server.  Every connection
of every step and of the verification goes through the proxy (the
proxy's log counts as many tunnels as the server saw connections, and
for SOCKS each of the server's peers is one of dante's), the block
carries the proxy lines, and a proxy that refuses -- nothing listening,
a ruleset, a login wanted or refused, 403 and 407 from CONNECT -- is a
step 1 finding quoting the exception Java would throw.  The proxy's
password never shows in any output.  TAP output.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import swtest  # noqa: E402

SW = swtest.smtpwiz_bin()
USER = "alice"
PW = "Zq7-known-Pa55word!x"
PROXY_PW = "Px9-known-Proxy-Secret"
PROXY_USER = "swproxy"
CHK = swtest.CheckRunner("swtest-proxy-")
TMP = CHK.tmp
OUTPUTS = CHK.outputs
DANTED = shutil.which("danted") or "/usr/sbin/danted"
TINYPROXY = shutil.which("tinyproxy") or "/usr/bin/tinyproxy"


class Daemon:
    """A proxy in the foreground, in its own temp dir, stopped by PID."""

    def __init__(self, name, conf, argv, log):
        self.dir = tempfile.mkdtemp(prefix="swtest-%s-" % name, dir=TMP)
        os.chmod(self.dir, 0o777)      # the daemons drop to nobody
        self.port = swtest.free_port()
        self.log = os.path.join(self.dir, log)
        self.conf = os.path.join(self.dir, name + ".conf")
        with open(self.conf, "w") as f:
            f.write(conf.format(port=self.port, dir=self.dir))
        self.argv = [a.format(conf=self.conf, dir=self.dir) for a in argv]
        self.proc = None

    def __enter__(self):
        self.out = open(os.path.join(self.dir, "out"), "w")
        self.proc = subprocess.Popen(self.argv, stdin=subprocess.DEVNULL,
                                     stdout=self.out, stderr=self.out)
        deadline = time.monotonic() + 10
        import socket
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                break
            try:
                socket.create_connection(("127.0.0.1", self.port), 0.2).close()
                return self
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("%s did not start: %s" % (self.argv[0], self.output()))

    def __exit__(self, *exc):
        swtest.terminate(self.proc, 3.0)
        self.out.close()
        return False

    def output(self):
        with open(os.path.join(self.dir, "out")) as f:
            return f.read()

    def log_text(self):
        try:
            with open(self.log, errors="replace") as f:
                return f.read()
        except FileNotFoundError:
            return ""


DANTE_CONF = """logoutput: {dir}/danted.log
internal: 127.0.0.1 port = {port}
external: 127.0.0.1
clientmethod: none
socksmethod: %s
user.privileged: root
user.unprivileged: nobody
client pass { from: 127.0.0.0/8 to: 0.0.0.0/0 }
socks %s { from: 127.0.0.0/8 to: 127.0.0.0/8 log: connect disconnect error }
socks block { from: 0.0.0.0/0 to: 0.0.0.0/0 log: connect error }
"""


def dante(method="none", rule="pass"):
    return Daemon("danted", (DANTE_CONF % (method, rule)).replace("{ ", "{{ ").replace(" }", " }}"),
                  [DANTED, "-f", "{conf}", "-p", "{dir}/pid", "-N", "1"], "danted.log")


TINY_CONF = """Port {port}
Listen 127.0.0.1
Timeout 60
MaxClients 64
LogLevel Connect
LogFile "{dir}/tinyproxy.log"
PidFile "{dir}/tinyproxy.pid"
Allow 127.0.0.1
"""


def tinyproxy(extra=""):
    return Daemon("tinyproxy", TINY_CONF + extra,
                  [TINYPROXY, "-d", "-c", "{conf}"], "tinyproxy.log")


def check(port, *args, fmt="json", proxy_pw=None):
    argv = ["--timeout", "15", "--cafile", os.path.join(swtest.pki(), "root.pem"),
            "--user", USER, "--password-file", CHK.secret_file(PW)]
    env = {} if proxy_pw is None else {"SMTPWIZ_PROXY_PASSWORD": proxy_pw}
    p, data = CHK.run(argv + list(args) + ["localhost:%d" % port], fmt=fmt,
                      env=env, timeout=180)
    return p, data or {}


step = swtest.step
finding = swtest.finding


def peers(fx):
    return re.findall(r"CONNECT 127\.0\.0\.1:(\d+)", fx.log_text())


def through_all(t, name, fx, d, before, data, kind):
    p1 = step(data, 1).get("data", {}).get("proxy") or {}
    v = data.get("verification", {})
    t.check(name + ": verified through the proxy, exit 0",
            v.get("result") == "verified" and data.get("exit_status") == 0 and
            p1.get("kind") == kind, (v, p1, data.get("exit_status")))
    seen = peers(fx)[before:]
    log = d.log_text()
    if kind == "SOCKS5":
        tunnels = len(re.findall(r"tcp/connect \[:", log))
        outside = [pt for pt in seen if not re.search(r"127\.0\.0\.1\.%s 127\.0\.0\.1\.%d" % (pt, fx.port), log)]
    else:
        tunnels = log.count("Established connection")
        outside = []
    t.check(name + ": every connection of steps 1-5 and the verification went through it "
            "(%d at the server, %d tunnels)" % (len(seen), tunnels),
            len(seen) > 5 and len(seen) == tunnels and not outside, (len(seen), tunnels, outside))
    props = data.get("properties", {})
    keys = ("mail.smtp.socks.host", "mail.smtp.socks.port") if kind == "SOCKS5" else \
        ("mail.smtp.proxy.host", "mail.smtp.proxy.port")
    t.check(name + ": the block has the proxy lines",
            props.get(keys[0]) == "127.0.0.1" and props.get(keys[1]) == str(d.port), props)
    t.check(name + ": step 1 says so (proxy-used)", finding(data, 1, "proxy-used") is not None,
            step(data, 1).get("findings"))


def refused(t, name, data, *words):
    f = finding(data, 1, "proxy-failed") or {}
    m = f.get("message", "")
    t.check(name + ": proxy-failed in Java's words",
            f.get("severity") == "fail" and all(w in m for w in words) and
            data.get("exit_status") == 1, (m, data.get("exit_status")))


def wizard(t, fx, d):
    """The wizard with --proxy: step 1 probes through the proxy."""
    import test_tui_common as tc
    if shutil.which("tmux") is None:
        t.skip("the wizard through the proxy", "tmux not installed")
        return
    tm = tc.Tmux(TMP, "proxy")
    try:
        before = d.log_text().count("Established connection")
        # 30 rows: with a proxy set, step 1 shows its port and login
        # rows too, and proxy-used is the third finding.
        tm.start("w", ["--proxy", "127.0.0.1:%d" % d.port, "--cafile",
                       os.path.join(swtest.pki(), "root.pem"), "localhost:%d" % fx.port],
                 y=30)
        ok, s = tm.wait("w", "proxy-used", timeout=30)
        after = d.log_text().count("Established connection")
        t.check("wizard --proxy: step 1 went through the proxy (proxy-used, %d tunnels)"
                % (after - before), ok and after > before, s)
        tm.keys("w", "q")
        tc.exit_state(tm, "w", timeout=20)
    finally:
        tm.kill_server()


def main():
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    with swtest.Suite() as t:
        have_dante = os.access(DANTED, os.X_OK)
        have_tiny = os.access(TINYPROXY, os.X_OK)
        # TLS 1.2 at most, so that every build can verify through the
        # proxy (a 2.28 build cannot verify TLS 1.3: test_tls13.py).
        with swtest.Fixture(mode="starttls", auth="PLAIN LOGIN", passwords={USER: PW},
                            tls_max="TLSv1.2") as fx:
            if not have_dante:
                t.skip("SOCKS5 through dante-server", "danted not installed "
                       "(tests/tools/install-deps.sh installs dante-server)")
            else:
                with dante() as d:
                    n0 = len(peers(fx))
                    p, data = check(fx.port, "--socks", "127.0.0.1:%d" % d.port)
                    through_all(t, "SOCKS5 (dante, no login)", fx, d, n0, data, "SOCKS5")
                with dante(rule="block") as d:
                    p, data = check(fx.port, "--socks", "127.0.0.1:%d" % d.port)
                    refused(t, "SOCKS5 ruleset", data,
                            "SOCKS: Connection not allowed by ruleset", "socks pass rule")
                with dante(method="username") as d:
                    p, data = check(fx.port, "--socks", "127.0.0.1:%d" % d.port)
                    refused(t, "SOCKS5 wants a login, none given", data,
                            "SOCKS : No acceptable methods", "java.net.socks.username")
                    p, data = check(fx.port, "--socks", "nosuchuser@127.0.0.1:%d" % d.port,
                                    proxy_pw=PROXY_PW)
                    refused(t, "SOCKS5 login refused", data,
                            "SOCKS : authentication failed", "java.net.socks.password")
                    if os.geteuid() == 0 and shutil.which("useradd"):
                        subprocess.run(["userdel", PROXY_USER], capture_output=True)
                        subprocess.run(["useradd", "-M", "-s", "/usr/sbin/nologin", PROXY_USER],
                                       check=True, capture_output=True)
                        subprocess.run(["chpasswd"], input="%s:%s\n" % (PROXY_USER, PROXY_PW),
                                       text=True, check=True, capture_output=True)
                        try:
                            n0 = len(peers(fx))
                            p, data = check(fx.port, "--socks", "%s@127.0.0.1:%d" % (PROXY_USER, d.port),
                                            proxy_pw=PROXY_PW)
                            through_all(t, "SOCKS5 with a login (RFC 1929)", fx, d, n0, data, "SOCKS5")
                        finally:
                            subprocess.run(["userdel", PROXY_USER], capture_output=True)
                    else:
                        t.skip("SOCKS5 with a login", "needs root to make a system user for dante")
            port = swtest.free_port()
            p, data = check(fx.port, "--socks", "127.0.0.1:%d" % port)
            refused(t, "SOCKS5 proxy not listening", data, "Connection refused",
                    "Nothing answers at the proxy's address")

            if not have_tiny:
                t.skip("HTTP CONNECT through tinyproxy", "tinyproxy not installed "
                       "(tests/tools/install-deps.sh installs it)")
            else:
                with tinyproxy() as d:
                    n0 = len(peers(fx))
                    p, data = check(fx.port, "--proxy", "127.0.0.1:%d" % d.port)
                    through_all(t, "HTTP CONNECT (tinyproxy, no login)", fx, d, n0, data, "HTTP")
                    wizard(t, fx, d)
                with tinyproxy('BasicAuth %s %s\n' % (PROXY_USER, PROXY_PW)) as d:
                    n0 = len(peers(fx))
                    p, data = check(fx.port, "--proxy", "%s@127.0.0.1:%d" % (PROXY_USER, d.port),
                                    proxy_pw=PROXY_PW)
                    through_all(t, "HTTP CONNECT with Basic login", fx, d, n0, data, "HTTP")
                    t.check("HTTP login: the block names the proxy user, not the password",
                            data.get("properties", {}).get("mail.smtp.proxy.user") == PROXY_USER and
                            "mail.smtp.proxy.password" not in data.get("properties", {}),
                            data.get("properties"))
                    p, data = check(fx.port, "--proxy", "127.0.0.1:%d" % d.port)
                    refused(t, "HTTP 407 without a login", data, "connection through proxy",
                            "407", "mail.smtp.proxy.user")
                with tinyproxy("ConnectPort 443\n") as d:
                    p, data = check(fx.port, "--proxy", "127.0.0.1:%d" % d.port)
                    refused(t, "HTTP 403 (CONNECT to this port not allowed)", data,
                            "connection through proxy", "403", "ConnectPort")
                    p, data = check(fx.port, "--proxy", "127.0.0.1:%d" % d.port, fmt="text")
                    t.check("text report: the refusal as Java words it",
                            "java.net.ConnectException: connection through proxy" in p.stdout,
                            p.stdout[-2500:])

        leaks = [i for i, o in enumerate(OUTPUTS) if PROXY_PW in o or PW in o]
        t.check("no proxy password or mail password in any output (%d runs)" % len(OUTPUTS),
                not leaks, leaks)


if __name__ == "__main__":
    main()
