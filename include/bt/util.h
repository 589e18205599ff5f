/* Small helpers shared by every module: allocation that cannot fail silently, error messages. */
#ifndef BT_UTIL_H
#define BT_UTIL_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/* The command name used in messages: "bt: <command>: ...". */
extern const char *bt_cmdname;

/* Prints "bt: <command>: <message>" to stderr and returns -1, so "return error(...)" reads naturally. */
int error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void warning(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Exit codes */
enum { BT_OK = 0, BT_FAIL = 1, BT_USAGE = 2 };

/* Flushes stdout and reports a write error (full disk, closed pipe); returns 0 or -1. */
int finish_stdout(void);

double now_seconds(void);
int is_tty(int fd);

/* "2017-10-24" from "24.10.2017"; returns 0 on success. */
int date_de_to_iso(const char *de, char out[11]);
/* Validates an ISO date "YYYY-MM-DD". */
int date_iso_valid(const char *s);

#endif
