/*
 * props.c: the reader against java.util.Properties (tests/data/props,
 * produced by OpenJDK 17) and against a table of cases, the writer's
 * escapes and round trips, limits, and the atomic file write: mode,
 * replacement, failures that leave the old file and no temporary file.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "props.h"
#include "tap.h"
#include "testutil.h"

#define DATA_DIR	"tests/data/props"

/* ---- helpers ------------------------------------------------------- */

static int
spit(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");
	int ok;

	if (f == NULL)
		return -1;
	ok = fputs(text, f) >= 0;
	return fclose(f) == 0 && ok ? 0 : -1;
}

/* Entries of dir other than . and .. */
static int
dir_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	if (d == NULL)
		return -1;
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			n++;
	closedir(d);
	return n;
}

static enum sw_err
parse_str(struct props *p, const char *text, struct sw_error *err)
{
	return props_parse(p, text, strlen(text), "t", err);
}

/* ---- Java's own reading (tests/data/props) -------------------------- */

/* Decodes the .expected escapes (\\ \t \n \r \f \xHH) in place. */
static void
expected_unescape(char *s)
{
	char *o = s;

	for (; *s != '\0'; s++) {
		if (*s != '\\' || s[1] == '\0') {
			*o++ = *s;
			continue;
		}
		s++;
		switch (*s) {
		case 't': *o++ = '\t'; break;
		case 'n': *o++ = '\n'; break;
		case 'r': *o++ = '\r'; break;
		case 'f': *o++ = '\f'; break;
		case 'x':
			*o++ = (char)strtol((char[3]){ s[1], s[2], 0 },
			    NULL, 16);
			s += 2;
			break;
		default: *o++ = *s;
		}
	}
	*o = '\0';
}

/* Checks our reading of one .properties file against its .expected. */
static void
java_case(const char *base)
{
	char path[512], exp[512], *want, *line, *save = NULL, *tab;
	struct sw_error err = { 0 };
	struct props *p = props_new();
	size_t pairs = 0;
	enum sw_err rc;

	snprintf(path, sizeof(path), "%s/%s.properties", DATA_DIR, base);
	snprintf(exp, sizeof(exp), "%s/%s.expected", DATA_DIR, base);
	want = slurp(exp, NULL);
	CHECK(want != NULL);
	rc = props_load_file(p, path, &err);
	if (want != NULL && strncmp(want, "!error", 6) == 0) {
		printf("# %s: %s\n", base, err.msg);
		CHECK_INT(rc, SW_EFILE);
		CHECK(strstr(err.msg, "malformed \\uXXXX") != NULL);
	} else if (want != NULL) {
		if (rc != SW_OK)
			printf("# %s: %s\n", base, err.msg);
		CHECK_INT(rc, SW_OK);
		for (line = strtok_r(want, "\n", &save); line != NULL;
		    line = strtok_r(NULL, "\n", &save), pairs++) {
			tab = strchr(line, '\t');
			CHECK(tab != NULL);
			if (tab == NULL)
				continue;
			*tab = '\0';
			expected_unescape(line);
			expected_unescape(tab + 1);
			printf("# %s: [%s]\n", base, line);
			CHECK_STR(props_get(p, line), tab + 1);
		}
		CHECK_INT(props_count(p), pairs);
	}
	free(want);
	props_free(p);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
test_java_data(void)
{
	DIR *d = opendir(DATA_DIR);
	struct dirent *e;
	char *names[128];
	size_t n = 0, i, len;

	CHECK(d != NULL);
	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL && n < 128) {
		len = strlen(e->d_name);
		if (len > 11 &&
		    strcmp(e->d_name + len - 11, ".properties") == 0)
			names[n++] = strndup(e->d_name, len - 11);
	}
	closedir(d);
	qsort(names, n, sizeof(names[0]), cmp_str);
	CHECK(n >= 20);		/* the directory is really there */
	for (i = 0; i < n; i++) {
		java_case(names[i]);
		free(names[i]);
	}
}

/* ---- reader table ------------------------------------------------------ */

struct read_case {
	const char	*in;
	const char	*pairs[8];	/* key, value, key, value, ..., NULL */
};

