#!/usr/bin/python3
"""The proxy login in the wizard (issue 18), in tmux against Debian's
dante-server wanting a SOCKS5 login (RFC 1929) in front of the fixture
SMTP server (helpers in test_tui_common.py, the proxies in
test_check_proxy.py).

- no proxy: step 1 says so in two rows; typing a SOCKS host shows the
  SOCKS port, user and password rows;
- --socks HOST:PORT without a login: step 1 fails the way Java would
  ("SOCKS : No acceptable methods");
- the SOCKS user and the proxy password typed into step 1's fields (the
  password hidden): step 1 probes again, through dante with that login,
  and passes; steps 2 goes through it too; the password never shows on
  the screen or in what the wizard prints when it quits, whose block
  carries mail.smtp.socks.host/port;
- SMTPWIZ_PROXY_PASSWORD with --socks USER@HOST:PORT works the same, and
  the variable is gone from the wizard's environment once read;
- tinyproxy with BasicAuth: 407 without a login; the proxy user and
  password typed on step 1 make it pass, the block names the user only.
Needs root (a system user for dante's username method), tmux and danted;
skipped otherwise.  TAP output.
"""

import base64
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import test_tui_common as tc  # noqa: E402
import swtest  # noqa: E402
import test_check_proxy as proxies  # noqa: E402

PROXY_USER = "swtuiproxy"          # not test_check_proxy's: both may run at once
PROXY_PW = "Tq4-known-TUI-Proxy-Pass"
USER, PW = "alice", "Zq7-known-Pa55word!x"


def passed_step1(x):
    return ("Step 1 of 5" in x and "Probing" not in x and "verdict: fail" not in x
            and "verdict:" in x and "proxy-failed" not in x)


wizard_pid = tc.wizard_pid


def leaked(text):
    b64 = base64.b64encode(PROXY_PW.encode()).decode()
    return PROXY_PW in text or b64 in text


def typed_login(t, tm, fx, d, root):
    s = "typed"
    tm.start(s, ["--cafile", root, "--socks", "127.0.0.1:%d" % d.port,
                 "localhost:%d" % fx.port], env={"SMTPWIZ_PROXY_PASSWORD": ""})
    ok, scr = tm.wait(s, lambda x: "Step 1 of 5" in x and "verdict: fail" in x,
                      timeout=30)
    t.check("no login: step 1 fails at the proxy, in Java's words",
            ok and "FAIL proxy-failed" in scr and "No acceptable methods" in scr, scr)
    tm.keys(s, "g")
    for _ in range(11):        # host ... try ports, SOCKS host, HTTP proxy, SOCKS port
        tm.keys(s, "Down")
    ok, scr = tm.wait(s, "\u25b6 SOCKS user")
    t.check("step 1 has a SOCKS user field", ok, scr)
    tc.type_field(tm, s, PROXY_USER)
    tm.keys(s, "Down")         # proxy pass
    ok, scr = tm.wait(s, "\u25b6 proxy pass")
    t.check("step 1 has a proxy password field", ok, scr)
    tm.keys(s, "Enter")
    ok, scr = tm.wait(s, " =")
    tm.keys(s, "C-u")
    tm.keys(s, PROXY_PW, literal=True)
    ok, typing = tm.wait(s, "proxy pass: (typed, hidden)")
    t.check("the password is typed hidden", ok and not leaked(typing), typing)
    n0 = len(proxies.peers(fx))
    tm.keys(s, "Enter")
    ok, scr = tm.wait(s, passed_step1, timeout=30)
    t.check("typed login: step 1 probes again through dante and passes",
            ok and "SOCKS user " + PROXY_USER in scr, scr)
    t.check("the field shows the password set, never the password",
            "proxy pass (set, hidden)" in scr and not leaked(scr), scr)
    t.check("dante logged the login of " + PROXY_USER,
            PROXY_USER in d.log_text(), d.log_text()[-600:])
    t.check("the server's peers came through dante (every connection)",
            len(proxies.peers(fx)) > n0, fx.log_text()[-400:])
    tm.keys(s, "n")
    ok, scr = tm.wait(s, lambda x: "Step 2 of 5" in x and "Probing" not in x
                      and "verdict:" in x, timeout=30)
    t.check("step 2 goes through the proxy with the login too",
            ok and "proxy-failed" not in scr and "verdict: fail" not in scr, scr)
    tm.keys(s, "q")
    rc, flags, text = tc.exit_state(tm, s, timeout=30)
    hist = tm.history(s)
    t.check("quit: the block carries the SOCKS lines",
            "mail.smtp.socks.host=127.0.0.1" in hist and
            "mail.smtp.socks.port=%d" % d.port in hist, hist[-2500:])
    t.check("the proxy password shows nowhere on the terminal (plain or base64)",
            not leaked(hist), "leaked")
    tm.kill_session(s)


