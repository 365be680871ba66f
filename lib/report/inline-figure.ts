// Plotly figures inline in a notebook (or any HTML page), with nothing fetched from the network:
// plotlyScript() is plotly.js-dist-min as one <script> (display it once per notebook, before the
// first figure); figureHtml(spec) is a <div> and the script that draws the figure into it.
// The plotly bundle is evaluated with `module` and `exports` hidden, so that it sets
// window.Plotly whatever module system the page has. Text that could close the <script> element
// ("</script", "<!--") is escaped in the figure's JSON and in the bundle.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { FigureSpec } from './figures.ts';

let bundle: string | undefined;

/** plotly.js-dist-min's source, escaped for an inline <script>. */
function plotlySource(): string {
  if (bundle === undefined) {
    const require = createRequire(import.meta.url);
    bundle = escapeScript(readFileSync(require.resolve('plotly.js-dist-min/plotly.min.js'), 'utf8'));
  }
  return bundle;
}

/** Script text safe inside <script>...</script>: "</script" and "<!--" cannot occur in it. */
export function escapeScript(js: string): string {
  return js.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

/** JSON safe inside a <script> element (every '<' as \u003c, and the two JS-only line breaks). */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** One <script> element that loads plotly.js into the page (window.Plotly). */
export function plotlyScript(): string {
  return `<script type="text/javascript">(function (module, exports, define) {\n${plotlySource()}\n})(undefined, undefined, undefined);</script>`;
}

export interface InlineFigureOptions {
  /** The element id (default: derived from the spec's content and a per-process counter). */
  id?: string;
  /** Also include plotly.js itself (a self-contained snippet; large). Default false. */
  includePlotly?: boolean;
  /** Plotly config (default: responsive, no logo). */
  config?: Record<string, unknown>;
}

let counter = 0;

/** HTML that draws the figure with the page's Plotly (see plotlyScript). */
export function figureHtml(spec: FigureSpec, options: InlineFigureOptions = {}): string {
  const json = scriptJson({ data: spec.data, layout: spec.layout });
  const id = options.id ?? `anon-impact-fig-${createHash('sha256').update(json).digest('hex').slice(0, 12)}-${++counter}`;
  if (!/^[A-Za-z][A-Za-z0-9_-]*$/.test(id)) throw new Error(`figure id '${id}' is not a plain HTML id (letters, digits, '-', '_')`);
  const config = scriptJson(options.config ?? { responsive: true, displaylogo: false });
  const width = typeof spec.layout.width === 'number' ? `max-width:${spec.layout.width}px;` : '';
  const height = typeof spec.layout.height === 'number' ? `height:${spec.layout.height}px;` : '';
  const draw = `(function () {\n  var fig = ${json};\n  var el = document.getElementById(${JSON.stringify(id)});\n  if (window.Plotly) window.Plotly.newPlot(el, fig.data, fig.layout, ${config});\n  else el.textContent = 'plotly.js is not loaded: display plotlyScript() first';\n})();`;
  return `${options.includePlotly ? plotlyScript() + '\n' : ''}<div id="${id}" class="anon-impact-figure" style="${width}${height}"></div>\n<script type="text/javascript">${draw}</script>`;
}

/** Several figures, one after the other (named figures or bare specs), for one display call. */
export function figuresHtml(figures: readonly ({ name?: string; spec: FigureSpec } | FigureSpec)[], options: Omit<InlineFigureOptions, 'id'> = {}): string {
  return figures.map((f, i) => figureHtml('spec' in f ? f.spec : f, { ...options, includePlotly: i === 0 && options.includePlotly })).join('\n');
}
