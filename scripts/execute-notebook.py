#!/usr/bin/python3
"""Executes notebooks headlessly with the tslab kernel (nbclient) and reports every cell error.

A cell fails when the kernel's execute_reply says so (tslab writes a runtime error's stack to
stderr, with no error output, and aborts the cells after it: those are reported as not run) or
when it printed a TypeScript compile error (which tslab reports on stderr with status ok).

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
    replies = {}

    def executed(cell, cell_index, execute_reply):
        replies[cell_index] = execute_reply['content']

    client = NotebookClient(nb, timeout=args.timeout, kernel_name='tslab', allow_errors=True, on_cell_executed=executed,
                            resources={'metadata': {'path': os.path.dirname(os.path.abspath(path))}})
    client.execute()
    errors = []
    for i, cell in enumerate(nb.cells):
        status = replies.get(i, {}).get('status', 'ok')
        if status == 'abort':
            errors.append({'cell': i, 'error': 'not run: aborted after an earlier error'})
            continue
        found = []
        for o in cell.get('outputs', []):
            if o.get('output_type') == 'error':
                found.append(f"{o.get('ename')}: {o.get('evalue')}")
            # tslab reports TypeScript compile errors on stderr as "<line>:<col> - <message>"
            elif o.get('output_type') == 'stream' and o.get('name') == 'stderr' and ' - ' in o.get('text', '') and o.get('text', '').split(' - ')[0].replace(':', '').strip().isdigit():
                found.append('compile: ' + o['text'].strip())
        if status == 'error' and not found:
            # a runtime error: its stack on stderr; the message is the line "SomeError: ..."
            stderr = ''.join(o.get('text', '') for o in cell.get('outputs', []) if o.get('output_type') == 'stream' and o.get('name') == 'stderr')
            reply = replies[i]
            message = next((l.strip() for l in stderr.splitlines() if ': ' in l and l.split(':')[0].strip().endswith('Error')), None)
            found.append(message or (f"{reply.get('ename')}: {reply.get('evalue')}" if reply.get('ename') else stderr.strip()[:500] or 'error (no message)'))
        errors.extend({'cell': i, 'error': e} for e in found)
    if args.out:
        os.makedirs(args.out, exist_ok=True)
        nbformat.write(nb, os.path.join(args.out, os.path.basename(path)))
    print(json.dumps({'notebook': path, 'ok': not errors, 'errors': errors}))
    failed = failed or bool(errors)
sys.exit(1 if failed else 0)
