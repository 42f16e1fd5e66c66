#include "memstate.h"
#include "parse/procfs.h"
#include "parse/procfs_zone.h"
#include "util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

long ms_meminfo_kb(int node, const char *key)
{
	char path[96], *t, *want;
	long kb = -1;

	if (node < 0)
		snprintf(path, sizeof(path), "/proc/meminfo");
	else
		snprintf(path, sizeof(path), "/sys/devices/system/node/node%d/meminfo", node);
	t = read_file(path, NULL);
	if (!t)
		return -1;
	if (node < 0) {
		kb = meminfo_kb(t, key);
	} else {
		/* "Node 0 MemFree:   123 kB" */
		want = xasprintf("Node %d %s:", node, key);
		for (char *s = t; s && *s; ) {
			if (!strncmp(s, want, strlen(want))) {
				kb = strtol(s + strlen(want), NULL, 10);
				break;
			}
			s = strchr(s, '\n');
			if (s)
				s++;
		}
		free(want);
	}
	free(t);
	return kb;
}

int ms_zones(struct event *e)
{
	char *t = read_file("/proc/zoneinfo", NULL);
	int n;

	event_init(e, EV_ALLOC_FAILURE);
	if (!t)
		return 0;
	n = zoneinfo_parse(t, (int)(sysconf(_SC_PAGESIZE) / 1024), e);
	free(t);
	return n;
}

double ms_unusable_index(int order, const char *zone)
{
	char *t = read_file("/proc/buddyinfo", NULL);
	struct buddyinfo b, only = { 0 };
	double u = -1;

	if (t && buddyinfo_parse(t, &b)) {
		if (zone) {
			for (int i = 0; i < b.nzones; i++)
				if (!strcmp(b.z[i].zone, zone))
					only.z[only.nzones++] = b.z[i];
			b = only;
		}
		if (b.nzones)
			u = buddyinfo_unusable_index(&b, order);
	}
	free(t);
	return u;
}

bool ms_main_zone(int order, char *zone, unsigned size, long *free_kb, long *usable_kb)
{
	char *t = read_file("/proc/buddyinfo", NULL);
	struct buddyinfo b;
	long page_kb = sysconf(_SC_PAGESIZE) / 1024;
	unsigned long best = 0;
	int bi = -1;

	if (!t || !buddyinfo_parse(t, &b)) {
		free(t);
		return false;
	}
	free(t);
	/* zones of one name on several nodes count together */
	for (int i = 0; i < b.nzones; i++) {
		unsigned long f = 0;

		for (int k = 0; k < b.nzones; k++)
			if (!strcmp(b.z[k].zone, b.z[i].zone))
				f += buddyinfo_free_pages(&b.z[k]);
		if (f > best) {
			best = f;
			bi = i;
		}
	}
	if (bi < 0)
		return false;
	snprintf(zone, size, "%s", b.z[bi].zone);
	*free_kb = *usable_kb = 0;
	for (int k = 0; k < b.nzones; k++) {
		if (strcmp(b.z[k].zone, zone))
			continue;
		*free_kb += (long)buddyinfo_free_pages(&b.z[k]) * page_kb;
		for (int o = order; o < b.z[k].n_orders; o++)
			*usable_kb += (long)(b.z[k].nr_free[o] << o) * page_kb;
	}
	return true;
}

bool ms_node_state(const struct event *zones, int node, struct ms_node *out)
{
	long page_kb = sysconf(_SC_PAGESIZE) / 1024;

	memset(out, 0, sizeof(*out));
	out->below_low = true;
	for (int i = 0; i < zones->nzones; i++) {
		const struct ev_zone *z = &zones->zones[i];
		/* A movable user page may use every zone: its highest zone
		 * index is the last entry of the protection array. */
		long reserve = z->n_reserve ? z->lowmem_reserve[z->n_reserve - 1] * page_kb : 0;

		if (z->node != node || z->managed_kb <= 0)
			continue;
		out->nzones++;
		out->free_kb += z->free_kb;
		out->managed_kb += z->managed_kb;
		out->low_kb += z->low_kb + reserve;
		out->min_kb += z->min_kb + reserve;
		out->high_kb += z->high_kb + reserve;
		if (z->free_kb > z->low_kb + reserve)
			out->below_low = false;
	}
	if (!out->nzones)
		out->below_low = false;
	return out->nzones > 0;
}

int ms_nodes(int *ids, int max)
{
	struct event e;
	int n = 0;

	ms_zones(&e);
	for (int i = 0; i < e.nzones; i++) {
		bool seen = false;

		if (e.zones[i].managed_kb <= 0)
			continue;
		for (int k = 0; k < n; k++)
			seen |= ids[k] == e.zones[i].node;
		if (!seen && n < max)
			ids[n++] = e.zones[i].node;
	}
	return n;
}
