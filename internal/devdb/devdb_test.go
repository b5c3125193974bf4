package devdb

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
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

	// make db-stop stops it; a second stop finds nothing to do.
	if err := Stop(ctx, root); err != nil {
		t.Fatal(err)
	}
	if conn, err := pgx.Connect(ctx, url); err == nil {
		conn.Close(ctx)
		t.Error("the local cluster still answers after Stop")
	}
	if err := Stop(ctx, root); err != nil {
		t.Errorf("Stop without a running cluster: %v", err)
	}
}

// TestEnsureAsRootNamesAFolderThePostgresUserCannotReach: as root the
// cluster runs as the postgres user; a repository in a folder only root may
// enter (such as /root) gets a message saying so instead of initdb's error.
func TestEnsureAsRootNamesAFolderThePostgresUserCannotReach(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("only root hands the cluster to the postgres user")
	}
	if _, err := serverBinDir(); err != nil {
		t.Skip("no PostgreSQL server binaries:", err)
	}
	private := t.TempDir()
	if err := os.Chmod(private, 0o700); err != nil {
		t.Fatal(err)
	}
	root := filepath.Join(private, "repo")
	if err := os.Mkdir(root, 0o755); err != nil {
		t.Fatal(err)
	}
	url := fmt.Sprintf("postgres://postgres@localhost:%d/devdb_probe?sslmode=disable", freePort(t))
	_, err := Ensure(context.Background(), url, root)
	if err == nil || !strings.Contains(err.Error(), "cannot reach") {
		t.Errorf("err = %v, want one naming the folder the postgres user cannot reach", err)
	}
	if _, err := os.Stat(filepath.Join(root, ".pgdata", "PG_VERSION")); err == nil {
		t.Error("initdb ran anyway")
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
