package i18n

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Validate checks every registered message: both texts present, and the
// Chinese and English templates formatting the same arguments with the same
// verbs (word order may differ through explicit indexes such as %[2]s). It
// returns every problem found, joined, so one test run lists them all.
//
// Each package that registers messages should call it from a test, after its
// init has run, so a translation slip fails CI rather than a user's screen.
func Validate() error {
	mu.RLock()
	defer mu.RUnlock()
	var errs []error
	for _, key := range sortedKeysLocked() {
		if err := CheckText(catalogue[key]); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", key, err))
		}
	}
	return errors.Join(errs...)
}

// CheckText validates one message the way Validate does.
func CheckText(t Text) error {
	if strings.TrimSpace(t.ZH) == "" || strings.TrimSpace(t.EN) == "" {
		return ErrMissingText
	}
	zh, en := Verbs(t.ZH), Verbs(t.EN)
	if !slices.Equal(zh, en) {
		return fmt.Errorf("%w: zh %v, en %v", ErrVerbMismatch, zh, en)
	}
	return nil
}

// Verbs lists the fmt verbs of a template as "argument:verb" pairs (argument
// numbers from 1, as in %[1]d), sorted, so two templates that consume their
// arguments alike compare equal whatever their word order. A width or
// precision taken from an argument (%*d) shows as verb '*'. The literal %%
// is not a verb.
func Verbs(tmpl string) []string {
	var out []string
	arg := 0 // index of the next argument, from 0
	for i := 0; i < len(tmpl); i++ {
		if tmpl[i] != '%' {
			continue
		}
		i++
		// Flags.
		for i < len(tmpl) && strings.IndexByte("+-# 0", tmpl[i]) >= 0 {
			i++
		}
		// Argument indexes, widths and precisions, in any of fmt's orders.
		for i < len(tmpl) {
			switch c := tmpl[i]; {
			case c == '[':
				end := strings.IndexByte(tmpl[i:], ']')
				if end < 0 {
					i = len(tmpl)
					break
				}
				if n, err := strconv.Atoi(tmpl[i+1 : i+end]); err == nil && n > 0 {
					arg = n - 1
				}
				i += end + 1
				continue
			case c == '*':
				out = append(out, strconv.Itoa(arg+1)+":*")
				arg++
				i++
				continue
			case c == '.' || (c >= '0' && c <= '9'):
				i++
				continue
			}
			break
		}
		if i >= len(tmpl) {
			out = append(out, strconv.Itoa(arg+1)+":!") // dangling %
			break
		}
		if tmpl[i] == '%' {
			continue
		}
		verb, size := utf8.DecodeRuneInString(tmpl[i:])
		out = append(out, strconv.Itoa(arg+1)+":"+string(verb))
		arg++
		i += size - 1
	}
	slices.Sort(out)
	return out
}

func sortedKeysLocked() []string {
	keys := make([]string, 0, len(catalogue))
	for k := range catalogue {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