static const struct read_case read_cases[] = {
	{ "a=b", { "a", "b" } },
	{ "a:b", { "a", "b" } },
	{ "a b", { "a", "b" } },
	{ "a\tb", { "a", "b" } },
	{ "a\fb", { "a", "b" } },
	{ "  a  =  b  ", { "a", "b  " } },
	{ "key:value=x", { "key", "value=x" } },
	{ "key = = x", { "key", "= x" } },
	{ "key : : x", { "key", ": x" } },
	{ "key := x", { "key", "= x" } },
	{ "a\\=b=c", { "a=b", "c" } },
	{ "a\\:b:c", { "a:b", "c" } },
	{ "a\\ b c", { "a b", "c" } },
	{ "a\\\\=b", { "a\\", "b" } },
	{ "key", { "key", "" } },
	{ "key=", { "key", "" } },
	{ "=v", { "", "v" } },
	{ "# c\n! c\n  # c\na=1", { "a", "1" } },
	{ "a=1 # no comment", { "a", "1 # no comment" } },
	{ "\\#a=1", { "#a", "1" } },
	{ "a=x\\\n  y", { "a", "xy" } },
	{ "a=x\\\\\nb=y", { "a", "x\\", "b", "y" } },
	{ "a=x\\\\\\\n  y", { "a", "x\\y" } },
	{ "a=x\\\n# c", { "a", "x# c" } },
	{ "a=x\\\n\nb=y", { "a", "x", "b", "y" } },
	{ "a=x\\\n \t \nb=y", { "a", "x", "b", "y" } },
	{ "a=x\\", { "a", "x" } },
	{ "\n\n   \n\t\n", { NULL } },
	{ "", { NULL } },
	{ "\\", { "", "" } },
	{ "\\\n# c\na=1", { "a", "1" } },
	{ "a=\\t\\n\\r\\f\\\\", { "a", "\t\n\r\f\\" } },
	{ "a=\\=\\:\\#\\!\\ x", { "a", "=:#! x" } },
	{ "a=\\q\\z", { "a", "qz" } },
	{ "a=\\ \\ b", { "a", "  b" } },
	{ "a=caf\\u00e9", { "a", "caf\xc3\xa9" } },
	{ "a=\\u00E9\\u20ac", { "a", "\xc3\xa9\xe2\x82\xac" } },
	{ "a=\\uD83D\\uDE00", { "a", "\xf0\x9f\x98\x80" } },
	{ "a=\\u0041", { "a", "A" } },
	{ "\\u0061=1", { "a", "1" } },
	{ "a=\xc3\xa9 \xe6\x97\xa5", { "a", "\xc3\xa9 \xe6\x97\xa5" } },
	{ "\xc3\xa4=1", { "\xc3\xa4", "1" } },
	{ "a=\xe9", { "a", "\xe9" } },		/* Latin-1 bytes pass */
	{ "a=1\r\nb=2\rc=3\n", { "a", "1", "b", "2", "c", "3" } },
	{ "a=x\\\r\n  y\r\n", { "a", "xy" } },
	{ "a=x\\\r  y\r", { "a", "xy" } },
	{ "a=1\nb=2\na=3", { "a", "3", "b", "2" } },	/* first position */
	/*
	 * Blanks after a value are kept (issue 11: Java reads "true " as
	 * false), whatever the separator, line end or continuation; only
	 * those before the value go.
	 */
	{ "mail.smtp.starttls.enable=true ", { "mail.smtp.starttls.enable",
	    "true " } },
	{ "a=true\t", { "a", "true\t" } },
	{ "a=true\f", { "a", "true\f" } },
	{ "a=true  \r\n", { "a", "true  " } },
	{ "a=true \r", { "a", "true " } },
	{ "a:true ", { "a", "true " } },
	{ "a : true ", { "a", "true " } },
	{ "a true ", { "a", "true " } },
	{ "a\ttrue\t", { "a", "true\t" } },
	{ "a =  = true ", { "a", "= true " } },
	{ "a=\ttrue", { "a", "true" } },
	{ "a=\\ true", { "a", " true" } },		/* escaped: kept */
	{ "a=\\ttrue", { "a", "\ttrue" } },
	{ "a=true\\ ", { "a", "true " } },
	{ "a=true\\t", { "a", "true\t" } },
	{ "a=true\\u0020", { "a", "true " } },
	{ "a=\\u0020true\\u0020", { "a", " true " } },
	{ "a=tr\\\n   ue ", { "a", "true " } },
	{ "a=true \\\n   \n", { "a", "true " } },
	{ "a=true \\\n  x ", { "a", "true x " } },
	{ "a=true \\", { "a", "true " } },	/* backslash at EOF dropped */
	{ "a=true \\\r\n", { "a", "true " } },
	{ "a=true # c ", { "a", "true # c " } },
	{ "  a=  ", { "a", "" } },
	{ "a\\ =1", { "a ", "1" } },
};

