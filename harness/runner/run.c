#include "run.h"
#include "probe_kmod.h"
#include "results/kmod_json.h"
#include "safety/guard.h"
#include "scenario/arms.h"
#include "util/util.h"
#include "workloads/numabind.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

/* Seconds since the kernel booted: in a lab guest this also tells how
 * long the boot took before the first step (bench/lab-repetition-cost.sh). */
static double boottime_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

json_object *run_phase_new(struct run_state *s, int rep, int step, const char *kind)
{
	json_object *p = json_object_new_object();
	int index = (int)json_object_array_length(s->phases);
	char what[64];

	snprintf(what, sizeof(what), "step %d %s", step, kind);
	recorder_mark_phase(index, what);
	if (!strcmp(kind, "probe"))
		sampler_fast(&s->samp, true);
	json_object_object_add(p, "index", json_object_new_int(index));
	json_object_object_add(p, "arm", json_object_new_string(s->arm->name));
	json_object_object_add(p, "repetition", json_object_new_int(rep));
	json_object_object_add(p, "step", json_object_new_int(step));
	json_object_object_add(p, "kind", json_object_new_string(kind));
	json_object_object_add(p, "t_start_s", json_object_new_double(boottime_s()));
	return p;
}

void run_phase_done(struct run_state *s, json_object *p, const char *outcome)
{
	if (!strcmp(json_object_get_string(json_object_object_get(p, "kind")), "probe"))
		sampler_fast(&s->samp, false);
	json_object_object_add(p, "outcome", json_object_new_string(outcome));
	json_object_object_add(p, "t_end_s", json_object_new_double(boottime_s()));
	results_append_json(&s->res, "phases.jsonl", p);
	json_object_array_add(s->phases, p);
}

void run_step_error(struct run_state *s, const struct sc_step *st, int rep, int idx,
		    const char *kind, const char *err)
{
	json_object *p = run_phase_new(s, rep, idx, kind);

	log_msg("%s:%d: %s", s->sc->path, st->line, err);
	json_object_object_add(p, "error", json_object_new_string(err));
	run_phase_done(s, p, "error");
	s->infra_error = 1;
}

uint64_t run_step_seed(const struct run_state *s, int rep, int idx)
{
	return s->o->seed + (uint64_t)rep * 1000003u + (uint64_t)idx;
}

void run_step_verdict(struct run_state *s, int idx, int rep, const char *what, bool pass,
		      json_object *meas)
{
	json_object *v = json_object_new_object();
	/* ids stay unique per step and repetition */
	char *id = rep ? xasprintf("%s.step%d_%s.rep%d", s->sc->name, idx, what, rep)
		       : xasprintf("%s.step%d_%s", s->sc->name, idx, what);

	json_object_object_add(v, "id", json_object_new_string(id));
	json_object_object_add(v, "status", json_object_new_string(pass ? "PASS" : "FAIL"));
	json_object_object_add(meas, "repetition", json_object_new_int(rep));
	json_object_object_add(v, "measure", meas);
	json_object_array_add(s->step_verdicts, v);
	free(id);
}

bool run_ensure_kmod(struct run_state *s, int rep, int idx, const char *kind)
{
	char err[512];
	int r;

	if (s->kmod_loaded)
		return true;
	/* pins outlive a killed run: restore releases them and unloads */
	journal_add(&s->journal, "kmod", "allocrepro_helper", NULL);
	r = kmod_load(s->o->kmod, err, sizeof(err));
	if (r) {
		json_object *p = run_phase_new(s, rep, idx, kind);

		log_msg("%s", err);
		json_object_object_add(p, "error", json_object_new_string(err));
		run_phase_done(s, p, "error");
		s->infra_error = 1;
		return false;
	}
	s->kmod_loaded = true;
	return true;
}

bool run_kmod_phase(struct run_state *s, const struct sc_step *st, int rep, int idx,
		    const char *kind, const char *cmd)
{
	json_object *p = run_phase_new(s, rep, idx, kind);
	struct kmod_stats ks;
	char line[512];
	int r = kmod_command(cmd, &ks);

	snprintf(line, sizeof(line), "%s", cmd);
	line[strcspn(line, "\n")] = '\0';
	json_object_object_add(p, "command", json_object_new_string(line));
	if (r) {
		json_object_object_add(p, "error", json_object_new_string(strerror(-r)));
		log_msg("%s at %s:%d refused: %s", kind, s->sc->path, st->line, strerror(-r));
		run_phase_done(s, p, "error");
		s->infra_error = 1;
		return false;
	}
	json_object_object_add(p, "metrics", !strcmp(kind, "probe") ? kmod_probe_json(&ks)
								      : kmod_pin_json(&ks));
	run_phase_done(s, p, "done");
	return true;
}

struct workload_proc *run_workload_slot(struct run_state *s, int rep, int idx,
					workload_stopped_fn stopped)
{
	int i = s->nprocs++;	/* one per step at the most: SC_MAX_STEPS slots */

	s->procs[i].step = idx;
	s->procs[i].rep = rep;
	s->procs[i].stopped = stopped;
	return &s->procs[i].proc;
}

/* What a stopped workload left for the results: workload-<step>-<name>. */
static void keep_attachments(struct run_state *s, struct workload_proc *w, int idx)
{
	json_object_object_foreach(w->attach, name, path) {
		size_t len;
		char *text = read_file(json_object_get_string(path), &len);
		char *as = xasprintf("workload-%d-%s", idx, name);

		if (text)
			results_replace(&s->res, as, text, len);
		unlink(json_object_get_string(path));
		free(text);
		free(as);
	}
}

