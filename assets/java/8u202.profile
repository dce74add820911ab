# smtpwiz Java client profile 8u202: what this Java runtime offers
# as a TLS client by default.  Read by src/java/javaprof.c; java.security
# syntax (java.util.Properties: "\" continues a line), so the jdk.*
# keys can be compared with, and replaced by, a real java.security.
#
# Sources: OpenJDK 8u202-ga (JetBrains/jdk8u_jdk e0ae8d1f):
#   java.security-linux, CipherSuite.java (default order "A", 49 suites),
#   SSLContextImpl.java, EllipticCurvesExtension.java -- as transcribed in
#   ../shared/reference/java-tls-profiles.md sections 1 and 3 (verified
#   there).  profile.suites.supported (not enabled by default) is the
#   non-default part of OpenJDK 17's enum, the same suites in old JSSE
#   (derived; Kerberos suites left out).
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

profile.name=8u202
profile.title=Java 8u202 (January 2019): TLSv1-TLSv1.2, no TLS 1.3
profile.jsse=legacy
profile.wildcards=false
profile.securityFile=jre/lib/security/java.security
profile.protocols.known=SSLv3 TLSv1 TLSv1.1 TLSv1.2
profile.protocols.client=TLSv1.2 TLSv1.1 TLSv1 SSLv3
profile.suites.default=\
    TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384, \
    TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384, \
    TLS_RSA_WITH_AES_256_CBC_SHA256, \
    TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA384, \
    TLS_ECDH_RSA_WITH_AES_256_CBC_SHA384, \
    TLS_DHE_RSA_WITH_AES_256_CBC_SHA256, \
    TLS_DHE_DSS_WITH_AES_256_CBC_SHA256, \
    TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA, \
    TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA, \
    TLS_RSA_WITH_AES_256_CBC_SHA, \
    TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA, \
    TLS_ECDH_RSA_WITH_AES_256_CBC_SHA, \
    TLS_DHE_RSA_WITH_AES_256_CBC_SHA, \
    TLS_DHE_DSS_WITH_AES_256_CBC_SHA, \
    TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256, \
    TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256, \
    TLS_RSA_WITH_AES_128_CBC_SHA256, \
    TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA256, \
    TLS_ECDH_RSA_WITH_AES_128_CBC_SHA256, \
    TLS_DHE_RSA_WITH_AES_128_CBC_SHA256, \
    TLS_DHE_DSS_WITH_AES_128_CBC_SHA256, \
    TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA, \
    TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA, \
    TLS_RSA_WITH_AES_128_CBC_SHA, \
    TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA, \
    TLS_ECDH_RSA_WITH_AES_128_CBC_SHA, \
    TLS_DHE_RSA_WITH_AES_128_CBC_SHA, \
    TLS_DHE_DSS_WITH_AES_128_CBC_SHA, \
    TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, \
    TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, \
    TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, \
    TLS_RSA_WITH_AES_256_GCM_SHA384, \
    TLS_ECDH_ECDSA_WITH_AES_256_GCM_SHA384, \
    TLS_ECDH_RSA_WITH_AES_256_GCM_SHA384, \
    TLS_DHE_RSA_WITH_AES_256_GCM_SHA384, \
    TLS_DHE_DSS_WITH_AES_256_GCM_SHA384, \
    TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, \
    TLS_RSA_WITH_AES_128_GCM_SHA256, \
    TLS_ECDH_ECDSA_WITH_AES_128_GCM_SHA256, \
    TLS_ECDH_RSA_WITH_AES_128_GCM_SHA256, \
    TLS_DHE_RSA_WITH_AES_128_GCM_SHA256, \
    TLS_DHE_DSS_WITH_AES_128_GCM_SHA256, \
    TLS_ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA, \
    TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA, \
    SSL_RSA_WITH_3DES_EDE_CBC_SHA, \
    TLS_ECDH_ECDSA_WITH_3DES_EDE_CBC_SHA, \
    TLS_ECDH_RSA_WITH_3DES_EDE_CBC_SHA, \
    SSL_DHE_RSA_WITH_3DES_EDE_CBC_SHA, \
    SSL_DHE_DSS_WITH_3DES_EDE_CBC_SHA, \
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
profile.groups=secp256r1, secp384r1, secp521r1, sect283k1, sect283r1, \
    sect409k1, sect409r1, sect571k1, sect571r1, secp256k1
profile.certpath.curves=any

jdk.tls.disabledAlgorithms=SSLv3, RC4, DES, MD5withRSA, DH keySize < 1024, \
    EC keySize < 224, 3DES_EDE_CBC, anon, NULL
jdk.certpath.disabledAlgorithms=MD2, MD5, SHA1 jdkCA & usage TLSServer, \
    RSA keySize < 1024, DSA keySize < 1024, EC keySize < 224
jdk.tls.legacyAlgorithms=K_NULL, C_NULL, M_NULL, DH_anon, ECDH_anon, \
    RC4_128, RC4_40, DES_CBC, DES40_CBC, 3DES_EDE_CBC