static void
test_read_table(void)
{
	struct sw_error err;
	struct props *p;
	size_t i, k, n;

	for (i = 0; i < sizeof(read_cases) / sizeof(read_cases[0]); i++) {
		const struct read_case *c = &read_cases[i];

		sw_error_clear(&err);
		p = props_new();
		printf("# case %zu\n", i);
		CHECK_INT(parse_str(p, c->in, &err), SW_OK);
		for (n = 0; c->pairs[2 * n] != NULL; n++)
			;
		CHECK_INT(props_count(p), n);
		for (k = 0; k < n && k < props_count(p); k++) {
			CHECK_STR(props_key(p, k), c->pairs[2 * k]);
			CHECK_STR(props_value(p, k), c->pairs[2 * k + 1]);
		}
		props_free(p);
	}
}

struct error_case {
	const char	*in;
	size_t		 len;		/* 0: strlen */
	const char	*msg;		/* a part of the message */
};

static const struct error_case error_cases[] = {
	{ "a=\\u12", 0, "t:1: malformed \\uXXXX escape \"\\u12\"" },
	{ "a=\\u12zz", 0, "t:1: malformed \\uXXXX escape \"\\u12zz\"" },
	{ "a=\\u", 0, "t:1: malformed" },
	{ "ok=1\n\\u00g1=x", 0, "t:2: malformed \\uXXXX escape \"\\u00g1\"" },
	{ "a=1\\\n  2\\\n  \\u00zz", 0, "t:3: malformed" },
	{ "a=1\\\n  \\u00e9\\\n  \\u0", 0, "t:3: malformed" },
	{ "a=\\uD83D", 0, "t:1: \\uD83D is the first half" },
	{ "a=\\uD83Dx", 0, "first half of a surrogate pair" },
	{ "a=\\uD83D\\u0041", 0, "first half of a surrogate pair" },
	{ "a=\\uDE00", 0, "t:1: \\uDE00 is the second half" },
	{ "a=\\u0000", 0, "t:1: \\u0000" },
	{ "a=1\nb=x\0y", 9, "t:2: NUL byte" },
};

static void
test_read_errors(void)
{
	struct sw_error err;
	struct props *p = props_new();
	size_t i;
	const struct error_case *c;

	props_set(p, "keep", "me", NULL);
	for (i = 0; i < sizeof(error_cases) / sizeof(error_cases[0]); i++) {
		c = &error_cases[i];
		sw_error_clear(&err);
		CHECK_INT(props_parse(p, c->in, c->len ? c->len : strlen(c->in),
		    "t", &err), SW_EFILE);
		printf("# %s\n", err.msg);
		CHECK(strstr(err.msg, c->msg) != NULL);
	}
	/* All or nothing: the good pairs before an error are not added. */
	CHECK_INT(props_count(p), 1);
	CHECK_STR(props_get(p, "keep"), "me");
	props_free(p);
}

