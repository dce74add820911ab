/*
 * Finding the user's Java runtime and reading what it was started with
 * (see javart.h); its java.security is javart_sec.c's.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "javart.h"

/* A bounded copy (snprintf cannot tell that fields differ in size). */
static void
copy(char *dst, size_t cap, const char *src)
{
	size_t n = strnlen(src, cap - 1);

	memmove(dst, src, n);
	dst[n] = '\0';
}

static void __attribute__((format(printf, 2, 3)))
note(struct javart *rt, const char *fmt, ...)
{
	va_list ap;

	if (rt->nnotes >= JAVART_NOTES)
		return;
	va_start(ap, fmt);
	vsnprintf(rt->notes[rt->nnotes++], sizeof(rt->notes[0]), fmt, ap);
	va_end(ap);
}

static int
is_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

void
javart_release_version(const char *home, char *out, size_t cap)
{
	static const char *const rel[] = { "release", "../release" };
	char path[PATH_MAX + 16], line[256], *v;
	size_t i;
	FILE *f;

	out[0] = '\0';
	for (i = 0; i < sizeof(rel) / sizeof(rel[0]) && !out[0]; i++) {
		snprintf(path, sizeof(path), "%.*s/%s", PATH_MAX - 1, home,
		    rel[i]);
		if ((f = fopen(path, "re")) == NULL)
			continue;
		while (fgets(line, sizeof(line), f) != NULL)
			if (strncmp(line, "JAVA_VERSION=", 13) == 0) {
				v = line + 13 + (line[13] == '"');
				/* a file's text: keep what a version holds */
				v[strspn(v, "0123456789abcdefghijklmnopqrstuv"
				    "wxyzABCDEFGHIJKLMNOPQRSTUVWXYZ._+-")] = '\0';
				copy(out, cap, v);
				break;
			}
		fclose(f);
	}
}

/* "1.8.0_402" -> 8, 402; "17.0.15" -> 17, 15; "21" -> 21, 0. */
static void
parse_version(const char *v, int *major, int *update)
{
	char *end;
	long a = strtol(v, &end, 10), b;

	*major = *update = 0;
	if (end == v || a <= 0 || a > 999)
		return;
	if (a == 1 && *end == '.') {		/* 1.8.0_402 */
		a = strtol(end + 1, &end, 10);
		*major = a > 0 && a < 999 ? (int)a : 0;
		if ((end = strchr(v, '_')) != NULL)
			*update = (int)strtol(end + 1, NULL, 10);
		return;
	}
	*major = (int)a;
	if (*end == '.' && (b = strtol(end + 1, &end, 10)) >= 0 &&
	    *end == '.')			/* 17.0.15: the third number */
		*update = (int)strtol(end + 1, NULL, 10);
}

const char *
javart_profile_for(int major, int update)
{
	if (major <= 0)
		return NULL;
	if (major <= 8)
		return update > 0 && update < 261 ? "8u202" : "8u291";
	if (major <= 10)
		return "8u291";
	if (major <= 16)
		return "11";
	if (major <= 20)
		return "17";
	return "21";
}

/* The version, the profile, and where java.security is. */
static void
read_runtime(struct javart *rt)
{
	static const char *const sec[] = { "conf/security/java.security",
	    "lib/security/java.security" };
	char path[PATH_MAX + 64];
	const char *prof;
	size_t i;

	javart_release_version(rt->home, rt->version, sizeof(rt->version));
	parse_version(rt->version, &rt->major, &rt->update);
	for (i = 0; i < sizeof(sec) / sizeof(sec[0]); i++) {
		snprintf(path, sizeof(path), "%.*s/%s", PATH_MAX - 1,
		    rt->home, sec[i]);
		if (is_file(path)) {
			copy(rt->security, sizeof(rt->security), path);
			break;
		}
	}
	if ((prof = javart_profile_for(rt->major, rt->update)) == NULL) {
		copy(rt->profile, sizeof(rt->profile), "17");
		snprintf(rt->profile_why, sizeof(rt->profile_why), "its "
		    "version is unknown (no JAVA_VERSION in a release "
		    "file): judged as Java 17");
		return;
	}
	copy(rt->profile, sizeof(rt->profile), prof);
	if (rt->major > 21)
		snprintf(rt->profile_why, sizeof(rt->profile_why), "Java %d "
		    "is newer than the newest profile: Java 21's defaults, "
		    "with its own java.security", rt->major);
	else
		snprintf(rt->profile_why, sizeof(rt->profile_why), "the "
		    "profile of Java %s, with its own java.security", prof);
}

