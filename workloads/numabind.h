/* Binding a workload's CPU and memory to one NUMA node (libnuma). */
#ifndef ALLOCREPRO_NUMABIND_H
#define ALLOCREPRO_NUMABIND_H

#include <stddef.h>

/* Run on node's CPUs (if it has any) and allocate only from node;
 * -1 with a message naming who asked when the node cannot be used. */
int numabind_node(int node, const char *who);
/* The first CPU of node, -1 if none (a memory-only node). */
int numabind_first_cpu(int node);
/* Nodes with memory (1 without NUMA). */
int numabind_nodes(void);
/*
 * Keep the pages of [addr, addr + len) where the kernel puts them:
 * automatic NUMA balancing migrates pages towards the node of the task
 * that touches them, and skips a mapping with a policy of its own.  The
 * policy given is MPOL_LOCAL, which places pages as the default does
 * (the local node, then the others).  0, or -1 with errno (none needed
 * without NUMA).
 */
int numabind_stay(void *addr, size_t len);

#endif
