/**
 * Dense ids for the quarantine table's addresses. With an {@link AddressBook} the book's ids come
 * first (`0..book.size-1`, no string kept: the book gives it back on demand) and addresses the book
 * does not know are interned after them; without one, every address is interned. Either way an
 * address has exactly one id and ids are dense.
 */
import type { AddressBook } from '../ports.ts';
import { StringInterner } from './interner.ts';

/** Address ↔ id for the quarantine table (see the module comment). */
export class AddressIds {
  private readonly interner = new StringInterner();
  private readonly book: AddressBook | null;
  /** ids below this belong to the book */
  private readonly base: number;

  constructor(book: AddressBook | null = null) {
    this.book = book;
    this.base = book === null ? 0 : book.size;
    if (!(Number.isInteger(this.base) && this.base >= 0))
      throw new RangeError(`address book: size: expected an integer >= 0, got ${String(book?.size)}`);
  }

  /** The id of `address`, creating one if new. */
  idOf(address: string): number {
    const b = this.book;
    if (b !== null) {
      const id = b.idOf(address);
      if (id >= 0) return this.checked(id, address);
    }
    return this.base + this.interner.idOf(address);
  }

  /** The id of a known address, or -1 (never creates one). */
  find(address: string): number {
    const b = this.book;
    if (b !== null) {
      const id = b.idOf(address);
      if (id >= 0) return this.checked(id, address);
    }
    const i = this.interner.find(address);
    return i < 0 ? -1 : this.base + i;
  }

  /** True when `id` is the id of `address` (no id is created). */
  isIdOf(id: number, address: string): boolean {
    if (!Number.isInteger(id) || id < 0 || id >= this.size) return false;
    return this.find(address) === id;
  }

  /** The address of an id; a RangeError for an id never given out. */
  valueOf(id: number): string {
    if (id < this.base && id >= 0) return this.book!.addressOf(id);
    return this.interner.valueOf(id - this.base);
  }

  /** Ids are `0..size-1`: the whole book, then the interned addresses. */
  get size(): number {
    return this.base + this.interner.size;
  }

  private checked(id: number, address: string): number {
    if (id >= this.base || !Number.isInteger(id))
      throw new RangeError(`address book: idOf(${address}) gave ${id}, outside 0..${this.base - 1}`);
    return id;
  }
}
