/* The helper module's protocol: command text and the stats file parser. */
#include "kmod_proto.h"
#include "util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const contexts[] = { "process", "irqoff", "softirq", "tasklet", "hardirq",
					"workqueue" };

/* The names kmod-helpers/helper_gfp.c knows. */
static const char *const gfp_names[] = { "GFP_ATOMIC", "GFP_NOWAIT", "GFP_KERNEL",
	"GFP_KERNEL_NORETRY", "GFP_NOIO", "GFP_NOFS", "GFP_USER", "GFP_HIGHUSER",
	"GFP_HIGHUSER_MOVABLE", "GFP_DMA", "GFP_DMA32", "__GFP_DMA", "__GFP_DMA32",
	"__GFP_HIGHMEM", "__GFP_MOVABLE", "__GFP_RECLAIMABLE", "__GFP_HIGH", "__GFP_IO",
	"__GFP_FS", "__GFP_ZERO", "__GFP_DIRECT_RECLAIM", "__GFP_KSWAPD_RECLAIM",
	"__GFP_RECLAIM", "__GFP_WRITE", "__GFP_NOWARN", "__GFP_RETRY_MAYFAIL", "__GFP_NOFAIL",
	"__GFP_NORETRY", "__GFP_MEMALLOC", "__GFP_COMP", "__GFP_NOMEMALLOC", "__GFP_HARDWALL",
	"__GFP_THISNODE", "__GFP_ACCOUNT" };

bool kmod_context_valid(const char *ctx)
{
	for (size_t i = 0; i < ARRAY_LEN(contexts); i++)
		if (!strcmp(ctx, contexts[i]))
			return true;
	return false;
}

