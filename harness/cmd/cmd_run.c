/*
 * allocrepro run SCENARIO: on this machine (bare metal or inside a lab
 * guest).  scenario -> recorder -> steps (workloads, probes) -> verdicts ->
 * results directory + TAP.
 */
#include "scenario/arms.h"
#include "cli.h"
#include "results/event_json.h"
#include "safety/guard.h"
#include "safety/journal.h"
#include "results/manifest.h"
#include "results/kmod_json.h"
#include "runner/probe_kmod.h"
#include "runner/probe_user.h"
#include "parse/procfs.h"
#include "record/recorder.h"
#include "verdict/repetitions.h"
#include "runner/shell.h"
#include "scenario/scenario.h"
#include "results/summary.h"
#include "util/util.h"
#include "verdict/verdict.h"
#include "runner/workload_proc.h"
#include "workloads/numabind.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

struct run_opts {
	const char *results;
	const char *stream;
	const char *kmod;
	uint64_t seed;
	bool seed_set;
	unsigned repeat;	/* 0: the scenario's repetitions */
	unsigned first_rep;	/* numbering, for a lab boot per repetition */
	const char *arm;	/* only this arm (a lab guest booted for it) */
	bool from_boot;
	bool destructive;	/* allowed on a machine not marked as a lab */
	bool dry_run;
};

struct run_state {
	const struct scenario *sc;
	const struct sc_arm *arm;
	struct run_opts *o;
	struct results res;
	struct recorder rec;
	json_object *phases;
	struct workload_proc procs[SC_MAX_STEPS];
	int proc_step[SC_MAX_STEPS], proc_rep[SC_MAX_STEPS];
	int nprocs;
	bool kmod_loaded;
	int infra_error;
	json_object *step_verdicts;	/* exec statuses, workload targets */
	struct journal journal;
};

int machine_is_lab(void)
{
	const char *e = getenv("ALLOCREPRO_LAB");
	struct stat st;

	return (e && !strcmp(e, "1")) || stat("/etc/allocrepro/lab", &st) == 0;
}

static const char *default_kmod(void)
{
	static char path[4096];
	const char *env = getenv("ALLOCREPRO_KMOD");
	char *dir = exe_dir();
	struct utsname u;
	struct stat st;

	if (env) {
		free(dir);
		return env;
	}
	snprintf(path, sizeof(path), "%s/allocrepro_helper.ko", dir);
	free(dir);
	if (stat(path, &st) == 0)
		return path;
	uname(&u);
	snprintf(path, sizeof(path), "/lib/modules/%s/extra/allocrepro_helper.ko", u.release);
	return path;
}

/* A phase is one entry of summary.json's phases; its index is also
 * written to the kernel log so events can be matched to it. */
static json_object *phase_new(struct run_state *s, int rep, int step, const char *kind)
{
	json_object *p = json_object_new_object();
	int index = (int)json_object_array_length(s->phases);
	char what[64];

	snprintf(what, sizeof(what), "step %d %s", step, kind);
	recorder_mark_phase(index, what);
	json_object_object_add(p, "index", json_object_new_int(index));
	json_object_object_add(p, "arm", json_object_new_string(s->arm->name));
	json_object_object_add(p, "repetition", json_object_new_int(rep));
	json_object_object_add(p, "step", json_object_new_int(step));
	json_object_object_add(p, "kind", json_object_new_string(kind));
	return p;
}

static void phase_done(struct run_state *s, json_object *p, const char *outcome)
{
	json_object_object_add(p, "outcome", json_object_new_string(outcome));
	results_append_json(&s->res, "phases.jsonl", p);
	json_object_array_add(s->phases, p);
}

/* Each step of each repetition draws from its own seed. */
static uint64_t step_seed(const struct run_state *s, int rep, int idx)
{
	return s->o->seed + (uint64_t)rep * 1000003u + (uint64_t)idx;
}

static bool ensure_kmod(struct run_state *s, int rep, int idx, const char *kind)
{
	char err[512];
	int r;

	if (s->kmod_loaded)
		return true;
	/* pins outlive a killed run: restore releases them and unloads */
	journal_add(&s->journal, "kmod", "allocrepro_helper", NULL);
	r = kmod_load(s->o->kmod, err, sizeof(err));
	if (r) {
		json_object *p = phase_new(s, rep, idx, kind);

		log_msg("%s", err);
		json_object_object_add(p, "error", json_object_new_string(err));
		phase_done(s, p, "error");
		s->infra_error = 1;
		return false;
	}
	s->kmod_loaded = true;
	return true;
}

