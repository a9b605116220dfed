// Package pgtest gives tests a real PostgreSQL server (pgstore's contract
// tests and the serverless targets' tests): BLUESTREAM_PG_DSN names an
// existing server, or the test binary starts Debian's PostgreSQL in a
// temporary directory. Without either, tests skip and say why.
package pgtest

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// dsnEnv names an existing server to test against instead of starting one.
// Its role must be allowed to create databases.
const dsnEnv = "BLUESTREAM_PG_DSN"

// Server is the PostgreSQL server of one test binary.
type Server struct {
	dsn  string // administrative connection, to the postgres database
	skip string // why tests cannot run, when they cannot
	proc *postgres
}

// Start returns the server named by BLUESTREAM_PG_DSN, or starts Debian's
// PostgreSQL. A machine without PostgreSQL is no error: the Server then
// skips every test that asks it for a database. Call Stop after m.Run.
func Start() (*Server, error) {
	if dsn := os.Getenv(dsnEnv); dsn != "" {
		return &Server{dsn: dsn}, nil
	}
	bin, err := findPostgres()
	if err != nil {
		return &Server{skip: err.Error()}, nil
	}
	p, err := startPostgres(bin)
	if err != nil {
		return nil, fmt.Errorf("starting PostgreSQL from %s: %w", bin, err)
	}
	return &Server{dsn: p.dsn, proc: p}, nil
}

// Stop stops a server Start started.
func (s *Server) Stop() error {
	if s.proc == nil {
		return nil
	}
	return s.proc.stop()
}

// Require skips t when there is no server.
func (s *Server) Require(t testing.TB) {
	t.Helper()
	if s.skip != "" {
		t.Skip(s.skip)
	}
}

// Database creates an empty database for t, dropped when t ends, and
// returns its DSN. It skips t when there is no server.
func (s *Server) Database(t testing.TB) string {
	t.Helper()
	s.Require(t)
	ctx := t.Context()
	name := "test_" + strings.ToLower(rand.Text()[:12])
	admin, err := pgx.Connect(ctx, s.dsn)
	if err != nil {
		t.Fatalf("connecting to the test server: %v", err)
	}
	defer admin.Close(context.WithoutCancel(ctx))
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
		t.Fatalf("creating database %s: %v", name, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		admin, err := pgx.Connect(ctx, s.dsn)
		if err != nil {
			t.Errorf("connecting to drop database %s: %v", name, err)
			return
		}
		defer admin.Close(ctx)
		if _, err := admin.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)"); err != nil {
			t.Errorf("dropping database %s: %v", name, err)
		}
	})
	return withDatabase(t, s.dsn, name)
}

// withDatabase is dsn (a URL or key=value string) naming database name.
func withDatabase(t testing.TB, dsn, name string) string {
	t.Helper()
	if strings.Contains(dsn, "://") {
		u, err := url.Parse(dsn)
		if err != nil {
			t.Fatalf("parsing %s: invalid URL", dsnEnv)
		}
		u.Path = "/" + name
		return u.String()
	}
	return dsn + " dbname=" + name // the last of a repeated keyword wins
}

// findPostgres returns the bin directory of the newest PostgreSQL that
// Debian's postgresql package installed.
func findPostgres() (string, error) {
	found, _ := filepath.Glob("/usr/lib/postgresql/*/bin/postgres")
	var dirs []string
	for _, p := range found {
		if _, err := os.Stat(filepath.Join(filepath.Dir(p), "initdb")); err == nil {
			dirs = append(dirs, filepath.Dir(p))
		}
	}
	if len(dirs) == 0 {
		return "", fmt.Errorf("no PostgreSQL server in /usr/lib/postgresql/*/bin: install Debian's postgresql package (apt-get install postgresql) or set %s", dsnEnv)
	}
	version := func(dir string) int {
		n, _ := strconv.Atoi(filepath.Base(filepath.Dir(dir)))
		return n
	}
	return slices.MaxFunc(dirs, func(a, b string) int { return version(a) - version(b) }), nil
}

// postgres is a server this test binary started.
type postgres struct {
	dir    string
	dsn    string
	log    *os.File
	cmd    *exec.Cmd
	exited chan struct{} // closed when cmd has been waited for
}

