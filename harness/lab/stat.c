/*
 * A statistical scenario in the lab.  Every repetition of every arm runs
 * in a freshly booted guest (nothing one repetition leaves behind reaches
 * the next), in rounds: each round runs the baseline and every undecided
 * arm once, in an order shuffled by the scenario's seed, so neither arm
 * always meets the host first.  A sequential scenario (max_repetitions)
 * is judged after every round from its min_repetitions on and stops when
 * every arm is decided.  A paired scenario prepares one guest per round
 * up to its fork, saves it there, and runs each arm of the round in a copy
 * of it.  A scenario that says boot_per_repetition: false shares one guest
 * per machine instead, baseline first (faster, and the summary says so).
 */
#include "stat.h"
#include "progress.h"
#include "results/manifest.h"
#include "results/summary.h"
#include "scenario/arms.h"
#include "util/jget.h"
#include "util/util.h"
#include "verdict/repetitions.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Every kernel the arms need, before anything is written or booted: an
 * unknown one is bad input (exit 2). */
static int prepare_all(const struct scenario *sc, const struct lab_opts *flags)
{
	for (int a = -1; a < sc->narms; a++) {
		const struct sc_arm *arm = a < 0 ? NULL : &sc->arms[a];
		struct lab_opts oi;
		struct lab_env env;
		int r;

		if (arm && !arm_needs_boot(arm))
			continue;
		lab_resolve_opts(flags, sc, arm, &oi, true);
		r = lab_prepare(&oi, &env);
		if (r)
			return r;
	}
	return 0;
}

/* The baseline's machine: the lab block of the run's manifest (a single
 * boot's finalize() writes the same). */
static json_object *lab_json(const struct stat_run *st)
{
	struct lab_opts oi;
	struct lab_env env;
	json_object *lab = json_object_new_object();
	const char *release = "";

	lab_resolve_opts(st->flags, st->sc, NULL, &oi, true);
	for (size_t i = 0; i < json_object_array_length(st->boots) && !release[0]; i++) {
		json_object *b = json_object_array_get_idx(st->boots, i);
		const char *arm = jget_str(b, "arm");

		if (arm && (!strcmp(arm, "baseline") || arm[0] == '('))
			release = jget_str(b, "release") ? jget_str(b, "release") : "";
	}
	json_object_object_add(lab, "kernel", json_object_new_string(oi.kernel));
	json_object_object_add(lab, "release", json_object_new_string(release));
	json_object_object_add(lab, "topology", json_object_new_string(oi.topology));
	json_object_object_add(lab, "memory_mb", json_object_new_int((int)oi.memory_mb));
	json_object_object_add(lab, "cpus", json_object_new_int((int)oi.cpus));
	json_object_object_add(lab, "accel", json_object_new_string(
		oi.accel ? oi.accel : lab_kvm_usable() ? "kvm" : "tcg"));
	json_object_object_add(lab, "wall_s", json_object_new_double(
		(double)(now_ns() - st->t0) / 1e9));
	if (!lab_prepare(&oi, &env))	/* cached by now: the module booted */
		lab_module_json(lab, &env);
	return lab;
}

/* The guest whose manifest stands for the run: the first of the baseline
 * (a paired design's prepared guest, a shared guest), else the first. */
static const char *manifest_guest(json_object *boots)
{
	for (size_t i = 0; i < json_object_array_length(boots); i++) {
		const char *arm = jget_str(json_object_array_get_idx(boots, i), "arm");

		if (arm && (!strcmp(arm, "baseline") || !strcmp(arm, "(prepared)") ||
			    !strcmp(arm, "(shared)")))
			return jget_str(json_object_array_get_idx(boots, i), "dir");
	}
	return jget_str(json_object_array_get_idx(boots, 0), "dir");
}

/* manifest.json: the baseline's first guest's, with every boot and the
 * plan. */
