/* SPDX-License-Identifier: GPL-2.0 */
/*
 * allocrepro_helper: what the parts of the module share.
 *
 *   helper_main.c   debugfs interface, module parameters, load/unload
 *   helper_cmd.c    parsing and checking of the commands written to "cmd"
 *   helper_gfp.c    GFP expressions and the combinations that are refused
 *   helper_run.c    allocation runs: contexts, bursts, hold, repeat, stop
 *   helper_pin.c    pins: unmovable fragmentation and lowmem exhaustion
 *   helper_stats.c  counters of runs and the text of the "stats" file
 */
#ifndef ALLOCREPRO_HELPER_H
#define ALLOCREPRO_HELPER_H

#include <linux/bits.h>
#include <linux/types.h>
#include <linux/gfp.h>
#include <linux/mmzone.h>
#include "helper_compat.h"

struct seq_file;

#define HELPER_MAX_COUNT	BIT(20)
#define HELPER_MAX_BURST	1024U
#define HELPER_MAX_INTERVAL_US	(10U * USEC_PER_SEC)
#define HELPER_MAX_HOLD_MS	(600U * MSEC_PER_SEC)
#define HELPER_MAX_REPEAT	1000000U

enum helper_context {
	CTX_PROCESS,	/* a kernel thread, may sleep */
	CTX_IRQOFF,	/* the same thread with local interrupts disabled */
	CTX_SOFTIRQ,	/* a timer_list callback (TIMER_SOFTIRQ) */
	CTX_TASKLET,	/* a tasklet (TASKLET_SOFTIRQ) */
	CTX_HARDIRQ,	/* an hrtimer callback in hard interrupt context */
	CTX_WORKQUEUE,	/* a work item, may sleep */
	CTX_NR,
};

extern const char * const helper_ctx_names[CTX_NR];

static inline bool helper_ctx_atomic(enum helper_context ctx)
{
	return ctx != CTX_PROCESS && ctx != CTX_WORKQUEUE;
}

struct helper_params {
	enum helper_context ctx;
	gfp_t gfp;
	unsigned int order;
	unsigned int count;		/* attempts per repetition */
	unsigned int burst;		/* attempts per burst */
	unsigned int interval_us;	/* from the start of one burst to the next */
	unsigned int hold_ms;		/* after the last burst, before freeing */
	unsigned int repeat;		/* repetitions, 0: until stopped */
	int cpu;			/* -1: any */
	int node;			/* NUMA_NO_NODE: the executing CPU's */
	bool free_immediately;		/* free each block as soon as it is obtained */
	bool until_fail;		/* a repetition ends at its first failure */
};

enum helper_pin_mode {
	PIN_UNMOVABLE,	/* one page kept in every 2^break_order, across pageblocks */
	PIN_LOWMEM,	/* order-0 pages until a zone is near its min watermark */
};

struct helper_pin_params {
	enum helper_pin_mode mode;
	int node;			/* NUMA_NO_NODE: the local node */
	unsigned int blocks;		/* unmovable: blocks to break up, 0 = all */
	unsigned int block_order;	/* unmovable: size of a block */
	unsigned int break_order;	/* unmovable: no free block of this order forms */
	u64 seed;			/* unmovable: which page of a run stays */
	char zone[16];			/* lowmem: zone name, "" = highest lowmem zone */
	unsigned long margin_kb;	/* lowmem: stop this far above the min watermark */
};

/* helper_main.c: limits given at load time */
extern unsigned int helper_max_hold_percent;
extern unsigned int helper_max_atomic_us;
/* May another @pages be held on top of what runs and pins may hold? */
bool helper_may_hold(unsigned long pages);
unsigned long helper_hold_cap(void);

/* helper_gfp.c */
int helper_gfp_parse(const char *text, gfp_t *gfp);
int helper_gfp_check(const struct helper_params *p);

/* helper_cmd.c */
int helper_cmd_execute(char *buf, bool *wait);

/* helper_run.c */
int helper_run_init(void);
void helper_run_exit(void);
int helper_run_start(const struct helper_params *p);
int helper_run_wait(void);
void helper_run_stop(void);
bool helper_run_active(void);
unsigned long helper_run_held_max(void);
unsigned long helper_run_reserved(void);

/* helper_pin.c */
int helper_pin(const struct helper_pin_params *p);
void helper_pin_release(void);
unsigned long helper_pinned_pages(void);
void helper_pin_show(struct seq_file *m);

/* helper_stats.c */
void helper_stats_begin(const struct helper_params *p);
void helper_stats_attempt(struct page *page, unsigned int order, u64 ns, int cpu_wanted);
void helper_stats_burst(u64 ns, bool truncated);
void helper_stats_end(u64 elapsed_ns, int result);
void helper_stats_reset(void);
void helper_stats_show(struct seq_file *m, bool running);

#endif
