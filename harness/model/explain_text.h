#ifndef ALLOCREPRO_EXPLAIN_TEXT_H
#define ALLOCREPRO_EXPLAIN_TEXT_H

#include <stdio.h>
#include "diagnose.h"

/* prev: the last diagnosis printed in full, to fold repeats; may be NULL. */
void explain_print(FILE *f, const struct event *e, const struct diagnosis *d,
		   const struct diagnosis *prev);

#endif
