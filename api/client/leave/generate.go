// Package leave is the typed HTTP client of the leave, recuperation and health-check API, generated
// by oapi-codegen from api/openapi/leave.yaml: the document is the contract, so
// callers in other services (the gateway, the demo seed) use these types
// instead of hand-built requests and mirror structs. Do not edit
// client.gen.go; change the document and run `make generate`.
package leave

//go:generate go tool oapi-codegen -config oapi-codegen.yaml -o client.gen.go ../../openapi/leave.yaml
