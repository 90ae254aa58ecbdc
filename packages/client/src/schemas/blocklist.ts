import { z } from 'zod'
import { FamilySchema } from './common.js'

/** Output formats of `GET /blocklist`. */
export const BlocklistFormatSchema = z.enum(['plain', 'ipset', 'nftables', 'bird']).meta({
  description:
    'plain: one address per line; ipset: `ipset restore` input; nftables: an `nft -f` script; ' +
    'bird: a BIRD 2 include file of blackhole host routes tagged with the RFC 7999 BLACKHOLE community (65535:666)',
})
export type BlocklistFormat = z.infer<typeof BlocklistFormatSchema>

/** Query of `GET /blocklist`. */
export const BlocklistQuerySchema = z.strictObject({
  format: BlocklistFormatSchema.optional(),
  family: FamilySchema.optional(),
})
export type BlocklistQuery = z.input<typeof BlocklistQuerySchema>