static void write_manifest(struct stat_run *st, json_object *plan)
{
	json_object *m = NULL;

	if (json_object_array_length(st->boots)) {
		const char *first = manifest_guest(st->boots);
		char *sub = path_join(st->dir, first), *mp = path_join(sub, "manifest.json");

		m = json_object_from_file(mp);
		free(mp);
		free(sub);
	}
	if (!m)
		m = json_object_new_object();
	manifest_identity(m, st->started);
	json_object_object_add(m, "lab", lab_json(st));
	json_object_object_add(m, "boots", json_object_get(st->boots));
	json_object_object_add(m, "plan", json_object_get(plan));
	results_write_json(&st->res, "manifest.json", m);
	json_object_put(m);
}

/* The legacy layout: one guest for the arms sharing the scenario's
 * machine, one per arm with a machine of its own. */
static void run_shared(struct stat_run *st, unsigned reps)
{
	const struct scenario *sc = st->sc;

	for (int a = -1; a < sc->narms && !st->skip; a++) {
		const struct sc_arm *arm = a < 0 ? NULL : &sc->arms[a];

		if (!arm || arm_needs_boot(arm))
			stat_boot(st, arm, reps, -1);
	}
}

/* The decided arms' verdicts are kept as they were at their look: later
 * baseline repetitions must not reopen a decision already acted on. */
static void keep_decided(const struct scenario *sc, json_object *verdicts, json_object *kept,
			 bool *active, int round)
{
	for (int a = 1; a < sc->narms; a++) {
		char *id = xasprintf("%s.mitigation.%s.suppresses", sc->name, sc->arms[a].name);

		for (size_t i = 0; active[a] && i < json_object_array_length(verdicts); i++) {
			json_object *v = json_object_array_get_idx(verdicts, i);
			const char *status = jget_str(v, "status");

			if (strcmp(jget_str(v, "id"), id) || !strcmp(status, "UNDECIDED"))
				continue;
			active[a] = false;
			json_object_object_add(kept, id, json_object_get(v));
			progress_decided(sc->arms[a].name, status, (unsigned)round);
		}
		free(id);
	}
}

/* Has arm a repetition that did not finish?  Its verdict is an ERROR
 * whatever follows: no more boots for it. */
static bool arm_broken(const struct scenario *sc, json_object *records, const char *arm)
{
	for (size_t i = 0; i < json_object_array_length(records); i++) {
		json_object *r = json_object_array_get_idx(records, i);

		if (!strcmp(jget_str(r, "arm"), arm) && reps_unfinished(sc, jget_str(r, "outcome")))
			return true;
	}
	return false;
}

/* Stop booting arms that can only be ERRORs; false when the baseline is
 * one (nothing can be compared any more). */
static bool drop_broken(const struct stat_run *st, bool *active)
{
	const struct scenario *sc = st->sc;

	for (int a = 1; a < sc->narms; a++)
		if (active[a] && arm_broken(sc, st->records, sc->arms[a].name)) {
			active[a] = false;
			log_msg("%s: %s: a repetition did not finish; no more boots for it",
				sc->name, sc->arms[a].name);
		}
	if (!arm_broken(sc, st->records, "baseline"))
		return true;
	log_msg("%s: a baseline repetition did not finish; the arms cannot be compared",
		sc->name);
	return false;
}

/* Replace each verdict decided earlier by the one kept at its look. */
static void use_kept(json_object *verdicts, json_object *kept)
{
	for (size_t i = 0; i < json_object_array_length(verdicts); i++) {
		json_object *k;

		if (json_object_object_get_ex(kept, jget_str(json_object_array_get_idx(verdicts, i),
							      "id"), &k))
			json_object_array_put_idx(verdicts, i, json_object_get(k));
	}
}

/* One round: the baseline and every active arm, each in a fresh guest,
 * in a shuffled order that is recorded. */
