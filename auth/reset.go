package auth

import (
	"context"
	"fmt"
	"strings"

	"golang.org/x/text/unicode/norm"

	"github.com/staffroom/staffroom/orm"
)

// PasswordResetTokens returns the generator of password reset tokens,
// keyed with the configured secret and fallback keys.
func (a *Auth) PasswordResetTokens() TokenGenerator { return a.tokens }

// PasswordResetUsers returns the users a reset mail for email goes to, as
// Django's PasswordResetForm.get_users: active users with a usable
// password whose address matches, ignoring case. The database's
// case-insensitive match is confirmed with a Unicode-aware comparison, so
// an address that only looks alike (another dotless i, say) matches
// nobody.
func (a *Auth) PasswordResetUsers(ctx context.Context, email string) ([]*User, error) {
	if strings.TrimSpace(email) == "" {
		return nil, nil
	}
	found, err := orm.All[User](ctx, orm.For[User](a.db).Filter(orm.Q{"email__iexact": email, "is_active": true}))
	if err != nil {
		return nil, fmt.Errorf("auth: password reset users: %w", err)
	}
	var out []*User
	for _, u := range found {
		if IsPasswordUsable(u.Password) && foldEqual(u.Email, email) {
			out = append(out, u)
		}
	}
	return out, nil
}

// foldEqual compares two strings under NFKC normalization and case
// folding, as Django's _unicode_ci_compare.
func foldEqual(a, b string) bool {
	return strings.EqualFold(norm.NFKC.String(a), norm.NFKC.String(b))
}

// SendMail delivers m through the configured Sender, from the configured
// address unless m names one.
func (a *Auth) SendMail(ctx context.Context, m Mail) error {
	if m.From == "" {
		m.From = a.mailFrom
	}
	return a.mail.Send(ctx, m)
}

// ChangePassword sets u's password to raw and saves the password column
// only. Every session of u made before ends, since its auth hash no
// longer matches; keep the current one with UpdateSessionAuthHash.
func (a *Auth) ChangePassword(ctx context.Context, u *User, raw string) error {
	if err := a.SetPassword(u, raw); err != nil {
		return err
	}
	if err := a.db.Update(ctx, u, "password"); err != nil {
		return fmt.Errorf("auth: change password of %s: %w", u.Username, err)
	}
	return nil
}

// CheckPassword reports whether raw is u's password, without upgrading
// the stored hash.
func (a *Auth) CheckPassword(u *User, raw string) bool {
	ok, _ := a.hashers.Check(raw, u.Password)
	return ok
}
