/* The scenario's sections other than its steps: lab, expect, sysctls,
 * mitigations (arms) and requires. */
#include "sections.h"
#include "scenario.h"
#include "parse/kmod_proto.h"
#include "util/util.h"

#include <stdio.h>
#include <string.h>

bool lab_topology_valid(const char *name)
{
	static const char *const known[] = { "uma", "numa2", "numa4", "movable", "highmem" };

	for (size_t i = 0; i < ARRAY_LEN(known); i++)
		if (!strcmp(name, known[i]))
			return true;
	return false;
}

int sc_lab_pair(struct yctx *c, const char *key, yaml_node_t *v, void *obj)
{
	struct scenario *sc = obj;

	if (!strcmp(key, "memory_mb"))
		return yuint(c, v, key, 128, 1 << 20, &sc->lab_memory_mb);
	if (!strcmp(key, "cpus"))
		return yuint(c, v, key, 1, 64, &sc->lab_cpus);
	if (!strcmp(key, "kernel"))
		return ystring(c, v, key, sc->lab_kernel, sizeof(sc->lab_kernel));
	if (!strcmp(key, "topology")) {
		if (ystring(c, v, key, sc->lab_topology, sizeof(sc->lab_topology)))
			return -1;
		if (!lab_topology_valid(sc->lab_topology))
			return yfail(c, v, "topology: '%s' is not one of uma, numa2, numa4, movable, "
				    "highmem", sc->lab_topology);
		return 0;
	}
	if (!strcmp(key, "disk_mb"))
		return yuint(c, v, key, 64, 1 << 20, &sc->lab_disk_mb);
	if (!strcmp(key, "boot_per_repetition"))
		return ybool(c, v, key, &sc->boot_per_repetition);
	if (!strcmp(key, "fresh")) {
		const char *s = yscalar(v);

		if (!s || (strcmp(s, "snapshot") && strcmp(s, "boot")))
			return yfail(c, v, "fresh: expected snapshot or boot");
		sc->lab_fresh_boot = !strcmp(s, "boot");
		return 0;
	}
	if (!strcmp(key, "cgroup")) {
		const char *s = yscalar(v);

		if (!s || (strcmp(s, "v1") && strcmp(s, "v2")))
			return yfail(c, v, "cgroup: expected v1 or v2");
		sc->lab_cgroup = s[1] == '1' ? 1 : 2;
		return 0;
	}
	return 1;
}

int sc_expect_pair(struct yctx *c, const char *key, yaml_node_t *v, void *obj)
{
	struct sc_expect *e = obj;

	if (!strcmp(key, "id")) {
		if (ystring(c, v, key, e->id, sizeof(e->id)))
			return -1;
		if (!yvalid_id(e->id))
			return yfail(c, v, "id: only letters, digits, '_', '.' and '-' are allowed");
		return 0;
	}
	if (!strcmp(key, "event")) {
		const char *s = yscalar(v);

		for (int t = EV_ALLOC_FAILURE; t <= EV_MEMCG_OOM; t++)
			if (s && !strcmp(s, ev_type_name(t))) {
				e->type = t;
				e->has_event = true;
				return 0;
			}
		return yfail(c, v, "event: expected alloc_failure, vmalloc_failure, oom or memcg_oom");
	}
	if (!strcmp(key, "order")) {
		unsigned o;

		if (yuint(c, v, key, 0, KMOD_MAX_ORDER, &o))
			return -1;
		e->order = (int)o;
		return 0;
	}
	if (!strcmp(key, "gfp"))
		return ystring(c, v, key, e->gfp, sizeof(e->gfp));
	if (!strcmp(key, "min_count"))
		return yuint(c, v, key, 1, 1000000, &e->min_count);
	if (!strcmp(key, "probe_failures"))
		return yuint(c, v, key, 1, 1u << 30, &e->probe_failures);
	if (!strcmp(key, "scope")) {
		const char *sv = yscalar(v);

		if (!sv || (strcmp(sv, "run") && strcmp(sv, "repetition")))
			return yfail(c, v, "scope: expected 'repetition' (each must show it) or 'run' "
				    "(the baseline as a whole)");
		e->scope_run = !strcmp(sv, "run");
		return 0;
	}
	return 1;
}

/* A sysctl's dotted name, and a value of numbers separated by spaces
 * (lowmem_reserve_ratio takes one per zone). */
int sc_sysctls_map(struct yctx *c, yaml_node_t *map, const char *what, struct sc_sysctl *out,
		       int *n)
{
	if (!map || map->type != YAML_MAPPING_NODE)
		return yfail(c, map, "%s: expected a mapping of sysctl name to value", what);
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start;
	     p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *k = yaml_document_get_node(c->doc, p->key);
		yaml_node_t *v = yaml_document_get_node(c->doc, p->value);
		const char *name = yscalar(k), *val = yscalar(v);
		struct sc_sysctl *s;

		if (!name || !*name || strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789_.") !=
		    strlen(name) || name[0] == '.' || strstr(name, "..") || !strchr(name, '.'))
			return yfail(c, k, "%s: '%s' is not a sysctl name like vm.min_free_kbytes", what,
				    name ? name : "");
		if (!val || !*val || strspn(val, "0123456789 ") != strlen(val))
			return yfail(c, v, "%s: %s: expected numbers (separated by spaces)", what, name);
		if (*n == SC_MAX_SYSCTLS)
			return yfail(c, k, "%s: more than %d sysctls", what, SC_MAX_SYSCTLS);
		s = &out[(*n)++];
		if (strlen(name) >= sizeof(s->name) || strlen(val) >= sizeof(s->value))
			return yfail(c, k, "%s: %s: name or value too long", what, name);
		snprintf(s->name, sizeof(s->name), "%s", name);
		snprintf(s->value, sizeof(s->value), "%s", val);
		s->line = (int)k->start_mark.line + 1;
		for (int i = 0; i < *n - 1; i++)
			if (!strcmp(out[i].name, name))
				return yfail(c, k, "%s: %s is set twice", what, name);
	}
	return 0;
}

