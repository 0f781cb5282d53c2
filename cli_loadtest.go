package staffroom

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/staffroom/staffroom/auth"
)

// loadtestFlags defines the load test's flags: it serves the admin on a
// loopback port (or uses --url), logs one session in, and requests each
// path from concurrent clients for a while, reporting requests per second
// and latency percentiles per path. With no paths it takes the index,
// each registered model's change list and the first object's change page.
func loadtestFlags(fs *flag.FlagSet) runFunc {
	base := fs.String("url", "", "the admin's `URL` of a running server (e.g. http://127.0.0.1:8000/admin/);\n"+
		"by default the project is served here, on a loopback port")
	conc := fs.Int("c", 4, "how many `N` clients request at once")
	dur := fs.Duration("duration", 5*time.Second, "how long each path is requested, a `TIME`")
	username := fs.String("username", "", "the `USER` to log in as (with --password); by default a superuser\n"+
		"made for the run and deleted after it")
	password := fs.String("password", "", "the `PASSWORD` of --username")
	return func(ctx context.Context, c *call) error {
		if *conc < 1 || *dur <= 0 {
			return &UsageError{Command: c.cmd.name, Err: errors.New("-c must be at least 1 and --duration positive")}
		}
		lt := &loadtest{concurrency: *conc, duration: *dur, out: c.env.Stdout, paths: c.args}
		if *base != "" {
			u, err := url.Parse(*base)
			if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
				return &UsageError{Command: c.cmd.name, Err: fmt.Errorf("--url %q is not an http(s) URL", *base)}
			}
			if *username == "" || len(lt.paths) == 0 {
				return &UsageError{Command: c.cmd.name, Err: errors.New("with --url, give --username, --password and the paths")}
			}
			lt.root, lt.username, lt.password = strings.TrimSuffix(u.String(), "/")+"/", *username, *password
			return lt.run(ctx)
		}
		app, err := c.open()
		if err != nil {
			return err
		}
		defer app.Close()
		return lt.serveAndRun(ctx, app, *username, *password)
	}
}

// loadtest is one run of the load test.
type loadtest struct {
	root               string // the admin's URL, ending in a slash
	username, password string
	paths              []string // below root
	concurrency        int
	duration           time.Duration
	out                io.Writer
}

// serveAndRun serves app on a loopback port for the run, with a throwaway
// superuser unless one is named.
func (lt *loadtest) serveAndRun(ctx context.Context, app *App, username, password string) error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("loadtest: %w", err)
	}
	srv := &http.Server{Handler: app.Handler, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()
	lt.root = "http://" + ln.Addr().String() + app.Site.URL()
	lt.username, lt.password = username, password
	if username == "" {
		lt.username, lt.password = "loadtest-"+strings.ToLower(auth.RandomString(8)), auth.RandomString(24)
		u, err := CreateUser(ctx, app, lt.username, "", lt.password, true)
		if err != nil {
			return fmt.Errorf("loadtest: %w", err)
		}
		defer func() { _ = app.DB.Delete(context.Background(), u) }()
	}
	if len(lt.paths) == 0 {
		if lt.paths, err = defaultLoadPaths(ctx, app); err != nil {
			return err
		}
	}
	return lt.run(ctx)
}

// defaultLoadPaths are the index, each registered model's change list and
// its first object's change page.
func defaultLoadPaths(ctx context.Context, app *App) ([]string, error) {
	paths := []string{""}
	for _, m := range app.DB.Registry().Models() {
		if !app.Site.IsRegistered(m.Type()) {
			continue
		}
		list := m.App.Label + "/" + m.ModelName + "/"
		paths = append(paths, list)
		rows, err := app.DB.Query(m).OrderBy("pk").Values("pk").Limit(1).Tuples(ctx)
		if err != nil {
			return nil, err
		}
		if len(rows) == 1 {
			paths = append(paths, list+url.PathEscape(fmt.Sprint(rows[0][0]))+"/change/")
		}
	}
	return paths, nil
}

