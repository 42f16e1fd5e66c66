/* Mann-Whitney U, as scipy.stats.mannwhitneyu computes it (method "auto",
 * continuity correction on). */
#include "stats.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>

struct tagged {
	double v;
	bool in_x;
};

static int by_value(const void *a, const void *b)
{
	double x = ((const struct tagged *)a)->v, y = ((const struct tagged *)b)->v;

	return (x > y) - (x < y);
}

/* P(U >= u) under no difference, for m values against n without ties:
 * the largest of all m + n is an x (it beats every y) with probability
 * m / (m + n), else a y; p[m][u] is built up over n. */
static double exact_sf(unsigned m, unsigned n, double u)
{
	size_t w = (size_t)m * n + 1;
	double *prev = calloc((m + 1) * w, sizeof(double));
	double *cur = calloc((m + 1) * w, sizeof(double)), *t, sf = 0;

	if (!prev || !cur)
		abort();
	for (unsigned i = 0; i <= m; i++)
		prev[i * w] = 1;
	for (unsigned j = 1; j <= n; j++) {
		for (size_t x = 0; x < (m + 1) * w; x++)
			cur[x] = 0;
		cur[0] = 1;
		for (unsigned i = 1; i <= m; i++)
			for (size_t k = 0; k <= (size_t)i * j; k++)
				cur[i * w + k] = (double)i / (i + j) * (k >= j ? cur[(i - 1) * w + k - j] : 0) +
						 (double)j / (i + j) * prev[i * w + k];
		t = prev;
		prev = cur;
		cur = t;
	}
	for (size_t k = (size_t)ceil(u - 1e-9); k < w; k++)
		sf += prev[m * w + k];
	free(prev);
	free(cur);
	return sf > 1 ? 1 : sf;
}

double mann_whitney_greater(const double *x, size_t nx, const double *y, size_t ny, double *u)
{
	size_t n = nx + ny;
	struct tagged *all = calloc(n + 1, sizeof(*all));
	double rank_x = 0, ties = 0, mu, s, p;

	if (!all)
		abort();
	for (size_t i = 0; i < n; i++)
		all[i] = i < nx ? (struct tagged){ x[i], true } : (struct tagged){ y[i - nx], false };
	qsort(all, n, sizeof(*all), by_value);
	for (size_t i = 0, j; i < n; i = j) {
		double t;

		for (j = i; j < n && all[j].v == all[i].v; j++)
			;
		t = (double)(j - i);
		ties += t * t * t - t;
		for (size_t k = i; k < j; k++)	/* tied values share their mean rank */
			rank_x += all[k].in_x ? (double)(i + 1 + j) / 2 : 0;
	}
	free(all);
	*u = nx ? rank_x - (double)nx * (nx + 1) / 2 : 0;
	if (!nx || !ny)
		return 1;
	if ((nx <= 8 || ny <= 8) && ties == 0)
		return exact_sf((unsigned)nx, (unsigned)ny, *u);
	mu = (double)nx * ny / 2;
	s = sqrt((double)nx * ny / 12 * ((double)(n + 1) - ties / ((double)n * (n - 1))));
	if (!(s > 0))
		return 1;
	p = norm_cdf(-(*u - mu - 0.5) / s);
	return p > 1 ? 1 : p;
}
