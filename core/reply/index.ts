/** SMTP reply parsing (RFC 5321 §4.2, RFC 3463). */
export {
  DEFAULT_MAX_REPLY_LENGTH,
  foldSpace,
  type ParseReplyOptions,
  parseReply,
  readEnhanced,
} from './parse-reply.ts';
