package session

import (
	"context"
	"fmt"
	"time"

	"github.com/staffroom/staffroom/orm"
)

// Info is a row of staffroom_session_info: whom a database session was
// logged in for, from which address and browser, and when. Django's
// django_session has no user column, so finding a user's sessions would
// mean decoding every row; this table answers it with an index. It holds
// the session key, to end the session by, and is never shown.
//
// The store keeps it in step with the session: a new key (CycleKey) takes
// the row along, and ending the session (Flush, Store.Delete,
// ClearExpired) removes it. Sessions made by Django, or before the table
// existed, simply have no row.
type Info struct {
	ID         int64
	SessionKey string `orm:"max_length=40,unique,editable=false,verbose_name='session key'"`
	// Owner identifies the logged-in user (auth stores the user's id).
	Owner     string    `orm:"max_length=150,db_index"`
	Address   string    `orm:"max_length=64,blank"`
	UserAgent string    `orm:"max_length=300,blank,verbose_name='browser'"`
	Created   time.Time `orm:"verbose_name='logged in'"`
}

// Meta names the table.
func (Info) Meta() orm.Meta {
	return orm.Meta{Table: "staffroom_session_info", VerboseName: "session info", VerboseNamePlural: "session info"}
}

// String names the row without its key.
func (i *Info) String() string {
	return "session of " + i.Owner + " since " + i.Created.Format(time.DateTime)
}

// InfoApp returns Staffroom's own sessions app, label "staffroom_sessions",
// holding Info. Register it beside App and the Database store records who
// logged in where (Data.SetInfo); without it nothing is recorded.
func InfoApp() orm.AppConfig {
	return orm.AppConfig{Name: "staffroom.session", Label: "staffroom_sessions", VerboseName: "Session records", Models: []any{Info{}}}
}

// maxUserAgent is the length of Info.UserAgent.
const maxUserAgent = 300

// SetInfo records whom the session is now logged in for, and from where;
// it is written with the session's row at the next save (or CycleKey).
// Stores without InfoApp, and the SignedCookies engine, ignore it.
func (s *Data) SetInfo(owner, address, userAgent string) {
	if len(userAgent) > maxUserAgent {
		userAgent = userAgent[:maxUserAgent]
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.info = &Info{Owner: owner, Address: address, UserAgent: userAgent, Created: time.Now().UTC()}
}

// recordInfo writes the pending info of the session under key; the caller
// holds s.mu.
func (s *Data) recordInfo(ctx context.Context, key string) error {
	info := s.info
	if info == nil || !s.store.keepsInfo() {
		return nil
	}
	s.info = nil
	info.SessionKey = key
	db := s.store.db
	return db.Atomic(ctx, func(ctx context.Context) error {
		if _, err := orm.For[Info](db).Filter(orm.Q{"session_key": key}).Delete(ctx); err != nil {
			return fmt.Errorf("session: record info: %w", err)
		}
		if err := db.Insert(ctx, info); err != nil {
			return fmt.Errorf("session: record info: %w", err)
		}
		return nil
	})
}

// keepsInfo reports whether the store records Info rows.
func (st *Store) keepsInfo() bool { return st.info }

// moveInfo gives the info of the old key to the new one.
func (st *Store) moveInfo(ctx context.Context, old, key string) error {
	if !st.info || old == "" {
		return nil
	}
	if _, err := orm.For[Info](st.db).Filter(orm.Q{"session_key": old}).Update(ctx, map[string]any{"session_key": key}); err != nil {
		return fmt.Errorf("session: move info: %w", err)
	}
	return nil
}

// deleteInfo forgets the info of the given keys.
func (st *Store) deleteInfo(ctx context.Context, keys ...string) error {
	if !st.info || len(keys) == 0 {
		return nil
	}
	if _, err := orm.For[Info](st.db).Filter(orm.Q{"session_key__in": keys}).Delete(ctx); err != nil {
		return fmt.Errorf("session: delete info: %w", err)
	}
	return nil
}

// Owned is one live session of an owner, as Store.Owned finds it.
type Owned struct {
	Info
	// ID is the session's public ID (Store.ID).
	ID         string
	ExpireDate time.Time
	// Data is the session's decoded data, for the caller to check that it
	// still belongs to the owner.
	Data map[string]any
}

// Owned returns the live sessions recorded for owner, newest login first,
// at most limit of them.
func (st *Store) Owned(ctx context.Context, owner string, limit int) ([]Owned, error) {
	if !st.info {
		return nil, nil
	}
	infos, err := orm.All[Info](ctx, orm.For[Info](st.db).Filter(orm.Q{"owner": owner}).OrderBy("-created", "-id").Limit(limit))
	if err != nil || len(infos) == 0 {
		return nil, err
	}
	keys := make([]string, len(infos))
	for i, info := range infos {
		keys[i] = info.SessionKey
	}
	rows, err := orm.All[Session](ctx, orm.For[Session](st.db).Filter(orm.Q{"session_key__in": keys, "expire_date__gt": time.Now()}))
	if err != nil {
		return nil, fmt.Errorf("session: owned: %w", err)
	}
	live := make(map[string]*Session, len(rows))
	for _, row := range rows {
		live[row.SessionKey] = row
	}
	var out []Owned
	for _, info := range infos {
		if row := live[info.SessionKey]; row != nil {
			out = append(out, Owned{Info: *info, ID: st.ID(info.SessionKey), ExpireDate: row.ExpireDate, Data: st.decode(ctx, row.SessionData)})
		}
	}
	return out, nil
}

// DeleteOwned ends every session recorded for owner except the one with
// key keep, and reports how many it ended.
func (st *Store) DeleteOwned(ctx context.Context, owner, keep string) (int, error) {
	if !st.info {
		return 0, nil
	}
	const batch = 500
	n := 0
	for {
		infos, err := orm.All[Info](ctx, orm.For[Info](st.db).Filter(orm.Q{"owner": owner}).
			Exclude(orm.Q{"session_key": keep}).OrderBy("id").Limit(batch))
		if err != nil {
			return n, fmt.Errorf("session: delete owned: %w", err)
		}
		keys := make([]string, len(infos))
		for i, info := range infos {
			keys[i] = info.SessionKey
		}
		err = st.db.Atomic(ctx, func(ctx context.Context) error {
			if _, err := orm.For[Session](st.db).Filter(orm.Q{"session_key__in": keys}).Delete(ctx); err != nil {
				return fmt.Errorf("session: delete owned: %w", err)
			}
			return st.deleteInfo(ctx, keys...)
		})
		if err != nil {
			return n, err
		}
		n += len(keys)
		if len(infos) < batch {
			return n, nil
		}
	}
}

// clearOrphanInfo deletes the info rows whose session is gone.
func (st *Store) clearOrphanInfo(ctx context.Context) error {
	if !st.info {
		return nil
	}
	d := st.db.Dialect()
	im, sm := st.infoModel, st.model
	query := "DELETE FROM " + d.Quote(im.Table) + " WHERE " + d.Quote(im.Field("session_key").Column) +
		" NOT IN (SELECT " + d.Quote(sm.PK.Column) + " FROM " + d.Quote(sm.Table) + ")"
	if _, err := st.db.Exec(ctx, query); err != nil {
		return fmt.Errorf("session: clear expired: %w", err)
	}
	return nil
}
