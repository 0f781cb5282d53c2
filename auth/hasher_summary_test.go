package auth

import (
	"reflect"
	"testing"
)

func TestSummary(t *testing.T) {
	h := DefaultPasswordHashers()
	cases := []struct {
		encoded string
		want    []SummaryItem
		note    string
	}{
		{"pbkdf2_sha256$1000000$seasalt$r1uLUxoxpP2Ued/qxvmje7UH9PUJBkRrvf9gGPL7Cps=", []SummaryItem{
			{"algorithm", "pbkdf2_sha256"}, {"iterations", "1000000"}, {"salt", "seasal*"}, {"hash", "r1uLUx" + stars(38)}}, ""},
		{"argon2$argon2id$v=19$m=102400,t=2,p=8$c29tZXNhbHQ$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", []SummaryItem{
			{"algorithm", "argon2"}, {"variety", "argon2id"}, {"version", "19"}, {"memory cost", "102400"}, {"time cost", "2"},
			{"parallelism", "8"}, {"salt", "c29tZX*****"}, {"hash", "AAAAAA" + stars(37)}}, ""},
		{"bcrypt_sha256$$2b$12$LqkKa2Tn5bQ8vUv1bJbZ9uQeWdy5x2zKfUr3kQnF9x8rQyJY3k4bS", []SummaryItem{
			{"algorithm", "bcrypt_sha256"}, {"work factor", "12"}, {"salt", "LqkKa2" + stars(16)}, {"checksum", "QeWdy5" + stars(25)}}, ""},
		{"scrypt$16384$seasalt$8$1$Qj3+9PPyRjSJIebHnG81TMjsqtaIGxNQG/aEB/NYafTJ7tibgfYz71m0ldQESkXFRkdVCBhhY8mx7rQwite/Pw==", []SummaryItem{
			{"algorithm", "scrypt"}, {"work factor", "16384"}, {"block size", "8"}, {"parallelism", "1"}, {"salt", "seasal*"},
			{"hash", "Qj3+9P" + stars(82)}}, ""},
		{"md5$seasalt$f5531bef9f3687d0ccf0f617f0e25573", []SummaryItem{{"algorithm", "md5"}, {"salt", "se*****"}, {"hash", "f5531b" + stars(26)}}, ""},
		{MakeUnusablePassword(), nil, NoPasswordSet},
		{"sha1$$" + stars(40), nil, InvalidPasswordFmt},
		{"bcrypt_sha256$$2b$12$short", nil, InvalidPasswordFmt},
		{"", nil, InvalidPasswordFmt},
	}
	for _, c := range cases {
		items, note := h.Summary(c.encoded)
		if !reflect.DeepEqual(items, c.want) || note != c.note {
			t.Errorf("Summary(%q) = %v %q, want %v %q", c.encoded, items, note, c.want, c.note)
		}
	}
}

func stars(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = '*'
	}
	return string(b)
}
