package cluster

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"time"
)

// Proc is one process of the cluster: a nats-server, a postgres, an anxin
// replica. It can be killed, stopped, continued and started again with the
// same command line, as the fault drills need.
type Proc struct {
	Name string
	// Addr is where it listens, for the listing and the drills.
	Addr string
	argv []string
	env  []string
	log  string
	cred *syscall.Credential
	// onExit is told when the process ends without Stop or Kill asking.
	onExit func(p *Proc, err error)

	mu       sync.Mutex
	cmd      *exec.Cmd
	done     chan struct{}
	expected bool
	// starting: an exit now is a failed start, which StartReady retries,
	// not a crash to report.
	starting bool
}

// Start runs the process, its output appended to its log file. Children
// die with the cluster process (Pdeathsig), so nothing outlives a crash of
// the runner or the test.
func (p *Proc) Start() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.cmd != nil {
		return fmt.Errorf("%s: already running", p.Name)
	}
	f, err := os.OpenFile(p.log, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	cmd := exec.Command(p.argv[0], p.argv[1:]...)
	cmd.Env = append(os.Environ(), p.env...)
	cmd.Stdout, cmd.Stderr = f, f
	cmd.Dir = "/"
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL, Credential: p.cred, Setpgid: true}
	if err := cmd.Start(); err != nil {
		_ = f.Close()
		return fmt.Errorf("start %s: %w", p.Name, err)
	}
	done := make(chan struct{})
	p.cmd, p.done, p.expected = cmd, done, false
	go func() {
		err := cmd.Wait()
		_ = f.Close()
		p.mu.Lock()
		expected := p.expected || p.starting
		p.cmd = nil
		p.mu.Unlock()
		close(done)
		if !expected && p.onExit != nil {
			p.onExit(p, err)
		}
	}()
	return nil
}

// Running reports whether the process is up.
func (p *Proc) Running() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.cmd != nil
}

// PID is the process id, 0 when it is not running.
func (p *Proc) PID() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.cmd == nil {
		return 0
	}
	return p.cmd.Process.Pid
}

func (p *Proc) signal(sig syscall.Signal, expectExit bool) (chan struct{}, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.cmd == nil {
		return nil, fmt.Errorf("%s: not running", p.Name)
	}
	if expectExit {
		p.expected = true
	}
	return p.done, p.cmd.Process.Signal(sig)
}

// Kill sends SIGKILL and waits until the process is gone.
func (p *Proc) Kill() error {
	done, err := p.signal(syscall.SIGKILL, true)
	if err != nil {
		return err
	}
	<-done
	return nil
}

// Stop asks the process to end (SIGTERM, or SIGINT for postgres' fast
// shutdown) and kills it after grace.
func (p *Proc) Stop(sig syscall.Signal, grace time.Duration) {
	done, err := p.signal(sig, true)
	if err != nil {
		return
	}
	select {
	case <-done:
	case <-time.After(grace):
		_ = p.Kill()
	}
}

// Pause freezes the process (SIGSTOP); Resume continues it.
func (p *Proc) Pause() error  { _, err := p.signal(syscall.SIGSTOP, false); return err }
func (p *Proc) Resume() error { _, err := p.signal(syscall.SIGCONT, false); return err }

// Usage is what the kernel counted for a running process: CPU seconds
// (user+system) and peak resident memory.
type Usage struct {
	CPUSeconds float64
	PeakRSSKB  int64
}

// Usage reads /proc/<pid> of the running process.
func (p *Proc) Usage() (Usage, error) {
	pid := p.PID()
	if pid == 0 {
		return Usage{}, errors.New(p.Name + ": not running")
	}
	return procUsage(pid)
}

func procUsage(pid int) (Usage, error) {
	var u Usage
	stat, err := os.ReadFile(filepath.Join("/proc", fmt.Sprint(pid), "stat"))
	if err != nil {
		return u, err
	}
	// Fields after the command name, which is in parentheses and may hold spaces.
	i := len(stat) - 1
	for i > 0 && stat[i] != ')' {
		i--
	}
	var state string
	var f [13]int64
	if _, err := fmt.Sscan(string(stat[i+2:]), &state, &f[0], &f[1], &f[2], &f[3], &f[4], &f[5], &f[6], &f[7], &f[8], &f[9], &f[10], &f[11], &f[12]); err != nil {
		return u, fmt.Errorf("parse /proc/%d/stat: %w", pid, err)
	}
	// utime and stime are fields 14 and 15 of stat: f[10], f[11] here
	// (f[0] is field 4, the parent's pid).
	const clkTck = 100
	u.CPUSeconds = float64(f[10]+f[11]) / clkTck
	status, err := os.ReadFile(filepath.Join("/proc", fmt.Sprint(pid), "status"))
	if err != nil {
		return u, err
	}
	for _, line := range splitLines(string(status)) {
		var kb int64
		if n, _ := fmt.Sscanf(line, "VmHWM: %d kB", &kb); n == 1 {
			u.PeakRSSKB = kb
		}
	}
	return u, nil
}

func splitLines(s string) []string {
	var out []string
	start := 0
	for i := range len(s) {
		if s[i] == '\n' {
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}

// waitTCP waits until addr accepts connections.
func waitTCP(ctx context.Context, addr string, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var d netDialer
	for {
		c, err := d.DialContext(ctx, "tcp", addr)
		if err == nil {
			_ = c.Close()
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%s does not accept connections: %w", addr, err)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// TreeCPUSeconds is the CPU time of the process and its direct children:
// postgres forks a backend per connection, and its own counter has none of
// their work until they exit.
func (p *Proc) TreeCPUSeconds() (float64, error) {
	pid := p.PID()
	if pid == 0 {
		return 0, errors.New(p.Name + ": not running")
	}
	u, err := procUsage(pid)
	if err != nil {
		return 0, err
	}
	total := u.CPUSeconds
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return 0, err
	}
	for _, e := range entries {
		var child int
		if _, err := fmt.Sscan(e.Name(), &child); err != nil || child == pid {
			continue
		}
		stat, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue
		}
		i := len(stat) - 1
		for i > 0 && stat[i] != ')' {
			i--
		}
		var state string
		var ppid int
		if _, err := fmt.Sscan(string(stat[i+2:]), &state, &ppid); err != nil || ppid != pid {
			continue
		}
		if cu, err := procUsage(child); err == nil {
			total += cu.CPUSeconds
		}
	}
	return total, nil
}
