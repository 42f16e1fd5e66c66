#include "stats.h"

#include <math.h>

static double log_choose(unsigned n, unsigned k)
{
	return lgamma((double)n + 1) - lgamma((double)k + 1) - lgamma((double)(n - k) + 1);
}

double fisher_one_sided(unsigned k_b, unsigned n_b, unsigned k_m, unsigned n_m)
{
	unsigned K = k_b + k_m, N = n_b + n_m;
	unsigned lo = K > n_b ? K - n_b : 0;
	double p = 0, denom;

	if (!N || k_b > n_b || k_m > n_m)
		return 1;
	denom = log_choose(N, K);
	/* hypergeometric: X failures land in the mitigation arm */
	for (unsigned x = lo; x <= k_m; x++)
		p += exp(log_choose(n_m, x) + log_choose(n_b, K - x) - denom);
	return p > 1 ? 1 : p;
}

unsigned stats_needed(double ratio, unsigned n)
{
	unsigned k = (unsigned)ceil(ratio * n - 1e-9);

	return k ? k : 1;
}
