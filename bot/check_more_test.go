package bot

import (
	"reflect"
	"testing"

	"github.com/influbot/influbot/bot/eligibility"
)

// TestCheckTextReadsBack checks that the text a merged check runs with is
// read back to the same input, whatever it holds.
func TestCheckTextReadsBack(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	tests := []eligibility.Input{
		{Platform: "youtube", Followers: f(6000)},
		{Platform: "instagram", Followers: f(4200), Likes: f(150), Comments: f(12), PostsPerWeek: f(3), Niche: "home decor"},
		{Platform: "tiktok", Followers: f(3000), Likes: f(200.5), Comments: f(10), Shares: f(4), Views: f(2000), PostsPerWeek: f(0.5)},
		{Platform: "facebook", Followers: f(1_250_000), Views: f(90000), Niche: "kitchen gadgets"},
	}
	for _, want := range tests {
		text := checkText(want)
		t.Run(text, func(t *testing.T) {
			got, err := eligibility.ParseFreeTextPart(text)
			if err != nil {
				t.Fatalf("ParseFreeTextPart(%q): %v", text, err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("read back %+v, want %+v", got, want)
			}
		})
	}
}
