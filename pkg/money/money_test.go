package money_test

import (
	"errors"
	"testing"

	"github.com/anxin-welfare/anxin/pkg/money"
)

func TestString(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   money.Fen
		want string
	}{
		{"zero", 0, "¥0.00"},
		{"fen", 5, "¥0.05"},
		{"grouped", 123456, "¥1,234.56"},
		{"millions", 123456789012, "¥1,234,567,890.12"},
		{"negative", -123456, "-¥1,234.56"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := tt.in.String(); got != tt.want {
				t.Fatalf("String() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestParse(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		in      string
		want    money.Fen
		wantErr error
	}{
		{"whole", "12", 1200, nil},
		{"one decimal", "12.5", 1250, nil},
		{"two decimals", "1,234.56", 123456, nil},
		{"sign", "¥3.01", 301, nil},
		{"negative", "-0.01", -1, nil},
		{"fractional fen", "1.234", 0, money.ErrSyntax},
		{"letters", "12a", 0, money.ErrSyntax},
		{"empty", "", 0, money.ErrSyntax},
		{"dot only", "1.", 0, money.ErrSyntax},
		{"huge", "999999999999999999999", 0, money.ErrOverflow},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := money.Parse(tt.in)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Parse(%q) error = %v, want %v", tt.in, err, tt.wantErr)
			}
			if got != tt.want {
				t.Fatalf("Parse(%q) = %d, want %d", tt.in, got, tt.want)
			}
		})
	}
}

func TestMulRat(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		f        money.Fen
		num, den int64
		want     money.Fen
	}{
		{"months", 812345, 27, 1, 21933315},
		{"percent half up", 5, 1, 2, 3},
		{"percent negative half away", -5, 1, 2, -3},
		{"thirty five percent", 10000001, 35, 100, 3500000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := money.MulRat(tt.f, tt.num, tt.den)
			if err != nil || got != tt.want {
				t.Fatalf("MulRat(%d,%d,%d) = %d, %v; want %d", tt.f, tt.num, tt.den, got, err, tt.want)
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"0", "1.5", "-1,234.56", "¥9", "1.234", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := money.Parse(s)
		if err != nil {
			return
		}
		back, err := money.Parse(v.Plain(false))
		if err != nil || back != v {
			t.Fatalf("round trip %q -> %d -> %q -> %d, %v", s, v, v.Plain(false), back, err)
		}
	})
}