/* One command to the module as one phase; false on error (recorded). */
static bool kmod_phase(struct run_state *s, const struct sc_step *st, int rep, int idx,
		       const char *kind, const char *cmd)
{
	json_object *p = phase_new(s, rep, idx, kind);
	struct kmod_stats ks;
	char line[512];
	int r = kmod_command(cmd, &ks);

	snprintf(line, sizeof(line), "%s", cmd);
	line[strcspn(line, "\n")] = '\0';
	json_object_object_add(p, "command", json_object_new_string(line));
	if (r) {
		json_object_object_add(p, "error", json_object_new_string(strerror(-r)));
		log_msg("%s at %s:%d refused: %s", kind, s->sc->path, st->line, strerror(-r));
		phase_done(s, p, "error");
		s->infra_error = 1;
		return false;
	}
	json_object_object_add(p, "metrics", !strcmp(kind, "probe") ? kmod_probe_json(&ks)
								      : kmod_pin_json(&ks));
	phase_done(s, p, "done");
	return true;
}

/* hugetlb or thp: a phase per run, the failures counted like the module's */
static void run_user_probe(struct run_state *s, const struct sc_step *st, int rep, int idx)
{
	for (unsigned i = 0; i < st->repeat; i++) {
		json_object *p = phase_new(s, rep, idx, "probe"), *m;
		char err[512] = "";

		json_object_object_add(p, "probe", json_object_new_string(
			st->probe_kind == PROBE_HUGETLB ? "hugetlb" : "thp"));
		m = st->probe_kind == PROBE_HUGETLB ?
		    probe_hugetlb(s->journal.path, st->pages, st->hold_ms, err, sizeof(err)) :
		    probe_thp(st->pages, err, sizeof(err));
		if (!m) {
			log_msg("%s:%d: %s", s->sc->path, st->line, err);
			json_object_object_add(p, "error", json_object_new_string(err));
			phase_done(s, p, "error");
			s->infra_error = 1;
			return;
		}
		json_object_object_add(p, "metrics", m);
		phase_done(s, p, "done");
	}
}

static void run_probe(struct run_state *s, const struct sc_step *st, int rep, int idx)
{
	char cmd[512];

	struct kmod_probe probe = st->probe;

	if (st->probe_kind != PROBE_KMOD) {
		run_user_probe(s, st, rep, idx);
		return;
	}
	if (!ensure_kmod(s, rep, idx, "probe"))
		return;
	if (st->cpu_node >= 0) {
		probe.cpu = numabind_first_cpu(st->cpu_node);
		if (probe.cpu < 0) {
			json_object *p = phase_new(s, rep, idx, "probe");

			log_msg("%s:%d: cpu_node %d has no CPU", s->sc->path, st->line, st->cpu_node);
			json_object_object_add(p, "error", json_object_new_string("cpu_node has no CPU"));
			phase_done(s, p, "error");
			s->infra_error = 1;
			return;
		}
	}
	kmod_probe_command(&probe, cmd, sizeof(cmd));
	for (unsigned i = 0; i < st->repeat; i++)
		if (!kmod_phase(s, st, rep, idx, "probe", cmd))
			return;
}

static void run_pin(struct run_state *s, const struct sc_step *st, int rep, int idx)
{
	struct kmod_pin pin = st->pin;
	const char *kind = st->kind == STEP_PIN ? "pin" : "release";
	char cmd[512];

	if (!ensure_kmod(s, rep, idx, kind))
		return;
	pin.seed = step_seed(s, rep, idx);
	if (st->kind == STEP_PIN)
		kmod_pin_command(&pin, cmd, sizeof(cmd));
	else
		snprintf(cmd, sizeof(cmd), "release\n");
	kmod_phase(s, st, rep, idx, kind, cmd);
}

/* A verdict of a step: "<scenario>.step<i>_<what>[.rep<r>]" (ids stay
 * unique per step and repetition), measure taken over. */
