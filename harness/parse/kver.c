#include "kver.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

bool kver_parse(const char *release, struct kver *out)
{
	const char *s = release;
	char *end;
	long v[3] = { 0, 0, 0 };
	int n = 0;

	memset(out, 0, sizeof(*out));
	if (!s)
		return false;
	while (*s == ' ' || *s == 'v')
		s++;
	while (n < 3 && isdigit((unsigned char)*s)) {
		v[n] = strtol(s, &end, 10);
		if (v[n] > 1000)
			return false;
		n++;
		s = end;
		if (*s != '.')
			break;
		s++;
	}
	/* Real releases start 2.6 or later; anything else is not a release. */
	if (n < 2 || v[0] < 2 || v[0] > 99 || (v[0] == 2 && v[1] < 6))
		return false;
	out->major = (int)v[0];
	out->minor = (int)v[1];
	out->patch = (int)v[2];
	return true;
}

int kver_code(const struct kver *v)
{
	return KV(v->major, v->minor) + (v->patch > 255 ? 255 : v->patch);
}

bool kver_known(const struct kver *v)
{
	return v->major != 0;
}
