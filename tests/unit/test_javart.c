/*
 * Finding and reading a Java runtime (javart.c, javart_sec.c) on
 * runtime trees and a /proc tree made here: the layouts of Java 8 (a
 * JDK's jre/), 9+ (conf/security), the release file's version and the
 * profile it selects, include lines (JDK 24+ only, in place, relative
 * and ${java.home}, cycles), the security.overridePropertiesFile rule
 * with -Djava.security.properties= and ==, and a process's command
 * line (trust store, client protocols, https.protocols, a password
 * that must not be kept).  The real runtimes are
 * tests/integration/test_java_runtime.py's.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "javart.h"
#include "javasec.h"
#include "tap.h"

static char root[PATH_MAX];

static void
put(const char *rel, const char *text, int mode)
{
	char path[PATH_MAX * 2], dir[PATH_MAX * 2], *s;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	snprintf(dir, sizeof(dir), "%s", path);
	for (s = dir + strlen(root) + 1; (s = strchr(s, '/')) != NULL; s++) {
		*s = '\0';
		mkdir(dir, 0700);
		*s = '/';
	}
	if ((f = fopen(path, "w")) == NULL) {
		CHECK(!"cannot write a fixture");
		return;
	}
	fputs(text, f);
	fclose(f);
	chmod(path, (mode_t)mode);
}

static const char *
at(const char *rel)
{
	static char buf[4][PATH_MAX * 2];
	static int i;

	i = (i + 1) % 4;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", root, rel);
	return buf[i];
}

static void
test_profiles(void)
{
	CHECK_STR(javart_profile_for(8, 202), "8u202");
	CHECK_STR(javart_profile_for(8, 260), "8u202");
	CHECK_STR(javart_profile_for(8, 261), "8u291");
	CHECK_STR(javart_profile_for(8, 402), "8u291");
	CHECK_STR(javart_profile_for(11, 25), "11");
	CHECK_STR(javart_profile_for(17, 15), "17");
	CHECK_STR(javart_profile_for(21, 0), "21");
	CHECK_STR(javart_profile_for(25, 3), "21");
	CHECK(javart_profile_for(0, 0) == NULL);
}

/* A Java 8 JDK: java.home is its jre/, the release file one up. */
static void
test_java8(void)
{
	struct sw_error e = { 0 };
	struct javasec *sec = NULL;
	struct javart rt;

	put("jdk8/bin/java", "#!/bin/sh\n", 0755);
	put("jdk8/jre/bin/java", "#!/bin/sh\n", 0755);
	put("jdk8/jre/lib/security/java.security",
	    "jdk.tls.disabledAlgorithms=SSLv3, RC4\n", 0644);
	put("jdk8/release", "JAVA_VERSION=\"1.8.0_202\"\n", 0644);
	CHECK_INT(javart_find(&rt, at("jdk8"), 0, &e), SW_OK);
	CHECK(rt.found);
	CHECK_STR(rt.home, at("jdk8/jre"));
	CHECK_STR(rt.version, "1.8.0_202");
	CHECK_INT(rt.major, 8);
	CHECK_INT(rt.update, 202);
	CHECK_STR(rt.profile, "8u202");
	CHECK_STR(rt.source, "--java-home");
	CHECK_STR(rt.security, at("jdk8/jre/lib/security/java.security"));
	CHECK_INT(javart_security(&rt, &sec, &e), SW_OK);
	CHECK_STR(javasec_get(sec, "jdk.tls.disabledAlgorithms"),
	    "SSLv3, RC4");
	javasec_free(sec);
	/* Not a runtime: a usage error naming the directory. */
	CHECK_INT(javart_find(&rt, at("jdk8/jre/lib"), 0, &e), SW_EUSAGE);
	CHECK(strstr(sw_error_text(&e), "jdk8/jre/lib") != NULL);
}

/*
 * A hostile fan-out: every level includes the next 10 times, 6 levels
 * deep (10^6 reads without a bound on the files read in all): refused
 * at the 65th file with a message naming the limit, at once; 64 files
 * in all still load.
 */