static int sc_arm_pair(struct yctx *c, const char *key, yaml_node_t *v, void *obj)
{
	struct sc_arm *a = obj;

	if (!strcmp(key, "name")) {
		if (ystring(c, v, key, a->name, sizeof(a->name)))
			return -1;
		if (!yvalid_id(a->name) || !strcmp(a->name, "baseline"))
			return yfail(c, v, "name: letters, digits, '_', '.', '-', and not 'baseline'");
		return 0;
	}
	if (!strcmp(key, "sysctls"))
		return sc_sysctls_map(c, v, "sysctls", a->sysctls, &a->nsysctls);
	if (!strcmp(key, "actions")) {
		if (!v || v->type != YAML_SEQUENCE_NODE)
			return yfail(c, v, "actions: expected a list (drop_caches, compact_memory)");
		for (yaml_node_item_t *i = v->data.sequence.items.start;
		     i < v->data.sequence.items.top; i++) {
			yaml_node_t *n = yaml_document_get_node(c->doc, *i);
			const char *s = yscalar(n);

			if (a->nactions == SC_MAX_ACTIONS)
				return yfail(c, n, "actions: more than %d", SC_MAX_ACTIONS);
			if (s && !strcmp(s, "drop_caches"))
				a->actions[a->nactions++] = ACT_DROP_CACHES;
			else if (s && !strcmp(s, "compact_memory"))
				a->actions[a->nactions++] = ACT_COMPACT_MEMORY;
			else
				return yfail(c, n, "actions: '%s' is not drop_caches or compact_memory",
					    s ? s : "");
		}
		return 0;
	}
	if (!strcmp(key, "boot")) {
		if (ystring(c, v, key, a->boot, sizeof(a->boot)))
			return -1;
		if (strspn(a->boot, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
				    "_.-=%,:/ ") != strlen(a->boot))
			return yfail(c, v, "boot: kernel parameters only (letters, digits, = , . / %% -)");
		return 0;
	}
	if (!strcmp(key, "kernel"))
		return ystring(c, v, key, a->kernel, sizeof(a->kernel));
	if (!strcmp(key, "topology")) {
		if (ystring(c, v, key, a->topology, sizeof(a->topology)))
			return -1;
		return lab_topology_valid(a->topology) ? 0 :
		       yfail(c, v, "topology: '%s' is not one of uma, numa2, numa4, movable, highmem",
			    a->topology);
	}
	if (!strcmp(key, "memory_mb"))
		return yuint(c, v, key, 128, 1 << 20, &a->memory_mb);
	return 1;
}

int sc_requires_pair(struct yctx *c, const char *key, yaml_node_t *v, void *obj)
{
	struct scenario *sc = obj;

	if (!strcmp(key, "nodes"))
		return yuint(c, v, key, 1, 1024, &sc->req_nodes);
	if (!strcmp(key, "zone")) {
		static const char *const z[] = { "DMA", "DMA32", "Normal", "HighMem", "Movable" };

		if (ystring(c, v, key, sc->req_zone, sizeof(sc->req_zone)))
			return -1;
		for (size_t i = 0; i < ARRAY_LEN(z); i++)
			if (!strcmp(z[i], sc->req_zone))
				return 0;
		return yfail(c, v, "zone: '%s' is not one of DMA, DMA32, Normal, HighMem, Movable",
			    sc->req_zone);
	}
	if (!strcmp(key, "arch")) {
		if (ystring(c, v, key, sc->req_arch, sizeof(sc->req_arch)))
			return -1;
		if (strcmp(sc->req_arch, "x86_64") && strcmp(sc->req_arch, "i386"))
			return yfail(c, v, "arch: expected x86_64 or i386");
		return 0;
	}
	return 1;
}

int sc_mitigations_list(struct yctx *c, struct scenario *sc, yaml_node_t *v)
{
	if (!v || v->type != YAML_SEQUENCE_NODE)
		return yfail(c, v, "mitigations: expected a list");
	for (yaml_node_item_t *i = v->data.sequence.items.start; i < v->data.sequence.items.top; i++) {
		yaml_node_t *n = yaml_document_get_node(c->doc, *i);
		struct sc_arm *a;

		if (sc->narms == SC_MAX_ARMS)
			return yfail(c, n, "mitigations: more than %d", SC_MAX_ARMS - 1);
		a = &sc->arms[sc->narms++];
		a->line = n ? (int)n->start_mark.line + 1 : 0;
		if (yeach_pair(c, n, "mitigation", "name, sysctls, actions, boot, kernel, topology, "
			      "memory_mb", sc_arm_pair, a))
			return -1;
		if (!a->name[0])
			return yfail(c, n, "mitigation: 'name' is required");
		if (!a->nsysctls && !a->nactions && !a->boot[0] && !a->kernel[0] && !a->topology[0] &&
		    !a->memory_mb)
			return yfail(c, n, "mitigation %s: changes nothing (sysctls, actions, boot, "
				    "kernel, topology or memory_mb)", a->name);
		for (int k = 0; k < sc->narms - 1; k++)
			if (!strcmp(sc->arms[k].name, a->name))
				return yfail(c, n, "mitigation %s: the name is used twice", a->name);
	}
	sc->statistical = true;
	return 0;
}
