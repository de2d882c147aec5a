package cli

import (
	"fmt"
	"io"
	"os"
	"slices"
	"time"

	"github.com/spf13/cobra"
)

// benchFsyncCmd measures what every durable commit waits for: one 8 kB
// write and its flush, as PostgreSQL flushes WAL with wal_sync_method
// fdatasync (Linux's default). pg_test_fsync reports averages; a commit's
// tail latency needs the distribution.
func benchFsyncCmd() *cobra.Command {
	var (
		dir string
		n   int
	)
	cmd := &cobra.Command{
		Use:   "fsync",
		Short: "The latency distribution of an 8 kB write + fdatasync: the floor under every durable commit",
		Long: `Writes 8 kB at the end of a scratch file in --dir (put it on PostgreSQL's WAL
disk) and flushes it with fdatasync, -n times one after another, and prints
the latency percentiles. A commit with synchronous_commit on cannot return
sooner than its WAL flush: the p99 here bounds how low any durable path's
p99 can be on this disk, and 1/p50 how many flushes per second one writer
gets (concurrent commits share a flush: PostgreSQL's group commit).`,
		Args: func(cmd *cobra.Command, args []string) error {
			if err := cobra.NoArgs(cmd, args); err != nil {
				return usageError{err}
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, _ []string) error {
			if n < 1 {
				return usageError{fmt.Errorf("-n must be positive")}
			}
			return benchFsync(cmd.OutOrStdout(), dir, n)
		},
	}
	cmd.Flags().StringVar(&dir, "dir", ".", "a folder on the disk to measure (PostgreSQL's WAL disk)")
	cmd.Flags().IntVarP(&n, "n", "n", 1000, "flushes to time")
	return cmd
}

func benchFsync(out io.Writer, dir string, n int) error {
	f, err := os.CreateTemp(dir, "anxin-fsync-*")
	if err != nil {
		return err
	}
	defer func() {
		_ = f.Close()
		_ = os.Remove(f.Name())
	}()
	block := make([]byte, 8<<10)
	lat := make([]time.Duration, 0, n)
	start := time.Now()
	for range n {
		t := time.Now()
		if _, err := f.Write(block); err != nil {
			return err
		}
		if err := fdatasync(f); err != nil {
			return err
		}
		lat = append(lat, time.Since(t))
	}
	total := time.Since(start)
	slices.Sort(lat)
	fmt.Fprintf(out, "8 kB write + fdatasync in %s, %d times: %.0f/s; %s\n", dir, n, float64(n)/total.Seconds(), latencySummary(lat))
	return nil
}

// latencySummary is "p50 … p90 … p99 … max …" in milliseconds, nearest
// rank over sorted samples.
func latencySummary(sorted []time.Duration) string {
	if len(sorted) == 0 {
		return "no samples"
	}
	pct := func(p float64) float64 {
		i := min(max(int(p*float64(len(sorted))+0.5)-1, 0), len(sorted)-1)
		return float64(sorted[i].Microseconds()) / 1000
	}
	return fmt.Sprintf("p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms", pct(0.5), pct(0.9), pct(0.99), pct(1))
}