/* Stop in reverse order; the final report, memcg events and what the
 * workload left for the results make a phase of their own. */
static void stop_workloads(struct run_state *s)
{
	while (s->nprocs > 0) {
		int i = --s->nprocs, idx = s->procs[i].step, rep = s->procs[i].rep;
		struct workload_proc *w = &s->procs[i].proc;
		json_object *p = run_phase_new(s, rep, idx, "workload_stop");

		workload_proc_stop(w);
		json_object_object_add(p, "workload", json_object_new_string(w->ops->name));
		json_object_object_add(p, "metrics", json_object_get(w->metrics));
		json_object_object_add(p, "targets", json_object_get(w->targets));
		json_object_object_add(p, "memcg", json_object_get(w->memcg));
		keep_attachments(s, w, idx);
		run_phase_done(s, p, "stopped");
		if (!w->error[0] && s->procs[i].stopped)
			s->procs[i].stopped(s, &s->sc->steps[idx], w, rep, idx);
		workload_proc_free(w);
	}
}

bool run_apply_arm(struct run_state *s, int rep, const struct sc_arm *arm, bool own_only,
		   struct arm_applied *ap)
{
	char err[512] = "";
	json_object *p;

	if (!(own_only ? arm_apply_own(s->sc, arm, s->journal.path, ap, err, sizeof(err)) :
	      arm_apply(s->sc, arm, s->journal.path, ap, err, sizeof(err))))
		return true;
	p = run_phase_new(s, rep, -1, "settings");
	log_msg("%s: arm %s: %s", s->sc->path, arm->name, err);
	json_object_object_add(p, "error", json_object_new_string(err));
	run_phase_done(s, p, "error");
	s->infra_error = 1;
	return false;
}

void run_steps(struct run_state *s, int rep, int from, int to)
{
	for (int i = from; i < to && !s->infra_error && !guard_interrupted(); i++)
		s->sc->steps[i].kind->run(s, &s->sc->steps[i], rep, i);
}

void run_rep_end(struct run_state *s, int rep)
{
	stop_workloads(s);
	if (!s->infra_error && !guard_interrupted())
		run_phase_done(s, run_phase_new(s, rep, -1, "repetition_end"), "completed");
}

/* One repetition of one arm: its settings on, the steps, settings off. */
static void run_arm_rep(struct run_state *s, int rep)
{
	struct arm_applied ap;

	if (!run_apply_arm(s, rep, s->arm, false, &ap))
		return;
	run_steps(s, rep, 0, s->sc->nsteps);
	run_rep_end(s, rep);
	arm_revert(&ap);
}

/* Arms interleaved: each repetition runs every arm once, in an order
 * drawn from the run's seed, so no arm always runs on the machine as the
 * previous one left it.  The order is kept for the manifest. */
void run_arms(struct run_state *s, unsigned reps)
{
	const struct scenario *sc = s->sc;
	json_object *sk = run_arms_skipped(sc, s->only_arm);
	uint64_t rng = s->o->seed ^ 0x696e7465726c6561ull;
	int idx[SC_MAX_ARMS], n = 0;

	if (s->o->fork) {	/* one repetition, forked: the host runs the arms */
		run_forked(s, (int)s->o->first_rep);
		json_object_put(sk);
		stop_workloads(s);
		return;
	}
	for (int a = 0; a < sc->narms; a++)
		if (!json_object_object_get_ex(sk, sc->arms[a].name, NULL))
			idx[n++] = a;
	for (unsigned r = 0; r < reps && !s->infra_error && !guard_interrupted(); r++) {
		int rep = (int)(s->o->first_rep + r);

		rng_shuffle(&rng, idx, n);
		for (int i = 0; i < n && !s->infra_error && !guard_interrupted(); i++) {
			json_object *o = json_object_new_object();

			json_object_object_add(o, "repetition", json_object_new_int(rep));
			json_object_object_add(o, "arm", json_object_new_string(sc->arms[idx[i]].name));
			json_object_array_add(s->order, o);
			s->arm = &sc->arms[idx[i]];
			run_arm_rep(s, rep);
		}
	}
	json_object_put(sk);
	s->arm = &sc->arms[0];
	stop_workloads(s);
}

int run_preflight(const struct scenario *sc, const struct run_opts *o)
{
	bool allowed = machine_is_lab() || o->destructive;
	char err[512];

	for (int i = 0; i < sc->nsteps && !allowed; i++)
		if (step_needs(sc, &sc->steps[i]) & STEP_NEEDS_LAB) {
			log_msg("%s:%d: sysrq, exec and 'pin: lowmem' steps run only on a machine "
				"marked as a lab (ALLOCREPRO_LAB=1 or /etc/allocrepro/lab) or with "
				"--destructive", sc->path, sc->steps[i].line);
			return EXIT_USAGE;
		}
	if (scenario_changes_settings(sc) && !allowed) {
		log_msg("%s: changes sysctls (or huge pages, drop_caches, compact_memory); this "
			"machine is not marked as a lab (ALLOCREPRO_LAB=1 or /etc/allocrepro/lab): "
			"run with --destructive to allow it, or --dry-run to see what would change",
			sc->path);
		return EXIT_USAGE;
	}
	if (o->arm && !scenario_arm(sc, o->arm)) {
		log_msg("--arm: %s has no arm '%s'", sc->path, o->arm);
		return EXIT_USAGE;
	}
	for (int a = 0; a < sc->narms; a++)
		if ((!o->arm || !strcmp(o->arm, sc->arms[a].name)) &&
		    arm_check(sc, &sc->arms[a], err, sizeof(err))) {
			log_msg("%s", err);
			return EXIT_USAGE;
		}
	return 0;
}
