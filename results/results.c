#include "results.h"
#include "util/util.h"

#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

/* The files of the results layout; other files in the directory are left. */
static const char *const run_files[] = { "events.jsonl", "kmsg.txt", "phases.jsonl",
	"buddyinfo.txt", "samples.jsonl", "summary.json", "manifest.json", "scenario.yaml", "tap.txt", "console.log",
	"console.boot-*.log",
	"guest-stream.bin", "qemu.pid", "qemu.log", "qemu.cmdline", "exec-*.log",
	"*.start.txt", "*.end.txt" };

void results_clear(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d)) != NULL)
		for (size_t i = 0; i < ARRAY_LEN(run_files); i++)
			if (!fnmatch(run_files[i], e->d_name, 0)) {
				char *p = path_join(dir, e->d_name);

				unlink(p);
				free(p);
				break;
			}
	closedir(d);
}

int results_open(struct results *r, const char *dir, const char *stream_path)
{
	memset(r, 0, sizeof(*r));
	r->stream_fd = -1;
	pthread_mutex_init(&r->lock, NULL);
	if (mkdir_p(dir, 0755) < 0) {
		log_msg("cannot create results directory %s: %s", dir, strerror(errno));
		return -1;
	}
	/* files are appended as the run goes: a previous run's would mix in */
	results_clear(dir);
	r->dir = xstrdup(dir);
	if (stream_path) {
		struct termios t;

		r->stream_fd = open(stream_path, O_WRONLY | O_NOCTTY | O_CLOEXEC);
		if (r->stream_fd < 0) {
			log_msg("cannot open stream %s: %s", stream_path, strerror(errno));
			return -1;
		}
		/* A serial port must pass bytes unchanged (no \n -> \r\n). */
		if (tcgetattr(r->stream_fd, &t) == 0) {
			cfmakeraw(&t);
			tcsetattr(r->stream_fd, TCSANOW, &t);
		}
	}
	return 0;
}

int results_attach(struct results *r, const char *dir)
{
	memset(r, 0, sizeof(*r));
	r->stream_fd = -1;
	pthread_mutex_init(&r->lock, NULL);
	if (mkdir_p(dir, 0755) < 0) {
		log_msg("cannot create results directory %s: %s", dir, strerror(errno));
		pthread_mutex_destroy(&r->lock);
		return -1;
	}
	r->dir = xstrdup(dir);
	return 0;
}

void results_close(struct results *r)
{
	if (r->stream_fd >= 0)
		close(r->stream_fd);
	free(r->dir);
	pthread_mutex_destroy(&r->lock);
}

static int mirror(struct results *r, char op, const char *file, const char *data, size_t len)
{
	char hdr[300];
	int n;

	if (r->stream_fd < 0)
		return 0;
	n = snprintf(hdr, sizeof(hdr), "%c%s %zu\n", op, file, len);
	if (write_all(r->stream_fd, hdr, (size_t)n) || write_all(r->stream_fd, data, len))
		return -1;
	return 0;
}

int results_append(struct results *r, const char *file, const char *data, size_t len)
{
	char *path = path_join(r->dir, file);
	int fd, ret = -1;

	pthread_mutex_lock(&r->lock);
	fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (fd >= 0) {
		ret = write_all(fd, data, len);
		close(fd);
	}
	if (mirror(r, '+', file, data, len))
		ret = -1;
	pthread_mutex_unlock(&r->lock);
	free(path);
	return ret;
}

int results_replace(struct results *r, const char *file, const char *data, size_t len)
{
	char *path = path_join(r->dir, file);
	int ret;

	pthread_mutex_lock(&r->lock);
	ret = write_file_atomic(path, data, len);
	if (mirror(r, '=', file, data, len))
		ret = -1;
	pthread_mutex_unlock(&r->lock);
	free(path);
	return ret;
}

int results_append_json(struct results *r, const char *file, json_object *o)
{
	size_t len;
	const char *s = json_object_to_json_string_length(o, JSON_C_TO_STRING_PLAIN |
							  JSON_C_TO_STRING_NOSLASHESCAPE, &len);
	char *line = xasprintf("%s\n", s);
	int ret = results_append(r, file, line, len + 1);

	free(line);
	return ret;
}

int results_keep(struct results *r, const char *src, const char *file)
{
	size_t len;
	char *text = read_file(src, &len);
	int ret = text ? results_replace(r, file, text, len) : -1;

	free(text);
	return ret;
}

int results_write_json(struct results *r, const char *file, json_object *o)
{
	const char *s = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
						       JSON_C_TO_STRING_NOSLASHESCAPE);
	char *text = xasprintf("%s\n", s);
	int ret = results_replace(r, file, text, strlen(text));

	free(text);
	return ret;
}

void results_end(struct results *r, int exit_code)
{
	char code[16];
	int n = snprintf(code, sizeof(code), "%d", exit_code);

	pthread_mutex_lock(&r->lock);
	mirror(r, '=', ".end", code, (size_t)n);
	pthread_mutex_unlock(&r->lock);
}

static bool safe_name(const char *f)
{
	if (!*f || f[0] == '/' || strstr(f, ".."))
		return false;
	for (; *f; f++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-", *f))
			return false;
	return true;
}

long results_demux(const char *dir, const char *buf, size_t len, bool *ended, int *exit_code)
{
	size_t pos = 0;

	while (pos < len) {
		const char *nl = memchr(buf + pos, '\n', len - pos);
		char op, file[256];
		size_t flen;
		char *end;

		if (!nl)
			break;
		op = buf[pos];
		const char *sp = memchr(buf + pos, ' ', (size_t)(nl - buf - pos));

		if ((op != '+' && op != '=') || !sp || (size_t)(sp - buf - pos - 1) >= sizeof(file))
			return -1;
		memcpy(file, buf + pos + 1, (size_t)(sp - buf - pos - 1));
		file[sp - buf - pos - 1] = '\0';
		errno = 0;
		flen = strtoul(sp + 1, &end, 10);
		if (errno || end != nl)
			return -1;
		if ((size_t)(nl + 1 - buf) + flen > len)
			break;	/* frame not complete yet */
		const char *data = nl + 1;

		if (!strcmp(file, ".end")) {
			char code[16];

			snprintf(code, sizeof(code), "%.*s", (int)(flen < 15 ? flen : 15), data);
			*ended = true;
			*exit_code = atoi(code);
		} else {
			char *path;

			if (!safe_name(file))
				return -1;
			path = path_join(dir, file);
			if (op == '=') {
				write_file_atomic(path, data, flen);
			} else {
				int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);

				if (fd >= 0) {
					write_all(fd, data, flen);
					close(fd);
				}
			}
			free(path);
		}
		pos = (size_t)(data - buf) + flen;
	}
	return (long)pos;
}
