/*
 * A statistical scenario in the lab: one guest for the arms that share the
 * scenario's machine, one for each arm that needs a boot of its own (a
 * kernel, topology, memory or command line), or one per repetition where
 * independence needs a fresh guest.  Each boot's results go to
 * boots/NN-label/; its repetitions are judged together at the end.
 */
#include "lab.h"
#include "results/summary.h"
#include "scenario/arms.h"
#include "util/util.h"
#include "verdict/repetitions.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct stat_run {
	const struct scenario *sc;
	const char *dir;
	struct results res;	/* the run's top level: events and kmsg of every boot */
	json_object *records, *boots, *skip;
	int worst, nboot;
	bool all_completed;
};

static json_object *read_jsonl(const char *dir, const char *file)
{
	char *path = path_join(dir, file), *text = read_file(path, NULL);
	json_object *a = json_object_new_array();

	for (char *save = NULL, *l = text ? strtok_r(text, "\n", &save) : NULL; l;
	     l = strtok_r(NULL, "\n", &save)) {
		json_object *o = json_tokener_parse(l);

		if (o)
			json_object_array_add(a, o);
	}
	free(text);
	free(path);
	return a;
}

/* The boot's entry in summary.json and manifest.json. */
static json_object *boot_json(const struct stat_run *st, const char *sub, const struct sc_arm *arm,
			      const struct lab_opts *oi, const char *release, const char *args,
			      const char *outcome, int guest_code)
{
	json_object *b = json_object_new_object();

	json_object_object_add(b, "dir", json_object_new_string(sub + strlen(st->dir) + 1));
	json_object_object_add(b, "arm", json_object_new_string(arm ? arm->name : "(no boot of its own)"));
	json_object_object_add(b, "kernel", json_object_new_string(oi->kernel));
	json_object_object_add(b, "release", json_object_new_string(release));
	json_object_object_add(b, "topology", json_object_new_string(oi->topology));
	json_object_object_add(b, "memory_mb", json_object_new_int((int)oi->memory_mb));
	json_object_object_add(b, "append", json_object_new_string(arm ? arm->boot : ""));
	json_object_object_add(b, "guest_args", json_object_new_string(args));
	json_object_object_add(b, "outcome", json_object_new_string(outcome));
	json_object_object_add(b, "guest_exit_code", json_object_new_int(guest_code));
	return b;
}

/* A requirement the guest lacks makes every verdict a SKIP. */
static void note_skip(struct stat_run *st, const char *sub)
{
	char *sp = path_join(sub, "summary.json");
	json_object *gs = json_object_from_file(sp), *reason;

	free(sp);
	if (gs && json_object_object_get_ex(gs, "skip_reason", &reason) && !st->skip)
		st->skip = json_object_get(reason);
	json_object_put(gs);
}

/* The boot's repetitions join the judged records, its events and kernel
 * log the top-level files, each tagged with the boot's label. */
static void collect_boot(struct stat_run *st, const char *sub, const char *label,
			 const char *outcome)
{
	json_object *ph = read_jsonl(sub, "phases.jsonl"), *ev = read_jsonl(sub, "events.jsonl");
	json_object *rec = reps_judge(st->sc, ph, ev, outcome);
	char *kp = path_join(sub, "kmsg.txt"), *text;
	size_t len;

	for (size_t i = 0; i < json_object_array_length(rec); i++) {
		json_object *o = json_object_array_get_idx(rec, i);

		json_object_object_add(o, "boot", json_object_new_string(label));
		json_object_array_add(st->records, json_object_get(o));
	}
	for (size_t i = 0; i < json_object_array_length(ev); i++) {
		json_object *o = json_object_array_get_idx(ev, i);

		json_object_object_add(o, "boot", json_object_new_string(label));
		results_append_json(&st->res, "events.jsonl", o);
	}
	text = read_file(kp, &len);
	if (text) {
		char *head = xasprintf("# allocrepro boot %s\n", label);

		results_append(&st->res, "kmsg.txt", head, strlen(head));
		results_append(&st->res, "kmsg.txt", text, len);
		free(head);
	}
	free(text);
	free(kp);
	json_object_put(rec);
	json_object_put(ph);
	json_object_put(ev);
}

/*
 * One guest: an arm that needs its own boot (or, arm NULL, every arm that
 * does not), all repetitions (rep < 0) or just one.
 */
