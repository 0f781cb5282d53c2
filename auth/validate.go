package auth

import (
	_ "embed"
	"errors"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// PasswordValidator checks a new password, Django's password validator.
// The views and commands that set passwords run every configured one and
// show all their messages.
type PasswordValidator interface {
	// Validate returns nil, or an error whose text is shown to the user.
	// u is the user the password is for, possibly not saved yet; it may
	// be nil.
	Validate(password string, u *User) error
	// HelpText describes the rule, shown beside the new password field.
	HelpText() string
}

// PasswordError lists why a password was refused, one message per failed
// rule.
type PasswordError struct {
	Messages []string
}

// Error joins the messages.
func (e *PasswordError) Error() string { return strings.Join(e.Messages, " ") }

// DefaultPasswordValidators returns the four validators of a new Django
// project, with Django's settings: similarity to the user's attributes,
// a minimum length of 8, common passwords, entirely numeric passwords.
func DefaultPasswordValidators() []PasswordValidator {
	return []PasswordValidator{
		UserAttributeSimilarityValidator{}, MinimumLengthValidator{}, CommonPasswordValidator{}, NumericPasswordValidator{},
	}
}

// ValidatePassword runs every validator on password and returns a
// *PasswordError with all their messages, or nil when all pass.
func ValidatePassword(password string, u *User, validators []PasswordValidator) error {
	var msgs []string
	for _, v := range validators {
		if err := v.Validate(password, u); err != nil {
			msgs = append(msgs, err.Error())
		}
	}
	if msgs != nil {
		return &PasswordError{Messages: msgs}
	}
	return nil
}

// PasswordHelpTexts returns the validators' help texts, in order.
func PasswordHelpTexts(validators []PasswordValidator) []string {
	out := make([]string, 0, len(validators))
	for _, v := range validators {
		out = append(out, v.HelpText())
	}
	return out
}

// MinimumLengthValidator refuses passwords shorter than MinLength
// characters (default 8).
type MinimumLengthValidator struct {
	MinLength int
}

func (v MinimumLengthValidator) min() int {
	if v.MinLength > 0 {
		return v.MinLength
	}
	return 8
}

func characters(n int) string {
	if n == 1 {
		return "1 character"
	}
	return strconv.Itoa(n) + " characters"
}

// Validate implements PasswordValidator.
func (v MinimumLengthValidator) Validate(password string, u *User) error {
	if utf8.RuneCountInString(password) < v.min() {
		return errors.New("This password is too short. It must contain at least " + characters(v.min()) + ".")
	}
	return nil
}

// HelpText implements PasswordValidator.
func (v MinimumLengthValidator) HelpText() string {
	return "Your password must contain at least " + characters(v.min()) + "."
}

// NumericPasswordValidator refuses passwords made only of digits.
type NumericPasswordValidator struct{}

// Validate implements PasswordValidator.
func (NumericPasswordValidator) Validate(password string, u *User) error {
	if password == "" {
		return nil
	}
	for _, r := range password {
		if !unicode.IsDigit(r) {
			return nil
		}
	}
	return errors.New("This password is entirely numeric.")
}

// HelpText implements PasswordValidator.
func (NumericPasswordValidator) HelpText() string {
	return "Your password can’t be entirely numeric."
}

// commonPasswordsText is Staffroom's own list of passwords seen too often
// to be safe, one per line, lower case.
//
//go:embed common_passwords.txt
var commonPasswordsText string

var commonPasswords = sync.OnceValue(func() map[string]bool {
	set := map[string]bool{}
	for _, line := range strings.Split(commonPasswordsText, "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			set[strings.ToLower(line)] = true
		}
	}
	return set
})

// CommonPasswordValidator refuses passwords found in a list of common
// ones, ignoring case and surrounding white space. Passwords, when set,
// replaces the built-in list (lower-case entries).
type CommonPasswordValidator struct {
	Passwords map[string]bool
}

// Validate implements PasswordValidator.
func (v CommonPasswordValidator) Validate(password string, u *User) error {
	list := v.Passwords
	if list == nil {
		list = commonPasswords()
	}
	if list[strings.ToLower(strings.TrimSpace(password))] {
		return errors.New("This password is too common.")
	}
	return nil
}

// HelpText implements PasswordValidator.
func (CommonPasswordValidator) HelpText() string {
	return "Your password can’t be a commonly used password."
}
