package injury

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/anxin-welfare/anxin/internal/specs"
	"github.com/anxin-welfare/anxin/pkg/app/apptest"
	"github.com/anxin-welfare/anxin/pkg/auth"
)

// TestNULIsRefusedNamingTheField: a NUL in a case's or a comment's text was
// a 500 (PostgreSQL refuses it in text); it is a 422 naming the field, and
// nothing is stored.
func TestNULIsRefusedNamingTheField(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	env.Contract = specs.MustLoad(t, "injury")
	svc, err := New(context.Background(), env.Deps, testConfig(t))
	if err != nil {
		t.Fatal(err)
	}
	apptest.Run(t, svc.Run)
	officer := auth.Identity{UserID: "u-1", MemberID: "m-1", Name: "李强", Roles: []auth.Role{auth.RoleOfficer}}
	openCase := func(description string) *httpResult {
		w := env.Do(t, svc.Handler(), &officer, "POST", "/api/v1/injury/cases", map[string]any{
			"member_id": "m-1", "unit_id": "unit-1", "injured_at": "2026-11-27T09:00", "place": "城关派出所门前",
			"description": description, "severity": "minor",
		})
		return &httpResult{w.Code, w.Body.Bytes()}
	}
	r := openCase("处置纠纷时\x00被刺伤手臂")
	r.wantField(t, "description")
	ok := openCase("处置纠纷时被刺伤手臂\n第二行")
	if ok.status != http.StatusCreated {
		t.Fatalf("open = %d %s", ok.status, ok.body)
	}
	var opened struct {
		ID string `json:"id"`
	}
	_ = json.Unmarshal(ok.body, &opened)
	count := func(q string) int {
		var n int
		if err := svc.base.DB.Get(&n, q); err != nil {
			t.Fatal(err)
		}
		return n
	}
	timeline := count(`SELECT count(*) FROM timeline`)
	w := env.Do(t, svc.Handler(), &officer, "POST", "/api/v1/injury/cases/"+opened.ID+"/comments", map[string]any{"body": "已就医\x00"})
	(&httpResult{w.Code, w.Body.Bytes()}).wantField(t, "body")
	if cases, after := count(`SELECT count(*) FROM cases`), count(`SELECT count(*) FROM timeline`); cases != 1 || after != timeline {
		t.Fatalf("refused requests stored something: %d cases, timeline %d → %d", cases, timeline, after)
	}
}

type httpResult struct {
	status int
	body   []byte
}

func (r *httpResult) wantField(t *testing.T, field string) {
	t.Helper()
	var p struct {
		Code   string `json:"code"`
		Errors []struct{ Field, Code, Message string }
	}
	_ = json.Unmarshal(r.body, &p)
	if r.status != http.StatusUnprocessableEntity || p.Code != "validation_failed" || len(p.Errors) != 1 ||
		p.Errors[0].Field != field || p.Errors[0].Code != "field.control_char" || p.Errors[0].Message == "" {
		t.Fatalf("want 422 naming %s: %d %s", field, r.status, r.body)
	}
}
