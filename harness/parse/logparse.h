/*
 * Kernel log -> events.  A pure state machine: feed it message lines (with
 * or without transport prefixes) in order; completed reports are appended to
 * the output list.  No I/O, so the same code serves the live /dev/kmsg
 * recorder and `allocrepro explain` on a file.
 *
 * Reports: page allocation failures (every wording 2.6.32..6.x), vmalloc
 * failures, OOM kills (global and memcg) with their show_mem dump, task
 * table and victim.  Unknown lines are skipped, never fatal.
 */
#ifndef ALLOCREPRO_LOGPARSE_H
#define ALLOCREPRO_LOGPARSE_H

#include "event.h"

#define LP_PENDING_MAX 1024

struct logparse {
	bool open;		/* a report is being collected */
	struct event cur;
	int last_zone;		/* index in cur.zones of the last zone line */
	char kernel[96];	/* last release seen in any banner */
	double last_ts;		/* timestamp of the report's last line */
	int lines;		/* lines since the report started */
	int idle;		/* non-kernel lines in a row since */
	bool in_tasks;		/* inside the OOM task table */
	int phase;		/* set by the recorder from its markers, -1 none */
	/* a buddy line that may continue on the next line (mail wrapping) */
	char pending[LP_PENDING_MAX];
	size_t pending_len;
};

void logparse_init(struct logparse *p);
/* One line of text. */
void logparse_line(struct logparse *p, const char *line, struct event_list *out);
/* End of input (or the log went quiet): emit a report still open. */
void logparse_flush(struct logparse *p, struct event_list *out);
/* Split a buffer into lines and parse them; between reports, jump to the
 * next line that may start one.  drain(ctx, out), when given, is called as
 * reports complete (so a huge log streams).  The caller flushes. */
void logparse_buffer(struct logparse *p, const char *text, size_t len, struct event_list *out,
		     void (*drain)(void *ctx, struct event_list *out), void *ctx);
/* Convenience: a fresh parser over all of a buffer, flushed. */
void logparse_text(const char *text, size_t len, struct event_list *out);

#endif
