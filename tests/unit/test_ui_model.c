/*
 * The wizard's model without curses (issue 14, "Tests at the seams"):
 * keys → the line editor's text and result (w_edit.c), keys on fields →
 * reactions (field_react.c), engine events → a step's state
 * (step_state.c), lines into a text buffer's ring (textbuf.c), an
 * input change → the steps whose results go stale (step_sig.c, with
 * the options' table of wiz_opt.c).  Linked
 * with those ui/ files and the engine
 * library only: no curses, no app.c, no terminal.
 */
#include <curses.h>		/* key codes only: no curses library linked */
#include <stdlib.h>
#include <string.h>

#include "field_react.h"
#include "step_sig.h"
#include "step_state.h"
#include "textbuf.h"
#include "tap.h"

static void
type(struct editor *ed, const char *s)
{
	while (*s)
		CHECK_INT(editor_key(ed, (unsigned char)*s++), ED_GOING);
}

static void
test_editor(void)
{
	struct editor ed;

	editor_open(&ed, "mail.smtp.host =", "mx", 0);
	CHECK_STR(ed.buf, "mx");
	CHECK_INT(ed.cur, 2);
	type(&ed, ".example");
	CHECK_STR(ed.buf, "mx.example");
	editor_key(&ed, KEY_HOME);
	CHECK_INT(ed.cur, 0);
	type(&ed, "a");
	CHECK_STR(ed.buf, "amx.example");
	editor_key(&ed, KEY_DC);
	CHECK_STR(ed.buf, "ax.example");
	editor_key(&ed, KEY_END);
	editor_key(&ed, KEY_BACKSPACE);
	CHECK_STR(ed.buf, "ax.exampl");
	/* "n" and "q" are text here, not the wizard's keys. */
	type(&ed, "nq");
	CHECK_STR(ed.buf, "ax.examplnq");
	editor_key(&ed, KEY_LEFT);
	editor_key(&ed, 0x0b);		/* ^K: to the end */
	CHECK_STR(ed.buf, "ax.exampln");
	editor_key(&ed, 0x15);		/* ^U: to the start */
	CHECK_STR(ed.buf, "");
	CHECK_INT(ed.len, 0);

	/* UTF-8 arrives a byte at a time and leaves a character at once. */
	editor_open(&ed, "t", "", 0);
	type(&ed, "a\xc3\xa9z");		/* "aéz" */
	CHECK_INT(ed.len, 4);
	editor_key(&ed, KEY_LEFT);
	CHECK_INT(ed.cur, 3);
	editor_key(&ed, KEY_LEFT);
	CHECK_INT(ed.cur, 1);		/* over both bytes of é */
	editor_key(&ed, KEY_DC);
	CHECK_STR(ed.buf, "az");
	editor_key(&ed, KEY_END);
	type(&ed, "\xc3\xa9");
	editor_key(&ed, KEY_BACKSPACE);
	CHECK_STR(ed.buf, "az");
	CHECK_INT(editor_next_char("\xc3\xa9x", 3, 0), 2);

	/* Control bytes are not text; Enter commits, Esc aborts. */
	editor_key(&ed, 0x01);		/* ^A: home */
	CHECK_INT(ed.cur, 0);
	editor_key(&ed, '\t');
	CHECK_STR(ed.buf, "az");
	CHECK_INT(editor_key(&ed, '\n'), ED_COMMIT);
	CHECK_INT(editor_key(&ed, KEY_ENTER), ED_COMMIT);
	CHECK_INT(editor_key(&ed, 27), ED_ABORT);
	CHECK_STR(ed.buf, "az");

	/* A full buffer takes no more. */
	editor_open(&ed, "t", "", 1);
	CHECK_INT(ed.secret, 1);
	for (size_t i = 0; i < sizeof(ed.buf) + 10; i++)
		editor_key(&ed, 'x');
	CHECK_INT(ed.len, sizeof(ed.buf) - 1);
	CHECK_INT(strlen(ed.buf), ed.len);
}

