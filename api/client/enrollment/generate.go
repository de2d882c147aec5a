// Package enrollment is the typed HTTP client of the member registry and insurance enrollment API, generated
// by oapi-codegen from api/openapi/enrollment.yaml: the document is the contract, so
// callers in other services (the gateway, the demo seed) use these types
// instead of hand-built requests and mirror structs. Do not edit
// client.gen.go; change the document and run `make generate`.
package enrollment

//go:generate go tool oapi-codegen -config oapi-codegen.yaml -o client.gen.go ../../openapi/enrollment.yaml
