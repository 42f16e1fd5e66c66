/* Run a workload in a child process and wait until it holds its target. */
#ifndef ALLOCREPRO_WORKLOAD_PROC_H
#define ALLOCREPRO_WORKLOAD_PROC_H

#include <sys/types.h>
#include <json-c/json.h>

#include "../workloads/workload.h"

struct workload_proc {
	const struct workload_ops *ops;
	pid_t pid;
	json_object *metrics;	/* what it reported */
};

/* 0 when ready; -1 with a message if it failed or timed out (then stopped). */
int workload_proc_start(struct workload_proc *w, const struct workload_ops *ops,
			const struct wl_args *args, unsigned timeout_s);
void workload_proc_stop(struct workload_proc *w);

#endif
