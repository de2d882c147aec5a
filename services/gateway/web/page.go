package web

import (
	"github.com/anxin-welfare/anxin/pkg/fielderr"
	"github.com/anxin-welfare/anxin/pkg/i18n"
	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
)

// Message is a catalogue key with the arguments of its template: what a
// handler hands to a page instead of a sentence, so the page says it in the
// reader's language. Text, when set, is a message a service has already
// localized (a field message of its problem answer) and wins over Key.
type Message struct {
	Key  string
	Args []any
	Text string
}

// Msg builds a Message.
func Msg(key string, args ...any) Message { return Message{Key: key, Args: args} }

// Localized wraps a text a service already said in the reader's language.
func Localized(text string) Message { return Message{Text: text} }

// Viewer is the signed-in person a page is rendered for.
type Viewer struct {
	Name  string
	Roles []domain.Role
}

// Page is everything the layout needs, plus the page's own Data.
type Page struct {
	Lang i18n.Lang
	// Title is the catalogue key of the page title.
	Title string
	// Path is the current path and query, where the language switch and
	// sign-in return to. Only local paths ever go here (see SafeNext).
	Path string
	// CSRF is the form token every POST form of the page carries.
	CSRF string
	// User is nil on pages for signed-out visitors.
	User *Viewer
	// Nav is the menu for User's roles (NavFor).
	Nav []NavItem
	// Unread is the person's unread notifications for the header's inbox
	// badge; 0 (no badge) also when notify did not answer in time.
	Unread int
	Flash  *Message
	// Alert is a refusal to show at the top of the page (a step a service
	// did not allow), styled as an error.
	Alert *Message
	Form  *Form
	Data  any
	// UnitNames maps unit ids to their names for pages that list units'
	// work (filled by the handler that needs it; templates fall back to the
	// id when a name is unknown).
	UnitNames map[string]string
}

// UnitName is the unit's name, or its id when the name is not known.
func (p *Page) UnitName(id string) string {
	if n, ok := p.UnitNames[id]; ok && n != "" {
		return n
	}
	return id
}

// Form holds what a person typed and what was wrong with it, so a rejected
// form comes back with every value in place and each message beside its
// field. Passwords are never put in Values.
type Form struct {
	values map[string]string
	errors map[string][]Message
	order  []string // fields in the order their first error was added
	// labels are the fields' visible labels, read from the page itself
	// before the summary is drawn (see learnLabels).
	labels map[string]fieldLabel
}

// NewForm returns an empty form.
func NewForm() *Form {
	return &Form{values: map[string]string{}, errors: map[string][]Message{}}
}

// Set records the typed value of a field.
func (f *Form) Set(name, value string) *Form {
	f.values[name] = value
	return f
}

// Value returns the typed value of a field ("" when none).
func (f *Form) Value(name string) string { return f.values[name] }

// AddError attaches m to field; field "" is an error of the whole form (a
// wrong password, a throttled sign-in), shown at the top.
func (f *Form) AddError(field string, m Message) *Form {
	if _, seen := f.errors[field]; !seen && field != "" {
		f.order = append(f.order, field)
	}
	f.errors[field] = append(f.errors[field], m)
	return f
}

// AddProblems attaches field problems to their fields: a domain's (a key
// and its arguments, said in the page's language) or a service's answer
// (already said in the reader's language, which wins).
func (f *Form) AddProblems(ps []fielderr.Problem) *Form {
	for _, p := range ps {
		if p.Message != "" {
			f.AddError(p.Field, Localized(p.Message))
			continue
		}
		f.AddError(p.Field, Msg(p.Code, p.Args...))
	}
	return f
}

// HasErrors reports whether anything is wrong.
func (f *Form) HasErrors() bool { return len(f.errors) > 0 }

// Errors returns the messages of one field.
func (f *Form) Errors(field string) []Message { return f.errors[field] }

// General returns the errors of the whole form.
func (f *Form) General() []Message { return f.errors[""] }

// FieldError is one message of one field as the form shows it, for the
// summary at the top of a form that links to the field. It is a view of
// what AddError and AddProblems attached, not a field problem of its own
// (that is fielderr.Problem).
type FieldError struct {
	Field   string
	Message Message
}

// FieldErrors lists every field's messages in the order they were found.
func (f *Form) FieldErrors() []FieldError {
	var out []FieldError
	for _, name := range f.order {
		for _, m := range f.errors[name] {
			out = append(out, FieldError{Field: name, Message: m})
		}
	}
	return out
}

// Option is one choice of a select field; Label is a catalogue key.
type Option struct {
	Value string
	Label string
}

// FieldView is what the "field" template draws: one labelled input with its
// hint, value and errors. Templates build it with the field function and
// refine it with the With methods.
type FieldView struct {
	Lang         i18n.Lang
	Name         string
	Label        string
	Type         string
	Autocomplete string
	InputMode    string
	Hint         string
	Required     bool
	Value        string
	Errors       []Message
	Options      []Option
}

// WithHint adds a hint under the label (a catalogue key).
func (v FieldView) WithHint(key string) FieldView {
	v.Hint = key
	return v
}

// WithInputMode sets the phone keyboard to show ("numeric", "tel", "decimal").
func (v FieldView) WithInputMode(mode string) FieldView {
	v.InputMode = mode
	return v
}

// WithOptions makes the field a select with these choices.
func (v FieldView) WithOptions(opts []Option) FieldView {
	v.Type, v.Options = "select", opts
	return v
}

// newField is the template function "field": page, name, label key, input
// type, autocomplete token, required.
func newField(p *Page, name, label, typ, autocomplete string, required bool) FieldView {
	v := FieldView{Lang: p.Lang, Name: name, Label: label, Type: typ, Autocomplete: autocomplete, Required: required,
		Hint: controlHints[typ]}
	if p.Form != nil {
		if typ != "password" {
			v.Value = p.Form.Value(name)
		}
		v.Errors = p.Form.Errors(name)
	}
	return v
}

// controlHints label the browser's own date, time and file controls in the
// page's language: a browser may draw them in its own (headless Chromium
// shows "mm/dd/yyyy" and "Choose File" on a Chinese page). WithHint
// replaces them with a field's own wording.
var controlHints = map[string]string{
	"date":           "web.form.date_hint",
	"datetime-local": "web.form.datetime_hint",
	"file":           "web.form.file_choose_hint",
}
