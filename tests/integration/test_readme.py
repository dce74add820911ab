#!/usr/bin/python3
"""The README stays honest: every command it shows is run or dry-run.

What is checked, and how:

* Commands: every line of a fenced code block marked ```sh (a `\\` at the
  end joins the next line), and every "$ " line of a ```console block.
  Blocks marked text, properties, json, python are output or code, not
  commands; the screen pictures between the screens markers are skipped.
  - `make ARGS...` is dry-run (`make -n ARGS...`) in the tree: the target
    must exist, and every tests/ script its recipe would start must be
    there and executable.  `T=name` must match some test's file name.
  - `build/smtpwiz ...` runs $SMTPWIZ (the binary under test) and
    `smtpwiz ...` the same binary through PATH, in a temporary directory
    that holds the files the README's examples name (mail.properties, a
    service-monitor.log).  The placeholder host mail.example.com[:PORT]
    becomes a fixture SMTP server on 127.0.0.1: port 465 an implicit-TLS
    one, 25 a plain one, anything else a STARTTLS one.  SMTPWIZ_PASSWORD
    is set, as a user would set it.  `check` must exit 0-5 (not 64
    usage, not 70, no signal), `explain` 0 (recognised), --help and
    --version 0; JSON output must parse, -o files must be written.
    The wizard (no subcommand) runs in a private tmux and must reach its
    first screen and quit with 0 on "q".
  - `build/OTHER/smtpwiz ...` (e.g. the mbedTLS 3.6 build) runs when that
    binary exists, and is skipped (with the reason) when it does not.
  - `tests/...` scripts must exist and be executable (not run).
  - A "$ echo $?" line followed by a number checks the exit status of
    the command before it.
* Every `make TARGET` quoted anywhere in the text is dry-run too.
* Every --option named anywhere is one that `smtpwiz --help` or
  `smtpwiz explain --help` lists.
* Every path quoted in the text (src/..., ui/..., tests/..., assets/...,
  smtpwiz.1) exists, and so does every file of the layout map.
* The symptom table: `smtpwiz explain` recognises the first column of
  every row, and names the step the Step column gives.
* The JSON names the README promises are in a real report.
* The screens section holds captured pictures, not the placeholder.

TAP output.  Commands the test cannot classify are reported as SKIP
lines, never as passes.
"""

import glob
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import swtest  # noqa: E402

ROOT = swtest.repo_root()
README = os.path.join(ROOT, "README.md")
SW = os.path.abspath(swtest.smtpwiz_bin())
PLACEHOLDER = re.compile(r"mail\.example\.com(?::(\d+))?")
PASSWORD = "readme-Pw-42"
USERS = {"jobs@example.com": PASSWORD, "demo@example.org": "demo"}
TIMEOUT = 120

STACK_TRACE = """\
2026-11-29 03:12:44.123+0100 ERROR [MonitorService] sending mail failed
javax.mail.MessagingException: Could not convert socket to TLS;
  nested exception is:
\tjavax.net.ssl.SSLHandshakeException: PKIX path building failed: \
sun.security.provider.certpath.SunCertPathBuilderException: unable to find \
valid certification path to requested target
\tat com.sun.mail.smtp.SMTPTransport.startTLS(SMTPTransport.java:2155)
"""


# --------------------------------------------------------------------------
# Reading the README

def fenced_blocks(text):
    """(info, [lines]) per fenced block outside the screens section."""
    out, info, lines, in_screens = [], None, [], False
    for line in text.splitlines():
        if line.strip() == "<!-- screens:begin -->":
            in_screens = True
        elif line.strip() == "<!-- screens:end -->":
            in_screens = False
        m = re.match(r"^```(\S*)\s*$", line)
        if info is None and m:
            info, lines = m.group(1), []
        elif info is not None and line.startswith("```"):
            if not in_screens:
                out.append((info, lines))
            info = None
        elif info is not None:
            lines.append(line)
    return out


