# Two commands do all the set-up (see README): `make demo` and `make test`.
# Each creates the virtual environment on first use, pinned by constraints.txt.

VENV    := .venv
PY      := $(VENV)/bin/python
KG      := $(VENV)/bin/kg
STAMP   := $(VENV)/.installed

.PHONY: demo test system-deps lint clean

demo: $(STAMP)
	$(KG) build data/sample --store out/store -o out/graph.trig --html out/graph.html

test: $(STAMP) system-deps
	$(VENV)/bin/ruff check src tests bench scripts
	$(VENV)/bin/pytest

$(STAMP): pyproject.toml constraints.txt
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e '.[test]'
	touch $(STAMP)

# Headless Chromium for the browser tests, a CJK font so Chinese renders as text,
# and Java for the HermiT reasoner. Installed only when missing (needs root or sudo).
system-deps:
	@missing=""; \
	test -x /usr/bin/chromium || missing="$$missing chromium"; \
	fc-list 2>/dev/null | grep -qi "noto sans cjk\|wenquanyi" || missing="$$missing fonts-noto-cjk"; \
	command -v java >/dev/null || missing="$$missing default-jre-headless"; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests bench scripts

clean:
	rm -rf out test-output .pytest_cache
