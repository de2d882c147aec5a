package pdfdoc

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"sync"
)

// DefaultFontPath is where Debian's fonts-wqy-microhei puts WenQuanYi Micro
// Hei (Apache-2.0 or GPL-3+ with the font exception): a TrueType collection
// whose first face has both the CJK ideographs and Latin letters in glyf
// outlines, which fpdf's UTF-8 fonts need. scripts/test.sh, scripts/run.sh
// and the container image install it there.
const DefaultFontPath = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"

// ErrFontMissing is the cause of every failure to print while the font
// cannot be read; errors.As finds a *FontError naming its path.
var ErrFontMissing = errors.New("pdfdoc: font missing")

// FontError says which font could not be used and why.
type FontError struct {
	Path string
	Err  error
}

func (e *FontError) Error() string { return fmt.Sprintf("pdfdoc: font %s: %v", e.Path, e.Err) }

// Unwrap lets errors.Is(err, ErrFontMissing) hold for every FontError.
func (e *FontError) Unwrap() []error { return []error{ErrFontMissing, e.Err} }

// Fonts reads the font at Path the first time a document needs it and keeps
// it. A font that cannot be read is tried again at the next document, so
// installing it fixes printing without a restart.
type Fonts struct {
	Path string

	mu   sync.Mutex
	face []byte
}

// NewFonts returns the font source for path (DefaultFontPath when empty).
func NewFonts(path string) *Fonts {
	if path == "" {
		path = DefaultFontPath
	}
	return &Fonts{Path: path}
}

// Check reads the font now: a service calls it at start to log a missing
// font before anyone prints.
func (f *Fonts) Check() error {
	_, err := f.load()
	return err
}

func (f *Fonts) load() ([]byte, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.face != nil {
		return f.face, nil
	}
	raw, err := os.ReadFile(f.Path)
	if err != nil {
		return nil, &FontError{Path: f.Path, Err: err}
	}
	face, err := trueTypeFace(raw)
	if err != nil {
		return nil, &FontError{Path: f.Path, Err: err}
	}
	f.face = face
	return face, nil
}

// Errors of trueTypeFace.
var (
	errNotTrueType = errors.New("not a TrueType font or collection")
	errNoGlyf      = errors.New("has no glyf table: CFF (OpenType) outlines cannot be embedded as a UTF-8 font; use a TrueType font")
	errTruncated   = errors.New("truncated font file")
)

// trueTypeFace returns raw as a single TrueType font: raw itself, or the
// first face of a TrueType collection (ttcf) copied out with its tables'
// offsets rewritten, since fpdf reads single fonts only.
func trueTypeFace(raw []byte) ([]byte, error) {
	if len(raw) < 12 {
		return nil, errTruncated
	}
	start := 0
	if string(raw[:4]) == "ttcf" {
		if binary.BigEndian.Uint32(raw[8:12]) == 0 || len(raw) < 16 {
			return nil, errTruncated
		}
		start = int(binary.BigEndian.Uint32(raw[12:16]))
	}
	if len(raw) < start+12 {
		return nil, errTruncated
	}
	switch binary.BigEndian.Uint32(raw[start:]) {
	case 0x00010000, 0x74727565: // TrueType, 'true'
	default:
		return nil, errNotTrueType
	}
	n := int(binary.BigEndian.Uint16(raw[start+4:]))
	dir := start + 12
	if len(raw) < dir+16*n {
		return nil, errTruncated
	}
	out := make([]byte, 12+16*n)
	copy(out, raw[start:start+12])
	glyf := false
	for i := range n {
		e := raw[dir+16*i : dir+16*i+16]
		off, size := int(binary.BigEndian.Uint32(e[8:])), int(binary.BigEndian.Uint32(e[12:]))
		if off < 0 || size < 0 || off+size > len(raw) {
			return nil, errTruncated
		}
		if string(e[:4]) == "glyf" {
			glyf = true
		}
		entry := out[12+16*i:]
		copy(entry, e[:8]) // tag and checksum
		binary.BigEndian.PutUint32(entry[8:], uint32(len(out)))
		binary.BigEndian.PutUint32(entry[12:], uint32(size))
		out = append(out, raw[off:off+size]...)
		for len(out)%4 != 0 {
			out = append(out, 0)
		}
	}
	if !glyf {
		return nil, errNoGlyf
	}
	return out, nil
}
