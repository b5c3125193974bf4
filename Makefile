# DEFUS portal. `make run` and `make test` are the whole set-up (see README.md).

-include .env
export

GO      ?= go
BIN     := bin/defus
DEVDB   := $(GO) run ./cmd/devdb

.PHONY: run build test generate check-generate vet web-deps clean

## run: create/migrate/seed (with demo content) the database and serve on :8080
run: build
	@DATABASE_URL="$$($(DEVDB))" || exit 1; export DATABASE_URL; \
	./$(BIN) migrate up && ./$(BIN) seed -demo && exec ./$(BIN) serve

## build: compile the binary to bin/defus
build: generate
	$(GO) build -o $(BIN) ./cmd/defus

## generate: regenerate templ components
generate:
	$(GO) tool templ generate >/dev/null

## test: vet, check generated files are current, run all tests against PostgreSQL and Chromium
test: vet check-generate web-deps
	@DATABASE_URL="$$($(DEVDB))" || exit 1; export DATABASE_URL; \
	$(GO) test -race -count=1 ./...

## bench: benchmarks against PostgreSQL (public pages, memory under a login flood), then
## the load comparison with nginx serving the same bytes (needs wrk and nginx) on a database
## of its own, BENCH_DATABASE_URL; see README "Geschwindigkeit"
.PHONY: bench bench-load
BENCH_DATABASE_URL ?= postgres://postgres@localhost:5432/defus_bench?sslmode=disable
bench:
	@DATABASE_URL="$$($(DEVDB))" || exit 1; export DATABASE_URL; \
	$(GO) test -run='^$$' -bench=. -benchmem ./...
	@$(MAKE) --no-print-directory bench-load

## bench-100: every page at 100 times today's data (defus benchdata on BENCH100_DATABASE_URL),
## median of 50 requests each without the page cache, and the memory of the CSV export
BENCH100_DATABASE_URL ?= postgres://postgres@localhost:5432/defus_bench100?sslmode=disable
.PHONY: bench-100
bench-100: build
	@DATABASE_URL="$$(DATABASE_URL='$(BENCH100_DATABASE_URL)' $(DEVDB))" || exit 1; export DATABASE_URL; \
	./$(BIN) migrate up >/dev/null && ./$(BIN) seed -demo >/dev/null && ./$(BIN) benchdata -benchmark-database && \
	$(GO) run ./cmd/loadbench -bin $(BIN) -db "$$DATABASE_URL" -login bench@defus.example:bench-passwort-123 -medians all && \
	$(GO) run ./cmd/loadbench -bin $(BIN) -db "$$DATABASE_URL" -login bench@defus.example:bench-passwort-123 -n 3 -medians /admin/anfragen/export.csv

## bench-load: only the load comparison of bench
bench-load: build
	@command -v wrk >/dev/null && command -v nginx >/dev/null || { echo "bench-load needs wrk and nginx: apt-get install -y wrk nginx"; exit 1; }
	@DATABASE_URL="$$(DATABASE_URL='$(BENCH_DATABASE_URL)' $(DEVDB))" || exit 1; export DATABASE_URL; \
	./$(BIN) migrate up >/dev/null && ./$(BIN) seed -demo >/dev/null && \
	$(GO) run ./cmd/loadbench -bin $(BIN) -db "$$DATABASE_URL"

vet:
	$(GO) vet ./...

## check-generate: fail when generating templ would change a committed file
check-generate:
	@$(GO) tool templ generate >/dev/null
	@if git rev-parse --git-dir >/dev/null 2>&1 && ! git diff --quiet -- 'web/view/*_templ.go'; then \
		echo "generated templ files are out of date; run 'make generate' and commit them"; \
		git --no-pager diff --stat -- 'web/view/*_templ.go'; exit 1; fi
	@if git rev-parse --git-dir >/dev/null 2>&1 && [ -n "$$(git ls-files --others --exclude-standard -- 'web/view/*_templ.go')" ]; then \
		echo "uncommitted generated templ files:"; git ls-files --others --exclude-standard -- 'web/view/*_templ.go'; exit 1; fi

## web-deps: axe-core for the accessibility checks in the browser tests
web-deps: web/node_modules/axe-core/axe.min.js

web/node_modules/axe-core/axe.min.js: web/package.json web/package-lock.json
	cd web && npm ci --no-audit --no-fund --loglevel=error

clean:
	rm -rf bin

.PHONY: db-stop
## db-stop: stop the project-local PostgreSQL that make run/test started in .pgdata (its data stays)
db-stop:
	@$(DEVDB) -stop
