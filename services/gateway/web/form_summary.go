package web

import (
	"bytes"
	"html"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/anxin-welfare/anxin/pkg/i18n"
)

// The error summary at the top of a form names each field it lists
// ("请填写受伤地点", "Enter the place of injury"), on every page, without
// each handler repeating its labels: the page is rendered once to read
// every field's visible label from its own <label for>, then again with
// the summary naming them. Only a form with errors pays for the second
// pass.

// fieldLabel is what the summary knows of a field: its visible label and
// the kind of control (a select or a file is chosen, not typed).
type fieldLabel struct {
	Text string
	Kind string // "input", "select", "file", "check"
}

var (
	labelTag  = regexp.MustCompile(`<label for="([^"]+)"[^>]*>([^<]*)`)
	legendTag = regexp.MustCompile(`<fieldset[^>]*\bid="([^"]+)"[^>]*>\s*<legend[^>]*>([^<]*)`)
	selectTag = regexp.MustCompile(`<select[^>]*\bid="([^"]+)"`)
	inputTag  = regexp.MustCompile(`<input\b[^>]*>`)
	idAttr    = regexp.MustCompile(`\bid="([^"]+)"`)
	typeAttr  = regexp.MustCompile(`\btype="([^"]+)"`)
)

// readLabels collects the labels of the fields of a rendered page.
func readLabels(page []byte) map[string]fieldLabel {
	out := map[string]fieldLabel{}
	kinds := map[string]string{}
	for _, m := range selectTag.FindAllSubmatch(page, -1) {
		kinds[string(m[1])] = "select"
	}
	for _, tag := range inputTag.FindAll(page, -1) {
		id, typ := idAttr.FindSubmatch(tag), typeAttr.FindSubmatch(tag)
		if id == nil || typ == nil {
			continue
		}
		switch string(typ[1]) {
		case "file":
			kinds[string(id[1])] = "file"
		case "checkbox", "radio":
			kinds[string(id[1])] = "check"
		}
	}
	add := func(id, text string) {
		text = strings.TrimSpace(html.UnescapeString(text))
		if text == "" {
			return
		}
		if _, seen := out[id]; seen {
			return
		}
		kind := kinds[id]
		if kind == "" {
			kind = "input"
		}
		out[id] = fieldLabel{Text: text, Kind: kind}
	}
	for _, m := range labelTag.FindAllSubmatch(page, -1) {
		add(string(m[1]), string(m[2]))
	}
	for _, m := range legendTag.FindAllSubmatch(page, -1) {
		add(string(m[1]), string(m[2]))
	}
	return out
}

// requiredKeys are the catalogue keys that say only "this field is
// required" without naming it: the summary replaces them with a sentence
// that does. Services' texts arrive already localized, so they are
// recognised by their text in the reader's language.
var requiredKeys = []string{"field.required", "injury.required", "grants.field.required", "web.form.required"}

func isBareRequired(lang i18n.Lang, m Message) bool {
	text := m.Text
	for _, k := range requiredKeys {
		if m.Key == k && m.Text == "" {
			return true
		}
		if text != "" && i18n.Has(k) && text == i18n.T(lang, k) {
			return true
		}
	}
	return false
}

// SummaryLine is the summary's sentence for one field's message: the
// field's label with what to do, or the message as it is when the field
// has no visible label or the message already names it.
func (f *Form) SummaryLine(lang i18n.Lang, fe FieldError) string {
	text := fe.Message.Text
	if text == "" {
		text = i18n.T(lang, fe.Message.Key, fe.Message.Args...)
	}
	l, ok := f.labels[fe.Field]
	if !ok {
		return text
	}
	label := l.Text
	if lang == i18n.EN {
		label = lowerFirst(label)
	}
	if isBareRequired(lang, fe.Message) {
		if l.Kind == "select" || l.Kind == "file" || l.Kind == "check" {
			return i18n.T(lang, "web.form.summary_choose", label)
		}
		return i18n.T(lang, "web.form.summary_enter", label)
	}
	if strings.Contains(strings.ToLower(text), strings.ToLower(l.Text)) {
		return text
	}
	return i18n.T(lang, "web.form.summary_field", l.Text, text)
}

// lowerFirst lower-cases a label's first letter for the middle of an
// English sentence ("Place of injury" → "place of injury"), but leaves
// an abbreviation ("ID number") alone.
func lowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 || !unicode.IsUpper(r) {
		return s
	}
	if r2, _ := utf8.DecodeRuneInString(s[n:]); unicode.IsUpper(r2) {
		return s
	}
	return string(unicode.ToLower(r)) + s[n:]
}

// withLabels renders the page once to learn its fields' labels when the
// form's summary will need them, and returns the page to render with a
// copy of the form that knows them (the caller's page and form are not
// changed: a form may be rendered by several requests at once).
func (r *Renderer) withLabels(name string, p *Page) (*Page, error) {
	if p.Form == nil || len(p.Form.order) == 0 || p.Form.labels != nil {
		return p, nil
	}
	var scratch bytes.Buffer
	if err := r.pages[name].ExecuteTemplate(&scratch, "layout", p); err != nil {
		return nil, err
	}
	f := *p.Form
	f.labels = readLabels(scratch.Bytes())
	out := *p
	out.Form = &f
	return &out, nil
}
