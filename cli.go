package staffroom

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/staffroom/staffroom/auth"
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

// Main runs the command named by os.Args and returns the exit code: serve
// (the default), migrate, createsuperuser, changepassword, clearsessions,
// seed, loaddata, dumpdata or inspectdb.
func Main(p Project) int {
	env := Env{Args: os.Args[1:], Getenv: os.Getenv, Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := Run(ctx, p, env); err != nil {
		fmt.Fprintf(env.Stderr, "%s: %v\n", p.Name, err)
		if errors.Is(err, flag.ErrHelp) {
			return 2
		}
		return 1
	}
	return 0
}

const usage = `usage: %[1]s [command] [flags]

commands:
  serve              migrate, then serve the admin (the default)
  migrate            create missing tables, content types and permissions
  createsuperuser    create a superuser (--noinput --username U --email E reads
                     the password from STAFFROOM_SUPERUSER_PASSWORD); the
                     password validators apply, and may be bypassed only
                     when answering the prompt
  changepassword U   set a user's password (validated)
  clearsessions      delete the sessions that have expired (and stale login
                     throttling counts)
  seed               add demo data (--books N)
  loaddata FILE...   load Django JSON fixtures (- reads standard input), all
                     in one transaction
  dumpdata [app[.Model]...]
                     write the data as a Django JSON fixture; flags:
                     --indent N, --natural-foreign, --natural-primary,
                     --exclude app[.Model] (repeatable), --output FILE
  inspectdb [TABLE...]
                     print Go models for the database's tables

flags common to all commands:
  --database URL     database URL (default: $DATABASE_URL, else %[2]s)

environment:
  STAFFROOM_SECRET_KEY            the secret key (default: one kept beside a
                                  SQLite database, made on first use)
  STAFFROOM_SECRET_KEY_FALLBACKS  older keys, comma-separated, still accepted
  STAFFROOM_SESSION_ENGINE        db (the default) or signed_cookies
  STAFFROOM_BASE_URL              the admin's scheme and host for links in
                                  mails (password reset), e.g.
                                  https://staff.example.com
`

// Run runs one command.
func Run(ctx context.Context, p Project, env Env) error {
	args := env.Args
	cmd := "serve"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	fs := flag.NewFlagSet(p.Name+" "+cmd, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	fs.Usage = func() { fmt.Fprintf(env.Stderr, usage, p.Name, p.DefaultDatabase) }
	database := fs.String("database", "", "database URL")
	addr := fs.String("addr", "127.0.0.1:8000", "address to serve on (serve)")
	noinput := fs.Bool("noinput", false, "do not prompt (createsuperuser)")
	username := fs.String("username", "", "username (createsuperuser)")
	email := fs.String("email", "", "email address (createsuperuser)")
	books := fs.Int("books", 0, "number of books (seed)")
	dump := dumpFlags(fs)
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	dbURL := firstNonEmpty(*database, env.Getenv("DATABASE_URL"), p.DefaultDatabase)
	key, err := secretKey(env.Getenv, dbURL, env.Stderr)
	if err != nil {
		return err
	}
	app, err := New(p, Config{Database: dbURL, SecretKey: key, FallbackKeys: fallbackKeys(env.Getenv),
		BaseURL: env.Getenv("STAFFROOM_BASE_URL"), Mail: &auth.ConsoleSender{W: env.Stdout},
		SessionEngine: session.Engine(env.Getenv("STAFFROOM_SESSION_ENGINE")), Logger: slog.New(slog.NewTextHandler(env.Stderr, nil))})
	if err != nil {
		return err
	}
	defer app.Close()
	switch cmd {
	case "serve":
		return serve(ctx, p, app, env, *addr)
	case "migrate":
		_, err := app.Migrate(ctx)
		if err == nil {
			fmt.Fprintln(env.Stdout, "Migrated.")
		}
		return err
	case "createsuperuser":
		if _, err := app.Migrate(ctx); err != nil {
			return err
		}
		return createSuperuser(ctx, app, env, *noinput, *username, *email)
	case "changepassword":
		if len(pos) != 1 {
			return errors.New("changepassword takes one username")
		}
		return changePassword(ctx, app, env, pos[0])
	case "clearsessions":
		return clearSessions(ctx, app, env)
	case "seed":
		if p.Seed == nil {
			return errors.New("this project has no demo data")
		}
		if _, err := app.Migrate(ctx); err != nil {
			return err
		}
		return p.Seed(ctx, app.DB, SeedOptions{Books: *books})
	case "loaddata":
		return loadData(ctx, app, env, pos)
	case "dumpdata":
		return dumpData(ctx, app, env, pos, dump)
	case "inspectdb":
		return app.DB.Inspect(ctx, env.Stdout, pos...)
	}
	fs.Usage()
	return fmt.Errorf("unknown command %q", cmd)
}

func firstNonEmpty(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}

// serve migrates, sets up a new database (demo data and the superuser
// "admin"), and serves until ctx ends, then shuts down cleanly.
func serve(ctx context.Context, p Project, app *App, env Env, addr string) error {
	fresh, err := app.Migrate(ctx)
	if err != nil {
		return err
	}
	if fresh {
		if p.Seed != nil {
			if err := p.Seed(ctx, app.DB, SeedOptions{}); err != nil {
				return err
			}
			fmt.Fprintln(env.Stdout, "Loaded the demo data.")
		}
		password := env.Getenv("STAFFROOM_SUPERUSER_PASSWORD")
		shown := password == ""
		if shown {
			password = auth.RandomString(16)
		}
		if _, err := CreateUser(ctx, app, "admin", "", password, true); err != nil {
			return err
		}
		if shown {
			fmt.Fprintf(env.Stdout, "Created the superuser admin with the password %s (shown once; change it with changepassword).\n", password)
		} else {
			fmt.Fprintln(env.Stdout, "Created the superuser admin with the password from STAFFROOM_SUPERUSER_PASSWORD.")
		}
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: app.Handler, ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(env.Stdout, "Serving the admin on http://%s%s (Ctrl-C to stop)\n", ln.Addr(), app.Site.URL())
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, "Stopped.")
	return nil
}