static void step_verdict(struct run_state *s, int idx, int rep, const char *what, bool pass,
			 json_object *meas)
{
	json_object *v = json_object_new_object();
	char *id = rep ? xasprintf("%s.step%d_%s.rep%d", s->sc->name, idx, what, rep)
		       : xasprintf("%s.step%d_%s", s->sc->name, idx, what);

	json_object_object_add(v, "id", json_object_new_string(id));
	json_object_object_add(v, "status", json_object_new_string(pass ? "PASS" : "FAIL"));
	json_object_object_add(meas, "repetition", json_object_new_int(rep));
	json_object_object_add(v, "measure", meas);
	json_object_array_add(s->step_verdicts, v);
	free(id);
}

/* A shell command: output to exec-<phase>.log, the exit status judged. */
static void run_exec(struct run_state *s, const struct sc_step *st, int rep, int idx)
{
	json_object *p = phase_new(s, rep, idx, "exec"), *m = json_object_new_object();
	char *log = xasprintf("exec-%zu.log", json_object_array_length(s->phases));
	char *out = NULL;
	size_t len = 0;
	int status = run_shell(s->sc->text + st->exec_off, s->o->kmod, &out, &len);

	results_append(&s->res, log, out ? out : "", len);
	json_object_object_add(m, "exit_status", json_object_new_int(status));
	json_object_object_add(m, "log", json_object_new_string(log));
	json_object_object_add(p, "metrics", m);
	phase_done(s, p, status == 0 ? "done" : "failed");
	{
		json_object *meas = json_object_new_object();

		json_object_object_add(meas, "exit_status", json_object_new_int(status));
		step_verdict(s, idx, rep, "exec", status == 0, meas);
	}
	free(out);
	free(log);
}

/* The workload's targets and its cgroup's OOM kills as verdicts. */
static void workload_verdicts(struct run_state *s, const struct sc_step *st,
			      struct workload_proc *w, int rep, int idx)
{
	json_object *kills = NULL;
	long n = -1;

	for (size_t i = 0; i < json_object_array_length(w->targets); i++) {
		json_object *t = json_object_array_get_idx(w->targets, i), *v;
		char *what;

		json_object_object_get_ex(t, "reached", &v);
		what = xasprintf("%s.%s", st->workload->name,
				 json_object_get_string(json_object_object_get(t, "name")));
		json_object *copy = NULL;

		json_object_deep_copy(t, &copy, NULL);
		step_verdict(s, idx, rep, what, json_object_get_boolean(v), copy);
		free(what);
	}
	if (w->memcg && json_object_object_get_ex(w->memcg, "oom_kill", &kills))
		n = (long)json_object_get_int64(kills);
	for (int k = 0; k < 2; k++) {
		int bound = k ? st->max_oom_kills : st->min_oom_kills;
		json_object *m;
		char *what;

		if (bound < 0)
			continue;
		m = json_object_new_object();
		json_object_object_add(m, "measured", json_object_new_int64(n));
		json_object_object_add(m, "op", json_object_new_string(k ? "<=" : ">="));
		json_object_object_add(m, "threshold", json_object_new_int(bound));
		what = xasprintf("%s.memcg_oom_kills_%s", st->workload->name, k ? "max" : "min");
		step_verdict(s, idx, rep, what, n >= 0 && (k ? n <= bound : n >= bound), m);
		free(what);
	}
}

static void run_workload(struct run_state *s, const struct sc_step *st, int rep, int idx)
{
	struct workload_proc *w = &s->procs[s->nprocs];
	json_object *p = phase_new(s, rep, idx, "workload");
	char *tag = xasprintf("%ld-%d-%d", (long)getpid(), rep, idx);
	struct workload_ctx ctx = { .journal = &s->journal, .tag = tag,
				    .limit_bytes = (uint64_t)st->limit_mb << 20,
				    .timeout_s = s->sc->timeout_s };
	struct wl_args a = st->wl;
	int di = wl_param_index(st->workload, "dir");
	int r;

	a.seed = step_seed(s, rep, idx);
	if (di >= 0 && !a.s[di])
		a.s[di] = getenv("ALLOCREPRO_SCRATCH");	/* the lab's ext4 */
	r = workload_proc_start(w, st->workload, &a, &ctx);
	free(tag);
	json_object_object_add(p, "workload", json_object_new_string(st->workload->name));
	json_object_object_add(p, "cgroup", json_object_new_string(w->fence.path));
	json_object_object_add(p, "metrics", json_object_get(w->metrics));
	json_object_object_add(p, "targets", json_object_get(w->targets));
	s->proc_step[s->nprocs] = idx;
	s->proc_rep[s->nprocs] = rep;
	s->nprocs++;
	if (r) {
		log_msg("%s:%d: %s", s->sc->path, st->line, w->error);
		json_object_object_add(p, "error", json_object_new_string(w->error));
		s->infra_error = 1;
		phase_done(s, p, "error");
		return;
	}
	phase_done(s, p, "ready");
}

