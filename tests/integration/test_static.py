#!/usr/bin/python3
"""The static binary of `make static` (build/static/smtpwiz) where it is
meant to run: a server with nothing it could lean on.  Each run happens
inside an empty root made for it (a new mount namespace, chroot) that
holds only the binary, /dev, /etc/hosts, /etc/resolv.conf and a CA file
or a Java cacerts: no libc, no terminfo database, no Java runtime, no
assets/.  Against fixture servers on loopback, reached by name
(localhost, from /etc/hosts without glibc's NSS):

- `check` batch runs: the chain judged against --cafile, against the
  system bundle path of RHEL found without a trust option, and against
  a Java runtime's cacerts (JAVA_HOME), where the block is verified over
  TLS 1.3 and the exit status is 0; an expired chain exits 2;
- `explain` from the error patterns compiled into the binary;
- the wizard in tmux with TERM=tmux-256color and TERM=putty, which only
  the compiled-in terminfo entries know, and with a TERM that only a
  terminfo database in the root knows (the system's database is read).

Skips (exit 77) when the binary is not built or the sandbox forbids
unshare/chroot.  TAP output.
"""

import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import certlib  # noqa: E402
import swtest  # noqa: E402
import test_tui_common as tc  # noqa: E402

STATIC = os.path.join(swtest.repo_root(), "build", "static", "smtpwiz")
HOSTS = "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost\n"
RESOLV = "nameserver 127.0.0.1\noptions timeout:1 attempts:1\n"


def elf_is_static(path):
    """No PT_INTERP and no PT_DYNAMIC program header: nothing to load."""
    with open(path, "rb") as f:
        head = f.read(64)
        if head[:4] != b"\x7fELF" or head[4] != 2:
            return False, "not a 64-bit ELF file"
        phoff, = struct.unpack_from("<Q", head, 32)
        phentsize, phnum = struct.unpack_from("<HH", head, 54)
        kinds = []
        for i in range(phnum):
            f.seek(phoff + i * phentsize)
            kinds.append(struct.unpack("<I", f.read(4))[0])
    return 3 not in kinds and 2 not in kinds, kinds


