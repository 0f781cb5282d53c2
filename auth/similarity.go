package auth

import (
	"errors"
	"strings"
	"unicode"
	"unicode/utf8"
)

// DefaultMaxSimilarity is the similarity ratio at or above which a
// password counts as too close to a user attribute, Django's 0.7.
const DefaultMaxSimilarity = 0.7

// userAttributes are the attributes compared by default, with the verbose
// names the messages use.
var userAttributes = []struct{ name, verbose string }{
	{"username", "username"}, {"first_name", "first name"}, {"last_name", "last name"}, {"email", "email address"},
}

// UserAttributeSimilarityValidator refuses passwords too similar to the
// user's username, first name, last name or email address, or to a word
// of one of them, as Django's validator does: the ratio is 2·M/T, M the
// characters the two have in common (counted with repetition, in any
// order) and T their total length, case ignored; an attribute part much
// shorter than the password is not compared.
type UserAttributeSimilarityValidator struct {
	// Attributes names the attributes compared: "username", "first_name",
	// "last_name", "email"; default all four.
	Attributes []string
	// MaxSimilarity is the refusing ratio, default DefaultMaxSimilarity.
	// Values below 0.1 are raised to 0.1, as Django refuses them.
	MaxSimilarity float64
}

func (v UserAttributeSimilarityValidator) max() float64 {
	switch {
	case v.MaxSimilarity == 0:
		return DefaultMaxSimilarity
	case v.MaxSimilarity < 0.1:
		return 0.1
	}
	return v.MaxSimilarity
}

// attribute returns the value and verbose name of a user attribute.
func attribute(u *User, name string) (value, verbose string) {
	for _, a := range userAttributes {
		if a.name == name {
			verbose = a.verbose
		}
	}
	switch name {
	case "username":
		return u.Username, verbose
	case "first_name":
		return u.FirstName, verbose
	case "last_name":
		return u.LastName, verbose
	case "email":
		return u.Email, verbose
	}
	return "", name
}

// Validate implements PasswordValidator.
func (v UserAttributeSimilarityValidator) Validate(password string, u *User) error {
	if u == nil {
		return nil
	}
	names := v.Attributes
	if names == nil {
		for _, a := range userAttributes {
			names = append(names, a.name)
		}
	}
	password = strings.ToLower(password)
	for _, name := range names {
		value, verbose := attribute(u, name)
		if value == "" {
			continue
		}
		if v.tooSimilar(password, strings.ToLower(value)) {
			return errors.New("The password is too similar to the " + verbose + ".")
		}
	}
	return nil
}

// tooSimilar compares the password with the value and each of its words.
func (v UserAttributeSimilarityValidator) tooSimilar(password, value string) bool {
	parts := append(strings.FieldsFunc(value, notWordChar), value)
	for _, part := range parts {
		if muchShorter(password, part, v.max()) {
			continue
		}
		if QuickRatio(password, part) >= v.max() {
			return true
		}
	}
	return false
}

// notWordChar reports characters outside a regular-expression \w.
func notWordChar(r rune) bool {
	return !(unicode.IsLetter(r) || unicode.IsNumber(r) || r == '_')
}

// muchShorter reports whether value is too short, next to the password,
// for a similarity to mean anything (Django's
// exceeds_maximum_length_ratio): the password is at least ten times as
// long and value shorter than half the maximum ratio of the password's
// length.
func muchShorter(password, value string, maxSimilarity float64) bool {
	p, n := utf8.RuneCountInString(password), utf8.RuneCountInString(value)
	return p >= 10*n && float64(n) < maxSimilarity/2*float64(p)
}

// QuickRatio returns 2·M/T for two strings, M the number of characters
// they share counted as multisets and T the sum of their lengths (1 for
// two empty strings): an upper bound of how alike they are, the measure
// Python's difflib.SequenceMatcher.quick_ratio computes.
func QuickRatio(a, b string) float64 {
	total := utf8.RuneCountInString(a) + utf8.RuneCountInString(b)
	if total == 0 {
		return 1
	}
	avail := map[rune]int{}
	for _, r := range b {
		avail[r]++
	}
	matches := 0
	for _, r := range a {
		if avail[r] > 0 {
			avail[r]--
			matches++
		}
	}
	return 2 * float64(matches) / float64(total)
}

// HelpText implements PasswordValidator.
func (UserAttributeSimilarityValidator) HelpText() string {
	return "Your password can’t be too similar to your other personal information."
}