static void
test_include_fanout(struct javart *rt)
{
	struct sw_error e = { 0 };
	struct javasec *sec = NULL;
	char name[64], body[400];
	int lvl, i;
	size_t o;

	for (lvl = 0; lvl < 6; lvl++) {
		o = 0;
		for (i = 0; i < 10; i++)
			o += (size_t)snprintf(body + o, sizeof(body) - o,
			    "include fan%d.security\n", lvl + 1);
		snprintf(name, sizeof(name), "jdk25/conf/security/fan%d.security",
		    lvl);
		put(name, body, 0644);
	}
	put("jdk25/conf/security/fan6.security", "z=leaf\n", 0644);
	put("jdk25/conf/security/java.security", "include fan0.security\n",
	    0644);
	CHECK_INT(javart_security(rt, &sec, &e), SW_EFILE);
	CHECK(sec == NULL);
	CHECK(strstr(sw_error_text(&e), "more than 64 files read through "
	    "include lines") != NULL);
	/* java.security and 63 includes of one small file: 64 in all. */
	{
		char big[63 * 24 + 1];

		for (o = 0, i = 0; i < 63; i++)
			o += (size_t)snprintf(big + o, sizeof(big) - o,
			    "include fan6.security\n");
		put("jdk25/conf/security/java.security", big, 0644);
	}
	sw_error_clear(&e);
	CHECK_INT(javart_security(rt, &sec, &e), SW_OK);
	CHECK_STR(sec ? javasec_get(sec, "z") : "", "leaf");
	javasec_free(sec);
	put("jdk25/conf/security/java.security", "a=before\n", 0644);
}

/* JDK 24+: include lines in place; a JDK 21 keeps "include" a key. */
static void
test_includes(void)
{
	struct sw_error e = { 0 };
	struct javasec *sec = NULL;
	struct javart rt;

	put("jdk25/bin/java", "#!/bin/sh\n", 0755);
	put("jdk25/lib/modules", "", 0644);
	put("jdk25/release", "JAVA_VERSION=\"25.0.3\"\n", 0644);
	put("jdk25/conf/security/java.security",
	    "a=before\nb=before\n"
	    "include extra.security\n"
	    "b=after\n"
	    "key.with.continuation=x, \\\n"
	    "include not-a-directive\n"
	    "  include ${java.home}/conf/security/more.security\n"
	    "security.overridePropertiesFile=true\n", 0644);
	put("jdk25/conf/security/extra.security", "a=included\nb=included\n"
	    "c=included\n", 0644);
	put("jdk25/conf/security/more.security", "d=more\n", 0644);
	CHECK_INT(javart_find(&rt, at("jdk25"), 0, &e), SW_OK);
	CHECK_STR(rt.profile, "21");
	CHECK(strstr(rt.profile_why, "Java 25 is newer") != NULL);
	CHECK_INT(javart_security(&rt, &sec, &e), SW_OK);
	CHECK_STR(javasec_get(sec, "a"), "included");
	CHECK_STR(javasec_get(sec, "b"), "after");
	CHECK_STR(javasec_get(sec, "c"), "included");
	CHECK_STR(javasec_get(sec, "d"), "more");
	CHECK_STR(javasec_get(sec, "key.with.continuation"),
	    "x, include not-a-directive");
	CHECK(javasec_get(sec, "include") == NULL);
	javasec_free(sec);
	CHECK(rt.override_allowed);

	/* The same file read by a JDK 21: an ordinary key. */
	put("jdk25/release", "JAVA_VERSION=\"21.0.5\"\n", 0644);
	CHECK_INT(javart_find(&rt, at("jdk25"), 0, &e), SW_OK);
	CHECK_INT(javart_security(&rt, &sec, &e), SW_OK);
	CHECK_STR(javasec_get(sec, "a"), "before");
	CHECK(javasec_get(sec, "include") != NULL);
	javasec_free(sec);

	/* A cycle and a missing file fail, as the JDK fails to start. */
	put("jdk25/release", "JAVA_VERSION=\"25.0.3\"\n", 0644);
	put("jdk25/conf/security/extra.security", "include java.security\n",
	    0644);
	CHECK_INT(javart_find(&rt, at("jdk25"), 0, &e), SW_OK);
	sw_error_clear(&e);
	CHECK_INT(javart_security(&rt, &sec, &e), SW_EFILE);
	CHECK(sec == NULL);
	CHECK(strstr(sw_error_text(&e), "includes itself") != NULL);
	put("jdk25/conf/security/extra.security", "include nowhere\n", 0644);
	sw_error_clear(&e);
	CHECK_INT(javart_security(&rt, &sec, &e), SW_EFILE);
	CHECK(strstr(sw_error_text(&e), "nowhere") != NULL);
	put("jdk25/conf/security/extra.security", "a=included\n", 0644);
	test_include_fanout(&rt);
}