static void run_round(struct stat_run *st, const bool *active, int round, unsigned reps,
		      uint64_t *rng, json_object *order)
{
	const struct scenario *sc = st->sc;
	int idx[SC_MAX_ARMS], n = 0;
	unsigned later;

	struct stat_fork f;

	for (int a = 0; a < sc->narms; a++)
		if (!a || active[a])
			idx[n++] = a;
	later = (reps - (unsigned)round - 1) * (unsigned)(n + sc->paired);
	rng_shuffle(rng, idx, n);
	if (sc->paired) {	/* the state every arm of the round continues */
		json_object *o = json_object_new_object();

		json_object_object_add(o, "round", json_object_new_int(round));
		json_object_object_add(o, "arm", json_object_new_string(LAB_PREPARED));
		json_object_array_add(order, o);
		progress_boot((unsigned)round, "prepared state", later + (unsigned)n);
		if (!stat_prepare(st, round, active, &f))
			n = 0;
	}
	for (int i = 0; i < n && !st->skip; i++) {
		json_object *o = json_object_new_object();

		json_object_object_add(o, "round", json_object_new_int(round));
		json_object_object_add(o, "arm", json_object_new_string(sc->arms[idx[i]].name));
		json_object_array_add(order, o);
		progress_boot((unsigned)round, sc->arms[idx[i]].name, later + (unsigned)(n - i - 1));
		stat_boot(st, &sc->arms[idx[i]], 1, round);
	}
	if (sc->paired) {
		stat_fork_drop(&f);
		st->fork = NULL;
	}
}

/* Rounds until every arm is decided or the repetitions run out; the
 * verdicts of the last look. */
static json_object *run_rounds(struct stat_run *st, unsigned reps, bool sequential,
			       json_object *plan)
{
	const struct scenario *sc = st->sc;
	unsigned first, nlooks = sc_plan_looks(sc, reps, sequential, &first);
	struct reps_look look = { 0, nlooks, false };
	json_object *order = json_object_new_array(), *kept = json_object_new_object();
	json_object *v = NULL;
	bool active[SC_MAX_ARMS];
	uint64_t rng = sc->seed ^ 0x616c6c6f63726570ull;
	unsigned round, done = 0;

	for (int a = 0; a < sc->narms; a++)
		active[a] = a > 0;
	for (round = 0; round < reps && !st->skip; round++) {
		run_round(st, active, (int)round, reps, &rng, order);
		done = round + 1;
		if (!drop_broken(st, active))
			break;
		if (!sc_plan_is_look(sc, reps, first, round + 1) || st->skip)
			continue;
		look.look++;
		look.final = round + 1 == reps;
		json_object_put(v);
		v = reps_verdicts(sc, st->records, NULL, &look);
		keep_decided(sc, v, kept, active, (int)round);
		if (sc->narms > 1 && !reps_undecided(v))
			break;
	}
	if (!v || reps_undecided(v)) {	/* stopped early: nothing stays open */
		look.final = true;
		look.look = look.look ? look.look : 1;
		json_object_put(v);
		v = reps_verdicts(sc, st->records, NULL, &look);
	}
	if (v)
		use_kept(v, kept);
	json_object_object_add(plan, "rounds_run", json_object_new_int((int)done));
	json_object_object_add(plan, "looks_made", json_object_new_int((int)look.look));
	json_object_object_add(plan, "order", order);
	json_object_put(kept);
	return v;
}

