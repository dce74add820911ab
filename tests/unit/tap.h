/*
 * A tiny test harness for the unit tests: TAP lines on stdout that
 * tests/run.sh counts.  CHECK records a failure and goes on, so one run
 * shows every broken case; tap_done() gives the exit status.
 *
 *	CHECK(x == 1);
 *	CHECK_STR(got, "want");
 *	return tap_done();
 */
#ifndef SW_TAP_H
#define SW_TAP_H

#include <stdio.h>
#include <string.h>

static int tap_n, tap_failed;

static void
tap_result(int ok, const char *file, int line, const char *what)
{
	tap_n++;
	if (!ok)
		tap_failed++;
	printf("%sok %d - %s:%d: %s\n", ok ? "" : "not ", tap_n, file, line,
	    what);
}

#define CHECK(cond) tap_result((cond) != 0, __FILE__, __LINE__, #cond)

#define CHECK_STR(got, want) do {					\
	const char *g_ = (got), *w_ = (want);				\
	int ok_ = g_ != NULL && strcmp(g_, w_) == 0;			\
	tap_result(ok_, __FILE__, __LINE__, #got " == \"" #want "\"");	\
	if (!ok_)							\
		printf("#   got: \"%s\"\n#  want: \"%s\"\n",		\
		    g_ ? g_ : "(null)", w_);				\
} while (0)

#define CHECK_INT(got, want) do {					\
	long long g_ = (long long)(got), w_ = (long long)(want);	\
	tap_result(g_ == w_, __FILE__, __LINE__, #got " == " #want);	\
	if (g_ != w_)							\
		printf("#   got: %lld\n#  want: %lld\n", g_, w_);	\
} while (0)

static int
tap_done(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}

#endif