def direct(t, tm, fx, d, root):
    """No proxy: two rows say so; a SOCKS host typed in shows the rest."""
    s = "direct"
    tm.start(s, ["--cafile", root, "localhost:%d" % fx.port])
    ok, scr = tm.wait(s, passed_step1, timeout=30)
    t.check("direct: step 1 shows SOCKS host and HTTP proxy as (direct), no login rows",
            ok and "SOCKS host (direct)" in scr and "HTTP proxy (direct)" in scr and
            "proxy pass" not in scr, scr)
    tm.keys(s, "g")
    for _ in range(8):
        tm.keys(s, "Down")
    tc.type_field(tm, s, "127.0.0.1")
    ok, scr = tm.wait(s, lambda x: "SOCKS host 127.0.0.1" in x and "proxy pass" in x
                      and "SOCKS user" in x)
    t.check("a SOCKS host typed in: the port, user and password rows appear", ok, scr)
    t.check("... and not the HTTP proxy's", "proxy user" not in scr, scr)
    tm.keys(s, "q")
    tc.exit_state(tm, s, timeout=30)
    tm.kill_session(s)


def http_login(t, tm, fx, root):
    """tinyproxy with BasicAuth: the user and password typed on step 1."""
    if not os.access(proxies.TINYPROXY, os.X_OK):
        t.skip("HTTP proxy login in the wizard", "tinyproxy is not installed")
        return
    s = "http"
    with proxies.tinyproxy("BasicAuth %s %s\n" % (PROXY_USER, PROXY_PW)) as d:
        tm.start(s, ["--cafile", root, "--proxy", "127.0.0.1:%d" % d.port,
                     "localhost:%d" % fx.port], env={"SMTPWIZ_PROXY_PASSWORD": ""})
        ok, scr = tm.wait(s, lambda x: "Step 1 of 5" in x and "verdict: fail" in x,
                          timeout=30)
        t.check("HTTP proxy, no login: step 1 fails with the 407",
                ok and "FAIL proxy-failed" in scr and "407" in scr, scr)
        t.check("HTTP proxy: its port and login rows, not the SOCKS ones",
                "proxy user (no login)" in scr and "SOCKS user" not in scr, scr)
        tm.keys(s, "g")
        for _ in range(11):    # ... SOCKS host, HTTP proxy, proxy port, proxy user
            tm.keys(s, "Down")
        tc.type_field(tm, s, PROXY_USER)
        tm.keys(s, "Down")     # proxy pass
        tc.type_field(tm, s, PROXY_PW)
        ok, scr = tm.wait(s, passed_step1, timeout=30)
        t.check("HTTP proxy: user and password typed, step 1 passes through it",
                ok and "proxy user " + PROXY_USER in scr and
                "proxy pass (set, hidden)" in scr, scr)
        t.check("tinyproxy opened the tunnel", "Established connection" in d.log_text(),
                d.log_text()[-400:])
        tm.keys(s, "q")
        tc.exit_state(tm, s, timeout=30)
        hist = tm.history(s)
        t.check("HTTP proxy: the block has mail.smtp.proxy.user, never the password",
                "mail.smtp.proxy.user=" + PROXY_USER in hist and not leaked(hist),
                hist[-1500:] if not leaked(hist) else "leaked")
        tm.kill_session(s)


def env_login(t, tm, fx, d, root):
    s = "env"
    tm.start(s, ["--cafile", root, "--socks", "%s@127.0.0.1:%d" % (PROXY_USER, d.port),
                 "localhost:%d" % fx.port], env={"SMTPWIZ_PROXY_PASSWORD": PROXY_PW})
    ok, scr = tm.wait(s, passed_step1, timeout=30)
    t.check("--socks USER@ and SMTPWIZ_PROXY_PASSWORD: step 1 passes through dante",
            ok and "SOCKS user " + PROXY_USER in scr, scr)
    pid = wizard_pid(tm, s)
    environ = b""
    if pid is not None:
        try:
            with open("/proc/%d/environ" % pid, "rb") as f:
                environ = f.read()
        except OSError:
            pass
    t.check("SMTPWIZ_PROXY_PASSWORD is wiped from the wizard's environment",
            environ != b"" and PROXY_PW.encode() not in environ, environ[:120])
    tm.keys(s, "q")
    tc.exit_state(tm, s, timeout=30)
    t.check("env login: the password shows nowhere on the terminal",
            not leaked(tm.history(s)), "leaked")
    tm.kill_session(s)


def main():
    tc.require_tools()
    if os.geteuid() != 0 or not shutil.which("useradd"):
        swtest.skip_all("needs root to make a system user for dante's login")
    if not os.access(proxies.DANTED, os.X_OK):
        swtest.skip_all("danted (dante-server) is not installed")
    root = os.path.join(swtest.pki(), "root.pem")
    subprocess.run(["userdel", PROXY_USER], capture_output=True)
    subprocess.run(["useradd", "-M", "-s", "/usr/sbin/nologin", PROXY_USER],
                   check=True, capture_output=True)
    subprocess.run(["chpasswd"], input="%s:%s\n" % (PROXY_USER, PROXY_PW), text=True,
                   check=True, capture_output=True)
    tm = tc.Tmux(proxies.TMP, tag="proxy")
    try:
        with swtest.Suite() as t, \
                swtest.Fixture(mode="starttls", auth="PLAIN LOGIN",
                               passwords={USER: PW}) as fx, \
                proxies.dante(method="username") as d:
            direct(t, tm, fx, d, root)
            typed_login(t, tm, fx, d, root)
            env_login(t, tm, fx, d, root)
            http_login(t, tm, fx, root)
    finally:
        tm.kill_server()
        subprocess.run(["userdel", PROXY_USER], capture_output=True)
        swtest.remove_dir(proxies.TMP, "swtest: proxy files")


if __name__ == "__main__":
    main()
