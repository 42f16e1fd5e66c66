/*
 * Fresh kernels without a boot each: one guest per machine (kernel,
 * topology, memory, CPUs, boot parameters) boots up to the point where
 * its scenario would start, and is saved (QEMU migration to a file).
 * Every repetition restores a copy of it, hands it its arguments on the
 * third serial port, and runs from there: the kernel every repetition
 * meets is the freshly booted one, and nothing a repetition does reaches
 * another.
 */
#ifndef ALLOCREPRO_LAB_SNAPSHOT_H
#define ALLOCREPRO_LAB_SNAPSHOT_H

#include "lab.h"

#include <json-c/json.h>

#define LAB_MAX_TEMPLATES 8

struct lab_template {
	char key[512];		/* the machine it is */
	char initrd[4096];	/* every copy gets the initrd the template booted */
	char image[4096];	/* the saved guest */
	char disk[4096];	/* its scratch disk as saved, "" none: copies write to
				 * overlays of their own (QEMU's snapshot=on) */
	char sockdir[64];	/* where a copy's QMP socket and control pipe go */
	char scratch[4096];	/* this run's scratch: a copy's disk overlay */
	bool failed;		/* could not be made: the machine's guests boot */
	bool reused;		/* kept from an earlier run (snapcache.h) */
	double boot_s, save_s;	/* host seconds: boot to ready, the save */
	int boot_attempts;	/* boots until it was ready (lab_boot_retry) */
	long image_mb;
};

struct lab_templates {
	char scratch[4096];	/* this run's images: cache/scratch/run-PID */
	char sockdir[64];	/* /tmp/allocrepro-XXXXXX: QMP sockets, control pipes */
	const char *results;	/* templates/N/ keeps each one's console */
	int n;
	struct lab_template t[LAB_MAX_TEMPLATES];
};

void lab_templates_init(struct lab_templates *ts, const char *results);
/* The saved guest of o's machine with append, made on first use; NULL
 * when it cannot be made (said once): boot instead. */
const struct lab_template *lab_template_get(struct lab_templates *ts, const struct scenario *sc,
					    const struct lab_opts *o, const struct lab_env *env,
					    const char *append);
/* Remove every image; what each cost, for summary.json (NULL: none). */
json_object *lab_templates_drop(struct lab_templates *ts);

/* Save the running guest whose QMP socket is qmp_path into image and stop
 * QEMU; *save_s: how long it took.  0 or -1 (said). */
int lab_guest_save(const char *qmp_path, const char *image, double *save_s);
/* Has the guest whose results are in dir said what on its console? */
bool lab_console_says(const char *dir, const char *what);

/* Make and remove a copy's QMP socket (sock.qmp) and control pipe (sock
 * .in, .out); 0 or -1 (said). */
int lab_ctl_make(const char *sock);
void lab_ctl_remove(const char *sock);
/* A restored copy that QEMU (started with the template's -incoming) is
 * loading: wait until it runs, then hand it line (its arguments) on the
 * control pipe ctl.in.  0, or -1 (said). */
int lab_template_resume(const char *sock, const char *line);

#endif
