/*
 * The paired design's statistics: each round's baseline and mitigation
 * continue from one prepared state, so the unit is the pair.  Only the
 * discordant pairs carry information about a difference (McNemar); the
 * failed attempts are compared within pairs (Wilcoxon's signed ranks).
 */
#include "stats.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>

/* P(X >= k) for X ~ Bin(n, 1/2). */
static double half_sf(unsigned k, unsigned n)
{
	double sf = 0;

	for (unsigned i = k; i <= n; i++)
		sf += binom_pmf(i, n, 0.5);
	return sf > 1 ? 1 : sf;
}

double mcnemar_greater(unsigned b, unsigned c)
{
	return b + c ? half_sf(b, b + c) : 1;
}

double paired_reduction_upper(unsigned b, unsigned n, double level)
{
	/* the reduction p10 - p01 is at most p10: a one-sided bound on p10
	 * at level is one on the reduction (conservative by p01) */
	return n ? ci_clopper_pearson(b, n, 1 - 2 * level).hi : 1;
}

/* The smallest b of m discordant pairs at which the test rejects at
 * alpha, m + 1 when none does. */
static unsigned critical_b(unsigned m, double alpha)
{
	double sf = 0;
	unsigned b = m + 1;

	/* walk down from m while the tail stays within alpha */
	while (b > 0) {
		sf += binom_pmf(b - 1, m, 0.5);
		if (sf > alpha * (1 + 1e-9))
			break;
		b--;
	}
	return b;
}

double mcnemar_power(double p10, double p01, unsigned n, double alpha)
{
	double pd = p10 + p01, q = pd > 0 ? p10 / pd : 0, pw = 0;

	if (pd <= 0)
		return 0;
	for (unsigned m = 1; m <= n; m++) {
		unsigned bc = critical_b(m, alpha);
		double tail = 0;

		for (unsigned b = bc; b <= m; b++)
			tail += binom_pmf(b, m, q);
		pw += binom_pmf(m, n, pd > 1 ? 1 : pd) * tail;
	}
	return pw > 1 ? 1 : pw;
}

unsigned mcnemar_pairs_for_power(double p10, double p01, double alpha, unsigned max)
{
	if (p10 <= p01)
		return 0;
	for (unsigned n = 1; n <= max; n++)
		if (mcnemar_power(p10, p01, n, alpha) >= 0.8)
			return n;
	return 0;
}

static int by_abs(const void *a, const void *b)
{
	double x = fabs(*(const double *)a), y = fabs(*(const double *)b);

	return (x > y) - (x < y);
}

/* P(W+ >= w) for n differences without ties: every sign pattern is
 * equally likely, so count the subsets of 1..n whose ranks sum to w or
 * more (the count of sums is built up rank by rank). */
static double signed_rank_sf(unsigned n, double w)
{
	size_t top = (size_t)n * (n + 1) / 2;
	double *cnt = calloc(top + 1, sizeof(double)), sf = 0, all = ldexp(1, (int)n);

	if (!cnt)
		abort();
	cnt[0] = 1;
	for (unsigned r = 1; r <= n; r++)
		for (size_t s = top; s >= r; s--)
			cnt[s] += cnt[s - r];
	for (size_t s = (size_t)ceil(w - 1e-9); s <= top; s++)
		sf += cnt[s];
	free(cnt);
	return sf / all > 1 ? 1 : sf / all;
}

double wilcoxon_greater(const double *d, size_t n, double *w_plus)
{
	double *v = calloc(n + 1, sizeof(double)), wp = 0, ties = 0, mu, var, p;
	size_t m = 0;

	if (!v)
		abort();
	for (size_t i = 0; i < n; i++)
		if (d[i] != 0)	/* zero_method "wilcox": no sign, no rank */
			v[m++] = d[i];
	qsort(v, m, sizeof(double), by_abs);
	for (size_t i = 0; i < m;) {
		size_t j = i;

		while (j + 1 < m && fabs(v[j + 1]) == fabs(v[i]))
			j++;
		for (size_t k = i; k <= j; k++)	/* tied: the mean of their ranks */
			wp += v[k] > 0 ? (double)(i + j + 2) / 2 : 0;
		ties += j > i ? (double)(j - i + 1) * ((double)(j - i + 1) * (j - i + 1) - 1) : 0;
		i = j + 1;
	}
	*w_plus = wp;
	if (!m) {
		p = 1;
	} else if (ties == 0 && m <= 50) {
		p = signed_rank_sf((unsigned)m, wp);
	} else {
		mu = (double)m * (m + 1) / 4;
		var = ((double)m * (m + 1) * (2 * m + 1) - ties / 2) / 24;
		p = var > 0 ? norm_cdf((mu + 0.5 - wp) / sqrt(var)) : 1;
	}
	free(v);
	return p;
}
