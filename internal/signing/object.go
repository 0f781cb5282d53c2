package signing

import (
	"bytes"
	"compress/zlib"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
)

// SignObject serialises v with PythonJSON and signs it as Django's
// Signer.sign_object does: the JSON is zlib-compressed when compress is set
// and that saves more than one byte (the payload then starts with "."), and
// written in URL-safe base64 without padding.
func (s Signer) SignObject(v any, compress bool) (string, error) {
	payload, err := encodePayload(v, compress)
	if err != nil {
		return "", err
	}
	return s.Sign(payload), nil
}

// UnsignObject verifies a value produced by SignObject and returns its JSON.
func (s Signer) UnsignObject(signed string) ([]byte, error) {
	payload, err := s.Unsign(signed)
	if err != nil {
		return nil, err
	}
	return decodePayload(payload)
}

// SignObject is Signer.SignObject with a timestamp, as Django's
// TimestampSigner.sign_object.
func (s TimestampSigner) SignObject(v any, compress bool) (string, error) {
	payload, err := encodePayload(v, compress)
	if err != nil {
		return "", err
	}
	return s.Sign(payload), nil
}

// UnsignObject verifies a value produced by SignObject, no older than maxAge
// unless maxAge is 0, and returns its JSON.
func (s TimestampSigner) UnsignObject(signed string, maxAge time.Duration) ([]byte, error) {
	payload, _, err := s.Unsign(signed, maxAge)
	if err != nil {
		return nil, err
	}
	return decodePayload(payload)
}

// Dumps is django.core.signing.dumps: v as compact ASCII JSON, optionally
// compressed, signed with a timestamp under key and salt. An empty salt means
// DefaultDumpsSalt, "django.core.signing", Django's default for dumps.
// Sessions use salt "django.contrib.sessions.SessionStore" with compress set.
//
// Go's zlib does not produce the same bytes as Python's, so compressed output
// differs from Django's for the same value; both sides read either.
func Dumps(v any, key, salt string, compress bool) (string, error) {
	return dumpsSigner([]string{key}, salt).SignObject(v, compress)
}

// Loads is django.core.signing.loads: it verifies s against keys (keys[0] is
// the current secret, the rest are fallbacks) and salt (empty means
// DefaultDumpsSalt), rejects it with an error wrapping ErrSignatureExpired
// when maxAge is not 0 and it is older, and returns the signed JSON document.
// Errors other than those of the signature wrap neither sentinel.
func Loads(s string, keys []string, salt string, maxAge time.Duration) ([]byte, error) {
	if len(keys) == 0 {
		return nil, errors.New("signing: Loads needs at least one key")
	}
	return dumpsSigner(keys, salt).UnsignObject(s, maxAge)
}

func dumpsSigner(keys []string, salt string) TimestampSigner {
	if salt == "" {
		salt = DefaultDumpsSalt
	}
	return TimestampSigner{Signer{Key: keys[0], FallbackKeys: keys[1:], Salt: salt}}
}

func encodePayload(v any, compress bool) (string, error) {
	data, err := PythonJSON(v)
	if err != nil {
		return "", fmt.Errorf("signing: encode: %w", err)
	}
	if compress {
		var buf bytes.Buffer
		zw := zlib.NewWriter(&buf)
		zw.Write(data) // writes to a bytes.Buffer cannot fail
		zw.Close()
		if buf.Len() < len(data)-1 {
			return "." + b64Encode(buf.Bytes()), nil
		}
	}
	return b64Encode(data), nil
}

func decodePayload(payload string) ([]byte, error) {
	compressed := strings.HasPrefix(payload, ".")
	data, err := b64Decode(strings.TrimPrefix(payload, "."))
	if err != nil {
		return nil, fmt.Errorf("signing: decode payload: %w", err)
	}
	if compressed {
		if data, err = inflate(data); err != nil {
			return nil, fmt.Errorf("signing: decompress payload: %w", err)
		}
	}
	if !json.Valid(data) {
		return nil, errors.New("signing: payload is not JSON")
	}
	return data, nil
}

// zlibReaders keeps decompressors between payloads: each holds about
// 40 KB of state, and a session is read on every request.
var zlibReaders sync.Pool

// inflate decompresses zlib data.
func inflate(data []byte) ([]byte, error) {
	src := bytes.NewReader(data)
	zr, ok := zlibReaders.Get().(io.ReadCloser)
	if ok {
		if err := zr.(zlib.Resetter).Reset(src, nil); err != nil {
			return nil, err
		}
	} else {
		var err error
		if zr, err = zlib.NewReader(src); err != nil {
			return nil, err
		}
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		return nil, err
	}
	zlibReaders.Put(zr)
	return out, nil
}
