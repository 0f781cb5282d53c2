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

// ThrottleConfig tunes login throttling, which is on unless Disabled:
// after MaxFailures failed logins in a row for one username, or from one
// client address, every further attempt waits for a cool-off that doubles
// with each failure. A successful login clears both counts. The counts
// live in the database (ThrottleApp), so replicas share them.
type ThrottleConfig struct {
	// Disabled turns throttling off.
	Disabled bool
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

// keys returns the counter keys of a password login: the username (case
// folded, so case variants share a count where the database compares
// without case) and the client address. They are stored as HMACs, so a
// password typed into the username box is never written down.
func (t *throttle) keys(r *http.Request, c Credentials) []string {
	var out []string
	if u, ok := c[CredentialUsername]; ok {
		out = append(out, t.key("username", strings.ToLower(strings.TrimSpace(u))))
	}
	if r != nil {
		out = append(out, t.key("address", t.cfg.ClientAddress(r)))
	}
	return out
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
func (t *throttle) attempt(ctx context.Context, keys []string) (time.Duration, error) {
	now := t.now()
	rows, err := orm.All[LoginThrottle](ctx, orm.For[LoginThrottle](t.db).Filter(orm.Q{"key__in": keys}))
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
func (t *throttle) count(ctx context.Context, key string, now time.Time) (time.Duration, error) {
	for range 20 {
		row, err := orm.Get[LoginThrottle](ctx, orm.For[LoginThrottle](t.db), orm.Q{"key": key})
		if errors.Is(err, orm.ErrNotFound) {
			row = &LoginThrottle{Key: key, Failures: 1, Attempts: 1, LastFailure: now, LockedUntil: t.lockUntil(1, now)}
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

// reset forgets the counts of a successful login.
func (t *throttle) reset(ctx context.Context, keys []string) error {
	if _, err := orm.For[LoginThrottle](t.db).Filter(orm.Q{"key__in": keys}).Delete(ctx); err != nil {
		return fmt.Errorf("auth: throttle reset: %w", err)
	}
	return nil
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
