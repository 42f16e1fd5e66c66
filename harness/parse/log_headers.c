/* The first lines of a report: allocation failure and OOM headers (every
 * wording since 2.6.32, docs/kernel-log-formats.md), and the banners that
 * name the kernel release. */
#include "logparse_parts.h"
#include "kver.h"
#include "logline.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "mode:0xa20(GFP_ATOMIC)" or "gfp_mask=0x2084d0" -> mask and names */
static void parse_gfp(struct event *e, const char *s)
{
	const char *paren;

	lp_copy_token(e->gfp_mask, sizeof(e->gfp_mask), s, "(, ");
	paren = s + strlen(e->gfp_mask);
	if (*paren == '(')
		lp_copy_token(e->gfp_flags, sizeof(e->gfp_flags), paren + 1, ")");
}

void lp_list_field(char *dst, size_t size, const char *body, const char *key)
{
	const char *s = strstr(body, key);

	if (s)
		lp_copy_token(dst, size, s + strlen(key), ", ");
}

static void parse_mode_tail(struct event *e, const char *m)
{
	const char *s = strstr(m, "order:");

	if (s)
		e->order = (int)ev_clamp(atoi(s + 6));
	s = strstr(m, "mode:");
	if (s)
		parse_gfp(e, s + 5);
	lp_list_field(e->nodemask, sizeof(e->nodemask), m, "nodemask=");
	lp_list_field(e->cpuset, sizeof(e->cpuset), m, "cpuset=");
	lp_list_field(e->mems_allowed, sizeof(e->mems_allowed), m, "mems_allowed=");
}

/*
 * "comm: page allocation failure: order:3, mode:..."   (". order" on 2.6.32)
 * "comm: vmalloc: allocation failure: 123 bytes, mode:..."   (4.9-5.12)
 * "comm: vmalloc error: size 123, <reason>, mode:..."   (5.15+)
 * "vmalloc: allocation failure, allocated A of B bytes"   (3.0-4.8, own line)
 */
bool lp_alloc_header(struct logparse *p, const char *body, double ts, struct event_list *out)
{
	const char *m;

	if ((m = strstr(body, ": page allocation failure")) != NULL) {
		/* 3.0-4.8 vmalloc: the failure line follows the vmalloc line */
		bool merge = p->open && p->cur.type == EV_VMALLOC_FAILURE &&
			     p->cur.order < 0 && p->lines < 4;

		if (!merge)
			lp_start(p, EV_ALLOC_FAILURE, ts, out);
		lp_copy_n(p->cur.comm, sizeof(p->cur.comm), body, (size_t)(m - body));
		parse_mode_tail(&p->cur, m);
		return true;
	}
	if (!strncmp(body, "vmalloc: allocation failure", 27)) {
		const char *s = body + 27;

		lp_start(p, EV_VMALLOC_FAILURE, ts, out);
		const char *of = strstr(s, " of ");

		if (!strncmp(s, ", allocated ", 12) && of)
			p->cur.vm_size = lp_atol(of + 4);
		else if (*s == ':')
			p->cur.vm_size = lp_atol(s + 1);
		return true;
	}
	if ((m = strstr(body, ": vmalloc: allocation failure")) != NULL ||
	    (m = strstr(body, ": vmalloc error: size ")) != NULL) {
		const char *s = m + 2;

		lp_start(p, EV_VMALLOC_FAILURE, ts, out);
		lp_copy_n(p->cur.comm, sizeof(p->cur.comm), body, (size_t)(m - body));
		if (!strncmp(s, "vmalloc error: size ", 20)) {
			const char *r = strchr(s + 20, ',');

			p->cur.vm_size = lp_atol(s + 20);
			if (r) {
				const char *mode = strstr(r, ", mode:");

				r += strspn(r, ", ");
				lp_copy_n(p->cur.vm_reason, sizeof(p->cur.vm_reason), r,
				       mode && mode > r ? (size_t)(mode - r) : strlen(r));
			}
		} else {
			p->cur.vm_size = lp_atol(s + strlen("vmalloc: allocation failure: "));
		}
		parse_mode_tail(&p->cur, s);
		return true;
	}
	return false;
}

/* "comm invoked oom-killer: gfp_mask=0x..(..), [nodemask=.., ] order=N, oom_score_adj=N" */
bool lp_oom_header(struct logparse *p, const char *body, double ts, struct event_list *out)
{
	const char *m = strstr(body, " invoked oom-killer: ");
	const char *s;

	if (!m)
		return false;
	lp_start(p, EV_OOM, ts, out);
	lp_copy_n(p->cur.comm, sizeof(p->cur.comm), body, (size_t)(m - body));
	m += 21;
	if ((s = strstr(m, "gfp_mask=")) != NULL)
		parse_gfp(&p->cur, s + 9);
	if ((s = strstr(m, "order=")) != NULL)
		p->cur.order = (int)ev_clamp(atoi(s + 6));
	if ((s = strstr(m, "oom_score_adj=")) != NULL)
		p->cur.oom_score_adj = lp_atol(s + 14);
	else if ((s = strstr(m, "oom_adj=")) != NULL)
		p->cur.oom_score_adj = lp_atol(s + 8);
	lp_list_field(p->cur.nodemask, sizeof(p->cur.nodemask), m, "nodemask=");
	return true;
}

static void set_kernel(struct logparse *p, const char *rel, size_t n)
{
	if (n == 0 || !isdigit((unsigned char)rel[0]))
		return;
	lp_copy_n(p->kernel, sizeof(p->kernel), rel, n);
	if (p->open)
		snprintf(p->cur.kernel, sizeof(p->cur.kernel), "%s", p->kernel);
}

/*
 * "CPU: 1 PID: 0 Comm: swapper/1 Tainted: G  O  6.1.0-56-amd64 #1 Debian ..."
 * "Pid: 0, comm: swapper Not tainted 2.6.32-358.2.1.el6.x86_64 #1"
 * "Linux version 6.1.0-56-amd64 (...)"
 */
bool lp_banner(struct logparse *p, const char *body)
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
		p->cur.pid = lp_atol(s);
	if (p->open && p->cur.cpu < 0 && body[0] == 'C') {
		long cpu = lp_atol(body + 5);

		p->cur.cpu = cpu < 1 << 20 ? (int)cpu : -1;
	}
	if (p->open && c && !p->cur.comm[0])
		lp_copy_token(p->cur.comm, sizeof(p->cur.comm), c, " ");
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
