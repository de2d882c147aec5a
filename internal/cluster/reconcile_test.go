package cluster

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
	"text/tabwriter"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/anxin-welfare/anxin/pkg/bus"
)

// reconciliation is the closing table: one row per check.
type reconciliation struct {
	rows [][]string
	bad  bool
}

func (r *reconciliation) add(check string, acked, once, lost, doubled int) {
	res := "ok"
	if lost > 0 || doubled > 0 || once != acked {
		res, r.bad = "FAIL", true
	}
	r.rows = append(r.rows, []string{check, fmt.Sprint(acked), fmt.Sprint(once), fmt.Sprint(lost), fmt.Sprint(doubled), res})
}

func (r *reconciliation) fact(check, value string, ok bool) {
	res := "ok"
	if !ok {
		res, r.bad = "FAIL", true
	}
	r.rows = append(r.rows, []string{check, value, "", "", "", res})
}

func (r *reconciliation) print(w *bytes.Buffer) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "CHECK\tACKNOWLEDGED\tEXACTLY ONCE\tLOST\tDOUBLED\tRESULT")
	for _, row := range r.rows {
		fmt.Fprintln(tw, strings.Join(row, "\t"))
	}
	_ = tw.Flush()
}

// countEach runs query (one $1 parameter) for every id and tallies the
// answers: exactly one, none, more.
func countEach(ctx context.Context, t *testing.T, db *sqlx.DB, query string, ids []string) (once, lost, doubled int) {
	t.Helper()
	for _, id := range ids {
		var n int
		if err := db.GetContext(ctx, &n, query, id); err != nil {
			t.Fatalf("%s (%s): %v", query, id, err)
		}
		switch n {
		case 1:
			once++
		case 0:
			lost++
		default:
			doubled++
		}
	}
	return once, lost, doubled
}

func reconcile(ctx context.Context, t *testing.T, db *sqlx.DB, js jetstream.JetStream, rec *reconciliation, cases, leaveReq, leaves, grants []string) {
	t.Helper()
	row := func(check, query string, ids []string) {
		once, lost, doubled := countEach(ctx, t, db, query, ids)
		rec.add(check, len(ids), once, lost, doubled)
	}
	row("case opened: row in injury.cases", `SELECT count(*) FROM injury.cases WHERE id = $1`, cases)
	row("case opened: one case.opened in the outbox, relayed", `SELECT count(*) FROM injury.outbox WHERE type = 'case.opened' AND subject_id = $1 AND sent_at IS NOT NULL`, cases)
	row("case opened: consumed once by leave-cases", `SELECT count(*) FROM leave.inbox i JOIN injury.outbox o ON o.id = i.event_id
		WHERE i.consumer = 'leave-cases' AND o.type = 'case.opened' AND o.subject_id = $1`, cases)
	row("case opened: the leave projection knows the case", `SELECT count(*) FROM leave.injury_cases WHERE case_id = $1`, cases)
	row("leave requested: row in leave.leave_requests", `SELECT count(*) FROM leave.leave_requests WHERE id = $1::uuid`, leaveReq)
	row("leave approved: status approved", `SELECT count(*) FROM leave.leave_requests WHERE id = $1::uuid AND status = 'approved'`, leaves)
	row("leave approved: one leave.approved event, relayed", `SELECT count(*) FROM leave.outbox WHERE type = 'leave.approved'
		AND convert_from(envelope, 'UTF8')::jsonb -> 'data' ->> 'request_id' = $1 AND sent_at IS NOT NULL`, leaves)
	row("leave approved: one ledger entry", `SELECT count(*) FROM leave.ledger_entries WHERE request_id = $1::uuid`, leaves)
	row("grant approved: state approved", `SELECT count(*) FROM grants.applications WHERE id = $1::uuid AND state = 'approved'`, grants)
	row("grant approved: one commitment in the ledger", `SELECT count(DISTINCT e.id) FROM grants.journal_entries e JOIN grants.journal_lines l ON l.entry_id = e.id
		WHERE e.kind = 'commitment' AND l.application_id = $1::uuid`, grants)
	row("grant approved: one application.approved event, relayed", `SELECT count(*) FROM grants.outbox WHERE type = 'application.approved' AND subject_id = $1 AND sent_at IS NOT NULL`, grants)

	unsent, dead := 0, 0
	for _, s := range schemas {
		if hasTable(ctx, db, s, "outbox") {
			var n int
			if err := db.GetContext(ctx, &n, `SELECT count(*) FROM `+s+`.outbox WHERE sent_at IS NULL`); err != nil {
				t.Fatal(err)
			}
			unsent += n
		}
		if hasTable(ctx, db, s, "dead_letters") {
			var n int
			if err := db.GetContext(ctx, &n, `SELECT count(*) FROM `+s+`.dead_letters`); err != nil {
				t.Fatal(err)
			}
			dead += n
		}
	}
	rec.fact("outboxes drained (unsent events)", fmt.Sprint(unsent), unsent == 0)
	rec.fact("dead letters (all schemas)", fmt.Sprint(dead), dead == 0)
	dlq, err := js.Stream(ctx, bus.DeadLetterStream)
	if err != nil {
		t.Fatal(err)
	}
	rec.fact("messages in "+bus.DeadLetterStream, fmt.Sprint(dlq.CachedInfo().State.Msgs), dlq.CachedInfo().State.Msgs == 0)
	st, err := js.Stream(ctx, bus.StreamName)
	if err != nil {
		t.Fatal(err)
	}
	si := st.CachedInfo()
	why := streamDegraded(si)
	peers := []string{si.Cluster.Leader + " (leader)"}
	for _, r := range si.Cluster.Replicas {
		peers = append(peers, fmt.Sprintf("%s current=%v", r.Name, r.Current))
	}
	rec.fact("WELFARE at R3, replicas current", strings.Join(peers, ", "), why == "")
}

