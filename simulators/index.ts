/**
 * The simulated world: streamed populations with ground truth, ISP profiles and the ISP brain,
 * the in-process transport and MX resolver, async mail (DSN, ARF, auto-reply) and the technical mailbox.
 */
export * from './async-mail/build.ts';
export * from './isp/index.ts';
export { mxHostsOf } from './isp/mx-hosts.ts';
export * from './mailbox/maildir.ts';
export * from './mailbox/technical-mailbox.ts';
export * from './population/index.ts';
export * from './transport/in-process-transport.ts';
export * from './transport/resolver.ts';
export * from './transport/world.ts';
