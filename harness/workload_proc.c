#include "workload_proc.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void child(const struct workload_ops *ops, const struct wl_args *args, int fd)
{
	struct wl_reporter rep = { fd };
	int adj = open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);

	/* The harness is shielded from the OOM killer; its workloads are not. */
	if (adj >= 0) {
		if (write(adj, "0", 1) < 0)
			log_msg("workload %s: cannot reset oom_score_adj", ops->name);
		close(adj);
	}
	signal(SIGTERM, SIG_DFL);
	_exit(ops->run(args, &rep) ? 1 : 0);
}

static void take_metric(json_object *m, char *line)
{
	char *sp = strchr(line, ' ');
	double v;

	if (!sp)
		return;
	*sp = '\0';
	if (parse_double(sp + 1, &v))
		json_object_object_add(m, line, json_object_new_double(v));
}

int workload_proc_start(struct workload_proc *w, const struct workload_ops *ops,
			const struct wl_args *args, unsigned timeout_s)
{
	int p[2];
	char buf[4096];
	size_t used = 0;
	uint64_t deadline = now_ns() + (uint64_t)timeout_s * 1000000000ull;

	memset(w, 0, sizeof(*w));
	w->ops = ops;
	w->metrics = json_object_new_object();
	if (pipe2(p, O_CLOEXEC) < 0)
		return -1;
	w->pid = fork();
	if (w->pid < 0) {
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (w->pid == 0) {
		close(p[0]);
		child(ops, args, p[1]);
	}
	close(p[1]);
	for (;;) {
		struct pollfd pf = { .fd = p[0], .events = POLLIN };
		int64_t left = (int64_t)(deadline - now_ns()) / 1000000;
		ssize_t n;
		char *nl;

		if (left <= 0) {
			log_msg("workload %s did not reach its target in %u s", ops->name, timeout_s);
			break;
		}
		if (poll(&pf, 1, (int)(left > 1000 ? 1000 : left)) <= 0)
			continue;
		n = read(p[0], buf + used, sizeof(buf) - 1 - used);
		if (n <= 0) {
			log_msg("workload %s exited before reaching its target", ops->name);
			break;
		}
		used += (size_t)n;
		buf[used] = '\0';
		while ((nl = strchr(buf, '\n'))) {
			*nl = '\0';
			if (!strcmp(buf, "ready")) {
				close(p[0]);
				return 0;
			}
			take_metric(w->metrics, buf);
			memmove(buf, nl + 1, used - (size_t)(nl + 1 - buf) + 1);
			used -= (size_t)(nl + 1 - buf);
		}
		if (used == sizeof(buf) - 1)
			used = 0;	/* a line that long is noise */
	}
	close(p[0]);
	workload_proc_stop(w);
	return -1;
}

void workload_proc_stop(struct workload_proc *w)
{
	if (w->pid > 0) {
		kill(w->pid, SIGTERM);
		while (waitpid(w->pid, NULL, 0) < 0 && errno == EINTR)
			;
		w->pid = 0;
	}
}
