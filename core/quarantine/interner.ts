/**
 * Dense integer ids for strings (addresses, error texts, rule names): each distinct string is stored
 * once and gets the next id, so hot paths work on integers and typed arrays. Case-sensitive: SPEC §5
 * says quarantine is per address and case-sensitive, so `A@x` and `a@x` are two ids.
 */
export class StringInterner {
  private readonly ids = new Map<string, number>();
  private readonly strings: string[] = [];

  /** The id of `s`, creating one if `s` is new. */
  idOf(s: string): number {
    let id = this.ids.get(s);
    if (id === undefined) {
      id = this.strings.length;
      this.ids.set(s, id);
      this.strings.push(s);
    }
    return id;
  }

  /** The id of `s` if it was interned, else -1 (never creates one). */
  find(s: string): number {
    return this.ids.get(s) ?? -1;
  }

  /** The string of an id; throws a RangeError for an id this interner never gave out. */
  valueOf(id: number): string {
    const s = this.strings[id];
    if (s === undefined) throw new RangeError(`interner: unknown id ${id}`);
    return s;
  }

  /** The string of every id, in id order (a live view: a table keyed by id reads names from it). */
  get list(): readonly string[] {
    return this.strings;
  }

  /** How many distinct strings are interned (ids are 0..size-1). */
  get size(): number {
    return this.strings.length;
  }
}
