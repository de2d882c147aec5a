package sealed_test

import (
	"bytes"
	"crypto/rand"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/anxin-welfare/anxin/pkg/sealed"
)

func key(t *testing.T) []byte {
	t.Helper()
	k := make([]byte, sealed.KeySize)
	if _, err := rand.Read(k); err != nil {
		t.Fatal(err)
	}
	return k
}

func newSealer(t *testing.T) *sealed.Sealer {
	t.Helper()
	s, err := sealed.New(key(t), key(t))
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return s
}

func TestSealOpenRoundTrip(t *testing.T) {
	t.Parallel()
	s := newSealer(t)
	tests := []struct {
		name  string
		plain string
	}{
		{name: "identity number", plain: "11010519491231002X"},
		{name: "bank account", plain: "6222020200001234567"},
		{name: "empty", plain: ""},
		{name: "health result in Chinese", plain: "血压偏高，建议复查；肝功能正常"},
		{name: "long", plain: strings.Repeat("体检报告 ", 10000)},
		{name: "binary-ish", plain: "\x00\xff\x01"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b, err := s.Seal(tt.plain)
			if err != nil {
				t.Fatalf("Seal: %v", err)
			}
			if want := 1 + 12 + len(tt.plain) + 16; len(b) != want {
				t.Fatalf("sealed length %d, want %d", len(b), want)
			}
			if b[0] != sealed.Version {
				t.Fatalf("version byte %d, want %d", b[0], sealed.Version)
			}
			if len(tt.plain) >= 4 && bytes.Contains(b, []byte(tt.plain)) {
				t.Fatal("plaintext visible in sealed value")
			}
			got, err := s.Open(b)
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			if got != tt.plain {
				t.Fatalf("Open = %q, want %q", got, tt.plain)
			}
		})
	}
}

func TestSealUsesAFreshNonce(t *testing.T) {
	t.Parallel()
	s := newSealer(t)
	seen := map[string]bool{}
	for range 1000 {
		b, err := s.Seal("11010519491231002X")
		if err != nil {
			t.Fatal(err)
		}
		nonce := string(b[1:13])
		if seen[nonce] {
			t.Fatal("nonce repeated")
		}
		seen[nonce] = true
	}
}

func TestOpenRejectsTampering(t *testing.T) {
	t.Parallel()
	s := newSealer(t)
	good, err := s.Seal("6222020200001234567")
	if err != nil {
		t.Fatal(err)
	}
	other, err := sealed.New(key(t), key(t))
	if err != nil {
		t.Fatal(err)
	}
	fromOther, err := other.Seal("6222020200001234567")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		in   []byte
	}{
		{name: "nil", in: nil},
		{name: "version only", in: good[:1]},
		{name: "no tag", in: good[:13]},
		{name: "one byte short of empty plaintext", in: good[:28]},
		{name: "truncated", in: good[:len(good)-1]},
		{name: "extended", in: append(bytes.Clone(good), 0)},
		{name: "unknown version", in: append([]byte{2}, good[1:]...)},
		{name: "version zero", in: append([]byte{0}, good[1:]...)},
		{name: "sealed under another key", in: fromOther},
	}
	// Every single bit flip anywhere must be caught.
	for i := range good {
		for bit := range 8 {
			b := bytes.Clone(good)
			b[i] ^= 1 << bit
			tests = append(tests, struct {
				name string
				in   []byte
			}{name: "flip", in: b})
		}
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := s.Open(tt.in)
			if !errors.Is(err, sealed.ErrCorrupt) {
				t.Fatalf("Open = %q, %v; want ErrCorrupt", got, err)
			}
			if got != "" {
				t.Fatalf("Open returned plaintext %q with an error", got)
			}
		})
	}
}

