// Metadata in JPEG and PNG files: find it, and strip it without touching the compressed pixels.
// An anonymized dataset must not carry EXIF (camera, time, GPS), XMP, IPTC, comments, text
// chunks or embedded thumbnails/extra pictures of the original (a thumbnail shows the person
// unanonymized). The walk over the file's segments or chunks is also where a malformed or
// truncated file is named precisely (the marker or chunk and its byte offset): the anonymizer
// and `data check` both report that message.
//
// JPEG (ITU-T T.81 B.1, JFIF 1.02, Exif 2.3 / CIPA DC-007 for MPF): the marker segments before
// and between scans are walked; entropy-coded data is skipped to the next marker that is not a
// stuffed 0xFF00 or a restart marker. Kept: SOI, EOI, DQT, DHT, DAC, DRI, DNL, SOFn, SOS with its
// scan data, RSTn, APP0 "JFIF" without a thumbnail (density only), APP14 "Adobe" (it says how
// to read the colour components). Everything else is metadata: other APP0 (JFXX thumbnails),
// APP1 (Exif, XMP), APP2 (ICC profile, MPF, FlashPix), APP3..APP13 (APP13: IPTC/Photoshop),
// APP15, COM, and bytes after EOI (MPF's extra pictures, trailing data).
// PNG (ISO/IEC 15948, PNG 3rd ed.): kept chunks are IHDR, PLTE, IDAT, IEND, tRNS, and the
// colour/size hints cHRM, gAMA, sRGB, sBIT, pHYs, bKGD. Everything else is metadata: tEXt,
// zTXt, iTXt, eXIf, iCCP, tIME, sPLT, hIST, APNG's acTL/fcTL/fdAT (other frames), private
// chunks, and bytes after IEND. Chunk CRCs cover one chunk each, so dropping chunks leaves
// the others valid.
// An ICC profile is reported as `icc`: sharp converts pixels through it when decoding, so a
// file stripped of its profile would decode to different values; the runner re-encodes such
// files instead (the decoded, converted pixels) rather than stripping them.

export interface MetadataItem {
  /** exif, xmp, icc, iptc, comment, text, time, thumbnail, pictures, trailing, other */
  kind: string;
  /** The container element: 'APP1 Exif', 'COM', 'tEXt', 'after EOI', ... */
  name: string;
  /** Byte range [start, end) in the file. */
  start: number;
  end: number;
}

export type MetadataFormat = 'jpeg' | 'png';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export function sniffFormat(buf: Uint8Array): MetadataFormat | undefined {
  if (buf.length >= 3 && buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff) return 'jpeg';
  if (buf.length >= 8 && Buffer.from(buf.buffer, buf.byteOffset, 8).equals(PNG_SIGNATURE)) return 'png';
  return undefined;
}

function ascii(buf: Uint8Array, start: number, end: number): string {
  return Buffer.from(buf.buffer, buf.byteOffset + start, Math.max(0, Math.min(end, buf.length) - start)).toString('latin1');
}

function startsWith(buf: Uint8Array, at: number, end: number, s: string): boolean {
  return end - at >= s.length && ascii(buf, at, at + s.length) === s;
}

