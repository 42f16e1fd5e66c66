/*
 * Kernel log -> events.  A pure state machine: feed it message lines (with
 * or without transport prefixes) in order; completed reports are appended to
 * the output list.  No I/O, so the same code serves the live /dev/kmsg
 * recorder and `allocrepro explain` on a file.
 */
#ifndef ALLOCREPRO_LOGPARSE_H
#define ALLOCREPRO_LOGPARSE_H

#include "event.h"

struct logparse {
	bool open;		/* a report is being collected */
	struct event cur;
	int last_zone;		/* index in cur.zones of the last zone line */
	char kernel[96];	/* last release seen in any banner */
};

void logparse_init(struct logparse *p);
/* One line of text; ts is the kernel timestamp in seconds or -1. */
void logparse_line(struct logparse *p, const char *line, struct event_list *out);
/* End of input (or the log went quiet): emit a report still open. */
void logparse_flush(struct logparse *p, struct event_list *out);
/* Convenience: split a buffer into lines and parse all of it. */
void logparse_text(const char *text, size_t len, struct event_list *out);

#endif
