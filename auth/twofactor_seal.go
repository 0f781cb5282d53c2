package auth

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"strconv"
	"strings"

	"github.com/staffroom/staffroom/internal/signing"
)

// totpAEAD returns the cipher sealing TOTP secrets under one secret key.
func totpAEAD(secretKey string) cipher.AEAD {
	key := signing.SaltedHMAC("staffroom.auth.TOTPDevice.secret", "encryption key", secretKey)
	block, _ := aes.NewCipher(key) // a 32-byte key never fails
	aead, _ := cipher.NewGCM(block)
	return aead
}

// sealSecret encrypts a TOTP key for user id under the secret key.
func (a *Auth) sealSecret(key []byte, id int64) (string, error) {
	aead := totpAEAD(a.secret)
	nonce := make([]byte, aead.NonceSize())
	rand.Read(nonce) // never fails (crypto/rand)
	sealed := aead.Seal(nonce, nonce, key, []byte("user:"+strconv.FormatInt(id, 10)))
	return "aesgcm$" + base64.RawStdEncoding.EncodeToString(sealed), nil
}

// openSecret decrypts a sealed TOTP key of user id with the secret key or
// a fallback key.
func (a *Auth) openSecret(sealed string, id int64) ([]byte, error) {
	raw, ok := strings.CutPrefix(sealed, "aesgcm$")
	b, err := base64.RawStdEncoding.DecodeString(raw)
	if !ok || err != nil {
		return nil, errors.New("auth: TOTP secret: unknown format")
	}
	for _, k := range append([]string{a.secret}, a.fallback...) {
		aead := totpAEAD(k)
		if len(b) < aead.NonceSize() {
			break
		}
		key, err := aead.Open(nil, b[:aead.NonceSize()], b[aead.NonceSize():], []byte("user:"+strconv.FormatInt(id, 10)))
		if err == nil {
			return key, nil
		}
	}
	return nil, errors.New("auth: TOTP secret: sealed with another secret key")
}
