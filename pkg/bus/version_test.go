package bus_test

import (
	"strings"
	"testing"

	"github.com/anxin-welfare/anxin/pkg/bus"
)

func TestCheckServerVersion(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name, version string
		wantErr       string
	}{
		{name: "Debian 12's server", version: "2.9.10", wantErr: "nats: server 2.9.10 is older than 2.10.0 which the consumers need"},
		{name: "the last 2.9", version: "2.9.25", wantErr: "older than 2.10.0"},
		{name: "an old major", version: "1.4.1", wantErr: "older than 2.10.0"},
		{name: "the minimum", version: "2.10.0"},
		{name: "a later patch", version: "2.10.22"},
		{name: "a later minor", version: "2.11.3"},
		{name: "a later major", version: "3.0.0"},
		{name: "a v prefix and a release candidate", version: "v2.12.0-RC.1"},
		{name: "a 2.9 release candidate", version: "2.9.0-beta.3", wantErr: "older than 2.10.0"},
		{name: "empty: not connected", version: "", wantErr: `server version "" is not a version`},
		{name: "garbage", version: "latest", wantErr: "is not a version"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := bus.CheckServerVersion(tt.version)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("CheckServerVersion(%q) = %v, want nil", tt.version, err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Fatalf("CheckServerVersion(%q) = %v, want %q", tt.version, err, tt.wantErr)
			}
		})
	}
}
