package domain_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/pkg/fielderr"
	"github.com/anxin-welfare/anxin/services/injury/internal/domain"
)

func TestOpenInputValidate(t *testing.T) {
	t.Parallel()
	good := domain.OpenInput{MemberID: "m-1", UnitID: "u", InjuredAt: opened.Add(-time.Hour), Place: "p", Description: "d", Severity: domain.SeveritySerious}
	tests := []struct {
		name   string
		mutate func(*domain.OpenInput)
		fields []string
	}{
		{name: "valid", mutate: func(*domain.OpenInput) {}},
		{name: "unknown person by name", mutate: func(in *domain.OpenInput) { in.MemberID, in.UnknownName = "", "李某" }},
		{name: "neither member nor name", mutate: func(in *domain.OpenInput) { in.MemberID = "" }, fields: []string{"member_id"}},
		{name: "both member and name", mutate: func(in *domain.OpenInput) { in.UnknownName = "李某" }, fields: []string{"unknown_name"}},
		{name: "injury in the future", mutate: func(in *domain.OpenInput) { in.InjuredAt = opened.Add(time.Hour) }, fields: []string{"injured_at"}},
		{name: "phone clock slightly ahead", mutate: func(in *domain.OpenInput) { in.InjuredAt = opened.Add(2 * time.Minute) }},
		{name: "missing everything", mutate: func(in *domain.OpenInput) { *in = domain.OpenInput{} },
			fields: []string{"member_id", "unit_id", "injured_at", "place", "description", "severity"}},
		{name: "description too long", mutate: func(in *domain.OpenInput) { in.Description = strings.Repeat("伤", 4001) }, fields: []string{"description"}},
		{name: "invalid utf-8", mutate: func(in *domain.OpenInput) { in.Place = "\xff" }, fields: []string{"place"}},
		{name: "year 0006", mutate: func(in *domain.OpenInput) { in.InjuredAt = time.Date(6, 3, 9, 2, 0, 0, 0, time.UTC) }, fields: []string{"injured_at"}},
		{name: "before 1950", mutate: func(in *domain.OpenInput) { in.InjuredAt = time.Date(1949, 12, 31, 2, 0, 0, 0, time.UTC) }, fields: []string{"injured_at"}},
		{name: "1 January 1950 in Shanghai", mutate: func(in *domain.OpenInput) { in.InjuredAt = time.Date(1949, 12, 31, 17, 0, 0, 0, time.UTC) }},
		{name: "before the member's birth", mutate: func(in *domain.OpenInput) {
			in.MemberBorn = time.Date(1990, 5, 1, 0, 0, 0, 0, time.UTC)
			in.InjuredAt = time.Date(1990, 4, 30, 2, 0, 0, 0, time.UTC)
		}, fields: []string{"injured_at"}},
		{name: "on the member's birthday", mutate: func(in *domain.OpenInput) {
			in.MemberBorn = time.Date(1990, 5, 1, 0, 0, 0, 0, time.UTC)
			in.InjuredAt = time.Date(1990, 5, 1, 2, 0, 0, 0, time.UTC)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			in := good
			tt.mutate(&in)
			err := in.Validate(opened)
			var got []string
			var ve *fielderr.Invalid
			if errors.As(err, &ve) {
				for _, p := range ve.Problems {
					got = append(got, p.Field)
				}
			} else if err != nil {
				t.Fatalf("err = %v", err)
			}
			if !slices.Equal(got, tt.fields) {
				t.Errorf("fields = %v, want %v", got, tt.fields)
			}
		})
	}
}

