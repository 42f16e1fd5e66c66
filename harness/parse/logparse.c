#include "logparse.h"
#include "logparse_parts.h"
#include "logtrace.h"
#include "kver.h"
#include "logline.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* A report whose lines stop for this long has ended (kernel seconds). */
#define REPORT_GAP_S 10.0
/* Nor does a report run on for ever when its end line was lost. */
#define REPORT_MAX_LINES 4000
/* ... or after this many lines of other programs in a syslog */
#define REPORT_IDLE_LINES 64

void logparse_init(struct logparse *p)
{
	memset(p, 0, sizeof(*p));
	p->last_ts = -1;
	p->phase = -1;
}

void lp_copy_n(char *dst, size_t size, const char *src, size_t n)
{
	if (n >= size)
		n = size - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

void lp_copy_token(char *dst, size_t size, const char *src, const char *stop)
{
	lp_copy_n(dst, size, src, strcspn(src, stop));
}

long lp_atol(const char *s)
{
	return ev_clamp(atol(s));
}

long lp_num(const char *s, char **end)
{
	long v = strtol(s, end, 10);

	return ev_clamp(v < 0 && *s != '-' ? 0 : v);
}

static void emit(struct logparse *p, struct event_list *out)
{
	if (!p->open)
		return;
	if (!p->cur.kernel[0])
		snprintf(p->cur.kernel, sizeof(p->cur.kernel), "%s", p->kernel);
	event_list_push(out, &p->cur);
	p->open = false;
	p->in_tasks = false;
}

void lp_start(struct logparse *p, enum ev_type type, double ts, struct event_list *out)
{
	emit(p, out);
	event_init(&p->cur, type);
	p->cur.time = ts;
	p->cur.phase = p->phase;
	p->last_zone = -1;
	p->lines = 0;
	p->open = true;
}

/* The innermost frame that names a context, the first that is not the
 * allocator's (frames print innermost first). */
static void report_frame(struct logparse *p, const char *body)
{
	char fn[64];
	const char *ctx;
	bool reliable;

	if (!trace_frame(body, fn, sizeof(fn), &reliable) || !reliable)
		return;
	if (!p->cur.caller[0] && !trace_is_allocator(fn))
		lp_copy_n(p->cur.caller, sizeof(p->cur.caller), fn, strlen(fn));
	if (!p->cur.context[0] && (ctx = trace_context(fn)) != NULL)
		lp_copy_n(p->cur.context, sizeof(p->cur.context), ctx, strlen(ctx));
}

/* Lines of an open report other than its header. */
static void report_line(struct logparse *p, const char *body, struct event_list *out)
{
	if (p->in_tasks) {
		if (lp_task_row(p, body))
			return;
		p->in_tasks = false;
	}
	/* 2.6.32 prints "<IRQ>  [<ffffffff8112c207>] ? f+0x757/0x8d0"; i386
	 * marks its softirq stack "<SOFTIRQ>" (and its hardirq stack not at all) */
	if (body[0] == '<' && (!strncmp(body, "<IRQ>", 5) || !strncmp(body, "<SOFTIRQ>", 9))) {
		p->cur.in_irq = true;
		return;
	}
	/* stack frames are most of a report: "[<ffffffff8112723a>] ? f+0x67a/0x8c0",
	 * " dump_stack+0x4b/0x75" */
	if ((body[0] == '[' && body[1] == '<') || (body[0] != 'N' && strstr(body, "+0x"))) {
		report_frame(p, body);
		return;
	}
	if (!strncmp(body, "Workqueue: ", 11)) {
		lp_copy_n(p->cur.workqueue, sizeof(p->cur.workqueue), body + 11, strlen(body + 11));
		return;
	}
	if (!strcmp(body, "Mem-Info:")) {
		p->cur.has_dump = true;
		return;
	}
	if (lp_zone_line(p, body) || lp_reserve_line(p, body) ||
	    lp_buddy_line(p, body) || lp_pages_line(p, body))
		return;
	if (strncmp(body, "Node ", 5) && lp_summary(p, body))
		return;
	if (lp_zone_continuation(p, body))
		return;
	/* "comm cpuset=/ mems_allowed=0" (2.6.32-4.20, own line) */
	if (!p->cur.cpuset[0] && strstr(body, " cpuset=") && strstr(body, "mems_allowed=")) {
		lp_list_field(p->cur.cpuset, sizeof(p->cur.cpuset), body, "cpuset=");
		lp_list_field(p->cur.mems_allowed, sizeof(p->cur.mems_allowed), body,
				 "mems_allowed=");
		return;
	}
	if (p->cur.type == EV_OOM || p->cur.type == EV_MEMCG_OOM) {
		if (strstr(body, "[ pid ]") || strstr(body, "[  pid  ]")) {
			p->in_tasks = true;
			return;
		}
		if (lp_memcg(p, body) || lp_oom_summary(p, body) ||
		    lp_kill_choice(p, body))
			return;
		if (lp_killed(p, body)) {
			emit(p, out);
			return;
		}
		return;
	}
	/* show_mem ends with hwpoisoned (3.14+) or non-shared (<=3.10). */
	if (strstr(body, " pages hwpoisoned") || strstr(body, " pages non-shared"))
		emit(p, out);
}

/* Mail clients wrap long buddy lines; hold one until its "= NkB" total. */
static bool buddy_incomplete(const char *body)
{
	return strstr(body, "kB") && !strstr(body, " = ") && body[strlen(body) - 1] != '=';
}

/* One pass over the line for the words that start a report (most lines
 * of a big log are noise, so this is the hot path). */
static char header_kind(const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case 'f':
			if (s[1] == 'a' && !strncmp(s, "failure", 7))
				return 'f';
			break;
		case 'o':
			if (s[1] == 'o' && !strncmp(s, "oom-killer: ", 12))
				return 'o';
			break;
		case 'v':
			if (s[1] == 'm' && !strncmp(s, "vmalloc error: size ", 20))
				return 'v';
			break;
		}
	}
	return 0;
}

