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

static void add_rec(json_object *rec, const char *arm, int rep, bool failed, const char *outcome,
		    int failures)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "arm", json_object_new_string(arm));
	json_object_object_add(o, "repetition", json_object_new_int(rep));
	json_object_object_add(o, "outcome", json_object_new_string(outcome));
	json_object_object_add(o, "reproduced", json_object_new_boolean(failed));
	json_object_object_add(o, "attempts", json_object_new_int(100));
	json_object_object_add(o, "failures", json_object_new_int(failures));
	json_object_array_add(rec, o);
}

/* n repetitions of arm, the first k of them reproducing */
static void add_arm(json_object *rec, const char *arm, int k, int n)
{
	for (int i = 0; i < n; i++)
		add_rec(rec, arm, i, i < k, "completed", i < k ? 50 + i : i);
}

/* status of arm's verdict for baseline kb/nb against arms (ka[i]/na[i]) */
static const char *judge(struct scenario *sc, const struct reps_look *look, int kb, int nb,
			 const int *ka, const int *na, int which, json_object **vout)
{
	json_object *rec = json_object_new_array(), *v;
	static char st[32];
	char id[128];

	add_arm(rec, "baseline", kb, nb);
	for (int a = 1; a < sc->narms; a++)
		add_arm(rec, sc->arms[a].name, ka[a - 1], na[a - 1]);
	v = reps_verdicts(sc, rec, NULL, look);
	snprintf(id, sizeof(id), "%s.mitigation.%s.suppresses", sc->name, sc->arms[which].name);
	snprintf(st, sizeof(st), "%s", status(find(v, id)));
	json_object_put(rec);
	if (vout)
		*vout = v;
	else
		json_object_put(v);
	return st;
}

/* The four outcomes, Holm, the looks of a sequential run, censoring. */
static void synthetic(struct scenario *sc)
{
	const struct reps_look look1of4 = { 1, 4, false }, last = { 4, 4, true };
	json_object *v, *rec;

	sc->alpha = 0.05;
	sc->min_effect = 0.5;
	sc->narms = 2;
	is_str(judge(sc, NULL, 5, 5, (int[]){ 0 }, (int[]){ 5 }, 1, &v), "PASS", "5/5 vs 0/5: PASS");
	ok(near(measure(find(v, "seed000-atomic-order3-numa.mitigation.min_free_kbytes.suppresses"),
			"mann_whitney_p"), 1.0 / 252), "failed attempts 50..54 vs 0..4: Mann-Whitney p = 1/252");
	json_object_put(v);
	is_str(judge(sc, NULL, 5, 5, (int[]){ 5 }, (int[]){ 5 }, 1, NULL), "FAIL",
	       "5/5 vs 5/5: FAIL (a reduction of 0.5 is excluded)");
	is_str(judge(sc, NULL, 3, 3, (int[]){ 3 }, (int[]){ 3 }, 1, NULL), "FAIL",
	       "3/3 vs 3/3: FAIL already (the bound is 0.47)");
	is_str(judge(sc, NULL, 1, 8, (int[]){ 8 }, (int[]){ 8 }, 1, NULL), "FAIL", "1/8 vs 8/8: FAIL (worse)");
	is_str(judge(sc, NULL, 0, 5, (int[]){ 3 }, (int[]){ 5 }, 1, NULL), "INCONCLUSIVE",
	       "0/5 vs 3/5: INCONCLUSIVE (the baseline did not reproduce)");
	is_str(judge(sc, NULL, 3, 5, (int[]){ 1 }, (int[]){ 5 }, 1, NULL), "INCONCLUSIVE",
	       "3/5 vs 1/5: INCONCLUSIVE");
	is_str(judge(sc, NULL, 3, 3, (int[]){ 0 }, (int[]){ 3 }, 1, NULL), "PASS", "one arm: 3/3 vs 0/3 PASS (p = 0.05)");
	/* a second arm makes it a family of two: Holm doubles the smaller p */
	snprintf(sc->arms[2].name, sizeof(sc->arms[2].name), "other");
	sc->narms = 3;
	is_str(judge(sc, NULL, 3, 3, (int[]){ 0, 0 }, (int[]){ 3, 3 }, 1, &v), "INCONCLUSIVE",
	       "two arms: 3/3 vs 0/3 is INCONCLUSIVE after Holm");
	ok(near(measure(find(v, "seed000-atomic-order3-numa.mitigation.min_free_kbytes.suppresses"),
			"p_holm"), 0.1), "Holm-adjusted p = 0.1");
	json_object_put(v);
	is_str(judge(sc, NULL, 4, 4, (int[]){ 0, 0 }, (int[]){ 4, 4 }, 2, NULL), "PASS",
	       "two arms: 4/4 vs 0/4 PASS after Holm (2/70)");
	sc->narms = 2;
	/* looks: the level is alpha over the looks */
	is_str(judge(sc, &look1of4, 3, 3, (int[]){ 0 }, (int[]){ 3 }, 1, &v), "UNDECIDED",
	       "look 1 of 4: 3/3 vs 0/3 is UNDECIDED");
	ok(reps_undecided(v), "and the run goes on");
	json_object_put(v);
	is_str(judge(sc, &look1of4, 5, 5, (int[]){ 0 }, (int[]){ 5 }, 1, NULL), "PASS",
	       "look 1 of 4: 5/5 vs 0/5 PASS (p = 0.004 <= 0.0125): stop early");
	is_str(judge(sc, &last, 3, 5, (int[]){ 1 }, (int[]){ 5 }, 1, &v), "INCONCLUSIVE",
	       "the last look turns undecided into INCONCLUSIVE");
	ok(!reps_undecided(v), "nothing is left undecided at the last look");
	json_object_put(v);
	/* a baseline repetition that hung makes every comparison an ERROR */
	rec = json_object_new_array();
	add_arm(rec, "baseline", 4, 4);
	add_rec(rec, "baseline", 4, false, "hang", 0);
	add_arm(rec, "min_free_kbytes", 0, 5);
	v = reps_verdicts(sc, rec, NULL, NULL);
	is_str(status(json_object_array_get_idx(v, 0)), "ERROR", "a hung baseline repetition: baseline ERROR");
	is_str(status(find(v, "seed000-atomic-order3-numa.mitigation.min_free_kbytes.suppresses")), "ERROR",
	       "and the arm's comparison ERROR");
	json_object_put(v);
	json_object_put(rec);
}

