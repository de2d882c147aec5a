package benchapi

import (
	"encoding/binary"
	"slices"
	"testing"
	"time"
)

func TestPercentileIsNearestRank(t *testing.T) {
	r := Result{}
	for i := 1; i <= 100; i++ {
		r.Samples = append(r.Samples, time.Duration(i)*time.Millisecond)
	}
	for p, want := range map[float64]time.Duration{0.5: 50 * time.Millisecond, 0.9: 90 * time.Millisecond, 0.99: 99 * time.Millisecond, 1: 100 * time.Millisecond} {
		if got := r.Percentile(p); got != want {
			t.Errorf("p%v = %v, want %v", p*100, got, want)
		}
	}
	if (Result{}).Percentile(0.5) != 0 {
		t.Error("no samples should give 0")
	}
}

func sts(qs ...string) []Statement {
	out := make([]Statement, len(qs))
	for i, q := range qs {
		out[i] = Statement{SQL: q, Seq: uint64(i)}
	}
	return out
}

func sqls(s []Statement) []string {
	out := make([]string, len(s))
	for i, st := range s {
		out[i] = st.SQL
	}
	return out
}

// A window that opens inside one transaction and closes inside another
// keeps only what ran whole.
func TestWholeUnitsDropsCutTransactions(t *testing.T) {
	got := sqls(wholeUnits(sts("UPDATE a", "COMMIT", "SELECT 1", "BEGIN", "INSERT b", "COMMIT", "BEGIN", "INSERT c")))
	want := []string{"SELECT 1", "BEGIN", "INSERT b", "COMMIT"}
	if !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

// Units that an idle window also shows are background polls, not the
// filing's; ids the second filing never mentions are minted.
func TestNewCaptureDropsIdlePollsAndFindsMintedIDs(t *testing.T) {
	const member, caseA, caseB = "11111111-1111-4111-8111-111111111111", "22222222-2222-4222-8222-222222222222", "33333333-3333-4333-8333-333333333333"
	poll := sts("BEGIN", "SELECT poll", "ROLLBACK")
	insert := func(id string) []Statement {
		s := sts("BEGIN", "INSERT INTO cases VALUES ($1, $2)", "COMMIT")
		s[1].Args, s[1].Binary = [][]byte{[]byte(id), []byte(member)}, []bool{false, false}
		return s
	}
	first := []ConnLog{{Statements: append(slices.Clone(poll), insert(caseA)...)}}
	second := []ConnLog{{Statements: insert(caseB)}}
	c := NewCapture(first, second, []ConnLog{{Statements: poll}})
	if got := sqls(c.Conns[0].Statements); !slices.Equal(got, []string{"BEGIN", "INSERT INTO cases VALUES ($1, $2)", "COMMIT"}) {
		t.Errorf("kept %q", got)
	}
	if !c.fresh[caseA] || c.fresh[member] {
		t.Errorf("fresh = %v: want the case id only", c.fresh)
	}
}

func TestParseBind(t *testing.T) {
	prepared := map[string]string{}
	if _, ok := parseMessage('P', []byte("s1\x00SELECT $1, $2\x00\x00\x00"), prepared); ok {
		t.Fatal("a Parse is not a statement run")
	}
	var b []byte
	b = append(b, 0)           // portal ""
	b = append(b, "s1\x00"...) // statement
	b = binary.BigEndian.AppendUint16(b, 0)
	b = binary.BigEndian.AppendUint16(b, 2)
	b = binary.BigEndian.AppendUint32(b, 3)
	b = append(b, "abc"...)
	b = binary.BigEndian.AppendUint32(b, 0xFFFFFFFF) // NULL
	b = binary.BigEndian.AppendUint16(b, 0)
	st, ok := parseMessage('B', b, prepared)
	if !ok || st.SQL != "SELECT $1, $2" || len(st.Args) != 2 || string(st.Args[0]) != "abc" || st.Args[1] != nil {
		t.Errorf("got %+v, %v", st, ok)
	}
}

func TestTextArgTurnsHexByteaBackIntoBytes(t *testing.T) {
	if b, ok := textArg([]byte(`\x0aff`)).([]byte); !ok || len(b) != 2 || b[0] != 0x0a || b[1] != 0xff {
		t.Errorf(`\x0aff → %#v`, textArg([]byte(`\x0aff`)))
	}
	if s, ok := textArg([]byte("GC-2026-000001")).(string); !ok || s != "GC-2026-000001" {
		t.Errorf("a text value changed: %#v", textArg([]byte("GC-2026-000001")))
	}
}

func TestPrevHashColumn(t *testing.T) {
	k, m, ok := prevHashColumn("INSERT INTO audit_log\n\t(chain, at, actor, action, object_type, object_id, before, after, request_id, prev_hash, hash) VALUES ($1)")
	if !ok || k != 9 || m != 11 {
		t.Fatalf("prevHashColumn = %d, %d, %v; want 9, 11, true", k, m, ok)
	}
	if _, _, ok := prevHashColumn("INSERT INTO outbox (id, prev_hash) VALUES ($1, $2)"); ok {
		t.Fatal("another table's insert matched")
	}
}

func TestJourneyClientsOverrideTheDefault(t *testing.T) {
	cfg := Config{Clients: 8, JourneyClients: map[string]int{"file": 16}}
	js := Journeys()
	if got := cfg.ClientsFor(js[0]); got != 16 {
		t.Errorf("%s: %d clients, want 16", js[0], got)
	}
	for _, name := range js[1:] {
		if got := cfg.ClientsFor(name); got != 8 {
			t.Errorf("%s: %d clients, want the default 8", name, got)
		}
	}
	if got := (Config{Clients: 4}).ClientsFor(js[0]); got != 4 {
		t.Errorf("no overrides: %d clients, want 4", got)
	}
}
