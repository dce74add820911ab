/*
 * Errors as values.  Every engine function that can fail returns an
 * enum sw_err and fills a caller-provided struct sw_error with a message
 * a user can act on: it names the thing, the number and the limit.
 * The first message wins (a later, more generic failure does not
 * overwrite the root cause), and nothing here allocates.
 */
#ifndef SW_ERR_H
#define SW_ERR_H

#define SW_ERRORS(X)						\
	X(SW_OK,	"success")					\
	X(SW_EUSAGE,	"invalid arguments")				\
	X(SW_ERESOLVE,	"host name could not be resolved")		\
	X(SW_ECONNECT,	"connection failed")				\
	X(SW_ETIMEOUT,	"timed out")					\
	X(SW_ECANCEL,	"cancelled")					\
	X(SW_ECLOSED,	"connection closed by the server")		\
	X(SW_EIO,	"input/output error")				\
	X(SW_EPROTO,	"protocol violation")				\
	X(SW_ETLS,	"TLS error")					\
	X(SW_EASSET,	"data file missing or invalid")			\
	X(SW_EFILE,	"file error")					\
	X(SW_ENOMEM,	"out of memory")				\
	X(SW_EPROXY,	"the proxy failed")

enum sw_err {
#define SW_ERR_ENUM(code, text) code,
	SW_ERRORS(SW_ERR_ENUM)
#undef SW_ERR_ENUM
	SW_ERR_COUNT
};

struct sw_error {
	enum sw_err	code;
	char		msg[256];
};

/* Short generic text of a code ("timed out"). */
const char	*sw_strerror(enum sw_err);

/*
 * Records code and a printf-style message in err unless err already
 * holds one (first message wins), and returns code, so that failures
 * read as "return sw_fail(err, SW_ETIMEOUT, "...", ...);".  err may be
 * NULL.
 */
enum sw_err	 sw_fail(struct sw_error *err, enum sw_err code,
		    const char *fmt, ...)
		    __attribute__((format(printf, 3, 4)));

/* Empties err so that it can take a new first message. */
void		 sw_error_clear(struct sw_error *err);

/* The message of err, or the generic text when none was set. */
const char	*sw_error_text(const struct sw_error *err);

#endif