static const struct field f_port = { "port", "mail.smtp.port", FK_NUMBER,
    NULL, NULL, 0, NULL };
static const struct field f_auth = { "auth", "mail.smtp.auth", FK_BOOL,
    NULL, NULL, 0, NULL };
static const struct field f_mode = { "type", NULL, FK_MODE, NULL, NULL, 0,
    NULL };
static const struct field f_pass = { "password", "mail.smtp.password",
    FK_SECRET, NULL, NULL, 0, NULL };
static const struct field f_store = { "store pw", NULL, FK_OPT_SECRET, NULL,
    NULL, 3, NULL };
static const struct field f_ca = { "CA file", NULL, FK_OPTION, NULL, NULL,
    5, NULL };
static const struct field f_load = { "load", NULL, FK_LOAD, NULL, NULL, 0,
    NULL };
static const struct field f_java = { "Java", NULL, FK_JAVA, NULL, NULL, 0,
    NULL };
static const struct field f_disc = { "discover", NULL, FK_DISCOVER, NULL,
    NULL, 0, NULL };
static const struct field f_act = { "run", NULL, FK_ACTION, NULL, NULL, 0,
    NULL };

/* The key's value after Enter on f (a FR_SET applied by hand). */
static const char *
press(struct settings *set, const struct field *f)
{
	struct field_reaction r = field_react_activate(f, set);
	struct sw_error e = { 0 };

	CHECK_INT(r.kind, FR_SET);
	if (r.kind != FR_SET)
		return "(no FR_SET)";
	CHECK_STR(r.key, f->key);
	CHECK_INT(settings_set(set, r.key, r.value, &e), SW_OK);
	return settings_get(set, f->key);
}

