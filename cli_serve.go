package staffroom

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"syscall"
	"time"

	"github.com/staffroom/staffroom/auth"
)

func serveFlags(fs *flag.FlagSet) runFunc {
	addr := fs.String("addr", "127.0.0.1:8000", "the `ADDRESS` to listen on")
	return func(ctx context.Context, c *call) error { return serve(ctx, c, *addr) }
}

// serve listens first, so that a busy port is reported before the
// database is touched; then it migrates, sets up a new database (demo data
// and the superuser "admin"), and serves until ctx ends, then shuts down
// cleanly.
func serve(ctx context.Context, c *call, addr string) error {
	ln, err := listen(addr)
	if err != nil {
		return err
	}
	defer ln.Close()
	app, err := c.open()
	if err != nil {
		return err
	}
	defer app.Close()
	if msgs := app.Site.Check(); len(msgs) > 0 {
		// Errors refused the admins already; what is left are warnings,
		// shown as Django's runserver shows them.
		writeCheckReport(c.env.Stderr, msgs)
	}
	if err := c.setUp(ctx, app); err != nil {
		return err
	}
	srv := &http.Server{Handler: app.Handler, ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(c.env.Stdout, "Serving the admin on http://%s%s (Ctrl-C to stop)\n", ln.Addr(), app.Site.URL())
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
	fmt.Fprintln(c.env.Stdout, "Stopped.")
	return nil
}

// listen listens on addr, saying plainly when another program has it.
func listen(addr string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if errors.Is(err, syscall.EADDRINUSE) {
		return nil, fmt.Errorf("serve: %s is in use (by another server, or this one still running); stop it or choose another address with --addr", addr)
	}
	if err != nil {
		return nil, fmt.Errorf("serve: %w", err)
	}
	return ln, nil
}

// setUp migrates; a database that was new gets the demo data and the
// superuser "admin", with the password in STAFFROOM_SUPERUSER_PASSWORD or
// a random one, printed once.
func (c *call) setUp(ctx context.Context, app *App) error {
	fresh, err := app.Migrate(ctx)
	if err != nil || !fresh {
		return err
	}
	if c.project.Seed != nil {
		if err := c.seed(ctx, app, 0); err != nil {
			return err
		}
		fmt.Fprintln(c.env.Stdout, "Loaded the demo data.")
	}
	password := c.env.Getenv("STAFFROOM_SUPERUSER_PASSWORD")
	shown := password == ""
	if shown {
		password = auth.RandomString(16)
	}
	if _, err := CreateUser(ctx, app, "admin", "", password, true); err != nil {
		return err
	}
	if shown {
		fmt.Fprintf(c.env.Stdout, "Created the superuser admin with the password %s (shown once; change it with changepassword).\n", password)
	} else {
		fmt.Fprintln(c.env.Stdout, "Created the superuser admin with the password from STAFFROOM_SUPERUSER_PASSWORD.")
	}
	return nil
}
