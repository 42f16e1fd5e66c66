/* Where allocrepro finds its lab scripts (ci/) and keeps its cache. */
#ifndef ALLOCREPRO_PATHS_H
#define ALLOCREPRO_PATHS_H

/* Directory holding ci/ (the source tree, or the installed data dir). */
const char *data_dir(void);
/* Kernel, module and image cache. */
const char *cache_dir(void);

#endif
