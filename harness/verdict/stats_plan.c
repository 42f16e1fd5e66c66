/* Planning: the power of the Fisher test, and how many repetitions per arm
 * would decide a comparison. */
#include "stats.h"

#include <stdlib.h>

double fisher_power(double p_b, double p_m, unsigned n, double alpha)
{
	double *pb = calloc(n + 1, sizeof(double)), *pm = calloc(n + 1, sizeof(double)), pw = 0;

	if (!pb || !pm)
		abort();
	for (unsigned k = 0; k <= n; k++) {
		pb[k] = binom_pmf(k, n, p_b);
		pm[k] = binom_pmf(k, n, p_m);
	}
	for (unsigned kb = 0; kb <= n; kb++)
		for (unsigned km = 0; km <= n; km++)
			if (fisher_one_sided(kb, n, km, n) <= alpha * (1 + 1e-9))
				pw += pb[kb] * pm[km];
	free(pb);
	free(pm);
	return pw > 1 ? 1 : pw;
}

unsigned fisher_reps_for_power(double p_b, double p_m, double alpha, unsigned max)
{
	if (p_m >= p_b)
		return 0;
	for (unsigned n = 1; n <= max; n++)
		if (fisher_power(p_b, p_m, n, alpha) >= 0.8)
			return n;
	return 0;
}
