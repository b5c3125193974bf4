package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"defus.de/portal/internal/dbtest"
)

// runMainEnv makes this test binary play the real defus binary (see
// TestMain), so the shutdown tests send real signals to a real process and
// read its real exit code.
const runMainEnv = "DEFUS_TEST_RUN_MAIN"

// defusProcess is `defus serve` running in its own process.
type defusProcess struct {
	cmd  *exec.Cmd
	addr string
	done chan struct{} // closed when the process has exited
	err  error         // cmd.Wait's result, after done

	mu    sync.Mutex
	lines []string
	seen  *sync.Cond
}

// startServe starts `defus serve` on a free port against the test's own
// database and waits until it listens.
func startServe(t *testing.T, env ...string) *defusProcess {
	t.Helper()
	cmd := exec.Command(os.Args[0], "serve")
	cmd.Env = append(os.Environ(), runMainEnv+"=1", "DATABASE_URL="+dbtest.URL(t),
		"ADDR=127.0.0.1:0", "LOG_LEVEL=info", "SMTP_URL=")
	cmd.Env = append(cmd.Env, env...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	p := &defusProcess{cmd: cmd, done: make(chan struct{})}
	p.seen = sync.NewCond(&p.mu)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			p.mu.Lock()
			p.lines = append(p.lines, sc.Text())
			p.seen.Broadcast()
			p.mu.Unlock()
		}
		p.err = cmd.Wait()
		close(p.done)
		p.mu.Lock()
		p.seen.Broadcast()
		p.mu.Unlock()
	}()
	t.Cleanup(func() {
		select {
		case <-p.done:
		default:
			cmd.Process.Kill()
			<-p.done
		}
	})
	line := p.waitFor(t, "msg=listening")
	m := regexp.MustCompile(` addr=(\S+)`).FindStringSubmatch(line)
	if m == nil {
		t.Fatalf("no address in %q", line)
	}
	p.addr = m[1]
	return p
}

// waitFor returns the first log line containing s, failing the test when
// the process exits without writing it.
func (p *defusProcess) waitFor(t *testing.T, s string) string {
	t.Helper()
	p.mu.Lock()
	defer p.mu.Unlock()
	for {
		for _, l := range p.lines {
			if strings.Contains(l, s) {
				return l
			}
		}
		select {
		case <-p.done:
			t.Fatalf("defus serve exited (%v) without logging %q:\n%s", p.err, s, strings.Join(p.lines, "\n"))
		default:
		}
		p.seen.Wait()
	}
}

func (p *defusProcess) log() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return strings.Join(p.lines, "\n")
}

func (p *defusProcess) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// wait waits for the process to exit and returns its exit code.
func (p *defusProcess) wait(t *testing.T) int {
	t.Helper()
	select {
	case <-p.done:
	case <-time.After(time.Minute):
		t.Fatalf("defus serve did not exit:\n%s", p.log())
	}
	var exit *exec.ExitError
	if errors.As(p.err, &exit) {
		return exit.ExitCode()
	}
	if p.err != nil {
		t.Fatal(p.err)
	}
	return 0
}

// refused reports whether a new connection to addr is refused, retrying for
// a while: the listener closes just after the "shutting down" log line.
func refused(addr string) error {
	var err error
	for range 200 {
		var c net.Conn
		c, err = net.Dial("tcp", addr)
		if err != nil {
			// A connection the kernel queued just before the listener
			// closed is reset, not refused: served it was not either.
			if errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) {
				return nil
			}
			return err
		}
		c.Close()
		time.Sleep(10 * time.Millisecond)
	}
	return fmt.Errorf("connections still accepted: %v", err)
}