class Root:
    """An empty root: the binary, /dev (bound in the namespace), /etc/hosts,
    /etc/resolv.conf, and the files given."""

    def __init__(self, files, hosts=HOSTS):
        self.dir = tempfile.mkdtemp(prefix="swtest-static-root-")
        os.chmod(self.dir, 0o755)
        for sub in ("dev", "etc", "tmp"):
            os.mkdir(os.path.join(self.dir, sub))
        shutil.copy2(STATIC, os.path.join(self.dir, "smtpwiz"))
        self.put("/etc/hosts", hosts)
        self.put("/etc/resolv.conf", RESOLV)
        for path, src in files.items():
            self.put(path, None, src)

    def put(self, path, text, src=None):
        dst = os.path.join(self.dir, path.lstrip("/"))
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        if src:
            shutil.copy(src, dst)
        else:
            with open(dst, "w") as f:
                f.write(text)

    def argv(self, *args):
        """The command that runs /smtpwiz ARGS inside: a private mount
        namespace (as an unprivileged user: a user namespace too), /dev
        bound in, chroot."""
        ns = ["unshare", "-m"] if os.geteuid() == 0 else ["unshare", "-r", "-m"]
        script = 'mount --rbind /dev "$0/dev" && exec chroot "$0" /smtpwiz "$@"'
        return ns + ["sh", "-c", script, self.dir, *args]

    def run(self, *args, env=None, timeout=120):
        full = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL": "C.UTF-8"}
        full.update(env or {})
        try:
            return subprocess.run(self.argv(*args), capture_output=True, text=True,
                                  timeout=timeout, env=full, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired as e:
            return subprocess.CompletedProcess(args, 124, e.stdout or "", e.stderr or "")

    def close(self):
        shutil.rmtree(self.dir, ignore_errors=True)


def preflight():
    if not os.path.exists(STATIC):
        swtest.skip_all(f"{STATIC} not built (make static)")
    for tool in ("unshare", "chroot", "mount"):
        if shutil.which(tool) is None and not os.path.exists(f"/usr/sbin/{tool}"):
            swtest.skip_all(f"{tool} not found")
    probe = Root({})
    try:
        r = probe.run("--version", timeout=30)
        if r.returncode != 0 and ("Operation not permitted" in r.stderr
                                  or "unshare failed" in r.stderr
                                  or "cannot change root" in r.stderr):
            swtest.skip_all("the sandbox forbids unshare/chroot: " + r.stderr.strip()[:200])
    finally:
        probe.close()


def json_of(r):
    try:
        return json.loads(r.stdout)
    except ValueError:
        return None


def binary_cases(t):
    ok, kinds = elf_is_static(STATIC)
    t.check("ELF without an interpreter or dynamic section", ok, kinds)
    r = subprocess.run(["ldd", STATIC], capture_output=True, text=True)
    t.check("ldd: not a dynamic executable",
            "not a dynamic executable" in (r.stdout + r.stderr), r.stdout + r.stderr)
    size = os.path.getsize(STATIC)
    t.check(f"size {size / 1e6:.1f} MB, under 8 MB", size < 8e6, size)
    root = Root({})
    try:
        r = root.run("--version")
        t.check("--version in the empty root: mbedTLS 3.6 speaks TLS 1.3",
                r.returncode == 0 and "3.6." in r.stdout and "to TLSv1.3" in r.stdout,
                r.stdout + r.stderr)
        r = root.run("explain", "PKIX path building failed")
        t.check("explain works from the compiled-in error patterns",
                r.returncode == 0 and "Step 2" in r.stdout, r.stdout + r.stderr)
    finally:
        root.close()


def check_cases(t, pki, jks):
    ca = os.path.join(pki, "root.pem")
    with swtest.Fixture(mode="starttls", auth="PLAIN LOGIN", passwords={"alice": "pw-1"}) as fx:
        target = f"localhost:{fx.port}"
        root = Root({"/ca.pem": ca})
        try:
            r = root.run("check", "--format", "json", "--cafile", "/ca.pem", target)
            d = json_of(r) or {}
            steps = d.get("steps", [])
            t.check("check --cafile: localhost resolved from /etc/hosts, 5 steps ran",
                    len(steps) == 5 and steps[0].get("data", {}).get("addresses")
                    and steps[0]["data"]["addresses"][0] in ("127.0.0.1", "::1"),
                    r.stdout[-1500:] + r.stderr)
            d2 = certlib.d2(d)
            t.check("check --cafile: the chain trusted, read over TLS 1.3",
                    d2.get("trusted") is True and (d2.get("tls") or "").startswith("TLSv1.3"),
                    d2)
            t.check("check: steps 3 and 4 from the compiled-in registry and profiles",
                    steps and steps[2].get("verdict") in ("pass", "warn")
                    and steps[3].get("data", {}).get("accepted"), steps[2:4])
            v = d.get("verification", {})
            t.check("check --cafile: the block verified over TLS 1.3, exit 0, and "
                    "Java must be given the CA file",
                    v.get("result") == "verified" and v.get("tls", "").startswith("TLSv1.3")
                    and v.get("trust_needs_java_setting") is True and r.returncode == 0,
                    (r.returncode, v))
        finally:
            root.close()

        root = Root({"/etc/pki/tls/certs/ca-bundle.crt": ca})
        try:
            r = root.run("check", "--steps", "1-2", "--format", "json", target)
            d2 = certlib.d2(json_of(r))
            ts = d2.get("trust_store", {})
            t.check("no trust option: the RHEL bundle path found and used",
                    ts.get("kind") == "system"
                    and "/etc/pki/tls/certs/ca-bundle.crt" in json.dumps(ts)
                    and d2.get("trusted") is True and r.returncode == 0,
                    (r.returncode, ts, r.stderr))
        finally:
            root.close()

        if jks is None:
            t.skip("Java cacerts in the empty root", "keytool not found")
            return
        root = Root({"/opt/java/lib/security/cacerts": jks})
        try:
            r = root.run("check", "--format", "json", "--set", "mail.smtp.user=alice", target,
                         env={"JAVA_HOME": "/opt/java", "SMTPWIZ_PASSWORD": "pw-1"})
            d = json_of(r) or {}
            v = d.get("verification", {})
            t.check("JAVA_HOME's cacerts: the block verified over TLS 1.3, exit 0",
                    v.get("result") == "verified" and v.get("tls", "").startswith("TLSv1.3")
                    and v.get("mechanism") == "LOGIN" and r.returncode == 0,
                    (r.returncode, v, r.stderr[-500:]))
            t.check("JAVA_HOME's cacerts judged step 2",
                    "/opt/java/lib/security/cacerts" in json.dumps(
                        certlib.d2(d).get("trust_store", {})), certlib.d2(d).get("trust_store"))
        finally:
            root.close()

    with swtest.Fixture(mode="ssl", tls_min="TLSv1.3", pki_cert="expired") as fx:
        root = Root({"/ca.pem": ca})
        try:
            r = root.run("check", "--format", "json", "--mode", "ssl", "--cafile", "/ca.pem",
                         f"localhost:{fx.port}")
            d = json_of(r) or {}
            t.check("expired chain over TLS 1.3 only: step 2 fails, exit 2",
                    certlib.step2(d).get("verdict") == "fail"
                    and "expired" in certlib.d2(d).get("problems", []) and r.returncode == 2,
                    (r.returncode, certlib.d2(d).get("problems"), r.stderr[-300:]))
        finally:
            root.close()


def tui_cases(t, pki, workdir):
    ca = os.path.join(pki, "root.pem")
    tm = tc.Tmux(workdir, "static")
    try:
        with swtest.Fixture(mode="starttls") as fx:
            # putty is in no Debian 12 database: only compiled in.  The
            # made-up swtest-vt is only in the root's own database, so
            # the wizard starts with it only if that database is read.
            for term in ("tmux-256color", "putty", "swtest-vt"):
                # localhost is 127.0.0.1 only here: the fixture does not
                # listen on ::1, which step 1 would rightly warn about.
                root = Root({"/ca.pem": ca}, hosts="127.0.0.1\tlocalhost\n")
                if term == "swtest-vt":
                    src = os.path.join(root.dir, "swtest-vt.src")
                    with open(src, "w") as f:
                        f.write("swtest-vt|smtpwiz test terminal, use=vt220,\n")
                    db = os.path.join(root.dir, "usr", "share", "terminfo")
                    os.makedirs(db)
                    r = subprocess.run(["tic", "-o", db, src], capture_output=True, text=True)
                    if r.returncode != 0:
                        t.skip(f"TERM={term}", "tic failed: " + r.stderr[:200])
                        root.close()
                        continue
                root.put("/mail.properties", "mail.smtp.host=localhost\n"
                         f"mail.smtp.port={fx.port}\nmail.smtp.starttls.enable=true\n"
                         "mail.smtp.starttls.required=true\n")
                try:
                    s = "st-" + term
                    tm.start(s, ["--cafile", "/ca.pem", "--load", "/mail.properties"],
                             env={"TERM": term, "SMTPWIZ_ASSETS": ""},
                             prog=root.argv())
                    ok, scr = tm.wait(s, "Where to connect", timeout=15)
                    where = ("the root's terminfo database" if term == "swtest-vt"
                             else "compiled in, no terminfo database")
                    t.check(f"TERM={term}: the start screen ({where})",
                            ok and "Start the diagnosis" in scr, scr)
                    tm.keys(s, "n")
                    ok, scr = tm.wait(s, lambda x: "Step 1 of 5" in x and "verdict: " in x
                                      and "Probing" not in x, timeout=30)
                    t.check(f"TERM={term}: step 1 probed localhost from the empty root",
                            ok and "mode       starttls" in scr and "verdict: pass" in scr,
                            scr)
                    t.check(f"TERM={term}: the frame is intact", tc.frame_intact(scr), scr)
                    tm.keys(s, "F10")
                    rc, flags, text = tc.exit_state(tm, s, timeout=20)
                    t.check(f"TERM={term}: quits, a verdict's exit status, terminal sane",
                            rc is not None and 1 <= rc <= 5 and tc.terminal_sane(tm, s, flags),
                            (rc, flags, text[-600:]))
                    tm.kill_session(s)
                finally:
                    root.close()
    finally:
        tm.kill_server()


def main():
    preflight()
    pki = swtest.pki()
    workdir = tempfile.mkdtemp(prefix="swtest-static-")
    try:
        jks = None
        if certlib.keytool():
            jks = certlib.make_keystore(os.path.join(workdir, "cacerts"),
                                        {"smtpwiz-test-root": os.path.join(pki, "root.pem")})
        with swtest.Suite() as t:
            binary_cases(t)
            check_cases(t, pki, jks)
            if shutil.which("tmux"):
                tui_cases(t, pki, workdir)
            else:
                t.skip("the wizard in tmux", "tmux not found")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
