package signing

import (
	"bytes"
	"encoding/json"
	"unicode/utf8"
)

// PythonJSON encodes v as Python's json.dumps(v, separators=(",", ":"))
// does with its default ensure_ascii=True: compact, every character outside
// printable ASCII escaped as \uXXXX (characters beyond the Basic Multilingual
// Plane as a UTF-16 surrogate pair), and "<", ">" and "&" left alone. This is
// the serialisation Django signs in dumps and in session data.
//
// Values are encoded by encoding/json, so map keys come out sorted, struct
// fields in declaration order and numbers in Go's notation (a float64 1.0 is
// "1", where Python writes "1.0"). Use a struct or json.RawMessage where the
// exact bytes of a Python program must be reproduced.
func PythonJSON(v any) ([]byte, error) {
	b, err := marshalNoHTML(v)
	if err != nil {
		return nil, err
	}
	return asciiEscape(b), nil
}

// PythonJSONSpaced encodes v as Python's json.dumps(v) does with its default
// separators ", " and ": " (and ensure_ascii=True), the form Django stores in
// LogEntry.change_message. Otherwise it behaves as PythonJSON.
func PythonJSONSpaced(v any) ([]byte, error) {
	b, err := PythonJSON(v)
	if err != nil {
		return nil, err
	}
	return spaceSeparators(b), nil
}

// marshalNoHTML is json.Marshal without the escaping of <, > and &.
func marshalNoHTML(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// asciiEscape rewrites compact JSON from encoding/json so that it only holds
// printable ASCII, as ensure_ascii does. Bytes of 0x7f and above only occur
// inside strings, so no tokenising is needed; encoding/json already escapes
// the other control characters and replaces invalid UTF-8 with U+FFFD.
func asciiEscape(b []byte) []byte {
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); {
		c := b[i]
		if c < utf8.RuneSelf && c != 0x7f {
			out = append(out, c)
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		i += size
		if r >= 0x10000 {
			r -= 0x10000
			out = appendU4(out, 0xd800+(r>>10))
			out = appendU4(out, 0xdc00+(r&0x3ff))
			continue
		}
		out = appendU4(out, r)
	}
	return out
}

// appendU4 appends \uXXXX with lower-case hex digits, as Python writes them.
func appendU4(out []byte, r rune) []byte {
	const hex = "0123456789abcdef"
	return append(out, '\\', 'u', hex[r>>12&0xf], hex[r>>8&0xf], hex[r>>4&0xf], hex[r&0xf])
}

// spaceSeparators puts a space after every "," and ":" outside strings.
func spaceSeparators(b []byte) []byte {
	out := make([]byte, 0, len(b)+len(b)/8)
	inString, escaped := false, false
	for _, c := range b {
		out = append(out, c)
		switch {
		case inString && escaped:
			escaped = false
		case inString && c == '\\':
			escaped = true
		case c == '"':
			inString = !inString
		case !inString && (c == ',' || c == ':'):
			out = append(out, ' ')
		}
	}
	return out
}