static void
test_lines_and_order(void)
{
	struct sw_error err = { 0 };
	struct props *p = props_new();

	CHECK_INT(parse_str(p, "# c\nb=1\n\na=x\\\n  y\nb=2\nc=3\nb=4\n",
	    &err), SW_OK);
	CHECK_INT(props_count(p), 3);
	CHECK_STR(props_key(p, 0), "b");
	CHECK_STR(props_value(p, 0), "4");
	CHECK_INT(props_line(p, 0), 8);
	CHECK_INT(props_first_line(p, 0), 2);
	CHECK_STR(props_key(p, 1), "a");
	CHECK_INT(props_line(p, 1), 4);
	CHECK_INT(props_first_line(p, 1), 0);
	CHECK_INT(props_line(p, 2), 7);
	/* A later parse or set overrides, keeping the first position. */
	CHECK_INT(parse_str(p, "c=9\nd=1\n", &err), SW_OK);
	CHECK_STR(props_key(p, 2), "c");
	CHECK_STR(props_value(p, 2), "9");
	CHECK_INT(props_line(p, 2), 1);
	CHECK_STR(props_key(p, 3), "d");
	CHECK_INT(props_set(p, "a", "new", &err), SW_OK);
	CHECK_STR(props_key(p, 1), "a");
	CHECK_INT(props_line(p, 1), 0);
	CHECK_INT(props_unset(p, "a"), 1);
	CHECK_INT(props_unset(p, "a"), 0);
	CHECK_INT(props_count(p), 3);
	CHECK_STR(props_key(p, 1), "c");
	CHECK(props_get(p, "a") == NULL);
	CHECK(props_key(p, 99) == NULL);
	props_free(p);
}

static void
test_limits(void)
{
	struct sw_error err = { 0 };
	struct props *p = props_new();
	char key[32], *big;
	size_t i;
	struct buf { char *s; size_t n; } t = { 0 };
	FILE *mem;

	big = malloc(PROPS_MAX_VALUE + 3);
	memset(big, 'x', PROPS_MAX_VALUE + 1);
	big[PROPS_MAX_VALUE + 1] = '\0';
	CHECK_INT(props_set(p, "k", big, &err), SW_EUSAGE);
	big[PROPS_MAX_VALUE] = '\0';
	CHECK_INT(props_set(p, "k", big, NULL), SW_OK);
	for (i = 1; i < PROPS_MAX_KEYS; i++) {
		snprintf(key, sizeof(key), "k%zu", i);
		if (props_set(p, key, "v", NULL) != SW_OK)
			break;
	}
	CHECK_INT(props_count(p), PROPS_MAX_KEYS);
	sw_error_clear(&err);
	CHECK_INT(props_set(p, "one-more", "v", &err), SW_EUSAGE);
	CHECK(strstr(err.msg, "4096") != NULL);
	CHECK_INT(props_set(p, "k1", "changed", NULL), SW_OK);
	sw_error_clear(&err);
	CHECK_INT(parse_str(p, "k2=x\nnew=1\n", &err), SW_EFILE);
	CHECK_STR(props_get(p, "k2"), "v");
	props_free(p);

	/* In a parse, the 4097th key is an error naming its line. */
	p = props_new();
	mem = open_memstream(&t.s, &t.n);
	for (i = 0; i <= PROPS_MAX_KEYS; i++)
		fprintf(mem, "key%zu=%zu\n", i, i);
	fclose(mem);
	sw_error_clear(&err);
	CHECK_INT(props_parse(p, t.s, t.n, "many", &err), SW_EFILE);
	CHECK(strstr(err.msg, "many:4097: more than 4096 keys") != NULL);
	CHECK_INT(props_count(p), 0);
	free(t.s);
	/* A value over 64 KiB in a file: "k=" and 65537 bytes. */
	memset(big, 'x', PROPS_MAX_VALUE + 3);
	big[0] = 'k';
	big[1] = '=';
	sw_error_clear(&err);
	CHECK_INT(props_parse(p, big, PROPS_MAX_VALUE + 3, "big", &err),
	    SW_EFILE);
	CHECK(strstr(err.msg, "big:1: value of k longer than 65536") != NULL);
	free(big);
	props_free(p);
}

/* ---- writer ------------------------------------------------------------ */

struct fmt_case {
	const char	*key, *value, *line;
};

static const struct fmt_case fmt_cases[] = {
	{ "a", "b", "a=b\n" },
	{ "a b", " x y ", "a\\ b=\\ x y \n" },
	{ "k=:#!", "=:#!", "k\\=\\:\\#\\!==:#!\n" },
	{ "#k", "v", "\\#k=v\n" },
	{ "!k", "#v", "\\!k=#v\n" },
	{ "b\\s", "c:\\dir\\", "b\\\\s=c:\\\\dir\\\\\n" },
	{ "t", "\t\n\r\f", "t=\\t\\n\\r\\f\n" },
	{ "u", "caf\xc3\xa9", "u=caf\\u00E9\n" },
	{ "\xc3\xa4", "\xe2\x82\xac", "\\u00E4=\\u20AC\n" },
	{ "emoji", "\xf0\x9f\x98\x80", "emoji=\\uD83D\\uDE00\n" },
	{ "latin1", "\xe9t\xe9", "latin1=\\u00E9t\\u00E9\n" },
	{ "ctl", "\x01\x7f", "ctl=\\u0001\\u007F\n" },
	{ "", "", "=\n" },
	{ "trail", "x  ", "trail=x  \n" },
};

