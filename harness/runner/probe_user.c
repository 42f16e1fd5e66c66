#include "probe_user.h"
#include "safety/journal.h"
#include "parse/procfs.h"
#include "util/util.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define HUGE_SZ (2UL << 20)

static json_object *metrics(unsigned asked, unsigned long got, uint64_t t0)
{
	json_object *m = json_object_new_object();

	if (got > asked)
		got = asked;
	json_object_object_add(m, "attempts", json_object_new_int64(asked));
	json_object_object_add(m, "successes", json_object_new_int64((int64_t)got));
	json_object_object_add(m, "failures", json_object_new_int64((int64_t)(asked - got)));
	json_object_object_add(m, "seconds", json_object_new_double((double)(now_ns() - t0) / 1e9));
	return m;
}

json_object *probe_hugetlb(const char *journal_path, unsigned pages, unsigned hold_ms,
			   char *err, size_t errlen)
{
	char old[64], want[32], now[64];
	unsigned long before, after;
	uint64_t t0 = now_ns();

	if (journal_sysctl_get("vm.nr_hugepages", old, sizeof(old))) {
		snprintf(err, errlen, "vm.nr_hugepages: %s (no hugetlbfs in this kernel?)",
			 strerror(errno));
		return NULL;
	}
	before = strtoul(old, NULL, 10);
	snprintf(want, sizeof(want), "%lu", before + pages);
	/* the kernel allocates as many as it can and keeps them */
	if (journal_sysctl_set(journal_path, "vm.nr_hugepages", want, err, errlen))
		return NULL;
	after = journal_sysctl_get("vm.nr_hugepages", now, sizeof(now)) ? before : strtoul(now, NULL, 10);
	sleep_ms(hold_ms);
	if (journal_sysctl_put("vm.nr_hugepages", old))
		log_msg("vm.nr_hugepages: cannot put back %s (allocrepro restore will)", old);
	return metrics(pages, after > before ? after - before : 0, t0);
}

/* AnonHugePages of the mapping at addr, in kB, from /proc/self/smaps. */
static unsigned long anon_huge_kb(uintptr_t addr)
{
	char *t = read_file("/proc/self/smaps", NULL);
	long kb = t ? smaps_anon_huge_kb(t, addr) : -1;

	free(t);
	return kb > 0 ? (unsigned long)kb : 0;
}

json_object *probe_thp(unsigned pages, char *err, size_t errlen)
{
	uint64_t t0 = now_ns();
	int fds[2];
	unsigned long got = 0;
	pid_t pid;
	int st;

	if (pipe(fds)) {
		snprintf(err, errlen, "thp probe: pipe: %s", strerror(errno));
		return NULL;
	}
	pid = fork();
	if (pid == 0) {
		size_t len = (size_t)pages * HUGE_SZ + HUGE_SZ;
		char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		unsigned long kb = 0;
		char *a;

		close(fds[0]);
		if (p != MAP_FAILED) {
			a = (char *)(((uintptr_t)p + HUGE_SZ - 1) & ~(HUGE_SZ - 1));
			madvise(a, (size_t)pages * HUGE_SZ, MADV_HUGEPAGE);
			for (unsigned i = 0; i < pages; i++)
				a[(size_t)i * HUGE_SZ] = 1;	/* one fault per 2 MiB */
			kb = anon_huge_kb((uintptr_t)a);
		}
		if (write(fds[1], &kb, sizeof(kb)) != sizeof(kb))
			_exit(1);
		_exit(p == MAP_FAILED);
	}
	close(fds[1]);
	if (pid < 0 || read(fds[0], &got, sizeof(got)) != sizeof(got)) {
		snprintf(err, errlen, "thp probe: the child died (%s)", pid < 0 ? strerror(errno) :
			 "out of memory?");
		close(fds[0]);
		if (pid > 0)
			waitpid(pid, &st, 0);
		return NULL;
	}
	close(fds[0]);
	waitpid(pid, &st, 0);
	return metrics(pages, got / (HUGE_SZ >> 10), t0);
}
