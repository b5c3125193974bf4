package devdb

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/jackc/pgx/v5"
)

// TestEnsureStartsALocalCluster points at a port where nothing answers and
// expects a project-local cluster in root/.pgdata with the database created.
func TestEnsureStartsALocalCluster(t *testing.T) {
	bin, err := serverBinDir()
	if err != nil {
		t.Skip("no PostgreSQL server binaries:", err)
	}
	if testing.Short() {
		t.Skip("starts a PostgreSQL cluster")
	}
	root := t.TempDir()
	// The cluster may run as the postgres user, who must reach the folder.
	for d := root; d != filepath.Dir(d) && d != os.TempDir(); d = filepath.Dir(d) {
		os.Chmod(d, 0o755)
	}
	port := freePort(t)
	url := fmt.Sprintf("postgres://postgres@localhost:%d/devdb_probe?sslmode=disable", port)
	t.Cleanup(func() {
		argv := []string{filepath.Join(bin, "pg_ctl"), "-D", filepath.Join(root, ".pgdata"), "-m", "immediate", "stop"}
		if os.Geteuid() == 0 {
			argv = append([]string{"runuser", "-u", "postgres", "--"}, argv...)
		}
		exec.Command(argv[0], argv[1:]...).Run()
	})

	ctx := context.Background()
	got, err := Ensure(ctx, url, root)
	if err != nil {
		t.Fatal(err)
	}
	if got != url {
		t.Errorf("Ensure returned %q, want %q", got, url)
	}
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatalf("database not reachable after Ensure: %v", err)
	}
	conn.Close(ctx)
	// A second call finds the running cluster and changes nothing.
	if _, err := Ensure(ctx, url, root); err != nil {
		t.Fatal(err)
	}
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}
