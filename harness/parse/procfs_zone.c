#include "procfs_zone.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int zoneinfo_parse(const char *text, int page_kb, struct event *e)
{
	struct ev_zone cur;
	bool have = false;
	const char *s = text;
	long managed = 0;

	while (s && *s) {
		const char *nl = strchr(s, '\n');
		char zone[16], key[32];
		int node, used = 0;
		long v;

		if (sscanf(s, "Node %d, zone %15s", &node, zone) == 2) {
			if (have && managed > 0 && e->nzones < EV_MAX_ZONES)
				e->zones[e->nzones++] = cur;
			ev_zone_init(&cur, node, zone);
			cur.page_kb = page_kb;
			have = true;
			managed = 0;
		} else if (have && strstr(s, "protection: (") &&
			   (!nl || strstr(s, "protection: (") < nl)) {
			const char *p = strchr(s, '(') + 1;
			char *end;

			cur.n_reserve = 0;
			while (cur.n_reserve < EV_MAX_RESERVE) {
				v = strtol(p, &end, 10);
				if (end == p)
					break;
				cur.lowmem_reserve[cur.n_reserve++] = ev_clamp(v);
				p = end + strspn(end, ", ");
			}
		} else if (have && sscanf(s, " %31s %ld%n", key, &v, &used) == 2 &&
			   (v = ev_clamp(v)) >= 0) {
			if (!strcmp(key, "min"))
				cur.min_kb = v * page_kb;
			else if (!strcmp(key, "low"))
				cur.low_kb = v * page_kb;
			else if (!strcmp(key, "high"))
				cur.high_kb = v * page_kb;
			else if (!strcmp(key, "boost"))
				cur.boost_kb = v * page_kb;
			else if (!strcmp(key, "present"))
				cur.present_kb = v * page_kb;
			else if (!strcmp(key, "managed"))
				cur.managed_kb = v * page_kb, managed = v;
			else if (!strcmp(key, "nr_free_cma"))
				cur.free_cma_kb = v * page_kb;
		} else if (have && sscanf(s, " pages free %ld", &v) == 1) {
			cur.free_kb = ev_clamp(v) * page_kb;
		}
		s = nl ? nl + 1 : NULL;
	}
	if (have && managed > 0 && e->nzones < EV_MAX_ZONES)
		e->zones[e->nzones++] = cur;
	for (int i = 0; i < e->nzones; i++)
		e->zones[i].has_wmark = e->zones[i].free_kb >= 0 && e->zones[i].min_kb >= 0;
	return e->nzones;
}

static char type_letter(const char *type)
{
	static const struct {
		const char *name;
		char letter;
	} map[] = {
		{ "Unmovable", 'U' }, { "Movable", 'M' }, { "Reclaimable", 'E' },
		{ "HighAtomic", 'H' }, { "CMA", 'C' }, { "Isolate", 'I' }, { "Reserve", 'R' },
	};

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (!strcmp(type, map[i].name))
			return map[i].letter;
	return '?';
}

int pagetypeinfo_parse(const char *text, struct event *e)
{
	const char *s = text;
	bool seen[EV_MAX_ZONES] = { false };
	int filled = 0;

	while (s && *s) {
		const char *nl = strchr(s, '\n');
		char zone[16], type[24];
		int node, used = 0;

		if (sscanf(s, "Node %d, zone %15[^,], type %23s%n", &node, zone, type, &used) == 3) {
			const char *z = zone + strspn(zone, " ");
			struct ev_zone *ez = event_zone(e, node, z, false);
			const char *p = s + used;
			char letter = type_letter(type);

			for (int k = 0; ez && k < EV_MAX_ORDERS; k++) {
				char *end;
				bool capped;
				long v;

				p += strspn(p, " ");
				capped = *p == '>';	/* ">100000" (5.4+): a capped list */
				v = strtol(p + capped, &end, 10);
				if (end == p + capped || (nl && end > nl))
					break;
				p = end;
				if (!seen[ez - e->zones]) {
					seen[ez - e->zones] = true;
					ez->n_orders = 0;
					memset(ez->buddy, 0, sizeof(ez->buddy));
					memset(ez->migratetypes, 0, sizeof(ez->migratetypes));
					filled++;
				}
				if (k >= ez->n_orders)
					ez->n_orders = k + 1;
				v = v < 0 ? 0 : ev_clamp_blocks((unsigned long)v, k);
				ez->buddy[k] = ev_clamp_blocks((unsigned long)(ez->buddy[k] + v), k);
				if (v > 0 && strlen(ez->migratetypes[k]) < 7 &&
				    !strchr(ez->migratetypes[k], letter))
					ez->migratetypes[k][strlen(ez->migratetypes[k])] = letter;
			}
		}
		s = nl ? nl + 1 : NULL;
	}
	return filled;
}

void buddyinfo_attach(const struct buddyinfo *bi, struct event *e)
{
	for (int i = 0; i < bi->nzones; i++) {
		const struct buddyinfo_zone *b = &bi->z[i];
		/* a dump without "Node N" names its zones with node -1 */
		struct ev_zone *z = event_zone(e, b->node, b->zone, false);

		if (!z)
			z = event_zone(e, -1, b->zone, false);
		if (z && z->n_orders)
			continue;
		if (!z && !(z = event_zone(e, b->node, b->zone, true)))
			return;
		z->n_orders = b->n_orders > EV_MAX_ORDERS ? EV_MAX_ORDERS : b->n_orders;
		for (int k = 0; k < z->n_orders; k++)
			z->buddy[k] = ev_clamp_blocks(b->nr_free[k], k);
	}
}
