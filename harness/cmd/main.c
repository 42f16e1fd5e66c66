/* allocrepro: reproduce Linux page-allocation failures and judge mitigations. */
#include "cli.h"
#include "results/manifest.h"
#include "util/util.h"

#include <stdio.h>
#include <string.h>

/* The verbs, as perf's command table: a name, its file's entry point, and
 * the lines of usage it adds.  A new verb is a file in cmd/ and a row. */
static const struct verb {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *usage;
} verbs[] = {
	{ "run", cmd_run,
	  "  run SCENARIO [--results DIR] [--seed N] [--repeat N]   run here\n" },
	{ "lab", cmd_lab,
	  "  lab run SCENARIO... [--kernel NAME] [--topology NAME] [--results DIR]\n"
	  "  lab kernels                   kernels the lab can use\n" },
	{ "explain", cmd_explain,
	  "  explain LOGFILE... [--json] [--kernel-version V] [--buddyinfo FILE]\n"
	  "                                parse kernel logs, model the watermark check, diagnose\n" },
	{ "doctor", cmd_doctor,
	  "  doctor [--json]               what this machine can run, and what it lacks\n" },
	{ "snapshot", cmd_snapshot,
	  "  snapshot [--json]             this machine's zones now: would each GFP class pass\n" },
	{ "workload", cmd_workload,
	  "  workload NAME [KEY=VALUE...]  one workload on its own (workload --list)\n" },
	{ "report", cmd_report,
	  "  report DIR [-o FILE.html]     what a run showed: verdicts, diagnoses, plots\n" },
	{ "compare", cmd_compare,
	  "  compare A B [C...] [--json] [--html FILE] [--force]\n"
	  "                                runs against the baseline A: exit 1 on a regression\n" },
	{ "merge", cmd_merge,
	  "  merge DIR... -o OUT           results of many machines and kernels in one\n" },
	{ "export", cmd_export,
	  "  export --kcidb DIR [-o FILE] [--origin NAME]   KCIDB 5.3 JSON for dashboards\n" },
	{ "restore", cmd_restore,
	  "  restore [--force]             undo what interrupted runs left behind\n" },
};

static void usage(FILE *f)
{
	fputs("usage: allocrepro COMMAND [ARGS]\n", f);
	for (size_t i = 0; i < ARRAY_LEN(verbs); i++)
		fputs(verbs[i].usage, f);
	fputs("  --version | --help\n", f);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("allocrepro %s\n", ALLOCREPRO_VERSION);
		return 0;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(stdout);
		return 0;
	}
	for (size_t i = 0; i < ARRAY_LEN(verbs); i++)
		if (!strcmp(argv[1], verbs[i].name))
			return verbs[i].fn(argc - 1, argv + 1);
	log_msg("unknown command '%s'", argv[1]);
	usage(stderr);
	return EXIT_USAGE;
}
