package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"defus.de/portal/internal/seed"
)

// seedCmd runs `defus seed`.
func seedCmd(ctx context.Context, pool *pgxpool.Pool, stdout io.Writer) error {
	res, err := seed.Run(ctx, pool, time.Now())
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, "seed:", res)
	return nil
}
