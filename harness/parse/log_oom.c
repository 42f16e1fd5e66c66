/* An OOM report's own lines: the task table, the victim (Kill process /
 * Killed process), the oom-kill summary and memcg usage. */
#include "logparse_parts.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "[ 1386]     0  1386     4937     1061 ... python": pid uid tgid vm rss ... name */
bool lp_task_row(struct logparse *p, const char *body)
{
	long f[5];
	const char *s = body + 1, *name;
	char *end;

	if (body[0] != '[')
		return false;
	for (int i = 0; i < 5; i++) {
		while (*s == ' ' || *s == ']')
			s++;
		f[i] = lp_num(s, &end);
		if (end == s)
			return false;
		s = end;
	}
	name = strrchr(body, ' ');
	p->cur.n_tasks++;
	if (f[4] > p->cur.top_task_rss) {
		p->cur.top_task_rss = f[4];
		p->cur.top_task_pid = f[0];
		lp_copy_n(p->cur.top_task, sizeof(p->cur.top_task), name ? name + 1 : "",
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
	v->pid = lp_atol(k);
	if ((s = strchr(k, '(')) != NULL)
		lp_copy_token(v->comm, sizeof(v->comm), s + 1, ")");
	p->cur.has_victim = true;
	return v;
}

/* "Killed process 593 (python) total-vm:18720kB, anon-rss:2184kB, ..." */
bool lp_killed(struct logparse *p, const char *body)
{
	const char *k = strstr(body, "Killed process ");
	struct ev_victim *v;
	const char *s;

	if (!k)
		return false;
	k += 15;
	v = victim_head(p, body, k);
#define VF(dst, key) if ((s = strstr(k, key)) != NULL) dst = lp_atol(s + strlen(key))
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
bool lp_kill_choice(struct logparse *p, const char *body)
{
	const char *k = strstr(body, "ill process ");
	const char *s;

	if (!k || !strstr(body, " score "))
		return false;
	k += 12;
	victim_head(p, body, k)->score = (s = strstr(k, " score ")) ? lp_atol(s + 7) : -1;
	return true;
}

/* "oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,
 *  global_oom,task_memcg=/x,task=stress,pid=1,uid=0" */
bool lp_oom_summary(struct logparse *p, const char *body)
{
	const char *s = body;

	if (strncmp(s, "oom-kill:", 9))
		return false;
	s += 9;
	lp_list_field(p->cur.constraint, sizeof(p->cur.constraint), s, "constraint=");
	if (!p->cur.nodemask[0])
		lp_list_field(p->cur.nodemask, sizeof(p->cur.nodemask), s, "nodemask=");
	lp_list_field(p->cur.cpuset, sizeof(p->cur.cpuset), s, "cpuset=");
	lp_list_field(p->cur.mems_allowed, sizeof(p->cur.mems_allowed), s, "mems_allowed=");
	lp_list_field(p->cur.oom_memcg, sizeof(p->cur.oom_memcg), s, "oom_memcg=");
	lp_list_field(p->cur.task_memcg, sizeof(p->cur.task_memcg), s, "task_memcg=");
	if (p->cur.oom_memcg[0] || !strcmp(p->cur.constraint, "CONSTRAINT_MEMCG"))
		p->cur.type = EV_MEMCG_OOM;
	return true;
}

/* memcg OOM: "Task in /a killed as a result of limit of /b" (<=4.20) and
 * "memory: usage 524288kB, limit 524288kB, failcnt 100" */
bool lp_memcg(struct logparse *p, const char *body)
{
	const char *s;

	if (!strncmp(body, "Task in ", 8) && (s = strstr(body, " killed as a result of limit of ")) != NULL) {
		lp_copy_n(p->cur.task_memcg, sizeof(p->cur.task_memcg), body + 8,
		       (size_t)(s - body - 8));
		lp_copy_token(p->cur.oom_memcg, sizeof(p->cur.oom_memcg), s + 32, " ");
		p->cur.type = EV_MEMCG_OOM;
		return true;
	}
	if (!strncmp(body, "memory: usage ", 14)) {
		p->cur.memcg_usage_kb = lp_atol(body + 14);
		if ((s = strstr(body, "limit ")) != NULL)
			p->cur.memcg_limit_kb = lp_atol(s + 6);
		if ((s = strstr(body, "failcnt ")) != NULL)
			p->cur.memcg_failcnt = lp_atol(s + 8);
		p->cur.type = EV_MEMCG_OOM;
		return true;
	}
	return false;
}
