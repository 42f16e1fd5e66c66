/*
 * allocrepro compare A B [C...] [--json] [--html FILE] [--force]: A is the
 * baseline (a kernel, a machine), the others candidates (results/
 * compare.c).  Exit 1 when a candidate regresses significantly (for CI
 * gating); else 3 when a run is partial (repetitions that did not finish:
 * no pass) or the HTML page's plots cannot be drawn; 0 otherwise; 2 on bad
 * input (nothing written).
 */
#include "cli.h"
#include "results/compare.h"
#include "results/merge.h"
#include "util/util.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char usage[] =
	"usage: allocrepro compare A B [C...] [--json] [--html FILE.html] [--force]\n"
	"  A is the baseline; a run given as DIR:ARM stands as that arm in place of\n"
	"  its baseline; --force compares runs of different scenarios\n";

struct page {
	const struct comparison *c;
	char err[512];
};

static int page(FILE *f, void *ctx)
{
	struct page *p = ctx;

	return compare_html(p->c, f, p->err, sizeof(p->err));
}

/* The page, through a temporary: 0, EXIT_USAGE when it cannot be written
 * there, EXIT_INFRA when its plots could not be drawn. */
static int write_page(const struct comparison *c, const char *out)
{
	struct page p = { c, "" };
	int r = write_through_tmp(out, page, &p);

	if (r == -1)
		log_msg("--html %s: %s", out, strerror(errno));
	else if (r)
		log_msg("compare: %s", p.err);
	return r == -1 ? EXIT_USAGE : r ? EXIT_INFRA : 0;
}

/* Every run read (DIR or DIR:ARM, the arm into arms), or EXIT_USAGE with
 * what was wrong. */
static int load_all(char **dirs, int n, struct run_data *runs, const char **arms)
{
	char err[512];

	for (int i = 0; i < n; i++) {
		char *colon = strrchr(dirs[i], ':');
		struct stat sb;

		arms[i] = NULL;
		if (colon && stat(dirs[i], &sb) != 0) {	/* DIR:ARM, not a directory named so */
			*colon = '\0';
			arms[i] = colon + 1;
		}
		if (run_data_load(dirs[i], &runs[i], err, sizeof(err))) {
			log_msg("compare: %s", err);
			while (i-- > 0)
				run_data_free(&runs[i]);
			return EXIT_USAGE;
		}
	}
	return 0;
}

int cmd_compare(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "html", required_argument, NULL, 'H' },
		{ "force", no_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static struct comparison c;
	struct run_data runs[CMP_MAX_RUNS];
	const char *arms[CMP_MAX_RUNS];
	const char *html = NULL;
	bool json = false, force = false;
	char err[1024];
	int ch, n, code;

	while ((ch = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
		switch (ch) {
		case 'j': json = true; break;
		case 'H': html = optarg; break;
		case 'f': force = true; break;
		case 'h': fputs(usage, stdout); return 0;
		default: fputs(usage, stderr); return EXIT_USAGE;
		}
	}
	n = argc - optind;
	if (n < 2 || n > CMP_MAX_RUNS) {
		log_msg("compare: give a baseline and 1 to %d candidates", CMP_MAX_RUNS - 1);
		fputs(usage, stderr);
		return EXIT_USAGE;
	}
	if (n == 2 && merged_dir(argv[optind]) && merged_dir(argv[optind + 1])) {
		code = compare_merged(argv[optind], argv[optind + 1], json, force, err, sizeof(err));
		if (code < 0)
			log_msg("compare: %s", err);
		return code < 0 ? EXIT_USAGE : code;
	}
	if (load_all(argv + optind, n, runs, arms))
		return EXIT_USAGE;
	code = compare_runs(runs, arms, n, force, &c, err, sizeof(err)) ? EXIT_USAGE : 0;
	if (code) {
		log_msg("compare: %s", err);
	} else {
		if (json) {
			json_object *o = compare_json(&c);

			puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
							       JSON_C_TO_STRING_NOSLASHESCAPE));
			json_object_put(o);
		} else {
			compare_text(&c, stdout);
		}
		code = html ? write_page(&c, html) : 0;
		/* a significant regression first; else a partial run is no pass */
		if (!code && c.regressions)
			code = 1;
		else if (!code && c.npartial)
			code = EXIT_INFRA;
	}
	for (int i = 0; i < n; i++)
		run_data_free(&runs[i]);
	return code;
}
