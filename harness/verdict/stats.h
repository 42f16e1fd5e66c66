/* Statistics for mitigation verdicts: repetitions are the unit of
 * independence; Fisher's exact test compares failing repetitions. */
#ifndef ALLOCREPRO_STATS_H
#define ALLOCREPRO_STATS_H

/*
 * One-sided Fisher exact test: the probability, with the margins fixed and
 * no difference between the arms, that the mitigation arm shows k_m or
 * fewer failing repetitions out of n_m while the baseline shows k_b of n_b.
 */
double fisher_one_sided(unsigned k_b, unsigned n_b, unsigned k_m, unsigned n_m);

/* Smallest whole k with k >= ratio * n (at least 1). */
unsigned stats_needed(double ratio, unsigned n);

#endif
