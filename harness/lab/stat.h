/* A statistical scenario in the lab (stat.c: rounds and decisions;
 * stat_boot.c: one guest and what it brought back). */
#ifndef ALLOCREPRO_LAB_STAT_H
#define ALLOCREPRO_LAB_STAT_H

#include "lab.h"
#include "results/results.h"
#include "snapshot.h"

#include <json-c/json.h>
#include <stdint.h>

struct stat_run {
	const struct scenario *sc;
	const struct lab_opts *flags;
	const char *dir;
	struct results res;	/* the run's top level: events and kmsg of every boot */
	json_object *records;	/* every judged repetition */
	json_object *boots;	/* each guest, in the order booted */
	json_object *skip;	/* a requirement a guest lacked */
	struct lab_templates *tpl;	/* saved guests to restore, NULL: boot each */
	int worst, nboot;
	bool all_completed;
	uint64_t t0;
};

/*
 * One guest.  arm NULL: every arm without a machine of its own, all reps
 * repetitions in it (a scenario that shares kernels between repetitions).
 * Else that arm alone: repetition rep (reps 1), or rep < 0 all reps.
 */
void stat_boot(struct stat_run *st, const struct sc_arm *arm, unsigned reps, int rep);

#endif
