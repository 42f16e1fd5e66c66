/* Which machine a lab boot gets: kernel, topology, memory and CPUs. */
#include "lab.h"
#include "util/jget.h"
#include "util/util.h"

#include <stdlib.h>
#include <string.h>

#define HIGHMEM_MIN_MB 2048	/* default guest memory of the highmem topology */

void lab_resolve_opts(const struct lab_opts *flags, const struct scenario *sc,
		      const struct sc_arm *arm, struct lab_opts *oi, bool quiet)
{
	*oi = *flags;
	oi->kernel = arm && arm->kernel[0] ? arm->kernel : flags->kernel ? flags->kernel :
		     sc->lab_kernel[0] ? sc->lab_kernel : LAB_DEFAULT_KERNEL;
	oi->topology = arm && arm->topology[0] ? arm->topology : flags->topology ? flags->topology :
		       sc->lab_topology[0] ? sc->lab_topology : "uma";
	if (arm && arm->memory_mb)
		oi->memory_mb = arm->memory_mb;
	if (!oi->memory_mb) {
		oi->memory_mb = sc->lab_memory_mb;
		/* HighMem starts above ~896 MiB of lowmem: make it a real zone */
		if (!strcmp(oi->topology, "highmem") && oi->memory_mb < HIGHMEM_MIN_MB) {
			if (!quiet)
				log_msg("%s: topology highmem: %u MiB instead of %u", sc->name,
					HIGHMEM_MIN_MB, oi->memory_mb);
			oi->memory_mb = HIGHMEM_MIN_MB;
		}
	}
	if (!oi->cpus)
		oi->cpus = sc->lab_cpus;
}

int lab_check_combination(const struct scenario *sc, const struct lab_opts *oi)
{
	if (!strcmp(oi->topology, "highmem") && strcmp(oi->kernel, "debian-6.1-pae")) {
		log_msg("%s: topology highmem needs a 32-bit kernel (--kernel debian-6.1-pae)", sc->name);
		return EXIT_USAGE;
	}
	if (!strcmp(oi->topology, "highmem") && oi->memory_mb <= 1024) {
		log_msg("%s: topology highmem: %u MiB leaves no HighMem zone; give more than 1024",
			sc->name, oi->memory_mb);
		return EXIT_USAGE;
	}
	return 0;
}

void lab_requires_judge(const struct lab_opts *flags, json_object *verdicts)
{
	if (flags->user_machine)
		return;
	for (size_t i = 0; verdicts && i < json_object_array_length(verdicts); i++) {
		json_object *v = json_object_array_get_idx(verdicts, i);
		const char *st = jget_str(v, "status"), *why = jget_str(v, "reason");
		char *r;

		if (!st || strcmp(st, "SKIP"))
			continue;
		r = xasprintf("the scenario's own lab machine does not meet its requires (%s)",
			      why ? why : "no reason given");
		json_object_object_add(v, "status", json_object_new_string("ERROR"));
		json_object_object_add(v, "reason", json_object_new_string(r));
		free(r);
	}
}
