/*
 * Step 4's data: the cipher suites of every accepted version, the
 * server's order, what each Java profile would negotiate and, when only
 * that helps, the java.security edit.  The sweep's figures and the
 * Java table's rows are proto.h's, shared with step 3.
 */
#ifndef SW_CIPHER_H
#define SW_CIPHER_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "proto.h"
#include "tri.h"

struct json;
struct step_result;

/* A java.security edit, when no mail.smtp.* setting is enough (it
 * lowers security: the report says so). */
struct java_edit {
	char		 file[64];	/* inside $JAVA_HOME; "" no edit */
	char		 key[40];	/* jdk.tls.disabledAlgorithms */
	char		 value[1024];	/* its whole new value */
	char		 removed[256];	/* the entries taken out */
};

/* Step 4. */
struct cipher_entry {
	uint16_t	 id;
	char		 iana[64];	/* "0xC02F" when the registry lacks it */
	char		 openssl[48];
	char		 kx[12];
	char		 grade[12];	/* strong acceptable weak insecure */
};

struct cipher_version {
	uint16_t	 version;
	enum tri	 accepted;
	enum tri	 complete;	/* every candidate settled */
	enum tri	 server_order;
	char		 why[160];	/* why not accepted / unknown */
	char		 incomplete_why[160];
	char		 order_why[160];
	uint16_t	 inferred_from;	/* suites counted from this
					   version's; 0: none */
	size_t		 ninferred;	/* how many */
	size_t		 nsuites;	/* kept; in server order when it
					   imposes one, else offer order */
	size_t		 dropped;	/* beyond CIPHER_SUITES_MAX */
	struct cipher_entry suites[CIPHER_SUITES_MAX];
};

struct cipher_data {
	int			 available;
	struct tls_sweep_info	 sweep;
	struct cipher_version	 v[TLS_NVERS];
	enum tri		 server_order;	/* any version: yes wins */
	char			 java_profile[256];
	uint16_t		 java_version;	/* selected profile: 0 none */
	uint16_t		 java_suite;
	char			 java_suite_name[64];
	size_t			 njava;
	struct java_verdict	 java[JAVA_VERDICTS_MAX];
	struct java_edit	 edit;		/* when only that helps */
};

/* The step's data in the text report and in the JSON "data" object. */
void	cipher_data_text(FILE *, const struct step_result *);
void	cipher_data_json(struct json *, const struct step_result *);

#endif
