// Types of wasm/residualInitText.mjs ('initscope/residual-init-text'): the words of the
// residual initializations of schema().residualInits, by name.
import type { ResidualInitName } from './initscope.js';

export interface ResidualInitText {
  /** The paper it follows ('' for none). */
  paper: string;
  /** The formula as text. */
  formula: string;
  doc: string;
  /**
   * The formula in TeX, one line per entry, with placeholders for this network's numbers:
   * $L (blocks), $m (dense layers per branch), $factor (the snapshot's residualInit.factor),
   * $p.NAME (a param of the scheme).
   */
  tex: readonly string[];
}

export const RESIDUAL_INIT_TEXT: Readonly<Record<ResidualInitName, Readonly<ResidualInitText>>>;
