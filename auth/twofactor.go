package auth

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/staffroom/staffroom/internal/signing"
	"github.com/staffroom/staffroom/orm"
)

// ErrWrongCode is the error of a second-factor code that is not (or no
// longer) valid: mistyped, expired, already used, or for another device.
var ErrWrongCode = errors.New("auth: wrong authentication code")

// ErrNoTwoFactor is the error of the two-factor methods of an Auth whose
// database lacks the two-factor tables (ThrottleApp not registered).
var ErrNoTwoFactor = errors.New("auth: two-factor sign-in needs auth.ThrottleApp() registered")

// RecoveryCodeCount is how many recovery codes a user gets at a time.
const RecoveryCodeCount = 10

// TOTPDevice is a row of staffroom_auth_totpdevice: a user's authenticator
// app. Its secrets are sealed with AES-GCM under a key derived from the
// secret key and bound to the user, so a database dump or a row copied to
// another user yields nothing usable; no admin page shows them.
type TOTPDevice struct {
	ID   int64
	User orm.OneToOne[User] `orm:"on_delete=cascade,editable=false"`
	// Secret is the confirmed secret; "" until a first code confirms it.
	Secret string `orm:"max_length=255,blank,editable=false"`
	// PendingSecret is a secret being enrolled, which replaces Secret
	// once a code made from it is typed.
	PendingSecret string `orm:"max_length=255,blank,editable=false,verbose_name='pending secret'"`
	// LastStep is the time step of the last code accepted; codes of that
	// step or earlier ones are refused, so that each code works once.
	LastStep int64     `orm:"editable=false,verbose_name='last step'"`
	Created  time.Time `orm:"editable=false"`
}

// Meta names the model.
func (TOTPDevice) Meta() orm.Meta {
	return orm.Meta{VerboseName: "TOTP device", VerboseNamePlural: "TOTP devices"}
}

func (d *TOTPDevice) String() string { return "TOTP device " + strconv.FormatInt(d.ID, 10) }

// RecoveryCode is a row of staffroom_auth_recoverycode: one single-use
// code that stands in for the authenticator, stored as a keyed hash.
type RecoveryCode struct {
	ID     int64
	User   orm.ForeignKey[User] `orm:"on_delete=cascade,editable=false"`
	Hash   string               `orm:"max_length=64,unique,editable=false"`
	UsedAt *time.Time           `orm:"blank,editable=false,verbose_name='used at'"`
}

// Meta names the model.
func (RecoveryCode) Meta() orm.Meta {
	return orm.Meta{VerboseName: "recovery code", VerboseNamePlural: "recovery codes"}
}

func (c *RecoveryCode) String() string { return c.Hash[:min(len(c.Hash), 12)] }

// TwoFactorStatus is where a user stands with two-factor sign-in.
type TwoFactorStatus struct {
	// Enabled is true once an authenticator is confirmed.
	Enabled bool
	// Pending is true while an enrolment waits for its first code.
	Pending bool
	// RecoveryCodesLeft counts the unused recovery codes.
	RecoveryCodesLeft int
}

// TwoFactor returns u's two-factor status; without the two-factor tables
// nobody has it enabled.
func (a *Auth) TwoFactor(ctx context.Context, u *User) (TwoFactorStatus, error) {
	if !a.twoFactor {
		return TwoFactorStatus{}, nil
	}
	d, err := a.device(ctx, u)
	if err != nil || d == nil {
		return TwoFactorStatus{}, err
	}
	st := TwoFactorStatus{Enabled: d.Secret != "", Pending: d.PendingSecret != ""}
	n, err := orm.For[RecoveryCode](a.db).Filter(orm.Q{"user": u.ID, "used_at__isnull": true}).Count(ctx)
	if err != nil {
		return st, fmt.Errorf("auth: two-factor status: %w", err)
	}
	st.RecoveryCodesLeft = int(n)
	return st, nil
}

// HasTwoFactor reports whether u has a confirmed authenticator.
func (a *Auth) HasTwoFactor(ctx context.Context, u *User) (bool, error) {
	st, err := a.TwoFactor(ctx, u)
	return st.Enabled, err
}

// device returns u's device row, or nil.
func (a *Auth) device(ctx context.Context, u *User) (*TOTPDevice, error) {
	d, err := orm.Get[TOTPDevice](ctx, orm.For[TOTPDevice](a.db), orm.Q{"user": u.ID})
	if errors.Is(err, orm.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("auth: load TOTP device: %w", err)
	}
	return d, nil
}

