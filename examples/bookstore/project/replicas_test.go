package project_test

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/staffroom/staffroom"
	"github.com/staffroom/staffroom/auth"
	"github.com/staffroom/staffroom/examples/bookstore/bookstore"
	"github.com/staffroom/staffroom/examples/bookstore/project"
	"github.com/staffroom/staffroom/examples/bookstore/reviews"
	"github.com/staffroom/staffroom/internal/testdb"
	"github.com/staffroom/staffroom/internal/webtest"
	"github.com/staffroom/staffroom/orm"
)

// TestReplicas runs two servers on one database, as two replicas behind a
// load balancer: a browser whose requests alternate between them stays
// logged in, sees a message set by the other, saves a list_editable page
// it was shown by the other, and a login throttled by failures on one is
// throttled on the other. Nothing that matters lives in a server's memory.
func TestReplicas(t *testing.T) {
	for _, d := range testdb.Dialects() {
		t.Run(d, func(t *testing.T) { replicas(t, d, testdb.URL(t, d)) })
	}
}

// TestReplicasBehindPgBouncer is TestReplicas through PgBouncer in
// transaction pooling mode, each statement's transaction on any of the
// pool's server connections: pgx's cached prepared statements would not
// survive that, so the URL asks for the simple protocol
// (default_query_exec_mode=simple_protocol). .ci/run starts PgBouncer and
// sets STAFFROOM_TEST_PGBOUNCER (with that parameter) to its database,
// which the test empties first; STAFFROOM_TEST_POSTGRES reaches the same
// database directly for that.
func TestReplicasBehindPgBouncer(t *testing.T) {
	bouncer := os.Getenv("STAFFROOM_TEST_PGBOUNCER")
	direct := os.Getenv(testdb.EnvPostgres)
	if bouncer == "" || direct == "" {
		t.Skip("set STAFFROOM_TEST_PGBOUNCER (and STAFFROOM_TEST_POSTGRES) to run the replicas through PgBouncer")
	}
	u, err := url.Parse(bouncer)
	if err != nil {
		t.Fatal(err)
	}
	d, err := url.Parse(direct)
	if err != nil {
		t.Fatal(err)
	}
	d.Path = u.Path // the same database, without the pooler
	db, err := sql.Open("pgx", d.String())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec("DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public"); err != nil {
		t.Fatalf("empty the database: %v", err)
	}
	replicas(t, "postgres", bouncer)
}

func replicas(t *testing.T, dialect, dbURL string) {
	ctx := context.Background()
	a := newAppWith(t, dialect, staffroom.Config{Database: dbURL}) // migrated, seeded, with the superuser
	b, err := staffroom.New(project.Project(), staffroom.Config{Database: dbURL, SecretKey: "test-secret-key-not-for-production",
		Hashers: auth.PasswordHashers{auth.PBKDF2SHA256{Iterations: 1000}}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })

	// One address for both, as behind a load balancer; each step says
	// which replica serves it.
	var to atomic.Int32
	lb := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		[]http.Handler{a.Handler, b.Handler}[to.Load()].ServeHTTP(w, r)
	})
	c := webtest.New(t, lb)
	onA, onB := c, c
	use := func(i int32) { to.Store(i) }
	use(0)
	expectRedirect(t, login(t, onA, "admin", password), "/admin/")
	use(1)

	// The session made by A lets B in.
	index := onB.Get("/admin/")
	expect(t, index, 200)
	if !strings.Contains(index.Text("#user-tools"), "admin") {
		t.Fatalf("B does not know the user A logged in")
	}

	// A message set by a save on A is shown by the next page, served by B.
	use(0)
	add := onA.Get("/admin/bookstore/publisher/add/")
	r := onA.Submit(add, "#publisher_form", url.Values{"name": {"Replica Press"}}, "")
	expect(t, r, 302)
	use(1)
	next := onB.Get(r.Location())
	if got := next.Text(".messagelist"); !strings.Contains(got, "Replica Press") || !strings.Contains(got, "was added successfully") {
		t.Errorf("B shows the message %q", got)
	}
	use(0)
	if again := onA.Get(r.Location()); again.Find(".messagelist").Length() != 0 {
		t.Error("the message was shown twice")
	}

	// A list_editable page shown by A is saved by B.
	bk, err := orm.All[bookstore.Book](ctx, orm.For[bookstore.Book](a.DB).OrderBy("id").Limit(1))
	if err != nil || len(bk) == 0 {
		t.Fatalf("no book: %v", err)
	}
	rv := []*reviews.Review{{Book: orm.FK[bookstore.Book](bk[0].ID), Reader: "Ann", Stars: 3, Created: time.Now()}}
	if err := a.DB.Insert(ctx, rv[0]); err != nil {
		t.Fatal(err)
	}
	use(0)
	list := onA.Get("/admin/reviews/review/?id__exact=" + fmt.Sprint(rv[0].ID))
	expect(t, list, 200)
	stars := "5"
	if rv[0].Stars == 5 {
		stars = "1"
	}
	use(1)
	saved := onB.Submit(list, "#changelist-form", url.Values{"form-0-stars": {stars}}, "_save")
	expect(t, saved, 302)
	fresh, err := orm.Get[reviews.Review](ctx, orm.For[reviews.Review](b.DB), orm.Q{"pk": rv[0].ID})
	if err != nil || fmt.Sprint(fresh.Stars) != stars {
		t.Errorf("the review's stars after B saved A's page: %v %v", fresh, err)
	}

	// Ten failures on A throttle the login on B too.
	use(0)
	guesser := webtest.New(t, lb)
	for i := range 10 {
		login(t, guesser, "admin", fmt.Sprintf("guess %d", i))
	}
	use(1)
	if r = login(t, webtest.New(t, lb), "admin", password); r.StatusCode != 429 {
		t.Errorf("B let in a login throttled on A: %d", r.StatusCode)
	}
}
