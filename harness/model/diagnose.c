#include "diagnose.h"
#include "diagnose_parts.h"
#include "parse/procfs.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* With only a buddyinfo snapshot (no watermarks) a zone whose free memory
 * sits for at least this share in blocks below the order is called
 * fragmented: the few larger blocks left serve a burst at most. */
#define FRAGMENTED_UNUSABLE 0.99

static const char *const cause_names[] = {
	"exhausted", "high_order_watermark", "fragmented", "migratetype_restricted",
	"memcg_limit", "vmalloc", "transient", "insufficient_data",
};

const char *cause_name(enum cause c)
{
	return c <= C_INSUFFICIENT_DATA ? cause_names[c] : "?";
}

bool diagnosis_same(const struct diagnosis *a, const struct diagnosis *b)
{
	return a->cause == b->cause && a->req.order == b->req.order && a->req.gfp == b->req.gfp &&
	       a->nzones == b->nzones && !strcmp(a->evidence, b->evidence);
}

const char *zone_verdict_name(int v)
{
	if (v == ZV_PASS)
		return "pass";
	if (v == ZV_UNKNOWN)
		return "unknown";
	if (v == ZV_NOT_ELIGIBLE)
		return "not_eligible";
	return cause_name((enum cause)v);
}

void dg_addf(char *buf, size_t size, const char *fmt, ...)
{
	size_t len = strlen(buf);
	va_list ap;

	if (len + 1 >= size)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + len, size - len, fmt, ap);
	va_end(ap);
}

void dg_mitigate(struct diagnosis *d, const char *action, const char *fmt, ...)
{
	va_list ap;
	struct dg_mitigation *m;

	if (d->nmit == DG_MAX_MITIGATIONS)
		return;
	m = &d->mit[d->nmit++];
	snprintf(m->action, sizeof(m->action), "%s", action);
	va_start(ap, fmt);
	vsnprintf(m->reason, sizeof(m->reason), fmt, ap);
	va_end(ap);
}

/* A release for an era, when only the printed flag names tell it. */
static const struct kver era_kver[GFP_ERA_N] = {
	{ 2, 6, 32 }, { 3, 10, 0 }, { 4, 6, 0 }, { 4, 10, 0 }, { 4, 14, 0 },
	{ 4, 15, 0 }, { 4, 18, 0 }, { 5, 2, 0 }, { 6, 3, 0 },
};

static void pick_kernel(const struct event *e, const struct kver *ovr, struct diagnosis *d)
{
	unsigned long mask = strtoul(e->gfp_mask, NULL, 16);
	int era;

	snprintf(d->kernel, sizeof(d->kernel), "%s", e->kernel);
	if (ovr && kver_known(ovr)) {
		d->kv = *ovr;
		snprintf(d->kver_source, sizeof(d->kver_source), "--kernel-version");
	} else if (kver_parse(e->kernel, &d->kv)) {
		snprintf(d->kver_source, sizeof(d->kver_source), "log banner");
	} else if ((era = gfp_era_from_names(mask, e->gfp_flags)) >= 0) {
		d->kv = era_kver[era];
		snprintf(d->kver_source, sizeof(d->kver_source), "gfp names");
	} else if (e->gfp_mask[0] && !e->gfp_flags[0]) {
		/* hex only: a kernel before 4.6; bits below 0x100000 agree 2.6.32-4.3 */
		d->kv = era_kver[GFP_ERA_2632];
		snprintf(d->kver_source, sizeof(d->kver_source), "assumed (hex-only mode)");
	} else {
		d->kv = era_kver[GFP_ERA_52];
		snprintf(d->kver_source, sizeof(d->kver_source), "assumed");
	}
}

/* The zone types the kernel was built with, in index order: lowmem_reserve[]
 * has one entry per type (MAX_NR_ZONES), populated or not. */
