/*
 * The harness's statistics on demand, for tests/stats-scipy.t: one request
 * per line on stdin, one answer per line on stdout (%.17g), so that a
 * script can hold them against SciPy's and statsmodels' on a grid.
 *   fisher KB NB KM NM        -> p_fewer p_more
 *   fisher2 KA NA KB NB       -> p (two-sided)
 *   cp|wilson K N CONF        -> lo hi
 *   newcombe K1 N1 K2 N2 CONF -> lo hi
 *   ppf P                     -> z
 *   holm P...                 -> adjusted P...
 *   mwu NX X... NY Y...       -> p U
 *   power PB PM N ALPHA       -> power
 *   reps PB PM ALPHA MAX      -> n
 *   mcnemar B C               -> p_fewer p_more
 *   pbound B N LEVEL          -> upper bound on the paired reduction
 *   ppower P10 P01 N ALPHA    -> power
 *   preps P10 P01 ALPHA MAX   -> n
 *   wsr N D...                -> p W+
 */
#include "verdict/stats.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int answer(char *line)
{
	char *save = NULL, *w = strtok_r(line, " \t\n", &save);
	double v[256];
	int n = 0;

	if (!w)
		return 0;
	for (char *a; n < 256 && (a = strtok_r(NULL, " \t\n", &save)); n++)
		v[n] = strtod(a, NULL);
#define U(i) ((unsigned)v[i])
	if (!strcmp(w, "fisher") && n == 4) {
		printf("%.17g %.17g\n", fisher_one_sided(U(0), U(1), U(2), U(3)),
		       fisher_worse(U(0), U(1), U(2), U(3)));
	} else if (!strcmp(w, "fisher2") && n == 4) {
		printf("%.17g\n", fisher_two_sided(U(0), U(1), U(2), U(3)));
	} else if ((!strcmp(w, "cp") || !strcmp(w, "wilson")) && n == 3) {
		struct interval r = w[0] == 'c' ? ci_clopper_pearson(U(0), U(1), v[2]) :
				    ci_wilson(U(0), U(1), v[2]);

		printf("%.17g %.17g\n", r.lo, r.hi);
	} else if (!strcmp(w, "newcombe") && n == 5) {
		struct interval r = ci_newcombe_diff(U(0), U(1), U(2), U(3), v[4]);

		printf("%.17g %.17g\n", r.lo, r.hi);
	} else if (!strcmp(w, "ppf") && n == 1) {
		printf("%.17g\n", norm_ppf(v[0]));
	} else if (!strcmp(w, "holm") && n > 0) {
		holm_adjust(v, (size_t)n, v);
		for (int i = 0; i < n; i++)
			printf("%.17g%c", v[i], i + 1 < n ? ' ' : '\n');
	} else if (!strcmp(w, "mwu") && n >= 2 && U(0) + 2 <= (unsigned)n &&
		   U(0) + 2 + U(U(0) + 1) == (unsigned)n) {
		double u, p = mann_whitney_greater(v + 1, U(0), v + U(0) + 2, U(U(0) + 1), &u);

		printf("%.17g %.17g\n", p, u);
	} else if (!strcmp(w, "power") && n == 4) {
		printf("%.17g\n", fisher_power(v[0], v[1], U(2), v[3]));
	} else if (!strcmp(w, "reps") && n == 4) {
		printf("%u\n", fisher_reps_for_power(v[0], v[1], v[2], U(3)));
	} else if (!strcmp(w, "mcnemar") && n == 2) {
		printf("%.17g %.17g\n", mcnemar_greater(U(0), U(1)), mcnemar_greater(U(1), U(0)));
	} else if (!strcmp(w, "pbound") && n == 3) {
		printf("%.17g\n", paired_reduction_upper(U(0), U(1), v[2]));
	} else if (!strcmp(w, "ppower") && n == 4) {
		printf("%.17g\n", mcnemar_power(v[0], v[1], U(2), v[3]));
	} else if (!strcmp(w, "preps") && n == 4) {
		printf("%u\n", mcnemar_pairs_for_power(v[0], v[1], v[2], U(3)));
	} else if (!strcmp(w, "wsr") && n >= 1 && U(0) + 1 == (unsigned)n) {
		double wp, p = wilcoxon_greater(v + 1, U(0), &wp);

		printf("%.17g %.17g\n", p, wp);
	} else {
		fprintf(stderr, "stats-grid: cannot read: %s\n", w);
		return -1;
	}
#undef U
	return 0;
}

int main(void)
{
	char line[8192];

	while (fgets(line, sizeof(line), stdin))
		if (answer(line))
			return 2;
	return 0;
}
