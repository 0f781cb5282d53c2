package auth

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/staffroom/staffroom/orm"
)

// ThrottleConfig tunes login throttling, which is on unless Disabled.
// Failed logins are counted per client address and per username from that
// address (django-axes' combination of "ip_address" and
// "username + ip_address"); after MaxFailures in a row on either count,
// every further attempt it covers waits for a cool-off that doubles with
// each failure. So one address cannot spray passwords across usernames,
// nor hammer one username, while the owner of that username still logs in
// from an address that has not failed: an attacker cannot keep them out.
//
// A successful login clears the counts of the account that succeeded —
// the username's — and never the address's: otherwise an attacker with an
// account of their own would clear their address's count at will. The
// counts live in the database (ThrottleApp), so replicas share them;
// superusers see them in the admin and delete one to lift a lockout.
type ThrottleConfig struct {
	// Disabled turns throttling off.
	Disabled bool
	// LockUsername also counts each username's failures from any address
	// and locks the username everywhere after MaxFailures: it stops
	// guessing spread over many addresses, at the price that whoever
	// knows a username can keep its owner out for as long as they keep
	// failing. A verified second factor is the owner's way past such a
	// lock; until Staffroom has one, leave this off unless that price is
	// acceptable. Off by default.
	LockUsername bool
	// MaxFailures is how many failed logins in a row are allowed before
	// the first cool-off; default 10.
	MaxFailures int
	// CoolOff is the first wait; each further failure doubles it up to
	// MaxCoolOff. Defaults: one minute and one hour.
	CoolOff, MaxCoolOff time.Duration
	// ResetAfter forgets failures older than this that did not end in a
	// cool-off still running; default 24 hours.
	ResetAfter time.Duration
	// ClientAddress returns the address a login comes from; default: the
	// IP of r.RemoteAddr, IPv6 addresses reduced to their /64 network.
	// Behind a reverse proxy, return the client address the proxy reports.
	ClientAddress func(r *http.Request) string
}

func (c ThrottleConfig) withDefaults() ThrottleConfig {
	if c.MaxFailures <= 0 {
		c.MaxFailures = 10
	}
	if c.CoolOff <= 0 {
		c.CoolOff = time.Minute
	}
	if c.MaxCoolOff < c.CoolOff {
		c.MaxCoolOff = max(time.Hour, c.CoolOff)
	}
	if c.ResetAfter <= 0 {
		c.ResetAfter = 24 * time.Hour
	}
	if c.ClientAddress == nil {
		c.ClientAddress = RemoteAddress
	}
	return c
}

// ErrThrottled is matched (errors.Is) by the error Authenticate returns
// for a login refused by throttling; errors.As gives a *ThrottledError.
var ErrThrottled = errors.New("auth: too many failed logins")

// ThrottledError is a login refused because of too many failures. It does
// not tell which count (username or address) is exhausted, nor whether the
// username exists: unknown usernames are counted like known ones.
type ThrottledError struct {
	// RetryAfter is how long until the next attempt is accepted.
	RetryAfter time.Duration
}

func (e *ThrottledError) Error() string { return ErrThrottled.Error() }

// Is makes errors.Is(err, ErrThrottled) hold.
func (e *ThrottledError) Is(target error) bool { return target == ErrThrottled }

// Message is the text to show the visitor.
func (e *ThrottledError) Message() string {
	minutes := int((e.RetryAfter + time.Minute - 1) / time.Minute)
	unit := "minutes"
	if minutes <= 1 {
		minutes, unit = 1, "minute"
	}
	return "Too many failed login attempts. Please try again in " + strconv.Itoa(minutes) + " " + unit + "."
}

// RemoteAddress returns the IP address of r.RemoteAddr, an IPv6 address
// reduced to its /64 network, which one client usually holds whole.
func RemoteAddress(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	ip := net.ParseIP(host)
	if ip == nil {
		return host
	}
	if ip.To4() == nil {
		return ip.Mask(net.CIDRMask(64, 128)).String() + "/64"
	}
	return ip.String()
}

