/*
 * What the sampler costs (harness/record/sampler.c): the CPU time of one
 * sample (zoneinfo, buddyinfo, vmstat read and parsed, one JSON line
 * made) on this machine's kernel, and what that is at the sampler's slow
 * and fast rates as a share of one core.  A benchmark, not a test: the
 * goal is under 0.5% of one core at the fast rate.
 * usage: sampler-cost [SAMPLES]
 */
#include "record/sampler.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

static double cpu_s(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
	       (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 2000;
	size_t bytes = 0;
	double t0 = cpu_s(), per;

	for (int i = 0; i < n; i++) {
		json_object *o = sampler_take(true);

		bytes += strlen(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
		json_object_put(o);
	}
	per = (cpu_s() - t0) / (n > 0 ? n : 1);
	printf("sampler: %d samples, %.1f us CPU and %zu bytes each\n", n, per * 1e6,
	       n > 0 ? bytes / (size_t)n : 0);
	printf("  every %d ms (idle): %.3f%% of one core\n", SAMPLER_SLOW_MS,
	       100 * per * 1000 / SAMPLER_SLOW_MS);
	printf("  every %d ms (a probe runs): %.3f%% of one core\n", SAMPLER_FAST_MS,
	       100 * per * 1000 / SAMPLER_FAST_MS);
	return 0;
}
