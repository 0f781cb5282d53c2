package auth

import (
	"encoding/base64"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// djangoDefaults are each Django release's default pbkdf2_sha256
// iterations and scrypt parallelism (0: no scrypt in the default list), as
// its release notes and hashers.py give them.
var djangoDefaults = map[string][2]int{
	"3.2": {260_000, 0}, "4.0": {320_000, 1}, "4.1": {390_000, 1}, "4.2": {600_000, 1},
	"5.0": {720_000, 1}, "5.1": {870_000, 5}, "5.2": {1_000_000, 5}, "6.0": {1_200_000, 5}, "6.1": {1_500_000, 5},
}

// pbkdf2Value makes a decodable pbkdf2_sha256 value with the given
// iteration count and a 22-character salt; MustUpdate only decodes it.
func pbkdf2Value(iterations int) string {
	return "pbkdf2_sha256$" + strconv.Itoa(iterations) + "$Nl7M4qBAZRDTos2xsQWYXX$" + base64.StdEncoding.EncodeToString(make([]byte, 32))
}

func TestDjangoHashersPerVersion(t *testing.T) {
	if got := DjangoVersions(); len(got) != len(djangoDefaults) {
		t.Fatalf("DjangoVersions() = %v, want the %d releases of the table", got, len(djangoDefaults))
	}
	for _, v := range DjangoVersions() {
		want, ok := djangoDefaults[v]
		if !ok {
			t.Errorf("DjangoVersions lists %s, which the table lacks", v)
			continue
		}
		h, err := DjangoHashers(v)
		if err != nil {
			t.Fatalf("DjangoHashers(%s): %v", v, err)
		}
		algos := []string{}
		for _, x := range h {
			algos = append(algos, x.Algorithm())
		}
		wantAlgos := []string{"pbkdf2_sha256", "pbkdf2_sha1", "argon2", "bcrypt_sha256"}
		if want[1] > 0 {
			wantAlgos = append(wantAlgos, "scrypt")
			if s := h[4].(Scrypt); s != (Scrypt{N: 16384, R: 8, P: want[1]}) {
				t.Errorf("%s: scrypt = %+v", v, s)
			}
		}
		if !reflect.DeepEqual(algos, wantAlgos) {
			t.Errorf("%s: order %v, want %v", v, algos, wantAlgos)
		}
		if p := h[0].(PBKDF2SHA256); p.Iterations != want[0] {
			t.Errorf("%s: pbkdf2_sha256 iterations %d, want %d", v, p.Iterations, want[0])
		}
		if p := h[1].(PBKDF2SHA1); p.Iterations != want[0] {
			t.Errorf("%s: pbkdf2_sha1 iterations %d, want %d", v, p.Iterations, want[0])
		}
		if a := h[2].(Argon2); a != (Argon2{Time: 2, MemoryKiB: 102400, Threads: 8, HashLen: 16}) {
			t.Errorf("%s: argon2 = %+v", v, a)
		}
		if b := h[3].(BCryptSHA256); b.Cost != 12 {
			t.Errorf("%s: bcrypt rounds %d", v, b.Cost)
		}
		// No ping-pong: a hash of this version's count is current for this
		// version's hashers, and every other release's count is not.
		for other, ow := range djangoDefaults {
			got := h[0].MustUpdate(pbkdf2Value(ow[0]))
			if got != (other != v) {
				t.Errorf("Django %s hashers, a %s hash (%d iterations): MustUpdate = %v", v, other, ow[0], got)
			}
		}
	}
	// A patch level names its release.
	a, err := DjangoHashers("3.2.25")
	b, _ := DjangoHashers("3.2")
	if err != nil || !reflect.DeepEqual(a, b) {
		t.Errorf("DjangoHashers(3.2.25) = %v, %v", a, err)
	}
}

func TestDjangoHashersUnknownVersion(t *testing.T) {
	for _, v := range []string{"", "2.2", "3.1", "7.0", "5", "5.2.x", "latest", "3.2.25.1"} {
		h, err := DjangoHashers(v)
		if err == nil || h != nil {
			t.Errorf("DjangoHashers(%q) = %v, %v; want an error", v, h, err)
			continue
		}
		if !strings.Contains(err.Error(), "unknown Django version") || !strings.Contains(err.Error(), "3.2, 4.0") {
			t.Errorf("DjangoHashers(%q): error %q does not name the known versions", v, err)
		}
	}
}

// TestDjango32HashStaysWithDjango32Hashers checks a real Django 3.2 hash
// (the interop fixture's user desk): Django 3.2's hashers accept it as it
// is; Staffroom's default hashers (Django 5.2's) re-hash it.
func TestDjango32HashStaysWithDjango32Hashers(t *testing.T) {
	const desk = "pbkdf2_sha256$260000$Nl7M4qBAZRDTos2xsQWYXX$uTyZyFfVdzkeSNbs9sTZqVX4UPvcKUeAkLFSkjQQLKM="
	h32, err := DjangoHashers("3.2")
	if err != nil {
		t.Fatal(err)
	}
	if ok, upgrade := h32.Check("desk", desk); !ok || upgrade {
		t.Errorf("Django 3.2 hashers: ok=%v upgrade=%v, want true false", ok, upgrade)
	}
	if ok, upgrade := h32.Check("wrong", desk); ok || upgrade {
		t.Errorf("wrong password: ok=%v upgrade=%v", ok, upgrade)
	}
	if ok, upgrade := DefaultPasswordHashers().Check("desk", desk); !ok || !upgrade {
		t.Errorf("default hashers: ok=%v upgrade=%v, want true true (260000 is not 5.2's count)", ok, upgrade)
	}
	h42, _ := DjangoHashers("4.2")
	if ok, upgrade := h42.Check("desk", desk); !ok || !upgrade {
		t.Errorf("Django 4.2 hashers: ok=%v upgrade=%v, want true true", ok, upgrade)
	}
}

// TestDjangoHashersOtherAlgorithms follows Django's rule that a hash of any
// algorithm but the preferred one is updated, and that the preferred
// argon2's parameters, hash length included, are compared as Django does.
func TestDjangoHashersOtherAlgorithms(t *testing.T) {
	fx := loadFixture(t)
	h, err := DjangoHashers("3.2")
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range fx.Vectors {
		ok, upgrade := h.Check(v.Password, v.Encoded)
		switch v.Algorithm {
		case "pbkdf2_sha256":
			// The fixture's salts are shorter than 128 bits for some.
			if !ok {
				t.Errorf("%s: not verified", v.Encoded)
			}
		case "md5":
			// Not in Django 3.2's default list: unknown, as in Django.
			if ok || upgrade {
				t.Errorf("md5 with Django's list: ok=%v upgrade=%v", ok, upgrade)
			}
		default:
			if !ok || !upgrade {
				t.Errorf("%s: ok=%v upgrade=%v, want true true (not the preferred algorithm)", v.Algorithm, ok, upgrade)
			}
		}
		if v.Algorithm == "argon2" {
			argon := h[2].(Argon2)
			if argon.MustUpdate(v.Encoded) {
				t.Errorf("Django's own argon2 hash must be current for Django's argon2 parameters: %s", v.Encoded)
			}
			long := strings.Replace(v.Encoded, "$ezd+Ib0ZS9DP7GgYYSdnEw", "$"+argon2B64.EncodeToString(make([]byte, 32)), 1)
			if long == v.Encoded {
				t.Fatal("the fixture's argon2 vector changed")
			}
			if !argon.MustUpdate(long) {
				t.Error("a 32-byte argon2 hash is current for Django's argon2 (which writes 16 bytes)")
			}
			if (Argon2{}).MustUpdate(long) || (Argon2{}).MustUpdate(v.Encoded) {
				t.Error("Staffroom's default argon2 (HashLen 0) must not compare the hash length")
			}
		}
	}
}

func TestArgon2HashLen(t *testing.T) {
	a := Argon2{Time: 1, MemoryKiB: 64, Threads: 1, HashLen: 16}
	enc, err := a.Encode("pw", "")
	if err != nil {
		t.Fatal(err)
	}
	d, err := argon2Decode(enc)
	if err != nil || len(d.hash) != 16 {
		t.Fatalf("hash length %d, %v", len(d.hash), err)
	}
	if ok, err := a.Verify("pw", enc); !ok || err != nil {
		t.Errorf("Verify = %v, %v", ok, err)
	}
	if a.MustUpdate(enc) {
		t.Error("a hash of the configured length must be current")
	}
	if !(Argon2{Time: 1, MemoryKiB: 64, Threads: 1, HashLen: 32}).MustUpdate(enc) {
		t.Error("a 16-byte hash must be updated by a hasher set to 32 bytes")
	}
}

func TestParsePasswordHashers(t *testing.T) {
	d32, _ := DjangoHashers("3.2")
	for _, tc := range []struct {
		spec string
		want PasswordHashers
	}{
		{"django:3.2", d32},
		{" django:3.2.25 ", d32},
		{"pbkdf2_sha256:iterations=260000, pbkdf2_sha1:iterations=260000, argon2, bcrypt_sha256",
			PasswordHashers{PBKDF2SHA256{260000}, PBKDF2SHA1{260000}, Argon2{Time: 2, MemoryKiB: 102400, Threads: 8, HashLen: 16}, BCryptSHA256{12}}},
		{"django.contrib.auth.hashers.PBKDF2PasswordHasher:iterations=390000,Argon2PasswordHasher:memory_cost=65536:parallelism=4:time_cost=3",
			PasswordHashers{PBKDF2SHA256{390000}, Argon2{Time: 3, MemoryKiB: 65536, Threads: 4, HashLen: 16}}},
		{"argon2:hash_len=32,bcrypt_sha256:rounds=13,scrypt:work_factor=32768:block_size=8:parallelism=1,md5",
			PasswordHashers{Argon2{Time: 2, MemoryKiB: 102400, Threads: 8, HashLen: 32}, BCryptSHA256{13}, Scrypt{N: 32768, R: 8, P: 1}, MD5{}}},
		{"pbkdf2_sha256", PasswordHashers{PBKDF2SHA256{}}},
	} {
		got, err := ParsePasswordHashers(tc.spec)
		if err != nil || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("ParsePasswordHashers(%q) = %#v, %v\nwant %#v", tc.spec, got, err, tc.want)
		}
	}
	for _, tc := range []struct{ spec, msg string }{
		{"", "empty"},
		{"django:2.2", "unknown Django version"},
		{"sha1", `unknown hasher "sha1"`},
		{"django.contrib.auth.hashers.SHA1PasswordHasher", "unknown hasher"},
		{"myproject.hashers.PBKDF2PasswordHasher", "not one of Django's hashers"},
		{"pbkdf2_sha256:rounds=12", `takes no parameter "rounds" (it takes: iterations)`},
		{"md5:iterations=1", "(it takes: none)"},
		{"pbkdf2_sha256:iterations", "is not NAME=VALUE"},
		{"pbkdf2_sha256:iterations=0", "positive whole number"},
		{"pbkdf2_sha256:iterations=-5", "positive whole number"},
		{"pbkdf2_sha256:iterations=1e6", "positive whole number"},
		{"pbkdf2_sha256:iterations=1:iterations=2", "given twice"},
		{"pbkdf2_sha256,PBKDF2PasswordHasher", "listed twice"},
		{"pbkdf2_sha256,,md5", "empty hasher"},
		{"bcrypt_sha256:rounds=3", "between 4 and 31"},
		{"scrypt:work_factor=1000", "power of two"},
		{"argon2:parallelism=256", "at most 255"},
		{"argon2:hash_len=3", "at least 4"},
		{"argon2:memory_cost=8:parallelism=2", "8 KiB per lane"},
	} {
		got, err := ParsePasswordHashers(tc.spec)
		if err == nil || got != nil || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("ParsePasswordHashers(%q) = %v, %v; want an error containing %q", tc.spec, got, err, tc.msg)
		}
	}
}
