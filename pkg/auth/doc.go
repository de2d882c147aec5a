// Package auth is how a service knows who is calling. The gateway
// authenticates people and forwards each request with a short-lived
// identity token signed by the deployment's Ed25519 key; every service
// verifies it with Middleware, reads the caller with Current or
// FromContext, and guards routes with Require before applying its own
// object-level rules (an officer sees only their own cases, a caseworker
// only their units').
//
// The same keys file holds the field-encryption and blind-index keys of
// pkg/sealed, so a deployment has one secret to provision
// (ANXIN_KEYS_FILE); LoadOrCreateKeys generates it on a developer's first
// start.
package auth
