#include "plot.h"
#include "util/util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int plot_available(void)
{
	return system("command -v gnuplot >/dev/null 2>&1") == 0;
}

/* s with every occurrence of each from[i] followed by prefix. */
static char *prefix_ids(const char *s, const char *prefix)
{
	static const char *const from[] = { "id='", "id=\"", "href='#", "href=\"#", "url(#" };
	size_t cap = strlen(s) * 2 + 64, n = 0, pl = strlen(prefix);
	char *out = xcalloc(cap, 1);

	while (*s) {
		size_t k, fl = 0;

		for (k = 0; k < ARRAY_LEN(from) && !fl; k++)
			if (!strncmp(s, from[k], strlen(from[k])))
				fl = strlen(from[k]);
		if (n + fl + pl + 2 > cap)
			out = xrealloc(out, cap *= 2);
		if (fl) {
			memcpy(out + n, s, fl);
			memcpy(out + n + fl, prefix, pl);
			n += fl + pl;
			s += fl;
		} else {
			out[n++] = *s++;
		}
	}
	out[n] = '\0';
	return out;
}

char *plot_svg(const char *script, const char *prefix, char *err, size_t errlen)
{
	char in[] = "/tmp/allocrepro-plot-XXXXXX", *cmd, *svg = NULL, *start;
	size_t cap = 1 << 16, n = 0;
	int fd = mkstemp(in), status;
	char *errpath = xasprintf("%s.err", in);
	FILE *p;

	if (fd < 0 || write_all(fd, script, strlen(script))) {
		snprintf(err, errlen, "plot: %s: %s", in, strerror(errno));
		goto out;
	}
	cmd = xasprintf("gnuplot '%s' 2>'%s'", in, errpath);
	p = popen(cmd, "r");
	free(cmd);
	svg = p ? xcalloc(cap, 1) : NULL;
	while (p) {
		size_t got = fread(svg + n, 1, cap - n - 1, p);

		if (!got)
			break;
		n += got;
		if (cap - n < 4096)
			svg = xrealloc(svg, cap *= 2);
	}
	status = p ? pclose(p) : -1;
	if (svg)
		svg[n] = '\0';
	start = svg ? strstr(svg, "<svg") : NULL;
	if (!start || !WIFEXITED(status) || WEXITSTATUS(status)) {
		char *e = read_file(errpath, NULL);

		snprintf(err, errlen, "gnuplot: %.*s", e ? (int)strcspn(e, "\n") : 40,
			 e && *e ? e : "not found or failed (install gnuplot-nox)");
		free(e);
		free(svg);
		svg = NULL;
		goto out;
	}
	start = prefix_ids(start, prefix);
	free(svg);
	svg = start;
out:
	if (fd >= 0)
		close(fd);
	unlink(in);
	unlink(errpath);
	free(errpath);
	return svg;
}
