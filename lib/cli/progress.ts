// Progress bars for long loops: items/s and ETA on stderr. On a terminal the bar redraws in
// place; elsewhere (CI, pipes) one line is printed every few seconds and at the end.
import cliProgress from 'cli-progress';

export interface Progress {
  update(done: number, extra?: Record<string, string | number>): void;
  stop(): void;
}

export function progress(label: string, total: number, unit = 'it'): Progress {
  const tty = Boolean(process.stderr.isTTY) && !process.env.CI;
  if (tty) {
    const bar = new cliProgress.SingleBar(
      {
        format: `${label} [{bar}] {value}/{total} | {rate} ${unit}/s | ETA {eta_formatted}{extra}`,
        stream: process.stderr,
        hideCursor: true,
        etaBuffer: 50,
      },
      cliProgress.Presets.shades_classic,
    );
    const t0 = Date.now();
    bar.start(total, 0, { rate: '0.0', extra: '' });
    return {
      update(done, extra) {
        const rate = done / Math.max(1e-3, (Date.now() - t0) / 1000);
        const tail = extra ? ' | ' + Object.entries(extra).map(([k, v]) => `${k} ${v}`).join(' ') : '';
        bar.update(done, { rate: rate.toFixed(1), extra: tail });
      },
      stop: () => bar.stop(),
    };
  }
  const t0 = Date.now();
  let last = t0;
  let lastDone = 0;
  const line = (done: number, extra?: Record<string, string | number>) => {
    const s = (Date.now() - t0) / 1000;
    const rate = done / Math.max(1e-3, s);
    const eta = rate > 0 ? (total - done) / rate : NaN;
    const tail = extra ? ' ' + Object.entries(extra).map(([k, v]) => `${k} ${v}`).join(' ') : '';
    process.stderr.write(`${label}: ${done}/${total} ${rate.toFixed(1)} ${unit}/s ETA ${Number.isFinite(eta) ? eta.toFixed(0) + 's' : '?'}${tail}\n`);
  };
  return {
    update(done, extra) {
      lastDone = done;
      if (Date.now() - last > 5000 || done === total) {
        last = Date.now();
        line(done, extra);
      }
    },
    stop() {
      if (lastDone !== total) line(lastDone);
    },
  };
}
