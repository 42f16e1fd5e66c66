/* Probes without a module: order-9 allocations the kernel makes for
 * userspace, counted by what it delivered. */
#ifndef ALLOCREPRO_PROBE_USER_H
#define ALLOCREPRO_PROBE_USER_H

#include <json-c/json.h>

/*
 * hugetlb: raise vm.nr_hugepages by pages (the old value journaled first),
 * read back how many the kernel found, hold them hold_ms, put the old value
 * back.  Metrics
 * {attempts, successes, failures, seconds}; NULL with err on failure.
 */
json_object *probe_hugetlb(const char *journal_path, unsigned pages, unsigned hold_ms,
			   char *err, size_t errlen);
/*
 * thp: a child maps pages x 2 MiB with MADV_HUGEPAGE, touches each, and
 * counts the AnonHugePages it got.  Same metrics.
 */
json_object *probe_thp(unsigned pages, char *err, size_t errlen);

#endif
