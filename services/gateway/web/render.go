// Package web renders the gateway's pages: html/template layouts and pages,
// the hand-written stylesheet, and the page texts of the message catalogue.
// Pages work without JavaScript, on a phone first, in Chinese unless the
// reader chose English.
package web

import (
	"bytes"
	"crypto/rand"
	"embed"
	"encoding/base64"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/pkg/i18n"
	"github.com/anxin-welfare/anxin/pkg/money"
)

//go:embed templates
var templateFiles embed.FS

// Renderer holds every page parsed once at start, each joined with the
// layout and the form blocks.
type Renderer struct {
	pages map[string]*template.Template
}

// funcs are the template functions. Language is always passed explicitly
// ({{t .Lang "key"}}) so one parsed template serves both languages.
var funcs = template.FuncMap{
	"t": func(lang i18n.Lang, key string, args ...any) string { return i18n.T(lang, key, args...) },
	"tm": func(lang i18n.Lang, m Message) string {
		if m.Text != "" {
			return m.Text
		}
		return i18n.T(lang, m.Key, m.Args...)
	},
	// dt shows an instant in Asia/Shanghai, as every time on a page is.
	"dt": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return clock.Local(t).Format("2006-01-02 15:04")
	},
	// key joins a catalogue key prefix and a code from an API answer:
	// {{t .Lang (key "injury.state." .State)}}.
	"key": func(prefix string, code any) string { return prefix + fmt.Sprint(code) },
	// oncetoken is a fresh one-time submission token for one form (see
	// the gateway's form_submissions.go).
	"oncetoken": func() string {
		b := make([]byte, 18)
		_, _ = rand.Read(b)
		return base64.RawURLEncoding.EncodeToString(b)
	},
	"yuan":   func(fen int64) string { return money.Fen(fen).String() },
	"addInt": func(a, b int) int { return a + b },
	"neg":    func(a int) int { return -a },
	"field":  newField,
	"static": StaticURL,
}

// NewRenderer parses the templates. An error here is a programming error in
// a template, reported at start rather than at a user's request.
func NewRenderer() (*Renderer, error) {
	base, err := template.New("base").Funcs(funcs).ParseFS(templateFiles, "templates/*.html")
	if err != nil {
		return nil, fmt.Errorf("parse layout: %w", err)
	}
	names, err := fs.Glob(templateFiles, "templates/pages/*.html")
	if err != nil {
		return nil, fmt.Errorf("list pages: %w", err)
	}
	r := &Renderer{pages: map[string]*template.Template{}}
	for _, name := range names {
		t, err := template.Must(base.Clone()).ParseFS(templateFiles, name)
		if err != nil {
			return nil, fmt.Errorf("parse page %s: %w", name, err)
		}
		r.pages[strings.TrimSuffix(path.Base(name), ".html")] = t
	}
	return r, nil
}

// Pages lists the names of the parsed pages.
func (r *Renderer) Pages() []string {
	out := make([]string, 0, len(r.pages))
	for name := range r.pages {
		out = append(out, name)
	}
	return out
}

// Render writes page name with p as an HTML response. It renders into a
// buffer first, so a template error yields an error to handle, never half a
// page. Pages show personal data, so they are never stored by a cache.
func (r *Renderer) Render(w http.ResponseWriter, status int, name string, p *Page) error {
	var buf bytes.Buffer
	if err := r.Execute(&buf, name, p); err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Language", string(p.Lang))
	w.WriteHeader(status)
	_, err := buf.WriteTo(w)
	return err
}

// Execute renders page name into buf.
func (r *Renderer) Execute(buf *bytes.Buffer, name string, p *Page) error {
	t, ok := r.pages[name]
	if !ok {
		return fmt.Errorf("render: no page %q", name)
	}
	if p.Lang == "" {
		p.Lang = i18n.Default
	}
	p, err := r.withLabels(name, p)
	if err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}
	if err := t.ExecuteTemplate(buf, "layout", p); err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}
	return nil
}