static void parse_body(struct logparse *p, const char *body, double ts, struct event_list *out)
{
	if (p->open) {
		if ((ts >= 0 && p->last_ts >= 0 && (ts - p->last_ts > REPORT_GAP_S ||
						    ts < p->last_ts - 1)) ||
		    p->lines > REPORT_MAX_LINES)
			emit(p, out);
	}
	if (ts >= 0)
		p->last_ts = ts;
	/* other programs' syslog lines: a report's lines come in one burst,
	 * so a run of them ends a report that lost its end line */
	if (!*body) {
		if (p->open && ++p->idle > REPORT_IDLE_LINES)
			emit(p, out);
		return;
	}
	p->idle = 0;
	switch (header_kind(body)) {
	case 'f':
	case 'v':
		if (lp_alloc_header(p, body, ts, out))
			return;
		break;
	case 'o':
		if (lp_oom_header(p, body, ts, out))
			return;
		break;
	}
	if ((body[0] == 'C' || body[0] == 'P' || body[0] == 'L') && lp_banner(p, body))
		return;
	if (!p->open)
		return;
	p->lines++;
	report_line(p, body, out);
}

static void flush_pending(struct logparse *p, struct event_list *out)
{
	if (!p->pending_len)
		return;
	p->pending_len = 0;
	parse_body(p, p->pending, -1, out);
}

void logparse_line(struct logparse *p, const char *line, struct event_list *out)
{
	double ts;
	const char *body = logline_body(line, &ts);
	char zone[16];
	int node;

	if (p->pending_len) {
		size_t n = strlen(body);

		/* the wrapped rest of a buddy line starts with "N*4kB" or "= N" */
		if ((isdigit((unsigned char)body[0]) && strchr(body, '*')) || body[0] == '=' ||
		    (body[0] == '(' && strstr(body, "kB"))) {
			if (p->pending_len + 1 + n < sizeof(p->pending)) {
				p->pending[p->pending_len++] = ' ';
				memcpy(p->pending + p->pending_len, body, n + 1);
				p->pending_len += n;
			}
			if (!buddy_incomplete(p->pending))
				flush_pending(p, out);
			return;
		}
		flush_pending(p, out);
	}
	if (p->open) {
		const char *rest = lp_node_zone(body, &node, zone, sizeof(zone));

		if (rest && rest[0] == ':' && buddy_incomplete(body) &&
		    strlen(body) < sizeof(p->pending)) {
			p->pending_len = strlen(body);
			memcpy(p->pending, body, p->pending_len + 1);
			if (ts >= 0)
				p->last_ts = ts;
			return;
		}
	}
	parse_body(p, body, ts, out);
}

