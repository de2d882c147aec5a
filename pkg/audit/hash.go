package audit

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"time"
)

// hashDomain starts every hashed encoding, so an audit hash can never equal
// the hash of some other structure that happens to share the bytes, and so a
// future encoding can be told apart by its version.
const hashDomain = "anxin.audit_log.v1"

// ComputeHash returns the SHA-256 that r.Hash must hold: the hash of a
// canonical encoding of PrevHash, At (UTC, RFC 3339 with nanoseconds),
// Actor, Action, ObjectType, ObjectID, Before, After and RequestID, in that
// order. Each field is a presence byte (0 for SQL NULL), its length as 8
// bytes big-endian and its bytes, so no two different rows encode alike.
// Before and After must be in the canonical JSON form List and Verify
// return them in (sorted keys, no spaces, numbers as jsonb prints them). Seq is not hashed: sequence values have gaps
// wherever a transaction rolled back, and the chain itself fixes the order.
func (r Record) ComputeHash() []byte {
	h := sha256.New()
	_, _ = io.WriteString(h, hashDomain)
	writeField(h, r.PrevHash != nil, r.PrevHash)
	writeField(h, true, []byte(r.At.UTC().Format(time.RFC3339Nano)))
	writeField(h, true, []byte(r.Actor))
	writeField(h, true, []byte(r.Action))
	writeField(h, true, []byte(r.ObjectType))
	writeField(h, true, []byte(r.ObjectID))
	writeField(h, r.Before != nil, r.Before)
	writeField(h, r.After != nil, r.After)
	writeField(h, true, []byte(r.RequestID))
	return h.Sum(nil)
}

func writeField(h hash.Hash, present bool, b []byte) {
	var head [9]byte
	if present {
		head[0] = 1
	}
	binary.BigEndian.PutUint64(head[1:], uint64(len(b)))
	_, _ = h.Write(head[:])
	_, _ = h.Write(b)
}

// canonicalJSON rewrites a JSON text as PostgreSQL's jsonb returned it into
// the form the hash covers: object keys sorted, no insignificant space, no
// HTML escaping, numbers exactly as jsonb printed them. Hashing jsonb's own
// text would tie the chain to PostgreSQL's output style; hashing the bytes
// Go marshalled would not survive the trip through jsonb, which reorders
// keys and rewrites numbers (1e2 becomes 100). Both Write and Verify feed
// this function jsonb's output, so both see the same numbers.
func canonicalJSON(text []byte) (json.RawMessage, error) {
	dec := json.NewDecoder(bytes.NewReader(text))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("audit: decode jsonb: %w", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("audit: decode jsonb: trailing data")
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, fmt.Errorf("audit: encode canonical json: %w", err)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}
