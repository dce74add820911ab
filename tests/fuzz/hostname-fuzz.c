/*
 * Fuzzes the server-identity check (hostname.c: Java's HostnameChecker
 * rules): the input's lines are certificate names (dNSName patterns,
 * the last one also the CN) and IP literals; each is matched against
 * the first line as the host, and the host is checked against all of
 * them with hostname_check().
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hostname.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define NAMES	16

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text, *line[NAMES + 1], *save = NULL, *p;
	const char *dns[NAMES], *matched;
	struct host_ip ips[NAMES];
	struct host_ids ids;
	char why[256];
	size_t n = 0, i, nips = 0;

	if ((text = malloc(size + 1)) == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	for (p = strtok_r(text, "\n", &save); p != NULL && n <= NAMES;
	    p = strtok_r(NULL, "\n", &save))
		line[n++] = p;
	if (n == 0) {
		free(text);
		return 0;
	}
	for (i = 1; i < n; i++) {
		dns[i - 1] = line[i];
		(void)hostname_pattern_match(line[i], line[0]);
		if (hostname_parse_ip(line[i], &ips[nips]))
			nips++;
	}
	(void)hostname_parse_ip(line[0], NULL);
	memset(&ids, 0, sizeof(ids));
	ids.dns = dns;
	ids.ndns = n - 1;
	ids.ips = ips;
	ids.nips = nips;
	ids.cn = n > 1 ? line[n - 1] : NULL;
	(void)hostname_check(line[0], &ids, &matched, why, sizeof(why));
	if (memchr(why, 0, sizeof(why)) == NULL)
		abort();
	ids.ndns = 0;		/* the CN is used only without dNSNames */
	(void)hostname_check(line[0], &ids, NULL, NULL, 0);
	free(text);
	return 0;
}
