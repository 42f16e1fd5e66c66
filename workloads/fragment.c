/*
 * fragment: take most of the free memory as anonymous pages, then give back
 * all but one page of ours in every physically aligned block of 2^keep_order
 * pages.  Free memory stays plentiful, but no free block of keep_order or
 * more can form inside what we took: a high-order request finds only small
 * holes.  Physical frame numbers come from /proc/self/pagemap (root only).
 * The pages we keep are movable, so compaction can repair this (seed003),
 * unless pin=1: then each kept page is also vmspliced into a pipe, and the
 * extra reference the pipe holds makes compaction skip it, as it skips pages
 * held by network buffers in the field.
 */
#include "workload.h"
#include "../harness/procfs.h"
#include "../harness/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/uio.h>
#include <unistd.h>

enum { P_FILL, P_KEEP_ORDER, P_PIN };

static const struct wl_param params[] = {
	[P_FILL] = { "fill", 0.05, 0.99, 0.95, 0,
		     "share of MemAvailable to take before punching holes" },
	[P_KEEP_ORDER] = { "keep_order", 1, 10, 3, 1,
			   "no free block of this order forms in our memory" },
	[P_PIN] = { "pin", 0, 1, 0, 1,
		    "1: hold kept pages in pipes so compaction cannot move them" },
	{ NULL, 0, 0, 0, 0, NULL },
};

#define PIPE_SLOTS 256		/* 1 MiB pipes: F_SETPIPE_SZ as root */

struct frame {
	uint64_t pfn;
	size_t vidx;		/* page index in our mapping */
};

static uint64_t mix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

static int by_pfn(const void *a, const void *b)
{
	const struct frame *x = a, *y = b;

	return (x->pfn > y->pfn) - (x->pfn < y->pfn);
}

static long avail_kb(void)
{
	char *mi = read_file("/proc/meminfo", NULL);
	long kb = mi ? meminfo_kb(mi, "MemAvailable") : -1;

	free(mi);
	return kb;
}

static double machine_unusable(int order)
{
	char *bi = read_file("/proc/buddyinfo", NULL);
	struct buddyinfo b;
	double u = -1;

	if (bi && buddyinfo_parse(bi, &b))
		u = buddyinfo_unusable_index(&b, order);
	free(bi);
	return u;
}

/* Which of our frames to keep: one per aligned group, chosen by the seed. */
static void choose_kept(struct frame *f, size_t n, int order, uint64_t seed,
			unsigned char *keep)
{
	size_t i = 0;

	while (i < n) {
		uint64_t group = f[i].pfn >> order;
		size_t j = i, pick;
		uint64_t want = mix64(seed ^ group) & ((1ull << order) - 1);

		while (j < n && f[j].pfn >> order == group)
			j++;
		pick = i + (size_t)(mix64(seed + group) % (j - i));
		for (size_t k = i; k < j; k++)
			if ((f[k].pfn & ((1ull << order) - 1)) == want)
				pick = k;
		keep[f[pick].vidx] = 1;
		i = j;
	}
}

/* vmsplice each kept page into pipes; returns pages pinned or -1. */
static long pin_pages(unsigned char *mem, size_t npages, size_t psz, const unsigned char *keep)
{
	size_t nkeep = 0, done = 0, need;
	struct rlimit rl;
	struct iovec iov[PIPE_SLOTS];

	for (size_t i = 0; i < npages; i++)
		nkeep += keep[i];
	need = 2 * (nkeep / PIPE_SLOTS + 1) + 64;	/* two ends a pipe, plus stdio */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < need) {
		rl.rlim_cur = need;
		if (rl.rlim_max < need)
			rl.rlim_max = need;
		if (setrlimit(RLIMIT_NOFILE, &rl) < 0) {
			fprintf(stderr, "fragment: pin needs %zu descriptors: %s\n", need,
				strerror(errno));
			return -1;
		}
	}
	for (size_t i = 0; i < npages; ) {
		int fds[2], n = 0;

		if (pipe(fds) < 0 || fcntl(fds[1], F_SETPIPE_SZ, PIPE_SLOTS * (int)psz) < 0) {
			fprintf(stderr, "fragment: pipe: %s\n", strerror(errno));
			return -1;
		}
		for (; i < npages && n < PIPE_SLOTS; i++)
			if (keep[i])
				iov[n++] = (struct iovec){ mem + i * psz, psz };
		/* The pipes are never read: their descriptors live until exit. */
		for (int off = 0; off < n; ) {
			ssize_t w = vmsplice(fds[1], iov + off, (unsigned long)(n - off), 0);

			if (w <= 0) {
				fprintf(stderr, "fragment: vmsplice: %s\n", strerror(errno));
				return -1;
			}
			off += (int)((size_t)w / psz);
			done += (size_t)w / psz;
		}
	}
	return (long)done;
}