static int reserve_index(const struct event *e, const struct ev_zone *z, enum zone_type want)
{
	bool have[ZT_N] = { false };
	int idx[ZT_N], n = 0, t;

	for (int i = 0; i < e->nzones; i++)
		if ((t = zone_type_of(e->zones[i].zone)) >= 0)
			have[t] = true;
	have[ZT_NORMAL] = have[ZT_MOVABLE] = true;
	for (t = 0; t < ZT_DEVICE; t++)
		idx[t] = have[t] ? n++ : -1;
	idx[ZT_DEVICE] = n < z->n_reserve ? n++ : -1;
	/* the highest configured type the request allows */
	for (t = want; t >= 0 && idx[t] < 0; t--)
		;
	if (t < 0 || z->n_reserve == 0)
		return -1;
	return idx[t] < z->n_reserve ? idx[t] : z->n_reserve - 1;
}

const char *dg_zlabel(const struct dg_zone *g, char *buf, size_t size)
{
	if (g->node >= 0)
		snprintf(buf, size, "Node %d %s", g->node, g->zone);
	else
		snprintf(buf, size, "%s", g->zone);
	return buf;
}

static long kb_to_pages(long kb, int page_kb)
{
	return kb < 0 ? -1 : kb / page_kb;
}

static long buddy_pages(const struct ev_zone *z)
{
	long s = 0;

	for (int k = 0; k < z->n_orders; k++)
		s += z->buddy[k] << k;
	return s;
}

static void zone_evidence(const struct diagnosis *d, const struct ev_zone *ez, struct dg_zone *g)
{
	const struct wm_result *w = &g->wm;
	int pk = g->page_kb, order = d->req.order;
	char *ev = g->evidence;
	size_t n = sizeof(g->evidence);

	switch (g->verdict) {
	case ZV_NOT_ELIGIBLE:
		dg_addf(ev, n, "may not be used: the mask allows zones up to %s; %ld kB free here",
		     zone_type_name(d->req.highest), g->free_pages * pk);
		return;
	case ZV_UNKNOWN:
		dg_addf(ev, n, "no watermarks in the log; %ld kB free", g->free_pages * pk);
		if (g->threshold_kb > 0)
			dg_addf(ev, n, "; the check fails once min >= %ld kB", g->threshold_kb);
		if (g->unusable >= 0 && order > 0)
			dg_addf(ev, n, "; %.1f%% of free memory is in blocks below order %d",
			     100 * g->unusable, order);
		return;
	default:
		break;
	}
	if (w->step == WM_UNKNOWN || g->mark_pages < 0) {
		if (g->verdict == C_FRAGMENTED && w->blocks_exist)
			dg_addf(ev, n, "%.1f%% of %ld kB free is in blocks below order %d; "
			     "no watermarks in the log (the check fails once min >= %ld kB)",
			     100 * g->unusable, g->free_pages * pk, order, g->threshold_kb);
		else if (g->verdict == C_FRAGMENTED)
			dg_addf(ev, n, "no free block of order >= %d; %ld kB free in smaller blocks",
			     order, g->free_pages * pk);
		else if (g->verdict == C_MIGRATETYPE_RESTRICTED)
			dg_addf(ev, n, "blocks of order >= %d exist only as (%s), which a %s "
			     "request may not use", order, w->denied_types,
			     migratetype_name(d->req.mt));
		return;
	}
	if (d->req.flags & WM_ALLOC_NO_WATERMARKS) {
		dg_addf(ev, n, "ALLOC_NO_WATERMARKS (__GFP_MEMALLOC) skips the check; %ld pages "
		     "free%s", g->free_pages, w->step == WM_PASS ? "" : ": nothing to take");
		return;
	}
	dg_addf(ev, n, "free %ld pages - %ld (order) ", g->free_pages, (1L << order) - 1);
	if (ez->free_cma_kb > 0 && !(d->req.flags & WM_ALLOC_CMA))
		dg_addf(ev, n, "- %ld CMA ", ez->free_cma_kb / pk);
	if (ez->highatomic_kb > 0 && g->free_pages - ((1L << order) - 1) -
	    (ez->free_cma_kb > 0 && !(d->req.flags & WM_ALLOC_CMA) ? ez->free_cma_kb / pk : 0) != w->free)
		dg_addf(ev, n, "- %ld highatomic ", ez->highatomic_kb / pk);
	dg_addf(ev, n, "= %ld vs min %ld -> %ld after %s, + lowmem_reserve %ld",
	     w->free, g->mark_pages, w->min, d->alloc_flags, w->reserve);
	switch (w->step) {
	case WM_FAIL_ORDER0:
		dg_addf(ev, n, ": fails at order 0 (%ld <= %ld)", w->free, w->min + w->reserve);
		break;
	case WM_FAIL_LOOP:
		dg_addf(ev, n, ": order 0 passes; without the blocks of order 0..%d %ld pages "
		     "remain <= min/%ld = %ld", w->fail_order, w->loop_free,
		     1L << (w->fail_order + 1), w->loop_min);
		break;
	case WM_FAIL_FREELIST:
		if (w->denied_types[0] && w->blocks_exist)
			dg_addf(ev, n, ": order 0 passes; blocks of order >= %d exist only as (%s), "
			     "which a %s request may not use", order, w->denied_types,
			     migratetype_name(d->req.mt));
		else
			dg_addf(ev, n, ": order 0 passes; no free block of order >= %d", order);
		break;
	case WM_PASS:
		dg_addf(ev, n, ": passes");
		if (w->pass_order >= 0)
			dg_addf(ev, n, " (order-%d list %s%s%s non-empty)", w->pass_order,
			     ez->migratetypes[w->pass_order][0] ? "(" : "",
			     ez->migratetypes[w->pass_order],
			     ez->migratetypes[w->pass_order][0] ? ")" : "");
		break;
	default:
		break;
	}
}

