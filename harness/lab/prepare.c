/* What a lab boot needs on the host: KVM when it works, the kernel, module
 * and base image that ci/lab-prepare.sh fetches and builds into the cache. */
#include "lab.h"
#include "paths.h"
#include "util/util.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

bool lab_kvm_usable(void)
{
	char *cpu = read_file("/proc/cpuinfo", NULL);
	bool virt = cpu && (strstr(cpu, " vmx") || strstr(cpu, " svm"));
	int fd, vm;

	free(cpu);
	/* Sandboxes expose a /dev/kvm that creates VMs which never run:
	 * without VMX/SVM on the CPU, do not trust it. */
	if (!virt)
		return false;
	fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return false;
	/* A module without usable hardware support fails here. */
	vm = ioctl(fd, KVM_GET_API_VERSION, 0) == KVM_API_VERSION ? ioctl(fd, KVM_CREATE_VM, 0) : -1;
	if (vm >= 0)
		close(vm);
	close(fd);
	return vm >= 0;
}

/* Run ci/lab-prepare.sh and read its KEY=value lines. */
static int prepare_run(const struct lab_opts *o, struct lab_env *env)
{
	char *self = exe_dir();
	char *guest_bin = getenv("ALLOCREPRO_GUEST_BIN") ? xstrdup(getenv("ALLOCREPRO_GUEST_BIN"))
							 : path_join(self, "allocrepro");
	char *guest32 = getenv("ALLOCREPRO_GUEST_BIN_I386") ?
			xstrdup(getenv("ALLOCREPRO_GUEST_BIN_I386")) :
			path_join(self, "allocrepro-i386");
	char *cmd = xasprintf("'%s/ci/lab-prepare.sh' '%s' '%s' '%s' '%s'", data_dir(), o->kernel,
			      cache_dir(), guest_bin, guest32);
	FILE *p;

	/* --kmod: lab-prepare.sh checks it was built for this kernel */
	if (o->kmod)
		setenv("ALLOCREPRO_LAB_KMOD", o->kmod, 1);
	else
		unsetenv("ALLOCREPRO_LAB_KMOD");
	p = popen(cmd, "r");
	char line[4200];
	int st;

	free(cmd);
	free(guest_bin);
	free(guest32);
	free(self);
	if (!p)
		return EXIT_INFRA;
	memset(env, 0, sizeof(*env));
	while (fgets(line, sizeof(line), p)) {
		line[strcspn(line, "\n")] = '\0';
		if (!strncmp(line, "RELEASE=", 8))
			snprintf(env->release, sizeof(env->release), "%.*s", (int)sizeof(env->release) - 1, line + 8);
		else if (!strncmp(line, "ARCH=", 5))
			snprintf(env->arch, sizeof(env->arch), "%.*s", (int)sizeof(env->arch) - 1, line + 5);
		else if (!strncmp(line, "VMLINUZ=", 8))
			snprintf(env->vmlinuz, sizeof(env->vmlinuz), "%.*s", (int)sizeof(env->vmlinuz) - 1, line + 8);
		else if (!strncmp(line, "INITRD=", 7))
			snprintf(env->initrd, sizeof(env->initrd), "%.*s", (int)sizeof(env->initrd) - 1, line + 7);
		else if (!strncmp(line, "STRESSNG=", 9))
			snprintf(env->stressng, sizeof(env->stressng), "%.*s",
				 (int)sizeof(env->stressng) - 1, line + 9);
		else if (!strncmp(line, "MODULE=", 7))
			snprintf(env->module, sizeof(env->module), "%.*s",
				 (int)sizeof(env->module) - 1, line + 7);
		else if (!strncmp(line, "PINNED=", 7))
			snprintf(env->pinned, sizeof(env->pinned), "%.*s",
				 (int)sizeof(env->pinned) - 1, line + 7);
		else if (!strncmp(line, "PIN_NOTE=", 9))
			snprintf(env->pin_note, sizeof(env->pin_note), "%.*s",
				 (int)sizeof(env->pin_note) - 1, line + 9);
	}
	st = pclose(p);
	if (!WIFEXITED(st) || WEXITSTATUS(st)) {
		int code = WIFEXITED(st) ? WEXITSTATUS(st) : EXIT_INFRA;

		log_msg("preparing lab kernel '%s' failed", o->kernel);
		return code == EXIT_USAGE ? EXIT_USAGE : EXIT_INFRA;
	}
	if (env->pin_note[0])
		log_msg("warning: %s (lab kernel '%s')", env->pin_note, o->kernel);
	if (!env->vmlinuz[0] || !env->initrd[0]) {
		log_msg("ci/lab-prepare.sh printed no kernel or initrd");
		return EXIT_INFRA;
	}
	return 0;
}

/* One preparation per kernel and process: a statistical run boots the
 * same kernel for every repetition, and lab-prepare.sh takes seconds even
 * when everything is cached (apt's index, the module's make). */
int lab_prepare(const struct lab_opts *o, struct lab_env *env)
{
	static struct {
		char kernel[64];
		struct lab_env env;
	} done[8];
	static size_t ndone;
	int r;

	for (size_t i = 0; i < ndone; i++)
		if (!strcmp(done[i].kernel, o->kernel)) {
			*env = done[i].env;
			return 0;
		}
	r = prepare_run(o, env);
	if (!r && ndone < ARRAY_LEN(done) && strlen(o->kernel) < sizeof(done[0].kernel)) {
		snprintf(done[ndone].kernel, sizeof(done[0].kernel), "%s", o->kernel);
		done[ndone++].env = *env;
	}
	return r;
}

int lab_kernels(void)
{
	char *conf = xasprintf("%s/ci/kernels.conf", data_dir());
	char *text = read_file(conf, NULL);

	if (!text) {
		log_msg("%s: %s", conf, strerror(errno));
		free(conf);
		return EXIT_INFRA;
	}
	printf("%-16s %-6s %s\n", "NAME", "ARCH", "CACHED RELEASE");
	for (char *s = text, *nl; s && *s; s = nl ? nl + 1 : NULL) {
		char name[64], arch[16], rel[128] = "-";

		nl = strchr(s, '\n');
		if (*s == '#' || sscanf(s, "%63s %15s", name, arch) != 2)
			continue;
		char *ptr = xasprintf("%s/kernels/%s.release", cache_dir(), name);
		char *r = read_file(ptr, NULL);

		if (r) {
			r[strcspn(r, "\n")] = '\0';
			char *done = xasprintf("%s/kernels/%s/.complete", cache_dir(), r);
			struct stat st;

			if (stat(done, &st) == 0)
				snprintf(rel, sizeof(rel), "%s", r);
			free(done);
		}
		printf("%-16s %-6s %s%s\n", name, arch, rel, strcmp(name, LAB_DEFAULT_KERNEL) ? "" : " (default)");
		free(r);
		free(ptr);
	}
	free(text);
	free(conf);
	return 0;
}

void lab_module_json(json_object *lab, const struct lab_env *env)
{
	size_t len = 0;
	char *ko = env->module[0] ? read_file(env->module, &len) : NULL;
	char sum[65];

	if (!ko)
		return;
	sha256_hex(ko, len, sum);
	json_object_object_add(lab, "module", json_object_new_string(env->module));
	json_object_object_add(lab, "module_sha256", json_object_new_string(sum));
	free(ko);
}
