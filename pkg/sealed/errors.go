package sealed

import "errors"

// Errors New and Open return.
var (
	// ErrKey means a key given to New is unusable: the wrong length, or the
	// field and index keys are the same bytes.
	ErrKey = errors.New("sealed: unusable key")
	// ErrCorrupt means a sealed value is too short, names a key version this
	// Sealer does not hold, or fails authentication (tampered, truncated, or
	// sealed under another key). Open never returns partial plaintext.
	ErrCorrupt = errors.New("sealed: value is corrupt or was not sealed with this key")
)
