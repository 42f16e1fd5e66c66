/* QEMU's command line for one lab boot. */
#ifndef ALLOCREPRO_LAB_QEMU_H
#define ALLOCREPRO_LAB_QEMU_H

#include "image.h"
#include "lab.h"

#define QEMU_MAX_ARGS 64

struct qemu_cmd {
	char *argv[QEMU_MAX_ARGS + 1];	/* NULL-terminated, each string owned */
	int argc;
	const char *tmpdir;	/* TMPDIR for QEMU, NULL inherit */
};

/*
 * What a guest saved and restored (snapshot.c) has besides: QMP to save or
 * watch it, the third serial port (a pipe, path.in and path.out) that a
 * restored copy reads its arguments from, and the saved guest to load.
 * A plain boot has none: its third port is there, unconnected, so every
 * guest of a machine has the same devices.
 */
struct qemu_extra {
	const char *qmp;	/* unix socket, NULL none */
	const char *ctl;	/* pipe path without .in/.out, NULL none */
	const char *incoming;	/* saved guest's file, NULL boot */
	const char *tmpdir;	/* QEMU's TMPDIR: the copy's disk overlay, NULL default */
	bool append;		/* console and stream continue the files there (a copy
				 * of a paired design's prepared guest) */
};

/* The machine o describes booting env's kernel with initrd, its serial
 * ports (console, result stream, control) and pidfile in dir. */
void qemu_cmd_build(struct qemu_cmd *q, const struct lab_opts *o, const struct lab_env *env,
		    const char *initrd, const char *dir, const char *accel,
		    const struct lab_disk *disk, const char *append, const struct qemu_extra *x);
void qemu_cmd_free(struct qemu_cmd *q);
/* dir/qemu.cmdline: the command, for a person to run again. */
int qemu_cmd_write(const struct qemu_cmd *q, const char *dir);
/* Start QEMU in a process group of its own, its output in dir/qemu.log;
 * its pid, or -1 (said). */
int qemu_spawn(const struct qemu_cmd *q, const char *dir);

#endif