static void
test_fields(void)
{
	struct settings set;
	struct sw_error e = { 0 };
	struct field_reaction r;
	enum smtp_mode m;
	int i;

	CHECK_INT(settings_init(&set, MAIL_LIB_ANGUS2), SW_OK);

	/* A boolean cycles unset → true → false → unset. */
	CHECK(settings_get(&set, "mail.smtp.auth") == NULL);
	CHECK_STR(press(&set, &f_auth), "true");
	CHECK_STR(press(&set, &f_auth), "false");
	CHECK(press(&set, &f_auth) == NULL);

	/* The connection type goes round the three, whatever it was. */
	m = settings_mode(&set);
	for (i = 0; i < 3; i++) {
		r = field_react_activate(&f_mode, &set);
		CHECK_INT(r.kind, FR_MODE);
		CHECK(r.mode >= MODE_PLAIN && r.mode <= MODE_SSL);
		CHECK(r.mode != settings_mode(&set));
		CHECK_INT(r.mode, settings_mode(&set) % 3 + 1);
		settings_set(&set, "mail.smtp.ssl.enable", r.mode ==
		    MODE_SSL ? "true" : "false", &e);
		settings_set(&set, "mail.smtp.starttls.enable", r.mode ==
		    MODE_STARTTLS ? "true" : "false", &e);
		CHECK_INT(settings_mode(&set), r.mode);
	}
	CHECK_INT(settings_mode(&set), m == MODE_UNKNOWN ? MODE_SSL : m);
	settings_set(&set, "mail.smtp.ssl.enable", "true", &e);
	settings_set(&set, "mail.smtp.starttls.enable", "false", &e);
	CHECK_INT(field_react_activate(&f_mode, &set).mode, MODE_PLAIN);

	/* The choices that are not settings are named, not done. */
	CHECK_INT(field_react_activate(&f_java, &set).kind, FR_JAVA);
	CHECK_INT(field_react_activate(&f_disc, &set).kind, FR_DISCOVER);
	CHECK_INT(field_react_activate(&f_act, &set).kind, FR_ACTION);

	/* Text fields open the editor; secrets hidden. */
	r = field_react_activate(&f_port, &set);
	CHECK_INT(r.kind, FR_EDIT);
	CHECK_INT(r.secret, 0);
	r = field_react_activate(&f_pass, &set);
	CHECK_INT(r.kind, FR_EDIT);
	CHECK_INT(r.secret, 1);
	CHECK_INT(field_react_activate(&f_store, &set).secret, 1);
	CHECK_INT(field_react_activate(&f_ca, &set).secret, 0);
	CHECK_INT(field_react_activate(&f_load, &set).kind, FR_EDIT);

	/* The editor's text committed. */
	r = field_react_commit(&f_port, "2525");
	CHECK_INT(r.kind, FR_SET);
	CHECK_STR(r.key, "mail.smtp.port");
	CHECK_STR(r.value, "2525");
	r = field_react_commit(&f_port, "");
	CHECK_INT(r.kind, FR_SET);
	CHECK(r.value == NULL);			/* empty removes the key */
	r = field_react_commit(&f_ca, "/etc/ca.pem");
	CHECK_INT(r.kind, FR_OPT);
	CHECK_INT(r.opt, 5);
	CHECK_STR(r.value, "/etc/ca.pem");
	r = field_react_commit(&f_ca, "");
	CHECK_INT(r.kind, FR_OPT);
	CHECK(r.value == NULL);
	/* An empty secret keeps the old one: the field never showed it. */
	CHECK_INT(field_react_commit(&f_pass, "").kind, FR_NONE);
	CHECK_INT(field_react_commit(&f_store, "").kind, FR_NONE);
	r = field_react_commit(&f_store, "s3cret");
	CHECK_INT(r.kind, FR_OPT);
	CHECK_INT(r.opt, 3);
	r = field_react_commit(&f_pass, "s3cret");
	CHECK_INT(r.kind, FR_SET);
	CHECK_STR(r.key, "mail.smtp.password");
	CHECK_STR(r.value, "s3cret");
	r = field_react_commit(&f_load, "a.properties");
	CHECK_INT(r.kind, FR_LOAD);
	CHECK_STR(r.value, "a.properties");
	CHECK_INT(field_react_commit(&f_load, "").kind, FR_NONE);

	/* Reactions only read the settings. */
	CHECK(settings_get(&set, "mail.smtp.port") == NULL);
	settings_free(&set);
}

static void
event(struct step_state *st, enum engine_ev_kind kind, unsigned job,
    const char *text)
{
	struct engine_event ev = { .kind = kind, .job = job,
	    .step = STEP_PROTO };

	ev.text = (char *)text;
	step_state_event(st, &ev);
}