func TestNewRejectsBadKeys(t *testing.T) {
	t.Parallel()
	k := make([]byte, sealed.KeySize)
	k[0] = 1
	tests := []struct {
		name             string
		field, indexKeyB []byte
	}{
		{name: "nil field key", field: nil, indexKeyB: k},
		{name: "AES-128 field key", field: make([]byte, 16), indexKeyB: k},
		{name: "short index key", field: k, indexKeyB: make([]byte, 31)},
		{name: "long index key", field: k, indexKeyB: make([]byte, 33)},
		{name: "same key twice", field: k, indexKeyB: bytes.Clone(k)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if s, err := sealed.New(tt.field, tt.indexKeyB); !errors.Is(err, sealed.ErrKey) || s != nil {
				t.Fatalf("New = %v, %v; want ErrKey", s, err)
			}
		})
	}
}

func TestNewCopiesKeys(t *testing.T) {
	t.Parallel()
	fk, ik := key(t), key(t)
	s, err := sealed.New(fk, ik)
	if err != nil {
		t.Fatal(err)
	}
	b, err := s.Seal("x")
	if err != nil {
		t.Fatal(err)
	}
	idx := s.Index("x")
	clear(fk)
	clear(ik)
	if _, err := s.Open(b); err != nil {
		t.Fatalf("Open after caller cleared its key: %v", err)
	}
	if s.Index("x") != idx {
		t.Fatal("Index changed after caller cleared its key")
	}
}

func TestIndex(t *testing.T) {
	t.Parallel()
	s := newSealer(t)
	base := s.Index("11010519491231002X")
	if len(base) != 64 || strings.Trim(base, "0123456789abcdef") != "" {
		t.Fatalf("Index = %q, want 64 lower-case hex digits", base)
	}
	tests := []struct {
		name string
		in   string
		same bool
	}{
		{name: "identical", in: "11010519491231002X", same: true},
		{name: "lower-case x", in: "11010519491231002x", same: true},
		{name: "surrounding spaces", in: " 11010519491231002X\n", same: true},
		{name: "full-width", in: "１１０１０５１９４９１２３１００２Ｘ", same: true},
		{name: "grouped with spaces", in: "110105 19491231 002X", same: true},
		{name: "grouped with hyphens", in: "110105-19491231-002X", same: true},
		{name: "grouped with full-width hyphen", in: "110105－19491231－002X", same: true},
		{name: "other number", in: "110101199003074477", same: false},
		{name: "one digit differs", in: "11010519491231003X", same: false},
		{name: "empty", in: "", same: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := s.Index(tt.in); (got == base) != tt.same {
				t.Fatalf("Index(%q) == Index(canonical) is %v, want %v", tt.in, got == base, tt.same)
			}
		})
	}
}

func TestIndexDependsOnTheIndexKeyOnly(t *testing.T) {
	t.Parallel()
	fk, ik := key(t), key(t)
	a, err := sealed.New(fk, ik)
	if err != nil {
		t.Fatal(err)
	}
	sameIndexKey, err := sealed.New(key(t), ik)
	if err != nil {
		t.Fatal(err)
	}
	otherIndexKey, err := sealed.New(fk, key(t))
	if err != nil {
		t.Fatal(err)
	}
	const v = "6222020200001234567"
	if a.Index(v) != sameIndexKey.Index(v) {
		t.Fatal("index changed with the field key: rotating the field key would break lookups")
	}
	if a.Index(v) == otherIndexKey.Index(v) {
		t.Fatal("index did not change with the index key")
	}
}

func TestNormalize(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		want string
	}{
		{name: "identity number", in: " 11010519491231002x ", want: "11010519491231002X"},
		{name: "full-width", in: "６２２２　０２０２", want: "62220202"},
		{name: "em dash and ideographic space", in: "6222—0202\u30001234", want: "622202021234"},
		{name: "empty", in: "", want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := sealed.Normalize(tt.in); got != tt.want {
				t.Fatalf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestConcurrentUse(t *testing.T) {
	t.Parallel()
	s := newSealer(t)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 200 {
				plain := strings.Repeat("a", g+i)
				b, err := s.Seal(plain)
				if err != nil {
					t.Error(err)
					return
				}
				got, err := s.Open(b)
				if err != nil || got != plain {
					t.Errorf("Open = %q, %v", got, err)
					return
				}
				_ = s.Index(plain)
			}
		})
	}
	wg.Wait()
}
