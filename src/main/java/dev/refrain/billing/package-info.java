/**
 * Money in units, and what tasks cost: the hold at create and the charge at the end.
 */
package dev.refrain.billing;
