# Two commands: `make site` builds the example gallery into site/, `make test` runs the tests.
# Both install the C libraries Easel links (pkg-config, libcmark-dev, libvips-dev) with apt-get
# when pkg-config cannot find them.

SWIFT ?= swift
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
EASEL_FLAGS ?=

.PHONY: site test lint format deps

site: deps
	$(SWIFT) build --product easel
	$$($(SWIFT) build --show-bin-path)/easel build . $(EASEL_FLAGS)

test: deps lint
	$(SWIFT) test

lint:
	$(SWIFT) format lint --strict --recursive Package.swift Sources Tests Plugins

format:
	$(SWIFT) format --in-place --recursive Package.swift Sources Tests Plugins

deps:
	@if ! command -v pkg-config >/dev/null 2>&1 || ! pkg-config --exists libcmark vips; then \
		echo "Installing pkg-config, libcmark-dev and libvips-dev with apt-get..."; \
		$(SUDO) apt-get update && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y pkg-config libcmark-dev libvips-dev; \
	fi
