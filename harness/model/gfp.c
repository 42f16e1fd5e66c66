#include "gfp.h"

#include <stdio.h>
#include <string.h>

struct gfp_bitdef {
	const char *name;
	unsigned long v;
};

#define END { NULL, 0 }

/* Low bits every era shares. */
#define ZONE_BITS { "DMA", 0x1 }, { "HIGHMEM", 0x2 }, { "DMA32", 0x4 }, { "MOVABLE", 0x8 }

static const struct gfp_bitdef era_2632[] = {
	ZONE_BITS, { "WAIT", 0x10 }, { "HIGH", 0x20 }, { "IO", 0x40 }, { "FS", 0x80 },
	{ "COLD", 0x100 }, { "NOWARN", 0x200 }, { "REPEAT", 0x400 }, { "NOFAIL", 0x800 },
	{ "NORETRY", 0x1000 }, { "COMP", 0x4000 }, { "ZERO", 0x8000 },
	{ "NOMEMALLOC", 0x10000 }, { "HARDWALL", 0x20000 }, { "THISNODE", 0x40000 },
	{ "RECLAIMABLE", 0x80000 }, { "NOTRACK", 0x200000 }, END
};

static const struct gfp_bitdef era_310[] = {
	ZONE_BITS, { "WAIT", 0x10 }, { "HIGH", 0x20 }, { "IO", 0x40 }, { "FS", 0x80 },
	{ "COLD", 0x100 }, { "NOWARN", 0x200 }, { "REPEAT", 0x400 }, { "NOFAIL", 0x800 },
	{ "NORETRY", 0x1000 }, { "MEMALLOC", 0x2000 }, { "COMP", 0x4000 },
	{ "ZERO", 0x8000 }, { "NOMEMALLOC", 0x10000 }, { "HARDWALL", 0x20000 },
	{ "THISNODE", 0x40000 }, { "RECLAIMABLE", 0x80000 }, { "KMEMCG", 0x100000 },
	{ "NOTRACK", 0x200000 }, { "NO_KSWAPD", 0x400000 }, { "OTHER_NODE", 0x800000 },
	{ "WRITE", 0x1000000 }, END
};

/* 4.4 to 4.17 share bits 0x8..0x40000 and ATOMIC/ACCOUNT. */
#define MID_BITS(repeat) \
	ZONE_BITS, { "RECLAIMABLE", 0x10 }, { "HIGH", 0x20 }, { "IO", 0x40 }, \
	{ "FS", 0x80 }, { "NOWARN", 0x200 }, { repeat, 0x400 }, { "NOFAIL", 0x800 }, \
	{ "NORETRY", 0x1000 }, { "MEMALLOC", 0x2000 }, { "COMP", 0x4000 }, \
	{ "ZERO", 0x8000 }, { "NOMEMALLOC", 0x10000 }, { "HARDWALL", 0x20000 }, \
	{ "THISNODE", 0x40000 }, { "ATOMIC", 0x80000 }, { "ACCOUNT", 0x100000 }

static const struct gfp_bitdef era_44[] = {
	MID_BITS("REPEAT"), { "COLD", 0x100 }, { "NOTRACK", 0x200000 },
	{ "DIRECT_RECLAIM", 0x400000 }, { "OTHER_NODE", 0x800000 },
	{ "WRITE", 0x1000000 }, { "KSWAPD_RECLAIM", 0x2000000 }, END
};

static const struct gfp_bitdef era_410[] = {
	MID_BITS("REPEAT"), { "COLD", 0x100 }, { "NOTRACK", 0x200000 },
	{ "DIRECT_RECLAIM", 0x400000 }, { "WRITE", 0x800000 },
	{ "KSWAPD_RECLAIM", 0x1000000 }, { "NOLOCKDEP", 0x2000000 }, END
};

static const struct gfp_bitdef era_414[] = {
	MID_BITS("RETRY_MAYFAIL"), { "COLD", 0x100 }, { "NOTRACK", 0x200000 },
	{ "DIRECT_RECLAIM", 0x400000 }, { "WRITE", 0x800000 },
	{ "KSWAPD_RECLAIM", 0x1000000 }, { "NOLOCKDEP", 0x2000000 }, END
};

static const struct gfp_bitdef era_415[] = {
	MID_BITS("RETRY_MAYFAIL"), { "DIRECT_RECLAIM", 0x400000 }, { "WRITE", 0x800000 },
	{ "KSWAPD_RECLAIM", 0x1000000 }, { "NOLOCKDEP", 0x2000000 }, END
};

static const struct gfp_bitdef era_418[] = {
	MID_BITS("RETRY_MAYFAIL"), { "WRITE", 0x100 }, { "DIRECT_RECLAIM", 0x200000 },
	{ "KSWAPD_RECLAIM", 0x400000 }, { "NOLOCKDEP", 0x800000 }, END
};

