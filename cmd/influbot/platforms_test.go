package main

import (
	"context"
	"errors"
	"testing"
	"time"
)

// adapterFunc is an adapter made of a function.
type adapterFunc func(ctx context.Context) error

func (f adapterFunc) Run(ctx context.Context) error { return f(ctx) }

func TestRunAdapters(t *testing.T) {
	untilDone := adapterFunc(func(ctx context.Context) error { <-ctx.Done(); return nil })
	refused := errors.New("slack: auth.test with the bot token: invalid_auth")
	for _, tc := range []struct {
		name     string
		adapters []adapter
		cancel   bool // end the context from outside
		want     error
	}{
		{"the adapters run until the context ends, then all stop cleanly", []adapter{untilDone, untilDone}, true, nil},
		{"one adapter failing to start stops the others and its error is returned", []adapter{untilDone, adapterFunc(func(context.Context) error { return refused })}, false, refused},
		{"one adapter finishing (the console's quit) stops the others", []adapter{untilDone, adapterFunc(func(context.Context) error { return nil })}, false, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			if tc.cancel {
				time.AfterFunc(10*time.Millisecond, cancel)
			}
			done := make(chan error, 1)
			go func() { done <- runAdapters(ctx, tc.adapters...) }()
			select {
			case err := <-done:
				if !errors.Is(err, tc.want) || (tc.want == nil && err != nil) {
					t.Fatalf("runAdapters = %v, want %v", err, tc.want)
				}
			case <-time.After(5 * time.Second):
				t.Fatal("runAdapters did not return")
			}
		})
	}
}
