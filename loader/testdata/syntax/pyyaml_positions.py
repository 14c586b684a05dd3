# Prints, for each broken manifest TestSyntaxErrorPositions uses, where
# PyYAML (pure Python, yaml.SafeLoader) and libyaml (yaml.CSafeLoader) put
# the problem and its context. The test's table was copied from this output
# (PyYAML 6.0.3 with libyaml); run it again after changing a case:
#   python3 loader/testdata/syntax/pyyaml_positions.py
import yaml
base = {
 "misindented-key": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n  selector:\n    matchLabels:\n      app: web\n   template:\n    metadata: {}\n",
 "unclosed-flow-mapping": "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  labels: {app: web\nspec:\n  ports: []\n",
 "unclosed-flow-sequence": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: app\n    args: [serve, --port\n    image: web:1\n",
 "unclosed-quote": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: \"web\n  namespace: prod\nspec: {}\n",
 "missing-colon": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  namespace prod\n  labels: {}\n",
 "tab-indent": "apiVersion: v1\nkind: Pod\nmetadata:\n\tname: web\n",
 "mapping-values": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n   template: oops\n",
 "flow-before-document-marker": "a: [\n---\napiVersion: v1\nkind: Pod\n",
 "tab-after-indent": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  \tnamespace: x\n",
}
def variants():
    for k, v in base.items():
        yield k, v
        yield k+"/second-doc", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\n" + v
        yield k+"/bom", "\ufeff" + v
        yield k+"/crlf", v.replace("\n", "\r\n")
def marks(loader, s):
    try:
        list(yaml.load_all(s, Loader=loader))
        return None
    except yaml.MarkedYAMLError as e:
        r = {"problem": e.problem, "line": e.problem_mark.line+1, "col": e.problem_mark.column+1}
        if e.context_mark is not None:
            r["context"] = e.context; r["cline"] = e.context_mark.line+1; r["ccol"] = e.context_mark.column+1
        return r
for k, s in variants():
    p = marks(yaml.SafeLoader, s); c = marks(yaml.CSafeLoader, s)
    def f(r): return "-" if r is None else "%d:%d%s %s" % (r["line"], r["col"], (" ctx %d:%d %s" % (r["cline"], r["ccol"], r["context"])) if "cline" in r else "", r["problem"])
    print("%-32s py %-70s | c %s" % (k, f(p), f(c)))
