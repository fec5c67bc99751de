# Two commands: `make site` builds the example gallery into site/, `make test` runs the tests
# (unit and integration tests, then the site checks in a real browser).
# Both install the C libraries Easel links (pkg-config, libcmark-dev, libvips-dev) with apt-get
# when pkg-config cannot find them.

SWIFT ?= swift
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
EASEL_FLAGS ?=

.PHONY: site test lint format deps check-site

site: deps
	$(SWIFT) build --product easel
	$$($(SWIFT) build --show-bin-path)/easel build . $(EASEL_FLAGS)

test: deps lint
	$(SWIFT) test
	$(MAKE) check-site

# The example gallery, built offline, checked by the W3C Nu validator and headless Chromium
# (every image loads, filters, search, the lightbox by keyboard; screenshots in .build/site-checks).
check-site: deps
	bash scripts/install-site-check-deps.sh
	$(SWIFT) build --product easel
	rm -rf .build/site-check
	$$($(SWIFT) build --show-bin-path)/easel build . --offline --out .build/site-check
	python3 scripts/check-site.py .build/site-check --screenshots .build/site-checks

lint:
	$(SWIFT) format lint --strict --recursive Package.swift Sources Tests Plugins

format:
	$(SWIFT) format --in-place --recursive Package.swift Sources Tests Plugins

deps:
	@if ! command -v pkg-config >/dev/null 2>&1 || ! pkg-config --exists libcmark vips; then \
		echo "Installing pkg-config, libcmark-dev and libvips-dev with apt-get..."; \
		$(SUDO) apt-get update && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y pkg-config libcmark-dev libvips-dev; \
	fi
