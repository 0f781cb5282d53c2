package signing

import (
	"errors"
	"math"
	"strings"
)

// base62Alphabet is Django's BASE62_ALPHABET: digits, then upper-case, then
// lower-case letters.
const base62Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

var errBase62 = errors.New("signing: invalid base62 number")

// B62Encode writes n in Django's base62 (digits, upper-case, lower-case
// letters), with a leading "-" for negative numbers; 0 is "0".
func B62Encode(n int64) string {
	if n == 0 {
		return "0"
	}
	u := uint64(n)
	if n < 0 {
		u = -u // two's complement magnitude, also right for math.MinInt64
	}
	var buf [12]byte // 62^11 > 2^64
	i := len(buf)
	for u > 0 {
		i--
		buf[i] = base62Alphabet[u%62]
		u /= 62
	}
	if n < 0 {
		return "-" + string(buf[i:])
	}
	return string(buf[i:])
}

// B62Decode reads a number written by B62Encode. It fails on an empty
// string, a character outside the alphabet or a value that overflows int64.
func B62Decode(s string) (int64, error) {
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	if s == "" {
		return 0, errBase62
	}
	var u uint64
	for i := 0; i < len(s); i++ {
		d := strings.IndexByte(base62Alphabet, s[i])
		if d < 0 {
			return 0, errBase62
		}
		if u > (math.MaxUint64-uint64(d))/62 {
			return 0, errBase62
		}
		u = u*62 + uint64(d)
	}
	switch {
	case !neg && u <= math.MaxInt64:
		return int64(u), nil
	case neg && u <= 1<<63:
		return -int64(u), nil // for 1<<63 the wrap-around yields MinInt64
	}
	return 0, errBase62
}
