// Package polls is the example's polls app, the models of Django's
// tutorial.
package polls

import (
	"context"
	"time"

	"github.com/staffroom/staffroom/admin"
	"github.com/staffroom/staffroom/orm"
)

// Question is a poll question.
type Question struct {
	ID           int64
	QuestionText string    `orm:"max_length=200,verbose_name='question text'"`
	PubDate      time.Time `orm:"verbose_name='date published'"`
	// Slug is made from the question text as it is typed on the add page.
	Slug string `orm:"type=slug,max_length=50,blank,default=''"`
}

func (q *Question) String() string { return q.QuestionText }

// WasPublishedRecently reports whether the question was published in the
// last day (and not in the future).
func (q *Question) WasPublishedRecently() bool {
	now := time.Now()
	return !q.PubDate.Before(now.Add(-24*time.Hour)) && !q.PubDate.After(now)
}

// Choice is one answer to a question, with its vote count.
type Choice struct {
	ID         int64
	Question   orm.ForeignKey[Question] `orm:"on_delete=cascade"`
	ChoiceText string                   `orm:"max_length=200,verbose_name='choice text'"`
	Votes      int32                    `orm:"default=0"`
}

func (c *Choice) String() string { return c.ChoiceText }

// App returns the polls app.
func App() orm.AppConfig {
	return orm.AppConfig{Name: "polls", Models: []any{Question{}, Choice{}}}
}

// Register adds the polls models to the admin site.
func Register(site *admin.Site) error {
	if err := site.Register(Question{}, &admin.ModelAdmin{
		ListDisplay:        []any{"question_text", "pub_date", "was_published_recently"},
		ListFilter:         []any{"pub_date"},
		SearchFields:       []string{"question_text"},
		PrepopulatedFields: map[string][]string{"slug": {"question_text"}},
		Fieldsets: []admin.Fieldset{
			{Lines: admin.Lines("question_text", "slug")},
			{Name: "Date information", Classes: []string{"collapse"}, Lines: admin.Lines("pub_date")},
		},
		// The choices are edited on the question's page, three blank rows
		// at a time, as in Django's tutorial.
		Inlines: []admin.Inline{choiceInline()},
	}); err != nil {
		return err
	}
	return site.Register(Choice{}, &admin.ModelAdmin{
		ListDisplay:  []any{"choice_text", "question", "votes"},
		SearchFields: []string{"choice_text", "question__question_text"},
	})
}

// choiceInline is the question page's table of choices.
func choiceInline() *admin.TabularInline {
	in := admin.Tabular(Choice{})
	extra := 3
	in.Extra = &extra
	return in
}

var questions = []struct {
	text    string
	daysAgo int
	choices []string
}{
	{"What's new?", 0, []string{"Not much", "The sky", "Just hacking again"}},
	{"Which database do you run the admin on?", 3, []string{"SQLite", "PostgreSQL", "MySQL", "MariaDB"}},
	{"Tabs or spaces?", 10, []string{"Tabs", "Spaces", "gofmt decides"}},
	{"Favourite Go release?", 40, []string{"1.18 (generics)", "1.22 (routing)", "The next one"}},
	{"How many books did you read this year?", 90, []string{"None", "1-5", "6-20", "More"}},
}

// Seed adds a few questions with choices and votes.
func Seed(ctx context.Context, db *orm.DB) error {
	now := time.Now().UTC().Truncate(time.Second)
	return db.Atomic(ctx, func(ctx context.Context) error {
		for i, q := range questions {
			question := &Question{QuestionText: q.text, PubDate: now.Add(-time.Duration(q.daysAgo)*24*time.Hour - time.Hour)}
			if err := db.Insert(ctx, question); err != nil {
				return err
			}
			for j, text := range q.choices {
				c := &Choice{Question: orm.FK[Question](question.ID), ChoiceText: text, Votes: int32((i*7 + j*3) % 11)}
				if err := db.Insert(ctx, c); err != nil {
					return err
				}
			}
		}
		return nil
	})
}