void logparse_flush(struct logparse *p, struct event_list *out)
{
	flush_pending(p, out);
	emit(p, out);
}

/*
 * The first place in [s, end) where a report may start: "failure" (page and
 * vmalloc allocation failures), "oom-killer", "vmalloc error".  Most of a
 * big log is noise, so this scan is the hot path: SSE2 finds the rare byte
 * pairs "fa", "-k", "vm" sixteen positions at a time, then words are checked.
 */
static bool report_word_at(const char *s, const char *p, const char *end)
{
	size_t left = (size_t)(end - p);

	if (p[0] == 'f')
		return left >= 7 && !memcmp(p, "failure", 7);
	if (p[0] == '-')
		return left >= 7 && p - s >= 3 && !memcmp(p, "-killer", 7) &&
		       !memcmp(p - 3, "oom", 3);
	return left >= 13 && !memcmp(p, "vmalloc error", 13);
}

static const char *next_report_word(const char *s, const char *end)
{
	const char *p = s;

#ifdef __SSE2__
	const __m128i f = _mm_set1_epi8('f'), a = _mm_set1_epi8('a');
	const __m128i d = _mm_set1_epi8('-'), k = _mm_set1_epi8('k');
	const __m128i v = _mm_set1_epi8('v'), m = _mm_set1_epi8('m');

	for (; p + 17 <= end; p += 16) {
		__m128i x = _mm_loadu_si128((const __m128i *)p);
		__m128i y = _mm_loadu_si128((const __m128i *)(p + 1));
		__m128i hit = _mm_or_si128(
			_mm_or_si128(_mm_and_si128(_mm_cmpeq_epi8(x, f), _mm_cmpeq_epi8(y, a)),
				     _mm_and_si128(_mm_cmpeq_epi8(x, d), _mm_cmpeq_epi8(y, k))),
			_mm_and_si128(_mm_cmpeq_epi8(x, v), _mm_cmpeq_epi8(y, m)));
		unsigned bits = (unsigned)_mm_movemask_epi8(hit);

		while (bits) {
			const char *c = p + __builtin_ctz(bits);

			if (report_word_at(s, c, end))
				return c[0] == '-' ? c - 3 : c;
			bits &= bits - 1;
		}
	}
#endif
	for (; p + 1 < end; p++)
		if (((p[0] == 'f' && p[1] == 'a') || (p[0] == '-' && p[1] == 'k') ||
		     (p[0] == 'v' && p[1] == 'm')) && report_word_at(s, p, end))
			return p[0] == '-' ? p - 3 : p;
	return NULL;
}

void logparse_buffer(struct logparse *p, const char *text, size_t len, struct event_list *out,
		     void (*drain)(void *ctx, struct event_list *out), void *ctx)
{
	const char *s = text, *end = text + len;
	char *line = NULL;
	size_t cap = 0;

	while (s < end) {
		/* between reports only lines that start one matter: jump there */
		if (!p->open && !p->pending_len) {
			const char *cand = next_report_word(s, end);

			if (!cand)
				break;
			const char *ls = memrchr(s, '\n', (size_t)(cand - s));

			s = ls ? ls + 1 : s;
		}
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t n = nl ? (size_t)(nl - s) : (size_t)(end - s);

		if (n + 1 > cap) {
			cap = n + 1 > 4096 ? n + 1 : 4096;
			line = realloc(line, cap);
			if (!line)
				abort();
		}
		memcpy(line, s, n);
		line[n] = '\0';
		if (n && line[n - 1] == '\r')
			line[n - 1] = '\0';
		logparse_line(p, line, out);
		if (drain && out->n)
			drain(ctx, out);
		s += n + 1;
	}
	free(line);
}

void logparse_text(const char *text, size_t len, struct event_list *out)
{
	struct logparse p;

	logparse_init(&p);
	logparse_buffer(&p, text, len, out, NULL, NULL);
	logparse_flush(&p, out);
}
