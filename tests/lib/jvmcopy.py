"""Cheap copies of a Java runtime with their own java.security and
cacerts, for the tests of issue 15 (the user's own Java as the judge).

A copy is a directory whose entries are symbolic links to the real
runtime's, except for the few the JVM resolves to find its java.home
and the two files a test edits:

    bin/java                 hard link (copy across file systems): the
                             launcher takes its home from /proc/self/exe,
                             so a symlink would lead back to the original
    lib/server/libjvm.so     the same (HotSpot derives java.home from the
                             real path of libjvm.so)
    lib/libjli.so            the same (a launcher that cannot read its
                             home from /proc/self/exe -- run through a
                             loader -- takes the real path of libjli.so)
    conf/security/java.security (lib/security/ on Java 8)  own file
    lib/security/cacerts     own file (or the original's, linked)

Everything else (lib/modules, the other libraries, release) is linked,
so a copy costs a few directory entries.  A bin/java that is a wrapper
script (tests/tools/fetch-jdk.sh's, for a runtime that needs a newer
glibc) is rewritten to run the copy's bin/java.real the same way.
"""
import os
import shutil

# Fixture servers the Java tests set runtimes against: one that speaks
# only TLS_RSA_WITH_AES_256_GCM_SHA384, one only TLS 1.0/1.1.
RSA_ONLY = dict(mode="starttls", tls_max="TLSv1.2", ciphers="AES256-GCM-SHA384")
LEGACY = dict(mode="starttls", tls_min="TLSv1", tls_max="TLSv1.1",
              ciphers="DEFAULT:@SECLEVEL=0")


def _link_or_copy(src, dst):
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def _mirror(src, dst, own):
    """dst/ with a symlink per entry of src/, except the names in own
    (name -> None: a real directory mirrored the same way with
    own[name]'s dict; name -> 'file': a hard link or copy)."""
    os.makedirs(dst, exist_ok=True)
    for name in sorted(os.listdir(src)):
        s, d = os.path.join(src, name), os.path.join(dst, name)
        if name in own and isinstance(own[name], dict):
            _mirror(s, d, own[name])
        elif name in own and own[name] == "file":
            _link_or_copy(os.path.realpath(s), d)
        elif name in own:
            continue  # written by the caller
        else:
            os.symlink(os.path.realpath(s), d)


def _rewrite_wrapper(home, copy):
    """bin/java of a fetch-jdk.sh tree is a script ending in the real
    binary's path: point it at the copy's bin/java.real."""
    java = os.path.join(copy, "bin", "java")
    with open(os.path.join(home, "bin", "java"), "rb") as f:
        text = f.read()
    if not text.startswith(b"#!"):
        return
    import re
    os.unlink(java)
    with open(java, "wb") as f:
        f.write(re.sub(rb'"[^"]*/bin/java\.real"',
                       b'"' + os.path.join(copy, "bin", "java.real").encode() + b'"', text))
    os.chmod(java, 0o755)


def make(home, dest, security=None, cacerts=None):
    """A copy of the runtime at home under dest (replaced when there).
    security: the copy's java.security text (None: the original's);
    cacerts: a file to use as its lib/security/cacerts (None: the
    original's).  Returns dest."""
    home = os.path.realpath(home)
    if os.path.lexists(dest):
        shutil.rmtree(dest)
    java8 = not os.path.isdir(os.path.join(home, "conf"))
    secdir = ("lib", "security") if java8 else ("conf", "security")
    own = {"bin": {"java": "file", "java.real": "file"},
           "lib": {"server": {"libjvm.so": "file"}, "libjli.so": "file",
                   "security": {"cacerts": 0}}}
    own.setdefault(secdir[0], {}).setdefault(secdir[1], {})["java.security"] = 0
    _mirror(home, dest, own)
    _rewrite_wrapper(home, dest)
    sec = os.path.join(dest, *secdir, "java.security")
    if security is None:
        with open(os.path.join(home, *secdir, "java.security")) as f:
            security = f.read()
    with open(sec, "w") as f:
        f.write(security)
    src = cacerts or os.path.realpath(os.path.join(home, "lib", "security", "cacerts"))
    shutil.copyfile(src, os.path.join(dest, "lib", "security", "cacerts"))
    return dest


def security_text(home):
    """The runtime's own java.security text."""
    for sub in (("conf", "security"), ("lib", "security")):
        p = os.path.join(home, *sub, "java.security")
        if os.path.exists(p):
            with open(p) as f:
                return f.read()
    raise FileNotFoundError(os.path.join(home, "conf", "security", "java.security"))


def edit_property(text, key, fn):
    """text with the (possibly continued) value of key replaced by
    fn(old_value); raises KeyError when key is not set in text."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if not line.startswith(key + "=") and not line.startswith(key + " ="):
            continue
        j, value = i, line.split("=", 1)[1]
        while value.endswith("\\") and j + 1 < len(lines):
            j += 1
            value = value[:-1] + lines[j]
        lines[i:j + 1] = [key + "=" + fn(" ".join(value.split()))]
        return "\n".join(lines)
    raise KeyError(key)


def drop_entries(value, names):
    """A comma-separated java.security list without the entries names."""
    keep = [e.strip() for e in value.split(",") if e.strip() and e.strip() not in names]
    return ", ".join(keep)


def fetch(suite, package, name, more=(), timeout=300):
    """A Debian release's runtime unpacked under BUILD/jdk/NAME by
    tests/tools/fetch-jdk.sh (cached there: one copy for every build,
    make test runs some tests under ASan too).  (home, None), or
    (None, why not) when it cannot be fetched (no mirror reachable)."""
    import swtest
    dest = os.path.join(swtest.repo_root(), "build", "jdk", name)
    r = swtest.run([os.path.join(swtest.repo_root(), "tests", "tools", "fetch-jdk.sh"),
                    suite, package, dest, *more], timeout=timeout)
    home = r.stdout.strip().split("\n")[-1] if r.returncode == 0 else ""
    if not home or not os.path.exists(os.path.join(home, "bin", "java")):
        return None, (f"{package} ({suite}) could not be fetched: " +
                      (r.stderr or "").strip()[-300:])
    return os.path.realpath(home), None


def fetch_jdk11():
    """Debian 11's JDK 11."""
    return fetch("bullseye", "openjdk-11-jre-headless", "11")


def fetch_jdk21():
    """Debian 13's JDK 21, with its release's glibc (it wants 2.38):
    its bin/java is fetch-jdk.sh's wrapper through that loader."""
    return fetch("trixie", "openjdk-21-jre-headless", "21",
                 ("libc6", "libstdc++6", "libgcc-s1", "zlib1g"))


def scan_mail_confirm(secret):
    """One look at /proc: (a MailConfirm process is running, the pids of
    those that hold secret in their argv or environment)."""
    seen, leaked = False, []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                cmd = f.read()
            if b"MailConfirm" not in cmd:
                continue
            seen = True
            with open(f"/proc/{pid}/environ", "rb") as f:
                env = f.read()
            if secret.encode() in cmd or secret.encode() in env:
                leaked.append(pid)
        except OSError:
            continue
    return seen, leaked


def disabled_entries(home, key="jdk.tls.disabledAlgorithms"):
    """The entries of the runtime's jdk.tls.disabledAlgorithms (the
    property's line, not the comments that show examples of it)."""
    import re
    m = re.search(r"^" + re.escape(key) + r"\s*=((?:.*\\\n)*.*)$",
                  security_text(home), re.M)
    value = m.group(1).replace("\\\n", " ") if m else ""
    return {e.strip() for e in value.split(",") if e.strip()}
