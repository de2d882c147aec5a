// Package domain holds the gateway's rules as plain Go: who a user is and
// what roles and unit scopes they may hold, how passwords are judged and
// hashed, when sign-in is throttled, and how long a session lives.
//
// It knows nothing of HTTP, SQL or NATS. Every rule that a person can break
// answers with a stable code that is a message-catalogue key (for example
// "gateway.password.too_short"), so the HTTP layer can say it in zh-CN or en
// next to the field that caused it.
//
// The one dependency outside the standard library is golang.org/x/crypto's
// argon2: the password hash is part of the rule "passwords are stored with
// argon2id", and a pure algorithm, not an adapter.
package domain