/*
 * dir as a java.home: it holds lib/ (or jre/lib/, a Java 8 JDK, whose
 * java.home is the jre/).  Fills rt->home and rt->java (when there is
 * an executable bin/java).
 */
static int
take_home(struct javart *rt, const char *dir)
{
	char real[PATH_MAX], path[PATH_MAX + 32];
	struct stat st;

	if (realpath(dir, real) == NULL)
		return 0;
	snprintf(path, sizeof(path), "%s/jre/lib", real);
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		snprintf(path, sizeof(path), "%s/jre", real);
	else
		snprintf(path, sizeof(path), "%s", real);
	copy(rt->home, sizeof(rt->home), path);
	/* A runtime copied without its binaries still has its files:
	 * rt->java stays "" (nothing to run). */
	snprintf(path, sizeof(path), "%s/bin/java", rt->home);
	if (access(path, X_OK) != 0)
		snprintf(path, sizeof(path), "%s/bin/java", real);
	if (access(path, X_OK) == 0)
		copy(rt->java, sizeof(rt->java), path);
	snprintf(path, sizeof(path), "%s/lib", rt->home);
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* bin/java -> the directory above bin/. */
static int
home_of_binary(struct javart *rt, const char *bin)
{
	char dir[PATH_MAX], *slash;

	copy(dir, sizeof(dir), bin);
	if ((slash = strrchr(dir, '/')) == NULL)
		return 0;
	*slash = '\0';
	if ((slash = strrchr(dir, '/')) == NULL || strcmp(slash, "/bin"))
		return 0;
	*slash = '\0';
	return take_home(rt, dir[0] ? dir : "/");
}

/* The first executable "java" on PATH, symlinks resolved. */
static int
java_on_path(char *out, size_t cap)
{
	const char *path = getenv("PATH"), *p, *colon;
	char cand[PATH_MAX + 8], real[PATH_MAX];
	size_t n;

	for (p = path; p != NULL && *p != '\0'; p = *colon ? colon + 1 :
	    colon) {
		if ((colon = strchr(p, ':')) == NULL)
			colon = p + strlen(p);
		n = (size_t)(colon - p);
		if (n == 0 || n >= PATH_MAX)
			continue;
		snprintf(cand, sizeof(cand), "%.*s/java", (int)n, p);
		if (access(cand, X_OK) == 0 && realpath(cand, real) != NULL) {
			copy(out, cap, real);
			return 1;
		}
	}
	return 0;
}

enum sw_err
javart_find(struct javart *rt, const char *java_home, pid_t pid,
    struct sw_error *err)
{
	const char *jh = getenv("JAVA_HOME");
	char bin[PATH_MAX];

	memset(rt, 0, sizeof(*rt));
	if (java_home != NULL) {
		if (!take_home(rt, java_home))
			return sw_fail(err, SW_EUSAGE, "--java-home %s is not "
			    "a Java runtime (no lib/ in it)",
			    java_home);
		copy(rt->source, sizeof(rt->source), "--java-home");
	} else if (pid > 0) {
		return javart_from_process(rt, "/proc", pid, err);
	} else if (jh != NULL && *jh != '\0' && take_home(rt, jh)) {
		copy(rt->source, sizeof(rt->source), "JAVA_HOME");
	} else if (java_on_path(bin, sizeof(bin)) &&
	    home_of_binary(rt, bin)) {
		copy(rt->source, sizeof(rt->source), "java on PATH");
	} else {
		memset(rt, 0, sizeof(*rt));
		return SW_OK;
	}
	rt->found = 1;
	read_runtime(rt);
	javart_read_override(rt);
	return SW_OK;
}

/* ---- a running process -------------------------------------------------- */

/* /proc/PID/cmdline: NUL-separated words; returns how many bytes. */
static size_t
read_cmdline(const char *path, char *buf, size_t cap)
{
	size_t got = 0;
	ssize_t n;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return 0;
	while (got < cap - 1 && (n = read(fd, buf + got, cap - 1 - got)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	buf[got] = '\0';
	return got;
}

/* A relative path of the process against its working directory. */
static void
resolve(const struct javart *rt, const char *v, char *out, size_t cap)
{
	if (strncmp(v, "file://", 7) == 0)
		v += 7;
	else if (strncmp(v, "file:", 5) == 0)
		v += 5;
	if (v[0] == '/' || rt->cwd[0] == '\0')
		copy(out, cap, v);
	else
		snprintf(out, cap, "%.*s/%s", JAVART_PATH - 1, rt->cwd, v);
}

#define CHAIN_PROP		"jdk.tls.maxCertificateChainLength"
#define CLIENT_CHAIN_PROP	"jdk.tls.client.maxInboundCertificateChainLength"

/* One -Dkey=value of the command line. */
static void
take_property(struct javart *rt, const char *kv)
{
	if (strncmp(kv, "java.security.properties=", 25) == 0) {
		rt->security_replace = kv[25] == '=';
		resolve(rt, kv + 25 + rt->security_replace,
		    rt->security_props, sizeof(rt->security_props));
	} else if (strncmp(kv, "javax.net.ssl.trustStore=", 25) == 0)
		resolve(rt, kv + 25, rt->truststore, sizeof(rt->truststore));
	else if (strncmp(kv, "javax.net.ssl.trustStoreType=", 29) == 0)
		copy(rt->truststore_type, sizeof(rt->truststore_type), kv + 29);
	else if (strncmp(kv, "javax.net.ssl.trustStorePassword=", 33) == 0)
		rt->truststore_password = 1;	/* never kept */
	else if (strncmp(kv, "jdk.tls.client.protocols=", 25) == 0)
		copy(rt->client_protocols, sizeof(rt->client_protocols),
		    kv + 25);
	else if (strncmp(kv, "jdk.tls.client.cipherSuites=", 28) == 0)
		copy(rt->client_suites, sizeof(rt->client_suites), kv + 28);
	else if (strncmp(kv, "https.protocols=", 16) == 0)
		copy(rt->https_protocols, sizeof(rt->https_protocols), kv + 16);
	else if (strncmp(kv, CHAIN_PROP "=", sizeof(CHAIN_PROP)) == 0)
		copy(rt->chain_max, sizeof(rt->chain_max),
		    kv + sizeof(CHAIN_PROP));
	else if (strncmp(kv, CLIENT_CHAIN_PROP "=",
	    sizeof(CLIENT_CHAIN_PROP)) == 0)
		copy(rt->client_chain_max, sizeof(rt->client_chain_max),
		    kv + sizeof(CLIENT_CHAIN_PROP));
}

/* What the process is, from its main class or jar and its options. */
static void
name_process(struct javart *rt, const char *main, const char *all)
{
	static const struct {
		const char	*needle;
		const char	*name;
	} known[] = {
		{ "sos-berlin", "JS7 JOC Cockpit" }, { "js7", "JS7" },
		{ "joc", "JS7 JOC Cockpit" },
		{ "org.apache.catalina", "Tomcat" },
		{ "jetty", "Jetty" }, { "wildfly", "WildFly" },
		{ "jboss", "JBoss" },
	};
	const char *base;
	size_t i;

	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (strstr(all, known[i].needle) != NULL) {
			copy(rt->name, sizeof(rt->name), known[i].name);
			return;
		}
	base = strrchr(main, '/');
	copy(rt->name, sizeof(rt->name), main[0] ? (base ? base + 1 : main) :
	    "a Java process");
}

/*
 * w as shown: the value of any KEY=VALUE word whose key names a secret
 * (pass, secret, token, credential: trustStorePassword,
 * --db.password=...) is masked.
 */
static const char *
shown(const char *w, char *buf, size_t cap)
{
	static const char *const secret[] = { "pass", "secret", "token",
	    "credential", "pwd" };
	const char *eq = strchr(w, '=');
	char key[128];
	size_t i, n;

	if (eq == NULL || (n = (size_t)(eq - w)) >= sizeof(key))
		return w;
	for (i = 0; i < n; i++)
		key[i] = (char)tolower((unsigned char)w[i]);
	key[n] = '\0';
	for (i = 0; i < sizeof(secret) / sizeof(secret[0]); i++)
		if (strstr(key, secret[i]) != NULL) {
			snprintf(buf, cap, "%.*s=***", (int)n, w);
			return buf;
		}
	return w;
}

/* The words of the command line up to the main class (or -jar FILE). */
static void
parse_cmdline(struct javart *rt, const char *buf, size_t len)
{
	char all[2048] = "", mainc[256] = "", mask[160];
	const char *w, *end = buf + len;
	size_t o = 0;
	int want_cp = 0, first = 1;

	for (w = buf; w < end; w += strlen(w) + 1, first = 0) {
		if (o < sizeof(all) - 1)
			o += (size_t)snprintf(all + o, sizeof(all) - o, "%s%s",
			    o ? " " : "", shown(w, mask, sizeof(mask)));
		if (first || mainc[0] != '\0')
			continue;
		if (want_cp) {
			copy(rt->classpath, sizeof(rt->classpath), w);
			want_cp = 0;
		} else if (strcmp(w, "-cp") == 0 || strcmp(w, "-classpath") ==
		    0 || strcmp(w, "--class-path") == 0)
			want_cp = 1;
		else if (strncmp(w, "-D", 2) == 0)
			take_property(rt, w + 2);
		else if (strcmp(w, "-jar") == 0 && w + strlen(w) + 1 < end) {
			w += strlen(w) + 1;
			copy(mainc, sizeof(mainc), w);
			if (rt->classpath[0] == '\0')
				resolve(rt, w, rt->classpath,
				    sizeof(rt->classpath));
		} else if (w[0] != '-')
			copy(mainc, sizeof(mainc), w);
	}
	copy(rt->command, sizeof(rt->command), all);
	name_process(rt, mainc, all);
}

enum sw_err
javart_from_process(struct javart *rt, const char *procdir, pid_t pid,
    struct sw_error *err)
{
	char path[PATH_MAX], exe[PATH_MAX], buf[16384];
	const char *base;
	ssize_t n;
	size_t len;

	memset(rt, 0, sizeof(*rt));
	snprintf(path, sizeof(path), "%s/%ld/exe", procdir, (long)pid);
	if ((n = readlink(path, exe, sizeof(exe) - 1)) < 0)
		return sw_fail(err, SW_EUSAGE, "cannot read the program of "
		    "process %ld (%s): it is not running, or belongs to "
		    "another user", (long)pid, strerror(errno));
	exe[n] = '\0';
	/* A replaced binary reads "path (deleted)": the old runtime. */
	if (n > 10 && strcmp(exe + n - 10, " (deleted)") == 0)
		exe[n - 10] = '\0';
	base = strrchr(exe, '/');
	if (base == NULL || strcmp(base, "/java") != 0 ||
	    !home_of_binary(rt, exe))
		return sw_fail(err, SW_EUSAGE, "process %ld runs %s, not a "
		    "Java runtime's bin/java", (long)pid, exe);
	rt->pid = pid;
	copy(rt->source, sizeof(rt->source), "--java-pid");
	snprintf(path, sizeof(path), "%s/%ld/cwd", procdir, (long)pid);
	if ((n = readlink(path, rt->cwd, sizeof(rt->cwd) - 1)) > 0)
		rt->cwd[n] = '\0';
	else
		rt->cwd[0] = '\0';
	snprintf(path, sizeof(path), "%s/%ld/cmdline", procdir, (long)pid);
	if ((len = read_cmdline(path, buf, sizeof(buf))) > 0)
		parse_cmdline(rt, buf, len);
	rt->found = 1;
	read_runtime(rt);
	javart_read_override(rt);
	if (rt->https_protocols[0] != '\0')
		note(rt, "-Dhttps.protocols=%s is set, but it is not for "
		    "mail: only HttpsURLConnection reads it; JavaMail takes "
		    "mail.smtp.ssl.protocols (or -Djdk.tls.client.protocols).",
		    rt->https_protocols);
	if (rt->client_protocols[0] != '\0')
		note(rt, "-Djdk.tls.client.protocols=%s: this Java enables "
		    "only these versions where mail.smtp.ssl.protocols is not "
		    "set.", rt->client_protocols);
	if (rt->client_suites[0] != '\0')
		note(rt, "-Djdk.tls.client.cipherSuites is set: this Java "
		    "enables only those suites where mail.smtp.ssl.ciphersuites "
		    "is not set.");
	return SW_OK;
}

int
javart_process_property(const struct javart *rt, const char *key,
    char *out, size_t cap)
{
	char path[64], buf[16384];
	const char *w, *end;
	size_t len, klen = strlen(key);
	int found = 0;

	if (rt == NULL || rt->pid <= 0)
		return 0;
	snprintf(path, sizeof(path), "/proc/%ld/cmdline", (long)rt->pid);
	len = read_cmdline(path, buf, sizeof(buf));
	for (w = buf, end = buf + len; w < end; w += strlen(w) + 1)
		if (strncmp(w, "-D", 2) == 0 && strncmp(w + 2, key, klen) == 0 &&
		    w[2 + klen] == '=') {
			copy(out, cap, w + 3 + klen);
			found = 1;
		}
	explicit_bzero(buf, sizeof(buf));
	return found;
}

size_t
javart_processes(struct javart *out, size_t cap)
{
	struct sw_error e = { 0 };
	struct dirent *d;
	size_t n = 0;
	DIR *dir;
	char *end;
	long pid;

	if ((dir = opendir("/proc")) == NULL)
		return 0;
	while (n < cap && (d = readdir(dir)) != NULL) {
		pid = strtol(d->d_name, &end, 10);
		if (*end != '\0' || pid <= 0 || pid == (long)getpid())
			continue;
		sw_error_clear(&e);
		if (javart_from_process(&out[n], "/proc", (pid_t)pid, &e) ==
		    SW_OK)
			n++;
	}
	closedir(dir);
	return n;
}

const char *
javart_client_default(const struct javart *rt, int suites, char *buf,
    size_t cap)
{
	const char *v;
	size_t i;

	if (rt == NULL || !rt->found)
		return NULL;
	v = suites ? rt->client_suites : rt->client_protocols;
	if (*v == '\0')
		return NULL;
	copy(buf, cap, v);
	for (i = 0; buf[i] != '\0'; i++)
		if (buf[i] == ',')
			buf[i] = ' ';
	return buf;
}

void
javart_describe(const struct javart *rt, char *buf, size_t cap)
{
	if (rt == NULL || !rt->found) {
		snprintf(buf, cap, "no Java runtime found (--java-home, "
		    "JAVA_HOME, java on PATH)");
		return;
	}
	if (rt->pid > 0)
		snprintf(buf, cap, "Java %s at %s (process %ld, %s)",
		    rt->version[0] ? rt->version : "(version unknown)",
		    rt->home, (long)rt->pid, rt->name);
	else
		snprintf(buf, cap, "Java %s at %s (%s)", rt->version[0] ?
		    rt->version : "(version unknown)", rt->home, rt->source);
}
