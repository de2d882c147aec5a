package cluster

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/anxin-welfare/anxin/pkg/bus"
)

// The cluster system test needs root-level powers (network namespaces,
// a postgres user), two binaries and a few minutes, so it runs from
// scripts/cluster-test.sh (make cluster-test, called by .ci/run), which
// builds the binaries and sets ANXIN_CLUSTER_TEST=1. Anywhere else it says
// how to run it and skips.
func clusterOptions(t *testing.T, base int) Options {
	t.Helper()
	if os.Getenv("ANXIN_CLUSTER_TEST") != "1" {
		t.Skip("the cluster system test runs with `make cluster-test` (ANXIN_CLUSTER_TEST=1)")
	}
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(root, ".data", fmt.Sprintf("cluster-test-%d", base))
	// postgres (run as the postgres user) must reach it: not t.TempDir.
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if !t.Failed() {
			_ = os.RemoveAll(dir)
		} else {
			t.Logf("logs kept in %s", dir)
		}
	})
	return Options{
		DataDir:    dir,
		Anxin:      filepath.Join(root, ".data", "tools", "anxin"),
		NATSServer: filepath.Join(root, ".data", "tools", "nats-server"),
		BasePort:   base,
		NetNS:      true,
		Out:        testWriter{t},
	}
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

