#!/usr/bin/python3
"""Files that are not files (issue 12): `-o`, `--save-chain` and the
settings block are written to regular files only, `-o -` is standard
output, a symlink planted by another user in a sticky world-writable
directory is not followed, a --log that cannot be written is exit 70,
and --load of a FIFO or a device is refused at once instead of blocking.

Runs `smtpwiz check` against the fixture.  Devices are made with mknod
in the test's directory (never /dev itself), and the other user's link
with lchown; both need root and are skipped otherwise.  TAP.
"""

import os
import socket
import stat
import sys
import tempfile
import shutil

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import swtest  # noqa: E402

SW = swtest.smtpwiz_bin()
NOBODY = 65534


def check(port, *args, timeout=60):
    return swtest.run([SW, "check", "--steps", "1", "--format", "properties",
                       *args, "localhost:%d" % port], timeout=timeout)


def kind(path):
    m = os.lstat(path).st_mode
    for name, test in (("fifo", stat.S_ISFIFO), ("chr", stat.S_ISCHR),
                       ("dir", stat.S_ISDIR), ("sock", stat.S_ISSOCK),
                       ("link", stat.S_ISLNK), ("reg", stat.S_ISREG)):
        if test(m):
            return name
    return "?"


def targets(t, tmp, port):
    """-o at things that are not regular files."""
    fifo = os.path.join(tmp, "fifo")
    os.mkfifo(fifo)
    sub = os.path.join(tmp, "dir")
    os.mkdir(sub)
    sock = os.path.join(tmp, "sock")
    s = socket.socket(socket.AF_UNIX)
    s.bind(sock)
    cases = [("FIFO", fifo, "fifo", "a FIFO"), ("directory", sub, "dir",
             "a directory"), ("socket", sock, "sock", "a socket")]
    dev = os.path.join(tmp, "null")
    try:
        os.mknod(dev, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
        cases.append(("device", dev, "chr", "a device"))
    except OSError as e:
        t.skip("-o device", "mknod: %s" % e)
    for label, path, was, says in cases:
        r = check(port, "-o", path, timeout=30)
        t.check(f"-o {label}: exit 70, says {says!r}",
                r.returncode == 70 and says in r.stderr, (r.returncode, r.stderr))
        t.check(f"-o {label}: still a {was}", kind(path) == was, kind(path))
    # A symlink to a FIFO is refused too.
    link = os.path.join(tmp, "to-fifo")
    os.symlink(fifo, link)
    r = check(port, "-o", link, timeout=30)
    t.check("-o symlink to a FIFO: exit 70, FIFO kept",
            r.returncode == 70 and kind(fifo) == "fifo" and "FIFO" in r.stderr,
            (r.returncode, r.stderr))
    s.close()
    # A regular file and a new file are written; "-" is standard output.
    reg = os.path.join(tmp, "out.properties")
    with open(reg, "w") as f:
        f.write("old\n")
    r = check(port, "-o", reg)
    with open(reg) as f:
        body = f.read()
    t.check("-o regular file: replaced", r.returncode == 0 and
            "mail.smtp.host=localhost" in body and kind(reg) == "reg",
            (r.returncode, r.stderr, body))
    r = check(port, "-o", "-")
    t.check("-o -: the block on standard output, no file named -",
            r.returncode == 0 and "mail.smtp.host=localhost" in r.stdout and
            not os.path.exists("-"), (r.returncode, r.stdout, r.stderr))


def sticky(t, tmp, port):
    """fs.protected_symlinks: another user's link in a sticky,
    world-writable directory is not followed; our own is."""
    shared = os.path.join(tmp, "shared")
    os.mkdir(shared)
    os.chmod(shared, 0o1777)
    victim = os.path.join(tmp, "victim.txt")
    with open(victim, "w") as f:
        f.write("precious\n")
    planted = os.path.join(shared, "report.properties")
    os.symlink(victim, planted)
    if os.geteuid() != 0:
        t.skip("planted symlink refused", "needs root for lchown")
    else:
        os.lchown(planted, NOBODY, NOBODY)
        r = check(port, "-o", planted)
        with open(victim) as f:
            body = f.read()
        t.check("another user's symlink in a sticky dir: refused, target kept",
                r.returncode == 70 and body == "precious\n" and
                "symbolic link owned by another user" in r.stderr,
                (r.returncode, r.stderr, body))
        os.unlink(planted)
        os.symlink(victim, planted)
    r = check(port, "-o", planted)
    with open(victim) as f:
        body = f.read()
    t.check("our own symlink in a sticky dir: followed, stays a link",
            r.returncode == 0 and "mail.smtp.host=" in body and
            kind(planted) == "link", (r.returncode, r.stderr, body))


def save_chain(t, tmp):
    fifo = os.path.join(tmp, "chain-fifo")
    os.mkfifo(fifo)
    with swtest.Fixture(mode="starttls") as fx:
        data, code = swtest.run_json([SW, "check", "--steps", "1-2", "--format",
                                      "json", "--mode", "starttls", "--cafile",
                                      os.path.join(swtest.pki(), "root.pem"),
                                      "--save-chain", fifo,
                                      "localhost:%d" % fx.port], timeout=60)
    found = [f for s in (data or {}).get("steps", []) for f in s.get("findings", [])
             if f["id"] == "save-chain-failed"]
    t.check("--save-chain FIFO: save-chain-failed, FIFO kept",
            found and "a FIFO" in found[0]["message"] and kind(fifo) == "fifo",
            (code, found))


def log_and_load(t, tmp, port):
    full = "/dev/full"
    if os.path.exists(full) and stat.S_ISCHR(os.stat(full).st_mode):
        r = check(port, "--log", full)
        t.check("--log /dev/full: exit 70, named on stderr",
                r.returncode == 70 and "/dev/full" in r.stderr and
                "No space left" in r.stderr, (r.returncode, r.stderr))
    else:
        t.skip("--log /dev/full", "no /dev/full")
    log = os.path.join(tmp, "ok.log")
    r = check(port, "--log", log)
    t.check("--log regular file: exit 0, written",
            r.returncode == 0 and os.path.getsize(log) > 0, (r.returncode, r.stderr))
    fifo = os.path.join(tmp, "load-fifo")
    os.mkfifo(fifo)
    r = check(port, "--load", fifo, timeout=10)
    t.check("--load FIFO without a writer: refused at once",
            r.returncode == 64 and "a FIFO" in r.stderr, (r.returncode, r.stderr))
    r = check(port, "--load", "/dev/zero", timeout=10)
    t.check("--load /dev/zero: refused", r.returncode == 64 and
            "a device" in r.stderr, (r.returncode, r.stderr))


def main():
    tmp = tempfile.mkdtemp(prefix="swtest-files-")
    os.chmod(tmp, 0o755)
    os.chdir(tmp)            # "-o -" must not create ./-
    try:
        with swtest.Suite() as t:
            with swtest.Fixture() as fx:
                targets(t, tmp, fx.port)
                sticky(t, tmp, fx.port)
                log_and_load(t, tmp, fx.port)
            save_chain(t, tmp)
    finally:
        os.chdir("/")
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
