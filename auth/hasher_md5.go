package auth

import (
	"crypto/md5"
	"crypto/subtle"
	"encoding/hex"
	"strconv"
	"strings"
	"unicode/utf8"
)

// MD5 is Django's salted "md5" hasher, encoded as md5$<salt>$<hex
// md5(salt+password)>. It is insecure and only meant to verify legacy rows
// (and to make fast hashes in tests); it is never the preferred hasher of
// DefaultPasswordHashers.
type MD5 struct{}

// Algorithm returns "md5".
func (MD5) Algorithm() string { return "md5" }

// Encode hashes password with salt (fresh when empty).
func (MD5) Encode(password, salt string) (string, error) {
	salt, err := checkSalt(salt)
	if err != nil {
		return "", err
	}
	return md5Encode(password, salt), nil
}

func md5Encode(password, salt string) string {
	sum := md5.Sum([]byte(salt + password))
	return "md5$" + salt + "$" + hex.EncodeToString(sum[:])
}

func md5Decode(encoded string) (salt string, err error) {
	parts := strings.SplitN(encoded, "$", 3)
	if len(parts) != 3 {
		return "", malformed("md5", "expected 3 fields")
	}
	if parts[0] != "md5" {
		return "", malformed("md5", "algorithm is "+strconv.Quote(parts[0]))
	}
	return parts[1], nil
}

// Verify reports whether password matches encoded.
func (MD5) Verify(password, encoded string) (bool, error) {
	salt, err := md5Decode(encoded)
	if err != nil {
		return false, err
	}
	again := md5Encode(password, salt)
	return subtle.ConstantTimeCompare([]byte(encoded), []byte(again)) == 1, nil
}

// MustUpdate reports whether the salt of encoded carries less than 128 bits
// of entropy.
func (MD5) MustUpdate(encoded string) bool {
	salt, err := md5Decode(encoded)
	if err != nil {
		return false
	}
	return saltTooWeak(utf8.RuneCountInString(salt))
}

// Harden does nothing: MD5 has no work factor.
func (MD5) Harden(password, encoded string) {}