def commands(blocks):
    """[(command, expected_exit_or_None)] in README order."""
    out = []
    for info, lines in blocks:
        if info in ("sh", "shell", "bash"):
            cur = ""
            for line in lines:
                if cur == "" and (not line.strip() or line.lstrip().startswith("#")):
                    continue
                cur += line.rstrip()
                if cur.endswith("\\"):
                    cur = cur[:-1] + " "
                    continue
                out.append([cur.strip(), None])
                cur = ""
        elif info == "console":
            for i, line in enumerate(lines):
                if not line.startswith("$ "):
                    continue
                cmd = line[2:].strip()
                if cmd == "echo $?":
                    nxt = lines[i + 1].strip() if i + 1 < len(lines) else ""
                    if out and nxt.isdigit():
                        out[-1][1] = int(nxt)
                    continue
                out.append([cmd, None])
    return [tuple(c) for c in out]


def inline_code(text):
    """Inline `code` spans outside fenced blocks."""
    prose = re.sub(r"^```.*?^```", "", text, flags=re.S | re.M)
    return re.findall(r"`([^`\n]+)`", prose)


def symptom_rows(text):
    """(error text, step cell) for the table under "## When Java says"."""
    m = re.search(r"^## When Java says.*?$(.*?)^## ", text, flags=re.S | re.M)
    rows = []
    for line in (m.group(1) if m else "").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 4 and re.fullmatch(r"`[^`]+`", cells[0]):
            rows.append((cells[0][1:-1], cells[2]))
    return rows


# --------------------------------------------------------------------------
# Helpers

def clean_env(extra=None):
    env = dict(os.environ)
    for k in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES", "NO_COLOR"):
        env.pop(k, None)
    env.update(extra or {})
    return env


def sh(cmd, cwd, env, timeout=TIMEOUT):
    """bash -c CMD without a controlling terminal (a password prompt on
    /dev/tty must fail, not hang); never raises."""
    try:
        return subprocess.run(["bash", "-c", cmd], cwd=cwd, env=env, text=True,
                              capture_output=True, timeout=timeout,
                              stdin=subprocess.DEVNULL, start_new_session=True)
    except subprocess.TimeoutExpired as e:
        return subprocess.CompletedProcess(cmd, 124, e.stdout or "",
                                           f"timed out after {timeout}s")


def test_names():
    names = [os.path.basename(p) for p in
             glob.glob(os.path.join(ROOT, "tests", "unit", "test_*.c")) +
             glob.glob(os.path.join(ROOT, "tests", "integration", "test_*.py")) +
             glob.glob(os.path.join(ROOT, "tests", "integration", "test_*.sh"))]
    return [os.path.splitext(n)[0] for n in names]


def script_ok(path):
    full = os.path.join(ROOT, path)
    return os.path.isfile(full) and os.access(full, os.X_OK)


# --------------------------------------------------------------------------
# make

def check_make(t, cmd):
    args = shlex.split(cmd)[1:]
    p = sh("make -n " + cmd[len("make"):].strip(), ROOT, clean_env(), timeout=60)
    t.check(f"`{cmd}`: make accepts it (dry run)", p.returncode == 0,
            (p.returncode, p.stderr[-2000:]))
    scripts = sorted(set(re.findall(r"(?:^|[\s;=])(tests/[\w./-]+\.(?:sh|py))",
                                    p.stdout, flags=re.M)))
    missing = [s for s in scripts if not script_ok(s)]
    t.check(f"`{cmd}`: the scripts its recipe runs exist", not missing,
            {"missing or not executable": missing})
    for a in args:
        if a.startswith("T="):
            pat = a[2:]
            t.check(f"`{cmd}`: T={pat} names some test",
                    any(pat in n for n in test_names()), test_names())


# --------------------------------------------------------------------------
# smtpwiz