func TestClusterSurvivesFaults(t *testing.T) {
	opts := clusterOptions(t, 25000)
	ctx, cancel := context.WithTimeout(context.Background(), 9*time.Minute)
	defer cancel()
	started := time.Now()
	c, err := Start(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Stop)
	var listing bytes.Buffer
	c.Listing(&listing)
	t.Log("\n" + listing.String())
	if !c.NetNS {
		t.Log("NOTE: no network namespace here: the partition drill uses SIGSTOP on nats-3 instead")
	}

	// Demo data and users, through the services' APIs.
	var seedOut bytes.Buffer
	if err := c.Anxin(ctx, &seedOut, "seed", "demo"); err != nil {
		t.Fatal(err)
	}
	pw := logins(seedOut.String())
	gws := make([]string, len(c.Gateways))
	for i, g := range c.Gateways {
		gws[i] = "http://" + g.Addr
	}
	w := &workload{led: newLedger()}
	for _, u := range []struct {
		name string
		to   **account
	}{{"officer", &w.officer}, {"caseworker", &w.caseworker}, {"unithead", &w.unithead}, {"approver1", &w.approver}, {"admin", &w.admin}} {
		a, err := signIn(ctx, gws, u.name, pw[u.name])
		if err != nil {
			t.Fatalf("sign in %s: %v (seed said:\n%s)", u.name, err, seedOut.String())
		}
		*u.to = a
	}
	prepare(ctx, t, w)
	js := natsJS(t, c)

	// The workload runs through every drill.
	wctx, stopWork := context.WithCancel(ctx)
	workDone := make(chan struct{})
	go func() { defer close(workDone); w.run(wctx) }()
	progress := func(what string) {
		t.Helper()
		before := w.led.acked()
		deadline := time.After(90 * time.Second)
		for w.led.acked() < before+faultWrites {
			select {
			case <-w.led.progress:
			case err := <-c.Failed():
				t.Fatalf("during %s: %v", what, err)
			case <-deadline:
				_, _, _, _, failed, last := w.led.snapshot()
				t.Fatalf("no acknowledged writes for 90s during %s: failures %v, last errors %v", what, failed, last)
			}
		}
		t.Logf("writes acknowledged during %s: %d so far", what, w.led.acked())
	}
	progress("warm-up")
	steady := measureSteady(t, c, w.led, 300)

	drills := []struct {
		name string
		do   func() error
	}{
		{"kill -9 nats-1, then restart it", func() error {
			if err := c.NATS[0].Kill(); err != nil {
				return err
			}
			progress("nats-1 down")
			if err := c.NATS[0].Start(); err != nil {
				return err
			}
			return waitHealthz(ctx, c.NATS[0], 60*time.Second)
		}},
		{"kill -9 one replica of each service, then restart it", func() error {
			for _, svc := range Services {
				if err := c.Replicas[svc][0].Kill(); err != nil {
					return err
				}
			}
			progress("one replica of each service down")
			for _, svc := range Services {
				if err := c.StartReady(ctx, c.Replicas[svc][0]); err != nil {
					return err
				}
			}
			return nil
		}},
		{partitionName(c), func() error {
			cut := c.NATS[c.PartitionTarget()].name
			if err := c.Partition(c.PartitionTarget()); err != nil {
				return err
			}
			// Held until the rest of the cluster has noticed, not for a
			// guessed while.
			if err := waitStream(ctx, js, 90*time.Second, func(si *jetstream.StreamInfo) bool { return !sees(si, cut) }); err != nil {
				return fmt.Errorf("the cluster never noticed %s was cut off: %w", cut, err)
			}
			t.Logf("the cluster sees %s as gone", cut)
			progress(cut + " cut off")
			// The writes went on without it: it must have fallen behind.
			if err := waitStream(ctx, js, 30*time.Second, func(si *jetstream.StreamInfo) bool { return lagOf(si, cut) > 0 }); err != nil {
				return fmt.Errorf("%s never fell behind while cut off: %w", cut, err)
			}
			if err := c.Heal(c.PartitionTarget()); err != nil {
				return err
			}
			if err := waitHealthz(ctx, c.NATS[c.PartitionTarget()], 90*time.Second); err != nil {
				return err
			}
			return waitStream(ctx, js, 90*time.Second, func(si *jetstream.StreamInfo) bool { return streamDegraded(si) == "" })
		}},
		{"promote the PostgreSQL standby behind the -rw address", func() error {
			state, err := c.SyncState(ctx)
			if err != nil || state != "sync" {
				return fmt.Errorf("the standby is not synchronous before the promotion: %q %v", state, err)
			}
			if err := c.Promote(ctx); err != nil {
				return err
			}
			progress("after the promotion")
			return nil
		}},
	}
	var drillLog []string
	for _, d := range drills {
		t0, acked0, failed0 := time.Now(), w.led.acked(), w.led.failures()
		t.Logf("drill: %s", d.name)
		if err := d.do(); err != nil {
			t.Fatalf("drill %q: %v", d.name, err)
		}
		drillLog = append(drillLog, fmt.Sprintf("%-62s %5.1fs  %4d acknowledged  %4d unknown (5xx or no answer)",
			d.name, time.Since(t0).Seconds(), w.led.acked()-acked0, w.led.failures()-failed0))
	}
	stopWork()
	<-workDone
	cases, leaveReq, leaves, grants, failed, lastErr := w.led.snapshot()
	t.Logf("workload stopped: %d cases, %d leave requests (%d approved), %d grants approved acknowledged; failed during faults: %v", len(cases), len(leaveReq), len(leaves), len(grants), failed)
	for k, e := range lastErr {
		t.Logf("last failure of %s: %s", k, e)
	}

	db := openDB(t, c)
	converge(ctx, t, c, db, js)

	rec := &reconciliation{}
	reconcile(ctx, t, db, js, rec, cases, leaveReq, leaves, grants)
	var table bytes.Buffer
	rec.print(&table)
	fmt.Fprintln(&table)
	for _, l := range drillLog {
		fmt.Fprintln(&table, "drill:", l)
	}
	fmt.Fprintf(&table, "failed (unacknowledged) writes during the drills: %v\n", failed)
	for _, n := range c.Notes() {
		fmt.Fprintln(&table, "note:", n)
	}
	measure(ctx, t, c, db, &table, time.Since(started), steady)
	t.Log("\n" + table.String())
	writeReport(t, "cluster-reconciliation.txt", table.String())
	if rec.bad {
		t.Fatal("the reconciliation found lost or doubled writes, an undrained outbox, dead letters or a degraded stream")
	}

	republishDrill(ctx, t, c, db, js, cases, started)
}

// faultWrites is how many writes must be acknowledged while each fault
// lasts: the system has to keep working through it, not merely survive.
const faultWrites = 30

