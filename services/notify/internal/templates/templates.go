// Package templates renders notices in the reader's language from the
// message catalogue (notify.kind.<kind>.title, .body and .short). An
// argument written "@key" is itself a catalogue key (an outcome, a clock's
// name), so stored notices are rendered in whatever language reads them.
package templates

import (
	"strings"

	"github.com/anxin-welfare/anxin/pkg/i18n"
	"github.com/anxin-welfare/anxin/services/notify/internal/domain"
)

// Text is a notice rendered for one language.
type Text struct {
	Title string
	Body  string
	// Short is what SMS and the group robots carry: what happened and the
	// link, never a name, a diagnosis or an amount.
	Short string
}

// Render renders a notice of kind with args in lang; link is the full URL.
func Render(lang i18n.Lang, kind domain.Kind, critical bool, args []string, link string) Text {
	vals := make([]any, len(args))
	for i, a := range args {
		if key, ok := strings.CutPrefix(a, "@"); ok && i18n.Has(key) {
			vals[i] = i18n.T(lang, key)
		} else {
			vals[i] = a
		}
	}
	prefix := "notify.kind." + string(kind)
	t := Text{
		Title: i18n.T(lang, prefix+".title", vals...),
		Body:  i18n.T(lang, prefix+".body", vals...),
		Short: i18n.T(lang, "notify.short", i18n.T(lang, prefix+".short"), link),
	}
	if critical {
		t.Title = i18n.T(lang, "notify.critical", t.Title)
		t.Short = i18n.T(lang, "notify.critical", t.Short)
	}
	return t
}

// Lang parses a stored language, defaulting to Chinese.
func Lang(s string) i18n.Lang {
	if s == string(i18n.EN) {
		return i18n.EN
	}
	return i18n.ZH
}
