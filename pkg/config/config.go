// Package config loads typed configuration from the environment. A struct
// declares each setting with an `env` tag naming its variable, a `default`
// tag, and a `doc` tag saying what it means; Load fills it and reports every
// problem at once, so a bad configuration stops the process at start with
// all of them listed.
//
//	type Config struct {
//		Addr    string        `env:"ANXIN_HTTP_ADDR" default:":8080" doc:"listen address"`
//		Timeout time.Duration `env:"ANXIN_TIMEOUT" default:"5s" doc:"..."`
//	}
//
// Supported field types: string, bool, int, int64, time.Duration, []string
// (comma-separated), and nested structs (walked recursively).
package config

import (
	"errors"
	"fmt"
	"os"
	"reflect"
	"strconv"
	"strings"
	"time"
)

// LookupFunc reads a variable; os.LookupEnv in production, a map in tests.
type LookupFunc func(key string) (string, bool)

// Load fills dst (a pointer to a struct) from the environment.
func Load(dst any) error { return LoadFrom(dst, os.LookupEnv) }

// LoadFrom fills dst using lookup, applying defaults for unset variables,
// and returns every conversion problem joined.
func LoadFrom(dst any, lookup LookupFunc) error {
	v := reflect.ValueOf(dst)
	if v.Kind() != reflect.Pointer || v.Elem().Kind() != reflect.Struct {
		return errors.New("config: Load needs a pointer to a struct")
	}
	var errs []error
	walk(v.Elem(), func(f reflect.StructField, fv reflect.Value) {
		key := f.Tag.Get("env")
		raw, set := lookup(key)
		if !set || raw == "" {
			def, hasDef := f.Tag.Lookup("default")
			if !hasDef {
				return
			}
			raw = def
		}
		if err := assign(fv, raw); err != nil {
			errs = append(errs, fmt.Errorf("%s=%q: %w", key, raw, err))
		}
	})
	return errors.Join(errs...)
}

func walk(v reflect.Value, fn func(reflect.StructField, reflect.Value)) {
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		fv := v.Field(i)
		if f.Tag.Get("env") == "" {
			if fv.Kind() == reflect.Struct && f.Type != reflect.TypeFor[time.Time]() {
				walk(fv, fn)
			}
			continue
		}
		fn(f, fv)
	}
}

func assign(fv reflect.Value, raw string) error {
	if fv.Type() == reflect.TypeFor[time.Duration]() {
		d, err := time.ParseDuration(raw)
		if err != nil {
			return errors.New("not a duration such as 30s or 5m")
		}
		fv.SetInt(int64(d))
		return nil
	}
	switch fv.Kind() {
	case reflect.String:
		fv.SetString(raw)
	case reflect.Bool:
		b, err := strconv.ParseBool(raw)
		if err != nil {
			return errors.New("not a boolean (true or false)")
		}
		fv.SetBool(b)
	case reflect.Int, reflect.Int64, reflect.Int32:
		n, err := strconv.ParseInt(raw, 10, 64)
		if err != nil {
			return errors.New("not an integer")
		}
		fv.SetInt(n)
	case reflect.Slice:
		if fv.Type().Elem().Kind() != reflect.String {
			return fmt.Errorf("unsupported type %s", fv.Type())
		}
		var parts []string
		for _, p := range strings.Split(raw, ",") {
			if p = strings.TrimSpace(p); p != "" {
				parts = append(parts, p)
			}
		}
		fv.Set(reflect.ValueOf(parts))
	default:
		return fmt.Errorf("unsupported type %s", fv.Type())
	}
	return nil
}

// Setting describes one variable for documentation (`anxin config`).
type Setting struct {
	Env, Default, Doc string
}

// Describe lists the settings a config struct declares, in field order.
func Describe(cfg any) []Setting {
	v := reflect.ValueOf(cfg)
	if v.Kind() == reflect.Pointer {
		v = v.Elem()
	}
	var out []Setting
	walk(v, func(f reflect.StructField, _ reflect.Value) {
		out = append(out, Setting{Env: f.Tag.Get("env"), Default: f.Tag.Get("default"), Doc: f.Tag.Get("doc")})
	})
	return out
}

// Problems collects validation failures; Err joins them (nil when none).
type Problems struct{ errs []error }

// Addf records a problem.
func (p *Problems) Addf(format string, args ...any) {
	p.errs = append(p.errs, fmt.Errorf(format, args...))
}

// Check records msg when ok is false.
func (p *Problems) Check(ok bool, format string, args ...any) {
	if !ok {
		p.Addf(format, args...)
	}
}

// Add records err when it is not nil.
func (p *Problems) Add(err error) {
	if err != nil {
		p.errs = append(p.errs, err)
	}
}

// Err returns every problem joined, or nil.
func (p *Problems) Err() error { return errors.Join(p.errs...) }
