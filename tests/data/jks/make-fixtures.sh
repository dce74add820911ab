#!/bin/bash
# make-fixtures.sh -- how the keystores in this directory were made, once,
# with OpenJDK 17's keytool (Debian 12, openjdk-17-jre-headless) and
# OpenSSL 3.0.  They are committed so the unit tests (test_jks.c,
# test_x509_p12.c) run without Java; rerun this only to change them, and
# update the expected fingerprints in those tests (printed at the end).
# The integration tests make their keystores at test time instead.
#
# Files: ca.pem two.pem    two throw-away EC P-256 CA certificates (100 y)
#        trust.jks         JKS v2, trusted entries "fixture-ca", "fixture-two"
#        keyentry.jks      JKS v2, a private key entry "server" + "fixture-ca"
#        trust.jceks       JCEKS, trusted entry "fixture-ca"
#        trust-aes.p12     PKCS12, Java 17 default: PBES2 AES-256, HmacPBESHA256
#        trust-3des.p12    PKCS12, PBEWithSHA1AndDESede, HmacPBESHA1
#        trust-rc2.p12     PKCS12, PBEWithSHA1AndRC2_40, HmacPBESHA1 (old Java)
#        trust-nopass.p12  PKCS12 without password protection (JDK 18+ cacerts style)
#        keyentry.p12      PKCS12, a private key entry "server" + "fixture-ca"
#        openssl.p12       PKCS12 from `openssl pkcs12 -export -nokeys`: no
#                          Java trusted-usage attribute, so Java ignores it
# Every password is "changeit".
set -eu
cd "$(dirname "$0")"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
rm -f ./*.jks ./*.jceks ./*.p12 ca.pem two.pem

for n in ca two; do
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
        -keyout "$T/$n.key" -out "$n.pem" -days 36500 -sha256 \
        -subj "/O=smtpwiz test fixtures/CN=smtpwiz fixture $n" \
        -addext basicConstraints=critical,CA:TRUE 2>/dev/null
done

kt() { keytool -noprompt -storepass changeit "$@" >/dev/null 2>&1; }
imp() { kt -importcert -alias "$1" -file "$2" -keystore "$3" -storetype "$4" "${@:5}"; }

imp fixture-ca ca.pem trust.jks JKS
imp fixture-two two.pem trust.jks JKS
kt -genkeypair -alias server -keyalg EC -groupname secp256r1 -dname CN=server \
    -validity 36500 -keystore keyentry.jks -storetype JKS -keypass changeit
imp fixture-ca ca.pem keyentry.jks JKS
imp fixture-ca ca.pem trust.jceks JCEKS
imp fixture-ca ca.pem trust-aes.p12 PKCS12
imp fixture-two two.pem trust-aes.p12 PKCS12
imp fixture-ca ca.pem trust-3des.p12 PKCS12 \
    -J-Dkeystore.pkcs12.certProtectionAlgorithm=PBEWithSHA1AndDESede \
    -J-Dkeystore.pkcs12.macAlgorithm=HmacPBESHA1
imp fixture-ca ca.pem trust-rc2.p12 PKCS12 \
    -J-Dkeystore.pkcs12.certProtectionAlgorithm=PBEWithSHA1AndRC2_40 \
    -J-Dkeystore.pkcs12.macAlgorithm=HmacPBESHA1
imp fixture-ca ca.pem trust-nopass.p12 PKCS12 \
    -J-Dkeystore.pkcs12.certProtectionAlgorithm=NONE \
    -J-Dkeystore.pkcs12.macAlgorithm=NONE
kt -genkeypair -alias server -keyalg EC -groupname secp256r1 -dname CN=server \
    -validity 36500 -keystore keyentry.p12 -storetype PKCS12
imp fixture-ca ca.pem keyentry.p12 PKCS12
openssl pkcs12 -export -nokeys -in ca.pem -out openssl.p12 -passout pass:changeit
chmod 644 ./*.jks ./*.jceks ./*.p12

for n in ca two; do
    printf '%s sha256 ' "$n"
    openssl x509 -in "$n.pem" -noout -fingerprint -sha256 | sed 's/.*=//'
done
ls -l ./*.jks ./*.jceks ./*.p12
