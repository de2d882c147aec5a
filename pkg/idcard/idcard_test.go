package idcard_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/pkg/i18n"
	"github.com/anxin-welfare/anxin/pkg/idcard"
)

// today is the fixed date the table tests check "not in the future" against.
var today = time.Date(2026, time.March, 15, 0, 0, 0, 0, time.UTC)

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// withCheck appends the check character to 17 digits.
func withCheck(first17 string) string { return first17 + string(idcard.Checksum(first17)) }

// wrongCheck appends a check character that is not the right one.
func wrongCheck(first17 string) string {
	c := idcard.Checksum(first17)
	if c == '0' {
		return first17 + "1"
	}
	return first17 + "0"
}

func TestParseAtAccepts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		in    string
		want  string
		birth time.Time
		sex   idcard.Sex
		area  string
	}{
		{name: "standard test value", in: "11010519491231002X", want: "11010519491231002X", birth: date(1949, 12, 31), sex: idcard.Female, area: "110105"},
		{name: "lower-case x stored upper-case", in: "11010519491231002x", want: "11010519491231002X", birth: date(1949, 12, 31), sex: idcard.Female, area: "110105"},
		{name: "surrounding spaces trimmed", in: "  11010519491231002X\t\n", want: "11010519491231002X", birth: date(1949, 12, 31), sex: idcard.Female, area: "110105"},
		{name: "full-width digits and x", in: "１１０１０５１９４９１２３１００２ｘ", want: "11010519491231002X", birth: date(1949, 12, 31), sex: idcard.Female, area: "110105"},
		{name: "ideographic space trimmed", in: "\u300011010519491231002X\u3000", want: "11010519491231002X", birth: date(1949, 12, 31), sex: idcard.Female, area: "110105"},
		{name: "male with digit check", in: "110101199003074477", want: "110101199003074477", birth: date(1990, 3, 7), sex: idcard.Male, area: "110101"},
		{name: "leap day in a leap year", in: withCheck("51010120000229152"), want: "510101200002291525", birth: date(2000, 2, 29), sex: idcard.Female, area: "510101"},
		{name: "born today", in: withCheck("44030520260315002"), want: withCheck("44030520260315002"), birth: date(2026, 3, 15), sex: idcard.Female, area: "440305"},
		{name: "born 1 January 1900", in: withCheck("44030519000101003"), want: withCheck("44030519000101003"), birth: date(1900, 1, 1), sex: idcard.Male, area: "440305"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			id, err := idcard.ParseAt(tt.in, today)
			if err != nil {
				t.Fatalf("ParseAt: %v", err)
			}
			want := idcard.ID{Number: tt.want, Birth: tt.birth, Sex: tt.sex, Area: tt.area}
			if id != want {
				t.Fatalf("ParseAt = %#v, want %#v", id, want)
			}
		})
	}
}

func TestParseAtRejects(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		want *idcard.Error
	}{
		{name: "empty", in: "", want: idcard.ErrRequired},
		{name: "only spaces", in: "   \t", want: idcard.ErrRequired},
		{name: "legacy 15 digits", in: "110105491231002", want: idcard.ErrLegacy15},
		{name: "legacy 15 digits with spaces", in: " 110105491231002 ", want: idcard.ErrLegacy15},
		{name: "15 characters not all digits", in: "11010549123100X", want: idcard.ErrLength},
		{name: "17 characters", in: "11010519491231002", want: idcard.ErrLength},
		{name: "19 characters", in: "11010519491231002X1", want: idcard.ErrLength},
		{name: "very long", in: strings.Repeat("1", 1000), want: idcard.ErrLength},
		{name: "letter in the digits", in: "1101051949123A002X", want: idcard.ErrFormat},
		{name: "X before the end", in: "1101051949123100X2", want: idcard.ErrFormat},
		{name: "bad check letter", in: "11010519491231002Y", want: idcard.ErrFormat},
		{name: "inner space", in: "110105 9491231002X", want: idcard.ErrFormat},
		{name: "Chinese character", in: "11010519491231002号", want: idcard.ErrFormat},
		{name: "sign", in: "-11010519491231002", want: idcard.ErrFormat},
		{name: "month 13", in: withCheck("11010519491331002"), want: idcard.ErrBirthDate},
		{name: "month 00", in: withCheck("11010519490031002"), want: idcard.ErrBirthDate},
		{name: "day 00", in: withCheck("11010519491200002"), want: idcard.ErrBirthDate},
		{name: "31 April", in: withCheck("11010519490431002"), want: idcard.ErrBirthDate},
		{name: "29 February in a common year", in: withCheck("11010520230229002"), want: idcard.ErrBirthDate},
		{name: "29 February 1900 (not a leap year)", in: withCheck("11010519000229002"), want: idcard.ErrBirthDate},
		{name: "born before 1900", in: withCheck("11010518991231002"), want: idcard.ErrBirthDate},
		{name: "year 0000", in: withCheck("11010500000101002"), want: idcard.ErrBirthDate},
		{name: "born tomorrow", in: withCheck("11010520260316002"), want: idcard.ErrFuture},
		{name: "born next century", in: withCheck("11010521000101002"), want: idcard.ErrFuture},
		{name: "wrong check digit", in: wrongCheck("11010519491231002"), want: idcard.ErrChecksum},
		{name: "digit instead of X", in: "110105194912310020", want: idcard.ErrChecksum},
		{name: "two digits swapped", in: "11010519491213002X", want: idcard.ErrChecksum},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			id, err := idcard.ParseAt(tt.in, today)
			if err == nil {
				t.Fatalf("ParseAt accepted %q as %#v, want %s", tt.in, id, tt.want.Code)
			}
			var e *idcard.Error
			if !errors.As(err, &e) || e.Code != tt.want.Code {
				t.Fatalf("ParseAt error = %v, want code %s", err, tt.want.Code)
			}
			if !errors.Is(err, tt.want) || !errors.Is(err, idcard.ErrInvalid) {
				t.Fatalf("errors.Is(%v, %s / ErrInvalid) = false", err, tt.want.Code)
			}
			if id != (idcard.ID{}) {
				t.Fatalf("ParseAt returned %#v with an error", id)
			}
			if strings.Contains(err.Error(), strings.TrimSpace(tt.in)) && strings.TrimSpace(tt.in) != "" {
				t.Fatalf("error text %q contains the number", err)
			}
		})
	}
}

