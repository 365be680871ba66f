#!/usr/bin/python3
"""Executes notebooks headlessly with the tslab kernel (nbclient) and reports every cell error.

usage: execute-notebook.py NOTEBOOK.ipynb [...] [--out DIR] [--timeout SECONDS]
Exit status 1 if any cell raised or printed a compile error; outputs are written to --out
(never over the committed notebook, which stays without outputs).
"""
import argparse, json, os, sys
import nbformat
from nbclient import NotebookClient

ap = argparse.ArgumentParser()
ap.add_argument('notebooks', nargs='+')
ap.add_argument('--out')
ap.add_argument('--timeout', type=int, default=600)
args = ap.parse_args()

failed = False
for path in args.notebooks:
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=args.timeout, kernel_name='tslab', allow_errors=True,
                            resources={'metadata': {'path': os.path.dirname(os.path.abspath(path))}})
    client.execute()
    errors = []
    for i, cell in enumerate(nb.cells):
        for o in cell.get('outputs', []):
            if o.get('output_type') == 'error':
                errors.append({'cell': i, 'error': f"{o.get('ename')}: {o.get('evalue')}"})
            # tslab reports TypeScript compile errors on stderr as "<line>:<col> - <message>"
            elif o.get('output_type') == 'stream' and o.get('name') == 'stderr' and ' - ' in o.get('text', '') and o.get('text', '').split(' - ')[0].replace(':', '').strip().isdigit():
                errors.append({'cell': i, 'error': 'compile: ' + o['text'].strip()})
    if args.out:
        os.makedirs(args.out, exist_ok=True)
        nbformat.write(nb, os.path.join(args.out, os.path.basename(path)))
    print(json.dumps({'notebook': path, 'ok': not errors, 'errors': errors}))
    failed = failed or bool(errors)
sys.exit(1 if failed else 0)
