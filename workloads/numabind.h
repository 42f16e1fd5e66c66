/* Binding a workload's CPU and memory to one NUMA node (libnuma). */
#ifndef ALLOCREPRO_NUMABIND_H
#define ALLOCREPRO_NUMABIND_H

/* Run on node's CPUs (if it has any) and allocate only from node;
 * -1 with a message naming who asked when the node cannot be used. */
int numabind_node(int node, const char *who);
/* The first CPU of node, -1 if none (a memory-only node). */
int numabind_first_cpu(int node);
/* Nodes with memory (1 without NUMA). */
int numabind_nodes(void);

#endif
