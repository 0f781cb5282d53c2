package flash

import (
	"html/template"
	"strconv"
)

// Level is a message's importance; the values are Django's.
type Level int

// The message levels, with Django's numbers.
const (
	Debug   Level = 10
	Info    Level = 20
	Success Level = 25
	Warning Level = 30
	Error   Level = 40
)

// Tag returns the level's CSS class, as Django's DEFAULT_TAGS: "debug",
// "info", "success", "warning" or "error", and "" for any other level.
func (l Level) Tag() string {
	switch l {
	case Debug:
		return "debug"
	case Info:
		return "info"
	case Success:
		return "success"
	case Warning:
		return "warning"
	case Error:
		return "error"
	}
	return ""
}

// String returns the level's tag, or its number for a custom level.
func (l Level) String() string {
	if t := l.Tag(); t != "" {
		return t
	}
	return strconv.Itoa(int(l))
}

// Message is one pending message.
type Message struct {
	Level Level
	// Text is the message. It is plain text unless Safe is set.
	Text string
	// ExtraTags are further space-separated CSS classes for the message.
	ExtraTags string
	// Safe marks Text as trusted HTML, such as the admin's "The book
	// “<a href=…>Dune</a>” was added successfully."; Django's mark_safe.
	Safe bool
}

// Tags returns the message's CSS classes, as Django's message.tags: the
// extra tags, then the level's tag, separated by a space.
func (m Message) Tags() string {
	switch t := m.Level.Tag(); {
	case m.ExtraTags == "":
		return t
	case t == "":
		return m.ExtraTags
	default:
		return m.ExtraTags + " " + t
	}
}

// HTML returns the text ready for a page: escaped, unless Safe.
func (m Message) HTML() template.HTML {
	if m.Safe {
		return template.HTML(m.Text)
	}
	return template.HTML(template.HTMLEscapeString(m.Text))
}

// String returns the message's text.
func (m Message) String() string { return m.Text }
