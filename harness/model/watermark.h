/*
 * The kernel's zone watermark check, as each era does it
 * (__zone_watermark_ok, kernel-formats.md section 4), and the request
 * properties it depends on: which zones a GFP mask may use, its migratetype,
 * and the ALLOC_* flags the slow path derives from it.  Pure arithmetic on
 * pages; no I/O.
 */
#ifndef ALLOCREPRO_WATERMARK_H
#define ALLOCREPRO_WATERMARK_H

#include "gfp.h"
#include "parse/kver.h"

#include <stdbool.h>

enum zone_type { ZT_DMA, ZT_DMA32, ZT_NORMAL, ZT_HIGHMEM, ZT_MOVABLE, ZT_DEVICE, ZT_N };
enum migratetype { MT_UNMOVABLE, MT_MOVABLE, MT_RECLAIMABLE };

/* ALLOC_* as modelled; names as in mm/internal.h. */
enum {
	WM_ALLOC_HIGH = 1 << 0,	/* __GFP_HIGH (6.3+: ALLOC_MIN_RESERVE) */
	WM_ALLOC_HARDER = 1 << 1,	/* atomic (6.3+: ALLOC_NON_BLOCK) */
	WM_ALLOC_HIGHATOMIC = 1 << 2,	/* 6.3+: may use the HighAtomic reserve */
	WM_ALLOC_CMA = 1 << 3,		/* movable: may use CMA pageblocks */
	WM_ALLOC_NO_WATERMARKS = 1 << 4,	/* __GFP_MEMALLOC */
};

struct wm_request {
	struct kver kv;		/* selects the algorithm */
	enum gfp_era era;
	unsigned long gfp;
	int order;
	enum zone_type highest;	/* gfp_zone() */
	enum migratetype mt;
	unsigned flags;
};

int zone_type_of(const char *name);	/* -1 when unknown */
const char *zone_type_name(enum zone_type t);
const char *migratetype_name(enum migratetype mt);
/* Fill the derived fields from kv, gfp and order. */
void wm_request_init(struct wm_request *r, const struct kver *kv, unsigned long gfp, int order);
/* "ALLOC_HIGH|ALLOC_HARDER|..." in the era's names. */
void wm_flags_str(const struct wm_request *r, char *buf, size_t size);
bool wm_new_algorithm(const struct kver *kv);	/* 4.4+ free-list check */

/* One zone as the check sees it, in pages; -1 for unknown. */
struct wm_zone {
	long free;		/* NR_FREE_PAGES */
	long mark;		/* the watermark tried (min in the slow path) */
	long reserve;		/* lowmem_reserve[highest_zoneidx] */
	long free_cma;
	long highatomic;	/* nr_reserved_highatomic */
	int n_orders;		/* 0: no buddy data */
	const long *nr_free;
	const char (*types)[8];	/* migratetype letters per order, may be NULL */
};

enum wm_step {
	WM_PASS,
	WM_FAIL_ORDER0,		/* free <= min + lowmem_reserve */
	WM_FAIL_LOOP,		/* old check: the per-order loop at fail_order */
	WM_FAIL_FREELIST,	/* new check: no usable free list >= order */
	WM_UNKNOWN,		/* data missing for the step that decides */
};

struct wm_result {
	enum wm_step step;
	long free;		/* after the order and CMA/highatomic deductions */
	long min;		/* after ALLOC_HIGH/HARDER reductions */
	long reserve;
	int fail_order;		/* WM_FAIL_LOOP: the order whose pages went */
	long loop_free, loop_min;	/* WM_FAIL_LOOP: the numbers compared */
	int pass_order;		/* new check: the first usable order, -1 */
	bool blocks_exist;	/* a free block >= order, of any type */
	char denied_types[8];	/* letters of such blocks the request may not use */
	long deficit;		/* pages missing to pass the failing step */
};

void wm_check(const struct wm_request *r, const struct wm_zone *z, struct wm_result *out);
/* The smallest watermark (pages) at which this zone would fail the request;
 * 0 when it fails at any mark, -1 when it cannot be computed. */
long wm_fail_threshold(const struct wm_request *r, const struct wm_zone *z);

#endif
