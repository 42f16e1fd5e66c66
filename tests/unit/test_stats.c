/* Statistical verdicts: Fisher's exact test, and repetitions judged from a
 * real lab run's phases and events (seed000, 2 repetitions per arm). */
#include "tap.h"
#include "verdict/repetitions.h"
#include "runner/steps/steps.h"
#include "scenario/scenario.h"
#include "verdict/stats.h"

#include <math.h>

static bool near(double a, double b)
{
	return fabs(a - b) < 1e-9;
}

static json_object *jsonl(const char *path)
{
	FILE *f = fopen(path, "r");
	json_object *a = json_object_new_array();
	char line[65536];

	while (f && fgets(line, sizeof(line), f)) {
		json_object *o = json_tokener_parse(line);

		if (o)
			json_object_array_add(a, o);
	}
	if (f)
		fclose(f);
	return a;
}

static json_object *find(json_object *verdicts, const char *id)
{
	for (size_t i = 0; i < json_object_array_length(verdicts); i++) {
		json_object *v = json_object_array_get_idx(verdicts, i);

		if (!strcmp(json_object_get_string(json_object_object_get(v, "id")), id))
			return v;
	}
	return NULL;
}

static const char *status(json_object *v)
{
	return v ? json_object_get_string(json_object_object_get(v, "status")) : "(none)";
}

static double measure(json_object *v, const char *key)
{
	return json_object_get_double(json_object_object_get(json_object_object_get(v, "measure"), key));
}

int main(void)
{
	static struct scenario sc;
	char err[512];
	json_object *ph, *ev, *rec, *v, *r;

	/* hypergeometric tails by hand: C(6,3) = 20, C(4,2) = 6, C(10,5) = 252 */
	ok(near(fisher_one_sided(3, 3, 0, 3), 1.0 / 20), "fisher 3/3 vs 0/3 = 1/20");
	ok(near(fisher_one_sided(2, 2, 0, 2), 1.0 / 6), "fisher 2/2 vs 0/2 = 1/6");
	ok(near(fisher_one_sided(5, 5, 0, 5), 1.0 / 252), "fisher 5/5 vs 0/5 = 1/252");
	ok(near(fisher_one_sided(4, 5, 1, 5), 26.0 / 252), "fisher 4/5 vs 1/5 = 26/252");
	ok(near(fisher_one_sided(5, 5, 5, 5), 1), "fisher: no difference, p = 1");
	ok(near(fisher_one_sided(0, 5, 3, 5), 1), "fisher: mitigation worse, p = 1");
	ok(near(fisher_one_sided(0, 0, 0, 0), 1), "fisher: nothing judged, p = 1");
	is_int(stats_needed(0.5, 5), 3, "needed: half of 5 is 3");
	is_int(stats_needed(0.5, 2), 1, "needed: half of 2 is 1");
	is_int(stats_needed(1, 3), 3, "needed: all of 3");
	is_int(stats_needed(0.5, 0), 1, "needed: at least 1");

	ok(scenario_load(fixture("TESTS", "../scenarios/seed000-atomic-order3-numa.yaml"), step_kinds, &sc, err,
			 sizeof(err)) == 0, "seed000 loads");
	ok(sc.statistical && sc.narms == 2 && !strcmp(sc.arms[1].name, "min_free_kbytes"),
	   "seed000: statistical, baseline + min_free_kbytes");
	ph = jsonl(fixture("TESTS", "fixtures/lab-seed000/phases.jsonl"));
	ev = jsonl(fixture("TESTS", "fixtures/lab-seed000/events.jsonl"));
	is_int(json_object_array_length(ph), 24, "fixture: 24 phases");
	rec = reps_judge(&sc, ph, ev, "hang");
	is_int(json_object_array_length(rec), 4, "4 repetitions (2 per arm)");
	r = json_object_array_get_idx(rec, 0);
	is_str(json_object_get_string(json_object_object_get(r, "arm")), "baseline", "first: baseline");
	ok(json_object_get_boolean(json_object_object_get(r, "reproduced")), "baseline rep 0 reproduced");
	is_int(json_object_get_int(json_object_object_get(json_object_object_get(r, "expect"),
							  "atomic_order3_failure")), 1,
	       "baseline rep 0: one kernel report (rate-limited) of the expected failure");
	is_int(json_object_get_int64(json_object_object_get(r, "attempts")), 8192, "rep 0: 8192 attempts");
	r = json_object_array_get_idx(rec, 2);
	ok(!json_object_get_boolean(json_object_object_get(r, "reproduced")),
	   "min_free_kbytes rep 0 did not reproduce");
	is_int(json_object_get_int64(json_object_object_get(r, "failures")), 0, "mitigation rep 0: no failed attempt");
	v = reps_verdicts(&sc, rec, NULL);
	is_str(status(find(v, "seed000-atomic-order3-numa.baseline.reproduces")), "PASS", "baseline reproduces 2/2");
	r = find(v, "seed000-atomic-order3-numa.baseline.atomic_order3_failure");
	is_str(status(r), "PASS", "the kernel reported the failure in the baseline");
	is_int((int)measure(r, "matched"), 2, "two reports (one per 10 s window)");
	is_int((int)measure(r, "matched_in_mitigation_arms"), 0, "none with the mitigation");
	r = find(v, "seed000-atomic-order3-numa.mitigation.min_free_kbytes.suppresses");
	is_str(status(r), "FAIL", "2 vs 2 repetitions cannot reach alpha 0.05: FAIL, honestly");
	ok(near(measure(r, "p_value"), 1.0 / 6), "p = 1/6");
	ok(near(measure(r, "risk_difference"), 1), "risk difference 1");
	sc.alpha = 0.2;
	json_object_put(v);
	v = reps_verdicts(&sc, rec, NULL);
	is_str(status(find(v, "seed000-atomic-order3-numa.mitigation.min_free_kbytes.suppresses")), "PASS",
	       "with alpha 0.2 the same counts PASS");
	json_object_put(v);
	json_object_put(rec);

	/* the guest died in the last repetition: its end never came */
	json_object_array_del_idx(ph, 23, 1);
	rec = reps_judge(&sc, ph, ev, "hang");
	r = json_object_array_get_idx(rec, 3);
	is_str(json_object_get_string(json_object_object_get(r, "outcome")), "hang",
	       "an unfinished repetition takes the guest's outcome");
	v = reps_verdicts(&sc, rec, NULL);
	r = find(v, "seed000-atomic-order3-numa.mitigation.min_free_kbytes.suppresses");
	is_int((int)measure(r, "mitigation_repetitions"), 1, "it is not judged");
	is_int((int)measure(r, "mitigation_unfinished"), 1, "it is counted apart");
	json_object_put(v);
	json_object_put(rec);

	v = reps_all_skipped(&sc, "needs 2 NUMA nodes");
	is_str(status(json_object_array_get_idx(v, 0)), "SKIP", "requirements unmet: baseline SKIP");
	is_str(status(json_object_array_get_idx(v, 1)), "SKIP", "requirements unmet: mitigation SKIP");
	json_object_put(v);
	json_object_put(ph);
	json_object_put(ev);
	return done_testing();
}
