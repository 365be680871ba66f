import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import vm from 'node:vm';
import { escapeScript, figureHtml, figuresHtml, plotlyScript, scriptJson } from '../../lib/report/inline-figure.ts';

const scripts = (html: string) => [...html.matchAll(/<script type="text\/javascript">([\s\S]*?)<\/script>/g)].map((m) => m[1]!);

test('figureHtml: a div and a script that hands the spec to Plotly.newPlot unchanged, with </script> in the data kept inert', () => {
  const spec = { data: [{ type: 'bar', x: ['</script><b>x</b>', 'a\u2028b'], y: [1, null] }], layout: { title: { text: 'T <!-- c -->' }, width: 640, height: 300 } };
  const html = figureHtml(spec, { id: 'fig1' });
  assert.match(html, /^<div id="fig1" class="anon-impact-figure" style="max-width:640px;height:300px;"><\/div>/);
  assert.equal(html.match(/<\/script>/g)!.length, 1, 'the data cannot close the script element');
  const [js] = scripts(html);
  const calls: unknown[][] = [];
  const el = { textContent: '' };
  vm.runInNewContext(js!, { window: { Plotly: { newPlot: (...a: unknown[]) => calls.push(a) } }, document: { getElementById: (id: string) => (id === 'fig1' ? el : null) } });
  assert.equal(calls.length, 1);
  assert.equal(calls[0]![0], el);
  // objects made in the vm's realm: compared through JSON
  const plain = (v: unknown) => JSON.parse(JSON.stringify(v)) as unknown;
  assert.deepEqual(plain(calls[0]![1]), spec.data);
  assert.deepEqual(plain(calls[0]![2]), spec.layout);
  assert.deepEqual(plain(calls[0]![3]), { responsive: true, displaylogo: false });
  // without plotly loaded, the div says so
  vm.runInNewContext(js!, { window: {}, document: { getElementById: () => el } });
  assert.match(el.textContent, /plotlyScript\(\) first/);
});

test('ids: derived from the content and unique per call; a bad id is refused', () => {
  const spec = { data: [], layout: {} };
  const a = /id="([^"]+)"/.exec(figureHtml(spec))![1]!;
  const b = /id="([^"]+)"/.exec(figureHtml(spec))![1]!;
  assert.match(a, /^anon-impact-fig-[0-9a-f]{12}-\d+$/);
  assert.notEqual(a, b);
  assert.equal(a.slice(0, 29), b.slice(0, 29));
  assert.throws(() => figureHtml(spec, { id: 'x"><script>' }), /not a plain HTML id/);
});

test('plotlyScript: the whole bundle, escaped, with module and exports hidden; it defines window.Plotly', () => {
  const src = readFileSync(createRequire(import.meta.url).resolve('plotly.js-dist-min/plotly.min.js'), 'utf8');
  const html = plotlyScript();
  assert.ok(html.startsWith('<script type="text/javascript">(function (module, exports, define) {\n'));
  assert.ok(html.endsWith('\n})(undefined, undefined, undefined);</script>'));
  assert.equal(html.match(/<\/script/gi)!.length, 1);
  assert.ok(html.length >= src.length);
  // the wrapper hides a CommonJS `module`: the bundle takes the browser branch (window.Plotly)
  const [js] = scripts(html);
  assert.match(js!, /window\.Plotly = Plotly;/);
  assert.ok(figureHtml({ data: [], layout: {} }, { includePlotly: true, id: 'f' }).startsWith(html + '\n<div id="f"'));
});

test('escaping helpers', () => {
  assert.equal(escapeScript('a</script>b</SCRIPT>c<!--d'), 'a<\\/script>b<\\/SCRIPT>c<\\!--d');
  assert.equal(scriptJson({ s: '<b>\u2028' }), '{"s":"\\u003cb>\\u2028"}');
  assert.deepEqual(JSON.parse(scriptJson({ s: '<b>\u2028' })), { s: '<b>\u2028' });
});

test('figuresHtml: one div and script per figure, named or bare; plotly at most once', () => {
  const a = { data: [{ type: 'bar', y: [1] }], layout: {} };
  const html = figuresHtml([{ name: 'a', spec: a }, a]);
  assert.equal(html.match(/<div id=/g)!.length, 2);
  assert.equal(html.match(/<script/g)!.length, 2);
  const withPlotly = figuresHtml([a, a], { includePlotly: true });
  assert.equal(withPlotly.match(/window\.Plotly = Plotly;/g)!.length, 1);
  assert.equal(figuresHtml([]), '');
});
