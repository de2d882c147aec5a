package bus

import (
	"fmt"
	"strconv"
	"strings"
)

// MinServerVersion is the oldest nats-server Anxin's consumers work on.
//
// Every consumer is a durable pull consumer declared with FilterSubjects
// (Consumer.Declare; grants-members and injury's member projection filter
// on several subjects, the others on one through the same field). Filter
// subjects as a list arrived in nats-server 2.10.0. A 2.9 server (Debian 12
// ships 2.9.10) does not know the field: it creates the consumer without
// any filter, on every subject of the stream, and nats.go then refuses it
// with ErrConsumerMultipleFilterSubjectsNotSupported, so the consumers
// retried forever while /readyz said ok. Streams alone would work on 2.9;
// the consumers are what need 2.10.
const MinServerVersion = "2.10.0"

// VersionError is a nats-server too old (or of an unknown version) for
// the consumers.
type VersionError struct {
	Version string // as the server reported it
	msg     string
}

func (e *VersionError) Error() string { return e.msg }

// CheckServerVersion returns nil when version (as the server reports it
// in INFO, e.g. "2.10.22" or "v2.11.0-RC.1") is MinServerVersion or newer,
// and otherwise an error that says which version is needed and why, for
// /readyz and the log.
func CheckServerVersion(version string) error {
	got, ok := parseVersion(version)
	if !ok {
		return &VersionError{Version: version, msg: fmt.Sprintf("nats: server version %q is not a version; the consumers need %s or newer", version, MinServerVersion)}
	}
	min, _ := parseVersion(MinServerVersion)
	for i := range got {
		if got[i] != min[i] {
			if got[i] < min[i] {
				return &VersionError{Version: version, msg: fmt.Sprintf("nats: server %s is older than %s which the consumers need (durable pull consumers with several filter subjects)",
					strings.TrimPrefix(version, "v"), MinServerVersion)}
			}
			return nil
		}
	}
	return nil
}

// parseVersion reads major.minor.patch, ignoring a leading "v" and a
// pre-release or build suffix ("-RC.1", "+abc").
func parseVersion(v string) ([3]int, bool) {
	var out [3]int
	v = strings.TrimPrefix(strings.TrimSpace(v), "v")
	if i := strings.IndexAny(v, "-+"); i >= 0 {
		v = v[:i]
	}
	parts := strings.Split(v, ".")
	if len(parts) != 3 {
		return out, false
	}
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 {
			return out, false
		}
		out[i] = n
	}
	return out, true
}