static void
test_format_escapes(void)
{
	struct sw_error err = { 0 };
	struct props *p;
	char *out;
	size_t i;

	for (i = 0; i < sizeof(fmt_cases) / sizeof(fmt_cases[0]); i++) {
		p = props_new();
		props_set(p, fmt_cases[i].key, fmt_cases[i].value, NULL);
		CHECK_INT(props_format(p, NULL, NULL, NULL, &out, &err), SW_OK);
		CHECK_STR(out, fmt_cases[i].line);
		free(out);
		props_free(p);
	}
}

static const char *
why(void *arg, const char *key, const char *value)
{
	(void)value;
	CHECK_STR((const char *)arg, "ctx");
	if (strcmp(key, "mail.smtp.port") == 0)
		return "the port that answered with STARTTLS";
	if (strcmp(key, "mail.smtp.ssl.protocols") == 0)
		return "one version\nTLSv1.3 needs Java 8u261+\n";
	return NULL;
}

static void
test_format_comments(void)
{
	struct sw_error err = { 0 };
	struct props *p = props_new();
	char *out;

	props_set(p, "mail.smtp.host", "smtp.example.com", NULL);
	props_set(p, "mail.smtp.port", "587", NULL);
	props_set(p, "mail.smtp.ssl.protocols", "TLSv1.2", NULL);
	CHECK_INT(props_format(p, "smtpwiz for smtp.example.com\n\n"
	    "written for JavaMail 1.6.2 \xe2\x80\x94 JS7", why,
	    (char[]){ "ctx" }, &out, &err), SW_OK);
	CHECK_STR(out,
	    "# smtpwiz for smtp.example.com\n"
	    "#\n"
	    "# written for JavaMail 1.6.2 \\u2014 JS7\n"
	    "\n"
	    "mail.smtp.host=smtp.example.com\n"
	    "\n"
	    "# the port that answered with STARTTLS\n"
	    "mail.smtp.port=587\n"
	    "\n"
	    "# one version\n"
	    "# TLSv1.3 needs Java 8u261+\n"
	    "mail.smtp.ssl.protocols=TLSv1.2\n");
	free(out);
	props_free(p);
	p = props_new();
	CHECK_INT(props_format(p, NULL, NULL, NULL, &out, &err), SW_OK);
	CHECK_STR(out, "");
	free(out);
	props_free(p);
}

/* Pairs the round trip and the Java-checked golden file use. */
static const char *const trip[][2] = {
	{ "mail.smtp.host", "smtp.example.com" },
	{ "key with spaces", "value with spaces" },
	{ " leading", "  leading and trailing  " },
	{ "k=e:y#!", "v=a:l#u!e" },
	{ "#starts", "!starts" },
	{ "back\\slash", "C:\\path\\to\\" },
	{ "tab\tnl\ncr\rff\f", "tab\tnl\ncr\rff\f" },
	{ "caf\xc3\xa9", "\xc3\xbc\xe6\x97\xa5\xe6\x9c\xac\xf0\x9f\x98\x80" },
	{ "empty", "" },
	{ "", "empty key" },
	{ "trailing backslash\\", "\\" },
	{ "unicode-escape-lookalike", "\\u0041" },
	{ "mail.smtp.password", "p=ss:w#rd \\!" },
};

static struct props *
trip_props(void)
{
	struct props *p = props_new();
	size_t i;

	for (i = 0; i < sizeof(trip) / sizeof(trip[0]); i++)
		props_set(p, trip[i][0], trip[i][1], NULL);
	return p;
}

