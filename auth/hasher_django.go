package auth

import (
	"fmt"
	"strconv"
	"strings"
)

// djangoRelease holds the password hashing defaults of one Django release:
// what its PASSWORD_HASHERS setting holds when a project does not set it.
type djangoRelease struct {
	version          string
	pbkdf2Iterations int
	// scryptParallelism is ScryptPasswordHasher.parallelism; zero means
	// the release has no scrypt hasher in its default list (before 4.0).
	scryptParallelism int
}

// djangoReleases lists, oldest first, the Django releases DjangoHashers
// knows. Every release from 3.2 on uses Argon2 with time cost 2, memory
// cost 102400 KiB, parallelism 8 and 16-byte hashes, and bcrypt with 12
// rounds; scrypt (from 4.0) uses N = 2^14 and r = 8.
var djangoReleases = []djangoRelease{
	{"3.2", 260_000, 0},
	{"4.0", 320_000, 1},
	{"4.1", 390_000, 1},
	{"4.2", 600_000, 1},
	{"5.0", 720_000, 1},
	{"5.1", 870_000, 5},
	{"5.2", 1_000_000, 5},
	{"6.0", 1_200_000, 5},
	{"6.1", 1_500_000, 5},
}

// Django's parameters common to every release DjangoHashers knows.
const (
	djangoArgon2HashLen = 16 // argon2-cffi's default hash length
	djangoScryptN       = 1 << 14
	djangoScryptR       = 8
)

// DjangoVersions returns the Django versions DjangoHashers knows, oldest
// first ("3.2", "4.0", ...).
func DjangoVersions() []string {
	out := make([]string, len(djangoReleases))
	for i, r := range djangoReleases {
		out[i] = r.version
	}
	return out
}

// DjangoHashers returns the password hashers a Django project of the given
// version ("3.2", "4.2", "5.2"; a patch level such as "3.2.25" is
// accepted) has when its settings leave PASSWORD_HASHERS alone, in
// Django's order and with that version's parameters: PBKDF2SHA256 first
// (so new hashes are pbkdf2_sha256 with that version's iteration count),
// then PBKDF2SHA1, Argon2, BCryptSHA256 and, from 4.0, Scrypt.
//
// Staffroom configured with them and a Django of that version never
// re-hash each other's passwords: a hash one side writes is one the other
// side's must-update rules accept as current. Staffroom's own default,
// DefaultPasswordHashers, follows Django 5.2; against an older Django each
// login on either side would re-hash the password the other side wrote,
// and since the session auth hash derives from the password hash, log the
// user out of every other session. An unknown version is an error naming
// the known ones.
func DjangoHashers(version string) (PasswordHashers, error) {
	r, err := djangoReleaseOf(version)
	if err != nil {
		return nil, err
	}
	hashers := PasswordHashers{
		PBKDF2SHA256{Iterations: r.pbkdf2Iterations},
		PBKDF2SHA1{Iterations: r.pbkdf2Iterations},
		Argon2{Time: defaultArgon2Time, MemoryKiB: defaultArgon2Memory, Threads: defaultArgon2Threads, HashLen: djangoArgon2HashLen},
		BCryptSHA256{Cost: defaultBCryptCost},
	}
	if r.scryptParallelism > 0 {
		hashers = append(hashers, Scrypt{N: djangoScryptN, R: djangoScryptR, P: r.scryptParallelism})
	}
	return hashers, nil
}

// djangoReleaseOf finds the release of a version string, ignoring a patch
// level.
func djangoReleaseOf(version string) (djangoRelease, error) {
	v := strings.TrimSpace(version)
	if parts := strings.Split(v, "."); len(parts) == 3 {
		if _, err := strconv.Atoi(parts[2]); err == nil {
			v = parts[0] + "." + parts[1]
		}
	}
	for _, r := range djangoReleases {
		if r.version == v {
			return r, nil
		}
	}
	return djangoRelease{}, fmt.Errorf("auth: unknown Django version %q for the password hashers: known are %s",
		version, strings.Join(DjangoVersions(), ", "))
}

