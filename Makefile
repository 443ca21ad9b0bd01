# 共建 Gongjian — the two commands are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export DJANGO_SETTINGS_MODULE ?= config.settings.dev
TEST_POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/test

.PHONY: run test lint typecheck test-sqlite test-postgres e2e bench bench-quick vendor install migrate demo messages clean

$(BIN)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

install: $(BIN)/.installed

migrate: install
	$(BIN)/gongjian init-secrets
	$(BIN)/gongjian migrate --noinput -v 0

demo: migrate
	$(BIN)/gongjian demo

## make run: install, migrate, load the demo county, serve on http://127.0.0.1:$(PORT) with the worker.
run: demo
	$(BIN)/gongjian collectstatic --noinput -v 0
	@command -v soffice >/dev/null || echo "提示：本机未安装 LibreOffice，公文暂时只能下载 Word（.docx）文件；要下载 PDF，请先运行 make office"
	@echo ""
	@echo "共建 Gongjian 已启动：http://127.0.0.1:$(PORT)/   （工作台 /work/，按 Ctrl+C 停止）"
	@echo ""
	@trap 'kill 0' INT TERM EXIT; \
	  (while true; do $(BIN)/gongjian db_worker --queue-name '*'; echo "后台进程已退出，2秒后重启"; sleep 2; done) & \
	  (while true; do $(BIN)/gongjian scheduler; echo "调度进程已退出，2秒后重启"; sleep 2; done) & \
	  $(BIN)/gunicorn config.wsgi:application --bind 127.0.0.1:$(PORT) --workers 2 --threads 4 \
	    --access-logfile - --log-level warning \
	    --access-logformat '%(h)s %(t)s "%(m)s %(U)s" %(s)s %(b)s %(L)ss'

## make office: the Debian packages that turn 公文 into PDF (LibreOffice without a GUI, the CJK fonts
## that stand in for the 公文 fonts, poppler-utils for the layout tests); `make run` works without them.
.PHONY: office
office:
	sudo=$$( [ "$$(id -u)" = 0 ] || echo sudo ); $$sudo apt-get update -qq && \
	  $$sudo apt-get install -y --no-install-recommends \
	  libreoffice-writer-nogui fonts-noto-cjk fonts-arphic-ukai poppler-utils

lint: install
	$(BIN)/ruff check .

typecheck: install
	$(BIN)/mypy gongjian config

# The suite without the browser runs on two processes (pytest-xdist, one test database each); the
# browser tests run on their own after it (one Chromium, one live server).
test-sqlite: install
	DJANGO_SETTINGS_MODULE=config.settings.test DATABASE_URL= $(BIN)/pytest -q -p no:cacheprovider -n 2 -m "not e2e"
	DJANGO_SETTINGS_MODULE=config.settings.test DATABASE_URL= $(BIN)/pytest -q -p no:cacheprovider e2e

test-postgres: install
	@if $(BIN)/python -c "import psycopg,sys; psycopg.connect('$(TEST_POSTGRES_URL)', connect_timeout=3).close()" 2>/dev/null; then \
	  DJANGO_SETTINGS_MODULE=config.settings.test DATABASE_URL=$(TEST_POSTGRES_URL) $(BIN)/pytest -q -p no:cacheprovider -n 2 -m "not e2e"; \
	elif [ "$$CI" = "true" ]; then echo "PostgreSQL at $(TEST_POSTGRES_URL) is not reachable" >&2; exit 1; \
	else echo "PostgreSQL not reachable at $(TEST_POSTGRES_URL): skipping the PostgreSQL run (CI requires it)"; fi

## make test: lint, types, the whole suite on SQLite (with the browser tests), then on PostgreSQL.
test: lint typecheck test-sqlite test-postgres bench-quick

e2e: install
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/pytest -q -p no:cacheprovider e2e

bench: install
	$(BIN)/python -m bench

bench-quick: install
	$(BIN)/python -m bench --quick --rounds 1 --seconds 1

## make vendor: refresh the front-end files under gongjian/static/vendor from the npm registry.
vendor:
	bash scripts/vendor.sh

messages: install
	cd gongjian && ../$(BIN)/gongjian makemessages -l en --no-obsolete && ../$(BIN)/gongjian compilemessages

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
