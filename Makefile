# smtpwiz — one GNU Makefile.
#
#   make run [ARGS="host:587"]   install what is missing, build, start the wizard
#   make test [T=name]           install what is missing, build, run every test
#   make test-mbedtls3           the same suite linked against mbedTLS 3.6
#   make test-mbedtls2           the whole suite linked against the system's 2.28
#   make static                  build/static/smtpwiz: one static x86_64 binary (musl)
#   make test-static             its tests, in an empty root
#   make asan-test               the suite under AddressSanitizer + UBSan
#   make check-layers            which folder may include which (tests/tools/check-layers.sh)
#   make bench                   smtpwiz against sslscan, figures only
#   make fuzz [FUZZ_SECONDS=60]  every parser under libFuzzer
#   make install PREFIX=...      binary, man page, assets
#
# The engine (src/*/ minus src/cli/) is build/libsw.a; tests link it
# without curses.  The front ends are src/cli/ (main.c, check, explain)
# and ui/ (the wizard).  Objects live in $(BUILD); V=1 shows the commands.

BUILD	?= build
PREFIX	?= /usr/local
CC	?= cc
PKG_CONFIG ?= pkg-config

# mbedTLS 3.6 LTS by default (TLS 1.3 handshakes: the verification must
# speak what Java speaks): the system's when pkg-config finds 3.6 or
# newer, else Debian 13's 3.6 packages unpacked into build/mbedtls3 by
# tests/tools/fetch-mbedtls3.sh (without changing the system) and linked
# statically.  MBEDTLS=system links whatever the system has (Debian
# 12's 2.28: make test-mbedtls2); MBEDTLS_PREFIX names an unpacked copy.
MBEDTLS	?= auto
MBEDTLS3_ROOT = build/mbedtls3/root
ifeq ($(MBEDTLS)$(MBEDTLS_PREFIX),auto)
ifneq ($(shell $(PKG_CONFIG) --atleast-version=3.6 mbedtls 2>/dev/null && echo yes),yes)
MBEDTLS_PREFIX	:= $(CURDIR)/$(MBEDTLS3_ROOT)/usr
MBEDTLS_FETCH	:= $(MBEDTLS_PREFIX)/include/mbedtls/build_info.h
endif
endif
# Objects of one BUILD are rebuilt when the mbedTLS they use changes.
MBEDTLS_STAMP	= $(BUILD)/.mbedtls-$(if $(MBEDTLS_PREFIX),$(subst /,_,$(MBEDTLS_PREFIX)),system)
ifneq ($(MBEDTLS_PREFIX),)
MBEDTLS_CFLAGS	= -isystem $(MBEDTLS_PREFIX)/include
MBEDTLS_LIBDIR	= $(firstword $(wildcard $(MBEDTLS_PREFIX)/lib/*-linux-gnu) $(MBEDTLS_PREFIX)/lib)
MBEDTLS_LIBS	= $(MBEDTLS_LIBDIR)/libmbedtls.a $(MBEDTLS_LIBDIR)/libmbedx509.a \
		  $(MBEDTLS_LIBDIR)/libmbedcrypto.a
else
MBEDTLS_CFLAGS	:= $(shell $(PKG_CONFIG) --cflags mbedtls mbedx509 mbedcrypto 2>/dev/null)
MBEDTLS_LIBS	:= $(shell $(PKG_CONFIG) --libs mbedtls mbedx509 mbedcrypto 2>/dev/null || \
		     echo -lmbedtls -lmbedx509 -lmbedcrypto)
endif
CURSES_CFLAGS	:= $(shell $(PKG_CONFIG) --cflags ncursesw 2>/dev/null)
CURSES_LIBS	:= $(shell $(PKG_CONFIG) --libs ncursesw 2>/dev/null || echo -lncursesw)

WARN	= -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
	  -Wmissing-prototypes -Wformat=2 -Wwrite-strings -Wpointer-arith \
	  -Wundef -Wvla
HARDEN	= -D_FORTIFY_SOURCE=2 -fstack-protector-strong -fPIE
OPT	?= -O2 -g
CFLAGS	?=
SAN	?=
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE $(OPT) $(WARN) $(HARDEN) $(SAN) $(CFLAGS) -MMD -MP
LDFLAGS	?=
LDPIE	?= -pie
ALL_LDFLAGS = $(LDPIE) -Wl,-z,relro,-z,now $(SAN) $(LDFLAGS)
LIBS	= $(MBEDTLS_LIBS) -lpthread

ifeq ($(V),1)
Q =
else
Q = @
endif

# src/ is one folder per layer (README, "How the code is laid out");
# every folder is on the include path, so files include headers by
# name.  A file left in src/ itself is built too, but check-layers
# refuses it.
SRC_DIRS	:= $(sort $(dir $(wildcard src/*/*.c src/*/*.h)))
ENGINE_DIRS	:= $(filter-out src/cli/,$(SRC_DIRS))
ENGINE_INC	:= $(patsubst %/,-I%,$(ENGINE_DIRS)) -Isrc
ENGINE_SRC	:= $(wildcard src/*.c) $(filter-out src/cli/%,$(wildcard src/*/*.c))
ENGINE_OBJ	:= $(ENGINE_SRC:%.c=$(BUILD)/%.o)
CLI_SRC		:= $(wildcard src/cli/*.c)
CLI_OBJ		:= $(CLI_SRC:%.c=$(BUILD)/%.o)
UI_SRC		:= $(wildcard ui/*.c)
UI_OBJ		:= $(UI_SRC:%.c=$(BUILD)/%.o)
UNIT_SRC	:= $(wildcard tests/unit/test_*.c)
UNIT_BIN	:= $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
TOOL_SRC	:= $(wildcard tests/tools/*.c)
TOOL_BIN	:= $(TOOL_SRC:tests/tools/%.c=$(BUILD)/tests/%)
LIBSW		:= $(BUILD)/libsw.a
BIN		:= $(BUILD)/smtpwiz

.PHONY: all run test test-mbedtls3 test-mbedtls2 asan-test check-layers deps \
	build-tests install uninstall clean bench fuzz static test-static

all: $(BIN) $(CONFIRM_CLASS) check-layers

$(MBEDTLS_STAMP):
	@mkdir -p $(@D)
	@rm -f $(BUILD)/.mbedtls-*
	@touch $@

# The unpacked 3.6, fetched before the first object that includes it.
ifneq ($(MBEDTLS_FETCH),)
$(MBEDTLS_FETCH):
	$(Q)tests/tools/fetch-mbedtls3.sh $(MBEDTLS3_ROOT)
$(ENGINE_OBJ) $(CLI_OBJ) $(UNIT_BIN:%=%.o) \
    $(TOOL_SRC:tests/tools/%.c=$(BUILD)/tests/tools/%.o): | $(MBEDTLS_FETCH)
endif

# The front ends see the engine's folders; src/cli/ also ui/ (main.c
# starts the wizard).
$(CLI_OBJ): SRC_INC = -Isrc/cli -Iui

$(BUILD)/src/%.o: src/%.c $(MBEDTLS_STAMP)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(ALL_CFLAGS) $(MBEDTLS_CFLAGS) $(ENGINE_INC) $(SRC_INC) -c -o $@ $<

$(BUILD)/ui/%.o: ui/%.c
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(ALL_CFLAGS) $(CURSES_CFLAGS) $(ENGINE_INC) -c -o $@ $<

$(BUILD)/tests/%.o: tests/unit/%.c $(MBEDTLS_STAMP)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(ALL_CFLAGS) $(MBEDTLS_CFLAGS) $(ENGINE_INC) -Itests/unit \
	    $(UNIT_INC) -c -o $@ $<

$(BUILD)/tests/tools/%.o: tests/tools/%.c $(MBEDTLS_STAMP)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(ALL_CFLAGS) $(MBEDTLS_CFLAGS) $(ENGINE_INC) -c -o $@ $<

$(LIBSW): $(ENGINE_OBJ)
	@$(if $(Q),echo "  AR      $@")
	$(Q)rm -f $@ && ar rcs $@ $^

$(BIN): $(CLI_OBJ) $(UI_OBJ) $(LIBSW)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $(CLI_OBJ) $(UI_OBJ) $(LIBSW) \
	    $(CURSES_LIBS) $(LIBS)

# Unit tests and test tools: the engine library only, no curses.
$(BUILD)/tests/test_%: $(BUILD)/tests/test_%.o $(LIBSW)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

# The wizard's model without curses: the ui/ files that neither draw
# nor call app.c (curses.h for key codes only), with the engine library.
UI_MODEL_OBJ	:= $(addprefix $(BUILD)/ui/,w_edit.o field_react.o step_state.o \
		    step_sig.o wiz_opt.o \
		    textbuf.o)
$(BUILD)/tests/test_ui_model.o: UNIT_INC = -Iui
$(BUILD)/tests/test_ui_model: $(BUILD)/tests/test_ui_model.o $(UI_MODEL_OBJ) \
    $(LIBSW)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/tests/%: $(BUILD)/tests/tools/%.o $(LIBSW)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

# The program that lets the user's Java confirm a block (--confirm-with-
# java), compiled for Java 8 so that one class runs on 8 to 25; without
# a JDK it is left out (a JDK 11+ at run time can run its source).
JAVAC		?= $(shell command -v javac 2>/dev/null)
CONFIRM_CLASS	:= $(if $(JAVAC),$(BUILD)/java/MailConfirm.class)

$(BUILD)/java/MailConfirm.class: assets/java/MailConfirm.java
	@mkdir -p $(@D)
	@$(if $(Q),echo "  JAVAC   $<")
	$(Q)$(JAVAC) --release 8 -nowarn -Xlint:-options -encoding UTF-8 \
	    -d $(@D) $<

build-tests: $(BIN) $(UNIT_BIN) $(TOOL_BIN) $(CONFIRM_CLASS) check-layers

# The layering rule, enforced: which folder of src/ (and ui/) may
# include which, curses only in ui/, mbedTLS only in src/net/tls* and
# src/pki/x509* -- the table is in the script.
check-layers:
	$(Q)tests/tools/check-layers.sh

deps:
	$(Q)tests/tools/install-deps.sh

run: deps
	$(Q)$(MAKE) --no-print-directory $(BIN)
	$(Q)tests/tools/run-wizard.sh $(BIN) $(ARGS)

# The suite, then the unit tests and the tests that drive the batch
# path against hostile and faulty servers once more under ASan + UBSan.
SAN_FLAGS = OPT="-O1 -g" HARDEN="-fno-omit-frame-pointer" \
	    SAN="-fsanitize=address,undefined -fno-sanitize-recover=all"
SAN_TESTS = test_check_conn.py test_check_cert.py test_check_auth.py \
	    test_block.py test_cli.py test_explain.py \
	    test_explain_debuglog.py test_hostile.py test_secret_files.py \
	    test_verify.py test_java_runtime.py test_check_cert_long.py \
	    test_file_targets.py test_secret_sources.py test_auth_echo.py \
	    test_check_proxy.py test_check_provider.py test_check_oauth2.py \
	    test_tui_java.py
test: deps
	$(Q)$(MAKE) --no-print-directory build-tests
	$(Q)$(MAKE) --no-print-directory BUILD=build/asan $(SAN_FLAGS) build-tests
	$(Q)BUILD=$(BUILD) SAN_BUILD=build/asan SAN_TESTS="$(SAN_TESTS)" \
	    tests/run.sh $(T)

test-mbedtls3: deps
	$(Q)tests/tools/fetch-mbedtls3.sh $(MBEDTLS3_ROOT)
	$(Q)$(MAKE) --no-print-directory BUILD=build/m3 \
	    MBEDTLS_PREFIX=$(CURDIR)/$(MBEDTLS3_ROOT)/usr build-tests
	$(Q)BUILD=build/m3 tests/run.sh $(T)

# The supported 2.28 build (Debian 12's system package): the whole
# suite; what needs TLS 1.3 must say "not checked" and exit non-zero.
# Left out: what does not run build/m2's binaries (the fuzz targets are
# built in build/fuzz whatever BUILD is; the static binary is its own).
M2_NOT	= test_fuzz_short test_static
test-mbedtls2: deps
	$(Q)$(MAKE) --no-print-directory BUILD=build/m2 MBEDTLS=system \
	    build-tests
	$(Q)BUILD=build/m2 NOT="$(M2_NOT)" tests/run.sh $(T)

# One static x86_64 executable for servers without a compiler: musl,
# ncurses (terminfo entries compiled in) and mbedTLS 3.6 built from
# Debian's source packages (tests/tools/build-static.sh), assets/
# compiled in (tests/tools/embed-assets.sh).
STATIC	= build/static
STATIC_PREFIX = $(CURDIR)/$(STATIC)/prefix
static: deps
	$(Q)tests/tools/build-static.sh $(STATIC)
	$(Q)tests/tools/embed-assets.sh assets $(STATIC)/assets_builtin.inc
	$(Q)$(MAKE) --no-print-directory BUILD=$(STATIC)/obj CC=musl-gcc \
	    MBEDTLS_PREFIX=$(STATIC_PREFIX) LDPIE=-static \
	    CURSES_CFLAGS="-isystem $(STATIC_PREFIX)/include/ncursesw -isystem $(STATIC_PREFIX)/include" \
	    CURSES_LIBS=$(STATIC_PREFIX)/lib/libncursesw.a \
	    CFLAGS="-DSW_ASSETS_BUILTIN -I$(CURDIR)/$(STATIC)" \
	    $(STATIC)/obj/smtpwiz
	$(Q)cp $(STATIC)/obj/smtpwiz $(STATIC)/smtpwiz
	$(Q)strip $(STATIC)/smtpwiz
	@ls -l $(STATIC)/smtpwiz

test-static: static
	$(Q)BUILD=build tests/run.sh test_static

asan-test: deps
	$(Q)$(MAKE) --no-print-directory BUILD=build/asan $(SAN_FLAGS) build-tests
	$(Q)BUILD=build/asan ASAN_OPTIONS=detect_leaks=1 \
	    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 tests/run.sh $(T)

# Performance against sslscan on loopback: prints figures, never fails.
bench: deps
	$(Q)$(MAKE) --no-print-directory build-tests
	$(Q)BUILD=$(BUILD) tests/bench/run.sh

# Every parser under libFuzzer for FUZZ_SECONDS each (make test runs a
# short pass of the same targets).
FUZZ_SECONDS ?= 60
fuzz: deps
	$(Q)tests/fuzz/run.sh $(FUZZ_SECONDS)

MANDIR	?= $(PREFIX)/share/man
install: $(BIN)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/smtpwiz \
	    $(DESTDIR)$(MANDIR)/man1
	install -m 0755 $(BIN) $(DESTDIR)$(PREFIX)/bin/smtpwiz
	cp -R assets/. $(DESTDIR)$(PREFIX)/share/smtpwiz/
	$(if $(wildcard $(BUILD)/java/*.class),install -m 0644 \
	    $(foreach f,$(wildcard $(BUILD)/java/*.class),'$(f)') \
	    $(DESTDIR)$(PREFIX)/share/smtpwiz/java/)
	install -m 0644 smtpwiz.1 $(DESTDIR)$(MANDIR)/man1/smtpwiz.1

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/smtpwiz
	rm -f $(DESTDIR)$(MANDIR)/man1/smtpwiz.1
	rm -rf $(DESTDIR)$(PREFIX)/share/smtpwiz

clean:
	rm -rf build

-include $(patsubst %.o,%.d,$(ENGINE_OBJ) $(UI_OBJ) $(CLI_OBJ) \
	$(UNIT_BIN:%=%.o) $(TOOL_SRC:tests/tools/%.c=$(BUILD)/tests/tools/%.o))