// throttle keeps the failure counts in the LoginThrottle table.
type throttle struct {
	db     *orm.DB
	cfg    ThrottleConfig
	secret string
	now    func() time.Time
}

// throttleKey is one count a login attempt falls under.
type throttleKey struct {
	key, scope, address, usernameKey string
	// account is true for the counts of the username, which a success
	// clears; false for the address's, which only time clears.
	account bool
}

// keys returns the counts of a password login: the client address, the
// username from that address and, with LockUsername (or outside a
// request), the username alone. Usernames are case folded, so case
// variants share a count where the database compares without case. Keys
// are HMACs, so a password typed into the username box is never written
// down.
func (t *throttle) keys(r *http.Request, c Credentials) []throttleKey {
	var out []throttleKey
	u, hasUser := c[CredentialUsername]
	u = strings.ToLower(strings.TrimSpace(u))
	if r != nil {
		addr := t.cfg.ClientAddress(r)
		out = append(out, throttleKey{key: t.key("address", addr), scope: ScopeAddress, address: addr})
		if hasUser {
			out = append(out, throttleKey{key: t.key("username+address", u+"\x00"+addr), scope: ScopeUsernameAddress,
				address: addr, usernameKey: t.UsernameKey(u), account: true})
		}
	}
	// The username's lock everywhere is the one a verified second factor
	// should let its owner past (two-factor is built separately): such a
	// login would leave this key out of attempt, keeping the others.
	if hasUser && (t.cfg.LockUsername || r == nil) {
		out = append(out, throttleKey{key: t.UsernameKey(u), scope: ScopeUsername, usernameKey: t.UsernameKey(u), account: true})
	}
	return out
}

// ThrottleUsernameKey returns LoginThrottle.UsernameKey of a username:
// the admin finds a username's throttle rows by it. It is "" when
// throttling is disabled.
func (a *Auth) ThrottleUsernameKey(username string) string {
	if a.throttle == nil {
		return ""
	}
	return a.throttle.UsernameKey(username)
}

// UsernameKey returns the HMAC a username's throttle rows carry
// (LoginThrottle.UsernameKey), so that they can be found by username.
func (t *throttle) UsernameKey(username string) string {
	return t.key("username", strings.ToLower(strings.TrimSpace(username)))
}

func (t *throttle) key(scope, value string) string {
	mac := hmac.New(sha256.New, []byte("staffroom.auth.throttle"+t.secret))
	mac.Write([]byte(scope + "\x00" + value))
	return hex.EncodeToString(mac.Sum(nil))
}

// attempt counts one login attempt against every key before the password
// is checked, so that concurrent guesses cannot slip past the limit. It
// returns how long the visitor must wait instead, counting nothing, when a
// key is cooling off.
func (t *throttle) attempt(ctx context.Context, keys []throttleKey) (time.Duration, error) {
	now := t.now()
	rows, err := orm.All[LoginThrottle](ctx, orm.For[LoginThrottle](t.db).Filter(orm.Q{"key__in": keyStrings(keys, false)}))
	if err != nil {
		return 0, fmt.Errorf("auth: throttle: %w", err)
	}
	var wait time.Duration
	for _, row := range rows {
		wait = max(wait, row.wait(now))
	}
	if wait > 0 {
		return wait, nil
	}
	for _, k := range keys {
		if wait, err := t.count(ctx, k, now); err != nil || wait > 0 {
			return wait, err
		}
	}
	return 0, nil
}

