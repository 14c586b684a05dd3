package loader

import (
	"sync"

	yaml "go.yaml.in/yaml/v3"
)

// Duplicate is a key written twice in one mapping. kubectl (through
// yaml.v2) keeps the last value silently, so the first is lost.
type Duplicate struct {
	Key           string
	Path          Path // path of the later key, relative to the object
	First, Second Pos  // positions of the two keys
}

// findDuplicates walks an object's tree once and reports every mapping key
// that appears more than once. Aliases are not followed (their anchors are
// checked where they are defined) and merge keys are not duplicates.
func findDuplicates(root *yaml.Node) []Duplicate {
	var out []Duplicate
	buf := pathPool.Get().(*Path)
	defer pathPool.Put(buf)
	path := (*buf)[:0]
	var walk func(n *yaml.Node, depth int)
	walk = func(n *yaml.Node, depth int) {
		if n == nil || depth > maxConvertDepth {
			return
		}
		switch n.Kind {
		case yaml.MappingNode:
			var seen map[string]*yaml.Node
			for i := 0; i+1 < len(n.Content); i += 2 {
				k := n.Content[i]
				if k.Kind != yaml.ScalarNode || isMergeKey(k) {
					continue
				}
				switch {
				case len(n.Content) <= 2*smallMapping:
					// Most mappings are small: comparing with the keys
					// before this one costs less than building a map
					// (which was 8% of all allocation on a large repo).
					if first := earlierKey(n.Content[:i], k.Value); first != nil {
						out = append(out, Duplicate{Key: k.Value, Path: path.Key(k.Value), First: NodePos(first), Second: NodePos(k)})
					}
				default:
					if seen == nil {
						seen = make(map[string]*yaml.Node, len(n.Content)/2)
					}
					if first, ok := seen[k.Value]; ok {
						out = append(out, Duplicate{Key: k.Value, Path: path.Key(k.Value), First: NodePos(first), Second: NodePos(k)})
					} else {
						seen[k.Value] = k
					}
				}
				path = append(path, Segment{Key: k.Value})
				walk(n.Content[i+1], depth+1)
				path = path[:len(path)-1]
			}
		case yaml.SequenceNode:
			for i, item := range n.Content {
				path = append(path, Segment{Index: i, IsIndex: true})
				walk(item, depth+1)
				path = path[:len(path)-1]
			}
		}
	}
	walk(root, 0)
	*buf = path[:0] // keep what the walk grew for the next object
	return out
}

// pathPool holds the walk's path buffers: growing one for every object was
// 1.5% of all allocation on a large repository.
var pathPool = sync.Pool{New: func() any { return new(Path) }}

// smallMapping is the number of keys up to which findDuplicates compares
// keys pairwise instead of building a map.
const smallMapping = 16

// earlierKey returns the first scalar key in content (key, value pairs)
// equal to key, or nil. Merge keys and non-scalar keys never match, as in
// the map path.
func earlierKey(content []*yaml.Node, key string) *yaml.Node {
	for j := 0; j+1 < len(content); j += 2 {
		if k := content[j]; k.Kind == yaml.ScalarNode && k.Value == key && !isMergeKey(k) {
			return k
		}
	}
	return nil
}