static void
test_round_trip(void)
{
	struct sw_error err = { 0 };
	struct props *p = trip_props(), *q = props_new();
	char *out, *golden;
	size_t i;

	CHECK_INT(props_format(p, "round trip", NULL, NULL, &out, &err),
	    SW_OK);
	for (i = 0; out[i] != '\0'; i++)
		if ((unsigned char)out[i] > 0x7e)
			break;
	CHECK(out[i] == '\0');			/* pure ASCII */
	CHECK_INT(parse_str(q, out, &err), SW_OK);
	CHECK_INT(props_count(q), props_count(p));
	for (i = 0; i < props_count(p); i++) {
		CHECK_STR(props_key(q, i), props_key(p, i));
		CHECK_STR(props_value(q, i), props_value(p, i));
	}
	/* The same text, read by Java, is 30-written-by-props-format. */
	golden = slurp(DATA_DIR "/30-written-by-props-format.properties",
	    NULL);
	CHECK_STR(out, golden ? golden : "(missing)");
	free(golden);
	free(out);
	props_free(p);
	props_free(q);
}

/* ---- files ----------------------------------------------------------- */

static char tmpdir[256];

static void
test_load_file_errors(void)
{
	struct sw_error err = { 0 };
	struct props *p = props_new();
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/missing.properties", tmpdir);
	CHECK_INT(props_load_file(p, path, &err), SW_EFILE);
	CHECK(strstr(err.msg, path) != NULL);
	CHECK(strstr(err.msg, "No such file") != NULL);
	sw_error_clear(&err);
	CHECK_INT(props_load_file(p, tmpdir, &err), SW_EFILE);
	CHECK(strstr(err.msg, "is a directory") != NULL);
	snprintf(path, sizeof(path), "%s/big.properties", tmpdir);
	f = fopen(path, "w");
	fseek(f, PROPS_MAX_FILE, SEEK_SET);
	fputc('\n', f);
	fclose(f);
	sw_error_clear(&err);
	CHECK_INT(props_load_file(p, path, &err), SW_EFILE);
	printf("# %s\n", err.msg);
	CHECK(strstr(err.msg, "larger than 1048576") != NULL);
	unlink(path);
	snprintf(path, sizeof(path), "%s/bad.properties", tmpdir);
	spit(path, "a=1\nb=\\u12\n");
	sw_error_clear(&err);
	CHECK_INT(props_load_file(p, path, &err), SW_EFILE);
	CHECK(strstr(err.msg, path) != NULL && strstr(err.msg, ":2: "));
	unlink(path);
	CHECK_INT(props_count(p), 0);
	props_free(p);
}

static void
test_write_file(void)
{
	struct sw_error err = { 0 };
	char path[512], link[512];
	struct stat st, st2;
	char *got, old[16] = { 0 };
	mode_t um;
	int fd;

	snprintf(path, sizeof(path), "%s/out.properties", tmpdir);
	CHECK_INT(props_write_file(path, "a=1\n", 4, 0600, &err), SW_OK);
	CHECK(stat(path, &st) == 0 && (st.st_mode & 07777) == 0600);
	got = slurp(path, NULL);
	CHECK_STR(got, "a=1\n");
	free(got);
	/* The mode is exact, whatever the umask. */
	um = umask(077);
	CHECK_INT(props_write_file(path, "a=2\n", 4, 0644, &err), SW_OK);
	umask(um);
	CHECK(stat(path, &st) == 0 && (st.st_mode & 07777) == 0644);
	/* Replaced, not rewritten: a reader of the old file sees it whole. */
	fd = open(path, O_RDONLY);
	CHECK_INT(props_write_file(path, "a=3\nb=4\n", 8, 0600, &err), SW_OK);
	CHECK(read(fd, old, sizeof(old) - 1) == 4);
	CHECK_STR(old, "a=2\n");
	CHECK(fstat(fd, &st2) == 0 && stat(path, &st) == 0 &&
	    st.st_ino != st2.st_ino);
	close(fd);
	got = slurp(path, NULL);
	CHECK_STR(got, "a=3\nb=4\n");
	free(got);
	CHECK_INT(dir_entries(tmpdir), 1);
	/* A symlink is followed and stays a symlink. */
	snprintf(link, sizeof(link), "%s/link.properties", tmpdir);
	CHECK(symlink("out.properties", link) == 0);
	CHECK_INT(props_write_file(link, "c=5\n", 4, 0600, &err), SW_OK);
	CHECK(lstat(link, &st) == 0 && S_ISLNK(st.st_mode));
	got = slurp(path, NULL);
	CHECK_STR(got, "c=5\n");
	free(got);
	unlink(link);
}

