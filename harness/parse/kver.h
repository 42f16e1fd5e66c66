/*
 * Kernel release -> the era of its GFP bits, log formats and watermark
 * check.  Boundaries follow docs/kernel-log-formats.md.
 */
#ifndef ALLOCREPRO_KVER_H
#define ALLOCREPRO_KVER_H

#include <stdbool.h>

struct kver {
	int major, minor, patch;	/* 0.0.0 unknown */
};

/* "2.6.32-358.2.1.el6.x86_64", "6.1.0-56-amd64", "4.19.176" */
bool kver_parse(const char *release, struct kver *out);
/* Comparable number: major*65536 + minor*256 + min(patch,255). */
int kver_code(const struct kver *v);
#define KV(a, b) ((a) * 65536 + (b) * 256)
bool kver_known(const struct kver *v);

#endif
