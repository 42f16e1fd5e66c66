/*
 * One guest of a statistical run: booted with the arm and repetitions it
 * runs, its results streamed into boots/NNN-label/, its repetitions judged
 * and joined to the run's records, its events and kernel log to the run's
 * top-level files, each tagged with the boot's label.
 */
#include "stat.h"
#include "results/summary.h"
#include "scenario/arms.h"
#include "util/jget.h"
#include "util/util.h"
#include "verdict/repetitions.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
static json_object *boot_json(const struct stat_run *st, const char *sub, const char *arm,
			      const struct lab_opts *oi, const char *release, const char *args,
			      const struct boot_result *br, double wall_s)
{
	json_object *b = json_object_new_object();
	const struct sc_arm *a = scenario_arm(st->sc, arm);

	json_object_object_add(b, "dir", json_object_new_string(sub + strlen(st->dir) + 1));
	json_object_object_add(b, "arm", json_object_new_string(arm));
	json_object_object_add(b, "kernel", json_object_new_string(oi->kernel));
	json_object_object_add(b, "release", json_object_new_string(release));
	json_object_object_add(b, "topology", json_object_new_string(oi->topology));
	json_object_object_add(b, "memory_mb", json_object_new_int((int)oi->memory_mb));
	json_object_object_add(b, "append", json_object_new_string(a ? a->boot : ""));
	json_object_object_add(b, "guest_args", json_object_new_string(args));
	json_object_object_add(b, "outcome", json_object_new_string(br->outcome));
	json_object_object_add(b, "guest_exit_code", json_object_new_int(br->guest_code));
	json_object_object_add(b, "start", json_object_new_string(
		st->fork && a ? "prepared" : br->restore_s > 0 ? "snapshot" : "boot"));
	if (st->fork)	/* the paired design: the guest it was, or continued */
		json_object_object_add(b, "prepared", json_object_new_string(st->fork->label));
	if (br->restore_s > 0)
		json_object_object_add(b, "restore_s", json_object_new_double(br->restore_s));
	if (br->boot_attempts > 1)	/* the kernel died before the guest began */
		json_object_object_add(b, "boot_attempts", json_object_new_int(br->boot_attempts));
	json_object_object_add(b, "wall_s", json_object_new_double(wall_s));
	return b;
}

/* A requirement the guest lacks: the run stops there. */
static void note_skip(struct stat_run *st, const char *sub)
{
	char *sp = path_join(sub, "summary.json");
	json_object *gs = json_object_from_file(sp), *reason;

	free(sp);
	if (gs && json_object_object_get_ex(gs, "skip_reason", &reason) && !st->skip)
		st->skip = json_object_get(reason);
	json_object_put(gs);
}

/* A repetition the guest never began (it died booting, or before) is a
 * record too, with the guest's outcome: nothing is dropped. */
static void add_missing(const struct stat_run *st, json_object *rec, const struct sc_arm *arm,
			unsigned first, unsigned reps, const char *outcome)
{
	const struct scenario *sc = st->sc;

	for (int a = 0; a < sc->narms; a++) {
		if (arm ? &sc->arms[a] != arm : arm_needs_boot(&sc->arms[a]))
			continue;
		for (unsigned r = first; r < first + reps; r++) {
			json_object *o = reps_record(rec, sc->arms[a].name, (int)r);

			if (jget_str(o, "outcome"))
				continue;	/* judged from what the guest sent */
			json_object_object_add(o, "outcome", json_object_new_string(
				strcmp(outcome, "completed") ? outcome : "not_run"));
			json_object_object_add(o, "reproduced", json_object_new_boolean(false));
		}
	}
}

/* The boot's events and kernel log into the run's top-level files. */
static void append_top(struct stat_run *st, const char *sub, const char *label, json_object *ev)
{
	char *kp = path_join(sub, "kmsg.txt"), *text;
	size_t len;

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
}

