package session_test

import (
	"strings"
	"testing"

	"github.com/staffroom/staffroom/session"
)

// TestID checks the public IDs of sessions: stable, opaque, only turned
// back by a store that knows the secret, and unusable as a key.
func TestID(t *testing.T) {
	st, err := session.NewStore(nil, session.Config{Engine: session.SignedCookies, SecretKey: "new", FallbackKeys: []string{"old"}})
	if err != nil {
		t.Fatal(err)
	}
	old, _ := session.NewStore(nil, session.Config{Engine: session.SignedCookies, SecretKey: "old"})
	other, _ := session.NewStore(nil, session.Config{Engine: session.SignedCookies, SecretKey: "other"})
	const key = "0123456789abcdefghijklmnopqrstuv"
	id := st.ID(key)
	if id != st.ID(key) || id == st.ID(key[:31]+"w") {
		t.Errorf("IDs are not one per key")
	}
	if strings.Contains(id, key[:8]) || strings.ContainsAny(id, "_/+=%") {
		t.Errorf("ID %q", id)
	}
	tampered := id[:len(id)-2] + "AA"
	if tampered == id {
		tampered = id[:len(id)-2] + "BB"
	}
	for name, tc := range map[string]struct {
		st *session.Store
		id string
		ok bool
	}{
		"same secret":     {st, id, true},
		"fallback secret": {st, old.ID(key), true},
		"unknown secret":  {st, other.ID(key), false},
		"no fallback":     {old, id, false},
		"the key":         {st, key, false},
		"tampered":        {st, tampered, false},
		"truncated":       {st, id[:10], false},
		"empty":           {st, "", false},
		"not base64":      {st, "!!", false},
	} {
		got, ok := tc.st.KeyOf(tc.id)
		if ok != tc.ok || (ok && got != key) {
			t.Errorf("%s: KeyOf = %q, %v", name, got, ok)
		}
	}
	if d := session.Digest(key); len(d) != 8 || strings.Contains(key, d) {
		t.Errorf("Digest = %q", d)
	}
	if s := (&session.Session{SessionKey: key}).String(); s != session.Digest(key) {
		t.Errorf("String = %q", s)
	}
}
