/* The fragment workload's kept pages held by pipes (fragment_pin.c). */
#ifndef ALLOCREPRO_FRAGMENT_PIN_H
#define ALLOCREPRO_FRAGMENT_PIN_H

#include <stddef.h>

#define PIPE_SLOTS 256		/* 1 MiB pipes: F_SETPIPE_SZ as root */

/* At least need descriptors (two per pipe); -1 said. */
int frag_raise_nofile(size_t need);
/* The pinned recipe: vmsplice each page of mem marked in keep into pipes,
 * all made first; pages pinned, or -1 (said).  Before the rest is given
 * back. */
long frag_pin_pages(unsigned char *mem, size_t npages, size_t psz, const unsigned char *keep);
/* The pipe recipe: free each kept page and write a page into a pipe right
 * after; pages written, or -1 (said). */
long frag_pipe_pages(unsigned char *mem, size_t npages, size_t psz, const unsigned char *keep);

#endif
