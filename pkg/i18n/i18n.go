// Package i18n is Anxin's one message catalogue. Every text a user can see —
// problem titles, field messages, page labels, export headings — is a key
// registered here with a Chinese and an English text, so no handler ever
// builds a user-facing sentence inline and no key can silently lack a
// translation.
//
// Packages that own messages register them from an init function:
//
//	func init() {
//		i18n.Register(map[string]i18n.Text{
//			"leave.balance_exceeded": {ZH: "假期余额不足，剩余 %d 天", EN: "Not enough leave left: %d days"},
//		})
//	}
//
// and a test in that package calls i18n.Validate so a missing translation or
// a mismatched fmt verb fails the build, not a user's request.
package i18n

import (
	"fmt"
	"maps"
	"sync"
)

// Lang is a language Anxin speaks. Only ZH and EN exist; anything else is
// normalised to one of them by Parse.
type Lang string

// The two languages. Chinese is the default everywhere: a request that
// states no usable preference is answered in Chinese.
const (
	ZH Lang = "zh-CN"
	EN Lang = "en"
)

// Default is the language used when none is known.
const Default = ZH

// Text is one message in both languages. Either may be a fmt template; both
// must use the same verbs for the same arguments (Validate checks this).
type Text struct {
	ZH string
	EN string
}

// In returns the text for lang, falling back to Chinese for an unknown
// language or an empty English text.
func (t Text) In(lang Lang) string {
	if lang == EN && t.EN != "" {
		return t.EN
	}
	return t.ZH
}

var (
	mu        sync.RWMutex
	catalogue = map[string]Text{}
)

// Register adds messages to the catalogue. It is meant to be called from
// init functions; it panics on an empty key or on a key that is already
// registered, because two packages claiming one key is a programming error
// that must surface at start-up rather than as a wrong text in production.
func Register(messages map[string]Text) {
	mu.Lock()
	defer mu.Unlock()
	// Check everything before adding anything, so a panic that is recovered
	// (in a test) leaves the catalogue unchanged.
	for key := range messages {
		if key == "" {
			panic("i18n: Register called with an empty key")
		}
		if _, dup := catalogue[key]; dup {
			panic(fmt.Sprintf("i18n: message %q registered twice", key))
		}
	}
	maps.Copy(catalogue, messages)
}

// T returns the message key in lang, formatted with args when given. A key
// that is not registered comes back as the key itself (with the arguments
// after it), which is visible on the page and caught by tests, but never
// breaks the request.
func T(lang Lang, key string, args ...any) string {
	mu.RLock()
	text, ok := catalogue[key]
	mu.RUnlock()
	if !ok {
		if len(args) == 0 {
			return key
		}
		return fmt.Sprintf("%s%v", key, args)
	}
	tmpl := text.In(lang)
	if len(args) == 0 {
		return tmpl
	}
	return fmt.Sprintf(tmpl, args...)
}

// Has reports whether key is registered.
func Has(key string) bool {
	mu.RLock()
	defer mu.RUnlock()
	_, ok := catalogue[key]
	return ok
}

// Lookup returns the registered texts of key.
func Lookup(key string) (Text, bool) {
	mu.RLock()
	defer mu.RUnlock()
	text, ok := catalogue[key]
	return text, ok
}

// Keys returns every registered key, sorted.
func Keys() []string {
	mu.RLock()
	defer mu.RUnlock()
	return sortedKeysLocked()
}