func partitionName(c *Cluster) string {
	if c.NetNS {
		return "cut nats-3 off (network namespace, veth down), then heal"
	}
	return "freeze nats-3 (SIGSTOP: no network namespace here), then continue"
}

// prepare gives the workload what it needs: members to open cases for, a
// 2027 calendar and leave days for the officer, the hardship program.
func prepare(ctx context.Context, t *testing.T, w *workload) {
	t.Helper()
	var ms struct {
		Members []member `json:"members"`
	}
	if _, err := w.caseworker.call(ctx, http.MethodGet, "/api/v1/enrollment/members?limit=50", nil, 0, &ms); err != nil || len(ms.Members) == 0 {
		t.Fatalf("members: %v (%d)", err, len(ms.Members))
	}
	w.members = ms.Members
	var me struct {
		MemberID string `json:"member_id"`
	}
	if _, err := w.officer.call(ctx, http.MethodGet, "/api/v1/gateway/me", nil, 0, &me); err != nil || me.MemberID == "" {
		t.Fatalf("officer's member: %v", err)
	}
	for y := 2027; y <= lastLeaveYear; y++ {
		if _, err := w.admin.call(ctx, http.MethodPut, fmt.Sprintf("/api/v1/leave/calendars/%d", y), map[string]any{"off": []string{}, "work": []string{}}, 0, nil); err != nil {
			t.Fatal(err)
		}
		if _, err := w.caseworker.call(ctx, http.MethodPost, "/api/v1/leave/members/"+me.MemberID+"/adjustments",
			map[string]any{"year": y, "days": 270, "reason": "集群测试"}, 0, nil); err != nil {
			t.Fatal(err)
		}
	}
	var ps struct {
		Programs []struct {
			ID   string `json:"id"`
			Code string `json:"code"`
		} `json:"items"`
	}
	if _, err := w.caseworker.call(ctx, http.MethodGet, "/api/v1/grants/programs", nil, 0, &ps); err != nil {
		t.Fatal(err)
	}
	for _, p := range ps.Programs {
		if p.Code == "demo-hardship" {
			w.hardship = p.ID
		}
	}
	if w.hardship == "" {
		t.Fatalf("no demo-hardship program in %v", ps.Programs)
	}
}

func openDB(t *testing.T, c *Cluster) *sqlx.DB {
	t.Helper()
	db, err := sqlx.Open("postgres", "postgres://postgres@"+c.RW.Addr()+"/anxin?sslmode=disable&application_name=cluster-test")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}

// natsJS connects the test's observer to the nodes the drills never cut
// off: a client on the cut node would not notice for minutes (NATS pings
// every 2 minutes) and every check would time out.
func natsJS(t *testing.T, c *Cluster) jetstream.JetStream {
	t.Helper()
	var urls []string
	for i, n := range c.NATS {
		if i != c.PartitionTarget() {
			urls = append(urls, n.ClientURL())
		}
	}
	// Not the servers the cluster gossips either: a reconnect (nats-1 is
	// killed first) must not land on nats-3.
	nc, err := nats.Connect(strings.Join(urls, ","), nats.Name("cluster-test"), nats.MaxReconnects(-1), nats.IgnoreDiscoveredServers())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	return js
}

// schemas are the services' schemas that hold an outbox.
var schemas = []string{"enrollment", "injury", "grants", "leave", "gateway"}

func hasTable(ctx context.Context, db *sqlx.DB, schema, table string) bool {
	var n int
	_ = db.GetContext(ctx, &n, `SELECT count(*) FROM information_schema.tables WHERE table_schema = $1 AND table_name = $2`, schema, table)
	return n == 1
}

// converge waits until every outbox is drained, every durable consumer
// has applied everything and WELFARE has all three replicas current.
func converge(ctx context.Context, t *testing.T, c *Cluster, db *sqlx.DB, js jetstream.JetStream) {
	t.Helper()
	deadline := time.Now().Add(3 * time.Minute)
	for {
		why := notConverged(ctx, db, js)
		if why == "" {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the cluster did not converge in 3 minutes: %s", why)
		}
		select {
		case err := <-c.Failed():
			t.Fatal(err)
		case <-time.After(500 * time.Millisecond):
		}
	}
}

