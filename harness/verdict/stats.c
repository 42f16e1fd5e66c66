#include "stats.h"

#include <math.h>
#include <stdlib.h>

static double log_choose(unsigned n, unsigned k)
{
	return lgamma((double)n + 1) - lgamma((double)k + 1) - lgamma((double)(n - k) + 1);
}

/* P(X in [from, to]) for X, the failures that land in the mitigation arm
 * when K = k_b + k_m failures are spread over both arms at random. */
static double hypergeom_range(unsigned k_b, unsigned n_b, unsigned k_m, unsigned n_m,
			      unsigned from, unsigned to)
{
	unsigned K = k_b + k_m, N = n_b + n_m;
	unsigned lo = K > n_b ? K - n_b : 0, hi = K < n_m ? K : n_m;
	double p = 0, denom = log_choose(N, K);

	for (unsigned x = from > lo ? from : lo; x <= to && x <= hi; x++)
		p += exp(log_choose(n_m, x) + log_choose(n_b, K - x) - denom);
	return p > 1 ? 1 : p;
}

double fisher_one_sided(unsigned k_b, unsigned n_b, unsigned k_m, unsigned n_m)
{
	if (!n_b || !n_m || k_b > n_b || k_m > n_m)
		return 1;
	return hypergeom_range(k_b, n_b, k_m, n_m, 0, k_m);
}

double fisher_worse(unsigned k_b, unsigned n_b, unsigned k_m, unsigned n_m)
{
	if (!n_b || !n_m || k_b > n_b || k_m > n_m)
		return 1;
	return hypergeom_range(k_b, n_b, k_m, n_m, k_m, n_m);
}

double fisher_two_sided(unsigned k_a, unsigned n_a, unsigned k_b, unsigned n_b)
{
	unsigned K = k_a + k_b, lo, hi;
	double denom, obs, p = 0;

	if (!n_a || !n_b || k_a > n_a || k_b > n_b)
		return 1;
	lo = K > n_a ? K - n_a : 0;
	hi = K < n_b ? K : n_b;
	denom = log_choose(n_a + n_b, K);
	obs = log_choose(n_b, k_b) + log_choose(n_a, K - k_b) - denom;
	/* every table no more likely than the one observed (SciPy's relative
	 * tolerance of 1e-7 on the probability) */
	for (unsigned x = lo; x <= hi; x++) {
		double lp = log_choose(n_b, x) + log_choose(n_a, K - x) - denom;

		if (lp <= obs + 1e-7)
			p += exp(lp);
	}
	return p > 1 ? 1 : p;
}

double binom_pmf(unsigned k, unsigned n, double p)
{
	if (k > n)
		return 0;
	if (p <= 0)
		return k == 0;
	if (p >= 1)
		return k == n;
	return exp(log_choose(n, k) + k * log(p) + (n - k) * log1p(-p));
}

/* P(X >= k) for X ~ Bin(n, p) */
static double binom_sf_incl(unsigned k, unsigned n, double p)
{
	double s = 0;

	for (unsigned i = k; i <= n; i++)
		s += binom_pmf(i, n, p);
	return s;
}

/* The p in (0, 1) where the monotone tail(p) crosses target, by bisection;
 * rising says whether tail grows with p. */
static double bisect_rate(unsigned k, unsigned n, double target, int rising)
{
	double lo = 0, hi = 1;

	for (int i = 0; i < 200 && hi - lo > 1e-15; i++) {
		double mid = (lo + hi) / 2;
		double t = rising ? binom_sf_incl(k, n, mid) : 1 - binom_sf_incl(k + 1, n, mid);

		if ((t < target) == (rising != 0))
			lo = mid;
		else
			hi = mid;
	}
	return (lo + hi) / 2;
}

struct interval ci_clopper_pearson(unsigned k, unsigned n, double conf)
{
	double a = (1 - conf) / 2;
	struct interval r = { 0, 1 };

