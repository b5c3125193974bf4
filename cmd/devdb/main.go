// Command devdb is a development helper used by the Makefile, not part of the
// product: it makes sure the database in DATABASE_URL exists on a running
// PostgreSQL (starting a project-local cluster in .pgdata when none answers)
// and prints the URL to use. With -stop (make db-stop) it stops that
// project-local cluster instead.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"defus.de/portal/internal/config"
	"defus.de/portal/internal/devdb"
)

func main() {
	stop := flag.Bool("stop", false, "stop the project-local PostgreSQL in .pgdata")
	flag.Parse()
	url := os.Getenv("DATABASE_URL")
	if url == "" {
		url = config.DefaultDatabaseURL
	}
	root, err := devdb.RepoRoot()
	if err == nil && *stop {
		err = devdb.Stop(context.Background(), root)
	} else if err == nil {
		url, err = devdb.Ensure(context.Background(), url, root)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "devdb:", err)
		os.Exit(1)
	}
	if !*stop {
		fmt.Println(url)
	}
}
