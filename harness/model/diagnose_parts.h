/* Shared by diagnose.c (the verdict per zone and the cause) and
 * mitigate.c (what to do about the cause).  Internal to model/. */
#ifndef ALLOCREPRO_DIAGNOSE_PARTS_H
#define ALLOCREPRO_DIAGNOSE_PARTS_H

#include <stddef.h>

#include "diagnose.h"

/* Append to a NUL-terminated buffer, silently cut at size. */
void dg_addf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* A mitigation with its reason (dropped past DG_MAX_MITIGATIONS). */
void dg_mitigate(struct diagnosis *d, const char *action, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* "Node 0 Normal" or "Normal", in buf. */
const char *dg_zlabel(const struct dg_zone *g, char *buf, size_t size);
/* mitigate.c: the mitigations of d->cause, in the order to try them. */
void dg_mitigations(struct diagnosis *d, const struct event *e);

#endif
