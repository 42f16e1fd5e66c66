#include "watermark.h"

#include <stdio.h>
#include <string.h>

static const char *const zt_names[ZT_N] = {
	"DMA", "DMA32", "Normal", "HighMem", "Movable", "Device",
};

int zone_type_of(const char *name)
{
	for (int i = 0; i < ZT_N; i++)
		if (!strcmp(name, zt_names[i]))
			return i;
	return -1;
}

const char *zone_type_name(enum zone_type t)
{
	return t < ZT_N ? zt_names[t] : "?";
}

const char *migratetype_name(enum migratetype mt)
{
	return mt == MT_MOVABLE ? "Movable" : mt == MT_RECLAIMABLE ? "Reclaimable" : "Unmovable";
}

bool wm_new_algorithm(const struct kver *kv)
{
	return kver_code(kv) >= KV(4, 4);
}

static bool is_63(const struct kver *kv)
{
	return kver_code(kv) >= KV(6, 3);
}

void wm_request_init(struct wm_request *r, const struct kver *kv, unsigned long gfp, int order)
{
	enum gfp_era era = gfp_era_of(kv);
	unsigned long b;

	memset(r, 0, sizeof(*r));
	r->kv = *kv;
	r->era = era;
	r->gfp = gfp;
	r->order = order;

	/* gfp_zone(): the highest zone the mask allows */
	if (gfp & gfp_bit(era, "DMA"))
		r->highest = ZT_DMA;
	else if (gfp & gfp_bit(era, "DMA32"))
		r->highest = ZT_DMA32;
	else if ((gfp & gfp_bit(era, "HIGHMEM")) && (gfp & gfp_bit(era, "MOVABLE")))
		r->highest = ZT_MOVABLE;
	else if (gfp & gfp_bit(era, "HIGHMEM"))
		r->highest = ZT_HIGHMEM;
	else
		r->highest = ZT_NORMAL;

	if (gfp & gfp_bit(era, "MOVABLE"))
		r->mt = MT_MOVABLE;
	else if (gfp & gfp_bit(era, "RECLAIMABLE"))
		r->mt = MT_RECLAIMABLE;
	else
		r->mt = MT_UNMOVABLE;

	/* gfp_to_alloc_flags() */
	if (gfp & gfp_bit(era, "HIGH"))
		r->flags |= WM_ALLOC_HIGH;
	b = gfp_bit(era, "NOMEMALLOC");
	if (era <= GFP_ERA_310) {
		/* atomic = no __GFP_WAIT; 2.6.32 ignores NOMEMALLOC here */
		if (!(gfp & gfp_bit(era, "WAIT")) && (era == GFP_ERA_2632 || !(gfp & b)))
			r->flags |= WM_ALLOC_HARDER;
	} else if (!is_63(kv)) {
		if ((gfp & gfp_bit(era, "ATOMIC")) && !(gfp & b))
			r->flags |= WM_ALLOC_HARDER;
	} else if (!(gfp & gfp_bit(era, "DIRECT_RECLAIM")) && !(gfp & b)) {
		r->flags |= WM_ALLOC_HARDER;	/* ALLOC_NON_BLOCK */
		if (order > 0)
			r->flags |= WM_ALLOC_HIGHATOMIC;
	}
	/* CMA exists from 3.5; 2.6.32 has none */
	if (r->mt == MT_MOVABLE && era != GFP_ERA_2632)
		r->flags |= WM_ALLOC_CMA;
	if (gfp & gfp_bit(era, "MEMALLOC"))
		r->flags |= WM_ALLOC_NO_WATERMARKS;
}

void wm_flags_str(const struct wm_request *r, char *buf, size_t size)
{
	bool n63 = is_63(&r->kv);
	size_t len = 0;
	struct {
		unsigned bit;
		const char *name;
	} names[] = {
		{ WM_ALLOC_HIGH, n63 ? "ALLOC_MIN_RESERVE" : "ALLOC_HIGH" },
		{ WM_ALLOC_HARDER, n63 ? "ALLOC_NON_BLOCK" : "ALLOC_HARDER" },
		{ WM_ALLOC_HIGHATOMIC, "ALLOC_HIGHATOMIC" },
		{ WM_ALLOC_CMA, "ALLOC_CMA" },
		{ WM_ALLOC_NO_WATERMARKS, "ALLOC_NO_WATERMARKS" },
	};

	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!(r->flags & names[i].bit))
			continue;
		int n = snprintf(buf + len, size - len, "%s%s", len ? "|" : "", names[i].name);

		if (n < 0 || (size_t)n >= size - len)
			break;
		len += (size_t)n;
	}
	if (!len)
		snprintf(buf, size, "ALLOC_WMARK_MIN");
}

/* May a request with these flags take a block from a free list with these
 * migratetype letters?  Letters: 4.4+ U M E H C I; 3.10-4.3 U E M R C I. */
static bool types_usable(const struct wm_request *r, const char *t, char *denied, size_t dsize)
{
	bool ok = false;
	int code = kver_code(&r->kv);

	if (!t || !*t)
		return true;	/* no letters printed: any type */
	for (const char *c = t; *c; c++) {
		bool use;

		switch (*c) {
		case 'U': case 'M': case 'E': case 'R':
			use = true;
			break;
		case 'C':
			use = r->flags & WM_ALLOC_CMA;
			break;
		case 'H':	/* the HighAtomic reserve: atomic callers only */
			use = r->flags & (code < KV(6, 3) ? WM_ALLOC_HARDER : WM_ALLOC_HIGHATOMIC);
			break;
		default:	/* I(solate) and anything unknown */
			use = false;
		}
		if (use) {
			ok = true;
		} else if (!strchr(denied, *c)) {
			size_t n = strlen(denied);

			if (n + 1 < dsize) {
				denied[n] = *c;
				denied[n + 1] = '\0';
			}
		}
	}
	/* 4.4.x: ALLOC_HARDER takes any non-empty list */
	if (code < KV(4, 9) && (r->flags & WM_ALLOC_HARDER))
		ok = true;
	return ok;
}

