/* Walks the inputs given to 'bt import' and streams each XML document into the database. */
#include "bt/importer.h"
#include "bt/util.h"
#include "bt/zip.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

enum { READ_CHUNK = 256 * 1024 };

enum input_kind { IN_XML, IN_ZIP };

struct input {
	char *path;
	enum input_kind kind;
	int mdb; /* the master data: imported first, so protocols can use it */
	int64_t bytes; /* uncompressed XML bytes, for the progress line */
	int64_t docs;
};

struct inputs {
	struct input *v;
	size_t n, cap;
};

void import_stats_add(struct import_stats *st, const struct store_result *r)
{
	if (r->outcome == STORE_ABORTED)
		return; /* reported and counted when it was given up */
	if (r->outcome == STORE_FAILED) {
		error("'%s': %s", r->source, r->error);
		st->failed++;
		return;
	}
	st->documents++;
	st->bytes += r->bytes;
	if (r->kind == STORE_MDB) {
		st->members += r->members;
		if (r->outcome == STORE_UNCHANGED)
			st->unchanged++;
		else
			st->updated++;
		return;
	}
	switch (r->outcome) {
	case STORE_NEW:
		st->new_++;
		break;
	case STORE_UPDATED:
		st->updated++;
		break;
	default:
		st->unchanged++;
		return;
	}
	st->speeches += r->speeches;
	st->kommentare += r->kommentare;
	st->unmapped += r->unmapped;
}

/* Takes the results that are ready (all of them when wait is set). */
static void collect(struct store *s, struct import_stats *st, struct progress *pg, int wait)
{
	struct store_result r;
	while (store_poll(s, &r, wait)) {
		if (r.outcome == STORE_FAILED)
			progress_done(pg);
		import_stats_add(st, &r);
		if (r.outcome == STORE_FAILED)
			pg->failed++;
	}
}

static int has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && strcasecmp(s + n - k, suffix) == 0;
}

static int is_xml_name(const char *name)
{
	const char *base = strrchr(name, '/');
	base = base ? base + 1 : name;
	return base[0] != '.' && has_suffix(base, ".xml");
}

static void add_input(struct inputs *in, const char *path, enum input_kind kind, int64_t bytes, int64_t docs)
{
	if (in->n == in->cap) {
		in->cap = in->cap ? in->cap * 2 : 16;
		in->v = xrealloc(in->v, in->cap * sizeof *in->v);
	}
	in->v[in->n++] = (struct input){ xstrdup(path), kind, 0, bytes, docs };
}

/* Classifies a regular file by its first bytes: ZIP archives by magic, everything else is
 * treated as XML (and rejected by the parser if it is not a protocol). */
static int classify(const char *path, struct inputs *in, struct import_stats *st)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		error("cannot open '%s': %s", path, strerror(errno));
		st->failed++;
		return -1;
	}
	char head[4];
	ssize_t k = read(fd, head, sizeof head);
	struct stat sb;
	fstat(fd, &sb);
	close(fd);
	if (k == 4 && zip_magic(head, 4)) {
		struct strbuf err = STRBUF_INIT;
		struct zip_archive *z = zip_open_file(path, &err);
		if (!z) {
			error("cannot read archive '%s': %s", path, sb_str(&err));
			sb_free(&err);
			st->failed++;
			return -1;
		}
		int64_t bytes = 0, docs = 0;
		int mdb = 0;
		for (size_t i = 0; i < zip_count(z); i++) {
			const struct zip_entry *e = zip_entry_at(z, i);
			if (is_xml_name(e->name)) {
				bytes += (int64_t)e->usize;
				docs++;
				mdb |= strcasestr(e->name, "MDB_STAMMDATEN") != NULL;
			}
		}
		zip_close(z);
		add_input(in, path, IN_ZIP, bytes, docs);
		in->v[in->n - 1].mdb = mdb;
	} else {
		add_input(in, path, IN_XML, sb.st_size, 1);
		in->v[in->n - 1].mdb = strcasestr(path, "MDB_STAMMDATEN") != NULL;
	}
	return 0;
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void expand_dir(const char *dir, struct inputs *in, struct import_stats *st)
{
	DIR *d = opendir(dir);
	if (!d) {
		error("cannot read directory '%s': %s", dir, strerror(errno));
		st->failed++;
		return;
	}
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' || !(is_xml_name(de->d_name) || has_suffix(de->d_name, ".zip")))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			names = xrealloc(names, cap * sizeof *names);
		}
		names[n++] = xstrdup(de->d_name);
	}
	closedir(d);
	if (n > 1)
		qsort(names, n, sizeof *names, cmp_str); /* a stable, predictable order */
	for (size_t i = 0; i < n; i++) {
		struct strbuf p = STRBUF_INIT;
		sb_addf(&p, "%s%s%s", dir, has_suffix(dir, "/") ? "" : "/", names[i]);
		struct stat sb;
		if (stat(p.buf, &sb) == 0 && S_ISREG(sb.st_mode))
			classify(p.buf, in, st);
		sb_free(&p);
		free(names[i]);
	}
	free(names);
}

