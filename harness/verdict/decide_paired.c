/*
 * The paired design's comparison (decide.c's other half): a baseline and a
 * mitigation repetition that continued from one prepared guest (the same
 * "prepared" in their records) are a pair.  The test is McNemar's on the
 * discordant pairs, the FAIL bound the one on p10 (stats_paired.c), the
 * secondary test Wilcoxon's signed ranks on the failed attempts.
 */
#include "decide_parts.h"
#include "stats.h"
#include "util/jget.h"
#include "util/util.h"

#include <string.h>

/* The record of arm that continued the state prepared, NULL none. */
static json_object *partner(json_object *records, const char *arm, const char *prepared)
{
	for (size_t i = 0; i < json_object_array_length(records); i++) {
		json_object *r = json_object_array_get_idx(records, i);
		const char *p = jget_str(r, "prepared");

		if (p && !strcmp(p, prepared) && !strcmp(jget_str(r, "arm"), arm))
			return r;
	}
	return NULL;
}

/* A finished record: completed and reproduced, or a counted failure mode. */
static bool reproduced(json_object *r)
{
	const char *out = jget_str(r, "outcome");
	json_object *v;

	if (out && strcmp(out, "completed"))
		return true;
	return json_object_object_get_ex(r, "reproduced", &v) && json_object_get_boolean(v);
}

bool pairs_of(const struct scenario *sc, json_object *records, const char *arm, struct pairs *p)
{
	size_t n = json_object_array_length(records);

	memset(p, 0, sizeof(*p));
	if (!sc->paired)
		return false;
	p->records = json_object_new_array();
	p->diff = xcalloc(n + 1, sizeof(double));
	for (size_t i = 0; i < n; i++) {
		json_object *rb = json_object_array_get_idx(records, i), *rm;
		const char *prep = jget_str(rb, "prepared");

		if (!prep || strcmp(jget_str(rb, "arm"), "baseline") ||
		    !(rm = partner(records, arm, prep)))
			continue;
		json_object_array_add(p->records, json_object_get(rb));
		json_object_array_add(p->records, json_object_get(rm));
		if (reps_unfinished(sc, jget_str(rb, "outcome")) ||
		    reps_unfinished(sc, jget_str(rm, "outcome")))
			continue;	/* the tallies make the arm an ERROR */
		p->n++;
		p->b += reproduced(rb) && !reproduced(rm);
		p->c += !reproduced(rb) && reproduced(rm);
		if (!strcmp(jget_str(rb, "outcome"), "completed") &&
		    !strcmp(jget_str(rm, "outcome"), "completed"))
			p->diff[p->ndiff++] = (double)(jget_int(rb, "failures", 0) -
						       jget_int(rm, "failures", 0));
	}
	if (json_object_array_length(p->records))
		return true;
	pairs_free(p);	/* no record carries its prepared state: not paired */
	return false;
}

void pairs_free(struct pairs *p)
{
	json_object_put(p->records);
	free(p->diff);
	memset(p, 0, sizeof(*p));
}

double pairs_measure(json_object *m, const struct pairs *p, double level)
{
	struct interval up = { 0, 0 };
	double upper = paired_reduction_upper(p->b, p->n, level), w;

	json_object_object_add(m, "design", json_object_new_string("paired"));
	json_object_object_add(m, "pairs", json_object_new_int((int)p->n));
	json_object_object_add(m, "pairs_baseline_only", json_object_new_int((int)p->b));
	json_object_object_add(m, "pairs_mitigation_only", json_object_new_int((int)p->c));
	json_object_object_add(m, "difference", json_object_new_double(
		p->n ? ((double)p->b - p->c) / p->n : 0));
	/* p10 - p01 lies between -p01 and p10: each bound at 2.5% */
	up.lo = -paired_reduction_upper(p->c, p->n, 0.025);
	up.hi = paired_reduction_upper(p->b, p->n, 0.025);
	json_object_object_add(m, "difference_ci95", decide_jinterval(up));
	json_object_object_add(m, "reduction_upper_bound", json_object_new_double(upper));
	json_object_object_add(m, "wilcoxon_p", json_object_new_double(
		wilcoxon_greater(p->diff, p->ndiff, &w)));
	json_object_object_add(m, "wilcoxon_w_plus", json_object_new_double(w));
	return upper;
}

unsigned pairs_plan(const struct scenario *sc, const struct pairs *p, double level,
		    unsigned max)
{
	double p01 = p->n ? (double)p->c / p->n : 0, p10 = p->n ? (double)p->b / p->n : 0;

	if (p10 < p01 + sc->min_effect)
		p10 = p01 + sc->min_effect;
	if (p10 > 1 - p01)
		p10 = 1 - p01;
	return mcnemar_pairs_for_power(p10, p01, level, max);
}