static void check_old(const struct wm_request *r, const struct wm_zone *z, struct wm_result *o)
{
	long free = z->free - (1L << r->order) + 1;
	long min = z->mark;
	long cma = (!(r->flags & WM_ALLOC_CMA) && z->free_cma > 0) ? z->free_cma : 0;

	if (r->flags & WM_ALLOC_HIGH)
		min -= min / 2;
	if (r->flags & WM_ALLOC_HARDER)
		min -= min / 4;
	o->free = free - cma;
	o->min = min;
	if (free - cma <= min + o->reserve) {
		o->step = WM_FAIL_ORDER0;
		o->deficit = min + o->reserve - (free - cma) + 1;
		return;
	}
	if (r->order > 0 && z->n_orders < r->order) {
		o->step = WM_UNKNOWN;
		return;
	}
	for (int k = 0; k < r->order; k++) {
		free -= z->nr_free[k] << k;
		min >>= 1;
		if (free <= min) {
			o->step = WM_FAIL_LOOP;
			o->fail_order = k;
			o->loop_free = free;
			o->loop_min = min;
			o->deficit = min - free + 1;
			return;
		}
	}
	o->step = WM_PASS;
}

static void check_new(const struct wm_request *r, const struct wm_zone *z, struct wm_result *o)
{
	long free = z->free - (1L << r->order) + 1;
	long min = z->mark;
	bool reserves = is_63(&r->kv) ? (r->flags & (WM_ALLOC_HIGH | WM_ALLOC_HARDER | WM_ALLOC_HIGHATOMIC)) :
			(r->flags & WM_ALLOC_HARDER);

	if (!(r->flags & WM_ALLOC_CMA) && z->free_cma > 0)
		free -= z->free_cma;
	if (!reserves && z->highatomic > 0)
		free -= z->highatomic;
	if (is_63(&r->kv)) {
		if (r->flags & WM_ALLOC_HIGH) {
			min -= min / 2;
			if (r->flags & WM_ALLOC_HARDER)
				min -= min / 4;
		}
	} else {
		if (r->flags & WM_ALLOC_HIGH)
			min -= min / 2;
		if (r->flags & WM_ALLOC_HARDER)
			min -= min / 4;
	}
	o->free = free;
	o->min = min;
	if (free <= min + o->reserve) {
		o->step = WM_FAIL_ORDER0;
		o->deficit = min + o->reserve - free + 1;
		return;
	}
	if (r->order == 0) {
		o->step = WM_PASS;
		return;
	}
	if (z->n_orders == 0) {
		o->step = WM_UNKNOWN;
		return;
	}
	for (int k = r->order; k < z->n_orders; k++) {
		if (z->nr_free[k] <= 0)
			continue;
		if (types_usable(r, z->types ? z->types[k] : NULL, o->denied_types,
				 sizeof(o->denied_types))) {
			o->step = WM_PASS;
			o->pass_order = k;
			return;
		}
	}
	o->step = WM_FAIL_FREELIST;
	o->deficit = 1L << r->order;
}

void wm_check(const struct wm_request *r, const struct wm_zone *z, struct wm_result *o)
{
	memset(o, 0, sizeof(*o));
	o->pass_order = -1;
	o->fail_order = -1;
	o->reserve = z->reserve > 0 ? z->reserve : 0;
	for (int k = r->order; k < z->n_orders; k++)
		if (z->nr_free[k] > 0)
			o->blocks_exist = true;
	if (r->flags & WM_ALLOC_NO_WATERMARKS) {
		/* no check, but still needs a free block */
		o->free = z->free;
		if (z->n_orders ? o->blocks_exist : z->free >= (1L << r->order))
			o->step = WM_PASS;
		else if (z->free < (1L << r->order))
			o->step = WM_FAIL_ORDER0;
		else
			o->step = WM_FAIL_FREELIST;
		return;
	}
	if (z->free < 0 || z->mark < 0) {
		o->step = WM_UNKNOWN;
		return;
	}
	if (wm_new_algorithm(&r->kv))
		check_new(r, z, o);
	else
		check_old(r, z, o);
	/* the old check ignores free lists, but a zone with no block of the
	 * order cannot serve it either */
	if (o->step == WM_PASS && r->order > 0 && z->n_orders > r->order && !o->blocks_exist) {
		o->step = WM_FAIL_FREELIST;
		o->deficit = 1L << r->order;
	}
}

long wm_fail_threshold(const struct wm_request *r, const struct wm_zone *z)
{
	struct wm_zone t = *z;
	struct wm_result res;
	long lo = 0, hi;

	if (t.free < 0)
		return -1;
	t.mark = 0;
	wm_check(r, &t, &res);
	if (res.step == WM_UNKNOWN)
		return -1;
	if (res.step != WM_PASS)
		return 0;
	/* pass at lo, fail at hi: a mark above free fails at order 0 */
	hi = 4 * (t.free + 1) + (t.reserve > 0 ? t.reserve : 0);
	while (hi - lo > 1) {
		long mid = lo + (hi - lo) / 2;

		t.mark = mid;
		wm_check(r, &t, &res);
		if (res.step == WM_PASS)
			lo = mid;
		else
			hi = mid;
	}
	return hi;
}