/* The old file is intact and nothing else is in the directory. */
static void
check_untouched(const char *path, const char *content, int entries)
{
	char *got = slurp(path, NULL);

	CHECK_STR(got, content);
	free(got);
	CHECK_INT(dir_entries(tmpdir), entries);
}

static void
test_write_failures(void)
{
	struct sw_error err = { 0 };
	struct rlimit rl, small;
	char path[512], sub[512], big[4096];

	snprintf(path, sizeof(path), "%s/out.properties", tmpdir);
	spit(path, "old=1\n");
	/* A write that fails midway (file size limit; works as root too). */
	memset(big, 'x', sizeof(big));
	getrlimit(RLIMIT_FSIZE, &rl);
	small = rl;
	small.rlim_cur = 100;
	signal(SIGXFSZ, SIG_IGN);
	setrlimit(RLIMIT_FSIZE, &small);
	CHECK_INT(props_write_file(path, big, sizeof(big), 0600, &err),
	    SW_EFILE);
	setrlimit(RLIMIT_FSIZE, &rl);
	signal(SIGXFSZ, SIG_DFL);
	printf("# %s\n", err.msg);
	CHECK(strstr(err.msg, "cannot write") && strstr(err.msg, path));
	check_untouched(path, "old=1\n", 1);
	/* The target is a directory. */
	snprintf(sub, sizeof(sub), "%s/adir", tmpdir);
	mkdir(sub, 0755);
	sw_error_clear(&err);
	CHECK_INT(props_write_file(sub, "x=1\n", 4, 0600, &err), SW_EFILE);
	printf("# %s\n", err.msg);
	CHECK(strstr(err.msg, "is a directory") && strstr(err.msg, sub));
	check_untouched(path, "old=1\n", 2);
	rmdir(sub);
	/* The directory does not exist. */
	snprintf(sub, sizeof(sub), "%s/nodir/x.properties", tmpdir);
	sw_error_clear(&err);
	CHECK_INT(props_write_file(sub, "x=1\n", 4, 0600, &err), SW_EFILE);
	CHECK(strstr(err.msg, sub) != NULL);
	check_untouched(path, "old=1\n", 1);
}

/*
 * A directory we may not write to.  root may write anywhere, so the
 * attempt runs in a child that drops to nobody first.
 */
static void
test_unwritable_dir(void)
{
	struct sw_error err = { 0 };
	char path[512];
	int status = -1;
	pid_t pid;

	snprintf(path, sizeof(path), "%s/out.properties", tmpdir);
	spit(path, "old=1\n");
	chmod(path, 0644);
	chmod(tmpdir, 0555);
	pid = fork();
	if (pid == 0) {
		if (geteuid() == 0 &&
		    (setgid(65534) != 0 || setuid(65534) != 0))
			_exit(3);
		if (props_write_file(path, "new=1\n", 6, 0600, &err) !=
		    SW_EFILE)
			_exit(1);
		printf("# %s\n", err.msg);
		fflush(stdout);
		_exit(strstr(err.msg, path) && strstr(err.msg,
		    "Permission denied") ? 0 : 2);
	}
	waitpid(pid, &status, 0);
	chmod(tmpdir, 0700);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 3)
		printf("ok %d - unwritable directory # SKIP cannot drop root "
		    "privileges\n", ++tap_n);
	else
		CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	check_untouched(path, "old=1\n", 1);
	unlink(path);
}

int
main(void)
{
	const char *t = getenv("TMPDIR");

	snprintf(tmpdir, sizeof(tmpdir), "%s/test_props.XXXXXX",
	    t ? t : "/tmp");
	if (mkdtemp(tmpdir) == NULL) {
		printf("not ok 1 - mkdtemp: %s\n", strerror(errno));
		return 1;
	}
	chmod(tmpdir, 0755);
	fflush(stdout);
	test_java_data();
	test_read_table();
	test_read_errors();
	test_lines_and_order();
	test_limits();
	test_format_escapes();
	test_format_comments();
	test_round_trip();
	test_load_file_errors();
	test_write_file();
	test_write_failures();
	fflush(stdout);
	test_unwritable_dir();
	rmdir(tmpdir);
	return tap_done();
}
