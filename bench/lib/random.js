/** A seeded PRNG (mulberry32) with the few distributions the benchmarks need, so every run offers the same load. */

export class Random {
  constructor(seed) {
    this.state = seed >>> 0;
    this.spare = undefined;
  }
  next() {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = Math.imul(this.state ^ (this.state >>> 15), 1 | this.state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  uniform(low, high) {
    return low + (high - low) * this.next();
  }
  gauss() {
    if (this.spare !== undefined) {
      const value = this.spare;
      this.spare = undefined;
      return value;
    }
    const radius = Math.sqrt(-2 * Math.log(1 - this.next()));
    const angle = 2 * Math.PI * this.next();
    this.spare = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  }
  /** True with the probability that an event of `perSecond` rate happens within `dt` seconds. */
  within(perSecond, dt) {
    return this.next() < 1 - Math.exp(-perSecond * dt);
  }
  pick(list) {
    return list[Math.floor(this.next() * list.length)];
  }
}
