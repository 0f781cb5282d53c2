package staffroom

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/staffroom/staffroom/auth"
	"github.com/staffroom/staffroom/guard"
	"github.com/staffroom/staffroom/orm"
	"github.com/staffroom/staffroom/session"
)

// Env is what a command reads from its surroundings; Main uses the
// process's, tests their own.
type Env struct {
	Args   []string // the arguments after the program name
	Getenv func(string) string
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
}

// Exit statuses of Main besides 0: a command that failed, and a command
// line that made no sense (Go's flag convention).
const (
	exitFailure = 1
	exitUsage   = 2
)

// Main runs the command named by os.Args (serve when none is) and returns
// the exit status: 0 on success and for help, 1 when the command failed,
// 2 when the command line made no sense.
func Main(p Project) int {
	env := Env{Args: os.Args[1:], Getenv: os.Getenv, Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return exit(ctx, p, env)
}

// exit runs the command line and reports its error, if any, on standard
// error: a usage error in one line and a pointer to the help.
func exit(ctx context.Context, p Project, env Env) int {
	err := Run(ctx, p, env)
	if err == nil {
		return 0
	}
	fmt.Fprintf(env.Stderr, "%s: %v\n", p.Name, err)
	var ue *UsageError
	if !errors.As(err, &ue) {
		return exitFailure
	}
	if ue.Command == "" {
		fmt.Fprintf(env.Stderr, "Run '%s help' for the commands.\n", p.Name)
	} else {
		fmt.Fprintf(env.Stderr, "Run '%s help %s' for its usage.\n", p.Name, ue.Command)
	}
	return exitUsage
}

// UsageError is a command line Run cannot make sense of: an unknown
// command or flag, a flag's bad value, arguments missing or too many.
type UsageError struct {
	Command string // the command it concerns; "" when none is known
	Err     error
}

// Error implements error.
func (e *UsageError) Error() string {
	if e.Command == "" {
		return e.Err.Error()
	}
	return e.Command + ": " + e.Err.Error()
}

// Unwrap returns the underlying error.
func (e *UsageError) Unwrap() error { return e.Err }

// A command is one of the program's commands, as Django's management
// commands are: what it is called and takes, and how it runs.
type command struct {
	name     string
	args     string // its positional arguments for the usage, e.g. "FIXTURE..."
	minArgs  int
	maxArgs  int    // -1 for any number
	synopsis string // what it does, in lines of at most 66 characters
	// secret is set for the commands that sign or serve, the only ones
	// that need the project's secret key.
	secret bool
	// setup defines the command's flags on fs and returns the function
	// that runs it with their values.
	setup func(fs *flag.FlagSet) runFunc
}

// runFunc runs a command whose flags are parsed.
type runFunc func(ctx context.Context, c *call) error

// commands returns the commands, in the order the usage lists them.
func commands() []command {
	return []command{
		{name: "serve", secret: true, setup: serveFlags,
			synopsis: "migrate, then serve the admin until Ctrl-C (the default command);\n" +
				"a new database also gets the demo data and the superuser admin"},
		{name: "check", setup: noFlags(check),
			synopsis: "run the system checks on every registered admin and list every\n" +
				"error and warning with its id; fails when there is an error"},
		{name: "migrate", setup: migrateFlags,
			synopsis: "create missing tables, content types and permissions; with\n" +
				"--admin-indexes also the indexes the change lists need (check lists them)"},
		{name: "createsuperuser", setup: createSuperuserFlags,
			synopsis: "create a superuser; the password validators apply, and may be\n" +
				"bypassed only when answering the prompt"},
		{name: "changepassword", args: "USERNAME", minArgs: 1, maxArgs: 1, setup: noFlags(withApp(changePassword)),
			synopsis: "set a user's password (validated)"},
		{name: "resettwofactor", args: "USERNAME", minArgs: 1, maxArgs: 1, setup: noFlags(withApp(resetTwoFactor)),
			synopsis: "remove a user's authenticator app and recovery codes, for one who\n" +
				"lost them: the password alone signs them in, or they enrol anew"},
		{name: "clearsessions", setup: noFlags(withApp(clearSessions)),
			synopsis: "delete the expired sessions (and stale login throttling counts)"},
		{name: "seed", setup: seedFlags,
			synopsis: "add demo data"},
		{name: "loaddata", args: "FIXTURE...", minArgs: 1, maxArgs: -1, setup: noFlags(withApp(loadData)),
			synopsis: "load Django JSON fixtures (- reads standard input), all in one\ntransaction"},
		{name: "dumpdata", args: "[app[.Model]...]", maxArgs: -1, setup: dumpFlags,
			synopsis: "write the data as a Django JSON fixture"},
		{name: "loadtest", args: "[PATH...]", maxArgs: -1, setup: loadtestFlags,
			synopsis: "log in and request each admin PATH (below the admin's root) from\n" +
				"concurrent clients; print requests per second and latency percentiles"},
		{name: "inspectdb", args: "[TABLE...]", maxArgs: -1, setup: noFlags(withApp(inspectDB)),
			synopsis: "print Go models for the database's tables"},
	}
}

// findCommand returns the named command.
func findCommand(name string) (command, bool) {
	for _, c := range commands() {
		if c.name == name {
			return c, true
		}
	}
	return command{}, false
}

// A call is one run of a command: the command line it was given and the
// surroundings it runs in.
type call struct {
	project Project
	env     Env
	cmd     command
	args    []string // the positional arguments
	dbURL   string
	// deferChecks opens the app with a site that reports the admins'
	// check errors instead of refusing them (the check command).
	deferChecks bool
	// guard configures the hosts, limits and timeouts (serve's flags).
	guard guard.Config
	// hashers are the password hashers from --password-hashers or
	// STAFFROOM_PASSWORD_HASHERS; nil for Staffroom's default.
	hashers auth.PasswordHashers
}

// Run runs one command line: a command (serve when none is named), its
// flags and arguments. "help", "help COMMAND" and --help write the usage to
// standard output and return nil; a command line that makes no sense
// returns a *UsageError without doing anything.
func Run(ctx context.Context, p Project, env Env) error {
	name, args := "serve", env.Args
	switch {
	case len(args) > 0 && isHelpFlag(args[0]):
		return help(p, env, nil)
	case len(args) > 0 && !strings.HasPrefix(args[0], "-"):
		name, args = args[0], args[1:]
	}
	if name == "help" {
		return help(p, env, args)
	}
	cmd, ok := findCommand(name)
	if !ok {
		return unknownCommand(name)
	}
	fs := newFlagSet(p, cmd.name)
	database, hashers := commonFlags(fs, p)
	run := cmd.setup(fs)
	pos, err := parseArgs(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		writeCommandUsage(env.Stdout, p, cmd)
		return nil
	}
	if err != nil {
		return flagError(cmd.name, fs, err)
	}
	if err := checkArgs(cmd, pos); err != nil {
		return err
	}
	c := &call{project: p, env: env, cmd: cmd, args: pos}
	if err := c.setDatabase(*database); err != nil {
		return err
	}
	if err := c.setHashers(*hashers); err != nil {
		return err
	}
	return run(ctx, c)
}

// checkArgs checks the number of positional arguments.
func checkArgs(cmd command, pos []string) error {
	switch {
	case len(pos) < cmd.minArgs:
		return &UsageError{Command: cmd.name, Err: fmt.Errorf("missing %s", cmd.args)}
	case cmd.maxArgs == 0 && len(pos) > 0:
		return &UsageError{Command: cmd.name, Err: fmt.Errorf("takes no arguments, got %q", pos)}
	case cmd.maxArgs > 0 && len(pos) > cmd.maxArgs:
		return &UsageError{Command: cmd.name, Err: fmt.Errorf("takes %s, got %q", cmd.args, pos)}
	}
	return nil
}

// setDatabase takes the database URL from --database, DATABASE_URL or
// the project's default, and refuses one the orm would not understand
// before anything is done.
func (c *call) setDatabase(flagged string) error {
	from := "--database"
	c.dbURL = flagged
	if c.dbURL == "" {
		from, c.dbURL = "DATABASE_URL", c.env.Getenv("DATABASE_URL")
	}
	if c.dbURL == "" {
		from, c.dbURL = "the project's default", c.project.DefaultDatabase
	}
	if c.dbURL == "" {
		return errors.New("no database: give --database URL or set DATABASE_URL")
	}
	if err := orm.CheckURL(c.dbURL); err != nil {
		return fmt.Errorf("the database URL from %s is wrong: %w", from, err)
	}
	return nil
}

// setHashers takes the password hashers from --password-hashers or
// STAFFROOM_PASSWORD_HASHERS, and refuses a setting that does not parse
// before anything is done.
func (c *call) setHashers(flagged string) error {
	from, spec := "--password-hashers", flagged
	if spec == "" {
		from, spec = "STAFFROOM_PASSWORD_HASHERS", c.env.Getenv("STAFFROOM_PASSWORD_HASHERS")
	}
	if spec == "" {
		return nil
	}
	h, err := auth.ParsePasswordHashers(spec)
	if err != nil {
		return &UsageError{Command: c.cmd.name, Err: fmt.Errorf("%s: %w", from, err)}
	}
	c.hashers = h
	return nil
}

// open opens the database, and only then takes the secret key, so that
// no key file is written beside a database that does not open; then it
// wires the app.
func (c *call) open() (*App, error) {
	reg, err := c.project.Registry()
	if err != nil {
		return nil, err
	}
	db, err := orm.Open(c.dbURL, reg, orm.Options{TimeZone: c.project.TimeZone})
	if err != nil {
		if path, ok := sqlitePath(c.dbURL); ok {
			if _, serr := os.Stat(filepath.Dir(path)); serr != nil {
				return nil, fmt.Errorf("%w (the folder %s does not exist)", err, filepath.Dir(path))
			}
		}
		return nil, err
	}
	key, err := c.secretKey()
	if err != nil {
		db.Close()
		return nil, err
	}
	app, err := wire(c.project, Config{Database: c.dbURL, SecretKey: key, FallbackKeys: fallbackKeys(c.env.Getenv),
		BaseURL: c.env.Getenv("STAFFROOM_BASE_URL"), Mail: &auth.ConsoleSender{W: c.env.Stdout},
		SessionEngine: session.Engine(c.env.Getenv("STAFFROOM_SESSION_ENGINE")), Hashers: c.hashers,
		Logger: slog.New(slog.NewTextHandler(c.env.Stderr, nil)), Guard: c.guard, deferChecks: c.deferChecks}, db)
	if err != nil {
		db.Close()
		return nil, err
	}
	return app, nil
}

// secretKey returns the key for the command. One that neither signs nor
// serves signs nothing that outlives it, so without STAFFROOM_SECRET_KEY
// it gets a key made for this run alone, and works on any database.
func (c *call) secretKey() (string, error) {
	if c.cmd.secret {
		return secretKey(c.env.Getenv, c.cmd.name, c.dbURL, c.env.Stderr)
	}
	if k := c.env.Getenv("STAFFROOM_SECRET_KEY"); k != "" {
		return k, nil
	}
	return randomKey()
}

// noFlags is the setup of a command without flags of its own.
func noFlags(run runFunc) func(*flag.FlagSet) runFunc {
	return func(*flag.FlagSet) runFunc { return run }
}

// withApp makes a command of a function that works on the opened app.
func withApp(fn func(ctx context.Context, c *call, app *App) error) runFunc {
	return func(ctx context.Context, c *call) error {
		app, err := c.open()
		if err != nil {
			return err
		}
		defer app.Close()
		return fn(ctx, c, app)
	}
}

func migrateFlags(fs *flag.FlagSet) runFunc {
	indexes := fs.Bool("admin-indexes", false, "also create the indexes the change lists need, which check warns of\n(staffroom.W003), on existing tables too, Django's included")
	return withApp(func(ctx context.Context, c *call, app *App) error {
		p := newProgress(c.env.Stderr)
		if _, err := app.MigrateReporting(ctx, p.counter("migrate", "schema changes")); err != nil {
			p.end()
			return err
		}
		p.end()
		if *indexes {
			if err := createAdminIndexes(ctx, c, app); err != nil {
				return err
			}
		}
		fmt.Fprintln(c.env.Stdout, "Migrated.")
		return nil
	})
}

// createAdminIndexes creates the indexes the site's change lists need,
// saying which.
func createAdminIndexes(ctx context.Context, c *call, app *App) error {
	made, err := app.Site.CreateAdviceIndexes(ctx)
	for _, name := range made {
		fmt.Fprintln(c.env.Stdout, "Created the index "+name+".")
	}
	return err
}

func seedFlags(fs *flag.FlagSet) runFunc {
	books := fs.Int("books", 0, "add `N` books (default: the project's choice)")
	return withApp(func(ctx context.Context, c *call, app *App) error {
		if _, err := app.Migrate(ctx); err != nil {
			return err
		}
		return c.seed(ctx, app, *books)
	})
}

// seed adds the project's demo data, reporting its progress.
func (c *call) seed(ctx context.Context, app *App, books int) error {
	if c.project.Seed == nil {
		return errors.New("this project has no demo data")
	}
	p := newProgress(c.env.Stderr)
	defer p.end()
	return c.project.Seed(ctx, app.DB, SeedOptions{Books: books, Progress: p.counter("seed", "books")})
}

func inspectDB(ctx context.Context, c *call, app *App) error {
	return app.DB.Inspect(ctx, c.env.Stdout, c.args...)
}
