package fielderr_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"testing"

	"github.com/anxin-welfare/anxin/pkg/fielderr"
)

func TestListErr(t *testing.T) {
	t.Parallel()
	var empty fielderr.List
	if err := empty.Err(); err != nil {
		t.Fatalf("empty list: Err() = %v, want nil", err)
	}
	var l fielderr.List
	l.Add("name", "field.required")
	l.AddUnder("dependants[2].", fielderr.List{fielderr.New("birth_date", "field.date"), fielderr.New("name", "field.too_long", 50)})
	err := fmt.Errorf("save member: %w", l.Err())
	if !errors.Is(err, fielderr.ErrInvalid) {
		t.Fatalf("errors.Is(%v, ErrInvalid) = false", err)
	}
	got := fielderr.Of(err)
	want := []string{"name:field.required", "dependants[2].birth_date:field.date", "dependants[2].name:field.too_long"}
	if len(got) != len(want) {
		t.Fatalf("Of = %v, want %v", got, want)
	}
	for i, p := range got {
		if p.Field+":"+p.Code != want[i] {
			t.Errorf("problem %d = %s:%s, want %s", i, p.Field, p.Code, want[i])
		}
	}
	if a := got[2].Args; len(a) != 1 || a[0] != 50 {
		t.Errorf("args of the nested problem = %v, want [50]", a)
	}
	if !got.Has("dependants[2].name") || got.Has("birth_date") {
		t.Errorf("Has: the nested field is under its prefix only")
	}
	if fielderr.Of(errors.New("other")) != nil {
		t.Errorf("Of(a non-validation error) is not nil")
	}
	if err.Error() != "save member: validation failed: name: field.required; dependants[2].birth_date: field.date; dependants[2].name: field.too_long" {
		t.Errorf("Error() = %q", err.Error())
	}
}

// TestProblemJSON pins the wire shape of one entry of a problem's errors:
// field, code and message, never the template's arguments.
func TestProblemJSON(t *testing.T) {
	t.Parallel()
	p := fielderr.Problem{Field: "to", Code: "field.range", Args: []any{1, 2}, Message: "须在 1 到 2 之间"}
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != `{"field":"to","code":"field.range","message":"须在 1 到 2 之间"}` {
		t.Fatalf("JSON = %s", b)
	}
	var back fielderr.Problem
	if err := json.Unmarshal([]byte(`{"field":"f","code":"c","message":"m"}`), &back); err != nil {
		t.Fatal(err)
	}
	if back.Field != "f" || back.Code != "c" || back.Message != "m" {
		t.Fatalf("decoded %+v", back)
	}
}

func TestFail(t *testing.T) {
	t.Parallel()
	err := fielderr.Fail("year", "field.range", 2000, 2100)
	ps := fielderr.Of(err)
	if !errors.Is(err, fielderr.ErrInvalid) || len(ps) != 1 || ps[0].Field != "year" || len(ps[0].Args) != 2 {
		t.Fatalf("Fail = %v (%+v)", err, ps)
	}
}
