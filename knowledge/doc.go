// Package knowledge holds what influbot knows and the search over it.
//
// The content is card files (FORMAT.md), embedded with go:embed and
// overridable record by record from a directory (LoadDir): FAQ entries
// (faq/), off-topic decoys that mark questions outside the program
// (offtopic/), the engagement task catalog plans draw from (tasks/), and
// the eligibility rules: benchmarks, thresholds, niches, commission rates
// and next steps (rules/). Load returns them together as a Base.
//
// Base.Index answers a question with the entry it most likely asks about
// and a calibrated confidence: words are normalised (synonyms, stems,
// typo correction), scored against each entry's phrasings and answer,
// weighed by a classifier trained on the phrasings and by word vectors
// (package vectors) for matching by meaning, and set against the decoys'
// pull. The evaluation sets in testdata measure it.
//
// The package imports nothing of the bot: the core (package bot) reads a
// *Base and never writes to it.
package knowledge
