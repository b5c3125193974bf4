// Package devdb finds a PostgreSQL for development and tests, the same way for
// `make run` and `make test`: it uses the server DATABASE_URL names; where
// nothing answers on a local address but the PostgreSQL server binaries are
// installed, it starts a project-local cluster in the git-ignored folder
// .pgdata; and it creates the database when it does not exist yet.
//
// The production binary never uses this package.
package devdb

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// Ensure makes the database named in url exist on a running server and
// returns the URL to use. root is the repository root that holds .pgdata.
func Ensure(ctx context.Context, url, root string) (string, error) {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return "", fmt.Errorf("DATABASE_URL: %w", err)
	}
	err = createDatabase(ctx, cfg)
	if err == nil {
		if isLocal(cfg.Host) && localClusterPort(root) == int(cfg.Port) {
			fmt.Fprintf(os.Stderr, "devdb: using the project-local PostgreSQL in %s; 'make db-stop' stops it\n", ClusterDir(root))
		}
		return url, nil
	}
	if !unreachable(err) || !isLocal(cfg.Host) {
		return "", err
	}
	if err := startLocalCluster(ctx, root, cfg.Port); err != nil {
		return "", err
	}
	if err := createDatabase(ctx, cfg); err != nil {
		return "", err
	}
	return url, nil
}

// Maintenance returns a config for the "postgres" database on the same server.
func Maintenance(cfg *pgx.ConnConfig) *pgx.ConnConfig {
	m := cfg.Copy()
	m.Database = "postgres"
	m.ConnectTimeout = 3 * time.Second
	return m
}

func createDatabase(ctx context.Context, cfg *pgx.ConnConfig) error {
	conn, err := pgx.ConnectConfig(ctx, Maintenance(cfg))
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	var exists bool
	if err := conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", cfg.Database).Scan(&exists); err != nil {
		return fmt.Errorf("look up database %q: %w", cfg.Database, err)
	}
	if exists {
		return nil
	}
	_, err = conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{cfg.Database}.Sanitize())
	if err != nil && !isDuplicateDatabase(err) {
		return fmt.Errorf("create database %q: %w", cfg.Database, err)
	}
	return nil
}

func isDuplicateDatabase(err error) bool {
	return err != nil && (containsCode(err, "42P04"))
}

func unreachable(err error) bool {
	var opErr *net.OpError
	if errors.As(err, &opErr) {
		return true
	}
	var dnsErr *net.DNSError
	return errors.As(err, &dnsErr) || errors.Is(err, os.ErrNotExist) || errors.Is(err, context.DeadlineExceeded)
}

func isLocal(host string) bool {
	switch host {
	case "localhost", "127.0.0.1", "::1", "":
		return true
	}
	return filepath.IsAbs(host) // a unix socket directory
}

// serverBinDir finds the folder with initdb and pg_ctl: PATH first, then
// Debian's /usr/lib/postgresql/<version>/bin, newest version first.
func serverBinDir() (string, error) {
	if p, err := exec.LookPath("pg_ctl"); err == nil {
		if _, err := exec.LookPath("initdb"); err == nil {
			return filepath.Dir(p), nil
		}
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool {
		vi, _ := strconv.Atoi(filepath.Base(filepath.Dir(dirs[i])))
		vj, _ := strconv.Atoi(filepath.Base(filepath.Dir(dirs[j])))
		return vi > vj
	})
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
			return d, nil
		}
	}
	return "", errors.New("no PostgreSQL answers and no PostgreSQL server is installed: " +
		"install one (Debian/Ubuntu: apt-get install postgresql) or set DATABASE_URL to a running server")
}

// ClusterDir is the project-local cluster's data folder under root.
func ClusterDir(root string) string { return filepath.Join(root, ".pgdata") }

// pgUser runs the PostgreSQL server programs. PostgreSQL refuses to run as
// root, so a root process runs them as the "postgres" system user (which
// Debian's postgresql package creates) and gives .pgdata to that user.
type pgUser struct {
	bin      string   // folder with initdb and pg_ctl
	runAs    []string // command prefix, empty when not root
	uid, gid int
}

