# The two commands of the README. Both install what is missing first, so a fresh Debian 12 works.
BUILD_DIR ?= build
CINEREC_SEED_DIR ?= $(abspath ../shared/seed-data)
CINEREC_DB ?= cinerec.db
JOBS ?= $(shell nproc)
FUZZ_SECONDS ?= 60
export CINEREC_SEED_DIR

.PHONY: deps build test test-sanitize fuzz demo seed clean

deps:
	@bash scripts/install-deps.sh

build: deps
	@cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
	@cmake --build $(BUILD_DIR) -j $(JOBS)

seed: deps
	@bash scripts/fetch-seed.sh "$(CINEREC_SEED_DIR)"

test: build seed
	@cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS) --timeout 900

# The whole ctest suite again on an ASan + UBSan build (build-asan); any sanitizer report fails it.
test-sanitize: deps seed
	@JOBS=$(JOBS) bash scripts/test-sanitize.sh

# Every libFuzzer target of tests/fuzz for FUZZ_SECONDS each (clang, build-fuzz).
fuzz: deps
	@JOBS=$(JOBS) bash scripts/fuzz.sh $(FUZZ_SECONDS)

demo: build seed
	@bash scripts/demo.sh "$(BUILD_DIR)/cinerec" "$(CINEREC_DB)" "$(CINEREC_SEED_DIR)"

clean:
	rm -rf $(BUILD_DIR) build-asan build-fuzz