/* A process: /proc/PID/{exe,cwd,cmdline} made here. */
static void
make_proc(const char *pid, const char *args, size_t len)
{
	char rel[64], path[PATH_MAX * 2];
	FILE *f;

	snprintf(rel, sizeof(rel), "proc/%s/cmdline", pid);
	put(rel, "", 0644);
	if ((f = fopen(at(rel), "w")) != NULL) {
		fwrite(args, 1, len, f);
		fclose(f);
	}
	snprintf(path, sizeof(path), "%s/proc/%s/exe", root, pid);
	unlink(path);
	CHECK(symlink(at("jdk17/bin/java"), path) == 0);
	snprintf(path, sizeof(path), "%s/proc/%s/cwd", root, pid);
	unlink(path);
	CHECK(symlink(at("app"), path) == 0);
}

static void
test_process(void)
{
	static const char cmd[] =
	    "/opt/jdk17/bin/java\0-Xmx1g\0"
	    "-Djava.security.properties=conf/over.security\0"
	    "-Djavax.net.ssl.trustStore=conf/trust.p12\0"
	    "-Djavax.net.ssl.trustStorePassword=s3cret\0"
	    "-Djdk.tls.client.protocols=TLSv1.2,TLSv1.3\0"
	    "-Ddb.Password=hunter2\0--api-token=tok123\0"
	    "-Dhttps.protocols=TLSv1\0"
	    "-Djdk.tls.maxCertificateChainLength=12\0"
	    "-Djdk.tls.client.maxInboundCertificateChainLength=14\0"
	    "-cp\0lib/*:conf\0"
	    "org.apache.catalina.startup.Bootstrap\0start\0"
	    "-Djava.security.properties=after-main-class\0";
	struct sw_error e = { 0 };
	struct javasec *sec = NULL;
	struct javart rt;
	char desc[1024];
	size_t i;
	int https = 0;

	put("jdk17/bin/java", "#!/bin/sh\n", 0755);
	put("jdk17/lib/modules", "", 0644);
	put("jdk17/release", "JAVA_VERSION=\"17.0.15\"\n", 0644);
	put("jdk17/conf/security/java.security",
	    "jdk.tls.disabledAlgorithms=SSLv3, TLSv1, TLSv1.1\n"
	    "jdk.tls.legacyAlgorithms=NULL\n"
	    "security.overridePropertiesFile=true\n", 0644);
	put("app/conf/over.security",
	    "jdk.tls.disabledAlgorithms=SSLv3\n", 0644);
	make_proc("4242", cmd, sizeof(cmd) - 1);
	CHECK_INT(javart_from_process(&rt, at("proc"), 4242, &e), SW_OK);
	CHECK(rt.found);
	CHECK_INT(rt.pid, 4242);
	CHECK_STR(rt.name, "Tomcat");
	CHECK_STR(rt.home, at("jdk17"));
	CHECK_STR(rt.profile, "17");
	CHECK_STR(rt.security_props, at("app/conf/over.security"));
	CHECK(!rt.security_replace);
	CHECK_STR(rt.truststore, at("app/conf/trust.p12"));
	CHECK(rt.truststore_password);
	CHECK_STR(rt.client_protocols, "TLSv1.2,TLSv1.3");
	/* As JavaMail's default when mail.smtp.ssl.protocols is unset. */
	CHECK_STR(javart_client_default(&rt, 0, desc, sizeof(desc)),
	    "TLSv1.2 TLSv1.3");
	CHECK(javart_client_default(&rt, 1, desc, sizeof(desc)) == NULL);
	CHECK(javart_client_default(NULL, 0, desc, sizeof(desc)) == NULL);
	CHECK_STR(rt.https_protocols, "TLSv1");
	CHECK_STR(rt.chain_max, "12");
	CHECK_STR(rt.client_chain_max, "14");
	CHECK_STR(rt.classpath, "lib/*:conf");
	CHECK(strstr(rt.command, "s3cret") == NULL);
	CHECK(strstr(rt.command, "hunter2") == NULL);
	CHECK(strstr(rt.command, "tok123") == NULL);
	CHECK(strstr(rt.command, "-Ddb.Password=***") != NULL);
	CHECK(strstr(rt.command, "trustStorePassword=***") != NULL);
	for (i = 0; i < rt.nnotes; i++)
		https |= strstr(rt.notes[i], "https.protocols") != NULL &&
		    strstr(rt.notes[i], "not for mail") != NULL;
	CHECK(https);
	javart_describe(&rt, desc, sizeof(desc));
	CHECK(strstr(desc, "17.0.15") && strstr(desc, "process 4242") &&
	    strstr(desc, "Tomcat"));
	/* = merges: the override's key wins, the others stay. */
	CHECK_INT(javart_security(&rt, &sec, &e), SW_OK);
	CHECK_STR(javasec_get(sec, "jdk.tls.disabledAlgorithms"), "SSLv3");
	CHECK_STR(javasec_get(sec, "jdk.tls.legacyAlgorithms"), "NULL");
	javasec_free(sec);
	/* == replaces java.security as a whole. */
	rt.security_replace = 1;
	CHECK_INT(javart_security(&rt, &sec, &e), SW_OK);
	CHECK(javasec_get(sec, "jdk.tls.legacyAlgorithms") == NULL);
	javasec_free(sec);
	/* --java-security FILE wins over the runtime's. */
	CHECK_INT(javart_security_for(at("app/conf/over.security"), NULL,
	    &sec, &e), SW_OK);
	CHECK_STR(javasec_get(sec, "jdk.tls.disabledAlgorithms"), "SSLv3");
	javasec_free(sec);

	/* security.overridePropertiesFile not true: the file is ignored. */
	put("jdk17/conf/security/java.security",
	    "jdk.tls.disabledAlgorithms=SSLv3, TLSv1, TLSv1.1\n"
	    "security.overridePropertiesFile=false\n", 0644);
	CHECK_INT(javart_from_process(&rt, at("proc"), 4242, &e), SW_OK);
	CHECK(!rt.override_allowed);
	CHECK_INT(javart_security(&rt, &sec, &e), SW_OK);
	CHECK_STR(javasec_get(sec, "jdk.tls.disabledAlgorithms"),
	    "SSLv3, TLSv1, TLSv1.1");
	javasec_free(sec);
	for (i = 0, https = 0; i < rt.nnotes; i++)
		https |= strstr(rt.notes[i], "is ignored") != NULL;
	CHECK(https);

	/* Not a Java process, and no process at all. */
	CHECK_INT(javart_from_process(&rt, at("proc"), 99999, &e), SW_EUSAGE);
}

int
main(void)
{
	char tmpl[] = "/tmp/smtpwiz-javart-XXXXXX";
	char cmd[PATH_MAX + 16];

	if (mkdtemp(tmpl) == NULL || realpath(tmpl, root) == NULL) {
		CHECK(!"mkdtemp");
		return tap_done();
	}
	test_profiles();
	test_java8();
	test_includes();
	test_process();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", root);
	return tap_done();
}