func TestInjuryDateIsShanghaiDate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		at   time.Time
		want time.Time
	}{
		{name: "late evening UTC is next day in Shanghai", at: time.Date(2026, 3, 9, 17, 0, 0, 0, time.UTC), want: day(2026, 3, 10)},
		{name: "morning", at: time.Date(2026, 3, 10, 1, 0, 0, 0, time.UTC), want: day(2026, 3, 10)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := domain.Case{InjuredAt: tt.at}
			if got := c.InjuryDate(); !got.Equal(tt.want) {
				t.Errorf("InjuryDate = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestCaseNumber(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		in      string
		year    int
		seq     int64
		wantErr bool
	}{
		{name: "formatted", in: domain.FormatCaseNumber(2026, 123), year: 2026, seq: 123},
		{name: "seven digits", in: "GC-2026-1000000", year: 2026, seq: 1000000},
		{name: "too few digits", in: "GC-2026-123", wantErr: true},
		{name: "zero", in: "GC-2026-000000", wantErr: true},
		{name: "wrong prefix", in: "GX-2026-000001", wantErr: true},
		{name: "empty", in: "", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			y, s, err := domain.ParseCaseNumber(tt.in)
			if tt.wantErr {
				if !errors.Is(err, domain.ErrBadCaseNumber) {
					t.Errorf("err = %v", err)
				}
				return
			}
			if err != nil || y != tt.year || s != tt.seq {
				t.Errorf("Parse = %d %d %v", y, s, err)
			}
		})
	}
	if got := domain.FormatCaseNumber(2026, 123); got != "GC-2026-000123" {
		t.Errorf("Format = %s", got)
	}
}

func TestSniffDocument(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		head []byte
		size int64
		want string
		err  error
	}{
		{name: "pdf", head: []byte("%PDF-1.7\n"), size: 100, want: domain.TypePDF},
		{name: "jpeg", head: []byte{0xFF, 0xD8, 0xFF, 0xE0}, size: 100, want: domain.TypeJPEG},
		{name: "png", head: []byte("\x89PNG\r\n\x1a\n...."), size: 100, want: domain.TypePNG},
		{name: "html named pdf", head: []byte("<html><script>"), size: 100, err: domain.ErrUnsupportedDocument},
		{name: "exe", head: []byte("MZ\x90\x00"), size: 100, err: domain.ErrUnsupportedDocument},
		{name: "empty", head: nil, size: 0, err: domain.ErrEmptyDocument},
		{name: "exactly 20 MB", head: []byte("%PDF-"), size: 20 << 20, want: domain.TypePDF},
		{name: "over 20 MB", head: []byte("%PDF-"), size: 20<<20 + 1, err: domain.ErrDocumentTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := domain.SniffDocument(tt.head, tt.size)
			if !errors.Is(err, tt.err) || got != tt.want {
				t.Errorf("Sniff = %q, %v; want %q, %v", got, err, tt.want, tt.err)
			}
		})
	}
}

func TestCleanFileName(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, ct, want string
	}{
		{name: "keeps Chinese", in: "诊断证明.pdf", ct: domain.TypePDF, want: "诊断证明.pdf"},
		{name: "real type wins", in: "photo.html", ct: domain.TypePNG, want: "photo.png"},
		{name: "drops directories", in: `..\..\etc/passwd`, ct: domain.TypePDF, want: "passwd.pdf"},
		{name: "neutralises quotes and newlines", in: "a\"b\r\nc.pdf", ct: domain.TypePDF, want: "a_b__c.pdf"},
		{name: "empty", in: "", ct: domain.TypeJPEG, want: "document.jpg"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := domain.CleanFileName(tt.in, tt.ct); got != tt.want {
				t.Errorf("CleanFileName = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestLeavePeriod(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		start    time.Time
		extended int
		want     time.Time
	}{
		{name: "twelve months", start: day(2026, 3, 15), want: day(2027, 3, 14)},
		{name: "fully extended", start: day(2026, 3, 15), extended: 12, want: day(2028, 3, 14)},
		{name: "from the 31st", start: day(2026, 1, 31), want: day(2027, 1, 30)},
		{name: "extended 1 month from the 31st", start: day(2026, 1, 31), extended: 1, want: day(2027, 2, 27)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := domain.LeavePeriod(tt.start, tt.extended).End; !got.Equal(tt.want) {
				t.Errorf("end = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestLeaveExtension(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		months  []int
		wantErr bool
		end     time.Time
	}{
		{name: "one extension", months: []int{6}, end: day(2027, 9, 10)},
		{name: "two extensions to the limit", months: []int{6, 6}, end: day(2028, 3, 10)},
		{name: "over the limit", months: []int{6, 7}, wantErr: true},
		{name: "zero months", months: []int{0}, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := caseAt(t, "treatment")
			p := domain.DefaultPolicy()
			if _, err := c.Apply(domain.StartLeave{Start: day(2026, 3, 11)}, caseworker, day(2026, 3, 11), p); err != nil {
				t.Fatal(err)
			}
			var err error
			for _, m := range tt.months {
				if _, err = c.Apply(domain.ExtendLeave{Months: m}, caseworker, day(2027, 1, 1), p); err != nil {
					break
				}
			}
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			if !tt.wantErr {
				if !c.Leave.End.Equal(tt.end) {
					t.Errorf("end = %s, want %s", c.Leave.End, tt.end)
				}
				if due := c.Clock(domain.ClockInjuryLeave).DueAt; !due.Equal(time.Date(tt.end.Year(), tt.end.Month(), tt.end.Day(), 16, 0, 0, 0, time.UTC)) {
					t.Errorf("leave clock due = %s", due)
				}
			}
		})
	}
}

func TestCoverageBackoff(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		n    int
		want time.Duration
	}{
		{name: "first", n: 1, want: 30 * time.Second},
		{name: "second", n: 2, want: time.Minute},
		{name: "capped", n: 20, want: time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := domain.CoverageBackoff(tt.n); got != tt.want {
				t.Errorf("backoff = %s, want %s", got, tt.want)
			}
		})
	}
	var c domain.Coverage
	for range domain.MaxCoverageAttempts {
		c.Failed("timeout", opened)
	}
	if c.Status != domain.CoverageAbandoned || !c.NextAttemptAt.IsZero() {
		t.Errorf("after max attempts: %+v", c)
	}
}
