/*
 * Java's reading of the user's settings, as findings the user sees:
 * every pair Java reads differently from how it looks, or ignores, or
 * that changes how JavaMail connects behind the user's back.  Keys are
 * read as java.util.Properties and JavaMail 1.6 / Angus Mail read them
 * (PropUtil, SocketFetcher, MailSSLSocketFactory):
 *
 *  - unknown or misspelt mail.smtp.* (and mail.*) keys: Java ignores
 *    them, "did you mean" names the key it reads;
 *  - mail.smtps.* while the protocol is smtp: ignored;
 *  - blanks around a value that change its meaning (Properties.load()
 *    drops the blanks before a value but keeps those after it:
 *    "starttls.enable=true " is false, "socketFactory.fallback=false "
 *    stays true, "port=587 " is the default port);
 *  - booleans Java reads as false ("yes", "1", "on") or as true;
 *  - other values settings_check() refuses or warns about;
 *  - socketFactory.class/.port/.fallback and ssl.socketFactory.*: what
 *    SocketFetcher does with them (TLS from the first byte, the silent
 *    fallback to a plain socket, ssl.trust ignored);
 *  - ssl.trust: what it switches off ("*": the chain check for every
 *    server; a list: the chain check, and only the exact names pass);
 *  - a key a file sets twice.
 *
 * Pure: no I/O, no allocation, no globals; reads only the settings.
 */
#ifndef SW_SETTINGS_FINDINGS_H
#define SW_SETTINGS_FINDINGS_H

#include <stddef.h>

#include "probe.h"
#include "settings.h"

/* Room for the findings of any sensible file; more are counted, not kept. */
#define SETTINGS_FINDINGS_MAX	32

/*
 * Fills out[0..max) with the findings on s's pairs, in the order of the
 * pairs (a pair may give more than one), and returns how many there are
 * -- possibly more than max, like snprintf(): only the first max are
 * written.  out may be NULL when max is 0 (to count).
 *
 * Each finding: a stable id ("setting-unknown-key", "setting-smtps-key",
 * "setting-blank-value", "setting-not-boolean", "setting-bad-value",
 * "setting-not-a-string", "setting-angus-only", "setting-duplicate",
 * "setting-socketfactory", "setting-socketfactory-ignored",
 * "setting-ssl-socketfactory", "setting-ssl-trust",
 * "setting-protocol-smtps"); a severity (SEV_FAIL: Java does the
 * opposite of what the line says or cannot work with it, SEV_WARN:
 * ignored, or risky, SEV_INFO: only explained); a message that starts
 * with the line it is about -- FILE:LINE: "key=value" for a pair loaded
 * from a file, line N: "key=value" when the file is not known, and
 * "key=value" alone for a pair set on the command line or in the wizard
 * -- with the value sanitised and a password's value never shown, and
 * then says what Java does with it; suggestions only where the fix is
 * certain: removing a key Java ignores (value ""), the value without
 * the blanks around it, "true"/"false" for "yes"/"no", a list with
 * spaces for commas, a number in decimal, ssl.enable=true for an SSL
 * socketFactory.class.  optin is never set.
 *
 * Errors: none.
 */
size_t		settings_findings(const struct settings *s, struct finding *out,
		    size_t max);

/*
 * settings_findings() into r (overwritten): at most STEP_FINDINGS_MAX
 * of them, the verdict following the worst severity, step 0.  The
 * report's "settings" section and the block's corrections.
 */
void	settings_findings_result(const struct settings *s,
	    struct step_result *r);

#endif
