import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { populationAddressBook } from './address-book.ts';
import { loadDomainMix } from './mix-schema.ts';
import { createPopulation } from './population.ts';

const us = loadDomainMix('consumer-us');

describe('populationAddressBook', () => {
  test.prop([fc.integer({ min: 0, max: 2 ** 31 }), fc.integer({ min: 1, max: 5000 }), fc.nat()], {
    numRuns: 60,
  })("every id round-trips and a target entry's address has its owner's id", (seed, size, k) => {
    const population = createPopulation({ seed, size, mix: us });
    const book = populationAddressBook(population);
    expect(book.size).toBe(size);
    const i = k % size;
    const a = book.addressOf(i);
    expect(book.idOf(a)).toBe(i);
    const entry = population.addressOf(i);
    expect(book.idOf(entry)).toBe(entry === '' ? -1 : population.ownerOf(i));
    // case-sensitive and exact: another case or a stray character is not in the book
    expect(book.idOf(a.toUpperCase())).toBe(-1);
    expect(book.idOf(`x${a}`)).toBe(-1);
    expect(book.idOf(a.replace('@', '@x'))).toBe(-1);
  });
});
