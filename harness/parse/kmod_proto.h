/* The helper module's protocol: the commands it accepts (text) and the
 * statistics file it writes (kmod-helpers/helper_stats.c, version 2).
 * Pure: loading and talking to the module is runner/probe_kmod.c. */
#ifndef ALLOCREPRO_KMOD_PROTO_H
#define ALLOCREPRO_KMOD_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define KMOD_MAX_ORDER 10	/* x86 MAX_PAGE_ORDER */
/* where the module's cmd and stats files are (debugfs) */
#define KMOD_DEBUGFS_DIR "/sys/kernel/debug/allocrepro_helper"
#define KMOD_MAX_PLACES 16
#define KMOD_HIST 40

struct kmod_probe {
	char context[16];	/* process, irqoff, softirq, tasklet, hardirq, workqueue */
	char gfp[96];		/* flag names and hex masks joined by '|' */
	unsigned order, count, burst, interval_us, hold_ms;
	int cpu;		/* -1: any */
	int node;		/* -1: the executing CPU's */
	bool free_immediately;
	bool comp, nowarn;
	bool until_fail;	/* a repetition ends at its first failure */
};

struct kmod_pin {
	bool lowmem;		/* else unmovable */
	int node;		/* -1: local */
	unsigned blocks, block_order, break_order;	/* unmovable; block_order 0: pageblock */
	char zone[16];		/* lowmem; "" the highest lowmem zone */
	unsigned margin_kb;	/* lowmem */
	uint64_t seed;
};

struct kmod_place {
	int node;
	char zone[16];
	unsigned long pages;
};

struct kmod_stats {
	int version;
	unsigned long attempts, successes, failures, bursts, truncated_bursts;
	long long first_failure_ns;
	unsigned long long atomic_ns_max, elapsed_ns;
	unsigned long held_max_pages;
	/* attempts by the context they were seen to run in */
	unsigned long obs_task, obs_irqoff, obs_softirq, obs_hardirq, wrong_cpu;
	int nplaces;
	struct kmod_place places[KMOD_MAX_PLACES];	/* pages obtained */
	unsigned long latency[KMOD_HIST];		/* by log2(ns) */
	unsigned long pinned_pages, unmovable_blocks;
	char unmovable_stop[16], lowmem_stop[16];	/* why the last pin stopped */
	int npinned;
	struct kmod_place pinned[KMOD_MAX_PLACES];
	bool lowmem_seen, lowmem_reached;
	char lowmem_zone[16];
	unsigned long lowmem_target, lowmem_free;
};

/* Text of the commands written to the module's cmd file. */
void kmod_probe_command(const struct kmod_probe *p, char *buf, size_t len);
void kmod_pin_command(const struct kmod_pin *p, char *buf, size_t len);
/* Pure: parse the module's stats file; false when it is not version 2. */
bool kmod_stats_parse(const char *text, struct kmod_stats *out);
bool kmod_context_valid(const char *ctx);
/* A gfp expression the module accepts: known names and hex masks, '|'. */
bool kmod_gfp_valid(const char *gfp, char *bad, size_t badlen);

#endif
