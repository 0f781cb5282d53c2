package auth

import (
	"encoding/base64"
	"encoding/hex"
	"strconv"
	"strings"
	"time"

	"github.com/staffroom/staffroom/internal/signing"
)

// DefaultPasswordResetTimeout is how long a password reset link stays
// valid, Django's PASSWORD_RESET_TIMEOUT: three days.
const DefaultPasswordResetTimeout = 3 * 24 * time.Hour

// tokenKeySalt is the key salt of Django's PasswordResetTokenGenerator.
const tokenKeySalt = "django.contrib.auth.tokens.PasswordResetTokenGenerator"

// tokenEpoch is the moment token timestamps count from, Django's
// 2001-01-01 (in UTC, the time zone a Django project sharing the database
// must use for its tokens to agree).
var tokenEpoch = time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC)

// TokenGenerator makes and checks password reset tokens in Django's
// format, "<timestamp in base 36>-<32 hex digits>": the hex digits are
// every other character of an HMAC-SHA256, keyed with the secret key, of
// the user's id, password hash, last login (to the second), the token's
// timestamp and the user's email. A token therefore stops working when
// the password changes (including by the reset it was made for), when the
// user logs in, when the email changes, and after Timeout.
type TokenGenerator struct {
	SecretKey    string
	FallbackKeys []string // also accepted when checking, never used to make
	// Timeout is how long a token is valid; default
	// DefaultPasswordResetTimeout.
	Timeout time.Duration
	// Now is the clock; default time.Now.
	Now func() time.Time
}

func (g TokenGenerator) now() time.Time {
	if g.Now != nil {
		return g.Now()
	}
	return time.Now()
}

func (g TokenGenerator) timeout() time.Duration {
	if g.Timeout > 0 {
		return g.Timeout
	}
	return DefaultPasswordResetTimeout
}

// MakeToken returns a token for u, valid from now.
func (g TokenGenerator) MakeToken(u *User) string {
	return makeToken(u, int64(g.now().Sub(tokenEpoch)/time.Second), g.SecretKey)
}

// CheckToken reports whether token was made for u, in its current state,
// with the secret or a fallback key, no longer than Timeout ago.
func (g TokenGenerator) CheckToken(u *User, token string) bool {
	if u == nil || token == "" {
		return false
	}
	stamp, _, ok := strings.Cut(token, "-")
	if !ok || len(stamp) > 13 {
		return false
	}
	ts, err := strconv.ParseInt(stamp, 36, 64)
	if err != nil || ts < 0 {
		return false
	}
	valid := false
	for _, key := range append([]string{g.SecretKey}, g.FallbackKeys...) {
		if constantEqual(makeToken(u, ts, key), token) {
			valid = true
		}
	}
	age := int64(g.now().Sub(tokenEpoch)/time.Second) - ts
	return valid && age <= int64(g.timeout()/time.Second)
}

// makeToken is Django's _make_token_with_timestamp.
func makeToken(u *User, ts int64, secret string) string {
	login := ""
	if u.LastLogin != nil {
		login = u.LastLogin.UTC().Format("2006-01-02 15:04:05")
	}
	value := strconv.FormatInt(u.ID, 10) + u.Password + login + strconv.FormatInt(ts, 10) + u.Email
	full := hex.EncodeToString(signing.SaltedHMAC(tokenKeySalt, value, secret))
	half := make([]byte, 0, len(full)/2)
	for i := 0; i < len(full); i += 2 {
		half = append(half, full[i])
	}
	return strconv.FormatInt(ts, 36) + "-" + string(half)
}

// EncodeUID returns a user id as reset links carry it: the decimal id in
// URL-safe base64 without padding, Django's urlsafe_base64_encode.
func EncodeUID(id int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(id, 10)))
}

// DecodeUID reverses EncodeUID; ok is false for anything else.
func DecodeUID(uid string) (id int64, ok bool) {
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(uid, "="))
	if err != nil {
		return 0, false
	}
	id, err = strconv.ParseInt(string(b), 10, 64)
	return id, err == nil && id > 0
}
