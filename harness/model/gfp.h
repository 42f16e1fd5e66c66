/*
 * GFP bits by kernel era, decoded into the names the kernel's %pGg prints.
 * Tables: docs/kernel-log-formats.md, "GFP masks by era".
 */
#ifndef ALLOCREPRO_GFP_H
#define ALLOCREPRO_GFP_H

#include "parse/kver.h"

#include <stdbool.h>
#include <stddef.h>

enum gfp_era {
	GFP_ERA_2632,	/* 2.6.32-3.9: __GFP_WAIT */
	GFP_ERA_310,	/* 3.10-4.3: + MEMALLOC, KMEMCG, NO_KSWAPD, WRITE */
	GFP_ERA_44,	/* 4.4-4.9: WAIT split into DIRECT/KSWAPD_RECLAIM, ATOMIC */
	GFP_ERA_410,	/* 4.10-4.13: OTHER_NODE gone */
	GFP_ERA_414,	/* 4.14: REPEAT renamed RETRY_MAYFAIL */
	GFP_ERA_415,	/* 4.15-4.17: COLD, NOTRACK gone */
	GFP_ERA_418,	/* 4.18-5.1: WRITE 0x100, reclaim bits moved */
	GFP_ERA_52,	/* 5.2-6.2: renumbered */
	GFP_ERA_63,	/* 6.3+: __GFP_ATOMIC gone */
	GFP_ERA_N
};

enum gfp_era gfp_era_of(const struct kver *v);
const char *gfp_era_name(enum gfp_era era);
/* A single flag by short name ("HIGH", "DIRECT_RECLAIM"); 0 if the era
 * has no such bit. */
unsigned long gfp_bit(enum gfp_era era, const char *name);
/* A composite ("GFP_ATOMIC") or single ("__GFP_COMP") by its printed name;
 * false if the era does not define it. */
bool gfp_value(enum gfp_era era, const char *name, unsigned long *out);
/* Decode as %pGg does: composites first, then single flags, leftover hex. */
void gfp_decode(enum gfp_era era, unsigned long mask, char *buf, size_t size);
/* The era whose decode of mask equals the names the log printed (4.6+
 * kernels print both), or -1 when none or several disagree. */
int gfp_era_from_names(unsigned long mask, const char *printed);

#endif
