package bustest

import (
	"bytes"
	"encoding/json"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// CheckConsumes is a consumer's side of an event contract: every field the
// consumer's payload struct reads (by its json tag, nested structs and
// slices of structs included) must be declared by the producer's JSON
// Schema at schemaPath. A producer renaming or moving a field then breaks
// the consumer's test, not production.
func CheckConsumes(t testing.TB, schemaPath string, payload any) {
	t.Helper()
	raw, err := os.ReadFile(schemaPath)
	if err != nil {
		t.Fatalf("contract: %v", err)
	}
	var schema map[string]any
	if err := json.Unmarshal(raw, &schema); err != nil {
		t.Fatalf("contract: %s: %v", schemaPath, err)
	}
	checkStruct(t, schemaPath, "", reflect.TypeOf(payload), schema)
}

func checkStruct(t testing.TB, file, path string, typ reflect.Type, schema map[string]any) {
	t.Helper()
	for typ.Kind() == reflect.Pointer || typ.Kind() == reflect.Slice || typ.Kind() == reflect.Array {
		typ = typ.Elem()
		if items, ok := schema["items"].(map[string]any); ok {
			schema = items
		}
	}
	if typ.Kind() != reflect.Struct || typ.PkgPath() == "time" {
		return
	}
	props, _ := schema["properties"].(map[string]any)
	for i := 0; i < typ.NumField(); i++ {
		f := typ.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" || !f.IsExported() {
			continue
		}
		if name == "" {
			if f.Anonymous {
				checkStruct(t, file, path, f.Type, schema)
				continue
			}
			name = f.Name
		}
		sub, ok := props[name].(map[string]any)
		if !ok {
			t.Errorf("contract %s: the consumer reads %s%s, which the producer's schema does not declare", file, path, name)
			continue
		}
		checkStruct(t, file, path+name+".", f.Type, sub)
	}
}

// CompileSchema reads and compiles the JSON Schema of an event type and
// version (api/events/<source>.<type>.v<N>.json), with formats asserted.
func CompileSchema(t testing.TB, schemaPath string) *jsonschema.Schema {
	t.Helper()
	raw, err := os.ReadFile(schemaPath)
	if err != nil {
		t.Fatalf("contract: %v", err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("contract: %s: %v", schemaPath, err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource(schemaPath, doc); err != nil {
		t.Fatalf("contract: %s: %v", schemaPath, err)
	}
	s, err := c.Compile(schemaPath)
	if err != nil {
		t.Fatalf("contract: %s: %v", schemaPath, err)
	}
	return s
}

// CheckPublishes is a producer's side of an event contract: the payload
// data it publishes validates against its JSON Schema.
func CheckPublishes(t testing.TB, s *jsonschema.Schema, data []byte) {
	t.Helper()
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("contract: payload is not JSON: %v", err)
	}
	if err := s.Validate(inst); err != nil {
		t.Errorf("contract: payload %s does not match its schema: %v", data, err)
	}
}

// CheckFieldsMatch checks that a payload struct's top-level JSON fields are
// exactly the schema's properties, so neither can grow a field the other
// does not know.
func CheckFieldsMatch(t testing.TB, schemaPath string, payload any) {
	t.Helper()
	raw, err := os.ReadFile(schemaPath)
	if err != nil {
		t.Fatalf("contract: %v", err)
	}
	var s struct {
		Properties map[string]json.RawMessage `json:"properties"`
	}
	if err := json.Unmarshal(raw, &s); err != nil {
		t.Fatalf("contract: %s: %v", schemaPath, err)
	}
	var fields, props []string
	rt := reflect.TypeOf(payload)
	for i := range rt.NumField() {
		name, _, _ := strings.Cut(rt.Field(i).Tag.Get("json"), ",")
		if name != "-" && rt.Field(i).IsExported() {
			fields = append(fields, name)
		}
	}
	for p := range s.Properties {
		props = append(props, p)
	}
	slices.Sort(fields)
	slices.Sort(props)
	if !slices.Equal(fields, props) {
		t.Errorf("contract %s: struct fields %v, schema properties %v", schemaPath, fields, props)
	}
}
