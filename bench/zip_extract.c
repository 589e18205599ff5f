/* zip_extract DIR ZIP...: writes every .xml entry of the archives into DIR (bench only: the sync
 * benchmark serves the corpus from a loopback mirror). */
#include "bt/zip.h"
#include <stdio.h>
#include <string.h>
#include <strings.h>

static int to_file(void *ud, const char *buf, size_t n) { return fwrite(buf, 1, n, ud) != n; }

int main(int argc, char **argv)
{
	if (argc < 3)
		return fputs("usage: zip_extract DIR ZIP...\n", stderr), 2;
	for (int a = 2; a < argc; a++) {
		struct strbuf err = STRBUF_INIT;
		struct zip_archive *z = zip_open_file(argv[a], &err);
		if (!z)
			return fprintf(stderr, "%s: %s\n", argv[a], sb_str(&err)), 1;
		for (size_t i = 0; i < zip_count(z); i++) {
			const char *name = zip_entry_at(z, i)->name;
			size_t n = strlen(name);
			if (n < 4 || strcasecmp(name + n - 4, ".xml") != 0 || strchr(name, '/'))
				continue;
			char path[4096];
			snprintf(path, sizeof path, "%s/%s", argv[1], name);
			FILE *f = fopen(path, "wb");
			if (!f || zip_stream(z, i, to_file, f, &err) != 0 || fclose(f) != 0)
				return fprintf(stderr, "%s: cannot extract\n", path), 1;
		}
		zip_close(z);
		sb_free(&err);
	}
	return 0;
}
