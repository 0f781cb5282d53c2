package flash_test

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"

	"github.com/staffroom/staffroom/flash"
	"github.com/staffroom/staffroom/orm"
	"github.com/staffroom/staffroom/session"

	_ "github.com/staffroom/staffroom/orm/sqliteext"
)

// A message added before a redirect is shown once on the next page.
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
	mux.HandleFunc("POST /books/", func(w http.ResponseWriter, r *http.Request) {
		flash.AddSuccess(r, "The book “Dune” was added successfully.")
		http.Redirect(w, r, "/books/", http.StatusSeeOther)
	})
	mux.HandleFunc("GET /books/", func(w http.ResponseWriter, r *http.Request) {
		for _, m := range flash.Pop(r) {
			fmt.Printf("<li class=%q>%s</li>\n", m.Tags(), m.HTML())
		}
	})
	srv := httptest.NewServer(st.Middleware(mux))
	defer srv.Close()

	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar}
	for range 2 {
		resp, err := client.Post(srv.URL+"/books/", "text/plain", nil) // the client follows the redirect
		if err != nil {
			log.Fatal(err)
		}
		resp.Body.Close()
	}
	resp, err := client.Get(srv.URL + "/books/") // nothing left to show
	if err != nil {
		log.Fatal(err)
	}
	resp.Body.Close()
	// Output:
	// <li class="success">The book “Dune” was added successfully.</li>
	// <li class="success">The book “Dune” was added successfully.</li>
}
