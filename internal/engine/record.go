package engine

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"unsafe"

	"github.com/zdlint/zdlint/internal/packed"
	"github.com/zdlint/zdlint/loader"
	"github.com/zdlint/zdlint/loader/yamledit"
	"github.com/zdlint/zdlint/rules"
)

// Records are how a run keeps each file's findings, deferred findings and
// facts (factcodec.go) until its end: encoded one after the other in
// bytes (varints and strings, those a file repeats written once, see
// packed.Dict), in large blocks that hold no pointers.
//
// Why: the collector scans every pointer of what a run keeps, once per
// cycle, and a large run cycles many times within its memory budget. As
// structs, the findings, deferred findings and facts were megabytes of
// pointers scanned each time (docs/performance.md, round four has the
// figures). As records they cost the collector nothing to scan, and are
// decoded once, at the end: the facts for the Index, the findings into
// those the run reports; their strings stay in the blocks.

// ruleTable numbers the run's rules for records.
type ruleTable struct {
	list  []*rules.Rule
	byPtr map[*rules.Rule]int
	byID  map[string]int
	// options reads each rule's options under the run's settings, for
	// Resolution.Option.
	options []func(name string) int64
}

func newRuleTable(rs []*rules.Rule, s *rules.Settings) *ruleTable {
	t := &ruleTable{list: rs, byPtr: make(map[*rules.Rule]int, len(rs)), byID: make(map[string]int, len(rs))}
	for _, r := range rs {
		t.options = append(t.options, func(name string) int64 { return r.OptionValue(s, name) })
	}
	for i, r := range rs {
		t.byPtr[r] = i
		if _, dup := t.byID[r.ID]; !dup {
			t.byID[r.ID] = i
		}
	}
	return t
}

func appendPos(b []byte, p loader.Pos) []byte {
	return binary.AppendVarint(binary.AppendVarint(b, int64(p.Line)), int64(p.Col))
}

// appendFinding encodes f in the stream of d.
func (t *ruleTable) appendFinding(b []byte, d *packed.Dict, f *rules.Finding) []byte {
	if i, ok := t.byID[f.Rule]; ok {
		b = binary.AppendUvarint(b, uint64(i)+1)
	} else {
		b = d.Append(binary.AppendUvarint(b, 0), f.Rule) // not a rule of the run (a test's)
	}
	b = binary.AppendVarint(b, int64(f.Severity))
	b = appendPos(appendPos(b, f.Pos), f.End)
	for _, s := range [...]string{f.Message, f.File, f.Object.APIVersion, f.Object.Kind, f.Object.Namespace, f.Object.Name, f.Container, f.Path, f.Source} {
		b = d.Append(b, s)
	}
	b = binary.AppendUvarint(b, uint64(len(f.Related)))
	for _, rel := range f.Related {
		b = appendPos(appendPos(d.Append(d.Append(b, rel.File), rel.Path), rel.Pos), rel.End)
		b = d.Append(b, rel.Message)
	}
	return appendFix(b, d, f.Fix)
}

// appendFix encodes a finding's fix: its applicability (0: none), then
// each edit's range and text.
func appendFix(b []byte, d *packed.Dict, fx *rules.Fix) []byte {
	if fx == nil {
		return binary.AppendUvarint(b, 0)
	}
	b = binary.AppendUvarint(b, uint64(fx.Applicability))
	b = binary.AppendUvarint(b, uint64(len(fx.Edits)))
	for _, e := range fx.Edits {
		b = binary.AppendUvarint(binary.AppendUvarint(b, uint64(e.Start)), uint64(e.End))
		b = d.Append(b, e.Text)
	}
	b = binary.AppendUvarint(b, uint64(len(fx.Changes)))
	for _, c := range fx.Changes {
		b = binary.AppendUvarint(b, uint64(c.Op))
		b = appendPath(b, d, c.At)
		b = d.Append(b, c.Value)
		str := uint64(0)
		if c.Str {
			str = 1
		}
		b = binary.AppendUvarint(b, str)
		b = binary.AppendUvarint(b, uint64(len(c.Place)))
		for _, a := range c.Place {
			before := uint64(0)
			if a.Before {
				before = 1
			}
			b = binary.AppendUvarint(d.Append(b, a.Key), before)
		}
		b = appendPos(b, c.KeyPos)
	}
	return b
}

// appendPath encodes a field path: its length, then each segment as an
// index (2i+1) or a key (0, then the key).
func appendPath(b []byte, d *packed.Dict, p loader.Path) []byte {
	b = binary.AppendUvarint(b, uint64(len(p)))
	for _, s := range p {
		if s.IsIndex {
			b = binary.AppendUvarint(b, 2*uint64(s.Index)+1)
		} else {
			b = d.Append(binary.AppendUvarint(b, 0), s.Key)
		}
	}
	return b
}

func (r *reader) path() loader.Path {
	n := r.Uvarint()
	if n == 0 {
		return nil
	}
	p := make(loader.Path, n)
	for i := range p {
		if v := r.Uvarint(); v&1 == 1 {
			p[i] = loader.Segment{Index: int(v / 2), IsIndex: true}
		} else {
			p[i] = loader.Segment{Key: r.Str()}
		}
	}
	return p
}

