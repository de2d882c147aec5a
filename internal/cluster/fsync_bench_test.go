package cluster

import (
	"bytes"
	"context"
	"fmt"
	"sort"
	"testing"
	"text/tabwriter"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// TestClusterFsyncBench measures JetStream publish/ack latency through the
// 3-node cluster (R3, file storage) with the default sync_interval (the
// server fsyncs every 2 minutes; the 3 replicas are the guard) and with
// sync_interval: always (fsync before every ack). It reports numbers; it
// fails only when a run cannot complete.
func TestClusterFsyncBench(t *testing.T) {
	const sequential, burst = 1000, 20000
	payload := bytes.Repeat([]byte("x"), 512) // about an Anxin event envelope
	type result struct {
		mode               string
		p50, p90, p99, max time.Duration
		seqRate, burstRate float64
	}
	var results []result
	for i, always := range []bool{false, true} {
		opts := clusterOptions(t, 26000+100*i)
		opts.NATSOnly, opts.SyncAlways, opts.NetNS = true, always, false
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		c, err := Start(ctx, opts)
		if err != nil {
			cancel()
			t.Fatal(err)
		}
		t.Cleanup(c.Stop)
		t.Cleanup(cancel)
		nc, err := nats.Connect(c.NATSURL())
		if err != nil {
			t.Fatal(err)
		}
		js, _ := jetstream.New(nc, jetstream.WithPublishAsyncMaxPending(2*1000))
		if _, err := js.CreateStream(ctx, jetstream.StreamConfig{Name: "BENCH", Subjects: []string{"bench.>"}, Storage: jetstream.FileStorage, Replicas: 3}); err != nil {
			t.Fatal(err)
		}
		lat := make([]time.Duration, 0, sequential)
		t0 := time.Now()
		for n := range sequential {
			s := time.Now()
			if _, err := js.Publish(ctx, fmt.Sprintf("bench.%d", n%16), payload); err != nil {
				t.Fatal(err)
			}
			lat = append(lat, time.Since(s))
		}
		seqRate := float64(sequential) / time.Since(t0).Seconds()
		// The burst keeps up to window publishes in flight, as the outbox
		// relay does.
		const window = 1000
		t0 = time.Now()
		for n := range burst {
			if _, err := js.PublishAsync(fmt.Sprintf("bench.%d", n%16), payload); err != nil {
				t.Fatal(err)
			}
			if (n+1)%window == 0 {
				select {
				case <-js.PublishAsyncComplete():
				case <-time.After(time.Minute):
					t.Fatal("async publishes not acknowledged in a minute")
				}
			}
		}
		burstRate := float64(burst) / time.Since(t0).Seconds()
		sort.Slice(lat, func(a, b int) bool { return lat[a] < lat[b] })
		mode := "default (sync_interval 2m)"
		if always {
			mode = "sync_interval: always"
		}
		results = append(results, result{mode: mode, p50: lat[len(lat)/2], p90: lat[len(lat)*9/10], p99: lat[len(lat)*99/100], max: lat[len(lat)-1],
			seqRate: seqRate, burstRate: burstRate})
		nc.Close()
		c.Stop()
	}
	var out bytes.Buffer
	tw := tabwriter.NewWriter(&out, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "NATS fsync policy, 3 nodes, R3 file stream, 512-byte messages, %d sequential publishes and a burst of %d async:\n", sequential, burst)
	fmt.Fprintln(tw, "MODE\tP50\tP90\tP99\tMAX\tSEQUENTIAL/s\tBURST/s")
	for _, r := range results {
		fmt.Fprintf(tw, "%s\t%v\t%v\t%v\t%v\t%.0f\t%.0f\n", r.mode, r.p50.Round(10*time.Microsecond), r.p90.Round(10*time.Microsecond),
			r.p99.Round(10*time.Microsecond), r.max.Round(10*time.Microsecond), r.seqRate, r.burstRate)
	}
	_ = tw.Flush()
	t.Log("\n" + out.String())
	writeReport(t, "cluster-fsync.txt", out.String())
}
