/* Saved guests kept between runs: a saved guest depends only on what it
 * booted (kernel, initrd with the scenario and the program, QEMU and the
 * machine), so a run that would boot the same one restores the kept one. */
#ifndef ALLOCREPRO_LAB_SNAPCACHE_H
#define ALLOCREPRO_LAB_SNAPCACHE_H

#include "snapshot.h"

/* The key of a template booting initrd on machine (snapshot.c's machine
 * key) with env's kernel; 0, or -1 when the initrd cannot be read. */
int snapcache_key(const char *initrd, const char *machine, const struct lab_env *env,
		  char key[65]);
/* A kept saved guest for key: t's image, disk and initrd point into the
 * cache (read only: copies write to overlays).  False when none. */
bool snapcache_find(const char *key, struct lab_template *t);
/* Keep the saved guest in tdir (guest.mig, disk.img, initrd.img) under
 * key and point t at it there; the oldest beyond a few are removed. */
int snapcache_store(const char *key, const char *tdir, struct lab_template *t);

#endif
