/*
 * allocrepro explain LOG...: the recorder's parser applied to log files.
 * (The watermark model and diagnoses come with the explain issue; this
 * prints the parsed events.)
 */
#include "cli.h"
#include "event_json.h"
#include "kmsg.h"
#include "logparse.h"
#include "util.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cmd_explain(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct event_list ev = { 0 };
	bool json = false;
	int c;

	while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
		if (c == 'j') {
			json = true;
		} else {
			fputs("usage: allocrepro explain LOGFILE... [--json]\n", stderr);
			return c == 'h' ? 0 : EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		fputs("usage: allocrepro explain LOGFILE... [--json]\n", stderr);
		return EXIT_USAGE;
	}
	for (int i = optind; i < argc; i++) {
		size_t len, nlen;
		char *text = read_file(argv[i], &len), *norm;

		if (!text) {
			log_msg("%s: cannot read: %s", argv[i], strerror(errno));
			event_list_free(&ev);
			return EXIT_USAGE;
		}
		norm = kmsg_to_dmesg(text, len, &nlen);
		logparse_text(norm, nlen, &ev);
		free(norm);
		free(text);
	}
	if (json) {
		json_object *o = json_object_new_object(), *a = json_object_new_array();

		for (size_t i = 0; i < ev.n; i++)
			json_object_array_add(a, event_to_json(&ev.v[i]));
		json_object_object_add(o, "events", a);
		json_object_object_add(o, "diagnoses", json_object_new_array());
		puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
						    JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(o);
	} else {
		for (size_t i = 0; i < ev.n; i++)
			printf("%zu: %s comm=%s order=%d mode=%s(%s) kernel=%s zones=%d\n", i,
			       ev_type_name(ev.v[i].type), ev.v[i].comm, ev.v[i].order,
			       ev.v[i].gfp_mask, ev.v[i].gfp_flags, ev.v[i].kernel, ev.v[i].nzones);
	}
	event_list_free(&ev);
	return 0;
}
