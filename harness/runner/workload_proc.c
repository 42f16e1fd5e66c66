#include "workload_proc.h"
#include "safety/guard.h"
#include "safety/journal.h"
#include "util/util.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define STOP_GRACE_S 30		/* for final metrics (stress-ng writes its YAML) */

static void child(const struct workload_ops *ops, const struct wl_args *args, int fd, int go,
		  pid_t parent, const char *errlog)
{
	struct wl_reporter rep = { fd };
	int adj = open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);
	int err = open(errlog, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	char c;

	/* what it says goes to the results (workload-<step>-stderr.log) */
	if (err >= 0) {
		dup2(err, 2);
		close(err);
	}
	/* A workload never outlives the harness, even one killed with -9. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(1);
	/* The harness is shielded from the OOM killer; its workloads are not. */
	if (adj >= 0) {
		if (write(adj, "0", 1) < 0)
			log_msg("workload %s: cannot reset oom_score_adj", ops->name);
		close(adj);
	}
	signal(SIGTERM, SIG_DFL);
	/* wait until the harness has put us in our cgroup */
	if (read(go, &c, 1) != 1)
		_exit(1);
	close(go);
	wl_catch_stop();
	_exit(ops->run(args, &rep) ? 1 : 0);
}

/* Does a target line hold?  op is >=, <=, > or <. */
static int target_holds(double m, const char *op, double t)
{
	if (!strcmp(op, ">="))
		return m >= t;
	if (!strcmp(op, "<="))
		return m <= t;
	if (!strcmp(op, ">"))
		return m > t;
	if (!strcmp(op, "<"))
		return m < t;
	return 0;
}

/* One line of the workload's report. */
static void take_line(struct workload_proc *w, char *line)
{
	char name[64], op[3], path[512];
	double m, t;

	if (sscanf(line, "target %63s %lf %2s %lf", name, &m, op, &t) == 4) {
		json_object *o = json_object_new_object();

		json_object_object_add(o, "name", json_object_new_string(name));
		json_object_object_add(o, "measured", json_object_new_double(m));
		json_object_object_add(o, "op", json_object_new_string(op));
		json_object_object_add(o, "threshold", json_object_new_double(t));
		json_object_object_add(o, "reached", json_object_new_boolean(target_holds(m, op, t)));
		json_object_array_add(w->targets, o);
	} else if (sscanf(line, "attach %63s %511s", name, path) == 2) {
		json_object_object_add(w->attach, name, json_object_new_string(path));
	} else {
		char *sp = strchr(line, ' ');

		if (sp) {
			*sp = '\0';
			if (parse_double(sp + 1, &m))
				json_object_object_add(w->metrics, line, json_object_new_double(m));
		}
	}
}

/* Read report lines until "ready" (1), EOF (0) or the deadline (-1). */
static int read_report(struct workload_proc *w, uint64_t deadline, bool want_ready)
{
	static char buf[8192];
	size_t used = 0;

	for (;;) {
		struct pollfd pf = { .fd = w->fd, .events = POLLIN };
		int64_t left = (int64_t)(deadline - now_ns()) / 1000000;
		ssize_t n;
		char *nl;

		if (left <= 0 || (want_ready && guard_interrupted()))
			return -1;
		if (poll(&pf, 1, (int)(left > 1000 ? 1000 : left)) <= 0)
			continue;
		n = read(w->fd, buf + used, sizeof(buf) - 1 - used);
		if (n <= 0)
			return 0;
		used += (size_t)n;
		buf[used] = '\0';
		while ((nl = strchr(buf, '\n'))) {
			*nl = '\0';
			if (want_ready && !strcmp(buf, "ready")) {
				/* lines after "ready" come at the stop */
				return 1;
			}
			take_line(w, buf);
			used -= (size_t)(nl + 1 - buf);
			memmove(buf, nl + 1, used + 1);
		}
		if (used == sizeof(buf) - 1)
			used = 0;	/* a line that long is noise */
	}
}

/* A workload that did not reach its hold: its last line on stderr says why. */
static void why_not_held(struct workload_proc *w, const struct workload_ops *ops,
			 const struct workload_ctx *c, const char *errlog, int r)
{
	char *said = read_file(errlog, NULL), *last = said;

	while (said && (last = strrchr(said, '\n')) && !last[1])
		*last = '\0';
	last = said ? (strrchr(said, '\n') ? strrchr(said, '\n') + 1 : said) : NULL;
	if (r < 0)
		snprintf(w->error, sizeof(w->error), "workload %s did not hold a state within %u s%s%s",
			 ops->name, c->timeout_s, last && *last ? ": " : "", last ? last : "");
	else
		snprintf(w->error, sizeof(w->error), "workload %s %s before holding its state%s%s",
			 ops->name, w->status_text, last && *last ? ": " : "", last ? last : "");
	free(said);
}

