/*
 * lowmem: on a 32-bit HighMem kernel, exhaust ZONE_NORMAL with kernel
 * memory that can never come from HighMem, while HighMem stays free: the
 * state behind lowmem OOM kills with gigabytes "free".
 *   tasks    processes, each with many small unmergeable mappings: kernel
 *            stacks, task and mm structs, VMAs and maple nodes, all lowmem
 *            (page tables would go to HighMem with CONFIG_HIGHPTE);
 *   sockets  then AF_UNIX stream buffers nobody reads (sk_buffs and their
 *            GFP_KERNEL page frags), written in halving steps until Normal
 *            is within margin of its min watermark.
 * Normal never goes below min from here: the steps stop short of it.
 * While held, lowmem that kswapd freed (page cache, slab) is taken again.
 */
#include "workload.h"
#include "memstate.h"
#include "util/util.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

enum { P_MARGIN, P_TASKS, P_MAPS, P_HIGHMEM_FREE, P_MAX_MB };

static const struct wl_param params[] = {
	[P_MARGIN] = { "margin", WLP_NUM, 0.01, 1, 0.1, NULL,
		       "stop when Normal's free is within this share above its min" },
	[P_TASKS] = { "tasks", WLP_INT, 0, 4096, 64, NULL,
		      "processes holding kernel stacks and VMAs" },
	[P_MAPS] = { "maps", WLP_INT, 1, 60000, 2000, NULL, "small mappings per process" },
	[P_HIGHMEM_FREE] = { "highmem_free", WLP_NUM, 0, 1, 0.5, NULL,
			     "share of HighMem that must stay free" },
	[P_MAX_MB] = { "max_mb", WLP_INT, 0, 1 << 20, 0, NULL,
		       "socket buffers to write at most (0: no cap); with a cap it also "
		       "runs without HighMem: the same demand on a 64-bit kernel" },
	{ NULL, 0, 0, 0, 0, NULL, NULL },
};

struct lm {
	double margin;
	size_t cap;		/* bytes, 0 none */
	const char *zone;	/* the lowmem zone approached */
	int socks[2];
	size_t written;
	pid_t *kids;
	int nkids;
};

static bool zone(const char *name, struct ev_zone *out)
{
	struct event e;

	ms_zones(&e);
	for (int i = 0; i < e.nzones; i++)
		if (!strcmp(e.zones[i].zone, name) && e.zones[i].managed_kb > 0) {
			*out = e.zones[i];
			return true;
		}
	return false;
}

/* A process that holds maps mappings, alternately readable and not, so
 * that no two merge into one VMA. */
