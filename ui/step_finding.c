/*
 * One finding on its own: Enter shows all of it in a view (its prose
 * wrapped, its command and fix on lines of their own, then the step's
 * data), y copies its command or fix.  Neither applies anything: only
 * a does (step_view.c).
 */
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "draw.h"
#include "step_view.h"

/*
 * The command a finding carries (a keytool line, a java.security line:
 * the text after its first line break), else its fix as properties
 * lines; 0 when it has neither.
 */
static int
finding_command(const struct finding *f, char *buf, size_t cap)
{
	const char *nl = strchr(f->message, '\n');
	size_t i, len = 0;

	buf[0] = '\0';
	if (nl != NULL) {
		while (*nl == '\n' || *nl == ' ')
			nl++;
		snprintf(buf, cap, "%s", nl);
		return buf[0] != '\0';
	}
	for (i = 0; i < f->nsuggest && len < cap; i++)
		if (f->suggest[i].value[0] != '\0')
			len += (size_t)snprintf(buf + len, cap - len, "%s=%s\n",
			    f->suggest[i].key, f->suggest[i].value);
	return len > 0;
}

/*
 * The viewer cuts long lines, so prose is wrapped here; a line of its
 * own (a command) stays whole, to be read sideways or copied with y.
 */
static void
add_wrapped(struct textbuf *tb, const char *text)
{
	char line[1024];
	size_t n, adv;
	int w = COLS - 4 > 20 ? COLS - 4 : 20;
	const char *nl = strchr(text, '\n');

	while (*text != '\0' && (nl == NULL || text < nl)) {
		n = draw_wrap_next(text, w, &adv);
		if (adv == 0)
			break;
		snprintf(line, sizeof(line), "%.*s", (int)n, text);
		tb_add(tb, line);
		text += adv;
	}
	if (nl != NULL)
		tb_add_text(tb, nl + 1);
}

/* Enter on a finding: all of it, its command and the step's data. */
int
finding_open(struct app *a, const struct finding *f,
    const struct textbuf *data)
{
	static const char *const tags[] = { "INFO", "WARN", "FAIL" };
	char title[96], cmd[1600];
	size_t i;

	tb_clear(&a->detail);
	tb_addf(&a->detail, "%s %s", tags[f->sev], f->id);
	tb_add(&a->detail, "");
	add_wrapped(&a->detail, f->message);
	for (i = 0; i < f->nsuggest; i++) {
		if (i == 0)
			tb_add(&a->detail, "");
		tb_addf(&a->detail, f->suggest[i].value[0] ? "  %s=%s" :
		    "  remove %s", f->suggest[i].key, f->suggest[i].value);
	}
	if (finding_command(f, cmd, sizeof(cmd))) {
		tb_add(&a->detail, "");
		tb_addf(&a->detail, "%s copies:", keys_name(ACT_COPY));
		tb_add_text(&a->detail, cmd);
	}
	tb_add(&a->detail, "");
	tb_addf(&a->detail, "%s applies the fix; what the step collected:",
	    keys_name(ACT_APPLY));
	for (i = 0; i < tb_count(data); i++)
		tb_add(&a->detail, tb_line(data, i));
	snprintf(title, sizeof(title), "Finding %s", f->id);
	return app_view(a, &a->detail, title, 0);
}

int
finding_copy(struct app *a, const struct finding *f)
{
	char cmd[1600];

	if (f == NULL || !finding_command(f, cmd, sizeof(cmd))) {
		app_msg(a, ROLE_WARN, "Select a finding with a command or a "
		    "fix first; %s copies it", keys_name(ACT_COPY));
		return UI_REDRAW;
	}
	return app_block_copy_text(a, f->id, cmd);
}
