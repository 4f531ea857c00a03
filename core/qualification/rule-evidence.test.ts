/**
 * The shipped rules as issue #20 asks: every rule cites where it comes from, evidence is read in
 * order (structure, specific enhanced code, seeds, provider tags, phrases by reason, code classes,
 * basic codes), the main reasons are recognised in ten languages, and the leave-one-family-out
 * machinery removes exactly the rules a family's texts shaped.
 */

import { relative } from 'node:path';
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import {
  createQualifier,
  DEFAULT_RULES_DIR,
  defaultBounceRuleSet,
  defaultRuleSet,
} from '../../node/index.ts';
import { mailFamily, replyFamily, withoutFamily } from './rule-families.ts';
import type { RuleSet } from './rule-schema.ts';

const FAMILY = /^(?:(?:lhost|rhost|isp|mxlab(?:-sim)?)-[a-z0-9-]+|arf|rfc\d+|mxlab-serve)$/;

describe('shipped rules carry their evidence', () => {
  const sets: [string, RuleSet][] = [
    ['default', defaultRuleSet()],
    ['momentum', defaultBounceRuleSet()],
  ];
  it.each(sets)('every %s rule has a source: (RFC, provider page, MTA documentation, SPEC)', (_, set) => {
    const missing = set.rules.filter((r) => !r.references?.length || r.references.some((s) => !s.trim()));
    expect(missing.map((r) => r.source)).toEqual([]);
  });
  it.each(sets)('every %s shapedBy names a corpus family', (_, set) => {
    for (const r of set.rules) for (const f of r.shapedBy ?? []) expect(f, r.source).toMatch(FAMILY);
  });
  it('a rule before the code table either reads structure or says why it may contradict a code', () => {
    const before = defaultRuleSet().rules.filter((r) => {
      const file = relative(DEFAULT_RULES_DIR, r.source.split('#')[0]!);
      return file < '30-enhanced-codes.yaml';
    });
    expect(before.length).toBeGreaterThan(0);
    for (const r of before) {
      const file = relative(DEFAULT_RULES_DIR, r.source.split('#')[0]!);
      if (file.startsWith('15-dsn-structure')) expect(r.phases).toEqual(['async']);
      else
        expect(r.references!.join(' '), r.name).toMatch(
          /SPEC §(?:6\.[34]|9)|writes? (?:X\.|\d\.\d)|although RFC/,
        );
    }
  });
});

