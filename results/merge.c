#include "merge.h"
#include "results.h"
#include "util/jget.h"
#include "util/util.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_MERGE 4096

struct item {
	char *src;		/* the run's directory */
	char *id;
	char hash[65];		/* of its files and their contents */
	json_object *entry;	/* its line in merged.json */
};

bool merged_dir(const char *dir)
{
	char *p = path_join(dir, MERGED_INDEX);
	struct stat sb;
	bool r = stat(p, &sb) == 0;

	free(p);
	return r;
}

json_object *merged_runs(const char *dir, char *err, size_t errlen)
{
	char *p = path_join(dir, MERGED_INDEX);
	json_object *o = json_object_from_file(p), *runs = NULL;

	if (!o || !json_object_object_get_ex(o, "runs", &runs) ||
	    !json_object_is_type(runs, json_type_array) || jget_int(o, "results_format", 1) >
	    RESULTS_FORMAT)
		snprintf(err, errlen, "%s: not a merged directory's index (%s)", p,
			 o ? "no runs, or a newer format" : "unreadable or not JSON");
	else
		runs = json_object_get(runs);
	json_object_put(o);
	free(p);
	return o && runs && json_object_is_type(runs, json_type_array) ? runs : NULL;
}

/* [A-Za-z0-9_.-] only: the id is a directory name. */
static char *clean_id(char *id)
{
	for (char *c = id; *c; c++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-", *c))
			*c = '_';
	return id;
}

char *merge_run_id(const struct run_data *rd)
{
	const char *id = jget_str(rd->manifest, "run_id");
	char hash[65], *s;

	if (id)
		return clean_id(xstrdup(id));
	s = xstrdup(json_object_to_json_string_ext(rd->summary, JSON_C_TO_STRING_PLAIN));
	sha256_hex(s, strlen(s), hash);
	free(s);
	s = xasprintf("%s-%s-%s-%.12s", jget_str(rd->manifest, "host") ?
		      jget_str(rd->manifest, "host") : "unknown",
		      jget_str(rd->manifest, "kernel_release") ?
		      jget_str(rd->manifest, "kernel_release") : "unknown", run_scenario(rd), hash);
	return clean_id(s);
}

static int by_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every file under dir, relative, sorted, appended to list. */
static void walk(const char *dir, const char *rel, char ***list, size_t *n, size_t *cap)
{
	char *path = rel[0] ? path_join(dir, rel) : xstrdup(dir);
	DIR *d = opendir(path);

	for (struct dirent *e = d ? readdir(d) : NULL; e; e = readdir(d)) {
		char *r = rel[0] ? path_join(rel, e->d_name) : xstrdup(e->d_name), *full;
		struct stat sb;

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) {
			free(r);
			continue;
		}
		full = path_join(dir, r);
		if (lstat(full, &sb) == 0 && S_ISDIR(sb.st_mode)) {
			walk(dir, r, list, n, cap);
			free(r);
		} else if (S_ISREG(sb.st_mode)) {
			if (*n == *cap)
				*list = xrealloc(*list, (*cap = *cap ? *cap * 2 : 64) * sizeof(char *));
			(*list)[(*n)++] = r;
		} else {
			free(r);
		}
		free(full);
	}
	if (d)
		closedir(d);
	free(path);
}

/* The sha256 of each file's path and content, in order: two trees with
 * the same hash hold the same files. */
static void tree_hash(const char *dir, char out[65])
{
	char **list = NULL, h[65];
	size_t n = 0, cap = 0, blen = 0;
	char *buf = xstrdup("");

	walk(dir, "", &list, &n, &cap);
	qsort(list, n, sizeof(char *), by_str);
	for (size_t i = 0; i < n; i++) {
		char *p = path_join(dir, list[i]);
		size_t len = 0;
		char *text = read_file(p, &len);
		char *line;

		sha256_hex(text ? text : "", text ? len : 0, h);
		line = xasprintf("%s %s\n", h, list[i]);
		buf = xrealloc(buf, blen + strlen(line) + 1);
		memcpy(buf + blen, line, strlen(line) + 1);
		blen += strlen(line);
		free(line);
		free(text);
		free(p);
		free(list[i]);
	}
	sha256_hex(buf, blen, out);
	free(buf);
	free(list);
}