#define NEW_BITS \
	ZONE_BITS, { "RECLAIMABLE", 0x10 }, { "HIGH", 0x20 }, { "IO", 0x40 }, \
	{ "FS", 0x80 }, { "ZERO", 0x100 }, { "DIRECT_RECLAIM", 0x400 }, \
	{ "KSWAPD_RECLAIM", 0x800 }, { "WRITE", 0x1000 }, { "NOWARN", 0x2000 }, \
	{ "RETRY_MAYFAIL", 0x4000 }, { "NOFAIL", 0x8000 }, { "NORETRY", 0x10000 }, \
	{ "MEMALLOC", 0x20000 }, { "COMP", 0x40000 }, { "NOMEMALLOC", 0x80000 }, \
	{ "HARDWALL", 0x100000 }, { "THISNODE", 0x200000 }, { "ACCOUNT", 0x400000 }, \
	{ "ZEROTAGS", 0x800000 }, { "SKIP_ZERO", 0x1000000 }

static const struct gfp_bitdef era_52[] = {
	NEW_BITS, { "ATOMIC", 0x200 }, { "SKIP_KASAN_UNPOISON", 0x2000000 },
	{ "SKIP_KASAN_POISON", 0x4000000 }, END
};

static const struct gfp_bitdef era_63[] = {
	NEW_BITS, { "SKIP_KASAN", 0x2000000 }, END
};

static const struct gfp_bitdef *const tables[GFP_ERA_N] = {
	era_2632, era_310, era_44, era_410, era_414, era_415, era_418, era_52, era_63,
};

static const char *const era_names[GFP_ERA_N] = {
	"2.6.32-3.9", "3.10-4.3", "4.4-4.9", "4.10-4.13", "4.14", "4.15-4.17",
	"4.18-5.1", "5.2-6.2", "6.3+",
};

/* %pGg walks composites in this order, then single flags in this order. */
static const char *const composite_order[] = {
	"GFP_TRANSHUGE", "GFP_TRANSHUGE_LIGHT", "GFP_HIGHUSER_MOVABLE", "GFP_HIGHUSER",
	"GFP_USER", "GFP_KERNEL_ACCOUNT", "GFP_KERNEL", "GFP_NOFS", "GFP_ATOMIC",
	"GFP_NOIO", "GFP_NOWAIT", "GFP_DMA", "__GFP_HIGHMEM", "GFP_DMA32",
};

static const char *const single_order[] = {
	"HIGH", "ATOMIC", "IO", "FS", "COLD", "NOWARN", "REPEAT", "RETRY_MAYFAIL",
	"NOFAIL", "NORETRY", "MEMALLOC", "COMP", "ZERO", "NOMEMALLOC", "HARDWALL",
	"THISNODE", "RECLAIMABLE", "MOVABLE", "ACCOUNT", "NOTRACK", "WRITE",
	"OTHER_NODE", "KMEMCG", "NO_KSWAPD", "WAIT", "RECLAIM", "DIRECT_RECLAIM",
	"KSWAPD_RECLAIM", "NOLOCKDEP", "ZEROTAGS", "SKIP_ZERO", "SKIP_KASAN",
	"SKIP_KASAN_UNPOISON", "SKIP_KASAN_POISON", "DMA", "DMA32",
};

enum gfp_era gfp_era_of(const struct kver *v)
{
	int c = kver_code(v);

	if (!kver_known(v))
		return GFP_ERA_52;	/* callers check kver_known first */
	if (c < KV(3, 10))
		return GFP_ERA_2632;
	if (c < KV(4, 4))
		return GFP_ERA_310;
	if (c < KV(4, 10))
		return GFP_ERA_44;
	if (c < KV(4, 14))
		return GFP_ERA_410;
	if (c < KV(4, 15))
		return GFP_ERA_414;
	if (c < KV(4, 18))
		return GFP_ERA_415;
	if (c < KV(5, 2))
		return GFP_ERA_418;
	if (c < KV(6, 3))
		return GFP_ERA_52;
	return GFP_ERA_63;
}

const char *gfp_era_name(enum gfp_era era)
{
	return era >= 0 && era < GFP_ERA_N ? era_names[era] : "?";
}

unsigned long gfp_bit(enum gfp_era era, const char *name)
{
	if (era < 0 || era >= GFP_ERA_N)
		return 0;
	for (const struct gfp_bitdef *d = tables[era]; d->name; d++)
		if (!strcmp(d->name, name))
			return d->v;
	if (!strcmp(name, "RECLAIM"))
		return gfp_bit(era, "DIRECT_RECLAIM") | gfp_bit(era, "KSWAPD_RECLAIM");
	return 0;
}