static int fragment_run(const struct wl_args *a, struct wl_reporter *r)
{
	long psz = sysconf(_SC_PAGESIZE);
	int order = (int)a->v[P_KEEP_ORDER];
	long kb = avail_kb();
	size_t npages, nf = 0, freed = 0;
	unsigned char *mem, *keep;
	struct frame *f;
	int pm;

	if (kb <= 0) {
		fprintf(stderr, "fragment: cannot read MemAvailable\n");
		return 1;
	}
	npages = (size_t)((double)kb * 1024 * a->v[P_FILL]) / (size_t)psz;
	mem = mmap(NULL, npages * (size_t)psz, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (mem == MAP_FAILED) {
		fprintf(stderr, "fragment: mmap %zu pages: %s\n", npages, strerror(errno));
		return 1;
	}
	/* Order-0 pages only: a THP would be one block we cannot split. */
	madvise(mem, npages * (size_t)psz, MADV_NOHUGEPAGE);
	for (size_t i = 0; i < npages; i++)
		mem[i * (size_t)psz] = (unsigned char)(a->seed + i);

	pm = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
	f = xcalloc(npages, sizeof(*f));
	keep = xcalloc(npages, 1);
	for (size_t i = 0; pm >= 0 && i < npages; i += 4096) {
		uint64_t ent[4096];
		size_t want = npages - i < 4096 ? npages - i : 4096;
		off_t off = (off_t)(((uintptr_t)mem / (size_t)psz + i) * 8);
		ssize_t got = pread(pm, ent, want * 8, off);

		for (size_t k = 0; got > 0 && k < (size_t)got / 8; k++) {
			uint64_t pfn = ent[k] & ((1ull << 55) - 1);

			if ((ent[k] >> 63) && pfn)
				f[nf++] = (struct frame){ pfn, i + k };
		}
	}
	if (pm >= 0)
		close(pm);
	if (!nf) {
		fprintf(stderr, "fragment: /proc/self/pagemap shows no frames (needs root)\n");
		return 1;
	}
	qsort(f, nf, sizeof(*f), by_pfn);
	choose_kept(f, nf, order, a->seed, keep);
	for (size_t i = 0; i < npages; ) {
		size_t j = i;

		while (j < npages && !keep[j])
			j++;
		if (j > i) {
			madvise(mem + i * (size_t)psz, (j - i) * (size_t)psz, MADV_DONTNEED);
			freed += j - i;
		}
		i = j + 1;
	}
	if (a->v[P_PIN] > 0) {
		long pinned = pin_pages(mem, npages, (size_t)psz, keep);

		if (pinned < 0)
			return 1;
		wl_report(r, "pinned_kb", (double)pinned * (double)psz / 1024);
	}
	wl_report(r, "taken_kb", (double)npages * (double)psz / 1024);
	wl_report(r, "kept_kb", (double)(npages - freed) * (double)psz / 1024);
	wl_report(r, "unusable_index", machine_unusable(order));
	wl_report(r, "order", order);
	free(f);
	free(keep);
	wl_ready(r);
	wl_hold();
	return 0;
}

const struct workload_ops workload_fragment = {
	.name = "fragment",
	.summary = "anonymous memory with one page kept per aligned 2^keep_order block",
	.params = params,
	.run = fragment_run,
};