static int copy_file(const char *from, const char *to)
{
	size_t len;
	char *text = read_file(from, &len);
	int r = text ? write_file_atomic(to, text, len) : -1;

	free(text);
	return r;
}

static int copy_tree(const char *from, const char *to)
{
	char **list = NULL;
	size_t n = 0, cap = 0;
	int r = mkdir_p(to, 0755);

	walk(from, "", &list, &n, &cap);
	for (size_t i = 0; i < n; i++) {
		char *src = path_join(from, list[i]), *dst = path_join(to, list[i]);
		char *slash = strrchr(dst, '/');

		*slash = '\0';
		r |= mkdir_p(dst, 0755);
		*slash = '/';
		r |= copy_file(src, dst);
		free(src);
		free(dst);
		free(list[i]);
	}
	free(list);
	return r ? -1 : 0;
}

/* The run's line in merged.json: what the matrix is made of. */
static json_object *entry_json(const struct run_data *rd, const char *id, const char *src)
{
	json_object *e = json_object_new_object(), *lab = json_object_object_get(rd->manifest, "lab");
	const char *host = jget_str(rd->manifest, "host"), *rel = jget_str(rd->manifest,
									    "kernel_release");
	char *dir = xasprintf("runs/%s", id);

	json_object_object_add(e, "id", json_object_new_string(id));
	json_object_object_add(e, "dir", json_object_new_string(dir));
	free(dir);
	json_object_object_add(e, "host", json_object_new_string(host ? host : "unknown"));
	json_object_object_add(e, "kernel", json_object_new_string(
		lab && jget_str(lab, "kernel") ? jget_str(lab, "kernel") : rel ? rel : "unknown"));
	json_object_object_add(e, "kernel_release", json_object_new_string(rel ? rel : ""));
	json_object_object_add(e, "topology", json_object_new_string(
		lab && jget_str(lab, "topology") ? jget_str(lab, "topology") : "this machine"));
	json_object_object_add(e, "scenario", json_object_new_string(run_scenario(rd)));
	json_object_object_add(e, "sha256", json_object_new_string(
		jget_str(json_object_object_get(rd->manifest, "scenario"), "sha256") ?
		jget_str(json_object_object_get(rd->manifest, "scenario"), "sha256") : ""));
	json_object_object_add(e, "outcome", json_object_new_string(run_outcome(rd)));
	json_object_object_add(e, "exit_code", json_object_new_int(
		(int)jget_int(rd->summary, "exit_code", -1)));
	if (jget_str(rd->manifest, "start_time"))
		json_object_object_add(e, "start_time", json_object_new_string(
			jget_str(rd->manifest, "start_time")));
	json_object_object_add(e, "merged_from", json_object_new_string(src));
	return e;
}

/* One input run read and named; -1 with err. */
static int one_run(const char *src, struct item *it, char *err, size_t errlen)
{
	struct run_data rd;

	if (run_data_load(src, &rd, err, errlen))
		return -1;
	it->src = xstrdup(src);
	it->id = merge_run_id(&rd);
	tree_hash(src, it->hash);
	it->entry = entry_json(&rd, it->id, src);
	run_data_free(&rd);
	return 0;
}

/* The runs of dirs (a merged directory gives all of its), deduplicated:
 * -1 with err on bad input or one id with two contents. */
static int gather(char *const *dirs, int n, struct item *items, int *count, char *err,
		  size_t errlen)
{
	for (int i = 0; i < n; i++) {
		json_object *runs = merged_dir(dirs[i]) ? merged_runs(dirs[i], err, errlen) : NULL;
		size_t m = merged_dir(dirs[i]) ? jlen(runs) : 1;

		if (merged_dir(dirs[i]) && !runs)
			return -1;
		for (size_t k = 0; k < m; k++) {
			char *src = runs ? path_join(dirs[i], jget_str(json_object_array_get_idx(runs, k),
								  "dir")) : xstrdup(dirs[i]);
			struct item it = { 0 };
			int r = *count < MAX_MERGE ? one_run(src, &it, err, errlen) : -1;

			free(src);
			for (int j = 0; !r && j < *count; j++) {
				if (strcmp(items[j].id, it.id))
					continue;
				if (strcmp(items[j].hash, it.hash)) {
					snprintf(err, errlen, "%s and %s: two runs with the id %s but "
						 "different content", items[j].src, it.src, it.id);
					r = -1;
				} else {
					r = 1;	/* the same run twice */
				}
			}
			if (r) {	/* the same run twice (1), or refused */
				free(it.src);
				free(it.id);
				json_object_put(it.entry);
				if (r == 1)
					continue;
				json_object_put(runs);
				return -1;
			}
			items[(*count)++] = it;
		}
		json_object_put(runs);
	}
	return 0;
}

