/*
 * What to do about a diagnosed cause, each with its reason and the numbers
 * behind it: the sysctl values that would have kept the failing request
 * above its watermark, what cannot help and why.
 */
#include "diagnose_parts.h"

#include <stdio.h>
#include <string.h>

/* What the zones say beyond the first: free memory the request may not
 * use, and the sum of min over lowmem (for an absolute min_free_kbytes). */
struct zone_sums {
	long highmem_kb, lowmin_kb;
	bool all_min;
};

static void zone_sums(const struct diagnosis *d, const struct event *e, struct zone_sums *z)
{
	*z = (struct zone_sums){ .all_min = true };
	for (int i = 0; i < d->nzones; i++) {
		int t = zone_type_of(d->zones[i].zone);

		if (!d->zones[i].eligible && d->zones[i].free_pages > 0)
			z->highmem_kb += d->zones[i].free_pages * d->zones[i].page_kb;
		if (t == ZT_HIGHMEM || t == ZT_MOVABLE || t == ZT_DEVICE)
			continue;
		if (e->zones[i].min_kb < 0)
			z->all_min = false;
		else
			z->lowmin_kb += e->zones[i].min_kb;
	}
}

/* A double as a long, clamped: logs can carry absurd numbers (a damaged
 * line, a fuzzer's) and the conversion of one out of range is undefined. */
static long clamp_long(double v)
{
	return v >= 1e15 ? 1000000000000000L : v <= -1e15 ? -1000000000000000L : (long)v;
}

/* Only atomic callers depend on the headroom kswapd keeps; others reclaim
 * for themselves.  The low watermark must reach what the request needed. */
static void raise_watermarks(struct diagnosis *d, const struct event *e, const struct zone_sums *z)
{
	const struct dg_zone *g = &d->zones[d->first_zone];
	const struct ev_zone *ez = &e->zones[d->first_zone];
	long need_kb = (g->free_pages + g->wm.deficit) * g->page_kb;
	double f = (double)need_kb / (double)ez->low_kb;
	char act[192], lbl[32];

	if (f < 1.05)
		f = 1.05;
	if (z->all_min && z->lowmin_kb > 0)
		snprintf(act, sizeof(act), "vm.min_free_kbytes=%ld", clamp_long(z->lowmin_kb * f + 0.5));
	else
		snprintf(act, sizeof(act), "vm.min_free_kbytes x%.2f", f);
	dg_mitigate(d, act, "%s needs %ld kB more free%s; with min_free_kbytes "
		    "x%.2f its low watermark (%ld kB now) reaches %ld kB, so kswapd "
		    "reclaims before free memory falls to where this request fails",
		    dg_zlabel(g, lbl, sizeof(lbl)), g->wm.deficit * g->page_kb,
		    d->cause == C_HIGH_ORDER_WATERMARK ? " in blocks of higher order" : "",
		    f, ez->low_kb, need_kb);
	if (kver_code(&d->kv) >= KV(4, 6) && ez->managed_kb > 0) {
		long wsf = clamp_long((need_kb - ez->min_kb) * 10000.0 / ez->managed_kb) + 1;
		long cap = kver_code(&d->kv) >= KV(5, 15) ? 3000 : 1000;

		if (wsf > cap)
			wsf = cap;
		snprintf(act, sizeof(act), "vm.watermark_scale_factor=%ld", wsf);
		dg_mitigate(d, act, "raises the low watermark to %ld kB without "
			    "raising min: kswapd wakes earlier, atomic reserves unchanged",
			    ez->min_kb + ez->managed_kb * wsf / 10000);
	}
}

