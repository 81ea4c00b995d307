package bot_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/influbot/influbot/bot"
)

func TestParseRateLimits(t *testing.T) {
	defaults := map[string]bot.RateLimit{bot.PlatformDiscord: {PerSecond: 40, Burst: 10}, bot.PlatformSlack: {PerSecond: 20, Burst: 10}}
	good := []struct {
		name, in string
		want     map[string]bot.RateLimit
	}{
		{"nothing keeps the defaults", "", defaults},
		{"a rate and a burst replace one platform's", "discord=50:1", map[string]bot.RateLimit{bot.PlatformDiscord: {50, 1}, bot.PlatformSlack: {20, 10}}},
		{"a rate alone keeps the default burst", "slack=12", map[string]bot.RateLimit{bot.PlatformDiscord: {40, 10}, bot.PlatformSlack: {12, 10}}},
		{"a slow rate alone gets a burst no bigger than the rate", "discord=2.5", map[string]bot.RateLimit{bot.PlatformDiscord: {2.5, 2}, bot.PlatformSlack: {20, 10}}},
		{"zero means no limit", "slack=0", map[string]bot.RateLimit{bot.PlatformDiscord: {40, 10}, bot.PlatformSlack: {0, 1}}},
		{"spaces, case and several platforms are read", " Discord = 30:5 , console=1 ", map[string]bot.RateLimit{bot.PlatformDiscord: {30, 5}, bot.PlatformSlack: {20, 10}, bot.PlatformConsole: {1, 1}}},
	}
	for _, tt := range good {
		t.Run(tt.name, func(t *testing.T) {
			got, err := bot.ParseRateLimits(tt.in, defaults)
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
			if _, err := bot.ParseRateLimits(tt.in, defaults); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want an error containing %q", err, tt.want)
			}
		})
	}
	t.Run("the defaults are not changed", func(t *testing.T) {
		bot.ParseRateLimits("discord=1:1", defaults)
		if defaults[bot.PlatformDiscord] != (bot.RateLimit{PerSecond: 40, Burst: 10}) {
			t.Fatalf("defaults now %v", defaults)
		}
	})
}
