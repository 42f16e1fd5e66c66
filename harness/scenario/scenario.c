#include "scenario.h"
#include "util/util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

struct ctx {
	const char *path;
	yaml_document_t *doc;
	char *err;
	size_t errlen;
};

static int fail(struct ctx *c, const yaml_node_t *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(struct ctx *c, const yaml_node_t *n, const char *fmt, ...)
{
	va_list ap;
	int o = snprintf(c->err, c->errlen, "%s:%zu:%zu: ", c->path,
			 n ? n->start_mark.line + 1 : 0,
			 n ? n->start_mark.column + 1 : 0);

	if (o < 0 || (size_t)o >= c->errlen)
		return -1;
	va_start(ap, fmt);
	vsnprintf(c->err + o, c->errlen - (size_t)o, fmt, ap);
	va_end(ap);
	return -1;
}

static const char *scalar(const yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

static int want_uint(struct ctx *c, const yaml_node_t *n, const char *key,
		     uint64_t lo, uint64_t hi, unsigned *out)
{
	uint64_t v;

	if (!parse_u64(scalar(n), &v))
		return fail(c, n, "%s: expected a whole number", key);
	if (v < lo || v > hi)
		return fail(c, n, "%s: %llu is out of range %llu..%llu", key,
			    (unsigned long long)v, (unsigned long long)lo,
			    (unsigned long long)hi);
	*out = (unsigned)v;
	return 0;
}

static int want_bool(struct ctx *c, const yaml_node_t *n, const char *key, bool *out)
{
	const char *s = scalar(n);

	if (s && (!strcmp(s, "true") || !strcmp(s, "yes")))
		*out = true;
	else if (s && (!strcmp(s, "false") || !strcmp(s, "no")))
		*out = false;
	else
		return fail(c, n, "%s: expected true or false", key);
	return 0;
}

static int want_string(struct ctx *c, const yaml_node_t *n, const char *key,
		       char *out, size_t size)
{
	const char *s = scalar(n);

	if (!s || !*s)
		return fail(c, n, "%s: expected a string", key);
	if (strlen(s) >= size)
		return fail(c, n, "%s: longer than %zu characters", key, size - 1);
	memcpy(out, s, strlen(s) + 1);
	return 0;
}

static bool valid_id(const char *s)
{
	for (; *s; s++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-", *s))
			return false;
	return true;
}

typedef int (*pair_fn)(struct ctx *c, const char *key, yaml_node_t *val, void *obj);

/* Walk a mapping; keys must be known (the callback returns 1 for unknown). */
static int each_pair(struct ctx *c, yaml_node_t *map, const char *what,
		     const char *known, pair_fn fn, void *obj)
{
	if (!map || map->type != YAML_MAPPING_NODE)
		return fail(c, map, "%s: expected a mapping", what);
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start;
	     p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *k = yaml_document_get_node(c->doc, p->key);
		yaml_node_t *v = yaml_document_get_node(c->doc, p->value);
		const char *key = scalar(k);
		int r;

		if (!key)
			return fail(c, k, "%s: keys must be plain strings", what);
		r = fn(c, key, v, obj);
		if (r == 1)
			return fail(c, k, "unknown key '%s' in %s (expected one of: %s)",
				    key, what, known);
		if (r)
			return r;
	}
	return 0;
}

bool lab_topology_valid(const char *name)
{
	static const char *const known[] = { "uma", "numa2", "numa4", "movable", "highmem" };

	for (size_t i = 0; i < ARRAY_LEN(known); i++)
		if (!strcmp(name, known[i]))
			return true;
	return false;
}

static int lab_pair(struct ctx *c, const char *key, yaml_node_t *v, void *obj)
{
	struct scenario *sc = obj;

	if (!strcmp(key, "memory_mb"))
		return want_uint(c, v, key, 128, 1 << 20, &sc->lab_memory_mb);
	if (!strcmp(key, "cpus"))
		return want_uint(c, v, key, 1, 64, &sc->lab_cpus);
	if (!strcmp(key, "kernel"))
		return want_string(c, v, key, sc->lab_kernel, sizeof(sc->lab_kernel));
	if (!strcmp(key, "topology")) {
		if (want_string(c, v, key, sc->lab_topology, sizeof(sc->lab_topology)))
			return -1;
		if (!lab_topology_valid(sc->lab_topology))
			return fail(c, v, "topology: '%s' is not one of uma, numa2, numa4, movable, "
				    "highmem", sc->lab_topology);
		return 0;
	}
	if (!strcmp(key, "disk_mb"))
		return want_uint(c, v, key, 64, 1 << 20, &sc->lab_disk_mb);
	if (!strcmp(key, "boot_per_repetition"))
		return want_bool(c, v, key, &sc->boot_per_repetition);
	if (!strcmp(key, "cgroup")) {
		const char *s = scalar(v);

		if (!s || (strcmp(s, "v1") && strcmp(s, "v2")))
			return fail(c, v, "cgroup: expected v1 or v2");
		sc->lab_cgroup = s[1] == '1' ? 1 : 2;
		return 0;
	}
	return 1;
}

static int keep_text(struct ctx *c, struct scenario *sc, const yaml_node_t *n, const char *what,
		     unsigned *off);

struct params_obj {
	struct scenario *sc;
	struct sc_step *st;
};

static int params_pair(struct ctx *c, const char *key, yaml_node_t *v, void *obj)
{
	struct params_obj *po = obj;
	struct sc_step *st = po->st;
	int i = wl_param_index(st->workload, key);
	const struct wl_param *p;
	const char *why;
	unsigned off;

	if (i < 0)
		return 1;
	p = &st->workload->params[i];
	if (!scalar(v))
		return fail(c, v, "%s: expected a value", key);
	if (p->type == WLP_STRING) {
		/* kept in the scenario's text pool: the step points there */
		if (keep_text(c, po->sc, v, key, &off))
			return -1;
		st->wl.s[i] = po->sc->text + off;
		return 0;
	}
	why = wl_param_set(st->workload, i, scalar(v), &st->wl);
	if (!why)
		return 0;
	if (p->type == WLP_CHOICE)
		return fail(c, v, "%s: '%s' is not one of %s", key, scalar(v), p->choices);
	if (!strcmp(why, "out of range"))
		return fail(c, v, "%s: %s is out of range %g..%g", key, scalar(v), p->min, p->max);
	return fail(c, v, "%s: %s", key, why);
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

/* A CPU or node number, or the word meaning "no choice" (-1). */
static int want_index(struct ctx *c, const yaml_node_t *n, const char *key, const char *none,
		      unsigned max, int *out)
{
	const char *s = scalar(n);
	unsigned v;

	if (s && !strcmp(s, none)) {
		*out = -1;
		return 0;
	}
	if (!parse_u64(s, &(uint64_t){ 0 }))
		return fail(c, n, "%s: expected a number or '%s'", key, none);
	if (want_uint(c, n, key, 0, max, &v))
		return -1;
	*out = (int)v;
	return 0;
}

static int probe_pair(struct ctx *c, const char *key, yaml_node_t *v, void *obj)
{
	struct sc_step *st = obj;
	struct kmod_probe *p = &st->probe;

	if (!strcmp(key, "probe"))
		return 0;	/* the step's kind, checked by the caller */
	if (!strcmp(key, "context")) {
		if (want_string(c, v, key, p->context, sizeof(p->context)))
			return -1;
		if (!kmod_context_valid(p->context))
			return fail(c, v, "context: '%s' is not one of process, irqoff, softirq, "
				    "tasklet, hardirq, workqueue", p->context);
		return 0;
	}
	if (!strcmp(key, "gfp")) {
		char bad[96];

		if (want_string(c, v, key, p->gfp, sizeof(p->gfp)))
			return -1;
		if (!kmod_gfp_valid(p->gfp, bad, sizeof(bad)))
			return fail(c, v, "gfp: '%s' is neither a GFP flag name nor a hex mask", bad);
		return 0;
	}
	if (!strcmp(key, "order"))
		return want_uint(c, v, key, 0, KMOD_MAX_ORDER, &p->order);
	if (!strcmp(key, "count"))
		return want_uint(c, v, key, 1, 1 << 20, &p->count);
	if (!strcmp(key, "burst"))
		return want_uint(c, v, key, 1, 1024, &p->burst);
	if (!strcmp(key, "interval_us"))
		return want_uint(c, v, key, 0, 10000000, &p->interval_us);
	if (!strcmp(key, "hold_ms"))
		return want_uint(c, v, key, 0, 600000, &p->hold_ms);
	if (!strcmp(key, "repeat"))
		return want_uint(c, v, key, 1, 10000, &st->repeat);
	if (!strcmp(key, "cpu"))
		return want_index(c, v, key, "any", 8191, &p->cpu);
	if (!strcmp(key, "cpu_node"))
		return want_index(c, v, key, "any", 1023, &st->cpu_node);
	if (!strcmp(key, "node"))
		return want_index(c, v, key, "local", 1023, &p->node);
	if (!strcmp(key, "free")) {
		const char *f = scalar(v);

		if (!f || (strcmp(f, "end") && strcmp(f, "immediate")))
			return fail(c, v, "free: expected 'end' (hold all) or 'immediate'");
		p->free_immediately = !strcmp(f, "immediate");
		return 0;
	}
	if (!strcmp(key, "comp"))
		return want_bool(c, v, key, &p->comp);
	if (!strcmp(key, "nowarn"))
		return want_bool(c, v, key, &p->nowarn);
	if (!strcmp(key, "until_fail"))
		return want_bool(c, v, key, &p->until_fail);
	return 1;
}

/* hugetlb and thp probes: how many 2 MiB pages, how often */
static int uprobe_pair(struct ctx *c, const char *key, yaml_node_t *v, void *obj)
{
	struct sc_step *st = obj;

	if (!strcmp(key, "probe"))
		return 0;
	if (!strcmp(key, "pages"))
		return want_uint(c, v, key, 1, 1 << 20, &st->pages);
	if (!strcmp(key, "hold_ms") && st->probe_kind == PROBE_HUGETLB)
		return want_uint(c, v, key, 0, 600000, &st->hold_ms);
	if (!strcmp(key, "repeat"))
		return want_uint(c, v, key, 1, 10000, &st->repeat);
	return 1;
}

static int pin_pair(struct ctx *c, const char *key, yaml_node_t *v, void *obj)
{
	struct kmod_pin *p = obj;

	if (!strcmp(key, "pin"))
		return 0;
	if (!strcmp(key, "node"))
		return want_index(c, v, key, "local", 1023, &p->node);
	if (!p->lowmem) {
		if (!strcmp(key, "blocks"))
			return want_uint(c, v, key, 0, 1 << 20, &p->blocks);
		if (!strcmp(key, "block_order"))
			return want_uint(c, v, key, 1, KMOD_MAX_ORDER, &p->block_order);
		if (!strcmp(key, "break_order"))
			return want_uint(c, v, key, 1, KMOD_MAX_ORDER, &p->break_order);
		return 1;
	}
	if (!strcmp(key, "zone")) {
		if (want_string(c, v, key, p->zone, sizeof(p->zone)))
			return -1;
		if (strcmp(p->zone, "DMA") && strcmp(p->zone, "DMA32") && strcmp(p->zone, "Normal"))
			return fail(c, v, "zone: '%s' is not a lowmem zone (DMA, DMA32, Normal)",
				    p->zone);
		return 0;
	}
	if (!strcmp(key, "margin_kb"))
		return want_uint(c, v, key, 0, 1u << 30, &p->margin_kb);
	return 1;
}

/* Keep a step's string in the scenario's own text pool. */
static int keep_text(struct ctx *c, struct scenario *sc, const yaml_node_t *n, const char *what,
		     unsigned *off)
{
	const char *s = scalar(n);
	size_t len = s ? strlen(s) : 0;

	if (!len)
		return fail(c, n, "%s: expected a non-empty string", what);
	if (len + 1 > sizeof(sc->text) - sc->text_used)
		return fail(c, n, "%s: the scenario's commands exceed %zu bytes in all", what,
			    sizeof(sc->text) - 1);
	memcpy(sc->text + sc->text_used, s, len + 1);
	*off = (unsigned)sc->text_used;
	sc->text_used += len + 1;
	return 0;
}

bool step_destructive(const struct sc_step *st)
{
	return st->kind == STEP_SYSRQ || st->kind == STEP_EXEC ||
	       (st->kind == STEP_PIN && st->pin.lowmem);
}

static int parse_step(struct ctx *c, struct scenario *sc, yaml_node_t *n, struct sc_step *st)
{
	yaml_node_t *kind_key = NULL, *kind_val = NULL;

	if (!n || n->type != YAML_MAPPING_NODE)
		return fail(c, n, "step: expected a mapping (workload, probe, pin, release, exec, "
			    "sleep_ms, sysrq, actions, snapshot)");
	st->line = (int)n->start_mark.line + 1;
	yaml_node_pair_t *first = n->data.mapping.pairs.start;

	if (first < n->data.mapping.pairs.top) {
		kind_key = yaml_document_get_node(c->doc, first->key);
		kind_val = yaml_document_get_node(c->doc, first->value);
	}
	const char *kind = scalar(kind_key);

	if (kind && !strcmp(kind, "workload")) {
		const char *name = scalar(kind_val);
		yaml_node_t *params = NULL;

		st->kind = STEP_WORKLOAD;
		st->min_oom_kills = st->max_oom_kills = -1;
		st->workload = name ? workload_find(name) : NULL;
		if (!st->workload)
			return fail(c, kind_val, "workload: unknown workload '%s' (allocrepro workload "
				    "--list)", name ? name : "");
		wl_args_default(st->workload, &st->wl);
		for (yaml_node_pair_t *p = first + 1; p < n->data.mapping.pairs.top; p++) {
			yaml_node_t *k = yaml_document_get_node(c->doc, p->key);
			yaml_node_t *v = yaml_document_get_node(c->doc, p->value);
			const char *key = scalar(k) ? scalar(k) : "";
			unsigned u;

			if (!strcmp(key, "params")) {
				params = v;
			} else if (!strcmp(key, "limit_mb")) {
				if (want_uint(c, v, key, 16, 1 << 24, &st->limit_mb))
					return -1;
			} else if (!strcmp(key, "min_oom_kills") || !strcmp(key, "max_oom_kills")) {
				if (want_uint(c, v, key, 0, 1000000, &u))
					return -1;
				*(key[1] == 'i' ? &st->min_oom_kills : &st->max_oom_kills) = (int)u;
			} else {
				return fail(c, k, "unknown key '%s' in workload step (expected: params, "
					    "limit_mb, min_oom_kills, max_oom_kills)", key);
			}
		}
		if (params) {
			char *known = param_names(st->workload);
			struct params_obj po = { sc, st };
			int r = each_pair(c, params, "workload params", known, params_pair, &po);

			free(known);
			return r;
		}
		return 0;
	}
	if (kind && !strcmp(kind, "probe")) {
		const char *what = scalar(kind_val);

		if (what && (!strcmp(what, "hugetlb") || !strcmp(what, "thp"))) {
			st->kind = STEP_PROBE;
			st->probe_kind = what[0] == 'h' ? PROBE_HUGETLB : PROBE_THP;
			st->repeat = 1;
			st->cpu_node = -1;
			st->pages = 1;
			return each_pair(c, n, "probe step", st->probe_kind == PROBE_HUGETLB ?
					 "probe, pages, hold_ms, repeat" : "probe, pages, repeat",
					 uprobe_pair, st);
		}
		if (!what || strcmp(what, "kmod"))
			return fail(c, kind_val, "probe: expected kmod, hugetlb or thp");
		st->kind = STEP_PROBE;
		st->probe_kind = PROBE_KMOD;
		st->repeat = 1;
		st->cpu_node = -1;
		st->probe = (struct kmod_probe){ .context = "softirq", .gfp = "GFP_ATOMIC",
						 .order = 0, .count = 1, .burst = 1, .cpu = -1,
						 .node = -1 };
		return each_pair(c, n, "probe step",
				 "probe, context, gfp, order, count, burst, interval_us, hold_ms, "
				 "repeat, cpu, cpu_node, node, free, comp, nowarn, until_fail", probe_pair, st);
	}
	if (kind && !strcmp(kind, "pin")) {
		const char *mode = scalar(kind_val);

		if (!mode || (strcmp(mode, "unmovable") && strcmp(mode, "lowmem")))
			return fail(c, kind_val, "pin: expected 'unmovable' or 'lowmem'");
		st->kind = STEP_PIN;
		st->pin = (struct kmod_pin){ .lowmem = !strcmp(mode, "lowmem"), .node = -1,
					     .break_order = 3, .margin_kb = 0 };
		if (each_pair(c, n, "pin step", st->pin.lowmem ? "pin, node, zone, margin_kb" :
			      "pin, node, blocks, block_order, break_order", pin_pair, &st->pin))
			return -1;
		if (st->pin.block_order && st->pin.break_order > st->pin.block_order)
			return fail(c, n, "pin: break_order %u is above block_order %u",
				    st->pin.break_order, st->pin.block_order);
		return 0;
	}
	if (kind && !strcmp(kind, "release") && n->data.mapping.pairs.top - first == 1) {
		const char *what = scalar(kind_val);

		if (!what || strcmp(what, "pins"))
			return fail(c, kind_val, "release: expected 'pins'");
		st->kind = STEP_RELEASE;
		return 0;
	}
	if (kind && !strcmp(kind, "exec") && n->data.mapping.pairs.top - first == 1) {
		st->kind = STEP_EXEC;
		return keep_text(c, sc, kind_val, "exec", &st->exec_off);
	}
	if (kind && !strcmp(kind, "actions") && n->data.mapping.pairs.top - first == 1) {
		const char *what = scalar(kind_val);

		if (!what || strcmp(what, "mitigation"))
			return fail(c, kind_val, "actions: expected 'mitigation' (the arm's one-shot "
				    "actions run here)");
		st->kind = STEP_ACTIONS;
		return 0;
	}
	if (kind && !strcmp(kind, "snapshot") && n->data.mapping.pairs.top - first == 1) {
		st->kind = STEP_SNAPSHOT;
		if (want_string(c, kind_val, "snapshot", st->name, sizeof(st->name)))
			return -1;
		if (!valid_id(st->name))
			return fail(c, kind_val, "snapshot: only letters, digits, '_', '.' and '-' "
				    "are allowed");
		return 0;
	}
	if (kind && !strcmp(kind, "sleep_ms") && n->data.mapping.pairs.top - first == 1) {
		st->kind = STEP_SLEEP;
		return want_uint(c, kind_val, "sleep_ms", 0, 3600000, &st->sleep_ms);
	}
	if (kind && !strcmp(kind, "sysrq") && n->data.mapping.pairs.top - first == 1) {
		const char *k = scalar(kind_val);

		st->kind = STEP_SYSRQ;
		if (!k || strlen(k) != 1 || !strchr("cmtwl", k[0]))
			return fail(c, kind_val, "sysrq: expected one of c, m, t, w, l");
		st->sysrq = k[0];
		return 0;
	}
	return fail(c, kind_key ? kind_key : n,
		    "step: must start with workload, probe, pin, or (alone) release, exec, sleep_ms, "
		    "sysrq, actions, snapshot");
}

static int expect_pair(struct ctx *c, const char *key, yaml_node_t *v, void *obj)
{
	struct sc_expect *e = obj;

	if (!strcmp(key, "id")) {
		if (want_string(c, v, key, e->id, sizeof(e->id)))
			return -1;
		if (!valid_id(e->id))
			return fail(c, v, "id: only letters, digits, '_', '.' and '-' are allowed");
		return 0;
	}
	if (!strcmp(key, "event")) {
		const char *s = scalar(v);

		for (int t = EV_ALLOC_FAILURE; t <= EV_MEMCG_OOM; t++)
			if (s && !strcmp(s, ev_type_name(t))) {
				e->type = t;
				e->has_event = true;
				return 0;
			}
		return fail(c, v, "event: expected alloc_failure, vmalloc_failure, oom or memcg_oom");
	}
	if (!strcmp(key, "order")) {
		unsigned o;

		if (want_uint(c, v, key, 0, KMOD_MAX_ORDER, &o))
			return -1;
		e->order = (int)o;
		return 0;
	}
	if (!strcmp(key, "gfp"))
		return want_string(c, v, key, e->gfp, sizeof(e->gfp));
	if (!strcmp(key, "min_count"))
		return want_uint(c, v, key, 1, 1000000, &e->min_count);
	if (!strcmp(key, "probe_failures"))
		return want_uint(c, v, key, 1, 1u << 30, &e->probe_failures);
	if (!strcmp(key, "scope")) {
		const char *sv = scalar(v);

		if (!sv || (strcmp(sv, "run") && strcmp(sv, "repetition")))
			return fail(c, v, "scope: expected 'repetition' (each must show it) or 'run' "
				    "(the baseline as a whole)");
		e->scope_run = !strcmp(sv, "run");
		return 0;
	}
	return 1;
}

static int want_ratio(struct ctx *c, const yaml_node_t *n, const char *key, double lo, double hi,
		      double *out)
{
	if (!parse_double(scalar(n), out) || *out < lo || *out > hi)
		return fail(c, n, "%s: expected a number from %g to %g", key, lo, hi);
	return 0;
}

/* A sysctl's dotted name, and a value of numbers separated by spaces
 * (lowmem_reserve_ratio takes one per zone). */
static int sysctls_map(struct ctx *c, yaml_node_t *map, const char *what, struct sc_sysctl *out,
		       int *n)
{
	if (!map || map->type != YAML_MAPPING_NODE)
		return fail(c, map, "%s: expected a mapping of sysctl name to value", what);
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start;
	     p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *k = yaml_document_get_node(c->doc, p->key);
		yaml_node_t *v = yaml_document_get_node(c->doc, p->value);
		const char *name = scalar(k), *val = scalar(v);
		struct sc_sysctl *s;

		if (!name || !*name || strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789_.") !=
		    strlen(name) || name[0] == '.' || strstr(name, "..") || !strchr(name, '.'))
			return fail(c, k, "%s: '%s' is not a sysctl name like vm.min_free_kbytes", what,
				    name ? name : "");
		if (!val || !*val || strspn(val, "0123456789 ") != strlen(val))
			return fail(c, v, "%s: %s: expected numbers (separated by spaces)", what, name);
		if (*n == SC_MAX_SYSCTLS)
			return fail(c, k, "%s: more than %d sysctls", what, SC_MAX_SYSCTLS);
		s = &out[(*n)++];
		if (strlen(name) >= sizeof(s->name) || strlen(val) >= sizeof(s->value))
			return fail(c, k, "%s: %s: name or value too long", what, name);
		snprintf(s->name, sizeof(s->name), "%s", name);
		snprintf(s->value, sizeof(s->value), "%s", val);
		s->line = (int)k->start_mark.line + 1;
		for (int i = 0; i < *n - 1; i++)
			if (!strcmp(out[i].name, name))
				return fail(c, k, "%s: %s is set twice", what, name);
	}
	return 0;
}

static int arm_pair(struct ctx *c, const char *key, yaml_node_t *v, void *obj)
{
	struct sc_arm *a = obj;

	if (!strcmp(key, "name")) {
		if (want_string(c, v, key, a->name, sizeof(a->name)))
			return -1;
		if (!valid_id(a->name) || !strcmp(a->name, "baseline"))
			return fail(c, v, "name: letters, digits, '_', '.', '-', and not 'baseline'");
		return 0;
	}
	if (!strcmp(key, "sysctls"))
		return sysctls_map(c, v, "sysctls", a->sysctls, &a->nsysctls);
	if (!strcmp(key, "actions")) {
		if (!v || v->type != YAML_SEQUENCE_NODE)
			return fail(c, v, "actions: expected a list (drop_caches, compact_memory)");
		for (yaml_node_item_t *i = v->data.sequence.items.start;
		     i < v->data.sequence.items.top; i++) {
			yaml_node_t *n = yaml_document_get_node(c->doc, *i);
			const char *s = scalar(n);

			if (a->nactions == SC_MAX_ACTIONS)
				return fail(c, n, "actions: more than %d", SC_MAX_ACTIONS);
			if (s && !strcmp(s, "drop_caches"))
				a->actions[a->nactions++] = ACT_DROP_CACHES;
			else if (s && !strcmp(s, "compact_memory"))
				a->actions[a->nactions++] = ACT_COMPACT_MEMORY;
			else
				return fail(c, n, "actions: '%s' is not drop_caches or compact_memory",
					    s ? s : "");
		}
		return 0;
	}
	if (!strcmp(key, "boot")) {
		if (want_string(c, v, key, a->boot, sizeof(a->boot)))
			return -1;
		if (strspn(a->boot, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
				    "_.-=%,: ") != strlen(a->boot))
			return fail(c, v, "boot: kernel parameters only (letters, digits, = , . %% -)");
		return 0;
	}
	if (!strcmp(key, "kernel"))
		return want_string(c, v, key, a->kernel, sizeof(a->kernel));
	if (!strcmp(key, "topology")) {
		if (want_string(c, v, key, a->topology, sizeof(a->topology)))
			return -1;
		return lab_topology_valid(a->topology) ? 0 :
		       fail(c, v, "topology: '%s' is not one of uma, numa2, numa4, movable, highmem",
			    a->topology);
	}
	if (!strcmp(key, "memory_mb"))
		return want_uint(c, v, key, 128, 1 << 20, &a->memory_mb);
	return 1;
}

static int requires_pair(struct ctx *c, const char *key, yaml_node_t *v, void *obj)
{
	struct scenario *sc = obj;

	if (!strcmp(key, "nodes"))
		return want_uint(c, v, key, 1, 1024, &sc->req_nodes);
	if (!strcmp(key, "zone")) {
		static const char *const z[] = { "DMA", "DMA32", "Normal", "HighMem", "Movable" };

		if (want_string(c, v, key, sc->req_zone, sizeof(sc->req_zone)))
			return -1;
		for (size_t i = 0; i < ARRAY_LEN(z); i++)
			if (!strcmp(z[i], sc->req_zone))
				return 0;
		return fail(c, v, "zone: '%s' is not one of DMA, DMA32, Normal, HighMem, Movable",
			    sc->req_zone);
	}
	if (!strcmp(key, "arch")) {
		if (want_string(c, v, key, sc->req_arch, sizeof(sc->req_arch)))
			return -1;
		if (strcmp(sc->req_arch, "x86_64") && strcmp(sc->req_arch, "i386"))
			return fail(c, v, "arch: expected x86_64 or i386");
		return 0;
	}
	return 1;
}

static int mitigations_list(struct ctx *c, struct scenario *sc, yaml_node_t *v)
{
	if (!v || v->type != YAML_SEQUENCE_NODE)
		return fail(c, v, "mitigations: expected a list");
	for (yaml_node_item_t *i = v->data.sequence.items.start; i < v->data.sequence.items.top; i++) {
		yaml_node_t *n = yaml_document_get_node(c->doc, *i);
		struct sc_arm *a;

		if (sc->narms == SC_MAX_ARMS)
			return fail(c, n, "mitigations: more than %d", SC_MAX_ARMS - 1);
		a = &sc->arms[sc->narms++];
		a->line = n ? (int)n->start_mark.line + 1 : 0;
		if (each_pair(c, n, "mitigation", "name, sysctls, actions, boot, kernel, topology, "
			      "memory_mb", arm_pair, a))
			return -1;
		if (!a->name[0])
			return fail(c, n, "mitigation: 'name' is required");
		if (!a->nsysctls && !a->nactions && !a->boot[0] && !a->kernel[0] && !a->topology[0] &&
		    !a->memory_mb)
			return fail(c, n, "mitigation %s: changes nothing (sysctls, actions, boot, "
				    "kernel, topology or memory_mb)", a->name);
		for (int k = 0; k < sc->narms - 1; k++)
			if (!strcmp(sc->arms[k].name, a->name))
				return fail(c, n, "mitigation %s: the name is used twice", a->name);
	}
	sc->statistical = true;
	return 0;
}

static int top_pair(struct ctx *c, const char *key, yaml_node_t *v, void *obj)
{
	struct scenario *sc = obj;

	if (!strcmp(key, "repetitions")) {
		sc->statistical = true;
		return want_uint(c, v, key, 1, 10000, &sc->repetitions);
	}
	if (!strcmp(key, "alpha"))
		return want_ratio(c, v, key, 1e-9, 0.5, &sc->alpha);
	if (!strcmp(key, "reproduce_ratio"))
		return want_ratio(c, v, key, 0.01, 1, &sc->reproduce_ratio);
	if (!strcmp(key, "sysctls"))
		return sysctls_map(c, v, "sysctls", sc->sysctls, &sc->nsysctls);
	if (!strcmp(key, "mitigations"))
		return mitigations_list(c, sc, v);
	if (!strcmp(key, "requires"))
		return each_pair(c, v, "requires", "nodes, zone, arch", requires_pair, sc);

	if (!strcmp(key, "name")) {
		if (want_string(c, v, key, sc->name, sizeof(sc->name)))
			return -1;
		if (!valid_id(sc->name))
			return fail(c, v, "name: only letters, digits, '_', '.' and '-' are allowed");
		return 0;
	}
	if (!strcmp(key, "description"))
		return scalar(v) ? 0 : fail(c, v, "description: expected a string");
	if (!strcmp(key, "seed")) {
		uint64_t s;

		if (!parse_u64(scalar(v), &s))
			return fail(c, v, "seed: expected a whole number");
		sc->seed = s;
		return 0;
	}
	if (!strcmp(key, "timeout_s"))
		return want_uint(c, v, key, 1, 86400, &sc->timeout_s);
	if (!strcmp(key, "lab"))
		return each_pair(c, v, "lab", "memory_mb, cpus, kernel, topology, disk_mb, cgroup, "
				 "boot_per_repetition", lab_pair, sc);
	if (!strcmp(key, "steps") || !strcmp(key, "expect")) {
		bool steps = key[0] == 's';

		if (!v || v->type != YAML_SEQUENCE_NODE)
			return fail(c, v, "%s: expected a list", key);
		for (yaml_node_item_t *i = v->data.sequence.items.start;
		     i < v->data.sequence.items.top; i++) {
			yaml_node_t *n = yaml_document_get_node(c->doc, *i);

			if (steps) {
				if (sc->nsteps == SC_MAX_STEPS)
					return fail(c, n, "steps: more than %d", SC_MAX_STEPS);
				if (parse_step(c, sc, n, &sc->steps[sc->nsteps++]))
					return -1;
			} else {
				struct sc_expect *e;

				if (sc->nexpect == SC_MAX_EXPECT)
					return fail(c, n, "expect: more than %d", SC_MAX_EXPECT);
				e = &sc->expect[sc->nexpect++];
				*e = (struct sc_expect){ .order = -1, .min_count = 1,
							 .line = (int)n->start_mark.line + 1 };
				if (each_pair(c, n, "expect entry",
					      "id, event, order, gfp, min_count, probe_failures, scope",
					      expect_pair, e))
					return -1;
				if (!e->id[0])
					return fail(c, n, "expect entry: 'id' is required");
				if (e->has_event == !!e->probe_failures)
					return fail(c, n, "expect entry %s: give either 'event' or "
						    "'probe_failures'", e->id);
			}
		}
		return 0;
	}
	return 1;
}

/* What single keys cannot say: a statistical scenario judges repetitions
 * by its expect entries; an arm's actions need a place in the steps. */
static int scenario_check(struct ctx *c, yaml_node_t *root, struct scenario *sc)
{
	bool actions_step = false;

	for (int i = 0; i < sc->nsteps; i++)
		actions_step |= sc->steps[i].kind == STEP_ACTIONS;
	int per_rep = 0;

	for (int i = 0; i < sc->nexpect; i++)
		per_rep += !sc->expect[i].scope_run;
	if (sc->statistical && !per_rep)
		return fail(c, root, "scenario: repetitions and mitigations are judged by 'expect'; "
			    "it lists nothing judged per repetition");
	for (int a = 1; a < sc->narms; a++)
		if (sc->arms[a].nactions && !actions_step) {
			c->path = sc->path;
			snprintf(c->err, c->errlen, "%s:%d:1: mitigation %s has actions but no step "
				 "says where ('- actions: mitigation')", sc->path, sc->arms[a].line,
				 sc->arms[a].name);
			return -1;
		}
	return 0;
}

const struct sc_arm *scenario_arm(const struct scenario *sc, const char *name)
{
	for (int i = 0; i < sc->narms; i++)
		if (!strcmp(sc->arms[i].name, name))
			return &sc->arms[i];
	return NULL;
}

bool scenario_needs_kmod(const struct scenario *sc)
{
	for (int i = 0; i < sc->nsteps; i++) {
		const struct sc_step *st = &sc->steps[i];

		if ((st->kind == STEP_PROBE && st->probe_kind == PROBE_KMOD) ||
		    st->kind == STEP_PIN || st->kind == STEP_RELEASE)
			return true;
	}
	return false;
}

int scenario_load(const char *path, struct scenario *sc, char *err, size_t errlen)
{
	struct ctx c = { .path = path, .err = err, .errlen = errlen };
	yaml_parser_t parser;
	yaml_document_t doc;
	size_t len;
	char *text = read_file(path, &len);
	int ret = -1;

	memset(sc, 0, sizeof(*sc));
	if (!text) {
		snprintf(err, errlen, "%s: cannot read: %m", path);
		return -1;
	}
	snprintf(sc->path, sizeof(sc->path), "%s", path);
	sha256_hex(text, len, sc->hash);
	sc->timeout_s = 300;
	sc->lab_memory_mb = 1024;
	sc->lab_cpus = 2;
	sc->lab_cgroup = 2;
	sc->repetitions = 1;
	sc->alpha = 0.05;
	sc->reproduce_ratio = 0.5;
	sc->narms = 1;
	snprintf(sc->arms[0].name, sizeof(sc->arms[0].name), "baseline");
	yaml_parser_initialize(&parser);
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	if (!yaml_parser_load(&parser, &doc)) {
		snprintf(err, errlen, "%s:%zu:%zu: YAML syntax error: %s%s%s", path,
			 parser.problem_mark.line + 1, parser.problem_mark.column + 1,
			 parser.problem ? parser.problem : "unknown",
			 parser.context ? " " : "", parser.context ? parser.context : "");
		yaml_parser_delete(&parser);
		free(text);
		return -1;
	}
	c.doc = &doc;
	yaml_node_t *root = yaml_document_get_root_node(&doc);

	if (!root)
		fail(&c, NULL, "empty scenario");
	else if (!each_pair(&c, root, "scenario",
			    "name, description, seed, timeout_s, lab, steps, expect, repetitions, "
			    "alpha, reproduce_ratio, sysctls, mitigations, requires",
			    top_pair, sc)) {
		if (!sc->name[0])
			fail(&c, root, "scenario: 'name' is required");
		else if (!sc->nsteps)
			fail(&c, root, "scenario: 'steps' must list at least one step");
		else if (!scenario_check(&c, root, sc))
			ret = 0;
	}
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	free(text);
	return ret;
}
