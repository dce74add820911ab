#!/usr/bin/python3
"""The command line: --version, --help, usage errors (exit 64 with one
line saying what was wrong), target syntax.  TAP output.
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import swtest  # noqa: E402

SW = swtest.smtpwiz_bin()


def main():
    with swtest.Suite() as t:
        p = swtest.run([SW, "--version"])
        lines = p.stdout.splitlines()
        t.check("--version exits 0", p.returncode == 0, p.stderr)
        t.check("--version names smtpwiz", lines and lines[0].startswith("smtpwiz "), lines)
        lib = next((l for l in lines if l.lower().startswith("mbed tls")), "")
        t.check("--version names the mbedTLS version", lib != "", lines)
        if " 2." in lib:
            t.check("2.28 completes TLSv1 to TLSv1.2", "TLSv1 to TLSv1.2" in lib, lib)
        elif " 3." in lib:
            t.check("3.6 completes TLSv1.2 to TLSv1.3", "TLSv1.2 to TLSv1.3" in lib, lib)
        else:
            t.check("known mbedTLS major version", False, lib)

        p = swtest.run([SW, "--help"])
        t.check("--help exits 0", p.returncode == 0)
        t.check("--help fits in 80 columns",
                all(len(l) <= 80 for l in p.stdout.splitlines()),
                [l for l in p.stdout.splitlines() if len(l) > 80])
        for word in ("check", "--steps", "--format", "--mode", "--load", "--set",
                     "--timeout", "--discover", "--log", "--version"):
            t.check("--help names " + word, word in p.stdout)

        bad = [
            (["check"], "no target"),
            (["check", "--format", "xml", "h"], "--format"),
            (["check", "--mode", "tls13", "h"], "--mode"),
            (["check", "--steps", "0", "h"], "--steps"),
            (["check", "--steps", "3-9", "h"], "--steps"),
            (["check", "--timeout", "abc", "h"], "--timeout"),
            (["check", "--port", "70000", "h"], "--port"),
            (["check", "h:0"], "port"),
            (["check", "h:99999"], "port"),
            (["check", "[::1", ], "IPv6"),
            (["check", "--bogus", "h"], "--bogus"),
            (["check", "--java", "9", "h"], "8u202, 8u291, 11, 17, 21"),
            (["check", "--format", "properties", "--block-password", "all", "h"],
             "--block-password"),
            (["check", "--timeout"], "needs a value"),
            (["check", "a", "b"], "one target"),
            (["check", "--set", "nonsense", "h"], "KEY=VALUE"),
            (["check", "--set", "mail.smtp.port=abc", "h"], "mail.smtp.port"),
            (["check", "--set", "mail.smtp.ssl.protocols=TLSv1.2,TLSv1.3", "h"], "comma"),
            (["check", "--set", "mail.smtp.password=hunter2", "h"], "password"),
            (["check", "--load", "/nonexistent/x.properties", "h"], "/nonexistent"),
        ]
        for args, word in bad:
            p = swtest.run([SW] + args)
            errs = p.stderr.strip().splitlines()
            t.check("usage error %s: exit 64" % " ".join(args), p.returncode == 64,
                    (p.returncode, p.stderr))
            t.check("usage error %s: one line naming %s" % (" ".join(args), word),
                    len(errs) == 1 and word.lower() in errs[0].lower(), errs)
            t.check("usage error %s: nothing on stdout" % " ".join(args), p.stdout == "",
                    p.stdout)
        p = swtest.run([SW, "check", "--set", "mail.smtp.password=hunter2", "h"])
        t.check("a password given with --set is not echoed", "hunter2" not in p.stderr,
                p.stderr)

        # Target syntax reaches the report unchanged.
        port = swtest.free_port()
        for target, host in (("127.0.0.1:%d" % port, "127.0.0.1"),
                             ("[::1]:%d" % port, "::1")):
            data, code = swtest.run_json([SW, "check", "--steps", "1", "--format",
                                          "json", "--timeout", "2", target])
            t.check("target %s parsed" % target,
                    data and data["target"]["host"] == host and
                    data["target"]["port"] == port, data and data["target"])
        data, code = swtest.run_json([SW, "check", "--steps", "1", "--format", "json",
                                      "--port", str(port), "--timeout", "2", "127.0.0.1"])
        t.check("--port used", data and data["target"]["port"] == port, data and data["target"])
        data, code = swtest.run_json([SW, "check", "--steps", "1", "--format", "json",
                                      "--mode", "ssl", "--timeout", "2", "127.0.0.1"])
        t.check("ssl mode defaults to port 465", data and data["target"]["port"] == 465,
                data and data["target"])


if __name__ == "__main__":
    main()
