package auth

import (
	"crypto/rand"
	"fmt"
	"math"
	"strings"
	"unicode/utf8"
)

// Hasher is one password hashing algorithm, in Django's encoded format.
type Hasher interface {
	// Algorithm returns the algorithm name that prefixes encoded values,
	// e.g. "pbkdf2_sha256", "pbkdf2_sha1", "argon2", "bcrypt_sha256",
	// "scrypt" or "md5".
	Algorithm() string
	// Encode hashes password with salt and returns the encoded value. An
	// empty salt makes a fresh random one; algorithms that generate their
	// own salt (bcrypt) ignore the argument.
	Encode(password, salt string) (string, error)
	// Verify reports whether password matches encoded, comparing in
	// constant time. The error is non-nil only when encoded is malformed
	// for this algorithm.
	Verify(password, encoded string) (bool, error)
	// MustUpdate reports whether encoded was made with parameters that
	// differ from this hasher's, or with a salt carrying less than 128 bits
	// of entropy (Django's must_update). A value that cannot be decoded
	// reports false.
	MustUpdate(encoded string) bool
	// Harden does extra work so that checking a wrong password against an
	// encoded value with weaker parameters costs about as much as checking
	// it with the current ones (Django's harden_runtime).
	Harden(password, encoded string)
}

// PasswordHashers is an ordered list; the first is the preferred hasher used for new hashes.
type PasswordHashers []Hasher

// DefaultPasswordHashers returns Django's default PASSWORD_HASHERS order with
// Django 5.2 parameters: PBKDF2SHA256, PBKDF2SHA1, Argon2, BCryptSHA256 and
// Scrypt, followed by MD5, which is only there to verify legacy rows.
func DefaultPasswordHashers() PasswordHashers {
	return PasswordHashers{PBKDF2SHA256{}, PBKDF2SHA1{}, Argon2{}, BCryptSHA256{}, Scrypt{}, MD5{}}
}

// saltLength is the number of [a-zA-Z0-9] characters needed for 128 bits
// of entropy: ceil(128 / log2(62)).
const saltLength = 22

// saltEntropy is the minimum salt entropy, in bits, that MustUpdate accepts.
const saltEntropy = 128

// unusablePasswordPrefix marks a password that can never be checked.
const unusablePasswordPrefix = "!"

// unusablePasswordSuffixLength is the number of random characters after
// the unusable prefix.
const unusablePasswordSuffixLength = 40

const randomStringChars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

// Make hashes password with the preferred (first) hasher and a fresh random
// salt of 22 characters [a-zA-Z0-9].
func (h PasswordHashers) Make(password string) (string, error) {
	if len(h) == 0 {
		return "", fmt.Errorf("auth: no password hashers configured")
	}
	return h[0].Encode(password, "")
}

// Check reports whether password matches encoded, like Django's
// check_password. Unusable or unidentifiable values run the preferred hasher
// once, so that they take about as long as a real check, and report false.
// upgrade is true only when ok is true and encoded was made by another
// algorithm than the preferred one or the preferred hasher's MustUpdate says
// so; the caller should then store a fresh hash made with Make. A wrong
// password checked with the preferred algorithm hardens the runtime.
func (h PasswordHashers) Check(password, encoded string) (ok bool, upgrade bool) {
	if len(h) == 0 {
		return false, false
	}
	preferred := h[0]
	fake := func() {
		_, _ = preferred.Encode(RandomString(unusablePasswordSuffixLength), "")
	}
	if !IsPasswordUsable(encoded) {
		fake()
		return false, false
	}
	hasher, err := h.Identify(encoded)
	if err != nil {
		fake()
		return false, false
	}
	changed := hasher.Algorithm() != preferred.Algorithm()
	mustUpdate := changed || preferred.MustUpdate(encoded)
	ok, err = hasher.Verify(password, encoded)
	if err != nil {
		// The value looked like this algorithm but cannot be decoded:
		// treat it like an unidentifiable one.
		fake()
		return false, false
	}
	if !ok && !changed && mustUpdate {
		hasher.Harden(password, encoded)
	}
	return ok, ok && mustUpdate
}

// Identify returns the hasher in h whose algorithm made encoded, using
// Django's identify_hasher rules: 32 characters without "$", or "md5$$"
// and 37 characters, mean "unsalted_md5"; "sha1$$" and 46 characters means
// "unsalted_sha1"; otherwise the algorithm is the text before the first "$".
func (h PasswordHashers) Identify(encoded string) (Hasher, error) {
	var algorithm string
	n := utf8.RuneCountInString(encoded)
	switch {
	case n == 32 && !strings.Contains(encoded, "$"),
		n == 37 && strings.HasPrefix(encoded, "md5$$"):
		algorithm = "unsalted_md5"
	case n == 46 && strings.HasPrefix(encoded, "sha1$$"):
		algorithm = "unsalted_sha1"
	default:
		algorithm, _, _ = strings.Cut(encoded, "$")
	}
	for _, hasher := range h {
		if hasher.Algorithm() == algorithm {
			return hasher, nil
		}
	}
	return nil, fmt.Errorf("Unknown password hashing algorithm '%s'. Did you specify it in the PASSWORD_HASHERS setting?", algorithm)
}

// MakeUnusablePassword returns a value that no password matches: "!"
// followed by 40 random characters [a-zA-Z0-9].
func MakeUnusablePassword() string {
	return unusablePasswordPrefix + RandomString(unusablePasswordSuffixLength)
}

// IsPasswordUsable reports whether encoded may match a password. It is false
// only for values starting with "!"; empty and unidentifiable values count
// as usable, as in Django.
func IsPasswordUsable(encoded string) bool {
	return !strings.HasPrefix(encoded, unusablePasswordPrefix)
}

// RandomString returns n characters drawn uniformly from [a-zA-Z0-9] using
// crypto/rand.
func RandomString(n int) string {
	if n <= 0 {
		return ""
	}
	// 248 is the largest multiple of 62 not above 256; rejecting bytes at
	// or above it keeps every character equally likely.
	const limit = 256 - 256%len(randomStringChars)
	out := make([]byte, 0, n)
	buf := make([]byte, n+n/4+8)
	for len(out) < n {
		_, _ = rand.Read(buf) // never fails since Go 1.24
		for _, b := range buf {
			if int(b) >= limit {
				continue
			}
			out = append(out, randomStringChars[int(b)%len(randomStringChars)])
			if len(out) == n {
				break
			}
		}
	}
	return string(out)
}

// saltTooWeak reports whether a salt of n characters from a 62-character
// alphabet carries less than 128 bits of entropy (Django's must_update_salt).
func saltTooWeak(n int) bool {
	return float64(n)*math.Log2(float64(len(randomStringChars))) < saltEntropy
}

// checkSalt returns salt, or a fresh random one when it is empty. A salt
// containing "$" would break the encoded format and is refused.
func checkSalt(salt string) (string, error) {
	if salt == "" {
		return RandomString(saltLength), nil
	}
	if strings.Contains(salt, "$") {
		return "", fmt.Errorf("auth: salt cannot contain $")
	}
	return salt, nil
}

// malformed returns the error reported for an encoded value that cannot be
// decoded by the named algorithm.
func malformed(algorithm, why string) error {
	return fmt.Errorf("auth: malformed %s password hash: %s", algorithm, why)
}