/* buddyinfo and pagetypeinfo now, under the step's name; the free blocks
 * per zone and order also go into the phase. */
static void run_snapshot(struct run_state *s, const struct sc_step *st, int rep, int idx)
{
	json_object *p = phase_new(s, rep, idx, "snapshot"), *zones = json_object_new_array();
	char *tag = xasprintf("%s-%s-rep%d", st->name, s->arm->name, rep);
	char *bi = read_file("/proc/buddyinfo", NULL);
	struct buddyinfo b;

	snapshot_file(&s->res, "/proc/buddyinfo", "snapshot-buddyinfo", tag);
	snapshot_file(&s->res, "/proc/pagetypeinfo", "snapshot-pagetypeinfo", tag);
	if (bi && buddyinfo_parse(bi, &b))
		for (int z = 0; z < b.nzones; z++) {
			json_object *o = json_object_new_object(), *f = json_object_new_array();

			json_object_object_add(o, "node", json_object_new_int(b.z[z].node));
			json_object_object_add(o, "zone", json_object_new_string(b.z[z].zone));
			for (int k = 0; k < b.z[z].n_orders; k++)
				json_object_array_add(f, json_object_new_int64((int64_t)b.z[z].nr_free[k]));
			json_object_object_add(o, "free", f);
			json_object_array_add(zones, o);
		}
	json_object_object_add(p, "name", json_object_new_string(st->name));
	json_object_object_add(p, "buddyinfo", zones);
	phase_done(s, p, "done");
	free(bi);
	free(tag);
}

static void run_step(struct run_state *s, const struct sc_step *st, int rep, int idx)
{
	json_object *p;

	switch (st->kind) {
	case STEP_WORKLOAD:
		run_workload(s, st, rep, idx);
		return;
	case STEP_PROBE:
		run_probe(s, st, rep, idx);
		return;
	case STEP_PIN:
	case STEP_RELEASE:
		run_pin(s, st, rep, idx);
		return;
	case STEP_EXEC:
		run_exec(s, st, rep, idx);
		return;
	case STEP_SLEEP:
		sleep_ms(st->sleep_ms);
		return;
	case STEP_ACTIONS:
		p = phase_new(s, rep, idx, "actions");
		json_object_object_add(p, "actions", arm_actions(s->arm));
		phase_done(s, p, "done");
		return;
	case STEP_SNAPSHOT:
		run_snapshot(s, st, rep, idx);
		return;
	case STEP_SYSRQ: {
		int fd = open("/proc/sysrq-trigger", O_WRONLY | O_CLOEXEC);

		p = phase_new(s, rep, idx, "sysrq");
		json_object_object_add(p, "key", json_object_new_string_len(&st->sysrq, 1));
		phase_done(s, p, "triggered");
		if (fd < 0 || write(fd, &st->sysrq, 1) != 1)
			log_msg("sysrq %c: %s", st->sysrq, strerror(errno));
		if (fd >= 0)
			close(fd);
		return;
	}
	}
}

/* Stop in reverse order; the final report, memcg events and what the
 * workload left for the results make a phase of their own. */
