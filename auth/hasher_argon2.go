package auth

import (
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/crypto/argon2"
)

// Django's Argon2 parameters.
const (
	defaultArgon2Time    = 2
	defaultArgon2Memory  = 102400
	defaultArgon2Threads = 8
	argon2HashLen        = 32
	argon2Version        = 19

	// Limits enforced by the reference implementation (libargon2).
	argon2MinSaltLen = 8
	argon2MinHashLen = 4
)

// Argon2 is Django's "argon2" hasher: argon2id producing a 32-byte hash
// (see HashLen), encoded as "argon2" followed by the PHC string,
// argon2$argon2id$v=19$m=<KiB>,t=<passes>,p=<lanes>$<salt>$<hash> with
// unpadded standard base64. Verification also accepts argon2i and any
// parameters stored in the value.
type Argon2 struct {
	// Time is the number of passes; zero means 2.
	Time uint32
	// MemoryKiB is the memory cost in KiB; zero means 102400.
	MemoryKiB uint32
	// Threads is the parallelism (at most 255); zero means 8.
	Threads uint32
	// HashLen is the length in bytes of the hashes Encode makes. Zero
	// means 32, and MustUpdate then ignores the stored hash's length, so
	// Django's 16-byte hashes are kept. Set, it is compared as Django
	// compares it (Django writes 16 bytes, argon2-cffi's default): a hash
	// of another length must be updated. DjangoHashers sets 16.
	HashLen uint32
}

func (h Argon2) hashLen() uint32 {
	if h.HashLen == 0 {
		return argon2HashLen
	}
	return h.HashLen
}

func (h Argon2) params() (t, m, p uint32) {
	t, m, p = h.Time, h.MemoryKiB, h.Threads
	if t == 0 {
		t = defaultArgon2Time
	}
	if m == 0 {
		m = defaultArgon2Memory
	}
	if p == 0 {
		p = defaultArgon2Threads
	}
	return t, m, p
}

// Algorithm returns "argon2".
func (Argon2) Algorithm() string { return "argon2" }

// argon2Params are the fields of a decoded argon2 value.
type argon2Params struct {
	variant string // "argon2id" or "argon2i"
	version int
	t, m, p uint32
	salt    []byte
	hash    []byte
}

var argon2B64 = base64.RawStdEncoding

func (a argon2Params) compute(password string) []byte {
	keyLen := uint32(len(a.hash))
	if a.variant == "argon2i" {
		return argon2.Key([]byte(password), a.salt, a.t, a.m, uint8(a.p), keyLen)
	}
	return argon2.IDKey([]byte(password), a.salt, a.t, a.m, uint8(a.p), keyLen)
}

func (a argon2Params) String() string {
	return fmt.Sprintf("argon2$%s$v=%d$m=%d,t=%d,p=%d$%s$%s", a.variant, a.version, a.m, a.t, a.p,
		argon2B64.EncodeToString(a.salt), argon2B64.EncodeToString(a.hash))
}

// check applies the parameter limits of the reference implementation.
func (a argon2Params) check() error {
	switch {
	case a.t < 1:
		return fmt.Errorf("time cost must be at least 1")
	case a.p < 1 || a.p > 255:
		return fmt.Errorf("parallelism must be between 1 and 255")
	case uint64(a.m) < 8*uint64(a.p):
		return fmt.Errorf("memory cost must be at least 8 KiB per lane")
	case len(a.salt) < argon2MinSaltLen:
		return fmt.Errorf("salt must be at least %d bytes", argon2MinSaltLen)
	case len(a.hash) < argon2MinHashLen:
		return fmt.Errorf("hash must be at least %d bytes", argon2MinHashLen)
	}
	return nil
}

// Encode hashes password with salt using argon2id. The salt's bytes are
// used as they are, as Django does; an empty salt means a fresh random salt
// of 22 characters [a-zA-Z0-9] (more than 128 bits).
func (h Argon2) Encode(password, salt string) (string, error) {
	salt, err := checkSalt(salt)
	if err != nil {
		return "", err
	}
	t, m, p := h.params()
	a := argon2Params{variant: "argon2id", version: argon2Version, t: t, m: m, p: p,
		salt: []byte(salt), hash: make([]byte, h.hashLen())}
	if err := a.check(); err != nil {
		return "", fmt.Errorf("auth: argon2: %w", err)
	}
	a.hash = a.compute(password)
	return a.String(), nil
}

func argon2Decode(encoded string) (argon2Params, error) {
	var a argon2Params
	bad := func(why string) (argon2Params, error) { return argon2Params{}, malformed("argon2", why) }
	rest, ok := strings.CutPrefix(encoded, "argon2$")
	if !ok {
		return bad("missing argon2$ prefix")
	}
	parts := strings.Split(rest, "$")
	if len(parts) == 4 {
		return bad("argon2 version 1.0 (no v=) is not supported")
	}
	if len(parts) != 5 {
		return bad("expected variant, version, parameters, salt and hash")
	}
	a.variant = parts[0]
	if a.variant != "argon2id" && a.variant != "argon2i" {
		return bad("unsupported variant " + strconv.Quote(a.variant))
	}
	v, ok := strings.CutPrefix(parts[1], "v=")
	if !ok {
		return bad("bad version field")
	}
	version, err := strconv.Atoi(v)
	if err != nil || version != argon2Version {
		return bad("unsupported version " + strconv.Quote(v))
	}
	a.version = version
	fields := strings.Split(parts[2], ",")
	if len(fields) != 3 {
		return bad("expected m, t and p")
	}
	seen := map[string]bool{}
	for _, f := range fields {
		key, val, ok := strings.Cut(f, "=")
		n, err := strconv.ParseUint(val, 10, 32)
		if !ok || err != nil || seen[key] {
			return bad("bad parameter " + strconv.Quote(f))
		}
		seen[key] = true
		switch key {
		case "m":
			a.m = uint32(n)
		case "t":
			a.t = uint32(n)
		case "p":
			a.p = uint32(n)
		default:
			return bad("unknown parameter " + strconv.Quote(key))
		}
	}
	if a.salt, err = argon2B64.DecodeString(strings.TrimRight(parts[3], "=")); err != nil {
		return bad("bad salt encoding")
	}
	if a.hash, err = argon2B64.DecodeString(strings.TrimRight(parts[4], "=")); err != nil {
		return bad("bad hash encoding")
	}
	if err := a.check(); err != nil {
		return bad(err.Error())
	}
	return a, nil
}

// Verify reports whether password matches encoded, using the variant,
// parameters and hash length stored in encoded.
func (Argon2) Verify(password, encoded string) (bool, error) {
	a, err := argon2Decode(encoded)
	if err != nil {
		return false, err
	}
	return subtle.ConstantTimeCompare(a.compute(password), a.hash) == 1, nil
}

// MustUpdate reports whether encoded is not argon2id version 19 with h's
// time, memory and parallelism, or its salt carries less than 128 bits of
// entropy, or (only when h.HashLen is set) its hash has another length.
// With HashLen zero the length is not compared, so Django's own 16-byte
// hashes are not re-hashed for that alone.
func (h Argon2) MustUpdate(encoded string) bool {
	a, err := argon2Decode(encoded)
	if err != nil {
		return false
	}
	t, m, p := h.params()
	return a.variant != "argon2id" || a.version != argon2Version ||
		a.t != t || a.m != m || a.p != p || saltTooWeak(len(a.salt)) ||
		(h.HashLen != 0 && uint32(len(a.hash)) != h.HashLen)
}

// Harden does nothing, as in Django.
func (Argon2) Harden(password, encoded string) {}
