package httpapi_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/xuri/excelize/v2"
)

// fakeGrants stands in for the assistance fund's endpoints the pages use
// (api/openapi/grants.yaml): the approval chain with two approvers, the
// fund position, trial balance, ledger and exports.
type fakeGrants struct {
	mu     sync.Mutex
	apps   map[string]*fakeApp
	paid   int64
	format string // of the last export asked for
	rates  []map[string]any
}

type fakeApp struct {
	ID              string           `json:"id"`
	Number          string           `json:"number"`
	ProgramID       string           `json:"program_id"`
	MemberID        string           `json:"member_id"`
	ApplicantUserID string           `json:"applicant_user_id"`
	State           string           `json:"state"`
	StateText       string           `json:"state_text"`
	RequestedAmount int64            `json:"requested_amount"`
	Amount          int64            `json:"amount"`
	Documents       []string         `json:"documents"`
	History         []map[string]any `json:"history"`
	Version         int64            `json:"version"`
	CreatedAt       time.Time        `json:"created_at"`
	approvers       []string
}

var stateText = map[string]string{"draft": "草稿", "submitted": "待审核", "reviewed": "待审批", "approved": "已批准", "disbursed": "已支付", "rejected": "不予资助"}

func newFakeGrants() *fakeGrants { return &fakeGrants{apps: map[string]*fakeApp{}} }

