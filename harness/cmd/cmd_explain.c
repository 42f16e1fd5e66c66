/*
 * allocrepro explain LOG... [--json] [--kernel-version V] [--buddyinfo FILE]:
 * the recorder's parser and the watermark model applied to log files.
 * Reports are diagnosed as the parser completes them, so a log of any size
 * streams through in constant memory (JSON mode keeps them for one document).
 */
#include "cli.h"
#include "results/diag_json.h"
#include "model/diagnose.h"
#include "results/event_json.h"
#include "model/explain_text.h"
#include "parse/logparse.h"
#include "parse/procfs_zone.h"
#include "util/util.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

struct explain {
	bool json;
	struct kver kv;		/* --kernel-version, 0.0 when not given */
	struct buddyinfo bi;	/* --buddyinfo */
	bool have_bi;
	size_t n;		/* events so far */
	struct diagnosis d, prev;
	bool have_prev;
	json_object *events, *diagnoses;
};

static const char usage[] =
	"usage: allocrepro explain LOGFILE... [--json] [--kernel-version X.Y[.Z]]\n"
	"                          [--buddyinfo FILE]\n"
	"  LOGFILE '-' reads stdin; logs may be dmesg, syslog, journalctl, console,\n"
	"  /dev/kmsg records or mail-quoted text\n";

static void handle(struct explain *x, struct event *e)
{
	if (x->have_bi)
		buddyinfo_attach(&x->bi, e);
	diagnose(e, x->n, &x->kv, &x->d);
	if (!e->gfp_flags[0] && x->d.gfp_decoded[0])
		snprintf(e->gfp_flags, sizeof(e->gfp_flags), "%s", x->d.gfp_decoded);
	if (x->json) {
		json_object_array_add(x->events, event_to_json(e));
		json_object_array_add(x->diagnoses, diagnosis_to_json(&x->d));
	} else {
		explain_print(stdout, e, &x->d, x->have_prev ? &x->prev : NULL);
		if (!x->have_prev || !diagnosis_same(&x->prev, &x->d)) {
			x->prev = x->d;
			x->have_prev = true;
		}
	}
	x->n++;
}

static void drain(void *ctx, struct event_list *ev)
{
	struct explain *x = ctx;

	for (size_t i = 0; i < ev->n; i++)
		handle(x, &ev->v[i]);
	ev->n = 0;
}

static void parse_buffer(struct explain *x, struct logparse *p, const char *text, size_t len)
{
	struct event_list ev = { 0 };

	logparse_buffer(p, text, len, &ev, drain, x);
	event_list_free(&ev);
}

/* Regular files are mapped (a 1 GiB syslog is not copied); pipes are read. */
static int explain_file(struct explain *x, struct logparse *p, const char *path)
{
	struct stat st;
	size_t len;
	char *text;
	int fd;

	if (!strcmp(path, "-"))
		goto slurp;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (S_ISDIR(st.st_mode)) {
		close(fd);
		errno = EISDIR;
		return -1;
	}
	if (S_ISREG(st.st_mode) && st.st_size > 0) {
		void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);

		close(fd);
		if (m == MAP_FAILED)
			return -1;
		madvise(m, (size_t)st.st_size, MADV_SEQUENTIAL);
		parse_buffer(x, p, m, (size_t)st.st_size);
		munmap(m, (size_t)st.st_size);
		return 0;
	}
	close(fd);
slurp:
	text = read_file(path, &len);
	if (!text)
		return -1;
	parse_buffer(x, p, text, len);
	free(text);
	return 0;
}

/* --buddyinfo FILE: the snapshot the model uses where a report has no dump. */
static int read_buddyinfo(struct explain *x, const char *path)
{
	size_t len;
	char *t = read_file(path, &len);

	if (!t) {
		log_msg("--buddyinfo %s: cannot read: %s", path, strerror(errno));
		return EXIT_USAGE;
	}
	x->have_bi = buddyinfo_parse(t, &x->bi);
	free(t);
	if (!x->have_bi) {
		log_msg("--buddyinfo %s: no 'Node N, zone NAME counts...' line", path);
		return EXIT_USAGE;
	}
	return 0;
}

/* Flags into x; 0, EXIT_USAGE (said), or -1 for --help (printed). */
static int parse_opts(int argc, char **argv, struct explain *x)
{
	static const struct option lo[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "kernel-version", required_argument, NULL, 'k' },
		{ "buddyinfo", required_argument, NULL, 'b' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
		switch (c) {
		case 'j':
			x->json = true;
			break;
		case 'k':
			if (!kver_parse(optarg, &x->kv)) {
				log_msg("--kernel-version: '%s' is not a kernel release (e.g. 4.19 or 2.6.32)",
					optarg);
				return EXIT_USAGE;
			}
			break;
		case 'b':
			if (read_buddyinfo(x, optarg))
				return EXIT_USAGE;
			break;
		case 'h':
			fputs(usage, stdout);
			return -1;
		default:
			fputs(usage, stderr);
			return EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		fputs(usage, stderr);
		return EXIT_USAGE;
	}
	/* every file must be readable before anything is printed */
	for (int i = optind; i < argc; i++)
		if (strcmp(argv[i], "-") && access(argv[i], R_OK) < 0) {
			log_msg("%s: cannot read: %s", argv[i], strerror(errno));
			return EXIT_USAGE;
		}
	return 0;
}

int cmd_explain(int argc, char **argv)
{
	static struct explain x;
	struct logparse p;
	struct event_list tail = { 0 };
	int r;

	memset(&x, 0, sizeof(x));
	r = parse_opts(argc, argv, &x);
	if (r)
		return r < 0 ? 0 : r;
	if (x.json) {
		x.events = json_object_new_array();
		x.diagnoses = json_object_new_array();
	}
	for (int i = optind; i < argc; i++) {
		logparse_init(&p);
		if (explain_file(&x, &p, argv[i]) < 0) {
			log_msg("%s: cannot read: %s", argv[i], strerror(errno));
			json_object_put(x.events);
			json_object_put(x.diagnoses);
			return EXIT_USAGE;
		}
		logparse_flush(&p, &tail);
		drain(&x, &tail);
	}
	event_list_free(&tail);
	if (x.json) {
		json_object *o = json_object_new_object();

		json_object_object_add(o, "events", x.events);
		json_object_object_add(o, "diagnoses", x.diagnoses);
		puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
						    JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(o);
	} else if (x.n == 0) {
		puts("no page allocation failure, vmalloc failure or OOM report found");
	}
	return 0;
}