/* Composites as include/linux/gfp.h builds them; 0 when undefined. */
static unsigned long composite(enum gfp_era era, const char *name)
{
	unsigned long wait = gfp_bit(era, "WAIT");
	unsigned long reclaim = wait ? wait : gfp_bit(era, "RECLAIM");
	unsigned long io = gfp_bit(era, "IO"), fs = gfp_bit(era, "FS");
	unsigned long user = reclaim | io | fs | gfp_bit(era, "HARDWALL");
	unsigned long hum = user | gfp_bit(era, "HIGHMEM") | gfp_bit(era, "MOVABLE");

	if (!strcmp(name, "GFP_ATOMIC"))
		return wait ? gfp_bit(era, "HIGH") :
		       gfp_bit(era, "HIGH") | gfp_bit(era, "ATOMIC") |
		       gfp_bit(era, "KSWAPD_RECLAIM");
	if (!strcmp(name, "GFP_KERNEL"))
		return reclaim | io | fs;
	if (!strcmp(name, "GFP_KERNEL_ACCOUNT"))
		return wait ? 0 : reclaim | io | fs | gfp_bit(era, "ACCOUNT");
	if (!strcmp(name, "GFP_NOFS"))
		return reclaim | io;
	if (!strcmp(name, "GFP_NOIO"))
		return reclaim;
	if (!strcmp(name, "GFP_NOWAIT"))
		return wait ? 0 : gfp_bit(era, "KSWAPD_RECLAIM");
	if (!strcmp(name, "GFP_USER"))
		return user;
	if (!strcmp(name, "GFP_HIGHUSER"))
		return user | gfp_bit(era, "HIGHMEM");
	if (!strcmp(name, "GFP_HIGHUSER_MOVABLE"))
		return hum;
	if (!strcmp(name, "GFP_DMA"))
		return gfp_bit(era, "DMA");
	if (!strcmp(name, "GFP_DMA32"))
		return gfp_bit(era, "DMA32");
	if (!strcmp(name, "__GFP_HIGHMEM"))
		return gfp_bit(era, "HIGHMEM");
	if (wait)	/* the THP masks are printed only by 4.6+ kernels */
		return 0;
	unsigned long light = (hum | gfp_bit(era, "COMP") | gfp_bit(era, "NOMEMALLOC") |
			       gfp_bit(era, "NOWARN")) & ~reclaim;

	if (!strcmp(name, "GFP_TRANSHUGE_LIGHT"))
		return light;
	if (!strcmp(name, "GFP_TRANSHUGE"))
		return light | gfp_bit(era, "DIRECT_RECLAIM");
	return 0;
}

bool gfp_value(enum gfp_era era, const char *name, unsigned long *out)
{
	unsigned long v;

	if (era < 0 || era >= GFP_ERA_N)
		return false;
	if (!strncmp(name, "__GFP_", 6) && strcmp(name, "__GFP_HIGHMEM"))
		v = gfp_bit(era, name + 6);
	else
		v = composite(era, name);
	if (!v)
		return false;
	*out = v;
	return true;
}

static void append(char *buf, size_t size, size_t *len, const char *s)
{
	int n = snprintf(buf + *len, size - *len, "%s%s", *len ? "|" : "", s);

	if (n > 0 && (size_t)n < size - *len)
		*len += (size_t)n;
}

void gfp_decode(enum gfp_era era, unsigned long mask, char *buf, size_t size)
{
	/* a log repeats one mask many times: keep the last answer */
	static _Thread_local struct {
		bool valid;
		enum gfp_era era;
		unsigned long mask;
		char text[256];
	} last;
	unsigned long orig = mask;
	size_t len = 0;
	char name[40];

	if (last.valid && last.era == era && last.mask == mask && size <= sizeof(last.text)) {
		snprintf(buf, size, "%s", last.text);
		return;
	}
	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(composite_order) / sizeof(*composite_order); i++) {
		unsigned long v = composite(era, composite_order[i]);

		if (v && (mask & v) == v) {
			append(buf, size, &len, composite_order[i]);
			mask &= ~v;
		}
	}
	for (size_t i = 0; i < sizeof(single_order) / sizeof(*single_order); i++) {
		unsigned long v = gfp_bit(era, single_order[i]);

		if (v && (mask & v) == v) {
			snprintf(name, sizeof(name), "__GFP_%s", single_order[i]);
			append(buf, size, &len, name);
			mask &= ~v;
		}
	}
	if (mask) {
		snprintf(name, sizeof(name), "%#lx", mask);
		append(buf, size, &len, name);
	}
	last.valid = true;
	last.era = era;
	last.mask = orig;
	snprintf(last.text, sizeof(last.text), "%s", buf);
}

int gfp_era_from_names(unsigned long mask, const char *printed)
{
	int found = -1;
	char buf[256];

	if (!printed || !*printed)
		return -1;
	/* Eras are tried newest first; adjacent eras that print the same
	 * names are equally right for decoding, so the newest wins. */
	for (int e = GFP_ERA_N - 1; e >= GFP_ERA_44; e--) {
		gfp_decode((enum gfp_era)e, mask, buf, sizeof(buf));
		if (!strcmp(buf, printed)) {
			found = e;
			break;
		}
	}
	return found;
}