static int verdict_of(const struct wm_result *w)
{
	switch (w->step) {
	case WM_PASS:
		return ZV_PASS;
	case WM_FAIL_ORDER0:
		return C_EXHAUSTED;
	case WM_FAIL_LOOP:
		return w->blocks_exist ? C_HIGH_ORDER_WATERMARK : C_FRAGMENTED;
	case WM_FAIL_FREELIST:
		return w->blocks_exist && w->denied_types[0] ? C_MIGRATETYPE_RESTRICTED :
		       C_FRAGMENTED;
	default:
		return ZV_UNKNOWN;
	}
}

static void model_zone(struct diagnosis *d, const struct event *e, const struct ev_zone *ez,
		       struct dg_zone *g)
{
	int t = zone_type_of(ez->zone), ri;
	unsigned long nf[EV_MAX_ORDERS];
	struct wm_zone wz;

	g->node = ez->node;
	snprintf(g->zone, sizeof(g->zone), "%s", ez->zone);
	g->page_kb = ez->page_kb > 0 ? ez->page_kb : 4;
	g->free_pages = ez->free_kb >= 0 ? ez->free_kb / g->page_kb :
			ez->n_orders ? buddy_pages(ez) : -1;
	g->mark_pages = kb_to_pages(ez->min_kb, g->page_kb);
	g->threshold_kb = -1;
	g->unusable = -1;
	g->eligible = t >= 0 && t <= (int)d->req.highest && t != ZT_DEVICE;
	if (ez->n_orders) {
		for (int k = 0; k < ez->n_orders; k++)
			nf[k] = ez->buddy[k] > 0 ? (unsigned long)ez->buddy[k] : 0;
		g->unusable = d->req.order >= ez->n_orders ? 1.0 :
			      unusable_index(nf, ez->n_orders, d->req.order);
	}
	if (!g->eligible) {
		g->verdict = ZV_NOT_ELIGIBLE;
		if (g->free_pages < 0)
			g->free_pages = 0;
		zone_evidence(d, ez, g);
		return;
	}
	ri = reserve_index(e, ez, d->req.highest);
	wz = (struct wm_zone){
		.free = g->free_pages,
		.mark = g->mark_pages,
		.reserve = ri >= 0 ? ez->lowmem_reserve[ri] : 0,
		.free_cma = kb_to_pages(ez->free_cma_kb, g->page_kb),
		.highatomic = kb_to_pages(ez->highatomic_kb, g->page_kb),
		.n_orders = ez->n_orders,
		.nr_free = ez->buddy,
		.types = ez->migratetypes,
	};
	wm_check(&d->req, &wz, &g->wm);
	g->verdict = verdict_of(&g->wm);
	if (g->wm.step == WM_UNKNOWN && g->free_pages >= 0) {
		struct wm_result at0;
		long thr = wm_fail_threshold(&d->req, &wz);

		g->threshold_kb = thr < 0 ? -1 : thr * g->page_kb;
		/* decidable without min: the free lists alone */
		wz.mark = 0;
		wm_check(&d->req, &wz, &at0);
		if (ez->n_orders && at0.step == WM_FAIL_FREELIST) {
			g->wm.blocks_exist = at0.blocks_exist;
			memcpy(g->wm.denied_types, at0.denied_types, sizeof(at0.denied_types));
			g->verdict = verdict_of(&at0);
		} else if (ez->n_orders && d->req.order > 0 && g->unusable >= FRAGMENTED_UNUSABLE) {
			g->wm.blocks_exist = true;
			g->verdict = C_FRAGMENTED;
		}
	}
	zone_evidence(d, ez, g);
}

