package nudge_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/influbot/influbot/bot"
	"github.com/influbot/influbot/bot/nudge"
)

func TestParseRateLimits(t *testing.T) {
	defaults := map[string]nudge.RateLimit{bot.PlatformDiscord: {PerSecond: 40, Burst: 10}, bot.PlatformSlack: {PerSecond: 20, Burst: 10}}
	good := []struct {
		name, in string
		want     map[string]nudge.RateLimit
	}{
		{"nothing keeps the defaults", "", defaults},
		{"a rate and a burst replace one platform's", "discord=50:1", map[string]nudge.RateLimit{bot.PlatformDiscord: {50, 1}, bot.PlatformSlack: {20, 10}}},
		{"a rate alone keeps the default burst", "slack=12", map[string]nudge.RateLimit{bot.PlatformDiscord: {40, 10}, bot.PlatformSlack: {12, 10}}},
		{"a slow rate alone gets a burst no bigger than the rate", "discord=2.5", map[string]nudge.RateLimit{bot.PlatformDiscord: {2.5, 2}, bot.PlatformSlack: {20, 10}}},
		{"zero means no limit", "slack=0", map[string]nudge.RateLimit{bot.PlatformDiscord: {40, 10}, bot.PlatformSlack: {0, 1}}},
		{"spaces, case and several platforms are read", " Discord = 30:5 , console=1 ", map[string]nudge.RateLimit{bot.PlatformDiscord: {30, 5}, bot.PlatformSlack: {20, 10}, bot.PlatformConsole: {1, 1}}},
	}
	for _, tt := range good {
		t.Run(tt.name, func(t *testing.T) {
			got, err := nudge.ParseRateLimits(tt.in, defaults)
			if err != nil || !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("got %v, %v; want %v", got, err, tt.want)
			}
		})
	}
	bad := []struct{ in, want string }{
		{"discord", "write a platform's send rate"},
		{"discord=", "write a platform's send rate"},
		{"telegram=5", "not a platform"},
		{"discord=-1", "from 0 (no limit) to 1000"},
		{"discord=1e9", "from 0 (no limit) to 1000"},
		{"discord=NaN", "from 0 (no limit) to 1000"},
		{"discord=fast", "from 0 (no limit) to 1000"},
		{"discord=40:0", "from 1 to 1000"},
		{"discord=40:2.5", "from 1 to 1000"},
		{"discord=40:99999999999999999999", "from 1 to 1000"},
		{strings.Repeat("discord=1,", 30), "too long"},
	}
	for _, tt := range bad {
		t.Run(tt.in[:min(len(tt.in), 30)]+" is refused with a reason", func(t *testing.T) {
			if _, err := nudge.ParseRateLimits(tt.in, defaults); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want an error containing %q", err, tt.want)
			}
		})
	}
	t.Run("the defaults are not changed", func(t *testing.T) {
		nudge.ParseRateLimits("discord=1:1", defaults)
		if defaults[bot.PlatformDiscord] != (nudge.RateLimit{PerSecond: 40, Burst: 10}) {
			t.Fatalf("defaults now %v", defaults)
		}
	})
}

// TestRateLimitHoldsTheRate sends 300-odd nudges through a 50-per-second
// limit on the simulated clock: never more than 50 in any half-open second
// [t, t+1s), and at 50 a second on average, not slower. Real timers wake
// late, and by different amounts; so does one of the simulated clocks.
func TestRateLimitHoldsTheRate(t *testing.T) {
	tests := []struct {
		name string
		late time.Duration // a sleep wakes up to this much late
	}{
		{"with sleeps that wake on time", 0},
		{"with sleeps that wake up to 5ms late", 5 * time.Millisecond},
		{"with sleeps that wake up to 15ms late", 15 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, time.Date(2025, 6, 2, 12, 0, 0, 0, time.UTC))
			var users []bot.UserRef
			for i := range 90 {
				users = append(users, bot.UserRef{Platform: bot.PlatformDiscord, Tenant: "g", ID: fmt.Sprint("u", i)})
			}
			seedDue(t, e, users)
			var mu sync.Mutex
			rng := rand.New(rand.NewPCG(5, 50))
			e.disp.Sleep = func(ctx context.Context, d time.Duration) error {
				mu.Lock()
				late := time.Duration(rng.Int64N(int64(tt.late) + 1))
				mu.Unlock()
				return e.clk.Sleep(ctx, d+late)
			}
			e.disp.Limits = map[string]nudge.RateLimit{bot.PlatformDiscord: {PerSecond: 50, Burst: 1}}
			start := e.clk.Now()
			e.run()
			got := e.note.deliveries()
			if len(got) < 300 {
				t.Fatalf("sent %d", len(got))
			}
			for i := 50; i < len(got); i++ {
				if w := got[i].At.Sub(got[i-50].At); w < time.Second {
					t.Fatalf("sends %d to %d, 51 of them, within %s", i-50, i, w)
				}
			}
			elapsed := got[len(got)-1].At.Sub(start)
			want := time.Duration(float64(len(got)-1) / 50 * float64(time.Second))
			if elapsed > want+100*time.Millisecond {
				t.Errorf("%d sends took %s, want about %s at 50/s", len(got), elapsed, want)
			}
		})
	}
}
