# Socket Workbench: the two commands of the README.
#   make run   install what is missing, configure, build, open the window
#   make test  install what is missing, configure, build, run the whole test suite
# Both are idempotent: with nothing changed they only check and return.

BUILD_DIR  ?= build
BUILD_TYPE ?= RelWithDebInfo
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)

# Debian / Ubuntu packages the build and the tests need. The README lists them too.
PACKAGES := cmake ninja-build g++ make pkg-config \
            qt6-base-dev qt6-base-dev-tools qt6-charts-dev libqt6opengl6-dev libgl-dev \
            fonts-dejavu-core python3 iproute2 curl netcat-openbsd

.PHONY: run test build deps configure clean

run: build
	@$(BUILD_DIR)/app/sockbench $(ARGS)

test: build
	@cd $(BUILD_DIR) && QT_QPA_PLATFORM=offscreen ctest --output-on-failure -j $(JOBS)

build: configure
	@cmake --build $(BUILD_DIR) --parallel $(JOBS)

configure: deps
	@if [ ! -f $(BUILD_DIR)/CMakeCache.txt ]; then \
	    generator=""; command -v ninja >/dev/null 2>&1 && generator="-G Ninja"; \
	    cmake -S . -B $(BUILD_DIR) $$generator -DCMAKE_BUILD_TYPE=$(BUILD_TYPE); \
	fi

deps:
	@.ci/install-packages $(PACKAGES)

clean:
	rm -rf $(BUILD_DIR)