static json_object *plan_json(const struct scenario *sc, unsigned reps, bool sequential,
			      bool snapshot)
{
	json_object *p = json_object_new_object();
	unsigned first, looks = sc_plan_looks(sc, reps, sequential, &first);

	json_object_object_add(p, "design", json_object_new_string(
		!sc->boot_per_repetition ? "shared_guest" : sc->paired ? "paired" :
		sequential ? "sequential" : "fixed"));
	json_object_object_add(p, "sequential", json_object_new_boolean(sequential));
	json_object_object_add(p, "independence", json_object_new_string(
		!sc->boot_per_repetition ?
		"repetitions share a kernel: one guest per machine, baseline first" :
		sc->paired ? "rounds are independent: each prepares its own state in a guest of its "
			     "own (restored from one saved after boot, or booted) and saves it at "
			     "the fork; every arm of the round continues from a copy of that state" :
		snapshot ? "every repetition restores its own copy of a guest saved right after "
			   "boot (one per machine)" :
		"a freshly booted guest for every repetition"));
	if (sc->paired)
		json_object_object_add(p, "fork_step", json_object_new_int(sc->fork_step));
	json_object_object_add(p, "max_repetitions", json_object_new_int((int)reps));
	json_object_object_add(p, "first_look", json_object_new_int((int)first));
	json_object_object_add(p, "looks", json_object_new_int((int)looks));
	json_object_object_add(p, "level_per_look", json_object_new_double(sc->alpha / looks));
	json_object_object_add(p, "alpha", json_object_new_double(sc->alpha));
	json_object_object_add(p, "min_effect", json_object_new_double(sc->min_effect));
	json_object_object_add(p, "seed", json_object_new_uint64(sc->seed));
	return p;
}

int lab_run_statistical(const struct scenario *sc, const struct lab_opts *flags, const char *dir)
{
	struct stat_run st = { .sc = sc, .flags = flags, .dir = dir, .all_completed = true,
			       .t0 = now_ns(), .started = (long long)time(NULL) };
	unsigned reps = flags->repeat ? flags->repeat : sc->repetitions;
	bool sequential = sc->sequential && !flags->repeat && sc->boot_per_repetition;
	bool snapshot = sc->boot_per_repetition &&
			(flags->fresh ? !strcmp(flags->fresh, "snapshot") : !sc->lab_fresh_boot);
	json_object *summary, *verdicts = NULL, *plan = plan_json(sc, reps, sequential, snapshot);
	struct lab_templates tpl;
	int code = prepare_all(sc, flags);

	if (code) {
		json_object_put(plan);
		return code;
	}
	/* a results directory is one run: the last one's files go, and the
	 * guests it kept (a longer run's boots would be mixed in) */
	for (size_t i = 0; i < 2; i++) {
		char *sub = path_join(dir, i ? "templates" : "boots");

		remove_recursive(sub);
		free(sub);
	}
	if (results_open(&st.res, dir, NULL)) {
		json_object_put(plan);
		return EXIT_INFRA;
	}
	results_keep(&st.res, sc->path, "scenario.yaml");
	st.records = json_object_new_array();
	st.boots = json_object_new_array();
	if (sc->boot_per_repetition) {
		/* a paired design saves its prepared guests in the scratch too */
		if (snapshot || sc->paired) {
			lab_templates_init(&tpl, dir);
			st.tpl = &tpl;
			st.fresh_boot = !snapshot;
		}
		progress_begin(sc->name, reps);
		verdicts = run_rounds(&st, reps, sequential, plan);
		progress_end();
		if (st.tpl)
			json_object_object_add(plan, "templates", lab_templates_drop(&tpl));
	} else {
		run_shared(&st, reps);
	}
	if (st.skip) {
		json_object_put(verdicts);
		verdicts = reps_all_skipped(sc, json_object_get_string(st.skip));
		lab_requires_judge(flags, verdicts);
	} else if (!verdicts) {
		verdicts = reps_verdicts(sc, st.records, NULL, NULL);
	}
	summary = summary_new(sc->name, st.skip ? "skipped" : st.all_completed ? "completed" :
			      "partial", st.skip ? json_object_get_string(st.skip) : NULL);
	json_object_object_add(summary, "verdicts", verdicts);
	json_object_object_add(summary, "plan", json_object_get(plan));
	json_object_object_add(summary, "repetitions", st.records);
	json_object_object_add(summary, "boots", json_object_get(st.boots));
	write_manifest(&st, plan);
	code = results_finish(&st.res, summary, st.worst);
	results_close(&st.res);
	json_object_put(st.boots);
	json_object_put(st.skip);
	json_object_put(plan);
	log_msg("%s: %s, results in %s", sc->name, code ? "not all verdicts pass" : "all verdicts pass",
		dir);
	return code;
}
