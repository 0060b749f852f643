import { Sfc32, streamWords, type StreamWords } from '../rng.js';
import type { Draw } from './engine.js';
import { STREAMS, type Stream } from './ruleset.js';

/**
 * The draws of a ruleset session: each kind of roll (stream) has its own generator per turn,
 * derived from the session seed, the attempt and the turn (or `end`, after every turn), so a
 * replay draws exactly the same numbers whatever else was drawn.
 *
 * A `TurnDrawer` serves many turns of one seed without allocating per turn (simulations run
 * thousands): `at(attempt, label)` moves it to a turn and answers that turn's `Draw`.
 */
export class TurnDrawer {
  private readonly words: (StreamWords | null)[] = STREAMS.map(() => null);
  private readonly gens: (Sfc32 | null)[] = STREAMS.map(() => null);
  /** Bit i: stream i is seeded for the current position. */
  private seeded = 0;
  private attempt = 0;
  private position = 0;

  constructor(private seed: string) {}

  /** The same drawer for another seed (its cached words dropped). */
  reseed(seed: string): this {
    this.seed = seed;
    this.words.fill(null);
    this.seeded = 0;
    return this;
  }

  /** The draws of turn `label` (1-based) of an attempt, or of its end. */
  at(attempt: number, label: number | 'end'): Draw {
    this.attempt = attempt;
    this.position = label === 'end' ? END_POSITION : label;
    this.seeded = 0;
    return this.draw;
  }

  readonly draw: Draw = (stream: Stream) => {
    const i = STREAM_INDEX[stream];
    let gen = this.gens[i];
    if (!gen) {
      gen = new Sfc32();
      this.gens[i] = gen;
    }
    if ((this.seeded & (1 << i)) === 0) {
      let words = this.words[i];
      if (!words) {
        words = streamWords(this.seed, STREAM_NAMES[i]!);
        this.words[i] = words;
      }
      gen.seedAt(words, this.attempt, this.position);
      this.seeded |= 1 << i;
    }
    return gen.next();
  };
}

/** The draws of one turn (or of an attempt's end) of a session. */
export function drawsFor(seed: string, attempt: number, label: number | 'end'): Draw {
  return new TurnDrawer(seed).at(attempt, label);
}

/** The RNG stream of each kind of roll (`rules:<stream>`). */
const STREAM_NAMES = STREAMS.map((s) => `rules:${s}`);
const STREAM_INDEX = Object.fromEntries(STREAMS.map((s, i) => [s, i])) as Record<Stream, number>;

/** The draws of an attempt's end (outcome, loss, bonus, rare) sit after every turn. */
const END_POSITION = 0x7fffffff;