func TestErrorIsMatchesOnlyItsCode(t *testing.T) {
	t.Parallel()
	err := error(&idcard.Error{Code: idcard.CodeChecksum})
	tests := []struct {
		name   string
		target error
		want   bool
	}{
		{name: "same code", target: idcard.ErrChecksum, want: true},
		{name: "umbrella", target: idcard.ErrInvalid, want: true},
		{name: "other code", target: idcard.ErrFormat, want: false},
		{name: "unrelated", target: errors.New("idcard: checksum"), want: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := errors.Is(err, tt.target); got != tt.want {
				t.Fatalf("errors.Is = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestParseUsesTheRealToday(t *testing.T) {
	t.Parallel()
	if _, err := idcard.Parse("11010519491231002X"); err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if err := idcard.Validate("11010519491231002X"); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	future := idcard.Generate("110105", time.Now().AddDate(0, 0, 3), 2, false)
	if err := idcard.Validate(future); !errors.Is(err, idcard.ErrFuture) {
		t.Fatalf("Validate(born in 3 days) = %v, want %s", err, idcard.CodeFuture)
	}
}

// isoCheck is an independent statement of ISO 7064 MOD 11-2: the check
// character c makes the weighted sum of all 18 characters (X = 10, weight
// 2^(17-i) mod 11) congruent to 1 modulo 11.
func isoCheck(first17 string) byte {
	for c, ch := range "0123456789X" {
		sum, w := c, 2 // the check character has weight 2^0 = 1
		for i := 16; i >= 0; i-- {
			sum += int(first17[i]-'0') * w
			w = w * 2 % 11
		}
		if sum%11 == 1 {
			return byte(ch)
		}
	}
	return 0
}

func TestChecksum(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		want byte
	}{
		{name: "standard test value", in: "11010519491231002", want: 'X'},
		{name: "digit check", in: "11010119900307447", want: '7'},
		{name: "all zeros", in: "00000000000000000", want: '1'},
		{name: "too short", in: "1101051949123100", want: 0},
		{name: "too long", in: "110105194912310021", want: 0},
		{name: "not digits", in: "1101051949123100X", want: 0},
		{name: "empty", in: "", want: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := idcard.Checksum(tt.in); got != tt.want {
				t.Fatalf("Checksum(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestChecksumAgreesWithISO7064(t *testing.T) {
	t.Parallel()
	// Walk many 17-digit strings deterministically: every digit position
	// and value is exercised.
	b := []byte("00000000000000000")
	for n := range 20000 {
		for i := range b {
			b[i] = byte('0' + (n*(i+7)+i*i*13+n/(i+1))%10)
		}
		s := string(b)
		if got, want := idcard.Checksum(s), isoCheck(s); got != want {
			t.Fatalf("Checksum(%s) = %q, ISO 7064 says %q", s, got, want)
		}
	}
}

func TestMask(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		want string
	}{
		{name: "valid number", in: "11010519491231002X", want: "110105********002X"},
		{name: "lower-case x and spaces", in: " 11010519491231002x ", want: "110105********002X"},
		{name: "full-width", in: "１１０１０５１９４９１２３１００２ｘ", want: "110105********002X"},
		{name: "invalid number still masked", in: "110105194912310021", want: "110105********0021"},
		{name: "legacy 15 digits", in: "110105491231002", want: "110105*****1002"},
		{name: "11 characters keep 10", in: "12345678901", want: "123456*8901"},
		{name: "10 characters hidden entirely", in: "1234567890", want: "**********"},
		{name: "short", in: "123", want: "***"},
		{name: "empty", in: "", want: ""},
		{name: "non-ASCII kept whole runes", in: "身份证号码是一二三四五六七", want: "身份证号码是***四五六七"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := idcard.Mask(tt.in); got != tt.want {
				t.Fatalf("Mask(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestIDStringIsMasked(t *testing.T) {
	t.Parallel()
	id, err := idcard.ParseAt("11010519491231002X", today)
	if err != nil {
		t.Fatal(err)
	}
	if got := id.String(); got != "110105********002X" {
		t.Fatalf("String() = %q", got)
	}
}

func TestAgeAt(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		birth time.Time
		on    time.Time
		want  int
	}{
		{name: "day before birthday", birth: date(1980, 6, 15), on: date(2026, 6, 14), want: 45},
		{name: "on birthday", birth: date(1980, 6, 15), on: date(2026, 6, 15), want: 46},
		{name: "leap day in common year before March", birth: date(2000, 2, 29), on: date(2026, 2, 28), want: 25},
		{name: "leap day in common year on 1 March", birth: date(2000, 2, 29), on: date(2026, 3, 1), want: 26},
		{name: "newborn", birth: date(2026, 3, 15), on: date(2026, 3, 15), want: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			id := idcard.ID{Birth: tt.birth}
			if got := id.AgeAt(tt.on); got != tt.want {
				t.Fatalf("AgeAt = %d, want %d", got, tt.want)
			}
		})
	}
}

func TestGenerate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		area  string
		birth time.Time
		seq   int
		male  bool
		want  string
	}{
		{name: "standard test value", area: "110105", birth: date(1949, 12, 31), seq: 2, male: false, want: "11010519491231002X"},
		{name: "odd seq for a woman moves down", area: "110105", birth: date(1949, 12, 31), seq: 3, male: false, want: "11010519491231002X"},
		{name: "even seq for a man moves up", area: "110101", birth: date(1990, 3, 7), seq: 446, male: true, want: "110101199003074477"},
		{name: "999 for a woman", area: "110101", birth: date(1990, 3, 7), seq: 999, male: false, want: withCheck("11010119900307998")},
		{name: "birth date read in its own zone", area: "110105", birth: time.Date(1949, 12, 31, 23, 0, 0, 0, time.FixedZone("CST", 8*3600)), seq: 2, want: "11010519491231002X"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := idcard.Generate(tt.area, tt.birth, tt.seq, tt.male)
			if got != tt.want {
				t.Fatalf("Generate = %s, want %s", got, tt.want)
			}
			id, err := idcard.ParseAt(got, today)
			if err != nil {
				t.Fatalf("generated number does not parse: %v", err)
			}
			if (id.Sex == idcard.Male) != tt.male {
				t.Fatalf("sex = %s, want male=%v", id.Sex, tt.male)
			}
		})
	}
}

func TestGeneratePanicsOnBadArguments(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		area  string
		birth time.Time
		seq   int
	}{
		{name: "short area", area: "11010", birth: date(1980, 1, 1), seq: 1},
		{name: "letters in area", area: "11010A", birth: date(1980, 1, 1), seq: 1},
		{name: "negative seq", area: "110105", birth: date(1980, 1, 1), seq: -1},
		{name: "seq over 999", area: "110105", birth: date(1980, 1, 1), seq: 1000},
		{name: "year before 1900", area: "110105", birth: date(1899, 1, 1), seq: 1},
		{name: "year 10000", area: "110105", birth: date(10000, 1, 1), seq: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			defer func() {
				if recover() == nil {
					t.Fatal("Generate did not panic")
				}
			}()
			idcard.Generate(tt.area, tt.birth, tt.seq, true)
		})
	}
}

func TestEveryCodeHasMessages(t *testing.T) {
	t.Parallel()
	codes := []string{
		idcard.CodeRequired, idcard.CodeLength, idcard.CodeLegacy15, idcard.CodeFormat,
		idcard.CodeBirthDate, idcard.CodeFuture, idcard.CodeChecksum,
	}
	for _, code := range codes {
		if !i18n.Has(code) {
			t.Errorf("message %q is not in the catalogue", code)
		}
	}
	if err := i18n.Validate(); err != nil {
		t.Fatalf("i18n.Validate: %v", err)
	}
}
