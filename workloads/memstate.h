/*
 * The machine's memory state as workloads measure their targets: meminfo
 * (whole machine or one node), zones with watermarks from /proc/zoneinfo,
 * and the unusable free space index from /proc/buddyinfo.
 */
#ifndef ALLOCREPRO_MEMSTATE_H
#define ALLOCREPRO_MEMSTATE_H

#include <stdbool.h>
#include "parse/event.h"

/* /proc/meminfo, or node's meminfo when node >= 0; -1 if absent. */
long ms_meminfo_kb(int node, const char *key);
/* Zones of /proc/zoneinfo into e (free, min, low, high, managed, protection). */
int ms_zones(struct event *e);
/* Unusable free space index at order over all zones (zone NULL) or the
 * zones of that name; -1 when buddyinfo cannot be read. */
double ms_unusable_index(int order, const char *zone);

/* The zone with the most free pages (where user memory comes from), its
 * free kB and the kB of it in blocks of order or more; false if unknown. */
bool ms_main_zone(int order, char *zone, unsigned size, long *free_kb, long *usable_kb);

/* A node as a user page allocation sees it (GFP_HIGHUSER_MOVABLE, order 0). */
struct ms_node {
	long free_kb, managed_kb;
	long low_kb;		/* sum over zones of low + lowmem_reserve */
	long min_kb;		/* sum over zones of min + lowmem_reserve */
	long high_kb;		/* sum over zones of high + lowmem_reserve */
	bool below_low;		/* every zone fails the low watermark check */
	int nzones;
};
/* false when the node has no zone with managed pages. */
bool ms_node_state(const struct event *zones, int node, struct ms_node *out);
/* Nodes with memory, as the kernel numbers them: count, up to max ids. */
int ms_nodes(int *ids, int max);

#endif
