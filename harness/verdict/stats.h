/*
 * Statistics for mitigation verdicts.  The repetition is the unit of
 * independence: failing repetitions are compared by Fisher's exact test,
 * with intervals for each arm's failure rate and for their difference;
 * the helper module's failed-attempt counts by a rank test.  Each function
 * is checked against SciPy/statsmodels in tests/stats-scipy.t.
 */
#ifndef ALLOCREPRO_STATS_H
#define ALLOCREPRO_STATS_H

#include <stddef.h>

struct interval {
	double lo, hi;
};

/*
 * One-sided Fisher exact test that the mitigation arm fails less: with the
 * margins fixed and no difference between the arms, the probability that
 * the mitigation shows k_m or fewer failing repetitions of n_m while the
 * baseline shows k_b of n_b (scipy fisher_exact, alternative="greater" on
 * [[k_b, n_b - k_b], [k_m, n_m - k_m]]).
 */
double fisher_one_sided(unsigned k_b, unsigned n_b, unsigned k_m, unsigned n_m);

/* The other tail: that the mitigation fails more (k_m or more). */
double fisher_worse(unsigned k_b, unsigned n_b, unsigned k_m, unsigned n_m);

/* Two-sided Fisher exact test of k_a of n_a against k_b of n_b: the
 * probability of the tables with these margins no more likely than this
 * one (scipy fisher_exact, alternative="two-sided").  compare's test. */
double fisher_two_sided(unsigned k_a, unsigned n_a, unsigned k_b, unsigned n_b);

/* Binomial probability of exactly k in n at rate p. */
double binom_pmf(unsigned k, unsigned n, double p);

/* Two-sided intervals for k of n at confidence conf (0.95). */
struct interval ci_clopper_pearson(unsigned k, unsigned n, double conf);
struct interval ci_wilson(unsigned k, unsigned n, double conf);

/* Newcombe's hybrid score interval (from Wilson's) for k1/n1 - k2/n2. */
struct interval ci_newcombe_diff(unsigned k1, unsigned n1, unsigned k2, unsigned n2, double conf);

/* Standard normal distribution and its quantile. */
double norm_cdf(double z);
double norm_ppf(double p);

/* Holm's step-down adjustment of n p-values into adj (may alias p). */
void holm_adjust(const double *p, size_t n, double *adj);

/*
 * Mann-Whitney U test that x tends to be greater than y.  Returns the p
 * value, stores U of x in *u.  Exact when either sample has at most 8
 * values and there are no ties; else the normal approximation with tie
 * and continuity correction (scipy mannwhitneyu, method="auto").  1 when
 * a sample is empty or every value is tied (nothing to rank).
 */
double mann_whitney_greater(const double *x, size_t nx, const double *y, size_t ny, double *u);

/* Smallest whole k with k >= ratio * n (at least 1). */
unsigned stats_needed(double ratio, unsigned n);

/*
 * Power of the one-sided Fisher test at level alpha with n repetitions per
 * arm, when the baseline fails at rate p_b and the mitigation at p_m
 * (exact, by enumerating both binomials).
 */
double fisher_power(double p_b, double p_m, unsigned n, double alpha);

/*
 * Repetitions per arm that give the Fisher test at least power 0.8 at
 * level alpha for rates p_b and p_m; 0 when more than max would be needed.
 */
unsigned fisher_reps_for_power(double p_b, double p_m, double alpha, unsigned max);

/*
 * The paired design (stats_paired.c): n pairs of a baseline and a
 * mitigation repetition that continued from one prepared state; b pairs
 * where only the baseline reproduced, c where only the mitigation did.
 */

/* McNemar's exact test that the mitigation fails less: P(X >= b) for X ~
 * Bin(b + c, 1/2) (scipy binomtest(b, b + c, alternative="greater")); 1
 * without discordant pairs.  mcnemar_greater(c, b) is the other tail. */
double mcnemar_greater(unsigned b, unsigned c);

/* A one-sided upper bound at level on the reduction in failure rate
 * p10 - p01: the Clopper-Pearson bound on p10 = b / n, exact and
 * conservative by p01. */
double paired_reduction_upper(unsigned b, unsigned n, double level);

/* Power of that test at level alpha with n pairs, when a pair is
 * baseline-only at rate p10 and mitigation-only at p01 (exact). */
double mcnemar_power(double p10, double p01, unsigned n, double alpha);

/* Pairs for power 0.8 at alpha; 0 when more than max would be needed. */
unsigned mcnemar_pairs_for_power(double p10, double p01, double alpha, unsigned max);

/*
 * Wilcoxon's signed-rank test that the differences d (baseline minus
 * mitigation, per pair) tend to be positive.  Zero differences are
 * dropped; exact with no ties among at most 50, else the normal
 * approximation with tie and continuity correction (scipy wilcoxon,
 * zero_method="wilcox", on the nonzero differences, method "exact" or
 * "approx" with correction=True).  Stores W+ in *w_plus; 1 when no
 * difference is nonzero.
 */
double wilcoxon_greater(const double *d, size_t n, double *w_plus);

#endif
