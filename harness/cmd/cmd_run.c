/*
 * allocrepro run SCENARIO: on this machine (bare metal or inside a lab
 * guest).  scenario -> recorder -> steps (workloads, probes) -> verdicts ->
 * results directory + TAP.  harness/runner/ does the work.
 */
#include "cli.h"
#include "record/recorder.h"
#include "results/manifest.h"
#include "results/summary.h"
#include "runner/probe_kmod.h"
#include "runner/run.h"
#include "runner/steps/steps.h"
#include "safety/guard.h"
#include "scenario/arms.h"
#include "util/util.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <linux/random.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

/* The /proc state a failure is judged against, before and after the run. */
static void snapshot_proc(struct results *res, const char *tag)
{
	static const char *const f[][2] = {
		{ "/proc/zoneinfo", "zoneinfo" }, { "/proc/pagetypeinfo", "pagetypeinfo" },
		{ "/proc/vmstat", "vmstat" },
	};

	for (size_t i = 0; i < ARRAY_LEN(f); i++)
		snapshot_file(res, f[i][0], f[i][1], tag);
}


static void usage(void)
{
	fputs("usage: allocrepro run SCENARIO [--results DIR] [--seed N] [--repeat N]\n"
	      "                        [--arm NAME] [--kmod PATH] [--destructive] [--dry-run] [--lava]\n", stderr);
}

