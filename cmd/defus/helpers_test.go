package main

import (
	"context"
	"os"
	"testing"

	"defus.de/portal/internal/dbtest"
	"defus.de/portal/internal/defus"
)

func TestMain(m *testing.M) {
	if os.Getenv(runMainEnv) == "1" {
		main() // this process plays `defus` (serve_test.go); main exits 1 on error
		return
	}
	// Cheap password hashing: the real parameters take 19 MiB a hash. (The
	// process that plays defus above keeps the real ones.)
	defus.SetPasswordParams(defus.PasswordParams{Memory: 64, Time: 1, Threads: 1})
	os.Exit(dbtest.Main(m))
}

func countEvents(t *testing.T) int {
	t.Helper()
	var n int
	if err := dbtest.Pool(t).QueryRow(context.Background(), `SELECT count(*) FROM events`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// dbEnv is an environment that names only the test's own database (dbtest.Pool).
func dbEnv(t *testing.T) func(string) string {
	t.Helper()
	url := dbtest.URL(t)
	return func(k string) string {
		if k == "DATABASE_URL" {
			return url
		}
		return ""
	}
}
