/* One /dev/kmsg record "PRI,SEQ,TS_USEC,FLAGS[,...];TEXT\n[ KEY=value\n]..." */
#ifndef ALLOCREPRO_KMSG_H
#define ALLOCREPRO_KMSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct kmsg_record {
	int level;
	int facility;
	uint64_t seq;
	uint64_t ts_usec;
	bool cont;
	char text[8192];	/* unescaped message, without dictionary lines */
};

/* Pure: parse one record; false when it is not a record. */
bool kmsg_parse(const char *rec, size_t len, struct kmsg_record *out);

/* Text that may hold /dev/kmsg records ("6,123,456,-;text") as dmesg-style
 * lines ("[secs] text"); other lines pass unchanged, dictionary lines go. */
char *kmsg_to_dmesg(const char *text, size_t len, size_t *outlen);

#endif
