"""mutate.py OUT SEED COUNT SRCDIR ACADEMY: broken AAF exports for
tests/bench/readerdiff.sh, derived from the demo school, the hostile
test inputs and a slice of a generated academy; the same arguments give
the same files."""
import os, random, sys, glob
out, seed, count, srcdir, academy = sys.argv[1], int(sys.argv[2]), \
    int(sys.argv[3]), sys.argv[4], sys.argv[5]
random.seed(seed)
os.makedirs(out, exist_ok=True)
srcs = sorted(glob.glob(srcdir + '/fixtures/demo/*.xml')) + \
    sorted(glob.glob(srcdir + '/tests/golden/inputs/HOSTILE*.xml')) + \
    sorted(glob.glob(srcdir + '/tests/print/inputs/*.xml'))
data = [open(f, 'rb').read() for f in srcs]
data = [d for d in data if len(d) > 0]
g = open(sorted(glob.glob(academy + '/*PersRelEleve_0000.xml'))[0],
    'rb').read()[:60000]
data.append(g + b'\n</ficAlimMENESR>\n')
snips = [b'&foo;', b'&amp;', b'&#1057;', b'&#xZZ;', b'<!-- c -->', b'<![CDATA[x]]>', b'</value>', b'<value>', b'<value/>',
 b'<attr name="sn">', b'<attr>', b'<modification name="sn" operation="add">', b'<?pi x?>', b'\n', b'&e;', b'&t;', b'&x;', b'&lt;',
 b'<addRequest>', b'</addRequest>', b'<deleteRequest/>', b'<id>9</id>', b'\xc3', b'\xff\xfe', b'\x00', b'<a:b xmlns:a="u">', b'<q:r>',
 b'<identifier><id>77</id></identifier>', b'&apos;', b']]>', b'<!ENTITY z "q">', b'<attr name="s&amp;n">', b'<attr name="&t;">', b'<attr name="&#115;n">', b'<attr n:name="sn" xmlns:n="u">', b'<p:attr name="sn">', b'<x:addRequest xmlns:x="u">', b'</x:addRequest>', b'<attr name=" sn">', b'<attr name="sn" name="sn">', b'<modification name="sn" operation="a&amp;b">', b'&x;&x;']
dtd = b'<!DOCTYPE ficAlimMENESR [\n<!ENTITY e "">\n<!ENTITY t "txt">\n<!ENTITY x "<b>y</b>">\n<!ATTLIST attr name CDATA "sn" operation CDATA "add">\n<!ATTLIST modification operation CDATA "add">\n]>\n'
def mutate(d):
    k = random.randrange(8)
    n = len(d)
    if k == 0:
        for b in (4, 516, 1028, 1540, 4100, 4612):
            if random.random() < 0.3 and b < n:
                return d[:b + random.randrange(-3, 4)]
        return d[:random.randrange(n)]
    if k == 1:
        i = random.randrange(n); return d[:i] + bytes([random.choice(b'<>&/"\x00\xff' + bytes([random.randrange(256)]))]) + d[i+1:]
    if k == 2:
        i = random.randrange(n); return d[:i] + random.choice(snips) + d[i:]
    if k == 3:
        i = random.randrange(n); j = min(n, i + random.randrange(1, 200)); return d[:i] + d[j:]
    if k == 4:
        i = random.randrange(n); j = min(n, i + random.randrange(1, 2000)); return d[:j] + d[i:j] + d[j:]
    if k == 5:
        # internal DTD with entities, then references
        p = d.find(b'<ficAlimMENESR')
        if p < 0: p = 0
        e = d[:p] + dtd + d[p:]
        for _ in range(random.randrange(1, 4)):
            i = random.randrange(len(e)); e = e[:i] + random.choice([b'&e;', b'&t;', b'&x;', b'&nope;']) + e[i:]
        return e
    if k == 6:
        # many small mutations
        for _ in range(5):
            d = mutate(d) if len(d) > 10 else d
        return d
    return d[:random.randrange(n)] + d[random.randrange(n):]
for i in range(count):
    d = random.choice(data)
    m = mutate(d)
    name = 'FUZZ_Complet_20260901_PersRelEleve_%04d.xml' % i
    open(os.path.join(out, name), 'wb').write(m)
