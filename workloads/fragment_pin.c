/*
 * The fragment workload's kept pages, held by pipes: vmspliced (the
 * pinned recipe: the pipe's reference makes compaction and migration skip
 * the page) or replaced by a pipe buffer page (the pipe recipe).
 */
#include "fragment_pin.h"
#include "util/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/uio.h>
#include <unistd.h>

int frag_raise_nofile(size_t need)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < need) {
		rl.rlim_cur = need;
		if (rl.rlim_max < need)
			rl.rlim_max = need;
		if (setrlimit(RLIMIT_NOFILE, &rl) < 0) {
			fprintf(stderr, "fragment: needs %zu descriptors: %s\n", need, strerror(errno));
			return -1;
		}
	}
	return 0;
}

static int new_pipe(int psz)
{
	int fds[2];

	if (pipe(fds) < 0 || fcntl(fds[1], F_SETPIPE_SZ, PIPE_SLOTS * psz) < 0) {
		fprintf(stderr, "fragment: pipe: %s\n", strerror(errno));
		return -1;
	}
	/* never read, both ends open (a reader-less pipe refuses writes):
	 * the pages stay until we exit */
	return fds[1];
}

/*
 * vmsplice each kept page into pipes; returns pages pinned or -1.  Runs
 * before the rest is given back, with every pipe made first: each pipe's
 * ring is a high-order kernel allocation, and while holes are free around
 * a kept page that is not pinned yet, the compaction such an allocation
 * may start would move it and make its block whole again.
 */
long frag_pin_pages(unsigned char *mem, size_t npages, size_t psz, const unsigned char *keep)
{
	struct iovec iov[PIPE_SLOTS];
	size_t kept = 0, done = 0, npipes;
	int *fds;
	long r = -1;

	for (size_t i = 0; i < npages; i++)
		kept += keep[i];
	npipes = (kept + PIPE_SLOTS - 1) / PIPE_SLOTS;
	fds = xcalloc(npipes + 1, sizeof(*fds));
	for (size_t p = 0; p < npipes; p++)
		if ((fds[p] = new_pipe((int)psz)) < 0)
			goto out;
	for (size_t i = 0, p = 0; i < npages; p++) {
		int n = 0;

		for (; i < npages && n < PIPE_SLOTS; i++)
			if (keep[i])
				iov[n++] = (struct iovec){ mem + i * psz, psz };
		for (int off = 0; off < n; ) {
			ssize_t w = vmsplice(fds[p], iov + off, (unsigned long)(n - off), 0);

			if (w <= 0) {
				fprintf(stderr, "fragment: vmsplice: %s\n", strerror(errno));
				goto out;
			}
			off += (int)((size_t)w / psz);
			done += (size_t)w / psz;
		}
	}
	r = (long)done;
out:
	free(fds);	/* the pipes stay open until we exit */
	return r;
}

/* Free each kept page and write a page into a pipe right after, so the
 * pipe buffer (unmovable) tends to land in the hole just made. */
long frag_pipe_pages(unsigned char *mem, size_t npages, size_t psz, const unsigned char *keep)
{
	static char page[65536];
	int fd = -1, used = PIPE_SLOTS;
	long done = 0;

	for (size_t i = 0; i < npages; i++) {
		if (!keep[i])
			continue;
		if (used == PIPE_SLOTS) {
			fd = new_pipe((int)psz);
			if (fd < 0)
				return -1;
			used = 0;
		}
		madvise(mem + i * psz, psz, MADV_DONTNEED);
		if (write(fd, page, psz) != (ssize_t)psz) {
			fprintf(stderr, "fragment: pipe write: %s\n", strerror(errno));
			return -1;
		}
		used++;
		done++;
	}
	return done;
}
