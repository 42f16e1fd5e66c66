/*
 * Why an allocation failed: the watermark model applied to every zone of a
 * parsed report, a cause from DESIGN.md's vocabulary, the evidence in
 * numbers, and the mitigations worth trying with their reason.
 */
#ifndef ALLOCREPRO_DIAGNOSE_H
#define ALLOCREPRO_DIAGNOSE_H

#include "parse/event.h"
#include "watermark.h"

enum cause {
	C_EXHAUSTED,
	C_HIGH_ORDER_WATERMARK,
	C_FRAGMENTED,
	C_MIGRATETYPE_RESTRICTED,
	C_MEMCG_LIMIT,
	C_VMALLOC,
	C_TRANSIENT,
	C_INSUFFICIENT_DATA,
};

/* A zone's verdict: a cause, or one of these. */
enum zone_verdict {
	ZV_PASS = 100,
	ZV_UNKNOWN,		/* no watermarks: see threshold */
	ZV_NOT_ELIGIBLE,	/* the GFP mask may not use it */
};

#define DG_TEXT 320
#define DG_MAX_MITIGATIONS 6

struct dg_zone {
	int node;
	char zone[16];
	bool eligible;
	int verdict;		/* enum cause or enum zone_verdict */
	struct wm_result wm;
	long free_pages, mark_pages;	/* as the model took them, -1 unknown */
	long threshold_kb;	/* watermark at which it would fail, -1 n/a */
	double unusable;	/* free memory in blocks below the order, 0..1; -1 */
	int page_kb;
	char evidence[DG_TEXT];
};

struct dg_mitigation {
	char action[192];	/* "vm.min_free_kbytes=123456" */
	char reason[DG_TEXT];
};

struct diagnosis {
	size_t event;
	enum cause cause;
	char kernel[96];
	struct kver kv;
	char kver_source[32];	/* log banner, --kernel-version, gfp names, assumed */
	char gfp_decoded[256];
	char alloc_flags[128];
	bool modelled;		/* the watermark model ran */
	struct wm_request req;
	int first_zone;		/* index in zones of the zone tried first, -1 */
	int nzones;
	struct dg_zone zones[EV_MAX_ZONES];
	char evidence[2 * DG_TEXT];
	int nmit;
	struct dg_mitigation mit[DG_MAX_MITIGATIONS];
};

const char *cause_name(enum cause c);
const char *zone_verdict_name(int v);
/* Same cause on the same numbers: a repeat of one failure. */
bool diagnosis_same(const struct diagnosis *a, const struct diagnosis *b);
/* kv_override: from --kernel-version, or NULL. */
void diagnose(const struct event *e, size_t index, const struct kver *kv_override,
	      struct diagnosis *d);

#endif
