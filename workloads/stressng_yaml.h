/* stress-ng's --yaml report -> per-stressor metrics.  A pure parser. */
#ifndef ALLOCREPRO_STRESSNG_YAML_H
#define ALLOCREPRO_STRESSNG_YAML_H

#include <stddef.h>

struct sng_metric {
	char stressor[32];
	double bogo_ops;
	double bogo_ops_per_s;	/* real time */
	double wall_s, user_s, system_s;
	double max_rss_kb;	/* -1 when not reported */
};

/* Fill up to max entries of the "metrics" list; returns how many, or -1
 * with err filled when the text is not a stress-ng YAML report. */
int stressng_yaml_parse(const char *text, size_t len, struct sng_metric *out, int max,
			char *err, size_t errlen);

#endif
