# smtpwiz Java client profile 11: what this Java runtime offers
# as a TLS client by default.  Read by src/java/javaprof.c; java.security
# syntax (java.util.Properties: "\" continues a line), so the jdk.*
# keys can be compared with, and replaced by, a real java.security.
#
# Sources: OpenJDK 11u tag jdk-11.0.31-ga java.security (verified in
#   ../shared/reference/java-tls-profiles.md 1, 2.1); default order "C"
#   (11.0.13+, reference 3); named groups from SupportedGroupsExtension
#   @11.0.31.  Wildcards (TLS_RSA_*) since 11.0.30 (JDK-8341964).  For
#   11.0.0-11.0.29 load that runtime's java.security (--java-security).
# Written 2026-11-29.
#
# profile.*:  jsse           legacy (8u202 and older) | tls13 (8u261+, 11+):
#                            which JSSE (decomposer, error texts)
#             wildcards      true: TLS_* patterns in disabledAlgorithms
#                            work (JDK-8341964)
#             protocols.known    setEnabledProtocols() accepts these
#             protocols.client   default client protocols, before
#                                jdk.tls.disabledAlgorithms
#             suites.default     default cipher suites, in ClientHello
#                                order, before disabledAlgorithms
#             suites.supported   implemented, not enabled by default
#                                (mail.smtp.ssl.ciphersuites can name them)
#             groups         default supported_groups, in order
#             certpath.curves    the curves whose EC keys this JDK can
#                                verify in a certificate: "any", or a
#                                list (SunEC keeps only P-256/384/521
#                                since JDK 16, JDK-8235710); the
#                                certificate rules themselves are
#                                jdk.certpath.disabledAlgorithms below

profile.name=11
profile.title=Java 11 (11.0.31, April 2026): TLSv1.2+1.3, TLS_RSA_* disabled
profile.jsse=tls13
profile.wildcards=true
profile.securityFile=conf/security/java.security
profile.protocols.known=SSLv3 TLSv1 TLSv1.1 TLSv1.2 TLSv1.3
profile.protocols.client=TLSv1.3 TLSv1.2 TLSv1.1 TLSv1
profile.suites.default=\
    TLS_AES_256_GCM_SHA384, \
    TLS_AES_128_GCM_SHA256, \
    TLS_CHACHA20_POLY1305_SHA256, \
    TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, \
    TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, \
    TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, \
    TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, \
    TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256, \
    TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, \
    TLS_DHE_RSA_WITH_AES_256_GCM_SHA384, \
    TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256, \
    TLS_DHE_DSS_WITH_AES_256_GCM_SHA384, \
    TLS_DHE_RSA_WITH_AES_128_GCM_SHA256, \
    TLS_DHE_DSS_WITH_AES_128_GCM_SHA256, \
    TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384, \
    TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384, \
    TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256, \
    TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256, \
    TLS_DHE_RSA_WITH_AES_256_CBC_SHA256, \
    TLS_DHE_DSS_WITH_AES_256_CBC_SHA256, \
    TLS_DHE_RSA_WITH_AES_128_CBC_SHA256, \
    TLS_DHE_DSS_WITH_AES_128_CBC_SHA256, \
    TLS_ECDH_ECDSA_WITH_AES_256_GCM_SHA384, \
    TLS_ECDH_RSA_WITH_AES_256_GCM_SHA384, \
    TLS_ECDH_ECDSA_WITH_AES_128_GCM_SHA256, \
    TLS_ECDH_RSA_WITH_AES_128_GCM_SHA256, \
    TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA384, \
    TLS_ECDH_RSA_WITH_AES_256_CBC_SHA384, \
    TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA256, \
    TLS_ECDH_RSA_WITH_AES_128_CBC_SHA256, \
    TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA, \
    TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA, \
    TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA, \
    TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA, \
    TLS_DHE_RSA_WITH_AES_256_CBC_SHA, \
    TLS_DHE_DSS_WITH_AES_256_CBC_SHA, \
    TLS_DHE_RSA_WITH_AES_128_CBC_SHA, \
    TLS_DHE_DSS_WITH_AES_128_CBC_SHA, \
    TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA, \
    TLS_ECDH_RSA_WITH_AES_256_CBC_SHA, \
    TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA, \
    TLS_ECDH_RSA_WITH_AES_128_CBC_SHA, \
    TLS_RSA_WITH_AES_256_GCM_SHA384, \
    TLS_RSA_WITH_AES_128_GCM_SHA256, \
    TLS_RSA_WITH_AES_256_CBC_SHA256, \
    TLS_RSA_WITH_AES_128_CBC_SHA256, \
    TLS_RSA_WITH_AES_256_CBC_SHA, \
    TLS_RSA_WITH_AES_128_CBC_SHA, \
    TLS_ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA, \
    TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA, \
    SSL_DHE_RSA_WITH_3DES_EDE_CBC_SHA, \
    SSL_DHE_DSS_WITH_3DES_EDE_CBC_SHA, \
    TLS_ECDH_ECDSA_WITH_3DES_EDE_CBC_SHA, \
    TLS_ECDH_RSA_WITH_3DES_EDE_CBC_SHA, \
    SSL_RSA_WITH_3DES_EDE_CBC_SHA, \
    TLS_EMPTY_RENEGOTIATION_INFO_SCSV