var csrfInput = regexp.MustCompile(`name="csrfmiddlewaretoken" value="([^"]+)"`)

// login signs in through the login form and returns the client holding
// the session.
func (lt *loadtest) login(ctx context.Context) (*http.Client, error) {
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, Timeout: time.Minute,
		Transport:     &http.Transport{MaxIdleConnsPerHost: lt.concurrency, MaxConnsPerHost: lt.concurrency},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	page, err := lt.get(ctx, client, lt.root+"login/")
	if err != nil {
		return nil, err
	}
	m := csrfInput.FindStringSubmatch(page)
	if m == nil {
		return nil, errors.New("loadtest: the login page has no CSRF token")
	}
	form := url.Values{"csrfmiddlewaretoken": {m[1]}, "username": {lt.username}, "password": {lt.password}, "next": {lt.root}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, lt.root+"login/", strings.NewReader(form.Encode()))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Referer", lt.root+"login/")
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("loadtest: log in: %w", err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		return nil, fmt.Errorf("loadtest: log in as %s: status %d (wrong password, or no staff access?)", lt.username, resp.StatusCode)
	}
	return client, nil
}

func (lt *loadtest) get(ctx context.Context, client *http.Client, target string) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return "", err
	}
	resp, err := client.Do(req)
	if err != nil {
		return "", fmt.Errorf("loadtest: GET %s: %w", target, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return "", fmt.Errorf("loadtest: GET %s: %w", target, err)
	}
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("loadtest: GET %s: status %d", target, resp.StatusCode)
	}
	return string(body), nil
}

// run requests each path for the duration from the clients, one path
// after the other, and prints a line per path.
func (lt *loadtest) run(ctx context.Context) error {
	client, err := lt.login(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(lt.out, "%d clients, %s per path, %s\n", lt.concurrency, lt.duration, lt.root)
	fmt.Fprintf(lt.out, "%-60s %8s %9s %9s %9s %9s %8s\n", "path", "req/s", "p50", "p95", "p99", "max", "KB")
	for _, p := range lt.paths {
		target := lt.root + strings.TrimPrefix(p, "/")
		// One request first: a path that fails stops the run.
		body, err := lt.get(ctx, client, target)
		if err != nil {
			return err
		}
		r, err := lt.hammer(ctx, client, target)
		if err != nil {
			return err
		}
		fmt.Fprintf(lt.out, "%-60s %8.1f %9s %9s %9s %9s %8.1f\n", p, r.rate, ms(r.pct(50)), ms(r.pct(95)), ms(r.pct(99)), ms(r.pct(100)), float64(len(body))/1024)
	}
	return nil
}

// result is the latencies of one path's requests.
type result struct {
	latencies []time.Duration
	rate      float64
}

// pct is the p-th percentile latency, by the nearest rank.
func (r result) pct(p int) time.Duration {
	if len(r.latencies) == 0 {
		return 0
	}
	i := (p*len(r.latencies)+99)/100 - 1
	return r.latencies[min(max(i, 0), len(r.latencies)-1)]
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1fms", float64(d.Microseconds())/1000) }

// hammer requests target from the clients until the duration is over.
func (lt *loadtest) hammer(ctx context.Context, client *http.Client, target string) (result, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		mu   sync.Mutex
		lats []time.Duration
		fail error
		wg   sync.WaitGroup
	)
	start := time.Now()
	deadline := start.Add(lt.duration)
	for range lt.concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(deadline) && ctx.Err() == nil {
				t := time.Now()
				if _, err := lt.get(ctx, client, target); err != nil {
					mu.Lock()
					if fail == nil {
						fail = err
					}
					mu.Unlock()
					cancel()
					return
				}
				d := time.Since(t)
				mu.Lock()
				lats = append(lats, d)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if fail != nil {
		return result{}, fail
	}
	slices.Sort(lats)
	return result{latencies: lats, rate: float64(len(lats)) / time.Since(start).Seconds()}, nil
}
