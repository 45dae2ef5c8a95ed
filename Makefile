# Socket Workbench: the two commands of the README.
#   make run   install what is missing, configure, build, open the window
#   make test  install what is missing, configure, build, run the whole test suite
#   make sanitize  the same suite built with AddressSanitizer and UndefinedBehaviorSanitizer
#                  in a build directory of its own (CI runs it after make test)
#   make bench     every benchmark of bench/, one table beside the targets (not in CI)
#   make tsan      the core and lesson-runner tests under ThreadSanitizer (not in CI: Qt is
#                  not built with TSan, see tests/sanitizers/tsan.supp)
# Both are idempotent: with nothing changed they only check and return.

BUILD_DIR  ?= build
BUILD_TYPE ?= RelWithDebInfo
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)

# Debian / Ubuntu packages the build and the tests need. The README lists them too.
PACKAGES := cmake ninja-build g++ make pkg-config \
            qt6-base-dev qt6-base-dev-tools qt6-charts-dev libqt6opengl6-dev libgl-dev \
            fonts-dejavu-core python3 iproute2 curl netcat-openbsd

.PHONY: run test build deps configure clean sanitize tsan bench

SANITIZE_DIR ?= build-sanitize
# ccache, where installed, keeps a second configuration's rebuilds cheap; never required.
LAUNCHER := $(shell command -v ccache >/dev/null 2>&1 && echo -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
# Leaks, heap and stack errors, and undefined behaviour each fail the test that caused
# them. LSan's suppressions hold only leaks proven to be inside Qt, each with its reason.
SANITIZE_ENV := QT_QPA_PLATFORM=offscreen \
    ASAN_OPTIONS=detect_leaks=1:check_initialization_order=1:strict_init_order=1:detect_stack_use_after_return=1 \
    LSAN_OPTIONS=suppressions=$(CURDIR)/tests/sanitizers/lsan.supp:print_suppressions=0 \
    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

run: build
	@$(BUILD_DIR)/app/sockbench $(ARGS)

test: build
	@cd $(BUILD_DIR) && QT_QPA_PLATFORM=offscreen ctest --output-on-failure -j $(JOBS)

build: configure
	@cmake --build $(BUILD_DIR) --parallel $(JOBS)

sanitize: deps
	@if [ ! -f $(SANITIZE_DIR)/CMakeCache.txt ]; then \
	    generator=""; command -v ninja >/dev/null 2>&1 && generator="-G Ninja"; \
	    cmake -S . -B $(SANITIZE_DIR) $$generator -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	        -DSOCKBENCH_SANITIZE=address,undefined -DSOCKBENCH_BENCH=OFF $(LAUNCHER); \
	fi
	@cmake --build $(SANITIZE_DIR) --parallel $(JOBS)
	@cd $(SANITIZE_DIR) && $(SANITIZE_ENV) ctest --output-on-failure -j $(JOBS)

# The window benchmarks run under Xvfb at 1920x1080, as the targets are stated.
bench: build
	@.ci/install-packages xvfb xauth
	@xvfb-run -a -s "-screen 0 1920x1080x24" python3 bench/run.py $(BUILD_DIR) $(BENCH_ARGS)

TSAN_DIR ?= build-tsan
# die_after_fork=0: tst_teardown's child process runs a workbench of its own (threads
# after a fork, which TSan refuses by default).
tsan: deps
	@if [ ! -f $(TSAN_DIR)/CMakeCache.txt ]; then \
	    generator=""; command -v ninja >/dev/null 2>&1 && generator="-G Ninja"; \
	    cmake -S . -B $(TSAN_DIR) $$generator -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	        -DSOCKBENCH_SANITIZE=thread -DSOCKBENCH_BENCH=OFF $(LAUNCHER); \
	fi
	@cmake --build $(TSAN_DIR) --parallel $(JOBS)
	@cd $(TSAN_DIR) && TSAN_OPTIONS="suppressions=$(CURDIR)/tests/sanitizers/tsan.supp die_after_fork=0" \
	    ctest --output-on-failure -j $(JOBS) -L core

configure: deps
	@if [ ! -f $(BUILD_DIR)/CMakeCache.txt ]; then \
	    generator=""; command -v ninja >/dev/null 2>&1 && generator="-G Ninja"; \
	    cmake -S . -B $(BUILD_DIR) $$generator -DCMAKE_BUILD_TYPE=$(BUILD_TYPE); \
	fi

deps:
	@.ci/install-packages $(PACKAGES)

clean:
	rm -rf $(BUILD_DIR) $(SANITIZE_DIR) $(TSAN_DIR)