static void lab_boot_arm(struct stat_run *st, const struct lab_opts *flags, const struct sc_arm *arm,
		      unsigned reps, int rep)
{
	const struct scenario *sc = st->sc;
	struct lab_opts oi;
	struct lab_env env;
	struct boot_result br = { .outcome = "not_started", .guest_code = 0 };
	unsigned narms = 0;
	char args[256], label[96], *sub;
	int r;

	lab_resolve_opts(flags, sc, arm, &oi, true);
	for (int a = 0; a < sc->narms; a++)
		narms += arm ? &sc->arms[a] == arm : !arm_needs_boot(&sc->arms[a]);
	snprintf(args, sizeof(args), "%s%s%s--repeat %u --first-repetition %d", arm ? "--arm " : "",
		 arm ? arm->name : "", arm ? " " : "", rep >= 0 ? 1 : reps, rep >= 0 ? rep : 0);
	snprintf(label, sizeof(label), "%02d-%s", st->nboot++, arm ? arm->name : "main");
	if (rep >= 0)
		snprintf(label + strlen(label), sizeof(label) - strlen(label), "-rep%d", rep);
	sub = xasprintf("%s/boots/%s", st->dir, label);
	r = lab_prepare(&oi, &env);
	if (!r)
		r = lab_boot(sc, &oi, &env, sub, args, arm ? arm->boot : "",
			     sc->timeout_s * (rep >= 0 ? 1 : reps) * (narms ? narms : 1), &br);
	if (r)
		br.outcome = "not_started";
	if (r || !br.booted) {
		st->worst = EXIT_INFRA;
		st->all_completed = false;
	}
	json_object_array_add(st->boots, boot_json(st, sub, arm, &oi, r ? "" : env.release, args,
						   br.outcome, br.guest_code));
	if (!r) {
		if (strcmp(br.outcome, "completed"))
			st->all_completed = false;
		if ((br.guest_code == EXIT_USAGE || br.guest_code == EXIT_INFRA) &&
		    br.guest_code > st->worst)
			st->worst = br.guest_code;
		note_skip(st, sub);
		collect_boot(st, sub, label, br.outcome);
	}
	free(sub);
}

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

/* manifest.json: the first guest's, with every boot. */
static void write_manifest(struct stat_run *st)
{
	json_object *m = NULL;

	if (json_object_array_length(st->boots)) {
		const char *first = json_object_get_string(json_object_object_get(
			json_object_array_get_idx(st->boots, 0), "dir"));
		char *sub = path_join(st->dir, first), *mp = path_join(sub, "manifest.json");

		m = json_object_from_file(mp);
		free(mp);
		free(sub);
	}
	if (!m)
		m = json_object_new_object();
	json_object_object_add(m, "boots", json_object_get(st->boots));
	results_write_json(&st->res, "manifest.json", m);
	json_object_put(m);
}

int lab_run_statistical(const struct scenario *sc, const struct lab_opts *flags, const char *dir)
{
	struct stat_run st = { .sc = sc, .dir = dir, .all_completed = true };
	unsigned reps = flags->repeat ? flags->repeat : sc->repetitions;
	json_object *summary, *verdicts;
	int code = prepare_all(sc, flags);

	if (code)
		return code;
	/* a results directory is one run: the last one's files go */
	if (results_open(&st.res, dir, NULL))
		return EXIT_INFRA;
	st.records = json_object_new_array();
	st.boots = json_object_new_array();
	for (int a = -1; a < sc->narms && !st.skip; a++) {
		const struct sc_arm *arm = a < 0 ? NULL : &sc->arms[a];

		if (arm && !arm_needs_boot(arm))
			continue;	/* runs in the main guest */
		if (sc->boot_per_repetition)
			for (unsigned r = 0; r < reps; r++)
				lab_boot_arm(&st, flags, arm, reps, (int)r);
		else
			lab_boot_arm(&st, flags, arm, reps, -1);
	}
	verdicts = st.skip ? reps_all_skipped(sc, json_object_get_string(st.skip)) :
		   reps_verdicts(sc, st.records, NULL);
	summary = summary_new(sc->name, st.skip ? "skipped" : st.all_completed ? "completed" :
			      "partial", st.skip ? json_object_get_string(st.skip) : NULL);
	json_object_object_add(summary, "verdicts", verdicts);
	json_object_object_add(summary, "repetitions", st.records);
	json_object_object_add(summary, "boots", json_object_get(st.boots));
	write_manifest(&st);
	code = results_finish(&st.res, summary, st.worst);
	results_close(&st.res);
	json_object_put(st.boots);
	json_object_put(st.skip);
	log_msg("%s: %s, results in %s", sc->name, code ? "not all verdicts pass" : "all verdicts pass",
		dir);
	return code;
}
