/*
 * fragment: seeded fragmentation recipes, driven until the unusable free
 * space index at an order (from /proc/buddyinfo, as mm/vmstat.c computes
 * it) reaches the target.
 *
 * Every recipe takes a share of MemAvailable, finds the physical frames of
 * its pages in /proc/self/pagemap (root only), and keeps one page in every
 * aligned block of 2^order frames, chosen by the seed; the rest goes back,
 * so free memory stays plentiful but no free block of that order can form
 * around a kept page.  What differs is why the kept page stays:
 *   movable  an ordinary anonymous page: compaction can move it and repair
 *            the damage (seed003), kcompactd usually does within seconds;
 *   mlock    mlocked, with vm.compact_unevictable_allowed=0 (the RT kernels'
 *            default; journaled and restored) compaction leaves it alone;
 *   pinned   vmspliced into a pipe: the pipe's reference makes compaction
 *            skip the page, as pages held by network buffers in the field;
 *   pipe     the kept page is freed and a pipe buffer page (unmovable
 *            kernel memory) is allocated in its place, as the allocator
 *            pleases: statistical, the measured index says how well;
 *   files    many small files (page cache + dentry/inode slab) in dir, then
 *            all but one in 2^order deleted: reclaim and compaction can undo
 *            the page cache part, not the partly used slab pages.
 * Every recipe but movable keeps its mapping out of automatic NUMA
 * balancing, which would otherwise move the kept pages to our node.
 * If the index is still below target, another round takes more: its pages
 * first refill our holes (the allocator serves order 0 from the smallest
 * blocks), those are given back, and only groups not broken yet get a kept
 * page, so each round breaks what the last one left whole.
 */
#include "workload.h"
#include "memstate.h"
#include "fragment_pin.h"
#include "numabind.h"
#include "safety/journal.h"
#include "util/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sys/resource.h>
#include <sys/uio.h>
#include <unistd.h>

enum { P_RECIPE, P_ORDER, P_TARGET, P_FILL, P_ROUNDS, P_DIR, P_FILE_KB, P_MAX_MB };
enum { R_MOVABLE, R_MLOCK, R_PINNED, R_PIPE, R_FILES };

static const struct wl_param params[] = {
	[P_RECIPE] = { "recipe", WLP_CHOICE, 0, 0, R_PINNED, "movable|mlock|pinned|pipe|files",
		       "why the kept pages stay where they are" },
	[P_ORDER] = { "order", WLP_INT, 1, 10, 3, NULL,
		      "no free block of this order forms; the index is measured here" },
	[P_TARGET] = { "target", WLP_NUM, 0, 1, 0.9, NULL,
		       "unusable free space index at order to reach" },
	[P_FILL] = { "fill", WLP_NUM, 0.05, 0.99, 0.95, NULL,
		     "share of MemAvailable each round takes" },
	[P_ROUNDS] = { "rounds", WLP_INT, 1, 20, 6, NULL,
		       "rounds of taking more while the index is below target" },
	[P_DIR] = { "dir", WLP_STRING, 0, 0, 0, NULL,
		    "files recipe: a directory on a disk-backed filesystem" },
	[P_FILE_KB] = { "file_kb", WLP_INT, 4, 64, 4, NULL, "files recipe: size of each file" },
	[P_MAX_MB] = { "max_mb", WLP_INT, 0, 1 << 24, 0, NULL,
		       "take at most this much in all, 0 no bound (a test on a big host)" },
	{ NULL, 0, 0, 0, 0, NULL, NULL },
};

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

/* Groups (pfn >> order) an earlier round already broke with a kept page. */
struct broken {
	uint64_t *g;
	size_t n, cap;
};

static int by_u64(const void *a, const void *b)
{
	const uint64_t *x = a, *y = b;

	return (*x > *y) - (*x < *y);
}

static bool is_broken(const struct broken *b, uint64_t group)
{
	return b->n && bsearch(&group, b->g, b->n, sizeof(*b->g), by_u64);
}

/* Which of our frames to keep: one per aligned group, chosen by the seed;
 * none in a group an earlier round broke (its frames just fill holes). */
