package admin

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/staffroom/staffroom/auth"
	"github.com/staffroom/staffroom/contenttype"
	"github.com/staffroom/staffroom/internal/signing"
	"github.com/staffroom/staffroom/orm"
)

// The action flags of a LogEntry.
const (
	Addition = 1
	Change   = 2
	Deletion = 3
)

// LogEntry is a row of django_admin_log: one add, change or delete made
// through the admin.
type LogEntry struct {
	ID            int64                                   `orm:"type=integer"`
	ActionTime    time.Time                               `orm:"verbose_name='action time'"`
	ObjectID      *string                                 `orm:"type=text,blank,verbose_name='object id'"`
	ObjectRepr    string                                  `orm:"max_length=200,verbose_name='object repr'"`
	ChangeMessage string                                  `orm:"type=text,blank,verbose_name='change message'"`
	ContentType   orm.ForeignKey[contenttype.ContentType] `orm:"null,blank,on_delete=set_null,verbose_name='content type'"`
	User          orm.ForeignKey[auth.User]               `orm:"on_delete=cascade"`
	ActionFlag    int16                                   `orm:"choices=1:Addition|2:Change|3:Deletion,verbose_name='action flag'"`
}

// Meta gives Django's table, names and ordering.
func (LogEntry) Meta() orm.Meta {
	return orm.Meta{Table: "django_admin_log", VerboseName: "log entry", VerboseNamePlural: "log entries", Ordering: []string{"-action_time"}}
}

// App returns the admin app, with Django's name and label.
func App() orm.AppConfig {
	return orm.AppConfig{Name: "django.contrib.admin", Label: "admin", VerboseName: "Administration", Models: []any{LogEntry{}}}
}

// String renders the entry as Django's LogEntry.__str__ does.
func (e *LogEntry) String() string {
	switch e.ActionFlag {
	case Addition:
		return "Added “" + e.ObjectRepr + "”."
	case Change:
		return "Changed “" + e.ObjectRepr + "” — " + e.Message()
	case Deletion:
		return "Deleted “" + e.ObjectRepr + ".”"
	}
	return "LogEntry Object"
}

// changeItem is one element of a JSON change message.
type changeItem struct {
	Added   *changeDetail `json:"added,omitempty"`
	Changed *changeDetail `json:"changed,omitempty"`
	Deleted *changeDetail `json:"deleted,omitempty"`
}

type changeDetail struct {
	Name   string   `json:"name,omitempty"`
	Object string   `json:"object,omitempty"`
	Fields []string `json:"fields,omitempty"`
}

// Message renders the change message for people, as Django's
// get_change_message does: JSON messages become sentences; anything else is
// shown as it is.
func (e *LogEntry) Message() string {
	msg := e.ChangeMessage
	if !strings.HasPrefix(msg, "[") {
		return msg
	}
	var items []map[string]changeDetail
	if err := json.Unmarshal([]byte(msg), &items); err != nil {
		return msg
	}
	var parts []string
	for _, item := range items {
		for kind, d := range item {
			parts = append(parts, describeChange(kind, d))
		}
	}
	if len(parts) == 0 {
		return "No fields changed."
	}
	return strings.Join(parts, " ")
}

func describeChange(kind string, d changeDetail) string {
	switch kind {
	case "added":
		if d.Name == "" {
			return "Added."
		}
		return "Added " + d.Name + " “" + d.Object + "”."
	case "changed":
		s := "Changed " + joinAnd(d.Fields)
		if d.Name != "" {
			s += " for " + d.Name + " “" + d.Object + "”"
		}
		return s + "."
	case "deleted":
		return "Deleted " + d.Name + " “" + d.Object + "”."
	}
	return ""
}

// joinAnd joins words as "a, b and c".
func joinAnd(words []string) string {
	switch len(words) {
	case 0:
		return ""
	case 1:
		return words[0]
	}
	return strings.Join(words[:len(words)-1], ", ") + " and " + words[len(words)-1]
}

// addedMessage is the change message of an addition.
func addedMessage() string { return `[{"added": {}}]` }

// changedMessage is the change message of a change to the listed fields
// (by label); no fields gives "[]".
func changedMessage(fields []string) string {
	if len(fields) == 0 {
		return "[]"
	}
	b, err := signing.PythonJSONSpaced([]changeItem{{Changed: &changeDetail{Fields: fields}}})
	if err != nil {
		panic(fmt.Sprintf("admin: encode change message: %v", err)) // a fixed struct of strings always encodes
	}
	return string(b)
}

// logAction writes a LogEntry in the context's transaction; repr is the
// object's representation, "" for its String.
func (s *Site) logAction(ctx context.Context, user *auth.User, m *orm.Model, obj any, flag int16, message, repr string) error {
	ct, err := s.types.ForModel(ctx, m)
	if err != nil {
		return err
	}
	e := s.newLogEntry(user, m, obj, flag, message, repr)
	e.ContentType = orm.FK[contenttype.ContentType](ct.ID)
	return s.db.Insert(ctx, e)
}

// newLogEntry makes the log entry of an action on obj, without its
// content type; repr is the object's representation, "" for its String.
func (s *Site) newLogEntry(user *auth.User, m *orm.Model, obj any, flag int16, message, repr string) *LogEntry {
	id := s.objectID(m, obj)
	repr = logRepr(m, obj, repr)
	if utf8.RuneCountInString(repr) > 200 {
		repr = string([]rune(repr)[:200])
	}
	return &LogEntry{ActionTime: time.Now().UTC(), User: orm.FK[auth.User](user.ID),
		ObjectID: &id, ObjectRepr: repr, ActionFlag: flag, ChangeMessage: message}
}