static void
test_step_state(void)
{
	struct step_state st = { 0 };
	struct engine_event done = { .kind = EV_DONE, .job = 7 };
	struct step_result *res = calloc(1, sizeof(*res));

	st.job = 7;
	st.job_sig = 0xfeed;
	event(&st, EV_TRANSCRIPT, 7, "12:00:00.000 -- sweep plan: 74 "
	    "hellos [0/74]");
	CHECK_INT(st.answers, 0);
	CHECK_INT(st.hellos, 74);
	event(&st, EV_TRANSCRIPT, 7, "12:00:00.100 -- sweep #12 TLSv1.2 "
	    "(35 ms) [23/70]");
	CHECK_INT(st.answers, 23);
	CHECK_INT(st.hellos, 70);
	/* More answers than planned: the total is at least the answers. */
	event(&st, EV_TRANSCRIPT, 7, "12:00:00.200 -- sweep #80 [80/70]");
	CHECK_INT(st.hellos, 80);
	/* Not a sweep line, a server's "[1/2]", a broken count, an old job. */
	event(&st, EV_TRANSCRIPT, 7, "12:00:00.300 S: 250 ok [1/2]");
	event(&st, EV_TRANSCRIPT, 7, "12:00:00.300 -- sweep #81 [81/");
	event(&st, EV_TRANSCRIPT, 7, "12:00:00.300 -- sweep #81 [81/90)");
	event(&st, EV_TRANSCRIPT, 6, "12:00:00.300 -- sweep #1 [1/2]");
	CHECK_INT(st.answers, 80);
	CHECK_INT(st.hellos, 80);

	event(&st, EV_PROGRESS, 7, "hello 23 of 70");
	CHECK_STR(st.progress, "hello 23 of 70");
	event(&st, EV_PROGRESS, 6, "an old job's");
	CHECK_STR(st.progress, "hello 23 of 70");

	/* An old job's end changes nothing. */
	done.job = 6;
	done.rc = SW_OK;
	done.res = res;
	step_state_event(&st, &done);
	CHECK_INT(st.job, 7);
	CHECK(st.res == NULL);
	CHECK(done.res == res);

	/* This job's end: the result taken, the job over. */
	done.job = 7;
	done.elapsed_ms = 1500;
	snprintf(st.error, sizeof(st.error), "an earlier failure");
	step_state_event(&st, &done);
	CHECK(st.res == res);
	CHECK(done.res == NULL);
	CHECK_INT(st.job, 0);
	CHECK_INT(st.res_sig, 0xfeed);
	CHECK_INT(st.nresults, 1);
	CHECK_INT(st.elapsed_ms, 1500);
	CHECK_STR(st.progress, "");
	CHECK_STR(st.error, "");
	CHECK(st.finished_at != 0);

	/* A cancelled job keeps the last result and says so. */
	st.job = 8;
	st.cancelling = 1;
	done.job = 8;
	done.rc = SW_ECANCEL;
	step_state_event(&st, &done);
	CHECK(st.res == res);
	CHECK_INT(st.nresults, 1);
	CHECK_INT(st.cancelling, 0);
	CHECK_STR(st.error, "Cancelled after 1.5 s");

	/* A failed one too, with the engine's reason. */
	st.job = 9;
	done.job = 9;
	done.rc = SW_ECONNECT;
	snprintf(done.err.msg, sizeof(done.err.msg), "connection refused");
	step_state_event(&st, &done);
	CHECK(st.res == res);
	CHECK(strncmp(st.error, "The probe could not run: ", 25) == 0);
	CHECK(strstr(st.error, "connection refused") != NULL);
	free(st.res);
}

static void
test_textbuf(void)
{
	struct textbuf tb;
	const char *in[] = { "Alpha", "beta", "Gamma", "delta", "EPSILON" };
	size_t i;

	tb_init(&tb, 3);
	CHECK_INT(tb_count(&tb), 0);
	CHECK_INT(tb_find(&tb, "a", 0, 1), 0);
	for (i = 0; i < 5; i++)
		CHECK_INT(tb_add(&tb, in[i]), 0);
	/* The oldest went: a flood cannot eat the memory. */
	CHECK_INT(tb_count(&tb), 3);
	CHECK_INT(tb.dropped, 2);
	CHECK_STR(tb_line(&tb, 0), "Gamma");
	CHECK_STR(tb_line(&tb, 2), "EPSILON");
	/* Found case-insensitively, index + 1, both ways round. */
	CHECK_INT(tb_find(&tb, "epsilon", 0, 1), 3);
	CHECK_INT(tb_find(&tb, "gamma", 1, 1), 1);	/* wrapped */
	CHECK_INT(tb_find(&tb, "DELTA", 2, -1), 2);
	CHECK_INT(tb_find(&tb, "ta", 0, -1), 2);
	CHECK_INT(tb_find(&tb, "alpha", 0, 1), 0);	/* dropped */
	CHECK_INT(tb_find(&tb, "", 0, 1), 0);
	tb_clear(&tb);
	CHECK_INT(tb_count(&tb), 0);
	CHECK_INT(tb_add_text(&tb, "one\ntwo\n"), 0);
	CHECK_INT(tb_count(&tb), 2);			/* no empty third */
	CHECK_STR(tb_line(&tb, 1), "two");
	CHECK_INT(tb_addf(&tb, "%s=%d", "n", 3), 0);
	CHECK_STR(tb_line(&tb, 2), "n=3");
	CHECK_STR(tb_line(&tb, 0), "one");
	tb_free(&tb);
}

