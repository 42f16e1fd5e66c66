/* A statistical scenario in the lab (stat.c: rounds and decisions;
 * stat_boot.c: one guest and what it brought back). */
#ifndef ALLOCREPRO_LAB_STAT_H
#define ALLOCREPRO_LAB_STAT_H

#include "lab.h"
#include "results/results.h"
#include "snapshot.h"

#include <json-c/json.h>
#include <stdint.h>

/* A paired design's round: the guest prepared for it, saved at the fork. */
struct stat_fork {
	struct lab_template saved;
	char label[96];		/* its boot's label: the "prepared" its copies' records carry */
	char *dir;		/* its results, which each copy continues */
};

struct stat_run {
	const struct scenario *sc;
	const struct lab_opts *flags;
	const char *dir;
	struct results res;	/* the run's top level: events and kmsg of every boot */
	json_object *records;	/* every judged repetition */
	json_object *boots;	/* each guest, in the order booted */
	json_object *skip;	/* a requirement a guest lacked */
	struct lab_templates *tpl;	/* saved guests, and the run's scratch; NULL: none */
	bool fresh_boot;	/* every guest boots (none restores a template) */
	struct stat_fork *fork;	/* the paired design's round in progress, NULL none */
	int worst, nboot;
	bool all_completed;
	uint64_t t0;
	long long started;	/* time() at the start, for the manifest */
};

/*
 * One guest.  arm NULL: every arm without a machine of its own, all reps
 * repetitions in it (a scenario that shares kernels between repetitions).
 * Else that arm alone: repetition rep (reps 1), or rep < 0 all reps.
 */
void stat_boot(struct stat_run *st, const struct sc_arm *arm, unsigned reps, int rep);

/*
 * A paired design's round: the guest that runs the steps before the fork
 * as repetition rep, saved there into f (files in the run's scratch).
 * false when it did not get there: every arm of active (and the baseline)
 * then has the round recorded with its outcome.
 */
bool stat_prepare(struct stat_run *st, int rep, const bool *active, struct stat_fork *f);
/* Its saved files, after the round. */
void stat_fork_drop(struct stat_fork *f);

#endif