// hasherNames maps the names ParsePasswordHashers accepts to an algorithm:
// the algorithm itself and the class name Django's PASSWORD_HASHERS uses.
var hasherNames = map[string]string{
	"pbkdf2_sha256": "pbkdf2_sha256", "PBKDF2PasswordHasher": "pbkdf2_sha256",
	"pbkdf2_sha1": "pbkdf2_sha1", "PBKDF2SHA1PasswordHasher": "pbkdf2_sha1",
	"argon2": "argon2", "Argon2PasswordHasher": "argon2",
	"bcrypt_sha256": "bcrypt_sha256", "BCryptSHA256PasswordHasher": "bcrypt_sha256",
	"scrypt": "scrypt", "ScryptPasswordHasher": "scrypt",
	"md5": "md5", "MD5PasswordHasher": "md5",
}

// hasherParams lists, by algorithm, the parameters ParsePasswordHashers
// accepts: the attribute names of Django's hasher classes.
var hasherParams = map[string][]string{
	"pbkdf2_sha256": {"iterations"},
	"pbkdf2_sha1":   {"iterations"},
	"argon2":        {"time_cost", "memory_cost", "parallelism", "hash_len"},
	"bcrypt_sha256": {"rounds"},
	"scrypt":        {"work_factor", "block_size", "parallelism"},
	"md5":           {},
}

// ParsePasswordHashers reads the text form of a PASSWORD_HASHERS setting,
// as the command line and STAFFROOM_PASSWORD_HASHERS give it. It is
// either "django:VERSION" (DjangoHashers of that version), or the hashers
// in order, comma-separated, the first preferred, each an algorithm or
// Django's class name for it, optionally followed by parameters named as
// the attributes of Django's hasher class:
//
//	django:3.2
//	pbkdf2_sha256:iterations=260000, pbkdf2_sha1:iterations=260000, argon2, bcrypt_sha256
//	django.contrib.auth.hashers.PBKDF2PasswordHasher:iterations=390000, argon2:memory_cost=65536:parallelism=4
//
// Parameters are pbkdf2_sha256 and pbkdf2_sha1: iterations; argon2:
// time_cost, memory_cost (KiB), parallelism, hash_len; bcrypt_sha256:
// rounds; scrypt: work_factor (N), block_size (r), parallelism (p); md5:
// none. A parameter left out takes Staffroom's default, which is Django
// 5.2's (DefaultPasswordHashers); an argon2 listed here writes Django's
// 16-byte hashes. An unknown algorithm or parameter, a
// value that is not a positive number, or an algorithm listed twice is an
// error.
func ParsePasswordHashers(spec string) (PasswordHashers, error) {
	spec = strings.TrimSpace(spec)
	if spec == "" {
		return nil, fmt.Errorf("auth: empty password hashers setting")
	}
	if v, ok := strings.CutPrefix(spec, "django:"); ok {
		return DjangoHashers(v)
	}
	var out PasswordHashers
	seen := map[string]bool{}
	for _, item := range strings.Split(spec, ",") {
		h, err := parseHasher(strings.TrimSpace(item))
		if err != nil {
			return nil, err
		}
		if seen[h.Algorithm()] {
			return nil, fmt.Errorf("auth: password hasher %s is listed twice", h.Algorithm())
		}
		seen[h.Algorithm()] = true
		out = append(out, h)
	}
	return out, nil
}

