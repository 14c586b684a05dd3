package rules

import (
	"encoding/binary"
	"fmt"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/zdlint/zdlint/internal/packed"
)

// Facts as records. While files are loaded, a run keeps every fact until
// the Index is built at its end; kept as structs, their strings, kinds,
// files and slices are pointers that the collector traces on every cycle,
// and a 10,000-file run cycles about a hundred times (see
// docs/performance.md). Encoded with FactWriter into pointer-free bytes
// they cost the collector nothing until the end, when ReadFact decodes
// them once, for the Index. A decoded fact equals the extracted one
// (TestFactRoundTrip); its strings are substrings of the record.

// Record tags, one per fact type.
const (
	tagWorkload = 1 + iota
	tagHPA
	tagPDB
	tagService
)

// Header bits, above the tag.
const (
	hdrTagBits  = 3
	hdrNewWhere = 1 << hdrTagBits // a Where follows; else the previous one's
	hdrContext  = 2 << hdrTagBits // the new Where's Context
)

// A FactWriter encodes one stream of facts, usually a file's: each fact
// names its file only when it differs from the previous one's, and writes
// a string the stream already holds as a reference (packed.Dict). Its zero
// value starts a stream.
type FactWriter struct {
	dict    packed.Dict
	prev    Where
	started bool
}

// Reset starts a new stream.
func (w *FactWriter) Reset() {
	w.dict.Reset()
	w.prev, w.started = Where{}, false
}

// Append encodes f, which is not nil, after b.
func (w *FactWriter) Append(b []byte, f Fact) []byte {
	sub := f.subject()
	var tag uint64
	switch f.(type) {
	case *WorkloadFact:
		tag = tagWorkload
	case *HPAFact:
		tag = tagHPA
	case *PDBFact:
		tag = tagPDB
	case *ServiceFact:
		tag = tagService
	default:
		panic(fmt.Sprintf("rules: cannot encode a %T", f))
	}
	hdr := tag
	newWhere := !w.started || *sub.Where != w.prev
	if newWhere {
		hdr |= hdrNewWhere
		if sub.Context {
			hdr |= hdrContext
		}
	}
	b = binary.AppendUvarint(b, hdr)
	if newWhere {
		b = w.dict.Append(w.dict.Append(b, sub.File), sub.Source)
		w.prev, w.started = *sub.Where, true
	}
	for _, s := range [...]string{sub.Namespace, sub.Name, sub.APIVersion, sub.Kind} {
		b = w.dict.Append(b, s)
	}
	switch f := f.(type) {
	case *WorkloadFact:
		b = binary.AppendUvarint(b, bits(f.Replicas != nil, f.HasReplicas, f.PodCPU, f.PodMemory, f.Ports))
		if f.Replicas != nil {
			b = binary.AppendVarint(b, int64(*f.Replicas))
		}
		b = w.dict.Append(b, string(f.Labels))
		b = binary.AppendUvarint(b, uint64(len(f.Containers)))
		for _, c := range f.Containers {
			b = binary.AppendUvarint(w.dict.Append(b, c.Name), bits(c.CPU, c.Memory))
		}
	case *HPAFact:
		t := &f.Target
		for _, s := range [...]string{t.Kind, t.Name, t.APIVersion} {
			b = w.dict.Append(b, s)
		}
		b = binary.AppendVarint(b, int64(t.MaxReplicas))
		b = binary.AppendUvarint(b, bits(t.MinReplicas != nil))
		if t.MinReplicas != nil {
			b = binary.AppendVarint(b, int64(*t.MinReplicas))
		}
		b = binary.AppendUvarint(b, uint64(len(f.Metrics)))
		for _, m := range f.Metrics {
			b = w.dict.Append(w.dict.Append(b, m.Container), string(m.Resource))
			b = binary.AppendUvarint(b, bits(m.Utilization, m.Default))
		}
	case *PDBFact:
		b = binary.AppendUvarint(b, bits(f.Beta))
		b = binary.AppendUvarint(b, uint64(f.SelectorState))
		b = w.dict.Append(w.dict.Append(b, f.spec), string(f.hint))
		b = w.appendIntOrString(w.appendIntOrString(b, f.MinAvailable), f.MaxUnavailable)
	case *ServiceFact:
		b = w.dict.Append(b, string(f.Selector))
	}
	return b
}

// bits packs flags, the first in the lowest bit.
func bits(flags ...bool) uint64 {
	var v uint64
	for i, f := range flags {
		if f {
			v |= 1 << i
		}
	}
	return v
}

func bit(v uint64, i int) bool { return v&(1<<i) != 0 }

func (w *FactWriter) appendIntOrString(b []byte, v *intstr.IntOrString) []byte {
	if v == nil {
		return binary.AppendUvarint(b, 0)
	}
	b = binary.AppendUvarint(b, uint64(v.Type)+1)
	return w.dict.Append(binary.AppendVarint(b, int64(v.IntVal)), v.StrVal)
}

// A FactReader decodes a stream that a FactWriter encoded, into a's
// chunks (a may be nil).
type FactReader struct {
	packed.DictReader
	a    *Arena
	prev *Where
}

