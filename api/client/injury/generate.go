// Package injury is the typed HTTP client of the injury green channel API, generated
// by oapi-codegen from api/openapi/injury.yaml: the document is the contract, so
// callers in other services (the gateway, the demo seed) use these types
// instead of hand-built requests and mirror structs. Do not edit
// client.gen.go; change the document and run `make generate`.
package injury

//go:generate go tool oapi-codegen -config oapi-codegen.yaml -o client.gen.go ../../openapi/injury.yaml
