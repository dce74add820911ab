#!/usr/bin/python3
"""The limits the man page states are the values the code uses: each
number is read from the source and looked for in the LIMITS section, so
changing a limit without its documentation fails here.  TAP output.
"""

import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import swtest  # noqa: E402

ROOT = swtest.repo_root()


def src(path):
    with open(os.path.join(ROOT, path)) as f:
        return f.read()


def define(path, name):
    m = re.search(r"#define\s+%s\s+\(?([0-9]+)(\s*\*\s*([0-9]+))?" % name, src(path))
    if not m:
        return None
    return int(m.group(1)) * (int(m.group(3)) if m.group(3) else 1)


def main():
    man = src("smtpwiz.1")
    limits = man[man.index(".SH LIMITS"):]
    limits = limits[:limits.index("\n.SH ", 5)]
    text = re.sub(r"\\-", "-", re.sub(r"\n\.[A-Z]+ ?", " ", limits))
    with swtest.Suite() as t:
        line = define("src/net/smtp.h", "SMTP_LINE_MAX")
        lines = define("src/net/smtp.h", "SMTP_REPLY_LINES")
        rbytes = define("src/net/smtp.h", "SMTP_REPLY_BYTES")
        conc = define("src/steps/sweep.h", "SWEEP_CONCURRENCY")
        sniff = define("src/steps/conn_probe.c", "SNIFF_AFTER_MS")
        env = src("src/steps/probe.c")
        ct = int(re.search(r"connect_timeout_ms = ([0-9]+)", env).group(1))
        rt = int(re.search(r"read_timeout_ms = ([0-9]+)", env).group(1))
        pmax = define("src/base/props.h", "PROPS_MAX_FILE")
        it1 = define("src/pki/x509_p12_pbe.c", "P12_MAX_ITERATIONS")
        itall = define("src/pki/x509_p12_pbe.c", "P12_MAX_WORK")
        t.check("PKCS12: %d per derivation, %d in all" % (it1, itall),
                "%d iterations each and %d in all" % (it1, itall) in text)
        chain = define("src/pki/chain.h", "CHAIN_MAX")
        t.check("chain: %d certificates" % chain,
                "%d per chain are kept" % chain in text and
                "first %d shown" % chain in text)
        t.check("reply line: %d bytes" % line, "%d bytes" % line in text, text[:300])
        t.check("reply: %d lines or %d KiB" % (lines, rbytes // 1024),
                "%d lines or %d KiB" % (lines, rbytes // 1024) in text)
        t.check("timeouts: %d s to connect, %d s for each answer" % (ct // 1000, rt // 1000),
                "%d s to connect, %d s for each answer" % (ct // 1000, rt // 1000) in text)
        t.check("TLS sniff after %.1f s" % (sniff / 1000),
                ("after %g s" % (sniff / 1000)) in text)
        t.check("concurrency: %d" % conc, re.search(r"\b%d while steps 3 and 4" % conc, text))
        flat = re.sub(r"\s+", " ", text)      # the caps added for issue 12
        certs = define("src/pki/truststore.h", "TRUSTSTORE_MAX_CERTS")
        t.check("trust store: %d certificates each" % certs,
                "%d certificates read from each" % certs in flat)
        jent = define("src/pki/jks.c", "JKS_MAX_ENTRIES")
        jchain = define("src/pki/jks.c", "JKS_MAX_CHAIN")
        t.check("JKS: %d entries, %d certificates per key entry" % (jent, jchain),
                "at most %d entries and %d certificates per key entry"
                % (jent, jchain) in flat)
        depth = define("src/java/javart_sec.c", "INCLUDE_DEPTH")
        files = define("src/java/javart_sec.c", "INCLUDE_FILES_MAX")
        t.check("java.security includes: %d deep, %d files" % (depth, files),
                "at most %d deep and %d files in all" % (depth, files) in flat)
        dlog = int(re.search(r"DEBUGLOG_FILE_MAX\s+\((\d+)u << 20\)",
                             src("src/java/debuglog.h")).group(1))
        t.check("debug log: %d MiB" % dlog,
                re.search(r"debug\S*\s+logs.*?%d MiB" % dlog, flat, re.I))
        proxy = define("src/net/proxy.c", "HTTP_REPLY_MAX")
        head = define("src/net/http.h", "HTTP_HEAD_MAX")
        hdrs = define("src/net/http.h", "HTTP_HEADERS_MAX")
        body = define("src/net/http.h", "HTTP_BODY_MAX")
        t.check("proxy answer %d bytes; token answer %d KiB, %d lines, %d KiB"
                % (proxy, head // 1024, hdrs, body // 1024),
                "head %d bytes" % proxy in text and
                "%d KiB of status line and headers, %d header lines and a %d KiB body"
                % (head // 1024, hdrs, body // 1024) in flat)
        t.check(".properties: %d MiB" % (pmax // (1024 * 1024)),
                "%d MiB, 4096 keys" % (pmax // (1024 * 1024)) in text)


if __name__ == "__main__":
    main()