// startSlowUpload sends the headers and the first half of a form POST and
// returns once the handler has begun reading the body (the server answers
// "100 Continue" only then). finish sends the rest and reads the response.
func startSlowUpload(t *testing.T, addr string) (finish func() (*http.Response, error)) {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	body := "organisation=Stadt+Beispiel&notiz=" + strings.Repeat("x", 32<<10)
	half := len(body) / 2
	fmt.Fprintf(conn, "POST /mitgliedschaft/anfrage HTTP/1.1\r\nHost: %s\r\n"+
		"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\nExpect: 100-continue\r\n\r\n", addr, len(body))
	br := bufio.NewReader(conn)
	status, err := br.ReadString('\n')
	if err != nil || !strings.Contains(status, "100 Continue") {
		t.Fatalf("want 100 Continue before the body, got %q, %v", status, err)
	}
	if _, err := br.ReadString('\n'); err != nil { // the blank line after it
		t.Fatal(err)
	}
	if _, err := io.WriteString(conn, body[:half]); err != nil {
		t.Fatal(err)
	}
	return func() (*http.Response, error) {
		if _, err := io.WriteString(conn, body[half:]); err != nil {
			return nil, err
		}
		req, _ := http.NewRequest(http.MethodPost, "/mitgliedschaft/anfrage", nil)
		resp, err := http.ReadResponse(br, req)
		if err == nil {
			_, err = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
		return resp, err
	}
}

// TestServeStopsGracefullyOnSIGTERM: a request whose body is still arriving
// when SIGTERM comes is answered in full; new connections are refused from
// the moment the shutdown starts; the process exits 0 and says so.
func TestServeStopsGracefullyOnSIGTERM(t *testing.T) {
	p := startServe(t)
	finish := startSlowUpload(t, p.addr)

	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	p.waitFor(t, "shutting down")
	if err := refused(p.addr); err != nil {
		t.Errorf("during the shutdown: %v", err)
	}
	if p.exited() {
		t.Fatalf("exited while a request was still running:\n%s", p.log())
	}

	resp, err := finish()
	if err != nil {
		t.Fatalf("the running request was not answered: %v\n%s", err, p.log())
	}
	t.Logf("the running request was answered %s", resp.Status)
	if resp.StatusCode >= 500 {
		t.Errorf("running request answered %d, want a regular answer", resp.StatusCode)
	}
	if code := p.wait(t); code != 0 {
		t.Errorf("exit code %d, want 0\n%s", code, p.log())
	}
	log := p.log()
	order := []string{"shutting down", "all requests finished", "mail worker stopped", "stopped cleanly"}
	last := -1
	for _, s := range order {
		i := strings.Index(log, s)
		if i < last {
			t.Errorf("log line %q missing or out of order (want %q):\n%s", s, order, log)
		}
		last = i
	}
	if err := refused(p.addr); err != nil {
		t.Errorf("after exit: %v", err)
	}
}

// TestServeCutsOffRequestsAfterTheShutdownTimeout: a request that does not
// finish within SHUTDOWN_TIMEOUT cannot hold the process; it exits non-zero
// and says why.
func TestServeCutsOffRequestsAfterTheShutdownTimeout(t *testing.T) {
	p := startServe(t, "SHUTDOWN_TIMEOUT=1s")
	startSlowUpload(t, p.addr) // never finished
	if err := p.cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	if code := p.wait(t); code != 1 {
		t.Errorf("exit code %d, want 1", code)
	}
	if log := p.log(); !strings.Contains(log, "cut off") || strings.Contains(log, "stopped cleanly") {
		t.Errorf("log does not say that requests were cut off:\n%s", log)
	}
}

// slowInbox is an SMTP server that holds every mail's DATA until released.
type slowInbox struct {
	inData  chan struct{} // a DATA command has started
	release chan struct{}
	mu      sync.Mutex
	got     int
}

type slowSession struct{ in *slowInbox }

func (s slowSession) Reset()                               {}
func (s slowSession) Logout() error                        { return nil }
func (s slowSession) Mail(string, *smtp.MailOptions) error { return nil }
func (s slowSession) Rcpt(string, *smtp.RcptOptions) error { return nil }
func (s slowSession) Data(r io.Reader) error {
	if _, err := io.ReadAll(r); err != nil {
		return err
	}
	s.in.inData <- struct{}{}
	<-s.in.release
	s.in.mu.Lock()
	s.in.got++
	s.in.mu.Unlock()
	return nil
}

// TestServeFinishesTheMailInHandOnSIGTERM: SIGTERM in the middle of an SMTP
// conversation lets the worker finish that mail and record it as sent
// before the process exits, so it is neither lost nor sent again.
func TestServeFinishesTheMailInHandOnSIGTERM(t *testing.T) {
	ctx := context.Background()
	pool := dbtest.Pool(t)
	if _, err := pool.Exec(ctx, `DELETE FROM mails`); err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `INSERT INTO mails (from_addr, to_addr, subject, body, message_id, next_attempt_at)
		VALUES ('defus@defus.de', 'buero@example.org', 'Test', 'Hallo', '<shutdown-test@defus.de>', now() - interval '1 minute')`); err != nil {
		t.Fatal(err)
	}
	in := &slowInbox{inData: make(chan struct{}, 1), release: make(chan struct{})}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return slowSession{in}, nil }))
	srv.Domain = "localhost"
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })

	p := startServe(t, "SMTP_URL=smtp://"+l.Addr().String())
	select {
	case <-in.inData:
	case <-p.done:
		t.Fatalf("exited before sending:\n%s", p.log())
	}
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	p.waitFor(t, "waiting for the mail worker to finish the mail in hand")
	if p.exited() {
		t.Fatalf("exited in the middle of an SMTP conversation:\n%s", p.log())
	}
	close(in.release)
	if code := p.wait(t); code != 0 {
		t.Errorf("exit code %d, want 0\n%s", code, p.log())
	}
	var status string
	if err := pool.QueryRow(ctx, `SELECT status FROM mails WHERE message_id = '<shutdown-test@defus.de>'`).Scan(&status); err != nil {
		t.Fatal(err)
	}
	in.mu.Lock()
	got := in.got
	in.mu.Unlock()
	if status != "sent" || got != 1 {
		t.Errorf("after shutdown the mail is %q and the server accepted it %d times; want sent, once\n%s", status, got, p.log())
	}
}