profile.suites.supported=\
    TLS_DH_anon_WITH_AES_256_GCM_SHA384, \
    TLS_DH_anon_WITH_AES_128_GCM_SHA256, \
    TLS_DH_anon_WITH_AES_256_CBC_SHA256, \
    TLS_ECDH_anon_WITH_AES_256_CBC_SHA, \
    TLS_DH_anon_WITH_AES_256_CBC_SHA, \
    TLS_DH_anon_WITH_AES_128_CBC_SHA256, \
    TLS_ECDH_anon_WITH_AES_128_CBC_SHA, \
    TLS_DH_anon_WITH_AES_128_CBC_SHA, \
    TLS_ECDH_anon_WITH_3DES_EDE_CBC_SHA, \
    SSL_DH_anon_WITH_3DES_EDE_CBC_SHA, \
    TLS_ECDHE_ECDSA_WITH_RC4_128_SHA, \
    TLS_ECDHE_RSA_WITH_RC4_128_SHA, \
    SSL_RSA_WITH_RC4_128_SHA, \
    TLS_ECDH_ECDSA_WITH_RC4_128_SHA, \
    TLS_ECDH_RSA_WITH_RC4_128_SHA, \
    SSL_RSA_WITH_RC4_128_MD5, \
    TLS_ECDH_anon_WITH_RC4_128_SHA, \
    SSL_DH_anon_WITH_RC4_128_MD5, \
    SSL_RSA_WITH_DES_CBC_SHA, \
    SSL_DHE_RSA_WITH_DES_CBC_SHA, \
    SSL_DHE_DSS_WITH_DES_CBC_SHA, \
    SSL_DH_anon_WITH_DES_CBC_SHA, \
    SSL_RSA_EXPORT_WITH_DES40_CBC_SHA, \
    SSL_DHE_RSA_EXPORT_WITH_DES40_CBC_SHA, \
    SSL_DHE_DSS_EXPORT_WITH_DES40_CBC_SHA, \
    SSL_DH_anon_EXPORT_WITH_DES40_CBC_SHA, \
    SSL_RSA_EXPORT_WITH_RC4_40_MD5, \
    SSL_DH_anon_EXPORT_WITH_RC4_40_MD5, \
    TLS_RSA_WITH_NULL_SHA256, \
    TLS_ECDHE_ECDSA_WITH_NULL_SHA, \
    TLS_ECDHE_RSA_WITH_NULL_SHA, \
    SSL_RSA_WITH_NULL_SHA, \
    TLS_ECDH_ECDSA_WITH_NULL_SHA, \
    TLS_ECDH_RSA_WITH_NULL_SHA, \
    TLS_ECDH_anon_WITH_NULL_SHA, \
    SSL_RSA_WITH_NULL_MD5
profile.groups=x25519, secp256r1, secp384r1, secp521r1, x448, ffdhe2048, \
    ffdhe3072, ffdhe4096, ffdhe6144, ffdhe8192
profile.certpath.curves=any

jdk.tls.disabledAlgorithms=SSLv3, TLSv1, TLSv1.1, DTLSv1.0, RC4, DES, \
    MD5withRSA, DH keySize < 1024, EC keySize < 224, 3DES_EDE_CBC, anon, \
    NULL, ECDH, TLS_RSA_*, rsa_pkcs1_sha1 usage HandshakeSignature, \
    ecdsa_sha1 usage HandshakeSignature, include jdk.disabled.namedCurves, \
    dsa_sha1 usage HandshakeSignature, include jdk.disabled.namedCurves
jdk.certpath.disabledAlgorithms=MD2, MD5, SHA1 jdkCA & usage TLSServer, \
    RSA keySize < 1024, DSA keySize < 1024, EC keySize < 224, \
    SHA1 usage SignedJAR & denyAfter 2019-01-01, \
    include jdk.disabled.namedCurves
jdk.tls.legacyAlgorithms=K_NULL, C_NULL, M_NULL, DH_anon, ECDH_anon, \
    RC4_128, RC4_40, DES_CBC, DES40_CBC, 3DES_EDE_CBC
jdk.disabled.namedCurves=secp112r1, secp112r2, secp128r1, secp128r2, \
    secp160k1, secp160r1, secp160r2, secp192k1, secp192r1, secp224k1, \
    secp224r1, secp256k1, sect113r1, sect113r2, sect131r1, sect131r2, \
    sect163k1, sect163r1, sect163r2, sect193r1, sect193r2, sect233k1, \
    sect233r1, sect239k1, sect283k1, sect283r1, sect409k1, sect409r1, \
    sect571k1, sect571r1, X9.62 c2tnb191v1, X9.62 c2tnb191v2, \
    X9.62 c2tnb191v3, X9.62 c2tnb239v1, X9.62 c2tnb239v2, \
    X9.62 c2tnb239v3, X9.62 c2tnb359v1, X9.62 c2tnb431r1, \
    X9.62 prime192v2, X9.62 prime192v3, X9.62 prime239v1, \
    X9.62 prime239v2, X9.62 prime239v3, brainpoolP256r1, brainpoolP320r1, \
    brainpoolP384r1, brainpoolP512r1