func notConverged(ctx context.Context, db *sqlx.DB, js jetstream.JetStream) string {
	for _, s := range schemas {
		if !hasTable(ctx, db, s, "outbox") {
			continue
		}
		var n int
		if err := db.GetContext(ctx, &n, `SELECT count(*) FROM `+s+`.outbox WHERE sent_at IS NULL`); err != nil {
			return fmt.Sprintf("%s outbox: %v", s, err)
		}
		if n > 0 {
			return fmt.Sprintf("%s outbox holds %d unsent events", s, n)
		}
	}
	st, err := js.Stream(ctx, bus.StreamName)
	if err != nil {
		return fmt.Sprintf("stream: %v", err)
	}
	if why := streamDegraded(st.CachedInfo()); why != "" {
		return why
	}
	for lister := st.ListConsumers(ctx); ; {
		select {
		case ci, ok := <-lister.Info():
			if !ok {
				if err := lister.Err(); err != nil {
					return fmt.Sprintf("consumers: %v", err)
				}
				return ""
			}
			if ci.NumPending > 0 || ci.NumAckPending > 0 {
				return fmt.Sprintf("consumer %s: %d pending, %d unacknowledged", ci.Name, ci.NumPending, ci.NumAckPending)
			}
		case <-ctx.Done():
			return ctx.Err().Error()
		}
	}
}

// lagOf is how many operations node is behind the stream's leader.
func lagOf(si *jetstream.StreamInfo, node string) uint64 {
	if si.Cluster == nil {
		return 0
	}
	for _, r := range si.Cluster.Replicas {
		if r.Name == node {
			return r.Lag
		}
	}
	return 0
}

// sees reports whether the stream's leader counts node as a current
// member.
func sees(si *jetstream.StreamInfo, node string) bool {
	if si.Cluster == nil {
		return false
	}
	if si.Cluster.Leader == node {
		return true
	}
	for _, r := range si.Cluster.Replicas {
		if r.Name == node {
			return r.Current && !r.Offline
		}
	}
	return false
}

// waitStream polls WELFARE's info until ok holds.
func waitStream(ctx context.Context, js jetstream.JetStream, timeout time.Duration, ok func(*jetstream.StreamInfo) bool) error {
	deadline := time.Now().Add(timeout)
	var last string
	for {
		rctx, cancel := context.WithTimeout(ctx, 3*time.Second)
		st, err := js.Stream(rctx, bus.StreamName)
		cancel()
		if err == nil {
			si := st.CachedInfo()
			if ok(si) {
				return nil
			}
			last = fmt.Sprintf("leader %v", si.Cluster)
			if si.Cluster != nil {
				last = "leader " + si.Cluster.Leader
				for _, r := range si.Cluster.Replicas {
					last += fmt.Sprintf(", %s current=%v offline=%v", r.Name, r.Current, r.Offline)
				}
			}
		} else {
			last = err.Error()
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("after %v: %s", timeout, last)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(250 * time.Millisecond):
		}
	}
}

func streamDegraded(si *jetstream.StreamInfo) string {
	if si.Cluster == nil || si.Cluster.Leader == "" {
		return "WELFARE has no leader"
	}
	if si.Config.Replicas != 3 {
		return fmt.Sprintf("WELFARE declared with %d replicas", si.Config.Replicas)
	}
	if len(si.Cluster.Replicas) != 2 {
		return fmt.Sprintf("WELFARE leader %s has %d followers, want 2", si.Cluster.Leader, len(si.Cluster.Replicas))
	}
	for _, r := range si.Cluster.Replicas {
		if !r.Current || r.Offline {
			return fmt.Sprintf("WELFARE replica %s is behind (current %v, offline %v, lag %d)", r.Name, r.Current, r.Offline, r.Lag)
		}
	}
	return ""
}
