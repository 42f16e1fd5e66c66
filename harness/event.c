#include "event.h"
#include "util.h"

#include <stdlib.h>

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
