/*
 * The QEMU lab: boot a scenario in a guest running a real kernel and judge
 * it on the host.  cmd/cmd_lab.c parses the command line; these files do
 * the rest:
 *   opts.c     which kernel, topology, memory and CPUs a boot gets
 *   prepare.c  the kernel, module and base image (ci/lab-prepare.sh), KVM
 *   image.c    the per-run initrd overlay and the scratch disk
 *   qemu.c     QEMU's command line
 *   boot.c     one guest: start, stream its results, watch, judge
 *   stat.c     a statistical scenario: rounds of fresh guests, the looks
 *   stat_boot.c  one guest of it and what it brought back
 *   snapshot.c a guest saved after boot, restored for each repetition
 *   qmp.c      QEMU's machine protocol, to save and restore guests
 *   progress.c what a run is doing, for the person watching
 */
#ifndef ALLOCREPRO_LAB_H
#define ALLOCREPRO_LAB_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stdint.h>

#include "scenario/scenario.h"

#define LAB_DEFAULT_KERNEL "debian-6.1"
#define LAB_BOOT_ALLOWANCE_S 30	/* boot + teardown, on top of the scenario's timeout */
/* A paired design's prepared guest, as its phases and boots name it
 * (runner/paired.c writes the same) */
#define LAB_PREPARED "(prepared)"

struct lab_opts {
	const char *kernel;
	const char *topology;
	const char *results;
	unsigned memory_mb, cpus, timeout_s;
	unsigned repeat;	/* repetitions instead of the scenario's */
	char repeat_arg[32];	/* "--repeat N" for the guest */
	const char *accel;	/* NULL: KVM where it works, else TCG */
	const char *fresh;	/* "boot" or "snapshot", NULL: the scenario's */
	const char *kmod;	/* the helper module to boot with, NULL: built here */
	bool lava;		/* each run's verdicts as LAVA test cases at its end */
	bool user_machine;	/* kernel, topology or memory came from the command line */
};

/* What lab-prepare.sh made ready for one kernel. */
struct lab_env {
	char release[128], arch[16], vmlinuz[4096], initrd[4096];
	char stressng[4096];	/* overlay with stress-ng, "" when none */
	char module[4096];	/* the helper module in the initrd */
	char pinned[128];	/* the release tests pin, "" none */
	char pin_note[512];	/* why the pinned release was not used, "" */
};

/* How one guest ended, for the statistical judge. */
struct boot_result {
	const char *outcome;	/* completed, panic, hang, killed, ... */
	bool booted;
	int guest_code;		/* the guest run's exit code, -1 unknown */
	double restore_s;	/* a restored copy: QEMU's start until it ran, 0 a boot */
	int boot_attempts;	/* boots until the guest program began (or the last) */
};

/* Boots of a guest whose kernel dies before the guest program begins. */
#define LAB_BOOT_ATTEMPTS 3

/* boot.c: the guest in dir died before its program began and may boot
 * again: its console is kept aside, *attempts counted (said). */
bool lab_boot_retry(const char *dir, const char *release, int *attempts);

struct lab_template;

/* How a guest of a statistical scenario starts and ends, beyond a boot
 * that runs to its end. */
struct lab_guest {
	const struct lab_template *from;	/* restore a copy of this saved guest
						 * (snapshot.h); NULL: boot */
	uint64_t seed;		/* mixed into the copy's random pool */
	const char *line;	/* what the copy is told on its control port; NULL: its
				 * arguments, the seed and the clock */
	const char *prefix;	/* the results of the guest it continues (a paired
				 * design's prepared guest): console and stream go on
				 * from there */
	struct lab_template *save;	/* save the guest where it says it is prepared,
					 * into save->image (and its disk into save->disk),
					 * instead of running it to its end */
};

/* opts.c: the guest's kernel, topology, memory and CPUs for an arm (NULL:
 * the scenario's main boot): the arm's own, else the flag, else the
 * scenario's, else the default. */
void lab_resolve_opts(const struct lab_opts *flags, const struct scenario *sc,
		      const struct sc_arm *arm, struct lab_opts *out, bool quiet);
/*
 * A guest that lacks what the scenario requires turned its verdicts into
 * SKIPs.  That is right for a kernel, topology or memory the user chose;
 * on the scenario's own machine the lab is broken: each SKIP becomes an
 * ERROR (exit 3).
 */
void lab_requires_judge(const struct lab_opts *flags, json_object *verdicts);
/* Combinations no lab machine can boot; EXIT_USAGE with the reason said. */
int lab_check_combination(const struct scenario *sc, const struct lab_opts *o);

/* prepare.c */
bool lab_kvm_usable(void);
/* Fetch and build what a boot of o->kernel needs (cached); 0 or an exit
 * code (EXIT_USAGE for an unknown kernel). */
int lab_prepare(const struct lab_opts *o, struct lab_env *env);
/* The helper module the guest booted with (its path and sha256) into lab. */
void lab_module_json(json_object *lab, const struct lab_env *env);
/* `allocrepro lab kernels`: the catalogue and what the cache holds. */
int lab_kernels(void);

/*
 * boot.c: boot sc in a guest (gs: restore a saved one, or save this one),
 * its results streamed into dir.  With br
 * (one boot of a statistical scenario) the outcome goes there and the
 * caller judges; without, the run is judged here (summary.json, tap.txt)
 * and its exit code returned.
 */
int lab_boot(const struct scenario *sc, const struct lab_opts *o, const struct lab_env *env,
	     const char *dir, const char *guest_args, const char *append, unsigned timeout_s,
	     const struct lab_guest *gs, struct boot_result *br);

/* stat.c: every boot of a statistical scenario, then its verdicts. */
int lab_run_statistical(const struct scenario *sc, const struct lab_opts *flags, const char *dir);

#endif
