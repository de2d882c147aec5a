package workflow_test

import (
	"context"
	"io"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/pkg/money"
	"github.com/anxin-welfare/anxin/pkg/pg/pgtest"
	"github.com/anxin-welfare/anxin/services/grants/internal/domain"
	"github.com/anxin-welfare/anxin/services/grants/internal/export"
	"github.com/anxin-welfare/anxin/services/grants/internal/store"
	"github.com/anxin-welfare/anxin/services/grants/internal/workflow"
)

const benchLines = 1_000_000

// seedLedger loads benchLines balanced ledger lines (two per entry) into a
// fresh schema. The row triggers are disabled for the bulk load only: the
// rows are balanced by construction and numbered 1..n, and this is a
// benchmark of reading, not of posting.
func seedLedger(b *testing.B) (*workflow.Service, *pgtest.Schema, store.ExportFilter) {
	b.Helper()
	sch := pgtest.NewSchema(b, store.Migrations())
	clk := clock.NewFake(time.Date(2026, 11, 27, 2, 0, 0, 0, time.UTC))
	st := store.New(sch.DB, clk)
	ctx := context.Background()
	fund, err := st.CreateFund(ctx, store.Meta{Actor: "bench"}, domain.Fund{FiscalYear: 2026, Name: "bench", Appropriation: money.Yuan(1_000_000_000)})
	if err != nil {
		b.Fatal(err)
	}
	prog, err := st.CreateProgram(ctx, store.Meta{Actor: "bench"}, domain.Program{FundID: fund.ID, Code: "p", NameZH: "特困干警资助", Kind: domain.KindHardship,
		Allocation: money.Yuan(1_000_000), Amount: domain.AmountRule{Kind: domain.AmountFixed, Fixed: 100}, Active: true})
	if err != nil {
		b.Fatal(err)
	}
	rec, err := st.CreateApplication(ctx, store.Meta{Actor: "bench"}, store.Record{App: domain.Application{ProgramID: prog.ID, MemberID: "m", ApplicantUserID: "u",
		PreparedBy: "u", State: domain.StateDraft, Round: 1, CreatedAt: clk.Now()}, ApplicantName: "张三丰"})
	if err != nil {
		b.Fatal(err)
	}
	for _, q := range []string{
		`ALTER TABLE journal_entries DISABLE TRIGGER USER`,
		`ALTER TABLE journal_lines DISABLE TRIGGER USER`,
		`INSERT INTO journal_entries (fiscal_year, voucher_no, entry_date, kind, summary, fund_id, created_by)
		 SELECT 2026, 1000 + g, date '2026-01-01' + (g % 300), 'disbursement', '发放资助 GA-2026-' || g, '` + fund.ID + `', 'bench-seed'
		 FROM generate_series(1, ` + itoa(benchLines/2) + `) g`,
		`INSERT INTO journal_lines (entry_id, line_no, account_code, debit, credit, program_id, application_id)
		 SELECT e.id, n, CASE WHEN n = 1 THEN '5001' ELSE '2307' END, CASE WHEN n = 1 THEN 123456 ELSE 0 END,
		        CASE WHEN n = 2 THEN 123456 ELSE 0 END, '` + prog.ID + `', '` + rec.App.ID + `'
		 FROM journal_entries e CROSS JOIN generate_series(1, 2) n WHERE e.created_by = 'bench-seed'`,
		`ALTER TABLE journal_entries ENABLE TRIGGER USER`,
		`ALTER TABLE journal_lines ENABLE TRIGGER USER`,
		`ANALYZE`,
	} {
		if _, err := sch.DB.ExecContext(ctx, q); err != nil {
			b.Fatal(err)
		}
	}
	f := store.ExportFilter{FundID: fund.ID, From: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC)}
	return workflow.New(st, clk), sch, f
}

func itoa(n int) string { return strconv.Itoa(n) }