// count adds a failure to one key with a compare-and-swap on the row's
// attempt counter, retrying when another request got there first.
func (t *throttle) count(ctx context.Context, k throttleKey, now time.Time) (time.Duration, error) {
	for range 20 {
		row, err := orm.Get[LoginThrottle](ctx, orm.For[LoginThrottle](t.db), orm.Q{"key": k.key})
		if errors.Is(err, orm.ErrNotFound) {
			row = &LoginThrottle{Key: k.key, Scope: k.scope, Address: k.address, UsernameKey: k.usernameKey,
				Failures: 1, Attempts: 1, LastFailure: now, LockedUntil: t.lockUntil(1, now)}
			if err := t.db.Atomic(ctx, func(ctx context.Context) error { return t.db.Insert(ctx, row) }); err == nil {
				return 0, nil
			}
			continue // inserted meanwhile by another request
		}
		if err != nil {
			return 0, fmt.Errorf("auth: throttle: %w", err)
		}
		if wait := row.wait(now); wait > 0 {
			return wait, nil
		}
		failures := row.Failures + 1
		if row.LastFailure.Before(now.Add(-t.cfg.ResetAfter)) {
			failures = 1
		}
		var lock any // nil, or the end of the cool-off
		if until := t.lockUntil(failures, now); until != nil {
			lock = *until
		}
		n, err := orm.For[LoginThrottle](t.db).Filter(orm.Q{"pk": row.ID, "attempts": row.Attempts}).Update(ctx, map[string]any{
			"failures": failures, "attempts": row.Attempts + 1, "last_failure": now, "locked_until": lock})
		if err != nil {
			return 0, fmt.Errorf("auth: throttle: %w", err)
		}
		if n == 1 {
			return 0, nil
		}
	}
	// Heavy contention on one key is itself a sign of an attack.
	return t.cfg.CoolOff, nil
}

// lockUntil returns when the cool-off after the given number of failures
// ends, or nil while they are below the limit.
func (t *throttle) lockUntil(failures int32, now time.Time) *time.Time {
	if int(failures) < t.cfg.MaxFailures {
		return nil
	}
	d := t.cfg.CoolOff
	for i := t.cfg.MaxFailures; i < int(failures) && d < t.cfg.MaxCoolOff; i++ {
		d *= 2
	}
	until := now.Add(min(d, t.cfg.MaxCoolOff)).UTC()
	return &until
}

// succeeded settles the counts of a successful login: the account's are
// forgotten; the address's loses the failure attempt counted in advance,
// and nothing more.
func (t *throttle) succeeded(ctx context.Context, keys []throttleKey) error {
	if _, err := orm.For[LoginThrottle](t.db).Filter(orm.Q{"key__in": keyStrings(keys, true)}).Delete(ctx); err != nil {
		return fmt.Errorf("auth: throttle reset: %w", err)
	}
	for _, k := range keys {
		if !k.account {
			if err := t.uncount(ctx, k.key); err != nil {
				return err
			}
		}
	}
	return nil
}

// uncount takes back the failure attempt counted against key, with the
// same compare-and-swap as count. A cool-off running now was started by
// that very count (a key cooling off refuses the attempt before counting),
// so it ends too.
func (t *throttle) uncount(ctx context.Context, key string) error {
	for range 20 {
		row, err := orm.Get[LoginThrottle](ctx, orm.For[LoginThrottle](t.db), orm.Q{"key": key})
		if errors.Is(err, orm.ErrNotFound) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("auth: throttle: %w", err)
		}
		n, err := orm.For[LoginThrottle](t.db).Filter(orm.Q{"pk": row.ID, "attempts": row.Attempts}).Update(ctx, map[string]any{
			"failures": max(row.Failures-1, 0), "attempts": row.Attempts + 1, "locked_until": nil})
		if err != nil {
			return fmt.Errorf("auth: throttle: %w", err)
		}
		if n == 1 {
			return nil
		}
	}
	return nil
}

// keyStrings returns the keys of the counts, only the account's if
// accountOnly.
func keyStrings(keys []throttleKey, accountOnly bool) []string {
	var out []string
	for _, k := range keys {
		if k.account || !accountOnly {
			out = append(out, k.key)
		}
	}
	return out
}

// clearStale deletes the rows that count for nothing any more.
func (t *throttle) clearStale(ctx context.Context) (int64, error) {
	now := t.now()
	d, err := orm.For[LoginThrottle](t.db).Filter(orm.Q{"last_failure__lt": now.Add(-t.cfg.ResetAfter)},
		orm.Or(orm.Q{"locked_until__isnull": true}, orm.Q{"locked_until__lte": now})).Delete(ctx)
	if err != nil {
		return 0, fmt.Errorf("auth: clear stale throttles: %w", err)
	}
	var n int64
	for _, c := range d.Counts {
		n += int64(c.Count)
	}
	return n, nil
}
