/*
 * allocrepro export --kcidb DIR [-o FILE] [--origin NAME]: a run or a
 * merged directory as KCIDB 5.3 JSON for KernelCI's dashboards (results/
 * export_kcidb.c); export --lava DIR [-o FILE]: a run's verdicts as LAVA
 * test cases (results/export_lava.c).  Bad input is exit 2 with nothing
 * written.
 */
#include "cli.h"
#include "results/export.h"
#include "util/util.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage[] =
	"usage: allocrepro export --kcidb DIR [-o FILE.json] [--origin NAME]\n"
	"       allocrepro export --lava DIR [-o FILE.txt]\n"
	"  NAME: the origin of the ids, [a-z0-9_]+ (default allocrepro)\n"
	"  --lava: '<id> <pass|fail|skip|unknown> [<measurement> <units>]' lines,\n"
	"          each also given to lava-test-case inside a LAVA test shell\n";

static int lava(const char *dir, const char *out)
{
	char err[512];
	FILE *f = out ? fopen(out, "w") : stdout;
	int r;

	if (!f) {
		log_msg("export: %s: %s", out, strerror(errno));
		return EXIT_USAGE;
	}
	r = export_lava(dir, f, lava_helper_present(), err, sizeof(err));
	if (out)
		fclose(f);
	if (r) {
		log_msg("export: %s", err);
		if (out)
			unlink(out);
	}
	return r ? EXIT_USAGE : 0;
}

void lava_cases(const char *dir)
{
	char err[512];

	fflush(stdout);
	if (export_lava(dir, stdout, lava_helper_present(), err, sizeof(err)))
		log_msg("--lava: %s", err);
	fflush(stdout);
}

int cmd_export(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "kcidb", no_argument, NULL, 'k' },
		{ "lava", no_argument, NULL, 'l' },
		{ "output", required_argument, NULL, 'o' },
		{ "origin", required_argument, NULL, 'O' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *out = NULL, *origin = "allocrepro", *text;
	bool kcidb = false, lava_fmt = false;
	char err[512];
	json_object *doc;
	int c, r;

	while ((c = getopt_long(argc, argv, "o:h", lo, NULL)) != -1) {
		switch (c) {
		case 'k': kcidb = true; break;
		case 'l': lava_fmt = true; break;
		case 'o': out = optarg; break;
		case 'O': origin = optarg; break;
		case 'h': fputs(usage, stdout); return 0;
		default: fputs(usage, stderr); return EXIT_USAGE;
		}
	}
	if (kcidb == lava_fmt || optind != argc - 1) {
		log_msg("export: give --kcidb or --lava, and one results directory");
		fputs(usage, stderr);
		return EXIT_USAGE;
	}
	if (lava_fmt)
		return lava(argv[optind], out);
	if (!export_origin_valid(origin)) {
		log_msg("export: --origin '%s': KCIDB's origin is [a-z0-9_]+", origin);
		return EXIT_USAGE;
	}
	doc = export_kcidb(argv[optind], origin, err, sizeof(err));
	if (!doc) {
		log_msg("export: %s", err);
		return EXIT_USAGE;
	}
	text = json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PRETTY |
					      JSON_C_TO_STRING_NOSLASHESCAPE);
	r = out ? write_file_atomic(out, text, strlen(text)) : (puts(text) < 0);
	if (r)
		log_msg("export: %s: %s", out ? out : "stdout", strerror(errno));
	json_object_put(doc);
	return r ? EXIT_USAGE : 0;
}