static int request_node(const struct event *e)
{
	const char *m = e->nodemask;
	char *end;
	long v;

	if (m[0] >= '0' && m[0] <= '9') {
		v = strtol(m, &end, 10);
		if (*end == '\0' && v < 4096)
			return (int)v;
	}
	return -2;	/* any */
}

static void pick_first_zone(struct diagnosis *d, const struct event *e)
{
	int node = request_node(e), best = -1, best_t = -1;

	/* the highest eligible zone, on the request's node (or the first node) */
	for (int pass = 0; pass < 2 && best < 0; pass++) {
		for (int i = 0; i < d->nzones; i++) {
			const struct dg_zone *g = &d->zones[i];
			int t = zone_type_of(g->zone);

			if (!g->eligible || (pass == 0 && node != -2 && g->node != node))
				continue;
			if (g->free_pages < 0 && g->wm.step == WM_UNKNOWN)
				continue;
			if (t > best_t || (t == best_t && g->node < d->zones[best].node)) {
				best = i;
				best_t = t;
			}
		}
	}
	d->first_zone = best;
}

/* Android and vendor kernels add to low/high (extra_free_kbytes): the gaps
 * the kernel computes are equal, so unequal gaps mean a modified kernel. */
static void check_wmark_gaps(struct diagnosis *d, const struct event *e)
{
	for (int i = 0; i < e->nzones; i++) {
		const struct ev_zone *z = &e->zones[i];
		long a = z->low_kb - z->min_kb, b = z->high_kb - z->low_kb;

		if (z->min_kb < 0 || z->low_kb < 0 || z->high_kb < 0 || kver_code(&d->kv) < KV(4, 6))
			continue;
		if (labs(a - b) > 8 && (a > 2 * b || b > 2 * a)) {
			dg_addf(d->evidence, sizeof(d->evidence),
			     " %s: low-min = %ld kB but high-low = %ld kB; this kernel computes "
			     "both as one delta, so it is modified (e.g. extra_free_kbytes).",
			     z->zone, a, b);
			return;
		}
	}
}

/* Causes decided before any zone is modelled: memcg limits, vmalloc, and
 * reports too damaged to model.  True when d is complete. */
