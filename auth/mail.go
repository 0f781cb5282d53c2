package auth

import (
	"context"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
)

// DefaultFromEmail is the sender address of mails when none is
// configured, Django's DEFAULT_FROM_EMAIL.
const DefaultFromEmail = "webmaster@localhost"

// Mail is an email message in plain text.
type Mail struct {
	From    string
	To      []string
	Subject string
	Body    string
}

// Sender delivers mail, Django's email backend. Password reset mails go
// through the configured one.
type Sender interface {
	Send(ctx context.Context, m Mail) error
}

// ConsoleSender writes each mail to W instead of sending it, Django's
// console email backend: what a development setup and the example use.
type ConsoleSender struct {
	W  io.Writer
	mu sync.Mutex
}

// Send implements Sender.
func (c *ConsoleSender) Send(ctx context.Context, m Mail) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	_, err := fmt.Fprintf(c.W, "Content-Type: text/plain; charset=\"utf-8\"\nSubject: %s\nFrom: %s\nTo: %s\nDate: %s\n\n%s\n%s\n",
		m.Subject, m.From, strings.Join(m.To, ", "), time.Now().UTC().Format(time.RFC1123Z), m.Body, strings.Repeat("-", 79))
	if err != nil {
		return fmt.Errorf("auth: console mail: %w", err)
	}
	return nil
}
