/*
 * - workload: NAME        start a workload (workloads/) in its own memory
 *   params: {...}         cgroup and wait until it holds its target; its
 *   limit_mb: N           targets and the cgroup's OOM kills become verdicts
 *   min_oom_kills: N      when it is stopped at the end of the repetition.
 *   max_oom_kills: N
 */
#include "steps.h"
#include "runner/run.h"
#include "scenario/yaml_in.h"
#include "util/util.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct workload_step {
	const struct workload_ops *ops;
	struct wl_args wl;
	unsigned limit_mb;		/* its memory cgroup's limit, 0 none */
	int min_oom_kills, max_oom_kills;	/* -1: not judged */
};
STEP_DATA_FITS(struct workload_step);

struct params_obj {
	struct scenario *sc;
	struct workload_step *w;
};

static int params_pair(struct yctx *c, const char *key, yaml_node_t *v, void *obj)
{
	struct params_obj *po = obj;
	struct workload_step *w = po->w;
	int i = wl_param_index(w->ops, key);
	const struct wl_param *p;
	const char *why;
	unsigned off;

	if (i < 0)
		return 1;
	p = &w->ops->params[i];
	if (!yscalar(v))
		return yfail(c, v, "%s: expected a value", key);
	if (p->type == WLP_STRING) {
		/* kept in the scenario's text pool: the step points there */
		if (ykeep_text(c, po->sc, v, key, &off))
			return -1;
		w->wl.s[i] = po->sc->text + off;
		return 0;
	}
	why = wl_param_set(w->ops, i, yscalar(v), &w->wl);
	if (!why)
		return 0;
	if (p->type == WLP_CHOICE)
		return yfail(c, v, "%s: '%s' is not one of %s", key, yscalar(v), p->choices);
	if (!strcmp(why, "out of range"))
		return yfail(c, v, "%s: %s is out of range %g..%g", key, yscalar(v), p->min, p->max);
	return yfail(c, v, "%s: %s", key, why);
}

static char *param_names(const struct workload_ops *w)
{
	char *s = xstrdup("");

	for (int i = 0; w->params[i].name; i++) {
		char *n = xasprintf("%s%s%s", s, i ? ", " : "", w->params[i].name);

		free(s);
		s = n;
	}
	return s;
}

static int parse_params(struct yctx *c, struct scenario *sc, yaml_node_t *params,
			struct workload_step *w)
{
	char *known = param_names(w->ops);
	struct params_obj po = { sc, w };
	int r = yeach_pair(c, params, "workload params", known, params_pair, &po);

	free(known);
	return r;
}

static int parse(struct yctx *c, struct scenario *sc, yaml_node_t *n, struct sc_step *st)
{
	struct workload_step *w = STEP_DATA(struct workload_step, st);
	yaml_node_pair_t *first = n->data.mapping.pairs.start;
	yaml_node_t *kv = ystep_value(c, n);
	const char *name = yscalar(kv);
	yaml_node_t *params = NULL;

	w->min_oom_kills = w->max_oom_kills = -1;
	w->ops = name ? workload_find(name) : NULL;
	if (!w->ops)
		return yfail(c, kv, "workload: unknown workload '%s' (allocrepro workload --list)",
			     name ? name : "");
	wl_args_default(w->ops, &w->wl);
	for (yaml_node_pair_t *p = first + 1; p < n->data.mapping.pairs.top; p++) {
		yaml_node_t *k = yaml_document_get_node(c->doc, p->key);
		yaml_node_t *v = yaml_document_get_node(c->doc, p->value);
		const char *key = yscalar(k) ? yscalar(k) : "";
		unsigned u;

		if (!strcmp(key, "params")) {
			params = v;
		} else if (!strcmp(key, "limit_mb")) {
			if (yuint(c, v, key, 16, 1 << 24, &w->limit_mb))
				return -1;
		} else if (!strcmp(key, "min_oom_kills") || !strcmp(key, "max_oom_kills")) {
			if (yuint(c, v, key, 0, 1000000, &u))
				return -1;
			*(key[1] == 'i' ? &w->min_oom_kills : &w->max_oom_kills) = (int)u;
		} else {
			return yfail(c, k, "unknown key '%s' in workload step (expected: params, "
				     "limit_mb, min_oom_kills, max_oom_kills)", key);
		}
	}
	return params ? parse_params(c, sc, params, w) : 0;
}

