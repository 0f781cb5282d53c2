package project_test

// Benchmarks of the book change list, the admin's busiest page, and of the
// load test's other pages, on SQLite with the example's data. Each page
// is timed whole (session, user, permissions, the change list's queries,
// the page written: name/page) and beside it the very statements the page
// ran, replayed through database/sql alone (name/sql), in wall time
// (ns/op) and in the process's CPU time (cpu-ms/op). name/own times the
// two one after the other at each iteration: the difference is the
// admin's own share. The data set is made once per size and kept in the
// temporary folder:
//
//	STAFFROOM_BENCH_BOOKS=1000000 go test -run '^$' -bench ChangeList -benchtime 20x ./examples/bookstore/project/

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/staffroom/staffroom"
	"github.com/staffroom/staffroom/auth"
	"github.com/staffroom/staffroom/examples/bookstore/bookstore"
	"github.com/staffroom/staffroom/examples/bookstore/project"
	"github.com/staffroom/staffroom/orm"
	"github.com/staffroom/staffroom/orm/sqliteext"
)

func benchBooks() int {
	if n, err := strconv.Atoi(os.Getenv("STAFFROOM_BENCH_BOOKS")); err == nil && n > 0 {
		return n
	}
	return 10000
}

var (
	benchOnce sync.Once
	benchApp  *staffroom.App
	benchKey  string // the session cookie of a logged-in superuser
	benchErr  error
)

