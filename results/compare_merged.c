/*
 * compare OLD NEW with merged directories (a nightly against the night
 * before): each run of NEW against OLD's run of the same scenario, host
 * and kernel; runs with no counterpart are listed, not compared.
 */
#include "compare.h"
#include "merge.h"
#include "util/jget.h"
#include "util/util.h"

#include <stdlib.h>
#include <string.h>

static bool same_key(json_object *a, json_object *b)
{
	static const char *const keys[] = { "scenario", "host", "kernel" };

	for (size_t k = 0; k < ARRAY_LEN(keys); k++)
		if (!jget_str(a, keys[k]) || !jget_str(b, keys[k]) ||
		    strcmp(jget_str(a, keys[k]), jget_str(b, keys[k])))
			return false;
	return true;
}

static json_object *partner(json_object *runs, json_object *r)
{
	for (size_t i = 0; i < jlen(runs); i++)
		if (same_key(json_object_array_get_idx(runs, i), r))
			return json_object_array_get_idx(runs, i);
	return NULL;
}

/* One pair compared; regressions counted; -1 on bad input (err). */
static int one_pair(const char *old, json_object *a, const char *new, json_object *b, bool json,
		    bool force, json_object *out, int *regress, int *partial, char *err,
		    size_t errlen)
{
	static struct comparison c;
	struct run_data runs[2];
	char *da = path_join(old, jget_str(a, "dir")), *db = path_join(new, jget_str(b, "dir"));
	int r = run_data_load(da, &runs[0], err, errlen);

	if (!r && run_data_load(db, &runs[1], err, errlen)) {
		run_data_free(&runs[0]);
		r = -1;
	}
	free(da);
	free(db);
	if (r)
		return -1;
	r = compare_runs(runs, NULL, 2, force, &c, err, errlen);
	if (!r) {
		*regress += c.regressions > 0;
		*partial += c.npartial > 0;
		if (json)
			json_object_array_add(out, compare_json(&c));
		else
			compare_text(&c, stdout), putchar('\n');
	}
	run_data_free(&runs[0]);
	run_data_free(&runs[1]);
	return r;
}

static void unmatched(json_object *runs, json_object *other, const char *what, bool json,
		      json_object *out)
{
	for (size_t i = 0; i < jlen(runs); i++) {
		json_object *r = json_object_array_get_idx(runs, i);

		if (partner(other, r))
			continue;
		if (json)
			json_object_array_add(out, json_object_get(r));
		else
			printf("%s: %s on %s, %s\n", what, jget_str(r, "scenario"), jget_str(r, "host"),
			       jget_str(r, "kernel"));
	}
}

int compare_merged(const char *old, const char *new, bool json, bool force, char *err,
		   size_t errlen)
{
	json_object *a = merged_runs(old, err, errlen), *b = a ? merged_runs(new, err, errlen) : NULL;
	json_object *pairs = json_object_new_array(), *gone = json_object_new_array();
	json_object *fresh = json_object_new_array(), *doc;
	int regress = 0, partial = 0, compared = 0, r = a && b ? 0 : -1;

	for (size_t i = 0; !r && i < jlen(b); i++) {
		json_object *rb = json_object_array_get_idx(b, i), *ra = partner(a, rb);

		if (!ra)
			continue;
		compared++;
		r = one_pair(old, ra, new, rb, json, force, pairs, &regress, &partial, err, errlen);
	}
	if (!r) {
		unmatched(a, b, "missing in the new results", json, gone);
		unmatched(b, a, "new, nothing to compare with", json, fresh);
	}
	if (!r && json) {
		doc = json_object_new_object();
		json_object_object_add(doc, "pairs", json_object_get(pairs));
		json_object_object_add(doc, "missing", json_object_get(gone));
		json_object_object_add(doc, "new", json_object_get(fresh));
		json_object_object_add(doc, "regressions", json_object_new_int(regress));
		json_object_object_add(doc, "partial", json_object_new_int(partial));
		puts(json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PRETTY |
						       JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(doc);
	} else if (!r) {
		printf("%d of %d runs compared regressed, %d partial\n", regress, compared, partial);
	}
	json_object_put(a);
	json_object_put(b);
	json_object_put(pairs);
	json_object_put(gone);
	json_object_put(fresh);
	return r ? -1 : regress ? 1 : partial ? 3 : 0;
}
