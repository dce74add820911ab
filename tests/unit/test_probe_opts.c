/*
 * probe_opts_dup(): every string and the runtime are the copy's own
 * (the caller's buffers changed and gone after it), the secrets and
 * the OAuth2 flow are not copied, NULL stays NULL, and
 * probe_opts_free() leaves the copy zeroed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "javart.h"
#include "probe.h"
#include "tap.h"

int
main(void)
{
	char cafile[] = "/ca.pem", jsec[] = "/java.security";
	char from[] = "a@example.org", user[] = "sockuser", pw[] = "pw";
	struct javart *rt = calloc(1, sizeof(*rt));
	struct probe_opts src, dup;
	struct sw_error e = { 0 };
	int marker;

	if (rt == NULL)
		return 1;
	memset(&src, 0, sizeof(src));
	rt->found = 1;
	snprintf(rt->version, sizeof(rt->version), "17.0.15");
	src.cafile = cafile;
	src.java_security = jsec;
	src.mail_from = from;
	src.socks_user = user;
	src.runtime = rt;
	src.exhaustive = 1;
	src.concurrency = 7;
	src.allow_plaintext_auth = 1;
	src.password = pw;
	src.storepass = pw;
	src.proxy_password = pw;
	src.oauth2 = (const struct oauth2_request *)&marker;
	CHECK_INT(probe_opts_dup(&dup, &src, &e), SW_OK);

	/* The caller's strings and runtime change and go: the copy stays. */
	memset(cafile, 'x', sizeof(cafile) - 1);
	memset(jsec, 'x', sizeof(jsec) - 1);
	memset(from, 'x', sizeof(from) - 1);
	memset(user, 'x', sizeof(user) - 1);
	memset(rt, 0, sizeof(*rt));
	free(rt);
	CHECK_STR(dup.cafile, "/ca.pem");
	CHECK_STR(dup.java_security, "/java.security");
	CHECK_STR(dup.mail_from, "a@example.org");
	CHECK_STR(dup.socks_user, "sockuser");
	CHECK(dup.cafile != cafile);
	CHECK(dup.runtime != NULL && dup.runtime->found == 1);
	CHECK_STR(dup.runtime ? dup.runtime->version : NULL, "17.0.15");
	CHECK(dup.truststore == NULL && dup.java == NULL &&
	    dup.rcpt_to == NULL && dup.save_chain == NULL);
	CHECK_INT(dup.exhaustive, 1);
	CHECK_INT(dup.concurrency, 7);
	CHECK_INT(dup.allow_plaintext_auth, 1);

	/* Secrets stay in the caller's locked memory: never copied. */
	CHECK(dup.password == NULL && dup.storepass == NULL &&
	    dup.proxy_password == NULL);
	CHECK(dup.oauth2 == NULL && dup.oauth2_token == NULL);

	probe_opts_free(&dup);
	CHECK(dup.cafile == NULL && dup.runtime == NULL &&
	    dup.exhaustive == 0);
	probe_opts_free(NULL);

	/* An empty one copies to an empty one. */
	memset(&src, 0, sizeof(src));
	CHECK_INT(probe_opts_dup(&dup, &src, &e), SW_OK);
	CHECK(dup.cafile == NULL && dup.runtime == NULL);
	probe_opts_free(&dup);
	return tap_done();
}
