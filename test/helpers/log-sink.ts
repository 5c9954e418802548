import { Writable } from 'node:stream';

/** A stream for a logger to write to that hands each chunk written, as a string, to `onChunk`. */
export function chunkSink(onChunk: (chunk: string) => void): Writable {
  return new Writable({
    write(chunk, _enc, cb) {
      onChunk(String(chunk));
      cb();
    },
  });
}