static void choose_kept(struct frame *f, size_t n, int order, uint64_t seed,
			unsigned char *keep, struct broken *b)
{
	size_t i = 0, before = b->n;

	while (i < n) {
		uint64_t group = f[i].pfn >> order;
		size_t j = i, pick;
		uint64_t want = mix64(seed ^ group) & ((1ull << order) - 1);

		while (j < n && f[j].pfn >> order == group)
			j++;
		if (!is_broken(b, group)) {
			pick = i + (size_t)(mix64(seed + group) % (j - i));
			for (size_t k = i; k < j; k++)
				if ((f[k].pfn & ((1ull << order) - 1)) == want)
					pick = k;
			keep[f[pick].vidx] = 1;
			if (b->n == b->cap) {
				b->cap = b->cap ? b->cap * 2 : 4096;
				b->g = xrealloc(b->g, b->cap * sizeof(*b->g));
			}
			b->g[b->n++] = group;
		}
		i = j;
	}
	if (b->n > before)
		qsort(b->g, b->n, sizeof(*b->g), by_u64);
}

/* The low watermark of a zone (over all nodes), kB. */
static long zone_low_kb(const char *zone)
{
	struct event e;
	long low = 0;

	ms_zones(&e);
	for (int i = 0; i < e.nzones; i++)
		if (!strcmp(e.zones[i].zone, zone))
			low += e.zones[i].low_kb;
	return low;
}

struct round_stats {
	size_t taken, kept;
};

/* The physical frames of the mapping's pages, from /proc/self/pagemap
 * (root only): how many were found. */
static size_t read_frames(const unsigned char *mem, size_t npages, size_t psz, struct frame *f)
{
	int pm = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
	size_t nf = 0;

	for (size_t i = 0; pm >= 0 && i < npages; i += 4096) {
		static uint64_t ent[4096];
		size_t want = npages - i < 4096 ? npages - i : 4096;
		off_t off = (off_t)(((uintptr_t)mem / psz + i) * 8);
		ssize_t got = pread(pm, ent, want * 8, off);

		for (size_t k = 0; got > 0 && k < (size_t)got / 8; k++) {
			uint64_t pfn = ent[k] & ((1ull << 55) - 1);

			if ((ent[k] >> 63) && pfn)
				f[nf++] = (struct frame){ pfn, i + k };
		}
	}
	if (pm >= 0)
		close(pm);
	return nf;
}

/* One round of an anonymous recipe over a new mapping of npages. */
static int anon_round(int recipe, size_t npages, int order, uint64_t seed, size_t psz,
		      struct round_stats *st, struct broken *b)
{
	unsigned char *mem, *keep;
	struct frame *f;
	size_t nf;

