package auth

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// SummaryItem is one labelled part of a stored password hash, safe to
// show: salts and hashes are masked.
type SummaryItem struct {
	Label, Value string
}

// The notes Summary gives instead of items, Django's.
const (
	NoPasswordSet      = "No password set."
	InvalidPasswordFmt = "Invalid password format or unknown hashing algorithm."
)

// Summary describes a stored password for display, as Django's
// ReadOnlyPasswordHashWidget does with each hasher's safe_summary: the
// algorithm and its parameters, with only the first characters of the
// salt and of the hash. For an unusable password, or one no hasher here
// can read, it returns no items and a note instead.
func (h PasswordHashers) Summary(encoded string) (items []SummaryItem, note string) {
	if !IsPasswordUsable(encoded) {
		return nil, NoPasswordSet
	}
	hasher, err := h.Identify(encoded)
	if err != nil {
		return nil, InvalidPasswordFmt
	}
	if items = summarize(hasher.Algorithm(), encoded); items == nil {
		return nil, InvalidPasswordFmt
	}
	return items, ""
}

// summarize splits an encoded password of a known algorithm into its
// parts, or returns nil when it does not have the expected shape.
func summarize(algorithm, encoded string) []SummaryItem {
	item := func(label, value string) SummaryItem { return SummaryItem{label, value} }
	parts := strings.Split(encoded, "$")
	switch {
	case (algorithm == "pbkdf2_sha256" || algorithm == "pbkdf2_sha1") && len(parts) == 4:
		return []SummaryItem{item("algorithm", algorithm), item("iterations", parts[1]),
			item("salt", maskHash(parts[2], 6)), item("hash", maskHash(parts[3], 6))}
	case algorithm == "argon2":
		a, err := argon2Decode(encoded)
		if err != nil {
			return nil
		}
		return []SummaryItem{item("algorithm", algorithm), item("variety", a.variant), item("version", strconv.Itoa(a.version)),
			item("memory cost", strconv.Itoa(int(a.m))), item("time cost", strconv.Itoa(int(a.t))), item("parallelism", strconv.Itoa(int(a.p))),
			item("salt", maskHash(argon2B64.EncodeToString(a.salt), 6)), item("hash", maskHash(argon2B64.EncodeToString(a.hash), 6))}
	case algorithm == "bcrypt_sha256" && len(parts) == 5 && len(parts[4]) > 22:
		return []SummaryItem{item("algorithm", algorithm), item("work factor", parts[3]),
			item("salt", maskHash(parts[4][:22], 6)), item("checksum", maskHash(parts[4][22:], 6))}
	case algorithm == "scrypt" && len(parts) == 6:
		return []SummaryItem{item("algorithm", algorithm), item("work factor", parts[1]), item("block size", parts[3]),
			item("parallelism", parts[4]), item("salt", maskHash(parts[2], 6)), item("hash", maskHash(parts[5], 6))}
	case algorithm == "md5" && len(parts) == 3:
		return []SummaryItem{item("algorithm", algorithm), item("salt", maskHash(parts[1], 2)), item("hash", maskHash(parts[2], 6))}
	}
	return nil
}

// maskHash keeps the first show characters and replaces the others by
// asterisks, Django's mask_hash.
func maskHash(s string, show int) string {
	n := utf8.RuneCountInString(s)
	if n <= show {
		return s
	}
	r := []rune(s)
	return string(r[:show]) + strings.Repeat("*", n-show)
}
