package bustest

import (
	"encoding/json"
	"os"
	"reflect"
	"strings"
	"testing"
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
