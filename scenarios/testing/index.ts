/** `mxlab/testing`: fast-check arbitraries for users' own property tests of rules and settings. */
export { addressArb, replyArb, smallScenarioArb } from './arbitraries.ts';
