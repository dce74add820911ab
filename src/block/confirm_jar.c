/*
 * Where the mail library for the confirmation comes from (confirm.h):
 * --mail-jar, the running application's class path or working
 * directory, or Debian's jars.  Only names are looked at: a jar is
 * taken for *mail*.jar, its companions for *activation*.jar in the
 * same directory.
 */
#include <ctype.h>
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "confirm_int.h"
#include "javart.h"

#define SCAN_DEPTH	5
#define SCAN_ENTRIES	4000

static int
ends_jar(const char *name)
{
	size_t n = strlen(name);

	return n > 4 && strcmp(name + n - 4, ".jar") == 0;
}

static int
has_word(const char *name, const char *word)
{
	char low[256];
	size_t i;

	for (i = 0; name[i] != '\0' && i < sizeof(low) - 1; i++)
		low[i] = (char)tolower((unsigned char)name[i]);
	low[i] = '\0';
	return strstr(low, word) != NULL;
}

/* Appends path to the class path unless it is there already. */
static void
cp_add(struct jarset *js, const char *path)
{
	size_t used = strlen(js->cp);

	if (strstr(js->cp, path) != NULL)
		return;
	snprintf(js->cp + used, sizeof(js->cp) - used, "%s%s", used ? ":" :
	    "", path);
	if (has_word(path, "jakarta") || has_word(path, "angus"))
		js->jakarta = 1;
	if (has_word(path, "javax.mail") || has_word(path, "javamail") ||
	    has_word(path, "/mail-1.") || has_word(path, "/mail.jar"))
		js->javax = 1;
}

/* The *mail*.jar (and *activation*.jar) files of one directory. */
static void
scan_dir(struct jarset *js, const char *dir, int activation_only)
{
	char path[PATH_MAX * 2];
	struct dirent *d;
	DIR *dp;

	if ((dp = opendir(dir)) == NULL)
		return;
	while ((d = readdir(dp)) != NULL) {
		if (!ends_jar(d->d_name))
			continue;
		if (!(has_word(d->d_name, "activation") || (!activation_only &&
		    has_word(d->d_name, "mail"))))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, d->d_name);
		cp_add(js, path);
		if (has_word(d->d_name, "mail"))
			js->nmail++;
	}
	closedir(dp);
}

/* Below dir, depth levels: the first directories holding mail jars. */
static void
scan_tree(struct jarset *js, const char *dir, int depth, int *budget)
{
	char path[PATH_MAX * 2];
	struct dirent *d;
	struct stat st;
	DIR *dp;

	if (depth < 0 || js->nmail > 0 || (dp = opendir(dir)) == NULL)
		return;
	scan_dir(js, dir, 0);
	while (js->nmail == 0 && (d = readdir(dp)) != NULL &&
	    --*budget > 0) {
		if (d->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, d->d_name);
		if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode))
			scan_tree(js, path, depth - 1, budget);
	}
	closedir(dp);
}

/* A class path entry of the process: a jar, a dir wildcard or a dir. */
static void
from_entry(struct jarset *js, const struct javart *rt, const char *e)
{
	char path[PATH_MAX * 2], *slash;
	size_t n = strlen(e);
	struct stat st;

	if (e[0] == '/' || rt->cwd[0] == '\0')
		snprintf(path, sizeof(path), "%s", e);
	else
		snprintf(path, sizeof(path), "%s/%s", rt->cwd, e);
	if (n >= 2 && strcmp(e + n - 2, "/*") == 0) {
		path[strlen(path) - 2] = '\0';
		scan_dir(js, path, 0);
	} else if (ends_jar(path) && has_word(strrchr(path, '/') ?
	    strrchr(path, '/') + 1 : path, "mail")) {
		cp_add(js, path);
		js->nmail++;
		if ((slash = strrchr(path, '/')) != NULL) {
			*slash = '\0';
			scan_dir(js, path, 1);
		}
	} else if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		scan_dir(js, path, 0);
}

static void
from_process(struct jarset *js, const struct javart *rt)
{
	char cp[sizeof(rt->classpath)], *tok, *save;
	int budget = SCAN_ENTRIES;

	snprintf(cp, sizeof(cp), "%s", rt->classpath);
	for (tok = strtok_r(cp, ":", &save); tok != NULL;
	    tok = strtok_r(NULL, ":", &save))
		from_entry(js, rt, tok);
	if (js->nmail > 0) {
		snprintf(js->source, sizeof(js->source), "the class path of "
		    "process %ld", (long)rt->pid);
		return;
	}
	js->cp[0] = '\0';
	if (rt->cwd[0] != '\0')
		scan_tree(js, rt->cwd, SCAN_DEPTH, &budget);
	if (js->nmail > 0)
		snprintf(js->source, sizeof(js->source), "below the working "
		    "directory of process %ld", (long)rt->pid);
}

/* Debian's libmail-java or libjakarta-mail-java. */
static void
from_debian(struct jarset *js, enum mail_lib lib)
{
	static const char *const javax[] = { "/usr/share/java/javax.mail.jar",
	    "/usr/share/java/javax.activation.jar" };
	static const char *const jakarta[] = {
	    "/usr/share/java/jakarta-mail.jar",
	    "/usr/share/java/jakarta-activation.jar" };
	const char *const *pick[2] = { lib == MAIL_LIB_ANGUS2 ? jakarta :
	    javax, lib == MAIL_LIB_ANGUS2 ? javax : jakarta };
	struct stat st;
	int i;

	for (i = 0; i < 2 && js->nmail == 0; i++) {
		if (stat(pick[i][0], &st) != 0)
			continue;
		js->cp[0] = '\0';
		cp_add(js, pick[i][0]);
		js->nmail++;
		if (stat(pick[i][1], &st) == 0)
			cp_add(js, pick[i][1]);
		snprintf(js->source, sizeof(js->source), "Debian's (%s)",
		    pick[i] == javax ? "libmail-java" : "libjakarta-mail-java");
	}
}

int
confirm_find_jars(struct jarset *js, const char *mail_jar,
    const struct javart *rt, enum mail_lib lib)
{
	char dir[PATH_MAX], *slash;
	struct stat st;

	memset(js, 0, sizeof(*js));
	if (mail_jar != NULL) {
		if (stat(mail_jar, &st) != 0 || !S_ISREG(st.st_mode))
			return 0;
		cp_add(js, mail_jar);
		js->nmail = 1;
		snprintf(dir, sizeof(dir), "%s", mail_jar);
		if ((slash = strrchr(dir, '/')) != NULL) {
			*slash = '\0';
			scan_dir(js, dir, 1);
		}
		snprintf(js->source, sizeof(js->source), "--mail-jar");
	} else if (rt != NULL && rt->pid > 0)
		from_process(js, rt);
	if (js->nmail == 0)
		from_debian(js, lib);
	/* Both APIs on the path: the library of the settings decides. */
	js->api = js->jakarta && (!js->javax || lib == MAIL_LIB_ANGUS2) ?
	    "jakarta" : "javax";
	return js->nmail > 0;
}