static void stop_workloads(struct run_state *s)
{
	while (s->nprocs > 0) {
		int i = --s->nprocs, idx = s->proc_step[i], rep = s->proc_rep[i];
		struct workload_proc *w = &s->procs[i];
		const struct sc_step *st = &s->sc->steps[idx];
		json_object *p = phase_new(s, rep, idx, "workload_stop");

		workload_proc_stop(w);
		json_object_object_add(p, "workload", json_object_new_string(w->ops->name));
		json_object_object_add(p, "metrics", json_object_get(w->metrics));
		json_object_object_add(p, "targets", json_object_get(w->targets));
		json_object_object_add(p, "memcg", json_object_get(w->memcg));
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
		phase_done(s, p, "stopped");
		if (!w->error[0])
			workload_verdicts(s, st, w, rep, idx);
		workload_proc_free(w);
	}
}

/* The /proc state a failure is judged against, before and after the run. */
static void snapshot_proc(struct results *res, const char *tag)
{
	static const char *const f[][2] = {
		{ "/proc/zoneinfo", "zoneinfo" }, { "/proc/pagetypeinfo", "pagetypeinfo" },
		{ "/proc/vmstat", "vmstat" },
	};

	for (size_t i = 0; i < ARRAY_LEN(f); i++)
		snapshot_file(res, f[i][0], f[i][1], tag);
}


static void usage(void)
{
	fputs("usage: allocrepro run SCENARIO [--results DIR] [--seed N] [--repeat N]\n"
	      "                        [--arm NAME] [--kmod PATH] [--destructive] [--dry-run]\n", stderr);
}

