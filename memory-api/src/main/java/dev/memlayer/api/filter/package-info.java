/**
 * The filter language: a sealed AST ({@link dev.memlayer.api.filter.Filter}), its factories
 * ({@link dev.memlayer.api.filter.Filters}) and its reference semantics
 * ({@link dev.memlayer.api.filter.FilterEvaluator}), which every backend's filter compiler must
 * reproduce exactly (SPEC §4).
 */
package dev.memlayer.api.filter;
