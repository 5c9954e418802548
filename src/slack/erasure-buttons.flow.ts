import { z } from 'zod';
import { zUuid } from '../lib/uuid.js';
import type { ModalView } from '@slack/types';
import { erasureHoldModal } from './ui/lifecycle.blocks.js';
import { MESSAGE_META, type MessageRef } from './escalation-buttons.flow.js';

/**
 * [Erase now] and [Hold — reason required] on an erasure request
 * (src/slack/kinds/erasure-request.kind.ts). Who may decide is checked by the
 * service from PostgreSQL rows, never from the button; the message then says
 * who decided, without buttons. Listeners: listeners/casework.actions.ts and
 * listeners/casework.views.ts.
 */
/** What an acted-on erasure request says above the line about who decided. */
export const ERASURE_TITLE = "Request to erase a client's personal data";
export const holdMetaSchema = z.object({ requestId: zUuid(), ...MESSAGE_META }).strict();

/** The hold modal: why the client's data is kept for now (required). */
export function holdModal(requestId: string, m: MessageRef | undefined, days: number): ModalView {
  return erasureHoldModal({ requestId, ...(m ? { channel: m.channel, ts: m.ts, text: m.text } : {}) }, days);
}