func (f *fakeGrants) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/readyz" {
		return
	}
	user, roles := caller(r)
	if user == "" {
		problem(w, http.StatusUnauthorized, "unauthenticated")
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	path := strings.TrimPrefix(r.URL.Path, "/api/v1/grants")
	parts := strings.Split(strings.Trim(path, "/"), "/")
	w.Header().Set("Content-Type", "application/json")
	enc := json.NewEncoder(w)
	switch {
	case path == "/programs" || path == "/programs/p-1":
		prog := map[string]any{"id": "p-1", "code": "DIS", "name_zh": "因公伤残干警资助", "name_en": "Officers disabled on duty", "active": true}
		if path == "/programs/p-1" {
			_ = enc.Encode(prog)
			return
		}
		_ = enc.Encode(map[string]any{"items": []any{prog}})
	case path == "/applications" && r.Method == http.MethodPost:
		var body struct {
			ProgramID       string   `json:"program_id"`
			MemberID        string   `json:"member_id"`
			RequestedAmount int64    `json:"requested_amount"`
			Documents       []string `json:"documents"`
		}
		_ = json.NewDecoder(r.Body).Decode(&body)
		if body.RequestedAmount > 5_000_000 {
			problem(w, http.StatusUnprocessableEntity, "validation_failed", [2]string{"requested_amount", "超过项目上限"})
			return
		}
		a := &fakeApp{ID: fmt.Sprintf("00000000-0000-7000-a000-%012d", len(f.apps)+1), Number: fmt.Sprintf("GA-2026-%06d", len(f.apps)+1),
			ProgramID: body.ProgramID, MemberID: body.MemberID, ApplicantUserID: user, State: "draft",
			RequestedAmount: body.RequestedAmount, Amount: body.RequestedAmount, Documents: body.Documents, Version: 1, CreatedAt: t0}
		a.StateText = stateText[a.State]
		f.apps[a.ID] = a
		w.WriteHeader(http.StatusCreated)
		_ = enc.Encode(a)
	case path == "/applications" && r.Method == http.MethodGet:
		q := r.URL.Query()
		out := []*fakeApp{}
		for _, a := range f.apps {
			mine := a.ApplicantUserID == user
			if (q.Get("scope") == "mine" && mine) || (q.Get("scope") != "mine" && q.Get("state") == a.State) {
				out = append(out, a)
			}
		}
		_ = enc.Encode(map[string]any{"items": out})
	case len(parts) >= 2 && parts[0] == "applications":
		a, ok := f.apps[parts[1]]
		if !ok || (a.ApplicantUserID != user && roles == "officer") || (a.ApplicantUserID != user && roles == "family") {
			problem(w, http.StatusNotFound, "not_found")
			return
		}
		if len(parts) == 2 {
			_ = enc.Encode(a)
			return
		}
		if r.Header.Get("If-Match") != fmt.Sprintf(`"%d"`, a.Version) {
			problem(w, http.StatusConflict, "version_mismatch")
			return
		}
		step := parts[2]
		next := map[string][2]string{
			"submit": {"draft", "submitted"}, "review": {"submitted", "reviewed"}, "approve": {"reviewed", "approved"}, "disburse": {"approved", "disbursed"},
		}[step]
		need := map[string]string{"review": "caseworker", "approve": "approver", "disburse": "finance"}[step]
		switch {
		case next[0] != a.State:
			problem(w, http.StatusConflict, "grants.transition_not_allowed")
			return
		case need != "" && !strings.Contains(roles, need):
			problem(w, http.StatusForbidden, "grants.role_required")
			return
		case step == "approve":
			for _, ap := range a.approvers {
				if ap == user {
					problem(w, http.StatusForbidden, "grants.same_approver")
					return
				}
			}
			a.approvers = append(a.approvers, user)
			if len(a.approvers) < 2 { // above the threshold: two different approvers
				a.Version++
				a.History = append(a.History, map[string]any{"step": "approve", "actor_name": user, "at": t0})
				_ = enc.Encode(a)
				return
			}
		case step == "disburse":
			f.paid += a.Amount
		}
		a.State, a.StateText, a.Version = next[1], stateText[next[1]], a.Version+1
		a.History = append(a.History, map[string]any{"step": step, "actor_name": user, "at": t0})
		_ = enc.Encode(a)
	case path == "/rates" && r.Method == http.MethodGet:
		_ = enc.Encode(map[string]any{"items": f.rates})
	case path == "/rates" && r.Method == http.MethodPut:
		if !strings.Contains(roles, "admin") {
			problem(w, http.StatusForbidden, "forbidden")
			return
		}
		var body map[string]any
		_ = json.NewDecoder(r.Body).Decode(&body)
		f.rates = append(f.rates, body)
		_ = enc.Encode(body)
	case path == "/funds":
		_ = enc.Encode(map[string]any{"items": []any{map[string]any{"id": "f-1", "fiscal_year": 2026, "name": "2026 年资助资金",
			"appropriation": 100_000_000, "committed": f.paid, "disbursed": f.paid, "remaining": 100_000_000 - f.paid}}})
	case path == "/funds/f-1/position":
		_ = enc.Encode(map[string]any{"as_of": "2026-03-02", "programs": []any{
			map[string]any{"program_id": "p-1", "appropriated": 60_000_000, "committed": 20_000_000, "disbursed": 10_000_000, "remaining": 40_000_000}}})
	case path == "/funds/f-1/trial-balance":
		_ = enc.Encode(map[string]any{"as_of": "2026-03-02", "rows": []any{
			map[string]any{"code": "1011", "name": "零余额账户用款额度", "debit": 100_000_000, "credit": f.paid, "balance": 100_000_000 - f.paid},
			map[string]any{"code": "4001", "name": "财政拨款收入", "debit": 0, "credit": 100_000_000, "balance": 100_000_000},
			map[string]any{"code": "5001", "name": "业务活动费用", "debit": f.paid, "credit": 0, "balance": f.paid},
		}, "total_debit": 100_000_000 + f.paid, "total_credit": 100_000_000 + f.paid, "balanced": true})
	case path == "/funds/f-1/entries":
		_ = enc.Encode(map[string]any{"items": []any{map[string]any{"id": "1", "voucher": "记-2026-000001", "date": "2026-01-05", "kind": "appropriation",
			"summary": "年度拨款", "lines": []any{map[string]any{"account_code": "1011", "debit": 100_000_000}, map[string]any{"account_code": "4001", "credit": 100_000_000}}}}})
	case path == "/exports" && r.Method == http.MethodPost:
		if !strings.Contains(roles, "finance") {
			problem(w, http.StatusForbidden, "forbidden")
			return
		}
		var body map[string]string
		_ = json.NewDecoder(r.Body).Decode(&body)
		f.format = body["format"]
		w.WriteHeader(http.StatusAccepted)
		_ = enc.Encode(map[string]any{"id": "e-1", "format": f.format, "state": "running", "rows_done": 1, "rows_total": 2})
	case path == "/exports/e-1":
		_ = enc.Encode(map[string]any{"id": "e-1", "format": f.format, "state": "done", "rows_done": 2, "rows_total": 2})
	case path == "/exports/e-1/download":
		w.Header().Set("Content-Disposition", `attachment; filename="../../etc/passwd"`)
		if f.format != "xlsx" {
			w.Header().Set("Content-Type", "text/csv")
			_, _ = w.Write([]byte("\ufeff凭证号,摘要\n记-2026-000001,年度拨款\n"))
			return
		}
		w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
		_ = ledgerXLSX(w, 100_000_000+f.paid)
	default:
		problem(w, http.StatusNotFound, "not_found")
	}
}

// ledgerXLSX writes a small ledger workbook whose control-totals row holds
// total in yuan in the debit and credit columns, as the grants export does.
func ledgerXLSX(w io.Writer, total int64) error {
	x := excelize.NewFile()
	defer x.Close()
	sheet := x.GetSheetName(0)
	rows := [][]any{
		{"凭证号", "日期", "摘要", "科目", "借方", "贷方"},
		{"记-2026-000001", "2026-01-05", "年度拨款", "1011", 1_000_000.00, nil},
		{"记-2026-000001", "2026-01-05", "年度拨款", "4001", nil, 1_000_000.00},
		{"合计", nil, nil, nil, float64(total) / 100, float64(total) / 100},
	}
	for i, row := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := x.SetSheetRow(sheet, cell, &row); err != nil {
			return err
		}
	}
	return x.Write(w)
}
