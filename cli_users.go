package staffroom

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"golang.org/x/term"

	"github.com/staffroom/staffroom/auth"
	"github.com/staffroom/staffroom/orm"
)

// passwordTries is how many times the commands ask for a password, as
// Django's changepassword.
const passwordTries = 3

// CreateUser adds an active user; a superuser is also staff. The password
// is not checked by the validators: the commands do that before.
func CreateUser(ctx context.Context, app *App, username, email, password string, superuser bool) (*auth.User, error) {
	if username == "" {
		return nil, errors.New("a username is required")
	}
	switch _, err := orm.Get[auth.User](ctx, orm.For[auth.User](app.DB), orm.Q{"username": username}); {
	case err == nil:
		return nil, errors.New("Error: That username is already taken.")
	case !errors.Is(err, orm.ErrNotFound):
		return nil, err
	}
	u := &auth.User{Username: username, Email: email, IsActive: true, IsStaff: superuser, IsSuperuser: superuser, DateJoined: time.Now().UTC()}
	if err := app.Auth.SetPassword(u, password); err != nil {
		return nil, err
	}
	if err := app.DB.Insert(ctx, u); err != nil {
		return nil, err
	}
	return u, nil
}

func createSuperuserFlags(fs *flag.FlagSet) runFunc {
	noinput := fs.Bool("noinput", false, "ask nothing; the password comes from\nSTAFFROOM_SUPERUSER_PASSWORD")
	username := fs.String("username", "", "the user's `NAME` (required with --noinput)")
	email := fs.String("email", "", "the user's email `ADDRESS`")
	return withApp(func(ctx context.Context, c *call, app *App) error {
		if _, err := app.Migrate(ctx); err != nil {
			return err
		}
		return createSuperuser(ctx, app, c.env, *noinput, *username, *email)
	})
}

// createSuperuser asks for (or, with noinput, reads) a username, an email
// address and a password that the validators accept, unless the operator
// asked interactively to bypass them.
func createSuperuser(ctx context.Context, app *App, env Env, noinput bool, username, email string) error {
	var password string
	if noinput {
		password = env.Getenv("STAFFROOM_SUPERUSER_PASSWORD")
		if username == "" {
			return errors.New("--noinput needs --username")
		}
		if password == "" {
			return errors.New("--noinput needs the password in STAFFROOM_SUPERUSER_PASSWORD")
		}
		if err := app.Auth.ValidatePassword(password, &auth.User{Username: username, Email: email}); err != nil {
			return fmt.Errorf("the password in STAFFROOM_SUPERUSER_PASSWORD is refused:\n%s", passwordMessages(err))
		}
	} else {
		in := bufio.NewReader(env.Stdin)
		var err error
		if username == "" {
			if username, err = prompt(in, env.Stdout, "Username: "); err != nil {
				return err
			}
		}
		if email == "" {
			if email, err = prompt(in, env.Stdout, "Email address: "); err != nil {
				return err
			}
		}
		if password, err = newSuperuserPassword(in, env, app.Auth, &auth.User{Username: username, Email: email}); err != nil {
			return err
		}
	}
	if _, err := CreateUser(ctx, app, username, email, password, true); err != nil {
		if strings.Contains(err.Error(), "already taken") {
			// A superuser locked out is better helped than replaced.
			err = fmt.Errorf("%w\nTo regain that account, use changepassword %s, and resettwofactor %s if its second factor is lost.", err, username, username)
		}
		return err
	}
	fmt.Fprintln(env.Stdout, "Superuser created successfully.")
	return nil
}

// newSuperuserPassword asks for a password twice; one the validators
// refuse is taken only when the operator answers y to the bypass question.
func newSuperuserPassword(in *bufio.Reader, env Env, a *auth.Auth, u *auth.User) (string, error) {
	for range passwordTries {
		p1, err := promptSecret(in, env, "Password: ")
		if err != nil {
			return "", err
		}
		p2, err := promptSecret(in, env, "Password (again): ")
		if err != nil {
			return "", err
		}
		if p1 != p2 {
			fmt.Fprintln(env.Stderr, "Error: Your passwords didn't match.")
			continue
		}
		if strings.TrimSpace(p1) == "" {
			fmt.Fprintln(env.Stderr, "Error: Blank passwords aren't allowed.")
			continue
		}
		if err := a.ValidatePassword(p1, u); err != nil {
			fmt.Fprintln(env.Stderr, passwordMessages(err))
			answer, err := prompt(in, env.Stdout, "Bypass password validation and create user anyway? [y/N]: ")
			if err != nil {
				return "", err
			}
			if strings.ToLower(answer) != "y" {
				continue
			}
		}
		return p1, nil
	}
	return "", errors.New("too many attempts")
}