describe('evidence in order', () => {
  const q = createQualifier({ mode: 'legacy' });
  const pick = (text: string, phase: 'rcpt' | 'async' = 'rcpt', domain?: string) => {
    const r = phase === 'async' ? q.qualifyText(text, domain ? { domain } : {}) : q.qualify(text, { phase });
    return [r.type, r.reason, r.impact];
  };

  // a specific enhanced code decides before any phrase of another reason
  const SPECIFIC: [code: string, type: string, reason: number][] = [
    ['5.1.1', 'hard', 1],
    ['5.1.3', 'hard', 1],
    ['5.1.2', 'soft', 2],
    ['5.2.2', 'soft', 5],
    ['5.7.13', 'soft', 4],
    ['5.7.26', 'soft', 20],
    ['5.7.23', 'soft', 20],
  ];
  const OTHER_PHRASES = [
    'Message rejected as spam',
    'mailbox is full',
    'blocked by policy',
    'Service refused, please try later',
    'reputation of your IP is poor',
    'account disabled',
  ];
  test.prop([fc.constantFrom(...SPECIFIC), fc.constantFrom(...OTHER_PHRASES)])(
    'a specific enhanced code beats a phrase of another reason',
    ([code, type, reason], phrase) => {
      const r = q.qualify(`550 ${code} <a@example.com>: ${phrase}`, { phase: 'rcpt' });
      expect([r.type, r.reason]).toEqual([type, reason]);
      expect(r.rule).toMatch(/^rfc\d+_x_/);
    },
  );

  it('x.1.1 beats a provider tag or a mailing-list domain rule (issue #20 known misses)', () => {
    expect(pick('550 5.1.1 Adresse destinataire invalide. LPN007_510')).toEqual(['hard', 1, 'quarantine']);
    expect(
      pick(
        '550-5.1.1 The email account that you tried to reach does not exist.',
        'async',
        'googlegroups.com',
      ),
    ).toEqual(['hard', 1, 'quarantine']);
  });

  it('a provider that uses a registered code for something else is read by its text, with a source', () => {
    expect(
      pick('550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup'),
    ).toEqual(['hard', 1, 'quarantine']);
    expect(pick('550 5.1.10 Recipient address has null MX')).toEqual(['soft', 2, 'count']);
    expect(
      pick('450 4.2.1 The user you are trying to contact is receiving mail too quickly. ReceivingRate'),
    ).toEqual(['soft', 3, 'count']); // SPEC §5 turn 2: every Soft reason but Refused counts
  });

  it('prose bounces with no code name the address (Gmail, Exchange Online, gateways)', () => {
    for (const t of [
      "Address not found. Your message wasn't delivered to a@example.com because the address couldn't be found, or is unable to receive mail.",
      'Please check if the address is correct and try again.',
      "The email address you entered couldn't be found.",
    ])
      expect(pick(t, 'async'), t).toEqual(['hard', 1, 'quarantine']);
  });

  it('a permanent X.0.0 reply that says nothing stays Not defined, not a protocol error', () => {
    for (const t of [
      '500 5.0.0 <permfail@example.com>: permanent failure requested by local part',
      '550 5.0.0 <550-x@example.com>: reply 550 requested by local part',
    ]) {
      const r = q.qualify(t, { phase: 'rcpt' });
      expect([r.type, r.reason, r.impact, r.disposition]).toEqual(['undefined', 0, 'count', 'permanent']);
    }
    expect(pick('500 5.5.1 Command unrecognized')).toEqual(['soft', 20, 'none']);
  });

  it('X.2.1 is read after the words (MTAs write it for unknown users too)', () => {
    expect(pick('550 5.2.1 <a@example.com>... User Unknown')).toEqual(['hard', 1, 'quarantine']);
    expect(pick('550 5.2.1 <a@example.com>: mailbox disabled, not accepting messages')).toEqual([
      'soft',
      4,
      'count',
    ]);
    expect(pick('550 5.2.1 <a@example.com>')).toEqual(['soft', 4, 'count']);
  });

  // RFC 5321 §3.3: a permanent reply to MAIL FROM (or HELO/EHLO) refuses the sender before any
  // recipient was named; Postfix's report names the command, so the code cannot make it the address's
  test.prop([fc.constantFrom(...SPECIFIC), fc.constantFrom('MAIL FROM', 'HELO', 'EHLO', 'mail from')])(
    'a permanent reply to MAIL FROM or HELO is Refused whatever its code; to RCPT TO the code decides',
    ([code, type, reason], cmd) => {
      const said = `host mx.example.net[192.0.2.1] said: 550 ${code} <x@example.org>: refused`;
      expect(pick(`${said} (in reply to ${cmd} command)`, 'async')).toEqual(['soft', 20, 'none']);
      const r = q.qualifyText(`${said} (in reply to RCPT TO command)`);
      expect([r.type, r.reason]).toEqual([type, reason]);
    },
  );

  // RFC 3463 §3.8 and SPEC §6: under a security or policy code, a rate limit is the receiver's policy
  // about the sender (Refused, not counted); without one it is a deferral (Unreachable, counted)
  const RATE_PHRASES = [
    'The mail server has been temporarily rate limited',
    'Too many sessions opened, please slow down',
    'Too many messages in this session',
    'Message throttled for this sending IP',
    'sending rate limit exceeded, slow down',
  ];
  test.prop([
    fc.constantFrom('4', '5'),
    fc.constantFrom(0, 1, 500, 650, 750),
    fc.constantFrom(...RATE_PHRASES),
    fc.constantFrom<'rcpt' | 'async'>('rcpt', 'async'),
  ])(
    'a rate limit under an X.7 code is Refused; under no code or X.4.x it is Unreachable',
    (cls, detail, phrase, phase) => {
      const basic = cls === '4' ? 421 : 554;
      expect(pick(`${basic} ${cls}.7.${detail} ${phrase}`, phase)).toEqual(['soft', 20, 'none']);
      expect(pick(`${basic} ${cls}.4.5 ${phrase}`, phase)).toEqual(['soft', 3, 'count']);
      expect(pick(`451 ${phrase}`, phase)).toEqual(['soft', 3, 'count']);
    },
  );
});

