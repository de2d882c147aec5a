package benchapi

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Proc is a process of the system under test whose memory a run watches:
// the in-process `serve all` (this process), or the pid of each service's
// own process when they run apart.
type Proc struct {
	Name string
	PID  int
}

// ParseProcs reads name=pid pairs, as the --rss flag takes them.
func ParseProcs(pairs []string) ([]Proc, error) {
	var out []Proc
	for _, p := range pairs {
		name, pid, ok := strings.Cut(p, "=")
		n, err := strconv.Atoi(pid)
		if !ok || name == "" || err != nil || n <= 0 {
			return nil, fmt.Errorf("%q is not name=pid", p)
		}
		out = append(out, Proc{Name: name, PID: n})
	}
	return out, nil
}

// RSS is the largest resident set one process had during a journey.
type RSS struct {
	Name  string
	Bytes int64 // 0 when it could not be read
}

// rssInterval is how often a journey samples its processes' memory.
const rssInterval = 100 * time.Millisecond

// watchRSS samples procs' resident set size until the returned function is
// called, which returns each one's peak.
func watchRSS(ctx context.Context, procs []Proc) func() []RSS {
	if len(procs) == 0 {
		return func() []RSS { return nil }
	}
	peak := make([]int64, len(procs))
	sample := func() {
		for i, p := range procs {
			if n, err := residentBytes(p.PID); err == nil {
				peak[i] = max(peak[i], n)
			}
		}
	}
	sample()
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(rssInterval)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				sample()
			}
		}
	})
	return func() []RSS {
		cancel()
		wg.Wait()
		sample()
		out := make([]RSS, len(procs))
		for i, p := range procs {
			out[i] = RSS{Name: p.Name, Bytes: peak[i]}
		}
		return out
	}
}

// residentBytes reads VmRSS of a process from /proc (Linux).
func residentBytes(pid int) (int64, error) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0, err
	}
	return parseVmRSS(b)
}

// parseVmRSS finds "VmRSS:   12345 kB" in a /proc/<pid>/status text.
func parseVmRSS(status []byte) (int64, error) {
	sc := bufio.NewScanner(bytes.NewReader(status))
	for sc.Scan() {
		rest, ok := strings.CutPrefix(sc.Text(), "VmRSS:")
		if !ok {
			continue
		}
		f := strings.Fields(rest)
		if len(f) != 2 || f[1] != "kB" {
			return 0, fmt.Errorf("VmRSS line %q", sc.Text())
		}
		kb, err := strconv.ParseInt(f[0], 10, 64)
		if err != nil {
			return 0, fmt.Errorf("VmRSS line %q: %w", sc.Text(), err)
		}
		return kb * 1024, nil
	}
	return 0, fmt.Errorf("no VmRSS line")
}

// formatRSS writes the peaks as "name 61 MB, name 40 MB".
func formatRSS(rs []RSS) string {
	if len(rs) == 0 {
		return "-"
	}
	parts := make([]string, 0, len(rs))
	for _, r := range rs {
		v := "?"
		if r.Bytes > 0 {
			v = strconv.FormatInt(r.Bytes>>20, 10) + " MB"
		}
		parts = append(parts, r.Name+" "+v)
	}
	slices.Sort(parts)
	return strings.Join(parts, ", ")
}
