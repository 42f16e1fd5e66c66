/* A kernel memory event as parsed from a log: the schema of DESIGN.md. */
#ifndef ALLOCREPRO_EVENT_H
#define ALLOCREPRO_EVENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define EV_MAX_ZONES 12
#define EV_MAX_ORDERS 16
#define EV_MAX_RESERVE 8

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
	int nzones;
	struct ev_zone zones[EV_MAX_ZONES];
};

struct event_list {
	struct event *v;
	size_t n, cap;
};

const char *ev_type_name(enum ev_type t);
struct event *event_list_push(struct event_list *l, const struct event *e);
void event_list_free(struct event_list *l);

#endif