	mem = mmap(NULL, npages * psz, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (mem == MAP_FAILED) {
		fprintf(stderr, "fragment: mmap %zu pages: %s\n", npages, strerror(errno));
		return -1;
	}
	/* Order-0 pages only: a THP would be one block we cannot split. */
	madvise(mem, npages * psz, MADV_NOHUGEPAGE);
	/* A kept page must stay in its block: without a policy of its own
	 * the mapping's pages are moved by NUMA balancing towards the node
	 * we run on (seed000: 14,700 of them in every repetition, which left
	 * the other node's blocks whole) */
	if (recipe != R_MOVABLE && numabind_stay(mem, npages * psz))
		fprintf(stderr, "fragment: mbind MPOL_LOCAL: %s (NUMA balancing may move "
			"the kept pages)\n", strerror(errno));
	if (recipe == R_MLOCK && mlock(mem, npages * psz)) {
		fprintf(stderr, "fragment: mlock %zu pages: %s\n", npages, strerror(errno));
		return -1;
	}
	for (size_t i = 0; i < npages; i++)
		mem[i * psz] = (unsigned char)(seed + i);
	f = xcalloc(npages, sizeof(*f));
	keep = xcalloc(npages, 1);
	nf = read_frames(mem, npages, psz, f);
	if (!nf) {
		fprintf(stderr, "fragment: /proc/self/pagemap shows no frames (needs root)\n");
		free(f);
		free(keep);
		return -1;
	}
	qsort(f, nf, sizeof(*f), by_pfn);
	choose_kept(f, nf, order, seed, keep, b);
	free(f);
	if (recipe == R_PINNED && frag_pin_pages(mem, npages, psz, keep) < 0) {
		free(keep);
		return -1;
	}
	/* Give back the runs between kept pages: munmap for mlock (madvise
	 * cannot drop locked pages), MADV_DONTNEED otherwise. */
	for (size_t i = 0; i < npages; ) {
		size_t j = i;

		while (j < npages && !keep[j])
			j++;
		if (j > i) {
			if (recipe == R_MLOCK)
				munmap(mem + i * psz, (j - i) * psz);
			else
				madvise(mem + i * psz, (j - i) * psz, MADV_DONTNEED);
		}
		if (j < npages)
			st->kept++;
		i = j + 1;
	}
	st->taken += npages;
	if (recipe == R_PIPE && frag_pipe_pages(mem, npages, psz, keep) < 0) {
		free(keep);
		return -1;
	}
	free(keep);
	return 0;
}

/* files recipe: fill with small files, then delete all but one in 2^order. */
/* Writer k of n creates (or deletes all but the kept ones of) files k,
 * k + n, ... of the round, in a directory of its own (one directory's lock
 * would serialize the writers). */
static int files_part(const struct wl_args *a, int round, size_t nfiles, int order, bool create,
		      size_t k, size_t n)
{
	static char buf[65536];
	size_t bytes = (size_t)a->v[P_FILE_KB] * 1024;
	uint64_t keep_mask = (1ull << order) - 1;
	char *sub = xasprintf("%s/w%zu", a->workdir, k);
	int dfd;

	memset(buf, 'a' + round, sizeof(buf));
	if (create && mkdir(sub, 0700) && errno != EEXIST)
		dfd = -1;
	else
		dfd = open(sub, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	free(sub);
	for (size_t i = k; dfd >= 0 && i < nfiles && !wl_stopping(); i += n) {
		char name[48];
		int fd;

		snprintf(name, sizeof(name), "r%d-%zu", round, i);
		if (!create) {
			if (mix64(a->seed + i) & keep_mask)
				unlinkat(dfd, name, 0);
			continue;
		}
		fd = openat(dfd, name, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
		if (fd < 0 || write(fd, buf, bytes) != (ssize_t)bytes) {
			fprintf(stderr, "fragment: writing files in %s/w%zu: %s\n", a->workdir, k,
				strerror(errno));
			if (fd >= 0)
				close(fd);
			close(dfd);
			return -1;
		}
		close(fd);
	}
	if (dfd < 0) {
		fprintf(stderr, "fragment: %s/w%zu: %s\n", a->workdir, k, strerror(errno));
		return -1;
	}
	close(dfd);
	return 0;
}

/* One writer per CPU (at most 4), as the many tasks of a busy host fill
 * memory from every CPU's free lists at once; a writer that cannot be
 * forked is done here. */
static int files_all(const struct wl_args *a, int round, size_t nfiles, int order, bool create)
{
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	size_t n = ncpu < 1 ? 1 : ncpu > 4 ? 4 : (size_t)ncpu;
	pid_t pid[4] = { 0 };
	int rc = 0;

	for (size_t k = 1; k < n; k++) {
		pid[k] = fork();
		if (pid[k] == 0)
			_exit(files_part(a, round, nfiles, order, create, k, n) ? 1 : 0);
	}
	for (size_t k = 0; k < n; k++)
		if (pid[k] <= 0)
			rc |= files_part(a, round, nfiles, order, create, k, n);
	for (size_t k = 1; k < n; k++) {
		int st;

		if (pid[k] > 0 && (waitpid(pid[k], &st, 0) != pid[k] || !WIFEXITED(st) ||
				   WEXITSTATUS(st)))
			rc = -1;
	}
	return rc;
}

static int files_round(const struct wl_args *a, int round, size_t nfiles, int order,
		       struct round_stats *st)
{
	uint64_t keep_mask = (1ull << order) - 1;

	if (files_all(a, round, nfiles, order, true) || files_all(a, round, nfiles, order, false))
		return -1;
	for (size_t i = 0; i < nfiles; i++)
		st->kept += (mix64(a->seed + i) & keep_mask) == 0;
	st->taken += nfiles * ((size_t)a->v[P_FILE_KB] * 1024 / 4096);
	return 0;
}

static int fragment_run(const struct wl_args *a, struct wl_reporter *r)
{
	size_t psz = (size_t)sysconf(_SC_PAGESIZE);
	int order = (int)a->v[P_ORDER], recipe = (int)a->v[P_RECIPE];
	struct round_stats st = { 0 };
	struct broken broken = { 0 };
	uint64_t t0 = now_ns();
	double u = -1;
	int round, done = 0;
	long taken_kb = 0;	/* max_mb counts what the rounds took */
	char err[256], zone[16] = "", name[48];

	if (recipe == R_FILES && !a->workdir) {
		fprintf(stderr, "fragment: recipe files needs dir= (a directory on a "
			"disk-backed filesystem)\n");
		return 1;
	}
	if (recipe == R_MLOCK) {
		if (journal_sysctl_set(a->journal, "vm.compact_unevictable_allowed", "0", err, sizeof(err)))
			fprintf(stderr, "fragment: %s (mlocked pages stay movable)\n", err);
		/* one VMA per kept page after the munmaps */
		if (journal_sysctl_set(a->journal, "vm.max_map_count", "1048576", err, sizeof(err)))
			fprintf(stderr, "fragment: %s\n", err);
	}
	if ((recipe == R_PINNED || recipe == R_PIPE) &&
	    frag_raise_nofile(2 * (size_t)ms_meminfo_kb(-1, "MemTotal") / (PIPE_SLOTS * 4) + 256))
		return 1;
	for (round = 0; round < (int)a->v[P_ROUNDS] && !wl_stopping(); round++) {
		long avail = ms_meminfo_kb(-1, "MemAvailable"), take_kb = 0, free_kb, usable_kb;
		size_t npages;
		int rc;

		if (!ms_main_zone(order, zone, sizeof(zone), &free_kb, &usable_kb))
			break;
		/* Round 1 takes a share of what is available.  What it leaves
		 * whole is mostly the watermark reserve kswapd restored to the
		 * high mark; later rounds refill our holes (order 0 comes from
		 * the smallest blocks) and dig into that reserve down to just
		 * above the low watermark, where kswapd does not wake. */
		if (!round)
			take_kb = (long)((double)avail * a->v[P_FILL]);
		else
			take_kb = free_kb - zone_low_kb(zone) * 11 / 10;
		if (a->v[P_MAX_MB] > 0 && take_kb > (long)a->v[P_MAX_MB] * 1024 - taken_kb)
			take_kb = (long)a->v[P_MAX_MB] * 1024 - taken_kb;
		npages = take_kb > 0 ? (size_t)take_kb * 1024 / psz : 0;
		if (npages < 256 || (round && usable_kb < 1024))
			break;	/* nothing left worth taking */
		if (recipe == R_FILES)
			rc = files_round(a, round, npages / ((size_t)a->v[P_FILE_KB] / 4), order, &st);
		else
			rc = anon_round(recipe, npages, order, a->seed + (uint64_t)round, psz, &st,
					&broken);
		if (rc)
			return 1;
		done++;
		taken_kb += take_kb;
		u = ms_unusable_index(order, zone);
		if (u >= a->v[P_TARGET])
			break;
	}
	free(broken.g);
	wl_report(r, "rounds", done);
	wl_report(r, "taken_kb", (double)st.taken * (double)psz / 1024);
	wl_report(r, "kept_kb", (double)st.kept * (double)psz / 1024);
	wl_report(r, "order", order);
	wl_report(r, "seconds", (double)(now_ns() - t0) / 1e9);
	wl_report(r, "mem_free_kb", (double)ms_meminfo_kb(-1, "MemFree"));
	wl_report(r, "unusable_index_all_zones", ms_unusable_index(order, NULL));
	/* the kernel computes the index per zone: the one user memory comes from */
	snprintf(name, sizeof(name), "unusable_index.%s", zone);
	wl_target(r, name, u, ">=", a->v[P_TARGET]);
	wl_ready(r);
	wl_hold(NULL, NULL, 0);
	/* movable holes are repaired by compaction while we hold: say how much */
	snprintf(name, sizeof(name), "unusable_index_at_stop.%s", zone);
	wl_report(r, name, ms_unusable_index(order, zone));
	return 0;
}

const struct workload_ops workload_fragment = {
	.name = "fragment",
	.summary = "seeded fragmentation (movable, mlocked, pinned, pipe or file holes) "
		   "to an unusable free space index",
	.params = params,
	.run = fragment_run,
};
