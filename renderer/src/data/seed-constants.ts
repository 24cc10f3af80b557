/**
 * The demo office is seeded identically on every PC (fixed ids, fixed time, numbers under this
 * reserved PC code), so two PCs that both seeded it hold the same writes and sync without conflicts.
 */
export const DEMO_PC_CODE = 'DM'
/** When the demo records were "made": fixed, so every PC's seed writes the same values. */
export const DEMO_SEEDED_AT = '2026-11-02T01:30:00.000Z'