// startPostgres initialises a cluster in a temporary directory and starts
// a server on a free loopback port. As root it runs the server as the
// postgres user (initdb and postgres refuse to run as root); the server
// gets SIGQUIT (immediate shutdown) if this process dies first.
func startPostgres(bin string) (_ *postgres, err error) {
	cred, err := serverCredential()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "serverless-pgtest-")
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			err = errors.Join(err, os.RemoveAll(dir))
		}
	}()
	if cred != nil {
		if err := os.Chown(dir, int(cred.Uid), int(cred.Gid)); err != nil {
			return nil, fmt.Errorf("handing %s to the postgres user: %w", dir, err)
		}
	}
	data := filepath.Join(dir, "data")
	initdb := exec.Command(filepath.Join(bin, "initdb"), "-D", data, "-U", "postgres",
		"--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync")
	initdb.SysProcAttr = &syscall.SysProcAttr{Credential: cred, Pdeathsig: syscall.SIGKILL}
	initdb.Env = append(os.Environ(), "LC_ALL=C")
	if out, err := initdb.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("initdb: %w\n%s", err, out)
	}

	// A free port can be taken between probing and binding: try again.
	var errs []error
	for range 3 {
		p, err := launch(bin, dir, data, cred)
		if err == nil {
			return p, nil
		}
		errs = append(errs, err)
	}
	return nil, errors.Join(errs...)
}

// serverCredential is the user to run the server as: nil (this process's
// user) unless this process is root.
func serverCredential() (*syscall.Credential, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return nil, fmt.Errorf("running as root needs the postgres user that Debian's package creates: %w", err)
	}
	uid, err := strconv.ParseUint(u.Uid, 10, 32)
	if err != nil {
		return nil, fmt.Errorf("postgres uid %q: %w", u.Uid, err)
	}
	gid, err := strconv.ParseUint(u.Gid, 10, 32)
	if err != nil {
		return nil, fmt.Errorf("postgres gid %q: %w", u.Gid, err)
	}
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, nil
}

func launch(bin, dir, data string, cred *syscall.Credential) (*postgres, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	log, err := os.CreateTemp("", "serverless-pgtest-*.log")
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(filepath.Join(bin, "postgres"), "-D", data,
		"-c", "listen_addresses=127.0.0.1",
		"-c", "port="+strconv.Itoa(port),
		"-c", "unix_socket_directories="+dir,
		// Throwaway data: durability to disk buys nothing here.
		"-c", "fsync=off", "-c", "full_page_writes=off")
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred, Pdeathsig: syscall.SIGQUIT}
	cmd.Env = append(os.Environ(), "LC_ALL=C")
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		return nil, errors.Join(fmt.Errorf("starting postgres: %w", err), log.Close())
	}
	p := &postgres{
		dir:    dir,
		dsn:    fmt.Sprintf("host=127.0.0.1 port=%d user=postgres dbname=postgres sslmode=disable", port),
		log:    log,
		cmd:    cmd,
		exited: make(chan struct{}),
	}
	go func() {
		_ = cmd.Wait() // the exit status is in ProcessState
		close(p.exited)
	}()
	if err := p.waitReady(30 * time.Second); err != nil {
		return nil, errors.Join(err, p.shutdown(), p.removeLog())
	}
	return p, nil
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("finding a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// waitReady polls until the server accepts a query, it exits, or the
// deadline passes.
func (p *postgres) waitReady(limit time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		err := p.ping(ctx)
		if err == nil {
			return nil
		}
		select {
		case <-p.exited:
			return fmt.Errorf("postgres exited (%v) before accepting connections:\n%s", p.cmd.ProcessState, p.logText())
		case <-ctx.Done():
			return fmt.Errorf("postgres not ready after %v: %w\n%s", limit, err, p.logText())
		case <-tick.C:
		}
	}
}

func (p *postgres) ping(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, p.dsn)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	return conn.Ping(ctx)
}

// shutdown asks for a fast shutdown and kills the server if it has not
// exited in time.
func (p *postgres) shutdown() error {
	if err := p.cmd.Process.Signal(syscall.SIGINT); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return fmt.Errorf("signalling postgres: %w", err)
	}
	select {
	case <-p.exited:
		return nil
	case <-time.After(30 * time.Second):
	}
	if err := p.cmd.Process.Kill(); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return fmt.Errorf("killing postgres: %w", err)
	}
	<-p.exited
	return errors.New("postgres did not shut down within 30s; killed it")
}

// stop shuts the server down and removes its files.
func (p *postgres) stop() error {
	err := p.shutdown()
	if err != nil {
		err = fmt.Errorf("%w\n%s", err, p.logText())
	}
	return errors.Join(err, p.removeLog(), os.RemoveAll(p.dir))
}

func (p *postgres) logText() string {
	b, err := os.ReadFile(p.log.Name())
	if err != nil {
		return fmt.Sprintf("(server log unreadable: %v)", err)
	}
	return string(b)
}

func (p *postgres) removeLog() error {
	return errors.Join(p.log.Close(), os.Remove(p.log.Name()))
}
