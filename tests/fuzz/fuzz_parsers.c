/* libFuzzer target: every parser of kernel text, and the model behind them.
 * Built by `make fuzz`; `make check` runs it for a bounded time. */
#include "results/diag_json.h"
#include "model/diagnose.h"
#include "results/event_json.h"
#include "parse/kmsg.h"
#include "workloads/stressng_yaml.h"
#include "parse/logparse.h"
#include "parse/procfs.h"
#include "parse/procfs_zone.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct diagnosis d;
	static struct event e;
	static struct buddyinfo bi;
	static struct kmsg_record rec;
	struct event_list ev = { 0 };
	char *text = malloc(size + 1);

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	logparse_text(text, size, &ev);
	for (size_t i = 0; i < ev.n; i++) {
		diagnose(&ev.v[i], i, NULL, &d);
		json_object_put(event_to_json(&ev.v[i]));
		json_object_put(diagnosis_to_json(&d));
	}
	event_list_free(&ev);
	buddyinfo_parse(text, &bi);
	event_init(&e, EV_ALLOC_FAILURE);
	zoneinfo_parse(text, 4, &e);
	pagetypeinfo_parse(text, &e);
	snprintf(e.gfp_mask, sizeof(e.gfp_mask), "0xcc0");
	e.order = size % 12;
	diagnose(&e, 0, NULL, &d);
	kmsg_parse(text, size, &rec);
	{
		struct sng_metric m[4];
		char err[128];

		stressng_yaml_parse(text, size, m, 4, err, sizeof(err));
	}
	free(text);
	return 0;
}
