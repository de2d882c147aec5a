package i18n

import "errors"

// Problems Validate reports, each wrapped with the offending key.
var (
	// ErrMissingText means a message lacks its Chinese or English text.
	ErrMissingText = errors.New("i18n: message has an empty text")
	// ErrVerbMismatch means the Chinese and English templates of a message
	// would format their arguments differently.
	ErrVerbMismatch = errors.New("i18n: Chinese and English templates use different fmt verbs")
)
