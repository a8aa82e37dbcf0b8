# ctrbox: one static binary, many container applets.
#
#   make                      static musl build in build/ctrbox (falls back to cc)
#   make CONFIG=configs/minimal
#   make CC=gcc STATIC=0      dynamic glibc build
#   make test                 install test deps (root, Debian), build, run bats + VM rig
#   make unit                 libctr unit-test binaries (tests/unit/) into build/unit/
#   make sanitize             ASan+UBSan build, whole bats suite against it
#   make fuzz [N=2000]        random argument vectors at the sanitizer build
#   make demo                 the whole study session, then ctrrun containers, narrated
#   make bench                hyperfine side by side with util-linux, BusyBox, toybox
#   make install PREFIX=/usr/local DESTDIR=

CONFIG  ?= configs/defconfig
include $(CONFIG)

BUILD   ?= build
STATIC  ?= 1
PREFIX  ?= /usr/local
VERSION := 0.1.0

MUSL_GCC := $(shell command -v musl-gcc 2>/dev/null)
ifeq ($(origin CC),default)
  ifneq ($(MUSL_GCC),)
    CC := musl-gcc
  else
    CC := cc
    $(info musl-gcc not found (Debian: apt-get install musl-tools); building with cc)
  endif
endif

CFLAGS  ?= -Os
override CFLAGS += -std=gnu11 -Wall -Wextra -Werror -D_GNU_SOURCE -Iinclude -Iapplets \
           -ffunction-sections -fdata-sections -fno-asynchronous-unwind-tables \
           -DCTRBOX_VERSION='"$(VERSION)"'
override LDFLAGS += -Wl,--gc-sections
ifeq ($(STATIC),1)
  override LDFLAGS += -static -s -Wl,-z,noseparate-code
endif

LIB_SRC    := $(sort $(wildcard libctr/*.c))
APPLET_SRC := applets/ctrbox.c applets/common.c \
              $(foreach a,$(APPLETS),applets/$(a).c $(wildcard applets/$(a)_*.c)) \
              $(if $(filter cg%,$(APPLETS)),applets/cgcommon.c)
OBJ        := $(patsubst %.c,$(BUILD)/%.o,$(LIB_SRC) $(APPLET_SRC))
HDR        := $(wildcard include/ctr/*.h) $(wildcard applets/*.h) applets/applets.def

.PHONY: all clean test test-bats test-vm sanitize fuzz demo bench install FORCE

all: $(BUILD)/ctrbox unit

$(BUILD)/ctrbox: $(OBJ)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(OBJ)

# The dispatcher sees which applets are built through config.h, rewritten only
# when the applet list changes so that switching CONFIG rebuilds what it must.
$(BUILD)/config.h: FORCE
	@mkdir -p $(BUILD)
	@{ for a in $(APPLETS); do echo "#define CTR_HAVE_$$a 1"; done; } > $@.tmp
	@cmp -s $@.tmp $@ && rm -f $@.tmp || mv $@.tmp $@

$(BUILD)/applets/ctrbox.o: $(BUILD)/config.h
$(BUILD)/applets/ctrbox.o: CFLAGS += -include $(BUILD)/config.h

$(BUILD)/%.o: %.c $(HDR) Makefile $(CONFIG)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

clean:
	rm -rf build build-*

# ---- tests ---------------------------------------------------------------
# test and demo install what they need first, then build in a sub-make so that
# a musl-gcc installed just now is the compiler.
test:
	@sh tests/install-deps.sh
	@$(MAKE) --no-print-directory all
	sh tests/run.sh $(abspath $(BUILD)/ctrbox)

test-bats: all
	VM=0 sh tests/run.sh $(abspath $(BUILD)/ctrbox)

test-vm: all
	sh tests/vm/run.sh $(abspath $(BUILD)/ctrbox)

SAN_FLAGS := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
sanitize:
	CFLAGS="$(SAN_FLAGS)" LDFLAGS="-fsanitize=address,undefined" \
	  $(MAKE) BUILD=build-san CC=gcc STATIC=0
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  VM=0 sh tests/run.sh $(abspath build-san/ctrbox)

# Random argument vectors at every applet of the sanitizer build (N runs).
fuzz:
	CFLAGS="$(SAN_FLAGS)" LDFLAGS="-fsanitize=address,undefined" \
	  $(MAKE) BUILD=build-san CC=gcc STATIC=0
	bash tests/fuzz-args.sh $(abspath build-san/ctrbox) $(or $(N),2000)

demo:
	@sh tests/install-deps.sh build
	@$(MAKE) --no-print-directory all
	@sh tests/demo.sh $(abspath $(BUILD)/ctrbox)

bench: all
	sh bench/run.sh $(abspath $(BUILD)/ctrbox)

install: all
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 0755 $(BUILD)/ctrbox $(DESTDIR)$(PREFIX)/bin/ctrbox
	$(DESTDIR)$(PREFIX)/bin/ctrbox --install $(DESTDIR)$(PREFIX)/bin

# ---- unit tests ------------------------------------------------------------
# tests/unit/<module>_test.c, each linked with every libctr object into
# $(BUILD)/unit/<module>_test; tests/unit.bats runs them (harness: unit.h).
UNIT_SRC := $(wildcard tests/unit/*_test.c)
UNIT_BIN := $(patsubst tests/unit/%.c,$(BUILD)/unit/%,$(UNIT_SRC))
LIB_OBJ  := $(patsubst %.c,$(BUILD)/%.o,$(LIB_SRC))
.PHONY: unit
unit: $(UNIT_BIN)
$(BUILD)/unit/%: tests/unit/%.c tests/unit/unit.h $(LIB_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Itests/unit $(LDFLAGS) -o $@ $< $(LIB_OBJ)