/* The steps (bits 1-5) whose fingerprint differs between in and base. */
static unsigned
changed(const struct step_inputs *in, const uint64_t *base)
{
	unsigned m = 0;
	int s;

	for (s = 1; s <= STEP_COUNT; s++)
		if (step_sig(in, s) != base[s])
			m |= 1u << s;
	return m;
}

#define S(n)	(1u << (n))
#define ALL	(S(1) | S(2) | S(3) | S(4) | S(5))

/* One input changed at a time: exactly the steps that read it go stale. */
static void
test_step_sig_inputs(void)
{
	struct settings set;
	struct sw_error e = { 0 };
	struct step_inputs in = { 0 }, was;
	uint64_t base[STEP_COUNT + 1];
	static const struct { const char *key, *value; unsigned steps; }
	    keys[] = {
		{ "mail.smtp.host", "mx2.example", ALL },
		{ "mail.smtp.ssl.protocols", "TLSv1.2", ALL },
		{ "mail.smtp.user", "bob", S(5) },
		{ "mail.smtp.auth.mechanisms", "PLAIN", S(5) },
	};
	static const unsigned opt_steps[OPT_COUNT] = {
		[OPT_CAFILE] = S(2), [OPT_TRUSTSTORE] = S(2),
		[OPT_STOREPASS] = S(2),
		[OPT_JAVA_SECURITY] = S(2) | S(3) | S(4),
		[OPT_MAIL_FROM] = S(5), [OPT_RCPT_TO] = S(5),
		[OPT_SOCKS_USER] = ALL, [OPT_PROXY_PASS] = ALL,
	};
	size_t i;
	int s, o;

	CHECK(settings_init(&set, MAIL_LIB_JAVAMAIL16) == SW_OK);
	CHECK(settings_set(&set, "mail.smtp.host", "mx.example", &e) == SW_OK);
	in.set = &set;
	in.java = "17";
	in.runtime = "";
	for (s = 1; s <= STEP_COUNT; s++)
		base[s] = step_sig(&in, s);
	/* Steps 2-4 read the same inputs unless an option tells apart. */
	CHECK(base[1] != base[2] && base[4] != base[5]);
	was = in;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		const char *old = settings_get(&set, keys[i].key);
		char keep[256];

		snprintf(keep, sizeof(keep), "%s", old ? old : "");
		sw_error_clear(&e);
		settings_set(&set, keys[i].key, keys[i].value, &e);
		CHECK_INT(changed(&in, base), keys[i].steps);
		settings_set(&set, keys[i].key, old ? keep : NULL, &e);
		CHECK_INT(changed(&in, base), 0);
	}
	for (o = 0; o < OPT_COUNT; o++) {
		in.opt[o] = "/some/value";
		CHECK_INT(changed(&in, base), opt_steps[o]);
		for (s = 1; s <= STEP_COUNT; s++)
			CHECK_INT(wiz_opt_read_by(o, s),
			    (opt_steps[o] >> s) & 1);
		in = was;
	}
	in.java = "11";
	CHECK_INT(changed(&in, base), S(2) | S(3) | S(4) | S(5));
	in = was;
	in.runtime = "4242:/usr/lib/jvm/java-21";
	CHECK_INT(changed(&in, base), S(2) | S(3) | S(4) | S(5));
	in = was;
	in.password = "a password";
	CHECK_INT(changed(&in, base), S(5));
	in = was;
	in.plaintext_ok = 1;
	CHECK_INT(changed(&in, base), S(5));
	in = was;
	in.discover = 1;
	CHECK_INT(changed(&in, base), S(1));
	in = was;
	set.lib = MAIL_LIB_ANGUS2;
	CHECK_INT(changed(&in, base), ALL);
	settings_free(&set);
}