static pid_t spawn_task(int maps)
{
	pid_t pid = fork();

	if (pid)
		return pid;
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	for (int i = 0; i < maps; i++) {
		char *m = mmap(NULL, 4096, (i & 1) ? PROT_READ : PROT_NONE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (m == MAP_FAILED)
			break;
	}
	for (;;)
		pause();
}

static int write_sockets(struct lm *l, size_t bytes)
{
	static char buf[1 << 16];

	while (bytes) {
		size_t n = bytes < sizeof(buf) ? bytes : sizeof(buf);
		ssize_t w = send(l->socks[0], buf, n, MSG_DONTWAIT);

		if (w <= 0) {
			fprintf(stderr, "lowmem: socket buffers: %s\n", strerror(errno));
			return -1;
		}
		bytes -= (size_t)w;
		l->written += (size_t)w;
	}
	return 0;
}

/* Halve the distance to min*(1+margin/2) until free is within margin. */
static int approach(struct lm *l)
{
	struct ev_zone n;

	for (int i = 0; i < 100000 && !wl_stopping(); i++) {
		long goal, chunk;

		if (!zone(l->zone, &n))
			return -1;
		if ((double)n.free_kb <= (double)n.min_kb * (1 + l->margin) ||
		    (l->cap && l->written >= l->cap))
			return 0;
		goal = (long)((double)n.min_kb * (1 + l->margin / 2));
		chunk = (n.free_kb - goal) / 2;
		if (chunk < 4)
			chunk = 4;
		if (chunk > 16384)
			chunk = 16384;
		if (l->cap && (size_t)chunk * 1024 > l->cap - l->written)
			chunk = (long)((l->cap - l->written + 1023) / 1024);
		if (write_sockets(l, (size_t)chunk * 1024))
			return -1;
	}
	return 0;
}

static int maintain(void *arg)
{
	return approach(arg) < 0;
}

static int lowmem_run(const struct wl_args *a, struct wl_reporter *r)
{
	struct lm l = { .margin = a->v[P_MARGIN], .socks = { -1, -1 }, .zone = "Normal",
			.cap = (size_t)a->v[P_MAX_MB] << 20 };
	struct ev_zone normal, high = { 0 };
	int big = 1 << 30, rc = 0;
	bool highmem = zone("HighMem", &high);
	uint64_t t0 = now_ns();

	/* 64-bit: the zone kernel memory comes from is the biggest lowmem one */
	if (!highmem && (!zone("Normal", &normal) || (zone("DMA32", &high) &&
						      high.managed_kb > normal.managed_kb)))
		l.zone = "DMA32";
	if ((!highmem && !l.cap) || !zone(l.zone, &normal)) {
		fprintf(stderr, "lowmem: no HighMem zone here: lowmem needs a 32-bit HighMem "
			"kernel (lab: --kernel debian-6.1-pae --topology highmem), or max_mb "
			"for the same demand elsewhere\n");
		return 1;
	}
	l.kids = xcalloc((size_t)a->v[P_TASKS] + 1, sizeof(pid_t));
	for (int i = 0; i < (int)a->v[P_TASKS] && !wl_stopping(); i++) {
		/* tasks must not take Normal below the approach's reach */
		if (zone(l.zone, &normal) && normal.free_kb < normal.low_kb * 4)
			break;
		l.kids[l.nkids] = spawn_task((int)a->v[P_MAPS]);
		if (l.kids[l.nkids] > 0)
			l.nkids++;
	}
	sleep_ms(500);	/* let the tasks build their mappings */
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, l.socks) < 0) {
		fprintf(stderr, "lowmem: socketpair: %s\n", strerror(errno));
		rc = 1;
	}
	if (!rc && setsockopt(l.socks[0], SOL_SOCKET, SO_SNDBUFFORCE, &big, sizeof(big)) < 0) {
		fprintf(stderr, "lowmem: SO_SNDBUFFORCE needs root: %s\n", strerror(errno));
		rc = 1;
	}
	if (!rc && approach(&l))
		rc = 1;
	if (!rc) {
		zone(l.zone, &normal);
		wl_report(r, "tasks", l.nkids);
		wl_report(r, "socket_kb", (double)l.written / 1024);
		wl_report(r, "normal_free_kb", (double)normal.free_kb);
		wl_report(r, "normal_min_kb", (double)normal.min_kb);
		wl_report(r, "seconds", (double)(now_ns() - t0) / 1e9);
		if (highmem) {
			zone("HighMem", &high);
			wl_report(r, "highmem_free_kb", (double)high.free_kb);
			wl_target(r, "normal_free_over_min",
				  (double)normal.free_kb / (double)normal.min_kb, "<=", 1 + l.margin);
			wl_target(r, "highmem_free_share",
				  (double)high.free_kb / (double)high.managed_kb, ">",
				  a->v[P_HIGHMEM_FREE]);
		} else {
			/* no HighMem: the capped demand was placed */
			wl_target(r, "socket_mb", (double)l.written / 1048576, ">=",
				  (double)(l.cap >> 20) * 0.99);
		}
		wl_ready(r);
		wl_hold(maintain, &l, 500);
	}
	for (int i = 0; i < l.nkids; i++) {
		kill(l.kids[i], SIGKILL);
		waitpid(l.kids[i], NULL, 0);
	}
	free(l.kids);
	return rc;
}

const struct workload_ops workload_lowmem = {
	.name = "lowmem",
	.summary = "32-bit HighMem: ZONE_NORMAL near its min watermark with kernel memory "
		   "(kernel stacks, VMAs, socket buffers) while HighMem stays free",
	.params = params,
	.run = lowmem_run,
};
