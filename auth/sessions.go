package auth

import (
	"net/http"
	"strconv"
)

// clientAddress is the address a request comes from, as throttling sees
// it (ThrottleConfig.ClientAddress), recorded with the session at login.
func (a *Auth) clientAddress(r *http.Request) string {
	if a.throttle != nil {
		return a.throttle.cfg.ClientAddress(r)
	}
	return RemoteAddress(r)
}

// SessionIsFor reports whether decoded session data keeps u logged in:
// it names u and carries u's current session auth hash (under the secret
// key or a fallback key), so a session that a password change ended does
// not count.
func (a *Auth) SessionIsFor(data map[string]any, u *User) bool {
	id, _ := data[SessionUserID].(string)
	hash, _ := data[SessionHash].(string)
	if u == nil || id != strconv.FormatInt(u.ID, 10) || hash == "" {
		return false
	}
	if constantEqual(hash, a.SessionAuthHash(u)) {
		return true
	}
	for _, key := range a.fallback {
		if constantEqual(hash, sessionAuthHash(u, key)) {
			return true
		}
	}
	return false
}
