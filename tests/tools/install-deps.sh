#!/bin/bash
# Installs the Debian packages that building and testing smtpwiz need,
# and only those that are missing (apt-get, non-interactive).  Called by
# `make run` and `make test`; safe to run again: with everything present
# it only checks and prints nothing.
set -eu

# What each package is for:
#   gcc make pkg-config          the build
#   libncurses-dev               the wizard (ncursesw)
#   libmbedtls-dev               TLS (2.28 on Debian 12)
#   openssl                      the test PKI (tests/servers/mkpki.sh)
#   python3                      the fixture SMTP server and integration tests
#   tmux                         driving the wizard in tests
#   ca-certificates              the system trust bundle (step 2)
#   sslscan                      the cipher-suite oracle (steps 3-4)
#   valgrind                     leak check of the batch path
#   procps                       pgrep/ps used by tests that check for leftovers
#   openjdk-17-jre-headless      keytool: Java keystores for the step 2 tests
#   openjdk-17-jdk-headless      javac: the real Java mail client of
#                                test_verify_java.py (tests/java)
#   libmail-java libactivation-java
#                                JavaMail 1.6 (javax.mail), the line JS7 uses
#   libjakarta-mail-java libjakarta-activation-java
#                                Jakarta Mail 2.0 (jakarta.mail)
#   groff-base man-db            the man page checks (test_install.py)
#   clang libclang-rt-dev        libFuzzer for the fuzz targets (clang only
#                                recommends its runtime)
#   musl-tools dpkg-dev          make static: musl-gcc, and dpkg-source to
#                                unpack the ncurses and mbedTLS sources
#   dante-server tinyproxy       the SOCKS5 and HTTP CONNECT proxies of
#                                test_check_proxy.py (started by the test)
PACKAGES="gcc make pkg-config libncurses-dev libmbedtls-dev openssl python3
	tmux ca-certificates sslscan valgrind procps openjdk-17-jre-headless
	openjdk-17-jdk-headless libmail-java libactivation-java
	libjakarta-mail-java libjakarta-activation-java
	groff-base man-db clang libclang-rt-dev musl-tools dpkg-dev dante-server
	tinyproxy"

missing=()
for p in $PACKAGES; do
	status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	case $status in *" installed") ;; *) missing+=("$p");; esac
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "installing: ${missing[*]}"
if [ "$(id -u)" != 0 ]; then
	if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
		SUDO="sudo -n"
	else
		echo "install-deps: missing packages and not root: run" >&2
		echo "  apt-get install ${missing[*]}" >&2
		exit 1
	fi
else
	SUDO=
fi
export DEBIAN_FRONTEND=noninteractive
# A fresh machine has no package lists yet; an old list may name
# versions the mirror no longer has.  Update once, then install.
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" \
	>/dev/null
echo "installed: ${missing[*]}"
