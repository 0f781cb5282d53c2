package orm_test

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/staffroom/staffroom/internal/testdb"
	"github.com/staffroom/staffroom/orm"
)

// The database's refusals of user input are data errors on every
// dialect; a database out of reach is unavailable.
func TestDataErrors(t *testing.T) {
	testdb.Run(t, registry(t), func(t *testing.T, db *orm.DB) {
		ctx := context.Background()
		pub := &Publisher{Name: "p"}
		if err := db.Insert(ctx, pub); err != nil {
			t.Fatal(err)
		}
		if err := db.Insert(ctx, &Book{Name: "b", Publisher: orm.FK[Publisher](pub.ID), Pubdate: time.Now()}); err != nil {
			t.Fatal(err)
		}
		_, err := orm.For[Book](db).Filter(orm.Q{"name__regex": "(("}).Count(ctx)
		if !orm.IsDataError(err) || orm.IsUnavailable(err) {
			t.Errorf("a bad regular expression: data %v, unavailable %v: %v", orm.IsDataError(err), orm.IsUnavailable(err), err)
		}
		_, err = orm.For[Book](db).Filter(orm.Q{"nope": 1}).Count(ctx)
		if orm.IsDataError(err) || orm.IsUnavailable(err) {
			t.Errorf("an unknown field is neither: %v", err)
		}
		if _, err = db.QueryRaw(ctx, "SELECT * FROM no_such_table"); orm.IsDataError(err) || orm.IsUnavailable(err) {
			t.Errorf("a missing table is neither: %v", err)
		}
	})
}

func TestUnavailable(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	for _, url := range []string{"postgres://u@" + addr + "/x?connect_timeout=2", "mysql://u@" + addr + "/x"} {
		db, err := orm.Open(url, registry(t), orm.Options{})
		if err == nil {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			_, err = orm.For[Book](db).Count(ctx)
			cancel()
			db.Close()
		}
		if !orm.IsUnavailable(err) || orm.IsDataError(err) {
			t.Errorf("%s: refused connection: unavailable %v: %v", strings.SplitN(url, ":", 2)[0], orm.IsUnavailable(err), err)
		}
	}
	db := testdb.Open(t, "sqlite", registry(t))
	deadline, stop := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer stop()
	if _, err := orm.For[Book](db).Count(deadline); !orm.IsUnavailable(err) {
		t.Errorf("a passed deadline: %v", err)
	}
}
