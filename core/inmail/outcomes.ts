/**
 * The fixed qualifications inMail gives without asking the rules: complaints, auto-replies, success
 * notices, postmasters' technical notices and unreadable mail. Each is a default that `createInMail` options can replace.
 */
import type { Qualification } from '../types.ts';
import { Reason } from '../types.ts';

/**
 * A feedback-loop complaint (SPEC §5, §6.4 `Feedback_loop_Hotmail`): Soft / Refused, and the address
 * goes on the deny list.
 */
export const COMPLAINT_QUALIFICATION: Qualification = Object.freeze({
  type: 'soft',
  reason: Reason.Refused,
  impact: 'denylist',
  disposition: 'permanent',
  rule: 'inmail-feedback-loop',
  bounceClass: null,
});

/** An auto-reply (out of office, RFC 3834): Ignored, no effect on the address (Momentum class 60). */
export const AUTOREPLY_QUALIFICATION: Qualification = Object.freeze({
  type: 'ignored',
  reason: Reason.NotDefined,
  impact: 'none',
  disposition: 'transient',
  rule: 'inmail-auto-reply',
  bounceClass: 60,
});

/** A success DSN (Action delivered, relayed or expanded): not a failure. */
export const DELIVERED_QUALIFICATION: Qualification = Object.freeze({
  type: 'ignored',
  reason: Reason.NotDefined,
  impact: 'ok',
  disposition: 'transient',
  rule: 'inmail-delivered',
  bounceClass: null,
});

/**
 * A postmaster-type sender's technical notice naming no recipient (seed 000 line 44: "une erreur
 * technique, par exemple si l'expéditeur est de type postmaster" is Ignored): no effect on any address.
 */
export const POSTMASTER_QUALIFICATION: Qualification = Object.freeze({
  type: 'ignored',
  reason: Reason.NotDefined,
  impact: 'none',
  disposition: 'transient',
  rule: 'inmail-postmaster',
  bounceClass: null,
});

/** A mail inMail could not read as a bounce, complaint or auto-reply: Not defined, no effect. */
export const UNKNOWN_QUALIFICATION: Qualification = Object.freeze({
  type: 'undefined',
  reason: Reason.NotDefined,
  impact: 'none',
  disposition: 'transient',
  rule: null,
  bounceClass: null,
});
