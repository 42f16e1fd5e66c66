/* QEMU's command line for one lab boot. */
#ifndef ALLOCREPRO_LAB_QEMU_H
#define ALLOCREPRO_LAB_QEMU_H

#include "image.h"
#include "lab.h"

#define QEMU_MAX_ARGS 64

struct qemu_cmd {
	char *argv[QEMU_MAX_ARGS + 1];	/* NULL-terminated, each string owned */
	int argc;
};

/* The machine o describes booting env's kernel with initrd, its serial
 * ports (console, result stream) and pidfile in dir. */
void qemu_cmd_build(struct qemu_cmd *q, const struct lab_opts *o, const struct lab_env *env,
		    const char *initrd, const char *dir, const char *accel,
		    const struct lab_disk *disk, const char *append);
void qemu_cmd_free(struct qemu_cmd *q);
/* dir/qemu.cmdline: the command, for a person to run again. */
int qemu_cmd_write(const struct qemu_cmd *q, const char *dir);

#endif
