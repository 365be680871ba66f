// Figure export to PNG, SVG and PDF: playwright-core drives Debian's chromium (never a downloaded
// browser) on a local page with plotly.js-dist-min inlined. PNG and SVG come from Plotly.toImage;
// PDF is Plotly's SVG on a page of the figure's size, printed by chromium (page.pdf), so the PDF
// keeps vector text and lines. One browser serves many figures: open an exporter, write figures,
// close it.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { writeFileAtomic } from '../data/atomic.ts';
import type { FigureSpec } from './figures.ts';

export type ImageFormat = 'png' | 'svg' | 'pdf';
export const IMAGE_FORMATS: readonly ImageFormat[] = ['png', 'svg', 'pdf'];

/** Debian's chromium; CHROMIUM_PATH overrides. */
export const DEFAULT_CHROMIUM = '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export interface ExporterOptions {
  /** The chromium executable (default $CHROMIUM_PATH or /usr/bin/chromium). */
  executablePath?: string;
}

export interface RenderOptions {
  /** CSS pixels; default the layout's width/height, else 900 x 520. */
  width?: number;
  height?: number;
  /** PNG pixel ratio (default 2). */
  scale?: number;
}

/** The chromium to use, or an error saying how to install it. */
export function chromiumPath(given?: string): string {
  const p = given ?? process.env.CHROMIUM_PATH ?? DEFAULT_CHROMIUM;
  if (!existsSync(p)) throw new Error(`chromium not found at ${p}: install Debian's chromium: apt-get install chromium (or set CHROMIUM_PATH to a chromium binary)`);
  return p;
}

/** Parses a format list such as "png,svg,pdf". */
export function parseFormats(s: string): ImageFormat[] {
  const out = s.split(',').map((f) => f.trim().toLowerCase()).filter(Boolean);
  for (const f of out) if (!IMAGE_FORMATS.includes(f as ImageFormat)) throw new Error(`unknown image format '${f}' (png, svg, pdf)`);
  if (out.length === 0) throw new Error('no image format given (png, svg, pdf)');
  return [...new Set(out)] as ImageFormat[];
}

function size(spec: FigureSpec, o: RenderOptions): { width: number; height: number } {
  const lw = spec.layout.width;
  const lh = spec.layout.height;
  return { width: o.width ?? (typeof lw === 'number' ? lw : 900), height: o.height ?? (typeof lh === 'number' ? lh : 520) };
}

export class FigureExporter {
  private constructor(
    private readonly context: BrowserContext,
    private readonly plotPage: Page,
    private readonly pdfPage: Page,
    private readonly profile: string,
    private readonly errors: string[],
  ) {}

  /** Starts chromium with a fresh profile in a temporary folder and loads plotly. */
  static async open(options: ExporterOptions = {}): Promise<FigureExporter> {
    const executablePath = chromiumPath(options.executablePath);
    const require = createRequire(import.meta.url);
    const plotly = await readFile(require.resolve('plotly.js-dist-min/plotly.min.js'), 'utf8');
    const profile = await mkdtemp(join(tmpdir(), 'anon-impact-chromium-'));
    let context: BrowserContext;
    try {
      // launchPersistentContext passes the folder as --user-data-dir
      context = await chromium.launchPersistentContext(profile, { executablePath, headless: true, args: CHROMIUM_ARGS });
    } catch (e) {
      await rm(profile, { recursive: true, force: true });
      throw new Error(`could not start chromium (${executablePath}): ${(e as Error).message.split('\n')[0]}`);
    }
    try {
      const errors: string[] = [];
      const plotPage = context.pages()[0] ?? (await context.newPage());
      plotPage.on('pageerror', (e) => errors.push(e.message));
      // plotly inlined into a local page: nothing is fetched from the network
      await plotPage.setContent(`<!doctype html><html><head><meta charset="utf-8"><script>${plotly.replace(/<\/script/gi, '<\\/script')}</script></head><body></body></html>`);
      const ok = await plotPage.evaluate(() => typeof (globalThis as { Plotly?: unknown }).Plotly === 'object');
      if (!ok) throw new Error(`plotly did not load in chromium${errors.length ? `: ${errors.join('; ')}` : ''}`);
      const pdfPage = await context.newPage();
      return new FigureExporter(context, plotPage, pdfPage, profile, errors);
    } catch (e) {
      await context.close().catch(() => {});
      await rm(profile, { recursive: true, force: true });
      throw e;
    }
  }