// measure prints what each process used: CPU seconds, peak RSS, and the
// PostgreSQL connections of each service.
// steadyUsage is what each process spent while the workload ran with no
// fault, over a counted number of acknowledged writes.
type steadyUsage struct {
	writes  int
	elapsed time.Duration
	cpu     map[string]float64 // process → CPU seconds in the phase
}

// measureSteady waits for n more acknowledged writes and reports the CPU
// each process spent meanwhile.
func measureSteady(t *testing.T, c *Cluster, led *ledger, n int) steadyUsage {
	t.Helper()
	procs := c.AnxinProcs()
	for _, nn := range c.NATS {
		procs = append(procs, nn.Proc)
	}
	before := map[string]float64{}
	for _, p := range procs {
		u, err := p.Usage()
		if err != nil {
			t.Fatal(err)
		}
		before[p.Name] = u.CPUSeconds
	}
	pgBefore, err := c.Primary.TreeCPUSeconds()
	if err != nil {
		t.Fatal(err)
	}
	t0, a0 := time.Now(), led.acked()
	deadline := time.After(3 * time.Minute)
	for led.acked() < a0+n {
		select {
		case <-led.progress:
		case err := <-c.Failed():
			t.Fatal(err)
		case <-deadline:
			t.Fatalf("steady phase: %d of %d writes in 3 minutes", led.acked()-a0, n)
		}
	}
	s := steadyUsage{writes: led.acked() - a0, elapsed: time.Since(t0), cpu: map[string]float64{}}
	for _, p := range procs {
		u, err := p.Usage()
		if err != nil {
			t.Fatal(err)
		}
		s.cpu[p.Name] = u.CPUSeconds - before[p.Name]
	}
	pgAfter, err := c.Primary.TreeCPUSeconds()
	if err != nil {
		t.Fatal(err)
	}
	s.cpu["postgres primary (with its backends)"] = pgAfter - pgBefore
	t.Logf("steady phase: %d acknowledged writes in %.1fs", s.writes, s.elapsed.Seconds())
	return s
}

