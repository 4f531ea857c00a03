/**
 * A population as the core's {@link AddressBook}: id `i` is `canonicalAddress(i)`, and an address's
 * id is read back from its base-36 index token (`Population.indexOf`), so the quarantine table keeps
 * no address strings. The book is addresses only: the core learns nothing of the truth through it.
 */
import type { AddressBook } from '../../core/ports.ts';
import type { Population } from './population.ts';

/** The population's addresses as dense ids (`0..size-1`; a duplicate entry's address is its owner's). */
export function populationAddressBook(population: Population): AddressBook {
  return {
    size: population.size,
    idOf: (address) => population.indexOf(address),
    addressOf: (id) => population.canonicalAddress(id),
  };
}
