import { DateTime } from 'luxon';

/**
 * Time is a dependency. Domain rules take `now` as a parameter; services and
 * workers get a Clock. The sandbox and tests use a ManualClock so reminders and
 * escalations can be watched without waiting.
 */
export interface Clock {
  now(): DateTime;
}

export const systemClock: Clock = {
  now: () => DateTime.utc(),
};

/** A clock that only moves when told to (tests, the sandbox's clock control). */
export class ManualClock implements Clock {
  private current: DateTime;
  constructor(start: DateTime | string = DateTime.utc()) {
    this.current = typeof start === 'string' ? DateTime.fromISO(start, { zone: 'utc' }) : start.toUTC();
    if (!this.current.isValid) throw new Error(`ManualClock: invalid start ${String(start)}`);
  }
  now(): DateTime {
    return this.current;
  }
  set(to: DateTime): void {
    this.current = to.toUTC();
  }
  advance(by: { milliseconds?: number; seconds?: number; minutes?: number; hours?: number; days?: number }): DateTime {
    this.current = this.current.plus(by);
    return this.current;
  }
}

/**
 * A clock offset from real time: the sandbox moves time forward by adding to
 * the offset, while time still flows so delayed jobs fire naturally.
 */
export class OffsetClock implements Clock {
  private offsetMs = 0;
  constructor(private readonly base: Clock = systemClock) {}
  now(): DateTime {
    return this.base.now().plus({ milliseconds: this.offsetMs });
  }
  advance(ms: number): DateTime {
    if (ms < 0) throw new Error('OffsetClock only moves forward');
    this.offsetMs += ms;
    return this.now();
  }
  get offset(): number {
    return this.offsetMs;
  }
}
