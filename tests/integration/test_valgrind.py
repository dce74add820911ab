#!/usr/bin/python3
"""The batch path under valgrind (issue 7, point 3): no memory errors,
no leaks.

Each case runs `smtpwiz check` (and once `smtpwiz explain`) under

    valgrind --error-exitcode=99 --leak-check=full
             --errors-for-leak-kinds=definite,indirect

against the fixture server -- every step, STARTTLS and implicit TLS,
the report, the settings block written to a file, the transcript -- and
against hostile servers for the error paths (escapes and NUL bytes in
replies, a reply over the line limit, a refused connection).  A case
passes when valgrind reports no error and no definitely or indirectly
lost block; smtpwiz's own exit status (the first failing step) is not
judged here.  Skipped when valgrind is not installed.
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import swtest   # noqa: E402
import hostile  # noqa: E402

SW = swtest.smtpwiz_bin()
VALGRIND = ["valgrind", "-q", "--error-exitcode=99", "--leak-check=full",
            "--errors-for-leak-kinds=definite,indirect", "--track-fds=no",
            "--num-callers=30"]


def vg(t, name, args, env=None, timeout=300):
    p = swtest.run(VALGRIND + [SW] + [str(a) for a in args], timeout=timeout,
                   env=env)
    err = p.stderr
    lost = re.findall(r"(definitely|indirectly) lost: [1-9][0-9,]* bytes", err)
    summary = re.findall(r"ERROR SUMMARY: ([1-9][0-9]*) errors", err)
    ok = p.returncode not in (99, 124) and not lost and not summary and \
        "Invalid read" not in err and "Invalid write" not in err and \
        "uninitialised" not in err
    t.check(f"valgrind: {name} (smtpwiz exit {p.returncode})", ok,
            err[-4000:] if err else p.stdout[-800:])
    return p


def main():
    if shutil.which("valgrind") is None:
        swtest.skip_all("valgrind not installed (apt-get install valgrind)")
    if not os.access(SW, os.X_OK):
        swtest.skip_all(f"{SW} not built")
    pki = swtest.pki()
    root = os.path.join(pki, "root.pem")
    with swtest.Suite() as t, tempfile.TemporaryDirectory(prefix="swtest-vg-") as tmp:
        pw = os.path.join(tmp, "pw")
        fd = os.open(pw, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.write(fd, b"s3cret\n")
        os.close(fd)
        env = {"SMTPWIZ_PASSWORD": "s3cret"}

        with swtest.Fixture(mode="starttls", auth="PLAIN LOGIN",
                            passwords={"alice": "s3cret"}) as fx:
            target = f"127.0.0.1:{fx.port}"
            vg(t, "all steps, STARTTLS, JSON, --log", [
                "check", "--format", "json", "--timeout", "20", "--mode",
                "starttls", "--cafile", root, "--user", "alice",
                "--password-file", pw, "--log", os.path.join(tmp, "log"),
                target], env=env)
            vg(t, "all steps, STARTTLS, text report", [
                "check", "--timeout", "20", "--mode", "starttls", "--cafile",
                root, "--no-color", target])
            out = os.path.join(tmp, "mail.properties")
            vg(t, "settings block to a file (-o, --block-password include)", [
                "check", "--steps", "1", "--timeout", "20", "--mode", "starttls",
                "--format", "properties", "-o", out, "--user", "alice",
                "--password-file", pw, "--block-password", "include", target],
                env=env)
            vg(t, "js7-json block, wrong mode (ssl on a STARTTLS port)", [
                "check", "--steps", "1-2", "--timeout", "20", "--mode", "ssl",
                "--format", "js7-json", target])

        with swtest.Fixture(mode="ssl") as fx:
            vg(t, "steps 1-4, implicit TLS, JSON", [
                "check", "--steps", "1-4", "--format", "json", "--timeout", "20",
                "--mode", "ssl", "--cafile", root, f"127.0.0.1:{fx.port}"])

        for behaviour in ("escapes", "ehlo-10000", "long-line", "starttls-garbage",
                          "handshake-cut"):
            with hostile.Hostile(behaviour) as srv:
                vg(t, f"hostile {behaviour}, steps 1-2", [
                    "check", "--steps", "1-2", "--format", "json", "--timeout", "5",
                    srv.target])

        port = swtest.free_port()
        vg(t, "connection refused", ["check", "--steps", "1", "--timeout", "5",
                                     f"127.0.0.1:{port}"])
        vg(t, "explain", ["explain", "javax.mail.AuthenticationFailedException: "
                          "535 5.7.139 Authentication unsuccessful; nested "
                          "exception is: PKIX path building failed"])


if __name__ == "__main__":
    main()
