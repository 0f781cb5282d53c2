package auth

import "time"

// SetClock replaces an Auth's clock, for tests.
func (a *Auth) SetClock(now func() time.Time) { a.now = now }
