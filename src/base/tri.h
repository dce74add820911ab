/*
 * Three-valued facts.  A capability that could not be observed (the
 * connection failed, TLS could not be completed) is unknown, never
 * "no": reports must not claim what they did not see.
 */
#ifndef SW_TRI_H
#define SW_TRI_H

enum tri { TRI_UNKNOWN = 0, TRI_NO, TRI_YES };

static inline const char *
tri_name(enum tri t)
{
	return t == TRI_YES ? "yes" : t == TRI_NO ? "no" : "unknown";
}

#endif
