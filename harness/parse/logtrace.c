#include "logtrace.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

bool trace_frame(const char *body, char *fn, size_t n, bool *reliable)
{
	const char *s = body, *plus;
	size_t len;

	while (*s == ' ' || *s == '\t')
		s++;
	if (s[0] == '[' && s[1] == '<') {	/* <= 4.x: "[<addr>] ? f+0x1/0x2" */
		s = strchr(s, ']');
		if (!s)
			return false;
		s++;
		while (*s == ' ')
			s++;
	}
	*reliable = strncmp(s, "? ", 2) != 0;
	if (!*reliable)
		s += 2;
	plus = strstr(s, "+0x");
	if (!plus || plus == s || !strchr(plus, '/'))
		return false;
	for (const char *c = s; c < plus; c++)
		if (!isalnum((unsigned char)*c) && *c != '_' && *c != '.')
			return false;
	len = (size_t)(plus - s);
	if (len >= n)
		len = n - 1;
	memcpy(fn, s, len);
	fn[len] = '\0';
	return true;
}

static bool in_list(const char *fn, const char *const *list, size_t n, bool prefix)
{
	for (size_t i = 0; i < n; i++)
		if (prefix ? !strncmp(fn, list[i], strlen(list[i])) : !strcmp(fn, list[i]))
			return true;
	return false;
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

const char *trace_context(const char *fn)
{
	static const char *const hard[] = { "__hrtimer_run_queues", "hrtimer_interrupt",
		"__handle_irq_event_percpu", "handle_irq_event", "__sysvec_call_function_single",
		"flush_smp_call_function_queue", "__flush_smp_call_function_queue" };
	static const char *const soft[] = { "call_timer_fn", "__run_timers", "run_timer_softirq",
		"tasklet_action_common", "tasklet_action", "tasklet_hi_action", "net_rx_action",
		"net_tx_action", "__do_softirq", "handle_softirqs", "do_softirq", "rcu_core" };
	static const char *const wq[] = { "process_one_work", "worker_thread" };
	static const char *const task[] = { "kthread", "ret_from_fork", "ret_from_fork_asm",
		"do_syscall_64", "entry_SYSCALL_64_after_hwframe", "do_int80_syscall_32",
		"__do_fast_syscall_32", "do_fast_syscall_32", "entry_SYSENTER_32",
		"ksys_write", "vfs_write", "do_page_fault", "exc_page_fault", "handle_mm_fault" };

	if (in_list(fn, hard, N(hard), false))
		return "hardirq";
	if (in_list(fn, soft, N(soft), false))
		return "softirq";
	if (in_list(fn, wq, N(wq), false))
		return "workqueue";
	if (in_list(fn, task, N(task), false))
		return "task";
	return NULL;
}

bool trace_is_allocator(const char *fn)
{
	static const char *const pre[] = { "dump_stack", "show_stack", "warn_alloc",
		"__alloc_pages", "alloc_pages", "__alloc_frozen_pages", "alloc_frozen_pages",
		"__get_free_pages", "get_zeroed_page", "__folio_alloc", "folio_alloc",
		"get_page_from_freelist", "__kmalloc", "kmalloc", "kmem_cache_alloc",
		"allocate_slab", "new_slab", "___slab_alloc", "__slab_alloc", "alloc_slab_page",
		"slab_alloc", "__vmalloc", "vmalloc", "vzalloc", "kvmalloc", "__kvmalloc",
		"dump_header", "oom_kill_process", "out_of_memory", "__alloc_pages_may_oom",
		"pagefault_out_of_memory", "mem_cgroup_out_of_memory", "try_charge",
		"__memcg_kmem_charge", "obj_cgroup_charge", "show_mem", "__show_mem",
		"__dump_stack", "warn_alloc_show_mem", "alloc_pages_node", "__alloc_pages_node",
		"alloc_pages_current", "alloc_pages_vma", "__alloc_pages_nodemask",
		"__alloc_pages_slowpath", "__alloc_pages_noprof", "alloc_pages_mpol" };

	return in_list(fn, pre, N(pre), true);
}