struct feed_ctx {
	struct document *doc;
	struct progress *pg;
};

static int feed_chunk(void *ud, const char *buf, size_t n)
{
	struct feed_ctx *c = ud;
	if (document_feed(c->doc, buf, n) < 0)
		return 1;
	c->pg->bytes += (int64_t)n;
	progress_update(c->pg, 0);
	return 0;
}

static void report_done(struct document *doc, int ok, struct import_stats *st, struct progress *pg)
{
	if (!ok || document_finish(doc, NULL) < 0) {
		progress_done(pg);
		error("%s", document_error(doc));
		st->failed++;
		pg->failed++;
	}
	pg->done_items++;
	progress_update(pg, 1);
	collect(document_store(doc), st, pg, 0);
}

static void import_file(struct store *s, const char *path, struct import_stats *st, struct progress *pg)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		error("cannot open '%s': %s", path, strerror(errno));
		st->failed++;
		return;
	}
	struct document *doc = document_new(s, path, 0);
	char *buf = xmalloc(READ_CHUNK);
	struct feed_ctx c = { doc, pg };
	int ok = 1;
	for (;;) {
		ssize_t k = read(fd, buf, READ_CHUNK);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			progress_done(pg);
			error("cannot read '%s': %s", path, strerror(errno));
			ok = -1;
			break;
		}
		if (k == 0)
			break;
		if (feed_chunk(&c, buf, (size_t)k)) {
			ok = 0;
			break;
		}
	}
	free(buf);
	close(fd);
	if (ok < 0) {
		st->failed++;
		pg->failed++;
	} else {
		report_done(doc, ok, st, pg);
	}
	document_free(doc);
}

static void import_zip(struct store *s, const char *path, struct import_stats *st, struct progress *pg)
{
	struct strbuf err = STRBUF_INIT;
	struct zip_archive *z = zip_open_file(path, &err);
	if (!z) {
		error("cannot read archive '%s': %s", path, sb_str(&err));
		st->failed++;
		sb_free(&err);
		return;
	}
	for (size_t i = 0; i < zip_count(z); i++) {
		const struct zip_entry *e = zip_entry_at(z, i);
		if (!is_xml_name(e->name))
			continue;
		struct strbuf src = STRBUF_INIT;
		sb_addf(&src, "%s:%s", path, e->name);
		struct document *doc = document_new(s, src.buf, 0);
		struct feed_ctx c = { doc, pg };
		sb_reset(&err);
		int rc = zip_stream(z, i, feed_chunk, &c, &err);
		if (rc < 0) {
			progress_done(pg);
			error("'%s': %s", src.buf, sb_str(&err));
			st->failed++;
			pg->failed++;
			pg->done_items++;
		} else {
			report_done(doc, rc == 0, st, pg);
		}
		document_free(doc);
		sb_free(&src);
	}
	zip_close(z);
	sb_free(&err);
}

void import_paths(struct store *s, char **paths, int n, struct import_stats *st, int show_progress)
{
	struct inputs in = { 0 };
	for (int i = 0; i < n; i++) {
		struct stat sb;
		if (stat(paths[i], &sb) < 0) {
			error("cannot open '%s': %s", paths[i], strerror(errno));
			st->failed++;
		} else if (S_ISDIR(sb.st_mode)) {
			expand_dir(paths[i], &in, st);
		} else {
			classify(paths[i], &in, st);
		}
	}
	/* the master data first: members of the government then get their faction while parsing */
	for (size_t i = 0, j = 0; i < in.n; i++)
		if (in.v[i].mdb) {
			struct input t = in.v[i];
			memmove(in.v + j + 1, in.v + j, (i - j) * sizeof *in.v);
			in.v[j++] = t;
		}
	struct progress pg;
	progress_init(&pg, "import", show_progress ? PROGRESS_TTY : PROGRESS_OFF);
	for (size_t i = 0; i < in.n; i++) {
		pg.total_items += in.v[i].docs;
		pg.total_bytes += in.v[i].bytes;
	}
	for (size_t i = 0; i < in.n; i++) {
		if (in.v[i].kind == IN_ZIP)
			import_zip(s, in.v[i].path, st, &pg);
		else
			import_file(s, in.v[i].path, st, &pg);
		free(in.v[i].path);
	}
	collect(s, st, &pg, 1);
	progress_done(&pg);
	free(in.v);
}
