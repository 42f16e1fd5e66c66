/*
 * allocrepro merge DIR... -o OUT: results of many machines and kernels in
 * one directory (results/merge.c).  Idempotent; two runs with one id but
 * different content, or bad input, are exit 2 with nothing written.
 */
#include "cli.h"
#include "results/merge.h"
#include "util/jget.h"
#include "util/util.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

static const char usage[] = "usage: allocrepro merge DIR... -o OUT\n";

int cmd_merge(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *out = NULL;
	char err[1024];
	json_object *runs;
	int c;

	while ((c = getopt_long(argc, argv, "o:h", lo, NULL)) != -1) {
		switch (c) {
		case 'o': out = optarg; break;
		case 'h': fputs(usage, stdout); return 0;
		default: fputs(usage, stderr); return EXIT_USAGE;
		}
	}
	if (!out || optind >= argc) {
		log_msg("merge: give the results to merge and -o OUT");
		fputs(usage, stderr);
		return EXIT_USAGE;
	}
	if (merge_into(out, argv + optind, argc - optind, err, sizeof(err))) {
		log_msg("merge: %s", err);
		return EXIT_USAGE;
	}
	runs = merged_runs(out, err, sizeof(err));
	printf("%s: %zu runs\n", out, jlen(runs));
	json_object_put(runs);
	return 0;
}