class Servers:
    """The three fixtures the placeholder host stands for."""

    def __init__(self):
        self.fx = {}

    def __enter__(self):
        common = dict(auth="PLAIN LOGIN", passwords=USERS)
        self.fx["plain"] = swtest.Fixture(mode="plain", auth_in_clear=True,
                                          **common).start()
        self.fx["starttls"] = swtest.Fixture(mode="starttls", **common).start()
        self.fx["ssl"] = swtest.Fixture(mode="ssl", **common).start()
        return self

    def __exit__(self, *exc):
        for f in self.fx.values():
            f.stop()
        return False

    def for_port(self, port):
        return self.fx["ssl" if port == "465" else
                       "plain" if port in ("25", "2525") else "starttls"]

    def substitute(self, cmd):
        """mail.example.com[:PORT] and --port N -> a fixture on 127.0.0.1."""
        words = shlex.split(cmd)
        mode = None
        if "--mode" in words[:-1]:
            mode = words[words.index("--mode") + 1]
        port_opt = re.search(r"--port[ =](\d+)", cmd)

        def repl(m):
            port = m.group(1) or (port_opt.group(1) if port_opt else None)
            if port is None:
                port = "465" if mode == "ssl" else "587"
            return f"127.0.0.1:{self.for_port(port).port}"
        out = PLACEHOLDER.sub(repl, cmd)
        # --port N would override the fixture's port: drop it.
        return re.sub(r"\s--port[ =]\d+", "", out)

    def deployed_file(self):
        fx = self.fx["starttls"]
        return ("# as deployed: SSL on a STARTTLS port\n"
                f"mail.smtp.host=127.0.0.1\nmail.smtp.port={fx.port}\n"
                "mail.smtp.ssl.enable=true\nmail.smtp.auth=true\n"
                "mail.smtp.user=jobs@example.com\n")


def classify(words):
    """(kind, binary) of a command's words (leading VAR=x skipped)."""
    i = 0
    while i < len(words) and re.match(r"^[A-Za-z_][A-Za-z0-9_]*=", words[i]):
        i += 1
    if i >= len(words):
        return "other", None
    w = words[i]
    if w == "make":
        return "make", None
    if w in ("build/smtpwiz", "smtpwiz"):
        return "smtpwiz", w
    if w.startswith("build/") and w.endswith("/smtpwiz"):
        return "other-build", w
    if w.startswith("tests/"):
        return "script", w
    return "other", w


def subcommand(words):
    for w in words[1:]:
        if w in ("check", "explain"):
            return w
        if not w.startswith("-") or w in ("--help", "-h", "--version", "-V"):
            return w
    return None


def check_smtpwiz(t, cmd, expect, srv, work, env, tmux):
    words = shlex.split(cmd)
    sub = subcommand(words)
    run = cmd
    if sub != "explain":
        run = srv.substitute(run)
    if words[0] == "build/smtpwiz":
        run = shlex.quote(SW) + run[len("build/smtpwiz"):]
    if sub in ("--help", "-h", "--version", "-V"):
        p = sh(run, work, env)
        t.check(f"`{cmd}`: exit 0", p.returncode == 0, (p.returncode, p.stderr))
        return
    if sub is None or sub not in ("check", "explain"):
        check_wizard(t, cmd, run, work, env, tmux)
        return
    before = set(os.listdir(work))
    p = sh(run, work, env)
    what = {"ran": run, "exit": p.returncode, "stderr": p.stderr[-2000:],
            "stdout": p.stdout[-1500:]}
    if sub == "check":
        t.check(f"`{cmd}`: runs (exit 0-5: no usage error, no crash)",
                0 <= p.returncode <= 5, what)
    else:
        t.check(f"`{cmd}`: recognises the text (exit 0)", p.returncode == 0, what)
    t.check(f"`{cmd}`: no usage complaint", "see smtpwiz" not in p.stderr, what)
    if expect is not None:
        t.check(f"`{cmd}`: exit status {expect}, as the README shows",
                p.returncode == expect, what)
    out, dest = p.stdout, "stdout"
    for opt in ("-o", "--output", ">"):
        if opt in words:
            dest = words[words.index(opt) + 1]
            path = os.path.join(work, dest)
            ok = os.path.isfile(path) and os.path.getsize(path) > 0
            t.check(f"`{cmd}`: writes {dest}", ok,
                    {"files before": sorted(before), "after": sorted(os.listdir(work))})
            out = open(path, encoding="utf-8").read() if ok else ""
    fmt = words[words.index("--format") + 1] if "--format" in words[:-1] else "text"
    if fmt in ("json", "js7-json"):
        try:
            json.loads(out)
            ok = True
        except ValueError:
            ok = False
        t.check(f"`{cmd}`: JSON on {dest}", ok, what)
    t.check(f"`{cmd}`: no password in the output", PASSWORD not in out + p.stderr)


