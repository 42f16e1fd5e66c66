#include "logparse.h"
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

static void copy_n(char *dst, size_t size, const char *src, size_t n)
{
	if (n >= size)
		n = size - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

static void copy_token(char *dst, size_t size, const char *src, const char *stop)
{
	copy_n(dst, size, src, strcspn(src, stop));
}

static long ev_atol(const char *s)
{
	return ev_clamp(atol(s));
}

/* Numbers in logs can be absurd; clamp instead of overflowing. */
static long num(const char *s, char **end)
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

static void start(struct logparse *p, enum ev_type type, double ts,
		  struct event_list *out)
{
	emit(p, out);
	event_init(&p->cur, type);
	p->cur.time = ts;
	p->cur.phase = p->phase;
	p->last_zone = -1;
	p->lines = 0;
	p->open = true;
}

/* "mode:0xa20(GFP_ATOMIC)" or "gfp_mask=0x2084d0" -> mask and names */
static void parse_gfp(struct event *e, const char *s)
{
	const char *paren;

	copy_token(e->gfp_mask, sizeof(e->gfp_mask), s, "(, ");
	paren = s + strlen(e->gfp_mask);
	if (*paren == '(')
		copy_token(e->gfp_flags, sizeof(e->gfp_flags), paren + 1, ")");
}

static void parse_list_field(char *dst, size_t size, const char *body, const char *key)
{
	const char *s = strstr(body, key);

	if (s)
		copy_token(dst, size, s + strlen(key), ", ");
}

static void parse_mode_tail(struct event *e, const char *m)
{
	const char *s = strstr(m, "order:");

	if (s)
		e->order = (int)ev_clamp(atoi(s + 6));
	s = strstr(m, "mode:");
	if (s)
		parse_gfp(e, s + 5);
	parse_list_field(e->nodemask, sizeof(e->nodemask), m, "nodemask=");
	parse_list_field(e->cpuset, sizeof(e->cpuset), m, "cpuset=");
	parse_list_field(e->mems_allowed, sizeof(e->mems_allowed), m, "mems_allowed=");
}

/*
 * "comm: page allocation failure: order:3, mode:..."   (". order" on 2.6.32)
 * "comm: vmalloc: allocation failure: 123 bytes, mode:..."   (4.9-5.12)
 * "comm: vmalloc error: size 123, <reason>, mode:..."   (5.15+)
 * "vmalloc: allocation failure, allocated A of B bytes"   (3.0-4.8, own line)
 */
static bool parse_alloc_header(struct logparse *p, const char *body, double ts,
			       struct event_list *out)
{
	const char *m;

	if ((m = strstr(body, ": page allocation failure")) != NULL) {
		/* 3.0-4.8 vmalloc: the failure line follows the vmalloc line */
		bool merge = p->open && p->cur.type == EV_VMALLOC_FAILURE &&
			     p->cur.order < 0 && p->lines < 4;

		if (!merge)
			start(p, EV_ALLOC_FAILURE, ts, out);
		copy_n(p->cur.comm, sizeof(p->cur.comm), body, (size_t)(m - body));
		parse_mode_tail(&p->cur, m);
		return true;
	}
	if (!strncmp(body, "vmalloc: allocation failure", 27)) {
		const char *s = body + 27;

		start(p, EV_VMALLOC_FAILURE, ts, out);
		const char *of = strstr(s, " of ");

		if (!strncmp(s, ", allocated ", 12) && of)
			p->cur.vm_size = ev_atol(of + 4);
		else if (*s == ':')
			p->cur.vm_size = ev_atol(s + 1);
		return true;
	}
	if ((m = strstr(body, ": vmalloc: allocation failure")) != NULL ||
	    (m = strstr(body, ": vmalloc error: size ")) != NULL) {
		const char *s = m + 2;

		start(p, EV_VMALLOC_FAILURE, ts, out);
		copy_n(p->cur.comm, sizeof(p->cur.comm), body, (size_t)(m - body));
		if (!strncmp(s, "vmalloc error: size ", 20)) {
			const char *r = strchr(s + 20, ',');

			p->cur.vm_size = ev_atol(s + 20);
			if (r) {
				const char *mode = strstr(r, ", mode:");

				r += strspn(r, ", ");
				copy_n(p->cur.vm_reason, sizeof(p->cur.vm_reason), r,
				       mode && mode > r ? (size_t)(mode - r) : strlen(r));
			}
		} else {
			p->cur.vm_size = ev_atol(s + strlen("vmalloc: allocation failure: "));
		}
		parse_mode_tail(&p->cur, s);
		return true;
	}
	return false;
}

/* "comm invoked oom-killer: gfp_mask=0x..(..), [nodemask=.., ] order=N, oom_score_adj=N" */
static bool parse_oom_header(struct logparse *p, const char *body, double ts,
			     struct event_list *out)
{
	const char *m = strstr(body, " invoked oom-killer: ");
	const char *s;

	if (!m)
		return false;
	start(p, EV_OOM, ts, out);
	copy_n(p->cur.comm, sizeof(p->cur.comm), body, (size_t)(m - body));
	m += 21;
	if ((s = strstr(m, "gfp_mask=")) != NULL)
		parse_gfp(&p->cur, s + 9);
	if ((s = strstr(m, "order=")) != NULL)
		p->cur.order = (int)ev_clamp(atoi(s + 6));
	if ((s = strstr(m, "oom_score_adj=")) != NULL)
		p->cur.oom_score_adj = ev_atol(s + 14);
	else if ((s = strstr(m, "oom_adj=")) != NULL)
		p->cur.oom_score_adj = ev_atol(s + 8);
	parse_list_field(p->cur.nodemask, sizeof(p->cur.nodemask), m, "nodemask=");
	return true;
}

static void set_kernel(struct logparse *p, const char *rel, size_t n)
{
	if (n == 0 || !isdigit((unsigned char)rel[0]))
		return;
	copy_n(p->kernel, sizeof(p->kernel), rel, n);
	if (p->open)
		snprintf(p->cur.kernel, sizeof(p->cur.kernel), "%s", p->kernel);
}

/*
 * "CPU: 1 PID: 0 Comm: swapper/1 Tainted: G  O  6.1.0-56-amd64 #1 Debian ..."
 * "Pid: 0, comm: swapper Not tainted 2.6.32-358.2.1.el6.x86_64 #1"
 * "Linux version 6.1.0-56-amd64 (...)"
 */
static bool parse_banner(struct logparse *p, const char *body)
{
	const char *s, *c, *t, *hash, *b;

	if (!strncmp(body, "Linux version ", 14)) {
		set_kernel(p, body + 14, strcspn(body + 14, " "));
		return true;
	}
	if (!strncmp(body, "CPU: ", 5) && (s = strstr(body, "PID: ")) != NULL) {
		c = strstr(body, "Comm: ");
		if (c)
			c += 6;
		s += 5;
	} else if (!strncmp(body, "Pid: ", 5) && (c = strstr(body, ", comm: ")) != NULL) {
		s = body + 5;
		c += 8;
	} else {
		return false;
	}
	if (p->open && p->cur.pid < 0)
		p->cur.pid = ev_atol(s);
	if (p->open && p->cur.cpu < 0 && body[0] == 'C') {
		long cpu = ev_atol(body + 5);

		p->cur.cpu = cpu < 1 << 20 ? (int)cpu : -1;
	}
	if (p->open && c && !p->cur.comm[0])
		copy_token(p->cur.comm, sizeof(p->cur.comm), c, " ");
	t = strstr(body, "ainted");	/* "Not tainted" / "Tainted: G ..." */
	if (!t)
		return true;
	if (!(hash = strstr(t, " #"))) {
		/* wrapped before " #N": the release ends the line */
		struct kver kv;

		b = strrchr(t, ' ');
		if (b && kver_parse(b + 1, &kv))
			set_kernel(p, b + 1, strlen(b + 1));
		return true;
	}
	/* The release is the token just before " #". */
	for (b = hash; b > t && b[-1] != ' '; b--)
		;
	set_kernel(p, b, (size_t)(hash - b));
	return true;
}

static bool is_zone_name(const char *s, size_t n)
{
	switch (n) {
	case 3: return !strncmp(s, "DMA", 3);
	case 5: return !strncmp(s, "DMA32", 5);
	case 6: return !strncmp(s, "Normal", 6) || !strncmp(s, "Device", 6);
	case 7: return !strncmp(s, "HighMem", 7) || !strncmp(s, "Movable", 7);
	}
	return false;
}

/* Parse an optional "Node N " and a zone name; returns the rest or NULL. */
static const char *parse_node_zone(const char *s, int *node, char *zone, size_t size)
{
	size_t n;

	*node = -1;
	if (!strncmp(s, "Node ", 5) && isdigit((unsigned char)s[5])) {
		char *end;

		*node = (int)strtol(s + 5, &end, 10);
		s = end;
		if (*s == ',' || *node > 4096)	/* buddyinfo style is not ours */
			return NULL;
		while (*s == ' ')
			s++;
	}
	n = strcspn(s, " :");
	if (!is_zone_name(s, n) || n >= size)
		return NULL;
	memcpy(zone, s, n);
	zone[n] = '\0';
	return s + n;
}

/* " key:123kB" anywhere in s (key preceded by a space or the start) */
static long kb_field(const char *s, const char *key)
{
	size_t kl = strlen(key);

	for (const char *f = strstr(s, key); f; f = strstr(f + 1, key)) {
		if ((f == s || f[-1] == ' ') && isdigit((unsigned char)f[kl])) {
			char *end;
			long v = num(f + kl, &end);

			return v;
		}
	}
	return -1;
}

static void zone_fields(struct ev_zone *z, const char *s)
{
	long v;

#define FIELD(dst, key) if (dst < 0 && (v = kb_field(s, key)) >= 0) dst = v
	FIELD(z->free_kb, "free:");
	FIELD(z->min_kb, "min:");
	FIELD(z->low_kb, "low:");
	FIELD(z->high_kb, "high:");
	FIELD(z->boost_kb, "boost:");
	FIELD(z->present_kb, "present:");
	FIELD(z->managed_kb, "managed:");
	FIELD(z->free_cma_kb, "free_cma:");
	FIELD(z->highatomic_kb, "reserved_highatomic:");
#undef FIELD
	if (strstr(s, "all_unreclaimable? yes"))
		z->all_unreclaimable = 1;
	else if (strstr(s, "all_unreclaimable? no"))
		z->all_unreclaimable = 0;
	z->has_wmark = z->free_kb >= 0 && z->min_kb >= 0;
}

/* "Node 0 DMA32 free:1234kB boost:0kB min:...kB low:...kB high:...kB ..." */
static bool parse_zone_line(struct logparse *p, const char *body)
{
	char zone[16];
	int node;
	const char *rest = parse_node_zone(body, &node, zone, sizeof(zone));
	struct ev_zone *z;

	if (!rest || strncmp(rest, " free:", 6))
		return false;
	z = event_zone(&p->cur, node, zone, true);
	if (!z)
		return true;
	zone_fields(z, rest);
	p->cur.has_dump = true;
	p->last_zone = (int)(z - p->cur.zones);
	return true;
}

/* A wrapped zone line goes on with "key:NkB ..." tokens. */
static bool parse_zone_continuation(struct logparse *p, const char *body)
{
	size_t k = strspn(body, "abcdefghijklmnopqrstuvwxyz_()");

	if (p->last_zone < 0 || k == 0 || body[k] != ':' ||
	    !isdigit((unsigned char)body[k + 1]) || !strstr(body, "kB"))
		return false;
	zone_fields(&p->cur.zones[p->last_zone], body);
	return true;
}

static bool parse_reserve_line(struct logparse *p, const char *body)
{
	const char *s;
	struct ev_zone *z;

	if (strncmp(body, "lowmem_reserve[]:", 17))
		return false;
	if (p->last_zone < 0)
		return true;
	z = &p->cur.zones[p->last_zone];
	s = body + 17;
	z->n_reserve = 0;
	while (*s && z->n_reserve < EV_MAX_RESERVE) {
		char *end;
		long v = num(s, &end);

		if (end == s)
			break;
		z->lowmem_reserve[z->n_reserve++] = v;
		s = end;
	}
	return true;
}

/* "Node 0 DMA32: 3*4kB (UM) 0*8kB 1*16kB (M) ... = 1234kB" */
static bool parse_buddy_line(struct logparse *p, const char *body)
{
	char zone[16];
	int node;
	const char *s = parse_node_zone(body, &node, zone, sizeof(zone));
	struct ev_zone *z, tmp;

	if (!s || s[0] != ':' || !strstr(s, "kB"))
		return false;
	memset(&tmp, 0, sizeof(tmp));
	s++;
	while (*s && tmp.n_orders < EV_MAX_ORDERS) {
		char *end;
		long count, size;

		while (*s == ' ')
			s++;
		if (*s == '=' || !*s)
			break;
		count = num(s, &end);
		if (end == s || *end != '*' || count < 0)
			break;	/* truncated or damaged: keep what was read */
		size = num(end + 1, &end);
		if (strncmp(end, "kB", 2) || size <= 0)
			break;
		if (tmp.n_orders == 0)
			tmp.page_kb = size > 1024 ? 0 : (int)size;
		s = end + 2;
		tmp.buddy[tmp.n_orders] = ev_clamp_blocks((unsigned long)count, tmp.n_orders);
		while (*s == ' ')
			s++;
		if (*s == '(') {
			copy_token(tmp.migratetypes[tmp.n_orders],
				   sizeof(tmp.migratetypes[0]), s + 1, ")");
			s += strcspn(s, ")");
			if (*s)
				s++;
		}
		tmp.n_orders++;
	}
	z = event_zone(&p->cur, node, zone, true);
	if (z && tmp.n_orders) {
		z->n_orders = tmp.n_orders;
		z->page_kb = tmp.page_kb;
		memcpy(z->buddy, tmp.buddy, sizeof(tmp.buddy));
		memcpy(z->migratetypes, tmp.migratetypes, sizeof(tmp.migratetypes));
	}
	p->cur.has_dump = true;
	return true;
}

/* show_mem's summary block: "free:202655 slab_reclaimable:146247 ..." (pages) */
static bool parse_summary(struct logparse *p, const char *body)
{
	size_t k = strspn(body, "abcdefghijklmnopqrstuvwxyz_");
	struct ev_summary *m = &p->cur.sum;
	long v;

	if (k == 0 || body[k] != ':' || !isdigit((unsigned char)body[k + 1]) ||
	    strstr(body, "kB"))
		return false;
#define SUM(dst, key) if ((v = kb_field(body, key)) >= 0) dst = v
	SUM(m->free, "free:");
	SUM(m->free_cma, "free_cma:");
	SUM(m->active_file, "active_file:");
	SUM(m->inactive_file, "inactive_file:");
	SUM(m->active_anon, "active_anon:");
	SUM(m->inactive_anon, "inactive_anon:");
	SUM(m->slab_reclaimable, "slab_reclaimable:");
	SUM(m->slab_unreclaimable, "slab_unreclaimable:");
#undef SUM
	p->cur.has_dump = true;
	return true;
}

/* "523470 pages RAM", "296242 pages HighMem/MovableOnly", "0 pages reserved" */
static bool parse_pages_line(struct logparse *p, const char *body)
{
	char *end;
	long v;

	if (!isdigit((unsigned char)body[0]))
		return false;
	v = num(body, &end);
	if (strncmp(end, " pages ", 7))
		return false;
	end += 7;
	if (!strcmp(end, "RAM"))
		p->cur.sum.ram_pages = v;
	else if (!strncmp(end, "HighMem", 7))
		p->cur.sum.highmem_pages = v;
	else if (!strcmp(end, "reserved"))
		p->cur.sum.reserved_pages = v;
	else if (!strcmp(end, "cma reserved"))
		p->cur.sum.cma_reserved_pages = v;
	else
		return false;
	return true;
}

/* "[ 1386]     0  1386     4937     1061 ... python": pid uid tgid vm rss ... name */
static bool parse_task_row(struct logparse *p, const char *body)
{
	long f[5];
	const char *s = body + 1, *name;
	char *end;

	if (body[0] != '[')
		return false;
	for (int i = 0; i < 5; i++) {
		while (*s == ' ' || *s == ']')
			s++;
		f[i] = num(s, &end);
		if (end == s)
			return false;
		s = end;
	}
	name = strrchr(body, ' ');
	p->cur.n_tasks++;
	if (f[4] > p->cur.top_task_rss) {
		p->cur.top_task_rss = f[4];
		p->cur.top_task_pid = f[0];
		copy_n(p->cur.top_task, sizeof(p->cur.top_task), name ? name + 1 : "",
		       name ? strlen(name + 1) : 0);
	}
	return true;
}

/* "<msg>: ...process PID (comm)": the victim's pid and comm, and whether
 * the memcg OOM killer chose it.  k points at PID. */
static struct ev_victim *victim_head(struct logparse *p, const char *body, const char *k)
{
	struct ev_victim *v = &p->cur.victim;
	const char *s;

	if (strstr(body, "Memory cgroup out of memory"))
		p->cur.type = EV_MEMCG_OOM;
	v->pid = ev_atol(k);
	if ((s = strchr(k, '(')) != NULL)
		copy_token(v->comm, sizeof(v->comm), s + 1, ")");
	p->cur.has_victim = true;
	return v;
}

/* "Killed process 593 (python) total-vm:18720kB, anon-rss:2184kB, ..." */
static bool parse_killed(struct logparse *p, const char *body)
{
	const char *k = strstr(body, "Killed process ");
	struct ev_victim *v;
	const char *s;

	if (!k)
		return false;
	k += 15;
	v = victim_head(p, body, k);
#define VF(dst, key) if ((s = strstr(k, key)) != NULL) dst = ev_atol(s + strlen(key))
	VF(v->total_vm_kb, "total-vm:");
	VF(v->anon_rss_kb, "anon-rss:");
	VF(v->file_rss_kb, "file-rss:");
	VF(v->shmem_rss_kb, "shmem-rss:");
	VF(v->uid, "UID:");
	VF(v->oom_score_adj, "oom_score_adj:");
#undef VF
	return true;
}

/* "Out of memory: Kill process 1386 (python) score 2 or sacrifice child" */
static bool parse_kill_choice(struct logparse *p, const char *body)
{
	const char *k = strstr(body, "ill process ");
	const char *s;

	if (!k || !strstr(body, " score "))
		return false;
	k += 12;
	victim_head(p, body, k)->score = (s = strstr(k, " score ")) ? ev_atol(s + 7) : -1;
	return true;
}

/* "oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,
 *  global_oom,task_memcg=/x,task=stress,pid=1,uid=0" */
static bool parse_oom_summary(struct logparse *p, const char *body)
{
	const char *s = body;

	if (strncmp(s, "oom-kill:", 9))
		return false;
	s += 9;
	parse_list_field(p->cur.constraint, sizeof(p->cur.constraint), s, "constraint=");
	if (!p->cur.nodemask[0])
		parse_list_field(p->cur.nodemask, sizeof(p->cur.nodemask), s, "nodemask=");
	parse_list_field(p->cur.cpuset, sizeof(p->cur.cpuset), s, "cpuset=");
	parse_list_field(p->cur.mems_allowed, sizeof(p->cur.mems_allowed), s, "mems_allowed=");
	parse_list_field(p->cur.oom_memcg, sizeof(p->cur.oom_memcg), s, "oom_memcg=");
	parse_list_field(p->cur.task_memcg, sizeof(p->cur.task_memcg), s, "task_memcg=");
	if (p->cur.oom_memcg[0] || !strcmp(p->cur.constraint, "CONSTRAINT_MEMCG"))
		p->cur.type = EV_MEMCG_OOM;
	return true;
}

/* memcg OOM: "Task in /a killed as a result of limit of /b" (<=4.20) and
 * "memory: usage 524288kB, limit 524288kB, failcnt 100" */
static bool parse_memcg(struct logparse *p, const char *body)
{
	const char *s;

	if (!strncmp(body, "Task in ", 8) && (s = strstr(body, " killed as a result of limit of ")) != NULL) {
		copy_n(p->cur.task_memcg, sizeof(p->cur.task_memcg), body + 8,
		       (size_t)(s - body - 8));
		copy_token(p->cur.oom_memcg, sizeof(p->cur.oom_memcg), s + 32, " ");
		p->cur.type = EV_MEMCG_OOM;
		return true;
	}
	if (!strncmp(body, "memory: usage ", 14)) {
		p->cur.memcg_usage_kb = ev_atol(body + 14);
		if ((s = strstr(body, "limit ")) != NULL)
			p->cur.memcg_limit_kb = ev_atol(s + 6);
		if ((s = strstr(body, "failcnt ")) != NULL)
			p->cur.memcg_failcnt = ev_atol(s + 8);
		p->cur.type = EV_MEMCG_OOM;
		return true;
	}
	return false;
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
		copy_n(p->cur.caller, sizeof(p->cur.caller), fn, strlen(fn));
	if (!p->cur.context[0] && (ctx = trace_context(fn)) != NULL)
		copy_n(p->cur.context, sizeof(p->cur.context), ctx, strlen(ctx));
}

/* Lines of an open report other than its header. */
static void report_line(struct logparse *p, const char *body, struct event_list *out)
{
	if (p->in_tasks) {
		if (parse_task_row(p, body))
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
		copy_n(p->cur.workqueue, sizeof(p->cur.workqueue), body + 11, strlen(body + 11));
		return;
	}
	if (!strcmp(body, "Mem-Info:")) {
		p->cur.has_dump = true;
		return;
	}
	if (parse_zone_line(p, body) || parse_reserve_line(p, body) ||
	    parse_buddy_line(p, body) || parse_pages_line(p, body))
		return;
	if (strncmp(body, "Node ", 5) && parse_summary(p, body))
		return;
	if (parse_zone_continuation(p, body))
		return;
	/* "comm cpuset=/ mems_allowed=0" (2.6.32-4.20, own line) */
	if (!p->cur.cpuset[0] && strstr(body, " cpuset=") && strstr(body, "mems_allowed=")) {
		parse_list_field(p->cur.cpuset, sizeof(p->cur.cpuset), body, "cpuset=");
		parse_list_field(p->cur.mems_allowed, sizeof(p->cur.mems_allowed), body,
				 "mems_allowed=");
		return;
	}
	if (p->cur.type == EV_OOM || p->cur.type == EV_MEMCG_OOM) {
		if (strstr(body, "[ pid ]") || strstr(body, "[  pid  ]")) {
			p->in_tasks = true;
			return;
		}
		if (parse_memcg(p, body) || parse_oom_summary(p, body) ||
		    parse_kill_choice(p, body))
			return;
		if (parse_killed(p, body)) {
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
		if (parse_alloc_header(p, body, ts, out))
			return;
		break;
	case 'o':
		if (parse_oom_header(p, body, ts, out))
			return;
		break;
	}
	if ((body[0] == 'C' || body[0] == 'P' || body[0] == 'L') && parse_banner(p, body))
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
		const char *rest = parse_node_zone(body, &node, zone, sizeof(zone));

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