static bool diagnose_without_zones(const struct event *e, struct diagnosis *d)
{
	if (e->type == EV_MEMCG_OOM) {
		d->cause = C_MEMCG_LIMIT;
		dg_addf(d->evidence, sizeof(d->evidence), "memory cgroup %s at its limit",
		     e->oom_memcg[0] ? e->oom_memcg : "(unnamed)");
		if (e->memcg_limit_kb >= 0)
			dg_addf(d->evidence, sizeof(d->evidence), ": usage %ld kB, limit %ld kB, failcnt %ld",
			     e->memcg_usage_kb, e->memcg_limit_kb, e->memcg_failcnt);
		dg_mitigations(d, e);
		return true;
	}
	if (e->type == EV_VMALLOC_FAILURE) {
		d->cause = C_VMALLOC;
		dg_addf(d->evidence, sizeof(d->evidence), "vmalloc of %ld bytes failed%s%s",
		     e->vm_size, e->vm_reason[0] ? ": " : "", e->vm_reason);
		dg_mitigations(d, e);
		return true;
	}
	if (e->order > 20) {
		d->cause = C_INSUFFICIENT_DATA;
		dg_addf(d->evidence, sizeof(d->evidence), "order %d is beyond any kernel's "
		     "MAX_ORDER; the log is damaged", e->order);
		return true;
	}
	if (e->order < 0 || !e->gfp_mask[0]) {
		d->cause = C_INSUFFICIENT_DATA;
		dg_addf(d->evidence, sizeof(d->evidence), "the report has no order or GFP mode");
		return true;
	}
	return false;
}

void diagnose(const struct event *e, size_t index, const struct kver *kv_override,
	      struct diagnosis *d)
{
	bool any_data = false, any_pass = false;
	int pass_zone = -1;
	char lbl[32];

	memset(d, 0, sizeof(*d));
	d->event = index;
	d->first_zone = -1;
	pick_kernel(e, kv_override, d);
	if (diagnose_without_zones(e, d))
		return;
	wm_request_init(&d->req, &d->kv, strtoul(e->gfp_mask, NULL, 16), e->order);
	gfp_decode(d->req.era, d->req.gfp, d->gfp_decoded, sizeof(d->gfp_decoded));
	wm_flags_str(&d->req, d->alloc_flags, sizeof(d->alloc_flags));
	for (int i = 0; i < e->nzones; i++) {
		struct dg_zone *g = &d->zones[d->nzones++];

		model_zone(d, e, &e->zones[i], g);
		if (g->eligible && g->free_pages >= 0)
			any_data = true;
		if (g->eligible && g->verdict == ZV_PASS && !any_pass) {
			any_pass = true;
			pass_zone = i;
		}
	}
	d->modelled = any_data;
	if (!any_data) {
		d->cause = C_INSUFFICIENT_DATA;
		dg_addf(d->evidence, sizeof(d->evidence), "the log has no zone data (no show_mem "
		     "dump); add a buddyinfo snapshot with --buddyinfo");
		return;
	}
	pick_first_zone(d, e);
	if (any_pass) {
		const struct dg_zone *g = &d->zones[pass_zone];

		d->cause = C_TRANSIENT;
		dg_addf(d->evidence, sizeof(d->evidence), "%s would serve the request in "
		     "the dumped state: %s.", dg_zlabel(g, lbl, sizeof(lbl)), g->evidence);
	} else {
		d->cause = C_INSUFFICIENT_DATA;
		/* the first zone decides; an undecided one defers to the others */
		if (d->first_zone >= 0 && d->zones[d->first_zone].verdict <= C_INSUFFICIENT_DATA)
			d->cause = (enum cause)d->zones[d->first_zone].verdict;
		else
			for (int i = 0; i < d->nzones; i++)
				if (d->zones[i].eligible && d->zones[i].verdict <= C_INSUFFICIENT_DATA) {
					d->cause = (enum cause)d->zones[i].verdict;
					break;
				}
		if (d->first_zone >= 0) {
			const struct dg_zone *g = &d->zones[d->first_zone];

			dg_addf(d->evidence, sizeof(d->evidence), "%s (tried first): %s.",
			     dg_zlabel(g, lbl, sizeof(lbl)), g->evidence);
		}
	}
	check_wmark_gaps(d, e);
	dg_mitigations(d, e);
}