func (r *reader) fix() *rules.Fix {
	a := r.Uvarint()
	if a == 0 {
		return nil
	}
	fx := &rules.Fix{Applicability: rules.Applicability(a)}
	n := r.Uvarint()
	fx.Edits = make([]yamledit.Edit, n)
	for i := range fx.Edits {
		fx.Edits[i].Start = int(r.Uvarint())
		fx.Edits[i].End = int(r.Uvarint())
		fx.Edits[i].Text = r.Str()
	}
	if n := r.Uvarint(); n > 0 {
		fx.Changes = make([]yamledit.Change, n)
		for i := range fx.Changes {
			c := &fx.Changes[i]
			c.Op = yamledit.Op(r.Uvarint())
			c.At = r.path()
			c.Value = r.Str()
			c.Str = r.Uvarint() == 1
			if m := r.Uvarint(); m > 0 {
				c.Place = make([]yamledit.Anchor, m)
				for j := range c.Place {
					c.Place[j].Key = r.Str()
					c.Place[j].Before = r.Uvarint() == 1
				}
			}
			c.KeyPos = r.pos()
		}
	}
	return fx
}

// appendDeferred encodes d, whose fact is the file's fact number fact, in
// the stream of dict.
func (t *ruleTable) appendDeferred(b []byte, dict *packed.Dict, d *rules.Deferred, fact int) []byte {
	i, ok := t.byPtr[d.Rule]
	if !ok {
		panic(fmt.Sprintf("deferred finding of rule %s, which is not in the run", d.Rule.ID))
	}
	b = binary.AppendUvarint(b, uint64(i))
	b = binary.AppendUvarint(b, uint64(fact))
	b = binary.AppendVarint(b, int64(d.Severity))
	b = appendPos(appendPos(b, d.Pos), d.End)
	b = dict.Append(dict.Append(dict.Append(b, d.Path), d.Container), d.Detail)
	return appendFix(b, dict, d.Fix)
}

// reader decodes a stream of records; the strings it returns are
// substrings of it.
type reader struct{ packed.DictReader }

func (r *reader) pos() loader.Pos {
	line := r.Varint()
	return loader.Pos{Line: int(line), Col: int(r.Varint())}
}

func (t *ruleTable) readFinding(r *reader) rules.Finding {
	var f rules.Finding
	if i := r.Uvarint(); i > 0 {
		f.Rule = t.list[i-1].ID
	} else {
		f.Rule = r.Str()
	}
	f.Severity = rules.Severity(r.Varint())
	f.Pos, f.End = r.pos(), r.pos()
	for _, s := range [...]*string{&f.Message, &f.File, &f.Object.APIVersion, &f.Object.Kind, &f.Object.Namespace, &f.Object.Name, &f.Container, &f.Path, &f.Source} {
		*s = r.Str()
	}
	if n := r.Uvarint(); n > 0 {
		f.Related = make([]rules.Location, n)
		for i := range f.Related {
			rel := &f.Related[i]
			rel.File, rel.Path = r.Str(), r.Str()
			rel.Pos, rel.End = r.pos(), r.pos()
			rel.Message = r.Str()
		}
	}
	f.Fix = r.fix()
	return f
}

// readDeferred decodes a deferred finding of a file whose facts are facts.
func (t *ruleTable) readDeferred(r *reader, facts []rules.Fact) rules.Deferred {
	d := rules.Deferred{Rule: t.list[r.Uvarint()]}
	d.Fact = facts[r.Uvarint()]
	d.Severity = rules.Severity(r.Varint())
	d.Pos, d.End = r.pos(), r.pos()
	d.Path = r.Str()
	d.Container = r.Str()
	d.Detail = r.Str()
	d.Fix = r.fix()
	return d
}

// recordBlock is the size of the blocks records are kept in; a file whose
// records take more than a quarter of one gets a block of its own.
const recordBlock = 64 << 10

// recordStore keeps one worker's records in blocks that hold no pointers.
// A file's result names its records by block and offset (a recordRef), not
// by a string: the per-file results then hold no pointer either, and the
// collector, which follows every pointer a run keeps on every cycle, skips
// them. As strings they were three pointers a file, followed on every
// cycle (docs/performance.md, round four).
type recordStore struct {
	blocks [][]byte
	cur    int  // the block small records go to,
	open   bool // once there is one
}

// recordRef is where a record is: n bytes at off in block.
type recordRef struct{ block, off, n uint32 }

// put copies b into the store.
func (s *recordStore) put(b []byte) recordRef {
	if len(b) == 0 {
		return recordRef{}
	}
	n := uint32(len(b))
	if len(b) > recordBlock/4 {
		s.blocks = append(s.blocks, bytes.Clone(b))
		return recordRef{uint32(len(s.blocks) - 1), 0, n}
	}
	if !s.open || cap(s.blocks[s.cur])-len(s.blocks[s.cur]) < len(b) {
		s.blocks = append(s.blocks, make([]byte, 0, recordBlock))
		s.cur, s.open = len(s.blocks)-1, true
	}
	blk := s.blocks[s.cur]
	off := uint32(len(blk))
	// Appending within the block's capacity never moves the bytes that
	// earlier records, and the strings get returns, are made of.
	s.blocks[s.cur] = append(blk, b...)
	return recordRef{uint32(s.cur), off, n}
}

// get returns the record r as a string, which nothing writes again.
func (s *recordStore) get(r recordRef) string {
	if r.n == 0 {
		return ""
	}
	return unsafe.String(&s.blocks[r.block][r.off], int(r.n))
}
