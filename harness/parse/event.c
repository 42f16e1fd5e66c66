#include "event.h"
#include "util/util.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void event_init(struct event *e, enum ev_type type)
{
	memset(e, 0, sizeof(*e));
	e->type = type;
	e->pid = -1;
	e->order = -1;
	e->time = -1;
	e->cpu = -1;
	e->phase = -1;
	e->oom_score_adj = -1;
	e->vm_size = -1;
	e->memcg_usage_kb = e->memcg_limit_kb = e->memcg_failcnt = -1;
	e->victim.pid = e->victim.score = e->victim.uid = -1;
	e->victim.total_vm_kb = e->victim.anon_rss_kb = -1;
	e->victim.file_rss_kb = e->victim.shmem_rss_kb = -1;
	e->victim.oom_score_adj = LONG_MIN;
	e->sum = (struct ev_summary){ -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1 };
	e->top_task_pid = e->top_task_rss = -1;
}

struct ev_zone *event_zone(struct event *e, int node, const char *zone, bool add)
{
	for (int i = 0; i < e->nzones; i++)
		if (e->zones[i].node == node && !strcmp(e->zones[i].zone, zone))
			return &e->zones[i];
	if (!add || e->nzones == EV_MAX_ZONES)
		return NULL;
	ev_zone_init(&e->zones[e->nzones], node, zone);
	return &e->zones[e->nzones++];
}

void ev_zone_init(struct ev_zone *z, int node, const char *zone)
{
	memset(z, 0, sizeof(*z));
	z->node = node;
	snprintf(z->zone, sizeof(z->zone), "%s", zone);
	z->free_kb = z->min_kb = z->low_kb = z->high_kb = -1;
	z->present_kb = z->managed_kb = z->free_cma_kb = -1;
	z->boost_kb = z->highatomic_kb = -1;
	z->all_unreclaimable = -1;
}

const char *ev_type_name(enum ev_type t)
{
	switch (t) {
	case EV_ALLOC_FAILURE: return "alloc_failure";
	case EV_VMALLOC_FAILURE: return "vmalloc_failure";
	case EV_OOM: return "oom";
	case EV_MEMCG_OOM: return "memcg_oom";
	}
	return "unknown";
}

struct event *event_list_push(struct event_list *l, const struct event *e)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 8;
		l->v = xrealloc(l->v, l->cap * sizeof(*l->v));
	}
	l->v[l->n] = *e;
	return &l->v[l->n++];
}

void event_list_free(struct event_list *l)
{
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}
