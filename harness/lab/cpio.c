#include "cpio.h"

#include <string.h>

static unsigned ino = 1000;

static void pad4(FILE *f, size_t n)
{
	while (n++ % 4)
		fputc(0, f);
}

static void entry(FILE *f, const char *name, unsigned mode, const void *data, size_t len)
{
	size_t nlen = strlen(name) + 1;

	fprintf(f, "070701%08X%08X%08X%08X%08X%08X%08zX%08X%08X%08X%08X%08zX%08X",
		ino++, mode, 0u, 0u, 1u, 0u, len, 0u, 0u, 0u, 0u, nlen, 0u);
	fwrite(name, 1, nlen, f);
	pad4(f, 110 + nlen);
	if (len)
		fwrite(data, 1, len, f);
	pad4(f, len);
}

void cpio_add_dir(FILE *f, const char *name)
{
	entry(f, name, 040755, NULL, 0);
}

void cpio_add_file(FILE *f, const char *name, const void *data, size_t len, unsigned mode)
{
	entry(f, name, 0100000 | mode, data, len);
}

void cpio_finish(FILE *f)
{
	entry(f, "TRAILER!!!", 0, NULL, 0);
}
