#!/bin/bash
# Compiles tests/java/MailCheck.java twice into OUTDIR:
#   OUTDIR/javamail/   against Debian's libmail-java (JavaMail 1.6, javax.mail)
#   OUTDIR/jakarta/    against libjakarta-mail-java (Jakarta Mail 2.0,
#                      jakarta.mail), from a copy with javax.mail replaced
# and writes OUTDIR/<variant>.classpath, the run-time class path of each
# (the class directory, the mail jar and its activation jar).
#
#   tests/java/build.sh OUTDIR
#
# Exit 0 when both variants were built; 77 (with the reason on stderr)
# when javac or a jar is missing, so a test can skip; 1 when javac fails.
set -eu
out=${1:?usage: build.sh OUTDIR}
here=$(cd "$(dirname "$0")" && pwd)
JARS=${MAILCHECK_JAR_DIR:-/usr/share/java}

command -v javac >/dev/null ||
	{ echo "javac not found (Debian: openjdk-17-jdk-headless)" >&2; exit 77; }

# variant  jars (colon-separated, relative to $JARS)  Debian package
variants="javamail:javax.mail.jar,javax.activation.jar:libmail-java,libactivation-java
jakarta:jakarta-mail.jar,jakarta-activation.jar:libjakarta-mail-java,libjakarta-activation-java"

for v in $variants; do
	IFS=: read -r name jars pkgs <<<"$v"
	cp=
	for j in ${jars//,/ }; do
		[ -r "$JARS/$j" ] || { echo "$JARS/$j not found (Debian: ${pkgs//,/ })" >&2
			exit 77; }
		cp=$cp:$JARS/$j
	done
	src=$out/src-$name
	mkdir -p "$src" "$out/$name"
	if [ "$name" = jakarta ]; then
		sed 's/javax\.mail/jakarta.mail/g' "$here/MailCheck.java" >"$src/MailCheck.java"
	else
		cp "$here/MailCheck.java" "$src/MailCheck.java"
	fi
	javac -nowarn -encoding UTF-8 -d "$out/$name" -cp "${cp#:}" "$src/MailCheck.java" ||
		exit 1
	echo "$out/$name$cp" >"$out/$name.classpath"
done
