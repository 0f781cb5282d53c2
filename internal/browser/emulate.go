package browser

import (
	"context"
	"fmt"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// media is what a page emulates of CSS media queries. The browser takes
// the media type and the features in one command, each call replacing
// the last, so the page keeps both and sends them together.
type media struct {
	kind   string // "print", "screen" or "" for the browser's own
	scheme string // prefers-color-scheme: "light", "dark" or ""
}

// PrefersColorScheme makes the page's prefers-color-scheme media
// feature "light" or "dark", as an operating system set to that theme
// does, for this page and the ones it loads next; "" undoes it.
func (p *Page) PrefersColorScheme(scheme string) {
	p.t.Helper()
	p.media.scheme = scheme
	p.emulateMedia("emulate prefers-color-scheme: " + scheme)
}

// Media makes the page match the CSS media type kind — "print" shows
// the page as it prints, with its @media print rules — for this page
// and the ones it loads next; "" undoes it. A color scheme set with
// PrefersColorScheme is kept.
func (p *Page) Media(kind string) {
	p.t.Helper()
	p.media.kind = kind
	p.emulateMedia("emulate the media type " + kind)
}

func (p *Page) emulateMedia(what string) {
	p.t.Helper()
	params := emulation.SetEmulatedMediaParams{Media: p.media.kind}
	if p.media.scheme != "" {
		params.Features = []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: p.media.scheme}}
	}
	p.do(what, func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, params)
		return chromedp.Void{}, err
	})
}

// Viewport makes the page's window width by height CSS pixels, as a
// phone's screen is with mobile true (a touch screen whose viewport meta
// tag counts, scroll bars over the page), for this page and the ones it
// loads next. The browser's own window is 1280 by 900; Viewport(0, 0,
// false) gives it back.
func (p *Page) Viewport(width, height int, mobile bool) {
	p.t.Helper()
	p.do(fmt.Sprintf("emulate a %dx%d viewport", width, height), func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		var err error
		if width == 0 && height == 0 {
			_, err = cdp.Call(ctx, t, emulation.ClearDeviceMetricsOverride, cdp.Empty{})
		} else {
			_, err = cdp.Call(ctx, t, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{
				Width: int64(width), Height: int64(height), DeviceScaleFactor: 1, Mobile: mobile,
			})
		}
		if err != nil {
			return chromedp.Void{}, err
		}
		_, err = cdp.Call(ctx, t, emulation.SetTouchEmulationEnabled, emulation.SetTouchEmulationEnabledParams{Enabled: mobile})
		return chromedp.Void{}, err
	})
}
