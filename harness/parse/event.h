/* A kernel memory event as parsed from a log: the schema of DESIGN.md. */
#ifndef ALLOCREPRO_EVENT_H
#define ALLOCREPRO_EVENT_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define EV_MAX_ZONES 12
#define EV_MAX_ORDERS 16
#define EV_MAX_RESERVE 8
/* Numbers from logs are clamped here, so that the model's arithmetic
 * (counts << order, pages * kB) cannot overflow on absurd input.  Block
 * counts of order k are clamped to EV_NUM_MAX >> k, so that sums of pages
 * over all orders stay below EV_MAX_ORDERS * EV_NUM_MAX.  A 32-bit build
 * (the i386 lab guest) still covers 64 GiB PAE machines in kB. */
#if LONG_MAX > 0x7fffffffL
#define EV_NUM_MAX (1L << 40)
#else
#define EV_NUM_MAX (1L << 26)
#endif

static inline long ev_clamp(long v)
{
	return v > EV_NUM_MAX ? EV_NUM_MAX : v < -EV_NUM_MAX ? -EV_NUM_MAX : v;
}

/* A count of free blocks of order k, as pages it must fit in EV_NUM_MAX. */
static inline long ev_clamp_blocks(unsigned long v, int k)
{
	unsigned long max = (unsigned long)EV_NUM_MAX >> (k < 0 ? 0 : k > 30 ? 30 : k);

	return (long)(v > max ? max : v);
}

enum ev_type {
	EV_ALLOC_FAILURE,
	EV_VMALLOC_FAILURE,
	EV_OOM,
	EV_MEMCG_OOM,
};

struct ev_zone {
	int node;		/* -1 when the log has no "Node N" */
	char zone[16];
	bool has_wmark;
	long free_kb, min_kb, low_kb, high_kb;
	int n_reserve;
	long lowmem_reserve[EV_MAX_RESERVE];	/* pages, as printed */
	int n_orders;		/* 0 when no buddy line was seen */
	long buddy[EV_MAX_ORDERS];
	char migratetypes[EV_MAX_ORDERS][8];
	int page_kb;		/* the buddy line's first block size, 0 unknown */
	/* zone line extras, -1 when not printed */
	long present_kb, managed_kb, free_cma_kb, boost_kb, highatomic_kb;
	int all_unreclaimable;	/* -1 unknown, 0 no, 1 yes */
};

/* The OOM victim: "Killed process" and "Kill process ... score" lines. */
struct ev_victim {
	long pid;
	char comm[64];
	long score, uid, oom_score_adj;
	long total_vm_kb, anon_rss_kb, file_rss_kb, shmem_rss_kb;
};

/* show_mem's summary block (pages) and trailer, -1 when absent. */
struct ev_summary {
	long free, free_cma, active_file, inactive_file, slab_reclaimable;
	long slab_unreclaimable, active_anon, inactive_anon;
	long ram_pages, highmem_pages, reserved_pages, cma_reserved_pages;
};

struct event {
	enum ev_type type;
	char comm[64];
	long pid;		/* -1 unknown */
	int order;		/* -1 unknown */
	char gfp_mask[24];	/* hex as printed, "" unknown */
	char gfp_flags[256];	/* names as printed, '|'-separated */
	char kernel[96];
	double time;		/* seconds since boot, -1 unknown */
	char nodemask[64];
	char cpuset[128];
	char mems_allowed[64];
	bool in_irq;		/* the stack shows <IRQ> */
	int cpu;		/* of the banner, -1 unknown */
	char context[12];	/* hardirq, softirq, workqueue, task: from the trace */
	char caller[64];	/* first function of the trace outside the allocator */
	char workqueue[96];	/* "Workqueue: name fn" of the banner */
	int phase;		/* allocrepro phase the report began in, -1 none */
	bool has_dump;		/* Mem-Info / zone lines were seen */
	long oom_score_adj;	/* of the task that invoked the OOM killer */
	/* vmalloc */
	long vm_size;		/* bytes, -1 unknown */
	char vm_reason[96];
	/* OOM */
	bool has_victim;
	struct ev_victim victim;
	char constraint[32];
	char oom_memcg[128], task_memcg[128];
	long memcg_usage_kb, memcg_limit_kb, memcg_failcnt;
	struct ev_summary sum;
	int n_tasks;		/* rows of the task table */
	char top_task[64];	/* its largest task by rss */
	long top_task_pid, top_task_rss;	/* pages */
	int nzones;
	struct ev_zone zones[EV_MAX_ZONES];
};

struct event_list {
	struct event *v;
	size_t n, cap;
};

const char *ev_type_name(enum ev_type t);
/* All counters unknown (-1), strings empty. */
void event_init(struct event *e, enum ev_type type);
void ev_zone_init(struct ev_zone *z, int node, const char *zone);
/* The zone (node, name) of e; with add, a new one when absent and there is
 * room.  NULL otherwise. */
struct ev_zone *event_zone(struct event *e, int node, const char *zone, bool add);
struct event *event_list_push(struct event_list *l, const struct event *e);
void event_list_free(struct event_list *l);

#endif
