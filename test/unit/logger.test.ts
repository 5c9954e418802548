import { describe, expect, it } from 'vitest';
import { createLogger, withLogContext } from '../../src/lib/logger.js';
import { chunkSink } from '../helpers/log-sink.js';

function capture() {
  const lines: Array<Record<string, unknown>> = [];
  const destination = chunkSink((chunk) => {
    for (const l of chunk.split('\n').filter(Boolean)) lines.push(JSON.parse(l));
  });
  return { lines, logger: createLogger({ level: 'info', destination }) };
}

describe('logger', () => {
  it('redacts personal fields even when a whole object is logged', () => {
    const { lines, logger } = capture();
    logger.info({ update: { message: { text: 'he hits me' } }, client: { name: 'Mei', phone: '+44 7700' }, text: 'my story' }, 'got update');
    const line = JSON.stringify(lines[0]);
    expect(line).not.toContain('he hits me');
    expect(line).not.toContain('Mei');
    expect(line).not.toContain('7700');
    expect(line).not.toContain('my story');
    expect(lines[0]!.msg).toBe('got update');
  });

  it('puts the request or job id on every line logged inside its context', () => {
    const { lines, logger } = capture();
    withLogContext({ requestId: 'req-1' }, () => {
      logger.info('a');
      withLogContext({ jobId: 'job-9' }, () => logger.info('b'));
    });
    logger.info('c');
    expect(lines[0]).toMatchObject({ requestId: 'req-1', msg: 'a' });
    expect(lines[1]).toMatchObject({ requestId: 'req-1', jobId: 'job-9', msg: 'b' });
    expect(lines[2]!.requestId).toBeUndefined();
  });
});
