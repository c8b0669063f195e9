"""Two builds of flowc on the same randomly mutated programs.

    python3 benches/mutations.py OLD_FLOWC NEW_FLOWC     # N=300 by default

Each case is an example or conformance file with one random mutation (a
character deleted or inserted, punctuation or a word deleted, a line
doubled). For each, both binaries run `check --format json`; the summary
counts the cases where OLD reports a syntax error (E1xx), those where NEW
reports one on OLD's first error line (`covered`) or first on that same line
(`first_same`), crashes of NEW, and cases without syntax errors whose
diagnostics differ (`clean_diff`). One mutation is one mistake: of the
cases with a syntax error, `old_one` and `new_one` count those that each
binary reports with exactly one syntax diagnostic. The cases NEW does not cover go to
`target/mutations/bad.json`. The seed is fixed: the same binaries give the
same figures.
"""
import json, random, subprocess, sys, glob, os
OLD, NEW = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, 'target', 'mutations')
os.makedirs(OUT, exist_ok=True)
files = sorted(glob.glob(os.path.join(ROOT, 'examples', '*.flow'))) + sorted(glob.glob(os.path.join(ROOT, 'tests', 'conformance', 'pass', '*.flow')))
rng = random.Random(7)
TOKS = ['{', '}', ':', '"', ',', '[', ']', 'step', 'if', '<<', '=', 'x', '\n']
def mutate(s):
    kind = rng.randrange(5)
    i = rng.randrange(len(s))
    if kind == 0:  # delete a char
        return s[:i] + s[i+1:]
    if kind == 1:  # insert a token
        return s[:i] + rng.choice(TOKS) + s[i:]
    if kind == 2:  # delete a punctuation char
        ps = [j for j, c in enumerate(s) if c in '{}:",[]']
        j = rng.choice(ps); return s[:j] + s[j+1:]
    if kind == 3:  # delete a word
        import re
        ws = [m.span() for m in re.finditer(r'[A-Za-z_][A-Za-z0-9_.-]*', s)]
        a, b = rng.choice(ws); return s[:a] + s[b:]
    # duplicate a line
    lines = s.split('\n'); k = rng.randrange(len(lines)); lines.insert(k, lines[k]); return '\n'.join(lines)
def run(binary, path):
    p = subprocess.run([binary, 'check', '--format', 'json', path], capture_output=True, text=True, cwd=OUT)
    if p.returncode not in (0, 1):
        return ('crash', p.returncode, p.stderr[-300:])
    d = json.loads(p.stdout)['diagnostics']
    return [(x['code'], x['line']) for x in d]
stats = dict(n=0, old_syntax=0, covered=0, first_same=0, crash=0, clean_diff=0, old_one=0, new_one=0)
bad = []
for t in range(int(os.environ.get('N', 300))):
    src = open(rng.choice(files)).read()
    m = mutate(src)
    path = os.path.join(OUT, 'm.flow')
    open(path, 'w').write(m)
    o, n = run(OLD, path), run(NEW, path)
    stats['n'] += 1
    if isinstance(n, tuple):
        stats['crash'] += 1; bad.append(('crash', m, n)); continue
    osyn = [l for c, l in o if c.startswith('E1')]
    nsyn = [l for c, l in n if c.startswith('E1')]
    if not osyn:
        if o != n: stats['clean_diff'] += 1; bad.append(('clean', m, o, n))
        continue
    stats['old_syntax'] += 1
    stats['old_one'] += len(osyn) == 1
    stats['new_one'] += len(nsyn) == 1
    if len(osyn) == 1 and len(nsyn) > 1: bad.append(('more', m, o, n))
    if osyn[0] in nsyn: stats['covered'] += 1
    else: bad.append(('miss', m, o, n))
    if nsyn and nsyn[0] == osyn[0]: stats['first_same'] += 1
print(stats)
json.dump(bad, open(os.path.join(OUT, 'bad.json'), 'w'), indent=1)
