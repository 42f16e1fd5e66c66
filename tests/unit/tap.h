/* Minimal TAP 13 producer for the C unit tests (run by prove). */
#ifndef ALLOCREPRO_TEST_TAP_H
#define ALLOCREPRO_TEST_TAP_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int tap_n, tap_failed;

#define ok(cond, ...) do { \
	int c_ = !!(cond); \
	printf("%sok %d - ", c_ ? "" : "not ", ++tap_n); \
	printf(__VA_ARGS__); \
	printf("\n"); \
	if (!c_) { tap_failed++; printf("#   at %s:%d: %s\n", __FILE__, __LINE__, #cond); } \
} while (0)

#define is_int(got, want, name) do { \
	long long g_ = (long long)(got), w_ = (long long)(want); \
	ok(g_ == w_, "%s", name); \
	if (g_ != w_) printf("#   got %lld, want %lld\n", g_, w_); \
} while (0)

#define is_str(got, want, name) do { \
	const char *g_ = (got), *w_ = (want); \
	ok(g_ && !strcmp(g_, w_), "%s", name); \
	if (!g_ || strcmp(g_, w_)) printf("#   got '%s', want '%s'\n", g_ ? g_ : "(null)", w_); \
} while (0)

static inline int done_testing(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}

/* Fixtures live beside the tests; FIXTURES may point elsewhere. */
static inline const char *fixture(const char *dir, const char *name)
{
	static char buf[4096];
	const char *root = getenv(dir);

	snprintf(buf, sizeof(buf), "%s/%s", root ? root : ".", name);
	return buf;
}

#endif
