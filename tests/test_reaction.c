/* Runs the reaction parser over hand-labelled real kommentar texts (tests/kommentar_cases.txt)
 * and compares each case's rows as a multiset. Prints every mismatch; exit 1 if any. */
#include "bt/reaction.h"
#include "bt/strbuf.h"
#include "bt/util.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct rows {
	char **v;
	size_t n, cap;
};

static void rows_add(struct rows *r, const char *s)
{
	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 8;
		r->v = xrealloc(r->v, r->cap * sizeof *r->v);
	}
	r->v[r->n++] = xstrdup(s);
}

static void rows_clear(struct rows *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->v[i]);
	r->n = 0;
}

static int cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static int check(const char *src, const char *text, struct rows *want, struct reaction_list *rl, int verbose)
{
	struct rows got = { 0 };
	reaction_parse(text, rl);
	for (size_t i = 0; i < rl->n; i++) {
		char line[512];
		snprintf(line, sizeof line, "%s\t%s\t%s\t%s", reaction_kind_name(rl->v[i].kind),
			 reaction_scope_name(rl->v[i].scope), reaction_faction_label(rl->v[i].faction),
			 rl->v[i].person);
		rows_add(&got, line);
	}
	if (got.n > 1)
		qsort(got.v, got.n, sizeof *got.v, cmp);
	if (want->n > 1)
		qsort(want->v, want->n, sizeof *want->v, cmp);
	int same = got.n == want->n;
	for (size_t i = 0; same && i < got.n; i++)
		same = strcmp(got.v[i], want->v[i]) == 0;
	if (!same && verbose) {
		printf("MISMATCH %s\t%s\n", src, text);
		for (size_t i = 0; i < want->n; i++)
			printf("  want  %s\n", want->v[i]);
		for (size_t i = 0; i < got.n; i++)
			printf("  got   %s\n", got.v[i]);
	}
	rows_clear(&got);
	free(got.v);
	return same;
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "tests/kommentar_cases.txt";
	FILE *fp = fopen(path, "r");
	if (!fp) {
		perror(path);
		return 1;
	}
	char line[8192];
	char *src = NULL, *text = NULL;
	struct rows want = { 0 };
	struct reaction_list rl = { 0 };
	int cases = 0, failed = 0;
	for (;;) {
		char *l = fgets(line, sizeof line, fp);
		if (l) {
			size_t n = strlen(l);
			while (n && (l[n - 1] == '\n' || l[n - 1] == '\r'))
				l[--n] = '\0';
			if (l[0] == '#' || l[0] == '\0')
				continue;
		}
		if (!l || l[0] == '>') {
			if (text) {
				cases++;
				if (!check(src, text, &want, &rl, 1))
					failed++;
				free(src);
				free(text);
				src = text = NULL;
				rows_clear(&want);
			}
			if (!l)
				break;
			char *tab = strchr(l, '\t');
			if (!tab) {
				fprintf(stderr, "%s: bad case line: %s\n", path, l);
				return 1;
			}
			src = xstrndup(l + 2, (size_t)(tab - l - 2));
			text = xstrdup(tab + 1);
			continue;
		}
		rows_add(&want, l);
	}
	fclose(fp);
	free(want.v);
	reaction_list_free(&rl);
	printf("%d cases, %d passed, %d failed\n", cases, cases - failed, failed);
	return failed ? 1 : 0;
}
