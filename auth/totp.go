package auth

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"encoding/base32"
	"encoding/binary"
	"net/url"
	"strings"
	"time"
)

// The parameters of the time-based one-time passwords (RFC 6238) that
// Staffroom issues: the ones every common authenticator app assumes when
// an otpauth URI leaves them out (HMAC-SHA1, six digits, 30-second steps).
const (
	TOTPDigits = 6
	TOTPPeriod = 30 * time.Second
	// totpSkew is how many steps before and after the current one are
	// accepted, for clocks that drift and codes typed slowly.
	totpSkew = 1
	// totpSecretBytes is the secret's length: 160 bits, the length RFC
	// 4226 recommends for HMAC-SHA1.
	totpSecretBytes = 20
)

// totpEncoding is the base32 alphabet of authenticator secrets, without
// padding, as Google Authenticator's key URI format requires.
var totpEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// NewTOTPSecret returns a new random secret in base32 without padding,
// the form authenticator apps take it in.
func NewTOTPSecret() string {
	b := make([]byte, totpSecretBytes)
	rand.Read(b) // never fails (crypto/rand)
	return totpEncoding.EncodeToString(b)
}

// decodeTOTPSecret reads a base32 secret, forgiving the spaces, lower
// case and padding people type.
func decodeTOTPSecret(secret string) ([]byte, bool) {
	s := strings.ToUpper(strings.NewReplacer(" ", "", "-", "", "=", "").Replace(secret))
	b, err := totpEncoding.DecodeString(s)
	return b, err == nil && len(b) > 0
}

// TOTPStep returns the number of the 30-second step t falls in, counted
// from the Unix epoch (RFC 6238's T).
func TOTPStep(t time.Time) int64 { return t.Unix() / int64(TOTPPeriod/time.Second) }

// TOTPCode returns the six-digit code of a base32 secret at time t, as an
// authenticator app shows it; "" for a secret that is not base32.
func TOTPCode(secret string, t time.Time) string {
	key, ok := decodeTOTPSecret(secret)
	if !ok {
		return ""
	}
	return hotp(key, TOTPStep(t), TOTPDigits)
}

// hotp is RFC 4226's HOTP with HMAC-SHA1: the dynamically truncated HMAC
// of the counter, as a decimal string of the given number of digits.
func hotp(key []byte, counter int64, digits int) string {
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], uint64(counter))
	mac := hmac.New(sha1.New, key)
	mac.Write(msg[:])
	sum := mac.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	n := binary.BigEndian.Uint32(sum[off:off+4]) & 0x7fffffff
	mod := uint32(1)
	for range digits {
		mod *= 10
	}
	code := make([]byte, digits)
	n %= mod
	for i := digits - 1; i >= 0; i-- {
		code[i] = byte('0' + n%10)
		n /= 10
	}
	return string(code)
}

// matchTOTP returns the step, within the skew of now's, whose code is
// code, or false. Every candidate is compared in constant time.
func matchTOTP(key []byte, code string, now time.Time) (int64, bool) {
	if len(code) != TOTPDigits {
		return 0, false
	}
	step := TOTPStep(now)
	found, ok := int64(0), false
	for s := step - totpSkew; s <= step+totpSkew; s++ {
		if hmac.Equal([]byte(hotp(key, s, TOTPDigits)), []byte(code)) && !ok {
			found, ok = s, true
		}
	}
	return found, ok
}

// TOTPURI returns the otpauth:// URI an authenticator app reads from a QR
// code (Google Authenticator's key URI format): the issuer names the site,
// the label the account.
func TOTPURI(secret, issuer, account string) string {
	label := url.PathEscape(account)
	if issuer != "" {
		label = url.PathEscape(issuer) + ":" + label
	}
	q := url.Values{"secret": {secret}, "algorithm": {"SHA1"}, "digits": {"6"}, "period": {"30"}}
	if issuer != "" {
		q.Set("issuer", issuer)
	}
	return "otpauth://totp/" + label + "?" + q.Encode()
}

// normaliseCode removes the spaces and dashes people type into codes and
// folds case, so "123 456" and "abcde-fghij" are read as meant.
func normaliseCode(code string) string {
	return strings.ToLower(strings.NewReplacer(" ", "", "-", "", "\t", "").Replace(strings.TrimSpace(code)))
}
