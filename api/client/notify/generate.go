// Package notify is the typed HTTP client of the notification API (the
// inbox, preferences, failed deliveries and outbound webhooks), generated
// by oapi-codegen from api/openapi/notify.yaml: the document is the contract, so
// callers in other services (the gateway) use these types
// instead of hand-built requests and mirror structs. Do not edit
// client.gen.go; change the document and run `make generate`.
package notify

//go:generate go tool oapi-codegen -config oapi-codegen.yaml -o client.gen.go ../../openapi/notify.yaml
