/**
 * Names interned to dense ids for the shaper's tables (local IPs, MX IPs, recipient domains): the id
 * of a name is its index in `list`, so a table keyed by id is a typed array.
 */
export class Names {
  private readonly ids = new Map<string, number>();
  /** the name of each id */
  readonly list: string[] = [];

  /** The id of `name`, or undefined when it was never interned. */
  get(name: string): number | undefined {
    return this.ids.get(name);
  }

  /** The id of `name`, created on first use. */
  intern(name: string): number {
    let id = this.ids.get(name);
    if (id === undefined) {
      id = this.list.push(name) - 1;
      this.ids.set(name, id);
    }
    return id;
  }
}