  /** Renders one figure to the bytes of one format. */
  async render(spec: FigureSpec, format: ImageFormat, options: RenderOptions = {}): Promise<Buffer> {
    const { width, height } = size(spec, options);
    const scale = options.scale ?? 2;
    if (format === 'pdf') {
      const svg = (await this.render(spec, 'svg', { width, height })).toString('utf8');
      await this.pdfPage.setContent(
        `<!doctype html><html><head><meta charset="utf-8"><style>@page{size:${width}px ${height}px;margin:0}html,body{margin:0;padding:0}svg{display:block}</style></head><body>${svg}</body></html>`,
      );
      return this.pdfPage.pdf({ width: `${width}px`, height: `${height}px`, printBackground: true, pageRanges: '1' });
    }
    this.errors.length = 0;
    const out = await this.plotPage.evaluate(
      async ({ spec, format, width, height, scale }) => {
        // runs in the page (this project compiles without the DOM types)
        type El = { remove(): void };
        type PlotlyApi = {
          newPlot(el: El, data: unknown, layout: unknown, config: unknown): Promise<unknown>;
          toImage(el: El, o: unknown): Promise<string>;
          purge(el: El): void;
        };
        const Plotly = (globalThis as unknown as { Plotly: PlotlyApi }).Plotly;
        const doc = (globalThis as unknown as { document: { createElement(t: string): El; body: { appendChild(e: El): void } } }).document;
        const el = doc.createElement('div');
        doc.body.appendChild(el);
        try {
          await Plotly.newPlot(el, spec.data, { ...spec.layout, width, height }, { staticPlot: true });
          const url = await Plotly.toImage(el, { format, width, height, scale: format === 'png' ? scale : 1 });
          const comma = url.indexOf(',');
          return { base64: url.slice(0, comma).endsWith(';base64'), body: url.slice(comma + 1) };
        } finally {
          Plotly.purge(el);
          el.remove();
        }
      },
      { spec, format, width, height, scale },
    );
    if (this.errors.length) throw new Error(`plotly: ${this.errors.join('; ')}`);
    return out.base64 ? Buffer.from(out.body, 'base64') : Buffer.from(decodeURIComponent(out.body), 'utf8');
  }

  /** Writes `<base>.<format>` for each format, atomically; returns the paths. */
  async write(spec: FigureSpec, base: string, formats: readonly ImageFormat[], options: RenderOptions = {}): Promise<string[]> {
    const paths: string[] = [];
    for (const f of formats) {
      const file = `${base}.${f}`;
      await writeFileAtomic(file, await this.render(spec, f, options));
      paths.push(file);
    }
    return paths;
  }

  /** Closes chromium and removes its temporary profile. */
  async close(): Promise<void> {
    try {
      await this.context.close();
    } finally {
      await rm(this.profile, { recursive: true, force: true });
    }
  }
}

/** Exports named figures into `dir` with one browser; returns the written paths. */
export async function exportFigures(
  figures: readonly { name: string; spec: FigureSpec }[],
  dir: string,
  formats: readonly ImageFormat[],
  options: RenderOptions & ExporterOptions = {},
): Promise<string[]> {
  const ex = await FigureExporter.open(options);
  try {
    const paths: string[] = [];
    for (const f of figures) paths.push(...(await ex.write(f.spec, join(dir, f.name), formats, options)));
    return paths;
  } finally {
    await ex.close();
  }
}

/** PNG bytes of each figure, rendered with one browser (the static image a notebook shows beside
 * the interactive chart, so that it reads where no JavaScript runs). */
export async function figurePngs(specs: readonly FigureSpec[], options: RenderOptions & ExporterOptions = {}): Promise<Buffer[]> {
  const ex = await FigureExporter.open(options);
  try {
    const out: Buffer[] = [];
    for (const spec of specs) out.push(await ex.render(spec, 'png', options));
    return out;
  } finally {
    await ex.close();
  }
}
