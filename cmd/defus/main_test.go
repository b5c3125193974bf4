package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"defus.de/portal/internal/dbtest"
)

func TestRunRejectsBadSettingsInOneLine(t *testing.T) {
	var stdout, stderr bytes.Buffer
	env := map[string]string{"LOG_LEVEL": "laut"}
	err := run(context.Background(), []string{"serve"}, func(k string) string { return env[k] }, nil, &stdout, &stderr)
	if err == nil || !strings.HasPrefix(err.Error(), "LOG_LEVEL:") || strings.Contains(err.Error(), "\n") {
		t.Errorf("err = %v, want one line naming LOG_LEVEL", err)
	}
}

func TestRunUnknownCommand(t *testing.T) {
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), []string{"fly"}, func(string) string { return "" }, nil, &stdout, &stderr)
	if err == nil || !strings.Contains(stderr.String(), "usage: defus") {
		t.Errorf("err = %v, stderr = %q; want an error and the usage", err, stderr.String())
	}
}

// TestMigrateAndSeedCommands runs the subcommands on the test's database:
// down and up again, then seed twice.
func TestMigrateAndSeedCommands(t *testing.T) {
	env := dbEnv(t)
	ctx := context.Background()
	cmd := func(args ...string) string {
		t.Helper()
		var stdout, stderr bytes.Buffer
		if err := run(ctx, args, env, nil, &stdout, &stderr); err != nil {
			t.Fatalf("defus %v: %v\n%s", args, err, stderr.String())
		}
		return stdout.String()
	}
	if out := cmd("migrate", "status"); !strings.Contains(out, "00001_foundation.sql") || strings.Contains(out, "pending") {
		t.Errorf("migrate status on a migrated database:\n%s", out)
	}
	// Step every migration down and back up: each Down must work.
	for strings.Contains(cmd("migrate", "status"), "applied") {
		cmd("migrate", "down")
	}
	cmd("migrate", "up")

	// The real seed, as on a production database: the network with its
	// documented past events, no demo events.
	if out := cmd("seed"); !strings.Contains(out, "20 members") || !strings.Contains(out, "no demo content") {
		t.Errorf("first seed: %q", out)
	}
	past := countEvents(t)
	if past == 0 {
		t.Error("defus seed wrote no documented events")
	}
	if out := cmd("seed"); !strings.Contains(out, "0 members, 0 contacts, 0 topics, 0 pages, 0 events") {
		t.Errorf("second seed changed something: %q", out)
	}
	// The demo after it adds events only, once.
	if out := cmd("seed", "-demo"); !strings.Contains(out, "0 members, 0 contacts, 0 topics, 0 pages") || countEvents(t) < past+10 {
		t.Errorf("seed -demo after seed: %q, %d events", out, countEvents(t))
	}
	if out := cmd("seed", "-demo"); !strings.Contains(out, "0 members, 0 contacts, 0 topics, 0 pages, 0 events") {
		t.Errorf("second seed -demo changed something: %q", out)
	}

	var stdout, stderr bytes.Buffer
	if err := run(ctx, []string{"seed", "-demos"}, env, nil, &stdout, &stderr); err == nil || !strings.Contains(stderr.String(), "usage: defus seed [-demo]") {
		t.Errorf("seed -demos: err = %v, stderr = %q; want an error and the usage", err, stderr.String())
	}
}

func TestServeRefusesAnUnmigratedDatabase(t *testing.T) {
	url := dbtest.URL(t)
	env := func(k string) string {
		if k == "DATABASE_URL" {
			return url
		}
		return ""
	}
	ctx := context.Background()
	var out bytes.Buffer
	if err := run(ctx, []string{"migrate", "down"}, env, nil, &out, &out); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { run(ctx, []string{"migrate", "up"}, env, nil, &out, &out) })
	err := run(ctx, []string{"serve"}, env, nil, &out, &out)
	if err == nil || !strings.Contains(err.Error(), "defus migrate up") {
		t.Errorf("serve on an unmigrated database: err = %v", err)
	}
}
