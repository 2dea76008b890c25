# The two commands of the README. Both install what is missing first, so a fresh Debian 12 works.
BUILD_DIR ?= build
CINEREC_SEED_DIR ?= $(abspath ../shared/seed-data)
CINEREC_DB ?= cinerec.db
JOBS ?= $(shell nproc)
export CINEREC_SEED_DIR

.PHONY: deps build test demo seed clean

deps:
	@bash scripts/install-deps.sh

build: deps
	@cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
	@cmake --build $(BUILD_DIR) -j $(JOBS)

seed: deps
	@bash scripts/fetch-seed.sh "$(CINEREC_SEED_DIR)"

test: build seed
	@cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS) --timeout 900

demo: build seed
	@bash scripts/demo.sh "$(BUILD_DIR)/cinerec" "$(CINEREC_DB)" "$(CINEREC_SEED_DIR)"

clean:
	rm -rf $(BUILD_DIR)
