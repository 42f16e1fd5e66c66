/*
 * A workload's life as the harness sees it: a fenced child process that
 * reaches its target and holds it, then is stopped and cleaned up.
 */
#ifndef ALLOCREPRO_WORKLOAD_PROC_H
#define ALLOCREPRO_WORKLOAD_PROC_H

#include <stdint.h>
#include <sys/types.h>
#include <json-c/json.h>

#include "safety/memcg_fence.h"
#include "workloads/workload.h"

struct journal;

struct workload_ctx {
	struct journal *journal;
	const char *tag;	/* unique in the run: names the cgroup and workdir */
	uint64_t limit_bytes;	/* memory cgroup limit, 0 none */
	unsigned timeout_s;	/* to reach the target */
};

struct workload_proc {
	const struct workload_ops *ops;
	pid_t pid;
	int fd;			/* its report pipe, open until it exits */
	struct memcg_fence fence;
	char workdir[512];
	json_object *metrics;	/* "key value" lines */
	json_object *targets;	/* [{name, measured, op, threshold, reached}] */
	json_object *attach;	/* {name: path} of files it left for the results */
	json_object *memcg;	/* the fence's events, after the stop */
	char error[1200];
	char status_text[48];	/* how the process ended */
};

/* 0 when it holds its target state (reached or not: the targets say);
 * -1 with w->error if it could not start, failed or timed out. */
int workload_proc_start(struct workload_proc *w, const struct workload_ops *ops,
			const struct wl_args *args, const struct workload_ctx *ctx);
/* Stop it, read its final report, record memcg events, remove its cgroup,
 * processes and files. */
void workload_proc_stop(struct workload_proc *w);
void workload_proc_free(struct workload_proc *w);

#endif
