// Package numfmt writes the numbers influbot shows people: counts with
// thousands separators, rates in percent, relative changes. The core and
// its chart share it, so a trend reads the same in a reply and in a
// picture's alt text.
package numfmt

import (
	"math"
	"strconv"
	"strings"
)

// Thousands formats n with comma separators: 4600 -> "4,600".
func Thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var sb strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			sb.WriteByte(',')
		}
		sb.WriteRune(r)
	}
	if neg {
		return "-" + sb.String()
	}
	return sb.String()
}

// Percent formats a rate given in percent with one decimal, two below
// 0.1%: 1.84 -> "1.8%", 0.05 -> "0.05%".
func Percent(p float64) string {
	if p != 0 && math.Abs(p) < 0.1 {
		return strconv.FormatFloat(p, 'f', 2, 64) + "%"
	}
	return strconv.FormatFloat(p, 'f', 1, 64) + "%"
}

// Change is the signed relative change from old to new ("+18%"), "" when
// old is zero or less.
func Change(old, new int64) string {
	if old <= 0 {
		return ""
	}
	c := float64(new-old) / float64(old) * 100
	s := strconv.FormatFloat(math.Round(c), 'f', 0, 64)
	if math.Round(c) == 0 && c != 0 {
		s = strconv.FormatFloat(c, 'f', 1, 64)
	}
	if c >= 0 {
		s = "+" + s
	}
	return s + "%"
}
