package httpapi_test

import (
	"reflect"
	"testing"
)

// TestPreviewAgreesWithSavedCalculation: a 测算 on the case's injury date
// with the same inputs shows exactly what saving the calculation stores:
// the same parameters (regional average and minimum wage in force that
// day, not a later value) and the same four amounts.
func TestPreviewAgreesWithSavedCalculation(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	id := e.openCase()
	for _, p := range []struct {
		path string
		fen  int64
	}{
		{"/parameters/regional_average_monthly_wage/2020-01-01", 650000},
		{"/parameters/minimum_monthly_wage/2020-01-01", 190000},
		{"/parameters/regional_average_monthly_wage/2099-01-01", 990000},
	} {
		if r := e.do(admin, "PUT", p.path, map[string]any{"value_fen": p.fen}); r.Code != 200 {
			t.Fatalf("set %s = %d %s", p.path, r.Code, r.Body)
		}
	}
	in := map[string]any{"grade": 7, "wages_fen": []int64{150000, 180000}, "job_arranged": true, "nursing": "most"}
	r := e.do(caseworker, "POST", "/cases/"+id+"/calculations", in)
	if r.Code != 201 {
		t.Fatalf("calculate = %d %s", r.Code, r.Body)
	}
	saved := r.json(t)
	inputs := saved["inputs"].(map[string]any)
	preview := map[string]any{"on": inputs["parameters_on"]}
	for k, v := range in {
		preview[k] = v
	}
	p := e.do(caseworker, "POST", "/calculations/preview", preview)
	if p.Code != 200 {
		t.Fatalf("preview = %d %s", p.Code, p.Body)
	}
	got := p.json(t)
	if got["regional_average_fen"] != float64(650000) || got["minimum_wage_fen"] != float64(190000) {
		t.Errorf("preview used %v / %v, want the values in force on %v", got["regional_average_fen"], got["minimum_wage_fen"], inputs["parameters_on"])
	}
	if got["regional_average_fen"] != inputs["regional_average_fen"] || got["minimum_wage_fen"] != inputs["minimum_wage_fen"] {
		t.Errorf("preview parameters %v / %v, saved %v / %v", got["regional_average_fen"], got["minimum_wage_fen"], inputs["regional_average_fen"], inputs["minimum_wage_fen"])
	}
	if !reflect.DeepEqual(got["assessment"], saved["assessment"]) {
		t.Errorf("preview assessment %v\nsaved %v", got["assessment"], saved["assessment"])
	}
}
