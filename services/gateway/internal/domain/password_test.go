package domain_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
)

// fast keeps the tests quick; the encoding and comparison are the same at
// any cost.
var fast = domain.PasswordPolicy{Params: domain.Argon2Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}}

func TestPasswordCheck(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		password string
		username string
		want     []string
	}{
		{name: "long passphrase", password: "correct horse battery staple", username: "zhangsan"},
		{name: "exactly 8", password: "k7#vQ2m!", username: "zhangsan"},
		{name: "chinese passphrase counts characters", password: "我的猫叫小白很可爱", username: "zhangsan"},
		{name: "no composition rules", password: "riverbankwillow", username: "zhangsan"},
		{name: "128 characters", password: strings.Repeat("ab", 64), username: "zhangsan"},
		{name: "empty", password: "", want: []string{domain.CodePasswordRequired}},
		{name: "7 characters", password: "k7#vQ2m", want: []string{domain.CodePasswordTooShort}},
		{name: "7 chinese characters", password: "我的猫叫小白很", want: []string{domain.CodePasswordTooShort}},
		{name: "129 characters", password: strings.Repeat("a", 128) + "b", want: []string{domain.CodePasswordTooLong}},
		{name: "common", password: "password123", want: []string{domain.CodePasswordCommon}},
		{name: "common ignoring case", password: "PassWord123", want: []string{domain.CodePasswordCommon}},
		{name: "chinese favourite", password: "woaini1314", want: []string{domain.CodePasswordCommon}},
		{name: "repeated digit", password: "88888888", want: []string{domain.CodePasswordCommon}},
		{name: "digit run", password: "12345678", want: []string{domain.CodePasswordCommon}},
		{name: "falling run", password: "987654321", want: []string{domain.CodePasswordCommon}},
		{name: "letter run", password: "abcdefghij", want: []string{domain.CodePasswordCommon}},
		{name: "the username", password: "ZhangSan1", username: "zhangsan", want: []string{domain.CodePasswordIsUsername}},
		{name: "username inside a long phrase is fine", password: "zhangsan likes green tea a lot", username: "zhangsan"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var got []string
			for _, p := range domain.NewPasswordPolicy().Check(tc.password, tc.username) {
				if p.Field != "password" {
					t.Errorf("problem on field %q", p.Field)
				}
				got = append(got, p.Code)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("Check(%q) = %v, want %v", tc.password, got, tc.want)
			}
		})
	}
}

func TestPasswordValidateConfirm(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name              string
		password, confirm string
		want              []string
	}{
		{name: "matching", password: "green tea leaves", confirm: "green tea leaves"},
		{name: "mismatch", password: "green tea leaves", confirm: "green tea leave", want: []string{"password_confirm:" + domain.CodePasswordMismatch}},
		{name: "short reported before mismatch", password: "short", confirm: "", want: []string{"password:" + domain.CodePasswordTooShort}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := domain.NewPasswordPolicy().Validate(tc.password, tc.confirm, "zhangsan")
			if got := codes(t, err); !slices.Equal(got, tc.want) {
				t.Errorf("Validate = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestPasswordHashVerify(t *testing.T) {
	t.Parallel()
	h := fast.Hash("绿茶 green tea")
	if !strings.HasPrefix(h, "$argon2id$v=19$m=64,t=1,p=1$") {
		t.Fatalf("hash = %q", h)
	}
	if h2 := fast.Hash("绿茶 green tea"); h2 == h {
		t.Fatal("two hashes of one password are equal: salt not random")
	}
	tests := []struct {
		name     string
		password string
		encoded  string
		want     bool
		wantErr  error
	}{
		{name: "right", password: "绿茶 green tea", encoded: h, want: true},
		{name: "wrong", password: "绿茶 green te", encoded: h},
		{name: "empty", password: "", encoded: h},
		{name: "overlong never matches", password: strings.Repeat("x", 129), encoded: fast.Hash(strings.Repeat("x", 129))},
		{name: "bcrypt is not argon2id", password: "x", encoded: "$2a$10$abcdefghijklmnopqrstuv", wantErr: domain.ErrMalformedHash},
		{name: "argon2i refused", password: "x", encoded: strings.Replace(h, "argon2id", "argon2i", 1), wantErr: domain.ErrMalformedHash},
		{name: "wrong version", password: "x", encoded: strings.Replace(h, "v=19", "v=16", 1), wantErr: domain.ErrMalformedHash},
		{name: "huge memory refused", password: "x", encoded: strings.Replace(h, "m=64", "m=4194304", 1), wantErr: domain.ErrMalformedHash},
		{name: "zero time", password: "x", encoded: strings.Replace(h, "t=1", "t=0", 1), wantErr: domain.ErrMalformedHash},
		{name: "bad salt", password: "x", encoded: "$argon2id$v=19$m=64,t=1,p=1$!!$AAAAAAAAAAAAAAAAAAAAAA", wantErr: domain.ErrMalformedHash},
		{name: "empty", password: "x", encoded: "", wantErr: domain.ErrMalformedHash},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := fast.Verify(tc.password, tc.encoded)
			if !errors.Is(err, tc.wantErr) || got != tc.want {
				t.Errorf("Verify = %v, %v; want %v, %v", got, err, tc.want, tc.wantErr)
			}
		})
	}
}

func TestPasswordDecodeAndRehash(t *testing.T) {
	t.Parallel()
	h := fast.Hash("a good passphrase")
	params, salt, key, err := domain.DecodeHash(h)
	if err != nil {
		t.Fatal(err)
	}
	if params != fast.Params || len(salt) != 16 || len(key) != 32 {
		t.Errorf("decoded %+v, %d salt, %d key", params, len(salt), len(key))
	}
	tests := []struct {
		name    string
		policy  domain.PasswordPolicy
		encoded string
		want    bool
	}{
		{name: "same params", policy: fast, encoded: h},
		{name: "cost raised", policy: domain.NewPasswordPolicy(), encoded: h, want: true},
		{name: "malformed", policy: fast, encoded: "nonsense", want: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := tc.policy.NeedsRehash(tc.encoded); got != tc.want {
				t.Errorf("NeedsRehash = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestDefaultArgon2RoundTrip(t *testing.T) {
	t.Parallel()
	p := domain.NewPasswordPolicy()
	h := p.Hash("a good passphrase")
	if ok, err := p.Verify("a good passphrase", h); !ok || err != nil {
		t.Fatalf("Verify = %v, %v", ok, err)
	}
	if p.NeedsRehash(h) {
		t.Error("a fresh default hash needs rehash")
	}
}

func FuzzDecodeHash(f *testing.F) {
	f.Add(fast.Hash("seed"))
	f.Add("$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$AAAAAAAAAAAAAAAAAAAAAA")
	f.Add("$argon2id$v=19$m=1,t=1,p=1$$")
	f.Fuzz(func(t *testing.T, s string) {
		params, _, _, err := domain.DecodeHash(s)
		if err == nil && (params.Memory > 1<<20 || params.Time > 16 || params.Memory < 8*uint32(params.Threads)) {
			t.Errorf("accepted out-of-range params %+v from %q", params, s)
		}
	})
}
