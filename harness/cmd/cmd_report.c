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

/* The page, written through a temporary: a failed report leaves no file. */
static int write_html(const struct run_data *rd, const char *out)
{
	char *tmp = xasprintf("%s.tmp.%d", out, (int)getpid()), err[512] = "";
	FILE *f = fopen(tmp, "w");
	int r;

	if (!f) {
		log_msg("-o %s: %s", out, strerror(errno));
		free(tmp);
		return EXIT_USAGE;
	}
	r = report_html(rd, f, err, sizeof(err));
	if (fclose(f) || r || rename(tmp, out)) {
		log_msg("report: %s", r ? err : strerror(errno));
		unlink(tmp);
		free(tmp);
		return EXIT_INFRA;
	}
	free(tmp);
	printf("%s\n", out);
	return 0;
}

/* A merged directory: its matrix, on the terminal or as a page. */
static int report_merged_cmd(const char *dir, const char *out)
{
	char err[512], *tmp = out ? xasprintf("%s.tmp.%d", out, (int)getpid()) : NULL;
	FILE *f = out ? fopen(tmp, "w") : stdout;
	int r;

	if (!f) {
		log_msg("-o %s: %s", out, strerror(errno));
		free(tmp);
		return EXIT_USAGE;
	}
	r = report_merged(dir, f, out != NULL, err, sizeof(err));
	if (out && (fclose(f) || r || rename(tmp, out))) {
		unlink(tmp);
		r = -1;
	}
	free(tmp);
	if (r) {
		log_msg("report: %s", err);
		return EXIT_USAGE;
	}
	if (out)
		printf("%s\n", out);
	return 0;
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
	if (merged_dir(argv[optind]))
		return report_merged_cmd(argv[optind], out);
	if (run_data_load(argv[optind], &rd, err, sizeof(err))) {
		log_msg("report: %s", err);
		return EXIT_USAGE;
	}
	if (out) {
		code = write_html(&rd, out);
	} else {
		report_text(&rd, stdout);
		code = 0;
	}
	run_data_free(&rd);
	return code;
}
