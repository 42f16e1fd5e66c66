/*
 * stress-ng: any stressor with its arguments as a workload.  stress-ng runs
 * inside this workload's cgroup with --metrics --yaml; the workload holds
 * once the machine has the stated share of memory in use (or after
 * ready_s), stops stress-ng with SIGINT (it then writes its report), and
 * hands the YAML and stress-ng's own log to the results.  OOM kills are
 * counted by the harness from the kernel log and the cgroup's memory
 * events: stress-ng restarts OOM-killed workers and exits 0.
 */
#include "workload.h"
#include "memstate.h"
#include "stressng_yaml.h"
#include "util/util.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>
#include <wordexp.h>

enum { P_ARGS, P_READY_S, P_USED, P_BOGO_MIN };

static const struct wl_param params[] = {
	[P_ARGS] = { "args", WLP_STRING, 0, 0, 0, NULL,
		     "stress-ng arguments, e.g. \"--vm 2 --vm-bytes 60% --vm-keep\"" },
	[P_READY_S] = { "ready_s", WLP_INT, 0, 3600, 10, NULL,
			"hold after this long (or once used is reached)" },
	[P_USED] = { "used", WLP_NUM, 0, 1, 0, NULL,
		     "share of MemTotal in use (MemTotal - MemAvailable) to wait for; 0: none" },
	[P_BOGO_MIN] = { "bogo_min", WLP_NUM, 0, 1e15, 1, NULL,
			 "bogo ops stress-ng must report in all" },
	{ NULL, 0, 0, 0, 0, NULL, NULL },
};

static double used_share(void)
{
	long total = ms_meminfo_kb(-1, "MemTotal"), avail = ms_meminfo_kb(-1, "MemAvailable");

	return total > 0 && avail >= 0 ? (double)(total - avail) / (double)total : -1;
}

/* The arguments as stress-ng's argv (words split as a shell would, no
 * command substitution), with the report options added. */
static char **build_argv(const char *args, const char *yaml, wordexp_t *we)
{
	static const char *const extra[] = { "--metrics", "--yaml", NULL, "--timeout", "0" };
	bool has_timeout = false;
	char **argv;
	size_t n = 0;

	if (wordexp(args, we, WRDE_NOCMD | WRDE_UNDEF)) {
		fprintf(stderr, "stress-ng: cannot split args \"%s\"\n", args);
		return NULL;
	}
	argv = xcalloc(we->we_wordc + 8, sizeof(char *));
	argv[n++] = (char *)"stress-ng";
	for (size_t i = 0; i < we->we_wordc; i++) {
		has_timeout |= !strcmp(we->we_wordv[i], "-t") ||
			       !strncmp(we->we_wordv[i], "--timeout", 9);
		argv[n++] = we->we_wordv[i];
	}
	for (size_t i = 0; i < ARRAY_LEN(extra); i++) {
		if (i >= 3 && has_timeout)
			break;	/* the user's own timeout stands */
		argv[n++] = (char *)(extra[i] ? extra[i] : yaml);
	}
	return argv;
}

static int stop_stressng(pid_t pid)
{
	int st = 0;

	kill(pid, SIGINT);
	for (int i = 0; i < 200; i++) {
		if (waitpid(pid, &st, WNOHANG) == pid)
			return st;
		sleep_ms(100);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	return st;
}

static void report_yaml(struct wl_reporter *r, const char *path, double bogo_min)
{
	struct sng_metric m[32];
	char err[256], key[80];
	size_t len;
	char *t = read_file(path, &len);
	int n = t ? stressng_yaml_parse(t, len, m, 32, err, sizeof(err)) : -1;
	double total = 0;

	if (n < 0)
		fprintf(stderr, "stress-ng: %s: %s\n", path, t ? err : "no report written");
	for (int i = 0; i < n; i++) {
		snprintf(key, sizeof(key), "bogo_ops.%.31s", m[i].stressor);
		wl_report(r, key, m[i].bogo_ops);
		snprintf(key, sizeof(key), "bogo_ops_per_s.%.31s", m[i].stressor);
		wl_report(r, key, m[i].bogo_ops_per_s);
		if (m[i].max_rss_kb >= 0) {
			snprintf(key, sizeof(key), "max_rss_kb.%.31s", m[i].stressor);
			wl_report(r, key, m[i].max_rss_kb);
		}
		total += m[i].bogo_ops;
	}
	wl_target(r, "bogo_ops", n < 0 ? -1 : total, ">=", bogo_min);
	free(t);
}

static int stress_ng_run(const struct wl_args *a, struct wl_reporter *r)
{
	const char *bin = getenv("ALLOCREPRO_STRESS_NG") ? getenv("ALLOCREPRO_STRESS_NG")
							  : "stress-ng";
	char *yaml = xasprintf("/tmp/allocrepro-stress-ng-%ld.yaml", (long)getpid());
	char *log = xasprintf("/tmp/allocrepro-stress-ng-%ld.log", (long)getpid());
	uint64_t t0 = now_ns(), until = t0 + (uint64_t)a->v[P_READY_S] * 1000000000ull;
	double used = a->v[P_USED];
	wordexp_t we;
	char **argv;
	int st, exited = 0;
	pid_t pid;

	if (!a->s[P_ARGS]) {
		fprintf(stderr, "stress-ng: needs args= (the stressors and their options)\n");
		return 1;
	}
	argv = build_argv(a->s[P_ARGS], yaml, &we);
	if (!argv)
		return 1;
	pid = fork();
	if (pid == 0) {
		int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		execvp(bin, argv);
		fprintf(stderr, "stress-ng: cannot run %s: %s\n", bin, strerror(errno));
		_exit(127);
	}
	free(argv);
	wordfree(&we);
	if (pid < 0) {
		fprintf(stderr, "stress-ng: fork: %s\n", strerror(errno));
		return 1;
	}
	/* hold once the memory is in use, or after ready_s */
	while (now_ns() < until && !wl_stopping() && !(used > 0 && used_share() >= used)) {
		if (waitpid(pid, &st, WNOHANG) == pid) {
			exited = 1;
			break;
		}
		sleep_ms(200);
	}
	wl_attach(r, "stress-ng.log", log);
	wl_report(r, "seconds", (double)(now_ns() - t0) / 1e9);
	wl_report(r, "used_share", used_share());
	if (used > 0)
		wl_target(r, "used_share", used_share(), ">=", used);
	/* a run with its own --timeout may be over already: its report is */
	wl_report(r, "exited_early", exited);
	wl_ready(r);
	wl_hold(NULL, NULL, 0);
	if (!exited)
		st = stop_stressng(pid);
	wl_report(r, "exit_status", WIFEXITED(st) ? WEXITSTATUS(st) : -WTERMSIG(st));
	report_yaml(r, yaml, a->v[P_BOGO_MIN]);
	wl_attach(r, "stress-ng.yaml", yaml);
	free(yaml);
	free(log);
	return 0;
}

const struct workload_ops workload_stress_ng = {
	.name = "stress-ng",
	.summary = "any stress-ng stressor with its arguments, metrics from its YAML report",
	.params = params,
	.run = stress_ng_run,
};
