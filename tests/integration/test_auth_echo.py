#!/usr/bin/python3
"""A server that echoes the password in ways an exact match misses
(issue 12): cut over the two lines of a multi-line reply, with an escape
sequence or a NUL put into it, and a password holding a TAB (which
sanitising turns into a space).  Every variant must leave no piece of
the password in the JSON report, the text report, stderr or the --log
transcript.  Uses test_check_auth.py's scripted server.  TAP.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import swtest  # noqa: E402
import test_check_auth as tca  # noqa: E402

PW = tca.PW                       # "Zq7-known-Pa55word!x"
TAB_PW = "Tab\tsecret-W0rd-77"

# name -> (password, the server's reply to AUTH PLAIN, pieces that must
# not show anywhere)
VARIANTS = {
    "split over two lines": (
        PW, "535-5.7.8 you sent Zq7-known-\n535 5.7.8 Pa55word!x, wrong",
        ["Zq7-known-", "Pa55word!x"]),
    "split after a code-like piece": (
        PW, "535-5.7.8 Zq7-kn\n535 5.7.8 own-Pa55word!x",
        ["Zq7-kn", "own-Pa55word!x"]),
    "ESC inside": (
        PW, "535 5.7.8 you sent Zq7-kn\x1b[1mown-Pa55word!x",
        ["Zq7-kn", "own-Pa55word!x", "Pa55word"]),
    "NUL inside": (
        PW, "535 5.7.8 you sent Zq7-known\x00-Pa55word!x",
        ["Zq7-known", "Pa55word!x"]),
    "password with a TAB": (
        TAB_PW, "535 5.7.8 you sent Tab\tsecret-W0rd-77",
        ["secret-W0rd-77", "Tab secret"]),
}


def main():
    tca.preflight()
    with swtest.Suite() as t:
        for name, (pw, reply, pieces) in VARIANTS.items():
            with tca.Scripted(auth="PLAIN", replies={"PLAIN": reply}) as sv:
                for fmt in ("json", "text"):
                    o = tca.check(sv.port, "--mode", "ssl", fmt=fmt, pw=pw)
                    label = f"{name} ({fmt})"
                    if fmt == "json":
                        a = o.auth
                        att = (a.get("attempts") or [{}])[0]
                        t.check(f"{label}: the server was asked and refused",
                                att.get("code") == 535, (a, o.stderr[-800:]))
                        t.check(f"{label}: the reply is redacted",
                                "redacted" in att.get("reply", ""), att)
                    text = o.everything()
                    found = [p for p in pieces if p in text]
                    t.check(f"{label}: no piece of the password in report, "
                            "stderr or --log", not found and o.log != "",
                            (found, [ln for ln in text.splitlines()
                                     if any(p in ln for p in pieces)][:5]))
                    t.check(f"{label}: the transcript shows the server's "
                            "line redacted",
                            "line redacted: it holds the credentials" in o.log,
                            o.log[-1500:])


if __name__ == "__main__":
    main()
