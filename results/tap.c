#include "tap.h"
#include "util/util.h"

#include <json-c/json_object_iterator.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *tap_from_summary(json_object *summary)
{
	json_object *verdicts = NULL;
	size_t n;
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	if (!f)
		return xstrdup("");
	json_object_object_get_ex(summary, "verdicts", &verdicts);
	n = verdicts ? json_object_array_length(verdicts) : 0;
	fprintf(f, "TAP version 13\n1..%zu\n", n);
	for (size_t i = 0; i < n; i++) {
		json_object *v = json_object_array_get_idx(verdicts, i), *x;
		const char *id = "", *status = "ERROR", *reason = NULL;

		if (json_object_object_get_ex(v, "id", &x))
			id = json_object_get_string(x);
		if (json_object_object_get_ex(v, "status", &x))
			status = json_object_get_string(x);
		if (json_object_object_get_ex(v, "reason", &x))
			reason = json_object_get_string(x);
		/* INCONCLUSIVE is no failure but no pass either: a TODO to
		 * prove (not counted as failed), exit code 4 to a script */
		if (!strcmp(status, "SKIP"))
			fprintf(f, "ok %zu - %s # SKIP %s\n", i + 1, id, reason ? reason : "");
		else if (!strcmp(status, "INCONCLUSIVE"))
			fprintf(f, "not ok %zu - %s # TODO INCONCLUSIVE: run more repetitions\n", i + 1,
				id);
		else
			fprintf(f, "%s %zu - %s\n", strcmp(status, "PASS") ? "not ok" : "ok", i + 1, id);
		if (json_object_object_get_ex(v, "measure", &x)) {
			fprintf(f, "  ---\n  status: %s\n", status);
			if (reason) {	/* YAML single quotes: a quote is doubled */
				fputs("  reason: '", f);
				for (const char *c = reason; *c; c++) {
					if (*c == '\'')
						fputc('\'', f);
					fputc(*c, f);
				}
				fputs("'\n", f);
			}
			struct json_object_iterator it = json_object_iter_begin(x);
			struct json_object_iterator end = json_object_iter_end(x);

			for (; !json_object_iter_equal(&it, &end); json_object_iter_next(&it))
				fprintf(f, "  %s: %s\n", json_object_iter_peek_name(&it),
					json_object_to_json_string(json_object_iter_peek_value(&it)));
			fprintf(f, "  ...\n");
		}
	}
	fclose(f);
	return out;
}
