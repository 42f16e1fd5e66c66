# allocrepro: build, test, run the lab.
#   make            the program, its 32-bit guest build and the helper module
#   make check      the test suite's first tier (unit, CLI, fuzzing, a boot per
#                   lab kernel, one reduced seed), under ASan/UBSan, ~12 min warm
#   make check-lab  the long lab tests; make check T=NAME runs a selection
#   make demo       the main job: the seed scenarios in the QEMU lab
#   make install    PREFIX=/usr/local DESTDIR=
PREFIX ?= /usr/local
DESTDIR ?=
BUILD := build
# Kernels, headers, sysroots and images: one cache for every clone of the
# repository (and the installed program), keyed by release and content.
ALLOCREPRO_CACHE ?= $(if $(XDG_CACHE_HOME),$(XDG_CACHE_HOME)/allocrepro,$(if \
	$(filter 0,$(shell id -u)),/var/cache/allocrepro,$(HOME)/.cache/allocrepro))
CACHE := $(abspath $(ALLOCREPRO_CACHE))
export ALLOCREPRO_CACHE := $(CACHE)
LAB_KERNEL ?= debian-6.1
# The field cases' logs (test fixtures, with their source in their README).
SEEDLOGS ?= $(CURDIR)/tests/fixtures/seed-logs
DATADIR := $(PREFIX)/share/allocrepro

CC ?= cc
WARN := -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wno-format-nonliteral
CFLAGS ?= -O2 -g
ALL_CFLAGS := -std=c11 -D_GNU_SOURCE $(WARN) $(CFLAGS) -MMD -MP -Iharness -I. \
	-DALLOCREPRO_DATADIR='"$(DATADIR)"'
LDLIBS := -lyaml -ljson-c -lcrypto -lcgroup -lnuma -lpthread -lm
SAN := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

