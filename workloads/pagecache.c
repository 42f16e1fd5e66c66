/*
 * pagecache: fill the page cache from files on a real filesystem (in the
 * lab an ext4 on a virtio disk; on a real machine a directory the user
 * names) until file pages (Active(file) + Inactive(file)) are a share of
 * memory, clean (written back) or dirty, optionally bound to one NUMA node
 * (libnuma: the writer's memory policy places its page cache).  While
 * held, files reclaim dropped are read back in.
 *
 * Dirty cache does not stay dirty by itself: kswapd that meets dirty pages
 * at the end of the LRU wakes the flushers, and one such wakeup writes
 * back nearly all of it (on 6.1 under TCG, 4 of 10 fills ended with a
 * fifth of the cache dirty instead of four fifths).  dirty_share= makes
 * the fill go on writing until that share of the file pages is dirty: the
 * pages written back are clean, so reclaim takes them first and the new
 * ones stay dirty.
 */
#include "workload.h"
#include "filefill.h"
#include "memstate.h"
#include "numabind.h"
#include "util/util.h"

#include <stdio.h>
#include <string.h>

enum { P_SHARE, P_DIRTY, P_NODE, P_DIR, P_FILE_MB, P_FULL, P_DIRTY_SHARE };

static const struct wl_param params[] = {
	[P_SHARE] = { "share", WLP_NUM, 0.01, 0.95, 0.6, NULL,
		      "file pages to reach, as a share of MemTotal (of the node's with node)" },
	[P_DIRTY] = { "dirty", WLP_INT, 0, 1, 0, NULL, "1: leave the pages dirty" },
	[P_NODE] = { "node", WLP_INT, -1, 1023, -1, NULL, "-1: any node; else only this one" },
	[P_DIR] = { "dir", WLP_STRING, 0, 0, 0, NULL,
		    "where the files go (default $ALLOCREPRO_SCRATCH, the lab's ext4)" },
	[P_FILE_MB] = { "file_mb", WLP_INT, 1, 1024, 32, NULL, "size of each file" },
	[P_FULL] = { "full", WLP_INT, 0, 1, 0, NULL,
		     "1: then go on until free memory is within one watermark gap "
		     "above high, on every node or the one node" },
	[P_DIRTY_SHARE] = { "dirty_share", WLP_NUM, 0, 0.95, 0, NULL,
			    "with dirty=1: then go on until this share of the file pages "
			    "is dirty (writeback undid it)" },
	{ NULL, 0, 0, 0, 0, NULL, NULL },
};

struct pc {
	struct filefill ff;
	int node;
	double share, dirty_share;
	bool full;
};

static double file_share(int node)
{
	long total = ms_meminfo_kb(node, "MemTotal");
	long file = ms_meminfo_kb(node, "Active(file)") + ms_meminfo_kb(node, "Inactive(file)");

	return total > 0 ? (double)file / (double)total : -1;
}

/*
 * Full: free memory within one watermark gap (high - min) above the high
 * watermark on every node filled: the next allocations wake kswapd, and a
 * burst of them eats straight into the reserves.
 */
static bool node_full(int node, const struct event *zones)
{
	struct ms_node n;

	if (!ms_node_state(zones, node, &n))
		return true;
	return n.free_kb <= n.high_kb + (n.high_kb - n.min_kb);
}

static bool memory_full(int node)
{
	struct event zones;

	if (ms_zones(&zones) <= 0)
		return false;
	if (node >= 0)
		return node_full(node, &zones);
	for (int i = 0; i < zones.nzones; i++)
		if (zones.zones[i].managed_kb > 0 && !node_full(zones.zones[i].node, &zones))
			return false;
	return true;
}

/* Dirty file pages as a share of all file pages (Writeback is on its way
 * to clean: not counted). */
static double dirty_of_file(int node)
{
	long file = ms_meminfo_kb(node, "Active(file)") + ms_meminfo_kb(node, "Inactive(file)");

	return file > 0 ? (double)ms_meminfo_kb(node, "Dirty") / (double)file : 0;
}