def check_wizard(t, cmd, run, work, env, tmux):
    if tmux is None:
        t.skip(f"`{cmd}`: the wizard starts and quits", "tmux is not installed")
        return
    name = f"w{int(time.monotonic() * 1000) % 100000}"
    envs = " ".join(f"{k}={shlex.quote(v)}" for k, v in
                    (("TERM", "screen"), ("LC_ALL", "C.UTF-8"),
                     ("PATH", env["PATH"]),
                     ("SMTPWIZ_PASSWORD", env["SMTPWIZ_PASSWORD"])))
    line = (f"cd {shlex.quote(work)} && env {envs} {run}; "
            f"echo README-EXITED=$?; exec sleep 300")
    tmux("new-session", "-d", "-s", name, "-x", "80", "-y", "24", line)
    deadline = time.monotonic() + 20
    screen = ""
    while time.monotonic() < deadline:
        screen = tmux("capture-pane", "-p", "-t", name).stdout
        if "q quit" in screen or "README-EXITED" in screen:
            break
        time.sleep(0.05)
    t.check(f"`{cmd}`: the wizard draws its first screen", "q quit" in screen, screen)
    tmux("send-keys", "-t", name, "q")
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and "README-EXITED" not in screen:
        screen = tmux("capture-pane", "-p", "-t", name).stdout
        time.sleep(0.05)
    # The wizard exits as check does: 0 only with a verified block.
    verified = "Verification: VERIFIED" in screen
    t.check(f"`{cmd}`: q leaves it with the status its verdicts give",
            ("README-EXITED=0" in screen) == verified and "README-EXITED=" in screen,
            screen)
    tmux("kill-session", "-t", name)


def check_other_build(t, cmd, binary, work, env):
    full = os.path.join(ROOT, binary)
    if not os.access(full, os.X_OK):
        t.skip(f"`{cmd}`: runs", f"{binary} is not built here (its section says how)")
        return
    p = sh(shlex.quote(full) + cmd[len(binary):], work, env)
    t.check(f"`{cmd}`: exit 0", p.returncode == 0, (p.returncode, p.stderr))


# --------------------------------------------------------------------------
# The text itself

def help_texts(env):
    a = sh(shlex.quote(SW) + " --help", ROOT, env).stdout
    b = sh(shlex.quote(SW) + " explain --help", ROOT, env).stdout
    return a + b


def check_options(t, text, env):
    helps = help_texts(env)
    named = sorted(set(re.findall(r"(?<![\w-])(--[a-z][a-z0-9-]*)", text)))
    unknown = [o for o in named if not re.search(re.escape(o) + r"(?![a-z0-9-])", helps)]
    t.check("every --option the README names is in smtpwiz --help", not unknown,
            {"not in --help": unknown})


