/*
 * The parts of the log parser (logparse.c is the state machine), one file
 * per kind of line: report headers and banners (log_headers.c), the
 * show_mem dump (log_memdump.c), OOM kill lines and memcg (log_oom.c).
 * Each line parser returns true when the line was its kind.  Internal to
 * parse/: the interface is logparse.h.
 */
#ifndef ALLOCREPRO_LOGPARSE_PARTS_H
#define ALLOCREPRO_LOGPARSE_PARTS_H

#include <stdbool.h>
#include <stddef.h>

#include "logparse.h"

/* logparse.c: copying, clamped numbers, starting a report */
void lp_copy_n(char *dst, size_t size, const char *src, size_t n);
void lp_copy_token(char *dst, size_t size, const char *src, const char *stop);
long lp_atol(const char *s);
/* Numbers in logs can be absurd; clamped instead of overflowing. */
long lp_num(const char *s, char **end);
/* Emit the open report, then open a new one of type. */
void lp_start(struct logparse *p, enum ev_type type, double ts, struct event_list *out);

/* log_headers.c */
/* "key=VALUE" up to a comma or blank, into dst ("" when absent). */
void lp_list_field(char *dst, size_t size, const char *body, const char *key);
bool lp_alloc_header(struct logparse *p, const char *body, double ts, struct event_list *out);
bool lp_oom_header(struct logparse *p, const char *body, double ts, struct event_list *out);
/* "CPU: .. PID: .. Comm: .. release", "Pid: ..", "Linux version ..." */
bool lp_banner(struct logparse *p, const char *body);

/* log_memdump.c */
/* "Node N Zone" or "Zone" at s; after it, or NULL. */
const char *lp_node_zone(const char *s, int *node, char *zone, size_t size);
bool lp_zone_line(struct logparse *p, const char *body);
bool lp_zone_continuation(struct logparse *p, const char *body);
bool lp_reserve_line(struct logparse *p, const char *body);
bool lp_buddy_line(struct logparse *p, const char *body);
bool lp_summary(struct logparse *p, const char *body);
bool lp_pages_line(struct logparse *p, const char *body);

/* log_oom.c */
bool lp_task_row(struct logparse *p, const char *body);
bool lp_killed(struct logparse *p, const char *body);
bool lp_kill_choice(struct logparse *p, const char *body);
bool lp_oom_summary(struct logparse *p, const char *body);
bool lp_memcg(struct logparse *p, const char *body);

#endif
