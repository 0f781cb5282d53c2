package auth_test

import (
	"fmt"

	"github.com/staffroom/staffroom/auth"
)

// A Staffroom program sharing its database with a Django 3.2 project
// hashes and re-hashes passwords exactly as that Django does.
func ExampleDjangoHashers() {
	hashers, err := auth.DjangoHashers("3.2")
	if err != nil {
		panic(err)
	}
	for _, h := range hashers {
		fmt.Println(h.Algorithm())
	}
	// Django 3.2's own hash of "desk" is kept as it is at login.
	ok, upgrade := hashers.Check("desk", "pbkdf2_sha256$260000$Nl7M4qBAZRDTos2xsQWYXX$uTyZyFfVdzkeSNbs9sTZqVX4UPvcKUeAkLFSkjQQLKM=")
	fmt.Println(ok, upgrade)

	_, err = auth.DjangoHashers("2.2")
	fmt.Println(err)
	// Output:
	// pbkdf2_sha256
	// pbkdf2_sha1
	// argon2
	// bcrypt_sha256
	// true false
	// auth: unknown Django version "2.2" for the password hashers: known are 3.2, 4.0, 4.1, 4.2, 5.0, 5.1, 5.2, 6.0, 6.1
}

// The text form is what --password-hashers and STAFFROOM_PASSWORD_HASHERS
// take: a Django release, or Django's list with its classes' parameters.
func ExampleParsePasswordHashers() {
	hashers, err := auth.ParsePasswordHashers("PBKDF2PasswordHasher:iterations=500000, argon2")
	if err != nil {
		panic(err)
	}
	fmt.Printf("%+v\n", hashers)
	// Output:
	// [{Iterations:500000} {Time:2 MemoryKiB:102400 Threads:8 HashLen:16}]
}