def check_paths(t, text):
    spans = inline_code(text)
    paths = set()
    for s in spans:
        for w in s.split():
            if re.match(r"^(src|ui|tests|assets)/", w) or w in ("smtpwiz.1", "README.md"):
                paths.add(w.rstrip(".,;:)"))
    missing = [p for p in sorted(paths) if not glob.glob(os.path.join(ROOT, p))]
    t.check("every path the README quotes exists", not missing, {"missing": missing})

    # The layout map: a directory at the start of a line ("src/") is where
    # the file names after it, on that line and the indented lines below,
    # live; names may be globs ("scr_*.c").  Other directories named at the
    # start of a line must exist too.
    layout = [lines for info, lines in fenced_blocks(text)
              if info == "text" and any(l.startswith("src/") for l in lines)]
    t.check("the README has a layout map", len(layout) == 1)
    missing = []
    filename = re.compile(r"^[\w*/.-]+\.(c|h|tsv|txt|profile|sh|py|1)$")
    for lines in layout[:1]:
        cur = ""
        for line in lines:
            words = [w.strip("(),;:") for w in line.split()]
            if not words:
                continue
            if not line.startswith(" "):
                if words[0].endswith("/"):
                    cur = words[0]
                for w in words:
                    if re.match(r"^[\w-]+(/[\w-]+)*/$", w) and \
                            not glob.glob(os.path.join(ROOT, w)):
                        missing.append(w)
            for w in words:
                if filename.match(w) and "/" not in w.rstrip("/") or \
                        re.match(r"^[\w-]+/\*\.\w+$", w):
                    base = "" if w == "smtpwiz.1" else cur
                    if not glob.glob(os.path.join(ROOT, base, w)):
                        missing.append(base + w)
    t.check("every file of the layout map exists", not missing, {"missing": missing})


def check_symptoms(t, text, env):
    rows = symptom_rows(text)
    t.check("the symptom table has rows", len(rows) >= 8, rows)
    for err, step in rows:
        p = sh(f"{shlex.quote(SW)} explain --format json {shlex.quote(err)}", ROOT, env)
        try:
            hits = json.loads(p.stdout)
        except ValueError:
            hits = []
        want = step.split()[0] if step else ""
        got = hits[0].get("step") if hits else None
        t.check(f"symptom `{err[:50]}`: explain says step {want}",
                hits and str(got) == want, {"exit": p.returncode, "hits": hits})


def check_json_names(t, srv, env):
    """The names the README's JSON section lists, in a real report."""
    fx = srv.fx["starttls"]
    p = sh(f"{shlex.quote(SW)} check --format json --user jobs@example.com "
           f"127.0.0.1:{fx.port}", ROOT, env)
    try:
        r = json.loads(p.stdout)
    except ValueError:
        t.check("a JSON report to compare the README with", False, p.stderr)
        return
    want = {
        "": ["tool", "target", "java_profile", "steps", "properties"],
        "tool": ["name", "version", "tls_library"],
        "target": ["host", "port", "mode"],
    }
    for where, keys in want.items():
        obj = r if where == "" else r.get(where, {})
        miss = [k for k in keys if k not in obj]
        t.check(f"report {where or 'top level'} has {', '.join(keys)}", not miss, miss)
    steps = {s.get("step"): s for s in r.get("steps", [])}
    per_step = {
        1: ["addresses", "greeting", "ehlo", "ehlo_after_tls", "starttls_offered",
            "detected_mode"],
        2: ["chain", "trusted", "hostname_match", "problems"],
        3: ["accepted", "java_enabled", "recommended"],
        4: ["accepted", "server_order", "java_negotiates"],
        5: ["mechanisms", "result", "reply"],
    }
    for n, keys in per_step.items():
        s = steps.get(n, {})
        t.check(f"report step {n} has step, name, verdict, findings",
                all(k in s for k in ("step", "name", "verdict", "findings")), s)
        if s.get("verdict") == "skipped" and "data" not in s:
            t.skip(f"report step {n} data has {', '.join(keys)}",
                   f"step {n} was skipped: {s.get('reason')}")
            continue
        miss = [k for k in keys if k not in s.get("data", {})]
        t.check(f"report step {n} data has {', '.join(keys)}", not miss, miss)
    chain = steps.get(2, {}).get("data", {}).get("chain", [{}])
    miss = [k for k in ("subject", "issuer", "san", "not_before", "not_after", "key",
                        "signature", "sha256") if k not in (chain[0] if chain else {})]
    t.check("report step 2 chain entries have the documented names", not miss, miss)
    f = next((f for s in r.get("steps", []) for f in s.get("findings", [])), {})
    t.check("findings have id, severity, message, suggest",
            all(k in f for k in ("id", "severity", "message", "suggest")), f)
    t.check("the report holds no password", PASSWORD not in p.stdout)