SRCS := $(wildcard harness/*/*.c harness/*/*/*.c results/*.c workloads/*.c)
LIB_SRCS := $(filter-out harness/cmd/main.c,$(SRCS))
OBJS := $(SRCS:%.c=$(BUILD)/obj/%.o)
ASAN_OBJS := $(SRCS:%.c=$(BUILD)/asan-obj/%.o)
ASAN_LIB_OBJS := $(LIB_SRCS:%.c=$(BUILD)/asan-obj/%.o)
UNIT_SRCS := $(wildcard tests/unit/*.c)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%.t)

all: $(BUILD)/allocrepro $(BUILD)/allocrepro-i386 kmod

$(BUILD)/allocrepro: $(OBJS)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/asan/allocrepro: $(ASAN_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(SAN) -o $@ $^ $(LDLIBS)

$(BUILD)/asan-obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(SAN) -O1 -c -o $@ $<

$(BUILD)/tests/%.t: tests/unit/%.c $(ASAN_LIB_OBJS) tests/unit/tap.h
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(SAN) -O1 -Itests/unit -o $@ $< $(ASAN_LIB_OBJS) $(LDLIBS)

# tests/stats-scipy.t asks it for the harness's statistics
$(BUILD)/tests/stats-grid: tests/tools/stats-grid.c $(ASAN_LIB_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(SAN) -O1 -o $@ $< $(ASAN_LIB_OBJS) $(LDLIBS)

# The 32-bit guest program for the debian-6.1-pae lab kernel: static, built
# with the i686 cross compiler against i386 libraries unpacked in the cache.
I386_CC ?= i686-linux-gnu-gcc
I386_OBJS := $(SRCS:%.c=$(BUILD)/obj-i386/%.o)
I386_SYSROOT := $(CACHE)/sysroot-i386
# the script lists the packages: a changed list refetches
$(I386_SYSROOT)/.complete: ci/fetch-i386-sysroot.sh
	ci/fetch-i386-sysroot.sh $(CACHE) >/dev/null
$(BUILD)/allocrepro-i386: $(I386_OBJS)
	$(I386_CC) -static -o $@ $^ -L$(I386_SYSROOT)/usr/lib/i386-linux-gnu \
		-L$(I386_SYSROOT)/lib/i386-linux-gnu $(LDLIBS)
$(BUILD)/obj-i386/%.o: %.c $(I386_SYSROOT)/.complete
	@mkdir -p $(dir $@)
	$(I386_CC) $(ALL_CFLAGS) -isystem $(I386_SYSROOT)/usr/include \
		-isystem $(I386_SYSROOT)/usr/include/i386-linux-gnu -c -o $@ $<
guest-i386: $(BUILD)/allocrepro-i386

# libFuzzer target over the pure parsers and the model (clang).
FUZZ_SRCS := $(addprefix harness/parse/,logparse.c log_headers.c log_memdump.c log_oom.c logline.c \
	logtrace.c event.c kver.c procfs.c procfs_zone.c kmsg.c) \
	$(addprefix harness/model/,gfp.c watermark.c diagnose.c mitigate.c) \
	harness/util/util.c results/event_json.c results/diag_json.c workloads/stressng_yaml.c
$(BUILD)/fuzz/fuzz_parsers: tests/fuzz/fuzz_parsers.c $(FUZZ_SRCS)
	@mkdir -p $(dir $@)
	clang -std=c11 -D_GNU_SOURCE -g -O1 -Iharness -I. -fsanitize=fuzzer,address,undefined \
		-Wall -Wextra -Werror -fno-sanitize-recover=all -o $@ $^ -ljson-c -lcrypto -lyaml
fuzz: $(BUILD)/fuzz/fuzz_parsers

# Throughput of explain on a 1 GiB syslog, against grep (a benchmark, not a test).
# and what one sample of the sampler costs on this machine's kernel.
bench: $(BUILD)/allocrepro $(BUILD)/bench/sampler-cost
	bench/explain-throughput.sh $(BUILD)/allocrepro $(SEEDLOGS) $(BUILD)/bench
	$(BUILD)/bench/sampler-cost 2000
$(BUILD)/bench/sampler-cost: bench/sampler-cost.c $(filter-out $(BUILD)/obj/harness/cmd/%,$(OBJS))
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(LDLIBS)
# the fragment workload against stress-ng recipes, in one lab guest (~4 min),
# then what one repetition costs (a boot or a restored saved guest, each
# step, the rest) in seed002 and seed004, 2 repetitions per arm, each
# booted and restored (~6 min)
bench-lab: deps $(BUILD)/allocrepro $(BUILD)/allocrepro-i386
	$(MAKE) lab-prepare
	bench/fragment-vs-stress-ng.sh $(CURDIR)/$(BUILD)/allocrepro $(BUILD)/bench
	for s in seed002-atomic-order3-movable seed004-lowmem-oom-highmem; do \
		for f in boot snapshot; do \
		ALLOCREPRO_GUEST_BIN_I386=$(CURDIR)/$(BUILD)/allocrepro-i386 $(BUILD)/allocrepro lab run \
			scenarios/$$s.yaml --repeat 2 --fresh $$f --results $(BUILD)/bench/$$s-$$f \
			>/dev/null; done; done; \
	bench/lab-repetition-cost.sh $(BUILD)/bench/seed00[24]-*-boot $(BUILD)/bench/seed00[24]-*-snapshot

# The module: against the running kernel's build tree where there is one
# (KDIR=... to choose), otherwise against the default lab kernel.
KDIR ?= /lib/modules/$(shell uname -r)/build
kmod:
	@if [ -d "$(KDIR)" ]; then \
		mkdir -p $(BUILD)/kmod/host && \
		cp kmod-helpers/*.c kmod-helpers/*.h kmod-helpers/Kbuild $(BUILD)/kmod/host/ && \
		$(MAKE) -C $(KDIR) M=$(CURDIR)/$(BUILD)/kmod/host modules && \
		cp $(BUILD)/kmod/host/allocrepro_helper.ko $(BUILD)/; \
	else \
		kdir=$$(ci/fetch-kernel.sh $(LAB_KERNEL) $(CACHE)) && \
		. $$kdir/kernel.env && \
		ko=$$(ci/build-kmod.sh $$kdir $(CURDIR)/$(BUILD)/kmod/$$RELEASE) && \
		cp $$ko $(BUILD)/ && echo "kmod: built for lab kernel $$RELEASE (no $(KDIR) here)"; \
	fi

deps:
	ci/install-deps.sh

# Fetch and build everything the lab boots, once (cached in $(CACHE)).
lab-prepare: $(BUILD)/allocrepro
	ci/lab-prepare.sh $(LAB_KERNEL) $(CACHE) $(CURDIR)/$(BUILD)/allocrepro >/dev/null

# The test suite in tiers.  check: what every change must pass, about 12
# minutes with a warm cache; check-lab: the long lab tests.  T=NAME runs
# the tests of either tier whose file name contains NAME (T=unit: the unit
# tests, T=check or T=lab: a whole tier).  prove --timer says how long each
# took; the README lists the slowest.
CHECK_TESTS := $(UNIT_BINS) tests/stats-scipy.t tests/src-layout.t $(wildcard tests/cli-*.t) tests/fuzz-parsers.t \
	tests/report-browser.t tests/kcidb-export.t \
	$(wildcard tests/native-*.t) tests/lab-prepare-offline.t tests/lab-smoke.t \
	tests/lab-smoke-kernels.t tests/lab-seed-smoke.t
LAB_TESTS := $(filter-out $(CHECK_TESTS),$(wildcard tests/lab-*.t))
# not in CI: a test that cannot pass reliably yet, each saying why
NIGHTLY_TESTS := $(wildcard tests/nightly-*.t)
ALL_TESTS := $(CHECK_TESTS) $(LAB_TESTS) $(NIGHTLY_TESTS)
select = $(if $(filter check,$(1)),$(CHECK_TESTS),$(if $(filter lab,$(1)),$(LAB_TESTS),$(if \
	$(filter nightly,$(1)),$(NIGHTLY_TESTS),$(if $(filter unit,$(1)),$(UNIT_BINS),$(foreach \
	t,$(ALL_TESTS),$(if $(findstring $(1),$(t)),$(t)))))))
TEST_ENV := ALLOCREPRO_GUEST_BIN=$(CURDIR)/$(BUILD)/allocrepro \
	ALLOCREPRO_GUEST_BIN_I386=$(CURDIR)/$(BUILD)/allocrepro-i386 \
	ALLOCREPRO_KERNEL_PINNED=1 ALLOCREPRO=$(CURDIR)/$(BUILD)/asan/allocrepro \
	BUILD=$(CURDIR)/$(BUILD) TESTS=$(CURDIR)/tests SEEDLOGS=$(SEEDLOGS)

test-build: deps
	$(MAKE) $(BUILD)/allocrepro $(BUILD)/asan/allocrepro $(UNIT_BINS) $(BUILD)/fuzz/fuzz_parsers \
		$(BUILD)/tests/stats-grid \
		$(BUILD)/allocrepro-i386
	$(MAKE) lint
	ALLOCREPRO_KERNEL_PINNED=1 $(MAKE) lab-prepare

check: test-build
	@tests="$(strip $(if $(T),$(call select,$(T)),$(CHECK_TESTS)))"; \
	if [ -z "$$tests" ]; then echo "make check: no test matches T=$(T)" >&2; exit 2; fi; \
	$(TEST_ENV) prove -v --timer $$tests

check-lab: test-build
	$(TEST_ENV) prove -v --timer $(LAB_TESTS)

check-nightly: test-build
	$(TEST_ENV) prove -v --timer $(NIGHTLY_TESTS)

# The main job: the seed scenarios in the lab on their sequential plans,
# then a table of reproductions and mitigation verdicts (9-10 min here warm,
# 14 min when the saved guests are made afresh; DEMO_ARGS="--repeat 3" for a
# fixed, shorter and less decisive run).
demo: deps
	$(MAKE) $(BUILD)/allocrepro $(BUILD)/allocrepro-i386 lab-prepare
	ALLOCREPRO_GUEST_BIN_I386=$(CURDIR)/$(BUILD)/allocrepro-i386 \
		ci/demo.sh $(CURDIR)/$(BUILD)/allocrepro $(LAB_KERNEL) runs/demo $(DEMO_ARGS)

# Validating a kernel upgrade: the seeds on debian-6.1 and debian-6.12
# (UPGRADE_REPS repetitions per arm, 3 by default), compared and reported
# (about 13 min here; runs/upgrade/compare.txt, the pages beside it).
UPGRADE_REPS ?= 3
upgrade-demo: deps
	$(MAKE) $(BUILD)/allocrepro lab-prepare
	$(MAKE) lab-prepare LAB_KERNEL=debian-6.12
	ci/upgrade-demo.sh $(CURDIR)/$(BUILD)/allocrepro runs/upgrade $(UPGRADE_REPS)

lint: $(CACHE)/checkpatch/.complete
	cppcheck --quiet --error-exitcode=1 --enable=warning,portability \
		--suppress=missingIncludeSystem -D_GNU_SOURCE -Iharness -I. harness results workloads tests/unit \
		tests/fuzz tests/tools
	$(CACHE)/checkpatch/checkpatch.pl --no-tree --quiet --strict -f kmod-helpers/*.c kmod-helpers/*.h

# checkpatch.pl comes from Debian's linux-source package (cached).
$(CACHE)/checkpatch/.complete:
	ci/fetch-checkpatch.sh $(CACHE) >/dev/null

# Move the kernels the tests are pinned to onto the archive's newest.
pin-kernels:
	ci/kernel-pins.sh update

install: $(BUILD)/allocrepro install-files

# What the program needs beside it, and what a user reads: debian/rules
# installs this after its own build.
install-files:
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(DATADIR)/ci \
		$(DESTDIR)$(DATADIR)/kmod-helpers $(DESTDIR)$(DATADIR)/scenarios \
		$(DESTDIR)$(DATADIR)/scenarios/workloads \
		$(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(PREFIX)/share/man/man5 \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions \
		$(DESTDIR)$(PREFIX)/share/doc/allocrepro
	install -m 755 $(BUILD)/allocrepro $(DESTDIR)$(PREFIX)/bin/allocrepro
	if [ -f $(BUILD)/allocrepro-i386 ]; then \
		install -m 755 $(BUILD)/allocrepro-i386 $(DESTDIR)$(PREFIX)/bin/allocrepro-i386; fi
	install -m 755 $(filter-out ci/initramfs-lib.sh,$(wildcard ci/*.sh)) ci/guest-init \
		$(DESTDIR)$(DATADIR)/ci/
	install -m 644 ci/initramfs-lib.sh ci/kernels.conf $(DESTDIR)$(DATADIR)/ci/
	install -m 644 kmod-helpers/*.c kmod-helpers/*.h kmod-helpers/Kbuild kmod-helpers/Makefile \
		$(DESTDIR)$(DATADIR)/kmod-helpers/
	install -m 644 scenarios/*.yaml scenarios/README.md $(DESTDIR)$(DATADIR)/scenarios/
	install -m 644 scenarios/workloads/*.yaml $(DESTDIR)$(DATADIR)/scenarios/workloads/
	install -m 644 docs/man/allocrepro.1 $(DESTDIR)$(PREFIX)/share/man/man1/
	install -m 644 docs/man/allocrepro-scenario.5 $(DESTDIR)$(PREFIX)/share/man/man5/
	install -m 644 ci/allocrepro.bash-completion \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions/allocrepro
	install -m 644 README.md docs/*.md $(DESTDIR)$(PREFIX)/share/doc/allocrepro/

# Debian packages: allocrepro (program, data, manuals) and allocrepro-dkms
# (the module's source), built with debhelper from a copy of the tree with
# ci/debian as its debian/ (the tree's top level stays the project's).
VERSION := $(shell sed -n 's/.*ALLOCREPRO_VERSION "\(.*\)"/\1/p' results/manifest.h)
DEB_SRC := $(BUILD)/deb/allocrepro-$(VERSION)
# who a lab's packages say they come from: set it to the lab's own address
DEB_MAINTAINER ?= allocrepro developers <allocrepro-devel@example.org>
deb:
	@ci/install-deps.sh
	rm -rf $(BUILD)/deb && mkdir -p $(DEB_SRC)
	tar --exclude=./build --exclude=./runs --exclude=./.git -cf - . | tar -xf - -C $(DEB_SRC)
	cp -r ci/debian $(DEB_SRC)/debian
	sed -i 's/^Maintainer: .*/Maintainer: $(DEB_MAINTAINER)/' $(DEB_SRC)/debian/control
	sed -i 's/^ -- [^>]*>/ -- $(DEB_MAINTAINER)/' $(DEB_SRC)/debian/changelog
	cd $(DEB_SRC) && dpkg-buildpackage -b -us -uc > ../build.log 2>&1 || \
		{ tail -40 ../build.log; exit 1; }
	lintian --fail-on error,warning $(BUILD)/deb/*.changes
	@ls $(BUILD)/deb/*.deb

clean:
	rm -rf $(BUILD)/obj $(BUILD)/obj-i386 $(BUILD)/allocrepro-i386 $(BUILD)/asan-obj $(BUILD)/asan $(BUILD)/tests $(BUILD)/allocrepro \
		$(BUILD)/fuzz $(BUILD)/bench \
		$(BUILD)/kmod $(BUILD)/*.ko $(BUILD)/cache

.PHONY: guest-i386 all kmod deps lab-prepare test-build check check-lab check-nightly demo upgrade-demo lint install install-files deb clean fuzz \
	bench bench-lab pin-kernels
-include $(OBJS:.o=.d) $(ASAN_OBJS:.o=.d) $(I386_OBJS:.o=.d)
