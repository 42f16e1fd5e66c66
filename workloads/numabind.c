#include "numabind.h"

#include <numa.h>
#include <numaif.h>
#include <stdio.h>

int numabind_node(int node, const char *who)
{
	struct bitmask *bm;

	if (numa_available() < 0) {
		fprintf(stderr, "%s: node %d: this kernel has no NUMA support\n", who, node);
		return -1;
	}
	if (node > numa_max_node() || numa_node_size64(node, NULL) <= 0) {
		fprintf(stderr, "%s: node %d: no such node with memory (nodes 0..%d)\n", who,
			node, numa_max_node());
		return -1;
	}
	/* a node without CPUs still takes our memory; we run elsewhere */
	if (numabind_first_cpu(node) >= 0 && numa_run_on_node(node) < 0)
		fprintf(stderr, "%s: cannot run on node %d's CPUs\n", who, node);
	bm = numa_allocate_nodemask();
	numa_bitmask_setbit(bm, (unsigned)node);
	/* MPOL_BIND: never fall back to another node, that is the point */
	numa_set_bind_policy(1);
	numa_set_membind(bm);
	numa_bitmask_free(bm);
	return 0;
}

int numabind_first_cpu(int node)
{
	struct bitmask *cpus = numa_allocate_cpumask();
	int first = -1;

	if (numa_available() >= 0 && numa_node_to_cpus(node, cpus) == 0)
		for (unsigned i = 0; i < cpus->size && first < 0; i++)
			if (numa_bitmask_isbitset(cpus, i))
				first = (int)i;
	numa_bitmask_free(cpus);
	return first;
}

int numabind_nodes(void)
{
	int n = 0;

	if (numa_available() < 0)
		return 1;
	for (int i = 0; i <= numa_max_node(); i++)
		n += numa_node_size64(i, NULL) > 0;
	return n ? n : 1;
}

int numabind_stay(void *addr, size_t len)
{
	if (numa_available() < 0 || numabind_nodes() < 2)
		return 0;
	return mbind(addr, len, MPOL_LOCAL, NULL, 0, 0) ? -1 : 0;
}
