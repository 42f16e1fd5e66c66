#include "recorder.h"
#include "results/event_json.h"
#include "parse/kmsg.h"
#include "util/util.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define IDLE_FLUSH_NS (1500ull * 1000000ull)

void snapshot_file(struct results *res, const char *proc, const char *name, const char *tag)
{
	size_t len;
	char *text = read_file(proc, &len);
	char *file = xasprintf("%s.%s.txt", name, tag);

	if (text)
		results_replace(res, file, text, len);
	free(text);
	free(file);
}

static void snapshot_buddyinfo(struct recorder *r)
{
	char *text = read_file("/proc/buddyinfo", NULL);
	struct timespec ts;
	char *block;

	if (!text)
		return;
	clock_gettime(CLOCK_BOOTTIME, &ts);
	block = xasprintf("# uptime %ld.%03ld\n%s", (long)ts.tv_sec, ts.tv_nsec / 1000000, text);
	results_append(r->res, "buddyinfo.txt", block, strlen(block));
	free(block);
	free(text);
}

static void publish(struct recorder *r, struct event_list *fresh)
{
	for (size_t i = 0; i < fresh->n; i++) {
		json_object *o = event_to_json(&fresh->v[i]);

		results_append_json(r->res, "events.jsonl", o);
		json_object_put(o);
		pthread_mutex_lock(&r->lock);
		event_list_push(&r->events, &fresh->v[i]);
		pthread_mutex_unlock(&r->lock);
	}
	fresh->n = 0;
}

static void handle_record(struct recorder *r, const char *buf, size_t len,
			  uint64_t *expect_seq, struct event_list *fresh)
{
	static __thread struct kmsg_record rec;
	char line[8300];

	results_append(r->res, "kmsg.txt", buf, len);
	if (!kmsg_parse(buf, len, &rec))
		return;
	pthread_mutex_lock(&r->lock);
	r->records++;
	if (*expect_seq && rec.seq > *expect_seq)
		r->lost += rec.seq - *expect_seq;
	pthread_mutex_unlock(&r->lock);
	*expect_seq = rec.seq + 1;
	/* The harness's own marker: what follows belongs to that phase. */
	if (!strncmp(rec.text, PHASE_MARKER, strlen(PHASE_MARKER)))
		r->parser.phase = atoi(rec.text + strlen(PHASE_MARKER));
	/* Feed the parser the message with its timestamp, as dmesg prints it. */
	for (char *s = rec.text, *nl; s; s = nl ? nl + 1 : NULL) {
		nl = strchr(s, '\n');
		if (nl)
			*nl = '\0';
		snprintf(line, sizeof(line), "[%llu.%06llu] %s",
			 (unsigned long long)(rec.ts_usec / 1000000),
			 (unsigned long long)(rec.ts_usec % 1000000), s);
		logparse_line(&r->parser, line, fresh);
	}
}

void recorder_mark_phase(int phase, const char *what)
{
	char msg[160];
	int fd = open("/dev/kmsg", O_WRONLY | O_CLOEXEC);
	int n;

	if (fd < 0)
		return;
	n = snprintf(msg, sizeof(msg), PHASE_MARKER "%d %s\n", phase, what);
	if (write(fd, msg, (size_t)n) < 0) {
		/* rate-limited or not allowed: events just carry no phase */
	}
	close(fd);
}

static void *recorder_main(void *arg)
{
	struct recorder *r = arg;
	struct event_list fresh = { 0 };
	uint64_t expect_seq = 0, last_rec = now_ns(), last_snap = 0;
	char buf[8192 + 1];
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0) {
		r->error = errno;
		log_msg("cannot read /dev/kmsg: %s", strerror(errno));
	} else if (!r->from_boot) {
		lseek(fd, 0, SEEK_END);
	}
	for (;;) {
		bool stopping = r->stop;
		ssize_t n = -1;

		if (now_ns() - last_snap >= (uint64_t)r->snapshot_ms * 1000000ull) {
			snapshot_buddyinfo(r);
			last_snap = now_ns();
		}
		if (fd >= 0)
			n = read(fd, buf, sizeof(buf) - 1);
		if (n > 0) {
			handle_record(r, buf, (size_t)n, &expect_seq, &fresh);
			last_rec = now_ns();
			r->last_record_ns = last_rec;
			publish(r, &fresh);
			continue;
		}
		if (n < 0 && errno == EPIPE) {
			/* The ring buffer overwrote records we had not read. */
			pthread_mutex_lock(&r->lock);
			r->overruns++;
			pthread_mutex_unlock(&r->lock);
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		/* Nothing new: a report that went quiet is complete. */
		if (now_ns() - last_rec > IDLE_FLUSH_NS || stopping) {
			logparse_flush(&r->parser, &fresh);
			publish(r, &fresh);
		}
		if (stopping)
			break;
		if (fd >= 0) {
			struct pollfd p = { .fd = fd, .events = POLLIN };

			poll(&p, 1, 200);
		} else {
			sleep_ms(200);
		}
	}
	snapshot_buddyinfo(r);
	if (fd >= 0)
		close(fd);
	event_list_free(&fresh);
	return NULL;
}

int recorder_start(struct recorder *r, struct results *res, bool from_boot)
{
	memset(r, 0, sizeof(*r));
	r->res = res;
	r->from_boot = from_boot;
	r->snapshot_ms = 1000;
	pthread_mutex_init(&r->lock, NULL);
	logparse_init(&r->parser);
	if (pthread_create(&r->thread, NULL, recorder_main, r)) {
		log_msg("cannot start the recorder thread");
		return -1;
	}
	return 0;
}

void recorder_wait_quiet(struct recorder *r, unsigned quiet_ms, unsigned max_ms)
{
	uint64_t t0 = now_ns(), quiet = (uint64_t)quiet_ms * 1000000ull;

	while (now_ns() - t0 < (uint64_t)max_ms * 1000000ull &&
	       now_ns() - (r->last_record_ns > t0 ? r->last_record_ns : t0) < quiet)
		sleep_ms(50);
}

void recorder_stop(struct recorder *r)
{
	r->stop = true;
	pthread_join(r->thread, NULL);
}

json_object *recorder_json(const struct recorder *r)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "kmsg_records", json_object_new_int64((int64_t)r->records));
	json_object_object_add(o, "kmsg_lost", json_object_new_int64((int64_t)r->lost));
	json_object_object_add(o, "kmsg_overruns", json_object_new_int64((int64_t)r->overruns));
	json_object_object_add(o, "events", json_object_new_int64((int64_t)r->events.n));
	return o;
}
