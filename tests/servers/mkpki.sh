#!/bin/bash
# mkpki.sh DIR [HOSTNAME] -- build the test bed's PKI with stock `openssl` (3.0).
#
# Every leaf differs from the good one in exactly one way, so a test that
# serves it can assert exactly one certificate problem.  Files written to DIR
# (all PEM, keys unencrypted):
#
#   root.pem root.key        self-signed root CA (RSA 2048, SHA-256); the trust
#                            anchor tests pass as --cafile / import into a JKS
#   inter.pem inter.key      intermediate CA signed by root, pathlen:0
#   leaf.pem leaf.key        the good server cert: signed by inter, SAN
#                            DNS:HOSTNAME, DNS:localhost, IP:127.0.0.1, IP:::1,
#                            EKU serverAuth, valid from yesterday for 1 year
#   leaf-chain.pem           leaf + inter: what a correctly configured server sends
#   expired.pem .key -chain.pem     valid 2020-01-01 .. 2021-01-01    -> expired
#   notyet.pem .key -chain.pem      valid from 2099-01-01             -> not-yet-valid
#   soon.pem .key -chain.pem        expires 10 days from now          -> expiring-soon
#   selfsigned.pem .key             self-signed leaf, same SANs       -> self-signed
#   wrongname.pem .key -chain.pem   SAN DNS:wrong.example.invalid only -> hostname-mismatch
#   weakkey.pem .key -chain.pem     RSA 1024 leaf                     -> weak-key
#                                   (serving it needs @SECLEVEL=0 in the server's ciphers)
#   sha1.pem .key -chain.pem        leaf signed with sha1WithRSA      -> weak-signature
#                                   (serving it needs @SECLEVEL=0 as well)
#   ecdsa.pem .key -chain.pem       P-256 ECDSA leaf (a good cert, other key type)
#
# "Served without the intermediate" (incomplete-chain) needs no file of its
# own: serve leaf.pem alone as the chain (fixture_smtp.py --cert leaf.pem).
#
# The two CAs are valid 2019-01-01 .. 2110-01-01 so that every leaf, even the
# 2020 and the 2099 one, nests inside its issuer's validity: the only anomaly
# of each leaf is the intended one.
#
# DIR/.done marks a finished PKI; if it exists the script exits at once.  A
# run that died half way is simply redone.  Concurrency is the caller's
# business (tests/lib/swtest.py holds a lock around this script).
set -eu

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
    echo "usage: $0 DIR [HOSTNAME]" >&2
    exit 64
fi
DIR=$1
HOST=${2:-localhost}

[ -e "$DIR/.done" ] && exit 0

mkdir -p "$DIR"
DIR=$(cd "$DIR" && pwd)
cd "$DIR"
umask 077               # keys are test-only, but no reason to make them world-readable

# Throwaway `openssl ca` state; removed at the end so DIR holds only the files above.
WORK=$DIR/.ca
rm -rf "$WORK"
mkdir -p "$WORK/new"
: > "$WORK/index.txt"

# Dates as `openssl ca` wants them.  GeneralizedTime (4-digit year) is needed
# beyond 2049 and accepted everywhere, so use it throughout.
d() { date -u -d "$1" +%Y%m%d%H%M%SZ; }
YESTERDAY=$(d '-1 day')
IN_A_YEAR=$(d '+365 days')

# `openssl ca` is the only stock-3.0 way to give explicit -startdate/-enddate
# (x509 -req learned -not_before only in 3.4); use it for every cert so they
# are all made the same way.
cat > "$WORK/ca.cnf" <<EOF
[ ca ]
default_ca = testbed

[ testbed ]
dir             = $WORK
database        = \$dir/index.txt
new_certs_dir   = \$dir/new
rand_serial     = yes
unique_subject  = no
default_md      = sha256
policy          = policy_any
email_in_dn     = no
copy_extensions = none
preserve        = yes

[ policy_any ]
organizationName       = optional
organizationalUnitName = optional
commonName             = supplied

[ req ]
distinguished_name = req_dn
prompt             = no
[ req_dn ]
CN = placeholder

[ ext_root ]
basicConstraints       = critical, CA:TRUE
keyUsage               = critical, keyCertSign, cRLSign
subjectKeyIdentifier   = hash

[ ext_inter ]
basicConstraints       = critical, CA:TRUE, pathlen:0
keyUsage               = critical, keyCertSign, cRLSign
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always

