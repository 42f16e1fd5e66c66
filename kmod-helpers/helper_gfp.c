// SPDX-License-Identifier: GPL-2.0
/*
 * GFP expressions ("GFP_ATOMIC|__GFP_COMP|__GFP_NOWARN", "0xa20") and the
 * combinations the helper refuses because the kernel would warn, BUG or
 * hang on them: a refusal is the helper's answer, never a splat.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/gfp.h>
#include "helper.h"

struct gfp_name {
	const char *name;
	gfp_t gfp;
};

static const struct gfp_name gfp_names[] = {
	{ "GFP_ATOMIC", GFP_ATOMIC },
	{ "GFP_NOWAIT", GFP_NOWAIT },
	{ "GFP_KERNEL", GFP_KERNEL },
	{ "GFP_KERNEL_NORETRY", GFP_KERNEL | __GFP_NORETRY },
	{ "GFP_NOIO", GFP_NOIO },
	{ "GFP_NOFS", GFP_NOFS },
	{ "GFP_USER", GFP_USER },
	{ "GFP_HIGHUSER", GFP_HIGHUSER },
	{ "GFP_HIGHUSER_MOVABLE", GFP_HIGHUSER_MOVABLE },
	{ "GFP_DMA", GFP_DMA },
	{ "GFP_DMA32", GFP_DMA32 },
	{ "__GFP_DMA", __GFP_DMA },
	{ "__GFP_DMA32", __GFP_DMA32 },
	{ "__GFP_HIGHMEM", __GFP_HIGHMEM },
	{ "__GFP_MOVABLE", __GFP_MOVABLE },
	{ "__GFP_RECLAIMABLE", __GFP_RECLAIMABLE },
	{ "__GFP_HIGH", __GFP_HIGH },
	{ "__GFP_IO", __GFP_IO },
	{ "__GFP_FS", __GFP_FS },
	{ "__GFP_ZERO", __GFP_ZERO },
	{ "__GFP_DIRECT_RECLAIM", __GFP_DIRECT_RECLAIM },
	{ "__GFP_KSWAPD_RECLAIM", __GFP_KSWAPD_RECLAIM },
	{ "__GFP_RECLAIM", __GFP_RECLAIM },
	{ "__GFP_WRITE", __GFP_WRITE },
	{ "__GFP_NOWARN", __GFP_NOWARN },
	{ "__GFP_RETRY_MAYFAIL", __GFP_RETRY_MAYFAIL },
	{ "__GFP_NOFAIL", __GFP_NOFAIL },
	{ "__GFP_NORETRY", __GFP_NORETRY },
	{ "__GFP_MEMALLOC", __GFP_MEMALLOC },
	{ "__GFP_COMP", __GFP_COMP },
	{ "__GFP_NOMEMALLOC", __GFP_NOMEMALLOC },
	{ "__GFP_HARDWALL", __GFP_HARDWALL },
	{ "__GFP_THISNODE", __GFP_THISNODE },
	{ "__GFP_ACCOUNT", __GFP_ACCOUNT },
};

static int gfp_term(const char *t, size_t len, gfp_t *out)
{
	char buf[32];
	unsigned long raw;
	unsigned int i;

	if (!len || len >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, t, len);
	buf[len] = '\0';
	for (i = 0; i < ARRAY_SIZE(gfp_names); i++) {
		if (!strcmp(buf, gfp_names[i].name)) {
			*out = gfp_names[i].gfp;
			return 0;
		}
	}
	/* Raw masks are hexadecimal, as the kernel prints them. */
	if (kstrtoul(buf, 16, &raw) || !raw ||
	    (raw & ~(unsigned long)(__force unsigned int)__GFP_BITS_MASK))
		return -EINVAL;
	*out = (__force gfp_t)raw;
	return 0;
}

/* "TERM|TERM|..." where TERM is a name of the table or a hex mask. */
int helper_gfp_parse(const char *text, gfp_t *gfp)
{
	gfp_t acc = 0, term;
	const char *bar;

	for (;;) {
		bar = strchr(text, '|');
		if (gfp_term(text, bar ? (size_t)(bar - text) : strlen(text), &term))
			return -EINVAL;
		acc |= term;
		if (!bar)
			break;
		text = bar + 1;
	}
	*gfp = acc;
	return 0;
}

static bool gfp_zone_bad(gfp_t gfp)
{
	unsigned int bit = (__force unsigned int)(gfp & GFP_ZONEMASK);

	return (GFP_ZONE_BAD >> bit) & 1;
}

int helper_gfp_check(const struct helper_params *p)
{
	const char *ctx = helper_ctx_names[p->ctx];
	unsigned int g = (__force unsigned int)p->gfp;

	if (helper_ctx_atomic(p->ctx) && gfpflags_allow_blocking(p->gfp)) {
		pr_warn_ratelimited("refused: gfp %#x may sleep, context %s is atomic\n", g, ctx);
		return -EINVAL;
	}
	if (p->gfp & __GFP_NOFAIL) {
		/* The allocator warns on both and may loop forever. */
		if (p->order > 1) {
			pr_warn_ratelimited("refused: __GFP_NOFAIL with order %u\n", p->order);
			return -EINVAL;
		}
		if (!gfpflags_allow_blocking(p->gfp)) {
			pr_warn_ratelimited("refused: __GFP_NOFAIL without __GFP_DIRECT_RECLAIM (gfp %#x)\n",
					    g);
			return -EINVAL;
		}
		if (p->gfp & __GFP_NORETRY) {
			pr_warn_ratelimited("refused: __GFP_NOFAIL with __GFP_NORETRY contradict\n");
			return -EINVAL;
		}
	}
	if (gfp_zone_bad(p->gfp)) {
		pr_warn_ratelimited("refused: gfp %#x names more than one zone\n", g);
		return -EINVAL;
	}
	if ((p->gfp & (__GFP_MOVABLE | __GFP_RECLAIMABLE)) ==
	    (__GFP_MOVABLE | __GFP_RECLAIMABLE)) {
		pr_warn_ratelimited("refused: gfp %#x is both movable and reclaimable\n", g);
		return -EINVAL;
	}
	if ((p->gfp & (__GFP_MEMALLOC | __GFP_NOMEMALLOC)) ==
	    (__GFP_MEMALLOC | __GFP_NOMEMALLOC)) {
		pr_warn_ratelimited("refused: __GFP_MEMALLOC with __GFP_NOMEMALLOC contradict\n");
		return -EINVAL;
	}
	return 0;
}
