/*
 * - probe: kmod       the helper module allocates from a kernel context
 *   context, gfp, order, count, burst, interval_us, hold_ms, repeat, cpu,
 *   cpu_node, node, free, comp, nowarn, until_fail
 * - probe: hugetlb    order-9 pages through vm.nr_hugepages (pages, hold_ms,
 *                     repeat): works where no module can be loaded
 * - probe: thp        transparent huge page faults in a child (pages, repeat)
 * Each run of the probe is a phase; the failures are counted in its metrics.
 */
#include "steps.h"
#include "runner/probe_kmod.h"
#include "runner/probe_user.h"
#include "runner/run.h"
#include "scenario/yaml_in.h"
#include "safety/journal.h"
#include "util/util.h"
#include "workloads/numabind.h"

#include <stdio.h>
#include <string.h>

enum probe_kind {
	PROBE_KMOD,	/* the helper module, from a kernel context */
	PROBE_HUGETLB,	/* order-9 pages through vm.nr_hugepages */
	PROBE_THP,	/* transparent huge page faults in a child process */
};

struct probe_step {
	enum probe_kind kind;
	struct kmod_probe probe;
	unsigned repeat;	/* probe runs in this step */
	int cpu_node;		/* run on the first CPU of this node (-1: cpu decides) */
	unsigned pages;		/* hugetlb, thp: 2 MiB pages asked */
	unsigned hold_ms;	/* hugetlb: keep them this long */
};
STEP_DATA_FITS(struct probe_step);

static int kmod_context_key(struct yctx *c, yaml_node_t *v, struct kmod_probe *p)
{
	if (ystring(c, v, "context", p->context, sizeof(p->context)))
		return -1;
	if (!kmod_context_valid(p->context))
		return yfail(c, v, "context: '%s' is not one of process, irqoff, softirq, "
			     "tasklet, hardirq, workqueue", p->context);
	return 0;
}

static int kmod_gfp_key(struct yctx *c, yaml_node_t *v, struct kmod_probe *p)
{
	char bad[96];

	if (ystring(c, v, "gfp", p->gfp, sizeof(p->gfp)))
		return -1;
	if (!kmod_gfp_valid(p->gfp, bad, sizeof(bad)))
		return yfail(c, v, "gfp: '%s' is neither a GFP flag name nor a hex mask", bad);
	return 0;
}

/* One key of a kmod probe; a table of keys would hide their ranges. */
static int kmod_pair(struct yctx *c, const char *key, yaml_node_t *v, void *obj)
{
	struct probe_step *ps = obj;
	struct kmod_probe *p = &ps->probe;

	if (!strcmp(key, "probe"))
		return 0;	/* the step's kind, checked by the caller */
	if (!strcmp(key, "context"))
		return kmod_context_key(c, v, p);
	if (!strcmp(key, "gfp"))
		return kmod_gfp_key(c, v, p);
	if (!strcmp(key, "order"))
		return yuint(c, v, key, 0, KMOD_MAX_ORDER, &p->order);
	if (!strcmp(key, "count"))
		return yuint(c, v, key, 1, 1 << 20, &p->count);
	if (!strcmp(key, "burst"))
		return yuint(c, v, key, 1, 1024, &p->burst);
	if (!strcmp(key, "interval_us"))
		return yuint(c, v, key, 0, 10000000, &p->interval_us);
	if (!strcmp(key, "hold_ms"))
		return yuint(c, v, key, 0, 600000, &p->hold_ms);
	if (!strcmp(key, "repeat"))
		return yuint(c, v, key, 1, 10000, &ps->repeat);
	if (!strcmp(key, "cpu"))
		return yindex(c, v, key, "any", 8191, &p->cpu);
	if (!strcmp(key, "cpu_node"))
		return yindex(c, v, key, "any", 1023, &ps->cpu_node);
	if (!strcmp(key, "node"))
		return yindex(c, v, key, "local", 1023, &p->node);
	if (!strcmp(key, "free")) {
		const char *f = yscalar(v);

		if (!f || (strcmp(f, "end") && strcmp(f, "immediate")))
			return yfail(c, v, "free: expected 'end' (hold all) or 'immediate'");
		p->free_immediately = !strcmp(f, "immediate");
		return 0;
	}
	if (!strcmp(key, "comp"))
		return ybool(c, v, key, &p->comp);
	if (!strcmp(key, "nowarn"))
		return ybool(c, v, key, &p->nowarn);
	if (!strcmp(key, "until_fail"))
		return ybool(c, v, key, &p->until_fail);
	return 1;
}

/* hugetlb and thp probes: how many 2 MiB pages, how often */
static int user_pair(struct yctx *c, const char *key, yaml_node_t *v, void *obj)
{
	struct probe_step *ps = obj;

	if (!strcmp(key, "probe"))
		return 0;
	if (!strcmp(key, "pages"))
		return yuint(c, v, key, 1, 1 << 20, &ps->pages);
	if (!strcmp(key, "hold_ms") && ps->kind == PROBE_HUGETLB)
		return yuint(c, v, key, 0, 600000, &ps->hold_ms);
	if (!strcmp(key, "repeat"))
		return yuint(c, v, key, 1, 10000, &ps->repeat);
	return 1;
}

