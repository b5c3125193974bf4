// Package migrations embeds the SQL migrations run by goose. Every migration
// has a working Down section so that `defus migrate down` can step back.
package migrations

import "embed"

// FS holds the *.sql migration files.
//
//go:embed *.sql
var FS embed.FS
