/*
 * /proc/zoneinfo and /proc/pagetypeinfo -> the zones of an event, so that
 * `snapshot` runs the same watermark model as `explain`.  Pure parsers.
 */
#ifndef ALLOCREPRO_PROCFS_ZONE_H
#define ALLOCREPRO_PROCFS_ZONE_H

#include "event.h"
#include "procfs.h"

/* Zones with managed pages: free/min/low/high/managed/present (kB, with
 * page_kb), protection as lowmem_reserve, nr_free_cma.  Returns the count. */
int zoneinfo_parse(const char *text, int page_kb, struct event *e);
/* Free blocks per order summed over types, and the letters of the types
 * with blocks, into the matching zones of e.  Returns zones filled. */
int pagetypeinfo_parse(const char *text, struct event *e);
/* A buddyinfo snapshot as the buddy lines of e's zones (explain --buddyinfo
 * for a log without a show_mem dump); zones that have buddy data keep it. */
void buddyinfo_attach(const struct buddyinfo *bi, struct event *e);

#endif
