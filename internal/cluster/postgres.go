package cluster

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"syscall"
	"time"

	_ "github.com/lib/pq" // the driver the services use
)

// standbyName is the standby's application_name, which the primary's
// synchronous_standby_names waits for.
const standbyName = "anxin_standby"

// pgBinDir finds the newest PostgreSQL server binaries, as
// deploy/local/postgres.sh does.
func pgBinDir() (string, error) {
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return verOf(dirs[i]) > verOf(dirs[j]) })
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
			return d, nil
		}
	}
	if out, err := exec.Command("pg_config", "--bindir").Output(); err == nil {
		d := string(out[:len(out)-1])
		if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
			return d, nil
		}
	}
	return "", errors.New("no PostgreSQL server binaries (run deploy/local/postgres.sh start once: it installs them)")
}

func verOf(dir string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(dir)))
	return n
}

// pgUser is who runs postgres: the postgres user when we are root (it
// refuses root), else ourselves.
func pgUser() (*syscall.Credential, int, int, error) {
	if os.Geteuid() != 0 {
		return nil, -1, -1, nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return nil, 0, 0, fmt.Errorf("running as root needs a postgres user: %w", err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, uid, gid, nil
}

// pgNode is one PostgreSQL server of the pair.
type pgNode struct {
	*Proc
	dir  string
	port int
}

func (c *Cluster) pgRun(args ...string) error {
	cmd := exec.Command(filepath.Join(c.pgBin, args[0]), args[1:]...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: c.pgCred}
	cmd.Dir = "/"
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s: %w: %s", args[0], err, out)
	}
	return nil
}

func (c *Cluster) newPG(name string, port int, extra ...string) *pgNode {
	dir := filepath.Join(c.opts.DataDir, name)
	argv := append([]string{filepath.Join(c.pgBin, "postgres"), "-D", dir, "-p", strconv.Itoa(port), "-k", dir,
		"-c", "listen_addresses=127.0.0.1", "-c", "max_connections=300", "-c", "shared_buffers=128MB",
		"-c", "wal_level=replica", "-c", "max_wal_senders=5", "-c", "hot_standby=on", "-c", "wal_keep_size=256MB"}, extra...)
	n := &pgNode{Proc: &Proc{Name: name, Addr: fmt.Sprintf("127.0.0.1:%d", port), argv: argv,
		log: filepath.Join(c.opts.DataDir, name+".log"), cred: c.pgCred, onExit: c.unexpectedExit}, dir: dir, port: port}
	return n
}

// startPostgres brings up the primary and its synchronous standby, and the
// -rw proxy in front of the primary.
func (c *Cluster) startPostgres(ctx context.Context) error {
	bin, err := pgBinDir()
	if err != nil {
		return err
	}
	c.pgBin = bin
	c.pgCred, c.pgUID, c.pgGID, err = pgUser()
	if err != nil {
		return err
	}
	c.Primary = c.newPG("pg-a", c.port(0))
	c.Standby = c.newPG("pg-b", c.port(1), "-c", "cluster_name="+standbyName)
	fresh := false
	if _, err := os.Stat(filepath.Join(c.Primary.dir, "PG_VERSION")); err != nil {
		fresh = true
		_ = os.RemoveAll(c.Standby.dir)
		if err := os.MkdirAll(c.Primary.dir, 0o700); err != nil {
			return err
		}
		if err := c.chownPG(c.Primary.dir); err != nil {
			return err
		}
		if err := c.pgRun("initdb", "-D", c.Primary.dir, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8"); err != nil {
			return err
		}
	}
	if err := c.Primary.Start(); err != nil {
		return err
	}
	if err := waitPG(ctx, c.Primary.Addr, "postgres"); err != nil {
		return fmt.Errorf("primary: %w (log %s)", err, c.Primary.log)
	}
	if fresh {
		db, err := sql.Open("postgres", pgURL(c.Primary.Addr, "postgres"))
		if err != nil {
			return err
		}
		_, err = db.ExecContext(ctx, `CREATE DATABASE anxin`)
		_ = db.Close()
		if err != nil {
			return fmt.Errorf("create database: %w", err)
		}
	}
	if _, err := os.Stat(filepath.Join(c.Standby.dir, "PG_VERSION")); err != nil {
		_ = os.RemoveAll(c.Standby.dir)
		if err := os.MkdirAll(c.Standby.dir, 0o700); err != nil {
			return err
		}
		if err := c.chownPG(c.Standby.dir); err != nil {
			return err
		}
		if err := c.pgRun("pg_basebackup", "-h", "127.0.0.1", "-p", strconv.Itoa(c.Primary.port), "-U", "postgres",
			"-D", c.Standby.dir, "-R", "-X", "stream", "-c", "fast"); err != nil {
			return err
		}
	}
	if err := c.Standby.Start(); err != nil {
		return err
	}
	if err := waitPG(ctx, c.Standby.Addr, "postgres"); err != nil {
		return fmt.Errorf("standby: %w (log %s)", err, c.Standby.log)
	}
	// Synchronous only once the standby streams: a commit before would wait
	// for it forever.
	if err := c.waitSyncStandby(ctx); err != nil {
		return err
	}
	c.RW, err = NewRWProxy(fmt.Sprintf("127.0.0.1:%d", c.port(2)), c.Primary.Addr)
	return err
}

func (c *Cluster) chownPG(dir string) error {
	if c.pgUID < 0 {
		return nil
	}
	return os.Chown(dir, c.pgUID, c.pgGID)
}

func pgURL(addr, db string) string {
	return "postgres://postgres@" + addr + "/" + db + "?sslmode=disable&connect_timeout=5"
}

func waitPG(ctx context.Context, addr, dbname string) error {
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	db, err := sql.Open("postgres", pgURL(addr, dbname))
	if err != nil {
		return err
	}
	defer db.Close()
	for {
		err := db.PingContext(ctx)
		if err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("postgres at %s: %w", addr, err)
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// waitSyncStandby makes the standby synchronous and waits until the
// primary reports it so.
func (c *Cluster) waitSyncStandby(ctx context.Context) error {
	db, err := sql.Open("postgres", pgURL(c.Primary.Addr, "postgres"))
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, `ALTER SYSTEM SET synchronous_standby_names = '`+standbyName+`'`); err != nil {
		return err
	}
	if _, err := db.ExecContext(ctx, `SELECT pg_reload_conf()`); err != nil {
		return err
	}
	deadline := time.Now().Add(60 * time.Second)
	for {
		var state string
		err := db.QueryRowContext(ctx, `SELECT sync_state FROM pg_stat_replication WHERE application_name = $1`, standbyName).Scan(&state)
		if err == nil && state == "sync" {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("the standby never became synchronous (state %q, err %v; logs %s, %s)", state, err, c.Primary.log, c.Standby.log)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// Promote fails PostgreSQL over as an operator (or CloudNativePG) would:
// the primary is killed (fenced), the standby promoted, and the -rw proxy
// switched to it, cutting every old connection.
func (c *Cluster) Promote(ctx context.Context) error {
	if err := c.Primary.Kill(); err != nil {
		return err
	}
	db, err := sql.Open("postgres", pgURL(c.Standby.Addr, "postgres"))
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, `SELECT pg_promote(true, 60)`); err != nil {
		return fmt.Errorf("promote the standby: %w", err)
	}
	c.RW.Switch(c.Standby.Addr)
	c.Primary, c.Standby = c.Standby, c.Primary
	return nil
}

// SyncState is the standby's sync_state as the primary reports it: "sync"
// when a commit waits for it.
func (c *Cluster) SyncState(ctx context.Context) (string, error) {
	db, err := sql.Open("postgres", pgURL(c.Primary.Addr, "postgres"))
	if err != nil {
		return "", err
	}
	defer db.Close()
	var state string
	err = db.QueryRowContext(ctx, `SELECT sync_state FROM pg_stat_replication WHERE application_name = $1`, standbyName).Scan(&state)
	return state, err
}
