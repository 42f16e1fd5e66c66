/* A minimal "newc" cpio writer: the per-run overlay appended to the guest's
 * initramfs (the kernel unpacks concatenated archives in order). */
#ifndef ALLOCREPRO_CPIO_H
#define ALLOCREPRO_CPIO_H

#include <stdio.h>
#include <stddef.h>

void cpio_add_dir(FILE *f, const char *name);
void cpio_add_file(FILE *f, const char *name, const void *data, size_t len, unsigned mode);
void cpio_finish(FILE *f);

#endif
