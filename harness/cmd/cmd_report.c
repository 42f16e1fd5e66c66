/*
 * allocrepro report DIR [-o FILE.html]: what one run showed (results/
 * report_html.c, report_text.c).  Bad input (not a results directory, a
 * run killed before its end, a truncated file, a newer format) is exit 2
 * with nothing written; a plot gnuplot cannot draw is exit 3.
 */
#include "cli.h"
#include "results/merge.h"
#include "results/reader.h"
#include "results/report.h"
#include "util/util.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage[] = "usage: allocrepro report DIR [-o FILE.html]\n";

struct page {
	const struct run_data *rd;	/* a run, or */
	const char *merged;		/* a merged directory */
	char err[512];
};

static int page(FILE *f, void *ctx)
{
	struct page *p = ctx;

	return p->merged ? report_merged(p->merged, f, true, p->err, sizeof(p->err)) :
	       report_html(p->rd, f, p->err, sizeof(p->err));
}

/* The page, through a temporary (a failed report leaves no file): 0,
 * EXIT_USAGE when it cannot be written there, EXIT_INFRA when it could
 * not be made. */
static int write_page(struct page *p, const char *out)
{
	int r = write_through_tmp(out, page, p);

	if (r == -1)
		log_msg("-o %s: %s", out, strerror(errno));
	else if (r)
		log_msg("report: %s", p->err);
	else
		printf("%s\n", out);
	return r == -1 ? EXIT_USAGE : r ? (p->merged ? EXIT_USAGE : EXIT_INFRA) : 0;
}

int cmd_report(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *out = NULL;
	struct run_data rd;
	char err[512];
	int c, code;

	while ((c = getopt_long(argc, argv, "o:h", lo, NULL)) != -1) {
		switch (c) {
		case 'o': out = optarg; break;
		case 'h': fputs(usage, stdout); return 0;
		default: fputs(usage, stderr); return EXIT_USAGE;
		}
	}
	if (optind != argc - 1) {
		fputs(usage, stderr);
		return EXIT_USAGE;
	}
	if (merged_dir(argv[optind]) && out) {
		struct page p = { NULL, argv[optind], "" };

		return write_page(&p, out);
	}
	if (merged_dir(argv[optind])) {
		code = report_merged(argv[optind], stdout, false, err, sizeof(err));
		if (code)
			log_msg("report: %s", err);
		return code ? EXIT_USAGE : 0;
	}
	if (run_data_load(argv[optind], &rd, err, sizeof(err))) {
		log_msg("report: %s", err);
		return EXIT_USAGE;
	}
	if (out) {
		struct page p = { &rd, NULL, "" };

		code = write_page(&p, out);
	} else {
		report_text(&rd, stdout);
		code = 0;
	}
	run_data_free(&rd);
	return code;
}
