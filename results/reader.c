#include "reader.h"
#include "results.h"
#include "util/jget.h"
#include "util/util.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

/* A whole JSON object from dir/file; NULL with err when absent or bad. */
static json_object *load_object(const char *dir, const char *file, const char *missing, char *err,
				size_t errlen)
{
	char *path = path_join(dir, file);
	size_t len;
	char *text = read_file(path, &len);
	json_tokener *tok;
	json_object *o = NULL;

	if (!text) {
		fail(err, errlen, "%s: %s%s", path, errno == ENOENT ? "missing" : strerror(errno),
		     missing);
		free(path);
		return NULL;
	}
	tok = json_tokener_new();
	o = json_tokener_parse_ex(tok, text, (int)len);
	if (!o || json_tokener_get_error(tok) != json_tokener_success ||
	    !json_object_is_type(o, json_type_object)) {
		fail(err, errlen, "%s: not a JSON object (%s; a truncated file?)", path,
		     json_tokener_error_desc(json_tokener_get_error(tok)));
		json_object_put(o);
		o = NULL;
	}
	json_tokener_free(tok);
	free(text);
	free(path);
	return o;
}

/* dir/file as an array of its lines' objects; empty when absent. */
static json_object *load_lines(const char *dir, const char *file, char *err, size_t errlen,
			       bool *bad)
{
	char *path = path_join(dir, file), *text = read_file(path, NULL);
	json_object *a = json_object_new_array();
	int line = 0;

	for (char *save = NULL, *l = text ? strtok_r(text, "\n", &save) : NULL; l && !*bad;
	     l = strtok_r(NULL, "\n", &save)) {
		json_object *o = json_tokener_parse(l);

		line++;
		if (!o || !json_object_is_type(o, json_type_object)) {
			fail(err, errlen, "%s:%d: not a JSON object (a truncated file?)", path, line);
			json_object_put(o);
			*bad = true;
			break;
		}
		json_object_array_add(a, o);
	}
	free(text);
	free(path);
	return a;
}

static int check_format(const char *dir, json_object *o, const char *file, int *format,
			char *err, size_t errlen)
{
	int64_t f = jget_int(o, "results_format", 1);

	if (f > RESULTS_FORMAT || f < 1)
		return fail(err, errlen, "%s/%s: results_format %lld: written by %s allocrepro "
			    "(this one reads format %d)", dir, file, (long long)f,
			    f > RESULTS_FORMAT ? "a newer" : "an unknown", RESULTS_FORMAT);
	*format = (int)f;
	return 0;
}

int run_data_load(const char *dir, struct run_data *rd, char *err, size_t errlen)
{
	struct stat sb;
	bool bad = false;
	json_object *v;

	memset(rd, 0, sizeof(*rd));
	if (stat(dir, &sb) || !S_ISDIR(sb.st_mode))
		return fail(err, errlen, "%s: %s", dir, stat(dir, &sb) ? strerror(errno) :
			    "not a directory");
	rd->dir = xstrdup(dir);
	rd->manifest = load_object(dir, "manifest.json", ": not a results directory", err, errlen);
	if (rd->manifest)
		rd->summary = load_object(dir, "summary.json", " (a run killed before its end "
					  "writes none: nothing to judge)", err, errlen);
	if (!rd->summary || check_format(dir, rd->manifest, "manifest.json", &rd->format, err,
					 errlen) ||
	    check_format(dir, rd->summary, "summary.json", &rd->format, err, errlen))
		goto bad;
	if (!json_object_object_get_ex(rd->summary, "verdicts", &v) ||
	    !json_object_is_type(v, json_type_array)) {
		fail(err, errlen, "%s/summary.json: no verdicts list", dir);
		goto bad;
	}
	rd->events = load_lines(dir, "events.jsonl", err, errlen, &bad);
	rd->phases = bad ? NULL : load_lines(dir, "phases.jsonl", err, errlen, &bad);
	rd->samples = bad ? NULL : load_lines(dir, "samples.jsonl", err, errlen, &bad);
	if (!bad)
		return 0;
bad:
	run_data_free(rd);
	return -1;
}

int run_data_load_series(const char *dir, struct run_data *rd, char *err, size_t errlen)
{
	bool bad = false;

	memset(rd, 0, sizeof(*rd));
	rd->dir = xstrdup(dir);
	rd->format = RESULTS_FORMAT;
	rd->events = json_object_new_array();
	rd->phases = load_lines(dir, "phases.jsonl", err, errlen, &bad);
	rd->samples = bad ? NULL : load_lines(dir, "samples.jsonl", err, errlen, &bad);
	if (!bad)
		return 0;
	run_data_free(rd);
	return -1;
}

void run_data_free(struct run_data *rd)
{
	free(rd->dir);
	json_object_put(rd->manifest);
	json_object_put(rd->summary);
	json_object_put(rd->events);
	json_object_put(rd->phases);
	json_object_put(rd->samples);
	memset(rd, 0, sizeof(*rd));
}

const char *run_scenario(const struct run_data *rd)
{
	const char *s = jget_str(rd->summary, "scenario");

	return s ? s : "";
}

const char *run_outcome(const struct run_data *rd)
{
	const char *s = jget_str(rd->summary, "outcome");

	return s ? s : "";
}

bool run_has_boots(const struct run_data *rd)
{
	json_object *b;

	return json_object_object_get_ex(rd->summary, "boots", &b) &&
	       jlen(b) > 0;
}

json_object *run_verdicts(const struct run_data *rd)
{
	return json_object_object_get(rd->summary, "verdicts");
}
