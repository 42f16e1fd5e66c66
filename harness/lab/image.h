/* The initrd overlay and scratch disk of one lab boot. */
#ifndef ALLOCREPRO_LAB_IMAGE_H
#define ALLOCREPRO_LAB_IMAGE_H

#include "lab.h"

struct lab_disk {
	char path[4096];	/* scratch ext4 image, "" when none */
	bool throwaway;		/* the guest writes to an overlay QEMU deletes: the image
				 * stays as it is (a restored copy's) */
};

/* dir/initrd.img: the base image, stress-ng when the scenario runs it,
 * and an overlay with the scenario and run.env; its path (free it), or
 * NULL when it could not be written (said). */
char *lab_make_initrd(const struct lab_env *env, const struct scenario *sc,
		      const char *run_args, const char *dir);
/* A fresh ext4 image of mb MiB in the cache (none for 0); -1 said. */
int lab_make_disk(unsigned mb, struct lab_disk *d);

#endif
