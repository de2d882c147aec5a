package config_test

import (
	"strings"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/pkg/config"
)

type inner struct {
	Port int `env:"T_PORT" default:"8080" doc:"port"`
}

type sample struct {
	Name    string        `env:"T_NAME" default:"anxin" doc:"name"`
	Debug   bool          `env:"T_DEBUG" default:"false"`
	Timeout time.Duration `env:"T_TIMEOUT" default:"5s"`
	Hosts   []string      `env:"T_HOSTS"`
	Inner   inner
	ignored string //nolint:unused // proves Load skips unexported fields
}

func TestLoad(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		env     map[string]string
		want    sample
		wantErr []string
	}{
		{name: "defaults", env: nil, want: sample{Name: "anxin", Timeout: 5 * time.Second, Inner: inner{Port: 8080}}},
		{
			name: "set",
			env:  map[string]string{"T_NAME": "x", "T_DEBUG": "true", "T_TIMEOUT": "1m", "T_HOSTS": "a, b,,c", "T_PORT": "9"},
			want: sample{Name: "x", Debug: true, Timeout: time.Minute, Hosts: []string{"a", "b", "c"}, Inner: inner{Port: 9}},
		},
		{
			name:    "every problem listed",
			env:     map[string]string{"T_DEBUG": "maybe", "T_TIMEOUT": "soon", "T_PORT": "eighty"},
			wantErr: []string{"T_DEBUG", "T_TIMEOUT", "T_PORT"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var got sample
			err := config.LoadFrom(&got, func(k string) (string, bool) { v, ok := tt.env[k]; return v, ok })
			if len(tt.wantErr) > 0 {
				if err == nil {
					t.Fatal("want an error")
				}
				for _, w := range tt.wantErr {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("error %q does not name %s", err, w)
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.Name != tt.want.Name || got.Debug != tt.want.Debug || got.Timeout != tt.want.Timeout ||
				strings.Join(got.Hosts, "|") != strings.Join(tt.want.Hosts, "|") || got.Inner != tt.want.Inner {
				t.Fatalf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestDescribe(t *testing.T) {
	t.Parallel()
	s := config.Describe(sample{})
	if len(s) != 5 || s[0].Env != "T_NAME" || s[0].Doc != "name" || s[4].Env != "T_PORT" {
		t.Fatalf("Describe = %+v", s)
	}
}
