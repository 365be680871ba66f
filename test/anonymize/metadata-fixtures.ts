// Building blocks for JPEG and PNG files with metadata (segments and chunks put in by hand).
import { crc32 } from 'node:zlib';

/** A JPEG marker segment: FF <marker> <length> <payload>. */
export function jpegSegment(marker: number, payload: Buffer): Buffer {
  const len = Buffer.alloc(2);
  len.writeUInt16BE(payload.length + 2);
  return Buffer.concat([Buffer.from([0xff, marker]), len, payload]);
}

/** `seg` inserted right after the SOI marker. */
export function afterSoi(jpeg: Buffer, seg: Buffer): Buffer {
  return Buffer.concat([jpeg.subarray(0, 2), seg, jpeg.subarray(2)]);
}

/** A PNG chunk with its CRC. */
export function pngChunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

/** `chunk` inserted right after IHDR (8-byte signature + 25-byte IHDR chunk). */
export function afterIhdr(png: Buffer, chunk: Buffer): Buffer {
  return Buffer.concat([png.subarray(0, 33), chunk, png.subarray(33)]);
}
