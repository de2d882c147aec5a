package accounts

import "errors"

// ErrNoSession means the cookie names no live session: none sent, unknown,
// expired, or its user disabled. Pages redirect to sign-in; the API
// answers 401.
var ErrNoSession = errors.New("no session")