static void collect_boot(struct stat_run *st, const char *sub, const char *label,
			 const struct boot_result *br, const struct sc_arm *arm, unsigned reps,
			 int rep)
{
	json_object *ph = read_jsonl(sub, "phases.jsonl"), *ev = read_jsonl(sub, "events.jsonl");
	json_object *rec = reps_judge(st->sc, ph, ev, br->outcome);

	if (!st->skip)
		add_missing(st, rec, arm, rep >= 0 ? (unsigned)rep : 0, rep >= 0 ? 1 : reps,
			    br->outcome);
	for (size_t i = 0; i < json_object_array_length(rec); i++) {
		json_object *o = json_object_array_get_idx(rec, i);

		/* a copy that died before its fork: add_missing has its arm */
		if (!strcmp(jget_str(o, "arm"), LAB_PREPARED))
			continue;
		json_object_object_add(o, "boot", json_object_new_string(label));
		json_object_array_add(st->records, json_object_get(o));
	}
	append_top(st, sub, label, ev);
	json_object_put(rec);
	json_object_put(ph);
	json_object_put(ev);
}

/* The guest's command line and the boot's label. */
static void boot_args(const struct stat_run *st, const struct sc_arm *arm, unsigned reps, int rep,
		      char *args, size_t alen, char *label, size_t llen)
{
	int n;

	snprintf(args, alen, "%s%s%s--repeat %u --first-repetition %d", arm ? "--arm " : "",
		 arm ? arm->name : "", arm ? " " : "", rep >= 0 ? 1 : reps, rep >= 0 ? rep : 0);
	n = snprintf(label, llen, "%03d-%s", st->nboot, arm ? arm->name : "main");
	if (rep >= 0 && n > 0 && (size_t)n < llen)
		snprintf(label + n, llen - (size_t)n, "-rep%d", rep);
}

void stat_boot(struct stat_run *st, const struct sc_arm *arm, unsigned reps, int rep)
{
	const struct scenario *sc = st->sc;
	struct lab_opts oi;
	struct lab_env env;
	struct boot_result br = { .outcome = "not_started", .guest_code = 0 };
	struct lab_guest gs = { NULL, 0, NULL, NULL, NULL };
	unsigned narms = 0;
	uint64_t t0 = now_ns();
	char args[256], label[96], line[64], *sub;
	int r;

	lab_resolve_opts(st->flags, sc, arm, &oi, true);
	for (int a = 0; a < sc->narms; a++)
		narms += arm ? &sc->arms[a] == arm : !arm_needs_boot(&sc->arms[a]);
	boot_args(st, arm, reps, rep, args, sizeof(args), label, sizeof(label));
	st->nboot++;
	sub = xasprintf("%s/boots/%s", st->dir, label);
	r = lab_prepare(&oi, &env);
	if (!r && st->fork && arm) {	/* it continues the round's prepared guest */
		snprintf(line, sizeof(line), "ARM=%s\n", arm->name);
		gs = (struct lab_guest){ &st->fork->saved, 0, line, st->fork->dir, NULL };
	} else if (!r && st->tpl && !st->fresh_boot && rep >= 0) {
		gs.from = lab_template_get(st->tpl, sc, &oi, &env, arm ? arm->boot : "");
		/* each copy's own seed, reproducible from the scenario's */
		gs.seed = sc->seed * 0x9e3779b97f4a7c15ull + (uint64_t)st->nboot;
		t0 = now_ns();	/* the template's boot is not this guest's */
	}
	if (!r)
		r = lab_boot(sc, &oi, &env, sub, args, arm ? arm->boot : "",
			     sc->timeout_s * (rep >= 0 ? 1 : reps) * (narms ? narms : 1),
			     gs.from ? &gs : NULL, &br);
	if (r)
		br.outcome = "not_started";
	if (r || !br.booted) {
		st->worst = EXIT_INFRA;
		st->all_completed = false;
	}
	json_object_array_add(st->boots, boot_json(st, sub, arm ? arm->name : "(shared)", &oi,
						   r ? "" : env.release, args, &br,
						   (double)(now_ns() - t0) / 1e9));
	if (r) {	/* each arm's repetition boots once: none of its records exist */
		add_missing(st, st->records, arm, rep >= 0 ? (unsigned)rep : 0, rep >= 0 ? 1 : reps,
			    br.outcome);
	} else {
		if (strcmp(br.outcome, "completed"))
			st->all_completed = false;
		if (br.guest_code == EXIT_USAGE || br.guest_code == EXIT_INFRA)
			st->worst = exit_worst(st->worst, br.guest_code);
		note_skip(st, sub);
		collect_boot(st, sub, label, &br, arm, reps, rep);
	}
	if (st->fork && arm)	/* decide.c pairs the records that continued one state */
		json_object_object_add(reps_record(st->records, arm->name, rep), "prepared",
				       json_object_new_string(st->fork->label));
	free(sub);
}