static int parse_opts(int argc, char **argv, struct run_opts *o, const char **path)
{
	static const struct option lo[] = {
		{ "results", required_argument, NULL, 'r' },
		{ "seed", required_argument, NULL, 's' },
		{ "repeat", required_argument, NULL, 'n' },
		{ "first-repetition", required_argument, NULL, 'f' },
		{ "arm", required_argument, NULL, 'a' },
		{ "kmod", required_argument, NULL, 'k' },
		{ "stream", required_argument, NULL, 'S' },
		{ "kmsg-from-boot", no_argument, NULL, 'B' },
		{ "fork", required_argument, NULL, 'F' },
		{ "reseed", no_argument, NULL, 'R' },
		{ "destructive", no_argument, NULL, 'D' },
		{ "dry-run", no_argument, NULL, 'd' },
		{ "lava", no_argument, NULL, 'L' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;
	uint64_t v;

	while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
		switch (c) {
		case 'r': o->results = optarg; break;
		case 'k': o->kmod = optarg; break;
		case 'S': o->stream = optarg; break;
		case 'F': o->fork = optarg; break;
		case 'R': o->reseed = true; break;
		case 'B': o->from_boot = true; break;
		case 'D': o->destructive = true; break;
		case 'd': o->dry_run = true; break;
		case 'L': o->lava = true; break;
		case 'a': o->arm = optarg; break;
		case 's':
			if (!parse_u64(optarg, &o->seed)) {
				log_msg("--seed: '%s' is not a whole number", optarg);
				return -1;
			}
			o->seed_set = true;
			break;
		case 'n':
		case 'f':
			if (!parse_u64(optarg, &v) || v < (c == 'n') || v > 10000) {
				log_msg("--%s: '%s' is not a number from %d to 10000",
					c == 'n' ? "repeat" : "first-repetition", optarg, c == 'n');
				return -1;
			}
			*(c == 'n' ? &o->repeat : &o->first_rep) = (unsigned)v;
			break;
		case 'h': usage(); exit(0);
		default: usage(); return -1;
		}
	}
	if (optind != argc - 1) {
		usage();
		return -1;
	}
	*path = argv[optind];
	return 0;
}

/* --dry-run: what the run would change, and nothing else. */
static int dry_run(struct scenario *sc, const struct run_opts *o, unsigned reps)
{
	if (o->arm && !scenario_arm(sc, o->arm)) {
		log_msg("--arm: %s has no arm '%s'", sc->path, o->arm);
		return EXIT_USAGE;
	}
	sc->repetitions = reps;
	arms_plan(stdout, sc, o->arm);
	if (scenario_changes_settings(sc) && !machine_is_lab() && !o->destructive)
		printf("not a lab machine: a real run needs --destructive "
		       "(or ALLOCREPRO_LAB=1, /etc/allocrepro/lab)\n");
	return 0;
}

/* After the steps: undo, let the log settle, stop recording, judge. */
static int finish(struct run_state *s, const char *skip)
{
	const struct scenario *sc = s->sc;
	json_object *summary, *verdicts, *records;

	/* cgroups, files, pins and sysctls: undone now, not left for restore */
	if (journal_close(&s->journal, stderr))
		log_msg("some changes could not be undone; see above, then: allocrepro restore");
	if (guard_interrupted())
		log_msg("interrupted by signal %d: workloads stopped, changes undone", guard_interrupted());
	/* Let the last report reach /dev/kmsg and go quiet before judging:
	 * 300 ms without a record (a report prints in one go), 2 s at most. */
	if (!skip[0])
		recorder_wait_quiet(&s->rec, 300, 2000);
	sampler_stop(&s->samp);
	recorder_stop(&s->rec);
	snapshot_proc(&s->res, "end");
	verdicts = run_judge(s, skip, &records);
	summary = summary_new(sc->name, guard_interrupted() ? "interrupted" : s->infra_error ? "error" :
			      skip[0] ? "skipped" : "completed", skip);
	json_object_object_add(summary, "verdicts", verdicts);
	if (records)
		json_object_object_add(summary, "repetitions", records);
	if (json_object_array_length(s->order) > 1) {
		json_object_object_add(summary, "order", json_object_get(s->order));
		json_object_object_add(summary, "independence", json_object_new_string(
			sc->paired ? "repetitions share a kernel, and each arm built its own state: "
				     "the paired design needs a guest to save (allocrepro lab run); "
				     "judged as independent repetitions" :
				     "repetitions share a kernel: one machine, arms interleaved in a "
				     "seeded order (allocrepro lab run boots a fresh guest for each)"));
		manifest_add_order(&s->res, s->order);
	}
	json_object_object_add(summary, "phases", json_object_get(s->phases));
	json_object_object_add(summary, "recorder", recorder_json(&s->rec));
	json_object_object_add(summary, "sampler", sampler_json(&s->samp));
	return results_finish(&s->res, summary, s->infra_error || guard_interrupted() ? EXIT_INFRA : 0);
}

/* Copies of one saved guest hold the same generator state; the seed each
 * wrote to /dev/urandom takes effect only at a reseed, which the kernel
 * does on its own minutes later: make it now. */
static void reseed_random(void)
{
	int fd = open("/dev/urandom", O_WRONLY | O_CLOEXEC);

	if (fd < 0 || ioctl(fd, RNDRESEEDCRNG) < 0)
		log_msg("--reseed: %s (this guest draws the numbers its saved guest would)",
			strerror(errno));
	if (fd >= 0)
		close(fd);
}

/* Everything a run changes is journaled first; the results directory is
 * written as things happen. */
static int run(struct scenario *sc, struct run_opts *o, unsigned reps)
{
	struct run_state s = { .sc = sc, .o = o, .arm = &sc->arms[0], .only_arm = o->arm };
	json_object *manifest;
	char skip[256] = "";
	int code = EXIT_INFRA;

	/* an arm with a kernel or topology of its own brings its own machine */
	if (!o->arm || !arm_needs_boot(scenario_arm(sc, o->arm)))
		run_requirements(sc, skip, sizeof(skip));
	protect_from_oom();
	if (journal_open(&s.journal))
		return EXIT_INFRA;
	catch_signals();
	if (results_open(&s.res, o->results, o->stream))
		goto out_journal;
	manifest = manifest_build(sc, o->seed, reps);
	results_write_json(&s.res, "manifest.json", manifest);
	json_object_put(manifest);
	results_keep(&s.res, sc->path, "scenario.yaml");
	snapshot_proc(&s.res, "start");
	if (recorder_start(&s.rec, &s.res, o->from_boot))
		goto out_results;
	sampler_start(&s.samp, &s.res);
	s.phases = json_object_new_array();
	s.step_verdicts = json_object_new_array();
	s.order = json_object_new_array();
	if (skip[0])
		log_msg("%s: SKIP: %s", sc->name, skip);
	else
		run_arms(&s, reps);
	code = finish(&s, skip);
	results_end(&s.res, code);
	json_object_put(s.phases);
	json_object_put(s.step_verdicts);
	json_object_put(s.order);
	event_list_free(&s.rec.events);
out_results:
	results_close(&s.res);
out_journal:
	/* a no-op after finish(); undoes what an early failure left */
	journal_close(&s.journal, NULL);
	return code;
}

int cmd_run(int argc, char **argv)
{
	static struct scenario sc;
	struct run_opts o = { 0 };
	char err[1024], *dflt = NULL, *kmod = NULL;
	const char *path;
	unsigned reps;
	int code;

	if (parse_opts(argc, argv, &o, &path))
		return EXIT_USAGE;
	if (scenario_load(path, step_kinds, &sc, err, sizeof(err))) {
		fprintf(stderr, "allocrepro: %s\n", err);
		return EXIT_USAGE;
	}
	reps = o.repeat ? o.repeat : sc.repetitions;
	if (o.dry_run)
		return dry_run(&sc, &o, reps);
	if (o.fork && (!sc.paired || o.arm || reps != 1)) {
		log_msg("--fork: a lab guest of a paired design runs one repetition and is told "
			"its arm at the fork; %s", !sc.paired ? "the scenario is not paired (design: "
			"paired)" : o.arm ? "drop --arm" : "give --repeat 1");
		return EXIT_USAGE;
	}
	code = run_preflight(&sc, &o);
	if (code)
		return code;
	if (!o.seed_set)
		o.seed = sc.seed;
	if (o.reseed)
		reseed_random();
	if (!o.kmod)
		o.kmod = kmod = kmod_default_path();
	if (!o.results)
		o.results = dflt = xasprintf("runs/%s-%ld", sc.name, (long)time(NULL));
	code = run(&sc, &o, reps);
	if (o.lava)
		lava_cases(o.results);
	free(dflt);
	free(kmod);
	return code;
}
