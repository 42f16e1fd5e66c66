/*
 * slab: kernel objects to a target, measured as the growth of SReclaimable
 * and SUnreclaim in /proc/meminfo:
 *   reclaimable    negative dentries: lookups of names that do not exist in
 *                  a directory on a disk-backed filesystem (tmpfs does not
 *                  keep them); the shrinkers can take them back;
 *   unreclaimable  socket buffers: small writes into AF_UNIX stream sockets
 *                  nobody reads, one sk_buff and one kmalloc'd head each;
 *                  only closing the socket frees them.
 * While held, reclaimed dentries are looked up again.
 */
#include "workload.h"
#include "memstate.h"
#include "util/util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

enum { P_RECL_MB, P_UNRECL_MB, P_DIR };

static const struct wl_param params[] = {
	[P_RECL_MB] = { "reclaimable_mb", WLP_INT, 0, 65536, 64, NULL,
			"growth of SReclaimable to reach (negative dentries)" },
	[P_UNRECL_MB] = { "unreclaimable_mb", WLP_INT, 0, 65536, 32, NULL,
			  "growth of SUnreclaim to reach (socket buffers)" },
	[P_DIR] = { "dir", WLP_STRING, 0, 0, 0, NULL,
		    "where the dentries go (default $ALLOCREPRO_SCRATCH, the lab's ext4)" },
	{ NULL, 0, 0, 0, 0, NULL, NULL },
};

struct slab {
	const char *dir;
	long recl0, unrecl0;	/* kB at the start */
	long recl_kb, unrecl_kb;	/* growth wanted */
	unsigned long lookups;
	int socks[2];
	unsigned long writes;
};

static long grown(const char *key, long start)
{
	return ms_meminfo_kb(-1, key) - start;
}

/* Look up names until SReclaimable grew enough, or stop growing. */
static void dentries(struct slab *s, unsigned long first)
{
	unsigned long stalled = 0;
	long last = grown("SReclaimable", s->recl0);

	for (unsigned long i = first; grown("SReclaimable", s->recl0) < s->recl_kb &&
	     !wl_stopping(); ) {
		struct stat st;

		for (unsigned k = 0; k < 4096; k++, i++) {
			char name[600];

			snprintf(name, sizeof(name), "%s/negative-dentry-%lu", s->dir, i);
			stat(name, &st);
		}
		s->lookups = i > s->lookups ? i : s->lookups;
		/* 1M lookups that add nothing: the filesystem keeps no
		 * negative dentries (tmpfs) */
		if (grown("SReclaimable", s->recl0) <= last) {
			if (++stalled > 256)
				return;
		} else {
			stalled = 0;
			last = grown("SReclaimable", s->recl0);
		}
	}
}

static int sockets(struct slab *s)
{
	int big = 1 << 30;
	char byte = 'x';

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, s->socks) < 0) {
		fprintf(stderr, "slab: socketpair: %s\n", strerror(errno));
		return -1;
	}
	/* as root: past wmem_max, so the queue holds what we ask */
	if (setsockopt(s->socks[0], SOL_SOCKET, SO_SNDBUFFORCE, &big, sizeof(big)) < 0)
		setsockopt(s->socks[0], SOL_SOCKET, SO_SNDBUF, &big, sizeof(big));
	while (grown("SUnreclaim", s->unrecl0) < s->unrecl_kb && !wl_stopping()) {
		for (int k = 0; k < 1024; k++) {
			if (send(s->socks[0], &byte, 1, MSG_DONTWAIT) != 1) {
				if (errno == EAGAIN)
					return 0;	/* the socket is full: report what we got */
				fprintf(stderr, "slab: send: %s\n", strerror(errno));
				return -1;
			}
			s->writes++;
		}
	}
	return 0;
}

static int maintain(void *arg)
{
	struct slab *s = arg;

	if (s->recl_kb && grown("SReclaimable", s->recl0) < s->recl_kb)
		dentries(s, s->lookups);
	return 0;
}

static int slab_run(const struct wl_args *a, struct wl_reporter *r)
{
	struct slab s = { .dir = a->workdir, .recl_kb = (long)a->v[P_RECL_MB] * 1024,
			  .unrecl_kb = (long)a->v[P_UNRECL_MB] * 1024, .socks = { -1, -1 } };
	uint64_t t0 = now_ns();

	if (s.recl_kb && !s.dir) {
		fprintf(stderr, "slab: reclaimable_mb needs dir= (a directory on a disk-backed "
			"filesystem) or $ALLOCREPRO_SCRATCH\n");
		return 1;
	}
	s.recl0 = ms_meminfo_kb(-1, "SReclaimable");
	s.unrecl0 = ms_meminfo_kb(-1, "SUnreclaim");
	if (s.recl0 < 0 || s.unrecl0 < 0) {
		fprintf(stderr, "slab: /proc/meminfo has no SReclaimable/SUnreclaim\n");
		return 1;
	}
	if (s.recl_kb)
		dentries(&s, 0);
	if (s.unrecl_kb && sockets(&s))
		return 1;
	wl_report(r, "lookups", (double)s.lookups);
	wl_report(r, "socket_writes", (double)s.writes);
	wl_report(r, "seconds", (double)(now_ns() - t0) / 1e9);
	wl_target(r, "sreclaimable_growth_mb", (double)grown("SReclaimable", s.recl0) / 1024, ">=",
		  a->v[P_RECL_MB]);
	wl_target(r, "sunreclaim_growth_mb", (double)grown("SUnreclaim", s.unrecl0) / 1024, ">=",
		  a->v[P_UNRECL_MB]);
	wl_ready(r);
	wl_hold(maintain, &s, 1000);
	return 0;
}

const struct workload_ops workload_slab = {
	.name = "slab",
	.summary = "reclaimable (negative dentries) and unreclaimable (socket buffers) "
		   "kernel objects to a target",
	.params = params,
	.run = slab_run,
};