// changePassword sets a user's password, asking until two entries match
// and the validators accept them, at most passwordTries times.
func changePassword(ctx context.Context, c *call, app *App) error {
	env, username := c.env, c.args[0]
	u, err := orm.Get[auth.User](ctx, orm.For[auth.User](app.DB), orm.Q{"username": username})
	if errors.Is(err, orm.ErrNotFound) {
		return fmt.Errorf("user %q does not exist", username)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "Changing password for user '%s'\n", username)
	in := bufio.NewReader(env.Stdin)
	for range passwordTries {
		p1, err := promptSecret(in, env, "Password: ")
		if err != nil {
			return err
		}
		p2, err := promptSecret(in, env, "Password (again): ")
		if err != nil {
			return err
		}
		if p1 != p2 {
			fmt.Fprintln(env.Stdout, "Passwords do not match. Please try again.")
			continue
		}
		if err := app.Auth.ValidatePassword(p1, u); err != nil {
			fmt.Fprintln(env.Stderr, passwordMessages(err))
			continue
		}
		if err := app.Auth.SetPassword(u, p1); err != nil {
			return err
		}
		if err := app.DB.Update(ctx, u, "password"); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "Password changed successfully for user '%s'\n", username)
		return nil
	}
	return fmt.Errorf("Aborting password change for user '%s' after %d attempts", username, passwordTries)
}

// passwordMessages returns a validation error's messages, one per line.
func passwordMessages(err error) string {
	var pe *auth.PasswordError
	if errors.As(err, &pe) {
		return strings.Join(pe.Messages, "\n")
	}
	return err.Error()
}

func prompt(in *bufio.Reader, out io.Writer, label string) (string, error) {
	fmt.Fprint(out, label)
	line, err := in.ReadString('\n')
	if err != nil && line == "" {
		return "", fmt.Errorf("reading %s%w", strings.ToLower(label), err)
	}
	return strings.TrimSpace(line), nil
}

func promptSecret(in *bufio.Reader, env Env, label string) (string, error) {
	if f, ok := env.Stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(env.Stdout, label)
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(env.Stdout)
		return string(b), err
	}
	line, err := prompt(in, env.Stdout, label)
	return line, err
}

// clearSessions deletes the expired sessions, Django's clearsessions, and
// the login throttling counts that hold nobody back any more.
func clearSessions(ctx context.Context, c *call, app *App) error {
	env := c.env
	if _, err := app.Auth.ClearStaleThrottles(ctx); err != nil {
		return err
	}
	n, err := app.Sessions.ClearExpired(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "Removed %d expired session(s).\n", n)
	return nil
}

// resetTwoFactor removes a user's second factor, for one who lost their
// authenticator app and recovery codes.
func resetTwoFactor(ctx context.Context, c *call, app *App) error {
	username := c.args[0]
	u, err := orm.Get[auth.User](ctx, orm.For[auth.User](app.DB), orm.Q{"username": username})
	if errors.Is(err, orm.ErrNotFound) {
		return fmt.Errorf("user %q does not exist", username)
	}
	if err != nil {
		return err
	}
	st, err := app.Auth.TwoFactor(ctx, u)
	if err != nil {
		return err
	}
	if err := app.Auth.ResetTwoFactor(ctx, u); err != nil {
		return err
	}
	if !st.Enabled && !st.Pending {
		fmt.Fprintf(c.env.Stdout, "User '%s' had no second factor.\n", username)
		return nil
	}
	fmt.Fprintf(c.env.Stdout, "Removed the second factor of user '%s'.\n", username)
	return nil
}