def check_screens(t, text):
    m = re.search(r"<!-- screens:begin -->\n(.*?)<!-- screens:end -->", text, flags=re.S)
    body = m.group(1) if m else ""
    t.check("README has the screens section markers", m is not None)
    t.check("the screens section holds captured screens "
            "(tests/tools/capture-screens.sh)",
            "Step 1 of 5" in body and "Result:" in body, body[:300])


# --------------------------------------------------------------------------

def main():
    text = open(README, encoding="utf-8").read()
    if not os.access(SW, os.X_OK):
        swtest.skip_all(f"{SW} is not built")
    work = tempfile.mkdtemp(prefix="swtest-readme-")
    bindir = os.path.join(work, ".bin")
    os.makedirs(bindir)
    os.symlink(SW, os.path.join(bindir, "smtpwiz"))
    env = clean_env({"PATH": bindir + os.pathsep + os.environ.get("PATH", ""),
                     "SMTPWIZ_PASSWORD": PASSWORD})
    if os.path.dirname(SW) != os.path.join(ROOT, "build") and "SMTPWIZ_ASSETS" not in env:
        env["SMTPWIZ_ASSETS"] = os.path.join(ROOT, "assets")

    # The tmux socket lives in the work directory, which goes at the end
    # (tmux -L would leave a socket file in /tmp/tmux-UID).
    sock = os.path.join(work, "tmux.sock")
    tmux = None
    if shutil.which("tmux"):
        def tmux(*args):
            return subprocess.run(["tmux", "-S", sock, "-f", "/dev/null", *args],
                                  capture_output=True, text=True, timeout=10)

    with swtest.Suite() as t:
        try:
            check_screens(t, text)
            check_options(t, text, env)
            check_paths(t, text)
            check_symptoms(t, text, env)
            cmds = commands(fenced_blocks(text))
            t.check("the README shows commands", len(cmds) >= 10, cmds)
            made = {c for c, _ in cmds if c.startswith("make ")}
            for span in inline_code(text):
                if re.fullmatch(r"make [a-z][\w-]*", span) and span not in made:
                    cmds.append((span, None))
                    made.add(span)
            with Servers() as srv:
                with open(os.path.join(work, "mail.properties"), "w") as f:
                    f.write(srv.deployed_file())
                with open(os.path.join(work, "service-monitor.log"), "w") as f:
                    f.write(STACK_TRACE)
                for cmd, expect in cmds:
                    kind, binary = classify(shlex.split(cmd))
                    if kind == "make":
                        check_make(t, cmd)
                    elif kind == "smtpwiz":
                        check_smtpwiz(t, cmd, expect, srv, work, env, tmux)
                    elif kind == "other-build":
                        check_other_build(t, cmd, binary, work, env)
                    elif kind == "script":
                        t.check(f"`{cmd}`: {binary} exists and is executable",
                                script_ok(binary))
                        for a in shlex.split(cmd)[1:]:
                            if binary == "tests/run.sh" and not a.startswith("-"):
                                t.check(f"`{cmd}`: {a} names some test",
                                        any(a in n for n in test_names()))
                    else:
                        t.skip(f"`{cmd}`", "not a command this test knows how to check")
                check_json_names(t, srv, env)
        finally:
            if tmux is not None:
                tmux("kill-server")
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
