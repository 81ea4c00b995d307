package numfmt

import "testing"

func TestFormats(t *testing.T) {
	tests := []struct{ name, got, want string }{
		{"thousands get commas", Thousands(4600), "4,600"},
		{"millions get two commas", Thousands(1234567), "1,234,567"},
		{"small numbers stay as they are", Thousands(950), "950"},
		{"negative numbers keep their sign", Thousands(-12000), "-12,000"},
		{"a rate has one decimal", Percent(1.84), "1.8%"},
		{"a tiny rate has two", Percent(0.05), "0.05%"},
		{"zero is 0.0%", Percent(0), "0.0%"},
		{"a rise is signed", Change(3900, 4600), "+18%"},
		{"a fall is signed", Change(4600, 3900), "-15%"},
		{"a change under half a percent keeps a decimal", Change(10000, 10004), "+0.0%"},
		{"no change from zero", Change(0, 100), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got %q, want %q", tt.got, tt.want)
			}
		})
	}
}
