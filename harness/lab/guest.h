/*
 * One QEMU guest from start to end: started from its command line, a
 * restored copy told its line, its result stream demultiplexed into the
 * results directory while it runs, killed when it hangs, and how it ended
 * read from the stream, the console and QEMU's status.  boot.c prepares
 * what it boots and judges the run.
 */
#ifndef ALLOCREPRO_LAB_GUEST_H
#define ALLOCREPRO_LAB_GUEST_H

#include "lab.h"
#include "qemu.h"
#include "snapshot.h"

#include <stdint.h>

struct guest_spec {
	const struct scenario *sc;
	const struct qemu_cmd *q;
	const char *dir;		/* its results directory */
	const char *release;		/* the kernel, for what is said */
	const struct lab_guest *gs;	/* NULL: a plain boot */
	const char *sock, *qmp;		/* control port and QMP, NULL none */
	const char *guest_args;
	unsigned timeout_s, stall_s;
};

/* Run the guest to its end into br; a kernel that died before the guest
 * program began is booted again (lab_boot_retry).  *t0: when the last
 * QEMU started.  0, or -1 when QEMU could not be started. */
int guest_run(const struct guest_spec *s, struct boot_result *br, uint64_t *t0);

#endif
