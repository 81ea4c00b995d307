// Package eligibility is the pure logic behind influbot's quick check: it
// reads a creator's numbers as people write them ("4.2k", "12 300",
// "3 posts a week"), computes the engagement rate the way each platform is
// measured, grades followers, engagement, cadence and niche against the
// benchmarks and thresholds in knowledge.Rules, and turns the gaps into a
// verdict, a score and concrete next steps. It also estimates Amazon
// Associates commissions from the same rules.
//
// It does no I/O: Check is a function of its input and the rules, so every
// adapter (chat, slash command, CLI) gets the same answer.
package eligibility
