package session

import (
	"strings"
	"testing"
)

func TestNewKey(t *testing.T) {
	seen := map[string]bool{}
	counts := map[rune]int{}
	for range 2000 {
		k := newKey()
		if len(k) != KeyLength || strings.Trim(k, keyChars) != "" {
			t.Fatalf("key %q: want %d characters of [a-z0-9]", k, KeyLength)
		}
		if seen[k] {
			t.Fatalf("key %q made twice", k)
		}
		seen[k] = true
		for _, c := range k {
			counts[c]++
		}
	}
	// 64,000 characters over 36 symbols: about 1,778 each. A symbol missing
	// or far off would mean a broken generator, not bad luck.
	for _, c := range keyChars {
		if n := counts[c]; n < 1400 || n > 2200 {
			t.Errorf("character %q appeared %d times", c, n)
		}
	}
}

func TestValidKey(t *testing.T) {
	for key, want := range map[string]bool{
		"": false, "1234567": false, "12345678": true,
		strings.Repeat("a", 40): true, strings.Repeat("a", 41): false,
	} {
		if got := validKey(key); got != want {
			t.Errorf("validKey(%q) = %v, want %v", key, got, want)
		}
	}
}