static unsigned needs(const struct scenario *sc, const struct sc_step *st)
{
	const struct workload_step *w = STEP_DATA(const struct workload_step, st);

	(void)sc;
	return STEP_NEEDS_ROOT | (!strcmp(w->ops->name, "stress-ng") ? STEP_USES_STRESSNG : 0);
}

/* The cgroup's OOM kills against the step's bounds. */
static void oom_verdicts(struct run_state *s, const struct workload_step *ws,
			 struct workload_proc *w, int rep, int idx)
{
	json_object *kills = NULL;
	long n = -1;

	if (w->memcg && json_object_object_get_ex(w->memcg, "oom_kill", &kills))
		n = (long)json_object_get_int64(kills);
	for (int k = 0; k < 2; k++) {
		int bound = k ? ws->max_oom_kills : ws->min_oom_kills;
		json_object *m;
		char *what;

		if (bound < 0)
			continue;
		m = json_object_new_object();
		json_object_object_add(m, "measured", json_object_new_int64(n));
		json_object_object_add(m, "op", json_object_new_string(k ? "<=" : ">="));
		json_object_object_add(m, "threshold", json_object_new_int(bound));
		what = xasprintf("%s.memcg_oom_kills_%s", ws->ops->name, k ? "max" : "min");
		run_step_verdict(s, idx, rep, what, n >= 0 && (k ? n <= bound : n >= bound), m);
		free(what);
	}
}

/* The workload's targets and its cgroup's OOM kills as verdicts. */
static void stopped(struct run_state *s, const struct sc_step *st, struct workload_proc *w,
		    int rep, int idx)
{
	const struct workload_step *ws = STEP_DATA(const struct workload_step, st);

	for (size_t i = 0; i < json_object_array_length(w->targets); i++) {
		json_object *t = json_object_array_get_idx(w->targets, i), *v, *copy = NULL;
		char *what;

		json_object_object_get_ex(t, "reached", &v);
		what = xasprintf("%s.%s", ws->ops->name,
				 json_object_get_string(json_object_object_get(t, "name")));
		json_object_deep_copy(t, &copy, NULL);
		run_step_verdict(s, idx, rep, what, json_object_get_boolean(v), copy);
		free(what);
	}
	oom_verdicts(s, ws, w, rep, idx);
}

static void run(struct run_state *s, const struct sc_step *st, int rep, int idx)
{
	const struct workload_step *ws = STEP_DATA(const struct workload_step, st);
	struct workload_proc *w = run_workload_slot(s, rep, idx, stopped);
	json_object *p = run_phase_new(s, rep, idx, "workload");
	char *tag = xasprintf("%ld-%d-%d", (long)getpid(), rep, idx);
	struct workload_ctx ctx = { .journal = &s->journal, .tag = tag,
				    .limit_bytes = (uint64_t)ws->limit_mb << 20,
				    .timeout_s = s->sc->timeout_s };
	struct wl_args a = ws->wl;
	int di = wl_param_index(ws->ops, "dir");
	int r;

	a.seed = run_step_seed(s, rep, idx);
	if (di >= 0 && !a.s[di])
		a.s[di] = getenv("ALLOCREPRO_SCRATCH");	/* the lab's ext4 */
	r = workload_proc_start(w, ws->ops, &a, &ctx);
	free(tag);
	json_object_object_add(p, "workload", json_object_new_string(ws->ops->name));
	json_object_object_add(p, "cgroup", json_object_new_string(w->fence.path));
	json_object_object_add(p, "metrics", json_object_get(w->metrics));
	json_object_object_add(p, "targets", json_object_get(w->targets));
	if (r) {
		log_msg("%s:%d: %s", s->sc->path, st->line, w->error);
		json_object_object_add(p, "error", json_object_new_string(w->error));
		s->infra_error = 1;
		run_phase_done(s, p, "error");
		return;
	}
	run_phase_done(s, p, "ready");
}

const struct step_kind step_workload = {
	.key = "workload",
	.keys = "workload, params, limit_mb, min_oom_kills, max_oom_kills",
	.parse = parse,
	.needs = needs,
	.run = run,
};
