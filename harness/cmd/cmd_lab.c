/*
 * allocrepro lab: boot each scenario in a QEMU guest running a real kernel
 * (harness/lab/ does the work; this file reads the command line).
 */
#include "cli.h"
#include "lab/lab.h"
#include "runner/steps/steps.h"
#include "scenario/scenario.h"
#include "util/util.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define LAB_MAX_SCENARIOS 16

static void lab_usage(void)
{
	fputs("usage: allocrepro lab run SCENARIO... [--kernel NAME] [--topology NAME]\n"
	      "                      [--results DIR] [--memory MB] [--cpus N] [--timeout S]\n"
	      "                      [--accel kvm|tcg] [--repeat N] [--fresh boot|snapshot]\n"
	      "                      [--kmod FILE]   the helper module built elsewhere (DKMS)\n"
	      "                      [--lava]        the verdicts as LAVA test cases\n"
	      "       allocrepro lab kernels\n"
	      "topologies: uma (default), numa2, numa4, movable, highmem\n", stderr);
}

static bool parse_uint_opt(const char *name, const char *s, unsigned lo, unsigned hi, unsigned *out)
{
	uint64_t v;

	if (!parse_u64(s, &v) || v < lo || v > hi) {
		log_msg("--%s: '%s' is not a number from %u to %u", name, s, lo, hi);
		return false;
	}
	*out = (unsigned)v;
	return true;
}

/* `lab run`'s flags into o; 0, or EXIT_USAGE said.  *first: the first
 * scenario argument. */
static int parse_run_opts(int argc, char **argv, struct lab_opts *o, int *first)
{
	static const struct option lo[] = {
		{ "kernel", required_argument, NULL, 'k' },
		{ "topology", required_argument, NULL, 't' },
		{ "results", required_argument, NULL, 'r' },
		{ "memory", required_argument, NULL, 'm' },
		{ "cpus", required_argument, NULL, 'c' },
		{ "timeout", required_argument, NULL, 'T' },
		{ "accel", required_argument, NULL, 'a' },
		{ "repeat", required_argument, NULL, 'n' },
		{ "fresh", required_argument, NULL, 'f' },
		{ "kmod", required_argument, NULL, 'K' },
		{ "lava", no_argument, NULL, 'L' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool ok = true;
	int c;

	optind = 1;
	while (ok && (c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
		switch (c) {
		case 'k': o->kernel = optarg; o->user_machine = true; break;
		case 't': o->topology = optarg; o->user_machine = true; break;
		case 'r': o->results = optarg; break;
		case 'm': ok = parse_uint_opt("memory", optarg, 128, 65536, &o->memory_mb);
			o->user_machine = true;
			break;
		case 'c': ok = parse_uint_opt("cpus", optarg, 1, 64, &o->cpus); break;
		case 'T': ok = parse_uint_opt("timeout", optarg, 1, 86400, &o->timeout_s); break;
		case 'n':
			ok = parse_uint_opt("repeat", optarg, 1, 10000, &o->repeat);
			snprintf(o->repeat_arg, sizeof(o->repeat_arg), "--repeat %u", o->repeat);
			break;
		case 'f':
			ok = !strcmp(optarg, "boot") || !strcmp(optarg, "snapshot");
			if (!ok)
				log_msg("--fresh: '%s' is not boot or snapshot", optarg);
			o->fresh = optarg;
			break;
		case 'L': o->lava = true; break;
		case 'K':
			ok = access(optarg, R_OK) == 0;
			if (!ok)
				log_msg("--kmod: %s: %s", optarg, strerror(errno));
			o->kmod = optarg;
			break;
		case 'a':
			ok = !strcmp(optarg, "kvm") || !strcmp(optarg, "tcg");
			if (!ok)
				log_msg("--accel: '%s' is not kvm or tcg", optarg);
			o->accel = optarg;
			break;
		default:
			lab_usage();
			return c == 'h' ? -1 : EXIT_USAGE;
		}
	}
	if (!ok)
		return EXIT_USAGE;
	if (o->topology && !lab_topology_valid(o->topology)) {
		log_msg("--topology: unknown topology '%s' (uma, numa2, numa4, movable, highmem)",
			o->topology);
		return EXIT_USAGE;
	}
	*first = optind;
	if (argc - optind < 1 || argc - optind > LAB_MAX_SCENARIOS) {
		lab_usage();
		return EXIT_USAGE;
	}
	return 0;
}

/* Every scenario is checked before anything is fetched or booted; flags
 * override the scenario's own lab: kernel and topology, an arm's own
 * choice overrides both. */
static int load_all(char **paths, int n, const struct lab_opts *o, struct scenario *sc)
{
	char err[1024];

	for (int i = 0; i < n; i++) {
		if (scenario_load(paths[i], step_kinds, &sc[i], err, sizeof(err))) {
			fprintf(stderr, "allocrepro: %s\n", err);
			return EXIT_USAGE;
		}
		for (int a = 0; a < sc[i].narms; a++) {
			struct lab_opts oi;

			lab_resolve_opts(o, &sc[i], a ? &sc[i].arms[a] : NULL, &oi, false);
			if (lab_check_combination(&sc[i], &oi))
				return EXIT_USAGE;
		}
	}
	return 0;
}

static int run_one(const struct scenario *sc, const struct lab_opts *o, int nsc)
{
	struct lab_opts oi;
	struct lab_env env;
	char *dir;
	int r;

	lab_resolve_opts(o, sc, NULL, &oi, true);
	if (o->results)
		dir = nsc == 1 ? xstrdup(o->results) : xasprintf("%s/%s", o->results, sc->name);
	else
		dir = xasprintf("runs/lab-%s-%s-%ld", sc->name, oi.kernel, (long)time(NULL));
	if (sc->statistical) {
		r = lab_run_statistical(sc, o, dir);
	} else {
		/* cached after the first time: a kernel per scenario is cheap */
		r = lab_prepare(&oi, &env);
		if (!r)
			r = lab_boot(sc, &oi, &env, dir, o->repeat ? o->repeat_arg : "", "",
				     sc->timeout_s * (o->repeat ? o->repeat : 1), NULL, NULL);
	}
	if (o->lava)
		lava_cases(dir);
	free(dir);
	return r;
}

int cmd_lab(int argc, char **argv)
{
	static struct scenario sc[LAB_MAX_SCENARIOS];
	struct lab_opts o = { 0 };	/* kernel, topology: flag, else scenario, else default */
	int first, nsc, r, worst = 0;

	if (argc < 2) {
		lab_usage();
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "kernels"))
		return lab_kernels();
	if (strcmp(argv[1], "run")) {
		log_msg("unknown lab command '%s'", argv[1]);
		lab_usage();
		return EXIT_USAGE;
	}
	r = parse_run_opts(argc - 1, argv + 1, &o, &first);
	if (r)
		return r < 0 ? 0 : r;
	first++;	/* argv + 1 above */
	nsc = argc - first;
	r = load_all(argv + first, nsc, &o, sc);
	if (r)
		return r;
	for (int i = 0; i < nsc; i++) {
		r = run_one(&sc[i], &o, nsc);
		worst = exit_worst(worst, r);
	}
	return worst;
}
