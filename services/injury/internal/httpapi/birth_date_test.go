package httpapi_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/pkg/bus"
	"github.com/anxin-welfare/anxin/services/injury/internal/events"
)

// project applies enrollment's member.registered for a member through the
// projection's own consumer code.
func (e *env) project(memberID, birthDate string) {
	e.t.Helper()
	ev, err := bus.NewEvent("enrollment", "member.registered", 1, memberID, 1, map[string]any{
		"member_id": memberID, "unit_id": "unit-1", "name": "李强", "category": "police", "birth_date": birthDate,
	}, now)
	if err != nil {
		e.t.Fatal(err)
	}
	tx, err := e.db.Beginx()
	if err != nil {
		e.t.Fatal(err)
	}
	defer func() { _ = tx.Rollback() }()
	if err := events.HandleMember(context.Background(), tx, ev); err != nil {
		e.t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		e.t.Fatal(err)
	}
}

// Issue 19: an injury cannot be before the member's birth, when the
// projection knows the birth; a member enrollment has not announced yet
// still gets a case (the range then starts in 1950).
func TestInjuryNotBeforeMemberBirth(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.project("m-1", "1990-05-01")
	open := func(memberID, injuredAt string) resp {
		return e.do(caseworker, "POST", "/cases", map[string]any{"member_id": memberID, "unit_id": "unit-1",
			"injured_at": injuredAt, "place": "p", "description": "d", "severity": "minor"})
	}

	before := e.snapshot()
	r := open("m-1", "1989-12-31T10:00")
	if r.Code != http.StatusUnprocessableEntity || r.problemCode(t) != "validation_failed" ||
		!strings.Contains(string(r.Body), `"field":"injured_at"`) || !strings.Contains(string(r.Body), "应在 1990-05-01 至 2026-03-10 之间") {
		t.Errorf("injury before birth: %d %s", r.Code, r.Body)
	}
	if after := e.snapshot(); after != before {
		t.Errorf("refused opening changed state: %s -> %s", before, after)
	}
	if r := e.do(caseworker, "POST", "/incidents", map[string]any{"unit_id": "unit-1", "occurred_at": "1989-12-31T10:00",
		"place": "p", "description": "d", "injured": []map[string]any{{"member_id": "m-1", "severity": "minor"}}}); r.Code != http.StatusUnprocessableEntity ||
		!strings.Contains(string(r.Body), "1990-05-01") {
		t.Errorf("incident with an injury before birth: %d %s", r.Code, r.Body)
	}
	if r := open("m-1", "1990-05-01T10:00"); r.Code != http.StatusCreated {
		t.Errorf("injury on the birthday: %d %s", r.Code, r.Body)
	}
	if r := open("m-7", "1989-12-31T10:00"); r.Code != http.StatusCreated {
		t.Errorf("member not yet projected: %d %s", r.Code, r.Body)
	}
	var born time.Time
	if err := e.db.Get(&born, `SELECT birth_date FROM members WHERE member_id = 'm-1'`); err != nil || born.Format(time.DateOnly) != "1990-05-01" {
		t.Errorf("projected birth date = %v, %v", born, err)
	}
}
