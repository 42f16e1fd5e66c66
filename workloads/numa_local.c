/*
 * numa-local: exhaust one NUMA node while the others stay free.  The
 * workload binds its memory (and CPU, if the node has any) to the node with
 * libnuma and takes anonymous memory (or page cache from files) in halving
 * steps until every zone of the node fails the low watermark check a user
 * page allocation makes (free <= low + lowmem_reserve), the node halfway
 * between its low and min marks, never at min, so neither this workload nor anything else gets OOM-killed.  While
 * held it tops up what kswapd takes back.  A probe bound to a CPU of the
 * same node (probe cpu_node:) then sees the node-local shortage.
 */
#include "workload.h"
#include "filefill.h"
#include "memstate.h"
#include "numabind.h"
#include "util/util.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

enum { P_NODE, P_MODE, P_OTHERS_FREE, P_DIR };
enum { M_ANON, M_PAGECACHE };

static const struct wl_param params[] = {
	[P_NODE] = { "node", WLP_INT, 0, 1023, 0, NULL, "the node to exhaust" },
	[P_MODE] = { "mode", WLP_CHOICE, 0, 0, M_ANON, "anon|pagecache",
		     "what fills it: anonymous memory or page cache" },
	[P_OTHERS_FREE] = { "others_free", WLP_NUM, 0, 1, 0.8, NULL,
			    "share of every other node that must stay free" },
	[P_DIR] = { "dir", WLP_STRING, 0, 0, 0, NULL,
		    "mode pagecache: where the files go (default $ALLOCREPRO_SCRATCH)" },
	{ NULL, 0, 0, 0, 0, NULL, NULL },
};

struct nl {
	int node, mode;
	struct filefill ff;
	size_t taken_kb;
};

/* Take one step towards the low watermark; 1 when below it, -1 error. */
static int step(struct nl *n)
{
	struct event zones;
	struct ms_node st;
	long gap_kb, chunk_kb, mid_kb;

	ms_zones(&zones);
	if (!ms_node_state(&zones, n->node, &st)) {
		fprintf(stderr, "numa-local: node %d has no memory\n", n->node);
		return -1;
	}
	/* below low with room to spare: halfway down to min, so that what
	 * kswapd frees (it runs below low) does not lift the node back over */
	mid_kb = (st.low_kb + st.min_kb) / 2;
	if (st.below_low && st.free_kb <= mid_kb)
		return 1;
	/* halve the distance each step; at least 64 kB */
	gap_kb = st.free_kb - mid_kb;
	chunk_kb = gap_kb > 128 ? gap_kb / 2 : 64;
	if (n->mode == M_PAGECACHE) {
		n->ff.file_mb = (size_t)(chunk_kb / 1024) + 1;
		if (!filefill_one(&n->ff)) {
			fprintf(stderr, "numa-local: writing in %s: %s\n", n->ff.dir,
				strerror(n->ff.error));
			return -1;
		}
	} else {
		size_t len = (size_t)chunk_kb * 1024;
		char *m = mmap(NULL, len, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);

		if (m == MAP_FAILED) {
			fprintf(stderr, "numa-local: mmap %ld kB: %s\n", chunk_kb, strerror(errno));
			return -1;
		}
	}
	n->taken_kb += (size_t)chunk_kb;
	return 0;
}

static int reach(struct nl *n)
{
	int r;

	/* a bounded number of steps: kswapd may give some back each time */
	for (int i = 0; i < 10000 && !wl_stopping(); i++) {
		r = step(n);
		if (r)
			return r < 0 ? -1 : 0;
	}
	return 0;
}

static int maintain(void *arg)
{
	return reach(arg) < 0;
}

static int numa_local_run(const struct wl_args *a, struct wl_reporter *r)
{
	struct nl n = { .node = (int)a->v[P_NODE], .mode = (int)a->v[P_MODE],
			.ff = { .dir = a->workdir, .file_mb = 8 } };
	int ids[64], nn = ms_nodes(ids, 64), others = 0;
	double others_free = 1;
	uint64_t t0 = now_ns();
	struct event zones;
	struct ms_node st;

	if (n.mode == M_PAGECACHE && !n.ff.dir) {
		fprintf(stderr, "numa-local: mode pagecache needs dir= or $ALLOCREPRO_SCRATCH\n");
		return 1;
	}
	if (nn < 2)
		fprintf(stderr, "numa-local: only %d node(s) with memory: nothing stays free\n", nn);
	if (numabind_node(n.node, "numa-local") || reach(&n))
		return 1;
	ms_zones(&zones);
	ms_node_state(&zones, n.node, &st);
	for (int i = 0; i < nn; i++) {
		struct ms_node o;

		if (ids[i] == n.node || !ms_node_state(&zones, ids[i], &o))
			continue;
		others++;
		if ((double)o.free_kb / (double)o.managed_kb < others_free)
			others_free = (double)o.free_kb / (double)o.managed_kb;
	}
	wl_report(r, "node", n.node);
	wl_report(r, "taken_kb", (double)n.taken_kb);
	wl_report(r, "node_free_kb", (double)st.free_kb);
	wl_report(r, "node_low_kb", (double)st.low_kb);
	wl_report(r, "node_min_kb", (double)st.min_kb);
	wl_report(r, "cpu", numabind_first_cpu(n.node));
	wl_report(r, "seconds", (double)(now_ns() - t0) / 1e9);
	wl_target(r, "node_below_low", st.below_low ? 1 : 0, ">=", 1);
	wl_target(r, "others_free_share", others ? others_free : -1, ">", a->v[P_OTHERS_FREE]);
	wl_ready(r);
	wl_hold(maintain, &n, 500);
	return 0;
}

const struct workload_ops workload_numa_local = {
	.name = "numa-local",
	.summary = "one node below its low watermark (anonymous memory or page cache, "
		   "libnuma-bound) while the others stay free",
	.params = params,
	.run = numa_local_run,
};
