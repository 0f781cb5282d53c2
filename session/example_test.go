package session_test

import (
	"context"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"

	"github.com/staffroom/staffroom/orm"
	"github.com/staffroom/staffroom/session"

	_ "github.com/staffroom/staffroom/orm/sqliteext"
)

// A visit counter kept in the session.
func Example() {
	reg := orm.NewRegistry()
	if _, err := reg.Register(session.App()); err != nil {
		log.Fatal(err)
	}
	db, err := orm.Open("sqlite::memory:", reg, orm.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(context.Background()); err != nil {
		log.Fatal(err)
	}
	st, err := session.NewStore(db, session.Config{SecretKey: "a long random secret"})
	if err != nil {
		log.Fatal(err)
	}

	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s := session.From(r)
		n, _ := s.Int("visits") // numbers come back from the database as json.Number
		s.Set("visits", n+1)
		fmt.Fprintf(w, "visit %d", n+1)
	})
	srv := httptest.NewServer(st.Middleware(mux))
	defer srv.Close()

	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar}
	for range 3 {
		resp, err := client.Get(srv.URL)
		if err != nil {
			log.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		fmt.Println(string(body))
	}
	// Output:
	// visit 1
	// visit 2
	// visit 3
}