/** Metadata segments of a JPEG file (throws on a malformed marker structure). */
export function jpegMetadata(buf: Uint8Array, file = '<buffer>'): MetadataItem[] {
  const bad = (msg: string, at: number) => new Error(`${file}: not a well-formed JPEG: ${msg} at byte ${at}`);
  if (!(buf[0] === 0xff && buf[1] === 0xd8)) throw bad('no SOI marker', 0);
  const items: MetadataItem[] = [];
  let p = 2;
  for (;;) {
    if (p >= buf.length) throw bad('file ends before EOI', p);
    if (buf[p] !== 0xff) throw bad(`expected a marker, found 0x${buf[p]!.toString(16)}`, p);
    const start = p;
    while (p < buf.length && buf[p] === 0xff) p++; // fill bytes
    if (p >= buf.length) throw bad('file ends inside a marker', p);
    const m = buf[p++]!;
    if (m === 0xd9) {
      if (p < buf.length) items.push({ kind: 'trailing', name: 'after EOI', start: p, end: buf.length });
      return items;
    }
    if ((m >= 0xd0 && m <= 0xd7) || m === 0x01) continue; // RSTn, TEM: no length
    if (m === 0xd8 || m === 0x00) throw bad(`unexpected marker 0xFF${m.toString(16).toUpperCase()}`, start);
    if (p + 2 > buf.length) throw bad('file ends inside a segment length', p);
    const len = (buf[p]! << 8) | buf[p + 1]!;
    if (len < 2) throw bad(`segment length ${len}`, p);
    const end = p + len;
    if (end > buf.length) throw bad(`segment of ${len} bytes runs past the end of the file`, start);
    const body = p + 2;
    if (m >= 0xe0 && m <= 0xef) {
      const n = m - 0xe0;
      let kind = 'other';
      let name = `APP${n}`;
      let keep = false;
      if (n === 0 && startsWith(buf, body, end, 'JFIF\0')) {
        name = 'APP0 JFIF';
        // JFIF: identifier(5) version(2) units(1) Xdensity(2) Ydensity(2) Xthumbnail(1) Ythumbnail(1)
        const tx = body + 12 < end ? buf[body + 12]! : 0;
        const ty = body + 13 < end ? buf[body + 13]! : 0;
        if (tx === 0 || ty === 0) keep = true;
        else kind = 'thumbnail';
      } else if (n === 0 && startsWith(buf, body, end, 'JFXX\0')) {
        kind = 'thumbnail';
        name = 'APP0 JFXX';
      } else if (n === 1 && startsWith(buf, body, end, 'Exif\0')) {
        kind = 'exif';
        name = 'APP1 Exif';
      } else if (n === 1 && (startsWith(buf, body, end, 'http://ns.adobe.com/xap/1.0/\0') || startsWith(buf, body, end, 'http://ns.adobe.com/xmp/extension/\0'))) {
        kind = 'xmp';
        name = 'APP1 XMP';
      } else if (n === 2 && startsWith(buf, body, end, 'ICC_PROFILE\0')) {
        kind = 'icc';
        name = 'APP2 ICC_PROFILE';
      } else if (n === 2 && startsWith(buf, body, end, 'MPF\0')) {
        kind = 'pictures';
        name = 'APP2 MPF';
      } else if (n === 13) {
        kind = 'iptc';
        name = 'APP13';
      } else if (n === 14 && startsWith(buf, body, end, 'Adobe')) {
        keep = true;
      }
      if (!keep) items.push({ kind, name, start, end });
    } else if (m === 0xfe) {
      items.push({ kind: 'comment', name: 'COM', start, end });
    }
    p = end;
    if (m === 0xda) {
      // Entropy-coded data: up to the next marker that is neither 0xFF00 (stuffing) nor RSTn.
      while (p < buf.length) {
        if (buf[p] === 0xff) {
          let q = p + 1;
          while (q < buf.length && buf[q] === 0xff) q++;
          if (q >= buf.length) break;
          const b = buf[q]!;
          if (b === 0x00 || (b >= 0xd0 && b <= 0xd7)) {
            p = q + 1;
            continue;
          }
          p = q - 1; // the last 0xFF before the marker code
          break;
        }
        p++;
      }
    }
  }
}

const PNG_KEEP = new Set(['IHDR', 'PLTE', 'IDAT', 'IEND', 'tRNS', 'cHRM', 'gAMA', 'sRGB', 'sBIT', 'pHYs', 'bKGD']);
const PNG_KIND: Record<string, string> = {
  tEXt: 'text',
  zTXt: 'text',
  iTXt: 'text',
  eXIf: 'exif',
  iCCP: 'icc',
  tIME: 'time',
  acTL: 'pictures',
  fcTL: 'pictures',
  fdAT: 'pictures',
};

/** Metadata chunks of a PNG file (throws on a malformed chunk structure). */
export function pngMetadata(buf: Uint8Array, file = '<buffer>'): MetadataItem[] {
  const bad = (msg: string, at: number) => new Error(`${file}: not a well-formed PNG: ${msg} at byte ${at}`);
  if (sniffFormat(buf) !== 'png') throw bad('no PNG signature', 0);
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const items: MetadataItem[] = [];
  let p = 8;
  for (;;) {
    if (p + 12 > buf.length) throw bad('file ends before IEND', p);
    const len = view.getUint32(p);
    const type = ascii(buf, p + 4, p + 8);
    const end = p + 12 + len;
    if (len > 0x7fffffff || end > buf.length) throw bad(`chunk '${type}' of ${len} bytes runs past the end of the file`, p);
    if (!/^[A-Za-z]{4}$/.test(type)) throw bad(`bad chunk type ${JSON.stringify(type)}`, p);
    if (!PNG_KEEP.has(type)) items.push({ kind: PNG_KIND[type] ?? 'other', name: type, start: p, end });
    p = end;
    if (type === 'IEND') {
      if (p < buf.length) items.push({ kind: 'trailing', name: 'after IEND', start: p, end: buf.length });
      return items;
    }
  }
}

export function findMetadata(buf: Uint8Array, format: MetadataFormat, file?: string): MetadataItem[] {
  return format === 'jpeg' ? jpegMetadata(buf, file) : pngMetadata(buf, file);
}

/** The file without the given byte ranges (sorted, non-overlapping, as the scanners return them). */
export function withoutRanges(buf: Uint8Array, items: readonly MetadataItem[]): Buffer {
  const parts: Uint8Array[] = [];
  let p = 0;
  for (const it of [...items].sort((a, b) => a.start - b.start)) {
    if (it.start < p) throw new Error('overlapping metadata ranges');
    parts.push(buf.subarray(p, it.start));
    p = it.end;
  }
  parts.push(buf.subarray(p));
  return Buffer.concat(parts);
}

/** The file with every metadata segment/chunk removed; the compressed pixels are untouched. */
export function stripMetadata(buf: Uint8Array, format: MetadataFormat, file?: string): { data: Buffer; removed: MetadataItem[] } {
  const removed = findMetadata(buf, format, file);
  return { data: removed.length ? withoutRanges(buf, removed) : Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength), removed };
}