/* Is out empty, absent, or a merged directory? */
static bool usable_out(const char *out)
{
	DIR *d = opendir(out);
	struct dirent *e;
	bool empty = true;

	if (!d)
		return errno == ENOENT;
	while ((e = readdir(d)))
		empty &= !strcmp(e->d_name, ".") || !strcmp(e->d_name, "..");
	closedir(d);
	return empty || merged_dir(out);
}

/* Against what out holds: a run there already with the same content is
 * skipped (skip[i]), one with other content refused. */
static int against_out(const char *out, json_object *have, struct item *items, int n, bool *skip,
		       char *err, size_t errlen)
{
	for (int i = 0; i < n; i++) {
		skip[i] = false;
		for (size_t k = 0; k < jlen(have); k++) {
			json_object *h = json_object_array_get_idx(have, k);
			char *there, hash[65];

			if (strcmp(jget_str(h, "id"), items[i].id))
				continue;
			there = path_join(out, jget_str(h, "dir"));
			tree_hash(there, hash);
			free(there);
			if (strcmp(hash, items[i].hash)) {
				snprintf(err, errlen, "%s: %s holds a run with the id %s and different "
					 "content", items[i].src, out, items[i].id);
				return -1;
			}
			skip[i] = true;
		}
	}
	return 0;
}

int merge_into(const char *out, char *const *dirs, int n, char *err, size_t errlen)
{
	struct item *items = xcalloc(MAX_MERGE, sizeof(*items));
	bool *skip = xcalloc(MAX_MERGE, sizeof(bool));
	json_object *have = NULL, *index = NULL;
	int count = 0, r = -1;
	const char *text;
	char *ip;

	if (!usable_out(out)) {
		snprintf(err, errlen, "%s: holds files and is not a merged directory (no %s)", out,
			 MERGED_INDEX);
		goto out;
	}
	have = merged_dir(out) ? merged_runs(out, err, errlen) : json_object_new_array();
	if (!have || gather(dirs, n, items, &count, err, errlen) ||
	    against_out(out, have, items, count, skip, err, errlen))
		goto out;
	for (int i = 0; i < count; i++) {
		char *dst = xasprintf("%s/runs/%s", out, items[i].id);

		if (!skip[i] && copy_tree(items[i].src, dst)) {
			snprintf(err, errlen, "%s: cannot copy %s: %s", dst, items[i].src, strerror(errno));
			free(dst);
			goto out;
		}
		free(dst);
		if (!skip[i])
			json_object_array_add(have, json_object_get(items[i].entry));
	}
	index = json_object_new_object();
	json_object_object_add(index, "results_format", json_object_new_int(RESULTS_FORMAT));
	json_object_object_add(index, "runs", json_object_get(have));
	ip = path_join(out, MERGED_INDEX);
	text = json_object_to_json_string_ext(index, JSON_C_TO_STRING_PRETTY |
					      JSON_C_TO_STRING_NOSLASHESCAPE);
	r = mkdir_p(out, 0755) || write_file_atomic(ip, text, strlen(text)) ? -1 : 0;
	if (r)
		snprintf(err, errlen, "%s: %s", ip, strerror(errno));
	free(ip);
out:
	for (int i = 0; i < count; i++) {
		free(items[i].src);
		free(items[i].id);
		json_object_put(items[i].entry);
	}
	free(items);
	free(skip);
	json_object_put(have);
	json_object_put(index);
	return r;
}