int workload_proc_start(struct workload_proc *w, const struct workload_ops *ops,
			const struct wl_args *args, const struct workload_ctx *c)
{
	struct wl_args a = *args;
	int p[2], go[2];
	char err[512], errlog[256];
	int di = wl_param_index(ops, "dir"), r;
	char *fname;

	memset(w, 0, sizeof(*w));
	w->ops = ops;
	w->fd = -1;
	w->metrics = json_object_new_object();
	w->targets = json_object_new_array();
	w->attach = json_object_new_object();
	a.journal = c->journal->path;
	/* Files live in a directory of their own, journaled, in the base the
	 * workload was given (a disk-backed filesystem for the page cache). */
	if (di >= 0 && a.s[di]) {
		snprintf(w->workdir, sizeof(w->workdir), "%s/allocrepro-%s", a.s[di], c->tag);
		if (journal_workdir(c->journal, w->workdir, w->error, sizeof(w->error))) {
			w->workdir[0] = '\0';
			return -1;
		}
	}
	a.workdir = w->workdir[0] ? w->workdir : NULL;
	snprintf(errlog, sizeof(errlog), "/tmp/allocrepro-%s.stderr", c->tag);
	json_object_object_add(w->attach, "stderr.log", json_object_new_string(errlog));
	fname = xasprintf("allocrepro-%s", c->tag);
	r = memcg_fence_create(&w->fence, fname, c->limit_bytes, c->journal, err, sizeof(err));
	free(fname);
	if (r) {
		snprintf(w->error, sizeof(w->error), "%s", err);
		return -1;
	}
	if (pipe2(p, O_CLOEXEC) < 0 || pipe2(go, O_CLOEXEC) < 0) {
		snprintf(w->error, sizeof(w->error), "pipe: %s", strerror(errno));
		return -1;
	}
	w->pid = fork();
	if (w->pid == 0) {
		close(p[0]);
		close(go[1]);
		child(ops, &a, p[1], go[0], getppid(), errlog);
	}
	close(p[1]);
	close(go[0]);
	w->fd = p[0];
	if (w->pid < 0) {
		snprintf(w->error, sizeof(w->error), "fork: %s", strerror(errno));
		close(go[1]);
		return -1;
	}
	/* journaled before it does anything */
	journal_add_process(c->journal, w->pid);
	if (memcg_fence_attach(&w->fence, w->pid) || write(go[1], "g", 1) != 1) {
		snprintf(w->error, sizeof(w->error), "cannot fence workload %s in %s", ops->name,
			 w->fence.path);
		close(go[1]);
		workload_proc_stop(w);
		return -1;
	}
	close(go[1]);
	r = read_report(w, now_ns() + (uint64_t)c->timeout_s * 1000000000ull, true);
	if (r == 1)
		return 0;
	workload_proc_stop(w);
	why_not_held(w, ops, c, errlog, r);
	return -1;
}

void workload_proc_stop(struct workload_proc *w)
{
	if (w->pid > 0) {
		int st;

		kill(w->pid, SIGTERM);
		if (w->fd >= 0 && read_report(w, now_ns() + STOP_GRACE_S * 1000000000ull, false) < 0)
			log_msg("workload %s: no final report within %d s; killed", w->ops->name,
				STOP_GRACE_S);
		kill(w->pid, SIGKILL);
		while (waitpid(w->pid, &st, 0) < 0 && errno == EINTR)
			;
		if (WIFSIGNALED(st))
			snprintf(w->status_text, sizeof(w->status_text), "was killed by signal %d",
				 WTERMSIG(st));
		else
			snprintf(w->status_text, sizeof(w->status_text), "exited with status %d",
				 WEXITSTATUS(st));
		w->pid = 0;
	}
	if (w->fd >= 0)
		close(w->fd);
	w->fd = -1;
	if (w->fence.cg) {
		w->memcg = memcg_fence_events(&w->fence);
		if (memcg_fence_destroy(&w->fence))
			log_msg("cgroups: %s could not be removed (allocrepro restore will retry)",
				w->fence.path);
	}
	if (w->workdir[0]) {
		if (workdir_remove(w->workdir, NULL))
			log_msg("cannot remove all of %s (allocrepro restore will retry)", w->workdir);
		w->workdir[0] = '\0';
	}
}

void workload_proc_free(struct workload_proc *w)
{
	json_object_put(w->metrics);
	json_object_put(w->targets);
	json_object_put(w->attach);
	json_object_put(w->memcg);
	w->metrics = w->targets = w->attach = w->memcg = NULL;
}
