/* Just enough of QEMU's machine protocol (QMP) to save a guest and wait
 * for a restored one: a command, its reply. */
#ifndef ALLOCREPRO_LAB_QMP_H
#define ALLOCREPRO_LAB_QMP_H

#include <json-c/json.h>

struct qmp {
	int fd;
	char buf[65536];
	size_t len;
};

/* Connect to QEMU's QMP socket at path (retrying until timeout_ms while
 * QEMU starts) and leave the greeting's capability negotiation; 0 or -1. */
int qmp_open(struct qmp *q, const char *path, unsigned timeout_ms);
/* Run one command (a JSON object's text); its "return" value (put it), or
 * NULL on an error reply or a dead connection (said, with what). */
json_object *qmp_cmd(struct qmp *q, const char *cmd);
void qmp_close(struct qmp *q);

#endif
