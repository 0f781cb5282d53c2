package staffroom

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/staffroom/staffroom/auth"
	"github.com/staffroom/staffroom/guard"
)

func serveFlags(fs *flag.FlagSet) runFunc {
	addr := fs.String("addr", "127.0.0.1:8000", "the `ADDRESS` to listen on")
	g := guardFlags(fs)
	return func(ctx context.Context, c *call) error {
		c.guard = g.config(c.env.Getenv)
		return serve(ctx, c, *addr)
	}
}

// serveGuard holds serve's flags for the guard.
type serveGuard struct {
	hosts      string
	trustProxy bool
	cfg        guard.Config
}

// guardFlags defines the flags of the allowed hosts, the proxy, the
// request limits and the timeouts.
func guardFlags(fs *flag.FlagSet) *serveGuard {
	g := &serveGuard{}
	fs.StringVar(&g.hosts, "allowed-hosts", "", "the `HOSTS` the admin answers to, comma-separated: a name,\n"+
		".example.com for a domain and its subdomains, * for any\n"+
		"(default: $STAFFROOM_ALLOWED_HOSTS, else localhost, 127.0.0.1, [::1])")
	fs.BoolVar(&g.trustProxy, "trust-proxy", false, "believe a front-end proxy's X-Forwarded-Host and\n"+
		"X-Forwarded-Proto (default: $STAFFROOM_TRUST_PROXY)")
	fs.DurationVar(&g.cfg.HSTS.MaxAge, "hsts", 0, "send Strict-Transport-Security with this `MAX-AGE` over https")
	fs.Int64Var(&g.cfg.Limits.MaxUploadSize, "max-upload-size", guard.DefaultMaxUploadSize,
		"the largest multipart body, files included, in `BYTES` (0: no limit)")
	fs.Int64Var(&g.cfg.Limits.MaxFormSize, "max-form-size", guard.DefaultMaxFormSize,
		"the largest other body, and a multipart body's values, in `BYTES`\n(0: no limit)")
	fs.IntVar(&g.cfg.Limits.MaxFields, "max-fields", guard.DefaultMaxFields, "the most `N` values in a form (0: no limit)")
	fs.DurationVar(&g.cfg.Timeouts.ReadHeader, "read-header-timeout", guard.DefaultReadHeaderTimeout,
		"the `TIME` a request's header may take (0: no limit)")
	fs.DurationVar(&g.cfg.Timeouts.Read, "read-timeout", guard.DefaultReadTimeout,
		"the `TIME` a whole request, body included, may take (0: no limit)")
	fs.DurationVar(&g.cfg.Timeouts.Write, "write-timeout", guard.DefaultWriteTimeout,
		"the `TIME` writing a response may take (0: no limit)")
	fs.DurationVar(&g.cfg.Timeouts.Idle, "idle-timeout", guard.DefaultIdleTimeout,
		"the `TIME` a kept-alive connection may wait for its next request")
	return g
}

// config returns the guard's configuration: the flags, else the
// environment. A zero flag means no limit, which guard.Config spells -1.
func (g *serveGuard) config(getenv func(string) string) guard.Config {
	cfg := g.cfg
	hosts := g.hosts
	if hosts == "" {
		hosts = getenv("STAFFROOM_ALLOWED_HOSTS")
	}
	for _, h := range strings.Split(hosts, ",") {
		if h = strings.TrimSpace(h); h != "" {
			cfg.AllowedHosts = append(cfg.AllowedHosts, h)
		}
	}
	if !g.trustProxy {
		cfg.TrustProxy, _ = strconv.ParseBool(getenv("STAFFROOM_TRUST_PROXY"))
	} else {
		cfg.TrustProxy = true
	}
	none := func(p *int64) {
		if *p == 0 {
			*p = -1
		}
	}
	none(&cfg.Limits.MaxUploadSize)
	none(&cfg.Limits.MaxFormSize)
	if cfg.Limits.MaxFields == 0 {
		cfg.Limits.MaxFields = -1
	}
	for _, d := range []*time.Duration{&cfg.Timeouts.ReadHeader, &cfg.Timeouts.Read, &cfg.Timeouts.Write, &cfg.Timeouts.Idle} {
		if *d == 0 {
			*d = -1
		}
	}
	return cfg
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
	srv := app.Server()
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

// setUp migrates; a database that was new gets the indexes its change
// lists need (its tables are Staffroom's own), the demo data and the
// superuser "admin", with the password in STAFFROOM_SUPERUSER_PASSWORD or
// a random one, printed once.
func (c *call) setUp(ctx context.Context, app *App) error {
	fresh, err := app.Migrate(ctx)
	if err != nil || !fresh {
		return err
	}
	if err := createAdminIndexes(ctx, c, app); err != nil {
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
