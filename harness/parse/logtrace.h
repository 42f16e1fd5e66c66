/*
 * Stack frames of a report ("  helper_burst+0x8c/0x150 [allocrepro_helper]",
 * "[<ffffffff8112723a>] ? f+0x67a/0x8c0"): the context the allocation ran
 * in and the first function outside the allocator (who asked).  Pure.
 */
#ifndef ALLOCREPRO_LOGTRACE_H
#define ALLOCREPRO_LOGTRACE_H

#include <stdbool.h>
#include <stddef.h>

/* The function of a frame line into fn; false when the line is no frame.
 * *reliable is false for frames printed with "? ". */
bool trace_frame(const char *body, char *fn, size_t n, bool *reliable);
/* "hardirq", "softirq", "workqueue" or "task" when fn tells which context
 * the frames inside it ran in, NULL otherwise. */
const char *trace_context(const char *fn);
/* Part of the allocator, slab, vmalloc, OOM or printing of the report. */
bool trace_is_allocator(const char *fn);

#endif
