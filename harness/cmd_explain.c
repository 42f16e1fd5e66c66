/*
 * allocrepro explain LOG... [--json] [--kernel-version V] [--buddyinfo FILE]:
 * the recorder's parser and the watermark model applied to log files.
 * Reports are diagnosed as the parser completes them, so a log of any size
 * streams through in constant memory (JSON mode keeps them for one document).
 */
#include "cli.h"
#include "diag_json.h"
#include "diagnose.h"
#include "event_json.h"
#include "explain_text.h"
#include "logparse.h"
#include "procfs_zone.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

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
		if (!x->have_prev || x->prev.cause != x->d.cause ||
		    strcmp(x->prev.evidence, x->d.evidence)) {
			x->prev = x->d;
			x->have_prev = true;
		}
	}
	x->n++;
}

static void drain(struct explain *x, struct event_list *ev)
{
	for (size_t i = 0; i < ev->n; i++)
		handle(x, &ev->v[i]);
	ev->n = 0;
}

/*
 * The first place in [s, end) where a report may start: "failure" (page and
 * vmalloc allocation failures), "oom-killer", "vmalloc error".  Most of a
 * big log is noise, so this scan is the hot path: SSE2 finds the rare byte
 * pairs "fa", "-k", "vm" sixteen positions at a time, then words are checked.
 */
static bool report_word_at(const char *s, const char *p, const char *end)
{
	size_t left = (size_t)(end - p);

	if (p[0] == 'f')
		return left >= 7 && !memcmp(p, "failure", 7);
	if (p[0] == '-')
		return left >= 7 && p - s >= 3 && !memcmp(p, "-killer", 7) &&
		       !memcmp(p - 3, "oom", 3);
	return left >= 13 && !memcmp(p, "vmalloc error", 13);
}

static const char *next_report_word(const char *s, const char *end)
{
	const char *p = s;

#ifdef __SSE2__
	const __m128i f = _mm_set1_epi8('f'), a = _mm_set1_epi8('a');
	const __m128i d = _mm_set1_epi8('-'), k = _mm_set1_epi8('k');
	const __m128i v = _mm_set1_epi8('v'), m = _mm_set1_epi8('m');

	for (; p + 17 <= end; p += 16) {
		__m128i x = _mm_loadu_si128((const __m128i *)p);
		__m128i y = _mm_loadu_si128((const __m128i *)(p + 1));
		__m128i hit = _mm_or_si128(
			_mm_or_si128(_mm_and_si128(_mm_cmpeq_epi8(x, f), _mm_cmpeq_epi8(y, a)),
				     _mm_and_si128(_mm_cmpeq_epi8(x, d), _mm_cmpeq_epi8(y, k))),
			_mm_and_si128(_mm_cmpeq_epi8(x, v), _mm_cmpeq_epi8(y, m)));
		unsigned bits = (unsigned)_mm_movemask_epi8(hit);

		while (bits) {
			const char *c = p + __builtin_ctz(bits);

			if (report_word_at(s, c, end))
				return c[0] == '-' ? c - 3 : c;
			bits &= bits - 1;
		}
	}
#endif
	for (; p + 1 < end; p++)
		if (((p[0] == 'f' && p[1] == 'a') || (p[0] == '-' && p[1] == 'k') ||
		     (p[0] == 'v' && p[1] == 'm')) && report_word_at(s, p, end))
			return p[0] == '-' ? p - 3 : p;
	return NULL;
}

static void parse_buffer(struct explain *x, struct logparse *p, const char *text, size_t len)
{
	struct event_list ev = { 0 };
	const char *s = text, *end = text + len;
	char *line = NULL;
	size_t cap = 0;

	while (s < end) {
		/* between reports only lines that start one matter: jump there */
		if (!p->open && !p->pending_len) {
			const char *cand = next_report_word(s, end);

			if (!cand)
				break;
			const char *ls = memrchr(s, '\n', (size_t)(cand - s));

			s = ls ? ls + 1 : s;
		}
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t n = nl ? (size_t)(nl - s) : (size_t)(end - s);

		if (n + 1 > cap) {
			cap = n + 1 > 4096 ? n + 1 : 4096;
			line = xrealloc(line, cap);
		}
		memcpy(line, s, n);
		line[n] = '\0';
		if (n && line[n - 1] == '\r')
			line[n - 1] = '\0';
		logparse_line(p, line, &ev);
		if (ev.n)
			drain(x, &ev);
		s += n + 1;
	}
	free(line);
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

int cmd_explain(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "kernel-version", required_argument, NULL, 'k' },
		{ "buddyinfo", required_argument, NULL, 'b' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static struct explain x;
	struct logparse p;
	struct event_list tail = { 0 };
	int c;

	memset(&x, 0, sizeof(x));
	while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
		switch (c) {
		case 'j':
			x.json = true;
			break;
		case 'k':
			if (!kver_parse(optarg, &x.kv)) {
				log_msg("--kernel-version: '%s' is not a kernel release (e.g. 4.19 or 2.6.32)",
					optarg);
				return EXIT_USAGE;
			}
			break;
		case 'b': {
			size_t len;
			char *t = read_file(optarg, &len);

			if (!t) {
				log_msg("--buddyinfo %s: cannot read: %s", optarg, strerror(errno));
				return EXIT_USAGE;
			}
			x.have_bi = buddyinfo_parse(t, &x.bi);
			free(t);
			if (!x.have_bi) {
				log_msg("--buddyinfo %s: no 'Node N, zone NAME counts...' line", optarg);
				return EXIT_USAGE;
			}
			break;
		}
		case 'h':
			fputs(usage, stdout);
			return 0;
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
