/*
 * allocrepro workload NAME [KEY=VALUE...]: one workload on its own, fenced
 * and journaled as in a run: reach the target, print what was measured
 * (JSON), hold until --hold seconds pass or a signal, stop, clean up.
 * allocrepro workload --list: the workloads and their parameters.
 */
#include "cli.h"
#include "safety/guard.h"
#include "safety/journal.h"
#include "util/util.h"
#include "runner/workload_proc.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void list(void)
{
	for (const struct workload_ops *const *w = workload_all(); *w; w++) {
		printf("%s: %s\n", (*w)->name, (*w)->summary);
		for (const struct wl_param *p = (*w)->params; p->name; p++) {
			char def[64];

			if (p->type == WLP_CHOICE)
				printf("    %-16s %s (default %s): %s\n", p->name, p->choices,
				       wl_choice(p, p->def, def, sizeof(def)), p->help);
			else if (p->type == WLP_STRING)
				printf("    %-16s text: %s\n", p->name, p->help);
			else
				printf("    %-16s %g..%g (default %g): %s\n", p->name, p->min, p->max,
				       p->def, p->help);
		}
	}
}

static void usage(FILE *f)
{
	fputs("usage: allocrepro workload NAME [KEY=VALUE...] [--hold SECONDS] [--limit-mb N]\n"
	      "                           [--seed N] [--timeout S] [--destructive]\n"
	      "       allocrepro workload --list\n"
	      "  --hold 0 (default) holds until SIGINT/SIGTERM\n", f);
}

static void print_state(const char *when, struct workload_proc *w)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "workload", json_object_new_string(w->ops->name));
	json_object_object_add(o, "state", json_object_new_string(when));
	json_object_object_add(o, "cgroup", json_object_new_string(w->fence.path));
	json_object_object_add(o, "metrics", json_object_get(w->metrics));
	json_object_object_add(o, "targets", json_object_get(w->targets));
	if (w->memcg)
		json_object_object_add(o, "memcg", json_object_get(w->memcg));
	puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
					       JSON_C_TO_STRING_NOSLASHESCAPE));
	fflush(stdout);
	json_object_put(o);
}

static int all_reached(json_object *targets)
{
	for (size_t i = 0; i < json_object_array_length(targets); i++)
		if (!json_object_get_boolean(json_object_object_get(
			    json_object_array_get_idx(targets, i), "reached")))
			return 0;
	return 1;
}

/* KEY=VALUE arguments into a; 0 or EXIT_USAGE (said). */
static int parse_params(const struct workload_ops *ops, int argc, char **argv, struct wl_args *a)
{
	for (int i = 0; i < argc; i++) {
		char *eq = strchr(argv[i], '=');
		const char *why;
		int pi;

		if (!eq) {
			log_msg("workload %s: argument %d '%s': expected KEY=VALUE", ops->name, i + 1,
				argv[i]);
			return EXIT_USAGE;
		}
		*eq = '\0';
		pi = wl_param_index(ops, argv[i]);
		if (pi < 0) {
			log_msg("workload %s: unknown parameter '%s' (allocrepro workload --list)",
				ops->name, argv[i]);
			return EXIT_USAGE;
		}
		why = wl_param_set(ops, pi, eq + 1, a);
		if (why) {
			log_msg("workload %s: %s=%s: %s", ops->name, argv[i], eq + 1, why);
			return EXIT_USAGE;
		}
	}
	return 0;
}

/* Start it fenced and journaled, hold until --hold or a signal, stop it:
 * 0 all targets reached, 1 not, 3 it could not run or undo. */
static int hold_workload(const struct workload_ops *ops, const struct wl_args *a,
			 uint64_t hold, uint64_t limit, uint64_t timeout)
{
	struct workload_proc w;
	struct workload_ctx ctx;
	struct journal j;
	char tag[32];
	int code;

	protect_from_oom();
	if (journal_open(&j))
		return EXIT_INFRA;
	catch_signals();
	snprintf(tag, sizeof(tag), "%ld-w", (long)getpid());
	ctx = (struct workload_ctx){ .journal = &j, .tag = tag, .limit_bytes = limit << 20,
				     .timeout_s = (unsigned)timeout };
	if (workload_proc_start(&w, ops, a, &ctx)) {
		log_msg("%s", w.error);
		code = EXIT_INFRA;
	} else {
		print_state("holding", &w);
		log_msg("workload %s holds; %s", ops->name,
			hold ? "stopping after --hold" : "SIGINT or SIGTERM stops it");
		for (uint64_t t = 0; !guard_interrupted() && (!hold || t < hold * 10); t++)
			sleep_ms(100);
		code = 0;
	}
	workload_proc_stop(&w);
	if (!code) {
		print_state("stopped", &w);
		code = all_reached(w.targets) ? 0 : EXIT_VERDICT_FAILED;
	}
	workload_proc_free(&w);
	if (journal_close(&j, stderr))
		code = EXIT_INFRA;
	return code;
}

int cmd_workload(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "list", no_argument, NULL, 'l' },
		{ "hold", required_argument, NULL, 'H' },
		{ "limit-mb", required_argument, NULL, 'm' },
		{ "seed", required_argument, NULL, 's' },
		{ "timeout", required_argument, NULL, 'T' },
		{ "destructive", no_argument, NULL, 'D' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t hold = 0, limit = 0, seed = 1, timeout = 600;
	bool destructive = false;
	const struct workload_ops *ops;
	struct wl_args a;
	int c, di;

	while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
		switch (c) {
		case 'l': list(); return 0;
		case 'D': destructive = true; break;
		case 'H': case 'm': case 's': case 'T': {
			uint64_t *out = c == 'H' ? &hold : c == 'm' ? &limit : c == 's' ? &seed : &timeout;

			if (!parse_u64(optarg, out) || (c == 'T' && (!*out || *out > 86400))) {
				log_msg("--%s: '%s' is not a valid number", lo[c == 'H' ? 1 : c == 'm' ? 2 :
						c == 's' ? 3 : 4].name, optarg);
				return EXIT_USAGE;
			}
			break;
		}
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return EXIT_USAGE;
	}
	ops = workload_find(argv[optind]);
	if (!ops) {
		log_msg("workload: unknown workload '%s' (allocrepro workload --list)", argv[optind]);
		return EXIT_USAGE;
	}
	wl_args_default(ops, &a);
	a.seed = seed;
	if (parse_params(ops, argc - optind - 1, argv + optind + 1, &a))
		return EXIT_USAGE;
	if (!machine_is_lab() && !destructive) {
		log_msg("workload %s changes this machine's memory state: run it on a machine "
			"marked as a lab (ALLOCREPRO_LAB=1 or /etc/allocrepro/lab) or with --destructive",
			ops->name);
		return EXIT_USAGE;
	}
	di = wl_param_index(ops, "dir");
	if (di >= 0 && !a.s[di])
		a.s[di] = getenv("ALLOCREPRO_SCRATCH");
	return hold_workload(ops, &a, hold, limit, timeout);
}
