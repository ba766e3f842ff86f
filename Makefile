# Medley: every target sets the machine up first (idempotent: seconds on a set-up machine).
SHELL := /bin/bash
.DEFAULT_GOAL := help

.PHONY: help setup build test demo bench clean

help:
	@echo "make demo   set up, build (release) and run Medley on a generated sample video"
	@echo "make test   set up and run the test suite"
	@echo "make setup  install Debian packages, the OpenVINO runtime and the models"
	@echo "make build  release build"
	@echo "make bench  benchmarks against peers (figures go to bench/RESULTS.md)"

setup:
	@scripts/setup.sh
	@swift build --quiet --product medley
	@scripts/install-models.sh .build/debug/medley

build: setup
	swift build -c release

test: setup
	@scripts/test.sh

demo: setup
	@swift build --quiet -c release --product medley
	@scripts/demo.sh .build/release/medley

bench: setup
	@bench/run.sh

clean:
	rm -rf .build
