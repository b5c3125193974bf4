// Command defus is the DEFUS portal: one binary that serves the site, runs
// its migrations and seeds a new database.
//
//	defus serve
//	defus migrate up|down|status
//	defus seed [-demo]
//	defus user add|set-password|disable|unlock
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"
	_ "time/tzdata" // Europe/Berlin even where the system has no zoneinfo

	"defus.de/portal/internal/config"
	"defus.de/portal/internal/logbuf"
	"defus.de/portal/internal/postgres"
)

const usage = `usage: defus <command>

commands:
  serve                    run the web server (ADDR, default :8080)
  migrate up|down|status   apply, roll back one, or list the database migrations
  seed [-demo]             add what is missing of the real DEFUS network (members,
                           topics, required pages, the association's record, the
                           documented past events); -demo also adds upcoming
                           sample events, for development only
  user add|set-password|disable|unlock
                           manage accounts (defus user for details)
  benchdata -benchmark-database
                           for benchmarks only: made-up data at 100 times
                           today's size (defus benchdata -h)

Settings come from the environment; see .env.example.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	// After the first signal a second one ends the process at once, as
	// without a handler (Ctrl-C twice when a shutdown takes too long).
	go func() { <-ctx.Done(); stop() }()
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "defus:", err)
		os.Exit(1)
	}
}

var errUsage = errors.New("see usage above")

// run is the whole program, with its environment passed in so tests can call it.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprint(stderr, usage)
		if len(args) == 0 {
			return errUsage
		}
		return nil
	}
	cfg, err := config.Load(getenv)
	if err != nil {
		return err
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "serve", "migrate", "seed", "user", "benchdata":
	default:
		fmt.Fprint(stderr, usage)
		return fmt.Errorf("unknown command %q", cmd)
	}

	var log *slog.Logger
	if cmd == "serve" {
		// A line per request: written together every 200 ms, warnings and
		// errors at once (see logbuf).
		out := logbuf.New(stderr, 200*time.Millisecond)
		defer out.Close()
		log = slog.New(logbuf.Handler(slog.NewTextHandler(out, &slog.HandlerOptions{Level: cfg.LogLevel}), out, slog.LevelWarn))
	} else {
		log = slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: cfg.LogLevel}))
	}

	pool, err := postgres.OpenWith(ctx, cfg.DatabaseURL,
		postgres.Settings{MaxConns: cfg.DBMaxConns, StatementTimeout: cfg.DBStatementTimeout})
	if err != nil {
		return err
	}
	defer pool.Close()

	switch cmd {
	case "serve":
		err := serve(ctx, cfg, pool, log)
		pool.Close() // last: the server and the mail worker are done with it
		if err == nil {
			log.Info("stopped cleanly")
		}
		return err
	case "migrate":
		return migrate(ctx, pool, rest, stdout)
	case "user":
		return userCmd(ctx, pool, rest, stdin, stdout, stderr)
	case "benchdata":
		return benchdataCmd(ctx, pool, rest, stdout, stderr)
	default:
		return seedCmd(ctx, pool, rest, stdout, stderr)
	}
}