static int parse(struct yctx *c, struct scenario *sc, yaml_node_t *n, struct sc_step *st)
{
	struct probe_step *ps = STEP_DATA(struct probe_step, st);
	yaml_node_t *kv = ystep_value(c, n);
	const char *what = yscalar(kv);

	(void)sc;
	ps->repeat = 1;
	ps->cpu_node = -1;
	ps->pages = 1;
	if (what && (!strcmp(what, "hugetlb") || !strcmp(what, "thp"))) {
		ps->kind = what[0] == 'h' ? PROBE_HUGETLB : PROBE_THP;
		return yeach_pair(c, n, "probe step", ps->kind == PROBE_HUGETLB ?
				  "probe, pages, hold_ms, repeat" : "probe, pages, repeat",
				  user_pair, ps);
	}
	if (!what || strcmp(what, "kmod"))
		return yfail(c, kv, "probe: expected kmod, hugetlb or thp");
	ps->kind = PROBE_KMOD;
	ps->probe = (struct kmod_probe){ .context = "softirq", .gfp = "GFP_ATOMIC", .order = 0,
					 .count = 1, .burst = 1, .cpu = -1, .node = -1 };
	return yeach_pair(c, n, "probe step",
			  "probe, context, gfp, order, count, burst, interval_us, hold_ms, "
			  "repeat, cpu, cpu_node, node, free, comp, nowarn, until_fail", kmod_pair, ps);
}

static unsigned needs(const struct scenario *sc, const struct sc_step *st)
{
	const struct probe_step *ps = STEP_DATA(const struct probe_step, st);

	(void)sc;
	switch (ps->kind) {
	case PROBE_KMOD: return STEP_NEEDS_KMOD | STEP_NEEDS_ROOT | STEP_PROBES;
	case PROBE_HUGETLB: return STEP_CHANGES_SETTINGS | STEP_NEEDS_ROOT | STEP_PROBES;
	case PROBE_THP: break;
	}
	return STEP_PROBES;
}

/* hugetlb or thp: a phase per run, the failures counted like the module's */
static void run_user(struct run_state *s, const struct sc_step *st, int rep, int idx)
{
	const struct probe_step *ps = STEP_DATA(const struct probe_step, st);

	for (unsigned i = 0; i < ps->repeat; i++) {
		/* the phase first: its marker in the kernel log dates what follows */
		json_object *p = run_phase_new(s, rep, idx, "probe"), *m;
		char err[512] = "";

		json_object_object_add(p, "probe", json_object_new_string(
			ps->kind == PROBE_HUGETLB ? "hugetlb" : "thp"));
		m = ps->kind == PROBE_HUGETLB ?
		    probe_hugetlb(s->journal.path, ps->pages, ps->hold_ms, err, sizeof(err)) :
		    probe_thp(ps->pages, err, sizeof(err));
		if (!m) {
			log_msg("%s:%d: %s", s->sc->path, st->line, err);
			json_object_object_add(p, "error", json_object_new_string(err));
			run_phase_done(s, p, "error");
			s->infra_error = 1;
			return;
		}
		json_object_object_add(p, "metrics", m);
		run_phase_done(s, p, "done");
	}
}

static void run(struct run_state *s, const struct sc_step *st, int rep, int idx)
{
	const struct probe_step *ps = STEP_DATA(const struct probe_step, st);
	struct kmod_probe probe = ps->probe;
	char cmd[512];

	if (ps->kind != PROBE_KMOD) {
		run_user(s, st, rep, idx);
		return;
	}
	if (!run_ensure_kmod(s, rep, idx, "probe"))
		return;
	if (ps->cpu_node >= 0) {
		probe.cpu = numabind_first_cpu(ps->cpu_node);
		if (probe.cpu < 0) {
			char err[64];

			snprintf(err, sizeof(err), "cpu_node %d has no CPU", ps->cpu_node);
			run_step_error(s, st, rep, idx, "probe", err);
			return;
		}
	}
	kmod_probe_command(&probe, cmd, sizeof(cmd));
	for (unsigned i = 0; i < ps->repeat; i++)
		if (!run_kmod_phase(s, st, rep, idx, "probe", cmd))
			return;
}

static void plan(FILE *out, const struct scenario *sc, const struct sc_step *st, int idx)
{
	const struct probe_step *ps = STEP_DATA(const struct probe_step, st);
	char cur[64];

	(void)sc;
	if (ps->kind == PROBE_HUGETLB && journal_sysctl_get("vm.nr_hugepages", cur, sizeof(cur)) == 0)
		fprintf(out, "step %d: would raise vm.nr_hugepages by %u (now %s), journaled, "
			"put back after\n", idx, ps->pages, cur);
}

const struct step_kind step_probe = {
	.key = "probe",
	.keys = "probe, and the probe's own keys",
	.parse = parse,
	.needs = needs,
	.run = run,
	.plan = plan,
};
