/*
 * The test message of step 5 -- the article's final check: MAIL FROM,
 * RCPT TO and DATA on a session that is where Java would be after
 * connect() (secured and, when the step logged in, authenticated),
 * with a short message that names smtpwiz, the time and the server.
 * The server's acceptance and the queue id from its 250 reply are
 * reported.  The message builder, dot-stuffing and the queue-id parser
 * are pure and table-tested; mail_test_run() talks.
 */
#ifndef SW_MAIL_TEST_H
#define SW_MAIL_TEST_H

#include <stddef.h>
#include <time.h>

#include "err.h"

struct session;

enum mail_result {
	MAIL_NOT_REQUESTED,	/* no --mail-from/--rcpt-to */
	MAIL_SKIPPED,		/* asked for, not sent: reason says why */
	MAIL_ACCEPTED,		/* 250 after the final "." */
	MAIL_REJECTED,		/* a 4xx/5xx at MAIL, RCPT, DATA or "." */
	MAIL_FAILED		/* the connection broke: reason says how */
};

struct mail_test {
	enum mail_result result;
	char	from[256];
	char	to[256];
	char	stage[8];		/* "MAIL" "RCPT" "DATA" "." */
	int	code;			/* last reply code; 0: none */
	char	enhanced[16];
	char	reply[512];		/* the last reply, sanitised */
	char	queue_id[80];		/* from the final 250; "" unknown */
	char	message_id[160];	/* what we sent, with <> */
	char	reason[256];
};

/* "not-requested", "skipped", "accepted", "rejected", "failed". */
const char	*mail_result_name(enum mail_result);

/*
 * Checks an address for MAIL FROM/RCPT TO: printable ASCII without
 * blanks, '<', '>', ',' or quotes, one '@' not at either end, at most
 * 254 bytes (RFC 5321 §4.5.3.1.3).  What "a"@example.com or a UTF-8
 * address need (quoting, SMTPUTF8) is not attempted.
 * Errors: SW_EUSAGE, naming what is wrong.
 */
enum sw_err	 mail_test_check_address(const char *addr,
		    struct sw_error *);

/* What goes into the message. */
struct mail_msg {
	const char	*from, *to;
	const char	*server;	/* "smtp.example.com:587" */
	const char	*client;	/* our EHLO name */
	const char	*message_id;	/* "<...>" */
	time_t		 when;
};

/*
 * The message as sent after DATA: headers (Date, From, To, Subject,
 * Message-ID, MIME-Version, Content-Type, X-Mailer), a blank line and
 * a short body, CRLF line ends, dot-stuffed (one body line starts with
 * a dot on purpose: a server must keep it), then "." CRLF.  Returns
 * its length, or 0 when it does not fit in cap.  Pure.
 */
size_t		 mail_test_message(const struct mail_msg *, char *buf,
		    size_t cap);

/*
 * Dot-stuffs text (RFC 5321 §4.5.2: a line starting with '.' gets
 * another) and makes every line end in CRLF (a bare LF becomes CRLF, a
 * bare CR too).  Returns the length, or 0 when cap is too small.  Pure.
 */
size_t		 mail_dot_stuff(const char *in, size_t len, char *out,
		    size_t cap);

/*
 * The queue id in the text of a 250 reply to the final ".": Postfix
 * "queued as 4Xyz", Exim "id=1tA2b3-000AbC-Xy", sendmail and OpenSMTPD
 * "<id> Message accepted for delivery", Exchange "InternalId=123",
 * Gmail "... <id> - gsmtp".  Returns 1 and fills out, else 0 (out "").
 */
int		 mail_queue_id(const char *text, char *out, size_t cap);

/*
 * Sends the message on s: MAIL FROM:<from>, RCPT TO:<to>, DATA, the
 * message, ".".  A refusal is a result (MAIL_REJECTED, with stage,
 * code and reply; RSET follows as Java does), not an error.  server
 * names the target in the message.
 * Errors: none returned for the server's answers; an I/O failure sets
 * MAIL_FAILED with the reason and returns its code (SW_ECANCEL must
 * stop the probe).
 */
enum sw_err	 mail_test_run(struct session *s, const char *from,
		    const char *to, const char *server, struct mail_test *mt,
		    struct sw_error *err);

#endif