var labels = workflow.ExportLabels{Headings: [export.Columns]string{"凭证号", "日期", "摘要", "科目代码", "科目名称", "借方金额", "贷方金额", "项目", "申请编号", "申请人", "审批人"}, Totals: "合计", Sheet: "资金明细账"}

// BenchmarkLedgerExportCSV exports a million lines as CSV and, in the same
// run, times psql \copy of the same query to CSV, reporting the ratio
// (goal: our speed ≥ 0.5 × psql's, i.e. copy_ratio ≥ 0.5).
func BenchmarkLedgerExportCSV(b *testing.B) {
	svc, sch, f := seedLedger(b)
	ctx := context.Background()
	var ours time.Duration
	for b.Loop() {
		start := time.Now()
		rows, d, c, err := svc.WriteLedger(ctx, io.Discard, export.FormatCSV, f, false, labels, nil)
		ours = time.Since(start)
		if err != nil || rows != benchLines+4 || d != c {
			b.Fatalf("rows %d debit %d credit %d: %v", rows, d, c, err)
		}
	}
	b.StopTimer()
	psql, err := exec.LookPath("psql")
	if err != nil {
		b.Logf("psql not found: no comparison")
		return
	}
	query := `SELECT e.fiscal_year, e.voucher_no, e.entry_date, e.summary, l.account_code, a.name_zh, l.debit, l.credit,
		coalesce(p.name_zh, ''), coalesce(ap.number, ''), coalesce(ap.applicant_name, ''), ''
		FROM ` + sch.Name + `.journal_lines l JOIN ` + sch.Name + `.journal_entries e ON e.id = l.entry_id
		JOIN ` + sch.Name + `.accounts a ON a.code = l.account_code LEFT JOIN ` + sch.Name + `.programs p ON p.id = l.program_id
		LEFT JOIN ` + sch.Name + `.applications ap ON ap.id = l.application_id
		ORDER BY e.fiscal_year, e.voucher_no, l.line_no`
	start := time.Now()
	cmd := exec.Command(psql, sch.URL, "-q", "-c", `\copy (`+query+`) TO '/dev/null' WITH CSV`)
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("psql: %v %s", err, out)
	}
	theirs := time.Since(start)
	b.ReportMetric(ours.Seconds(), "ours_s")
	b.ReportMetric(theirs.Seconds(), "psql_copy_s")
	b.ReportMetric(theirs.Seconds()/ours.Seconds(), "copy_ratio")
}

// BenchmarkLedgerExportXLSX exports a million lines as XLSX to a file and
// reports the process's peak RSS (goal: < 60 s, < 150 MB). Run it alone
// (-bench XLSX) so the peak is its own.
func BenchmarkLedgerExportXLSX(b *testing.B) {
	svc, _, f := seedLedger(b)
	ctx := context.Background()
	runtime.GC()
	b.ReportMetric(procStatusMB("VmRSS:"), "rss_before_MB")
	for b.Loop() {
		out, err := os.CreateTemp(b.TempDir(), "ledger-*.xlsx")
		if err != nil {
			b.Fatal(err)
		}
		rows, _, _, err := svc.WriteLedger(ctx, out, export.FormatXLSX, f, false, labels, nil)
		if err != nil || rows != benchLines+4 {
			b.Fatalf("rows %d: %v", rows, err)
		}
		st, _ := out.Stat()
		b.ReportMetric(float64(st.Size())/(1<<20), "file_MB")
		_ = out.Close()
	}
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err == nil {
		b.ReportMetric(float64(ru.Maxrss)/1024, "peak_rss_MB")
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(ms.HeapSys)/(1<<20), "heap_sys_MB")
}

// procStatusMB reads a memory line of /proc/self/status in MB (0 when absent).
func procStatusMB(key string) float64 {
	raw, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if rest, ok := strings.CutPrefix(line, key); ok {
			kb, _ := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")))
			return float64(kb) / 1024
		}
	}
	return 0
}
