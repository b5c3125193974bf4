package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"defus.de/portal/internal/postgres"
	"defus.de/portal/internal/seed"
)

const seedUsage = `usage: defus seed [-demo]

Adds what is missing of the real DEFUS network: the association's record, the
members with their contacts, the topics, the required pages and the
network's documented past events. Records that
exist are left alone, so running it again changes nothing.

  -demo   also add demo content (sample events) for development; never on a
          production database. The demo events say in their description that
          they are examples.
`

// seedCmd runs `defus seed [-demo]`.
func seedCmd(ctx context.Context, pool *pgxpool.Pool, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("seed", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	demo := fs.Bool("demo", false, "")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 {
		fmt.Fprint(stderr, seedUsage)
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return errors.New("seed: the only flag is -demo")
	}
	if err := postgres.CheckMigrated(ctx, pool); err != nil {
		return err
	}
	if !*demo {
		res, err := seed.Network(ctx, pool)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "seed: %v; no demo content (defus seed -demo adds it)\n", res)
		return nil
	}
	res, err := seed.Run(ctx, pool, time.Now())
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, "seed -demo:", res)
	return nil
}
