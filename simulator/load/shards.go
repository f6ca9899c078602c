package load

import (
	"fmt"
	"strconv"
	"strings"
)

// missingShards are the shards ("i/n") of the sharded runs among merged
// shards that were not merged: for every count n seen, each index from 0
// to n-1 that no report has.
func missingShards(merged []string) []string {
	seen := map[int]map[int]bool{}
	var counts []int
	for _, s := range merged {
		i, n, ok := parseShardName(s)
		if !ok {
			continue
		}
		if seen[n] == nil {
			seen[n] = map[int]bool{}
			counts = append(counts, n)
		}
		seen[n][i] = true
	}
	var missing []string
	for _, n := range counts {
		for i := range n {
			if !seen[n][i] {
				missing = append(missing, fmt.Sprintf("%d/%d", i, n))
			}
		}
	}
	return missing
}

// parseShardName reads "i/n" as a report names its shard.
func parseShardName(s string) (i, n int, ok bool) {
	is, ns, ok := strings.Cut(s, "/")
	if !ok {
		return 0, 0, false
	}
	i, err1 := strconv.Atoi(is)
	n, err2 := strconv.Atoi(ns)
	if err1 != nil || err2 != nil || n < 1 || i < 0 || i >= n {
		return 0, 0, false
	}
	return i, n, true
}

// missingNote names the shards missing from a merge, for people: "shard
// 1/2 missing".
func (ru RunInfo) missingNote() string {
	word := "shard"
	if len(ru.MissingShards) > 1 {
		word = "shards"
	}
	return fmt.Sprintf("%s %s missing", word, strings.Join(ru.MissingShards, ", "))
}
