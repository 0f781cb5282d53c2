// Package signing signs and verifies values exactly as Django's
// django.core.signing does, so that session data, message cookies and other
// signed values written by Django are readable here and the other way round.
//
// Signatures are HMAC-SHA256 keyed with SHA-256(salt + "signer" + secret) and
// written in URL-safe base64 without padding, after a ":" separator. A
// TimestampSigner adds the signing time in base62 before the signature, and
// Dumps/Loads wrap a JSON document (optionally zlib-compressed) in a
// timestamped signature, as django.core.signing.dumps/loads do.
package signing

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Sep is the separator between a value, its timestamp and its signature.
const Sep = ":"

// Default salts, used when a Salt field or argument is empty. They are the
// values Django uses when no salt is given: the signer class's dotted path for
// Signer and TimestampSigner, and "django.core.signing" for dumps/loads.
const (
	DefaultSignerSalt          = "django.core.signing.Signer"
	DefaultTimestampSignerSalt = "django.core.signing.TimestampSigner"
	DefaultDumpsSalt           = "django.core.signing"
)

// ErrBadSignature reports a value whose signature is missing or does not
// match any of the keys. Django raises BadSignature in the same cases.
var ErrBadSignature = errors.New("signing: bad signature")

// ErrSignatureExpired reports a correctly signed value older than the
// allowed age. As Django's SignatureExpired subclasses BadSignature, an error
// wrapping ErrSignatureExpired also matches ErrBadSignature under errors.Is.
var ErrSignatureExpired error = expiredError{}

type expiredError struct{}

func (expiredError) Error() string        { return "signing: signature expired" }
func (expiredError) Is(target error) bool { return target == ErrBadSignature }

// now is the clock; tests replace it.
var now = time.Now

// SaltedHMAC is Django's salted_hmac with SHA-256: the HMAC-SHA256 of value
// under the key SHA-256(keySalt + secret).
func SaltedHMAC(keySalt, value, secret string) []byte {
	key := sha256.Sum256([]byte(keySalt + secret))
	mac := hmac.New(sha256.New, key[:])
	mac.Write([]byte(value))
	return mac.Sum(nil)
}

// b64Encode is Django's b64_encode: URL-safe base64 with the padding removed.
func b64Encode(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

// b64Decode reverses b64Encode. Unlike Python's lenient decoder it rejects
// characters outside the URL-safe alphabet, which only matters for values
// Django would not have produced.
func b64Decode(s string) ([]byte, error) { return base64.RawURLEncoding.DecodeString(s) }

// Signer signs values the way django.core.signing.Signer does: value + ":" +
// base64(HMAC-SHA256 keyed with SHA-256(Salt + "signer" + Key)).
//
// Key is the secret (Django's SECRET_KEY); FallbackKeys are older secrets
// still accepted by Unsign (SECRET_KEY_FALLBACKS). An empty Salt means
// DefaultSignerSalt, "django.core.signing.Signer", the salt Django's Signer
// uses when none is given.
type Signer struct {
	Key          string
	FallbackKeys []string
	Salt         string
}

// CookieSigner returns the signer Django's get_cookie_signer builds for
// signed cookies (the messages cookie among them): every key is prefixed with
// "django.http.cookies".
func CookieSigner(secretKey string, fallbackKeys []string, salt string) Signer {
	const prefix = "django.http.cookies"
	fb := make([]string, len(fallbackKeys))
	for i, k := range fallbackKeys {
		fb[i] = prefix + k
	}
	return Signer{Key: prefix + secretKey, FallbackKeys: fb, Salt: salt}
}

func (s Signer) salt(def string) string {
	if s.Salt == "" {
		return def
	}
	return s.Salt
}

// signature is Django's Signer.signature for the given salt and key.
func signature(salt, value, key string) string {
	return b64Encode(SaltedHMAC(salt+"signer", value, key))
}

// Sign returns value + ":" + signature.
func (s Signer) Sign(value string) string {
	return s.sign(value, s.salt(DefaultSignerSalt))
}

func (s Signer) sign(value, salt string) string {
	return value + Sep + signature(salt, value, s.Key)
}

// Unsign checks the signature of a value produced by Sign, with Key or any of
// FallbackKeys, and returns the value without it. The error wraps
// ErrBadSignature.
func (s Signer) Unsign(signed string) (string, error) {
	return s.unsign(signed, s.salt(DefaultSignerSalt))
}

func (s Signer) unsign(signed, salt string) (string, error) {
	i := strings.LastIndex(signed, Sep)
	if i < 0 {
		return "", fmt.Errorf("%w: no %q found in value", ErrBadSignature, Sep)
	}
	value, sig := signed[:i], signed[i+len(Sep):]
	keys := append([]string{s.Key}, s.FallbackKeys...)
	for _, key := range keys {
		if hmac.Equal([]byte(sig), []byte(signature(salt, value, key))) {
			return value, nil
		}
	}
	return "", fmt.Errorf("%w: signature %q does not match", ErrBadSignature, sig)
}

// TimestampSigner signs values the way django.core.signing.TimestampSigner
// does: value + ":" + base62(Unix time) + ":" + signature. An empty Salt means
// DefaultTimestampSignerSalt, "django.core.signing.TimestampSigner".
type TimestampSigner struct {
	Signer
}

// Sign returns value + ":" + timestamp + ":" + signature, stamped with the
// current time.
func (s TimestampSigner) Sign(value string) string {
	stamped := value + Sep + B62Encode(now().Unix())
	return s.sign(stamped, s.salt(DefaultTimestampSignerSalt))
}

// Unsign checks a value produced by Sign and returns it together with the
// time it was signed. A maxAge of 0 means no limit; otherwise a value signed
// more than maxAge ago fails with an error wrapping ErrSignatureExpired.
func (s TimestampSigner) Unsign(signed string, maxAge time.Duration) (string, time.Time, error) {
	stamped, err := s.unsign(signed, s.salt(DefaultTimestampSignerSalt))
	if err != nil {
		return "", time.Time{}, err
	}
	i := strings.LastIndex(stamped, Sep)
	if i < 0 {
		return "", time.Time{}, fmt.Errorf("%w: no timestamp", ErrBadSignature)
	}
	ts, err := B62Decode(stamped[i+len(Sep):])
	if err != nil {
		return "", time.Time{}, fmt.Errorf("%w: timestamp: %v", ErrBadSignature, err)
	}
	signedAt := time.Unix(ts, 0)
	if maxAge != 0 {
		if age := now().Sub(signedAt); age > maxAge {
			return "", signedAt, fmt.Errorf("%w: age %v > %v", ErrSignatureExpired, age, maxAge)
		}
	}
	return stamped[:i], signedAt, nil
}