// NewFactReader reads the stream s.
func NewFactReader(a *Arena, s string) *FactReader {
	r := &FactReader{a: a}
	r.Reset(s)
	return r
}

// Reset reads the stream s.
func (r *FactReader) Reset(s string) {
	r.DictReader.Reset(s)
	r.prev = nil
}

// Next decodes the next fact.
func (r *FactReader) Next() Fact {
	a := r.a
	hdr := r.Uvarint()
	switch {
	case hdr&hdrNewWhere != 0:
		file := r.Str()
		r.prev = newIn(a, func(a *Arena) *[]Where { return &a.wheres })
		*r.prev = Where{File: file, Source: r.Str(), Context: hdr&hdrContext != 0}
	case r.prev == nil:
		panic("rules: malformed fact record: the stream names no file")
	}
	ns, name := r.Str(), r.Str()
	apiVersion := r.Str()
	sub := Subject{Namespace: ns, Name: name, ObjectKind: a.kind(apiVersion, r.Str()), Where: r.prev}
	switch hdr & (1<<hdrTagBits - 1) {
	case tagWorkload:
		f := a.newWorkload()
		fl := r.Uvarint()
		*f = WorkloadFact{Subject: sub, HasReplicas: bit(fl, 1), PodCPU: bit(fl, 2), PodMemory: bit(fl, 3), Ports: bit(fl, 4)}
		if bit(fl, 0) {
			f.replicas = int32(r.Varint())
			f.Replicas = &f.replicas
		}
		f.Labels = LabelSet(r.Str())
		n := int(r.Uvarint())
		f.Containers = a.containerList(n)
		for range n {
			name := r.Str()
			cf := r.Uvarint()
			f.Containers = append(f.Containers, ContainerRequests{Name: name, CPU: bit(cf, 0), Memory: bit(cf, 1)})
		}
		return f
	case tagHPA:
		f := a.newHPA()
		kind, name := r.Str(), r.Str()
		f.Subject = sub
		f.Target = HPATarget{Kind: kind, Name: name, APIVersion: r.Str(), MaxReplicas: int32(r.Varint())}
		if bit(r.Uvarint(), 0) {
			f.minReplicas = int32(r.Varint())
			f.Target.MinReplicas = &f.minReplicas
		}
		n := int(r.Uvarint())
		f.Metrics = a.metricList(n)
		for range n {
			c := r.Str()
			m := HPAMetric{Container: c, Resource: corev1.ResourceName(r.Str())}
			fl := r.Uvarint()
			m.Utilization, m.Default = bit(fl, 0), bit(fl, 1)
			f.Metrics = append(f.Metrics, m)
		}
		return f
	case tagPDB:
		f := a.newPDB()
		beta := bit(r.Uvarint(), 0)
		state := SelectorState(r.Uvarint())
		spec := r.Str()
		*f = PDBFact{Subject: sub, Beta: beta, SelectorState: state, spec: spec, hint: LabelSet(r.Str())}
		f.Selector = effectiveSelector(beta, state, decodeSelector(spec))
		f.MinAvailable, f.MaxUnavailable = r.intOrString(), r.intOrString()
		return f
	case tagService:
		f := a.newService()
		*f = ServiceFact{Subject: sub, Selector: LabelSet(r.Str())}
		return f
	}
	panic("rules: malformed fact record")
}

func (r *FactReader) intOrString() *intstr.IntOrString {
	t := r.Uvarint()
	if t == 0 {
		return nil
	}
	p := newIn(r.a, func(a *Arena) *[]intstr.IntOrString { return &a.ints })
	iv := int32(r.Varint())
	*p = intstr.IntOrString{Type: intstr.Type(t - 1), IntVal: iv, StrVal: r.Str()}
	return p
}

// encodeSelector packs a set selector: its matchLabels as a LabelSet,
// then each expression's key, operator and values. Decoded, it yields the
// same requirements (a selector's are sorted by key).
func encodeSelector(sel *metav1.LabelSelector) string {
	if sel == nil {
		return ""
	}
	b := packed.AppendString(nil, string(NewLabelSet(sel.MatchLabels)))
	b = binary.AppendUvarint(b, uint64(len(sel.MatchExpressions)))
	for _, e := range sel.MatchExpressions {
		b = packed.AppendString(packed.AppendString(b, e.Key), string(e.Operator))
		b = binary.AppendUvarint(b, uint64(len(e.Values)))
		for _, v := range e.Values {
			b = packed.AppendString(b, v)
		}
	}
	return string(b)
}

func decodeSelector(s string) *metav1.LabelSelector {
	if s == "" {
		return nil
	}
	r := packed.Reader{S: s}
	sel := &metav1.LabelSelector{}
	if l := LabelSet(r.String()); l != "" {
		sel.MatchLabels = l.Map()
	}
	n := int(r.Uvarint())
	if n > 0 {
		sel.MatchExpressions = make([]metav1.LabelSelectorRequirement, n)
	}
	for i := range n {
		e := &sel.MatchExpressions[i]
		e.Key, e.Operator = r.String(), metav1.LabelSelectorOperator(r.String())
		if nv := int(r.Uvarint()); nv > 0 {
			e.Values = make([]string, nv)
			for j := range e.Values {
				e.Values[j] = r.String()
			}
		}
	}
	return sel
}
