#include "event_json.h"

#include <limits.h>
#include <string.h>

static void add_str(json_object *o, const char *k, const char *v)
{
	if (v && *v)
		json_object_object_add(o, k, json_object_new_string(v));
}

static void add_long(json_object *o, const char *k, long v)
{
	if (v >= 0)
		json_object_object_add(o, k, json_object_new_int64(v));
}

static json_object *zone_to_json(const struct ev_zone *z)
{
	json_object *o = json_object_new_object();

	if (z->node >= 0)
		json_object_object_add(o, "node", json_object_new_int(z->node));
	add_str(o, "zone", z->zone);
	if (z->has_wmark) {
		add_long(o, "free_kb", z->free_kb);
		add_long(o, "min_kb", z->min_kb);
		add_long(o, "low_kb", z->low_kb);
		add_long(o, "high_kb", z->high_kb);
	}
	if (z->n_reserve) {
		json_object *a = json_object_new_array();

		for (int i = 0; i < z->n_reserve; i++)
			json_object_array_add(a, json_object_new_int64(z->lowmem_reserve[i]));
		json_object_object_add(o, "lowmem_reserve", a);
	}
	add_long(o, "present_kb", z->present_kb);
	add_long(o, "managed_kb", z->managed_kb);
	add_long(o, "free_cma_kb", z->free_cma_kb);
	add_long(o, "boost_kb", z->boost_kb);
	add_long(o, "reserved_highatomic_kb", z->highatomic_kb);
	if (z->all_unreclaimable >= 0)
		json_object_object_add(o, "all_unreclaimable",
				       json_object_new_boolean(z->all_unreclaimable));
	if (z->n_orders) {
		json_object *b = json_object_new_array();
		json_object *m = json_object_new_array();

		for (int i = 0; i < z->n_orders; i++) {
			json_object_array_add(b, json_object_new_int64(z->buddy[i]));
			json_object_array_add(m, json_object_new_string(z->migratetypes[i]));
		}
		json_object_object_add(o, "buddy", b);
		json_object_object_add(o, "migratetypes", m);
	}
	return o;
}

static json_object *victim_to_json(const struct ev_victim *v)
{
	json_object *o = json_object_new_object();

	add_long(o, "pid", v->pid);
	add_str(o, "comm", v->comm);
	add_long(o, "score", v->score);
	add_long(o, "uid", v->uid);
	if (v->oom_score_adj != LONG_MIN)
		json_object_object_add(o, "oom_score_adj", json_object_new_int64(v->oom_score_adj));
	add_long(o, "total_vm_kb", v->total_vm_kb);
	add_long(o, "anon_rss_kb", v->anon_rss_kb);
	add_long(o, "file_rss_kb", v->file_rss_kb);
	add_long(o, "shmem_rss_kb", v->shmem_rss_kb);
	return o;
}

static json_object *summary_to_json(const struct ev_summary *m)
{
	json_object *o = json_object_new_object();

	add_long(o, "free", m->free);
	add_long(o, "free_cma", m->free_cma);
	add_long(o, "active_file", m->active_file);
	add_long(o, "inactive_file", m->inactive_file);
	add_long(o, "active_anon", m->active_anon);
	add_long(o, "inactive_anon", m->inactive_anon);
	add_long(o, "slab_reclaimable", m->slab_reclaimable);
	add_long(o, "slab_unreclaimable", m->slab_unreclaimable);
	add_long(o, "ram_pages", m->ram_pages);
	add_long(o, "highmem_pages", m->highmem_pages);
	add_long(o, "reserved_pages", m->reserved_pages);
	add_long(o, "cma_reserved_pages", m->cma_reserved_pages);
	return o;
}

json_object *event_to_json(const struct event *e)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "type", json_object_new_string(ev_type_name(e->type)));
	add_str(o, "comm", e->comm);
	add_long(o, "pid", e->pid);
	if (e->order >= 0)
		json_object_object_add(o, "order", json_object_new_int(e->order));
	add_str(o, "gfp_mask", e->gfp_mask);
	if (e->gfp_flags[0]) {
		json_object *a = json_object_new_array();
		char buf[sizeof(e->gfp_flags)], *save = NULL;

		memcpy(buf, e->gfp_flags, sizeof(buf));
		for (char *t = strtok_r(buf, "|", &save); t; t = strtok_r(NULL, "|", &save))
			json_object_array_add(a, json_object_new_string(t));
		json_object_object_add(o, "gfp_flags", a);
	}
	add_str(o, "kernel", e->kernel);
	if (e->time >= 0)
		json_object_object_add(o, "time", json_object_new_double(e->time));
	add_str(o, "nodemask", e->nodemask);
	add_str(o, "cpuset", e->cpuset);
	add_str(o, "mems_allowed", e->mems_allowed);
	if (e->in_irq)
		json_object_object_add(o, "in_irq", json_object_new_boolean(1));
	if (e->cpu >= 0)
		json_object_object_add(o, "cpu", json_object_new_int(e->cpu));
	add_str(o, "context", e->context);
	add_str(o, "caller", e->caller);
	add_str(o, "workqueue", e->workqueue);
	if (e->phase >= 0)
		json_object_object_add(o, "phase", json_object_new_int(e->phase));
	if (e->type == EV_OOM || e->type == EV_MEMCG_OOM) {
		if (e->oom_score_adj != -1 || e->pid >= 0)
			json_object_object_add(o, "oom_score_adj",
					       json_object_new_int64(e->oom_score_adj));
		add_str(o, "constraint", e->constraint);
		add_str(o, "oom_memcg", e->oom_memcg);
		add_str(o, "task_memcg", e->task_memcg);
		add_long(o, "memcg_usage_kb", e->memcg_usage_kb);
		add_long(o, "memcg_limit_kb", e->memcg_limit_kb);
		add_long(o, "memcg_failcnt", e->memcg_failcnt);
		if (e->has_victim)
			json_object_object_add(o, "victim", victim_to_json(&e->victim));
		if (e->n_tasks) {
			json_object *t = json_object_new_object();

			json_object_object_add(t, "count", json_object_new_int(e->n_tasks));
			add_str(t, "largest", e->top_task);
			add_long(t, "largest_pid", e->top_task_pid);
			add_long(t, "largest_rss_pages", e->top_task_rss);
			json_object_object_add(o, "tasks", t);
		}
	}
	if (e->type == EV_VMALLOC_FAILURE) {
		add_long(o, "size", e->vm_size);
		add_str(o, "reason", e->vm_reason);
	}
	if (e->sum.free >= 0 || e->sum.ram_pages >= 0)
		json_object_object_add(o, "mem_summary", summary_to_json(&e->sum));
	if (e->nzones) {
		json_object *a = json_object_new_array();

		for (int i = 0; i < e->nzones; i++)
			json_object_array_add(a, zone_to_json(&e->zones[i]));
		json_object_object_add(o, "zones", a);
	}
	return o;
}