[ ext_leaf_rsa ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature, keyEncipherment
extendedKeyUsage       = serverAuth
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid
subjectAltName         = DNS:$HOST, DNS:localhost, IP:127.0.0.1, IP:::1

# ECDSA keys cannot encipher; keyEncipherment would be a (tolerated) error.
[ ext_leaf_ec ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature
extendedKeyUsage       = serverAuth
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid
subjectAltName         = DNS:$HOST, DNS:localhost, IP:127.0.0.1, IP:::1

[ ext_leaf_wrongname ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature, keyEncipherment
extendedKeyUsage       = serverAuth
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid
subjectAltName         = DNS:wrong.example.invalid
EOF
CNF=$WORK/ca.cnf

rsakey() { openssl genpkey -quiet -algorithm RSA -pkeyopt "rsa_keygen_bits:$2" -out "$1"; }
eckey()  { openssl genpkey -quiet -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1"; }
csr()    { openssl req -config "$CNF" -new -key "$1" -subj "$2" -out "$WORK/req.csr"; }

# sign NAME ISSUER EXT START END [MD]: the CSR in $WORK/req.csr -> NAME.pem.
# ISSUER "self" means self-signed with NAME.key.
sign() {
    local name=$1 issuer=$2 ext=$3 start=$4 end=$5 md=${6:-sha256}
    local who
    if [ "$issuer" = self ]; then
        who=(-selfsign -keyfile "$name.key")
    else
        who=(-cert "$issuer.pem" -keyfile "$issuer.key")
    fi
    openssl ca -config "$CNF" -batch -notext -md "$md" "${who[@]}" \
        -extensions "$ext" -startdate "$start" -enddate "$end" \
        -in "$WORK/req.csr" -out "$name.pem" 2>"$WORK/ca.log" \
        || { cat "$WORK/ca.log" >&2; exit 1; }
}

O="/O=smtpwiz test bed"

# --- the CAs ---------------------------------------------------------------
rsakey root.key 2048
csr root.key "$O/CN=smtpwiz Test Root CA"
sign root self ext_root 20190101000000Z 21100101000000Z

rsakey inter.key 2048
csr inter.key "$O/CN=smtpwiz Test Intermediate CA"
sign inter root ext_inter 20190101000000Z 21100101000000Z

# --- leaves signed by the intermediate --------------------------------------
# leaf NAME KEYTYPE(rsa2048|rsa1024|ec) EXT START END [MD]
# OU names the variant so a human reading a chain dump sees which one it is.
leaf() {
    local name=$1 kt=$2 ext=$3 start=$4 end=$5 md=${6:-sha256} cn=${7:-$HOST}
    case $kt in
        rsa*) rsakey "$name.key" "${kt#rsa}" ;;
        ec)   eckey "$name.key" ;;
    esac
    csr "$name.key" "$O/OU=$name/CN=$cn"
    sign "$name" inter "$ext" "$start" "$end" "$md"
    cat "$name.pem" inter.pem > "$name-chain.pem"
}

leaf leaf      rsa2048 ext_leaf_rsa       "$YESTERDAY"      "$IN_A_YEAR"
leaf expired   rsa2048 ext_leaf_rsa       20200101000000Z   20210101000000Z
leaf notyet    rsa2048 ext_leaf_rsa       20990101000000Z   21000101000000Z
# Looks like a 1-year certificate at the end of its life.
leaf soon      rsa2048 ext_leaf_rsa       "$(d '-355 days')" "$(d '+10 days')"
leaf wrongname rsa2048 ext_leaf_wrongname "$YESTERDAY"      "$IN_A_YEAR" sha256 wrong.example.invalid
leaf weakkey   rsa1024 ext_leaf_rsa       "$YESTERDAY"      "$IN_A_YEAR"
leaf sha1      rsa2048 ext_leaf_rsa       "$YESTERDAY"      "$IN_A_YEAR" sha1
leaf ecdsa     ec      ext_leaf_ec        "$YESTERDAY"      "$IN_A_YEAR"

# --- self-signed leaf (CA:FALSE, signs itself: what "just make a cert" gives) ---
rsakey selfsigned.key 2048
csr selfsigned.key "$O/OU=selfsigned/CN=$HOST"
sign selfsigned self ext_leaf_rsa "$YESTERDAY" "$IN_A_YEAR"

# Self-check: the good chain must verify, or every test built on it lies.
openssl verify -CAfile root.pem -untrusted inter.pem -purpose sslserver \
    -verify_hostname "$HOST" leaf.pem >/dev/null

rm -rf "$WORK"
chmod 644 ./*.pem
touch .done