func measure(ctx context.Context, t *testing.T, c *Cluster, db *sqlx.DB, w *bytes.Buffer, elapsed time.Duration, steady steadyUsage) {
	t.Helper()
	conns := map[string]int{}
	rows, err := db.QueryxContext(ctx, `SELECT coalesce(application_name, ''), count(*) FROM pg_stat_activity WHERE datname = 'anxin' GROUP BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var app string
		var n int
		if err := rows.Scan(&app, &n); err != nil {
			t.Fatal(err)
		}
		conns[app] = n
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(w, "\nsizing: steady phase of %d acknowledged writes in %.1fs (%.0f writes/s through both gateways, no fault); totals after %.0fs of the run\n",
		steady.writes, steady.elapsed.Seconds(), float64(steady.writes)/steady.elapsed.Seconds(), elapsed.Seconds())
	fmt.Fprintln(w, "(replica -1 of each service was killed and restarted, so its totals restart; -2 ran throughout)")
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "PROCESS\tSTEADY CPU s\tCPU ms/WRITE\tTOTAL CPU s\tPEAK RSS MiB\tPG CONNECTIONS (service, both replicas)")
	row := func(p *Proc, conns string) {
		u, err := p.Usage()
		if err != nil {
			fmt.Fprintf(tw, "%s\t-\t-\t-\t-\t%v\n", p.Name, err)
			return
		}
		cpu := steady.cpu[p.Name]
		fmt.Fprintf(tw, "%s\t%.2f\t%.2f\t%.1f\t%.0f\t%s\n", p.Name, cpu, 1000*cpu/float64(steady.writes), u.CPUSeconds, float64(u.PeakRSSKB)/1024, conns)
	}
	for _, p := range c.AnxinProcs() {
		svc := p.Name[:strings.LastIndex(p.Name, "-")]
		row(p, fmt.Sprint(conns["anxin-"+svc]))
	}
	for _, n := range c.NATS {
		row(n.Proc, "")
	}
	pg := steady.cpu["postgres primary (with its backends)"]
	fmt.Fprintf(tw, "postgres primary + backends\t%.2f\t%.2f\t-\t-\t-\n", pg, 1000*pg/float64(steady.writes))
	_ = tw.Flush()
	var apps []string
	for a, n := range conns {
		apps = append(apps, fmt.Sprintf("%s=%d", a, n))
	}
	sort.Strings(apps)
	fmt.Fprintf(w, "pg_stat_activity by application_name: %s\n", strings.Join(apps, " "))
}

// writeReport keeps a copy of a table next to the test's logs, for the
// documentation.
func writeReport(t *testing.T, name, text string) {
	t.Helper()
	dir := os.Getenv("ANXIN_CLUSTER_REPORT_DIR")
	if dir == "" {
		return
	}
	if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
		t.Log(err)
	}
}

// republishDrill loses the stream and gets it back from the outboxes: the
// stream is deleted and declared again, the services restart (as
// Kubernetes would restart them) and re-declare their consumers, every
// outbox marks its events since the run began unsent, and the relays
// publish them again. Each consumer applies each event once: the inbox
// drops the ones it had already applied.
func republishDrill(ctx context.Context, t *testing.T, c *Cluster, db *sqlx.DB, js jetstream.JetStream, cases []string, since time.Time) {
	t.Helper()
	before := map[string]int{}
	var inboxBefore int
	if err := db.GetContext(ctx, &inboxBefore, `SELECT count(*) FROM leave.inbox WHERE consumer = 'leave-cases'`); err != nil {
		t.Fatal(err)
	}
	for _, s := range schemas {
		if hasTable(ctx, db, s, "outbox") {
			var n int
			if err := db.GetContext(ctx, &n, `SELECT count(*) FROM `+s+`.outbox WHERE created_at >= $1`, since.Add(-time.Minute)); err != nil {
				t.Fatal(err)
			}
			before[s] = n
		}
	}
	if err := js.DeleteStream(ctx, bus.StreamName); err != nil {
		t.Fatal(err)
	}
	t.Log("republish drill: stream WELFARE deleted")
	if err := bus.EnsureStreams(ctx, js, 3, 10*time.Minute); err != nil {
		t.Fatal(err)
	}
	for _, svc := range Services {
		for _, p := range c.Replicas[svc] {
			p.Stop(syscall.SIGTERM, 15*time.Second)
			if err := c.StartReady(ctx, p); err != nil {
				t.Fatal(err)
			}
		}
	}
	total := 0
	for s := range before {
		sdb, err := sqlx.Open("postgres", "postgres://postgres@"+c.RW.Addr()+"/anxin?sslmode=disable&search_path="+s)
		if err != nil {
			t.Fatal(err)
		}
		n, err := bus.Republish(ctx, sdb, since.Add(-time.Minute), time.Now().Add(time.Minute))
		_ = sdb.Close()
		if err != nil {
			t.Fatal(err)
		}
		total += int(n)
	}
	t.Logf("republish drill: %d events marked for republishing", total)
	converge(ctx, t, c, db, js)
	st, err := js.Stream(ctx, bus.StreamName)
	if err != nil {
		t.Fatal(err)
	}
	rec := &reconciliation{}
	msgs := int(st.CachedInfo().State.Msgs)
	rec.fact("events republished from the outboxes", fmt.Sprint(total), total > 0)
	rec.fact("messages in the new WELFARE", fmt.Sprint(msgs), msgs >= total)
	row := func(check, query string, ids []string) {
		once, lost, doubled := countEach(ctx, t, db, query, ids)
		rec.add(check, len(ids), once, lost, doubled)
	}
	row("case opened: still consumed once by leave-cases", `SELECT count(*) FROM leave.inbox i JOIN injury.outbox o ON o.id = i.event_id
		WHERE i.consumer = 'leave-cases' AND o.type = 'case.opened' AND o.subject_id = $1`, cases)
	var inboxAfter int
	if err := db.GetContext(ctx, &inboxAfter, `SELECT count(*) FROM leave.inbox WHERE consumer = 'leave-cases'`); err != nil {
		t.Fatal(err)
	}
	rec.fact("leave-cases inbox rows before / after", fmt.Sprintf("%d / %d", inboxBefore, inboxAfter), inboxAfter == inboxBefore)
	var dead int
	for _, s := range schemas {
		if hasTable(ctx, db, s, "dead_letters") {
			var n int
			_ = db.GetContext(ctx, &n, `SELECT count(*) FROM `+s+`.dead_letters`)
			dead += n
		}
	}
	rec.fact("dead letters after republishing", fmt.Sprint(dead), dead == 0)
	var out bytes.Buffer
	rec.print(&out)
	t.Log("\nrepublish after the stream was lost:\n" + out.String())
	writeReport(t, "cluster-republish.txt", out.String())
	if rec.bad {
		t.Fatal("republishing from the outboxes did not restore the stream exactly once")
	}
}