	if (!n || k > n)
		return r;
	if (k > 0)
		r.lo = bisect_rate(k, n, a, 1);
	if (k < n)
		r.hi = bisect_rate(k, n, a, 0);
	return r;
}

struct interval ci_wilson(unsigned k, unsigned n, double conf)
{
	double z = norm_ppf(1 - (1 - conf) / 2), z2 = z * z;
	double c, h;
	struct interval r = { 0, 1 };

	if (!n || k > n)
		return r;
	c = (k + z2 / 2) / (n + z2);
	h = z / (n + z2) * sqrt((double)k * (n - k) / n + z2 / 4);
	r.lo = c - h < 0 ? 0 : c - h;
	r.hi = c + h > 1 ? 1 : c + h;
	return r;
}

struct interval ci_newcombe_diff(unsigned k1, unsigned n1, unsigned k2, unsigned n2, double conf)
{
	struct interval a = ci_wilson(k1, n1, conf), b = ci_wilson(k2, n2, conf), r = { -1, 1 };
	double p1, p2, d;

	if (!n1 || !n2)
		return r;
	p1 = (double)k1 / n1;
	p2 = (double)k2 / n2;
	d = p1 - p2;
	r.lo = d - sqrt((p1 - a.lo) * (p1 - a.lo) + (b.hi - p2) * (b.hi - p2));
	r.hi = d + sqrt((a.hi - p1) * (a.hi - p1) + (p2 - b.lo) * (p2 - b.lo));
	return r;
}

double norm_cdf(double z)
{
	return 0.5 * erfc(-z / sqrt(2));
}

/* Acklam's rational approximation, polished by one Halley step. */
double norm_ppf(double p)
{
	static const double a[] = { -3.969683028665376e+01, 2.209460984245205e+02,
		-2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01,
		2.506628277459239e+00 };
	static const double b[] = { -5.447609879822406e+01, 1.615858368580409e+02,
		-1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01 };
	static const double c[] = { -7.784894002430293e-03, -3.223964580411365e-01,
		-2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00,
		2.938163982698783e+00 };
	static const double d[] = { 7.784695709041462e-03, 3.224671290700398e-01,
		2.445134137142996e+00, 3.754408661907416e+00 };
	double q, r, x, e, u;

	if (p <= 0)
		return -INFINITY;
	if (p >= 1)
		return INFINITY;
	if (p < 0.02425 || p > 1 - 0.02425) {
		q = sqrt(-2 * log(p < 0.5 ? p : 1 - p));
		x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
		    ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
		if (p > 0.5)
			x = -x;
	} else {
		q = p - 0.5;
		r = q * q;
		x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
		    (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
	}
	/* in the upper tail, the error on the upper tail's own scale */
	e = p > 0.5 ? (1 - p) - 0.5 * erfc(x / sqrt(2)) : norm_cdf(x) - p;
	u = e * sqrt(2 * M_PI) * exp(x * x / 2);
	return x - u / (1 + x * u / 2);
}

struct ranked_p {
	double p;
	size_t i;
};

static int by_p(const void *a, const void *b)
{
	double x = ((const struct ranked_p *)a)->p, y = ((const struct ranked_p *)b)->p;

	return (x > y) - (x < y);
}

void holm_adjust(const double *p, size_t n, double *adj)
{
	struct ranked_p *r = calloc(n + 1, sizeof(*r));
	double run = 0;

	if (!r)
		abort();
	for (size_t i = 0; i < n; i++)
		r[i] = (struct ranked_p){ p[i], i };
	qsort(r, n, sizeof(*r), by_p);
	for (size_t k = 0; k < n; k++) {
		double v = (double)(n - k) * r[k].p;

		run = v > run ? v : run;
		adj[r[k].i] = run > 1 ? 1 : run;
	}
	free(r);
}

unsigned stats_needed(double ratio, unsigned n)
{
	unsigned k = (unsigned)ceil(ratio * n - 1e-9);

	return k ? k : 1;
}
