#include "procfs.h"
#include "event.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool buddyinfo_parse(const char *text, struct buddyinfo *out)
{
	const char *s = text;

	memset(out, 0, sizeof(*out));
	while (s && *s && out->nzones < BI_MAX_ZONES) {
		struct buddyinfo_zone *z = &out->z[out->nzones];
		const char *nl = strchr(s, '\n');
		int node, used = 0;
		char zone[16];

		if (sscanf(s, "Node %d, zone %15s%n", &node, zone, &used) == 2) {
			const char *p = s + used;
			char *end;

			z->node = node;
			snprintf(z->zone, sizeof(z->zone), "%s", zone);
			while (z->n_orders < BI_MAX_ORDERS) {
				unsigned long v = strtoul(p, &end, 10);

				if (end == p || (nl && end > nl))
					break;
				z->nr_free[z->n_orders] = (unsigned long)ev_clamp_blocks(v, z->n_orders);
				z->n_orders++;
				p = end;
			}
			if (z->n_orders)
				out->nzones++;
		}
		s = nl ? nl + 1 : NULL;
	}
	return out->nzones > 0;
}

unsigned long buddyinfo_free_pages(const struct buddyinfo_zone *z)
{
	unsigned long free = 0;

	for (int k = 0; k < z->n_orders; k++)
		free += z->nr_free[k] << k;
	return free;
}

double unusable_index(const unsigned long *nr_free, int n_orders, int order)
{
	unsigned long free = 0, suitable = 0;

	for (int k = 0; k < n_orders; k++) {
		free += nr_free[k] << k;
		if (k >= order)
			suitable += nr_free[k] << (k - order);
	}
	if (!free)
		return 1.0;
	return (double)(free - (suitable << order)) / (double)free;
}

double buddyinfo_unusable_index(const struct buddyinfo *b, int order)
{
	unsigned long sum[BI_MAX_ORDERS] = { 0 };
	int n = 0;

	for (int i = 0; i < b->nzones; i++) {
		for (int k = 0; k < b->z[i].n_orders; k++)
			sum[k] += b->z[i].nr_free[k];
		if (b->z[i].n_orders > n)
			n = b->z[i].n_orders;
	}
	return unusable_index(sum, n, order);
}

long meminfo_kb(const char *text, const char *key)
{
	size_t kl = strlen(key);

	for (const char *s = text; s && *s; ) {
		if (!strncmp(s, key, kl) && s[kl] == ':')
			return strtol(s + kl + 1, NULL, 10);
		s = strchr(s, '\n');
		if (s)
			s++;
	}
	return -1;
}

long smaps_anon_huge_kb(const char *text, unsigned long addr)
{
	bool in = false, found = false;

	for (const char *s = text; s && *s; ) {
		unsigned long lo, hi;
		char perms[8];
		int end = 0;

		/* a mapping's header: "lo-hi perms offset dev inode [path]";
		 * its fields follow as "Key:   value kB" lines */
		if (sscanf(s, "%lx-%lx %7s %n", &lo, &hi, perms, &end) == 3 && end > 0 &&
		    strlen(perms) == 4) {
			in = addr >= lo && addr < hi;
			found |= in;
		} else if (in && !strncmp(s, "AnonHugePages:", 14)) {
			return strtol(s + 14, NULL, 10);
		}
		s = strchr(s, '\n');
		if (s)
			s++;
	}
	return found ? 0 : -1;
}
