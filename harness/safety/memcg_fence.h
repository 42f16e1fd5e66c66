/*
 * Fencing: every workload runs in a memory cgroup of its own, created with
 * libcgroup on cgroup v1 or v2 (whichever has the memory controller here),
 * with the scenario's limit.  Its memcg events are read at the end, and the
 * group with every process in it is removed at the end, after a kill, and
 * by `allocrepro restore` (the group's path is journaled first).
 */
#ifndef ALLOCREPRO_MEMCG_FENCE_H
#define ALLOCREPRO_MEMCG_FENCE_H

#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>
#include <json-c/json.h>

struct journal;

struct memcg_fence {
	char name[128];		/* relative to the memory hierarchy's root */
	char path[512];		/* the group's directory */
	int version;		/* 1 or 2 */
	void *cg;		/* struct cgroup * of libcgroup */
};

/* Create the group (name unique to this run) with a memory limit (0: none),
 * journaled before creation.  -1 with err filled. */
int memcg_fence_create(struct memcg_fence *f, const char *name, uint64_t limit_bytes,
		       struct journal *j, char *err, size_t errlen);
/* Move a process (a workload, before it starts working) into the group. */
int memcg_fence_attach(struct memcg_fence *f, pid_t pid);
/* memory.events / oom_control / failcnt and the usage peak, as JSON. */
json_object *memcg_fence_events(const struct memcg_fence *f);
/* Kill every process in the group, wait for it to empty, remove it. */
int memcg_fence_destroy(struct memcg_fence *f);
/* The same for a journaled path (restore); says what it did on out. */
int memcg_fence_remove_path(const char *path, FILE *out);

#endif