static bool gfp_term_valid(const char *t, size_t n)
{
	size_t i = 0;

	for (size_t k = 0; k < ARRAY_LEN(gfp_names); k++)
		if (strlen(gfp_names[k]) == n && !strncmp(t, gfp_names[k], n))
			return true;
	if (n > 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X'))
		i = 2;
	if (i == n || n - i > 8)
		return false;
	for (; i < n; i++)
		if (!strchr("0123456789abcdefABCDEF", t[i]))
			return false;
	return true;
}

bool kmod_gfp_valid(const char *gfp, char *bad, size_t badlen)
{
	const char *s = gfp;

	for (;;) {
		size_t n = strcspn(s, "|");

		if (!gfp_term_valid(s, n)) {
			snprintf(bad, badlen, "%.*s", (int)n, s);
			return false;
		}
		if (!s[n])
			return true;
		s += n + 1;
	}
}

void kmod_probe_command(const struct kmod_probe *p, char *buf, size_t len)
{
	char cpu[16] = "any", node[16] = "local";

	if (p->cpu >= 0)
		snprintf(cpu, sizeof(cpu), "%d", p->cpu);
	if (p->node >= 0)
		snprintf(node, sizeof(node), "%d", p->node);
	snprintf(buf, len,
		 "run context=%s gfp=%s order=%u count=%u burst=%u interval_us=%u hold_ms=%u "
		 "cpu=%s node=%s free=%s comp=%d nowarn=%d until_fail=%d\n",
		 p->context, p->gfp, p->order, p->count, p->burst, p->interval_us, p->hold_ms,
		 cpu, node, p->free_immediately ? "immediate" : "end", p->comp, p->nowarn,
		 p->until_fail);
}

void kmod_pin_command(const struct kmod_pin *p, char *buf, size_t len)
{
	char node[16] = "local";
	int n;

	if (p->node >= 0)
		snprintf(node, sizeof(node), "%d", p->node);
	if (p->lowmem) {
		n = snprintf(buf, len, "pin mode=lowmem node=%s margin_kb=%u", node, p->margin_kb);
		if (p->zone[0] && n >= 0 && (size_t)n < len)
			snprintf(buf + n, len - (size_t)n, " zone=%s", p->zone);
	} else {
		n = snprintf(buf, len, "pin mode=unmovable node=%s blocks=%u break_order=%u seed=%llu",
			     node, p->blocks, p->break_order, (unsigned long long)p->seed);
		if (p->block_order && n >= 0 && (size_t)n < len)
			snprintf(buf + n, len - (size_t)n, " block_order=%u", p->block_order);
	}
	n = (int)strlen(buf);
	if ((size_t)n + 1 < len) {
		buf[n] = '\n';
		buf[n + 1] = '\0';
	}
}

/* "pages 0 DMA32 1234" / "pinned 0 Normal 12": one place, if there is room. */
static void parse_place(const char *s, struct kmod_place *v, int *n)
{
	struct kmod_place pl = { 0 };

	if (*n < KMOD_MAX_PLACES && sscanf(s, "%*s %d %15s %lu", &pl.node, pl.zone, &pl.pages) == 3)
		v[(*n)++] = pl;
}

static void parse_line(const char *s, struct kmod_stats *o, int *seen)
{
	static const struct {
		const char *key;
		size_t off;
	} ul[] = {
		{ "attempts", offsetof(struct kmod_stats, attempts) },
		{ "successes", offsetof(struct kmod_stats, successes) },
		{ "failures", offsetof(struct kmod_stats, failures) },
		{ "bursts", offsetof(struct kmod_stats, bursts) },
		{ "truncated_bursts", offsetof(struct kmod_stats, truncated_bursts) },
		{ "held_max_pages", offsetof(struct kmod_stats, held_max_pages) },
		{ "wrong_cpu", offsetof(struct kmod_stats, wrong_cpu) },
		{ "pinned_pages", offsetof(struct kmod_stats, pinned_pages) },
	};
	char key[32], word[32];
	long long v;
	unsigned long a, b;

	if (sscanf(s, "%31s", key) != 1)
		return;
	if (!strcmp(key, "pages")) {
		parse_place(s, o->places, &o->nplaces);
	} else if (!strcmp(key, "pinned")) {
		parse_place(s, o->pinned, &o->npinned);
	} else if (!strcmp(key, "observed") && sscanf(s, "%*s %31s %lu", word, &a) == 2) {
		if (!strcmp(word, "task"))
			o->obs_task = a;
		else if (!strcmp(word, "irqoff"))
			o->obs_irqoff = a;
		else if (!strcmp(word, "softirq"))
			o->obs_softirq = a;
		else if (!strcmp(word, "hardirq"))
			o->obs_hardirq = a;
	} else if (!strcmp(key, "latency_log2ns") && sscanf(s, "%*s %lu %lu", &a, &b) == 2) {
		if (a < KMOD_HIST)
			o->latency[a] = b;
	} else if (!strcmp(key, "unmovable_blocks") && sscanf(s, "%*s %lu", &a) == 1) {
		o->unmovable_blocks = a;
		sscanf(s, "%*s %*u %*u stop %15s", o->unmovable_stop);
	} else if (!strcmp(key, "lowmem")) {
		int reached;

		if (sscanf(s, "%*s %*d %15s target %lu free %lu reached %d stop %15s", o->lowmem_zone,
			   &o->lowmem_target, &o->lowmem_free, &reached, o->lowmem_stop) >= 4) {
			o->lowmem_seen = true;
			o->lowmem_reached = reached != 0;
		}
	} else if (sscanf(s, "%*s %lld", &v) == 1) {
		for (size_t i = 0; i < ARRAY_LEN(ul); i++)
			if (!strcmp(key, ul[i].key)) {
				*(unsigned long *)((char *)o + ul[i].off) = (unsigned long)v;
				(*seen)++;
			}
		if (!strcmp(key, "version"))
			o->version = (int)v;
		else if (!strcmp(key, "first_failure_ns"))
			o->first_failure_ns = v;
		else if (!strcmp(key, "atomic_ns_max"))
			o->atomic_ns_max = (unsigned long long)v;
		else if (!strcmp(key, "elapsed_ns"))
			o->elapsed_ns = (unsigned long long)v;
	}
}

bool kmod_stats_parse(const char *text, struct kmod_stats *out)
{
	int seen = 0;

	memset(out, 0, sizeof(*out));
	out->first_failure_ns = -1;
	for (const char *s = text; s && *s; ) {
		parse_line(s, out, &seen);
		s = strchr(s, '\n');
		if (s)
			s++;
	}
	return out->version == 2 && seen == 8;
}
