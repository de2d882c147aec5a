package i18n_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/anxin-welfare/anxin/pkg/i18n"
)

// platformKeys are the codes other packages rely on; losing one would turn a
// localized title into a bare key.
var platformKeys = []string{
	"problem.validation_failed", "problem.malformed_json", "problem.unsupported_media_type",
	"problem.too_large", "problem.not_found", "problem.method_not_allowed",
	"problem.unauthenticated", "problem.forbidden", "problem.conflict",
	"problem.version_mismatch", "problem.precondition_required", "problem.internal",
	"problem.unavailable", "problem.bad_request", "problem.invalid_if_match",
	"field.required", "field.unknown", "field.type", "field.too_long", "field.invalid",
	"field.date", "field.range",
}

func TestCatalogueIsComplete(t *testing.T) {
	t.Parallel()
	if err := i18n.Validate(); err != nil {
		t.Fatalf("catalogue: %v", err)
	}
	keys := i18n.Keys()
	if len(keys) == 0 {
		t.Fatal("no keys registered")
	}
	for _, key := range keys {
		text, ok := i18n.Lookup(key)
		if !ok {
			t.Errorf("%s: listed by Keys but Lookup fails", key)
			continue
		}
		if strings.TrimSpace(text.ZH) == "" || strings.TrimSpace(text.EN) == "" {
			t.Errorf("%s: empty text %+v", key, text)
		}
		if got, want := i18n.Verbs(text.ZH), i18n.Verbs(text.EN); strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("%s: zh verbs %v, en verbs %v", key, got, want)
		}
	}
	for _, key := range platformKeys {
		if !i18n.Has(key) {
			t.Errorf("platform key %s is not registered", key)
		}
	}
}

func TestT(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		lang i18n.Lang
		key  string
		args []any
		want string
	}{
		{name: "chinese", lang: i18n.ZH, key: "problem.not_found", want: "未找到请求的内容"},
		{name: "english", lang: i18n.EN, key: "problem.not_found", want: "Not found"},
		{name: "unknown language is chinese", lang: "fr", key: "problem.not_found", want: "未找到请求的内容"},
		{name: "template zh", lang: i18n.ZH, key: "field.too_long", args: []any{50}, want: "不能超过 50 个字符"},
		{name: "template en", lang: i18n.EN, key: "field.range", args: []any{1, 9}, want: "must be between 1 and 9"},
		{name: "missing key", lang: i18n.EN, key: "no.such.key", want: "no.such.key"},
		{name: "missing key with args", lang: i18n.EN, key: "no.such.key", args: []any{3}, want: "no.such.key[3]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := i18n.T(tt.lang, tt.key, tt.args...); got != tt.want {
				t.Errorf("T(%q, %q, %v) = %q, want %q", tt.lang, tt.key, tt.args, got, tt.want)
			}
		})
	}
}