// BeginTOTP starts (or resumes) enrolling an authenticator for u and
// returns the base32 secret to show; the current authenticator, if any,
// keeps working until ConfirmTOTP replaces it.
func (a *Auth) BeginTOTP(ctx context.Context, u *User) (string, error) {
	if !a.twoFactor {
		return "", ErrNoTwoFactor
	}
	d, err := a.device(ctx, u)
	if err != nil {
		return "", err
	}
	if d != nil && d.PendingSecret != "" {
		if key, err := a.openSecret(d.PendingSecret, u.ID); err == nil {
			return totpEncoding.EncodeToString(key), nil
		}
	}
	secret := NewTOTPSecret()
	key, _ := decodeTOTPSecret(secret)
	sealed, err := a.sealSecret(key, u.ID)
	if err != nil {
		return "", err
	}
	if d == nil {
		d = &TOTPDevice{User: orm.O2O[User](u.ID), PendingSecret: sealed, Created: a.now().UTC()}
		err = a.db.Insert(ctx, d)
	} else {
		d.PendingSecret = sealed
		err = a.db.Update(ctx, d, "pending_secret")
	}
	if err != nil {
		return "", fmt.Errorf("auth: begin TOTP enrolment: %w", err)
	}
	return secret, nil
}

// ConfirmTOTP finishes the enrolment BeginTOTP started when code is the
// current code of the new secret: the secret becomes u's authenticator
// and u gets new recovery codes, returned in clear this once. A wrong
// code is ErrWrongCode, and counts towards throttling like one at login.
func (a *Auth) ConfirmTOTP(ctx context.Context, u *User, code string) ([]string, error) {
	if !a.twoFactor {
		return nil, ErrNoTwoFactor
	}
	keys, err := a.throttleCode(ctx, u)
	if err != nil {
		return nil, err
	}
	d, err := a.device(ctx, u)
	if err != nil {
		return nil, err
	}
	if d == nil || d.PendingSecret == "" {
		return nil, ErrWrongCode
	}
	key, err := a.openSecret(d.PendingSecret, u.ID)
	if err != nil {
		return nil, err
	}
	step, ok := matchTOTP(key, normaliseCode(code), a.now())
	if !ok {
		return nil, ErrWrongCode
	}
	var codes []string
	err = a.db.Atomic(ctx, func(ctx context.Context) error {
		d.Secret, d.PendingSecret, d.LastStep = d.PendingSecret, "", step
		if err := a.db.Update(ctx, d, "secret", "pending_secret", "last_step"); err != nil {
			return err
		}
		codes, err = a.replaceRecoveryCodes(ctx, u)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("auth: confirm TOTP: %w", err)
	}
	return codes, a.resetCodeThrottle(ctx, keys)
}

// VerifySecondFactor checks a code u typed as their second factor: the
// current code of their authenticator, accepted once (a code already
// used, or older than the last one used, is refused), or one of their
// unused recovery codes, which is then used up. A wrong code is
// ErrWrongCode. Wrong codes are throttled per user like failed logins
// (ThrottleConfig), and a password login does not clear them: while u is
// cooling off the error is a *ThrottledError and no code is checked.
func (a *Auth) VerifySecondFactor(ctx context.Context, u *User, code string) error {
	if !a.twoFactor {
		return ErrNoTwoFactor
	}
	keys, err := a.throttleCode(ctx, u)
	if err != nil {
		return err
	}
	code = normaliseCode(code)
	ok, err := a.useTOTP(ctx, u, code)
	if err == nil && !ok {
		ok, err = a.useRecoveryCode(ctx, u, code)
	}
	if err != nil {
		return err
	}
	if !ok {
		a.log.InfoContext(ctx, "auth: wrong second-factor code", "user", u.ID)
		return ErrWrongCode
	}
	return a.resetCodeThrottle(ctx, keys)
}

// useTOTP accepts the current code of u's authenticator once: the step it
// matched is recorded with a compare-and-swap, so that two requests
// racing with the same code cannot both succeed.
func (a *Auth) useTOTP(ctx context.Context, u *User, code string) (bool, error) {
	if len(code) != TOTPDigits {
		return false, nil
	}
	d, err := a.device(ctx, u)
	if err != nil || d == nil || d.Secret == "" {
		return false, err
	}
	key, err := a.openSecret(d.Secret, u.ID)
	if err != nil {
		return false, err
	}
	step, ok := matchTOTP(key, code, a.now())
	if !ok || step <= d.LastStep {
		return false, nil
	}
	n, err := orm.For[TOTPDevice](a.db).Filter(orm.Q{"pk": d.ID, "last_step__lt": step}).Update(ctx, map[string]any{"last_step": step})
	if err != nil {
		return false, fmt.Errorf("auth: use TOTP code: %w", err)
	}
	return n == 1, nil
}

// recoveryAlphabet is Crockford's base32 alphabet, without the letters
// that read as digits.
const recoveryAlphabet = "0123456789abcdefghjkmnpqrstvwxyz"

// newRecoveryCode returns a random code of 50 bits, shown as
// "xxxxx-xxxxx".
func newRecoveryCode() string {
	b := make([]byte, 10)
	rand.Read(b) // never fails (crypto/rand)
	for i := range b {
		b[i] = recoveryAlphabet[b[i]%32]
	}
	return string(b[:5]) + "-" + string(b[5:])
}

// recoveryHashes returns the hashes a normalised recovery code of u may
// be stored under: keyed with the secret key, then each fallback key.
// A fast keyed hash suffices: the codes are random, not chosen.
func (a *Auth) recoveryHashes(u *User, code string) []string {
	code = strings.NewReplacer("o", "0", "i", "1", "l", "1").Replace(code)
	value := strconv.FormatInt(u.ID, 10) + ":" + code
	var out []string
	for _, key := range append([]string{a.secret}, a.fallback...) {
		out = append(out, hex.EncodeToString(signing.SaltedHMAC("staffroom.auth.RecoveryCode", value, key)))
	}
	return out
}

// useRecoveryCode uses up one of u's unused recovery codes.
func (a *Auth) useRecoveryCode(ctx context.Context, u *User, code string) (bool, error) {
	if len(code) != 10 {
		return false, nil
	}
	n, err := orm.For[RecoveryCode](a.db).Filter(orm.Q{"user": u.ID, "hash__in": a.recoveryHashes(u, code), "used_at__isnull": true}).
		Update(ctx, map[string]any{"used_at": a.now().UTC()})
	if err != nil {
		return false, fmt.Errorf("auth: use recovery code: %w", err)
	}
	if n > 0 {
		a.log.InfoContext(ctx, "auth: recovery code used", "user", u.ID)
	}
	return n > 0, nil
}

// NewRecoveryCodes replaces u's recovery codes with new ones, returned in
// clear this once; u must have a confirmed authenticator.
func (a *Auth) NewRecoveryCodes(ctx context.Context, u *User) ([]string, error) {
	if ok, err := a.HasTwoFactor(ctx, u); err != nil || !ok {
		return nil, errors.Join(err, errors.New("auth: new recovery codes: two-factor sign-in is not set up"))
	}
	var codes []string
	err := a.db.Atomic(ctx, func(ctx context.Context) (err error) {
		codes, err = a.replaceRecoveryCodes(ctx, u)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("auth: new recovery codes: %w", err)
	}
	return codes, nil
}

func (a *Auth) replaceRecoveryCodes(ctx context.Context, u *User) ([]string, error) {
	if _, err := orm.For[RecoveryCode](a.db).Filter(orm.Q{"user": u.ID}).Delete(ctx); err != nil {
		return nil, err
	}
	codes := make([]string, RecoveryCodeCount)
	for i := range codes {
		codes[i] = newRecoveryCode()
		row := &RecoveryCode{User: orm.FK[User](u.ID), Hash: a.recoveryHashes(u, normaliseCode(codes[i]))[0]}
		if err := a.db.Insert(ctx, row); err != nil {
			return nil, err
		}
	}
	return codes, nil
}

// ResetTwoFactor removes u's authenticator and recovery codes: u signs in
// with the password alone again, or enrols anew where a second factor is
// required.
func (a *Auth) ResetTwoFactor(ctx context.Context, u *User) error {
	if !a.twoFactor {
		return ErrNoTwoFactor
	}
	err := a.db.Atomic(ctx, func(ctx context.Context) error {
		if _, err := orm.For[RecoveryCode](a.db).Filter(orm.Q{"user": u.ID}).Delete(ctx); err != nil {
			return err
		}
		_, err := orm.For[TOTPDevice](a.db).Filter(orm.Q{"user": u.ID}).Delete(ctx)
		return err
	})
	if err != nil {
		return fmt.Errorf("auth: reset two-factor sign-in: %w", err)
	}
	a.log.InfoContext(ctx, "auth: two-factor sign-in reset", "user", u.ID)
	return nil
}

// throttleCode counts an attempt at a code of u's against login
// throttling, keyed by the user alone (the password step already counts
// the address), and returns the key to clear on success.
func (a *Auth) throttleCode(ctx context.Context, u *User) ([]throttleKey, error) {
	if a.throttle == nil {
		return nil, nil
	}
	keys := []throttleKey{{key: a.throttle.key("second-factor", strconv.FormatInt(u.ID, 10)), scope: ScopeSecondFactor,
		usernameKey: a.throttle.UsernameKey(u.Username), account: true}}
	wait, err := a.throttle.attempt(ctx, keys)
	if err != nil {
		return nil, err
	}
	if wait > 0 {
		a.log.WarnContext(ctx, "auth: second factor throttled", "user", u.ID, "retry_after", wait)
		return nil, &ThrottledError{RetryAfter: wait}
	}
	return keys, nil
}

func (a *Auth) resetCodeThrottle(ctx context.Context, keys []throttleKey) error {
	if len(keys) == 0 {
		return nil
	}
	return a.throttle.succeeded(ctx, keys)
}