static int parse_opts(int argc, char **argv, struct run_opts *o, const char **path)
{
	static const struct option lo[] = {
		{ "results", required_argument, NULL, 'r' },
		{ "seed", required_argument, NULL, 's' },
		{ "repeat", required_argument, NULL, 'n' },
		{ "first-repetition", required_argument, NULL, 'f' },
		{ "arm", required_argument, NULL, 'a' },
		{ "kmod", required_argument, NULL, 'k' },
		{ "stream", required_argument, NULL, 'S' },
		{ "kmsg-from-boot", no_argument, NULL, 'B' },
		{ "destructive", no_argument, NULL, 'D' },
		{ "dry-run", no_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;
	uint64_t v;

	while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
		switch (c) {
		case 'r': o->results = optarg; break;
		case 'k': o->kmod = optarg; break;
		case 'S': o->stream = optarg; break;
		case 'B': o->from_boot = true; break;
		case 'D': o->destructive = true; break;
		case 'd': o->dry_run = true; break;
		case 'a': o->arm = optarg; break;
		case 's':
			if (!parse_u64(optarg, &o->seed)) {
				log_msg("--seed: '%s' is not a whole number", optarg);
				return -1;
			}
			o->seed_set = true;
			break;
		case 'n':
		case 'f':
			if (!parse_u64(optarg, &v) || v < (c == 'n') || v > 10000) {
				log_msg("--%s: '%s' is not a number from %d to 10000",
					c == 'n' ? "repeat" : "first-repetition", optarg, c == 'n');
				return -1;
			}
			*(c == 'n' ? &o->repeat : &o->first_rep) = (unsigned)v;
			break;
		case 'h': usage(); exit(0);
		default: usage(); return -1;
		}
	}
	if (optind != argc - 1) {
		usage();
		return -1;
	}
	*path = argv[optind];
	return 0;
}

/* What the scenario requires of the machine; "" when all is there. */
static void requirements(const struct scenario *sc, char *why, size_t len)
{
	struct utsname u;

	why[0] = '\0';
	if (sc->req_nodes > 1) {
		int n = numabind_nodes();

		if (n < (int)sc->req_nodes)
			snprintf(why, len, "needs %u NUMA nodes, this machine has %d", sc->req_nodes, n);
	}
	if (!why[0] && sc->req_zone[0]) {
		char *zi = read_file("/proc/zoneinfo", NULL), want[32];
		bool found = false;

		snprintf(want, sizeof(want), "zone %8s", sc->req_zone);
		/* a zone listed with pages managed by the buddy allocator */
		for (char *z = zi; z && (z = strstr(z, want)); z += strlen(want)) {
			char *m = strstr(z, "managed");

			if (m && strtoul(m + 7, NULL, 10) > 0)
				found = true;
		}
		if (!found)
			snprintf(why, len, "needs a %s zone with memory, this kernel has none",
				 sc->req_zone);
		free(zi);
	}
	if (!why[0] && sc->req_arch[0] && uname(&u) == 0) {
		bool is32 = u.machine[0] == 'i' && strstr(u.machine, "86");

		if (is32 != !strcmp(sc->req_arch, "i386"))
			snprintf(why, len, "needs an %s kernel, this one is %s", sc->req_arch, u.machine);
	}
}

/* The kernel's events of the run as events.jsonl objects (with phases). */
static json_object *events_json(const struct event_list *ev)
{
	json_object *a = json_object_new_array();

	for (size_t i = 0; i < ev->n; i++)
		json_object_array_add(a, event_to_json(&ev->v[i]));
	return a;
}

/* Arms that this run does not run, and why (their verdicts are SKIP). */
static json_object *arms_skipped(const struct scenario *sc, const struct run_opts *o)
{
	json_object *sk = json_object_new_object();

	for (int a = 0; a < sc->narms; a++) {
		const struct sc_arm *arm = &sc->arms[a];

		if (o->arm && strcmp(o->arm, arm->name))
			json_object_object_add(sk, arm->name, json_object_new_string(
				"not run here (allocrepro run --arm)"));
		else if (!o->arm && arm_needs_boot(arm))
			json_object_object_add(sk, arm->name, json_object_new_string(
				"needs a lab boot (kernel, topology, memory or boot parameters): "
				"allocrepro lab run"));
	}
	return sk;
}

/* Every repetition of one arm: its settings on, the steps, settings off. */
static void run_arm(struct run_state *s, unsigned reps)
{
	struct arm_applied ap;
	char err[512] = "";

	if (arm_apply(s->sc, s->arm, s->journal.path, &ap, err, sizeof(err))) {
		json_object *p = phase_new(s, (int)s->o->first_rep, -1, "settings");

		log_msg("%s: arm %s: %s", s->sc->path, s->arm->name, err);
		json_object_object_add(p, "error", json_object_new_string(err));
		phase_done(s, p, "error");
		s->infra_error = 1;
		return;
	}
	for (unsigned r = 0; r < reps && !s->infra_error && !guard_interrupted(); r++) {
		int rep = (int)(s->o->first_rep + r);
		json_object *p;

		for (int i = 0; i < s->sc->nsteps && !s->infra_error && !guard_interrupted(); i++)
			run_step(s, &s->sc->steps[i], rep, i);
		stop_workloads(s);
		if (s->infra_error || guard_interrupted())
			break;
		p = phase_new(s, rep, -1, "repetition_end");
		phase_done(s, p, "completed");
	}
	stop_workloads(s);
	arm_revert(&ap);
}

/* Refuse before anything is touched: settings only on a lab machine (or
 * when told), and only sysctls this kernel has. */
static int preflight(const struct scenario *sc, const struct run_opts *o)
{
	char err[512];

	for (int i = 0; i < sc->nsteps; i++)
		if (step_destructive(&sc->steps[i]) && !machine_is_lab() && !o->destructive) {
			log_msg("%s:%d: sysrq, exec and 'pin: lowmem' steps run only on a machine "
				"marked as a lab (ALLOCREPRO_LAB=1 or /etc/allocrepro/lab) or with "
				"--destructive", sc->path, sc->steps[i].line);
			return EXIT_USAGE;
		}
	if (scenario_changes_settings(sc) && !machine_is_lab() && !o->destructive) {
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

static json_object *judge(struct run_state *s, const char *skip_reason, json_object **records)
{
	const struct scenario *sc = s->sc;
	json_object *verdicts;

	*records = NULL;
	if (sc->statistical) {
		if (skip_reason[0])
			return reps_all_skipped(sc, skip_reason);
		json_object *ev = events_json(&s->rec.events), *sk = arms_skipped(sc, s->o);

		*records = reps_judge(sc, s->phases, ev, guard_interrupted() ? "interrupted" : "error");
		verdicts = reps_verdicts(sc, *records, sk);
		json_object_put(ev);
		json_object_put(sk);
		return verdicts;
	}
	verdicts = verdicts_expected(sc, &s->rec.events, skip_reason);
	for (size_t i = 0; i < json_object_array_length(s->step_verdicts); i++)
		json_object_array_add(verdicts,
				      json_object_get(json_object_array_get_idx(s->step_verdicts, i)));
	return verdicts;
}

int cmd_run(int argc, char **argv)
{
	static struct scenario sc;
	struct run_opts o = { 0 };
	struct run_state s = { .sc = &sc, .o = &o };
	json_object *summary, *verdicts, *manifest, *records;
	char err[1024], *dflt = NULL, skip[256];
	const char *path;
	unsigned reps;
	int code;

	if (parse_opts(argc, argv, &o, &path))
		return EXIT_USAGE;
	if (scenario_load(path, &sc, err, sizeof(err))) {
		fprintf(stderr, "allocrepro: %s\n", err);
		return EXIT_USAGE;
	}
	reps = o.repeat ? o.repeat : sc.repetitions;
	if (o.dry_run) {
		if (o.arm && !scenario_arm(&sc, o.arm)) {
			log_msg("--arm: %s has no arm '%s'", path, o.arm);
			return EXIT_USAGE;
		}
		sc.repetitions = reps;
		arms_plan(stdout, &sc, o.arm);
		if (scenario_changes_settings(&sc) && !machine_is_lab() && !o.destructive)
			printf("not a lab machine: a real run needs --destructive "
			       "(or ALLOCREPRO_LAB=1, /etc/allocrepro/lab)\n");
		return 0;
	}
	code = preflight(&sc, &o);
	if (code)
		return code;
	if (!o.seed_set)
		o.seed = sc.seed;
	if (!o.kmod)
		o.kmod = default_kmod();
	if (!o.results)
		o.results = dflt = xasprintf("runs/%s-%ld", sc.name, (long)time(NULL));
	/* an arm with a kernel or topology of its own brings its own machine */
	if (o.arm && arm_needs_boot(scenario_arm(&sc, o.arm)))
		skip[0] = '\0';
	else
		requirements(&sc, skip, sizeof(skip));
	protect_from_oom();
	if (journal_open(&s.journal))
		return EXIT_INFRA;
	catch_signals();
	if (results_open(&s.res, o.results, o.stream)) {
		journal_close(&s.journal, NULL);
		return EXIT_INFRA;
	}
	manifest = manifest_build(&sc, o.seed, reps);
	results_write_json(&s.res, "manifest.json", manifest);
	json_object_put(manifest);
	snapshot_proc(&s.res, "start");
	if (recorder_start(&s.rec, &s.res, o.from_boot))
		return EXIT_INFRA;
	s.phases = json_object_new_array();
	s.step_verdicts = json_object_new_array();
	if (skip[0])
		log_msg("%s: SKIP: %s", sc.name, skip);
	{
		json_object *sk = arms_skipped(&sc, &o);

		for (int a = 0; a < sc.narms && !skip[0] && !s.infra_error && !guard_interrupted(); a++) {
			if (json_object_object_get_ex(sk, sc.arms[a].name, NULL))
				continue;
			s.arm = &sc.arms[a];
			run_arm(&s, reps);
		}
		json_object_put(sk);
	}
	s.arm = &sc.arms[0];
	stop_workloads(&s);
	/* cgroups, files, pins and sysctls: undone now, not left for restore */
	if (journal_close(&s.journal, stderr))
		log_msg("some changes could not be undone; see above, then: allocrepro restore");
	if (guard_interrupted())
		log_msg("interrupted by signal %d: workloads stopped, changes undone", guard_interrupted());
	/* Let the last report reach /dev/kmsg and go quiet before judging. */
	sleep_ms(skip[0] ? 0 : 2000);
	recorder_stop(&s.rec);
	snapshot_proc(&s.res, "end");

	verdicts = judge(&s, skip, &records);
	json_object_put(s.step_verdicts);
	summary = summary_new(sc.name, guard_interrupted() ? "interrupted" : s.infra_error ? "error" :
			      skip[0] ? "skipped" : "completed", skip);
	json_object_object_add(summary, "verdicts", verdicts);
	if (records)
		json_object_object_add(summary, "repetitions", records);
	json_object_object_add(summary, "phases", s.phases);
	json_object_object_add(summary, "recorder", recorder_json(&s.rec));
	code = results_finish(&s.res, summary, s.infra_error || guard_interrupted() ? EXIT_INFRA : 0);
	results_end(&s.res, code);
	event_list_free(&s.rec.events);
	results_close(&s.res);
	free(dflt);
	return code;
}