func TestRegister(t *testing.T) {
	t.Parallel()
	i18n.Register(map[string]i18n.Text{"test.register.once": {ZH: "一", EN: "one"}})
	if !i18n.Has("test.register.once") {
		t.Fatal("registered key not found")
	}
	tests := []struct {
		name     string
		messages map[string]i18n.Text
	}{
		{name: "duplicate of own key", messages: map[string]i18n.Text{"test.register.once": {ZH: "二", EN: "two"}}},
		{name: "duplicate of platform key", messages: map[string]i18n.Text{"problem.internal": {ZH: "x", EN: "x"}}},
		{name: "empty key", messages: map[string]i18n.Text{"": {ZH: "x", EN: "x"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			defer func() {
				if recover() == nil {
					t.Error("Register did not panic")
				}
			}()
			i18n.Register(tt.messages)
		})
	}
	if got := i18n.T(i18n.EN, "test.register.once"); got != "one" {
		t.Errorf("after failed registrations T = %q, want the first text", got)
	}
}

func TestParse(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		header string
		want   i18n.Lang
	}{
		{name: "empty is chinese", header: "", want: i18n.ZH},
		{name: "plain en", header: "en", want: i18n.EN},
		{name: "upper case setting", header: "EN", want: i18n.EN},
		{name: "underscore setting", header: "en_US", want: i18n.EN},
		{name: "our own zh value", header: "zh-CN", want: i18n.ZH},
		{name: "en region", header: "en-GB", want: i18n.EN},
		{name: "browser english first", header: "en-US,en;q=0.9,zh-CN;q=0.8", want: i18n.EN},
		{name: "browser chinese first", header: "zh-CN,zh;q=0.9,en;q=0.8", want: i18n.ZH},
		{name: "q-values beat order", header: "zh;q=0.5, en;q=0.9", want: i18n.EN},
		{name: "tie goes to first", header: "en;q=0.8, zh;q=0.8", want: i18n.EN},
		{name: "refused english", header: "en;q=0, fr", want: i18n.ZH},
		{name: "other language only", header: "fr-FR, de;q=0.5", want: i18n.ZH},
		{name: "english after unsupported", header: "fr, en;q=0.4", want: i18n.EN},
		{name: "traditional chinese", header: "zh-TW", want: i18n.ZH},
		{name: "wildcard", header: "*", want: i18n.ZH},
		{name: "bad q ignored", header: "en;q=abc, zh;q=0.1", want: i18n.ZH},
		{name: "q above one ignored", header: "en;q=2", want: i18n.ZH},
		{name: "spaces", header: "  en  ;  q = 0.7 ", want: i18n.EN},
		{name: "garbage", header: ";;,,;q=;=", want: i18n.ZH},
		{name: "english-like prefix is not english", header: "eng", want: i18n.ZH},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := i18n.Parse(tt.header); got != tt.want {
				t.Errorf("Parse(%q) = %q, want %q", tt.header, got, tt.want)
			}
		})
	}
}

func TestCheckText(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		text i18n.Text
		want error
	}{
		{name: "plain", text: i18n.Text{ZH: "好", EN: "good"}},
		{name: "same verbs", text: i18n.Text{ZH: "%d 天", EN: "%d days"}},
		{name: "reordered with indexes", text: i18n.Text{ZH: "%[2]s 的 %[1]d", EN: "%[1]d of %[2]s"}},
		{name: "percent literal", text: i18n.Text{ZH: "100%%", EN: "100%% done"}},
		{name: "flags and width", text: i18n.Text{ZH: "%-5.2f", EN: "%08.2f"}},
		{name: "empty zh", text: i18n.Text{EN: "x"}, want: i18n.ErrMissingText},
		{name: "blank en", text: i18n.Text{ZH: "x", EN: "  "}, want: i18n.ErrMissingText},
		{name: "different verb", text: i18n.Text{ZH: "%d 天", EN: "%s days"}, want: i18n.ErrVerbMismatch},
		{name: "missing verb", text: i18n.Text{ZH: "%d 至 %d", EN: "between %d"}, want: i18n.ErrVerbMismatch},
		{name: "literal vs verb", text: i18n.Text{ZH: "%%d", EN: "%d"}, want: i18n.ErrVerbMismatch},
		{name: "star width", text: i18n.Text{ZH: "%*d", EN: "%d"}, want: i18n.ErrVerbMismatch},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if err := i18n.CheckText(tt.text); !errors.Is(err, tt.want) {
				t.Errorf("CheckText(%+v) = %v, want %v", tt.text, err, tt.want)
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	for _, seed := range []string{"", "en", "zh-CN,zh;q=0.9,en;q=0.8", "en;q=0", "*;q=0.1", ";q=1e400", "en;q=NaN"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, header string) {
		if got := i18n.Parse(header); got != i18n.ZH && got != i18n.EN {
			t.Fatalf("Parse(%q) = %q, not a supported language", header, got)
		}
	})
}

func FuzzVerbs(f *testing.F) {
	for _, seed := range []string{"%", "%[", "%[9]", "%*.*[2]d", "%%%d", "%中", "%-+# 0v"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, tmpl string) {
		_ = i18n.Verbs(tmpl)
	})
}
