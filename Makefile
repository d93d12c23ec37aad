# kolofon: `make book` builds every edition of manuscript/ into dist/; `make test` runs the tests.
# Both create .venv and install the pinned dependencies on first use.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell sha1sum pyproject.toml | cut -c1-12)
# Validators from Debian (no PyPI build exists): PDFBox Preflight for PDF/A, Java to run it and EPUBCheck,
# Ghostscript for the print editions' ink coverage.
DEB_VALIDATORS := libpdfbox2-java libactivation-java libjaxb-api-java default-jre-headless ghostscript

.PHONY: book test check bench check-epub ace-tools sysdeps lint clean

book: $(STAMP)
	$(BIN)/python build.py manuscript -o dist

test: $(STAMP) sysdeps ace-tools
	$(BIN)/ruff check kolofon tests bench build.py
	$(BIN)/python -m pytest -q
	$(BIN)/python build.py manuscript -o $(VENV)/check-dist --check -q

check: $(STAMP)
	$(BIN)/python build.py manuscript -o dist --check

lint: $(STAMP)
	$(BIN)/ruff check kolofon tests bench build.py

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
	  { echo "kolofon needs Python 3.11 or newer"; exit 1; }
	@$(PYTHON) -c 'import ctypes.util as u, sys; sys.exit(not u.find_library("pango-1.0"))' || \
	  { echo "WeasyPrint needs Pango: apt-get install libpango-1.0-0 libpangoft2-1.0-0"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -e '.[dev]'
	@# Bytecode now, as pip does for a regular install: an editable one leaves it to the first run,
	@# and where PYTHONDONTWRITEBYTECODE is set every run compiled kolofon again (~0.1 s a process).
	$(BIN)/python -m compileall -q kolofon
	@# WeasyPrint's C declarations compiled once (kolofon/layout/ffi.py): every layout server starts faster.
	$(BIN)/python -m kolofon.layout.ffi
	rm -f $(VENV)/.installed-*
	touch $@

# The validators the tests use. Installed when we are root (CI, fresh machines); otherwise we say how.
sysdeps:
	@command -v java >/dev/null && command -v gs >/dev/null && ls /usr/share/java/pdfbox2.jar /usr/share/java/javax.activation.jar /usr/share/java/jaxb-api.jar >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing $(DEB_VALIDATORS) (Debian) for EPUBCheck, PDF/A Preflight and ink coverage"; \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -q $(DEB_VALIDATORS) >/dev/null || \
	    { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $(DEB_VALIDATORS) >/dev/null; }; \
	  else \
	    echo "missing validators: sudo apt-get install $(DEB_VALIDATORS)"; \
	  fi; }

# DAISY Ace (accessibility checker) from npm, on Debian's Chromium; installed on first use. Ace is
# proved by running it: a copy that exists but does not start is installed again.
ACE := node_modules/.bin/ace-cli
ACE_VERSION := 1.4.6
ace-tools:
	@command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing chromium (Debian) for DAISY Ace"; \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null 2>&1 || \
	    { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null; }; \
	  else \
	    echo "missing for the accessibility test: sudo apt-get install chromium"; \
	  fi; }
	@if ! command -v npm >/dev/null; then echo "missing for the accessibility test: npm (apt-get install npm)"; \
	elif ! $(ACE) --version >/dev/null 2>&1; then rm -rf node_modules; \
	  echo "installing @daisy/ace-cli $(ACE_VERSION) (npm) into node_modules/"; \
	  PUPPETEER_SKIP_DOWNLOAD=true npm install --no-save --no-package-lock --silent @daisy/ace-cli@$(ACE_VERSION) && \
	  $(ACE) --version >/dev/null || { echo "DAISY Ace did not install (npm @daisy/ace-cli)"; exit 1; }; fi

check-epub: $(STAMP) ace-tools
	$(BIN)/python build.py manuscript -o dist -e epub -e pdf -q
	$(BIN)/python -c 'import sys; from pathlib import Path; from kolofon.checks.validate import epubcheck; \
	  p = next(Path("dist").glob("*.epub")); m = epubcheck(p); print("\n".join(m) or "EPUBCheck: clean"); sys.exit(bool(m))'
	PUPPETEER_EXECUTABLE_PATH=$$(command -v chromium) $(ACE) --force --outdir $(VENV)/ace-report dist/*.epub

bench: $(STAMP)
	$(BIN)/python bench/run.py

clean:
	rm -rf dist $(VENV)/check-dist
