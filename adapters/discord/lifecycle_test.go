package discord

import (
	"context"
	"testing"
	"time"
)

func TestRunLifecycle(t *testing.T) {
	t.Parallel()
	f := newFakeDiscord(t)
	ready := make(chan struct{})
	a := &Adapter{Token: fakeToken, Bot: newFakeCore(), HTTPClient: f.client(), ShutdownTimeout: 5 * time.Second,
		OnReady: func() { close(ready) }}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	t.Run("OnReady is called once the adapter is online", func(t *testing.T) {
		select {
		case <-ready:
		case err := <-done:
			t.Fatalf("Run returned before it was ready: %v", err)
		case <-time.After(10 * time.Second):
			t.Fatal("OnReady was not called")
		}
	})
	t.Run("Run returns cleanly when its context ends", func(t *testing.T) {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Run = %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("Run did not return after its context ended")
		}
	})
	t.Run("an adapter that cannot start never says it is ready", func(t *testing.T) {
		called := false
		b := &Adapter{Token: fakeToken, GuildID: "not-an-id", Bot: newFakeCore(), HTTPClient: f.client(), OnReady: func() { called = true }}
		if err := b.Run(context.Background()); err == nil || called {
			t.Errorf("Run = %v, OnReady called %v", err, called)
		}
	})
}
