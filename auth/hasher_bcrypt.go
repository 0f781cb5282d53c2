package auth

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/crypto/bcrypt"
)

// defaultBCryptCost is Django's bcrypt work factor (log2 rounds).
const defaultBCryptCost = 12

const bcryptSHA256Prefix = "bcrypt_sha256$"

// BCryptSHA256 is Django's "bcrypt_sha256" hasher: bcrypt over the
// lowercase hex SHA-256 digest of the password (which avoids bcrypt's
// 72-byte limit), encoded as bcrypt_sha256$ followed by the bcrypt string,
// e.g. bcrypt_sha256$$2b$12$<salt and hash>. Bcrypt makes its own salt.
type BCryptSHA256 struct {
	// Cost is the bcrypt work factor, from 4 to 31; zero means 12.
	Cost int
}

func (h BCryptSHA256) cost() int {
	if h.Cost == 0 {
		return defaultBCryptCost
	}
	return h.Cost
}

// Algorithm returns "bcrypt_sha256".
func (BCryptSHA256) Algorithm() string { return "bcrypt_sha256" }

func bcryptPassword(password string) []byte {
	sum := sha256.Sum256([]byte(password))
	return []byte(hex.EncodeToString(sum[:]))
}

// Encode hashes password with a fresh bcrypt salt; the salt argument is
// ignored.
func (h BCryptSHA256) Encode(password, salt string) (string, error) {
	cost := h.cost()
	if cost < bcrypt.MinCost || cost > bcrypt.MaxCost {
		return "", fmt.Errorf("auth: bcrypt cost %d out of range %d..%d", cost, bcrypt.MinCost, bcrypt.MaxCost)
	}
	data, err := bcrypt.GenerateFromPassword(bcryptPassword(password), cost)
	if err != nil {
		return "", err
	}
	// Go writes the "2a" variant; Django's bcrypt writes "2b", which is the
	// same computation for the 64-byte inputs used here.
	s := string(data)
	if strings.HasPrefix(s, "$2a$") {
		s = "$2b$" + s[4:]
	}
	return bcryptSHA256Prefix + s, nil
}

const bcryptAlphabet = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

// bcryptDecode returns the bcrypt string of encoded and its cost, checking
// the layout $2<a|b|y>$<cost>$<53 characters>.
func bcryptDecode(encoded string) (data string, cost int, err error) {
	data, ok := strings.CutPrefix(encoded, bcryptSHA256Prefix)
	if !ok {
		return "", 0, malformed("bcrypt_sha256", "missing bcrypt_sha256$ prefix")
	}
	if len(data) != 60 || data[0] != '$' || data[1] != '2' || data[3] != '$' || data[6] != '$' ||
		!strings.ContainsRune("aby", rune(data[2])) {
		return "", 0, malformed("bcrypt_sha256", "not a bcrypt string")
	}
	cost, err = strconv.Atoi(data[4:6])
	if err != nil || cost < bcrypt.MinCost || cost > bcrypt.MaxCost {
		return "", 0, malformed("bcrypt_sha256", "bad cost")
	}
	for i := 7; i < len(data); i++ {
		if strings.IndexByte(bcryptAlphabet, data[i]) < 0 {
			return "", 0, malformed("bcrypt_sha256", "bad character in salt or hash")
		}
	}
	return data, cost, nil
}

// Verify reports whether password matches encoded, using the cost stored
// in encoded.
func (BCryptSHA256) Verify(password, encoded string) (bool, error) {
	data, _, err := bcryptDecode(encoded)
	if err != nil {
		return false, err
	}
	err = bcrypt.CompareHashAndPassword([]byte(data), bcryptPassword(password))
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, bcrypt.ErrMismatchedHashAndPassword):
		return false, nil
	default:
		return false, malformed("bcrypt_sha256", err.Error())
	}
}

// MustUpdate reports whether encoded uses another cost than h.
func (h BCryptSHA256) MustUpdate(encoded string) bool {
	_, cost, err := bcryptDecode(encoded)
	if err != nil {
		return false
	}
	return cost != h.cost()
}

// Harden repeats the bcrypt computation at the stored cost
// 2^(h.Cost-stored)-1 more times, so that a lower stored cost takes as long
// as the current one.
func (h BCryptSHA256) Harden(password, encoded string) {
	data, cost, err := bcryptDecode(encoded)
	if err != nil {
		return
	}
	diff := h.cost() - cost
	if diff <= 0 || diff > 30 {
		return
	}
	pw := bcryptPassword(password)
	for i := (1 << diff) - 1; i > 0; i-- {
		_ = bcrypt.CompareHashAndPassword([]byte(data), pw)
	}
}
