/* A QMP client: one command at a time, asynchronous events skipped. */
#include "qmp.h"
#include "util/util.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define QMP_REPLY_MS 30000	/* a reply takes milliseconds; QEMU is stuck past this */

/* The next line QEMU sends, parsed; NULL at EOF, timeout or bad JSON. */
static json_object *qmp_read(struct qmp *q)
{
	for (;;) {
		char *nl = memchr(q->buf, '\n', q->len);
		struct pollfd p = { .fd = q->fd, .events = POLLIN };
		ssize_t r;

		if (nl) {
			json_object *o;

			*nl = '\0';
			o = json_tokener_parse(q->buf);
			q->len -= (size_t)(nl + 1 - q->buf);
			memmove(q->buf, nl + 1, q->len);
			return o;
		}
		if (q->len == sizeof(q->buf) || poll(&p, 1, QMP_REPLY_MS) != 1)
			return NULL;
		r = read(q->fd, q->buf + q->len, sizeof(q->buf) - q->len);
		if (r <= 0)
			return NULL;
		q->len += (size_t)r;
	}
}

json_object *qmp_cmd(struct qmp *q, const char *cmd)
{
	size_t n = strlen(cmd);

	if (write(q->fd, cmd, n) != (ssize_t)n || write(q->fd, "\n", 1) != 1) {
		log_msg("qmp: %s: %s", cmd, strerror(errno));
		return NULL;
	}
	for (;;) {
		json_object *o = qmp_read(q), *v;

		if (!o) {
			log_msg("qmp: no reply to %s", cmd);
			return NULL;
		}
		if (json_object_object_get_ex(o, "return", &v)) {
			json_object_get(v);
			json_object_put(o);
			return v;
		}
		if (json_object_object_get_ex(o, "error", &v)) {
			log_msg("qmp: %s: %s", cmd, json_object_to_json_string(v));
			json_object_put(o);
			return NULL;
		}
		json_object_put(o);	/* an event */
	}
}

int qmp_open(struct qmp *q, const char *path, unsigned timeout_ms)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	uint64_t end = now_ns() + (uint64_t)timeout_ms * 1000000u;
	json_object *o;

	q->len = 0;
	q->fd = -1;
	if (strlen(path) >= sizeof(a.sun_path)) {
		log_msg("qmp: socket path too long: %s", path);
		return -1;
	}
	memcpy(a.sun_path, path, strlen(path) + 1);
	while (q->fd < 0) {
		q->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (q->fd < 0)
			return -1;
		if (!connect(q->fd, (struct sockaddr *)&a, sizeof(a)))
			break;
		close(q->fd);
		q->fd = -1;
		if (now_ns() > end) {
			log_msg("qmp: cannot connect to %s: %s", path, strerror(errno));
			return -1;
		}
		sleep_ms(20);
	}
	o = qmp_read(q);	/* the greeting */
	json_object_put(o);
	o = o ? qmp_cmd(q, "{\"execute\":\"qmp_capabilities\"}") : NULL;
	if (!o) {
		qmp_close(q);
		return -1;
	}
	json_object_put(o);
	return 0;
}

void qmp_close(struct qmp *q)
{
	if (q->fd >= 0)
		close(q->fd);
	q->fd = -1;
}
