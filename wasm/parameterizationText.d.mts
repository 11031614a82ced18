// Types of wasm/parameterizationText.mjs ('initscope/parameterization-text'): the words of
// the parameterizations of schema().parameterizations, by name.
import type { ParameterizationName } from './initscope.js';

/**
 * One layer place's multipliers in words (m_in = fan_in / baseWidth, m_out = fan_out /
 * baseWidth, 1 for the data's columns and the output units).
 */
export interface ParameterizationPlaceText {
  /** Of the sampled weights. */
  init: string;
  /** Of x·W in the forward pass. */
  forward: string;
  /** Of the learning rate, SGD-like optimizers (sgd, momentum, nesterov). */
  sgdLr: string;
  /** Of the learning rate, Adam-like optimizers (adam, rmsprop). */
  adamLr: string;
  /** The bias's init and learning rates. */
  bias: string;
  /** Where the entries come from. */
  source: string;
}

export interface ParameterizationText {
  doc: string;
  places: Readonly<Record<'input' | 'hidden' | 'output', Readonly<ParameterizationPlaceText>>>;
}

export const PARAMETERIZATION_TEXT: Readonly<Record<ParameterizationName, Readonly<ParameterizationText>>>;