/* Which rounds are looks: the seeds' plan, every round, a fixed design. */
static void plan_looks(struct scenario *sc)
{
	unsigned first;

	sc->min_repetitions = 5;
	sc->look_every = 5;
	is_int((int)sc_plan_looks(sc, 10, true, &first), 2, "min 5, every 5, max 10: two looks");
	is_int((int)first, 5, "the first after round 5");
	ok(sc_plan_is_look(sc, 10, first, 5) && sc_plan_is_look(sc, 10, first, 10) &&
	   !sc_plan_is_look(sc, 10, first, 7) && !sc_plan_is_look(sc, 10, first, 4),
	   "looks after rounds 5 and 10 only");
	is_int((int)sc_plan_looks(sc, 12, true, &first), 3, "max 12: 5, 10 and the last, 12");
	sc->min_repetitions = 3;
	sc->look_every = 1;
	is_int((int)sc_plan_looks(sc, 8, true, &first), 6, "min 3, every round, max 8: six looks");
	is_int((int)sc_plan_looks(sc, 8, false, &first), 1, "a fixed design: one look");
	is_int((int)first, 8, "at its last round");
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
	v = reps_verdicts(&sc, rec, NULL, NULL);
	is_str(status(find(v, "seed000-atomic-order3-numa.baseline.reproduces")), "PASS", "baseline reproduces 2/2");
	r = find(v, "seed000-atomic-order3-numa.baseline.atomic_order3_failure");
	is_str(status(r), "PASS", "the kernel reported the failure in the baseline");
	is_int((int)measure(r, "matched"), 2, "two reports (one per 10 s window)");
	is_int((int)measure(r, "matched_in_mitigation_arms"), 0, "none with the mitigation");
	r = find(v, "seed000-atomic-order3-numa.mitigation.min_free_kbytes.suppresses");
	is_str(status(r), "INCONCLUSIVE", "2 vs 2 repetitions cannot decide at alpha 0.05: INCONCLUSIVE");
	ok(near(measure(r, "p_value"), 1.0 / 6), "p = 1/6");
	ok(near(measure(r, "difference"), 1), "difference in failure rate 1");
	is_int((int)measure(r, "repetitions_to_decide"), 3, "3 repetitions per arm would decide it");
	sc.alpha = 0.2;
	json_object_put(v);
	v = reps_verdicts(&sc, rec, NULL, NULL);
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
	v = reps_verdicts(&sc, rec, NULL, NULL);
	r = find(v, "seed000-atomic-order3-numa.mitigation.min_free_kbytes.suppresses");
	is_int((int)measure(r, "mitigation_repetitions"), 1, "it is not judged");
	is_int((int)measure(r, "mitigation_unfinished"), 1, "it is counted apart");
	is_str(status(r), "ERROR", "and the arm is an ERROR, not a silent loss");
	json_object_put(v);
	sc.failure_outcomes = sc_outcome_bit("hang");
	v = reps_verdicts(&sc, rec, NULL, NULL);
	r = find(v, "seed000-atomic-order3-numa.mitigation.min_free_kbytes.suppresses");
	is_int((int)measure(r, "mitigation_repetitions"), 2, "failure_outcomes: hang: the hang is judged");
	is_int((int)measure(r, "mitigation_failed"), 1, "as a reproduced failure");
	is_int((int)measure(r, "mitigation_counted_unfinished"), 1, "and said so");
	sc.failure_outcomes = 0;
	json_object_put(v);
	json_object_put(rec);

	synthetic(&sc);
	plan_looks(&sc);

	v = reps_all_skipped(&sc, "needs 2 NUMA nodes");
	is_str(status(json_object_array_get_idx(v, 0)), "SKIP", "requirements unmet: baseline SKIP");
	is_str(status(json_object_array_get_idx(v, 1)), "SKIP", "requirements unmet: mitigation SKIP");
	json_object_put(v);
	json_object_put(ph);
	json_object_put(ev);
	return done_testing();
}