static void watermark_failure(struct diagnosis *d, const struct event *e)
{
	const struct dg_zone *g = d->first_zone >= 0 ? &d->zones[d->first_zone] : NULL;
	struct zone_sums z;
	char act[192];

	zone_sums(d, e, &z);
	if (g && g->wm.deficit > 0 && (d->req.flags & WM_ALLOC_HARDER) &&
	    e->zones[d->first_zone].low_kb > 0)
		raise_watermarks(d, e, &z);
	if (z.highmem_kb > 0 && d->req.highest < ZT_HIGHMEM) {
		dg_mitigate(d, "vm.lowmem_reserve_ratio",
			    "%ld kB free in zones this request may not use (HighMem/Movable "
			    "serve only __GFP_HIGHMEM user pages); kernel allocations such as "
			    "page tables and slab need lowmem, so HighMem cannot help. A lower "
			    "ratio for Normal keeps HighMem-capable allocations out of lowmem",
			    z.highmem_kb);
		dg_mitigate(d, "reduce lowmem consumers or use a 64-bit kernel",
			    "lowmem is the limit (page tables, slab, kernel stacks live "
			    "there); a 64-bit kernel has no HighMem split");
	}
	if (e->n_tasks > 0 && e->top_task[0]) {
		snprintf(act, sizeof(act), "look at %s (pid %ld)", e->top_task, e->top_task_pid);
		dg_mitigate(d, act, "the largest of %d tasks in the OOM table: %ld kB rss",
			    e->n_tasks, e->top_task_rss * 4);
	}
	if (d->cause == C_HIGH_ORDER_WATERMARK)
		dg_mitigate(d, "echo 3 > /proc/sys/vm/drop_caches; echo 1 > /proc/sys/vm/compact_memory",
			    "frees page cache and merges free pages into blocks of order >= %d, "
			    "which the per-order check counts", d->req.order);
}

static void fragmented(struct diagnosis *d)
{
	dg_mitigate(d, "echo 3 > /proc/sys/vm/drop_caches; echo 1 > /proc/sys/vm/compact_memory",
		    "free memory exists but not in blocks of order >= %d; dropping clean "
		    "caches frees movable pages and compaction merges free pages into "
		    "high-order blocks", d->req.order);
	if (kver_code(&d->kv) < KV(4, 6))
		dg_mitigate(d, "upgrade to a kernel with kcompactd (4.6+)",
			    "before 4.6 (and before RHEL 6.4's backport) nothing compacts "
			    "memory in the background for atomic requests");
	else if (kver_code(&d->kv) >= KV(5, 9))
		dg_mitigate(d, "vm.compaction_proactiveness=40",
			    "kcompactd compacts in the background before atomic requests fail");
}

static void migratetype_restricted(struct diagnosis *d)
{
	const struct dg_zone *g = d->first_zone >= 0 ? &d->zones[d->first_zone] : NULL;

	if (g && strchr(g->wm.denied_types, 'C'))
		dg_mitigate(d, "shrink the CMA reservation (cma= / device tree)",
			    "order >= %d blocks are free only in CMA pageblocks, which a "
			    "%s request may not use", d->req.order, migratetype_name(d->req.mt));
	if (g && strchr(g->wm.denied_types, 'H'))
		dg_mitigate(d, "none needed for atomic callers",
			    "the free blocks sit in the HighAtomic reserve, kept for atomic "
			    "high-order requests");
}

static void transient(struct diagnosis *d)
{
	if (d->req.flags & WM_ALLOC_HARDER)
		dg_mitigate(d, "vm.min_free_kbytes (raise) for burst headroom",
			    "the dumped state would let the request succeed: the shortage "
			    "passed before the dump, e.g. a burst of atomic allocations "
			    "outran kswapd");
	else
		dg_mitigate(d, "capture buddyinfo/zoneinfo at the time of failure",
			    "the dumped state would let the request succeed; a reclaiming "
			    "request that still failed gave up early (__GFP_NORETRY, costly "
			    "order > 3, or a cpuset/mempolicy limiting its nodes)");
}

void dg_mitigations(struct diagnosis *d, const struct event *e)
{
	char act[192];

	switch (d->cause) {
	case C_EXHAUSTED:
	case C_HIGH_ORDER_WATERMARK:
		watermark_failure(d, e);
		break;
	case C_FRAGMENTED:
		fragmented(d);
		break;
	case C_MIGRATETYPE_RESTRICTED:
		migratetype_restricted(d);
		break;
	case C_TRANSIENT:
		transient(d);
		break;
	case C_MEMCG_LIMIT:
		snprintf(act, sizeof(act), "raise memory.max of %s",
			 e->oom_memcg[0] ? e->oom_memcg : "the cgroup");
		dg_mitigate(d, act, "the cgroup hit its limit (usage %ld kB, limit %ld kB); "
			    "the system as a whole was not short", e->memcg_usage_kb,
			    e->memcg_limit_kb);
		break;
	case C_VMALLOC:
		dg_mitigate(d, "check vmalloc space and the size requested",
			    "vmalloc needs virtual space (small on 32-bit: vmalloc= boot option) "
			    "and order-0 pages, not contiguous memory");
		break;
	default:
		break;
	}
}
