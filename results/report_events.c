#include "report_events.h"
#include "diag_json.h"
#include "event_json.h"
#include "model/diagnose.h"
#include "parse/kmsg.h"
#include "parse/logparse.h"
#include "util/jget.h"
#include "util/util.h"

#include <stdlib.h>
#include <string.h>

struct fold {
	json_object *out;
	struct diagnosis d;
	size_t n;
};

/* What makes two reports one in a report: the request and its cause, the
 * zone it tried first (the numbers move a few pages from one to the
 * next). */
static char *group_key(const struct event *e, const struct diagnosis *d)
{
	return xasprintf("%d|%d|%s|%s|%s", (int)e->type, e->order, e->gfp_mask,
			 cause_name(d->cause), d->first_zone >= 0 ? d->zones[d->first_zone].zone : "");
}

static void add_boot(json_object *entry, const char *boot)
{
	json_object *b = json_object_object_get(entry, "boots");

	if (!boot)
		return;
	for (size_t i = 0; i < jlen(b); i++)
		if (!strcmp(json_object_get_string(json_object_array_get_idx(b, i)), boot))
			return;
	json_object_array_add(b, json_object_new_string(boot));
}

static void one_event(struct fold *f, struct event *e, const char *boot)
{
	json_object *o;
	char *key;

	diagnose(e, f->n++, NULL, &f->d);
	if (!e->gfp_flags[0] && f->d.gfp_decoded[0])
		snprintf(e->gfp_flags, sizeof(e->gfp_flags), "%s", f->d.gfp_decoded);
	key = group_key(e, &f->d);
	for (size_t i = 0; i < jlen(f->out); i++) {
		o = json_object_array_get_idx(f->out, i);
		if (strcmp(jget_str(o, "key"), key))
			continue;
		json_object_object_add(o, "count", json_object_new_int((int)jget_int(o, "count", 1) + 1));
		add_boot(o, boot);
		free(key);
		return;
	}
	o = json_object_new_object();
	json_object_object_add(o, "key", json_object_new_string(key));
	free(key);
	json_object_object_add(o, "event", event_to_json(e));
	json_object_object_add(o, "diagnosis", diagnosis_to_json(&f->d));
	json_object_object_add(o, "count", json_object_new_int(1));
	json_object_object_add(o, "boots", json_object_new_array());
	add_boot(o, boot);
	json_object_array_add(f->out, o);
}

/* dir's kmsg.txt (the /dev/kmsg records as the recorder kept them). */
static void one_log(struct fold *f, const char *dir, const char *boot)
{
	char *path = path_join(dir, "kmsg.txt"), *norm;
	size_t len, nlen;
	char *text = read_file(path, &len);
	struct event_list ev = { 0 };

	free(path);
	if (!text)
		return;
	norm = kmsg_to_dmesg(text, len, &nlen);
	logparse_text(norm, nlen, &ev);
	for (size_t i = 0; i < ev.n; i++)
		one_event(f, &ev.v[i], boot);
	event_list_free(&ev);
	free(norm);
	free(text);
}

json_object *report_events(const struct run_data *rd)
{
	return report_events_of(rd, NULL);
}

json_object *report_events_of(const struct run_data *rd, const char *only)
{
	struct fold *f = xcalloc(1, sizeof(*f));	/* two diagnoses: large */
	json_object *boots = json_object_object_get(rd->summary, "boots"), *out;

	f->out = json_object_new_array();
	if (!run_has_boots(rd))
		one_log(f, rd->dir, NULL);
	for (size_t i = 0; run_has_boots(rd) && i < jlen(boots); i++) {
		json_object *b = json_object_array_get_idx(boots, i);
		const char *d = jget_str(b, "dir"), *arm = jget_str(b, "arm");
		/* a paired design's copies begin with their prepared guest's log */
		bool skip = !d || (arm && !strcmp(arm, "(prepared)")) ||
			    (only && (!arm || strcmp(arm, only)));
		char *sub = skip ? NULL : path_join(rd->dir, d);

		if (sub)
			one_log(f, sub, strrchr(d, '/') ? strrchr(d, '/') + 1 : d);
		free(sub);
	}
	out = f->out;
	free(f);
	return out;
}

const char *report_gfp(json_object *event, char *buf, size_t len)
{
	json_object *fl = json_object_object_get(event, "gfp_flags");
	size_t n = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < jlen(fl) && n < len; i++)
		n += (size_t)snprintf(buf + n, len - n, "%s%s", i ? "|" : "",
				      json_object_get_string(json_object_array_get_idx(fl, i)));
	if (!buf[0] && jget_str(event, "gfp_mask"))
		snprintf(buf, len, "%s", jget_str(event, "gfp_mask"));
	return buf;
}
