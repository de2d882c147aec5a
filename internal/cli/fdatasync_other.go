//go:build !linux

package cli

import "os"

// fdatasync falls back to fsync where fdatasync does not exist.
func fdatasync(f *os.File) error { return f.Sync() }
