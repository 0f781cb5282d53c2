package auth

import (
	"crypto/subtle"
	"encoding/base64"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/scrypt"
)

// Django 5.2's scrypt parameters.
const (
	defaultScryptN = 1 << 14
	defaultScryptR = 8
	defaultScryptP = 5
	scryptKeyLen   = 64
)

// Scrypt is Django's "scrypt" hasher, encoded as
// scrypt$<N>$<salt>$<r>$<p>$<base64 64-byte key>.
type Scrypt struct {
	// N is the CPU/memory cost (a power of two); zero means 16384.
	N int
	// R is the block size; zero means 8.
	R int
	// P is the parallelism; zero means Django 5.2's 5.
	P int
}

func (h Scrypt) params() (n, r, p int) {
	n, r, p = h.N, h.R, h.P
	if n <= 0 {
		n = defaultScryptN
	}
	if r <= 0 {
		r = defaultScryptR
	}
	if p <= 0 {
		p = defaultScryptP
	}
	return n, r, p
}

// Algorithm returns "scrypt".
func (Scrypt) Algorithm() string { return "scrypt" }

// Encode hashes password with salt (fresh when empty).
func (h Scrypt) Encode(password, salt string) (string, error) {
	salt, err := checkSalt(salt)
	if err != nil {
		return "", err
	}
	n, r, p := h.params()
	return scryptEncode(password, salt, n, r, p)
}

func scryptEncode(password, salt string, n, r, p int) (string, error) {
	key, err := scrypt.Key([]byte(password), []byte(salt), n, r, p, scryptKeyLen)
	if err != nil {
		return "", err
	}
	return "scrypt$" + strconv.Itoa(n) + "$" + salt + "$" + strconv.Itoa(r) + "$" +
		strconv.Itoa(p) + "$" + base64.StdEncoding.EncodeToString(key), nil
}

func scryptDecode(encoded string) (n int, salt string, r, p int, err error) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 {
		return 0, "", 0, 0, malformed("scrypt", "expected 6 fields")
	}
	if parts[0] != "scrypt" {
		return 0, "", 0, 0, malformed("scrypt", "algorithm is "+strconv.Quote(parts[0]))
	}
	var nums [3]int
	for i, s := range []string{parts[1], parts[3], parts[4]} {
		v, err := strconv.Atoi(s)
		if err != nil || v < 1 {
			return 0, "", 0, 0, malformed("scrypt", "bad parameter "+strconv.Quote(s))
		}
		nums[i] = v
	}
	return nums[0], parts[2], nums[1], nums[2], nil
}

// Verify reports whether password matches encoded, using the N, r and p
// stored in encoded.
func (Scrypt) Verify(password, encoded string) (bool, error) {
	n, salt, r, p, err := scryptDecode(encoded)
	if err != nil {
		return false, err
	}
	again, err := scryptEncode(password, salt, n, r, p)
	if err != nil {
		return false, malformed("scrypt", err.Error())
	}
	return subtle.ConstantTimeCompare([]byte(encoded), []byte(again)) == 1, nil
}

// MustUpdate reports whether encoded uses other N, r or p than h, or a salt
// with less than 128 bits of entropy.
func (h Scrypt) MustUpdate(encoded string) bool {
	n, salt, r, p, err := scryptDecode(encoded)
	if err != nil {
		return false
	}
	wn, wr, wp := h.params()
	return n != wn || r != wr || p != wp || saltTooWeak(utf8.RuneCountInString(salt))
}

// Harden does nothing, as in Django.
func (Scrypt) Harden(password, encoded string) {}
