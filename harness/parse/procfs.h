/* Pure parsers of /proc memory files, plus the kernel's fragmentation indices. */
#ifndef ALLOCREPRO_PROCFS_H
#define ALLOCREPRO_PROCFS_H

#include <stdbool.h>
#include <stddef.h>

#define BI_MAX_ZONES 16
#define BI_MAX_ORDERS 16

struct buddyinfo_zone {
	int node;
	char zone[16];
	int n_orders;
	unsigned long nr_free[BI_MAX_ORDERS];
};

struct buddyinfo {
	int nzones;
	struct buddyinfo_zone z[BI_MAX_ZONES];
};

/* "Node 0, zone   Normal   12  3 ..." lines; false if none parsed. */
bool buddyinfo_parse(const char *text, struct buddyinfo *out);
/* Free pages counted as the kernel does: sum of nr_free[k] * 2^k. */
unsigned long buddyinfo_free_pages(const struct buddyinfo_zone *z);
/* unusable free space index at an order, 0..1 (mm/vmstat.c). */
double unusable_index(const unsigned long *nr_free, int n_orders, int order);
/* The same over all zones together. */
double buddyinfo_unusable_index(const struct buddyinfo *b, int order);
/* A "Key:   123 kB" value from /proc/meminfo text, -1 if absent. */
long meminfo_kb(const char *text, const char *key);
/* AnonHugePages (kB) of the mapping holding addr in /proc/PID/smaps text;
 * -1 if no mapping holds it. */
long smaps_anon_huge_kb(const char *text, unsigned long addr);

#endif
