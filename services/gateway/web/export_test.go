package web

// NewFieldForTest builds a field as the "field" template function does.
func NewFieldForTest(p *Page, name, typ string) FieldView {
	return newField(p, name, "web.audit.title", typ, "", true)
}
