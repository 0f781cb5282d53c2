package auth_test

import (
	"errors"
	"reflect"
	"testing"

	"github.com/staffroom/staffroom/auth"
)

func TestQuickRatio(t *testing.T) {
	cases := []struct {
		a, b string
		want float64
	}{
		{"", "", 1},
		{"abc", "", 0},
		{"abcd", "bcde", 0.75},
		{"abc", "xyz", 0},
		{"aab", "abb", 2 * 2.0 / 6},
		{"testclient", "testclient", 1},
		{"été", "tée", 4.0 / 6}, // é twice against once
	}
	for _, c := range cases {
		if got := auth.QuickRatio(c.a, c.b); got != c.want {
			t.Errorf("QuickRatio(%q, %q) = %v, want %v", c.a, c.b, got, c.want)
		}
	}
}

func TestPasswordValidators(t *testing.T) {
	user := &auth.User{Username: "testclient", FirstName: "Test", LastName: "Client", Email: "testclient@example.com"}
	const similar = "The password is too similar to the "
	cases := []struct {
		name     string
		v        auth.PasswordValidator
		password string
		u        *auth.User
		want     string // "" when valid
	}{
		{"short", auth.MinimumLengthValidator{}, "1234567", nil, "This password is too short. It must contain at least 8 characters."},
		{"long enough", auth.MinimumLengthValidator{}, "12345678", nil, ""},
		{"counts characters, not bytes", auth.MinimumLengthValidator{}, "ééééééé", nil, "This password is too short. It must contain at least 8 characters."},
		{"singular", auth.MinimumLengthValidator{MinLength: 1}, "", nil, "This password is too short. It must contain at least 1 character."},
		{"numeric", auth.NumericPasswordValidator{}, "12345678", nil, "This password is entirely numeric."},
		{"other digits", auth.NumericPasswordValidator{}, "١٢٣٤٥٦٧٨", nil, "This password is entirely numeric."},
		{"not only digits", auth.NumericPasswordValidator{}, "1234567a", nil, ""},
		{"empty is not numeric", auth.NumericPasswordValidator{}, "", nil, ""},
		{"common", auth.CommonPasswordValidator{}, "password", nil, "This password is too common."},
		{"common, any case, spaces", auth.CommonPasswordValidator{}, "  PassWord1 ", nil, "This password is too common."},
		{"uncommon", auth.CommonPasswordValidator{}, "staffroom lighthouse", nil, ""},
		{"own list", auth.CommonPasswordValidator{Passwords: map[string]bool{"bookstore": true}}, "BookStore", nil, "This password is too common."},
		{"no user", auth.UserAttributeSimilarityValidator{}, "testclient", nil, ""},
		{"username", auth.UserAttributeSimilarityValidator{}, "testclient", user, similar + "username."},
		{"a word of the email", auth.UserAttributeSimilarityValidator{}, "example.com", user, similar + "email address."},
		{"identical at 1", auth.UserAttributeSimilarityValidator{Attributes: []string{"first_name"}, MaxSimilarity: 1}, "Test", user, similar + "first name."},
		{"last name", auth.UserAttributeSimilarityValidator{Attributes: []string{"last_name"}}, "client99", user, similar + "last name."},
		{"not similar enough", auth.UserAttributeSimilarityValidator{Attributes: []string{"first_name"}}, "testclient", user, ""},
	}
	for _, c := range cases {
		err := c.v.Validate(c.password, c.u)
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != c.want {
			t.Errorf("%s: %T.Validate(%q) = %q, want %q", c.name, c.v, c.password, got, c.want)
		}
	}
}

func TestValidatePasswordCollectsEveryMessage(t *testing.T) {
	err := auth.ValidatePassword("123", &auth.User{Username: "ann"}, auth.DefaultPasswordValidators())
	var pe *auth.PasswordError
	if !errors.As(err, &pe) {
		t.Fatalf("error %v", err)
	}
	want := []string{"This password is too short. It must contain at least 8 characters.", "This password is too common.", "This password is entirely numeric."}
	if !reflect.DeepEqual(pe.Messages, want) {
		t.Errorf("messages %q", pe.Messages)
	}
	if err := auth.ValidatePassword("a sturdy passphrase", &auth.User{Username: "ann"}, auth.DefaultPasswordValidators()); err != nil {
		t.Errorf("a good password refused: %v", err)
	}
	help := auth.PasswordHelpTexts(auth.DefaultPasswordValidators())
	if len(help) != 4 || help[1] != "Your password must contain at least 8 characters." {
		t.Errorf("help texts %q", help)
	}
}