/* The prepared guest did not get to its fork: its kernel log and events
 * go to the run's files, and every arm of the round (baseline and active)
 * gets the round recorded with its outcome, paired by its label. */
static void prepare_failed(struct stat_run *st, const char *sub, int rep, const bool *active,
			   const char *outcome)
{
	const struct scenario *sc = st->sc;
	json_object *ev = read_jsonl(sub, "events.jsonl");

	append_top(st, sub, st->fork->label, ev);
	json_object_put(ev);
	for (int a = 0; a < sc->narms; a++) {
		json_object *o;

		if (a && !active[a])
			continue;
		o = reps_record(st->records, sc->arms[a].name, rep);
		if (!jget_str(o, "outcome")) {
			json_object_object_add(o, "outcome", json_object_new_string(
				strcmp(outcome, "completed") ? outcome : "not_run"));
			json_object_object_add(o, "reproduced", json_object_new_boolean(false));
		}
		json_object_object_add(o, "prepared", json_object_new_string(st->fork->label));
	}
}

bool stat_prepare(struct stat_run *st, int rep, const bool *active, struct stat_fork *f)
{
	const struct scenario *sc = st->sc;
	struct boot_result br = { .outcome = "not_started", .guest_code = 0 };
	struct lab_guest gs = { NULL, 0, NULL, NULL, &f->saved };
	struct lab_opts oi;
	struct lab_env env;
	uint64_t t0 = now_ns();
	char args[128], *pdir = xasprintf("%s/p%d", st->tpl->scratch, rep);
	int r;

	memset(f, 0, sizeof(*f));
	st->fork = f;
	lab_resolve_opts(st->flags, sc, NULL, &oi, true);
	snprintf(args, sizeof(args), "--repeat 1 --first-repetition %d --fork /dev/ttyS2", rep);
	snprintf(f->label, sizeof(f->label), "%03d-prepared-rep%d", st->nboot++, rep);
	f->dir = xasprintf("%s/boots/%s", st->dir, f->label);
	snprintf(f->saved.image, sizeof(f->saved.image), "%s/guest.mig", pdir);
	snprintf(f->saved.disk, sizeof(f->saved.disk), "%s/disk.img", pdir);
	snprintf(f->saved.sockdir, sizeof(f->saved.sockdir), "%s", st->tpl->sockdir);
	memcpy(f->saved.scratch, st->tpl->scratch, sizeof(f->saved.scratch));
	r = mkdir_p(pdir, 0755) ? EXIT_INFRA : lab_prepare(&oi, &env);
	if (!r && !st->fresh_boot) {
		gs.from = lab_template_get(st->tpl, sc, &oi, &env, "");
		gs.seed = sc->seed * 0x9e3779b97f4a7c15ull + (uint64_t)st->nboot;
		t0 = now_ns();
	}
	if (!r)
		r = lab_boot(sc, &oi, &env, f->dir, args, "", sc->timeout_s, &gs, &br);
	json_object_array_add(st->boots, boot_json(st, f->dir, LAB_PREPARED, &oi,
						   r ? "" : env.release, args, &br,
						   (double)(now_ns() - t0) / 1e9));
	free(pdir);
	if (!r && !strcmp(br.outcome, "prepared"))
		return true;
	st->all_completed = false;
	if (r || !br.booted)
		st->worst = EXIT_INFRA;
	/* its program's own usage or infrastructure error (a step failed) */
	if (br.guest_code == EXIT_USAGE || br.guest_code == EXIT_INFRA)
		st->worst = exit_worst(st->worst, br.guest_code);
	log_msg("%s: round %d: the prepared guest ended '%s' before its fork", sc->name, rep + 1,
		br.outcome);
	prepare_failed(st, f->dir, rep, active, r ? "not_started" : br.outcome);
	return false;
}

void stat_fork_drop(struct stat_fork *f)
{
	char *pdir = xasprintf("%.*s", (int)(strrchr(f->saved.image, '/') - f->saved.image),
			       f->saved.image);

	remove_recursive(pdir);
	free(pdir);
	free(f->dir);
	f->dir = NULL;
}
