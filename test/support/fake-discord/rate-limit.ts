/**
 * Discord-style fixed-window rate limit: `limit` requests per key per `windowMs`, the window
 * starting at the first request. Every answer carries the headers @discordjs/rest reads to pace
 * itself (x-ratelimit-*), and a refusal also carries `retry-after` and Discord's 429 body.
 */
export interface RateLimitRule {
  limit: number;
  windowMs: number;
}

export type RateLimitDecision =
  | { allowed: true; headers: Record<string, string> }
  | { allowed: false; headers: Record<string, string>; body: RateLimitedBody };

export interface RateLimitedBody {
  message: string;
  retry_after: number;
  global: false;
}

interface Window {
  resetAt: number;
  used: number;
}

export class FixedWindowRateLimit {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly rule: RateLimitRule,
    private readonly bucket: string,
  ) {}

  take(key: string, now: number = Date.now()): RateLimitDecision {
    const window = this.currentWindow(key, now);
    if (window.used >= this.rule.limit) {
      const retryAfterSeconds = seconds(window.resetAt - now);
      return {
        allowed: false,
        headers: {
          ...this.headers(window, now),
          'retry-after': retryAfterSeconds.toString(),
          'x-ratelimit-scope': 'user',
        },
        body: { message: 'You are being rate limited.', retry_after: retryAfterSeconds, global: false },
      };
    }
    window.used += 1;
    return { allowed: true, headers: this.headers(window, now) };
  }

  private currentWindow(key: string, now: number): Window {
    const existing = this.windows.get(key);
    if (existing && existing.resetAt > now) return existing;
    const fresh = { resetAt: now + this.rule.windowMs, used: 0 };
    this.windows.set(key, fresh);
    return fresh;
  }

  private headers(window: Window, now: number): Record<string, string> {
    return {
      'x-ratelimit-limit': this.rule.limit.toString(),
      'x-ratelimit-remaining': Math.max(0, this.rule.limit - window.used).toString(),
      'x-ratelimit-reset': seconds(window.resetAt).toString(),
      'x-ratelimit-reset-after': seconds(window.resetAt - now).toString(),
      'x-ratelimit-bucket': this.bucket,
    };
  }
}

/** Milliseconds as seconds with millisecond precision, as Discord writes them. */
function seconds(ms: number): number {
  return Math.max(0, Math.ceil(ms)) / 1000;
}
