/* allocrepro: reproduce Linux page-allocation failures and judge mitigations. */
#include "cli.h"
#include "results/manifest.h"
#include "util/util.h"

#include <stdio.h>
#include <string.h>

static void usage(FILE *f)
{
	fputs("usage: allocrepro COMMAND [ARGS]\n"
	      "  run SCENARIO [--results DIR] [--seed N] [--repeat N]   run here\n"
	      "  lab run SCENARIO... [--kernel NAME] [--topology NAME] [--results DIR]\n"
	      "  lab kernels                   kernels the lab can use\n"
	      "  explain LOGFILE... [--json] [--kernel-version V] [--buddyinfo FILE]\n"
	      "                                parse kernel logs, model the watermark check, diagnose\n"
	      "  snapshot [--json]             this machine's zones now: would each GFP class pass\n"
	      "  workload NAME [KEY=VALUE...]  one workload on its own (workload --list)\n"
	      "  restore [--force]             undo what interrupted runs left behind\n"
	      "  --version | --help\n", f);
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
	if (!strcmp(argv[1], "run"))
		return cmd_run(argc - 1, argv + 1);
	if (!strcmp(argv[1], "lab"))
		return cmd_lab(argc - 1, argv + 1);
	if (!strcmp(argv[1], "explain"))
		return cmd_explain(argc - 1, argv + 1);
	if (!strcmp(argv[1], "snapshot"))
		return cmd_snapshot(argc - 1, argv + 1);
	if (!strcmp(argv[1], "workload"))
		return cmd_workload(argc - 1, argv + 1);
	if (!strcmp(argv[1], "restore"))
		return cmd_restore(argc - 1, argv + 1);
	log_msg("unknown command '%s'", argv[1]);
	usage(stderr);
	return EXIT_USAGE;
}