static bool cache_filled(const struct pc *p)
{
	return file_share(p->node) >= p->share && (!p->full || memory_full(p->node));
}

static bool filled(const struct pc *p)
{
	return cache_filled(p) && (p->dirty_share <= 0 || dirty_of_file(p->node) >= p->dirty_share);
}

static int fill(struct pc *p)
{
	long total = ms_meminfo_kb(p->node, "MemTotal");
	/* no progress after writing twice the target: reclaim (or a memcg
	 * limit) takes it as fast as we write */
	double target = p->full ? 1.0 : p->share;
	/* topping up dirty pages rewrites up to the whole cache once more */
	double times = p->dirty_share > 0 ? 3 : 2;
	unsigned max_files = (unsigned)((double)total * target * times / 1024 /
					(double)p->ff.file_mb) + 4;

	while (!filled(p) && !wl_stopping()) {
		if (p->ff.files >= max_files)
			return 0;
		if (!filefill_one(&p->ff)) {
			fprintf(stderr, "pagecache: writing in %s: %s\n", p->ff.dir,
				strerror(p->ff.error));
			return -1;
		}
	}
	return 0;
}

/* Hold the state: what reclaim took comes back, dirty when the state is
 * dirty (a re-read brings clean pages, which kswapd reclaims as fast as
 * atomic bursts take free pages: seed001's baseline that did not reproduce
 * on 2026-12-04 had re-read 550 MB during its probe, the others 4-150). */
static int maintain(void *arg)
{
	struct pc *p = arg;

	if (cache_filled(p) && (p->dirty_share <= 0 || dirty_of_file(p->node) >= p->dirty_share))
		return 0;
	if (p->ff.dirty)
		filefill_rewrite(&p->ff);
	else
		filefill_reread(&p->ff);
	return 0;
}

static int pagecache_run(const struct wl_args *a, struct wl_reporter *r)
{
	struct pc p = { .ff = { .dir = a->workdir, .file_mb = (size_t)a->v[P_FILE_MB],
				.dirty = a->v[P_DIRTY] > 0 },
			.node = (int)a->v[P_NODE], .share = a->v[P_SHARE],
			.dirty_share = a->v[P_DIRTY] > 0 ? a->v[P_DIRTY_SHARE] : 0,
			.full = a->v[P_FULL] > 0 };
	uint64_t t0 = now_ns();

	if (!p.ff.dir) {
		fprintf(stderr, "pagecache: needs dir= (a directory on a disk-backed filesystem) "
			"or $ALLOCREPRO_SCRATCH\n");
		return 1;
	}
	if (p.node >= 0 && numabind_node(p.node, "pagecache"))
		return 1;
	if (fill(&p))
		return 1;
	wl_report(r, "files", p.ff.files);
	wl_report(r, "written_mb", (double)p.ff.files * (double)p.ff.file_mb);
	wl_report(r, "seconds", (double)(now_ns() - t0) / 1e9);
	wl_report(r, "file_kb", (double)(ms_meminfo_kb(p.node, "Active(file)") +
					 ms_meminfo_kb(p.node, "Inactive(file)")));
	wl_report(r, "dirty_kb", (double)(ms_meminfo_kb(p.node, "Dirty") +
					  ms_meminfo_kb(p.node, "Writeback")));
	wl_report(r, "mem_free_kb", (double)ms_meminfo_kb(p.node, "MemFree"));
	wl_target(r, "pagecache_share", file_share(p.node), ">=", p.share);
	if (p.full)
		wl_target(r, "memory_full", memory_full(p.node) ? 1 : 0, ">=", 1);
	if (p.dirty_share > 0)
		wl_target(r, "dirty_share", dirty_of_file(p.node), ">=", p.dirty_share);
	wl_ready(r);
	wl_hold(maintain, &p, 1000);
	wl_report(r, "pagecache_share_at_stop", file_share(p.node));
	return 0;
}

const struct workload_ops workload_pagecache = {
	.name = "pagecache",
	.summary = "page cache from files on a disk-backed filesystem, clean or dirty, "
		   "to a share of memory (optionally one node)",
	.params = params,
	.run = pagecache_run,
};