// parseHasher reads one item of ParsePasswordHashers.
func parseHasher(item string) (Hasher, error) {
	fields := strings.Split(item, ":")
	name := strings.TrimSpace(fields[0])
	if name == "" {
		return nil, fmt.Errorf("auth: password hashers: an empty hasher in the list")
	}
	short := name
	if i := strings.LastIndex(name, "."); i >= 0 {
		if !strings.HasPrefix(name, "django.contrib.auth.hashers.") {
			return nil, fmt.Errorf("auth: password hashers: %s is not one of Django's hashers", name)
		}
		short = name[i+1:]
	}
	algorithm, ok := hasherNames[short]
	if !ok {
		return nil, fmt.Errorf("auth: password hashers: unknown hasher %q (known: pbkdf2_sha256, pbkdf2_sha1, argon2, bcrypt_sha256, scrypt, md5, or Django's class names for them)", name)
	}
	params := map[string]int{}
	for _, f := range fields[1:] {
		key, val, ok := strings.Cut(strings.TrimSpace(f), "=")
		if !ok {
			return nil, fmt.Errorf("auth: password hashers: %s: parameter %q is not NAME=VALUE", name, f)
		}
		known := false
		for _, k := range hasherParams[algorithm] {
			known = known || k == key
		}
		if !known {
			takes := "none"
			if len(hasherParams[algorithm]) > 0 {
				takes = strings.Join(hasherParams[algorithm], ", ")
			}
			return nil, fmt.Errorf("auth: password hashers: %s takes no parameter %q (it takes: %s)", name, key, takes)
		}
		if _, dup := params[key]; dup {
			return nil, fmt.Errorf("auth: password hashers: %s: parameter %s given twice", name, key)
		}
		n, err := strconv.Atoi(val)
		if err != nil || n < 1 {
			return nil, fmt.Errorf("auth: password hashers: %s: %s must be a positive whole number, got %q", name, key, val)
		}
		params[key] = n
	}
	return buildHasher(algorithm, params)
}

// buildHasher makes the hasher of an algorithm with the given parameters,
// checking what each algorithm can take.
func buildHasher(algorithm string, p map[string]int) (Hasher, error) {
	u32 := func(key string, def, limit int) (uint32, error) {
		v, ok := p[key]
		if !ok {
			return uint32(def), nil
		}
		if v > limit {
			return 0, fmt.Errorf("auth: password hashers: %s: %s must be at most %d, got %d", algorithm, key, limit, v)
		}
		return uint32(v), nil
	}
	switch algorithm {
	case "pbkdf2_sha256":
		return PBKDF2SHA256{Iterations: p["iterations"]}, nil
	case "pbkdf2_sha1":
		return PBKDF2SHA1{Iterations: p["iterations"]}, nil
	case "argon2":
		t, err := u32("time_cost", defaultArgon2Time, 1<<32-1)
		if err != nil {
			return nil, err
		}
		m, err := u32("memory_cost", defaultArgon2Memory, 1<<32-1)
		if err != nil {
			return nil, err
		}
		par, err := u32("parallelism", defaultArgon2Threads, 255)
		if err != nil {
			return nil, err
		}
		n, err := u32("hash_len", djangoArgon2HashLen, 1024)
		if err != nil {
			return nil, err
		}
		if n < argon2MinHashLen {
			return nil, fmt.Errorf("auth: password hashers: argon2: hash_len must be at least %d", argon2MinHashLen)
		}
		if uint64(m) < 8*uint64(par) {
			return nil, fmt.Errorf("auth: password hashers: argon2: memory_cost must be at least 8 KiB per lane (%d)", 8*par)
		}
		return Argon2{Time: t, MemoryKiB: m, Threads: par, HashLen: n}, nil
	case "bcrypt_sha256":
		cost, ok := p["rounds"]
		if !ok {
			cost = defaultBCryptCost
		}
		if cost < 4 || cost > 31 {
			return nil, fmt.Errorf("auth: password hashers: bcrypt_sha256: rounds must be between 4 and 31, got %d", cost)
		}
		return BCryptSHA256{Cost: cost}, nil
	case "scrypt":
		n := p["work_factor"]
		if n != 0 && n&(n-1) != 0 || n == 1 {
			return nil, fmt.Errorf("auth: password hashers: scrypt: work_factor must be a power of two above 1, got %d", n)
		}
		return Scrypt{N: n, R: p["block_size"], P: p["parallelism"]}, nil
	}
	return MD5{}, nil
}
