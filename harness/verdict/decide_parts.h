/* What decide.c and decide_paired.c share: the paired design's pairs. */
#ifndef ALLOCREPRO_DECIDE_PARTS_H
#define ALLOCREPRO_DECIDE_PARTS_H

#include "repetitions.h"
#include "stats.h"

#include <json-c/json.h>
#include <stdbool.h>

/* One mitigation arm's pairs with the baseline. */
struct pairs {
	unsigned n;		/* pairs where both finished (or ended in a counted failure mode) */
	unsigned b, c;		/* only the baseline reproduced; only the mitigation */
	double *diff;		/* failed attempts, baseline minus mitigation, per completed pair */
	size_t ndiff;
	json_object *records;	/* both arms' records of every pair, unfinished included */
};

/*
 * The pairs of arm in a paired scenario's records (those that carry the
 * prepared state they continued); false, nothing held, when the records
 * are not paired (the independent design, or a paired scenario run on a
 * machine that cannot save a guest).
 */
bool pairs_of(const struct scenario *sc, json_object *records, const char *arm, struct pairs *p);
void pairs_free(struct pairs *p);
/* The pairs' measures into m; returns the one-sided upper bound on the
 * reduction at level. */
double pairs_measure(json_object *m, const struct pairs *p, double level);
/* Pairs that would give 80% power at level, 0 more than max. */
unsigned pairs_plan(const struct scenario *sc, const struct pairs *p, double level, unsigned max);

/* [lo, hi] as a JSON array (decide.c). */
json_object *decide_jinterval(struct interval iv);

#endif
