#!/usr/bin/env python3
"""Regenerate core/sizeclass_tables.inc from Go 1.19's runtime/sizeclasses.go.

Usage: tests/data/gen_sizeclass_tables.py [/usr/lib/go-1.19/src/runtime/sizeclasses.go]
The tables are copied verbatim so that the C model rounds exactly as Go does.
"""
import re, sys
path = sys.argv[1] if len(sys.argv) > 1 else '/usr/lib/go-1.19/src/runtime/sizeclasses.go'
src = open(path).read()
def arr(name):
    m = re.search(r'var ' + name + r' = \[[^\]]*\]\w+\{([^}]*)\}', src)
    return [x.strip() for x in m.group(1).split(',')]
out = ['/* Generated from Go 1.19 runtime/sizeclasses.go by tests/data/gen_sizeclass_tables.py; do not edit. */']
for n, t in [('class_to_size', 'uint16_t'), ('class_to_allocnpages', 'uint8_t'),
             ('size_to_class8', 'uint8_t'), ('size_to_class128', 'uint8_t')]:
    a = arr(n)
    out.append('static const %s %s[%d] = {' % (t, n, len(a)))
    for i in range(0, len(a), 16):
        out.append('    ' + ', '.join(a[i:i + 16]) + ',')
    out.append('};')
open('core/sizeclass_tables.inc', 'w').write('\n'.join(out) + '\n')