// benchSite opens the example on a seeded SQLite file, making it on first
// use, and logs a superuser in.
func benchSite(b *testing.B) (*staffroom.App, string) {
	benchOnce.Do(func() {
		if benchErr = sqliteext.Register(); benchErr != nil {
			return
		}
		n := benchBooks()
		path := filepath.Join(os.TempDir(), fmt.Sprintf("staffroom-bench-site-%d.sqlite3", n))
		_, statErr := os.Stat(path)
		app, err := staffroom.New(project.Project(), staffroom.Config{Database: "sqlite:" + path, SecretKey: "bench",
			Hashers: auth.PasswordHashers{auth.PBKDF2SHA256{Iterations: 10}}})
		if err != nil {
			benchErr = err
			return
		}
		ctx := context.Background()
		if _, err := app.Migrate(ctx); err != nil {
			benchErr = err
			return
		}
		if os.IsNotExist(statErr) {
			if err := bookstore.Seed(ctx, app.DB, n, nil); err != nil {
				benchErr = err
				return
			}
			if _, err := staffroom.CreateUser(ctx, app, "bench", "", "bench password", true); err != nil {
				benchErr = err
				return
			}
		}
		// With the indexes check advises, as the goals assume
		// (migrate --admin-indexes).
		if _, benchErr = app.Site.CreateAdviceIndexes(ctx); benchErr != nil {
			return
		}
		benchApp = app
		benchKey, benchErr = benchLogin(app)
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchApp, benchKey
}

// benchLogin logs in through the login form and returns the session key.
func benchLogin(app *staffroom.App) (string, error) {
	get := benchRequest(http.MethodGet, "/admin/login/", "", nil)
	rec := httptest.NewRecorder()
	app.Handler.ServeHTTP(rec, get)
	var csrf string
	for _, c := range rec.Result().Cookies() {
		if c.Name == "csrftoken" {
			csrf = c.Value
		}
	}
	form := url.Values{"username": {"bench"}, "password": {"bench password"}, "csrfmiddlewaretoken": {csrf}}
	post := benchRequest(http.MethodPost, "/admin/login/", "", strings.NewReader(form.Encode()))
	post.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	post.AddCookie(&http.Cookie{Name: "csrftoken", Value: csrf})
	rec = httptest.NewRecorder()
	app.Handler.ServeHTTP(rec, post)
	for _, c := range rec.Result().Cookies() {
		if c.Name == "sessionid" {
			return c.Value, nil
		}
	}
	return "", fmt.Errorf("login failed: %d %s", rec.Code, rec.Body.String())
}

func benchRequest(method, target, session string, body *strings.Reader) *http.Request {
	var r *http.Request
	if body == nil {
		r = httptest.NewRequest(method, target, nil)
	} else {
		r = httptest.NewRequest(method, target, body)
	}
	r.Host = "127.0.0.1"
	if session != "" {
		r.AddCookie(&http.Cookie{Name: "sessionid", Value: session})
	}
	return r
}

// changeListPages are the pages timed: the default list (newest first),
// a search, a filter by publisher, and a page deep in the list.
var changeListPages = map[string]string{
	"default":   "/admin/bookstore/book/",
	"search":    "/admin/bookstore/book/?q=orchard",
	"publisher": "/admin/bookstore/book/?publisher__id__exact=3",
	"page5":     "/admin/bookstore/book/?p=5&o=1",
	"year":      "/admin/bookstore/book/?pubdate__year=2020",
	"price":     "/admin/bookstore/book/?o=4",
}

// deepPage is the page "deep" times by OFFSET, and "deep-next" by the
// keyset of the Next link of the page before it.
func deepPage() int { return max(2, benchBooks()/100/2) }

func BenchmarkChangeList(b *testing.B) {
	app, session := benchSite(b)
	pages := map[string]string{"deep": fmt.Sprintf("/admin/bookstore/book/?p=%d", deepPage())}
	for k, v := range changeListPages {
		pages[k] = v
	}
	if next := nextLink(b, app, session, fmt.Sprintf("/admin/bookstore/book/?p=%d", deepPage()-1)); next != "" {
		pages["deep-next"] = "/admin/bookstore/book/" + next
	}
	for name, target := range pages {
		benchPage(b, app, session, name, target)
	}
}

// BenchmarkOtherPages times, as BenchmarkChangeList does, the other pages
// the load test requests: the index, the book change form and the author
// search.
func BenchmarkOtherPages(b *testing.B) {
	app, session := benchSite(b)
	for name, target := range map[string]string{
		"index":   "/admin/",
		"change":  "/admin/bookstore/book/5/change/",
		"authors": "/admin/bookstore/author/?q=smith",
	} {
		benchPage(b, app, session, name, target)
	}
}

// benchPage times the page at target whole (name/page), its statements
// replayed (name/sql), and both side by side (name/own).
func benchPage(b *testing.B, app *staffroom.App, session, name, target string) {
	// The statements of a page served before: the first of a
	// process also reads the index catalogue, once.
	var stmts []orm.Statement
	for range 2 {
		c := &orm.QueryCounter{Record: true}
		r := benchRequest(http.MethodGet, target, session, nil)
		rec := httptest.NewRecorder()
		app.Handler.ServeHTTP(rec, r.WithContext(orm.WithQueryCounter(r.Context(), c)))
		if rec.Code != http.StatusOK {
			b.Fatalf("%s: %d %s", target, rec.Code, rec.Body.String())
		}
		stmts = c.Statements()
	}
	b.Run(name+"/page", func(b *testing.B) {
		defer reportCPU(b)()
		for b.Loop() {
			w := &discardWriter{header: http.Header{}}
			app.Handler.ServeHTTP(w, benchRequest(http.MethodGet, target, session, nil))
			if w.code != http.StatusOK {
				b.Fatalf("%s: %d", target, w.code)
			}
		}
		b.ReportMetric(float64(len(stmts)), "queries/op")
	})
	replay := func(b *testing.B) {
		// Under a deadline, as the page's statements run
		// (Site.deadline): the driver then watches the context
		// during each statement.
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		for _, s := range stmts {
			if err := drain(ctx, app.DB.SQL(), s); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.Run(name+"/sql", func(b *testing.B) {
		defer reportCPU(b)()
		for b.Loop() {
			replay(b)
		}
	})
	// own times the page and its replay one after the other at each
	// iteration and reports the mean of the differences, which counts
	// the garbage collections that fall on some iterations only, and
	// their median: the admin's own time, which a machine whose speed
	// drifts from one second to the next (a shared VM's) blurs less
	// than the difference of page's and sql's separate runs.
	b.Run(name+"/own", func(b *testing.B) {
		var wall, cpu []float64
		for b.Loop() {
			t0, c0 := time.Now(), processCPU()
			w := &discardWriter{header: http.Header{}}
			app.Handler.ServeHTTP(w, benchRequest(http.MethodGet, target, session, nil))
			t1, c1 := time.Now(), processCPU()
			if w.code != http.StatusOK {
				b.Fatalf("%s: %d", target, w.code)
			}
			replay(b)
			t2, c2 := time.Now(), processCPU()
			wall = append(wall, float64(t1.Sub(t0)-t2.Sub(t1))/float64(time.Millisecond))
			cpu = append(cpu, float64((c1-c0)-(c2-c1))/float64(time.Millisecond))
		}
		b.ReportMetric(mean(wall), "own-ms")
		b.ReportMetric(mean(cpu), "own-cpu-ms")
		b.ReportMetric(median(wall), "own-p50-ms")
	})
}

// mean is the average of xs.
func mean(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	var sum float64
	for _, x := range xs {
		sum += x
	}
	return sum / float64(len(xs))
}

// median is the middle of xs (which it sorts).
func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	slices.Sort(xs)
	if n := len(xs); n%2 == 0 {
		return (xs[n/2-1] + xs[n/2]) / 2
	}
	return xs[len(xs)/2]
}

// reportCPU reports the process's CPU time per operation, in ms, when
// the function it returns is called: the work an operation made, the
// garbage collector's included, without the waits that make wall time
// vary on a shared machine.
func reportCPU(b *testing.B) func() {
	start := processCPU()
	return func() {
		b.ReportMetric(float64(processCPU()-start)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
	}
}

// processCPU is the user and system time the process has used.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// discardWriter is a ResponseWriter that counts the body and keeps
// none of it, as a server writes it out to the connection: a recorder
// would grow a buffer for each page, garbage the admin does not make.
type discardWriter struct {
	header http.Header
	code   int
	n      int
}

func (w *discardWriter) Header() http.Header { return w.header }

func (w *discardWriter) WriteHeader(code int) {
	if w.code == 0 {
		w.code = code
	}
}

func (w *discardWriter) Write(p []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	w.n += len(p)
	return len(p), nil
}

// nextLink is the href of the Next link of the page at target.
func nextLink(b *testing.B, app *staffroom.App, session, target string) string {
	rec := httptest.NewRecorder()
	app.Handler.ServeHTTP(rec, benchRequest(http.MethodGet, target, session, nil))
	body := rec.Body.String()
	i := strings.Index(body, `class="next"`)
	if i < 0 {
		return ""
	}
	start := strings.LastIndex(body[:i], `href="`) + len(`href="`)
	end := strings.Index(body[start:], `"`)
	return strings.ReplaceAll(body[start:start+end], "&amp;", "&")
}

// drain runs a statement and reads every row, as the page did.
func drain(ctx context.Context, db *sql.DB, s orm.Statement) error {
	rows, err := db.QueryContext(ctx, s.Query, s.Args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return err
	}
	// Into values of any type, as the orm scans: what the driver
	// delivers is the SQL's cost; what the orm makes of it, the admin's.
	vals := make([]any, len(cols))
	for i := range vals {
		vals[i] = new(any)
	}
	for rows.Next() {
		if err := rows.Scan(vals...); err != nil {
			return err
		}
	}
	return rows.Err()
}

// BenchmarkChangeForm times the book change form's GET and the add POST
// of a question with two choices in its inline (one transaction: the
// question, the choices, the log entry).
func BenchmarkChangeForm(b *testing.B) {
	app, session := benchSite(b)
	b.Run("book/get", func(b *testing.B) {
		for b.Loop() {
			rec := httptest.NewRecorder()
			app.Handler.ServeHTTP(rec, benchRequest(http.MethodGet, "/admin/bookstore/book/1/change/", session, nil))
			if rec.Code != http.StatusOK {
				b.Fatalf("%d %s", rec.Code, rec.Body.String())
			}
			b.SetBytes(int64(rec.Body.Len()))
		}
	})
	csrf := benchCSRF(b, app, session)
	b.Run("question/add-with-inline", func(b *testing.B) {
		i := 0
		for b.Loop() {
			i++
			form := url.Values{
				"csrfmiddlewaretoken": {csrf}, "question_text": {fmt.Sprintf("Benchmark question %d", i)},
				"pub_date_0": {"2026-12-01"}, "pub_date_1": {"10:00:00"},
				"choice_set-TOTAL_FORMS": {"2"}, "choice_set-INITIAL_FORMS": {"0"},
				"choice_set-MIN_NUM_FORMS": {"0"}, "choice_set-MAX_NUM_FORMS": {"1000"},
				"choice_set-0-choice_text": {"Yes"}, "choice_set-0-votes": {"0"},
				"choice_set-1-choice_text": {"No"}, "choice_set-1-votes": {"0"},
				"_save": {"Save"},
			}
			r := benchRequest(http.MethodPost, "/admin/polls/question/add/", session, strings.NewReader(form.Encode()))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			r.AddCookie(&http.Cookie{Name: "csrftoken", Value: csrf})
			rec := httptest.NewRecorder()
			app.Handler.ServeHTTP(rec, r)
			if rec.Code != http.StatusFound {
				b.Fatalf("%d %s", rec.Code, rec.Body.String())
			}
		}
	})
}

// benchCSRF returns a CSRF token valid with itself as the cookie.
func benchCSRF(b *testing.B, app *staffroom.App, session string) string {
	rec := httptest.NewRecorder()
	app.Handler.ServeHTTP(rec, benchRequest(http.MethodGet, "/admin/polls/question/add/", session, nil))
	for _, c := range rec.Result().Cookies() {
		if c.Name == "csrftoken" {
			return c.Value
		}
	}
	b.Fatal("no CSRF cookie")
	return ""
}
