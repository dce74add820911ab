#!/usr/bin/python3
"""Step 2 when no certificate can be read: a server that cuts the TLS
handshake, or announces an absurd record, leaves nothing to verify, and
Java would fail there too -- so step 2 fails (exit 2), it does not pass
with a warning.  TAP output.
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import swtest  # noqa: E402
import hostile  # noqa: E402

SW = swtest.smtpwiz_bin()


def main():
    with swtest.Suite() as t:
        for behaviour, mode in (("starttls-handshake-cut", "starttls"),
                                ("starttls-absurd-length", "starttls"),
                                ("tls-absurd-length", "ssl")):
            with hostile.Hostile(behaviour) as h:
                data, code = swtest.run_json(
                    [SW, "check", "--steps", "1-2", "--format", "json",
                     "--timeout", "5", "--mode", mode, "127.0.0.1:%d" % h.port])
            step2 = data["steps"][1] if data else {}
            ids = [f["id"] for f in step2.get("findings", [])]
            t.check("%s: step 2 fails" % behaviour,
                    step2.get("verdict") == "fail", (step2.get("verdict"), ids))
            t.check("%s: exit 2 (first failing step)" % behaviour, code == 2, code)
            t.check("%s: says why no certificate was read" % behaviour,
                    any(i in ids for i in ("tls-handshake-failed", "tls-failed",
                                           "tls-unavailable")), ids)


if __name__ == "__main__":
    main()
