/* Small helpers shared by every part of allocrepro. */
#ifndef ALLOCREPRO_UTIL_H
#define ALLOCREPRO_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <stdio.h>

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Exit codes fixed by DESIGN.md, and 4: no verdict failed, but a
 * mitigation's effect is undecided (INCONCLUSIVE: run more repetitions). */
enum {
	EXIT_PASS = 0,
	EXIT_VERDICT_FAILED = 1,
	EXIT_USAGE = 2,
	EXIT_INFRA = 3,
	EXIT_INCONCLUSIVE = 4,
};

/* The code that says more of two: usage, then infrastructure, then a
 * failed verdict, then inconclusive, then pass. */
int exit_worst(int a, int b);

/* splitmix64: a small seeded generator (orders of arms, not workloads). */
uint64_t rng_next(uint64_t *state);
/* Shuffle n ints in place (Fisher-Yates) from state. */
void rng_shuffle(uint64_t *state, int *v, int n);

void log_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* On a terminal: show line as the one status line below the messages
 * (NULL or "" clears it) and return true; elsewhere do nothing, false. */
bool log_status(const char *line);
/* fprintf that says nothing when out is NULL (a quiet cleanup). */
void say(FILE *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Whole file into a NUL-terminated heap buffer; NULL and errno on failure. */
char *read_file(const char *path, size_t *len);
/* Write path through fn(f, ctx) into path.tmp.PID and a rename: on any
 * failure (fn's -1, or the file's) nothing is left.  0, -1 when the file
 * could not be written (errno), -2 when fn failed. */
int write_through_tmp(const char *path, int (*fn)(FILE *f, void *ctx), void *ctx);
/* Write via a temporary and rename, so readers never see half a file. */
int write_file_atomic(const char *path, const char *data, size_t len);
int write_all(int fd, const void *buf, size_t len);
/* Does the file hold needle?  False when it cannot be read. */
bool file_contains(const char *path, const char *needle);
int mkdir_p(const char *path, unsigned mode);
/* path and everything under it, symlinks not followed; 0 or -1. */
int remove_recursive(const char *path);
char *path_join(const char *a, const char *b);
char *xstrdup(const char *s);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t size);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
uint64_t now_ns(void);
void sleep_ms(unsigned ms);
/* Strict decimal parse of a whole string. */
bool parse_u64(const char *s, uint64_t *out);
bool parse_double(const char *s, double *out);
/* Hex digest of a buffer (SHA-256). */
void sha256_hex(const void *data, size_t len, char out[65]);
/* Directory of the running executable (for finding ci/ beside the build). */
char *exe_dir(void);

#endif