func newPGUser() (*pgUser, error) {
	bin, err := serverBinDir()
	if err != nil {
		return nil, err
	}
	p := &pgUser{bin: bin, uid: -1, gid: -1}
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			return nil, errors.New("running as root, and there is no 'postgres' system user to run the local PostgreSQL cluster as")
		}
		p.uid, _ = strconv.Atoi(u.Uid)
		p.gid, _ = strconv.Atoi(u.Gid)
		p.runAs = []string{"runuser", "-u", "postgres", "--"}
	}
	return p, nil
}

func (p *pgUser) run(ctx context.Context, name string, args ...string) error {
	argv := append(append([]string{}, p.runAs...), filepath.Join(p.bin, name))
	argv = append(argv, args...)
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Dir = os.TempDir() // a folder the postgres user may enter
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s: %w\n%s", name, err, out)
	}
	return nil
}

// own gives dir to the postgres user when running as root, and checks that
// this user can reach it: a repository under /root (mode 700) is out of its
// reach, and initdb would fail with a less helpful message.
func (p *pgUser) own(ctx context.Context, dir string) error {
	if p.runAs == nil {
		return nil
	}
	if err := filepath.Walk(dir, func(path string, _ os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		return os.Chown(path, p.uid, p.gid)
	}); err != nil {
		return fmt.Errorf("chown %s: %w", dir, err)
	}
	argv := append(append([]string{}, p.runAs...), "test", "-w", dir, "-a", "-x", dir)
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Dir = os.TempDir()
	if cmd.Run() != nil {
		return fmt.Errorf("running as root, the local PostgreSQL runs as the system user 'postgres', who cannot reach %s: "+
			"give the folders above it o+x (e.g. chmod o+x %s), move the repository, or set DATABASE_URL to a running server", dir, filepath.Dir(filepath.Dir(dir)))
	}
	return nil
}

func startLocalCluster(ctx context.Context, root string, port uint16) error {
	pg, err := newPGUser()
	if err != nil {
		return err
	}
	dir := ClusterDir(root)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("create %s: %w", dir, err)
	}
	if err := pg.own(ctx, dir); err != nil {
		return err
	}
	if _, err := os.Stat(filepath.Join(dir, "PG_VERSION")); err != nil {
		fmt.Fprintf(os.Stderr, "devdb: no PostgreSQL answers on port %d; creating a local cluster in %s\n", port, dir)
		if err := pg.run(ctx, "initdb", "-D", dir, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"); err != nil {
			return err
		}
	}
	fmt.Fprintf(os.Stderr, "devdb: starting the local PostgreSQL cluster in %s on port %d%s\n", dir, port, pg.as())
	opts := fmt.Sprintf("-p %d -c listen_addresses=localhost -k %s", port, dir)
	if err := pg.run(ctx, "pg_ctl", "-D", dir, "-l", filepath.Join(dir, "server.log"), "-o", opts, "-w", "start"); err != nil {
		return err
	}
	fmt.Fprintln(os.Stderr, "devdb: it keeps running when make ends; 'make db-stop' stops it")
	return nil
}

func (p *pgUser) as() string {
	if p.runAs == nil {
		return ""
	}
	return " as user postgres"
}

// localClusterPort is the port the project-local cluster runs on, from the
// fourth line of its postmaster.pid; 0 when it does not run.
func localClusterPort(root string) int {
	b, err := os.ReadFile(filepath.Join(ClusterDir(root), "postmaster.pid"))
	if err != nil {
		return 0
	}
	lines := strings.Split(string(b), "\n")
	if len(lines) < 4 {
		return 0
	}
	port, _ := strconv.Atoi(strings.TrimSpace(lines[3]))
	return port
}

// Stop stops the project-local cluster in root/.pgdata if it runs, and
// reports what it did on stderr. It never touches any other PostgreSQL.
func Stop(ctx context.Context, root string) error {
	dir := ClusterDir(root)
	if _, err := os.Stat(filepath.Join(dir, "postmaster.pid")); err != nil {
		fmt.Fprintf(os.Stderr, "devdb: no project-local PostgreSQL runs in %s\n", dir)
		return nil
	}
	pg, err := newPGUser()
	if err != nil {
		return err
	}
	if err := pg.run(ctx, "pg_ctl", "-D", dir, "-m", "fast", "-w", "stop"); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "devdb: stopped the project-local PostgreSQL in %s (its data stays there)\n", dir)
	return nil
}

// RepoRoot walks up from the working directory to the folder with go.mod.
func RepoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("go.mod not found above the working directory")
		}
		dir = parent
	}
}
