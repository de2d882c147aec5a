package events_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/anxin-welfare/anxin/services/grants/internal/events"
)

func eventsDir(t *testing.T) string {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "..", "..", "api", "events")
}

func loadSchema(t *testing.T, name string) (*jsonschema.Schema, map[string]any) {
	t.Helper()
	path := filepath.Join(eventsDir(t), name)
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource(path, doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile(path)
	if err != nil {
		t.Fatal(err)
	}
	return s, doc.(map[string]any)
}

// jsonFields lists a struct's JSON names and which of them are required
// (no omitempty).
func jsonFields(v any) (all, required []string) {
	rt := reflect.TypeOf(v)
	for i := range rt.NumField() {
		tag := rt.Field(i).Tag.Get("json")
		name, opts, _ := strings.Cut(tag, ",")
		all = append(all, name)
		if !strings.Contains(opts, "omitempty") {
			required = append(required, name)
		}
	}
	slices.Sort(all)
	slices.Sort(required)
	return all, required
}

func keys(m map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func strs(v any) []string {
	var out []string
	for _, x := range v.([]any) {
		out = append(out, x.(string))
	}
	slices.Sort(out)
	return out
}

var (
	id  = "0192e3a4-5b6c-7d8e-9f00-112233445566"
	at  = time.Date(2026, 11, 27, 2, 0, 0, 0, time.UTC)
	num = "GA-2026-000001"
)

// TestPublishedPayloadsMatchSchemas: every published struct has exactly
// the schema's properties, requires what the schema requires, and a sample
// validates.
func TestPublishedPayloadsMatchSchemas(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		file   string
		sample any
	}{
		{"submitted", "grants.application.submitted.v1.json", events.ApplicationSubmitted{ApplicationID: id, Number: num, FundID: id, ProgramID: id, MemberID: "m-1", UnitID: "u", Amount: 1, Round: 1, SubmittedAt: at}},
		{"approved", "grants.application.approved.v1.json", events.ApplicationApproved{ApplicationID: id, Number: num, FundID: id, ProgramID: id, MemberID: "m-1", UnitID: "u", Amount: 1, CommittedAmount: 1, Approvers: []string{"a", "b"}, ApprovedAt: at}},
		{"rejected", "grants.application.rejected.v1.json", events.ApplicationRejected{ApplicationID: id, Number: num, ProgramID: id, MemberID: "m-1", UnitID: "u", Reason: "收入超过标准", RejectedAt: at}},
		{"care.visit_recorded", "grants.care.visit_recorded.v1.json", events.CareVisitRecorded{VisitID: id, RecordID: id, MemberID: "m-1", UnitID: "u",
			Occasion: "spring_festival", Year: 2027, VisitedOn: "2027-01-20", GivenTotal: 200000, Visitors: 2, RecordedBy: "u-cw", RecordedAt: at}},
		{"care.matter_resolved", "grants.care.matter_resolved.v1.json", events.CareMatterResolved{MatterID: id, RecordID: id, MemberID: "m-1", UnitID: "u",
			Kind: "schooling", Topic: "tuition", ApplicationID: id, OnTime: true, RaisedAt: at, ResolvedBy: "u-cw", ResolvedAt: at}},
		{"returned", "grants.application.returned.v1.json", events.ApplicationReturned{ApplicationID: id, Number: num, ProgramID: id, MemberID: "m-1", UnitID: "u", Reason: "请补交家庭收入证明", ReturnedAt: at}},
		{"disbursed", "grants.grant.disbursed.v1.json", events.GrantDisbursed{DisbursementID: id, ApplicationID: id, Number: num, FundID: id, ProgramID: id, MemberID: "m-1", Amount: 1, Period: "2026-11-01", DisbursedAt: at}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s, doc := loadSchema(t, tt.file)
			all, required := jsonFields(tt.sample)
			if got := keys(doc["properties"].(map[string]any)); !slices.Equal(got, all) {
				t.Errorf("schema properties %v, struct fields %v", got, all)
			}
			if got := strs(doc["required"]); !slices.Equal(got, required) {
				t.Errorf("schema required %v, struct required %v", got, required)
			}
			raw, _ := json.Marshal(tt.sample)
			inst, _ := jsonschema.UnmarshalJSON(strings.NewReader(string(raw)))
			if err := s.Validate(inst); err != nil {
				t.Errorf("sample does not validate: %v", err)
			}
		})
	}
}

// TestConsumedPayloadsExistUpstream: every field grants reads from another
// service's event is in that event's schema, so a rename upstream fails here.
func TestConsumedPayloadsExistUpstream(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		file string
		v    any
	}{
		{"case.graded", "injury.case.graded.v1.json", events.CaseGraded{}},
		{"member.deceased", "enrollment.member.deceased.v1.json", events.MemberDeceased{}},
		{"member.deceased dependants", "enrollment.member.deceased.v1.json#dependants", events.Dependant{}},
		{"member.deceased honours", "enrollment.member.deceased.v1.json#honours", events.Honour{}},
		{"member.registered", "enrollment.member.registered.v1.json", events.MemberChanged{}},
		{"member.registered dependants", "enrollment.member.registered.v1.json#dependants", events.Dependant{}},
		{"member.updated", "enrollment.member.updated.v1.json", events.MemberChanged{}},
		{"member.updated dependants", "enrollment.member.updated.v1.json#dependants", events.Dependant{}},
		{"member.updated honours", "enrollment.member.updated.v1.json#honours", events.Honour{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			file, item, _ := strings.Cut(tt.file, "#")
			_, doc := loadSchema(t, file)
			props := doc["properties"].(map[string]any)
			if item != "" {
				props = props[item].(map[string]any)["items"].(map[string]any)["properties"].(map[string]any)
			}
			all, _ := jsonFields(tt.v)
			for _, f := range all {
				if _, ok := props[f]; !ok {
					t.Errorf("%s reads %q, which the upstream schema does not have", tt.name, f)
				}
			}
		})
	}
}
