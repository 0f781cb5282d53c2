package auth

import (
	"crypto/pbkdf2"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"hash"
	"strconv"
	"strings"
	"unicode/utf8"
)

// defaultPBKDF2Iterations is Django 5.2's PBKDF2 iteration count.
const defaultPBKDF2Iterations = 1_000_000

// PBKDF2SHA256 is Django's default hasher, "pbkdf2_sha256": PBKDF2 with
// HMAC-SHA256 and a 32-byte key, encoded as
// pbkdf2_sha256$<iterations>$<salt>$<base64 key>.
type PBKDF2SHA256 struct {
	// Iterations is the iteration count for new hashes; zero (or less)
	// means Django 5.2's 1 000 000.
	Iterations int
}

// PBKDF2SHA1 is Django's "pbkdf2_sha1" hasher: PBKDF2 with HMAC-SHA1 and a
// 20-byte key, in the same format as PBKDF2SHA256.
type PBKDF2SHA1 struct {
	// Iterations is the iteration count for new hashes; zero (or less)
	// means Django 5.2's 1 000 000.
	Iterations int
}

// Algorithm returns "pbkdf2_sha256".
func (h PBKDF2SHA256) Algorithm() string { return h.p().algorithm }

// Encode hashes password with salt (fresh when empty).
func (h PBKDF2SHA256) Encode(password, salt string) (string, error) {
	return h.p().encode(password, salt)
}

// Verify reports whether password matches encoded, using the iteration
// count stored in encoded.
func (h PBKDF2SHA256) Verify(password, encoded string) (bool, error) {
	return h.p().verify(password, encoded)
}

// MustUpdate reports whether encoded uses another iteration count than h or
// a salt with less than 128 bits of entropy.
func (h PBKDF2SHA256) MustUpdate(encoded string) bool { return h.p().mustUpdate(encoded) }

// Harden runs the iterations that encoded lacks compared with h.
func (h PBKDF2SHA256) Harden(password, encoded string) { h.p().harden(password, encoded) }

func (h PBKDF2SHA256) p() pbkdf2Hasher {
	return pbkdf2Hasher{"pbkdf2_sha256", sha256.New, sha256.Size, h.Iterations}
}

// Algorithm returns "pbkdf2_sha1".
func (h PBKDF2SHA1) Algorithm() string { return h.p().algorithm }

// Encode hashes password with salt (fresh when empty).
func (h PBKDF2SHA1) Encode(password, salt string) (string, error) {
	return h.p().encode(password, salt)
}

// Verify reports whether password matches encoded, using the iteration
// count stored in encoded.
func (h PBKDF2SHA1) Verify(password, encoded string) (bool, error) {
	return h.p().verify(password, encoded)
}

// MustUpdate reports whether encoded uses another iteration count than h or
// a salt with less than 128 bits of entropy.
func (h PBKDF2SHA1) MustUpdate(encoded string) bool { return h.p().mustUpdate(encoded) }

// Harden runs the iterations that encoded lacks compared with h.
func (h PBKDF2SHA1) Harden(password, encoded string) { h.p().harden(password, encoded) }

func (h PBKDF2SHA1) p() pbkdf2Hasher {
	return pbkdf2Hasher{"pbkdf2_sha1", sha1.New, sha1.Size, h.Iterations}
}

// pbkdf2Hasher holds the code shared by both PBKDF2 variants.
type pbkdf2Hasher struct {
	algorithm  string
	newHash    func() hash.Hash
	keyLength  int
	iterations int
}

func (p pbkdf2Hasher) iter() int {
	if p.iterations <= 0 {
		return defaultPBKDF2Iterations
	}
	return p.iterations
}

func (p pbkdf2Hasher) encode(password, salt string) (string, error) {
	salt, err := checkSalt(salt)
	if err != nil {
		return "", err
	}
	return p.encodeWith(password, salt, p.iter())
}

func (p pbkdf2Hasher) encodeWith(password, salt string, iterations int) (string, error) {
	key, err := pbkdf2.Key(p.newHash, password, []byte(salt), iterations, p.keyLength)
	if err != nil {
		return "", err
	}
	return p.algorithm + "$" + strconv.Itoa(iterations) + "$" + salt + "$" +
		base64.StdEncoding.EncodeToString(key), nil
}

// decode splits encoded into its iteration count and salt.
func (p pbkdf2Hasher) decode(encoded string) (iterations int, salt string, err error) {
	parts := strings.SplitN(encoded, "$", 4)
	if len(parts) != 4 {
		return 0, "", malformed(p.algorithm, "expected 4 fields")
	}
	if parts[0] != p.algorithm {
		return 0, "", malformed(p.algorithm, "algorithm is "+strconv.Quote(parts[0]))
	}
	iterations, err = strconv.Atoi(parts[1])
	if err != nil || iterations < 1 {
		return 0, "", malformed(p.algorithm, "bad iteration count")
	}
	return iterations, parts[2], nil
}

func (p pbkdf2Hasher) verify(password, encoded string) (bool, error) {
	iterations, salt, err := p.decode(encoded)
	if err != nil {
		return false, err
	}
	again, err := p.encodeWith(password, salt, iterations)
	if err != nil {
		return false, malformed(p.algorithm, err.Error())
	}
	return subtle.ConstantTimeCompare([]byte(encoded), []byte(again)) == 1, nil
}

func (p pbkdf2Hasher) mustUpdate(encoded string) bool {
	iterations, salt, err := p.decode(encoded)
	if err != nil {
		return false
	}
	return iterations != p.iter() || saltTooWeak(utf8.RuneCountInString(salt))
}

func (p pbkdf2Hasher) harden(password, encoded string) {
	iterations, salt, err := p.decode(encoded)
	if err != nil {
		return
	}
	if extra := p.iter() - iterations; extra > 0 {
		_, _ = p.encodeWith(password, salt, extra)
	}
}