describe('languages: the main reasons in ten languages', () => {
  const q = createQualifier({ mode: 'legacy' });
  const CASES: [lang: string, text: string, reason: number][] = [
    ['en', '550 Requested action not taken: no such user here', 1],
    ['fr', '550 Utilisateur inconnu', 1],
    ['fr', "550 Cette adresse n'existe pas", 1],
    ['de', '550 Benutzer unbekannt', 1],
    ['it', '550 Utente sconosciuto', 1],
    ['es', '550 Usuario desconocido', 1],
    ['pt', '550 Usuário desconhecido', 1],
    ['nl', '550 Gebruiker onbekend', 1],
    ['ja', '550 ユーザーが存在しません', 1],
    ['ru', '550 Пользователь не найден', 1],
    ['zh', '550 用户不存在', 1],
    ['fr', '452 Boîte aux lettres pleine', 5],
    ['de', '452 Postfach voll', 5],
    ['it', '452 Casella di posta piena', 5],
    ['es', '452 Buzón lleno', 5],
    ['pt', '452 Caixa postal cheia', 5],
    ['nl', '452 Mailbox vol', 5],
    ['ja', '452 メールボックスがいっぱいです', 5],
    ['ru', '452 Почтовый ящик переполнен', 5],
    ['zh', '452 邮箱已满', 5],
    ['fr', '550 Compte désactivé', 4],
    ['de', '550 Konto ist gesperrt', 4],
    ['it', '550 Account disabilitato', 4],
    ['es', '550 Cuenta desactivada', 4],
    ['pt', '550 Conta desativada', 4],
    ['nl', '550 Account is geblokkeerd', 4],
    ['ja', '550 アカウントが停止されています', 4],
    ['ru', '550 Учетная запись заблокирована', 4],
    ['zh', '550 账户已冻结', 4],
    ['fr', '550 Domaine inexistant', 2],
    ['de', '550 Domain existiert nicht', 2],
    ['it', '550 Dominio inesistente', 2],
    ['es', '550 Dominio no existe', 2],
    ['pt', '550 Domínio inexistente', 2],
    ['nl', '550 Domein bestaat niet', 2],
    ['ja', '550 ドメインが存在しません', 2],
    ['ru', '550 Домен не существует', 2],
    ['zh', '550 域名不存在', 2],
    ['fr', '554 Message considéré comme spam', 20],
    ['de', '554 Nachricht als Spam erkannt', 20],
    ['it', '554 Messaggio classificato come spam', 20],
    ['es', '554 Mensaje detectado como spam', 20],
    ['pt', '554 Mensagem identificada como spam', 20],
    ['nl', '554 Bericht als spam aangemerkt', 20],
    ['ja', '554 迷惑メールと判定されました', 20],
    ['ru', '554 Сообщение похоже на спам', 20],
    ['zh', '554 邮件被判定为垃圾邮件', 20],
    ['fr', '554 Message refusé par la politique de sécurité', 20],
    ['de', '554 Abgelehnt aufgrund der Richtlinie', 20],
    ['it', '554 Violazione della policy', 20],
    ['es', '554 Rechazado por la política de seguridad', 20],
    ['pt', '554 Rejeitado pela política de segurança', 20],
    ['nl', '554 Geweigerd door beleidsregel', 20],
    ['ja', '554 ポリシー違反のため拒否しました', 20],
    ['ru', '554 Отклонено политикой безопасности', 20],
    ['zh', '554 违反安全策略', 20],
    ['fr', '421 Trop de connexions, réessayez plus tard', 3],
    ['de', '421 Zu viele Verbindungen', 3],
    ['it', '421 Troppe connessioni', 3],
    ['es', '421 Demasiadas conexiones', 3],
    ['pt', '421 Muitas conexões, tente mais tarde', 3],
    ['nl', '421 Te veel verbindingen', 3],
    ['ja', '421 しばらくしてから再送してください', 3],
    ['ru', '421 Слишком много соединений', 3],
    ['zh', '421 发送频率过快，请稍后再试', 3],
  ];
  it.each(CASES)('%s: %s', (_lang, text, reason) => {
    const sync = q.qualify(text, { phase: 'rcpt' });
    const bounce = q.qualifyText(text.replace(/^\d{3} /, ''));
    expect(sync.reason).toBe(reason);
    expect(bounce.reason).toBe(reason);
    expect(sync.rule).not.toBeNull();
  });
});

describe('leave-one-family-out machinery', () => {
  it('names families from file names and ISPs', () => {
    expect(mailFamily('maildir/bsd/lhost-postfix-17.eml')).toBe('lhost-postfix');
    expect(mailFamily('maildir/bsd/rhost-google-03.eml')).toBe('rhost-google');
    expect(mailFamily('maildir/bsd/rfc3464-01.eml')).toBe('rfc3464');
    expect(replyFamily('Google (Gmail / Google Workspace)')).toBe('isp-google');
    expect(replyFamily('Yahoo Inc. (Yahoo Mail, AOL)')).toBe('isp-yahoo-inc');
    expect(replyFamily('mxlab-sim-gmail')).toBe('mxlab-sim-gmail');
  });

  test.prop([
    fc.constantFrom('lhost-postfix', 'isp-google', 'isp-microsoft', 'rhost-google', 'lhost-exim', 'nobody'),
  ])('withoutFamily removes exactly the rules that family shaped, keeping the order', (family) => {
    const set = defaultRuleSet();
    const held = withoutFamily(set, family);
    expect(held.rules.every((r) => !r.shapedBy?.includes(family))).toBe(true);
    expect(held.rules.length + set.rules.filter((r) => r.shapedBy?.includes(family)).length).toBe(
      set.rules.length,
    );
    const names = held.rules.map((r) => r.name);
    expect(names).toEqual(set.rules.map((r) => r.name).filter((n) => names.includes(n)));
  });

  it('leaves the set itself when the family shaped nothing', () => {
    const set = defaultRuleSet();
    expect(withoutFamily(set, 'nobody')).toBe(set);
  });
});
