package staffroom

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// newFlagSet returns a command's flag set, silent: Run reports its errors.
func newFlagSet(p Project, name string) *flag.FlagSet {
	fs := flag.NewFlagSet(p.Name+" "+name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return fs
}

// commonFlags defines the flags every command takes: the database URL
// and the password hashers.
func commonFlags(fs *flag.FlagSet, p Project) (database, hashers *string) {
	def := "$DATABASE_URL, else " + p.DefaultDatabase
	if p.DefaultDatabase == "" {
		def = "$DATABASE_URL"
	}
	database = fs.String("database", "", "the database `URL`: sqlite:PATH,\n"+
		"postgres://user:pass@host:5432/db or mysql://user:pass@host:3306/db\n(default: "+def+")")
	hashers = fs.String("password-hashers", "", "the password hashers as a Django project's PASSWORD_HASHERS,\n"+
		"the first preferred: django:VERSION for a Django release's\n"+
		"defaults (django:3.2 beside a Django 3.2), or a list such as\n"+
		"pbkdf2_sha256:iterations=260000,argon2,bcrypt_sha256\n"+
		"(default: $STAFFROOM_PASSWORD_HASHERS, else Django 5.2's)")
	return database, hashers
}

func isHelpFlag(arg string) bool {
	switch arg {
	case "-h", "--h", "-help", "--help":
		return true
	}
	return false
}

// help writes the usage of every command, or of the one named, to
// standard output.
func help(p Project, env Env, args []string) error {
	switch {
	case len(args) == 0:
		writeUsage(env.Stdout, p)
		return nil
	case len(args) > 1:
		return &UsageError{Command: "help", Err: fmt.Errorf("takes at most one command, got %q", args)}
	}
	cmd, ok := findCommand(args[0])
	if !ok {
		return unknownCommand(args[0])
	}
	writeCommandUsage(env.Stdout, p, cmd)
	return nil
}

// writeUsage writes the usage of every command.
func writeUsage(w io.Writer, p Project) {
	fmt.Fprintf(w, "Usage: %s [COMMAND] [ARGUMENTS] [FLAGS]\n\nCommands (serve when none is named):\n\n", p.Name)
	for _, cmd := range commands() {
		fmt.Fprintf(w, "  %s\n", strings.TrimSpace(cmd.name+" "+cmd.args))
		fmt.Fprintf(w, "      %s\n", indent(cmd.synopsis, 6))
		writeFlags(w, ownFlags(p, cmd))
	}
	fmt.Fprintf(w, "  help [COMMAND]\n      show this, or one command's usage (also COMMAND --help)\n\nEvery command takes:\n")
	writeFlags(w, commonFlagSet(p))
	fmt.Fprint(w, environment)
}

// writeCommandUsage writes one command's usage.
func writeCommandUsage(w io.Writer, p Project, cmd command) {
	fmt.Fprintf(w, "Usage: %s %s [FLAGS]\n\n", p.Name, strings.TrimSpace(cmd.name+" "+cmd.args))
	fmt.Fprintf(w, "%s.\n\nFlags:\n", capitalize(strings.ReplaceAll(cmd.synopsis, "\n", " ")))
	writeFlags(w, ownFlags(p, cmd))
	writeFlags(w, commonFlagSet(p))
	fmt.Fprint(w, environment)
}

const environment = `
Environment:
  STAFFROOM_SECRET_KEY            signs sessions and password reset links; serve
                                  needs it, except on SQLite, where a key is made
                                  on first use and kept beside the database
  STAFFROOM_SECRET_KEY_FALLBACKS  older keys, comma-separated, still accepted
  STAFFROOM_SESSION_ENGINE        db (the default) or signed_cookies
  STAFFROOM_PASSWORD_HASHERS      --password-hashers, when not given, e.g. django:3.2
  STAFFROOM_BASE_URL              the admin's scheme and host for links in mails,
                                  e.g. https://staff.example.com
  STAFFROOM_ALLOWED_HOSTS         serve's --allowed-hosts, when not given
  STAFFROOM_TRUST_PROXY           true: serve believes the proxy's X-Forwarded-*
  STAFFROOM_SUPERUSER_PASSWORD    the password of the superuser serve makes on a
                                  new database, and of createsuperuser --noinput

Exit status: 0 on success, 1 when the command fails, 2 when the command line
makes no sense.
`

// ownFlags returns the flags a command defines besides the common ones.
func ownFlags(p Project, cmd command) *flag.FlagSet {
	fs := newFlagSet(p, cmd.name)
	cmd.setup(fs)
	return fs
}

func commonFlagSet(p Project) *flag.FlagSet {
	fs := newFlagSet(p, "")
	_, _ = commonFlags(fs, p)
	return fs
}

// writeFlags writes one line per flag (more when its usage has more),
// its name and argument in a column of their own.
func writeFlags(w io.Writer, fs *flag.FlagSet) {
	const column = 28
	fs.VisitAll(func(f *flag.Flag) {
		arg, usage := flag.UnquoteUsage(f)
		left := "--" + f.Name
		if arg != "" {
			left += " " + arg
		}
		if f.DefValue != "" && f.DefValue != "0" && f.DefValue != "false" {
			usage += " (default " + f.DefValue + ")"
		}
		if len(left) > column-8 {
			fmt.Fprintf(w, "      %s\n%*s", left, column, "")
		} else {
			fmt.Fprintf(w, "      %-*s", column-6, left)
		}
		fmt.Fprintf(w, "%s\n", indent(usage, column))
	})
}

// indent indents the lines of s after the first by n spaces.
func indent(s string, n int) string {
	return strings.ReplaceAll(s, "\n", "\n"+strings.Repeat(" ", n))
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// unknownCommand is the usage error for a command that does not exist,
// with the likeliest meant one.
func unknownCommand(name string) error {
	var names []string
	for _, c := range commands() {
		names = append(names, c.name)
	}
	msg := fmt.Sprintf("unknown command %q", name)
	if s := closest(name, append(names, "help")); s != "" {
		msg += fmt.Sprintf(" (did you mean %s?)", s)
	}
	return &UsageError{Err: errors.New(msg)}
}

// flagError turns the flag package's parse error into a usage error in
// one line, suggesting the flag likely meant.
func flagError(cmdName string, fs *flag.FlagSet, err error) error {
	name, unknown := strings.CutPrefix(err.Error(), "flag provided but not defined: -")
	if !unknown {
		return &UsageError{Command: cmdName, Err: err}
	}
	msg := "unknown flag --" + name
	var defined []string
	fs.VisitAll(func(f *flag.Flag) { defined = append(defined, f.Name) })
	if s := closest(name, defined); s != "" {
		msg += " (did you mean --" + s + "?)"
	} else if owner := flagOwner(name); owner != "" {
		msg += " (a flag of " + owner + ")"
	}
	return &UsageError{Command: cmdName, Err: errors.New(msg)}
}

// flagOwner returns the command that defines the named flag, if one does.
func flagOwner(name string) string {
	for _, cmd := range commands() {
		fs := flag.NewFlagSet(cmd.name, flag.ContinueOnError)
		cmd.setup(fs)
		if fs.Lookup(name) != nil {
			return cmd.name
		}
	}
	return ""
}

// closest returns the candidate nearest to s when it is near enough to be
// a typo of it: at most two edits away, or a prefix of it.
func closest(s string, candidates []string) string {
	best, bestDist := "", 3
	for _, c := range candidates {
		d := editDistance(s, c)
		if len(s) >= 2 && strings.HasPrefix(c, s) {
			d = min(d, 1)
		}
		if d < bestDist {
			best, bestDist = c, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}
