package session

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"

	"github.com/staffroom/staffroom/internal/signing"
)

// idEncoding writes public session IDs with characters that need no
// escaping in an admin URL (the admin quotes "_").
var idEncoding = base64.NewEncoding("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-.").WithPadding(base64.NoPadding)

// idNonceSize is the size of the nonce at the start of an ID.
const idNonceSize = 12

// ID returns the public identifier of the session with the given key: the
// key encrypted with AES-256-GCM under a key derived from the secret key,
// with a nonce derived from the key itself, so that one session always
// has the same ID. It names a session where its key must not appear — the
// admin's URLs and log — and only the store turns it back (KeyOf): whoever
// sees an ID cannot use it as a cookie, nor learn anything of the key.
func (st *Store) ID(key string) string {
	aead, nonceKey := idCipher(st.cfg.SecretKey)
	nonce := signing.SaltedHMAC("staffroom.session.ID.nonce", key, string(nonceKey))[:idNonceSize]
	return idEncoding.EncodeToString(aead.Seal(nonce, nonce, []byte(key), nil))
}

// KeyOf returns the session key an ID was made from, under the secret key
// or one of the fallback keys; ok is false for anything else.
func (st *Store) KeyOf(id string) (key string, ok bool) {
	raw, err := idEncoding.DecodeString(id)
	if err != nil || len(raw) <= idNonceSize {
		return "", false
	}
	for _, secret := range st.keys {
		aead, _ := idCipher(secret)
		if plain, err := aead.Open(nil, raw[:idNonceSize], raw[idNonceSize:], nil); err == nil {
			return string(plain), true
		}
	}
	return "", false
}

// idCipher derives the cipher and the nonce key of IDs from a secret.
func idCipher(secret string) (cipher.AEAD, []byte) {
	block, err := aes.NewCipher(signing.SaltedHMAC("staffroom.session.ID.key", "encrypt", secret))
	if err != nil {
		panic("session: " + err.Error()) // a 32-byte key always makes a cipher
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		panic("session: " + err.Error())
	}
	return aead, signing.SaltedHMAC("staffroom.session.ID.key", "nonce", secret)
}

// Digest returns a short fingerprint of a session key for people to tell
// sessions apart: eight hex digits of its SHA-256, which say nothing
// usable about the key.
func Digest(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:4])
}