/* The verification reads everything; stale and fresh follow the sig. */
static void
test_step_sig_state(void)
{
	struct settings set, fin;
	struct sw_error e = { 0 };
	struct step_inputs in = { 0 };
	struct step_state st = { 0 };
	struct step_result *res = calloc(1, sizeof(*res));
	uint64_t v;
	int o;

	CHECK(settings_init(&set, MAIL_LIB_JAVAMAIL16) == SW_OK);
	CHECK(settings_set(&set, "mail.smtp.host", "mx.example", &e) == SW_OK);
	CHECK(settings_copy(&fin, &set, &e) == SW_OK);
	in.set = &set;
	in.java = "17";
	in.runtime = "";
	v = step_sig_verify(&in, &fin);
	for (o = 0; o < OPT_COUNT; o++) {
		in.opt[o] = "x";
		CHECK(step_sig_verify(&in, &fin) != v);
		in.opt[o] = NULL;
	}
	CHECK(step_sig_verify(&in, &fin) == v);
	CHECK(settings_set(&fin, "mail.smtp.password", "pw", &e) == SW_OK ||
	    e.code == SW_EUSAGE);
	CHECK(step_sig_verify(&in, &fin) != v);

	/* No result: neither stale nor fresh. */
	CHECK(!step_sig_stale(&st, step_sig(&in, STEP_CERT)));
	CHECK(!step_sig_fresh(&st, step_sig(&in, STEP_CERT)));
	st.res = res;
	st.res_sig = step_sig(&in, STEP_CERT);
	CHECK(step_sig_fresh(&st, step_sig(&in, STEP_CERT)));
	in.password = "typed on step 5";
	CHECK(step_sig_fresh(&st, step_sig(&in, STEP_CERT)));
	CHECK(!step_sig_stale(&st, step_sig(&in, STEP_CERT)));
	in.opt[OPT_CAFILE] = "/etc/ssl/ca.pem";
	CHECK(step_sig_stale(&st, step_sig(&in, STEP_CERT)));
	CHECK(!step_sig_fresh(&st, step_sig(&in, STEP_CERT)));
	free(res);
	settings_free(&set);
	settings_free(&fin);
}

/* The options' table: secrets apart, each field set and read back. */
static void
test_wiz_opt(void)
{
	struct probe_opts po;
	int o, readers;

	memset(&po, 0, sizeof(po));
	for (o = 0; o < OPT_COUNT; o++) {
		int s;

		CHECK(strcmp(wiz_opt_name(o), "?") != 0);
		for (readers = 0, s = 1; s <= STEP_COUNT; s++)
			readers += wiz_opt_read_by(o, s);
		CHECK(readers > 0);
		CHECK_INT(wiz_opt_secret(o),
		    o == OPT_STOREPASS || o == OPT_PROXY_PASS);
		wiz_opt_to(&po, o, wiz_opt_name(o));
	}
	for (o = 0; o < OPT_COUNT; o++)
		if (!wiz_opt_secret(o))
			CHECK_STR(wiz_opt_in(&po, o), wiz_opt_name(o));
		else
			CHECK(wiz_opt_in(&po, o) == NULL);
	CHECK_STR(po.java_security, "java.security file");
	CHECK(po.storepass == NULL && po.proxy_password == NULL);
	CHECK(!wiz_opt_read_by(OPT_CAFILE, 0));
}

int
main(void)
{
	test_editor();
	test_fields();
	test_step_state();
	test_textbuf();
	test_step_sig_inputs();
	test_step_sig_state();
	test_wiz_opt();
	return tap_done();
}
